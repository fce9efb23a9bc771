"""Stage 3, classify: what each block looks like on its own.

A block is tagged with its *apparent* kind: headline-like, body, byline, credit, summary label, jump
marker, page furniture. Whether a headline-like block is a kicker, a headline, a subheadline, an in-body
subhead or a photo title depends on its neighbours and is settled in :mod:`reassemble.assemble`. The
patterns here are about newspaper conventions (datelines, credit lines, jump lines), never about the
words of a particular page.
"""

from __future__ import annotations

import enum
import re
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from functools import lru_cache

from .clean import fullwidth_punct
from .config import Config
from .lexicon import cjk_tail, is_noun_word
from .markers import find_markers, is_marker_block
from .model import Block, JumpDirection, JumpMarker
from .textutil import CJK_CLASS, CLOSERS, cjk_share, count_wide, ends_sentence, is_wide, leads_in, strip_closers


class Kind(enum.StrEnum):
    """Apparent kind of a block before assembly."""

    BODY = "body"
    HEADLINE = "headline-like"
    BYLINE = "byline"
    CREDIT = "credit"
    SUMMARY_LABEL = "summary-label"
    JUMP = "jump"
    FURNITURE = "furniture"


# -- Chinese newspaper conventions --------------------------------------------------------------------

_TITLES = ("本报特约记者", "本报见习记者", "本报实习生", "本报记者", "本报通讯员", "新华社记者", "新华社通讯员",
           "特约记者", "见习记者", "实习记者", "首席记者", "记者", "通讯员", "实习生", "特约撰稿人", "撰稿人",
           "摄影记者", "摄影", "文", "图")
_TITLE_RE = "|".join(sorted(map(re.escape, _TITLES), key=len, reverse=True))
_NAME = r"[\u4e00-\u9fff·]{2,5}"
#: A stand-alone byline block: one or more "title name name" groups and nothing else.
_TITLED = re.compile(rf"^({_TITLE_RE})(.*)$")
_BYLINE_RE = re.compile(rf"^(?:{_TITLE_RE})\s*{_NAME}(?:\s+(?:(?:{_TITLE_RE})\s*)?{_NAME})*$")
#: A photo credit: names (with or without a title) followed by 摄 / 摄影 / 供图 / 制图 / 图.
#: Names are separated by white space (a title may be glued to its name), which keeps the pattern linear.
_CREDIT_RE = re.compile(rf"^(?:(?:{_TITLE_RE})\s*)?{_NAME}(?:\s+(?:(?:{_TITLE_RE})\s*)?{_NAME})*\s*"
                        r"(?:摄|摄影|供图|制图|绘)$|^[（(]?(?:资料图片|新华社发|视觉中国)[）)]?$")
