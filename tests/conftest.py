"""Shared fixtures: paths of the shipped corpus."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "corpus" / "zh" / "workers-daily-p2"


@pytest.fixture(scope="session")
def seed_page() -> Path:
    return SEED_DIR / "page-02.txt"


@pytest.fixture(scope="session")
def seed_gold() -> Path:
    return SEED_DIR / "gold.json"
