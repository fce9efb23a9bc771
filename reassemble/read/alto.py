"""Read one ALTO XML page (v2, v3, v4, or without a namespace) into a :class:`~reassemble.model.Page`.

ALTO is what libraries (BnL, Europeana, Chronicling America...) publish for digitised newspapers: the OCR
of one page as ``TextBlock`` / ``TextLine`` / ``String`` with coordinates. Each ``TextBlock`` becomes one
:class:`~reassemble.model.Block` whose id is ``p{page}:{TextBlock ID}``, the key the gold format and METS
use. Blocks nested in ``ComposedBlock`` (and, in files that do it, inside ``Illustration`` /
``GraphicalElement``) are kept, in document order; the graphics themselves carry no text and are ignored.

Text. Within a line the ``String`` contents are joined with single spaces (``SP`` elements are not needed
to know where words end, and some producers omit them); the lines of a block are joined with
:func:`~reassemble.textutil.join_lines`.

Hyphenation. A word broken over two lines is written in ALTO as a ``String`` with
``SUBS_TYPE="HypPart1"`` (followed by a ``HYP`` element), then a ``String`` with ``SUBS_TYPE="HypPart2"``
starting the next line, both carrying the whole word in ``SUBS_CONTENT``. The word must appear exactly once
in the text, or text conservation and the body comparison count it twice. So:

* both parts in the same ``TextBlock``: the whole word (``SUBS_CONTENT`` of part 1, else the two parts
  joined without the hyphen) is put at the end of part 1's line and part 2 is dropped from the next line.
  ``SUBS_CONTENT`` is preferred over joining because it keeps real compound hyphens (``Nord-Amerika``);
* the parts in different blocks (a word broken across columns): each part stays in its own block, as its
  ``CONTENT`` without the hyphen character, so that nothing is duplicated between blocks; rejoining the
  word is then the join stage's business;
* a ``HYP`` element without ``SUBS_TYPE`` information is kept as a trailing hyphen on the line's last
  word (``die-``), as printed: whether it is a break hyphen is decided later, with evidence, by
  :mod:`reassemble.clean`.

Page number: the ``page`` argument, else the file name (``1858-12-07_01-00002.xml``, ``..._seq-2...``,
``page-02.xml``), else the ``Page`` element's ``PRINTED_IMG_NR`` (when it is a number) or
``PHYSICAL_IMG_NR``, else 1. Coordinates stay in the file's ``MeasurementUnit`` (often ``mm10`` or
``pixel``); ``font_size`` is the ``TextStyle`` ``FONTSIZE`` (points) referenced by the block's
``STYLEREFS``, else the style most of its characters use; ``confidence`` is the mean ``WC`` of its words.
TextBlocks without any text are skipped, as empty blocks are in every other input format.
"""

from __future__ import annotations

from collections import Counter
from pathlib import Path

from lxml import etree

from reassemble.errors import InputError
from reassemble.model import BBox, Block, Page
from reassemble.read.pagename import page_number_from_name
from reassemble.read.safexml import parse_xml
from reassemble.textutil import join_lines

#: Known ALTO namespaces and the major version each stands for. A root ``alto`` element in any other
#: namespace (or none) is read as well, with the same element names.
ALTO_NAMESPACES: dict[str, str] = {
    "": "unknown",
    "http://www.loc.gov/standards/alto/ns-v1#": "1",
    "http://schema.ccs-gmbh.com/ALTO": "2",
    "http://www.loc.gov/standards/alto/ns-v2#": "2",
    "http://www.loc.gov/standards/alto/ns-v3#": "3",
    "http://www.loc.gov/standards/alto/ns-v4#": "4",
}

#: Characters a producer may leave at the end of ``HypPart1`` content.
_HYPHENS = "-\u00ad\u2010\u2011\u00ac\u2e17="

def alto_version(root: etree._Element) -> str:
    """The ALTO major version from the root's namespace (``"2"``, ``"3"``, ``"4"``...), or ``"unknown"``."""
    ns = _namespace(root.tag)
    return ALTO_NAMESPACES.get(ns, "unknown")


def _namespace(tag: object) -> str:
    if isinstance(tag, str) and tag.startswith("{"):
        return tag[1 : tag.index("}")]
    return ""


