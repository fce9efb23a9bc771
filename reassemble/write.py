"""The output stage: NewsML-G2 2.35 newsItems with NITF 3.6 bodies, page/edition packages, and JSON.

Why NewsML-G2 + NITF: it is the IPTC exchange format newsroom and archive systems import, and the NITF body
has a schema, so every document can be validated offline against the vendored XSDs in
``reassemble/schema`` before anything touches the disk (see ``ATTRIBUTION.txt`` there for licences).

Why everything is deterministic: reassembly runs are compared file by file (benchmarks, regression tests,
archive re-runs), so the same input must give byte-identical output. Nothing here reads the clock, the
environment or the file system while building a document; ``versionCreated`` is the edition date when the
:class:`~reassemble.model.Edition` carries one (an optional ``date`` attribute, read with ``getattr`` so the
model can grow one later) and the fixed ``1970-01-01T00:00:00+00:00`` otherwise.

Why the provenance is recorded so densely: the articles are *machine*-reassembled. An editor or archivist
must be able to see which printed blocks went where, how sure each join was, and whether the article is
known to be incomplete. Where each fact goes in the XML:

* ``contentMeta/headline``: roles from the project scheme ``ex-hlrole`` (``kicker``, ``main``, ``sub``,
  plus ``placeholder`` when no headline was found and one was made from the first words of the body);
  ``confidence`` (0-100) on the main headline is the article's reassembly confidence (0 on a placeholder).
* ``contentMeta/contentMetaExtProperty`` (scheme ``ex-rsm`` = reassembly, ``ex-prt`` = print position):
  ``ex-rsm:articleId``, ``ex-rsm:kind``, one ``ex-prt:page`` per page spanned, ``ex-rsm:startsComplete``,
  ``ex-rsm:endsComplete``, ``ex-rsm:continuedFrom``, ``ex-rsm:continuesTo``, ``ex-rsm:confidence``,
  ``ex-rsm:headlinePlaceholder``, one ``ex-rsm:block`` per block (``ra:role``, ``ra:page``), one
  ``ex-rsm:join`` per accepted join and one ``ex-rsm:rejectedJoin`` per rejected candidate (value = score,
  ``ra:a``/``ra:b`` = the two block ids, ``ra:crossPage``), one ``ex-rsm:marker`` per jump line.
  ``ra:`` is this project's namespace :data:`RA_NS`; the G2 schema admits foreign attributes there.
* ``itemMeta/edNote`` (``ex-ednoterole:reassembly``): the same facts as one English sentence for humans,
  plus one edNote per pipeline note and one when the headline is a placeholder.
* ``pubHistory/published`` and NITF ``head/pubdata`` (one per page, ``position.sequence`` = page number).
* NITF ``body.content/p``: ``id="para-N"`` plus ``ra:blocks`` and ``ra:pages`` (space-separated) for the
  paragraph's provenance (NITF also admits foreign attributes).

* Photos: the caption is the body (and ``description role="drol:caption"``), the credit is the byline
  (``by``, NITF ``byline``) and ``creditline``.
* The edition package: unassigned blocks as ``ex-rsm:unassignedBlock`` properties, pipeline problems as
  ``edNote``s (``ex-ednoterole:problem``); they belong to no article.

Features behind each join score are too open-ended for attributes; they are in the JSON output, which
holds every model field (see :func:`edition_json`).
"""

from __future__ import annotations

import contextlib
import dataclasses
import datetime as _dt
import enum
import functools
import hashlib
import importlib.metadata
import json
import math
import os
import re
import tempfile
import unicodedata
import urllib.parse
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

from lxml import etree

from reassemble.errors import OutputError, ValidationError
from reassemble.model import Article, Block, Edition, Join, Role
from reassemble.textutil import is_wide

__all__ = [
    "MAX_STEM",
    "RA_NS",
    "SCHEMA_DIR",
    "SCHEMA_FILE",
    "article_guid",
    "article_json",
    "edition_json",
    "edition_package_xml",
    "edition_slug",
    "load_schema",
    "newsitem_xml",
    "page_package_xml",
    "safe_filename",
    "validate_bytes",
    "validate_file",
    "write_edition",
]

NAR_NS = "http://iptc.org/std/nar/2006-10-01/"
NITF_NS = "http://iptc.org/std/NITF/2006-10-18/"
XS_NS = "http://www.w3.org/2001/XMLSchema"
#: Namespace of the provenance attributes (``ra:blocks``, ``ra:a`` ...) this project adds; both G2 and NITF
#: allow attributes from other namespaces on the elements used, so the documents stay schema-valid.
RA_NS = "urn:reassemble:ns:provenance:1"
XML_LANG = "{http://www.w3.org/XML/1998/namespace}lang"

SCHEMA_DIR = Path(__file__).resolve().parent / "schema"
#: The wrapper that pulls NewsML-G2 2.35 (Power) and NITF 3.6 into one schema set, so that the NITF body
#: inside ``inlineXML`` (declared ``processContents="lax"``) is validated too.
SCHEMA_FILE = SCHEMA_DIR / "newsml-g2_2.35-plus-nitf-3.6.xsd"

#: Resolves the IPTC aliases used here (ninat, stat, drol, pgrmod, irel); never fetched by validation.
_IPTC_CATALOG = "http://www.iptc.org/std/catalog/catalog.IPTC-G2-Standards_32.xml"
#: Project-defined scheme aliases. IPTC has no headline-role or reassembly vocabulary, so they are declared
#: in an inline ``<catalog>`` of every document, which keeps each file self-describing.
_SCHEMES: tuple[tuple[str, str], ...] = (
    ("ex-hlrole", "urn:reassemble:cv:headline-role:"),
    ("ex-ednoterole", "urn:reassemble:cv:ednote-role:"),
    ("ex-grouprole", "urn:reassemble:cv:group-role:"),
    ("ex-prt", "urn:reassemble:cv:print-position:"),
    ("ex-pub", "urn:reassemble:cv:publication:"),
    ("ex-rsm", "urn:reassemble:cv:reassembly:"),
)
_GUID_PREFIX = "urn:newsml:reassemble.local"
_EPOCH = "1970-01-01T00:00:00+00:00"
_NEWSITEM_TYPE = "application/vnd.iptc.g2.newsitem+xml"
_PACKAGE_TYPE = "application/vnd.iptc.g2.packageitem+xml"

