"""Fuzzing the readers: any bytes give a Page or one of the tool's own errors, never another exception.

Runs a few hundred examples in the normal suite; CI sets ``REASSEMBLE_FUZZ_SECONDS`` to run for a bounded
time (hypothesis binary strategies plus mutations of real inputs).
"""

from __future__ import annotations

import os
import random
import time
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reassemble.errors import ReassembleError
from reassemble.pipeline import reassemble_read_pages
from reassemble.read import read_page

ROOT = Path(__file__).resolve().parent.parent
SEEDS = [
    ROOT / "corpus" / "zh" / "workers-daily-p2" / "page-02.txt",
    *sorted((ROOT / "corpus" / "alto").rglob("*-00001.xml"))[:1],
    *sorted((ROOT / "corpus").rglob("*.json"))[:0],
]
BUDGET = float(os.environ.get("REASSEMBLE_FUZZ_SECONDS", "0"))


def _one(data: bytes, name: str) -> None:
    try:
        page = read_page(name, page=1, data=data)
    except ReassembleError:
        return
    try:
        reassemble_read_pages([page])
    except ReassembleError:
        return


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=2048), st.sampled_from(["page-1.txt", "page-1.xml", "page-1.json"]))
def test_fuzz_random_bytes(data: bytes, name: str) -> None:
    _one(data, name)


def _mutate(rng: random.Random, data: bytes) -> bytes:
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        op = rng.random()
        i = rng.randrange(len(b)) if b else 0
        if op < 0.4 and b:
            b[i] = rng.randrange(256)
        elif op < 0.7:
            b[i:i] = bytes(rng.randrange(256) for _ in range(rng.randint(1, 8)))
        elif b:
            del b[i : i + rng.randint(1, 64)]
    return bytes(b)


def test_fuzz_mutated_real_inputs() -> None:
    rng = random.Random(1234)
    seeds = [(p.read_bytes(), "page-1" + p.suffix) for p in SEEDS if p.exists()]
    deadline = time.monotonic() + BUDGET
    n = 0
    while n < 30 or time.monotonic() < deadline:
        data, name = seeds[n % len(seeds)]
        _one(_mutate(rng, data), name)
        n += 1
