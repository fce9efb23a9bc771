"""Tests of :mod:`reassemble.layout`: reading order, columns, text flow and heading evidence.

Synthetic pages are built by hand so that the expected order is known for sure (two and three columns
with spanning headlines, a row of region headlines, a one-column page, aligned paragraph breaks, a longer
column's tail, a feuilleton band, a rotated table header, OCR-like jitter, blocks given scrambled, pages
without bboxes). The real BnL 1858 issue and composed editions pin measured floors, so a change that
makes the order worse on real or realistic pages fails here.
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

import pytest

from reassemble.compose import compose_edition, write_edition
from reassemble.evaluate import kendall_tau, load_gold
from reassemble.layout import (
    HEADING_THRESHOLD,
    analyse,
    band_starts,
    column_of,
    foot_band,
    heading_score,
    next_in_flow,
    reading_order,
)
from reassemble.model import BBox, Block, Page
from reassemble.read import read_page

ROOT = Path(__file__).resolve().parent.parent
BNL_METS = sorted((ROOT / "corpus" / "alto" / "bnl-1858").glob("*/*-mets.xml"))

# A grid like a PDF page in points: columns 150 wide with 12 of gutter, 15 pt body lines.
COL_W, GUTTER, LINE = 150.0, 12.0, 15.0


def col_x(c: int) -> float:
    return 40.0 + c * (COL_W + GUTTER)


def body(bid: str, col: int, top: float, n_lines: int, *, span: int = 1, font: float = 10.0) -> Block:
    """A body block of ``n_lines`` lines filling ``span`` columns from column ``col``."""
    x0 = col_x(col)
    x1 = col_x(col + span - 1) + COL_W
    lines = tuple(f"{bid} line {k} of a paragraph of body text" for k in range(n_lines))
    return Block(id=bid, page=1, index=0, text=" ".join(lines), lines=lines,
                 bbox=BBox(x0, top, x1, top + n_lines * LINE), font_size=font)


def head(bid: str, first: int, last: int, top: float, *, width: float = 0.7, font: float = 18.0,
         n_lines: int = 1, text: str | None = None, align: str = "centre") -> Block:
    """A heading over columns ``first``..``last``, ``width`` of their extent, centred or flush left."""
    left, right = col_x(first), col_x(last) + COL_W
    w = (right - left) * width
    x0 = left + (right - left - w) / 2 if align == "centre" else left
    h = n_lines * font * 1.3
    words = text or f"Headline {bid}"
    return Block(id=bid, page=1, index=0, text=words, lines=(words,) * n_lines,
                 bbox=BBox(x0, top, x0 + w, top + h), font_size=font)


def make_page(blocks: Sequence[Block], *, shuffle: int | None = None, number: int = 1) -> Page:
    """A page of these blocks (dump order = given order, or shuffled with seed ``shuffle``)."""
    items = list(blocks)
    if shuffle is not None:
        random.Random(shuffle).shuffle(items)
    items = [replace(b, index=i, page=number) for i, b in enumerate(items)]
    return Page(number=number, source="test", blocks=tuple(items), width=800.0, height=1100.0,
                input_format="json")


def order(page: Page) -> list[str]:
    return [b.id for b in reading_order(page).blocks]


# --------------------------------------------------------------------------------------------------------
# Reading order on hand-made pages


def two_columns_two_bands() -> list[Block]:
    """Headline over 2 columns, body in both, then a second spanning headline and body: the classic."""
    return [
        head("h1", 0, 1, 40),
        body("a1", 0, 80, 6), body("a2", 0, 170, 8), body("a3", 0, 290, 4),
        body("a4", 1, 80, 10), body("a5", 1, 230, 8),
        head("h2", 0, 1, 380, width=0.9),
        body("b1", 0, 420, 5), body("b2", 0, 495, 5),
        body("b3", 1, 420, 7), body("b4", 1, 525, 3),
    ]


EXPECTED_TWO = ["h1", "a1", "a2", "a3", "a4", "a5", "h2", "b1", "b2", "b3", "b4"]


def test_two_columns_with_spanning_headlines() -> None:
    assert order(make_page(two_columns_two_bands())) == EXPECTED_TWO


@pytest.mark.parametrize("seed", range(8))
def test_scrambled_dump_order_gives_the_same_reading_order(seed: int) -> None:
    assert order(make_page(two_columns_two_bands(), shuffle=seed)) == EXPECTED_TWO


def test_three_columns_headline_over_two_and_a_full_height_third_column() -> None:
    # article A: headline over columns 0-1 and its body; article B runs down column 2 from the top
    blocks = [
        head("ha", 0, 1, 40), body("a1", 0, 80, 12), body("a2", 1, 80, 12),
        head("ha2", 0, 1, 280, width=0.8), body("c1", 0, 320, 8), body("c2", 1, 320, 8),
        head("hb", 2, 2, 40, width=0.8, font=14), body("b1", 2, 70, 20), body("b2", 2, 370, 10),
    ]
    assert order(make_page(blocks, shuffle=3)) == ["ha", "a1", "a2", "ha2", "c1", "c2", "hb", "b1", "b2"]


def test_a_row_of_region_headlines_goes_with_the_regions_below() -> None:
    # four columns, two articles side by side, each with its headline centred over its two columns;
    # the headlines are a horizontal row, but each must be read with its own region
    blocks = [
        head("h1", 0, 1, 40), body("a1", 0, 80, 10), body("a2", 1, 80, 10),
        head("h2", 2, 3, 40, width=0.6), body("b1", 2, 80, 9), body("b2", 3, 80, 9),
        head("h3", 0, 3, 250, width=0.5), body("c1", 0, 290, 4), body("c2", 1, 290, 4),
        body("c3", 2, 290, 4), body("c4", 3, 290, 4),
    ]
    assert order(make_page(blocks, shuffle=1)) == ["h1", "a1", "a2", "h2", "b1", "b2",
                                                    "h3", "c1", "c2", "c3", "c4"]


def test_a_headline_narrower_than_its_columns_is_read_before_them() -> None:
    # article A's headline is centred over columns 0-2 but only as wide as column 1; beside it, article
    # B's two-line kicker+headline reaches below the top of A's columns, so no horizontal cut isolates it
    blocks = [
        head("ha", 0, 2, 40, width=0.3),
        body("a1", 0, 80, 8), body("a2", 1, 80, 8), body("a3", 2, 80, 8),
        head("hb", 3, 3, 40, width=0.9, n_lines=3, font=14), body("b1", 3, 100, 6),
    ]
    assert order(make_page(blocks, shuffle=5)) == ["ha", "a1", "a2", "a3", "hb", "b1"]


def test_one_column_page_reads_top_to_bottom() -> None:
    blocks = [head("t", 0, 0, 40, width=0.6, font=14), body("p1", 0, 70, 5), body("p2", 0, 150, 3),
              body("p3", 0, 200, 7), body("p4", 0, 310, 2)]
    page = make_page(blocks, shuffle=2)
    assert order(page) == ["t", "p1", "p2", "p3", "p4"]
    lay = analyse(page)
    assert len(lay.columns) == 1
    assert set(lay.column.values()) == {0}
    assert all(step == "down" for step in lay.step.values())


def test_side_by_side_items_on_a_one_column_page_are_read_left_to_right() -> None:
    left = Block(id="l", page=1, index=0, text="photo caption left", lines=("x",),
                 bbox=BBox(40, 200, 110, 215), font_size=9)
    right = Block(id="r", page=1, index=0, text="photo caption right", lines=("x",),
                  bbox=BBox(120, 200, 190, 215), font_size=9)
    blocks = [body("p1", 0, 40, 10), right, left, body("p2", 0, 230, 4)]
    assert order(make_page(blocks)) == ["p1", "l", "r", "p2"]


def test_paragraph_breaks_aligned_across_columns_do_not_start_a_band() -> None:
    # every column breaks its paragraphs at the same lines (a baseline grid): the gaps line up
    blocks = [head("h", 0, 2, 40, width=0.8)]
    for c in range(3):
        blocks += [body(f"c{c}a", c, 80, 5), body(f"c{c}b", c, 155, 5), body(f"c{c}c", c, 230, 5)]
    expected = ["h"] + [f"c{c}{p}" for c in range(3) for p in "abc"]
    assert order(make_page(blocks, shuffle=4)) == expected
    # also with a small white gap (a third of a line) between the paragraphs
    gapped = [replace(b, bbox=BBox(b.bbox.x0, b.bbox.top + 5 * (i % 3), b.bbox.x1, b.bbox.bottom + 5 * (i % 3)))
              if b.bbox and b.id != "h" else b for i, b in enumerate(blocks[1:], start=0)]
    assert order(make_page([blocks[0], *gapped], shuffle=4)) == expected


def test_the_tail_of_a_longer_column_is_read_before_the_next_column() -> None:
    # column 0 runs longer than columns 1 and 2; its last paragraph starts below their ends, after a
    # subhead with a blank line above it
    blocks = [head("h", 0, 2, 40, width=0.8),
              body("a1", 0, 80, 12), body("b1", 1, 80, 10), body("c1", 2, 80, 9),
              head("sub", 0, 0, 275, width=0.4, font=11), body("a2", 0, 292, 3)]
    assert order(make_page(blocks, shuffle=6)) == ["h", "a1", "sub", "a2", "b1", "c1"]


def test_a_wide_white_gap_across_the_columns_starts_a_band() -> None:
    # a feuilleton under the news, separated by white space only (BnL 1858 pages 1 and 2)
    blocks = [body("n1", 0, 40, 20), body("n2", 1, 40, 20), body("n3", 2, 40, 20),
              body("f1", 0, 370, 10), body("f2", 1, 370, 10), body("f3", 2, 370, 10)]
    assert order(make_page(blocks, shuffle=7)) == ["n1", "n2", "n3", "f1", "f2", "f3"]


def test_rotated_table_headers_are_narrow_columns_of_their_band() -> None:
    # BnL page 3: a table whose heading is printed sideways as two very narrow, tall blocks
    rot1 = Block(id="r1", page=1, index=0, text="PRIX MOYENS DES DENRÉES", lines=("PRIX MOYENS DES DENRÉES",),
                 bbox=BBox(col_x(2), 260, col_x(2) + 10, 400), font_size=9)
    rot2 = Block(id="r2", page=1, index=0, text="vendues au marché", lines=("vendues au marché",),
                 bbox=BBox(col_x(2) + 14, 270, col_x(2) + 24, 390), font_size=9)
    table = Block(id="t", page=1, index=0, text="table " * 40, lines=("row",) * 20,
                  bbox=BBox(col_x(2) + 30, 250, col_x(2) + COL_W, 420), font_size=7)
    blocks = [body("a", 0, 40, 25), body("b", 1, 40, 25), head("th", 2, 2, 40, width=0.6, font=12),
              body("c", 2, 70, 11), rot1, rot2, table, body("d", 2, 430, 2)]
    assert order(make_page(blocks, shuffle=8)) == ["a", "b", "th", "c", "r1", "r2", "t", "d"]


@pytest.mark.parametrize("seed", range(6))
def test_ocr_jitter_does_not_change_the_order(seed: int) -> None:
    rng = random.Random(seed)
    jittered = []
    for b in two_columns_two_bands():
        assert b.bbox is not None
        dx = COL_W * 0.03  # left/right edges off by up to 3 % of a column, tops/bottoms by a fifth of a line
        jittered.append(replace(b, bbox=BBox(b.bbox.x0 + rng.uniform(-dx, dx), b.bbox.top + rng.uniform(-3, 3),
                                             b.bbox.x1 + rng.uniform(-dx, dx), b.bbox.bottom + rng.uniform(-3, 3))))
    assert order(make_page(jittered, shuffle=seed)) == EXPECTED_TWO


def test_overlapping_boxes_still_give_a_complete_deterministic_order() -> None:
    # a pinwheel and a box overlapping two others: no clean cut exists
    boxes = [("n", 40, 40, 300, 100), ("e", 260, 40, 320, 300), ("s", 100, 260, 320, 320),
             ("w", 40, 100, 100, 320), ("c", 90, 90, 270, 270), ("x", 250, 250, 280, 280)]
    blocks = [Block(id=i, page=1, index=0, text=i, lines=(i,), bbox=BBox(a, b, c, d)) for i, a, b, c, d in boxes]
    first = order(make_page(blocks))
    assert sorted(first) == sorted(i for i, *_ in boxes)
    for seed in range(5):
        assert order(make_page(blocks, shuffle=seed)) == first


def test_page_without_bboxes_is_returned_unchanged() -> None:
    blocks = [Block(id=f"p1:{i}", page=1, index=i, text=f"block {i}") for i in range(4)]
    page = Page(number=1, source="x.txt", blocks=tuple(blocks))
    assert reading_order(page) is page
    lay = analyse(page)
    assert lay.order == tuple(b.id for b in blocks)
    assert lay.columns == ()
    assert column_of(page) == {}
    assert next_in_flow(page) == {"p1:0": "p1:1", "p1:1": "p1:2", "p1:2": "p1:3"}
    assert set(lay.step.values()) == {"unplaced"}
    assert set(heading_score(page)) == {b.id for b in blocks}


def test_blocks_without_bbox_follow_their_dump_predecessor() -> None:
    blocks = list(two_columns_two_bands())
    blocks.insert(4, Block(id="nobox", page=1, index=0, text="a block the extractor gave no box"))
    page = make_page(blocks)
    got = order(page)
    assert got.index("nobox") == got.index(blocks[3].id) + 1
    assert [b for b in got if b != "nobox"] == EXPECTED_TWO


def test_reading_order_keeps_ids_and_renumbers_index() -> None:
    page = make_page(two_columns_two_bands(), shuffle=3)
    out = reading_order(page)
    assert [b.index for b in out.blocks] == list(range(len(out.blocks)))
    by_id = {b.id: b for b in page.blocks}
    for b in out.blocks:
        assert replace(b, index=by_id[b.id].index) == by_id[b.id]
    assert (out.number, out.source, out.width, out.height) == (page.number, page.source, page.width, page.height)
    in_order = make_page([next(b for b in page.blocks if b.id == i) for i in EXPECTED_TWO])
    assert reading_order(in_order) is in_order


# --------------------------------------------------------------------------------------------------------
# Columns and flow


def test_column_of_and_next_in_flow() -> None:
    page = make_page(two_columns_two_bands(), shuffle=1)
    lay = analyse(page)
    assert len(lay.columns) == 2
    cols = column_of(page)
    assert cols["a1"] == cols["a3"] == cols["b2"] == 0
    assert cols["a4"] == cols["b4"] == 1
    assert cols["h1"] == 0 and lay.span["h1"] == 2 and lay.span["a1"] == 1
    flow = next_in_flow(page)
    assert flow["a3"] == "a4"  # bottom of column 0 -> top of column 1 of the same band
    assert lay.step["a3"] == "column"
    assert flow["a1"] == "a2" and lay.step["a1"] == "down"
    assert flow["a5"] == "h2" and lay.step["a5"] == "band"
    assert flow["h2"] == "b1"
    assert "b4" not in flow  # the last block


def test_columns_survive_a_skewed_left_edge() -> None:
    blocks = [replace(b, bbox=BBox(b.bbox.x0 + 3 * k, b.bbox.top, b.bbox.x1 + 3 * k, b.bbox.bottom))
              if b.bbox else b for k, b in enumerate(two_columns_two_bands())]
    lay = analyse(make_page(blocks))
    assert len(lay.columns) == 2


# --------------------------------------------------------------------------------------------------------
# Heading evidence


def test_heading_score_separates_headings_from_body() -> None:
    last_line = Block(id="last", page=1, index=0, text="end of a paragraph.", lines=("end of a paragraph.",),
                      bbox=BBox(col_x(0), 500, col_x(0) + 60, 515), font_size=10)
    centred = Block(id="centred", page=1, index=0, text="Revue politique.", lines=("Revue politique.",),
                    bbox=BBox(col_x(0) + 40, 520, col_x(0) + COL_W - 40, 535), font_size=10)
    caps = Block(id="caps", page=1, index=0, text="FEUILLETON.", lines=("FEUILLETON.",),
                 bbox=BBox(col_x(1), 520, col_x(1) + 70, 535), font_size=10)
    page = make_page([*two_columns_two_bands(), last_line, centred, caps])
    scores = heading_score(page)
    assert all(0.0 <= v <= 1.0 for v in scores.values())
    for hid in ("h1", "h2", "centred", "caps"):
        assert scores[hid] >= HEADING_THRESHOLD, hid
    for bid in ("a1", "a2", "a5", "b3", "last"):
        assert scores[bid] < HEADING_THRESHOLD, bid
    assert scores["h1"] >= scores["centred"] > scores["last"]


def test_heading_score_without_geometry_uses_typography() -> None:
    blocks = (Block(id="t", page=1, index=0, text="BIG NEWS TODAY", lines=("BIG NEWS TODAY",)),
              Block(id="b", page=1, index=1, text="A long paragraph. " * 20, lines=("x",) * 6))
    scores = heading_score(Page(number=1, source="", blocks=blocks))
    assert scores["t"] >= HEADING_THRESHOLD > scores["b"]


# --------------------------------------------------------------------------------------------------------
# Real and composed pages


def _page_figures(gold_path: Path) -> dict[int, tuple[float, float]]:
    """Per page: (tau of the whole page against gold article order, mean tau inside gold articles)."""
    gold = load_gold(gold_path)
    out: dict[int, tuple[float, float]] = {}
    for gp in gold.pages:
        page = read_page(gp.file, gp.number, gp.format)
        mine = [b.id for b in reading_order(page).blocks]
        prefix = f"p{gp.number}:"
        per_article = [[b for b in a.blocks if b.startswith(prefix)] for a in gold.articles]
        per_article = [ids for ids in per_article if ids]
        page_tau = kendall_tau([b for ids in per_article for b in ids], mine)
        out[gp.number] = (page_tau, sum(kendall_tau(ids, mine) for ids in per_article) / len(per_article))
    return out


@pytest.mark.skipif(not BNL_METS, reason="BnL sample not in the corpus")
def test_bnl_reading_order_floors() -> None:
    # measured (benchmarks/layout_bnl.py): page tau 1.0, 1.0, 0.961, 0.867; the misses are METS quirks
    # (p3: a table row listed after the rows below it; p4: the imprint listed last)
    figures = _page_figures(BNL_METS[0])
    floors = {1: 0.99, 2: 0.99, 3: 0.94, 4: 0.85}
    for number, floor in floors.items():
        assert figures[number][0] >= floor, (number, figures[number])
        assert figures[number][1] >= 0.9, (number, figures[number])


@pytest.mark.skipif(not BNL_METS, reason="BnL sample not in the corpus")
def test_bnl_heading_scores() -> None:
    gold = load_gold(BNL_METS[0])
    heads = bodies = head_hits = body_hits = 0
    for gp in gold.pages:
        page = read_page(gp.file, gp.number, gp.format)
        scores = heading_score(page)
        for art in gold.articles:
            for bid in art.blocks:
                if bid not in scores:
                    continue
                role = art.roles.get(bid, "")
                if role == "headline":
                    heads += 1
                    head_hits += scores[bid] >= HEADING_THRESHOLD
                elif not role and art.kind in ("article", "advert"):
                    bodies += 1
                    body_hits += scores[bid] < HEADING_THRESHOLD
    assert heads == 14 and head_hits == 14  # measured: every gold headline
    assert body_hits / bodies >= 0.9  # measured 35/37 (a dateline line and the adverts' "Annonces")


@pytest.mark.parametrize(("level", "seed"), [("easy", 3), ("medium", 5), ("hard", 7)])
def test_composed_pages_keep_every_article_in_order(tmp_path: Path, level: str, seed: int) -> None:
    composed = compose_edition(seed, level, 2, formats=("json",))
    (gold_path,) = write_edition(composed, tmp_path)
    for number, (_, article_tau) in _page_figures(gold_path).items():
        assert article_tau >= 0.98, (level, seed, number, article_tau)


def test_analyse_is_fast_on_a_large_page() -> None:
    import time

    blocks = []
    for band in range(4):
        y0 = band * 560.0
        blocks.append(head(f"h{band}", 0, 4, y0, width=0.8))
        for c in range(5):
            blocks += [body(f"b{band}-{c}-{r}", c, y0 + 40 + r * 20, 1) for r in range(25)]
    page = make_page(blocks, shuffle=0)
    started = time.perf_counter()
    lay = analyse(page)
    heading_score(page, lay)
    assert time.perf_counter() - started < 2.0  # ~0.05 s measured for these 504 blocks
    assert lay.order[:3] == ("h0", "b0-0-0", "b0-0-1")


# --------------------------------------------------------------------------------------------------------
# Bands and the foot band (feuilleton under the line)


def test_band_starts_are_the_blocks_after_a_spanning_headline() -> None:
    lay = analyse(make_page(two_columns_two_bands()))
    assert "h2" in band_starts(lay)
    assert not band_starts(lay) & {"a2", "a4", "b3"}  # steps down and column steps open no band


def feuilleton_page() -> list[Block]:
    """Three columns of news over a wide foot band of three columns (the feuilleton), then a signature."""
    return [
        head("h1", 0, 2, 40),
        body("a1", 0, 80, 20), body("a2", 1, 80, 20), body("a3", 2, 80, 20),
        body("f1", 0, 640, 20), body("f2", 1, 640, 20), body("f3", 2, 640, 18),
        body("sig", 2, 1000, 1),
    ]


def test_foot_band_is_the_wide_band_in_the_lower_half_with_what_follows() -> None:
    page = make_page(feuilleton_page())
    lay = analyse(page)
    assert foot_band(reading_order(page, lay), lay) == {"f1", "f2", "f3", "sig"}


def test_no_foot_band_when_the_last_band_is_in_the_upper_half_or_without_geometry() -> None:
    page = make_page(two_columns_two_bands())  # second band starts at 380 of 1100
    lay = analyse(page)
    assert foot_band(reading_order(page, lay), lay) == frozenset()
    text = Page(number=1, source="t", blocks=(Block(id="x", page=1, index=0, text="x"),))
    assert foot_band(text, analyse(text)) == frozenset()


@pytest.mark.skipif(not BNL_METS, reason="BnL sample not in the corpus")
def test_bnl_articles_against_mets_floors() -> None:
    # measured: B-cubed F1 0.992, articles_exact 0.864 (19 of 22; baseline 0.441 / 0.0). The misses: two
    # adverts of the advert page (each advert is its own METS article) and one stock table whose METS
    # order lists a row after the rows below it.
    from reassemble.evaluate import score_edition
    from reassemble.pipeline import reassemble_pages

    gold = load_gold(BNL_METS[0])
    edition = reassemble_pages(BNL_METS[0])  # the METS file itself: pages, and the paper's title
    metrics = score_edition(gold, edition)
    assert metrics["bcubed_f1"] >= 0.97
    assert metrics["articles_exact"] >= 0.85
    by_head = {a.headline: a for a in edition.articles if a.headline}
    # the heading right above the text is its headline; the bilingual section title above it stands alone,
    # as furniture whose text is its body (as the METS file records it: a section's own heading)
    assert by_head["Kölnische Zeitung."].pages == (1, 2)
    section = next(a for a in edition.articles if "p1:P1_TB00015" in a.blocks)
    assert (section.kind, section.blocks, section.headline) == ("furniture", ("p1:P1_TB00015", "p1:P1_TB00016"), None)
    assert [p.text for p in section.paragraphs] == ["Zeitungsnachrichten.", "Nouvelles des journaux."]
    # FEUILLETON. is the kicker of the feuilleton, which goes on under the line of page 2
    feuilleton = by_head["Suez et Marseille."]
    assert feuilleton.kicker == "FEUILLETON."
    assert feuilleton.pages == (1, 2)
    assert "p2:P2_TB00016" in feuilleton.blocks
    # the news article above the line of page 2 goes on at the top of page 3, not into the feuilleton
    assert by_head["Constitutionnel."].pages == (2, 3)
    # the METS file names the paper: its nameplate, the date lines above it and the notices beside it
    # are one masthead of kind furniture
    assert edition.paper == "Luxemburger Zeitung – Journal de Luxembourg"
    front = edition.articles[0]
    assert front.kind == "furniture"
    assert front.blocks == tuple(f"p1:P1_TB0000{k}" for k in range(1, 6))
    # the advert page: the page heading stands alone, an advert in a column the heading does not cover
    # is not its text, and an advert set across two columns is not the text of the one-column advert
    # before it
    ads = {a.blocks[0]: a.blocks for a in edition.articles if a.pages == (4,)}
    assert ads["p4:P4_TB00002"] == ("p4:P4_TB00002",)
    assert ads["p4:P4_TB00003"] == ("p4:P4_TB00003",)


def test_masthead_needs_the_papers_title() -> None:
    from reassemble.pipeline import reassemble_pages

    gold = load_gold(BNL_METS[0]) if BNL_METS else None
    if gold is None:
        pytest.skip("BnL sample not in the corpus")
    edition = reassemble_pages([(p.number, p.file) for p in gold.pages])  # no METS, no title given
    assert edition.paper is None
    assert all(a.blocks != tuple(f"p1:P1_TB0000{k}" for k in range(1, 6)) for a in edition.articles)