#: Characters XML 1.0 cannot carry at all (C0 controls except tab/LF/CR, surrogates, U+FFFE/U+FFFF). OCR
#: dumps do contain them; lxml would refuse the whole document, so they are dropped instead.
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_LANG_TAG = re.compile(r"[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_BLOCK_ID_PAGE = re.compile(r"p(\d+):")

#: Longest file-name stem :func:`safe_filename` returns, in bytes (ASCII, so characters).
MAX_STEM = 100
_WINDOWS_RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL"} | {f"COM{i}" for i in range(1, 10)} | {f"LPT{i}" for i in range(1, 10)}
)


# --------------------------------------------------------------------------------------------- helpers


def _xml_text(text: str) -> str:
    """Text with the characters XML 1.0 cannot represent removed (lxml would raise on them)."""
    return _XML_ILLEGAL.sub("", text)


def _one_line(text: str) -> str:
    """Text for attribute values and one-line properties: legal characters, whitespace runs collapsed.

    G2 types such as ``g2normalizedString`` forbid tabs and newlines, and a headline split over two printed
    lines should read as one line anyway.
    """
    return " ".join(_xml_text(text).split())


# Escaping as libxml2 serialises UTF-8 documents: in text ``&``, ``<``, ``>`` and CR become references
# (tab and LF stay as they are); in attribute values also ``"``, tab and LF, so that they survive
# attribute-value normalisation. Every other character is written as itself.
_TEXT_SPECIAL = re.compile("[&<>\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
_ATTR_SPECIAL = re.compile('[&<>"\t\n\r\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]')
_TEXT_ESCAPES = str.maketrans({"&": "&amp;", "<": "&lt;", ">": "&gt;", "\r": "&#13;"})
_ATTR_ESCAPES = str.maketrans(
    {"&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "\t": "&#9;", "\n": "&#10;", "\r": "&#13;"}
)


def _refuse_illegal(value: str) -> None:
    """Raise what lxml raises for a string it will not put in a tree: ``UnicodeEncodeError`` for a lone
    surrogate (lxml encodes the string to UTF-8 first), ``ValueError`` for the characters XML 1.0 cannot
    carry. Only strings no sanitiser has seen (raw block ids, role names) can get here."""
    value.encode("utf-8")
    if _XML_ILLEGAL.search(value):
        raise ValueError("All strings must be XML compatible: Unicode or ASCII, no NULL bytes or control characters")


def _esc_text(text: str) -> str:
    if _TEXT_SPECIAL.search(text) is None:
        return text
    _refuse_illegal(text)
    return text.translate(_TEXT_ESCAPES)


def _esc_attr(value: str) -> str:
    if _ATTR_SPECIAL.search(value) is None:
        return value
    _refuse_illegal(value)
    return value.translate(_ATTR_ESCAPES)


#: Line starts for each nesting depth: libxml2's pretty printer indents by two spaces per level.
_INDENT = tuple("  " * depth for depth in range(64))


class _Doc:
    """One XML document written straight to UTF-8 text, byte for byte as lxml's
    ``tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)`` of the same tree.

    Why not lxml: building the tree element by element through lxml's API cost more than everything else
    in writing an edition, and the tree was only serialised (and then parsed again for validation, which
    :func:`write_edition` still does on exactly these bytes). The documents have no mixed content (an
    element holds text or child elements, never both), so lxml's layout is simple: one element per line,
    two spaces of indent per level, ``<tag/>`` for an empty element and ``<tag></tag>`` for empty text.
    Elements are written in document order: :meth:`start` opens one, :meth:`end` closes the innermost open
    one, :meth:`leaf` writes one without children. Attributes are ``(name, value)`` pairs in output order;
    names carry their prefix (``ra:blocks``, ``xml:lang``). Strings lxml would refuse raise the same
    exceptions (see :func:`_refuse_illegal`).
    """

    __slots__ = ("_parts", "_stack", "_open")

    def __init__(self) -> None:
        self._parts: list[str] = ["<?xml version='1.0' encoding='UTF-8'?>\n"]
        self._stack: list[str] = []
        self._open = False  # the last start tag still lacks its ">" (it may yet close as "/>")

    @staticmethod
    def _attrs(attrs: Iterable[tuple[str, str]]) -> str:
        return "".join([f' {name}="{_esc_attr(value)}"' for name, value in attrs])

    def start(self, tag: str, *attrs: tuple[str, str], ns: str = "") -> None:
        """Open ``tag``; ``ns`` is written verbatim before the attributes (namespace declarations)."""
        parts = self._parts
        if self._open:
            parts.append(">\n")
        parts.append(f"{_INDENT[len(self._stack)]}<{tag}{ns}{self._attrs(attrs) if attrs else ''}")
        self._stack.append(tag)
        self._open = True

    def end(self) -> None:
        tag = self._stack.pop()
        if self._open:
            self._parts.append("/>\n")
            self._open = False
        else:
            self._parts.append(f"{_INDENT[len(self._stack)]}</{tag}>\n")

    def leaf(self, tag: str, text: str | None = None, *attrs: tuple[str, str]) -> None:
        """A childless element: ``<tag/>`` without text, ``<tag>text</tag>`` with (even empty) text."""
        parts = self._parts
        if self._open:
            parts.append(">\n")
            self._open = False
        head = f"{_INDENT[len(self._stack)]}<{tag}{self._attrs(attrs) if attrs else ''}"
        parts.append(f"{head}/>\n" if text is None else f"{head}>{_esc_text(text)}</{tag}>\n")

    def ext(self, tag: str, rel: str, value: str, datatype: str | None = None, *more: tuple[str, str]) -> None:
        """A G2 extension property (``rel``, ``value``, optional ``valuedatatype``, then ``more``)."""
        if datatype:
            self.leaf(tag, None, ("rel", rel), ("value", value), ("valuedatatype", datatype), *more)
        else:
            self.leaf(tag, None, ("rel", rel), ("value", value), *more)

    def raw(self, fragment: str) -> None:
        """Elements already written out (whole lines, indented for the current depth)."""
        if self._open:
            self._parts.append(">\n")
            self._open = False
        self._parts.append(fragment)

    def bytes(self) -> bytes:
        """The document; every element must have been closed."""
        assert not self._stack, self._stack
        return "".join(self._parts).encode("utf-8")


def _dec(value: float) -> str:
    """A score as an ``xs:decimal`` literal with at most 4 decimals (never ``nan``, ``inf`` or ``1e-05``)."""
    if not math.isfinite(value):
        return "0"
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("", "-0") else text


def _percent(value: float) -> int:
    """A [0, 1] score as the integer 0-100 G2's ``confidence`` wants (Int100Type), half rounding up."""
    if not math.isfinite(value):
        return 0
    return max(0, min(100, math.floor(value * 100 + 0.5)))


def _bool(value: bool) -> str:
    return "true" if value else "false"


def _lang_tag(lang: str) -> str:
    """The BCP 47 tag for ``xml:lang`` and ``language/@tag``.

    Bare ``zh`` becomes ``zh-CN`` because that is what most newsroom systems match on; ``zh_CN`` style
    underscores are fixed; anything that is still not an ``xs:language`` becomes ``und`` so that a bad
    language code in the input cannot make a document invalid.
    """
    tag = (lang or "").strip().replace("_", "-")
    if tag.lower() == "zh":
        return "zh-CN"
    return tag if _LANG_TAG.fullmatch(tag) else "und"


def _edition_date(edition: Edition) -> str | None:
    """The edition's publication date as ``YYYY-MM-DD`` if the edition carries one, else ``None``.

    The model has no date field yet; an optional ``date`` attribute (a :class:`datetime.date` or an ISO
    string) is honoured so that output gets a real ``versionCreated`` as soon as one is available.
    """
    value = getattr(edition, "date", None)
    if isinstance(value, _dt.datetime):
        return value.date().isoformat()
    if isinstance(value, _dt.date):
        return value.isoformat()
    if isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()):
        try:
            return _dt.date.fromisoformat(value.strip()).isoformat()
        except ValueError:
            return None
    return None


def _version_created(edition: Edition) -> str:
    date = _edition_date(edition)
    return f"{date}T00:00:00+00:00" if date else _EPOCH


@functools.lru_cache(maxsize=1)
def _tool_version() -> str | None:
    """The installed version of reassemble for ``generator/@versioninfo`` (None when run from a checkout)."""
    try:
        return importlib.metadata.version("reassemble")
    except importlib.metadata.PackageNotFoundError:
        return None


def _ascii_slug(text: str, max_len: int) -> str:
    """Lower-case ASCII words joined by ``-``: accents dropped, other scripts vanish (no transliteration)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:max_len].rstrip("-")


def _short_hash(text: str, length: int = 10) -> str:
    return hashlib.sha1(text.encode("utf-8", "surrogatepass")).hexdigest()[:length]


def edition_slug(edition: Edition) -> str:
    """The edition part of every guid: the paper's ASCII slug (or a hash of a non-Latin name) and the date.

    Without paper and date, all editions share the slug ``edition``; guids are then only unique within one
    run's output, which is all the per-page packages need.
    """
    parts: list[str] = []
    if edition.paper and edition.paper.strip():
        parts.append(_ascii_slug(edition.paper, 40) or f"paper-{_short_hash(edition.paper.strip())}")
    date = _edition_date(edition)
    if date:
        parts.append(date)
    return "-".join(parts) or "edition"


def article_guid(article: Article, edition: Edition) -> str:
    """``urn:newsml:reassemble.local:<edition-slug>:<article id>``; the id is percent-encoded so that it can
    never contain ``:`` and thus never clash with the ``package:...`` guids."""
    return f"{_GUID_PREFIX}:{edition_slug(edition)}:{urllib.parse.quote(article.id, safe='-._~')}"


def _page_guid(edition: Edition, page: int) -> str:
    return f"{_GUID_PREFIX}:{edition_slug(edition)}:package:page-{page}"


def _edition_guid(edition: Edition) -> str:
    return f"{_GUID_PREFIX}:{edition_slug(edition)}:package:edition"


def _role_name(role: object) -> str:
    return str(role.value) if isinstance(role, enum.Enum) else str(role)


_block_cache: tuple[Edition, dict[str, Block]] | None = None


def _blocks(edition: Edition) -> dict[str, Block]:
    """All blocks of the edition by id, built once per edition.

    ``Edition.block`` is a linear scan; the writers look blocks up for every block of every article and
    again per page package, which would be quadratic on a large edition. Editions are not hashable (they
    hold dicts), so the index is cached for the most recent edition object only, checked by identity;
    a concurrent call at worst rebuilds it.
    """
    global _block_cache
    cached = _block_cache
    if cached is not None and cached[0] is edition:
        return cached[1]
    index: dict[str, Block] = {}
    for page in edition.pages:
        for block in page.blocks:
            index.setdefault(block.id, block)
    _block_cache = (edition, index)
    return index


def _block_page(edition: Edition, block_id: str) -> int | None:
    """The page of a block: from the edition if the block is there, else from the ``p{page}:`` id form."""
    block = _blocks(edition).get(block_id)
    if block is not None:
        return block.page
    match = _BLOCK_ID_PAGE.match(block_id)
    return int(match.group(1)) if match else None


def _block_text(edition: Edition, block_id: str) -> str:
    block = _blocks(edition).get(block_id)
    return block.text if block is not None else ""


def _article_pages(article: Article, edition: Edition) -> tuple[int, ...]:
    """Pages the article spans: ``article.pages`` when the assembler set it, else derived from its blocks."""
    if article.pages:
        return tuple(article.pages)
    pages: list[int] = []
    for block_id in article.blocks:
        page = _block_page(edition, block_id)
        if page is not None and page not in pages:
            pages.append(page)
    for para in article.paragraphs:
        for page in para.pages:
            if page not in pages:
                pages.append(page)
    return tuple(pages)


def _first_page(article: Article, edition: Edition) -> int | None:
    """The page of the article's first block: the page whose package lists the article."""
    if article.blocks:
        page = _block_page(edition, article.blocks[0])
        if page is not None:
            return page
    pages = _article_pages(article, edition)
    return pages[0] if pages else None


def _blocks_with_role(article: Article, role: Role) -> list[str]:
    return [b for b in article.blocks if _role_name(article.roles.get(b, "")) == role.value]


@dataclasses.dataclass(frozen=True)
class _Para:
    """A body paragraph as written: the model's paragraphs, or a photo's caption blocks made into one."""

    text: str
    blocks: tuple[str, ...]
    pages: tuple[int, ...]


def _body(article: Article, edition: Edition) -> list[_Para]:
    """The body paragraphs. A photo whose assembler left no paragraphs keeps its caption blocks as body."""
    paras = [_Para(p.text, tuple(p.blocks), tuple(p.pages)) for p in article.paragraphs]
    if not paras and article.kind == "photo":
        for block_id in _blocks_with_role(article, Role.CAPTION):
            page = _block_page(edition, block_id)
            text = _block_text(edition, block_id)
            if text.strip():
                paras.append(_Para(text, (block_id,), (page,) if page is not None else ()))
    return [p for p in paras if _one_line(p.text)]


def _bylines(article: Article, edition: Edition) -> list[str]:
    """Byline lines; for a photo without one, its credit blocks (the photographer is its byline)."""
    lines = [_one_line(b) for b in article.byline]
    if not any(lines) and article.kind == "photo":
        lines = [_one_line(_block_text(edition, b)) for b in _blocks_with_role(article, Role.CREDIT)]
    return [line for line in lines if line]


def _placeholder_headline(article: Article, body: Sequence[_Para]) -> str:
    """A stand-in for a missing headline: the first words of the body (NITF ``hl1`` is required).

    Wide (CJK) text is cut at 20 characters or the first sentence mark, spaced text at 8 words / 60
    characters; an ellipsis shows the cut. It is always flagged as a placeholder in the output.
    """
    first = next((_one_line(p.text) for p in body if _one_line(p.text)), "")
    if not first:
        return f"[{_one_line(article.id) or 'untitled'}]"
    if sum(1 for c in first[:40] if is_wide(c)) * 2 >= len(first[:40]):
        cut = first[:20]
        for i, ch in enumerate(cut):
            if ch in "。！？!?；;":
                return cut[: i + 1]
        return cut + ("…" if len(first) > 20 else "")
    words = first.split(" ")
    head = " ".join(words[:8])
    if len(head) > 60:
        head = head[:60].rsplit(" ", 1)[0] if " " in head[:60] else head[:60]
    return head + ("…" if head != first else "")


def _join_text(join: Join) -> str:
    return f"{join.a}>{join.b} {_dec(join.score)}" + (" (cross-page)" if join.cross_page else "")


def _pages_text(pages: Iterable[int]) -> str:
    return ", ".join(str(p) for p in pages)


def _reassembly_note(article: Article, pages: Sequence[int]) -> str:
    """The one-sentence English summary for editors: origin, confidence, joins and completeness."""
    parts = [
        f"Machine-reassembled by reassemble from {len(article.blocks)} printed block(s)"
        + (f" on page(s) {_pages_text(pages)}" if pages else "")
        + "; please proofread.",
        f"Reassembly confidence {_dec(article.confidence)}.",
    ]
    accepted = [j for j in article.joins if j.accepted]
    rejected = [j for j in article.joins if not j.accepted]
    if accepted:
        parts.append("Join confidences: " + "; ".join(_join_text(j) for j in accepted) + ".")
    if rejected:
        parts.append("Rejected join candidates: " + "; ".join(_join_text(j) for j in rejected) + ".")
    if not article.starts_complete or article.continued_from is not None:
        where = f" (continued from page {article.continued_from})" if article.continued_from else ""
        parts.append(f"The start is missing{where}." if not article.starts_complete else f"Continued{where}.")
    if not article.ends_complete or article.continues_to is not None:
        where = f" (continues on page {article.continues_to})" if article.continues_to else ""
        parts.append(f"The end is missing{where}." if not article.ends_complete else f"Continues{where}.")
    return " ".join(parts)


_NAMESPACES = f' xmlns="{NAR_NS}" xmlns:xs="{XS_NS}" xmlns:ra="{RA_NS}"'
_NITF_NAMESPACE = f' xmlns="{NITF_NS}"'


#: The catalog reference and the inline catalog, the same in every document (ASCII, nothing to escape).
_CATALOG = (
    f'  <catalogRef href="{_IPTC_CATALOG}"/>\n  <catalog>\n'
    + "".join(f'    <scheme alias="{alias}" uri="{uri}"/>\n' for alias, uri in _SCHEMES)
    + "  </catalog>\n"
)


def _root(doc: _Doc, tag: str, guid: str, lang: str) -> None:
    """Open the item root with its required attributes; write the catalog reference and the inline
    project catalog."""
    doc.start(
        tag,
        ("guid", guid),
        ("version", "1"),
        ("standard", "NewsML-G2"),
        ("standardversion", "2.35"),
        ("conformance", "power"),
        ("xml:lang", lang),
        ns=_NAMESPACES,
    )
    doc.raw(_CATALOG)


def _item_meta_head(doc: _Doc, edition: Edition, item_class: str) -> None:
    """Open ``itemMeta`` and write it up to ``generator`` in the order the schema demands (pubStatus after
    versionCreated)."""
    doc.start("itemMeta")
    doc.leaf("itemClass", None, ("qcode", item_class))
    doc.leaf("provider", None, ("literal", _one_line(edition.paper or "") or "unknown"))
    doc.leaf("versionCreated", _version_created(edition))
    doc.leaf("pubStatus", None, ("qcode", "stat:usable"))
    version = _tool_version()
    if version:
        doc.leaf("generator", "reassemble", ("versioninfo", version))
    else:
        doc.leaf("generator", "reassemble")


_NOTE_EN = ("xml:lang", "en")


# --------------------------------------------------------------------------------------------- newsItem


def newsitem_xml(article: Article, edition: Edition) -> bytes:
    """One article as a NewsML-G2 2.35 ``newsItem`` (Power conformance) with an NITF 3.6 body.

    The document is built but not validated here (validation is :func:`write_edition`'s job, done for all
    documents before any is written). See the module docstring for where each flag and score goes.
    """
    lang = _lang_tag(article.lang)
    pages = _article_pages(article, edition)
    body = _body(article, edition)
    bylines = _bylines(article, edition)
    headline = _one_line(article.headline or "")
    placeholder = not headline
    main_headline = headline or _placeholder_headline(article, body)
    kicker = _one_line(article.kicker or "")
    subheadline = _one_line(article.subheadline or "")
    dateline = _one_line(article.dateline or "")
    summary = _one_line(article.summary or "")
    paper = _one_line(edition.paper or "")
    date = _edition_date(edition)
    is_photo = article.kind == "photo"

    doc = _Doc()
    _root(doc, "newsItem", article_guid(article, edition), lang)

    if pages:
        doc.start("pubHistory")
        doc.start("published", ("qcode", f"ex-pub:{edition_slug(edition)}"))
        if date:
            doc.leaf("timestamp", date)
        doc.leaf("name", f"{paper or '?'} p. {_pages_text(pages)}")
        for page in pages:
            doc.ext("publishedExtProperty", "ex-prt:page", str(page), "xs:integer")
        doc.end()
        doc.end()

    _item_meta_head(doc, edition, "ninat:text")
    doc.leaf("title", f"{_one_line(article.id)} {main_headline}".strip())
    doc.leaf("edNote", _reassembly_note(article, pages), ("role", "ex-ednoterole:reassembly"), _NOTE_EN)
    if placeholder:
        source = "its caption" if is_photo else "the body"
        doc.leaf(
            "edNote",
            f"No headline was found; the headline is a placeholder made from the first words of {source}.",
            ("role", "ex-ednoterole:reassembly"),
            _NOTE_EN,
        )
    for note in article.notes:
        if _one_line(note):
            doc.leaf("edNote", _xml_text(note), ("role", "ex-ednoterole:note"), _NOTE_EN)
    first_page = _first_page(article, edition)
    if first_page is not None:
        doc.leaf(
            "link",
            None,
            ("rel", "irel:seeAlso"),
            ("residref", _page_guid(edition, first_page)),
            ("contenttype", _PACKAGE_TYPE),
        )
    doc.end()  # itemMeta

    doc.start("contentMeta")
    # administrative part first: the printed byline lines, unparsed (no person detection is attempted)
    for line in bylines:
        doc.start("creator")
        doc.leaf("name", line)
        doc.end()
    doc.leaf("language", None, ("tag", lang))
    if kicker:
        doc.leaf("headline", kicker, ("role", "ex-hlrole:kicker"))
    if placeholder:
        doc.leaf("headline", main_headline, ("role", "ex-hlrole:main ex-hlrole:placeholder"), ("confidence", "0"))
    else:
        doc.leaf(
            "headline", main_headline, ("role", "ex-hlrole:main"), ("confidence", str(_percent(article.confidence)))
        )
    if subheadline:
        doc.leaf("headline", subheadline, ("role", "ex-hlrole:sub"))
    if bylines:
        doc.leaf("by", " ".join(bylines))
        if is_photo:
            doc.leaf("creditline", " ".join(bylines))
    if dateline:
        doc.leaf("dateline", dateline)
    if summary:
        doc.leaf("description", summary, ("role", "drol:summary"))
    if is_photo and body:
        doc.leaf("description", " ".join(_one_line(p.text) for p in body), ("role", "drol:caption"))

    prop = "contentMetaExtProperty"
    doc.ext(prop, "ex-rsm:articleId", _one_line(article.id))
    doc.ext(prop, "ex-rsm:kind", _one_line(article.kind))
    for page in pages:
        doc.ext(prop, "ex-prt:page", str(page), "xs:integer")
    doc.ext(prop, "ex-rsm:startsComplete", _bool(article.starts_complete), "xs:boolean")
    doc.ext(prop, "ex-rsm:endsComplete", _bool(article.ends_complete), "xs:boolean")
    if article.continued_from is not None:
        doc.ext(prop, "ex-rsm:continuedFrom", str(article.continued_from), "xs:integer")
    if article.continues_to is not None:
        doc.ext(prop, "ex-rsm:continuesTo", str(article.continues_to), "xs:integer")
    doc.ext(prop, "ex-rsm:confidence", _dec(article.confidence), "xs:decimal")
    doc.ext(prop, "ex-rsm:headlinePlaceholder", _bool(placeholder), "xs:boolean")
    for block_id in article.blocks:
        role = ("ra:role", _role_name(article.roles.get(block_id, Role.BODY)))
        block_page = _block_page(edition, block_id)
        if block_page is not None:
            doc.ext(prop, "ex-rsm:block", _one_line(block_id), None, role, ("ra:page", str(block_page)))
        else:
            doc.ext(prop, "ex-rsm:block", _one_line(block_id), None, role)
    for join in article.joins:
        rel = "ex-rsm:join" if join.accepted else "ex-rsm:rejectedJoin"
        doc.ext(
            prop,
            rel,
            _dec(join.score),
            "xs:decimal",
            ("ra:a", _one_line(join.a)),
            ("ra:b", _one_line(join.b)),
            ("ra:crossPage", _bool(join.cross_page)),
        )
    for marker in article.markers:
        if _one_line(marker):
            doc.ext(prop, "ex-rsm:marker", _one_line(marker))
    doc.end()  # contentMeta

    doc.start("contentSet")
    doc.start("inlineXML", ("contenttype", "application/nitf+xml"))
    _nitf(
        doc,
        article,
        edition,
        body=body,
        bylines=bylines,
        main_headline=main_headline,
        placeholder=placeholder,
        kicker=kicker,
        subheadline=subheadline,
        dateline=dateline,
        summary=summary,
        pages=pages,
    )
    doc.end()
    doc.end()
    doc.end()  # newsItem
    return doc.bytes()


def _nitf(
    doc: _Doc,
    article: Article,
    edition: Edition,
    *,
    body: Sequence[_Para],
    bylines: Sequence[str],
    main_headline: str,
    placeholder: bool,
    kicker: str,
    subheadline: str,
    dateline: str,
    summary: str,
    pages: Sequence[int],
) -> None:
    """The NITF 3.6 document inside ``inlineXML``: head (doc id, print pubdata) and the display body."""
    doc.start("nitf", ns=_NITF_NAMESPACE)
    doc.start("head")
    doc.leaf("title", main_headline)
    doc.start("docdata")
    doc.leaf("doc-id", None, ("id-string", _one_line(article.id)))
    doc.end()
    date = _edition_date(edition)
    for page in pages:
        attrs = [("type", "print")]
        if edition.paper and _one_line(edition.paper):
            attrs.append(("name", _one_line(edition.paper)))
        if date:
            attrs.append(("date.publication", date.replace("-", "")))
        attrs.append(("position.sequence", str(page)))
        doc.leaf("pubdata", None, *attrs)
    doc.end()  # head

    doc.start("body")
    doc.start("body.head")
    doc.start("hedline")
    if placeholder:
        doc.leaf("hl1", main_headline, ("class", "placeholder"))
    else:
        doc.leaf("hl1", main_headline)
    # NITF has no kicker element; hl2 with a class is the usual convention (hl1 must come first)
    if kicker:
        doc.leaf("hl2", kicker, ("class", "kicker"))
    if subheadline:
        doc.leaf("hl2", subheadline, ("class", "subheadline"))
    doc.end()  # hedline
    for line in bylines:
        doc.leaf("byline", line)
    if dateline:
        doc.leaf("dateline", dateline)
    if summary:
        doc.start("abstract")
        doc.leaf("p", summary)
        doc.end()
    doc.end()  # body.head

    doc.start("body.content")
    # In-body subheads are role blocks, not paragraphs; they go back between the paragraphs they stood
    # between in reading order, as NITF hl2 elements.
    position = {b: i for i, b in enumerate(article.blocks)}
    subheads = [(position[b], b) for b in _blocks_with_role(article, Role.SUBHEAD)]
    for number, para in enumerate(body, start=1):
        first = position.get(para.blocks[0], len(position)) if para.blocks else len(position)
        while subheads and subheads[0][0] < first:
            _, block_id = subheads.pop(0)
            text = _xml_text(_one_line(_block_text(edition, block_id)))
            doc.leaf("hl2", text, ("class", "subhead"), ("ra:blocks", block_id))
        doc.leaf(
            "p",
            _xml_text(para.text),
            ("id", f"para-{number}"),
            ("ra:blocks", " ".join(_one_line(b) for b in para.blocks)),
            ("ra:pages", " ".join(str(pg) for pg in para.pages)),
        )
    doc.end()  # body.content
    doc.end()  # body
    doc.end()  # nitf


# --------------------------------------------------------------------------------------------- packages


def _articles_by_page(edition: Edition) -> dict[int | None, list[Article]]:
    """Articles grouped by the page of their first block, keeping edition (reading) order within a page."""
    groups: dict[int | None, list[Article]] = {}
    for article in edition.articles:
        groups.setdefault(_first_page(article, edition), []).append(article)
    return groups


def _ordered_pages(edition: Edition, groups: Mapping[int | None, list[Article]]) -> list[int]:
    pages = set(edition.page_numbers) | {p for p in groups if p is not None}
    return sorted(pages)


def _item_ref(doc: _Doc, article: Article, edition: Edition) -> None:
    doc.start(
        "itemRef",
        ("residref", article_guid(article, edition)),
        ("version", "1"),
        ("contenttype", _NEWSITEM_TYPE),
    )
    doc.leaf("itemClass", None, ("qcode", "ninat:text"))
    headline = _one_line(article.headline or "") or _placeholder_headline(article, _body(article, edition))
    doc.leaf("title", headline)
    doc.end()


def _package_root(
    doc: _Doc, edition: Edition, guid: str, title: str, headline: str, notes: Sequence[tuple[str, str]] = ()
) -> None:
    """A packageItem up to ``contentMeta``'s headline, which is left open; ``notes`` are ``(role, text)``
    edNotes at the end of ``itemMeta``."""
    lang = _lang_tag(edition.lang)
    _root(doc, "packageItem", guid, lang)
    _item_meta_head(doc, edition, "ninat:composite")
    doc.leaf("title", title)
    for role, text in notes:
        doc.leaf("edNote", text, ("role", role), _NOTE_EN)
    doc.end()  # itemMeta
    doc.start("contentMeta")
    doc.leaf("language", None, ("tag", lang))
    doc.leaf("headline", headline, _NOTE_EN)


def _group(doc: _Doc, group_id: str, role: str, articles: Sequence[Article], edition: Edition) -> None:
    doc.start("group", ("id", group_id), ("role", role), ("mode", "pgrmod:seq"))
    for article in articles:
        _item_ref(doc, article, edition)
    doc.end()


def page_package_xml(edition: Edition, page: int) -> bytes:
    """A ``packageItem`` for one printed page: the newsItems whose first block is on it, in reading order.

    An edition page without articles still gets a (valid, empty) package, so that a page's absence from
    the output never looks like a lost file. Raises ``ValueError`` for a page the edition does not have.
    """
    groups = _articles_by_page(edition)
    if page not in _ordered_pages(edition, groups):
        raise ValueError(f"page {page} is not part of this edition (pages: {list(edition.page_numbers)})")
    paper = _one_line(edition.paper or "")
    doc = _Doc()
    _package_root(doc, edition, _page_guid(edition, page), f"{paper} page {page}".strip(), f"Page {page}")
    doc.ext("contentMetaExtProperty", "ex-prt:page", str(page), "xs:integer")
    doc.end()  # contentMeta
    doc.start("groupSet", ("root", f"page-{page}"))
    _group(doc, f"page-{page}", "ex-grouprole:page", groups.get(page, []), edition)
    doc.end()
    doc.end()  # packageItem
    return doc.bytes()


def edition_package_xml(edition: Edition) -> bytes:
    """A ``packageItem`` for the whole edition: one ordered group per page, referenced in page order.

    Reading the ``itemRef``s in document order gives every article in page then reading order; the page
    groups keep the page structure for consumers that want it. Articles whose page cannot be told go in a
    final ``unplaced`` group. Unassigned blocks and pipeline problems are recorded here, since they belong
    to no article.
    """
    groups = _articles_by_page(edition)
    pages = _ordered_pages(edition, groups)
    paper = _one_line(edition.paper or "")
    summary = (
        f"Machine-reassembled by reassemble: {len(edition.articles)} article(s) on {len(pages)} page(s); "
        f"{len(edition.unassigned)} block(s) not assigned to any article."
    )
    notes = [("ex-ednoterole:reassembly", summary)]
    notes += [("ex-ednoterole:problem", _xml_text(p)) for p in edition.problems if _one_line(p)]
    doc = _Doc()
    _package_root(doc, edition, _edition_guid(edition), f"{paper} edition".strip(), "Edition", notes)
    for page in pages:
        doc.ext("contentMetaExtProperty", "ex-prt:page", str(page), "xs:integer")
    for block_id in edition.unassigned:
        page_no = _block_page(edition, block_id)
        if page_no is not None:
            doc.ext(
                "contentMetaExtProperty", "ex-rsm:unassignedBlock", _one_line(block_id), None, ("ra:page", str(page_no))
            )
        else:
            doc.ext("contentMetaExtProperty", "ex-rsm:unassignedBlock", _one_line(block_id))
    doc.end()  # contentMeta

    doc.start("groupSet", ("root", "edition"))
    doc.start("group", ("id", "edition"), ("role", "ex-grouprole:edition"), ("mode", "pgrmod:seq"))
    group_ids = [f"page-{p}" for p in pages] + (["unplaced"] if None in groups else [])
    for group_id in group_ids:
        doc.leaf("groupRef", None, ("idref", group_id))
    doc.end()
    for page in pages:
        _group(doc, f"page-{page}", "ex-grouprole:page", groups.get(page, []), edition)
    if None in groups:
        _group(doc, "unplaced", "ex-grouprole:unplaced", groups[None], edition)
    doc.end()  # groupSet
    doc.end()  # packageItem
    return doc.bytes()


# --------------------------------------------------------------------------------------------- JSON


def _jsonable(value: Any) -> Any:
    """A JSON-ready copy of a model value: dataclasses by field, mappings with sorted string keys.

    Going by dataclass fields (rather than a hand-written list) means a field added to the model shows up
    in the JSON without anyone remembering to add it here. Non-finite floats become ``null`` (JSON has no
    NaN) and lone surrogates become U+FFFD so the UTF-8 encoding cannot fail.
    """
    if value is None or isinstance(value, bool | int):
        return value
    if isinstance(value, enum.Enum):
        return _jsonable(value.value)
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, str):
        return re.sub("[\ud800-\udfff]", "\ufffd", value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _jsonable(getattr(value, f.name))
            for f in sorted(dataclasses.fields(value), key=lambda f: f.name)
        }
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in sorted(value.items(), key=lambda kv: str(kv[0]))}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [_jsonable(v) for v in items]
    if isinstance(value, _dt.date):
        return value.isoformat()
    return str(value)


