"""Page geometry: reading order, columns, text flow and heading evidence from block coordinates.

Why a separate module: extractors list blocks in whatever order their engine found them (ALTO files in
zone-detection order, PDF dumps in content-stream order), while every later decision ("does block *b*
continue block *a*?", "is this a headline?") is far easier when the blocks are in the order a reader reads
them and when we know which blocks stand at the bottom of one column and the top of the next. This module
only looks at coordinates and typography, never at words, so it works the same for every language.

Entry points (all pure, deterministic and cheap; pages without bounding boxes are handled gracefully):

* :func:`analyse` -> :class:`Layout`: everything below computed once (the lead should call this once per
  page and read the fields, rather than calling the three helpers that each recompute it);
* :func:`reading_order` -> a copy of the page with its blocks in reading order (``index`` renumbered,
  ``id`` kept);
* :func:`column_of` / :func:`next_in_flow`: the page column of each block and the block that follows it in
  the text flow;
* :func:`heading_score`: evidence in [0, 1] that a block is a heading, from typography and geometry.

Reading order: recursive band/column decomposition (an XY-cut)
-------------------------------------------------------------
A newspaper is read band by band from the top, and inside a band column by column from the left, top to
bottom inside each column; a band ends where something spans the columns (a headline over several
columns, a wide table) or where a clear horizontal white space crosses the whole page (the rule above a
feuilleton). That is exactly a recursive XY-cut with one twist, so the algorithm is, for a set of blocks
(a *region*, the whole page at first):

1. **Horizontal cuts.** Project the blocks on the y axis and split the region at every y where no block
   is (the *elementary bands*). Adjacent elementary bands are then merged back when the cut between them
   is an accident of the text, not a layout boundary: a cut is *kept* when (a) the white gap is at least
   :data:`BAND_GAP` body line heights, or (b) a block of one band crosses a column gutter of the other
   (a spanning headline or table over columns, or columns under a spanning block), or (c) the two bands
   together have no vertical gutter (merging would only create a region nothing can split). Otherwise
   (small gap, same column grid) the bands are merged: paragraph breaks that happen to line up in every
   column, or the tail of a longer column below the ends of shorter ones, must not start a new band,
   since that would read the top halves of all columns before the bottom halves.
   If more than one band remains, each band is a child region, read top to bottom.
2. **Vertical cuts.** Otherwise project on the x axis and split at every gutter: each column (or run of
   columns under a spanning element, which the recursion splits again) is a child region, read left to
   right.
3. **Fallback.** A region that no cut splits (overlapping boxes, a "pinwheel" arrangement) is read by
   page column, then top to bottom.

Robustness. Before projecting, every box is shrunk a little: horizontally by up to
:data:`X_SHRINK` of the body column width (at most a quarter of its own width), vertically by up to
:data:`Y_SHRINK` of a body line height (at most a quarter of its height). OCR boxes that bleed into a
gutter, a slightly skewed column edge, touching boxes of PDF dumps (``bottom == next top``) and line boxes
overlapping by a pixel therefore do not hide a cut, while real spanning blocks, which cross a whole
gutter, still do. Narrow tall blocks (a rotated table header) are at most shrunk by a quarter of their
width and simply become narrow columns of their own band. A page with one column has no gutter, so its
blocks are read top to bottom (side-by-side items are still read left to right).

Cost: each level of the recursion sorts its region, so a page costs O(n log n) per level; real pages have
a handful of levels (band, column, sub-band...). The degenerate worst case (a staircase) is O(n^2 log n),
a few milliseconds for a thousand blocks. The recursion uses an explicit stack, so no recursion limit.

Measured on the BnL 1858 issue (``benchmarks/layout_bnl.py``): Kendall tau against the METS article order
0.94-1.0 per page (dump order: 0.89-1.0); see the script for the figures.
"""

from __future__ import annotations

import math
import statistics
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace

from .model import Block, Page
from .textutil import is_wide

__all__ = [
    "BAND_GAP",
    "HEADING_THRESHOLD",
    "X_SHRINK",
    "Y_SHRINK",
    "Layout",
    "analyse",
    "column_of",
    "heading_score",
    "next_in_flow",
    "reading_order",
]

