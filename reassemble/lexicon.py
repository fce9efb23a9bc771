"""A Chinese word lexicon (jieba's dictionary) and the "does this cut split a word" measure.

jieba ships a dictionary of about 350,000 words with corpus frequencies; we read that file directly,
once and lazily, instead of importing jieba's tokenizer (which builds a larger structure and prints to
stderr). Only the first CJK join of a run pays the load (about 0.3 s); pages without a cut never do.
"""

from __future__ import annotations

import math
import re
from functools import lru_cache
from importlib.resources import files

from .textutil import CJK_CLASS

#: Longest word looked up; longer dictionary entries (idioms, names of institutions) rarely span a cut.
MAX_WORD = 6
_CJK_END = re.compile(f"[{CJK_CLASS}]+\\Z")
_CJK_START = re.compile(f"[{CJK_CLASS}]+")


#: jieba's part-of-speech tags of words that name a thing or an amount (noun, numeral-measure, verbal
#: noun): words that do not open a paragraph as a clause of their own (see :func:`is_noun_word`).
NOUN_TAGS = frozenset({"n", "m", "vn"})


@lru_cache(maxsize=1)
def _dictionary() -> tuple[dict[str, float], float, frozenset[str]]:
    """Read jieba's dictionary once: ``{word: log probability}`` for words of 1..MAX_WORD characters, the
    log probability floor, and the words of 2..4 characters tagged with one of :data:`NOUN_TAGS`."""
    path = files("jieba").joinpath("dict.txt")
    freqs: dict[str, int] = {}
    nouns: list[str] = []
    total = 0
    with path.open("r", encoding="utf-8") as fh:
        for line in fh:
            parts = line.split()
            if len(parts) < 2:
                continue
            word = parts[0]
            try:
                freq = int(parts[1])
            except ValueError:
                continue
            total += freq
            if len(word) <= MAX_WORD:
                freqs[word] = freq
                if len(parts) > 2 and 2 <= len(word) <= 4 and parts[2] in NOUN_TAGS:
                    nouns.append(word)
    log_total = math.log(total)
    logp = {w: math.log(f) - log_total if f > 0 else -log_total for w, f in freqs.items()}
    floor = -log_total - 2.0  # an unknown single character: rarer than any dictionary word
    return logp, floor, frozenset(nouns)


def _lexicon() -> tuple[dict[str, float], float]:
    """``{word: log probability}`` for words of 1..MAX_WORD characters, and the log probability floor."""
    logp, floor, _ = _dictionary()
    return logp, floor


def is_word(text: str) -> bool:
    """Is ``text`` a word of the dictionary?"""
    return text in _lexicon()[0]


def is_noun_word(text: str) -> bool:
    """Is ``text`` (two to four characters) one dictionary word that names a thing or an amount?"""
    return text in _dictionary()[2]


@lru_cache(maxsize=65536)
def best_segmentation_logp(text: str) -> float:
    """Log probability of the most probable segmentation of ``text`` into lexicon words (unigram model).

    This is the model jieba itself uses for dictionary segmentation; characters not in the lexicon are
    single words at the floor probability.
    """
    return _prefix_logps(text)[-1]


@lru_cache(maxsize=4096)
def _prefix_logps(text: str) -> tuple[float, ...]:
    """``best[k]``: the log probability of the best segmentation of ``text[:k]``, for every ``k``.

    ``best[end]`` is the largest ``best[start] + logP(text[start:end])`` over the words ending at ``end``
    (:func:`_words_ending`). Each candidate is one addition and the result their maximum, so the figures
    are those of any order of evaluation. Kept per text because the value at ``k`` depends on ``text[:k]``
    only: :func:`bridge_gain` reads a tail and a head together by extending the tail's table over the
    head, instead of starting over."""
    best = [0.0]
    for words in _words_ending(text):
        best.append(max([best[start] + lp for start, lp in words]))
    return tuple(best)


