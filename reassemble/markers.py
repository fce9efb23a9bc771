"""Jump-marker detection: the short lines that say where an article goes on or comes from.

Newspapers split long articles over pages and print a *jump line* at each cut: ``（下转第2版）`` /
``(Continued on Page 6)`` / ``(Schluß auf Seite 8)`` / ``(Suite page 3)`` at the end of the part that stops
(direction :attr:`~reassemble.model.JumpDirection.OUT`), and ``（上接第1版）`` / ``(Continued from Page 1)`` /
``(Schluß von Seite 1)`` / ``(Suite de la première page)`` at the start of the part that resumes
(:attr:`~reassemble.model.JumpDirection.IN`). Finding them is the cheapest strong evidence the pipeline has
for cross-page joins, so this module tries hard on recall while refusing to fire on prose.

Public API
----------
* :func:`find_markers` - markers in one block's cleaned text (Latin lines joined with spaces, Chinese
  without). A marker must be the whole block, or sit at its very start or very end: a jump line is layout,
  never part of a sentence, so anything in the middle of running text is ignored on purpose.
* :func:`is_marker_block` - the block is nothing but a marker (brackets, punctuation, OCR specks allowed).
* :func:`find_markers_in_lines` - the same on raw OCR line lists (e.g. Chronicling America text, where one
  line is one printed column line and columns are interleaved): joins up to three consecutive lines so that
  ``Continued on`` / ``Page`` / ``2.`` is found, and accepts a marker anywhere in a line when it is bracketed,
  because column interleaving glues unrelated text to both sides of a jump line.
* :func:`page_number` / :func:`page_section` / :func:`marker_section` - read a page token (``2``, ``２``,
  ``二十``, ``Two``, ``First``, ``2e``, ``seconde``, ``A6``...).

Design notes
------------
* Chinese, German and French jump lines are short fixed phrases: compiled regexes with a few OCR look-alike
  alternations (``笫`` for ``第``, one substituted letter in ``Seite``/``suite``/``page``) are enough.
* English front pages of the OCR era are much noisier (``(Contiirned on pagt three)``,
  ``i i 'on t i i: ued on Page Two)``, ``Continued on l'ie Fifteen, Column Three``). There the detector
  anchors on the little word between keyword and page (``on``/``from`` and their OCR forms), looks back a
  few characters for something that resembles ``continued`` (rapidfuzz similarity of the letters only) and
  forward for a page word, a page number and an optional ``Column N``. Each piece is evidence; the rules in
  :func:`_accept` say which combinations are enough. A weak keyword must be compensated by brackets or by a
  readable page number, because the words that resemble *continued* in prose (*contained*, *confined*,
  *mentioned*) are exactly the ones that produce false alarms.
* Serial instalments (``(To be continued)``, ``(Fortsetzung folgt)``, ``(À suivre)``, ``（待续）``) are
  reported as OUT markers with ``page=None`` and ``keyword == SERIAL``: the block does end an article that
  goes on elsewhere (so it must not be read as body text and the article is incomplete), but the
  continuation is in a later issue, so callers must not look for it in this edition. :func:`is_serial`
  tests for it.
* Speed: this runs on every block, so :func:`find_markers` only looks at the first and last
  ``_EDGE_CHARS`` characters of a block (a marker anywhere else would be rejected anyway), every regex is
  compiled once, and rapidfuzz is only called on the few tokens next to an ``on``/``from``.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

from rapidfuzz import fuzz
from rapidfuzz.distance import Levenshtein

from reassemble.model import JumpDirection, JumpMarker

__all__ = [
    "SERIAL",
    "find_markers",
    "find_markers_in_lines",
    "is_marker_block",
    "is_serial",
    "join_lines",
    "marker_section",
    "page_number",
    "page_section",
]

#: ``keyword`` of serial "to be continued" markers (continuation in a later issue, not on a page of this one).
SERIAL = "serial"

OUT = JumpDirection.OUT
IN = JumpDirection.IN

# ---------------------------------------------------------------------------------------------------------
# Page numbers
# ---------------------------------------------------------------------------------------------------------

_CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "兩": 2, "三": 3, "四": 4, "五": 5, "六": 6,
              "七": 7, "八": 8, "九": 9}

_EN_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8,
    "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14, "fifteen": 15,
    "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19,
}
_EN_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80,
            "ninety": 90}
_EN_ORD_UNITS = {
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5, "sixth": 6, "seventh": 7, "eighth": 8,
    "ninth": 9, "tenth": 10, "eleventh": 11, "twelfth": 12, "thirteenth": 13, "fourteenth": 14,
    "fifteenth": 15, "sixteenth": 16, "seventeenth": 17, "eighteenth": 18, "nineteenth": 19,
}
_EN_ORD_TENS = {"twentieth": 20, "thirtieth": 30, "fortieth": 40, "fiftieth": 50}
_FR_WORDS = {
    "un": 1, "une": 1, "premier": 1, "premiere": 1, "deux": 2, "deuxieme": 2, "second": 2, "seconde": 2,
    "trois": 3, "troisieme": 3, "quatre": 4, "quatrieme": 4, "cinq": 5, "cinquieme": 5, "sixieme": 6,
    "sept": 7, "septieme": 7, "huit": 8, "huitieme": 8, "neuf": 9, "neuvieme": 9, "dix": 10, "dixieme": 10,
    "onze": 11, "onzieme": 11, "douze": 12, "douzieme": 12,
}
_DE_WORDS = {
    "eins": 1, "erste": 1, "ersten": 1, "zwei": 2, "zweite": 2, "zweiten": 2, "drei": 3, "dritte": 3,
    "dritten": 3, "vier": 4, "vierte": 4, "vierten": 4, "funf": 5, "fuenf": 5, "funfte": 5, "funften": 5,
    "sechs": 6, "sechste": 6, "sechsten": 6, "sieben": 7, "siebte": 7, "siebten": 7, "acht": 8, "achte": 8,
    "achten": 8, "neun": 9, "neunte": 9, "neunten": 9, "zehn": 10, "zehnte": 10, "zehnten": 10, "elf": 11,
    "zwolf": 12,
}
_WORD_NUMBERS: dict[str, int] = {**_DE_WORDS, **_FR_WORDS, **_EN_UNITS, **_EN_TENS, **_EN_ORD_UNITS,
                                 **_EN_ORD_TENS}
# Fuzzy matching (OCR: "Bight", "Nino", "Vive", "Bix") only against the English words a jump line uses;
# German/French words are too close to each other ("sept"/"sechs") to guess safely.
_FUZZY_WORDS: dict[str, int] = {**_EN_UNITS, **_EN_ORD_UNITS}
_FUZZY_WORDS.pop("zero")

_FULLWIDTH = str.maketrans("０１２３４５６７８９ＡＢＣＤＥＦＧＨＩＪＫＬＭＮＯＰＱＲＳＴＵＶＷＸＹＺ",
                           "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ")
_DIGITS_RE = re.compile(r"^(?:No\.?\s*)?(\d{1,3})(?:st|nd|rd|th|d|e|er|re|ere|eme|me|ème|ère)?$", re.I)
_SECTION_RE = re.compile(r"^([A-Z])\s?-?\s?(\d{1,3})$|^(\d{1,3})\s?-?\s?([A-Z])$")
_CN_NUM_RE = re.compile(r"^[〇零一二两兩三四五六七八九十]{1,4}$")
_STRIP_RE = re.compile(r"^[\W_]+|[\W_]+$")


def _fold(text: str) -> str:
    """Lower-case and strip accents (``première`` -> ``premiere``, ``fünf`` -> ``funf``, ``ß`` -> ``ss``)."""
    text = text.lower().replace("ß", "ss")
    return "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))


def _cn_number(token: str) -> int | None:
    """Chinese numerals up to 99 (``十二``, ``二十``, ``九十九``) and digit-by-digit forms (``一〇``)."""
    if "十" not in token:
        value = 0
        for ch in token:
            value = value * 10 + _CN_DIGITS[ch]
        return value
    tens_part, _, units_part = token.partition("十")
    if "十" in units_part or len(tens_part) > 1 or len(units_part) > 1:
        return None
    tens = _CN_DIGITS[tens_part] if tens_part else 1
    units = _CN_DIGITS[units_part] if units_part else 0
    if tens_part and tens == 0:
        return None
    return tens * 10 + units


def _word_number(word: str, fuzzy: bool) -> int | None:
    """An English/French/German number or ordinal word, optionally one OCR edit away (English only)."""
    word = _fold(word).replace("'", "")
    if word in _WORD_NUMBERS:
        return _WORD_NUMBERS[word]
    parts = re.split(r"[-\s]+", word)
    if len(parts) == 2 and parts[0] in _EN_TENS:
        unit = _EN_UNITS.get(parts[1]) or _EN_ORD_UNITS.get(parts[1])
        if unit is not None and unit < 10:
            return _EN_TENS[parts[0]] + unit
    if not fuzzy or not word.isalpha() or len(word) < 3:
        return None
    # Short words only by substitution: "Bix" is six, but "for" must not become four.
    max_len_diff = 1 if len(word) >= 5 else 0
    values = {
        value
        for cand, value in _FUZZY_WORDS.items()
        if abs(len(cand) - len(word)) <= max_len_diff and Levenshtein.distance(word, cand, score_cutoff=1) <= 1
    }
    return values.pop() if len(values) == 1 else None  # ambiguous ("tex": ten? six?) -> None


def page_number(token: str, *, fuzzy: bool = False) -> int | None:
    """Read a printed page reference as an integer, or ``None`` when it is not one.

    Accepts Arabic and full-width digits (``2``, ``２``, ``2.``, ``No. 2``), Chinese numerals (``二``,
    ``十二``, ``九十九``, ``〇``, ``两``, optionally inside ``第…版``), English cardinal and ordinal words
    (``Two``, ``First``, ``twenty-one``, ``2nd``), French (``2e``, ``2ème``, ``seconde``, ``première``,
    ``1re``), German (``zwei``, ``ersten``) and section pages (``A1``, ``A-6``, ``6A``: the number part is
    returned, see :func:`page_section` for the letter). Surrounding brackets and punctuation are ignored, so
    OCR tokens such as ``Two.)`` or ``page' two`` are fine (a leading ``page``/``p.``/``Seite`` is skipped).

    ``fuzzy=True`` also accepts English number words one OCR edit away (``Bight`` 8, ``Nino`` 9, ``Bix`` 6),
    and digits followed by OCR junk (``2J``, ``2.i``). It is off by default because out of a jump line's page
    slot ``Bight`` is just a word; the detector turns it on where a number is expected.
    """
    text = unicodedata.normalize("NFC", token).translate(_FULLWIDTH).strip()
    text = re.sub(r"^(?:第|[Pp]ages?\b|[Pp]ago\b|[Pp]\.|[Pp]g\.?|[Ss]eite\b|S\.)[\s'’.:]*", "", text)
    text = re.sub(r"[版页頁面]$", "", text)
    text = _STRIP_RE.sub("", text)
    if not text:
        return None
    match = _DIGITS_RE.match(text)
    if match:
        return int(match.group(1))
    match = _SECTION_RE.match(text)
    if match:
        return int(match.group(2) or match.group(3))
    if _CN_NUM_RE.match(text):
        return _cn_number(text)
    value = _word_number(text, fuzzy)
    if value is not None:
        return value
    if fuzzy:
        match = re.match(r"^(\d{1,3})[.,]?[A-Za-z!)\]]{0,2}$", text)
        if match:
            return int(match.group(1))
    return None


def page_section(token: str) -> str | None:
    """The section letter of a section page (``A6`` -> ``"A"``, ``6A`` -> ``"A"``), else ``None``."""
    text = _STRIP_RE.sub("", unicodedata.normalize("NFC", token).translate(_FULLWIDTH))
    text = re.sub(r"^(?:第|[Pp]age\s*)", "", text)
    text = re.sub(r"[版页]$", "", text).strip()
    match = _SECTION_RE.match(text)
    if not match:
        return None
    return match.group(1) or match.group(4)


_SECTION_IN_TEXT_RE = re.compile(
    r"(?<![A-Za-z0-9Ａ-Ｚ０-９])([A-ZＡ-Ｚ])\s?-?\s?([0-9０-９]{1,3})(?![0-9０-９])"
    r"|(?<![0-9０-９])([0-9０-９]{1,3})([A-ZＡ-Ｚ])(?![A-Za-zＡ-Ｚ])"
)


def marker_section(marker: JumpMarker) -> str | None:
    """The section letter the marker points to: ``See STRIKE, Page A6``, ``上接A1版``, ``Page 6A`` give ``"A"``.

    Kept out of :class:`~reassemble.model.JumpMarker` (whose ``page`` is the number) because only papers with
    lettered sections need it; linking by number alone is right for the others.
    """
    if marker.page is None:
        return None
    for match in _SECTION_IN_TEXT_RE.finditer(marker.text):
        letter, digits = (match.group(1), match.group(2)) if match.group(1) else (match.group(4), match.group(3))
        if page_number(digits) == marker.page:
            return letter.translate(_FULLWIDTH)
    return None


def is_serial(marker: JumpMarker) -> bool:
    """True for "to be continued" markers of serials: the rest is in a later issue, not in this edition."""
    return marker.keyword == SERIAL


# ---------------------------------------------------------------------------------------------------------
# Shared helpers
# ---------------------------------------------------------------------------------------------------------

_OPENERS = "([{（【〔［｛<«"
_CLOSERS = ")]}）】〕］｝>»"
_CJK_RE = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
#: A block is scanned only this far from each end: a marker must touch an end, and no jump line is longer.
_EDGE_CHARS = 110


def _is_junk(text: str, max_specks: int = 3) -> bool:
    """True when ``text`` is only white space, punctuation and at most a few isolated OCR specks.

    OCR often turns a bracket or a dirt spot into ``i``, ``t``, ``I`` or ``1``, so a marker preceded by
    ``i `` or followed by `` H`` still counts as standing at the edge of its line or block.
    """
    stripped = text.strip()
    if not stripped:
        return True
    if len(stripped) > 40:
        return False  # cheap exit for the body text in front of a block-final marker
    specks = re.findall(r"[^\W_]+", stripped)
    return len(specks) <= max_specks and all(len(s) == 1 and not _CJK_RE.match(s) for s in specks)


@dataclass(frozen=True, slots=True)
class _Cand:
    """A candidate marker before the position policy: offsets into the scanned string and its evidence."""

    start: int
    end: int
    direction: JumpDirection
    page: int | None
    keyword: str
    framed_open: bool
    framed_close: bool
    score: float
    #: Weak forms (keyword-less "From Page One", "Continued on Page" without number or bracket) must fill
    #: their line/block unless bracketed on both sides.
    whole: bool = False


# ---------------------------------------------------------------------------------------------------------
# Chinese
# ---------------------------------------------------------------------------------------------------------

_CN_NUM = r"[0-9０-９〇零一二两兩三四五六七八九十]{1,4}"
_CN_RE = re.compile(
    rf"""
    (?P<open>[（(〔【\[［]\s*)?
    (?P<kw>下转|下轉|转至|轉至|转|轉|上接|紧接|緊接|接|续|續)
    \s*(?:[第笫弟]\s*)?
    (?P<num>[A-Za-zＡ-Ｚａ-ｚ]?\s*{_CN_NUM})
    \s*(?P<pw>[版板])
    (?:\s*[上中下左右]{{1,2}}(?:[角栏欄])?)?
    \s*(?P<close>[）)〕】\]］])?
    """,
    re.X,
)
_CN_REL_RE = re.compile(r"(?P<open>[（(〔【\[［]\s*)?(?P<kw>转下页|轉下頁|接上页|接上頁|转下版|接上版)"
                        r"\s*(?P<close>[）)〕】\]］])?")
_CN_SERIAL_RE = re.compile(r"[（(〔【\[［]\s*(?:未完\s*待\s*[续續]|待\s*[续續]|未完)\s*[）)〕】\]］]")
_CN_OUT_KW = {"下转", "下轉", "转至", "轉至", "转", "轉"}


def _scan_chinese(text: str) -> list[_Cand]:
    """``（下转第2版）``, ``上接A1版``, ``紧接第一版``…: OUT for 下转/转, IN for 上接/接/紧接/续."""
    cands: list[_Cand] = []
    if not _CJK_RE.search(text):
        return cands
    for m in _CN_RE.finditer(text):
        kw = m.group("kw")
        raw_num = re.sub(r"\s+", "", m.group("num"))
        page = page_number(raw_num)
        direction = OUT if kw in _CN_OUT_KW else IN
        framed_open = m.group("open") is not None
        framed_close = m.group("close") is not None
        # A bare 接/转 glued to a preceding character is part of a word (迎接第一, 运转3版), not a marker.
        if len(kw) == 1 and not framed_open and m.start() > 0 and _CJK_RE.match(text[m.start() - 1]):
            continue
        cands.append(_Cand(m.start(), m.end(), direction, page, kw, framed_open, framed_close, 2.0))
    for m in _CN_REL_RE.finditer(text):
        kw = m.group("kw")
        direction = OUT if kw.startswith(("转", "轉")) else IN
        cands.append(_Cand(m.start(), m.end(), direction, None, kw, m.group("open") is not None,
                           m.group("close") is not None, 1.5))
    for m in _CN_SERIAL_RE.finditer(text):
        cands.append(_Cand(m.start(), m.end(), OUT, None, SERIAL, True, True, 1.5))
    return cands


# ---------------------------------------------------------------------------------------------------------
# German and French (regexes with one-letter OCR tolerance)
# ---------------------------------------------------------------------------------------------------------


def _one_sub(word: str) -> str:
    """A regex matching ``word`` or ``word`` with any one letter misread (OCR substitutes, rarely drops)."""
    alts = [re.escape(word)]
    for i in range(len(word)):
        alts.append(re.escape(word[:i]) + r"[^\W\d_]" + re.escape(word[i + 1 :]))
    return "(?:" + "|".join(alts) + ")"


_NUM_LATIN = r"(?:[A-Z]-?\d{1,3}|\d{1,3}\s?[A-Z]?(?![\w])|[^\W\d_]{2,12})"
_SEITE = _one_sub("seite") + r"|S\."
_DE_RE = re.compile(
    rf"""
    (?P<open>[(\[{{]\s*)?
    (?<![^\W\d_])(?P<kw>schlu(?:ß|ss|fs|sz|h|b)|fortsetzung|fortsetzg\.?|forts\.|fortf\.|{_one_sub("fortsetzung")})
    \s*(?P<prep>auf|von|aus|siehe|vgl\.|a\.|v\.)?
    \s*(?:der\s+|die\s+)?
    (?:(?P<pw>{_SEITE})\s*(?P<num>{_NUM_LATIN}))
    \s*\.?\s*(?P<close>[)\]}}])?
    """,
    re.X | re.I,
)
_DE_SERIAL_RE = re.compile(
    r"[(\[]\s*(?:fortsetzung|forts\.|schlu(?:ß|ss))\s+folgt\.?\s*[)\]]"
    r"|^\s*(?:fortsetzung|schlu(?:ß|ss))\s+folgt\.?\s*$",
    re.I,
)

_SUITE = _one_sub("suite")
_PAGE_FR = _one_sub("page")
_ORD_FR = (
    r"(?:\d{1,2}\s?(?:e|è|ème|eme|me|re|ère|ere|er)(?![\w])|premi[eè]re|deuxi[eè]me|seconde|troisi[eè]me"
    r"|quatri[eè]me|cinqui[eè]me|sixi[eè]me|septi[eè]me|huiti[eè]me|neuvi[eè]me|dixi[eè]me)"
)
_FR_RE = re.compile(
    rf"""
    (?P<open>[(\[{{]\s*)?
    (?<![^\W\d_])(?P<kw>(?:(?:voir|lire)\s+(?:la\s+)?{_SUITE})|(?:la\s+)?{_SUITE})
    \s*(?P<prep>de\s+la|du|des|en|à\s+la|a\s+la|au)?
    \s*(?:
        (?P<pw>{_PAGE_FR})\s*(?P<num>{_NUM_LATIN})
      | (?P<ord>{_ORD_FR})\s*(?P<pw2>{_PAGE_FR})
      | (?P<une>une|la\s+une)(?![\w])
    )
    \s*\.?\s*(?P<close>[)\]}}])?
    """,
    re.X | re.I,
)
_FR_SERIAL_RE = re.compile(
    r"[(\[]\s*(?:[àa]\s+suivre|la\s+suite\s+au\s+prochain\s+num[ée]ro)\.?\s*[)\]]", re.I
)


def _scan_german(text: str) -> list[_Cand]:
    """``(Schluß auf Seite 8)`` OUT, ``(Schluß von Seite 1)`` IN, ``Fortsetzung Seite 16`` OUT."""
    cands: list[_Cand] = []
    for m in _DE_RE.finditer(text):
        page = page_number(m.group("num"))
        if page is None:
            continue
        prep = (m.group("prep") or "").lower()
        direction = IN if prep in {"von", "aus", "v."} else OUT
        kw = _fold(m.group("kw")).rstrip(".")
        keyword = "schluss" if kw.startswith("schlu") else "fortsetzung"
        cands.append(_Cand(m.start(), m.end(), direction, page, keyword, m.group("open") is not None,
                           m.group("close") is not None, 2.0))
    for m in _DE_SERIAL_RE.finditer(text):
        cands.append(_Cand(m.start(), m.end(), OUT, None, SERIAL, True, True, 1.5))
    return cands


def _scan_french(text: str) -> list[_Cand]:
    """``(Suite page 3)`` / ``(Voir la suite en 2e page)`` OUT, ``(Suite de la première page)`` IN."""
    cands: list[_Cand] = []
    for m in _FR_RE.finditer(text):
        prep = _fold(m.group("prep") or "")
        if m.group("une"):
            if not prep.startswith("de"):
                continue  # "la une" is the front page only in "suite de la une"
            page: int | None = 1
        elif m.group("ord"):
            page = page_number(m.group("ord"))
        else:
            page = page_number(m.group("num"))
        if page is None:
            continue
        direction = IN if prep.startswith("de") or prep == "du" else OUT
        cands.append(_Cand(m.start(), m.end(), direction, page, "suite", m.group("open") is not None,
                           m.group("close") is not None, 2.0))
    for m in _FR_SERIAL_RE.finditer(text):
        cands.append(_Cand(m.start(), m.end(), OUT, None, SERIAL, True, True, 1.5))
    return cands


# ---------------------------------------------------------------------------------------------------------
# English (token based, fuzzy)
# ---------------------------------------------------------------------------------------------------------

_TOKEN_RE = re.compile(
    rf"[{re.escape(_OPENERS)}]|[{re.escape(_CLOSERS)}]|[^\s{re.escape(_OPENERS + _CLOSERS)}]+"
)
#: "on" and what OCR makes of it ("oa", "011", "6n", "oil"; "n" when the "o" is lost).
_OUT_PREPS = {"on", "oa", "ou", "0n", "6n", "011", "oil", "an", "n", "bn", "onl", "ob"}
_IN_PREPS = {"from", "frorn", "fron", "frora", "irom", "trom", "fiom", "frum", "froin", "frotn", "fnom"}
_KW_TARGETS = ("continued", "contd", "concluded")
#: Real words that look like "continued" to a fuzzy matcher; in prose they are followed by "on page" often
#: enough ("as mentioned on page 4") to matter.
_KW_STOPWORDS = {
    "contained", "confined", "contended", "convinced", "condensed", "consented", "contented", "contested",
    "continent", "continental", "continuing", "continues", "continuous", "continuously", "continuance",
    "continuation", "mentioned", "combined", "conducted", "consigned", "convicted", "contracted",
    "confirmed", "convened", "conceded", "contrived", "construed", "consumed", "counted", "continually",
    "contents", "condition", "conditions",
}
#: Short English words that never belong to an OCR-split "continued" but often precede "on page" in prose.
_FUNCTION_WORDS = {
    "a", "an", "as", "at", "be", "by", "he", "in", "is", "it", "of", "or", "so", "to", "we", "and", "are",
    "but", "for", "had", "has", "her", "his", "its", "not", "the", "was", "who", "also", "been", "have",
    "that", "then", "this", "were", "will", "with",
}
_KW_STRONG = 0.74  # "Contlnued", "Coutinued", "Con tinned", "Continue^": one or two OCR slips.
_KW_WEAK = 0.58  # "jCoNTINI'KI", "( 'ollt I lined": needs brackets or a readable page to be believed.
_KW_GARBLED = 0.40  # "(Ceatianrt oaPaio 4)": only with brackets and more evidence (rules E-G).
_KW_LOOKBACK = 18  # characters of keyword before "on": enough for "i i 'on t i i: ued".
_KW_SPLIT_MAX = 11  # letters in a keyword split over tokens: "continued" plus two specks, no extra word.
_PW_STRONG = 0.70  # "Pago", "I'age", "Pagt", "Paffe"
_PW_WEAK = 0.40  # "Fate", "Par", "Vare", "l'axe", "piigc"
_COLUMN_MIN = 0.60  # "Colunm", "Coluajin"
_RELATIVE_PAGES = {"next", "last", "back", "following", "inside"}
_DASHES = {"-", "–", "—", "--", ":"}
_CLOSE_SPECKS = {"!", "l", "J", "i", "I", "|"}

_PW_NUM_GLUED_RE = re.compile(r"^(.*?[a-z'^&])[-.]?(\d.*)$", re.I)  # "Page-11.)"
_ORDINAL_SUFFIX_RE = re.compile(r"(?i)(?:st|nd|rd|th|d)$")
_OPENER_AT_END_RE = re.compile(rf"[{re.escape(_OPENERS)}]\s*$")
_GLUED_PREP_PAGE_RE = re.compile(r"^(?:on|oa|ou|0n)(?=[A-Z]|page|pag)")  # "onPag-e", "oaPaio"
_GLUED_KW_PREP_RE = re.compile(r"^(.{6,}?)(?:on|bn|oa)$", re.I)  # "Conttnuedbn"
#: A bracket misread as a letter glued to the keyword: "jCoNTINI'KI", "ICnntinuprt", "cCootinued".
_OPEN_GLUED_RE = re.compile(r"^(?:[^\sA-Za-z0-9]|[A-Za-z](?=C[a-z])|[a-z](?=C))")
_CLOSE_JUNK_RE = re.compile(r"[.,]?\s*[)\]}!lJiI]+\W*$")
_BRACKET_CLOSE_RE = re.compile(r"[)\]}]")
_GLUED_CLOSER_RE = re.compile(r"[^\W\d_][.,]?[)\]}]$|[.,][lJ!]$")


@dataclass(frozen=True, slots=True)
class _Tok:
    text: str
    start: int
    end: int

    @property
    def is_open(self) -> bool:
        return self.text in _OPENERS

    @property
    def is_close(self) -> bool:
        return self.text in _CLOSERS


@dataclass(frozen=True, slots=True)
class _Keyword:
    """The best "continued"-like span before a preposition."""

    score: float
    start: int
    framed_open: bool
    c_word: bool


@dataclass(frozen=True, slots=True)
class _Tail:
    """What follows the preposition: page word score, page number, column spec, where the marker ends."""

    pw: float
    page: int | None
    has_num: bool
    col: bool
    end: int
    framed_close: bool


def _letters(text: str) -> str:
    return re.sub(r"[^a-z]", "", text.lower())


def _alnum(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", text.lower())


def _tokens(text: str) -> list[_Tok]:
    return [_Tok(m.group(0), m.start(), m.end()) for m in _TOKEN_RE.finditer(text)]


def _kw_score(raw: str) -> float:
    """How much ``raw`` (one or a few OCR tokens) looks like *continued* / *contd* / *concluded*, in [0, 1].

    ``raw`` may span several tokens because OCR splits the keyword (``Con tinned``); a span containing a real
    word that is not the keyword (``as mentioned``) is prose and scores 0.
    """
    letters = _letters(raw)
    if len(letters) < 3 or letters in _KW_STOPWORDS:
        return 0.0
    words = [_letters(w) for w in raw.split()]
    if len(words) > 1 and (
        len(letters) > _KW_SPLIT_MAX or any(w in _KW_STOPWORDS or w in _FUNCTION_WORDS for w in words)
    ):
        return 0.0
    best = 0.0
    for target in _KW_TARGETS:
        if target == "contd" and not 4 <= len(letters) <= 6:
            continue
        best = max(best, fuzz.ratio(letters, target) / 100.0)
    return best


def _pw_score(raw: str) -> float:
    """How much ``raw`` looks like the word *page* (``Pago``, ``I'age``, ``Paffe``, ``p.``), in [0, 1]."""
    letters = _letters(raw)
    if not letters or len(letters) > 6:
        return 0.0
    if letters in {"p", "pg", "pp", "pa", "pag", "pge"} and raw.strip("'.,:;").lower().startswith("p"):
        return 1.0
    return fuzz.ratio(letters, "page") / 100.0


def _col_score(raw: str) -> float:
    """How much ``raw`` looks like *Column* (``Colunm``, ``Coluajin``, ``Col.``), in [0, 1]."""
    letters = _letters(raw)
    if letters in {"col", "cols"}:
        return 1.0
    if not 4 <= len(letters) <= 9:
        return 0.0
    return fuzz.ratio(letters, "column") / 100.0


def _parse_num(raw: str) -> tuple[int | None, bool]:
    """Page number of one OCR token and whether a closing bracket seems glued to it (``Two.l``, ``5J``)."""
    text = raw.strip()
    closing = bool(_BRACKET_CLOSE_RE.search(text))
    page = page_number(text, fuzzy=True)
    if page is None:
        stripped = _CLOSE_JUNK_RE.sub("", text)
        if stripped and stripped != text:
            page = page_number(stripped, fuzzy=True)
            closing = closing or page is not None
    return page, closing


def _is_prep(tok: _Tok) -> JumpDirection | None:
    """OUT for "on" and its OCR forms, IN for "from" and its OCR forms, else None."""
    word = _alnum(tok.text)
    if word in _OUT_PREPS:
        return OUT
    if word in _IN_PREPS or (
        len(word) == 4 and word[0] in "fit" and Levenshtein.distance(word, "from", score_cutoff=1) <= 1
    ):
        return IN
    return None


def _best_keyword(toks: list[_Tok], k: int, text: str) -> _Keyword:
    """Best keyword span ending right before token ``k`` (dashes skipped), at most ``_KW_LOOKBACK`` long.

    Every span of whole tokens is tried because OCR splits the keyword (``Con tinned``, ``'on t i i: ued``).
    ``framed_open`` says a bracket (or a letter standing for one) precedes it; the bracket is then included
    in the marker.
    """
    none = _Keyword(0.0, toks[k].start if k < len(toks) else len(text), False, False)
    j = k - 1
    while j >= 0 and toks[j].text in _DASHES:
        j -= 1
    if j < 0:
        return none
    kw_end = toks[j].end
    best = none
    i = j
    while i >= 0 and not toks[i].is_open and kw_end - toks[i].start <= _KW_LOOKBACK:
        score = _kw_score(text[toks[i].start : kw_end])
        if score > best.score:
            before = toks[i - 1] if i > 0 else None
            framed = bool(
                (before is not None and (before.is_open or (len(before.text) == 1 and before.text.isalnum()
                                                            and before.text not in "aA")))
                or _OPEN_GLUED_RE.match(toks[i].text)
            )
            start = toks[i].start
            if before is not None and before.is_open:
                start = before.start
            best = _Keyword(score, start, framed, _letters(toks[i].text + "x")[:1] == "c")
        i -= 1
    return best


def _parse_tail(toks: list[_Tok], i: int, glued_pw: str | None, text: str) -> _Tail:
    """Parse ``Page Two, Column Four.)`` from token ``i`` on (``glued_pw``: page word glued to the "on").

    Every part is optional; :func:`_accept` decides whether what was found is enough.
    """
    n = len(toks)
    pw = 0.0
    page: int | None = None
    has_num = False
    col = False
    framed_close = False
    end = toks[i - 1].end if 0 < i <= n else len(text)
    j = i

    def usable(k: int) -> bool:
        return k < n and not toks[k].is_close and not toks[k].is_open

    if glued_pw is not None:
        pw_text, num_part = glued_pw, ""
        m = _PW_NUM_GLUED_RE.match(pw_text)
        if m:
            pw_text, num_part = m.group(1), m.group(2)
        pw = _pw_score(pw_text)
        if num_part:
            page, framed_close = _parse_num(num_part)
            has_num = page is not None
    elif usable(j):
        tok = toks[j]
        first = tok.text.strip(".,")
        ordinal = page_number(first) if _ORDINAL_SUFFIX_RE.search(first) else None
        glued = _PW_NUM_GLUED_RE.match(tok.text)
        if (
            (ordinal is not None or _letters(first) in _RELATIVE_PAGES)
            and usable(j + 1)
            and _pw_score(toks[j + 1].text) >= _PW_STRONG
        ):
            # Ordinal first: "Twelfth Page", "First Page", "Next Page" (no number: page None).
            pw, page, has_num = 1.0, ordinal, ordinal is not None
            end = toks[j + 1].end
            framed_close = bool(_BRACKET_CLOSE_RE.search(toks[j + 1].text))
            j += 2
        elif glued and _pw_score(glued.group(1)) >= _PW_WEAK:
            pw = _pw_score(glued.group(1))
            page, framed_close = _parse_num(glued.group(2))
            has_num = page is not None
            end = tok.end
            j += 1
        else:
            score1 = _pw_score(tok.text)
            score2 = 0.0
            if usable(j + 1) and not tok.text.endswith((",", ".")):
                pair = (tok.text, toks[j + 1].text)
                lens = sorted(len(_letters(x)) for x in pair)
                if lens[0] == 1 and not any(ch.isdigit() for x in pair for ch in x) and page_number(
                        pair[1], fuzzy=True) is None:
                    score2 = _pw_score(tok.text + toks[j + 1].text)  # "I 'age", "PAG R"
            is_num = page_number(tok.text, fuzzy=True) is not None
            next_is_num = usable(j + 1) and page_number(toks[j + 1].text, fuzzy=True) is not None
            if score2 >= _PW_WEAK and score2 >= score1 - 0.3:
                # The page word split by OCR: "I 'age", "PAG R", "i 'age".
                pw, end = max(score1, score2), toks[j + 1].end
                j += 2
            elif len(_letters(tok.text)) <= 6 and (not is_num or next_is_num):
                # A page word, maybe mangled ("Tour Seven" reads "four seven": the second is the number).
                pw, end = score1, tok.end
                j += 1
    if not has_num and usable(j):
        page, closing = _parse_num(toks[j].text)
        if page is not None:
            has_num, framed_close, end = True, closing, toks[j].end
            j += 1
        elif pw >= _PW_WEAK and len(toks[j].text) <= 9 and (j + 1 == n or _GLUED_CLOSER_RE.search(toks[j].text)):
            # An unreadable number ending the text or glued to a closer ("THRRR.J"): part of the marker.
            glued_closer = bool(_GLUED_CLOSER_RE.search(toks[j].text))
            end, framed_close = toks[j].end, framed_close or glued_closer
            j += 1
        else:
            # An unreadable number ("Turoo,", "VKtte n.") is skipped when a column or a bracket follows.
            for skip in (1, 2):
                k = j + skip
                if not all(usable(x) and len(toks[x].text) <= 9 for x in range(j, k)):
                    break
                if (k < n and toks[k].is_close) or (usable(k) and _col_score(toks[k].text) >= _COLUMN_MIN):
                    end, j = toks[k - 1].end, k
                    break
    # Column spec: ", Column Four" / ". t'ulunin One" (the column number itself is not needed).
    if usable(j):
        k = j + 1 if toks[j].text in {",", "."} else j
        if usable(k) and _col_score(toks[k].text) >= _COLUMN_MIN:
            col, end = True, toks[k].end
            framed_close = framed_close or bool(_BRACKET_CLOSE_RE.search(toks[k].text))
            k += 1
            if usable(k) and len(toks[k].text) <= 7:
                framed_close = framed_close or _parse_num(toks[k].text)[1]
                end = toks[k].end
                k += 1
            j = k
    if j < n and toks[j].is_close:
        framed_close, end = True, toks[j].end
    elif j < n and toks[j].text in _CLOSE_SPECKS and toks[j].start - end <= 1:
        framed_close, end = True, toks[j].end  # "Three I": a misread bracket right after the page
    m = re.match(r"^[.)\]}'\"]+", text[end : end + 3])
    if m:
        framed_close = framed_close or bool(_BRACKET_CLOSE_RE.search(m.group(0)))
        end += m.end()
    return _Tail(pw, page, has_num, col, end, framed_close)


def _accept(kw: _Keyword, tail: _Tail, prep_exact: bool) -> bool:
    """Is this combination of evidence (after an "on"/"from") a jump line? Each rule is one way they look.

    * A: a clear keyword and a clear page word (``Continued on Page``): the number may be garbled.
    * B: a damaged keyword needs a page-ish word and either a readable number or a bracket.
    * C: a clear keyword and a readable number, the page word mangled, but a bracket or a column spec
      confirms the layout (``(Continued on fan six.)``).
    * D: ``Column`` after the page slot occurs only in jump lines (``Continued on I'mrr live. Column Tho``).
    * E: a garbled keyword still starting with *c* inside brackets on both sides, with a page word and a
      number (``(Ceatianrt oaPaio 4)``); the *c* keeps out ``(Picture on page 5)``.
    * F: the same garbled *c* word after a bracket, followed by an exactly spelled ``on page``
      (``(Cu.Ti.n:i) on page thi:i:i:.i``).
    * G: a keyword fragment with a page, a number and a column spec (``lued on Page Seven, Column One.)``).
    """
    pw_strong = tail.pw >= _PW_STRONG
    pw_weak = tail.pw >= _PW_WEAK
    framed = kw.framed_open or tail.framed_close
    strong = kw.score >= _KW_STRONG
    garbled_c = kw.score >= _KW_GARBLED and kw.c_word
    return (
        (strong and pw_strong)  # A
        or (kw.score >= _KW_WEAK and pw_weak and (tail.has_num or framed))  # B
        or (strong and tail.has_num and (framed or tail.col))  # C
        or (strong and tail.col)  # D
        or (garbled_c and pw_weak and tail.has_num and kw.framed_open and tail.framed_close)  # E
        or (garbled_c and kw.framed_open and prep_exact and tail.pw >= 0.99)  # F
        or (kw.score >= _KW_GARBLED and pw_strong and tail.has_num and tail.col)  # G
    )


_SEE_RE = re.compile(
    r"(?P<open>[(\[]\s*)?\b(?P<kw>[Ss]ee|SEE|[Tt]urn\s+to|TURN\s+TO|[Jj]ump\s+to)\s+"
    r"(?:(?P<slug>[A-Z][A-Z0-9'’&.\-]*(?:\s+[A-Z][A-Z0-9'’&.\-]*){0,3})\s*[,;:]?\s*)?"
    r"(?:on\s+)?(?:[Pp]age|PAGE|[Pp]g\.?|[Pp]\.)\s*(?P<num>[A-Z]?-?\d{1,3}[A-Z]?|[A-Za-z]{3,9})\b\.?"
    r"\s*(?P<close>[)\]])?"
)
_EN_SERIAL_RE = re.compile(
    r"[(\[]\s*(?:to\s+be\s+continued|continued\s+(?:next\s+week|tomorrow))\.?\s*[)\]]"
    r"|^\s*to\s+be\s+continued\.?\s*$",
    re.I,
)


def _scan_continued(text: str, toks: list[_Tok]) -> list[_Cand]:
    """``Continued on/from Page N`` in all its OCR shapes, and keyword-less ``From Page One``."""
    cands: list[_Cand] = []
    for k, tok in enumerate(toks):
        if tok.is_open or tok.is_close:
            continue
        direction = _is_prep(tok)
        glued_pw: str | None = None
        kw: _Keyword | None = None
        tail_start = k + 1
        if direction is None:
            m = _GLUED_PREP_PAGE_RE.match(tok.text)
            m2 = _GLUED_KW_PREP_RE.match(tok.text)
            if m:
                direction, glued_pw = OUT, tok.text[m.end() :]
            elif m2 and _kw_score(m2.group(1)) >= _KW_STRONG:
                # "Conttnuedbn Page": the keyword with the preposition glued on.
                direction = OUT
                before = toks[k - 1] if k > 0 else None
                opened = before is not None and before.is_open
                start = before.start if before is not None and opened else tok.start
                framed = opened or bool(_OPEN_GLUED_RE.match(tok.text))
                kw = _Keyword(_kw_score(m2.group(1)), start, framed, True)
            elif _pw_score(tok.text) >= 0.99 and k > 0 and _is_prep(toks[k - 1]) is None:
                # No preposition at all: "(Continued" / "page two)" from a jump line split over lines.
                kw = _best_keyword(toks, k, text)
                if kw.score >= _KW_STRONG:
                    tail = _parse_tail(toks, k, None, text)
                    if tail.framed_close or kw.framed_open:
                        cands.append(_Cand(kw.start, tail.end, OUT, tail.page, "continued", kw.framed_open,
                                           tail.framed_close, kw.score + 0.5))
                continue
            else:
                continue
        if kw is None:
            kw = _best_keyword(toks, k, text)
        tail = _parse_tail(toks, tail_start, glued_pw, text)
        prep_exact = _alnum(tok.text) in {"on", "from"} or glued_pw is not None
        if kw.score >= _KW_GARBLED and _accept(kw, tail, prep_exact):
            score = kw.score + tail.pw + (0.5 if tail.has_num else 0.0)
            # Without a page number and without a bracket, only a line/block of its own is believed.
            whole = not tail.has_num and not kw.framed_open and not tail.col
            cands.append(_Cand(kw.start, tail.end, direction, tail.page, "continued", kw.framed_open,
                               tail.framed_close, score, whole=whole))
        elif direction is IN and kw.score < _KW_GARBLED and tail.pw >= _PW_STRONG and tail.has_num:
            # "From Page One", "(From First Page.)": no keyword, so it must open its line or block.
            before_text = text[: tok.start]
            opener = _OPENER_AT_END_RE.search(before_text)
            if opener is None and not _is_junk(before_text):
                continue
            start = opener.start() if opener is not None else tok.start
            cands.append(_Cand(start, tail.end, IN, tail.page, "from", opener is not None, tail.framed_close,
                               1.2, whole=True))
    return cands


def _scan_english(text: str) -> list[_Cand]:
    """English jump lines, tolerant of 1910s OCR (see the module docstring for the approach)."""
    cands = _scan_continued(text, _tokens(text))
    for m in _SEE_RE.finditer(text):
        page = page_number(m.group("num"))
        if page is None:
            continue
        kw = m.group("kw").lower()
        if kw == "see" and not m.group("slug") and not (m.group("open") or m.group("close")):
            continue  # "see page 4" in prose is a cross-reference; a bare "See page 4" jump needs brackets
        keyword = "see" if kw == "see" else re.sub(r"\s+", " ", kw)
        cands.append(_Cand(m.start(), m.end(), OUT, page, keyword, m.group("open") is not None,
                           m.group("close") is not None, 1.5))
    for m in _EN_SERIAL_RE.finditer(text):
        cands.append(_Cand(m.start(), m.end(), OUT, None, SERIAL, True, True, 1.5))
    return cands


# ---------------------------------------------------------------------------------------------------------
# Position policy and public functions
# ---------------------------------------------------------------------------------------------------------


#: The characters the English, German and French scanners can match anything with: ASCII letters, and the
#: four other characters that lower-case to one (``İ``, ``K``) or match one under ``re.IGNORECASE`` (``ı``,
#: ``ſ``, the long s of Fraktur). Every Latin-script candidate needs at least one of them (a keyword, a
#: preposition or a page word), so a window without any, such as Chinese text, skips those scanners.
_LATIN_LETTER_RE = re.compile("[A-Za-z\u0130\u0131\u017f\u212a]")


def _scan(text: str) -> list[_Cand]:
    """All candidates in ``text`` (any position), overlapping ones resolved by score then length."""
    cands = _scan_chinese(text)
    if _LATIN_LETTER_RE.search(text):
        cands = _scan_english(text) + _scan_german(text) + _scan_french(text) + cands
    cands.sort(key=lambda c: (-c.score, -(c.end - c.start), c.start))
    chosen: list[_Cand] = []
    for c in cands:
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    chosen.sort(key=lambda c: c.start)
    return chosen


def _to_marker(text: str, cand: _Cand, offset: int = 0) -> JumpMarker:
    start, end = cand.start, cand.end
    while end > start and text[end - 1].isspace():
        end -= 1
    return JumpMarker(direction=cand.direction, page=cand.page, start=start + offset, end=end + offset,
                      text=text[start:end], keyword=cand.keyword)


def _edge_ok(cand: _Cand, at_start: bool, at_end: bool) -> bool:
    """The position rule shared by blocks and lines (see :func:`find_markers`)."""
    if cand.whole and not (cand.framed_open and cand.framed_close):
        return at_start and at_end
    return at_start or at_end


@lru_cache(maxsize=256)
def find_markers(text: str) -> tuple[JumpMarker, ...]:
    """Jump markers in one block's cleaned text, in text order.

    A marker counts only when it is the whole block, or nothing but brackets, punctuation and OCR specks
    stands between it and the start or the end of the block: jump lines are set apart by the layout, so a
    "continued on page 4" inside a sentence is prose, not a jump. Keyword-less forms ("From Page One") must
    be the whole block unless bracketed. Offsets index into ``text``.

    Cached, in a small cache (the results are immutable): the classifier asks about each block twice,
    once through :func:`is_marker_block`.
    """
    if not text or not text.strip():
        return ()
    if len(text) <= 2 * _EDGE_CHARS:
        windows = [(0, text)]
    else:
        # Cut the windows at a space so that no word is split (a cut word could look like a keyword).
        head_end = text.rfind(" ", 0, _EDGE_CHARS)
        tail_start = text.find(" ", len(text) - _EDGE_CHARS)
        head_end = _EDGE_CHARS if head_end < 0 else head_end
        tail_start = len(text) - _EDGE_CHARS if tail_start < 0 else tail_start + 1
        windows = [(0, text[:head_end]), (tail_start, text[tail_start:])]
    markers: dict[tuple[int, int], JumpMarker] = {}
    for offset, window in windows:
        for cand in _scan(window):
            marker = _to_marker(window, cand, offset)
            at_start = _is_junk(text[: marker.start])
            at_end = _is_junk(text[marker.end :])
            if _edge_ok(cand, at_start, at_end):
                markers.setdefault((marker.start, marker.end), marker)
    return tuple(sorted(markers.values(), key=lambda m: m.start))


def is_marker_block(text: str) -> JumpMarker | None:
    """The marker when the block is nothing but a jump line, else None.

    Brackets, punctuation, white space and up to two single-character OCR specks (``V y (Continued on page
    three) . ;``) may surround it.

    Used to give such blocks the ``jump_to``/``jump_from`` role instead of reading them as body text.
    """
    markers = find_markers(text)
    if len(markers) != 1:
        return None
    marker = markers[0]
    if _is_junk(text[: marker.start], 2) and _is_junk(text[marker.end :], 2):
        return marker
    return None


def join_lines(lines: Sequence[str]) -> str:
    """Join OCR lines the way :func:`find_markers_in_lines` does: with a space, without one next to CJK."""
    out = ""
    for line in lines:
        line = line.strip()
        if not out:
            out = line
        elif not line:
            continue
        elif _CJK_RE.match(out[-1]) or _CJK_RE.match(line[0]):
            out += line
        else:
            out += " " + line
    return out


def _line_spans(lines: Sequence[str]) -> tuple[str, list[tuple[int, int]]]:
    """``join_lines`` plus the (start, end) of every line inside the joined text."""
    spans: list[tuple[int, int]] = []
    out = ""
    for line in lines:
        line = line.strip()
        if out and line:
            sep = "" if (_CJK_RE.match(out[-1]) or _CJK_RE.match(line[0])) else " "
            out += sep
        start = len(out)
        out += line
        spans.append((start, len(out)))
    return out, spans


def find_markers_in_lines(lines: Sequence[str], max_join: int = 3) -> list[tuple[int, int, JumpMarker]]:
    """Jump markers in raw OCR lines: ``(first_line, last_line, marker)`` with **0-based, inclusive** lines.

    Up to ``max_join`` consecutive lines are joined (:func:`join_lines`) so that a jump line broken over
    lines (``Continued on`` / ``Page`` / ``2.``) is found; ``marker.start``/``end`` index into
    ``join_lines(lines[first_line:last_line + 1])``. The position rule is per line rather than per block:
    the marker must start its first line or end its last line (OCR specks aside), or be bracketed on both
    sides, because in interleaved column text another column's words often share the jump line's line.
    A marker spread over several lines must end its last line.
    """
    results: list[tuple[int, int, JumpMarker]] = []
    covered_until = -1
    for i in range(len(lines)):
        if i <= covered_until or not lines[i].strip():
            continue
        text, spans = _line_spans(lines[i : i + max_join])
        first_end = spans[0][1]
        best: tuple[int, int, JumpMarker] | None = None
        for cand in _scan(text):
            if cand.start >= first_end:
                continue  # it starts on a later line: found when that line opens the window
            marker = _to_marker(text, cand)
            last = max(idx for idx, (s, _) in enumerate(spans) if s <= max(marker.end - 1, marker.start))
            at_start = _is_junk(text[: marker.start])
            at_end = _is_junk(text[marker.end : spans[last][1]])
            framed = cand.framed_open and cand.framed_close
            if last > 0 and not (at_end or framed):
                continue
            if not (framed and not cand.whole) and not _edge_ok(cand, at_start, at_end):
                continue
            if best is None or marker.start < best[2].start:
                best = (i, i + last, marker)
        if best is not None:
            results.append(best)
            covered_until = best[1]
    return results
