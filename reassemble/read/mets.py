"""METS issue files: which ALTO files make up an issue, and the issue's article structure as gold.

Libraries publish a digitised newspaper issue as one METS file beside one ALTO file per page. The METS
``fileSec`` lists the ALTO files, the *physical* ``structMap`` gives each its page (``div TYPE="PAGE"
ORDER=n``), and the *logical* ``structMap`` lists the issue's articles with ``area BEGIN=<ALTO ID>``
pointers in reading order. That logical map is a ready-made, human-checked segmentation, so
:func:`load_mets_gold` turns it into the same :class:`~reassemble.evaluate.Gold` object a
``reassemble-gold/1`` file gives, and ``reassemble eval issue-mets.xml`` scores the tool on it.

How the logical map becomes gold articles (METS says less than the gold format, so this is best effort):

* Unit divs, outside any other unit, become one article each, with every ALTO block under them in
  document order: ``ARTICLE``/``OBITUARY``/``TABLE`` -> kind ``article``; ``ADVERTISEMENT`` -> ``advert``;
  ``ILLUSTRATION``/``PICTURE``/``IMAGE``/``PHOTO``/``MAP``/``CARTOON`` -> ``photo``; ``TITLE_SECTION``,
  ``MASTHEAD``, ``PUBLISHING_STMT``, ``HEADER``, ``FOOTER``, ``PAGE_NUMBER`` -> ``furniture``.
* Container divs (``Newspaper``, ``VOLUME``, ``ISSUE``, ``CONTENT``, ``SECTION``, ``SUPPLEMENT``...) are
  walked into; the blocks a container holds itself (a ``SECTION``'s own heading and intro, outside its
  articles) form one more article: kind ``article`` if it has body text, else ``furniture`` (a section
  head such as "Zeitungsnachrichten." standing alone).
* Roles: blocks of the unit's first ``HEADING`` div are ``headline`` (``TITLE``), ``subheadline``
  (``SUBHEADLINE``/``SUBTITLE``) or ``kicker`` (``OVERLINE``/``KICKER``); blocks of a later ``HEADING`` are
  ``subhead``; ``AUTHOR``/``BYLINE`` blocks are ``byline``; ``CAPTION`` blocks ``caption``. Other blocks
  are body; the blocks of a ``furniture`` article have no role, and each is a paragraph of its body, as
  the gold format has it (its list of roles has none for furniture).
* ``body``: one paragraph per ``PARAGRAPH`` div (its blocks' texts joined), each body block outside a
  ``PARAGRAPH`` its own paragraph. ``joins``: consecutive blocks of one ``PARAGRAPH`` div, since METS puts
  a paragraph broken over columns into one ``PARAGRAPH`` with several areas.
* Flags: ``starts_complete``/``ends_complete`` true, ``continued_from``/``continues_to`` null: METS does
  not record them.
* ALTO TextBlocks no logical div points at become single-block ``furniture`` articles, and a block
  pointed at twice stays in the first article only, so that every block is in exactly one gold article.

So B-cubed, ``articles_exact`` and ``order_tau`` are meaningful on METS gold; ``join_*`` are as good as
the library's paragraph grouping; ``headline_accuracy``, ``body_exact`` and ``flags_accuracy`` are only
approximate (an ALTO TextBlock often holds several printed paragraphs, and the flags are defaults).

Everything is parsed with :func:`~reassemble.read.safexml.parse_xml` (no DTDs, no entities, no network),
and ALTO files are only looked for inside the METS file's folder.
"""

from __future__ import annotations

import urllib.parse
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from lxml import etree

from reassemble.errors import EditionError, GoldError, InputError, ReassembleError
from reassemble.evaluate import Gold, GoldArticle, GoldPage
from reassemble.model import Page
from reassemble.read.alto import parse_alto, textblock_index
from reassemble.read.pagename import page_number_from_name
from reassemble.read.safexml import parse_xml
from reassemble.textutil import join_lines

METS_NS = "http://www.loc.gov/METS/"
XLINK_NS = "http://www.w3.org/1999/xlink"
MODS_NS = "http://www.loc.gov/mods/v3"

_M = f"{{{METS_NS}}}"
_MODS = f"{{{MODS_NS}}}"
_HREF = f"{{{XLINK_NS}}}href"