#: A dateline lead: 本报讯, 本报北京11月20日电, 新华社北京11月20日电, optionally followed by
#: ``(记者 X 通讯员 Y)``. Group ``dateline`` is the dateline, ``credits`` the bracketed people.
_LEAD_RE = re.compile(
    r"^(?P<dateline>本报讯|(?:本报|新华社|中新社|中新网|人民网|央视网|据新华社)[\u4e00-\u9fff]{0,12}"
    r"(?:\d{1,2}|[一二三四五六七八九十]{1,3})月(?:\d{1,2}|[一二三四五六七八九十]{1,3})日(?:电|讯))"
    r"\s*(?:[（(](?P<credits>[^（）()]{1,60})[）)])?"
)
#: Labels that introduce an article's summary box.
_SUMMARY_LABELS = {"阅读提示", "核心提示", "编者按", "内容提要", "导读", "提要", "编者的话", "阅读指引"}
#: Page furniture: running heads with a date and weekday, editor lines, page labels.
_FURNITURE_RE = re.compile(
    r"(?:^(?:责任编辑|本版编辑|美术编辑|版式设计|校对|本版责编|责编)[：:\s])"
    r"|(?:\d{4}年\d{1,2}月\d{1,2}日\s*星期[一二三四五六日天])"
    r"|(?:^第?\s*\d{1,3}\s*版$)"
    # a date alone (a paragraph's dateline never is a whole block), an e-mail address or web address alone
    r"|(?:^\d{4}\s*年\s*\d{1,2}\s*月\s*\d{1,2}\s*日$)"
    r"|(?:^(?:e-?mail|电子邮箱|邮箱|网址|投稿邮箱)?\s*[:：]?\s*[\w.+-]+@[\w-]+(?:\.[\w-]+)+$)"
    r"|(?:^(?:https?://|www\.)\S+$)"
    # Latin-script running heads and imprints: issue numbers with a weekday, printer's lines.
    r"|(?:^(?:Nr|No|N°|Nro|Num)\.?\s*\d+\.?\s*[-—–]?\s*(?:Montag|Dienstag|Dinstag|Mittwoch|Donnerstag|Freitag|"
    r"Samstag|Sonnabend|Sonntag|lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|Monday|Tuesday|Wednesday|"
    r"Thursday|Friday|Saturday|Sunday))"
    r"|(?:\b(?:imprimeur|Druck und Verlag|Drucker und Verleger|printed and published by|gérant responsable)\b)",
    re.IGNORECASE,
)
#: Quotes and brackets that must pair up, opener to closer.
OPENERS = {"“": "”", "《": "》", "（": "）", "(": ")", "‘": "’", "「": "」", "『": "』", "【": "】"}
#: The opener each closer of :data:`OPENERS` closes.
OPENER_OF = {v: k for k, v in OPENERS.items()}
#: Any of :data:`OPENERS`' characters: the balance scans read only these, not every character of a block.
BRACKETS = re.compile("[" + re.escape("".join(OPENERS) + "".join(OPENERS.values())) + "]")
_INNER_STOPS = re.compile(r"[。！？!?；;]")
#: Compiled once: these run on every block of every page.
_COMMAS = re.compile("[，,、]")
_CLAUSE_BREAK = re.compile("[，、,；;：:]")
#: Full stops and closers that Chinese typesetting hangs past the column's end rather than let them open
#: the next line: a last line one cell wider than the column that ends on one of them still fills it.
#: Composed medium text tune pages: join F1 0.9799 -> 0.9808 (full stops then reach ``_closed_full``),
#: articles_exact unchanged. Clause marks (``，、；：``) are left out: counted too, composed hard text
#: articles_exact fell 0.4536 -> 0.4517 (a clause-end's ``a_fills_column`` lifted wrong joins).
_HANGING = frozenset("。！？…”’）》」』】〉")
_LABEL_MARKS = re.compile(r"[，。、；：？！,.;:?!“”\"]")

#: Characters that cannot end a headline, kicker or kicker line: conjunctions, particles, prepositions
#: (a text stopping on one was cut before the word it leads to).
FUNCTION_END = frozenset("和与及的在对为把被向从以并或之等而且则")


@dataclass(frozen=True, slots=True)
class Lead:
    """A dateline lead at the start of a body block: its dateline and the people it credits."""

    dateline: str
    bylines: tuple[str, ...]
    end: int


@dataclass(frozen=True, slots=True)
class Tag:
    """A block with what it looks like: kind, lead, jump marker, and whether it ends/starts open."""

    block: Block
    kind: Kind
    lead: Lead | None = None
    marker: JumpMarker | None = None
    open_end: bool = False
    latin: bool = False
    #: Line geometry of text dumps that keep a column's lines: the first line fills the column (the block
    #: continues a paragraph), the first line is indented or short (it starts one), the last line fills the
    #: column (the text was cut at the column bottom).
    first_full: bool = False
    indented: bool = False
    last_full: bool = False

    @property
    def id(self) -> str:
        return self.block.id

    @property
    def text(self) -> str:
        return self.block.text

    @property
    def body_text(self) -> str:
        """The text without a jump marker cut from its start or end (the marker is provenance)."""
        m = self.marker
        if m is None or self.kind is Kind.JUMP:
            return self.block.text
        return (self.block.text[: m.start] + self.block.text[m.end :]).strip()


