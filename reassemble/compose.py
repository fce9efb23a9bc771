"""Deterministic synthetic editions with exact gold, to tune and benchmark the reassembly pipeline.

Why a composer: one real annotated page (the seed, 工人日报 page 2) is far too little to tune thresholds
on, and annotating real pages by hand is slow and error-prone. The composer lays *real corpus text* out the
way a newspaper does and then "extracts" it the way a PDF/OCR tool does, so the article, role and column
cut of every block is known exactly. The same arguments always give byte-identical files, so a benchmark
number can be reproduced and a regression traced to one edition.

Sources
-------
:func:`load_source_articles` reads clean articles from gold files (``reassemble-gold/1``) and the page
dumps they name: kicker, headline, subheadline, byline, body paragraphs, in-body subheads (with the
paragraph they precede), 阅读提示 summary, photo credit. No outside text is used.
:class:`SourceArticle` has a ``lang`` field as the hook for Latin-script corpora later (wrapping and
cutting here count CJK cells; Latin text would need word-aware wrapping).

Two mixes say how articles are made from the sources (``mix=`` of :func:`compose_edition`):

* ``coherent`` (the default): every article is derived from **one** source article, because the pipeline
  gives bodies to headlines partly by content (shared names and places) and a page whose headline and body
  talk about different things teaches it nothing. An article keeps its source's kicker, headline,
  sub-headline, lead and byline and prints a contiguous run of its paragraphs, shortened from the end to
  fit its region. The level's head and byline knobs are met from the article's own text only: a 本报讯
  credit may become a byline block, one of its own sentences may move out of the body into a 阅读提示
  summary, clauses of its own paragraphs may become a kicker, sub-headline or in-body subheads. A source
  printed shortened earlier in the edition may come back on a later page as "part 2" (the paragraphs not
  printed yet, same headline, its own sub-headline); otherwise a source is repeated on a later page with
  another layout. A news photo is the corpus photo or one made from a source article (its headline, lead
  sentences and reporter). A source never appears twice on one page (content matching would be
  ambiguous), and a source whose article jumps to another page of the edition is used on no other page;
  when a page runs out of sources, bands get fewer regions, so articles are fewer and longer.
* ``recombined`` (the earlier composer, kept so its numbers can be reproduced): a share of the regions
  (``original_share``) prints corpus articles as they are; the rest are new articles whose sentences are
  sampled from different corpus articles, whose headlines join the subject of one corpus headline to the
  predicate of another, whose kickers are pairs of corpus clauses and whose 本报讯 leads credit corpus
  reporters.

Layout model
------------
A page has ``columns`` columns of ``lines`` lines of ``cpl`` character cells (a digit or Latin letter is
half a cell; punctuation that prints full width is one). Below a page-header furniture line, the page is
filled with horizontal *bands*; each band is split into *regions* (a run of adjacent columns) that each
hold one article: the headline group (kicker, headline, subheadline, in larger type) spans the region,
then the body flows down the region's columns, balanced to equal height. A paragraph that does not fit at
the bottom of a column is cut at the line break (mid-sentence, and for Chinese usually mid-word, since
lines are cut by count) and goes on at the top of the next column: each piece is its own block and the gold
records the join ``[a, b]``. A paragraph's first line is indented two cells, so a piece that starts a
paragraph has a shorter first line than one that continues it, as in print.

Jumps: an article that does not fit ends with a ``(下转第N版)`` block in the last line of its last column;
on page N it goes on under a short ``jump_headline`` (4-10 characters of its headline) and a
``(上接第M版)`` block; the gold joins the last piece on page M to the first piece on page N. The cut before
a jump is always inside a sentence. If page N is not in the edition the gold says ``continues_to`` N and
``ends_complete`` false. On a first page numbered above 1, an article may start with ``(上接第M版)`` (seed
style: the full headline with role ``headline``, then the marker): ``continued_from`` M and
``starts_complete`` false, its beginning being on the missing page.

Levels
------
==========================  ====================  ======================  ==========================
knob                        easy                  medium                  hard
==========================  ====================  ======================  ==========================
columns x lines x cpl       4 x 56-64 x 15-17     5-6 x 44-52 x 13-15     6-8 x 32-42 x 10-13
regions per band            1-2, >= 2 columns     1-3, >= 2 columns       1-4, >= 1 column
paragraph kept whole        80 %                  30 %                    0 %
instead of cut at a column
bottom
paragraphs cut (measured,   ~5-40 %, median 20 %  ~20-70 %, median 40 %   ~30-80 %, median 55 %
2-page editions)
jumps (下转/上接)           none                  1 per page, to a later  1-2 per page, 25 % to a
                                                  page; from the last     page not given even when
                                                  page to a page not      a later page exists; a
                                                  given 50 %; a first     first page numbered > 1
                                                  page numbered > 1       continues a missing page
                                                  continues a missing     70 %
                                                  page 30 %
extraction disorder         none: region by       region swap 30 %, one   column-major over the page
                            region, columns left  body dumped after a     25 %, else 1-3 region
                            to right              later region 40 %, one  swaps, detached bodies 60 %,
                                                  column tail later 25 %  all headlines first 40 %,
                                                                          1-3 column tails later
photos (title, caption,     30 %, at most 1       50 %, at most 1         70 % each, at most 2
credit)
kicker / subheadline /      30 / 20 / 0 %         40 / 30 / 20 %          50 / 40 / 35 %
kicker+headline in 1 block
byline block, subheads,     20 / 15 / 0 %         30 / 30 / 20 %          40 / 50 / 35 %
阅读提示 + summary
furniture                   one header block      header (split 20 %),    header split 60 %, footer
                                                  footer 30 %             50 %, dumped last 30 %
punctuation, encoding       half width, UTF-8     full width 50 %, UTF-8  full width 50 %, UTF-8 /
                                                  / UTF-8-sig / GB18030   -sig / GB18030 / UTF-16,
                                                                          ragged blank lines, CRLF
                                                                          30 %
first page number           1-2                   1-4                     2-8
JSON block ids              b1.. in dump order    b1.. in dump order      b1.. in geometric order
==========================  ====================  ======================  ==========================

The cut share is a consequence of column height, region width and the keep-whole knob; the composer
reports each edition's real value in :attr:`ComposedEdition.stats`. All probabilities are in
:data:`LEVELS`. In the coherent mix, kickers and sub-headlines are added at half the level's rate (the
corpus's own are always kept) and ``original_share`` is unused; in the recombined mix corpus articles are
printed as they are (trimmed of trailing paragraphs when too long) for a share of the regions
(70 / 50 / 40 %), recombined articles fill the rest.

``jump_plan`` (page -> target pages) replaces the random jumps, to build editions with a known
cross-page structure (two articles jumping to one page, a jump to a page not given).

Gold conventions the format leaves open
---------------------------------------
Page furniture (header, footer) is one ``furniture`` article per page, with no roles and each block's
text as a body paragraph. A photo's title has role ``headline``, its caption ``caption`` (and is its
body) and its credit ``credit`` (and is its byline), as in the seed. An article continued from a page
that is not given shows its full headline (role ``headline``) and ``(上接第M版)``, as in the seed; one
continued inside the edition shows a ``jump_headline``, and its gold headline/kicker are those of its
start page. A corpus fragment keeps its flags: the seed's 安徽 article starts and ends mid-sentence.

Extraction order
----------------
The dump lists blocks in a "plausible but imperfect" order: region by region (top band first, left to
right), headline group then columns left to right, top to bottom; then, by level, some regions swapped, a
body detached from its headline (the seed's 安徽 article), all headlines first, the bottom block of a column
dumped later (the seed's 瑞金 article), or a pdftotext-like column-major order over the whole page.

Variants of the real page
-------------------------
:func:`seed_variants` makes "hidden-variant-like" versions of a real annotated page: another plausible
extraction order, paragraphs re-cut at other places (a body block split mid-word, with a new join) or
joined back (a gold join merged into one block), kicker and headline in one block or two, body lines
rewrapped, full-width punctuation, GB18030 / UTF-16 bytes, CRLF, ragged blank lines; the gold follows
every change.

Output
------
:func:`write_edition` writes ``page-NN.txt`` (and ``page-NN.json`` in ``reassemble-blocks/1``,
``page-NN.xml`` in ALTO v4 when asked) and ``gold.json``; the first format goes in ``out_dir``, each further
one in ``out_dir/<format>/`` with its own gold (block ids ``p{page}:{key}`` use each format's key).
:func:`check_written_edition` re-reads what was written (from the files only, not from the composer's
data) and lists every inconsistency between gold and pages.
"""

from __future__ import annotations

import codecs
import dataclasses
import datetime
import json
import math
import random
import re
import zlib
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from lxml import etree

from reassemble.evaluate import GoldArticle
from reassemble.read.text import decode, split_blocks
from reassemble.textutil import CLOSERS, ends_sentence, is_cjk, join_lines, squash

__all__ = [
    "ALTO_NS",
    "DEFAULT_CORPUS",
    "LEVELS",
    "MARKER_ROLES",
    "MIXES",
    "ComposedBlock",
    "ComposedEdition",
    "ComposedPage",
    "LevelSpec",
    "SourceArticle",
    "check_written_edition",
    "compose_edition",
    "load_source_articles",
    "page_file_name",
    "render_page",
    "seed_variants",
    "split_headline",
    "split_sentences",
    "to_full_width",
    "to_half_width",
    "write_edition",
]

#: The corpus the composer draws on when no sources are given: a copy of the seed gold and page.
DEFAULT_CORPUS = Path(__file__).resolve().parent.parent / "corpus" / "zh" / "workers-daily-p2" / "gold.json"

GOLD_FORMAT = "reassemble-gold/1"
BLOCKS_FORMAT = "reassemble-blocks/1"
ALTO_NS = "http://www.loc.gov/standards/alto/ns-v4#"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
FORMATS = ("text", "json", "alto")
#: Where article text comes from: one source article each (default), or sentences mixed across sources.
MIXES = ("coherent", "recombined")
ENCODINGS = ("utf-8", "utf-8-sig", "gb18030", "utf-16")

#: Roles whose blocks are markers the composer adds (not source text): excluded from conservation.
MARKER_ROLES = frozenset({"jump_from", "jump_to", "jump_headline"})
#: Roles that are part of the head group (they span the region, in larger type).
HEAD_ROLES = frozenset({"kicker", "headline", "subheadline", "kicker+headline", "jump_headline"})

# --------------------------------------------------------------------------------------------------------
# Punctuation width


_HALF_TO_FULL = {",": "，", "(": "（", ")": "）", ";": "；", "?": "？", "!": "！", ":": "："}
_FULL_TO_HALF = {v: k for k, v in _HALF_TO_FULL.items()}


def to_full_width(text: str) -> str:
    """Half-width ``,()?!;:`` to their full-width forms, as most Chinese dumps print them.

    A comma or colon between two digits (``1,000``, ``10:30``) is left alone: there it is a number
    separator, not Chinese punctuation.
    """
    out: list[str] = []
    for i, ch in enumerate(text):
        full = _HALF_TO_FULL.get(ch)
        if full and ch in ",:" and 0 < i < len(text) - 1 and text[i - 1].isdigit() and text[i + 1].isdigit():
            full = None
        out.append(full or ch)
    return "".join(out)


def to_half_width(text: str) -> str:
    """Full-width ``，（）？！；：`` to ASCII, as some extractors (and the seed dump) write them."""
    return "".join(_FULL_TO_HALF.get(ch, ch) for ch in text)


# --------------------------------------------------------------------------------------------------------
# Source articles


@dataclass(frozen=True, slots=True)
class SourceArticle:
    """One clean article the composer lays out: every text field that prints as its own block.

    ``body`` holds the paragraphs; ``subheads`` are ``(i, text)`` pairs, a subhead printed before body
    paragraph ``i``. ``byline`` is the gold byline list, ``byline_line`` the byline as printed in its own
    block (``None`` when the byline is only inside a 本报讯 lead). ``starts_complete``/``ends_complete`` say
    whether the *text* starts/ends at a sentence boundary (a fragment of a real page may not).
    ``origin`` is ``corpus`` (a corpus article or one derived from a single corpus article) or
    ``recombined``; ``lang`` is the hook for Latin-script corpora.
    """

    id: str
    kind: str = "article"
    headline: str | None = None
    kicker: str | None = None
    subheadline: str | None = None
    byline: tuple[str, ...] = ()
    byline_line: str | None = None
    body: tuple[str, ...] = ()
    subheads: tuple[tuple[int, str], ...] = ()
    summary_label: str | None = None
    summary: str | None = None
    credit: str | None = None
    starts_complete: bool = True
    ends_complete: bool = True
    lang: str = "zh"
    origin: str = "corpus"

    def texts(self) -> list[str]:
        """Every source text of the article (what must appear exactly once in the pages)."""
        out = [
            self.kicker,
            self.headline,
            self.subheadline,
            self.byline_line,
            self.summary_label,
            self.summary,
            self.credit,
        ]
        out.extend(t for _, t in self.subheads)
        out.extend(self.body)
        return [t for t in out if t]

    @property
    def length(self) -> int:
        return sum(len(p) for p in self.body)


def _decode_dump(data: bytes) -> str:
    """Decode a page dump the way the tool does (BOM, UTF-8, GB18030, detection)."""
    return decode(data, "<dump>")[0]


def _split_dump(text: str) -> list[list[str]]:
    """Blocks of a text dump as the tool splits them, with each line stripped."""
    return [[line.strip() for line in block] for block in split_blocks(text)]


def _page_block_texts(gold_path: Path, gold: Mapping[str, Any]) -> dict[str, str]:
    """Block id -> flattened text for the text-format pages a gold names (others are skipped)."""
    texts: dict[str, str] = {}
    for page in gold.get("pages", []):
        if page.get("format", "text") != "text":
            continue
        path = gold_path.parent / page["file"]
        if not path.is_file():
            continue
        for i, lines in enumerate(_split_dump(_decode_dump(path.read_bytes()))):
            texts[f"p{page['number']}:{i}"] = join_lines(lines)
    return texts


