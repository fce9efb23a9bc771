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



def is_cjk(ch: str) -> bool:
    """True for a CJK ideograph (not punctuation): the characters between which no space is written."""
    return ("\u4e00" <= ch <= "\u9fff" or "\u3400" <= ch <= "\u4dbf" or "\uf900" <= ch <= "\ufaff"
            or "\U00020000" <= ch <= "\U0002fa1f")


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


#: The code points :func:`is_cjk` accepts, as a regular-expression class body (regexes scan a whole string
#: in C, which the hot paths use instead of calling :func:`is_cjk` per character).
CJK_CLASS = "\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f"
#: The code points :func:`is_wide` accepts, likewise.
WIDE_CLASS = CJK_CLASS + "\u3000-\u303f\uff00-\uff65“”‘’—…·\u3040-\u30ff\uac00-\ud7af"
# Runs, not single characters: counting the characters of the runs found is the same count, and a run
# of CJK text is one match object instead of one per character.
_CJK_RUN = re.compile(f"[{CJK_CLASS}]+")
_WIDE_RUN = re.compile(f"[{WIDE_CLASS}]+")
_LETTER_RUN = re.compile(r"[^\W\d_]+")


def count_wide(text: str) -> int:
    """How many characters of ``text`` are wide (:func:`is_wide`), counted in one C-level scan."""
    return sum(map(len, _WIDE_RUN.findall(text)))


def cjk_share(text: str) -> float:
    """Share of CJK ideographs among the letters of ``text`` (0.0 for text without letters)."""
    letters = sum(map(len, _LETTER_RUN.findall(text)))
    return sum(map(len, _CJK_RUN.findall(text))) / letters if letters else 0.0


#: Characters that never follow a space: closing brackets and clause marks (see :func:`join_lines`).
_NO_SPACE_BEFORE = frozenset(")]},.;:!?")


def join_lines(lines: list[str] | tuple[str, ...]) -> str:
    """Join a column's wrapped lines into one string.

    In Chinese text (half or more of the letters CJK) a line break is only the column width, so nothing
    is inserted, but between two Latin letters (an English word or name at the break): digits, half-width
    punctuation and CJK characters run on (``1`` / ``4个项目`` is ``14个项目``; ``日前,`` / ``山东`` is
    ``日前,山东``). In Latin text one space is inserted, as a wrapped line ends a word, except after a
    hyphen at the end of a line (``Wendun-`` / ``gen`` becomes ``Wendun-gen``: whether that hyphen is a
    break hyphen to drop or a real one to keep needs evidence from the whole edition and is decided in
    :mod:`reassemble.clean`), and before a line that opens with a closing bracket or a clause mark.
    """
    kept = [x for x in (raw.strip() for raw in lines) if x]
    if len(kept) < 2:
        return kept[0] if kept else ""
    chinese = cjk_share("".join(kept)) >= 0.5
    out = kept[0]
    for line in kept[1:]:
        a, b = out[-1], line[0]
        if chinese:
            space = a.isascii() and a.isalpha() and b.isascii() and b.isalpha()
        else:
            hyphen = len(out) > 1 and a in "-\u00ad" and out[-2].isalpha() and b.isalpha()
            space = not (is_wide(a) and is_wide(b)) and not hyphen and b not in _NO_SPACE_BEFORE
        out += " " + line if space else line
    return out


def leads_in(text: str) -> bool:
    """Does ``text`` end in ``——``, the dash with which a kicker leads into its headline?"""
    return text.rstrip().endswith("——")


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