def split_people(text: str) -> tuple[str, ...]:
    """``记者柳姗姗 彭冰 通讯员姚远`` -> ``("记者 柳姗姗", "记者 彭冰", "通讯员 姚远")``.

    A title applies to the names after it until the next title, as in printed credit lines.
    """
    out: list[str] = []
    title = ""
    for token in text.replace("　", " ").split():
        m = _TITLED.match(token)
        if m:
            title, name = m.group(1), m.group(2)
            if name:
                out.append(f"{title} {name}")
        elif token:
            out.append(f"{title} {token}".strip())
    return tuple(out)


def parse_lead(text: str) -> Lead | None:
    """The dateline lead at the start of ``text``, if any (``本报讯(记者鹿慧敏 通讯员蒋少莹)``)."""
    m = _LEAD_RE.match(text)
    if not m:
        return None
    credits = m.group("credits") or ""
    people = split_people(credits) if credits and re.search(_TITLE_RE, credits) else ()
    return Lead(dateline=m.group("dateline"), bylines=people, end=m.end())


@lru_cache(maxsize=8192)
def unbalanced(text: str) -> tuple[tuple[str, ...], int]:
    """Openers left open at the end of ``text`` (in order) and the number of closers without opener.

    Cached: join scoring asks this of the same block for every candidate partner."""
    stack: list[str] = []
    stray = 0
    for ch in BRACKETS.findall(text):
        if ch in OPENERS:
            stack.append(ch)
        elif ch in OPENER_OF:
            if stack and stack[-1] == OPENER_OF[ch]:
                stack.pop()
            elif OPENER_OF[ch] in stack:
                while stack and stack[-1] != OPENER_OF[ch]:
                    stack.pop()
                stack.pop()
            else:
                stray += 1
    return tuple(stack), stray


def dash_kicker_lines(lines: Sequence[str]) -> int:
    """How many of a block's lines are a kicker ending in ``——`` above its headline: the lines up to the
    last line but one that ends in the dash, or 0. A long kicker wraps (``…源头治理和多元`` / ``化解——``)
    and so may a headline; the dash is where one ends and the other starts."""
    lines = [x for x in lines if x.strip()]
    return next((i + 1 for i in range(len(lines) - 2, -1, -1) if leads_in(lines[i])), 0)


def _headline_like(text: str, lines: tuple[str, ...], config: Config, latin: bool) -> bool:
    """Short, not ending a sentence, balanced, no sentence break inside: a headline, kicker or subhead."""
    core = text.replace(" ", "")
    if not core or len(lines) > 3:
        return False
    if latin:
        return _latin_heading(text, lines, config)
    if dash_kicker_lines(lines) and all(len(x.replace(" ", "")) <= config.headline_max_chars for x in lines):
        return True  # a kicker ending in a dash (on one line or wrapped over two) over its headline
    if core.endswith("——") and len(core) <= 2 * config.headline_max_chars:
        return True  # a kicker leading into its headline (a long one wraps at the column)
    if len(core) > config.headline_max_chars:
        return False
    if opens_paragraph(text):
        return False
    if core[-1] in FUNCTION_END:
        return False  # ``…副主席闫毅和``: a line cut before the word the conjunction leads to
    if core[-1] in "，、；,;":
        return False  # ``城阳区总采取共享化运营、``: a clause that goes on, never the end of a headline
    if ends_sentence(text) and not (strip_closers(text)[-1:] in "！？!?" and len(core) <= 24):
        return False
    open_, stray = unbalanced(text)
    if open_ or stray:
        return False
    inner = strip_closers(text)[:-1]
    # Headlines carry at most one clause break, and only when short; a text with two, or a long one
    # with a comma or enumeration mark, is a cut piece of a paragraph.
    breaks = len(_COMMAS.findall(inner))
    return not _INNER_STOPS.search(inner) and breaks < 2 and (breaks == 0 or len(core) <= 24)