@lru_cache(maxsize=4096)
def _words_ending(text: str) -> tuple[tuple[tuple[int, float], ...], ...]:
    """For each ``end`` from 1 to ``len(text)``: ``(start, logP)`` of the lexicon words of up to MAX_WORD
    characters that are ``text[start:end]``, the last character always among them (a character unknown
    to the lexicon counts as a word at the floor probability). Cached: a head is read after many tails."""
    logp, floor = _lexicon()
    get = logp.get
    out = []
    for end in range(1, len(text) + 1):
        words = [(end - 1, get(text[end - 1], floor))]
        for start in range(end - MAX_WORD if end > MAX_WORD else 0, end - 1):
            lp = get(text[start:end])
            if lp is not None:
                words.append((start, lp))
        out.append(tuple(words))
    return tuple(out)


def cjk_tail(text: str, k: int) -> str:
    """The last ``k`` characters of ``text`` that are CJK ideographs with no other character after them.

    A regular expression over the last ``k`` characters: join scoring asks this for every candidate pair."""
    if k <= 0:
        return ""
    m = _CJK_END.search(text, max(0, len(text) - k))
    return m.group() if m else ""


def cjk_head(text: str, k: int) -> str:
    """The first ``k`` characters of ``text`` that are CJK ideographs with no other character before them."""
    if k <= 0:
        return ""
    m = _CJK_START.match(text, 0, k)
    return m.group() if m else ""


def bridge_gain(left: str, right: str, window: int = 4) -> float:
    """How much more probable the text is read across the cut than as two separate pieces.

    ``left`` ends where a column cut the text, ``right`` is the candidate continuation. The gain is
    ``logP(best segmentation of tail+head) - logP(tail) - logP(head)`` over ``window`` CJK characters on
    each side. It is 0 when the cut falls between words (the best segmentations agree) and grows when a
    dictionary word spans the cut (``检测小|屋打造`` reads ``小屋``; ``工作人|员`` reads ``人员``).
    It is never negative: the separate readings are always one reading of the whole.
    """
    tail, head = cjk_tail(left, window), cjk_head(right, window)
    if not tail or not head:
        return 0.0
    return edge_gain(tail, head)


@lru_cache(maxsize=16384)
def edge_gain(tail: str, head: str) -> float:
    """:func:`bridge_gain` of a CJK tail and head (cached: the same edges meet again on other pages)."""
    best = list(_prefix_logps(tail))
    n_tail, text, get = len(tail), tail + head, _lexicon()[0].get
    for end, words in enumerate(_words_ending(head), n_tail + 1):
        top = max([best[n_tail + start] + lp for start, lp in words])  # words inside the head
        for start in range(end - MAX_WORD if end > MAX_WORD else 0, n_tail):  # words across the cut
            lp = get(text[start:end])
            if lp is not None and best[start] + lp > top:
                top = best[start] + lp
        best.append(top)
    gain = best[-1] - best[n_tail] - best_segmentation_logp(head)
    # Summing the same logs in another order leaves a remainder of about 1e-15 where no word spans the
    # cut; that is no evidence (it used to send a sixth of all pairs on to full scoring).
    return gain if gain > _ROUNDING else 0.0


#: Gains below this are floating-point remainders, not words across a cut (a real one is at least ~1).
_ROUNDING = 1e-9


def head_is_bound(text: str, window: int = 4) -> float:
    """Evidence that ``text`` starts inside a word: how much its first character prefers a left neighbour.

    Measured as the gain of reading the first character as the end of *some* two-character word against
    reading it alone; characters that are mostly bound morphemes (``员``, ``匠``, ``屋``) score high,
    free words (``据``, ``近``) low. Used only as weak evidence beside the bridge gain.
    """
    head = cjk_head(text, window)
    if not head:
        return 0.0
    logp, floor = _lexicon()
    alone = logp.get(head[0], floor)
    return max(0.0, floor - alone) / 10.0
