"""Golden files: each corpus input beside its expected NewsML-G2 output, compared after C14N 2.0.

Expected files change only on purpose: ``REASSEMBLE_REGEN_GOLDEN=1 python -m pytest tests/test_golden.py``
rewrites them; a normal test run never does.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from lxml import etree

from reassemble import reassemble_pages
from reassemble.write import write_edition

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
CASES = {
    "zh-workers-daily-p2": ROOT / "corpus" / "zh" / "workers-daily-p2" / "page-02.txt",
}


def _canonical(data: bytes) -> bytes:
    parser = etree.XMLParser(remove_blank_text=True, resolve_entities=False, no_network=True)
    return etree.tostring(etree.fromstring(data, parser), method="c14n2", strip_text=True)


@pytest.mark.parametrize("name", sorted(CASES))
def test_golden(name: str, tmp_path: Path) -> None:
    written = write_edition(reassemble_pages(CASES[name]), tmp_path)
    expected_dir = GOLDEN / name
    if os.environ.get("REASSEMBLE_REGEN_GOLDEN") == "1":
        expected_dir.mkdir(parents=True, exist_ok=True)
        for old in expected_dir.glob("*.xml"):
            old.unlink()
        for path in written:
            (expected_dir / path.name).write_bytes(path.read_bytes())
    expected = sorted(p.name for p in expected_dir.glob("*.xml"))
    assert sorted(p.name for p in written) == expected
    for path in written:
        assert _canonical(path.read_bytes()) == _canonical((expected_dir / path.name).read_bytes()), path.name