#: fileGrp ``USE`` words that mark the OCR text (ALTO) group.
_TEXT_USES = ("text", "alto", "ocr", "fulltext")
_XML_MIMETYPES = frozenset({"text/xml", "application/xml", "application/alto+xml"})

#: Logical div types that are one gold article each, and the article kind they map to.
UNIT_KINDS: dict[str, str] = {
    "ARTICLE": "article",
    "OBITUARY": "article",
    "TABLE": "article",
    "ADVERTISEMENT": "advert",
    "ILLUSTRATION": "photo",
    "PICTURE": "photo",
    "IMAGE": "photo",
    "PHOTO": "photo",
    "MAP": "photo",
    "CARTOON": "photo",
    "TITLE_SECTION": "furniture",
    "MASTHEAD": "furniture",
    "PUBLISHING_STMT": "furniture",
    "HEADER": "furniture",
    "FOOTER": "furniture",
    "PAGE_NUMBER": "furniture",
}
#: Logical div types that group units; the blocks they hold outside their units form an article.
CONTAINERS = frozenset(
    {"NEWSPAPER", "VOLUME", "ISSUE", "CONTENT", "SECTION", "SUPPLEMENT", "PART", "EDITION", "PERIODICAL"}
)
_HEADLINE_TYPES = {
    "TITLE": "headline",
    "HEADLINE": "headline",
    "MAIN_TITLE": "headline",
    "SUBHEADLINE": "subheadline",
    "SUBTITLE": "subheadline",
    "OVERLINE": "kicker",
    "KICKER": "kicker",
    "PRETITLE": "kicker",
}
_ROLE_TYPES = {"AUTHOR": "byline", "BYLINE": "byline", "CAPTION": "caption"}


# --------------------------------------------------------------------------------------------------------
# The issue: files and pages


@dataclass
class _Issue:
    path: Path
    root: etree._Element
    pages: list[tuple[int, Path]]
    file_pages: dict[str, int]
    meta: dict[str, Any]


def _mets_root(path: Path) -> etree._Element:
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise InputError(f"cannot read the METS file: {exc.strerror or exc}", str(path)) from None
    root = parse_xml(data, str(path))
    if root.tag != _M + "mets":
        local = root.tag.rsplit("}", 1)[-1] if isinstance(root.tag, str) else "?"
        raise InputError(f"not a METS file: the root element is <{local}>, expected <mets>", str(path))
    return root


def _resolve_href(href: str, mets_path: Path) -> Path:
    """The local file an ``FLocat`` points at, looked for only inside the METS file's folder.

    Producers write ``text/x.xml``, ``file://./text/x.xml`` or an absolute path from their own server;
    the latter is retried by file name beside the METS file (and one folder down). URLs are refused: the
    tool never goes to the network, and a METS file must not make it read files elsewhere on the disk.
    """
    base = mets_path.parent
    raw = href.strip()
    if raw.lower().startswith("file://"):
        raw = raw[len("file://") :]
    elif "://" in raw:
        raise InputError(
            f"the ALTO file {href!r} is a URL; only local files next to the METS file are read",
            str(mets_path),
        )
    rel = urllib.parse.unquote(raw).replace("\\", "/")
    base_resolved = base.resolve()
    if not rel.startswith("/"):
        candidate = (base / rel).resolve()
        if candidate.is_relative_to(base_resolved) and candidate.is_file():
            return base / rel
    name = PurePosixPath(rel).name
    if name:
        for candidate in (base / name, *sorted(base.glob(f"*/{name}"))):
            if candidate.is_file():
                return candidate
    raise InputError(f"the ALTO file {href!r} listed in the METS file is not in {base}", str(mets_path))


