"""Plain-text page dumps: byte decoding, mojibake repair, and splitting into blocks.

A dump is the text an extractor gave for one page. Blocks are separated by one or more blank lines (a line
holding only white space counts as blank); the lines inside a block are a column's wrapped lines.
"""

from __future__ import annotations

import codecs
import re
import unicodedata
from collections.abc import Iterable
from functools import lru_cache
from typing import Any

from ..errors import InputError
from ..model import Block, Page
from ..textutil import cjk_share, ends_sentence, is_wide, join_lines

#: Share of C0 control characters (other than tab/newline/CR) above which a file is called binary.
BINARY_CONTROL_SHARE = 0.01

_BOMS: tuple[tuple[bytes, str], ...] = (
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


#: Every byte value except the C0 controls that count against a text file (all but tab, LF and CR).
_NOT_CONTROL = bytes(b for b in range(256) if b >= 32 or b in (9, 10, 13))


def _looks_binary(data: bytes) -> bool:
    sample = data[:65536]
    if b"\x00" in sample:
        return True
    controls = len(sample.translate(None, _NOT_CONTROL))  # what deleting every other byte leaves
    return controls > max(2, BINARY_CONTROL_SHARE * len(sample))


def _bomless_utf16(data: bytes) -> tuple[str, str] | None:
    """``(text, "utf-16-le")`` or ``(text, "utf-16-be")`` when ``data`` is UTF-16 written without a
    byte-order mark, else None (the text is returned because telling needs the whole decode anyway).

    Every line break and every ASCII character of UTF-16 text has a zero byte, always on the same side of
    its pair (odd offsets little-endian, even ones big-endian), and a page dump has line breaks. A CJK
    character has a zero byte only when it is U+xx00 (one in 256), on the other side. So the zero bytes
    of UTF-16 fall nearly all on one side and the line-break unit is there, while a binary file's zero
    bytes fall on both sides alike; the strict decode and the control-character test then confirm it."""
    sample = data[:65536]
    if len(data) % 2 or b"\x00" not in sample:
        return None
    even, odd = sample[0::2].count(0), sample[1::2].count(0)
    if odd >= 4 * max(even, 1) and b"\n\x00" in sample:
        encoding = "utf-16-le"
    elif even >= 4 * max(odd, 1) and b"\x00\n" in sample:
        encoding = "utf-16-be"
    else:
        return None
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError:
        return None
    controls = len(_CONTROL.findall(text[:32768]))
    return (text, encoding) if controls <= BINARY_CONTROL_SHARE * min(len(text), 32768) else None


def decode(data: bytes, path: str) -> tuple[str, str]:
    """Decode a dump's bytes; return ``(text, encoding)``.

    Order of evidence, strongest first: a byte-order mark (UTF-8, UTF-16, UTF-32); UTF-16 without one,
    told by where its zero bytes fall (:func:`_bomless_utf16`); strict UTF-8; strict
    GB18030 when the result is mostly CJK (the common legacy encoding of Chinese dumps, and a superset of
    GBK/GB2312); charset-normalizer's detection for anything else. A file that is valid UTF-8 up to some
    point but then breaks is reported as corrupt rather than re-read as GB18030, because GB18030 would
    "decode" it into plausible-looking garbage.
    """
    if not data.strip():
        raise InputError("the file is empty (no text to reassemble)", path)
    for bom, enc in _BOMS:
        if data.startswith(bom):
            try:
                return data.decode(enc), enc
            except UnicodeDecodeError as exc:
                raise InputError(f"starts with a {enc} byte-order mark but is not valid {enc} "
                                 f"(byte {exc.start}); re-export the page as UTF-8", path) from None
    utf16 = _bomless_utf16(data)
    if utf16 is not None:
        return utf16
    if _looks_binary(data):
        raise InputError("looks like a binary file (NUL or control bytes), not a text dump", path)
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as exc:
        utf8_prefix = data[: exc.start]
        if any(b >= 0x80 for b in utf8_prefix[-4096:]) and exc.start > len(data) // 2:
            raise InputError(f"invalid UTF-8 at byte {exc.start} (truncated or corrupted multi-byte "
                             "sequence); repair or re-export the file", path) from None
    try:
        text = data.decode("gb18030")
        if cjk_share(text) >= 0.5:
            return text, "gb18030"
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None or best.encoding is None:
        raise InputError("cannot tell the text encoding (not UTF-8, UTF-16 with BOM, or GB18030); "
                         "convert the file to UTF-8", path)
    return str(best), str(best.encoding)


@lru_cache(maxsize=1)
def _ftfy_config() -> object:
    import ftfy

    # Width, quotes and ligatures are left alone: full-width punctuation and curly quotes are real
    # characters of Chinese text, and the cleaning stage decides about widths explicitly.
    return ftfy.TextFixerConfig(uncurl_quotes=False, fix_character_width=False, fix_latin_ligatures=False,
                                normalization=None, explain=False)


_GBK_MOJIBAKE_HINT = re.compile("[鍙鏄锛銆鐨浜澶璇涓绗嬭]")


@lru_cache(maxsize=1)
def _mojibake_cue() -> re.Pattern[str] | None:
    """Characters of which every match of ftfy's badness expression holds one, or None when that cannot
    be read off the expression (then every text is searched in full).

    ``is_bad`` tries a large alternation at every position of the text, most of the cost of reading a
    clean page. Each alternative is a sequence of characters and character classes; the item whose
    characters are rarest in ordinary text (Latin-1 accents, box drawing, currency signs, C1 controls...)
    is part of every match of that alternative, so a text with none of the chosen characters cannot match
    and ``is_bad`` is False on it without searching. The choice is read from the compiled expression of
    the installed ftfy, not copied from it."""
    from ftfy.badness import BADNESS_RE

    if BADNESS_RE.flags & re.IGNORECASE:
        return None
    try:
        from re import _parser  # type: ignore[attr-defined]

        chars = _required_chars(_parser.parse(BADNESS_RE.pattern, BADNESS_RE.flags))
    except Exception:  # a Python whose private regex parser differs: no shortcut, same results
        return None
    return None if chars is None else re.compile("[" + "".join(map(re.escape, sorted(chars))) + "]")


def _required_chars(sequence: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """A set of characters one of which every match of a parsed regex ``sequence`` contains, chosen to be
    rare in ordinary text; None when no item of the sequence is sure to consume a known character.

    Items understood: a literal, a character class of literals and ranges, a group, an alternation (the
    union of its branches' sets) and a repeat of at least one; anything else (anchors, categories, negated
    classes, optional items, look-arounds) is passed over, which only makes the set harder to find."""
    from re import _constants as c  # type: ignore[attr-defined]

    found: list[frozenset[str]] = []
    for op, arg in sequence:
        chars: frozenset[str] | None = None
        if op is c.LITERAL:
            chars = frozenset(chr(arg))
        elif op is c.IN and all(kind in (c.LITERAL, c.RANGE) for kind, _ in arg):
            chars = frozenset(
                ch
                for kind, value in arg
                for ch in ([chr(value)] if kind is c.LITERAL else map(chr, range(value[0], value[1] + 1)))
            )
        elif op is c.SUBPATTERN and not arg[1] & re.IGNORECASE:  # a (?i:...) group matches other cases
            chars = _required_chars(arg[-1])
        elif op is c.BRANCH:
            branches = [_required_chars(branch) for branch in arg[1]]
            if all(b is not None for b in branches):
                chars = frozenset().union(*branches)  # type: ignore[arg-type]
        elif op in (c.MAX_REPEAT, c.MIN_REPEAT, c.POSSESSIVE_REPEAT) and arg[0] >= 1:
            chars = _required_chars(arg[2])
        if chars:
            found.append(chars)
    if not found:
        return None
    return min(found, key=lambda chars: (sum(map(_ordinary, chars)), len(chars)))


def _ordinary(ch: str) -> bool:
    """A character of ordinary text, Chinese or Latin: ASCII, wide (CJK) or typographic punctuation."""
    return ch < "\x80" or is_wide(ch) or ch in "\xa0“”‘’—…·"


#: Share of a text's non-blank characters that must be Latin-1 letters and signs (U+0080-U+00FF, or
#: cp1252's marks for bytes 0x80-0x9F) before it is tried as GB18030 bytes read one byte per character.
#: Chinese text read so has two such characters per Chinese character (over 0.6 on a page with digits
#: and ASCII punctuation); French and German text has a few accented letters (under 0.1).
GB_AS_LATIN_SHARE = 0.3

#: cp1252's characters for bytes 0x80-0x9F (``€`` for 0x80...), mapped back to those bytes as Latin-1
#: code points, so that ``str.translate`` + Latin-1 encoding recovers the bytes of either reading.
_CP1252_BYTES = {
    ord(bytes([b]).decode("cp1252")): b for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)
}
_SINGLE_BYTE_HIGH = re.compile("[\x80-\xff" + "".join(map(chr, _CP1252_BYTES)) + "]")


def _gb_read_as_latin(text: str) -> str | None:
    """The text that GB18030 bytes read as Latin-1 or cp1252 (one character per byte) stood for, or None.

    The mojibake of Chinese dumps that went through a tool assuming a Western code page: ``Ô½ÄÏ`` for
    越南. ftfy repairs UTF-8 read so, not GB18030. Tried only when such characters make up most of the
    text and it holds no Chinese at all; accepted only when the bytes are not UTF-8 (that is ftfy's case)
    and decode strictly as GB18030 into mostly Chinese text, which a genuine Western text never does."""
    letters = len(text) - text.count(" ") - text.count("\n")
    if not letters or len(_SINGLE_BYTE_HIGH.findall(text)) < GB_AS_LATIN_SHARE * letters or cjk_share(text):
        return None
    try:
        data = text.translate(_CP1252_BYTES).encode("latin-1")
    except UnicodeEncodeError:
        return None
    try:
        data.decode("utf-8")
        return None  # UTF-8 read one byte per character, which ftfy repairs (GB18030 would misread it)
    except UnicodeDecodeError:
        pass
    try:
        fixed = data.decode("gb18030")
    except UnicodeDecodeError:
        return None
    return fixed if cjk_share(fixed) >= 0.5 else None


def repair(text: str) -> str:
    """Repair mojibake: UTF-8 read as Latin-1/cp1252 (ftfy), GB18030 read as Latin-1/cp1252 (re-read the
    bytes) and UTF-8 read as GBK (re-encode and retry).

    ftfy is only asked when its badness heuristic says the text looks wrong, so clean text costs little.
    The GBK case is tried only when characters typical of it appear and the round trip is strictly valid,
    which genuine GBK text almost never is.
    """
    import ftfy
    from ftfy.badness import is_bad

    gb = _gb_read_as_latin(text)
    if gb is not None:
        return gb
    cue = _mojibake_cue()
    if (cue is None or cue.search(text)) and is_bad(text):
        text = ftfy.fix_text(text, _ftfy_config())  # type: ignore[arg-type]
    if _GBK_MOJIBAKE_HINT.search(text):
        try:
            fixed = text.encode("gb18030").decode("utf-8")
        except (UnicodeDecodeError, UnicodeEncodeError):
            return text
        if cjk_share(fixed) >= 0.5 and len(fixed) < len(text):
            return fixed
    return text


def split_blocks(text: str) -> list[list[str]]:
    """Split a dump into blocks of lines; one or more blank (white-space only) lines separate blocks.

    A dump without a single blank line whose lines are paragraphs is one block per line: an extractor
    that writes a paragraph per line separates nothing else, and a whole page is never one block. Its
    lines are told from a column's wrapped lines by how many end a sentence: at least
    :data:`PARAGRAPH_LINES` of them (the seed page written so: 41 of 69 lines; wrapped at 16 to 25
    characters, under a tenth). Read as one block, that page came out as a single article; read a
    line per block, its ten articles are rebuilt exactly."""
    blocks: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    if len(blocks) == 1 and len(blocks[0]) >= 3 \
            and sum(map(ends_sentence, blocks[0])) >= PARAGRAPH_LINES * len(blocks[0]):
        return [[line] for line in blocks[0]]
    return blocks


#: Share of the lines of a dump without blank lines that must end a sentence for each line to be read
#: as a block of its own (:func:`split_blocks`).
PARAGRAPH_LINES = 1 / 3


def page_from_text(text: str, page: int, source: str) -> Page:
    """Build a :class:`Page` from decoded text: blocks ``p{page}:{i}`` in dump order.

    Control characters are replaced by spaces (they are extraction debris, not text, and would make the
    XML output invalid); NFC normalisation makes composed and decomposed forms compare equal.
    """
    text = unicodedata.normalize("NFC", _CONTROL.sub(" ", text))
    blocks = []
    for i, lines in enumerate(split_blocks(text)):
        stripped = tuple(line.strip() for line in lines)
        blocks.append(Block(id=f"p{page}:{i}", page=page, index=i, text=join_lines(stripped),
                            lines=stripped, source=source))
    if not blocks:
        raise InputError("holds only white space (no text to reassemble)", source)
    return Page(number=page, source=source, blocks=tuple(blocks), input_format="text")


def read_text(data: bytes, page: int, source: str) -> Page:
    """Read one plain-text dump given as bytes."""
    text, _encoding = decode(data, source)
    return page_from_text(repair(text), page, source)