def _source_from_gold(art: Mapping[str, Any], texts: Mapping[str, str], lang: str) -> SourceArticle:
    """Rebuild a clean article from one gold article and its block texts.

    Subhead positions come from walking the blocks in reading order: a body block that is not the second
    half of a join starts the next paragraph, so a subhead sits before the paragraph count reached.
    """
    roles: dict[str, str] = dict(art.get("roles", {}))
    join_b = {b for _, b in art.get("joins", [])}
    body = tuple(art.get("body", []))
    subheads: list[tuple[int, str]] = []
    found: dict[str, str] = {}
    para = 0
    for block_id in art.get("blocks", []):
        role = roles.get(block_id)
        text = texts.get(block_id)
        if role is None:
            if block_id not in join_b:
                para += 1
        elif role == "subhead" and text:
            subheads.append((para, text))
        elif text and role in ("byline", "summary_label", "summary", "credit"):
            found[role] = text
    if para != len(body):  # the page text was not available or does not match: no subhead positions
        subheads = []
    continued_from = art.get("continued_from")
    continues_to = art.get("continues_to")
    starts = bool(art.get("starts_complete", True)) or continued_from is not None
    ends = bool(art.get("ends_complete", True)) or (bool(body) and ends_sentence(body[-1]))
    if continues_to is not None and body and not ends_sentence(body[-1]):
        ends = False
    kind = str(art.get("kind", "article"))
    return SourceArticle(
        id=str(art["id"]),
        kind=kind,
        headline=art.get("headline"),
        kicker=art.get("kicker"),
        subheadline=art.get("subheadline"),
        byline=tuple(art.get("byline", [])),
        byline_line=found.get("byline"),
        body=body,
        subheads=tuple(subheads),
        summary_label=found.get("summary_label"),
        summary=found.get("summary"),
        credit=found.get("credit"),
        starts_complete=starts,
        ends_complete=ends,
        lang=lang,
        origin="corpus",
    )


def load_source_articles(paths: Iterable[str | Path] | None = None) -> list[SourceArticle]:
    """Clean articles from gold files (or folders holding ``gold.json``); default :data:`DEFAULT_CORPUS`.

    Furniture and adverts are skipped. A fragment (a real article cut by the page edge) is kept as an
    article; its ``starts_complete``/``ends_complete`` tell whether the text itself is whole.
    """
    out: list[SourceArticle] = []
    for raw in [DEFAULT_CORPUS] if paths is None else paths:
        path = Path(raw)
        if path.is_dir():
            path = path / "gold.json"
        gold = json.loads(path.read_text(encoding="utf-8-sig"))
        lang = str((gold.get("edition") or {}).get("lang") or "zh")
        texts = _page_block_texts(path, gold)
        for art in gold.get("articles", []):
            if art.get("kind") in ("furniture", "advert") or not art.get("body"):
                continue
            out.append(_source_from_gold(art, texts, lang))
    return out


# --------------------------------------------------------------------------------------------------------
# Corpus pools and recombination

_SENT_MARKS = "。！？!?"
_PUNCT_SPLIT = re.compile(r"[,，;；:：。！？!?、]")
#: Predicates at which a corpus headline is split into subject + predicate for recombination.
_HEADLINE_VERBS = (
    "持续",
    "推进",
    "开展",
    "设立",
    "建立",
    "启动",
    "收到",
    "推动",
    "打造",
    "加强",
    "站上",
    "有了",
    "送",
    "关爱",
    "提升",
    "举办",
    "助力",
    "实现",
    "形成",
)
_SECTIONS = ("要闻", "工会新闻", "综合新闻", "维权", "劳动")
_WEEKDAYS = ("星期一", "星期二", "星期三", "星期四", "星期五", "星期六", "星期日")


#: First characters of clauses that cannot stand alone as a kicker or subhead (conjunctions, pronouns).
_FUNCTION_STARTS = set("然但并而还也让在对为从以由向将这他她我因其该此并又及与和或即就都")


def _attach_attributions(sentences: list[str]) -> list[str]:
    """Keep a quotation with its attribution (``“……。”赵帅说。``): split apart, either would mislead."""
    out: list[str] = []
    for sent in sentences:
        if out and out[-1].endswith(("”", "’")) and not sent.startswith("“"):
            out[-1] += sent
        else:
            out.append(sent)
    return out


def split_sentences(paragraph: str) -> list[str]:
    """Sentences of a Chinese paragraph: cut after ``。！？`` or ``……`` and any closing quotes."""
    out: list[str] = []
    start = i = 0
    n = len(paragraph)
    while i < n:
        ch = paragraph[i]
        end = -1
        if ch in _SENT_MARKS:
            end = i + 1
        elif ch == "…" and i + 1 < n and paragraph[i + 1] == "…":
            end = i + 2
        if end < 0:
            i += 1
            continue
        while end < n and paragraph[end] in CLOSERS:
            end += 1
        out.append(paragraph[start:end])
        start = i = end
    if start < n:
        out.append(paragraph[start:])
    return out


def split_headline(headline: str) -> tuple[str, str] | None:
    """``(subject, predicate)`` of a headline split at its first known verb, or ``None``.

    ``枣庄设立“鲁班工匠日”`` gives ``("枣庄", "设立“鲁班工匠日”")``; both halves must be balanced (no quote
    left open) and the predicate at least four characters.
    """
    title = headline.strip()
    for verb in _HEADLINE_VERBS:
        i = title.find(verb)
        head, tail = title[:i].strip(), title[i:].strip()
        if i >= 2 and len(tail) >= 4 and _balanced(head) and _balanced(tail) and " " not in head:
            return head, tail
    return None


def _balanced(text: str) -> bool:
    return (
        text.count("“") == text.count("”")
        and text.count("(") == text.count(")")
        and text.count("《") == text.count("》")
        and text.count("‘") == text.count("’")
    )


#: Last characters of clauses that read as cut off when printed alone (``桥吊远程操控等``).
_WEAK_ENDS = set("等的了和与及或在对为把被将")

#: The credit of a 本报讯 lead, ``本报讯(记者甲 通讯员乙)``, half- or full-width brackets.
_LEAD_CREDIT = re.compile(r"^本报讯[(（][^)）]{1,40}[)）]")


def _print_byline(byline: Sequence[str]) -> tuple[str, ...]:
    """Gold byline entries as a byline block prints them: ``记者 甲`` -> ``本报记者 甲``."""
    return tuple(e if e.startswith("本报") or " " not in e else f"本报{e}" for e in byline)


@dataclass(slots=True)
class _Pools:
    """Pieces of the corpus that recombined articles are built from (all in corpus order)."""

    sentences: list[str] = field(default_factory=list)
    sentence_owner: list[str] = field(default_factory=list)
    leads: list[str] = field(default_factory=list)
    lead_owner: list[str] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    heads: list[str] = field(default_factory=list)
    tails: list[str] = field(default_factory=list)
    kickers: list[str] = field(default_factory=list)
    clauses: list[str] = field(default_factory=list)
    subheads: list[str] = field(default_factory=list)


def _build_pools(sources: Sequence[SourceArticle]) -> _Pools:
    pools = _Pools()
    for src in sources:
        for entry in src.byline:
            name = entry.replace(" 摄", "").split(" ")[-1].strip()
            if name and name not in pools.names:
                pools.names.append(name)
        for _, t in src.subheads:
            if t not in pools.subheads:
                pools.subheads.append(t)
        for kicker in (src.kicker, src.subheadline):
            if kicker and kicker not in pools.kickers:
                pools.kickers.append(kicker)
        if src.headline and src.kind == "article":
            split = split_headline(src.headline)
            if split is not None:
                pools.heads.append(split[0])
                pools.tails.append(split[1])
        for p_index, para in enumerate(src.body):
            if para.startswith("本报讯(") and ")" in para:
                rest = para[para.index(")") + 1 :]
                if rest:
                    pools.leads.append(rest)
                    pools.lead_owner.append(src.id)
                continue
            sents = _attach_attributions(split_sentences(para))
            for s_index, sent in enumerate(sents):
                if p_index == 0 and s_index == 0 and not src.starts_complete:
                    continue  # a fragment's first "sentence" starts mid-sentence
                if not ends_sentence(sent) or not _balanced(sent) or not 10 <= len(sent) <= 220:
                    continue
                pools.sentences.append(sent)
                pools.sentence_owner.append(src.id)
                for clause in _PUNCT_SPLIT.split(sent):
                    clause = clause.strip("“”‘’—…")
                    if (
                        5 <= len(clause) <= 13
                        and _balanced(clause)
                        and clause[0] not in _FUNCTION_STARTS
                        and "我们" not in clause
                        and sum(map(is_cjk, clause)) >= len(clause) - 1
                        and clause not in pools.clauses
                    ):
                        pools.clauses.append(clause)
    if not pools.names:
        pools.names = ["本报"]
    return pools


class _Recombiner:
    """Builds new articles from corpus sentences, drawing sentences without replacement while it can."""

    def __init__(self, pools: _Pools, rng: random.Random, spec: LevelSpec, avoid: Sequence[str]) -> None:
        self.pools = pools
        self.rng = rng
        self.spec = spec
        self.avoid = set(avoid)
        self.bag: list[str] = []
        self.lead_bag: list[str] = []
        self.serial = 0

    def _refill(self) -> None:
        # Sentences of corpus articles that are also printed as-is go to the bottom of the bag: they are
        # drawn only when everything else is used, which keeps duplicate sentences in an edition rare.
        low = [s for s, o in zip(self.pools.sentences, self.pools.sentence_owner, strict=True) if o in self.avoid]
        high = [s for s, o in zip(self.pools.sentences, self.pools.sentence_owner, strict=True) if o not in self.avoid]
        self.rng.shuffle(low)
        self.rng.shuffle(high)
        self.bag = low + high

    def lead(self) -> str:
        """The rest of a corpus 本报讯 lead, avoiding leads of articles printed as-is while others remain."""
        if not self.lead_bag:
            low = [x for x, o in zip(self.pools.leads, self.pools.lead_owner, strict=True) if o in self.avoid]
            high = [x for x, o in zip(self.pools.leads, self.pools.lead_owner, strict=True) if o not in self.avoid]
            self.rng.shuffle(low)
            self.rng.shuffle(high)
            self.lead_bag = low + high
        return self.lead_bag.pop()

    def sentence(self, max_len: int = 220) -> str:
        for _ in range(2):
            if not self.bag:
                self._refill()
            for i in range(len(self.bag) - 1, -1, -1):
                if len(self.bag[i]) <= max_len:
                    return self.bag.pop(i)
            self.bag = []
        return min(self.pools.sentences, key=len)

    def clause(self) -> str:
        return self.rng.choice(self.pools.clauses) if self.pools.clauses else "职工之家"

    def headline(self) -> str:
        p = self.pools
        if p.heads and p.tails:
            i = self.rng.randrange(len(p.heads))
            j = self.rng.randrange(len(p.tails))
            if j == i and len(p.tails) > 1:
                j = (j + 1) % len(p.tails)
            return p.heads[i] + p.tails[j]
        return self.clause()

    def kicker(self) -> str:
        r = self.rng.random()
        if r < 0.25 and self.pools.kickers:
            return self.rng.choice(self.pools.kickers)
        if r < 0.5:
            return f"{self.clause()},{self.clause()}——"
        return f"{self.clause()} {self.clause()}"

    def subhead(self) -> str:
        short = [c for c in self.pools.clauses if len(c) <= 8]
        if self.pools.subheads and (self.rng.random() < 0.4 or not short):
            return self.rng.choice(self.pools.subheads)
        return self.rng.choice(short) if short else "服务如家"

    def _credit(self) -> tuple[str, tuple[str, ...]]:
        """A 本报讯 credit ``记者甲 通讯员乙`` and the matching gold byline."""
        names = self.rng.sample(self.pools.names, k=min(len(self.pools.names), self.rng.choice((1, 1, 2, 2, 3))))
        parts: list[str] = []
        byline: list[str] = []
        for i, name in enumerate(names):
            role = "通讯员" if i == len(names) - 1 and i > 0 and self.rng.random() < 0.6 else "记者"
            byline.append(f"{role} {name}")
            if i > 0 and role == "记者" and byline[i - 1].startswith("记者"):
                parts.append(name)
            else:
                parts.append(f"{role}{name}")
        return " ".join(parts), tuple(byline)

    def article(self, target_chars: int) -> SourceArticle:
        """A recombined article of roughly ``target_chars`` body characters."""
        self.serial += 1
        spec, rng = self.spec, self.rng
        body: list[str] = []
        byline: tuple[str, ...] = ()
        byline_line: str | None = None
        if self.pools.leads and rng.random() >= spec.byline_block:
            credit, byline = self._credit()
            lead = self.lead()
            body.append(f"本报讯({credit}){lead}")
        else:
            names = rng.sample(self.pools.names, k=min(len(self.pools.names), rng.choice((1, 2))))
            entries = [f"本报记者 {names[0]}"] + [f"本报通讯员 {n}" for n in names[1:]]
            byline = tuple(entries)
            byline_line = " ".join(entries)
        total = sum(map(len, body))
        while total < target_chars or len(body) < 2:
            n = rng.choice((1, 1, 2, 2, 3))
            para = "".join(self.sentence() for _ in range(n))
            body.append(para)
            total += len(para)
            if len(body) > 40:
                break
        subheads: list[tuple[int, str]] = []
        if len(body) >= 4 and rng.random() < spec.subheads:
            positions = sorted(rng.sample(range(2, len(body)), k=min(len(body) - 2, rng.choice((1, 2, 2)))))
            subheads = [(i, self.subhead()) for i in positions]
        summary_label = summary = None
        if rng.random() < spec.summary:
            summary_label = "阅读提示"
            summary = self.sentence(max_len=70)
        return SourceArticle(
            id=f"syn-{self.serial:02d}",
            headline=self.headline(),
            kicker=self.kicker() if rng.random() < spec.kicker else None,
            subheadline=self.kicker().rstrip("—") if rng.random() < spec.subheadline else None,
            byline=byline,
            byline_line=byline_line,
            body=tuple(body),
            subheads=tuple(subheads),
            summary_label=summary_label,
            summary=summary,
            origin="recombined",
        )

    def photo(self) -> SourceArticle:
        """A recombined photo: a short title, a one- or two-sentence caption and a credit line."""
        self.serial += 1
        rng = self.rng
        caption = self.sentence(max_len=110)
        if len(caption) < 50:
            caption += self.sentence(max_len=80)
        name = rng.choice(self.pools.names)
        credit = rng.choice((f"本报记者 {name} 摄", f"本报通讯员 {name} 摄", f"{name} 摄"))
        short = [c for c in self.pools.clauses if len(c) <= 7] + list(self.pools.subheads)
        title = rng.choice(short) if short else self.clause()
        return SourceArticle(
            id=f"syn-{self.serial:02d}-photo",
            kind="photo",
            headline=title,
            body=(caption,),
            credit=credit,
            byline=(credit,),
            origin="recombined",
        )