def article_json(article: Article) -> dict[str, Any]:
    """Every field of the article (roles, paragraphs with block/page provenance, joins with score and
    features, flags, notes) as plain JSON types with sorted keys."""
    result: dict[str, Any] = _jsonable(article)
    return result


def edition_json(edition: Edition) -> dict[str, Any]:
    """The whole edition: pages with their blocks, articles, unassigned block ids, decisions and problems.

    ``format`` names the layout so that readers can refuse a future incompatible one.
    """
    result: dict[str, Any] = _jsonable(edition)
    result["articles"] = [article_json(a) for a in edition.articles]
    result["format"] = "reassemble-edition-json/1"
    date = _edition_date(edition)
    if date:
        result["date"] = date
    return dict(sorted(result.items()))


def _json_bytes(data: Mapping[str, Any]) -> bytes:
    text = json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, allow_nan=False)
    return (text + "\n").encode("utf-8")


# --------------------------------------------------------------------------------------------- validation


def _safe_parser() -> etree.XMLParser:
    """A parser for documents we did not build: no network, no entity expansion, no DTD loading."""
    return etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, dtd_validation=False, huge_tree=False
    )


@functools.lru_cache(maxsize=1)
def load_schema() -> etree.XMLSchema:
    """The NewsML-G2 2.35 + NITF 3.6 schema set from the package folder, parsed once per process.

    ``no_network=True`` keeps validation offline and reproducible: all imports in the vendored XSDs are
    relative files next to the wrapper. Building the schema takes a noticeable fraction of a second, hence
    the cache.
    """
    parser = etree.XMLParser(no_network=True, resolve_entities=False)
    return etree.XMLSchema(etree.parse(str(SCHEMA_FILE), parser))