def _latin_heading(text: str, lines: tuple[str, ...], config: Config) -> bool:
    """A Latin-script heading: a line or two of at most ``headline_max_words`` words that starts with a
    capital (or a digit/bracket) and does not stop on a comma, semicolon or hyphen. Nineteenth-century
    papers end their headings with a full stop (``Revue politique.``), so a final ``.`` is allowed when
    there is no other sentence mark inside."""
    words = text.split()
    stripped = text.strip()
    if not words or len(words) > config.headline_max_words or len(lines) > 2:
        return False
    if stripped.endswith((",", ";", "-", ":")) or not (stripped[0].isupper() or stripped[0] in "(«\"'" or
                                                         stripped[0].isdigit()):
        return False
    inner = stripped.rstrip(".!?»\"')")
    if re.search(r"[.!?;]\s+[A-ZÀ-Ý]", inner) or inner.count(",") > 1:
        return False
    return not (stripped.endswith(".") and len(words) > 8)


def classify_block(block: Block, config: Config, heading: float | None = None) -> Tag:
    """Tag one block with its apparent kind (see :class:`Kind`).

    ``heading`` is the layout's typographic evidence that the block is a heading (font size, centring,
    spanning columns; see :func:`reassemble.layout.heading_score`), or None for dumps without geometry.
    Strong typographic evidence makes a short block headline-like even when its text alone would not
    (Latin headings ending in a full stop); its absence vetoes a multi-line block the text rules took for
    a headline.
    """
    text = block.text
    latin = cjk_share(text) < 0.3
    marker = is_marker_block(text)
    if marker is not None:
        return Tag(block, Kind.JUMP, marker=marker, latin=latin)
    compact = text.replace(" ", "").replace("　", "")
    if compact in _SUMMARY_LABELS or compact.rstrip("：:") in _SUMMARY_LABELS:
        return Tag(block, Kind.SUMMARY_LABEL, latin=latin)
    if len(compact) <= 40 and _CREDIT_RE.match(text.strip()):
        return Tag(block, Kind.CREDIT, latin=latin)
    if len(compact) <= 60 and (_BYLINE_RE.match(text.strip()) or (
            len(block.lines) > 1 and all(_BYLINE_RE.match(x.strip()) for x in block.lines))):
        return Tag(block, Kind.BYLINE, latin=latin)
    if len(compact) <= 60 and _FURNITURE_RE.search(text):
        return Tag(block, Kind.FURNITURE, latin=latin)
    markers = find_markers(text)
    edge = next((m for m in markers if m.start == 0 or m.end >= len(text.rstrip())), None)
    lead = parse_lead(text[edge.end :].lstrip() if edge and edge.start == 0 else text)
    body = text
    if edge is not None:
        body = (text[: edge.start] + text[edge.end :]).strip()
    looks = _headline_like(text, block.lines, config, latin)
    if heading is not None:
        if heading >= config.heading_yes and len(text.split()) <= 3 * config.headline_max_words:
            looks = True
        elif heading <= config.heading_no and (len(block.lines) > 1 or latin):
            looks = False
    if lead is None and edge is None and looks:
        return Tag(block, Kind.HEADLINE, latin=latin)
    return Tag(block, Kind.BODY, lead=lead, marker=edge, open_end=not ends_sentence(body), latin=latin)


#: Longest section label (``维权``, ``工会新闻``; a page number beside it, ``6工会新闻``, not counted) that
#: the furniture pass takes for page furniture next to a running head. Six characters, page number
#: included, let short jump headlines and kickers at the top of a page (``职工创新成果``, ``甲状腺彩超``)
#: become furniture. Composed tune pages, articles_exact, 6 with the number -> 4 without: easy text
#: 0.9804 -> 0.9905, medium text 0.9301 -> 0.9325 (seeds 200-399) and 0.9150 -> 0.9213 (400-599), hard
#: text 0.4686 -> 0.4713, medium JSON 0.9794 -> 0.9872, easy JSON 0.987 -> 0.997; seed variants and real
#: pages unchanged. (5 with the number counted: easy 0.9877; 4 with it: hard text fell to 0.4571, as
#: ``6工会新闻`` became a head.)
SECTION_LABEL_MAX = 4


