"""The data model shared by every pipeline stage.

All model objects are small frozen dataclasses: stages never mutate what an earlier stage produced, they
return new objects. That keeps runs deterministic and lets ``--explain`` show exactly what each stage saw.

Coordinates convention (one for the whole project): a :class:`BBox` is ``(x0, top, x1, bottom)`` measured
from the top-left corner of the page, in the unit of the source file (PDF points for JSON dumps, the ALTO
``MeasurementUnit`` for ALTO). ``x0 <= x1`` and ``top <= bottom``.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field


@dataclass(frozen=True, slots=True)
class BBox:
    """A rectangle from the top-left corner: ``x0``/``x1`` left/right, ``top``/``bottom`` vertical."""

    x0: float
    top: float
    x1: float
    bottom: float

    @property
    def width(self) -> float:
        return self.x1 - self.x0

    @property
    def height(self) -> float:
        return self.bottom - self.top


@dataclass(frozen=True, slots=True)
class Block:
    """One block of text as the extractor gave it.

    ``id`` is ``p{page}:{key}`` exactly as in the gold format: for a plain-text dump the key is the 0-based
    index among the page's non-empty blocks, for ALTO the ``TextBlock`` ``ID``, for the JSON dump the
    block's ``id``. ``index`` is the block's position in the dump (extraction order) on its page, whatever
    the key is. ``lines`` are the wrapped lines as read (after decoding and mojibake repair); ``text`` is the
    cleaned, single-line text the later stages work on (see :mod:`reassemble.clean`).
    """

    id: str
    page: int
    index: int
    text: str
    lines: tuple[str, ...] = ()
    bbox: BBox | None = None
    font_size: float | None = None
    confidence: float | None = None
    source: str = ""


@dataclass(frozen=True, slots=True)
class Page:
    """One printed page: its number, where it came from, and its blocks in dump order."""

    number: int
    source: str
    blocks: tuple[Block, ...]
    width: float | None = None
    height: float | None = None
    input_format: str = "text"
    #: The publication's title when the container names it (a METS file's MODS title), else None.
    paper: str | None = None


class Role(enum.StrEnum):
    """The role a block plays in its article; values are the gold format's role names."""

    BODY = "body"
    KICKER = "kicker"
    HEADLINE = "headline"
    SUBHEADLINE = "subheadline"
    KICKER_HEADLINE = "kicker+headline"
    BYLINE = "byline"
    SUBHEAD = "subhead"
    SUMMARY_LABEL = "summary_label"
    SUMMARY = "summary"
    CAPTION = "caption"
    CREDIT = "credit"
    JUMP_FROM = "jump_from"
    JUMP_TO = "jump_to"
    JUMP_HEADLINE = "jump_headline"
    FURNITURE = "furniture"


class JumpDirection(enum.StrEnum):
    """``out``: the article goes on elsewhere (下转, Continued on); ``in``: it comes from elsewhere (上接)."""

    OUT = "out"
    IN = "in"


@dataclass(frozen=True, slots=True)
class JumpMarker:
    """A jump line found in a block: where it points and which characters of the block it covers.

    ``start``/``end`` index into the block's cleaned ``text``; a marker standing alone covers the whole block.
    ``page`` is ``None`` when the target is written but cannot be read as a page number.
    """

    direction: JumpDirection
    page: int | None
    start: int
    end: int
    text: str
    keyword: str = ""


@dataclass(frozen=True, slots=True)
class Join:
    """A decision that block ``b`` continues the paragraph that block ``a`` broke off.

    ``score`` is in [0, 1]; ``features`` are the named evidence values the score was computed from, kept so
    that every join can be explained and audited. ``accepted`` is False for scored candidates that were
    rejected (kept only for ``--explain``).
    """

    a: str
    b: str
    score: float
    features: Mapping[str, float] = field(default_factory=dict)
    accepted: bool = True
    cross_page: bool = False


@dataclass(frozen=True, slots=True)
class Paragraph:
    """One output body paragraph with its provenance: the blocks it was built from and their pages."""

    text: str
    blocks: tuple[str, ...]
    pages: tuple[int, ...]


@dataclass(frozen=True, slots=True)
class Article:
    """A reassembled article.

    ``blocks`` lists every block of the article in reading order, role blocks included (as in the gold
    format); ``roles`` gives the role of each block that is not plain body. ``paragraphs`` are the body after
    joining. ``confidence`` is the lowest score among the decisions that built the article (1.0 when none
    needed a score).
    """

    id: str
    kind: str
    blocks: tuple[str, ...]
    roles: Mapping[str, Role]
    paragraphs: tuple[Paragraph, ...]
    kicker: str | None = None
    headline: str | None = None
    subheadline: str | None = None
    byline: tuple[str, ...] = ()
    dateline: str | None = None
    summary: str | None = None
    joins: tuple[Join, ...] = ()
    starts_complete: bool = True
    ends_complete: bool = True
    continued_from: int | None = None
    continues_to: int | None = None
    pages: tuple[int, ...] = ()
    lang: str = "zh"
    confidence: float = 1.0
    markers: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()

    @property
    def body(self) -> tuple[str, ...]:
        return tuple(p.text for p in self.paragraphs)


@dataclass(frozen=True, slots=True)
class Candidate:
    """One option weighed by a decision, with its score and the features behind it."""

    target: str
    score: float
    features: Mapping[str, float] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Decision:
    """A scored choice the pipeline made, for ``--explain``: what was decided, among what, and why."""

    kind: str
    subject: str
    chosen: str | None
    candidates: tuple[Candidate, ...] = ()
    note: str = ""


@dataclass(frozen=True, slots=True)
class Edition:
    """The result of a run: pages read, articles in page then reading order, and what was not assigned."""

    pages: tuple[Page, ...]
    articles: tuple[Article, ...]
    unassigned: tuple[str, ...] = ()
    decisions: tuple[Decision, ...] = ()
    lang: str = "zh"
    paper: str | None = None
    problems: tuple[str, ...] = ()

    def block(self, block_id: str) -> Block:
        """The block with this id (raises ``KeyError`` when there is none)."""
        for page in self.pages:
            for block in page.blocks:
                if block.id == block_id:
                    return block
        raise KeyError(block_id)

    @property
    def page_numbers(self) -> tuple[int, ...]:
        return tuple(p.number for p in self.pages)