#: A horizontal white gap at least this many body line heights across a multi-column region ends a band
#: even when the column grid goes on. BnL 1858: feuilleton / page-head gaps are 1.4-1.9 line heights,
#: paragraph gaps that line up across columns at most 0.4; synthetic PDF pages: band gaps >= 1.5, touching
#: blocks inside columns 0. 0.8 sits between the two with room on both sides.
BAND_GAP = 0.8
#: Horizontal shrink of each box, as a share of the body column width (capped at a quarter of the box's
#: own width), before looking for gutters. BnL gutters are ~8 % of a column; OCR boxes bleed 1-5 %.
X_SHRINK = 0.05
#: Vertical shrink of each box, as a share of the body line height (capped at a quarter of its height),
#: before looking for horizontal gaps: touching or one-pixel-overlapping boxes still leave a cut.
Y_SHRINK = 0.2
#: The :func:`heading_score` above which a block should be treated as heading-like (see that function).
HEADING_THRESHOLD = 0.5

#: Step kinds in :attr:`Layout.step`.
STEP_DOWN = "down"
STEP_COLUMN = "column"
STEP_BAND = "band"
STEP_UNPLACED = "unplaced"


# --------------------------------------------------------------------------------------------------------
# Page statistics


@dataclass(frozen=True, slots=True)
class _Box:
    """A block's geometry while the page is analysed: raw and shrunk extents, and where it came from."""

    id: str
    pos: int  # position in the dump, the final tie-breaker (determinism)
    x0: float
    top: float
    x1: float
    bottom: float
    sx0: float
    stop: float
    sx1: float
    sbottom: float
    text: bool  # a body-text block: two or more lines in body type, not rotated (sets the column grid)
    lines: int

    @property
    def width(self) -> float:
        return self.x1 - self.x0


def _finite_bbox(block: Block) -> tuple[float, float, float, float] | None:
    """The block's bbox as ``(x0, top, x1, bottom)`` with min/max normalised, or None if absent/not finite."""
    b = block.bbox
    if b is None:
        return None
    values = (b.x0, b.top, b.x1, b.bottom)
    if not all(math.isfinite(v) for v in values):
        return None
    return min(b.x0, b.x1), min(b.top, b.bottom), max(b.x0, b.x1), max(b.top, b.bottom)


def _n_lines(block: Block) -> int:
    """Printed lines of the block: its ``lines`` when the reader kept them, else the text's own lines."""
    if block.lines:
        return max(1, sum(1 for ln in block.lines if ln.strip()))
    return max(1, sum(1 for ln in block.text.splitlines() if ln.strip()))


def _weighted_median(pairs: Iterable[tuple[float, float]]) -> float | None:
    """The weighted median of ``(value, weight)`` pairs (lower median on a tie); None when empty."""
    items = sorted((v, w) for v, w in pairs if w > 0)
    total = sum(w for _, w in items)
    if not items:
        return None
    acc = 0.0
    for v, w in items:
        acc += w
        if acc >= total / 2:
            return v
    return items[-1][0]


def _rotated(width: float, height: float, n_lines: int) -> bool:
    """A block printed sideways: one or two lines in a box at least three times taller than wide."""
    return n_lines <= 2 and height > 3 * max(width, 1e-9)


@dataclass(frozen=True, slots=True)
class _Stats:
    """Page-wide typography and grid: body line height, body font size, body column width, columns."""

    line_height: float
    body_font: float | None
    column_width: float
    columns: tuple[tuple[float, float], ...]


def _page_stats(page: Page, geo: Mapping[str, tuple[float, float, float, float]]) -> _Stats:
    """Body line height, font size, column width and the column grid of a page.

    *Body* is what most of the page's text is set in, so each statistic is a median weighted by lines (or
    characters, for the font size): a page with three headlines and forty body paragraphs must measure the
    paragraphs, not the headlines.
    """
    body_font = _weighted_median(
        (b.font_size, float(len(b.text))) for b in page.blocks if b.font_size is not None and b.font_size > 0
    )
    heights: list[tuple[float, float]] = []
    widths: list[tuple[float, float]] = []
    for b in page.blocks:
        g = geo.get(b.id)
        if g is None:
            continue
        n = _n_lines(b)
        w, h = g[2] - g[0], g[3] - g[1]
        if n >= 2 and not _rotated(w, h, n) and h > 0:
            heights.append((h / n, float(n)))
            widths.append((w, float(n)))
    line_height = _weighted_median(heights)
    if line_height is None or line_height <= 0:
        singles = [g[3] - g[1] for g in geo.values() if g[3] > g[1]]
        line_height = statistics.median(singles) if singles else (body_font * 1.2 if body_font else 1.0)
    column_width = _weighted_median(widths)
    if column_width is None or column_width <= 0:
        all_w = [g[2] - g[0] for g in geo.values() if g[2] > g[0]]
        column_width = statistics.median(all_w) if all_w else 1.0
    columns = _columns(page, geo, column_width, line_height)
    return _Stats(line_height, body_font, column_width, columns)


