"""Stage 2, clean: normalise white space and punctuation width, never dropping a character.

Cleaning only substitutes (half-width ``,`` becomes ``，``) or folds runs of white space; the characters of
the text are otherwise those of the input, so the conservation check (NFKC, white space removed) holds.
"""

from __future__ import annotations

import re
from dataclasses import replace

from .config import Config
from .model import Block, Page
from .textutil import is_wide

_FULL = {",": "，", ";": "；", ":": "：", "?": "？", "!": "！", "(": "（", ")": "）"}
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
    if not any(c in _FULL for c in text):
        return text
    chars = list(text)
    stack: list[int] = []
    pairs: dict[int, int] = {}
    for i, c in enumerate(chars):
        if c == "(":
            stack.append(i)
        elif c == ")" and stack:
            pairs[stack.pop()] = i
    paired_close = set(pairs.values())
    for i, c in enumerate(chars):
        if c not in _FULL:
            continue
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


def clean_page(page: Page, config: Config) -> Page:
    """A copy of ``page`` whose blocks carry cleaned text (the lines keep what was read)."""
    blocks = tuple(replace(b, text=clean_text(b.text, config)) for b in page.blocks)
    return replace(page, blocks=blocks)


def clean_block(block: Block, config: Config) -> Block:
    """A copy of one block with cleaned text."""
    return replace(block, text=clean_text(block.text, config))