def classify_page(blocks: tuple[Block, ...], config: Config,
                  heading: dict[str, float] | None = None) -> tuple[Tag, ...]:
    """Tag every block of a page, in dump order (``heading``: layout evidence per block id, if any).

    A second look settles page furniture that only its neighbours reveal: a bare page number, and a
    tiny label (a section name such as ``维权``) right next to a running head. After that, a one-line CJK
    block that reads like a headline but has no typographic mark of one (body type, not centred, not
    spanning columns: heading score at most ``heading_no``) is body: a paragraph's first or last line cut
    off at a column bottom (``党组书记任召集人的联席会议``). Chinese papers set headlines, kickers and
    subheads larger or centred. Composed JSON pages (tune seeds, 300 pages per level), articles_exact:
    easy 0.960 -> 0.977, medium 0.930 -> 0.959, hard 0.927 -> 0.933. It comes after the furniture pass,
    which needs the running head's short section label to look like a headline.
    """
    tags = [classify_block(b, config, heading.get(b.id) if heading else None) for b in blocks]
    widths = [tuple(map(line_width, b.lines)) for b in blocks]  # measured once, read by both passes
    width = _column_width(blocks, widths)
    if width:
        tags = [_with_lines(t, width, w, config, plain=heading is None) for t, w in zip(tags, widths, strict=True)]
        _first_lines_as_body(tags, widths)
    for i, t in enumerate(tags):
        compact = t.text.replace(" ", "")
        if t.kind is Kind.FURNITURE or not compact:
            continue
        near = any(0 <= j < len(tags) and tags[j].kind is Kind.FURNITURE for j in (i - 1, i + 1))
        if i + 1 < len(tags) and tags[i + 1].kind is Kind.JUMP:
            near = False  # a short jump headline over its jump-in line
        tiny = len(compact.strip("0123456789")) <= SECTION_LABEL_MAX and not _LABEL_MARKS.search(compact)
        if compact.isdigit() and len(compact) <= 3 or (near and tiny and t.kind is Kind.HEADLINE):
            tags[i] = Tag(t.block, Kind.FURNITURE, latin=t.latin)
        elif (heading is not None and t.kind is Kind.HEADLINE and not t.latin and len(t.block.lines) == 1
              and heading.get(t.id, 1.0) <= config.heading_no):
            tags[i] = _as_body(t)
        elif t.kind is Kind.HEADLINE and not t.latin and i + 1 < len(tags) \
                and jump_direction(tags[i + 1]) is JumpDirection.OUT and not ends_sentence(t.text):
            # The text right over a jump-out line is where the article stops to go on elsewhere, never
            # a headline (``新业态企业也感受到了工`` / ``（下转第4版）``).
            tags[i] = _as_body(t)
    return tuple(tags)


def _as_body(tag: Tag) -> Tag:
    """``tag`` retagged as body text, its line geometry kept (a headline-like tag has no lead and no
    marker to carry over)."""
    return replace(tag, kind=Kind.BODY, open_end=not ends_sentence(tag.text))


#: Sentence-initial connectives and time phrases that open a Chinese news paragraph ("据悉，", "目前，",
#: "9月21日，"): a block starting with one begins a paragraph, so it is neither a continuation nor a headline.
_OPENER_RE = re.compile(
    r"^(?:据悉|据介绍|据了解|据统计|据报道|目前|此外|同时|近日|日前|此前|另外|另据|其中|对此|为此|然而|但是|因此|"
    r"首先|其次|再次|最后|近年来|近期|今年以来|今年|去年|当天|当日|随后|此后|与此同时|值得一提的是|"
    r"(?:\d{4}年)?\d{1,2}月(?:\d{1,2}日)?(?:上午|下午|晚)?)[，,]"
)


@lru_cache(maxsize=8192)
def opens_paragraph(text: str) -> bool:
    """Does ``text`` start like a new paragraph of Chinese news (a connective or date, then a comma)?

    Cached: join scoring asks this of the same block for every candidate start."""
    return bool(_OPENER_RE.match(text.lstrip()))