def _alto_files(root: etree._Element, mets_path: Path) -> dict[str, tuple[Path, int | None]]:
    """FILEID -> (ALTO path, SEQ) from the fileSec, in document order."""
    groups = [
        grp
        for grp in root.iter(_M + "fileGrp")
        if any(word in (grp.get("USE") or "").lower() for word in _TEXT_USES)
    ]
    files = [f for grp in groups for f in grp.iter(_M + "file")]
    if not files:  # no group says it is text: take the XML files
        files = [
            f
            for f in root.iter(_M + "file")
            if (f.get("MIMETYPE") or "").lower() in _XML_MIMETYPES
            or any((loc.get(_HREF) or "").lower().endswith(".xml") for loc in f.iter(_M + "FLocat"))
        ]
    out: dict[str, tuple[Path, int | None]] = {}
    for f in files:
        file_id = f.get("ID")
        loc = next(f.iter(_M + "FLocat"), None)
        href = loc.get(_HREF) if loc is not None else None
        if not file_id or not href or file_id in out:
            continue
        seq = (f.get("SEQ") or "").strip()
        out[file_id] = (_resolve_href(href, mets_path), int(seq) if seq.isdigit() else None)
    if not out:
        raise InputError("the METS file lists no ALTO (text) files in its fileSec", str(mets_path))
    return out


def _struct_maps(root: etree._Element, kind: str) -> list[etree._Element]:
    return [
        sm
        for sm in root.iter(_M + "structMap")
        if (sm.get("TYPE") or "").upper() == kind or kind.lower() in (sm.get("LABEL") or "").lower()
    ]


def _physical_pages(root: etree._Element, alto: dict[str, tuple[Path, int | None]]) -> dict[str, int]:
    """FILEID -> page number from the physical structMap's ``div TYPE="PAGE" ORDER``."""
    pages: dict[str, int] = {}
    count = 0
    for sm in _struct_maps(root, "PHYSICAL"):
        for div in sm.iter(_M + "div"):
            if "PAGE" not in (div.get("TYPE") or "").upper():
                continue
            count += 1
            number = count
            for attr in ("ORDER", "ORDERLABEL"):
                value = (div.get(attr) or "").strip()
                if value.isdigit() and int(value) > 0:
                    number = int(value)
                    break
            for el in div.iter():
                file_id = el.get("FILEID")
                if file_id in alto and file_id not in pages:
                    pages[file_id] = number
    return pages


def _meta(root: etree._Element) -> dict[str, Any]:
    """Paper title, issue date and languages from the MODS sections, for reports and for ``Gold``."""
    title: str | None = None
    date: str | None = None
    langs: Counter[str] = Counter()
    for dmd in root.iter(_M + "dmdSec"):
        dmd_id = (dmd.get("ID") or "").upper()
        for term in dmd.iter(_MODS + "languageTerm"):
            if term.text and term.text.strip():
                langs[term.text.strip()] += 1
        if title is None and ("COLLECTION" in dmd_id or "PRINT" in dmd_id):
            t = next(dmd.iter(_MODS + "title"), None)
            if t is not None and t.text and t.text.strip():
                title = t.text.strip()
        if date is None:
            d = next(dmd.iter(_MODS + "dateIssued"), None)
            if d is not None and d.text and d.text.strip():
                date = d.text.strip()
    return {
        "label": root.get("LABEL"),
        "objid": root.get("OBJID"),
        "paper": title or root.get("LABEL"),
        "date": date,
        "languages": [lang for lang, _ in langs.most_common()],
        "lang": langs.most_common(1)[0][0] if langs else None,
    }


def _read_issue(path: Path) -> _Issue:
    root = _mets_root(path)
    alto = _alto_files(root, path)
    physical = _physical_pages(root, alto)
    file_pages: dict[str, int] = {}
    for position, (file_id, (alto_path, seq)) in enumerate(alto.items(), start=1):
        number = physical.get(file_id) or seq or page_number_from_name(alto_path) or position
        file_pages[file_id] = number
    by_number: dict[int, Path] = {}
    for file_id, number in file_pages.items():
        alto_path = alto[file_id][0]
        if number in by_number:
            raise EditionError(
                f"page {number} has two ALTO files ({by_number[number].name} and {alto_path.name})", str(path)
            )
        by_number[number] = alto_path
    meta = _meta(root)
    meta["file_pages"] = dict(file_pages)
    return _Issue(path, root, sorted(by_number.items()), file_pages, meta)


