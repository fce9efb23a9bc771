"""One safe way to parse XML input (ALTO pages, METS issue files).

Page dumps come from archives and scanning vendors we do not control, and the tool runs in batch over
thousands of them. An XML file is therefore treated as hostile: a ``<!DOCTYPE`` can declare entities that
expand exponentially (the "billion laughs" bomb) or that point at local files or URLs (XXE), and ALTO and
METS never need either. So every XML file goes through :func:`parse_xml`, which

* refuses any document with a DOCTYPE or an entity declaration outright, before and after parsing
  (a cheap byte scan of the prolog, then the parser's own ``docinfo``), instead of trying to parse it
  "safely" and hoping every libxml2 version agrees on what that means;
* parses with an lxml parser that never resolves entities, never loads a DTD, never touches the network
  and keeps libxml2's size limits (``huge_tree=False``);
* turns a syntax error into an :class:`~reassemble.errors.InputError` that names the file and the line.
"""

from __future__ import annotations

import re

from lxml import etree

from reassemble.errors import InputError

#: How much of the file's start is scanned for a DOCTYPE before parsing. A prolog longer than this is
#: still caught after parsing by the ``docinfo`` check; the scan only saves parsing a hostile file.
_PROLOG_SCAN = 65536

#: The start of the root element: ``<`` then a name character (not ``<?`` / ``<!``).
_ROOT_START = re.compile(rb"<[A-Za-z_:]")
_DTD_MARKERS = (b"<!DOCTYPE", b"<!ENTITY")

_REFUSED = "XML with a DOCTYPE or entity declarations is refused (no entity expansion): "


def _make_parser() -> etree.XMLParser:
    """A fresh parser per call: lxml parsers keep state and are not safe to share between threads."""
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_blank_text=False,
    )


def _ascii_view(head: bytes) -> bytes:
    """The prolog bytes in an ASCII-compatible form, so that UTF-16/32 files cannot hide a DOCTYPE."""
    for bom, codec in (
        (b"\xff\xfe\x00\x00", "utf-32-le"),
        (b"\x00\x00\xfe\xff", "utf-32-be"),
        (b"\xff\xfe", "utf-16-le"),
        (b"\xfe\xff", "utf-16-be"),
    ):
        if head.startswith(bom):
            return head.decode(codec, errors="ignore").encode("ascii", errors="ignore")
    if head[:4] in (b"<\x00?\x00", b"\x00<\x00?"):  # UTF-16 without a byte order mark
        codec = "utf-16-le" if head[0:1] == b"<" else "utf-16-be"
        return head.decode(codec, errors="ignore").encode("ascii", errors="ignore")
    return head


def has_dtd_marker(data: bytes) -> bool:
    """True when the prolog (what comes before the root element) holds ``<!DOCTYPE`` or ``<!ENTITY``.

    Only the prolog is scanned, because the same characters may legitimately occur in text content
    (inside CDATA); there they declare nothing.
    """
    head = _ascii_view(data[:_PROLOG_SCAN])
    # Skip comments and processing instructions so that a ``<foo>`` inside them is not taken for the root.
    stripped = re.sub(rb"<!--.*?-->|<\?.*?\?>", b"", head, flags=re.S)
    m = _ROOT_START.search(stripped)
    prolog = (stripped[: m.start()] if m else stripped).upper()
    return any(marker in prolog for marker in _DTD_MARKERS)


def parse_xml(data: bytes, path: str) -> etree._Element:
    """Parse ``data`` (the bytes of the file at ``path``) and return its root element.

    Raises :class:`InputError` naming ``path`` when the file is empty, is not well-formed XML (with the
    line number), or has a DOCTYPE or entity declarations, which are refused whatever they declare.
    """
    if not data.strip():
        raise InputError("empty XML file", path)
    if has_dtd_marker(data):
        raise InputError(_REFUSED + "remove the <!DOCTYPE ...> declaration from the file", path)
    try:
        root = etree.fromstring(data, parser=_make_parser())
    except etree.XMLSyntaxError as exc:
        line = exc.lineno if exc.lineno is not None else "?"
        msg = (exc.msg or str(exc)).strip()
        raise InputError(f"malformed XML at line {line}: {msg}", path) from None
    except ValueError as exc:  # e.g. a unicode string with an encoding declaration
        raise InputError(f"cannot parse XML: {exc}", path) from None
    if root is None:
        raise InputError("XML file has no root element", path)
    docinfo = root.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None or docinfo.externalDTD is not None:
        raise InputError(_REFUSED + "the document declares a DTD", path)
    return root