#: Two to four Chinese characters, then an enumeration comma or a sentence end: "制度。在此基础上",
#: "副主任、自治区". No sentence is that short and no list opens a paragraph without its first item, so
#: a block that starts so is the tail of a cut sentence (composed pages and seed-page variants: 306 such
#: blocks continue a paragraph, 6 do not; after a plain comma the count is 355 to 3,482, so the comma is
#: left out: "目前，" and "据介绍，" open paragraphs). A sentence of five to eight characters closed by a
#: full stop or semicolon is as telling ("和医疗义诊服务。": 145 to 6); after an enumeration comma it is
#: not ("在聚焦重点区域、行业…" opens a paragraph), nor before a question or exclamation mark.
_SHORT_FIRST_CLAUSE = re.compile(f"([{CJK_CLASS}]{{2,4}})[、。；！？;!?]|([{CJK_CLASS}]{{5,8}})[。；;]")
#: ...unless it is a list enumerator ("一、", "第三、"), which may open a paragraph (as may a lone one).
_ENUMERATOR = re.compile("[第其]?[一二三四五六七八九十百零〇两]+")
#: The evidence a short first clause gives (strong, though less than a lone character's).
START_SHORT_CLAUSE = 0.9
#: A first clause before a plain comma that is one noun, numeral or verbal noun of jieba's dictionary
#: (``建设工程，``, ``万元，``): connectives, time words and pronouns open paragraphs so (``同时，``, ``会上，``,
#: ``其中，``), things and amounts do not. Composed pages and seed-page variants: 94 such blocks continue
#: a paragraph, 2 do not (paragraph openers that ``opens_paragraph`` knows are not counted).
_SHORT_COMMA_CLAUSE = re.compile(f"([{CJK_CLASS}]{{2,4}})[，,]")
START_NOUN_CLAUSE = 0.8


@lru_cache(maxsize=8192)
def starts_open(text: str) -> float:
    """Evidence in [0, 1] that ``text`` starts in the middle of a sentence.

    A stray closing quote or bracket before any opener (``匠”“滕州工匠”``), a first character that cannot
    start a sentence (a comma, a particle such as ``的``), or a single character before a clause mark
    (``岗，``) are strong; a lower-case Latin start is strong for Latin text; so is a first clause of two
    to four characters closed by an enumeration comma or a sentence end (``制度。``, ``副主任、``), or a
    first sentence of five to eight (``和医疗义诊服务。``). A noun of the dictionary before a comma
    (``建设工程，``) is good evidence, unless the block opens like a paragraph."""
    s = text.lstrip()
    if not s:
        return 0.0
    first = s[0]
    if first in "，。、；：？！,.;:?!" + CLOSERS.replace('"', "").replace("'", ""):
        return 1.0
    if first in "的了着地得之们吗呢吧啊":
        return 0.8
    if len(s) > 1 and is_wide(first) and s[1] in "，。、；：,;:" and not _ENUMERATOR.fullmatch(first):
        return 1.0  # a lone character before a clause mark ends a word cut at the column: "岗，方便"
    head = s[:40]
    _open, stray = unbalanced(re.split(r"[“《（(‘「『【]", head, maxsplit=1)[0])
    if stray:
        return 1.0
    if first.isalpha() and first.islower():
        return 0.9
    short = _SHORT_FIRST_CLAUSE.match(s)
    if short and not _ENUMERATOR.fullmatch(short.group(1) or ""):
        return START_SHORT_CLAUSE
    noun = _SHORT_COMMA_CLAUSE.match(s)
    if noun and is_noun_word(noun.group(1)) and not opens_paragraph(s):
        return START_NOUN_CLAUSE
    return 0.0


def line_width(line: str) -> float:
    """Width of a line as the page printed it, in CJK cells: wide characters 1, others 0.5 (as a column
    sets them). A half-width ``, ; : ? ! ( )`` next to Chinese text counts as the full-width mark it was
    in print (:func:`~reassemble.clean.fullwidth_punct`): extractors often give the half-width code
    point, and a line with three such commas is not narrower on the page. Measured raw, such lines
    scattered around the column width, and the indent and full-line tests misread them. Composed tune
    pages, articles_exact: medium text 0.913 -> 0.918 (join F1 0.981 -> 0.985), easy 0.978 -> 0.980,
    hard 0.454 -> 0.454, medium JSON 0.974 -> 0.979 (JSON blocks keep their lines too)."""
    text = fullwidth_punct(line.strip())
    wide = count_wide(text)
    return wide + 0.5 * (len(text) - wide)  # exact: halves and wholes of small counts