def _num(el: etree._Element, name: str) -> float | None:
    value = el.get(name)
    if value is None:
        return None
    try:
        number = float(value)
    except ValueError:
        return None
    return number if number == number and abs(number) != float("inf") else None


def _int_attr(el: etree._Element, name: str) -> int | None:
    value = (el.get(name) or "").strip()
    return int(value) if value.isdigit() and int(value) > 0 else None


def _bbox(el: etree._Element) -> BBox | None:
    x, y, w, h = _num(el, "HPOS"), _num(el, "VPOS"), _num(el, "WIDTH"), _num(el, "HEIGHT")
    if x is None or y is None or w is None or h is None:
        return None
    return BBox(x, y, x + max(w, 0.0), y + max(h, 0.0))


class _Token:
    """One word of a line while the block is assembled (mutable, unlike the model objects)."""

    __slots__ = ("text", "subs_type", "subs_content", "hyphen")

    def __init__(self, text: str, subs_type: str = "", subs_content: str = "") -> None:
        self.text = text
        self.subs_type = subs_type
        self.subs_content = subs_content
        self.hyphen = False


def _read_lines(
    block: etree._Element, tags: _Tags, styles: dict[str, float], style_chars: Counter[str]
) -> tuple[list[list[_Token]], list[float]]:
    """The block's lines as token lists, and the word confidences (``WC``) seen."""
    lines: list[list[_Token]] = []
    confidences: list[float] = []
    for line_el in block:
        if line_el.tag != tags.line:
            continue
        tokens: list[_Token] = []
        line_style = line_el.get("STYLEREFS")
        for el in line_el:
            tag = el.tag
            if tag == tags.string:
                content = el.get("CONTENT") or ""
                token = _Token(content.strip(), el.get("SUBS_TYPE") or "", el.get("SUBS_CONTENT") or "")
                if token.text or token.subs_type:
                    tokens.append(token)
                wc = _num(el, "WC")
                if wc is not None:
                    confidences.append(wc)
                ref = el.get("STYLEREFS") or line_style
                if ref and token.text:
                    for sid in ref.split():
                        if sid in styles:
                            style_chars[sid] += len(token.text)
                            break
            elif tag == tags.hyp:
                if tokens and tokens[-1].subs_type == "HypPart1":
                    tokens[-1].hyphen = True  # the word is rebuilt below; the hyphen goes away
                elif tokens:
                    tokens[-1].text += el.get("CONTENT") or "-"
                else:
                    tokens.append(_Token(el.get("CONTENT") or "-"))
        lines.append(tokens)
    return lines, confidences


def _resolve_hyphenation(lines: list[list[_Token]]) -> list[str]:
    """Rebuild hyphenated words so each appears once, and return the non-empty line strings."""
    flat = [(i, tok) for i, line in enumerate(lines) for tok in line]
    dropped: set[int] = set()
    for k, (_, tok) in enumerate(flat):
        if tok.subs_type != "HypPart1":
            continue
        nxt = flat[k + 1][1] if k + 1 < len(flat) else None
        if nxt is not None and nxt.subs_type == "HypPart2":
            whole = tok.subs_content.strip() or (tok.text.rstrip(_HYPHENS) + nxt.text)
            tok.text = whole
            dropped.add(id(nxt))
        else:  # part 2 is in another block (or missing): keep this part only, without its hyphen
            tok.text = tok.text.rstrip(_HYPHENS) or tok.text
    out: list[str] = []
    for line in lines:
        text = " ".join(t.text for t in line if id(t) not in dropped and t.text)
        if text:
            out.append(text)
    return out


class _Tags:
    """Fully qualified tag names for one namespace, so the hot loops compare strings, not QNames."""

    __slots__ = ("block", "line", "string", "hyp", "page", "style", "unit")

    def __init__(self, ns: str) -> None:
        prefix = f"{{{ns}}}" if ns else ""
        self.block = prefix + "TextBlock"
        self.line = prefix + "TextLine"
        self.string = prefix + "String"
        self.hyp = prefix + "HYP"
        self.page = prefix + "Page"
        self.style = prefix + "TextStyle"
        self.unit = prefix + "MeasurementUnit"