# --------------------------------------------------------------------------------------------------------
# Levels


@dataclass(frozen=True, slots=True)
class LevelSpec:
    """The knobs of one difficulty level (see the module docstring for what each one imitates).

    Ranges are inclusive ``(low, high)``; probabilities are per page unless said otherwise.
    """

    name: str
    columns: tuple[int, ...]
    lines: tuple[int, int]
    cpl: tuple[int, int]
    font: float
    max_parts: int
    min_span: int
    keep_whole: float
    original_share: float
    kicker: float
    subheadline: float
    merged_head: float
    byline_block: float
    subheads: float
    summary: float
    photo: float
    max_photos: int
    jumps: tuple[int, int]
    jump_missing_target: float
    jump_beyond: float
    missing_start: float
    first_page: tuple[int, int]
    region_swaps: tuple[int, int]
    region_swap_prob: float
    detach: float
    tails_later: tuple[int, int]
    tail_prob: float
    headlines_first: float
    column_major: float
    header_split: float
    footer: float
    furniture_last: float
    full_width: float
    encodings: tuple[str, ...]
    ragged_blank_lines: bool
    crlf: float


LEVELS: dict[str, LevelSpec] = {
    "easy": LevelSpec(
        name="easy",
        columns=(4,),
        lines=(56, 64),
        cpl=(15, 17),
        font=10.0,
        max_parts=2,
        min_span=2,
        keep_whole=0.8,
        original_share=0.7,
        kicker=0.3,
        subheadline=0.2,
        merged_head=0.0,
        byline_block=0.2,
        subheads=0.15,
        summary=0.0,
        photo=0.3,
        max_photos=1,
        jumps=(0, 0),
        jump_missing_target=0.0,
        jump_beyond=0.0,
        missing_start=0.0,
        first_page=(1, 2),
        region_swaps=(0, 0),
        region_swap_prob=0.0,
        detach=0.0,
        tails_later=(0, 0),
        tail_prob=0.0,
        headlines_first=0.0,
        column_major=0.0,
        header_split=0.0,
        footer=0.0,
        furniture_last=0.0,
        full_width=0.0,
        encodings=("utf-8",),
        ragged_blank_lines=False,
        crlf=0.0,
    ),
    "medium": LevelSpec(
        name="medium",
        columns=(5, 6),
        lines=(44, 52),
        cpl=(13, 15),
        font=9.5,
        max_parts=3,
        min_span=2,
        keep_whole=0.3,
        original_share=0.5,
        kicker=0.4,
        subheadline=0.3,
        merged_head=0.2,
        byline_block=0.3,
        subheads=0.3,
        summary=0.2,
        photo=0.5,
        max_photos=1,
        jumps=(1, 1),
        jump_missing_target=0.5,
        jump_beyond=0.0,
        missing_start=0.3,
        first_page=(1, 4),
        region_swaps=(1, 1),
        region_swap_prob=0.3,
        detach=0.4,
        tails_later=(1, 1),
        tail_prob=0.25,
        headlines_first=0.0,
        column_major=0.0,
        header_split=0.2,
        footer=0.3,
        furniture_last=0.0,
        full_width=0.5,
        encodings=("utf-8", "utf-8", "utf-8-sig", "gb18030"),
        ragged_blank_lines=False,
        crlf=0.0,
    ),
    "hard": LevelSpec(
        name="hard",
        columns=(6, 7, 8),
        lines=(32, 42),
        cpl=(10, 13),
        font=9.0,
        max_parts=4,
        min_span=1,
        keep_whole=0.0,
        original_share=0.4,
        kicker=0.5,
        subheadline=0.4,
        merged_head=0.35,
        byline_block=0.4,
        subheads=0.5,
        summary=0.35,
        photo=0.7,
        max_photos=2,
        jumps=(1, 2),
        jump_missing_target=0.7,
        jump_beyond=0.25,
        missing_start=0.7,
        first_page=(2, 8),
        region_swaps=(1, 3),
        region_swap_prob=0.8,
        detach=0.6,
        tails_later=(1, 3),
        tail_prob=0.8,
        headlines_first=0.4,
        column_major=0.25,
        header_split=0.6,
        footer=0.5,
        furniture_last=0.3,
        full_width=0.5,
        encodings=ENCODINGS,
        ragged_blank_lines=True,
        crlf=0.3,
    ),
}


# --------------------------------------------------------------------------------------------------------
# Typesetting

#: Characters that may not begin a line (Chinese line-breaking rules): they hang at the end of the line.
_NO_LINE_START = set("，。、；：？！”’）》」』…,.;:?!)%")
_WIDE_ASCII = set(",;:?!()")
#: Characters that may not end a line: opening quotes and brackets move to the next line.
_NO_LINE_END = set("“‘（(《「『")


def _cell(ch: str) -> float:
    """Print width in cells: CJK and full-width punctuation 1, digits and Latin letters half a cell."""
    if ch in _WIDE_ASCII:
        return 1.0  # prints as full-width CJK punctuation even when the extractor gives ASCII
    return 0.5 if ord(ch) < 0x80 else 1.0


def _width(text: str) -> float:
    return sum(_cell(ch) for ch in text)


def _wrap(text: str, cap: float, indent: float = 0.0) -> list[str]:
    """Greedy line breaking at ``cap`` cells; raw lines (their concatenation is ``text``).

    Closing punctuation that would start a line hangs at the end of the previous one instead, as in
    Chinese typesetting. ``indent`` shortens the first line (a paragraph's first-line indent).
    """
    lines: list[str] = []
    cur = ""
    width = indent
    for ch in text:
        w = _cell(ch)
        over = width + w - cap
        glued = bool(cur) and _in_run(cur[-1]) and _in_run(ch) and over <= 1.5  # keep "2.1" / "WIPO" whole
        if cur and over > 1e-9 and ch not in _NO_LINE_START and not glued:
            carry = ""
            while cur and cur[-1] in _NO_LINE_END and len(carry) < 2:  # an opening quote never ends a line
                carry = cur[-1] + carry
                cur = cur[:-1]
            if cur:
                lines.append(cur)
            cur = carry
            width = _width(carry)
        cur += ch
        width += w
    if cur:
        lines.append(cur)
    return lines


def _in_run(ch: str) -> bool:
    """Part of a run of digits/Latin letters (with ``.`` and ``%``), which is not broken across lines."""
    return ord(ch) < 0x80 and (ch.isalnum() or ch in ".%")


def _display(lines: Sequence[str]) -> list[str]:
    """Raw wrapped lines as printed in a dump: stripped, with empty lines dropped."""
    return [s for s in (line.strip() for line in lines) if s]


@dataclass(frozen=True, slots=True)
class _Geometry:
    """Page geometry in points: columns, gutters, margins and the body line pitch."""

    ncols: int
    lines: int
    cpl: int
    font: float
    header_lines: int = 3
    footer_lines: int = 2
    margin: float = 40.0

    @property
    def lh(self) -> float:
        return self.font * 1.5

    @property
    def colw(self) -> float:
        return self.cpl * self.font

    @property
    def gutter(self) -> float:
        return self.font * 1.2

    @property
    def width(self) -> float:
        return 2 * self.margin + self.ncols * self.colw + (self.ncols - 1) * self.gutter

    @property
    def height(self) -> float:
        return 2 * self.margin + (self.header_lines + self.lines + self.footer_lines) * self.lh

    def col_x(self, col: int) -> float:
        return self.margin + col * (self.colw + self.gutter)

    def span_width(self, span: int) -> float:
        return span * self.colw + (span - 1) * self.gutter

    def y(self, line: float) -> float:
        """Top of body line ``line`` (0 = first line below the header)."""
        return self.margin + (self.header_lines + line) * self.lh


# --------------------------------------------------------------------------------------------------------
# The composed edition


@dataclass(frozen=True, slots=True)
class ComposedBlock:
    """One block of a composed page, in dump order; ``uid`` is stable across formats.

    ``text`` has the wrapped lines joined by ``\\n``. ``bbox``/``font_size`` (points) and the JSON/ALTO
    keys exist for composed pages only, not for variants of a real text page.
    """

    uid: str
    page: int
    text: str
    article: str
    role: str | None = None
    bbox: tuple[float, float, float, float] | None = None
    font_size: float | None = None
    line_height: float | None = None
    json_id: str | None = None
    alto_id: str | None = None


@dataclass(frozen=True, slots=True)
class ComposedPage:
    """A page: its blocks in dump order and how the text dump is rendered (encoding, blank lines)."""

    number: int
    blocks: tuple[ComposedBlock, ...]
    encoding: str = "utf-8"
    newline: str = "\n"
    separators: tuple[str, ...] = ()
    lead: str = ""
    trail: str = "\n"
    width: float | None = None
    height: float | None = None
    illustrations: tuple[tuple[float, float, float, float], ...] = ()


@dataclass(frozen=True, slots=True)
class ComposedEdition:
    """Everything :func:`write_edition` needs, plus the sources (for conservation checks) and stats.

    ``articles`` are the evaluator's :class:`~reassemble.evaluate.GoldArticle` with blocks (and roles and
    joins) named by ``uid``: block ids depend on the format a page is written in, so :meth:`gold` maps
    them per format."""

    name: str
    seed: int
    level: str
    pages: tuple[ComposedPage, ...]
    articles: tuple[GoldArticle, ...]
    sources: tuple[SourceArticle, ...]
    formats: tuple[str, ...] = ("text",)
    punctuation: str = "half"
    paper: str = "工人日报"
    lang: str = "zh"
    stats: Mapping[str, float] = field(default_factory=dict)
    #: Article id -> id of the corpus article it was derived from (coherent mix; a corpus photo maps to
    #: itself). Lets a benchmark or test check that no source is on a page twice.
    source_of: Mapping[str, str] = field(default_factory=dict)

    def block_keys(self, fmt: str = "text") -> dict[str, str]:
        """uid -> gold block id ``p{page}:{key}`` for one format."""
        keys: dict[str, str] = {}
        for page in self.pages:
            for i, b in enumerate(page.blocks):
                if fmt == "text":
                    key = str(i)
                elif fmt == "json":
                    key = b.json_id or ""
                elif fmt == "alto":
                    key = b.alto_id or ""
                else:
                    raise ValueError(f"unknown format {fmt!r}; expected one of {FORMATS}")
                if not key:
                    raise ValueError(f"this edition has no {fmt} layout (variants of a text page are text only)")
                keys[b.uid] = f"p{page.number}:{key}"
        return keys

    def gold(self, fmt: str = "text") -> dict[str, Any]:
        """The ``reassemble-gold/1`` document for the pages written in format ``fmt``."""
        keys = self.block_keys(fmt)
        pages: list[dict[str, Any]] = []
        for page in self.pages:
            entry: dict[str, Any] = {"number": page.number, "file": page_file_name(page.number, fmt)}
            if fmt == "text" and page.encoding != "utf-8":
                entry["encoding"] = page.encoding
            if fmt != "text":
                entry["format"] = fmt
            pages.append(entry)
        articles = []
        for a in self.articles:
            articles.append(
                {
                    "id": a.id,
                    "kind": a.kind,
                    "kicker": a.kicker,
                    "headline": a.headline,
                    "subheadline": a.subheadline,
                    "byline": list(a.byline),
                    "blocks": [keys[u] for u in a.blocks],
                    "roles": {keys[u]: r for u, r in a.roles.items()},
                    "joins": [[keys[x], keys[y]] for x, y in a.joins],
                    "starts_complete": a.starts_complete,
                    "ends_complete": a.ends_complete,
                    "continued_from": None if a.continued_from is None else {"page": a.continued_from},
                    "continues_to": None if a.continues_to is None else {"page": a.continues_to},
                    "body": list(a.body),
                }
            )
        return {
            "format": GOLD_FORMAT,
            "edition": {"paper": self.paper, "lang": self.lang},
            "pages": pages,
            "articles": articles,
        }


def page_file_name(number: int, fmt: str = "text") -> str:
    """``page-02.txt`` / ``page-02.json`` / ``page-02.xml``."""
    ext = {"text": "txt", "json": "json", "alto": "xml"}[fmt]
    return f"page-{number:02d}.{ext}"


# --------------------------------------------------------------------------------------------------------
# Layout engine


@dataclass(frozen=True, slots=True)
class _Item:
    """A unit of body flow: a paragraph (or the rest of one, ``start`` > 0) or an unbreakable block."""

    kind: str  # para, subhead, byline, summary_label, summary, jump_from
    text: str
    para: int = -1
    start: int = 0
    indent: bool = False


@dataclass(frozen=True, slots=True)
class _Placed:
    col: int
    line: int
    raw: tuple[str, ...]
    item: _Item
    end: int


@dataclass(slots=True)
class _RB:
    """A raw block while a page is composed: geometry in lines/points and where it came from."""

    uid: str
    article: str
    role: str | None
    lines: list[str]
    font: float
    line_h: float
    bbox: tuple[float, float, float, float]
    zone: str  # furn_top, furn_bottom, head, body
    region: int
    col: int
    line: float
    para: int = -1
    start: int = 0
    end: int = 0


@dataclass(slots=True)
class _Head:
    role: str
    lines: list[str]
    font: float


@dataclass(slots=True)
class _Cont:
    """The rest of a jumped article, waiting for its page."""

    article: str
    items: list[_Item]
    from_page: int
    headline: str
    role: str  # jump_headline (jumped inside the edition) or headline (start page not given)


def _item_lines(item: _Item, cpl: int) -> list[str]:
    """Raw lines of a flow item; a byline too wide for the column breaks between people, not inside a name."""
    if item.kind != "byline" or _width(item.text) <= cpl:
        return _wrap(item.text, cpl, 2.0 if item.indent else 0.0)
    entries: list[str] = []
    for token in item.text.split(" "):
        if entries and not any(word in token for word in ("记者", "通讯员", "摄")):
            entries[-1] += " " + token
        else:
            entries.append(token)
    lines: list[str] = []
    for entry in entries:
        if lines and _width(lines[-1] + " " + entry) <= cpl:
            lines[-1] += " " + entry
        else:
            lines.append(entry)
    return [line + " " for line in lines[:-1]] + lines[-1:]


@dataclass(frozen=True, slots=True)
class _Keep:
    """How often a paragraph that would be cut at a column bottom moves whole to the next column instead.

    The decision hashes the paragraph and a salt (the edition's seed) rather than drawing from the rng,
    because the flow is re-run many times while heights are searched and must decide the same each time.
    """

    share: float = 0.0
    salt: str = ""

    def __call__(self, item: _Item) -> bool:
        if self.share <= 0.0:
            return False
        h = zlib.crc32(f"{self.salt}|{item.para}|{item.text[:24]}".encode())
        return h % 1000 < self.share * 1000


