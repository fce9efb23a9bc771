"""Read a JSON block dump (``reassemble-blocks/1``): one page's text blocks with their boxes.

Why a JSON format of our own: PDF extractors (pdfplumber, PyMuPDF, pdfminer.six) all know where each
block is and how big its type is, evidence that a plain-text dump throws away and that the join and
headline scorers use. Each extractor has its own shape and coordinate convention, so this one small,
strictly checked, versioned schema is the contract; ``docs/json-blocks.md`` has the same description with
a mapping table from those extractors.

Schema ``reassemble-blocks/1`` (one JSON object per page file, UTF-8)::

    {
      "format": "reassemble-blocks/1",          required, exactly this string
      "page": 2,                                 optional printed page number (integer >= 1)
      "width": 842, "height": 1191,              optional page size (numbers > 0)
      "unit": "pt",                              optional unit of all coordinates (string, default "pt")
      "blocks": [                                required list (may be empty: a page with no text)
        {
          "id": "b1",                            required: non-empty string without white space, or an
                                                 integer; unique on the page. The block id is "p{page}:{id}"
          "text": "...",                         the block's text; "\\n" separates wrapped lines
          "lines": [                             the wrapped lines, each a string or an object
            {"text": "...", "bbox": [x0, top, x1, bottom]}
          ],
          "bbox": [x0, top, x1, bottom],         optional, 4 finite numbers from the page's TOP-LEFT corner,
                                                 x0 <= x1 and top <= bottom
          "font_size": 12.0,                     optional number > 0 (or null)
          "confidence": 0.93                     optional number in [0, 1] (or null), e.g. OCR confidence
        }
      ]
    }

At least one of ``text`` and ``lines`` must be present in each block. When both are, ``text`` is the
block's text and ``lines`` only its line structure; when only ``lines`` is given, the text is the lines
joined with :func:`~reassemble.textutil.join_lines` (no space between CJK characters). A block whose text
is empty or white space is skipped, as empty blocks are in the plain-text format.

Strictness, because a silently misread dump produces wrong articles rather than an error: unknown keys
are refused (a typo such as ``"bboxes"`` would otherwise drop data unnoticed), except keys starting with
``x-`` or ``_`` and a ``meta`` object, which are free for the producer's own use and ignored. Duplicate
keys, ``NaN``/``Infinity`` and booleans used as numbers are refused too. Every message names the file and
the JSON path of the problem (``blocks[3].bbox: expected 4 numbers [x0, top, x1, bottom], got 3 items``).

Page number: the ``page`` argument, else the file's ``page`` field, else the file name
(``page-02.json``), else 1.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reassemble.errors import InputError, json_type
from reassemble.model import BBox, Block, Page
from reassemble.read.pagename import page_number_from_name
from reassemble.textutil import join_lines

#: The value of the ``format`` field this reader accepts; a later incompatible schema gets a new number.
BLOCKS_FORMAT = "reassemble-blocks/1"

_TOP_KEYS = frozenset({"format", "page", "width", "height", "unit", "blocks", "meta"})
_BLOCK_KEYS = frozenset({"id", "text", "lines", "bbox", "font_size", "confidence", "meta"})
_LINE_KEYS = frozenset({"text", "bbox", "font_size", "confidence", "meta"})


class _Fail(Exception):
    """Raised inside the parser with the JSON path and message; turned into an InputError at the top."""

    def __init__(self, where: str, message: str) -> None:
        super().__init__(f"{where}: {message}" if where else message)



def _no_duplicates(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:
            raise _Fail("", f"duplicate key {key!r} in an object")
        out[key] = value
    return out


def _no_constants(name: str) -> Any:
    raise _Fail("", f"{name} is not a valid number (JSON has no NaN or Infinity)")


def _is_number(value: Any) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _check_keys(obj: dict[str, Any], allowed: frozenset[str], where: str) -> None:
    for key in obj:
        if key not in allowed and not key.startswith(("x-", "_")):
            raise _Fail(
                f"{where}.{key}" if where else key,
                f"unknown key (allowed: {', '.join(sorted(allowed))}; use an 'x-' prefix for your own data)",
            )
    if "meta" in obj and not isinstance(obj["meta"], dict):
        raise _Fail(
            f"{where}.meta" if where else "meta", f"expected an object, got {json_type(obj['meta'])}"
        )


def _number(value: Any, where: str, *, positive: bool = False, unit_range: bool = False) -> float:
    if not _is_number(value):
        raise _Fail(where, f"expected a number, got {json_type(value)}")
    number = float(value)
    if positive and number <= 0:
        raise _Fail(where, f"expected a number > 0, got {value}")
    if unit_range and not 0.0 <= number <= 1.0:
        raise _Fail(where, f"expected a number between 0 and 1, got {value}")
    return number


def _optional(
    obj: dict[str, Any], key: str, where: str, convert: Callable[[Any, str], float]
) -> float | None:
    value = obj.get(key)
    return None if value is None else convert(value, f"{where}.{key}" if where else key)


def _bbox(value: Any, where: str) -> BBox:
    if not isinstance(value, list) or len(value) != 4:
        got = f"{len(value)} items" if isinstance(value, list) else json_type(value)
        raise _Fail(where, f"expected 4 numbers [x0, top, x1, bottom], got {got}")
    for i, item in enumerate(value):
        if not _is_number(item):
            raise _Fail(f"{where}[{i}]", f"expected a number, got {json_type(item)}")
    x0, top, x1, bottom = (float(v) for v in value)
    if x0 > x1:
        raise _Fail(where, f"x0 ({x0:g}) is right of x1 ({x1:g}); expected [x0, top, x1, bottom]")
    if top > bottom:
        raise _Fail(
            where,
            f"top ({top:g}) is below bottom ({bottom:g}); boxes are measured from the top-left corner "
            "(pdfminer's bottom-left boxes must be flipped: top = height - y1, bottom = height - y0)",
        )
    return BBox(x0, top, x1, bottom)


def _line_text(item: Any, where: str) -> str:
    if isinstance(item, str):
        return item
    if not isinstance(item, dict):
        raise _Fail(where, f"expected a string or an object with 'text', got {json_type(item)}")
    _check_keys(item, _LINE_KEYS, where)
    if "text" not in item:
        raise _Fail(f"{where}.text", "missing")
    text = item["text"]
    if not isinstance(text, str):
        raise _Fail(f"{where}.text", f"expected a string, got {json_type(text)}")
    if item.get("bbox") is not None:
        _bbox(item["bbox"], f"{where}.bbox")
    if item.get("font_size") is not None:
        _number(item["font_size"], f"{where}.font_size", positive=True)
    if item.get("confidence") is not None:
        _number(item["confidence"], f"{where}.confidence", unit_range=True)
    return text


def _block_key(value: Any, where: str) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        return str(value)
    if not isinstance(value, str):
        raise _Fail(where, f"expected a string or an integer, got {json_type(value)}")
    if not value or any(ch.isspace() for ch in value):
        raise _Fail(where, f"must be non-empty and without white space, got {value!r}")
    return value


def _page_number(top: dict[str, Any], page: int | None, path: Path) -> int:
    declared: int | None = None
    if top.get("page") is not None:
        value = top["page"]
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise _Fail("page", f"expected an integer >= 1, got {value!r}")
        declared = value
    if page is not None:
        return page
    if declared is not None:
        return declared
    return page_number_from_name(path) or 1


def _parse(top_value: Any, path: Path, page: int | None) -> Page:
    if not isinstance(top_value, dict):
        raise _Fail("(top level)", f"expected an object, got {json_type(top_value)}")
    top: dict[str, Any] = top_value
    if "format" not in top:
        raise _Fail("format", f"missing (expected {BLOCKS_FORMAT!r})")
    if top["format"] != BLOCKS_FORMAT:
        raise _Fail("format", f"expected {BLOCKS_FORMAT!r}, got {top['format']!r}")
    _check_keys(top, _TOP_KEYS, "")
    number = _page_number(top, page, path)
    width = _optional(top, "width", "", lambda v, w: _number(v, w, positive=True))
    height = _optional(top, "height", "", lambda v, w: _number(v, w, positive=True))
    if "unit" in top and not isinstance(top["unit"], str):
        raise _Fail("unit", f"expected a string, got {json_type(top['unit'])}")
    if "blocks" not in top:
        raise _Fail("blocks", "missing")
    items = top["blocks"]
    if not isinstance(items, list):
        raise _Fail("blocks", f"expected a list, got {json_type(items)}")

    src = str(path)
    blocks: list[Block] = []
    seen: dict[str, int] = {}
    for i, item in enumerate(items):
        where = f"blocks[{i}]"
        if not isinstance(item, dict):
            raise _Fail(where, f"expected an object, got {json_type(item)}")
        _check_keys(item, _BLOCK_KEYS, where)
        if "id" not in item:
            raise _Fail(f"{where}.id", "missing")
        key = _block_key(item["id"], f"{where}.id")
        if key in seen:
            raise _Fail(f"{where}.id", f"duplicate id {key!r} (also blocks[{seen[key]}])")
        seen[key] = i
        if "text" not in item and "lines" not in item:
            raise _Fail(where, "needs 'text' or 'lines'")
        lines: list[str] = []
        if item.get("lines") is not None:
            raw_lines = item["lines"]
            if not isinstance(raw_lines, list):
                raise _Fail(f"{where}.lines", f"expected a list, got {json_type(raw_lines)}")
            lines = [_line_text(v, f"{where}.lines[{j}]") for j, v in enumerate(raw_lines)]
        text_value = item.get("text")
        if text_value is not None and not isinstance(text_value, str):
            raise _Fail(f"{where}.text", f"expected a string, got {json_type(text_value)}")
        if text_value is None and item.get("lines") is None:
            raise _Fail(where, "needs 'text' or 'lines' (both are null)")
        lines = [ln.strip() for ln in lines if ln.strip()]
        if text_value is not None:
            text_lines = [ln.strip() for ln in text_value.splitlines() if ln.strip()]
            text = join_lines(text_lines)
            if not lines:
                lines = text_lines
        else:
            text = join_lines(lines)
        bbox = _bbox(item["bbox"], f"{where}.bbox") if item.get("bbox") is not None else None
        font_size = _optional(item, "font_size", where, lambda v, w: _number(v, w, positive=True))
        confidence = _optional(item, "confidence", where, lambda v, w: _number(v, w, unit_range=True))
        if not text:
            continue
        blocks.append(
            Block(
                id=f"p{number}:{key}",
                page=number,
                index=len(blocks),
                text=text,
                lines=tuple(lines),
                bbox=bbox,
                font_size=font_size,
                confidence=confidence,
                source=src,
            )
        )
    return Page(
        number=number, source=src, blocks=tuple(blocks), width=width, height=height, input_format="json"
    )


def read_blocks_json(path: Path, data: bytes | None = None, page: int | None = None) -> Page:
    """Read the ``reassemble-blocks/1`` file at ``path`` (or its bytes ``data``) as page ``page``.

    Raises :class:`InputError` naming the file, and the JSON path of the problem, for anything that is
    not exactly the schema in this module's docstring.
    """
    path = Path(path)
    src = str(path)
    if data is None:
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise InputError(f"cannot read the file: {exc.strerror or exc}", src) from None
    if not data.strip():
        raise InputError("the file is empty (expected a reassemble-blocks/1 JSON object)", src)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise InputError(
            f"JSON block dump is not UTF-8 (byte {exc.start}); re-export it as UTF-8", src
        ) from None
    try:
        value = json.loads(text, object_pairs_hook=_no_duplicates, parse_constant=_no_constants)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", src) from None
    except _Fail as exc:
        raise InputError(f"{exc} ({BLOCKS_FORMAT})", src) from None
    try:
        return _parse(value, path, page)
    except _Fail as exc:
        raise InputError(f"{exc} (see docs/json-blocks.md, {BLOCKS_FORMAT})", src) from None
