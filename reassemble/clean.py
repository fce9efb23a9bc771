"""Stage 2, clean: normalise white space and punctuation width, never dropping a character.

Cleaning only substitutes (half-width ``,`` becomes ``，``) or folds runs of white space; the characters of
the text are otherwise those of the input, so the conservation check (NFKC, white space removed) holds.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence
from dataclasses import replace

from .config import Config
from .model import Block, Page
from .textutil import is_wide, join_lines

_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
#: The marks of ``_FULL``, found by one C-level scan: most characters of a text are none of them.
_FULL_RE = re.compile("[" + re.escape("".join(_FULL)) + "]")
_WS = re.compile(r"[ \t\u00a0\u2000-\u200b\u3000]+")


def _neighbour(text: str, i: int, step: int) -> str:
    j = i + step
    while 0 <= j < len(text) and text[j] == " ":
        j += step
    return text[j] if 0 <= j < len(text) else ""


def fullwidth_punct(text: str) -> str:
    """Half-width ``, ; : ? ! ( )`` next to Chinese text become full-width.

    A mark is converted when the character before or after it (spaces skipped) is a wide character, so
    ``1,000`` and ``10:30`` stay as they are. Brackets are converted in pairs: ``(平陆)`` becomes
    ``（平陆）``, while ``(a)`` inside Latin text is kept.
    """
    marks = [m.start() for m in _FULL_RE.finditer(text)]
    if not marks:
        return text
    chars = list(text)
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for i in marks:
        c = text[i]
        if c == "(":
            stack.append(i)
        elif c == ")" and stack:
            pairs[stack.pop()] = i
    paired_close = set(pairs.values())
    for i in marks:
        c = text[i]
        if c == "(" and i in pairs:
            j = pairs[i]
            inside = text[i + 1 : j]
            if is_wide(_neighbour(text, i, -1) or " ") or any(is_wide(x) for x in inside):
                chars[i], chars[j] = "（", "）"
            continue
        if c == ")" and i in paired_close:
            continue
        before, after = _neighbour(text, i, -1), _neighbour(text, i, 1)
        if (before and is_wide(before)) or (after and is_wide(after)):
            chars[i] = _FULL[c]
    return "".join(chars)


def clean_text(text: str, config: Config) -> str:
    """White space folded to single spaces and trimmed; punctuation width fixed when configured."""
    text = _WS.sub(" ", text).strip()
    return fullwidth_punct(text) if config.fullwidth_punct else text


def clean_page(page: Page, config: Config, words: Counter[str] | None = None) -> Page:
    """A copy of ``page`` whose blocks carry cleaned text (the lines keep what was read).

    ``words`` (see :func:`edition_words`) lets Latin words hyphenated at a line break be rejoined."""
    blocks = tuple(replace(b, text=clean_text(dehyphenate(b, words) if words else b.text, config))
                   for b in page.blocks)
    return replace(page, blocks=blocks)


def clean_pages(pages: Sequence[Page], config: Config) -> tuple[Page, ...]:
    """Clean every page of an edition, with the edition's own words as hyphenation evidence."""
    words = edition_words(pages)
    return tuple(clean_page(p, config, words) for p in pages)


_LATIN_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*")


def edition_words(pages: Sequence[Page]) -> Counter[str]:
    """How often each Latin word (hyphenated compounds whole) occurs inside lines, not at line ends.

    Words split over a line break are left out, so the counts say how the edition spells a word when
    no line break is involved: the evidence for ``Wendun-gen`` -> ``Wendungen`` and for keeping
    ``Nord-Amerika``."""
    counts: Counter[str] = Counter()
    # One regex scan over all lines joined by newlines: a word never spans a newline (it is no letter and
    # no hyphen), so this finds the words of each line in turn, as scanning line by line did.
    lines = "\n".join([_unbroken(line) for page in pages for block in page.blocks for line in block.lines])
    counts.update(map(str.lower, _LATIN_WORD.findall(lines)))
    return counts


def _unbroken(line: str) -> str:
    """The line without the word a line-end hyphen breaks (see :func:`edition_words`)."""
    body = line.strip()
    if body.endswith(("-", "\u00ad")):
        body = body.rsplit(" ", 1)[0] if " " in body else ""
    return body


def dehyphenate(block: Block, words: Counter[str]) -> str:
    """The block's text with break hyphens at line ends removed and real hyphens kept.

    For ``left-`` at a line end and ``right`` starting the next line: keep the hyphen when the
    edition writes ``left-right`` elsewhere, or when ``right`` starts with a capital (``Nord-``
    ``Amerika``); drop it when the edition writes ``leftright`` elsewhere or, failing any evidence, when
    ``right`` is lower case (the common case of a word broken by the column)."""
    lines = [x.strip() for x in block.lines if x.strip()]
    if len(lines) < 2 or not any(x.endswith(("-", "\u00ad")) for x in lines[:-1]):
        return block.text
    pieces: list[str] = []
    for n, line in enumerate(lines):
        if pieces and pieces[-1].endswith(("-", "\u00ad")) and len(pieces[-1]) > 1 \
                and pieces[-1][-2].isalpha() and line[:1].isalpha():
            left_word = _LATIN_WORD.findall(pieces[-1])
            right_word = _LATIN_WORD.findall(line)
            left = left_word[-1].lower() if left_word else ""
            right = right_word[0].lower() if right_word else ""
            joined, compound = left + right, f"{left}-{right}"
            keep = words.get(compound, 0) > words.get(joined, 0) or (
                line[0].isupper() and words.get(joined, 0) == 0)
            if not keep:
                pieces[-1] = pieces[-1][:-1]
            pieces[-1] += line
            continue
        pieces.append(line)
        _ = n
    return join_lines(pieces)


def clean_block(block: Block, config: Config) -> Block:
    """A copy of one block with cleaned text."""
    return replace(block, text=clean_text(block.text, config))