def _columns(
    page: Page, geo: Mapping[str, tuple[float, float, float, float]], width: float, line_height: float
) -> tuple[tuple[float, float], ...]:
    """The page's body columns as ``(left, right)`` pairs, left to right.

    Clusters the left edges of *body-width* blocks (two or more lines, 0.7-1.3 body column widths, not
    rotated): edges within 0.3 column widths of each other are one column, whose extent is the median left
    and right edge of its blocks, so one OCR box with a skewed edge does not move the column. When three or
    more columns give a regular pitch, a missing column (one holding only spanning blocks or pictures) is
    put back. A page without body-width blocks is one column over all its blocks.
    """
    body: list[tuple[float, float]] = []
    for b in page.blocks:
        g = geo.get(b.id)
        if g is None:
            continue
        w, h, n = g[2] - g[0], g[3] - g[1], _n_lines(b)
        if (n >= 2 or h >= 2 * line_height) and 0.7 * width <= w <= 1.3 * width and not _rotated(w, h, n):
            body.append((g[0], g[2]))
    if not body:
        if not geo:
            return ()
        return ((min(g[0] for g in geo.values()), max(g[2] for g in geo.values())),)
    body.sort()
    clusters: list[list[tuple[float, float]]] = [[body[0]]]
    for edge in body[1:]:
        if edge[0] - clusters[-1][-1][0] <= 0.3 * width:
            clusters[-1].append(edge)
        else:
            clusters.append([edge])
    cols = [(statistics.median(e[0] for e in c), statistics.median(e[1] for e in c)) for c in clusters]
    if len(cols) >= 3:
        pitch = statistics.median(cols[i + 1][0] - cols[i][0] for i in range(len(cols) - 1))
        filled: list[tuple[float, float]] = [cols[0]]
        for left, right in cols[1:]:
            prev_left, prev_right = filled[-1]
            missing = round((left - prev_left) / pitch) - 1 if pitch > 0 else 0
            if missing >= 1 and abs(left - prev_left - (missing + 1) * pitch) <= 0.25 * pitch:
                for k in range(1, missing + 1):
                    filled.append((prev_left + k * pitch, prev_right + k * pitch))
            filled.append((left, right))
        cols = filled
    return tuple(cols)


def _column_index(x0: float, x1: float, columns: Sequence[tuple[float, float]]) -> tuple[int, int]:
    """``(first column, number of columns)`` a horizontal extent covers.

    A column counts as covered when the extent overlaps at least 30 % of it (or 60 % of the extent, for a
    block narrower than a column): a headline that bleeds 40 units into the next column is not spanning.
    An extent over no column (a margin note) belongs to the nearest one.
    """
    if not columns:
        return 0, 1
    covered = []
    w = max(x1 - x0, 1e-9)
    for i, (left, right) in enumerate(columns):
        overlap = min(x1, right) - max(x0, left)
        if overlap > 0 and (overlap >= 0.3 * (right - left) or overlap >= 0.6 * w):
            covered.append(i)
    if covered:
        return covered[0], covered[-1] - covered[0] + 1
    centre = (x0 + x1) / 2
    nearest = min(range(len(columns)), key=lambda i: (abs((columns[i][0] + columns[i][1]) / 2 - centre), i))
    return nearest, 1


# --------------------------------------------------------------------------------------------------------
# The band / column decomposition


@dataclass
class _Node:
    """A node of the decomposition tree: ``H`` (bands, top to bottom), ``V`` (columns, left to right),
    ``F`` (fallback: no cut, leaves in column-then-top order) or a leaf (one box)."""

    kind: str
    box: _Box | None = None
    children: list[_Node] = field(default_factory=list)
    has_v: bool = False  # a V node anywhere in this subtree: the region has more than one column