def _column_width(blocks: Sequence[Block], line_widths: Sequence[Sequence[float]]) -> float | None:
    """The body column width of a page, in cells: the most common width of the non-final lines of
    multi-line blocks, when such lines dominate (dumps that keep a column's line breaks).
    ``line_widths`` are the :func:`line_width` of each block's lines."""
    widths = [round(w) for b, ws in zip(blocks, line_widths, strict=True) if len(b.lines) >= 3 for w in ws[:-1]]
    if len(widths) < 20:
        return None
    common, count = Counter(widths).most_common(1)[0]
    return float(common) if count >= 0.4 * len(widths) else None


#: Indented paragraphs a page needs before their first-line width is trusted (see
#: :func:`_first_lines_as_body`). Composed pages have dozens; a seed-page variant with four (722) lost a
#: 16-cell headline to a first-line width of 16.5. At 5: that variant is right again, composed medium
#: text articles_exact 0.902 -> 0.901 against 3; at 8: 0.898.
MIN_INDENTED = 5


def _indent_mode(first_widths: Iterable[float]) -> tuple[int, float]:
    """How many of the indented first lines share the commonest width, and that width: the centre of the
    commonest one-cell window (half-width digits and marks spread the widths by halves: ``10.0``,
    ``10.5``, ``11.0``). ``(0, 0.0)`` without indented lines."""
    firsts = Counter(first_widths)
    if not firsts:
        return 0, 0.0
    count, _, first = max((sum(n for x, n in firsts.items() if abs(x - w) <= 0.5), n, w)
                          for w, n in firsts.items())
    return count, first


#: Share of a page's multi-line body blocks whose indented first lines must share one width (besides
#: ``MIN_INDENTED`` of them) for the page to count as indenting its paragraphs (:func:`indents_paragraphs`).
#: Composed pages that indent have a third to three quarters (of 16 to 28 blocks). A margin, not a tuned
#: value: tune figures are the same at 0 and 0.3, since no tune page has a few indented-looking first
#: lines among many flush ones any more (the seed-page rewraps had up to 7 of about 45, all narrowed by
#: half-width commas, before :func:`line_width` measured those full-width).
INDENT_SHARE = 0.3


def indents_paragraphs(tags: Sequence[Tag]) -> bool:
    """Does the page mark paragraph starts by an indent, so that a block whose first line fills the column
    (``first_full``, not ``indented``) certainly goes on with a paragraph begun elsewhere? That needs a
    column width (``first_full`` and ``indented`` are only set with one), at least ``MIN_INDENTED``
    indented first lines of one width, and those make ``INDENT_SHARE`` of the page's multi-line body
    blocks."""
    count, _ = _indent_mode(line_width(t.block.lines[0]) for t in tags if t.indented)
    body = sum(1 for t in tags if t.kind is Kind.BODY and len(t.block.lines) >= 2)
    return count >= MIN_INDENTED and count >= INDENT_SHARE * body


def _first_lines_as_body(tags: list[Tag], line_widths: Sequence[Sequence[float]]) -> None:
    """Retag (in place) as body a one-line headline-like block that is a paragraph's first line cut off
    at a column foot: as wide as the page's indented first lines (the column less its indent) and
    followed by a block whose first line fills the column (the paragraph going on in the next column).
    A headline is set on its own measure, and the text under one opens a paragraph, indented. Composed
    tune pages (seeds 200-299 per level), blocks within half a cell of the commonest first-line width
    (half-width digits and marks move a line by halves): 18 (easy), 30 (medium) and 36 (hard) such
    blocks are paragraph text, 1 (a hard page's subhead) is not; within a quarter cell it is 50 to 0,
    within a whole cell 84 to 3. Medium text articles_exact 0.892 -> 0.898 (with ``MIN_INDENTED``),
    join F1 0.968 -> 0.971.

    Two lines, the first as wide as the indented first lines and the second filling the column, that
    stop on a character are a paragraph's first two lines cut at a column foot (medium tune pages
    200-399: 12 such headline-like blocks, all of them joined to the next block in the gold). Without
    the indent it is no evidence: a two-line headline set on the column's measure looks the same.
    The first-line width is that of :func:`_indent_mode`. Both: medium text tune articles_exact 0.909 ->
    0.910, hard 0.449 -> 0.450; other levels, JSON and the real pages unchanged."""
    count, first = _indent_mode(ws[0] for t, ws in zip(tags, line_widths, strict=True) if t.indented)
    if count < MIN_INDENTED:
        return
    for i in range(len(tags) - 1):
        t, nxt = tags[i], tags[i + 1]
        ws = line_widths[i]
        if t.kind is not Kind.HEADLINE or t.latin or abs(ws[0] - first) > 0.5:
            continue
        if len(ws) == 1 and nxt.kind is Kind.BODY and nxt.first_full or (
                len(ws) == 2 and t.last_full and cjk_tail(t.text, 1)):
            tags[i] = replace(_as_body(t), indented=True)


