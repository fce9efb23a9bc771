"""Character-level helpers shared by the readers, the cleaner and the scorers.

They live in one place because "is this CJK", "does this end a sentence" and "how do wrapped lines join"
must be answered the same way by every stage, or text conservation and join scoring drift apart.
"""

from __future__ import annotations

import re
import unicodedata

#: Closing quotes and brackets that may follow a sentence-final mark (``。”``, ``!)``).
CLOSERS = "”’」』）)》〉】]\"'"
#: Marks that end a sentence in Chinese and Latin text.
SENTENCE_END = "。！？!?…．.；;"
#: Marks that end a sentence for the purpose of "is this paragraph complete". ``；`` is excluded: a
#: paragraph that stops at a semicolon is still mid-sentence.
TERMINAL = "。！？!?…．."

_CJK_RANGES = (
    (0x3400, 0x4DBF),
    (0x4E00, 0x9FFF),
    (0xF900, 0xFAFF),
    (0x20000, 0x2FA1F),
)


def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph (not punctuation): the characters between which no space is written."""
    o = ord(ch)
    return any(lo <= o <= hi for lo, hi in _CJK_RANGES)


def is_cjk_punct(ch: str) -> bool:
    """True for full-width CJK punctuation such as ``，。“”《》（）``."""
    o = ord(ch)
    return 0x3000 <= o <= 0x303F or 0xFF00 <= o <= 0xFF65 or ch in "“”‘’—…·"


def is_wide(ch: str) -> bool:
    """CJK ideographs, kana, hangul and full-width punctuation: text written without spaces."""
    if is_cjk(ch) or is_cjk_punct(ch):
        return True
    o = ord(ch)
    return 0x3040 <= o <= 0x30FF or 0xAC00 <= o <= 0xD7AF


def cjk_share(text: str) -> float:
    """Share of CJK ideographs among the letters of ``text`` (0.0 for text without letters)."""
    letters = [c for c in text if c.isalpha()]
    if not letters:
        return 0.0
    return sum(1 for c in letters if is_cjk(c)) / len(letters)


def join_lines(lines: list[str] | tuple[str, ...]) -> str:
    """Join a column's wrapped lines into one string.

    Between two wide (CJK) characters nothing is inserted, because Chinese is written without spaces and
    a line break there is only the column width. Elsewhere one space is inserted, as a wrapped line of
    Latin text ends a word. Hyphenated Latin words are *not* rejoined here: that needs evidence
    (a real hyphen or a break hyphen?) and happens in :mod:`reassemble.clean`.
    """
    out = ""
    for raw in lines:
        line = raw.strip()
        if not line:
            continue
        if out and not (is_wide(out[-1]) and is_wide(line[0])):
            out += " "
        out += line
    return out


def strip_closers(text: str) -> str:
    """``text`` without trailing white space and closing quotes/brackets."""
    return text.rstrip().rstrip(CLOSERS).rstrip()


def ends_sentence(text: str) -> bool:
    """True when ``text`` stops at the end of a sentence (``。``, ``！``, ``？``, ``…``, ``.``...).

    Closing quotes and brackets after the mark are allowed (``……。”``). A text ending in a closing quote
    with no mark before it (``站上路演“C位”``) does not end a sentence.
    """
    core = strip_closers(text)
    return bool(core) and core[-1] in TERMINAL


_WS = re.compile(r"\s+")


def squash(text: str) -> str:
    """NFKC and no white space: the comparison form used by the gold format and the conservation check."""
    return _WS.sub("", unicodedata.normalize("NFKC", text))