def _groups(boxes: Sequence[_Box], axis: str) -> list[list[_Box]]:
    """Split boxes at every gap of their shrunk projection on ``axis`` ("x" or "y"), in axis order.

    A gap is where the next box starts at or after the furthest end seen so far (touching counts as a
    gap, since the boxes are already shrunk). Ties keep dump order, so the result is deterministic.
    """
    if axis == "x":
        items = sorted(boxes, key=lambda b: (b.sx0, b.sx1, b.pos))
        lo, hi = (lambda b: b.sx0), (lambda b: b.sx1)
    else:
        items = sorted(boxes, key=lambda b: (b.stop, b.sbottom, b.pos))
        lo, hi = (lambda b: b.stop), (lambda b: b.sbottom)
    out: list[list[_Box]] = []
    reach = -math.inf
    for b in items:
        if not out or lo(b) >= reach:
            out.append([b])
            reach = hi(b)
        else:
            out[-1].append(b)
            reach = max(reach, hi(b))
    return out


def _gutters(boxes: Sequence[_Box]) -> list[tuple[float, float]]:
    """The vertical white strips (shrunk coordinates) that separate the columns of a set of boxes."""
    cols = _groups(boxes, "x")
    return [(max(b.sx1 for b in a), min(b.sx0 for b in c)) for a, c in zip(cols, cols[1:], strict=False)]


def _text_gutters(boxes: Sequence[_Box]) -> list[tuple[float, float]]:
    """The gutters of the body-text columns of a band, ignoring headings and other one-line blocks.

    A band's own spanning headline hides the gutters of the columns under it; the column grid a heading
    of the *next* band must be compared with is the one of the text.
    """
    return _gutters([b for b in boxes if b.text])


def _crosses(boxes: Iterable[_Box], gutters: Sequence[tuple[float, float]]) -> bool:
    """Does any box reach over one of the gutters (from its left side to its right side)?"""
    return any(b.sx0 < lo and b.sx1 > hi for b in boxes for lo, hi in gutters)


def _heads_regions(above: Sequence[_Box], below: Sequence[_Box], union: Sequence[_Box], tol: float) -> bool:
    """Is ``above`` a row of headings, each over its own side-by-side region of ``below``?

    The union of the two bands is split at its gutters. Every block of ``above`` must lie within the
    extent of the ``below`` blocks of its part (``tol`` of slack) and be centred over that part (within
    10 % of its width) or flush with its left edge, as a headline over its article's columns is. A lone
    heading that is just as well centred over the whole band is a band headline, not a region's. Then
    (True) the headings go with the regions under them, which the vertical cut of the merged band does.
    """
    above_ids = {b.id for b in above}
    below_ids = {b.id for b in below}
    u_lo, u_hi = min(b.x0 for b in union), max(b.x1 for b in union)
    for part in _groups(union, "x"):
        heads = [b for b in part if b.id in above_ids]
        if not heads:
            continue
        base = [b for b in part if b.id in below_ids]
        if not base:
            return False
        lo, hi = min(b.x0 for b in base), max(b.x1 for b in base)
        for h in heads:
            if h.x0 < lo - tol or h.x1 > hi + tol:
                return False
            centre = (h.x0 + h.x1) / 2
            centred = abs(centre - (lo + hi) / 2) <= 0.1 * (hi - lo)
            if not (centred or abs(h.x0 - lo) <= 2 * tol):
                return False
            if len(above) == 1 and abs(centre - (u_lo + u_hi) / 2) <= 0.1 * (u_hi - u_lo):
                return False
    return True


def _keep_cut(merged: list[_Box], above: list[_Box], below: list[_Box], min_gap: float, tol: float) -> bool:
    """Is the horizontal cut above ``below`` a layout boundary (True) or an accident of the text (False)?

    ``above`` is the elementary band just above the cut, ``merged`` the band it has been merged into so
    far. In order (module docstring, step 1):

    1. no vertical gutter through ``merged`` and ``below`` together: keep (merging could not be split);
    2. a block of ``below`` reaches over a gutter of ``above`` (a headline or table spanning the columns
       above it): keep, a new band starts;
    3. a block of ``above`` reaches over a gutter of ``below``: a spanning element over columns. Merge
       only when ``above`` is a row of headings each over its own region (:func:`_heads_regions`), so that
       the vertical cut reads each headline with its region; else keep (a headline over the whole band);
    4. otherwise the column grid goes on: keep only for a white gap of at least ``min_gap``.
    """
    if not _gutters([*merged, *below]):
        return True
    if _crosses(below, _text_gutters(above)):
        return True
    if _crosses(above, _text_gutters(below)):
        return not _heads_regions(above, below, [*merged, *below], tol)
    gap = min(b.top for b in below) - max(b.bottom for b in above)
    return gap >= min_gap


