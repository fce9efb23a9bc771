"""Stage 1, read: turn input files into :class:`~reassemble.model.Page` objects.

Formats: plain-text dumps (:mod:`.text`), JSON block dumps (:mod:`.blocks_json`) and ALTO XML
(:mod:`.alto`, with METS grouping in :mod:`.mets`). ``read_page`` detects the format unless told;
``read_edition`` reads a folder, a METS file or a list of files as one edition.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Sequence
from dataclasses import replace
from pathlib import Path

from ..errors import EditionError, InputError
from ..model import Page
from .pagename import page_number_from_name
from .text import page_from_text, read_text

#: One input: a path (page number from its name), ``(page, path)``, or ``(page, text)``.
PageInput = str | os.PathLike[str] | tuple[int, "str | bytes | os.PathLike[str]"]

FORMATS = ("auto", "text", "json", "alto")
#: Largest file read as one page. Real page dumps are tens of kilobytes (ALTO a few megabytes); a file
#: this size is a whole archive or a broken export, and reading it as one page would only produce noise.
MAX_PAGE_BYTES = 32 * 1024 * 1024
_PAGE_SUFFIXES = {".txt", ".text", ".json", ".xml"}

def detect_format(data: bytes, path: str) -> str:
    """``json``, ``alto`` or ``text``, from the first non-blank bytes and, for XML, the root's namespace."""
    head = data[:4096].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith(b"{") or (path.lower().endswith(".json") and head.startswith(b"[")):
        return "json"
    if head.startswith(b"<"):
        low = head.lower()
        if b"alto" in low:
            return "alto"
        if b"mets" in low:
            raise InputError("is a METS file: pass it as the edition (reassemble run ISSUE-mets.xml)", path)
        raise InputError("is XML but not ALTO (no ALTO namespace or root); only ALTO v2-v4 XML is read",
                         path)
    return "text"


def read_page(path: str | os.PathLike[str], page: int | None = None, input_format: str = "auto",
              data: bytes | None = None) -> Page:
    """Read one page file. The page number comes from ``page`` or the file name (else an error)."""
    source = os.fspath(path)
    if input_format not in FORMATS:
        raise InputError(f"unknown input format {input_format!r}; use one of {', '.join(FORMATS)}", source)
    if data is None:
        if os.path.isdir(source):
            raise InputError("is a folder; pass it as an edition", source)
        try:
            size = os.stat(source).st_size
            if size > MAX_PAGE_BYTES:
                raise InputError(f"is {size:,} bytes, more than the {MAX_PAGE_BYTES:,}-byte limit for one "
                                 "page; split it into pages", source)
            data = Path(source).read_bytes()
        except OSError as exc:
            raise InputError(f"cannot be read ({exc.strerror or exc})", source) from None
    fmt = detect_format(data, source) if input_format == "auto" else input_format
    number = page if page is not None else page_number_from_name(source)
    if fmt == "alto":
        from .alto import read_alto

        return read_alto(Path(source), page=number)
    if fmt == "json":
        from .blocks_json import read_blocks_json

        return read_blocks_json(Path(source), data=data, page=number)
    if number is None:
        raise InputError("cannot tell the page number from the file name; name it like page-02.txt "
                         "or pass --page", source)
    return read_text(data, number, source)


#: An input page after expansion: page number or None, source name, text/bytes or None (read the
#: file), and the publication title when a METS file named it.
_Item = tuple[int | None, str, str | bytes | None, str | None]


def _expand(inputs: Iterable[PageInput]) -> list[_Item]:
    """Flatten inputs into :data:`_Item` tuples; folders are listed, METS files expanded."""
    out: list[_Item] = []
    for item in inputs:
        if isinstance(item, tuple):
            number, content = item
            if isinstance(content, str | bytes) and not (isinstance(content, str) and _is_path(content)):
                out.append((number, f"<page {number}>", content, None))
            else:
                out.append((number, os.fspath(content), None, None))
            continue
        source = os.fspath(item)
        if os.path.isdir(source):
            files = sorted(p for p in Path(source).iterdir()
                           if p.is_file() and p.suffix.lower() in _PAGE_SUFFIXES
                           and not p.name.startswith(".") and p.name != "gold.json")
            mets = [p for p in files if p.name.lower().endswith("mets.xml")]
            if mets:
                out.extend(_mets_pages(mets[0]))
                continue
            if not files:
                raise EditionError("holds no page files (*.txt, *.json, *.xml)", source)
            out.extend((None, os.fspath(p), None, None) for p in files)
        elif source.lower().endswith("mets.xml"):
            out.extend(_mets_pages(Path(source)))
        else:
            out.append((None, source, None, None))
    return out


def _is_path(text: str) -> bool:
    return "\n" not in text and len(text) < 4096 and os.path.exists(text)


def _mets_pages(path: Path) -> list[_Item]:
    """The ALTO pages a METS file lists, each with the issue's publication title (MODS) if any."""
    from .mets import read_mets

    pages, meta = read_mets(path)
    paper = meta.get("paper")
    title = paper.strip() if isinstance(paper, str) and paper.strip() else None
    return [(number, os.fspath(alto), None, title) for number, alto in pages]


def read_edition(inputs: Sequence[PageInput] | PageInput, input_format: str = "auto",
                 failures: list[InputError] | None = None) -> tuple[Page, ...]:
    """Read the pages of one edition, sorted by page number.

    A page whose number cannot be told, or two pages with one number, is an error rather than a guess:
    the page numbers are what jump markers point at. With ``failures`` given, a page that cannot be read
    is recorded there and skipped, so one broken file does not stop an edition (the CLI's default;
    ``--strict`` passes ``None``).
    """
    if isinstance(inputs, str | os.PathLike | tuple):
        inputs = [inputs]
    items = _expand(inputs)
    if not items:
        raise EditionError("no pages given")
    pages: list[Page] = []
    for number, source, content, paper in items:
        try:
            if content is None:
                page = read_page(source, number, input_format)
                pages.append(replace(page, paper=paper) if paper else page)
            elif isinstance(content, bytes):
                pages.append(read_page(source, number, input_format, data=content))
            else:
                if number is None:
                    raise EditionError("a page given as text needs a page number", source)
                pages.append(page_from_text(content, number, source))
        except InputError as exc:
            if failures is None:
                raise
            failures.append(exc)
    if not pages:
        if failures:
            raise failures[0]
        raise EditionError("no pages given")
    seen: dict[int, str] = {}
    for p in pages:
        if p.number in seen:
            raise EditionError(f"page {p.number} given twice: {seen[p.number]} and {p.source}; "
                               "rename one or pass the pages explicitly", p.source)
        seen[p.number] = p.source
    return tuple(sorted(pages, key=lambda p: p.number))
