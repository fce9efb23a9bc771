"""The top-level call: pages in, an :class:`~reassemble.model.Edition` of clean articles out."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace

from .assemble import Draft, assemble_page, ends_complete, masthead, people
from .classify import Kind, Tag, classify_page, dash_kicker_lines, jump_direction, starts_open
from .clean import clean_pages, clean_text
from .config import DEFAULT, Config
from .errors import InputError
from .layout import analyse, band_starts, column_ranges, foot_band, heading_score, reading_order
from .link import link_pages
from .model import Article, Candidate, Decision, Edition, Join, JumpDirection, Page, Paragraph, Role
from .read import PageInput, read_edition
from .score import Vocabulary, clear_caches, score_joins
from .textutil import cjk_share, is_wide, join_lines


def reassemble_pages(inputs: Sequence[PageInput] | PageInput, *, config: Config | None = None,
                     input_format: str = "auto", failures: list[InputError] | None = None,
                     paper: str | None = None) -> Edition:
    """Rebuild the articles of one edition from its page dumps.

    ``inputs`` are paths (page number from the file name), folders, METS files, ``(page, path)`` or
    ``(page, text)`` pairs. With ``failures`` (a list), unreadable pages are recorded there and skipped
    instead of raising. ``paper``: the publication's title, when the inputs do not name it (a METS file
    does); on the front page it identifies the masthead. The stages run in this order:

    1. **read** (:mod:`reassemble.read`): decode, repair mojibake, split each page into blocks;
    2. **clean** (:mod:`reassemble.clean`): white space and punctuation width, no character dropped;
    3. **classify** (:mod:`reassemble.classify`): what each block looks like (headline-like, body, byline,
       credit, jump line, ...);
    4. **score** (:mod:`reassemble.score`): every candidate join of a broken paragraph end to its
       continuation gets a score; joins are chosen one-to-one per page;
    5. **assemble** (:mod:`reassemble.assemble`): heads, runs and chains become articles in reading order;
    6. **link** (:mod:`reassemble.link`): jump lines are followed across the pages of the edition;
    7. build the frozen :class:`Article` objects with provenance and flags (writing is
       :mod:`reassemble.write`'s job, so a library caller can choose XML, JSON or neither).
    """
    cfg = config or DEFAULT
    pages = read_edition(inputs, input_format=input_format, failures=failures)
    edition = reassemble_read_pages(pages, cfg, paper=paper)
    if failures:
        edition = replace(edition, problems=tuple(str(f) for f in failures))
    return edition


def reassemble_read_pages(pages: Sequence[Page], config: Config = DEFAULT, *,
                          paper: str | None = None) -> Edition:
    """Stages 2-7 on pages already read (used by the evaluation harness and the benchmarks)."""
    paper = paper or next((p.paper for p in pages if p.paper), None)
    pages = clean_pages(pages, config)
    decisions: list[Decision] = []
    all_tags: dict[int, tuple[Tag, ...]] = {}
    all_joins: list[Join] = []
    drafts_by_page: dict[int, list[Draft]] = {}
    laid: list[Page] = []
    foot: dict[int, frozenset[str]] = {}
    page_numbers = {p.number for p in pages}  # what jump lines point at (assemble, link)
    for page in pages:
        heading: dict[str, float] | None = None
        flow: dict[str, tuple[str, str]] | None = None
        starts: frozenset[str] = frozenset()
        cols: dict[str, tuple[int, int]] = {}
        if any(b.bbox is not None for b in page.blocks):
            lay = analyse(page)
            page = reading_order(page, lay)
            heading = heading_score(page, lay)
            flow = {a: (b, lay.step.get(a, "")) for a, b in lay.next.items()}
            starts = band_starts(lay)
            cols = column_ranges(lay) if lay.columns else {}
            foot[page.number] = foot_band(page, lay)
        laid.append(page)
        tags = classify_page(page.blocks, config, heading)
        all_tags[page.number] = tags
        vocab = Vocabulary(t.text for t in tags)
        joins = score_joins(tags, vocab, config, flow)
        all_joins.extend(j for j in joins if j.accepted)
        _explain_joins(joins, decisions)
        drafts_by_page[page.number] = assemble_page(tags, joins, vocab, config, decisions, starts, cols, page_numbers)
        if paper and page.number == 1:
            drafts_by_page[page.number] = masthead(drafts_by_page[page.number], paper, page.height)
    # One page: the edition's texts are the page's, in the same order, so its vocabulary (and every idf
    # and cached vector) is the page's own; building a second one would only repeat the counting.
    edition_vocab = (
        vocab
        if len(all_tags) == 1 and len(pages) == 1
        else Vocabulary(t.text for tags in all_tags.values() for t in tags)
    )
    chains, cross = link_pages(drafts_by_page, page_numbers, edition_vocab, config, decisions, foot)
    all_joins.extend(cross)
    pages = tuple(laid)
    text = " ".join(b.text for p in pages for b in p.blocks)
    lang = "zh" if cjk_share(text) >= 0.3 else _latin_lang(text)
    style = {n: _lead_style(ds, config) for n, ds in drafts_by_page.items()}
    articles: list[Article] = []
    for chain in chains:
        articles.append(_build(chain, all_joins, page_numbers, lang, style, config))
    articles = _number(articles)
    clear_caches()
    assigned = {b for a in articles for b in a.blocks}
    unassigned = tuple(b.id for p in pages for b in p.blocks if b.id not in assigned)
    return Edition(pages=pages, articles=tuple(articles), unassigned=unassigned,
                   decisions=tuple(decisions), lang=lang, paper=paper)


def _latin_lang(text: str) -> str:
    """A cheap language guess for Latin-script editions from function words (en/de/fr)."""
    words = text.lower().split()
    sample = set(words[:5000])
    scores = {
        "en": len(sample & {"the", "and", "of", "to", "was", "that", "with", "for"}),
        "de": len(sample & {"der", "die", "und", "das", "nicht", "mit", "den", "ist"}),
        "fr": len(sample & {"le", "la", "les", "et", "des", "une", "est", "pour"}),
    }
    return max(sorted(scores), key=lambda k: scores[k])


def _explain_joins(joins: Sequence[Join], decisions: list[Decision]) -> None:
    """One decision per broken end: the candidates it was weighed against, best first."""
    by_a: dict[str, list[Join]] = {}
    for j in joins:
        by_a.setdefault(j.a, []).append(j)
    for a, js in by_a.items():
        js.sort(key=lambda j: -j.score)
        chosen = next((j.b for j in js if j.accepted), None)
        decisions.append(Decision("join", a, chosen,
                                  tuple(Candidate(j.b, j.score, j.features) for j in js[:5]),
                                  note="" if chosen else "left open: no candidate above the threshold"))


def _lead_style(drafts: Sequence[Draft], config: Config) -> bool:
    """Does this page's house style open every article with a dateline lead or a byline block?"""
    headed = [d for d in drafts if d.head is not None and d.kind == "article" and d.runs]
    hits = 0
    for d in headed:
        first = d.runs[0].items[0] if d.runs[0].items else None
        if first is None:
            continue
        tag, role = first
        if role in (Role.BYLINE, Role.JUMP_FROM) or tag.lead is not None or (
                jump_direction(tag) is JumpDirection.IN):
            hits += 1
    return hits >= config.lead_convention_min and hits >= config.lead_convention_share * max(len(headed), 1)


def _concat(left: str, right: str) -> str:
    if left and right and is_wide(left[-1]) and is_wide(right[0]):
        return left + right
    if left.endswith("-"):
        return left + right
    return left + " " + right if left and right else left + right


def _build(chain: Sequence[Draft], joins: Sequence[Join], page_numbers: set[int], lang: str,
           style: dict[int, bool], config: Config) -> Article:
    """Turn one article (a chain of drafts linked across pages) into a frozen Article."""
    items = [it for d in chain for it in d.items]
    join_next = {j.a: j.b for j in joins}
    ids = [t.id for t, _ in items]
    idset = set(ids)
    paragraphs: list[Paragraph] = []
    cur_text, prev_id = "", ""
    cur_blocks: list[str] = []
    markers: list[str] = []
    roles: dict[str, Role] = {}
    kicker = headline = subheadline = summary = None
    first = chain[0]
    kind = first.kind
    for t, r in items:
        if r is Role.FURNITURE and kind == "furniture":
            # furniture is what belongs to no article: its text is the item's body, one paragraph per
            # block, and no role (the gold format has none for it)
            if cur_blocks:
                paragraphs.append(_para(cur_text, cur_blocks, items))
            cur_text, cur_blocks, prev_id = t.text, [t.id], t.id
            continue
        if r is not Role.BODY:
            roles[t.id] = r  # captions too: the caption is a photo's body, and its role is kept
        if r is Role.FURNITURE:
            continue
        if r in (Role.BODY, Role.CAPTION):
            text = t.body_text
            if t.kind is Kind.BODY and t.marker is not None:
                markers.append(t.block.text[t.marker.start : t.marker.end])
            if cur_blocks and join_next.get(prev_id) == t.id:
                cur_text = _concat(cur_text, text)
                cur_blocks.append(t.id)
            else:
                if cur_blocks:
                    paragraphs.append(_para(cur_text, cur_blocks, items))
                cur_text, cur_blocks = text, [t.id]
            prev_id = t.id
        elif r is Role.KICKER and kicker is None:
            kicker = t.text
        elif r is Role.HEADLINE and headline is None and not (kind == "article" and t.kind is Kind.JUMP):
            headline = t.text
        elif r is Role.SUBHEADLINE and subheadline is None:
            subheadline = t.text
        elif r is Role.KICKER_HEADLINE:
            lines = [clean_text(x, config) for x in t.block.lines if x.strip()]
            k = dash_kicker_lines(lines) or len(lines) - 1  # the kicker's lines: up to its dash, else all but one
            kicker = clean_text(join_lines(lines[:k]), config) if k else None
            headline = clean_text(join_lines(lines[k:]), config)
        elif r is Role.SUMMARY:
            summary = t.text
    if cur_blocks:
        paragraphs.append(_para(cur_text, cur_blocks, items))
    byline, dateline = people(items)
    if kind == "photo":
        byline = tuple(t.text for t, r in items if r is Role.CREDIT) or byline
    article_joins = tuple(j for j in joins if j.a in idset and j.b in idset)
    jf = next((t.marker for t, r in items[: len(chain[0].items)] if t.marker is not None
               and t.marker.direction is JumpDirection.IN), None)
    jt = next((t.marker for t, r in reversed(items) if t.marker is not None
               and t.marker.direction is JumpDirection.OUT), None)
    continued_from = jf.page if jf and jf.page not in page_numbers else None
    continues_to = jt.page if jt and jt.page not in page_numbers else None
    if jf and jf.page is None:
        continued_from = None
    starts = True
    if kind == "article":
        if jf is not None and chain[0].linked_prev is None or paragraphs and starts_open(paragraphs[0].text) >= 0.8:
            starts = False
        elif chain[0].head is not None and style.get(chain[0].page, False) and paragraphs:
            first_item = chain[0].runs[0].items[0] if chain[0].runs and chain[0].runs[0].items else None
            if first_item is not None and first_item[1] is Role.BODY and first_item[0].lead is None:
                starts = False
        elif chain[0].head is None and paragraphs and paragraphs[0].blocks:
            starts = items[0][0].lead is not None or items[0][1] is Role.BYLINE
    ends = ends_complete([p.text for p in paragraphs]) if kind == "article" else True
    pages = tuple(sorted({t.block.page for t, _ in items}))
    scores = [j.score for j in article_joins] + [d.score for d in chain]
    notes = tuple(n for d in chain for n in d.notes)
    return Article(id="", kind=kind, blocks=tuple(ids), roles=roles, paragraphs=tuple(paragraphs),
                   kicker=kicker, headline=headline, subheadline=subheadline, byline=byline,
                   dateline=dateline, summary=summary, joins=article_joins, starts_complete=starts,
                   ends_complete=ends, continued_from=continued_from, continues_to=continues_to,
                   pages=pages, lang=lang, confidence=round(min(scores, default=1.0), 4),
                   markers=tuple(markers), notes=notes)


def _para(text: str, blocks: list[str], items: Sequence[tuple[Tag, Role]]) -> Paragraph:
    page_of = {t.id: t.block.page for t, _ in items}
    return Paragraph(text=text, blocks=tuple(blocks), pages=tuple(sorted({page_of[b] for b in blocks})))


def _number(articles: list[Article]) -> list[Article]:
    """Stable ids ``p{first page}-a{n}`` in page then reading order."""
    out = []
    count: dict[int, int] = {}
    for a in articles:
        page = int(a.blocks[0].split(":")[0][1:]) if a.blocks else 0
        count[page] = count.get(page, 0) + 1
        out.append(replace(a, id=f"p{page}-a{count[page]:02d}"))
    return out