def _page_number(path: Path, page: int | None, page_el: etree._Element | None) -> int:
    if page is not None:
        return page
    from_name = page_number_from_name(path)
    if from_name is not None:
        return from_name
    if page_el is not None:
        for attr in ("PRINTED_IMG_NR", "PHYSICAL_IMG_NR"):
            number = _int_attr(page_el, attr)
            if number is not None:
                return number
    return 1


def parse_alto(root: etree._Element, path: Path, page: int | None = None) -> Page:
    """Build the :class:`Page` from an already parsed ALTO root (used by :func:`read_alto` and METS)."""
    src = str(path)
    tag = root.tag
    if not isinstance(tag, str) or tag.rsplit("}", 1)[-1] != "alto":
        local = tag.rsplit("}", 1)[-1] if isinstance(tag, str) else "?"
        raise InputError(f"not an ALTO file: the root element is <{local}>, expected <alto>", src)
    tags = _Tags(_namespace(tag))

    styles: dict[str, float] = {}
    for style in root.iter(tags.style):
        sid, size = style.get("ID"), _num(style, "FONTSIZE")
        if sid and size is not None and size > 0:
            styles[sid] = size
    page_el = next(root.iter(tags.page), None)
    number = _page_number(path, page, page_el)

    blocks: list[Block] = []
    seen: dict[str, int] = {}
    for position, block_el in enumerate(root.iter(tags.block)):
        style_chars: Counter[str] = Counter()
        token_lines, confidences = _read_lines(block_el, tags, styles, style_chars)
        lines = _resolve_hyphenation(token_lines)
        if not lines:
            continue
        key = (block_el.get("ID") or "").strip() or f"TB{position}"
        if key in seen:
            raise InputError(f"two TextBlocks have the ID {key!r}; block ids must be unique on a page", src)
        seen[key] = position
        font_size = None
        for sid in (block_el.get("STYLEREFS") or "").split():
            if sid in styles:
                font_size = styles[sid]
                break
        if font_size is None and style_chars:
            font_size = styles[style_chars.most_common(1)[0][0]]
        blocks.append(
            Block(
                id=f"p{number}:{key}",
                page=number,
                index=len(blocks),
                text=join_lines(lines),
                lines=tuple(lines),
                bbox=_bbox(block_el),
                font_size=font_size,
                confidence=sum(confidences) / len(confidences) if confidences else None,
                source=src,
            )
        )
    width = _num(page_el, "WIDTH") if page_el is not None else None
    height = _num(page_el, "HEIGHT") if page_el is not None else None
    return Page(
        number=number,
        source=src,
        blocks=tuple(blocks),
        width=width,
        height=height,
        input_format="alto",
    )


def textblock_index(root: etree._Element) -> tuple[list[str], dict[str, list[str]]]:
    """The TextBlock keys in document order, and every element ``ID`` -> the TextBlock keys it covers.

    METS ``area BEGIN`` attributes point at ALTO ``ID`` s, usually a ``TextBlock`` but sometimes a
    ``ComposedBlock`` (a table, an advert) that holds several, or a ``TextLine``/``String`` inside one.
    This index resolves any of them to the block keys :func:`parse_alto` uses (``ID``, or ``TB{n}`` for a
    block without one), so gold built from METS names exactly the reader's blocks.
    """
    tags = _Tags(_namespace(root.tag))
    order: list[str] = []
    index: dict[str, list[str]] = {}
    for position, block_el in enumerate(root.iter(tags.block)):
        key = (block_el.get("ID") or "").strip() or f"TB{position}"
        order.append(key)
        for el in block_el.iter():
            el_id = el.get("ID")
            if el_id:
                index.setdefault(el_id, []).append(key)
        for anc in block_el.iterancestors():
            anc_id = anc.get("ID")
            if anc_id:
                index.setdefault(anc_id, []).append(key)
    return order, index


def read_alto(path: Path, page: int | None = None, data: bytes | None = None) -> Page:
    """Read the ALTO file at ``path`` (or its already read bytes ``data``) as page ``page``.

    ``page`` overrides the number found in the file name or in the file; see the module docstring for
    the order. Raises :class:`InputError` naming the file when it cannot be read, is unsafe or malformed
    XML (see :mod:`reassemble.read.safexml`), or is not ALTO.
    """
    path = Path(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}", str(path)) from None
    root = parse_xml(data, str(path))
    return parse_alto(root, path, page)