def read_mets(path: Path) -> tuple[list[tuple[int, Path]], dict[str, Any]]:
    """The issue's ALTO files as ``(page number, path)`` in page order, and the issue's metadata.

    Page numbers come from the physical structMap (``div TYPE="PAGE" ORDER``), else the file's ``SEQ``,
    else the file name, else the position in the fileSec. The metadata dict has ``label``, ``objid``,
    ``paper`` (the MODS title), ``date`` (``dateIssued``), ``languages`` (most used first), ``lang`` (the
    most used) and ``file_pages`` (METS FILEID -> page number). Raises :class:`InputError` naming the
    METS file when it is unsafe, malformed, lists no ALTO file or one that is missing.
    """
    issue = _read_issue(Path(path))
    return issue.pages, issue.meta


# --------------------------------------------------------------------------------------------------------
# Gold from the logical structMap


@dataclass
class _Group:
    """A gold article while it is collected: entries are (block id, role, paragraph key)."""

    id: str
    kind: str
    label: str | None
    entries: list[tuple[str, str, str]] = field(default_factory=list)
    headings_seen: int = 0
    container: bool = False


@dataclass
class _Pages:
    """What the walk needs from the ALTO files: ALTO IDs -> block ids, and each block's text."""

    ids: dict[str, dict[str, list[str]]]  # FILEID -> ALTO ID -> block ids
    order: dict[str, list[str]]  # FILEID -> block ids in document order
    text: dict[str, str]  # block id -> text
    pages: list[Page]


def _load_pages(issue: _Issue) -> _Pages:
    ids: dict[str, dict[str, list[str]]] = {}
    order: dict[str, list[str]] = {}
    text: dict[str, str] = {}
    pages: list[Page] = []
    path_of = {number: p for number, p in issue.pages}
    for file_id, number in issue.file_pages.items():
        alto_path = path_of[number]
        try:
            data = alto_path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the ALTO file: {exc.strerror or exc}", str(alto_path)) from None
        root = parse_xml(data, str(alto_path))
        page = parse_alto(root, alto_path, number)
        known = {b.id for b in page.blocks}
        keys, index = textblock_index(root)
        prefix = f"p{number}:"
        ids[file_id] = {
            el_id: [prefix + k for k in block_keys if prefix + k in known]
            for el_id, block_keys in index.items()
        }
        order[file_id] = [prefix + k for k in keys if prefix + k in known]
        text.update((b.id, b.text) for b in page.blocks)
        pages.append(page)
    return _Pages(ids, order, text, sorted(pages, key=lambda p: p.number))


def _area_blocks(area: etree._Element, pages: _Pages) -> list[str]:
    """The block ids an ``area`` covers: its BEGIN element, or the BEGIN..END range of blocks."""
    file_id = area.get("FILEID") or ""
    begin = area.get("BEGIN")
    if file_id not in pages.ids or not begin:
        return []
    index = pages.ids[file_id]
    first = index.get(begin, [])
    end = area.get("END")
    if not end or end == begin or not first:
        return first
    last = index.get(end, [])
    order = pages.order[file_id]
    if not last:
        return first
    i, j = order.index(first[0]), order.index(last[-1])
    return order[i : j + 1] if i <= j else first


def _walk(
    div: etree._Element,
    group: _Group | None,
    container: _Group,
    ctx: tuple[str, str],
    groups: list[_Group],
    pages: _Pages,
) -> None:
    """Collect the areas under ``div`` into groups. ``ctx`` is (role, paragraph key) set by ancestors."""
    dtype = (div.get("TYPE") or "").upper()
    div_id = div.get("ID") or f"div{len(groups)}"
    role, para = ctx
    if group is None and dtype in UNIT_KINDS:
        group = _Group(div_id, UNIT_KINDS[dtype], div.get("LABEL"))
        groups.append(group)
        role, para = "", ""
    elif group is None and dtype in CONTAINERS:
        container = _Group(div_id, "article", div.get("LABEL"), container=True)
        groups.append(container)
        role, para = "", ""
    target = group if group is not None else container
    if dtype == "HEADING":
        target.headings_seen += 1
        role = "headline" if target.headings_seen == 1 else "subhead"
    elif dtype in _HEADLINE_TYPES and role in ("headline", "subhead"):
        role = _HEADLINE_TYPES[dtype] if role == "headline" else "subhead"
    elif dtype in _ROLE_TYPES:
        role = _ROLE_TYPES[dtype]
    elif dtype == "PARAGRAPH":
        para = div_id
    for child in div:
        if child.tag == _M + "div":
            _walk(child, group, container, (role, para), groups, pages)
        elif child.tag == _M + "fptr":
            for area in child.iter(_M + "area"):
                for block_id in _area_blocks(area, pages):
                    target.entries.append((block_id, role, para or f"area:{block_id}"))