def _bands(boxes: list[_Box], min_gap: float, tol: float) -> list[list[_Box]]:
    """The region's bands: elementary horizontal cuts, with the accidental ones merged back (greedily)."""
    elementary = _groups(boxes, "y")
    if len(elementary) == 1:
        return elementary
    merged: list[list[_Box]] = [elementary[0]]
    for above, band in zip(elementary, elementary[1:], strict=False):
        if _keep_cut(merged[-1], above, band, min_gap, tol):
            merged.append(band)
        else:
            merged[-1] = merged[-1] + band
    return merged


def _widen_headings(boxes: list[_Box], stats: _Stats) -> list[_Box]:
    """Give each heading the width of the columns it heads, so that the cuts see it as spanning them.

    XY-cuts fail on the commonest newspaper pattern: a headline narrower than its article's columns, with
    the columns starting below it while the next article's kicker reaches down beside them. No clean
    horizontal cut isolates the headline, and a vertical cut between two of its columns reads it after
    the first of them. So a heading (not a body-text block, at most three lines, not rotated) is widened
    to the widest run of page columns that (1) contains it, (2) is centred on it (within 6 % of the run's
    width), (3) holds no other block beside it (a free strip at its height) and (4) has text starting
    below it in every column within four body lines. Only the shrunk extents used for cutting change.
    """
    columns = stats.columns
    if len(columns) < 2:
        return boxes
    lh = stats.line_height
    tol = X_SHRINK * stats.column_width
    out: list[_Box] = []
    for h in boxes:
        lines = h.lines
        if h.text or lines > 3 or _rotated(h.width, h.bottom - h.top, lines):
            out.append(h)
            continue
        inside = [i for i, (left, right) in enumerate(columns) if right > h.x0 and left < h.x1]
        if not inside:
            out.append(h)
            continue
        k = len(columns)
        busy = [False] * k
        below = [math.inf] * k
        for b in boxes:
            if b is h:
                continue
            for c, (left, right) in enumerate(columns):
                if b.sx0 >= right or b.sx1 <= left:
                    continue
                if b.sbottom > h.stop and b.stop < h.sbottom:
                    busy[c] = True
                elif b.top >= h.bottom - 0.5 * lh:
                    below[c] = min(below[c], b.top)
        best: tuple[float, float] | None = None
        centre = (h.x0 + h.x1) / 2
        for i in range(inside[0] + 1):
            for j in range(inside[-1], k):
                left, right = columns[i][0], columns[j][1]
                if left > h.x0 + tol or right < h.x1 - tol:
                    continue
                if abs((left + right) / 2 - centre) > 0.06 * (right - left) + tol:
                    continue
                if any(busy[c] or below[c] - h.bottom > 4 * lh for c in range(i, j + 1)):
                    continue
                if best is None or right - left > best[1] - best[0]:
                    best = (left, right)
        if best is not None and best[1] - best[0] > h.width:
            out.append(replace(h, sx0=min(h.sx0, best[0] + tol), sx1=max(h.sx1, best[1] - tol)))
        else:
            out.append(h)
    return out


def _decompose(boxes: list[_Box], stats: _Stats) -> _Node:
    """The band/column tree of a page (explicit stack instead of recursion: no depth limit)."""
    min_gap = BAND_GAP * stats.line_height
    root = _Node("R")
    stack: list[tuple[list[_Box], _Node]] = [(boxes, root)]
    while stack:
        region, parent = stack.pop()
        if len(region) == 1:
            parent.children.append(_Node("L", box=region[0]))
            continue
        node = _Node("F")
        parts = _bands(region, min_gap, X_SHRINK * stats.column_width)
        if len(parts) > 1:
            node.kind = "H"
        else:
            parts = _groups(region, "x")
            if len(parts) > 1:
                node.kind = "V"
        parent.children.append(node)
        if node.kind == "F":
            for b in sorted(region, key=lambda b: (_column_index(b.x0, b.x1, stats.columns)[0], b.top, b.x0,
                                                   b.pos)):
                node.children.append(_Node("L", box=b))
            continue
        # children are appended when popped, so push them in reverse to keep their order
        for part in reversed(parts):
            stack.append((part, node))
    # A node is attached to its parent when popped; siblings are pushed together in reverse and the stack
    # is depth-first, so each parent receives its children in order.
    _mark_columns(root)
    return root.children[0]