def validate_bytes(data: bytes) -> list[str]:
    """Errors of one XML document against the schema set; an empty list means valid.

    Malformed XML and documents with a DOCTYPE (we never write one, and an internal subset is how entity
    tricks get in) are reported as error strings rather than exceptions, so a caller checking a folder of
    files gets one line per problem and carries on.
    """
    try:
        doc = etree.fromstring(data, _safe_parser()).getroottree()
    except etree.XMLSyntaxError as exc:
        # exc.error_log can hold entries of earlier parses in this thread; the exception's own
        # position and message are this document's.
        return [f"line {exc.lineno}: not well-formed XML: {exc.msg}"]
    except (ValueError, TypeError) as exc:
        return [f"not well-formed XML: {exc}"]
    if doc.docinfo.doctype or doc.docinfo.internalDTD is not None:
        return ["line 1: a DOCTYPE declaration is not allowed in NewsML-G2 output"]
    try:
        load_schema().assertValid(doc)
    except etree.DocumentInvalid as exc:
        # the exception carries its own copy of the log, unlike schema.error_log which the next call resets
        lines = [f"line {e.line}: {e.message}" for e in exc.error_log]
        return lines or [str(exc)]
    return []


def validate_file(path: str | os.PathLike[str]) -> list[str]:
    """:func:`validate_bytes` for a file; every error line is prefixed with the path so logs are greppable.

    A file that cannot be read is an error line too, not an exception.
    """
    try:
        data = Path(path).read_bytes()
    except OSError as exc:
        return [f"{path}: cannot read: {exc.strerror or exc}"]
    return [f"{path}: {line}" for line in validate_bytes(data)]