def _flow(
    items: Sequence[_Item], cpl: int, caps: Sequence[int], keep: _Keep | None = None
) -> tuple[list[list[_Placed]], list[_Item]]:
    """Fill columns of heights ``caps`` with ``items``; returns the columns and what did not fit.

    A paragraph is cut at the column bottom and goes on at the top of the next column, unless ``keep``
    says to move it whole to the next column (never from the last one); other items are never cut (they
    move to the next column whole).
    """
    cols: list[list[_Placed]] = [[] for _ in caps]
    queue = list(items)
    c = used = 0
    while queue and c < len(caps):
        it = queue[0]
        raw = _item_lines(it, cpl)
        if it.kind == "para":
            room = caps[c] - used
            if room <= 0:
                c, used = c + 1, 0
                continue
            take = min(room, len(raw))
            if (
                take < len(raw)
                and used > 0
                and it.start == 0
                and c + 1 < len(caps)
                and len(raw) <= caps[c + 1]
                and keep is not None
                and keep(it)
            ):
                c, used = c + 1, 0
                continue
            chunk = sum(len(s) for s in raw[:take])
            cols[c].append(_Placed(c, used, tuple(raw[:take]), it, it.start + chunk))
            used += take
            if take < len(raw):
                queue[0] = _Item("para", it.text[chunk:], it.para, it.start + chunk, False)
                c, used = c + 1, 0
            else:
                queue.pop(0)
        else:
            space = 1 if it.kind in ("subhead", "summary_label") and used > 0 else 0
            need = len(raw) + space
            if used + need > caps[c] and used > 0:
                c, used = c + 1, 0
                continue
            cols[c].append(_Placed(c, used + space, tuple(raw), it, len(it.text)))
            used += need
            queue.pop(0)
    return cols, queue


def _flow_lines(items: Sequence[_Item], cpl: int) -> int:
    return sum(len(_item_lines(it, cpl)) + (1 if it.kind == "subhead" else 0) for it in items)


def _balanced_height(items: Sequence[_Item], cpl: int, span: int, keep: _Keep | None = None) -> int:
    """The smallest column height at which ``items`` fit in ``span`` columns."""
    if not items:
        return 0
    h = max(1, math.ceil(_flow_lines(items, cpl) / span))
    while True:
        _, rest = _flow(items, cpl, [h] * span, keep)
        if not rest:
            return h
        h += 1


