"""Invariants under hypothesis: whatever the block order or column cuts, no text is lost or invented,
every block lands in exactly one article (or the explicit unassigned list), and runs are deterministic."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from reassemble import reassemble_pages
from reassemble.evaluate import text_conserved
from reassemble.read.text import split_blocks
from reassemble.write import edition_json

SEED = Path(__file__).resolve().parent.parent / "corpus" / "zh" / "workers-daily-p2" / "page-02.txt"
BLOCKS = ["\n".join(b) for b in split_blocks(SEED.read_text(encoding="utf-8"))]
FAST = settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _check(blocks: list[str]) -> None:
    edition = reassemble_pages([(2, "\n\n".join(blocks) + "\n")])
    seen = Counter(b for a in edition.articles for b in a.blocks) + Counter(edition.unassigned)
    assert set(seen) == {f"p2:{i}" for i in range(len(blocks))}
    assert all(n == 1 for n in seen.values())
    assert text_conserved(edition)


@FAST
@given(st.permutations(BLOCKS))
def test_shuffled_blocks_lose_nothing(blocks: list[str]) -> None:
    _check(list(blocks))


@FAST
@given(st.data())
def test_recut_paragraphs_lose_nothing(data: st.DataObject) -> None:
    blocks = list(BLOCKS)
    for _ in range(data.draw(st.integers(1, 6))):
        i = data.draw(st.integers(0, len(blocks) - 1))
        text = blocks[i].replace("\n", "")
        if len(text) < 4:
            continue
        cut = data.draw(st.integers(1, len(text) - 1))
        head, tail = text[:cut], text[cut:]
        if not head.strip() or not tail.strip():
            continue  # a cut beside a space would leave a blank piece, which is no block of a dump
        where = data.draw(st.integers(i + 1, len(blocks)))
        blocks[i] = head
        blocks.insert(where, tail)
    _check(blocks)


@settings(max_examples=5, deadline=None)
@given(st.permutations(BLOCKS))
def test_same_input_same_output(blocks: list[str]) -> None:
    text = "\n\n".join(blocks)
    a = edition_json(reassemble_pages([(2, text)]))
    b = edition_json(reassemble_pages([(2, text)]))
    assert a == b