# --------------------------------------------------------------------------------------------- files


def safe_filename(stem: str, taken: set[str]) -> str:
    """A file-name stem (no extension) that is safe on every common file system and not in ``taken``.

    Why so strict: stems come from article ids and headlines, i.e. from OCR'd input. The result is ASCII
    letters, digits, ``-`` and ``_`` only (so no path separator, no ``..``, no leading dot or dash), at most
    :data:`MAX_STEM` bytes, never a Windows device name, and unique ignoring case (macOS and Windows file
    systems are case-insensitive) by appending ``-2``, ``-3`` ... . Accents are dropped; other scripts are
    not transliterated: a stem with no ASCII left becomes ``u-<hash>`` (stable, and distinct for distinct
    stems); an empty one becomes ``article``. A truncated long stem gets a hash suffix so that two long
    stems sharing a prefix still differ. ``taken`` holds stems already used; it is not modified.
    """
    base = unicodedata.normalize("NFKD", stem).encode("ascii", "ignore").decode("ascii")
    base = re.sub(r"[^A-Za-z0-9_-]+", "-", base)
    base = re.sub(r"-{2,}", "-", base).strip("-_")
    if not base:
        base = f"u-{_short_hash(stem)}" if stem.strip() else "article"
    if len(base) > MAX_STEM:
        base = base[: MAX_STEM - 11].rstrip("-_") + "-" + _short_hash(stem)
    if base.split("-")[0].upper() in _WINDOWS_RESERVED or base.upper() in _WINDOWS_RESERVED:
        base = f"_{base}"[:MAX_STEM]
    used = {t.lower() for t in taken}
    candidate, number = base, 2
    while candidate.lower() in used:
        suffix = f"-{number}"
        candidate = base[: MAX_STEM - len(suffix)].rstrip("-_") + suffix
        number += 1
    return candidate


