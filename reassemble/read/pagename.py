"""The page number written in a page file's name, for every input format.

Archives and e-paper exports name page files in a few fixed ways (``page-02.txt``, ``_seq-2_ocr.xml``,
``1858-12-07_01-00002.xml``, ``A2.json``, ``第3版.txt``). A number we are unsure of is not taken: a name
that ends in a date (``1858-12-07.xml``) gives ``None``, because a wrong page number silently breaks every
block id and cross-page link, while ``None`` lets the caller fall back to the file's own metadata (ALTO's
``PHYSICAL_IMG_NR``, a METS order) or ask the user for ``--page``.
"""

from __future__ import annotations

import os
import re
from pathlib import Path

#: File-name endings removed before the number is looked for (``page-02.xml.gz`` is page 2).
_SUFFIXES = (".gz", ".xml", ".json", ".txt", ".text", ".alto")
#: Patterns, most specific first; each yields the number in group ``n``. The section letter of
#: ``A2``-style names is ignored (pages are numbered within an edition).
_PATTERNS = (
    re.compile(r"seq[-_ .]?(?P<n>\d{1,4})(?!\d)", re.I),
    # page-02, page_2, pg3, seite 4, p02: a keyword not glued to a preceding letter
    re.compile(r"(?<![a-z])(?:page|pg|seite|p)[-_ .]?(?P<n>\d{1,4})(?!\d)", re.I),
    re.compile(r"第(?P<n>\d{1,3})版"),
    re.compile(r"(?:^|[-_ .])[A-Za-z](?P<n>\d{1,3})(?=$|[-_ .])"),
    # x_02, 0004, ..._01-00002: a number closing the name
    re.compile(r"(?:^|[-_ .])(?P<n>\d{1,5})$"),
)
#: A name closing with a date: its last number is a day, not a page.
_DATE_END = re.compile(r"\d{4}[-_.]\d{1,2}[-_.]\d{1,2}$")


def page_number_from_name(path: str | os.PathLike[str]) -> int | None:
    """The page number written in a file name, or ``None`` (no number, a date, a METS file)."""
    stem = Path(path).name
    while True:
        low = stem.lower()
        suffix = next((s for s in _SUFFIXES if low.endswith(s)), None)
        if suffix is None:
            break
        stem = stem[: -len(suffix)]
    if stem.endswith("-mets"):
        return None
    for pattern in _PATTERNS:
        m = pattern.search(stem)
        if m is None or (pattern is _PATTERNS[-1] and _DATE_END.search(stem)):
            continue
        number = int(m.group("n"))
        if number > 0:
            return number
    return None