def _mark_columns(node: _Node) -> bool:
    """Set ``has_v`` bottom-up (iteratively) and return the root's value."""
    order: list[_Node] = []
    stack = [node]
    while stack:
        n = stack.pop()
        order.append(n)
        stack.extend(n.children)
    for n in reversed(order):
        n.has_v = n.kind == "V" or any(c.has_v for c in n.children)
    return node.has_v


def _leaves(root: _Node) -> tuple[list[_Box], dict[str, str]]:
    """Boxes in reading order, and for each box the step kind that leads to the next one.

    The step is decided by the lowest node containing both: a ``V`` node means the next box is at the
    top of a following column of the same band (``column``); an ``H`` node means it is below, either in
    the same single column (``down``, when neither of the two bands involved has columns) or in another
    band (``band``); a fallback node compares the boxes themselves.
    """
    boxes: list[_Box] = []
    paths: list[list[tuple[_Node, int]]] = []
    stack: list[tuple[_Node, list[tuple[_Node, int]]]] = [(root, [])]
    while stack:
        node, path = stack.pop()
        if node.kind == "L" and node.box is not None:
            boxes.append(node.box)
            paths.append(path)
            continue
        for i in range(len(node.children) - 1, -1, -1):
            stack.append((node.children[i], [*path, (node, i)]))
    steps: dict[str, str] = {}
    for k in range(len(boxes) - 1):
        pa, pb = paths[k], paths[k + 1]
        d = 0
        while d < min(len(pa), len(pb)) and pa[d] == pb[d]:
            d += 1
        node, ia = pa[d]
        ib = pb[d][1]
        a, b = boxes[k], boxes[k + 1]
        if node.kind == "V":
            step = STEP_COLUMN
        elif node.kind == "H":
            step = STEP_BAND if node.children[ia].has_v or node.children[ib].has_v else STEP_DOWN
        elif b.top >= a.bottom - 0.5 * (a.bottom - a.top) and min(a.x1, b.x1) > max(a.x0, b.x0):
            step = STEP_DOWN
        elif b.x0 >= a.x0 and b.top < a.bottom:
            step = STEP_COLUMN
        else:
            step = STEP_BAND
        steps[a.id] = step
    return boxes, steps


# --------------------------------------------------------------------------------------------------------
# Public API


@dataclass(frozen=True)
class Layout:
    """The geometry of one page, computed once by :func:`analyse`.

    * ``order``: every block id of the page in reading order (blocks without a bbox follow the block that
      preceded them in the dump);
    * ``columns``: the page's body columns as ``(left, right)``, left to right (empty without bboxes);
    * ``column``: page column of each block with a bbox (its leftmost covered column, see
      :func:`column_of`); ``span``: how many page columns it covers (2+ = spanning);
    * ``next``: the block that follows each block in the text flow (the reading-order successor; the last
      block has none);
    * ``step``: how ``next`` is reached: ``down`` (below, in the same single column), ``column`` (from the
      bottom of a column to the top of a following column of the same band), ``band`` (into another band:
      across a spanning block or a page-wide gap), ``unplaced`` (a block without bbox is involved);
    * ``line_height``, ``body_font``, ``column_width``: the page's body typography, in the file's unit
      (``body_font`` in points, None when the dump has no font sizes).
    """

    order: tuple[str, ...]
    columns: tuple[tuple[float, float], ...] = ()
    column: Mapping[str, int] = field(default_factory=dict)
    span: Mapping[str, int] = field(default_factory=dict)
    next: Mapping[str, str] = field(default_factory=dict)
    step: Mapping[str, str] = field(default_factory=dict)
    line_height: float | None = None
    body_font: float | None = None
    column_width: float | None = None


def _geometry(page: Page) -> dict[str, tuple[float, float, float, float]]:
    out: dict[str, tuple[float, float, float, float]] = {}
    for b in page.blocks:
        g = _finite_bbox(b)
        if g is not None:
            out[b.id] = g
    return out