def _article_stem(article: Article) -> str:
    """The article's id, plus a slug of its headline when the headline is written in Latin script."""
    stem = article.id
    headline = article.headline or ""
    if headline and not any(is_wide(c) for c in headline):
        slug = _ascii_slug(headline, 40)
        if slug:
            stem = f"{stem}-{slug}"
    return stem


def _render(edition: Edition, fmt: str) -> list[tuple[str, bytes, str]]:
    """All output documents as ``(file name, content, what)``; ``what`` names the article for errors."""
    taken: set[str] = {"edition"}  # reserved: edition.json / edition.package.xml
    docs: list[tuple[str, bytes, str]] = []
    for article in edition.articles:
        stem = safe_filename(_article_stem(article), taken)
        taken.add(stem)
        if fmt == "xml":
            docs.append((f"{stem}.xml", newsitem_xml(article, edition), f"article {article.id!r}"))
        else:
            docs.append((f"{stem}.json", _json_bytes(article_json(article)), f"article {article.id!r}"))
    if fmt == "xml":
        groups = _articles_by_page(edition)
        for page in _ordered_pages(edition, groups):
            docs.append((f"page-{page}.package.xml", page_package_xml(edition, page), f"page {page} package"))
        docs.append(("edition.package.xml", edition_package_xml(edition), "edition package"))
    else:
        docs.append(("edition.json", _json_bytes(edition_json(edition)), "edition"))
    return docs