class _Composer:
    """Lays out one edition; see the module docstring for the model. All randomness comes from one rng."""

    MIN_BAND = 10

    def __init__(
        self,
        seed: int,
        level: str,
        n_pages: int,
        formats: Sequence[str],
        sources: Sequence[SourceArticle] | None,
        full_width: bool | None,
        encoding: str | None,
        mix: str = "coherent",
        jump_plan: Mapping[int, Sequence[int]] | None = None,
        first_page: int | None = None,
    ) -> None:
        if mix not in MIXES:
            raise ValueError(f"unknown mix {mix!r}; expected one of {MIXES}")
        if level not in LEVELS:
            raise ValueError(f"unknown level {level!r}; expected one of {sorted(LEVELS)}")
        if n_pages < 1:
            raise ValueError("n_pages must be at least 1")
        bad = [f for f in formats if f not in FORMATS]
        if bad or not formats:
            raise ValueError(f"formats must be a non-empty subset of {FORMATS}, got {tuple(formats)}")
        if encoding is not None and encoding not in ENCODINGS:
            raise ValueError(f"encoding must be one of {ENCODINGS}, got {encoding!r}")
        self.seed, self.level, self.formats = seed, level, tuple(dict.fromkeys(formats))
        self.spec = spec = LEVELS[level]
        self.rng = rng = random.Random(f"reassemble.compose:{seed}:{level}:{n_pages}")
        self.geo = _Geometry(
            ncols=rng.choice(spec.columns),
            lines=rng.randint(*spec.lines),
            cpl=rng.randint(*spec.cpl),
            font=spec.font,
        )
        corpus = list(sources) if sources is not None else load_source_articles()
        self.pools = _build_pools(corpus)
        first = rng.randint(*spec.first_page)
        if first_page is not None:
            if first_page < 1:
                raise ValueError("first_page must be at least 1")
            first = first_page
        self.page_numbers = [first + i for i in range(n_pages)]
        originals = [s for s in corpus if s.lang == "zh"]
        rng.shuffle(originals)
        self.mix = mix
        # coherent mode: every source may be used on every page (once), so it keeps the whole corpus
        self.corpus_articles = [s for s in originals if s.kind == "article"]
        self.corpus_photos = [s for s in originals if s.kind == "photo"]
        if mix == "coherent" and not self.corpus_articles:
            raise ValueError("the coherent mix needs at least one source article with a body")
        keep = max(1, round(len(originals) * spec.original_share))
        self.originals = originals[:keep] if mix == "recombined" else []
        self.recombiner = _Recombiner(self.pools, rng, spec, [s.id for s in self.originals])
        self.jump_plan = {int(k): [int(t) for t in v] for k, v in (jump_plan or {}).items()}
        unknown = sorted(set(self.jump_plan) - set(self.page_numbers))
        if unknown:
            raise ValueError(f"jump_plan names pages {unknown} that are not in the edition {self.page_numbers}")
        self.family: dict[str, str] = {}
        self.offset: dict[str, int] = {}
        self.uses: Counter[str] = Counter()
        self.printed: dict[str, set[int]] = {}
        self.page_used: set[str] = set()
        self.locked: set[str] = set()
        self.page_rank: dict[str, float] = {}
        self.page_no = first
        self.full_width = rng.random() < spec.full_width if full_width is None else full_width
        self.encoding = encoding or rng.choice(spec.encodings)
        start = datetime.date(2023, 11, 20) + datetime.timedelta(days=rng.randint(-300, 300))
        self.date = f"{start.year}年{start.month}月{start.day}日 {_WEEKDAYS[start.weekday()]}"
        self.pending: dict[int, list[_Cont]] = {}
        self.src: dict[str, SourceArticle] = {}
        self.art_blocks: dict[str, list[_RB]] = {}
        self.flags: dict[str, dict[str, int | None]] = {}
        self.merged: dict[str, bool] = {}
        self.uid_serial = 0
        self.illustrations: dict[int, list[tuple[float, float, float, float]]] = {}
        self.partitions = self._partitions()
        self.keep = _Keep(spec.keep_whole, f"{seed}:{level}")

    # -- helpers ----------------------------------------------------------------------------------------

    def _partitions(self) -> list[tuple[int, ...]]:
        n, spec = self.geo.ncols, self.spec
        out: list[tuple[int, ...]] = []

        def rec(left: int, acc: tuple[int, ...]) -> None:
            if left == 0:
                out.append(acc)
                return
            if len(acc) >= spec.max_parts:
                return
            for s in range(spec.min_span, left + 1):
                rec(left - s, (*acc, s))

        rec(n, ())
        return out

    def _uid(self, page: int) -> str:
        self.uid_serial += 1
        return f"u{page}.{self.uid_serial:04d}"

    def _indent_first(self, src: SourceArticle, para: int) -> bool:
        return not (para == 0 and not src.starts_complete)

    def _items(self, src: SourceArticle) -> list[_Item]:
        items: list[_Item] = []
        if src.summary_label and src.summary:
            items += [_Item("summary_label", src.summary_label), _Item("summary", src.summary)]
        if src.byline_line:
            items.append(_Item("byline", src.byline_line))
        subheads = dict(src.subheads)
        for i, para in enumerate(src.body):
            if i in subheads:
                items.append(_Item("subhead", subheads[i]))
            items.append(_Item("para", para, i, 0, self._indent_first(src, i)))
        return items

    def _heads(
        self, src: SourceArticle, span: int, lead: bool, role: str = "headline", headline: str | None = None
    ) -> list[_Head]:
        f = self.geo.font
        width = self.geo.span_width(span)
        big = (2.2 if lead and span >= 2 else 1.7) * f
        if role == "jump_headline":
            big = 1.4 * f
        small = 1.25 * f
        heads: list[_Head] = []
        title = headline if headline is not None else src.headline
        if role != "headline" or headline is not None:
            if title:
                heads.append(_Head(role, _display(_wrap(title, width / big - 1)), big))
            return heads
        kicker_lines = _display(_wrap(src.kicker, width / small - 1)) if src.kicker else []
        head_lines = _display(_wrap(src.headline, width / big - 1)) if src.headline else []
        if kicker_lines and head_lines and self.merged.get(src.id, False):
            heads.append(_Head("kicker+headline", kicker_lines + head_lines, big))
        else:
            if kicker_lines:
                heads.append(_Head("kicker", kicker_lines, small))
            if head_lines:
                heads.append(_Head("headline", head_lines, big))
        if src.subheadline:
            heads.append(_Head("subheadline", _display(_wrap(src.subheadline, width / small - 1)), small))
        return heads

    def _head_lines(self, heads: Sequence[_Head]) -> int:
        if not heads:
            return 0
        pt = sum(len(h.lines) * h.font * 1.3 for h in heads)
        return math.ceil(pt / self.geo.lh) + 1

    def _natural(self, src: SourceArticle, span: int, lead: bool) -> int:
        if src.kind == "photo":
            return self._photo_parts(src, span, None)[0]
        heads = self._heads(src, span, lead)
        return self._head_lines(heads) + _balanced_height(self._items(src), self.geo.cpl, span, self.keep)

    def _fit(self, src: SourceArticle, span: int, h: int, lead: bool) -> SourceArticle | None:
        """``src`` trimmed (trailing paragraphs, then trailing sentences) until it fits ``h`` lines."""
        while self._natural(src, span, lead) > h:
            if src.kind == "photo":
                return None
            if len(src.body) > 1:
                body = src.body[:-1]
            else:
                sents = split_sentences(src.body[0])
                if len(sents) < 2:
                    return None
                body = ("".join(sents[:-1]),)
            src = dataclasses.replace(
                src,
                body=body,
                subheads=tuple((k, t) for k, t in src.subheads if k < len(body)),
                ends_complete=ends_sentence(body[-1]),
            )
        return src

    def _decide_merge(self, src: SourceArticle) -> None:
        if src.id not in self.merged:
            self.merged[src.id] = bool(src.kicker) and self.rng.random() < self.spec.merged_head

    # -- sources -----------------------------------------------------------------------------------------

    def _unique_id(self, base: str) -> str:
        aid, n = base, 1
        while aid in self.src or aid in self.art_blocks:
            n += 1
            aid = f"{base}-{n}"
        return aid

    def _recombined(self, span: int, h: int, lead: bool) -> SourceArticle | None:
        cap = max(40, (h - 5) * span * self.geo.cpl)
        for _ in range(4):
            src = self.recombiner.article(int(cap * self.rng.uniform(0.9, 1.15)))
            src = dataclasses.replace(src, id=self._unique_id(src.id))
            self._decide_merge(src)
            fitted = self._fit(src, span, h, lead)
            if fitted is not None:
                return fitted
            cap = int(cap * 0.7)
        return None

    def _article_for(self, span: int, h: int, lead: bool, exact: bool) -> SourceArticle | None:
        """An article for a region of ``span`` columns and at most ``h`` lines.

        A corpus article is preferred (by ``original_share``) when it fits or can be trimmed to fit;
        ``exact`` asks for one that fills most of the height (the other regions of a band). In the
        coherent mix the article is always derived from one source (:meth:`_coherent_for`).
        """
        if self.mix == "coherent":
            return self._coherent_for(span, h, lead, exact)
        if self.originals and self.rng.random() < self.spec.original_share:
            for i, src in enumerate(self.originals):
                if src.kind == "photo":
                    continue
                self._decide_merge(src)
                n = self._natural(src, span, lead)
                if n <= h and (not exact or n >= 0.75 * h):
                    return self.originals.pop(i)
                if n > h:
                    fitted = self._fit(src, span, h, lead)
                    if fitted is not None and (not exact or self._natural(fitted, span, lead) >= 0.75 * h):
                        self.originals.pop(i)
                        return fitted
        return self._recombined(span, h, lead)

    # -- coherent mix: every article derived from one source article ------------------------------------

    def _available(self) -> list[SourceArticle]:
        """Source articles that may still go on the current page, least used in the edition first.

        A source is printed at most once per page: two articles with the same names and places on one page
        would make content matching ambiguous (and no real page prints a story twice). A source whose
        article jumps is not printed again later in the edition, and one that jumps to a page of the
        edition was not printed before either (:meth:`_coherent_jump`), so its continuation has one
        possible start. Ties are broken by a per-page random rank, so pages do not all start with the
        same story.
        """
        free = [s for s in self.corpus_articles if s.id not in self.page_used and s.id not in self.locked]
        return sorted(free, key=lambda s: (self.uses[s.id], self.page_rank.get(s.id, 0.0)))

    @staticmethod
    def _own_clauses(texts: Iterable[str], lo: int, hi: int) -> list[str]:
        """Clauses of an article's own paragraphs that can stand alone as a kicker, sub-headline or subhead.

        Same filter as the recombination pools (no conjunction or pronoun first, nearly all CJK, quotes
        balanced), but drawn from one article, so the head it makes talks about that article.
        """
        out: list[str] = []
        for text in texts:
            for clause in _PUNCT_SPLIT.split(_LEAD_CREDIT.sub("", text, count=1)):
                clause = clause.strip("“”‘’—…")
                if (
                    lo <= len(clause) <= hi
                    and _balanced(clause)
                    and clause[0] not in _FUNCTION_STARTS
                    and clause[-1] not in _WEAK_ENDS
                    and "我们" not in clause
                    and sum(map(is_cjk, clause)) >= len(clause) - 1
                    and clause not in out
                ):
                    out.append(clause)
        return out

    def _summary_sentence(self, body: Sequence[str]) -> tuple[int, int, list[str]] | None:
        """``(paragraph, sentence, sentences)`` of a sentence that can move out of the body into a 阅读提示.

        Only from a paragraph after the first with at least two sentences, so the paragraph survives
        and the lead stays whole; 15-70 characters, like the seed's summary.
        """
        options: list[tuple[int, int, list[str]]] = []
        for i in range(1, len(body)):
            sents = _attach_attributions(split_sentences(body[i]))
            if len(sents) < 2:
                continue
            for j, sent in enumerate(sents):
                if 15 <= len(sent) <= 70 and ends_sentence(sent) and _balanced(sent):
                    options.append((i, j, sents))
        return self.rng.choice(options) if options else None

    def _derive(self, src: SourceArticle) -> tuple[SourceArticle, int]:
        """An article made from ``src`` alone, and the index in ``src`` of its first paragraph.

        Why these changes and no others: the pipeline gives bodies to headlines partly by shared names and
        places, so an article must keep talking about one thing from kicker to last paragraph, while the
        levels still ask for kickers, sub-headlines, byline blocks, subheads and summaries more often than
        nine real articles have them. So, each only from the article's own text:

        * a source already printed shortened earlier in the edition prints the paragraphs not printed yet
          ("part 2"): same kicker and headline, its own sub-headline (the in-body subhead at the cut, else
          a clause of its first paragraph), the byline as a block or not at all;
        * a 本报讯 lead's credit may become a byline block (``byline_block``);
        * a 阅读提示 summary may be one of its own sentences, moved out of the body (``summary``);
        * a kicker and a sub-headline may be added from clauses of its first paragraphs, in-body subheads
          from clauses of the paragraphs they precede (half the level's rate for kicker and sub-headline,
          since the real ones are kept).

        The article is then only shortened from the end (:meth:`_fit`), as an editor cuts.
        """
        rng, spec = self.rng, self.spec
        body = list(src.body)
        subheads = dict(src.subheads)
        kicker, subheadline = src.kicker, src.subheadline
        byline, byline_line = src.byline, src.byline_line
        summary_label, summary = src.summary_label, src.summary
        starts = src.starts_complete
        first = 0
        printed = self.printed.get(src.id)
        if printed:
            rest = range(max(printed) + 1, len(src.body))
            if len(rest) >= 2 and sum(len(src.body[i]) for i in rest) >= 120:
                first = rest[0]
        if first:
            body = body[first:]
            at_cut = subheads.get(first)
            subheads = {i - first: t for i, t in subheads.items() if i > first}
            clauses = [c for c in self._own_clauses(body[:1], 4, 12) if c != src.subheadline]
            subheadline = at_cut or (rng.choice(clauses) if clauses else None)
            summary_label = summary = None
            starts = ends_sentence(src.body[first - 1])
            byline = _print_byline(byline) if byline and rng.random() < 0.5 else ()
            byline_line = " ".join(byline) if byline else None
        else:
            credit = _LEAD_CREDIT.match(body[0]) if starts else None
            if (
                credit
                and byline
                and byline_line is None
                and len(body[0]) - credit.end() >= 10
                and rng.random() < spec.byline_block
            ):
                byline = _print_byline(byline)
                byline_line = " ".join(byline)
                body[0] = body[0][credit.end() :]
            if summary is None and len(body) >= 3 and rng.random() < spec.summary:
                moved = self._summary_sentence(body)
                if moved is not None:
                    i, j, sents = moved
                    summary_label, summary = "阅读提示", sents[j]
                    body[i] = "".join(sents[:j] + sents[j + 1 :])
            if subheadline is None and rng.random() < spec.subheadline / 2:
                clauses = self._own_clauses(body[:2], 4, 12)
                if clauses:
                    subheadline = rng.choice(clauses)
        if kicker is None and rng.random() < spec.kicker / 2:
            clauses = [c for c in self._own_clauses(body[:2], 5, 13) if c != subheadline]
            if len(clauses) >= 2 and rng.random() < 0.6:
                a, b = sorted(rng.sample(range(len(clauses)), 2))
                kicker = f"{clauses[a]},{clauses[b]}——" if rng.random() < 0.5 else f"{clauses[a]} {clauses[b]}"
            elif clauses:
                kicker = rng.choice(clauses)
        if not subheads and len(body) >= 4 and rng.random() < spec.subheads:
            positions = sorted(rng.sample(range(2, len(body)), k=min(len(body) - 2, rng.choice((1, 2, 2)))))
            for i in positions:
                options = self._own_clauses(body[i : i + 1], 4, 8)
                if options:
                    subheads[i] = rng.choice(options)
        whole_end = first + len(body) == len(src.body) and body[-1] == src.body[-1]
        aid = self._unique_id(src.id)
        self.merged[aid] = bool(kicker) and rng.random() < spec.merged_head
        art = dataclasses.replace(
            src,
            id=aid,
            kicker=kicker,
            subheadline=subheadline,
            byline=byline,
            byline_line=byline_line,
            body=tuple(body),
            subheads=tuple(sorted(subheads.items())),
            summary_label=summary_label,
            summary=summary,
            starts_complete=starts,
            ends_complete=src.ends_complete if whole_end else ends_sentence(body[-1]),
        )
        return art, first

    def _commit(self, art: SourceArticle, family: str, first: int) -> SourceArticle:
        """Record that ``art`` (from source ``family``, paragraphs from ``first``) goes on this page."""
        self.family[art.id] = family
        self.offset[art.id] = first
        self.uses[family] += 1
        self.page_used.add(family)
        if art.kind == "article":
            self.printed.setdefault(family, set()).update(range(first, first + len(art.body)))
        return art

    def _coherent_for(self, span: int, h: int, lead: bool, exact: bool) -> SourceArticle | None:
        """A derived article that fills much of a region (75 % of ``h`` when ``exact``, else half).

        Sources least used in the edition are tried first; when none fills enough, the one that fills
        most is taken: with nine sources a page runs short of stories, and a longer article in fewer
        regions is what a real page does then (the caller also limits regions per band to the sources
        left).
        """
        threshold = 0.75 if exact else 0.5
        best: tuple[SourceArticle, str, int] | None = None
        best_n = -1
        for src in self._available():
            art, first = self._derive(src)
            fitted = self._fit(art, span, h, lead)
            if fitted is None:
                continue
            n = self._natural(fitted, span, lead)
            if n >= threshold * h:
                return self._commit(fitted, src.id, first)
            if n > best_n:
                best, best_n = (fitted, src.id, first), n
        return None if best is None else self._commit(*best)

    def _photo_from(self, src: SourceArticle) -> SourceArticle | None:
        """A news photo about ``src``: title from its headline, caption its lead sentences, credit its reporter.

        No randomness, so the layout can size the photo before placing it and get the same one.
        """
        names = [e.split(" ")[-1] for e in src.byline if e.split(" ")[-1]]
        if not names or not src.headline or not src.starts_complete:
            return None
        caption = ""
        for sent in _attach_attributions(split_sentences(_LEAD_CREDIT.sub("", src.body[0], count=1))):
            if len(caption) + len(sent) > 110:
                break
            caption += sent
        if len(caption) < 30 or not ends_sentence(caption):
            return None
        title: str | None = src.headline if len(src.headline) <= 14 else None
        if title is None:
            parts = [x for x in split_headline(src.headline) or () if 4 <= len(x) <= 10]
            title = parts[-1] if parts else None
        if title is None:
            return None
        role = "本报通讯员" if "通讯员" in src.byline[0] else "本报记者"
        credit = f"{role} {names[0]} 摄"
        return SourceArticle(
            id=f"{src.id}-photo",
            kind="photo",
            headline=title,
            body=(caption,),
            credit=credit,
            byline=(credit,),
            origin="corpus",
        )

    def _coherent_photo(self) -> tuple[SourceArticle, str] | None:
        """``(photo, source id)`` for the current page: a corpus photo not on it yet, else one made from a
        source article not on it (:meth:`_photo_from`); ``None`` when neither is left."""
        for photo in sorted(self.corpus_photos, key=lambda s: (self.uses[s.id], self.page_rank.get(s.id, 0.0))):
            if photo.id not in self.page_used:
                return photo, photo.id
        for src in self._available():
            made = self._photo_from(src)
            if made is not None:
                return made, src.id
        return None

    def _coherent_jump(
        self, span: int, band_h: int, lead: bool, fresh_only: bool
    ) -> tuple[SourceArticle, str, int, int] | None:
        """``(article, source id, first paragraph, band height)`` for an article that jumps out of a region.

        A source not yet used in the edition is preferred, and required with ``fresh_only`` (a jump to a
        page of the edition: a copy of the story on another page would be a second candidate start for
        its continuation); a jumped source is then locked (:meth:`_available`). The band is lowered when
        the article is short for it, so that the article is 1.3-1.7 times what the region holds, as the
        recombined mix sizes its jumped articles.
        """
        g = self.geo
        cands = [s for s in self._available() if len(s.body) >= 3]
        fresh = [s for s in cands if not self.uses[s.id]]
        if not fresh_only:
            fresh = fresh or cands
        for src in fresh:
            art, first = self._derive(src)
            if len(art.body) < 2:
                continue
            heads = self._head_lines(self._heads(art, span, lead))
            cap = art.length / self.rng.uniform(1.3, 1.7)
            h = min(band_h, heads + math.ceil(cap / (span * g.cpl)) + 1)
            if h - heads < 6:
                continue
            return art, src.id, first, h
        return None

    # -- placing -----------------------------------------------------------------------------------------

    def _add(self, rb: _RB) -> None:
        self.art_blocks.setdefault(rb.article, []).append(rb)

    def _place_heads(
        self, pno: int, aid: str, heads: Sequence[_Head], region: int, top: int, c0: int, span: int
    ) -> int:
        """Head blocks of a region, centred over its columns; returns the first body line."""
        g = self.geo
        x_left = g.col_x(c0)
        width = g.span_width(span)
        y = g.y(top)
        for h in heads:
            w = max(_width(s) for s in h.lines) * h.font
            x0 = x_left + max(0.0, (width - w) / 2)
            height = len(h.lines) * h.font * 1.3
            self._add(
                _RB(
                    self._uid(pno),
                    aid,
                    h.role,
                    list(h.lines),
                    h.font,
                    h.font * 1.3,
                    (x0, y, min(x0 + w, x_left + width), y + height),
                    "head",
                    region,
                    c0,
                    top,
                )
            )
            y += height
        return top + self._head_lines(heads)

    def _place_flow(
        self, pno: int, aid: str, cols: Sequence[Sequence[_Placed]], region: int, body_top: int, c0: int
    ) -> None:
        g = self.geo
        role_of = {
            "para": None,
            "subhead": "subhead",
            "byline": "byline",
            "summary_label": "summary_label",
            "summary": "summary",
            "jump_from": "jump_from",
        }
        for ci, col in enumerate(cols):
            for p in col:
                disp = _display(p.raw)
                if not disp:
                    continue
                x0 = g.col_x(c0 + ci)
                font = g.font * (1.1 if p.item.kind == "subhead" else 1.0)
                w = max(_width(s) for s in disp) * g.font
                if p.item.kind in ("subhead", "jump_from", "summary_label"):
                    x0 += max(0.0, (g.colw - w) / 2) if p.item.kind == "subhead" else 0.0
                top = g.y(body_top + p.line)
                self._add(
                    _RB(
                        self._uid(pno),
                        aid,
                        role_of[p.item.kind],
                        disp,
                        font,
                        g.lh,
                        (x0, top, x0 + w, top + len(disp) * g.lh),
                        "body",
                        region,
                        c0 + ci,
                        body_top + p.line,
                        p.item.para,
                        p.item.start,
                        p.end,
                    )
                )

    def _place_article(
        self, pno: int, src: SourceArticle, region: int, top: int, c0: int, span: int, lead: bool
    ) -> int:
        """Place a whole article; returns the number of lines it takes."""
        self.src[src.id] = src
        if src.kind == "photo":
            return self._place_photo(pno, src, region, top, c0, span, None)
        heads = self._heads(src, span, lead)
        body_top = self._place_heads(pno, src.id, heads, region, top, c0, span)
        items = self._items(src)
        h = _balanced_height(items, self.geo.cpl, span, self.keep)
        cols, rest = _flow(items, self.geo.cpl, [h] * span, self.keep)
        assert not rest
        self._place_flow(pno, src.id, cols, region, body_top, c0)
        return body_top - top + h

    def _photo_parts(self, src: SourceArticle, span: int, band_h: int | None) -> tuple[int, int, list[str], list[str]]:
        """(total lines, picture lines, title lines, caption lines) of a photo region."""
        g = self.geo
        width = g.span_width(span)
        title = _display(_wrap(src.headline or "", width / (1.3 * g.font) - 1))
        caption = _display(_wrap(src.body[0], width / (0.95 * g.font)))
        fixed = math.ceil(len(title) * 1.3 * 1.3) + len(caption) + 2
        picture = max(8, 3 * span + 4) if band_h is None else max(3, band_h - fixed)
        return fixed + picture, picture, title, caption

    def _place_photo(
        self, pno: int, src: SourceArticle, region: int, top: int, c0: int, span: int, band_h: int | None
    ) -> int:
        g = self.geo
        total, picture, title, caption = self._photo_parts(src, span, band_h)
        x0, width = g.col_x(c0), g.span_width(span)
        self.illustrations.setdefault(pno, []).append((x0, g.y(top), x0 + width, g.y(top + picture - 0.5)))
        y = top + picture
        tf = 1.3 * g.font
        tw = max(_width(s) for s in title) * tf if title else 0.0
        self._add(
            _RB(
                self._uid(pno),
                src.id,
                "headline",
                title,
                tf,
                tf * 1.3,
                (x0, g.y(y), x0 + tw, g.y(y) + len(title) * tf * 1.3),
                "head",
                region,
                c0,
                y,
            )
        )
        y += math.ceil(len(title) * 1.3 * 1.3)
        cf = 0.95 * g.font
        cw = max(_width(s) for s in caption) * cf
        self._add(
            _RB(
                self._uid(pno),
                src.id,
                "caption",
                caption,
                cf,
                g.lh,
                (x0, g.y(y), x0 + cw, g.y(y + len(caption))),
                "body",
                region,
                c0,
                y,
            )
        )
        y += len(caption)
        credit = src.credit or ""
        crw = _width(credit) * 0.9 * g.font
        self._add(
            _RB(
                self._uid(pno),
                src.id,
                "credit",
                [credit],
                0.9 * g.font,
                g.lh,
                (x0 + width - crw, g.y(y), x0 + width, g.y(y + 1)),
                "body",
                region,
                c0 + span - 1,
                y,
            )
        )
        return total

    def _place_cont(self, pno: int, cont: _Cont, region: int, top: int, c0: int, span: int) -> int:
        src = self.src[cont.article]
        heads = self._heads(src, span, False, cont.role, cont.headline)
        body_top = self._place_heads(pno, cont.article, heads, region, top, c0, span)
        items = [_Item("jump_from", f"(上接第{cont.from_page}版)"), *cont.items]
        h = _balanced_height(items, self.geo.cpl, span, self.keep)
        cols, rest = _flow(items, self.geo.cpl, [h] * span, self.keep)
        assert not rest
        self._place_flow(pno, cont.article, cols, region, body_top, c0)
        return body_top - top + h

    def _cont_height(self, cont: _Cont, span: int) -> int:
        src = self.src[cont.article]
        heads = self._heads(src, span, False, cont.role, cont.headline)
        items = [_Item("jump_from", "(上接第1版)"), *cont.items]
        return self._head_lines(heads) + _balanced_height(items, self.geo.cpl, span, self.keep)

    def _trim_cont(self, cont: _Cont, limit: int) -> None:
        """Drop trailing paragraphs of a continuation (and of its source) until it fits ``limit`` lines."""
        while self._cont_height(cont, self.geo.ncols) > limit and len(cont.items) > 1:
            cont.items.pop()
            while len(cont.items) > 1 and cont.items[-1].kind != "para":
                cont.items.pop()
            last = cont.items[-1].para
            src = self.src[cont.article]
            body = src.body[: last + 1]
            self.src[cont.article] = dataclasses.replace(
                src,
                body=body,
                subheads=tuple((k, t) for k, t in src.subheads if k <= last),
                ends_complete=ends_sentence(body[-1]),
            )

    def _jump_headline(self, headline: str) -> str:
        """A short headline over a continuation: the predicate or the subject of the headline (4-10
        characters) when the headline splits at a verb, else its last 4-10 characters with no quote open."""
        text = headline.replace(" ", "")
        if len(text) <= 8:
            return text
        split = split_headline(text)
        options = [part for part in split or () if 4 <= len(part) <= 10]
        if options:
            return options[-1] if self.rng.random() < 0.7 else options[0]
        for n in range(min(10, len(text) - 1), 3, -1):
            if _balanced(text[-n:]) and is_cjk(text[-n]):
                return text[-n:]
        return text[-6:]

    def _place_jump(self, pno: int, span: int, band_h: int, region: int, top: int, c0: int, lead: bool) -> int:
        """An article too long for its region: cut mid-sentence, ``(下转第N版)``, rest queued for page N.

        Returns the band height used (the coherent mix may lower it to the article), 0 when nothing fit.
        """
        g = self.geo
        src: SourceArticle | None = None
        picked: tuple[SourceArticle, str, int, int] | None = None
        if self.mix == "coherent":
            # the target first: a jump that joins two pages of the edition needs a source used nowhere
            # else in it, one to a page not given does not (its continuation is not there to mismatch)
            target, missing = self._jump_target(pno)
            picked = self._coherent_jump(span, band_h, lead, fresh_only=not missing)
            if picked is None:
                return 0
            src, band_h = picked[0], picked[3]
        else:
            cap_chars = max(60, (band_h - 5) * span * g.cpl)
            for i, cand in enumerate(self.originals):
                if cand.kind == "article" and cand.length > 1.3 * cap_chars and self.rng.random() < 0.5:
                    src = self.originals.pop(i)
                    break
            if src is None:
                src = self.recombiner.article(min(1800, int(cap_chars * self.rng.uniform(1.3, 1.7))))
                src = dataclasses.replace(src, id=self._unique_id(src.id))
            self._decide_merge(src)
        heads = self._heads(src, span, lead)
        h_body = band_h - self._head_lines(heads)
        if h_body < 6:
            return 0
        items = self._items(src)
        caps = [h_body] * span
        caps[-1] -= 1
        while True:
            cols, rest = _flow(items, g.cpl, caps, self.keep)
            last = next((p for col in reversed(cols) for p in reversed(col)), None)
            if (
                rest
                and last is not None
                and last.item.kind == "para"
                and rest[0].kind == "para"
                and rest[0].start > 0
                and not ends_sentence(src.body[last.item.para][: last.end])
            ):
                break
            k = max(i for i, c in enumerate(caps) if c > 0)
            caps[k] -= 1
            if caps[k] < 2 and k == 0:
                return 0
        if picked is not None:
            self._commit(src, picked[1], picked[2])
            self.locked.add(picked[1])
        if picked is None:
            target, missing = self._jump_target(pno)
        self.src[src.id] = src
        body_top = self._place_heads(pno, src.id, heads, region, top, c0, span)
        self._place_flow(pno, src.id, cols, region, body_top, c0)
        marker = f"(下转第{target}版)"
        mw = _width(marker) * g.font
        x1 = g.col_x(c0 + span - 1) + g.colw
        y = body_top + h_body - 1
        self._add(
            _RB(
                self._uid(pno),
                src.id,
                "jump_to",
                [marker],
                g.font,
                g.lh,
                (x1 - mw, g.y(y), x1, g.y(y + 1)),
                "body",
                region,
                c0 + span - 1,
                y,
            )
        )
        if missing:
            j = rest[0].para
            body = (*src.body[:j], src.body[j][: rest[0].start])
            self.src[src.id] = dataclasses.replace(
                src, body=body, subheads=tuple((k, t) for k, t in src.subheads if k <= j), ends_complete=False
            )
            self.flags[src.id] = {"continues_to": target}
        else:
            cont = _Cont(src.id, list(rest), pno, self._jump_headline(src.headline or ""), "jump_headline")
            self._trim_cont(cont, int(g.lines * 0.4))
            self.pending.setdefault(target, []).append(cont)
        return band_h

    def _jump_target(self, pno: int) -> tuple[int, bool]:
        """``(target page, not in the edition)`` of a jump out of page ``pno``: the plan's next, else mostly
        the next page, sometimes a later one, and by ``jump_beyond`` (or from the last page) a page not
        given."""
        if self.jump_plan:
            target = self.plan_targets.pop(0)
            return target, target not in self.page_numbers
        later = [p for p in self.page_numbers if p > pno]
        missing = not later or self.rng.random() < self.spec.jump_beyond
        if later and not missing:
            return (later[0] if self.rng.random() < 0.75 else self.rng.choice(later)), False
        return self.page_numbers[-1] + self.rng.randint(1, 3), True

    def _beheaded(self) -> _Cont | None:
        """The rest of an article whose start is on a page before the first one given (seed style)."""
        src = None
        if self.mix == "coherent":
            cands = [s for s in self._available() if len(s.body) >= 3]
            if not cands:
                return None
            src = dataclasses.replace(cands[0], id=self._unique_id(cands[0].id))
            self._commit(src, cands[0].id, 0)
            self.locked.add(cands[0].id)
        for i, cand in enumerate(self.originals):
            if cand.kind == "article" and len(cand.body) >= 3:
                src = self.originals.pop(i)
                break
        if src is None:
            src = self.recombiner.article(self.geo.cpl * 40)
            src = dataclasses.replace(src, id=self._unique_id(src.id))
        j = self.rng.randrange(0, max(1, len(src.body) - 2))
        para = src.body[j]
        cuts = [k for k in range(6, len(para) - 6) if is_cjk(para[k - 1]) and is_cjk(para[k])]
        if not cuts:
            return None
        pos = self.rng.choice(cuts)
        body = (para[pos:], *src.body[j + 1 :])
        src = dataclasses.replace(
            src,
            body=body,
            subheads=tuple((k - j, t) for k, t in src.subheads if k > j),
            kicker=None,
            subheadline=None,
            summary=None,
            summary_label=None,
            byline_line=None,
            byline=(),
            starts_complete=False,
        )
        self.src[src.id] = src
        from_page = self.rng.randint(1, self.page_numbers[0] - 1)
        self.flags[src.id] = {"continued_from": from_page}
        cont = _Cont(src.id, self._items(src), from_page, src.headline or "", "headline")
        self._trim_cont(cont, int(self.geo.lines * 0.5))
        return cont

    # -- pages -------------------------------------------------------------------------------------------

    def _furniture(self, pno: int) -> None:
        g, rng, spec = self.geo, self.rng, self.spec
        aid = f"furniture-p{pno}"
        section = rng.choice(_SECTIONS)
        parts = [str(pno), section, self.date]
        if rng.random() < spec.header_split:
            texts = parts if rng.random() < 0.6 else [f"{pno} {section}", self.date]
        else:
            texts = [" ".join(parts)]
        y = g.y(-g.header_lines)
        right = g.width - g.margin
        for i, t in enumerate(texts):
            w = _width(t) * g.font
            if len(texts) == 1 or i == 0:
                x0 = g.margin
            elif i == len(texts) - 1:
                x0 = right - w
            else:
                x0 = (g.width - w) / 2
            self._add(
                _RB(
                    self._uid(pno),
                    aid,
                    None,
                    [t],
                    g.font,
                    g.lh,
                    (x0, y, x0 + w, y + g.lh),
                    "furn_top",
                    -1,
                    int((x0 - g.margin) // (g.colw + g.gutter)),
                    -g.header_lines,
                )
            )
        if rng.random() < spec.footer:
            t = f"责任编辑:{rng.choice(self.pools.names)}"
            w = _width(t) * g.font
            y = g.y(g.lines + 0.5)
            self._add(
                _RB(
                    self._uid(pno),
                    aid,
                    None,
                    [t],
                    g.font,
                    g.lh,
                    (g.width - g.margin - w, y, g.width - g.margin, y + g.lh),
                    "furn_bottom",
                    -2,
                    g.ncols - 1,
                    g.lines,
                )
            )
        self.src[aid] = SourceArticle(id=aid, kind="furniture", origin="furniture")

    def _layout_page(self, pno: int) -> None:
        g, spec, rng = self.geo, self.spec, self.rng
        self._furniture(pno)
        conts = self.pending.pop(pno, [])
        if self.mix == "coherent":
            self.page_no = pno
            self.page_used = {self.family.get(c.article, c.article) for c in conts}
            self.page_rank = {s.id: rng.random() for s in (*self.corpus_articles, *self.corpus_photos)}
        if pno == self.page_numbers[0] and pno > 1 and rng.random() < spec.missing_start:
            beheaded = self._beheaded()
            if beheaded is not None:
                conts.insert(0, beheaded)
        n_jumps = rng.randint(*spec.jumps)
        if pno == self.page_numbers[-1] and rng.random() >= spec.jump_missing_target:
            n_jumps = 0  # the last page given jumps only to a page that is not given
        if self.jump_plan:
            self.plan_targets = list(self.jump_plan.get(pno, []))
            n_jumps = len(self.plan_targets)
        n_photos = sum(rng.random() < spec.photo for _ in range(spec.max_photos))
        top = region = 0
        while g.lines - top >= 6 or conts:
            remaining = g.lines - top
            lead = region == 0
            # the first region of a band sets its height and may carry the lead: never a single column
            parts = [p for p in self.partitions if p[0] >= 2] or self.partitions
            if conts:
                cont = conts.pop(0)
                options = [p for p in parts if self._cont_height(cont, p[0]) <= 0.6 * remaining]
                options = options or [p for p in parts if self._cont_height(cont, p[0]) <= remaining]
                if not options:
                    self._trim_cont(cont, remaining)
                    options = [p for p in parts if self._cont_height(cont, p[0]) <= remaining] or [(g.ncols,)]
                part = rng.choice(options)
                band_h = self._place_cont(pno, cont, region, top, 0, part[0])
            else:
                band_h = 0
                if self.mix == "coherent":
                    # fewer, longer articles when the page runs short of sources: no more regions in a band
                    # than sources (and a photo) left for this page
                    room = len(self._available()) + (n_photos > 0 and self._photo_src(peek=True) is not None)
                    if room == 0:
                        break
                    parts = [p for p in parts if len(p) <= room] or [(g.ncols,)]
                if n_jumps > 0 and remaining >= self.MIN_BAND + 8:
                    n_jumps -= 1
                    wide = [p for p in parts if p[0] >= min(2, g.ncols)] or parts
                    part = rng.choice(wide)
                    lo = min(remaining, max(self.MIN_BAND + 4, remaining * 2 // 5))
                    hi = remaining if rng.random() < 0.3 else remaining - self.MIN_BAND - 2
                    if self.jump_plan and n_jumps > 0:  # leave room for the other planned jumps
                        hi = min(hi, remaining // 2)
                    band_h = self._place_jump(pno, part[0], rng.randint(lo, max(lo, hi)), region, top, 0, lead)
                if band_h == 0:
                    # a short strip left at the bottom takes one full-width brief
                    part = rng.choice(parts) if remaining >= self.MIN_BAND else (g.ncols,)
                    target = rng.randint(min(remaining, 16), remaining)
                    src = self._article_for(part[0], target, lead, exact=False)
                    if src is None:
                        break
                    band_h = self._place_article(pno, src, region, top, 0, part[0], lead)
            band_h = max(band_h, min(self.MIN_BAND, remaining))
            region += 1
            c0 = part[0]
            for span in part[1:]:
                placed = False
                peek = self._photo_src(peek=True) if n_photos else None
                if (
                    peek is not None
                    and span <= max(2, g.ncols // 3)
                    and band_h >= 16
                    and self._photo_parts(peek, span, band_h)[1] >= 7
                ):
                    photo = self._photo_src(peek=False)
                    assert photo is not None
                    photo = dataclasses.replace(photo, id=self._unique_id(photo.id))
                    self.src[photo.id] = photo
                    self._place_photo(pno, photo, region, top, c0, span, band_h)
                    n_photos -= 1
                    placed = True
                elif conts:
                    cont = conts[0]
                    if self._cont_height(cont, span) <= band_h:
                        conts.pop(0)
                        self._place_cont(pno, cont, region, top, c0, span)
                        placed = True
                if not placed:
                    src = self._article_for(span, band_h, False, exact=True)
                    if src is not None:
                        self._place_article(pno, src, region, top, c0, span, False)
                region += 1
                c0 += span
            top += band_h
            if top >= g.lines and conts:
                raise RuntimeError(f"page {pno}: no room left for {len(conts)} continuation(s)")

    def _photo_src(self, peek: bool) -> SourceArticle | None:
        """The next photo (``peek``: one of the same size, nothing used up); ``None`` when the coherent mix
        has none left for this page."""
        if self.mix == "coherent":
            found = self._coherent_photo()
            if found is None or peek:
                return None if found is None else found[0]
            return self._commit(dataclasses.replace(found[0], id=self._unique_id(found[0].id)), found[1], 0)
        for i, src in enumerate(self.originals):
            if src.kind == "photo":
                return src if peek else self.originals.pop(i)
        if peek:
            return SourceArticle(id="peek", kind="photo", headline="图片新闻", body=("图" * 80,), credit="摄")
        return self.recombiner.photo()

    # -- extraction order ----------------------------------------------------------------------------------

    def _order(self, rbs: list[_RB]) -> list[_RB]:
        spec, rng = self.spec, self.rng
        top = [b for b in rbs if b.zone == "furn_top"]
        bottom = [b for b in rbs if b.zone == "furn_bottom"]
        main = [b for b in rbs if b.zone in ("head", "body")]
        if rng.random() < spec.column_major:
            zone_rank = {"head": 0, "body": 1}
            ordered = sorted(main, key=lambda b: (b.col, b.line, zone_rank[b.zone]))
        else:
            regions: list[int] = list(dict.fromkeys(b.region for b in main))
            if rng.random() < spec.region_swap_prob:
                for _ in range(rng.randint(*spec.region_swaps)):
                    if len(regions) > 1:
                        i = rng.randrange(len(regions) - 1)
                        regions[i], regions[i + 1] = regions[i + 1], regions[i]
            chunks: list[tuple[int, str, list[_RB]]] = []
            for r in regions:
                blocks = [b for b in main if b.region == r]
                heads = [b for b in blocks if b.zone == "head"]
                if heads:
                    chunks.append((r, "head", heads))
                body = sorted((b for b in blocks if b.zone == "body"), key=lambda b: (b.col, b.line))
                for col in dict.fromkeys(b.col for b in body):
                    chunks.append((r, "col", [b for b in body if b.col == col]))
            if rng.random() < spec.detach and len(regions) > 2:
                r = rng.choice(regions[:-1])
                moved = [c for c in chunks if c[0] == r and c[1] == "col"]
                rest = [c for c in chunks if not (c[0] == r and c[1] == "col")]
                later = regions[regions.index(r) + 1 :]
                after = rng.choice(later)
                at = max(i for i, c in enumerate(rest) if c[0] == after) + 1
                chunks = rest[:at] + moved + rest[at:]
            if rng.random() < spec.headlines_first:
                chunks = [c for c in chunks if c[1] == "head"] + [c for c in chunks if c[1] != "head"]
            if rng.random() < spec.tail_prob:
                for _ in range(rng.randint(*spec.tails_later)):
                    candidates = [i for i, c in enumerate(chunks) if c[1] == "col" and len(c[2]) >= 2]
                    if not candidates:
                        break
                    i = rng.choice(candidates)
                    r, kind, blocks = chunks[i]
                    tail = blocks[-1]
                    chunks[i] = (r, kind, blocks[:-1])
                    later_i = [k for k in range(i + 1, len(chunks)) if chunks[k][0] != r]
                    at = rng.choice(later_i) + 1 if later_i else len(chunks)
                    chunks.insert(at, (r, "tail", [tail]))
            ordered = [b for c in chunks for b in c[2]]
        if rng.random() < spec.furniture_last:
            return ordered + top + bottom
        return top + ordered + bottom

    # -- the edition -------------------------------------------------------------------------------------

    def run(self) -> ComposedEdition:
        page_blocks: dict[int, list[_RB]] = {}
        for pno in self.page_numbers:
            before = {b.uid for bl in self.art_blocks.values() for b in bl}
            self._layout_page(pno)
            page_blocks[pno] = [b for bl in self.art_blocks.values() for b in bl if b.uid not in before]
        if any(self.pending.values()):
            raise RuntimeError("a continuation was queued for a page that was not laid out")
        conv = to_full_width if self.full_width else to_half_width
        pages: list[ComposedPage] = []
        for pno in self.page_numbers:
            ordered = self._order(page_blocks[pno])
            pages.append(self._finish_page(pno, ordered, conv))
        articles, stats = self._gold(conv)
        used = [self.src[a.id] for a in articles if a.kind != "furniture"]
        stats["pages"] = len(pages)
        stats["blocks"] = sum(len(p.blocks) for p in pages)
        return ComposedEdition(
            name=f"{self.level}-s{self.seed}",
            seed=self.seed,
            level=self.level,
            pages=tuple(pages),
            articles=tuple(articles),
            sources=tuple(used),
            formats=self.formats,
            punctuation="full" if self.full_width else "half",
            stats=stats,
            source_of={a.id: self.family[a.id] for a in articles if a.id in self.family},
        )

    def _finish_page(self, pno: int, ordered: list[_RB], conv: Callable[[str], str]) -> ComposedPage:
        rng, spec, g = self.rng, self.spec, self.geo
        geometric = sorted(
            ordered,
            key=lambda b: ({"furn_top": 0, "head": 1, "body": 1, "furn_bottom": 2}[b.zone], b.col, b.line),
        )
        rank = {b.uid: i + 1 for i, b in enumerate(geometric)}
        by_geometry = spec.name == "hard"
        blocks = []
        for i, b in enumerate(ordered):
            n = rank[b.uid] if by_geometry else i + 1
            bbox = tuple(round(v, 2) for v in b.bbox)
            blocks.append(
                ComposedBlock(
                    uid=b.uid,
                    page=pno,
                    text=conv("\n".join(b.lines)),
                    article=b.article,
                    role=b.role,
                    bbox=(bbox[0], bbox[1], bbox[2], bbox[3]),
                    font_size=round(b.font, 2),
                    line_height=round(b.line_h, 2),
                    json_id=f"b{n}",
                    alto_id=f"P{pno}_TB{n:04d}",
                )
            )
        if spec.ragged_blank_lines:
            seps = tuple(rng.choice(("\n", "\n", "\n\n", " \n", "\n\u3000\n", "\n\n\n")) for _ in blocks)
            lead = rng.choice(("", "\n", "\n\n", "  \n"))
            trail = rng.choice(("\n", "\n\n", "\n\n\n"))
        else:
            seps = tuple("\n" for _ in blocks)
            lead, trail = "", "\n"
        return ComposedPage(
            number=pno,
            blocks=tuple(blocks),
            encoding=self.encoding,
            newline="\r\n" if rng.random() < spec.crlf else "\n",
            separators=seps,
            lead=lead,
            trail=trail,
            width=round(g.width, 2),
            height=round(g.height, 2),
            illustrations=tuple(
                (round(a, 2), round(b, 2), round(c, 2), round(d, 2)) for a, b, c, d in self.illustrations.get(pno, [])
            ),
        )

    def _gold(self, conv: Callable[[str], str]) -> tuple[list[GoldArticle], dict[str, float]]:
        articles: list[GoldArticle] = []
        n_joins = n_cross = n_paras = n_cut = 0
        for aid, rbs in self.art_blocks.items():
            src = self.src[aid]
            joins: list[tuple[str, str]] = []
            pieces: dict[int, list[_RB]] = {}
            prev: _RB | None = None
            for b in rbs:
                if b.role is None and b.para >= 0:
                    pieces.setdefault(b.para, []).append(b)
                    if prev is not None and prev.para == b.para:
                        joins.append((prev.uid, b.uid))
                        n_joins += 1
                        n_cross += prev.uid.split(".")[0] != b.uid.split(".")[0]
                    prev = b
            if src.kind == "furniture":
                body = tuple(conv("".join(b.lines)) for b in rbs)
            elif src.kind == "photo":
                body = (conv(src.body[0]),)
            else:
                body_list = []
                for i in sorted(pieces):
                    text = src.body[i]
                    got = "".join(src.body[i][b.start : b.end] for b in pieces[i])
                    if got != text or [b.start for b in pieces[i]][0] != 0:
                        raise RuntimeError(f"composer bug: paragraph {i} of {aid} is not laid out whole")
                    body_list.append(conv(text))
                    n_paras += 1
                    n_cut += len(pieces[i]) > 1
                body = tuple(body_list)
                if len(body) != len(src.body):
                    raise RuntimeError(f"composer bug: {aid} has {len(src.body)} paragraphs, {len(body)} placed")
            flags = self.flags.get(aid, {})
            articles.append(
                GoldArticle(
                    id=aid,
                    kind=src.kind,
                    kicker=conv(src.kicker) if src.kicker else None,
                    headline=conv(src.headline) if src.headline else None,
                    subheadline=conv(src.subheadline) if src.subheadline else None,
                    byline=tuple(conv(b) for b in src.byline),
                    blocks=tuple(b.uid for b in rbs),
                    roles={b.uid: b.role for b in rbs if b.role is not None},
                    joins=tuple(joins),
                    body=body,
                    starts_complete=src.starts_complete,
                    ends_complete=src.ends_complete,
                    continued_from=flags.get("continued_from"),
                    continues_to=flags.get("continues_to"),
                )
            )
        stats: dict[str, float] = {
            "articles": sum(a.kind != "furniture" for a in articles),
            "joins": n_joins,
            "cross_page_joins": n_cross,
            "paragraphs": n_paras,
            "cut_share": round(n_cut / n_paras, 3) if n_paras else 0.0,
            "jumps_out": sum(1 for a in articles for r in a.roles.values() if r == "jump_to"),
        }
        return articles, stats


def compose_edition(
    seed: int,
    level: str = "medium",
    n_pages: int = 1,
    formats: Sequence[str] = ("text",),
    *,
    sources: Sequence[SourceArticle] | None = None,
    full_width: bool | None = None,
    encoding: str | None = None,
    mix: str = "coherent",
    jump_plan: Mapping[int, Sequence[int]] | None = None,
    first_page: int | None = None,
) -> ComposedEdition:
    """Compose a synthetic edition of ``n_pages`` pages at ``level`` (``easy``/``medium``/``hard``).

    The same arguments always give the same edition (and :func:`write_edition` the same bytes).
    ``full_width``/``encoding`` override the level's random choice of punctuation width and text-dump
    encoding; ``sources`` replaces the default corpus.

    ``mix`` says where article text comes from: ``"coherent"`` (the default) derives every article from
    one source article, so its headline and body talk about the same thing; ``"recombined"`` is the
    older mix of sentences sampled across source articles (kept so earlier numbers can be reproduced).
    ``jump_plan`` maps a page number to the pages its jumps go to (a page not in the edition gives
    ``continues_to``), replacing the level's random jumps on every page; ``first_page`` fixes the first
    page number. Both exist to build editions with a known cross-page structure.
    """
    composer = _Composer(seed, level, n_pages, formats, sources, full_width, encoding, mix, jump_plan, first_page)
    return composer.run()


# --------------------------------------------------------------------------------------------------------
# Variants of a real page


@dataclass(slots=True)
class _VArticle:
    data: dict[str, Any]
    blocks: list[str]
    roles: dict[str, str]
    joins: list[tuple[str, str]]


def seed_variants(
    page_path: str | Path,
    gold_path: str | Path,
    seed: int,
    *,
    encoding: str | None = None,
    full_width: bool | None = None,
) -> ComposedEdition:
    """A "hidden-variant-like" version of a real annotated text page, with its gold updated.

    Operations, chosen by ``seed``: merge 0-2 gold joins into one block (the join disappears); split 1-3
    body blocks mid-word into two blocks (a new join; the second piece sometimes dumped later, like a
    column top read after another article); (50 %) a two-line kicker+headline block cut into a kicker and
    a headline block, or a kicker block merged with the headline block after it; 1-3 reorderings of runs
    of blocks (swap neighbours, move a run to the front or the end, pull an article's headline group to
    the top); rewrap body blocks at a column width (50 %); full-width punctuation (70 %); GB18030 /
    UTF-16 / UTF-8-sig / UTF-8 bytes; CRLF line ends (25 %); ragged blank lines. ``encoding`` and
    ``full_width`` force those two choices.
    """
    page_path, gold_path = Path(page_path), Path(gold_path)
    gold = json.loads(gold_path.read_text(encoding="utf-8-sig"))
    entry = next((p for p in gold["pages"] if p["file"] == page_path.name), gold["pages"][0])
    pno = int(entry["number"])
    rng = random.Random(f"reassemble.seed_variants:{seed}:{page_path.name}")
    raw_blocks = _split_dump(_decode_dump(page_path.read_bytes()))
    texts: dict[str, str] = {f"p{pno}:{i}": "\n".join(lines) for i, lines in enumerate(raw_blocks)}
    order = list(texts)
    owner: dict[str, str] = {}
    arts: dict[str, _VArticle] = {}
    for art in gold["articles"]:
        va = _VArticle(dict(art), list(art["blocks"]), dict(art["roles"]), [(a, b) for a, b in art["joins"]])
        arts[art["id"]] = va
        for u in va.blocks:
            owner[u] = art["id"]
    missing = [u for u in order if u not in owner]
    if missing:
        raise ValueError(f"{gold_path}: blocks {missing[:5]} are in no gold article")
    flat = {u: join_lines(t.split("\n")) for u, t in texts.items()}

    # 1. merge gold joins back into one block
    all_joins = [(aid, j) for aid, va in arts.items() for j in va.joins]
    for aid, (a, b) in rng.sample(all_joins, k=min(len(all_joins), rng.choice((0, 1, 1, 2)))):
        va = arts[aid]
        if (a, b) not in va.joins or b in va.roles:
            continue
        texts[a] = texts[a] + "\n" + texts[b]
        flat[a] = flat[a] + flat[b]
        del texts[b], flat[b]
        order.remove(b)
        va.blocks.remove(b)
        va.joins = [(a if x == b else x, a if y == b else y) for x, y in va.joins if (x, y) != (a, b)]

    # 2. split body blocks mid-word
    candidates = [
        u
        for u in order
        if arts[owner[u]].data["kind"] == "article" and u not in arts[owner[u]].roles and len(flat[u]) >= 30
    ]
    for u in rng.sample(candidates, k=min(len(candidates), rng.randint(1, 3))):
        text = flat[u]
        cuts = [k for k in range(10, len(text) - 10) if is_cjk(text[k - 1]) and is_cjk(text[k])]
        if not cuts:
            continue
        k = rng.choice(cuts)
        u1, u2 = f"{u}/1", f"{u}/2"
        va = arts[owner[u]]
        texts[u1], texts[u2] = text[:k], text[k:]
        flat[u1], flat[u2] = text[:k], text[k:]
        owner[u1] = owner[u2] = owner[u]
        i = order.index(u)
        order[i : i + 1] = [u1]
        if rng.random() < 0.65:
            order.insert(i + 1, u2)
        else:
            j = i + 1
            while j < len(order) and owner[order[j]] == owner[u]:
                j += 1
            while j < len(order) and owner[order[j]] != owner[u] and rng.random() < 0.7:
                j += 1
            order.insert(j, u2)
        bi = va.blocks.index(u)
        va.blocks[bi : bi + 1] = [u1, u2]
        va.joins = [(u2 if x == u else x, u1 if y == u else y) for x, y in va.joins]
        va.joins.append((u1, u2))
        va.joins.sort(key=lambda p: va.blocks.index(p[0]))

    # 3. head blocks segmented differently: a two-line kicker+headline block as two blocks, or a kicker
    #    block and the headline block right after it as one kicker+headline block
    if rng.random() < 0.5:
        for va in arts.values():
            for u in list(va.blocks):
                role = va.roles.get(u)
                lines = texts[u].split("\n")
                if role == "kicker+headline" and len(lines) == 2 and rng.random() < 0.7:
                    uk, uh = f"{u}/k", f"{u}/h"
                    texts[uk], texts[uh] = lines
                    owner[uk] = owner[uh] = owner[u]
                    i = order.index(u)
                    order[i : i + 1] = [uk, uh]
                    bi = va.blocks.index(u)
                    va.blocks[bi : bi + 1] = [uk, uh]
                    del va.roles[u]
                    va.roles[uk], va.roles[uh] = "kicker", "headline"
                elif role == "kicker" and u in order and rng.random() < 0.5:
                    bi, i = va.blocks.index(u), order.index(u)
                    h = va.blocks[bi + 1] if bi + 1 < len(va.blocks) else ""
                    if va.roles.get(h) == "headline" and i + 1 < len(order) and order[i + 1] == h:
                        texts[u] = texts[u] + "\n" + texts[h]
                        order.remove(h)
                        va.blocks.remove(h)
                        del va.roles[h]
                        va.roles[u] = "kicker+headline"

    # 4. another plausible extraction order
    for _ in range(rng.randint(1, 3)):
        runs: list[list[str]] = []
        for u in order:
            if runs and owner[runs[-1][0]] == owner[u]:
                runs[-1].append(u)
            else:
                runs.append([u])
        op = rng.choice(("swap", "swap", "end", "front", "headline"))
        if op == "swap" and len(runs) > 2:
            i = rng.randrange(len(runs) - 1)
            runs[i], runs[i + 1] = runs[i + 1], runs[i]
        elif op == "end" and len(runs) > 2:
            runs.append(runs.pop(rng.randrange(len(runs) - 1)))
        elif op == "front" and len(runs) > 2:
            runs.insert(0, runs.pop(rng.randrange(1, len(runs))))
        elif op == "headline":
            heads = [
                u
                for u in order
                if arts[owner[u]].roles.get(u) in ("kicker", "headline", "subheadline", "kicker+headline")
            ]
            if heads:
                aid = owner[rng.choice(heads)]
                group = [u for u in order if owner[u] == aid and u in heads]
                runs = [group] + [[u for u in r if u not in group] for r in runs]
        order = [u for r in runs for u in r]

    # 5. rewrap body blocks at a column width
    if rng.random() < 0.5:
        cpl = rng.randint(14, 24)
        for u in order:
            if u not in arts[owner[u]].roles:
                texts[u] = "\n".join(_display(_wrap(flat[u], cpl)))

    full = rng.random() < 0.7 if full_width is None else full_width
    conv = to_full_width if full else (lambda s: s)
    enc = encoding or rng.choice(("gb18030", "utf-16", "utf-8-sig", "utf-8"))
    if enc not in ENCODINGS:
        raise ValueError(f"encoding must be one of {ENCODINGS}, got {enc!r}")
    blocks = tuple(
        ComposedBlock(uid=u, page=pno, text=conv(texts[u]), article=owner[u], role=arts[owner[u]].roles.get(u))
        for u in order
    )
    seps = tuple(rng.choice(("\n", "\n", "\n\n", " \n")) for _ in blocks)
    page = ComposedPage(
        number=pno,
        blocks=blocks,
        encoding=enc,
        newline="\r\n" if rng.random() < 0.25 else "\n",
        separators=seps,
        lead=rng.choice(("", "\n\n")),
        trail=rng.choice(("\n", "\n\n\n")),
    )
    articles = []
    for aid, va in arts.items():
        d = va.data

        def c(v: str | None) -> str | None:
            return conv(v) if v else v

        articles.append(
            GoldArticle(
                id=aid,
                kind=d["kind"],
                kicker=c(d.get("kicker")),
                headline=c(d.get("headline")),
                subheadline=c(d.get("subheadline")),
                byline=tuple(d.get("byline", [])),
                blocks=tuple(va.blocks),
                roles={u: va.roles[u] for u in va.blocks if u in va.roles},
                joins=tuple(va.joins),
                body=tuple(conv(p) for p in d.get("body", [])),
                starts_complete=bool(d["starts_complete"]),
                ends_complete=bool(d["ends_complete"]),
                continued_from=(d.get("continued_from") or {}).get("page"),
                continues_to=(d.get("continues_to") or {}).get("page"),
            )
        )
    edition = gold.get("edition") or {}
    return ComposedEdition(
        name=f"seed-variant-s{seed}",
        seed=seed,
        level="seed-variant",
        pages=(page,),
        articles=tuple(articles),
        sources=tuple(load_source_articles([gold_path])),
        formats=("text",),
        punctuation="full" if full else "half",
        paper=str(edition.get("paper") or ""),
        lang=str(edition.get("lang") or "zh"),
        stats={"blocks": len(blocks), "joins": sum(len(va.joins) for va in arts.values())},
    )


# --------------------------------------------------------------------------------------------------------
# Writers


def render_page(page: ComposedPage) -> str:
    """The text dump of a page as a string (before encoding)."""
    parts = [page.lead]
    for i, b in enumerate(page.blocks):
        if i:
            parts.append("\n" + (page.separators[i] if page.separators else "\n"))
        parts.append(b.text)
    parts.append(page.trail)
    text = "".join(parts)
    return text.replace("\n", page.newline) if page.newline != "\n" else text


def _encode(text: str, encoding: str) -> bytes:
    if encoding == "utf-16":  # explicit little-endian with BOM: Python's "utf-16" depends on the platform
        return codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return text.encode(encoding)


def _page_json(page: ComposedPage) -> str:
    blocks = [
        {"id": b.json_id, "text": b.text, "bbox": list(b.bbox or ()), "font_size": b.font_size} for b in page.blocks
    ]
    doc = {
        "format": BLOCKS_FORMAT,
        "page": page.number,
        "width": page.width,
        "height": page.height,
        "unit": "pt",
        "blocks": blocks,
    }
    return json.dumps(doc, ensure_ascii=False, indent=1) + "\n"


def _page_alto(page: ComposedPage, image_nr: int) -> bytes:
    px = 300 / 72  # ALTO in pixels of a 300 dpi scan, as most digitisation workflows deliver it

    def n(v: float) -> str:
        return str(round(v * px))

    nsmap: Any = {None: ALTO_NS, "xsi": XSI_NS}  # lxml's stubs do not type the default namespace key
    root = etree.Element(f"{{{ALTO_NS}}}alto", nsmap=nsmap)
    root.set(f"{{{XSI_NS}}}schemaLocation", f"{ALTO_NS} http://www.loc.gov/standards/alto/v4/alto-4-2.xsd")
    desc = etree.SubElement(root, "Description")
    etree.SubElement(desc, "MeasurementUnit").text = "pixel"
    info = etree.SubElement(desc, "sourceImageInformation")
    etree.SubElement(info, "fileName").text = f"page-{page.number:02d}.tif"
    styles = etree.SubElement(root, "Styles")
    sizes = sorted({b.font_size for b in page.blocks if b.font_size})
    for s in sizes:
        etree.SubElement(styles, "TextStyle", ID=f"TS{s:g}", FONTSIZE=f"{s:g}", FONTFAMILY="SimSun")
    layout = etree.SubElement(root, "Layout")
    width, height = page.width or 600.0, page.height or 800.0
    pg = etree.SubElement(
        layout,
        "Page",
        ID=f"PAGE{page.number}",
        PHYSICAL_IMG_NR=str(image_nr),
        PRINTED_IMG_NR=str(page.number),
        WIDTH=n(width),
        HEIGHT=n(height),
    )
    ps = etree.SubElement(pg, "PrintSpace", HPOS="0", VPOS="0", WIDTH=n(width), HEIGHT=n(height))
    for k, box in enumerate(page.illustrations):
        etree.SubElement(
            ps,
            "Illustration",
            ID=f"P{page.number}_IL{k + 1:03d}",
            HPOS=n(box[0]),
            VPOS=n(box[1]),
            WIDTH=n(box[2] - box[0]),
            HEIGHT=n(box[3] - box[1]),
        )
    for b in page.blocks:
        x0, top, x1, bottom = b.bbox or (0.0, 0.0, 0.0, 0.0)
        tb = etree.SubElement(
            ps,
            "TextBlock",
            ID=b.alto_id or "",
            HPOS=n(x0),
            VPOS=n(top),
            WIDTH=n(x1 - x0),
            HEIGHT=n(bottom - top),
        )
        if b.font_size:
            tb.set("STYLEREFS", f"TS{b.font_size:g}")
        fs = b.font_size or 10.0
        lh = b.line_height or fs * 1.5
        for li, line in enumerate(b.text.split("\n")):
            ly = top + li * lh
            tl = etree.SubElement(
                tb,
                "TextLine",
                ID=f"{b.alto_id}_L{li + 1}",
                HPOS=n(x0),
                VPOS=n(ly),
                WIDTH=n(_width(line) * fs),
                HEIGHT=n(fs * 1.2),
            )
            x = x0
            for ti, token in enumerate(line.split(" ")):
                if ti:
                    etree.SubElement(tl, "SP", HPOS=n(x), VPOS=n(ly), WIDTH=n(fs * 0.5))
                    x += fs * 0.5
                if not token:
                    continue
                w = _width(token) * fs
                etree.SubElement(tl, "String", CONTENT=token, HPOS=n(x), VPOS=n(ly), WIDTH=n(w), HEIGHT=n(fs * 1.2))
                x += w
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def write_edition(composed: ComposedEdition, out_dir: str | Path) -> list[Path]:
    """Write the pages and ``gold.json`` of each format; returns the gold paths written.

    The first format goes in ``out_dir``, each further one in ``out_dir/<format>/``, so that every folder
    is one self-contained edition. Files are overwritten; nothing else is deleted.
    """
    out = Path(out_dir)
    written: list[Path] = []
    for i, fmt in enumerate(composed.formats):
        d = out if i == 0 else out / fmt
        d.mkdir(parents=True, exist_ok=True)
        for k, page in enumerate(composed.pages):
            path = d / page_file_name(page.number, fmt)
            if fmt == "text":
                path.write_bytes(_encode(render_page(page), page.encoding))
            elif fmt == "json":
                path.write_bytes(_page_json(page).encode("utf-8"))
            else:
                path.write_bytes(_page_alto(page, k + 1))
        gold_path = d / "gold.json"
        gold_path.write_bytes((json.dumps(composed.gold(fmt), ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        written.append(gold_path)
    return written


# --------------------------------------------------------------------------------------------------------
# Checking what was written


def _read_written_blocks(gold_path: Path, page: Mapping[str, Any]) -> dict[str, str]:
    """Block id -> text of one written page, read back without using the composer's own data."""
    path = gold_path.parent / page["file"]
    fmt = page.get("format", "text")
    number = page["number"]
    if fmt == "text":
        return {
            f"p{number}:{i}": "\n".join(lines) for i, lines in enumerate(_split_dump(_decode_dump(path.read_bytes())))
        }
    if fmt == "json":
        doc = json.loads(path.read_text(encoding="utf-8"))
        return {f"p{number}:{b['id']}": b["text"] for b in doc["blocks"] if b["text"].strip()}
    root = etree.fromstring(path.read_bytes())
    out: dict[str, str] = {}
    for tb in root.iter(f"{{{ALTO_NS}}}TextBlock"):
        lines = [
            " ".join(s.get("CONTENT", "") for s in tl.iter(f"{{{ALTO_NS}}}String"))
            for tl in tb.iter(f"{{{ALTO_NS}}}TextLine")
        ]
        out[f"p{number}:{tb.get('ID')}"] = "\n".join(lines)
    return out


def check_written_edition(gold_path: str | Path) -> list[str]:
    """Every inconsistency between a written gold and its pages (an empty list when there is none).

    Checked: each page block is in exactly one article and every gold block exists; roles and joins name
    blocks of their article; joins pair body blocks; the body blocks, read in article order, spell the
    gold body exactly (after NFKC, no white space); each join glues two blocks into one paragraph, so
    paragraphs = body blocks - joins; flags agree with ``continued_from``/``continues_to``.
    """
    gold_path = Path(gold_path)
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    problems: list[str] = []
    texts: dict[str, str] = {}
    for page in gold["pages"]:
        texts.update(_read_written_blocks(gold_path, page))
    seen: Counter[str] = Counter()
    for art in gold["articles"]:
        aid = art["id"]
        blocks = art["blocks"]
        seen.update(blocks)
        bset = set(blocks)
        for u in blocks:
            if u not in texts:
                problems.append(f"{aid}: block {u} is not in the pages")
        for u, role in art["roles"].items():
            if u not in bset:
                problems.append(f"{aid}: role of {u} but {u} is not in the article")
            if role == "furniture":
                problems.append(f"{aid}: 'furniture' is not a gold role")
        body_blocks = [u for u in blocks if art["roles"].get(u) in (None, "caption")]
        for a, b in art["joins"]:
            if a not in bset or b not in bset:
                problems.append(f"{aid}: join {a}->{b} names a block outside the article")
            elif art["roles"].get(a) or art["roles"].get(b):
                problems.append(f"{aid}: join {a}->{b} joins a role block")
        if any(u not in texts for u in blocks):
            continue
        got = squash("".join(texts[u] for u in body_blocks))
        want = squash("".join(art["body"]))
        if got != want:
            problems.append(f"{aid}: body blocks do not spell the gold body")
        if art["kind"] != "furniture" and len(body_blocks) - len(art["joins"]) != len(art["body"]):
            problems.append(
                f"{aid}: {len(body_blocks)} body blocks - {len(art['joins'])} joins != {len(art['body'])} paragraphs"
            )
        position = {u: i for i, u in enumerate(body_blocks)}
        for a, b in art["joins"]:
            if a in position and b in position and position[b] != position[a] + 1:
                problems.append(f"{aid}: join {a}->{b} does not pair consecutive body blocks")
        if art["continued_from"] is not None and art["starts_complete"]:
            problems.append(f"{aid}: continued_from is set but starts_complete is true")
        if art["continues_to"] is not None and art["ends_complete"]:
            problems.append(f"{aid}: continues_to is set but ends_complete is true")
    for u in texts:
        if seen[u] != 1:
            problems.append(f"block {u} is in {seen[u]} articles")
    return problems