def _with_lines(tag: Tag, width: float, line_widths: Sequence[float], config: Config, *, plain: bool) -> Tag:
    """Line-geometry evidence for one tag (see :class:`Tag`), and a veto on headline-likeness for blocks
    whose lines fill the body column (headlines are set on their own measure). ``line_widths`` are the
    :func:`line_width` of the block's lines.

    The other way round, in a dump without geometry (``plain``), a block of up to four lines that runs
    past the column (by more than a hung mark) and reads like heading text (no sentence end, inside or
    at the end; at most two headlines long) is set on a head's measure: a kicker and headline printed
    together and wrapped (``来自云南省第一人民医院 科普了一些疑难杂症知`` / ``识`` / ``云南劳模“心与心愿”送医疗健康活``
    / ``动启动``). Body lines never run past the column but for hung marks and the odd over-set line of a
    quotation, which carries a full stop. Composed text pages, articles_exact: medium 0.9282 -> 0.9301
    (seeds 200-399) and 0.9099 -> 0.9150 (400-599), hard 0.4612 -> 0.4686 and 0.4279 -> 0.4319; easy,
    seed variants and real pages unchanged. With geometry (JSON, ALTO) the layout's heading evidence
    decides instead: applied there too, the rule cost medium JSON 0.979 -> 0.978."""
    lines = [x for x in tag.block.lines if x.strip()]
    if tag.latin:
        return tag
    w = [lw for x, lw in zip(tag.block.lines, line_widths, strict=True) if x.strip()]
    if len(lines) == 1:
        # One line that fills the column and carries a clause break is a piece of a paragraph cut at the
        # column bottom, not a headline (headlines are set on their own measure).
        if tag.kind is Kind.HEADLINE and abs(w[0] - width) <= 0.5 and _CLAUSE_BREAK.search(tag.text):
            return replace(tag, kind=Kind.BODY, open_end=not ends_sentence(tag.body_text), last_full=True)
        return tag
    first_full = abs(w[0] - width) <= 0.5 and abs(w[1] - width) <= 1.0
    indented = w[0] <= width - 1.5 and w[1] >= width - 1.0
    last_full = abs(w[-1] - width) <= 0.5 or 0.5 < w[-1] - width <= 1.0 and lines[-1].rstrip()[-1:] in _HANGING
    kind = tag.kind
    punctuated = bool(_CLAUSE_BREAK.search(tag.text))
    if kind is Kind.HEADLINE and all(abs(x - width) <= 1.0 for x in w[:-1]) and (
            len(lines) >= 3 or punctuated) and not leads_in(tag.text):
        kind = Kind.BODY  # (a kicker leading into its headline with a dash may wrap at the column too)
    elif plain and kind is Kind.BODY and tag.lead is None and tag.marker is None and len(lines) <= 4 \
            and max(w) > width + 1.5 and not ends_sentence(tag.text) and not _INNER_STOPS.search(tag.text) \
            and len(tag.text.replace(" ", "")) <= 2 * config.headline_max_chars:
        kind = Kind.HEADLINE
    return replace(tag, kind=kind, first_full=first_full, indented=indented, last_full=last_full,
                   open_end=not ends_sentence(tag.body_text) if kind is Kind.BODY else tag.open_end)


def jump_direction(tag: Tag) -> JumpDirection | None:
    """The direction of the tag's jump marker, if it has one."""
    return tag.marker.direction if tag.marker else None