def _gold_article(group: _Group, entries: list[tuple[str, str, str]], text: dict[str, str]) -> GoldArticle:
    kind = group.kind
    if group.container and all(role for _, role, _ in entries):
        # a container holding only headings: a standing section head
        kind = "furniture"
    blocks = tuple(block_id for block_id, _, _ in entries)
    roles: dict[str, str] = {}
    by_role: dict[str, list[str]] = {}
    paragraphs: list[tuple[str, list[str]]] = []
    joins: list[tuple[str, str]] = []
    for block_id, role, para in entries:
        if kind == "furniture":  # furniture text is the item's body, one paragraph per block (GOLD-FORMAT)
            paragraphs.append((f"furniture:{block_id}", [block_id]))
            continue
        if kind == "photo" and not role:
            role = "caption"
        if role:
            roles[block_id] = role
            by_role.setdefault(role, []).append(text[block_id])
        if not role or (kind == "photo" and role == "caption"):
            if paragraphs and paragraphs[-1][0] == para:
                joins.append((paragraphs[-1][1][-1], block_id))
                paragraphs[-1][1].append(block_id)
            else:
                paragraphs.append((para, [block_id]))

    def joined(role: str) -> str | None:
        return join_lines(by_role[role]) if role in by_role else None

    return GoldArticle(
        id=group.id,
        kind=kind,
        kicker=joined("kicker"),
        headline=joined("headline"),
        subheadline=joined("subheadline"),
        byline=tuple(by_role.get("byline", ())),
        blocks=blocks,
        roles=roles,
        joins=tuple(joins),
        body=tuple(join_lines([text[b] for b in ids]) for _, ids in paragraphs),
        starts_complete=True,
        ends_complete=True,
        continued_from=None,
        continues_to=None,
    )


def _build_gold(path: Path) -> Gold:
    issue = _read_issue(path)
    pages = _load_pages(issue)
    groups: list[_Group] = []
    root_group = _Group("mets-unplaced", "article", None, container=True)
    for sm in _struct_maps(issue.root, "LOGICAL"):
        for div in sm.iterchildren(_M + "div"):
            _walk(div, None, root_group, ("", ""), groups, pages)
    groups.append(root_group)

    owner: set[str] = set()
    articles: list[GoldArticle] = []
    for group in groups:
        entries = []
        for entry in group.entries:
            if entry[0] not in owner:
                owner.add(entry[0])
                entries.append(entry)
        if entries:
            articles.append(_gold_article(group, entries, pages.text))
    for page in pages.pages:
        for block in page.blocks:
            if block.id not in owner:
                owner.add(block.id)
                articles.append(
                    GoldArticle(
                        id=f"unreferenced-{block.id}",
                        kind="furniture",
                        kicker=None,
                        headline=None,
                        subheadline=None,
                        byline=(),
                        blocks=(block.id,),
                        roles={},
                        joins=(),
                        body=(pages.text[block.id],),
                        starts_complete=True,
                        ends_complete=True,
                        continued_from=None,
                        continues_to=None,
                    )
                )
    gold_pages = tuple(
        GoldPage(number=p.number, file=Path(p.source).resolve(), format="alto") for p in pages.pages
    )
    return Gold(
        path=path,
        pages=gold_pages,
        articles=tuple(articles),
        paper=issue.meta.get("paper"),
        lang=issue.meta.get("lang"),
    )


def load_mets_gold(path: Path) -> Gold:
    """Read a METS issue file as gold: its ALTO pages and its logical structMap as articles.

    See the module docstring for how METS divs become gold articles and which metrics are then only
    approximate. Raises :class:`GoldError` (an :class:`InputError`) naming the file on any problem, as
    every gold loader must.
    """
    path = Path(path)
    try:
        return _build_gold(path)
    except GoldError:
        raise
    except ReassembleError as exc:
        message = str(exc)
        if exc.path and message.startswith(f"{exc.path}: "):
            message = message[len(exc.path) + 2 :]
        raise GoldError(message, exc.path or str(path)) from exc