def analyse(page: Page) -> Layout:
    """Reading order, columns and text flow of a page (see the module docstring for the method).

    A page whose blocks have no bboxes gets its dump order, no columns and ``next`` along the dump (step
    ``unplaced``): the caller need not special-case text dumps.
    """
    geo = _geometry(page)
    ids = [b.id for b in page.blocks]
    if not geo:
        nxt = dict(zip(ids, ids[1:], strict=False))
        return Layout(order=tuple(ids), next=nxt, step=dict.fromkeys(nxt, STEP_UNPLACED))
    stats = _page_stats(page, geo)
    cw, lh = stats.column_width, stats.line_height
    boxes: list[_Box] = []
    for pos, b in enumerate(page.blocks):
        g = geo.get(b.id)
        if g is None:
            continue
        x0, top, x1, bottom = g
        sx = min(X_SHRINK * cw, 0.25 * (x1 - x0))
        sy = min(Y_SHRINK * lh, 0.25 * (bottom - top))
        n = _n_lines(b)
        text = n >= 2 and not _rotated(x1 - x0, bottom - top, n) and not (
            stats.body_font and b.font_size and b.font_size > 1.15 * stats.body_font)
        boxes.append(_Box(b.id, pos, x0, top, x1, bottom, x0 + sx, top + sy, x1 - sx, bottom - sy,
                          bool(text), n))
    ordered, steps = _leaves(_decompose(_widen_headings(boxes, stats), stats))
    order = [b.id for b in ordered]
    if len(order) < len(ids):  # blocks without bbox: after their dump predecessor, in dump order
        placed = set(order)
        after: dict[str | None, list[str]] = {}
        prev: str | None = None
        for bid in ids:
            if bid not in placed:
                after.setdefault(prev, []).append(bid)
            else:
                prev = bid
        full = list(after.get(None, []))
        for bid in order:
            full.append(bid)
            full.extend(after.get(bid, []))
        unplaced = {bid for v in after.values() for bid in v}
        for a, b in zip(full, full[1:], strict=False):
            if a in unplaced or b in unplaced:
                steps[a] = STEP_UNPLACED
        order = full
    column: dict[str, int] = {}
    span: dict[str, int] = {}
    for b in boxes:
        column[b.id], span[b.id] = _column_index(b.x0, b.x1, stats.columns)
    nxt = dict(zip(order, order[1:], strict=False))
    return Layout(
        order=tuple(order),
        columns=stats.columns,
        column=column,
        span=span,
        next=nxt,
        step={a: steps.get(a, STEP_BAND) for a in nxt},
        line_height=stats.line_height,
        body_font=stats.body_font,
        column_width=stats.column_width,
    )


def reading_order(page: Page, layout: Layout | None = None) -> Page:
    """A copy of the page with its blocks in reading order; ``index`` renumbered, ``id`` kept.

    Pages without any bbox are returned unchanged (the very same object), as is a page already in
    reading order with consecutive indexes. Pass ``layout`` when :func:`analyse` was already run.
    """
    if not any(_finite_bbox(b) is not None for b in page.blocks):
        return page
    lay = layout or analyse(page)
    by_id = {b.id: b for b in page.blocks}
    blocks = tuple(by_id[bid] for bid in lay.order)
    if blocks == page.blocks and all(b.index == i for i, b in enumerate(blocks)):
        return page
    return replace(page, blocks=tuple(b if b.index == i else replace(b, index=i) for i, b in enumerate(blocks)))


def column_of(page: Page) -> dict[str, int]:
    """Page column (0 = leftmost) of each block with a bbox; a spanning block gets its leftmost column.

    Columns come from clustering the left edges of body-width blocks (see :attr:`Layout.columns`); a
    column counts as covered by a block overlapping 30 % of it, so a headline bleeding into the gutter is
    not moved. Blocks without a bbox are absent from the result.
    """
    return dict(analyse(page).column)


def next_in_flow(page: Page) -> dict[str, str]:
    """For each block, the block that follows it in the text flow (the last block maps to nothing).

    Inside a column that is the block below; at the bottom of a column, the top of the next column of the
    same band; at the end of a band, the first block of the next band. As a join feature, the lead should
    weight ``b == next_in_flow[a]`` by :attr:`Layout.step` (``column`` and ``down`` are the strong ones:
    "bottom of one column -> top of the following column").
    """
    return dict(analyse(page).next)