def _check_name(name: str) -> None:
    """Defence in depth: a generated name must be a plain file name inside the output folder."""
    if (
        not name
        or name in (".", "..")
        or name.startswith(".")
        or "/" in name
        or "\\" in name
        or "\x00" in name
        or Path(name).name != name
    ):
        raise OutputError(f"refusing to write unsafe file name {name!r}")


def write_edition(edition: Edition, out_dir: Path, *, fmt: str = "xml", force: bool = False) -> list[Path]:
    """Write the edition to ``out_dir``: per article ``<stem>.xml``, ``page-<N>.package.xml`` per page and
    ``edition.package.xml`` (``fmt="xml"``), or ``<stem>.json`` and ``edition.json`` (``fmt="json"``).

    All-or-nothing as far as a file system allows, because a half-written edition is worse than none:

    1. every document is built in memory and every XML document validated (``ValidationError`` naming the
       article on the first invalid one) before the folder is even created;
    2. existing files are refused (``OutputError`` naming the file) unless ``force``, again before writing;
    3. all content goes to temporary files in ``out_dir`` first (same file system, so the final
       ``os.replace`` is atomic), then all flushed to disk (fsync); if any write or flush fails, all are
       removed and nothing visible changed;
    4. only when every temporary file is on disk are they renamed into place.

    Returns the written paths, sorted.
    """
    if fmt not in ("xml", "json"):
        raise OutputError(f"unknown output format {fmt!r}: use 'xml' or 'json'")
    out = Path(out_dir)
    docs = _render(edition, fmt)

    targets: list[tuple[Path, bytes]] = []
    for name, data, what in docs:
        _check_name(name)
        target = out / name
        if fmt == "xml":
            errors = validate_bytes(data)
            if errors:
                more = f" (and {len(errors) - 1} more)" if len(errors) > 1 else ""
                raise ValidationError(
                    f"{what} does not validate against NewsML-G2 2.35 + NITF 3.6: {errors[0]}{more}; "
                    "nothing was written",
                    path=str(target),
                )
        targets.append((target, data))

    if out.exists() and not out.is_dir():
        raise OutputError("the output path exists and is not a folder", path=str(out))
    for target, _ in targets:
        if target.is_dir() and not target.is_symlink():
            raise OutputError("a folder is in the way of an output file; remove it", path=str(target))
        if not force and (target.exists() or target.is_symlink()):
            raise OutputError("file exists; use --force to overwrite (nothing was written)", path=str(target))

    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise OutputError(f"cannot create the output folder: {exc.strerror or exc}", path=str(out)) from exc

    temps: list[tuple[str, Path]] = []
    fds: list[int] = []
    current = out
    try:
        try:
            for target, data in targets:
                current = target
                fd, temp = _write_temp(out, target.name, data)
                fds.append(fd)
                temps.append((temp, target))
        except BaseException:
            _fsync_close(fds, flush=False)  # close what was written; it is removed below
            raise
        current = out
        _fsync_close(fds)
        for temp, target in temps:
            current = target
            os.replace(temp, target)
    except OSError as exc:
        # renamed temps are gone already (unlink fails quietly); the others must not be left behind
        for temp, _ in temps:
            with contextlib.suppress(OSError):
                os.unlink(temp)
        raise OutputError(f"cannot write output: {exc.strerror or exc}", path=str(current)) from exc
    _fsync_dir(out)
    return sorted(target for target, _ in targets)