# --------------------------------------------------------------------------------------------------------
# Heading evidence


def _clamp(x: float) -> float:
    return 0.0 if x <= 0 else 1.0 if x >= 1 else x


def _caps_share(text: str) -> tuple[int, float]:
    letters = [c for c in text if c.isalpha() and (c.isupper() or c.islower())]
    if not letters:
        return 0, 0.0
    return len(letters), sum(1 for c in letters if c.isupper()) / len(letters)


def heading_score(page: Page, layout: Layout | None = None) -> dict[str, float]:
    """Evidence in [0, 1], per block id, that the block is a heading (headline, kicker, section title).

    A heading is *short* and *set apart*; neither alone is enough (a short body line ends many paragraphs,
    a big initial or a wide table is set apart but long). So the score is a gate times a noisy-OR of cues::

        score = gate * (1 - (1 - size) * (1 - centred) * (1 - span) * (1 - caps) * (1 - rotated))

    Gate (shortness), the smaller of:

    * lines: 1 for one or two lines, then falling by ``1 / (2 + 3 * size)`` per extra line (a four-line
      headline in large type is plausible, a four-line block in body type is a paragraph);
    * length: 1 up to 80 character cells (a CJK character is two cells), 0 from 240, linear between.

    Cues (each in [0, 1]):

    * ``size``: font size relative to the page's body font (median by characters):
      ``clamp((ratio - 1.1) / 0.4)``, so 1.1x gives nothing and 1.5x is full evidence; 0 without sizes;
    * ``centred``: much narrower than its column (or than the columns it spans) *and* centred in it:
      ``narrow * centring`` with ``narrow = clamp((0.9 - width / column) / 0.3)`` and ``centring`` 1 when the
      offset of its centre from the column centre is at most 15 % of the free space beside it, 0 from
      50 %, linear between (a left-aligned last line or a right-aligned signature is narrow but not
      centred);
    * ``span``: 0.6 when it covers two or more page columns (a headline over an article's columns);
    * ``caps``: 0.6 when at least 80 % of at least 4 letters are capitals (FEUILLETON, ASSEMBLÉE...);
    * ``rotated``: 0.4 for a block set sideways (narrow and tall), usually a table heading.

    Geometry cues are 0 for blocks without a bbox, so text dumps are scored from typography alone (which
    is weak there: no font size either; the classify stage's text rules remain the main signal).
    Measured on BnL 1858 with :data:`HEADING_THRESHOLD` 0.5: see ``benchmarks/layout_bnl.py``.
    """
    lay = layout or analyse(page)
    body_font = lay.body_font
    columns = lay.columns
    scores: dict[str, float] = {}
    for b in page.blocks:
        n = _n_lines(b)
        size = 0.0
        if body_font and b.font_size:
            size = _clamp((b.font_size / body_font - 1.1) / 0.4)
        text = b.text.strip()
        cells = len(text) + sum(1 for c in text if is_wide(c))
        gate_lines = 1.0 if n <= 2 else _clamp(1 - (n - 2) / (2 + 3 * size))
        gate_len = _clamp((240 - cells) / 160)
        gate = min(gate_lines, gate_len)
        n_letters, upper = _caps_share(text)
        caps = 0.6 if n_letters >= 4 and upper >= 0.8 else 0.0
        centred = span = rotated = 0.0
        g = _finite_bbox(b)
        if g is not None and columns:
            x0, top, x1, bottom = g
            w, h = x1 - x0, bottom - top
            if _rotated(w, h, n):
                rotated = 0.4
            else:
                first, count = _column_index(x0, x1, columns)
                left, right = columns[first][0], columns[first + count - 1][1]
                host = max(right - left, 1e-9)
                if count >= 2:
                    span = 0.6
                narrow = _clamp((0.9 - w / host) / 0.3)
                slack = max((host - w) / 2, 1e-9)
                offset = abs((x0 + x1) / 2 - (left + right) / 2)
                centring = _clamp((0.5 - offset / slack) / 0.35)
                centred = narrow * centring
        evidence = 1 - (1 - size) * (1 - centred) * (1 - span) * (1 - caps) * (1 - rotated)
        scores[b.id] = round(gate * evidence, 4)
    return scores