def _write_temp(folder: Path, name: str, data: bytes) -> tuple[int, str]:
    """Write ``data`` to a new hidden temp file next to its target; return its still open descriptor and
    its path.

    The temp file lives in the output folder so that ``os.replace`` is a same-file-system rename (atomic).
    It is not fsynced here: :func:`write_edition` flushes all temp files together through their open
    descriptors (:func:`_fsync_close`) before renaming any, so that a crash after a rename cannot leave an
    empty file behind. Its mode is set to 0644 since ``mkstemp`` creates 0600 files that
    other archive users could not read.
    """
    fd, temp = tempfile.mkstemp(prefix=f".{name}.", suffix=".tmp", dir=folder)
    try:
        view = memoryview(data)
        while view:
            view = view[os.write(fd, view) :]
        if hasattr(os, "fchmod"):
            os.fchmod(fd, 0o644)
        else:  # Windows before Python 3.13
            os.chmod(temp, 0o644)
    except BaseException:
        os.close(fd)
        with contextlib.suppress(OSError):
            os.unlink(temp)
        raise
    return fd, temp


#: Threads that fsync an edition's files concurrently (created on first use; fsync releases the GIL).
_fsync_pool: ThreadPoolExecutor | None = None


def _forget_fsync_pool() -> None:
    """In a forked child the pool's threads do not exist: start a new pool there instead of waiting on
    threads that will never run (``multiprocessing`` forks on Linux)."""
    global _fsync_pool
    _fsync_pool = None


if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_fsync_pool)


def _fsync_close(fds: Sequence[int], *, flush: bool = True) -> None:
    """Flush the written temp files to disk (with ``flush``) and close them; return when all are durable,
    raise the first ``OSError``. Every descriptor is closed, also when a flush fails.

    Concurrently, because one fsync after another waits for one disk commit after another, whereas the
    file system commits concurrent fsyncs together: an edition's dozen files take about the time of two
    or three. They start together once every file is written, so that the first commit takes them all.
    Every file is still durable before :func:`write_edition` renames any of them.
    """
    global _fsync_pool
    if not flush or len(fds) <= 1:
        try:
            if flush:
                for fd in fds:
                    os.fsync(fd)
        finally:
            for fd in fds:
                os.close(fd)
        return
    if _fsync_pool is None:
        _fsync_pool = ThreadPoolExecutor(max_workers=8, thread_name_prefix="reassemble-fsync")
    flushes = [_fsync_pool.submit(_fsync_one, fd) for fd in fds]
    failed = [f.exception() for f in flushes]  # waits for every one before raising
    first = next((e for e in failed if e is not None), None)
    if first is not None:
        raise first


def _fsync_one(fd: int) -> None:
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(folder: Path) -> None:
    """Persist the renames (POSIX); silently skipped where directories cannot be opened (Windows)."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)
