"""Stage 4, score: every candidate join gets a score in [0, 1] with the features behind it.

A *join* says that block ``b`` continues the paragraph block ``a`` broke off. The score is a logistic
model over named features (weights in :class:`~reassemble.config.Config`); each feature is kept on the
:class:`~reassemble.model.Join` so that ``--explain`` can show why. Joins are chosen one-to-one over the
whole page (or edition): each broken end and each continuation is used at most once, best score first.

This module also holds the content similarity used to decide which body belongs to which headline:
IDF-weighted character bigrams for Chinese and lower-cased words for Latin text, compared with cosine.
Names and places dominate such vectors, which is what "same article" means on a newspaper page.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from itertools import chain, repeat
from operator import add, mul
from typing import NamedTuple, Protocol, TypeVar

from .classify import (
    BRACKETS,
    OPENER_OF,
    OPENERS,
    START_SHORT_CLAUSE,
    Kind,
    Tag,
    indents_paragraphs,
    jump_direction,
    opens_paragraph,
    starts_open,
    unbalanced,
)
from .config import Config
from .lexicon import cjk_head, cjk_tail, edge_gain
from .model import Join, JumpDirection
from .textutil import leads_in

_WORD = re.compile(r"[^\W\d_]{3,}", re.UNICODE)
_CJK_RUN = re.compile("[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0002fa1f]{2,}")
_LATIN_WORD = re.compile(r"[^\W\d_\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]{3,}", re.UNICODE)
#: Marks after which a sentence cannot stop: a block ending in one of them was certainly cut.
_CLAUSE_END = set("，、：；,;:“《（(‘「『【")
#: Feature values that four-decimal rounding leaves as they are (most features are flags): looked up
#: instead of rounded. A value equal to one of them (``-0.0`` included) is its own rounding.
_ROUND_FREE = frozenset({0.0, 0.5, 1.0})


@lru_cache(maxsize=8192)
def _term_sequence(text: str) -> tuple[str, ...]:
    """Every occurrence of a content term of ``text``, in order: the CJK character bigrams of each run
    (``run[i:i+2]``, paired in C), then the Latin words (>= 3 letters, lower-cased).

    Counted, it is :func:`terms`, whose keys are its first occurrences in order. Cached, so that counting
    several texts together (:func:`summed_terms`) is one C-level count over their sequences."""
    bigrams = chain.from_iterable([map(add, run, run[1:]) for run in _CJK_RUN.findall(text)])
    return (*bigrams, *map(str.lower, _LATIN_WORD.findall(text)))


@lru_cache(maxsize=8192)
def terms(text: str) -> Counter[str]:
    """Content terms of a text: CJK character bigrams (no punctuation inside) and Latin words (>= 3).

    Cached (the same block is compared many times); callers must not modify the returned Counter."""
    return Counter(_term_sequence(text))


def summed_terms(texts: Iterable[str]) -> Counter[str]:
    """The :func:`terms` of several texts added up: the Counter that updating one Counter with each
    text's terms in turn gives, with the same counts and the same key order (first occurrence), so
    vectors built from it are bit for bit the same. Counted in C over the texts' cached term sequences,
    without a per-term iterator (``Counter.elements``) or a Python loop per term (``Counter.update`` with
    a mapping)."""
    return Counter(chain.from_iterable(map(_term_sequence, texts)))


class _TermsIn:
    """``term in _TermsIn(text)`` is ``term in terms(text)``, without counting every term of a long text.

    A two-character term is a CJK bigram (Latin terms have at least three letters, and lower-casing never
    shortens them), and a bigram of two CJK characters is a term of ``text`` exactly when it occurs in it:
    both characters then lie in one run of at least two. Latin words are matched against the set of the
    text's words, read only when one is asked for. :meth:`Vocabulary.coverage` asks this for the few terms
    of a headline against a whole body."""

    __slots__ = ("text", "_words")

    def __init__(self, text: str) -> None:
        self.text = text
        self._words: set[str] | None = None

    def __contains__(self, term: object) -> bool:
        if not isinstance(term, str):
            return False
        if len(term) == 2:
            return term in self.text
        if self._words is None:
            self._words = set(map(str.lower, _LATIN_WORD.findall(self.text)))
        return term in self._words


class Vocabulary:
    """Document frequencies of terms over a set of texts (a page's or an edition's blocks).

    Term vectors are cached per text: the same block is compared many times (join candidates,
    head-to-body matches, tail splits), and building its vector dominates the cost otherwise.
    """

    def __init__(self, texts: Iterable[str]) -> None:
        self.df: Counter[str] = Counter()
        keys = [terms(t).keys() for t in texts]
        self.n = len(keys)
        self.df.update(chain.from_iterable(keys))  # one update, the same terms in the same order
        self._idf: dict[str, float] = {}
        self._vectors: dict[str, tuple[dict[str, float], float]] = {}

    def idf(self, term: str) -> float:
        v = self._idf.get(term)
        if v is None:
            v = self._idf[term] = math.log((self.n + 1) / (self.df.get(term, 0) + 1)) + 1.0
        return v

    def _vec(self, text: str | Counter[str]) -> tuple[dict[str, float], float]:
        """Sublinear tf times idf, with its norm; cached for strings."""
        if isinstance(text, str):
            hit = self._vectors.get(text)
            if hit is not None:
                return hit
        tf = terms(text) if isinstance(text, str) else text
        out = self._weigh(tf.items())
        if isinstance(text, str):
            if len(self._vectors) > 50_000:
                self._vectors.clear()
            self._vectors[text] = out
        return out

    def _weigh(self, counts: Iterable[tuple[str, int]]) -> tuple[dict[str, float], float]:
        """The vector and norm of ``(term, count)`` pairs, in their order; counts <= 0 are left out."""
        cache, df, n1, log = self._idf, self.df, self.n + 1, math.log
        vec: dict[str, float] = {}
        norm2 = 0.0
        for t, c in counts:  # the hot loop of the pipeline: inlined idf, no log for single counts
            if c <= 0:
                continue
            w = cache.get(t)
            if w is None:
                w = cache[t] = log(n1 / (df.get(t, 0) + 1)) + 1.0
            if c > 1:
                w *= 1.0 + log(c)
            vec[t] = w
            norm2 += w * w
        return vec, math.sqrt(norm2)

    def weighted(self, text: str | Counter[str]) -> tuple[dict[str, float], float]:
        """The weighted vector and its norm, for callers that compare one text with many others."""
        return self._vec(text)

    def weighted_without(self, total: Counter[str], part: Mapping[str, int]) -> tuple[dict[str, float], float]:
        """``weighted(total - part)`` for non-negative counts, without building the difference Counter
        (one pass over ``total`` instead of two): the same terms in the same order, so the same figures."""
        get = part.get
        return self._weigh((t, c - get(t, 0)) for t, c in total.items())

    def cos_floor_without(
        self, u: tuple[dict[str, float], float], total: Counter[str], part: Mapping[str, int], total_norm: float
    ) -> float:
        """A lower bound of ``cos(u, weighted_without(total, part))`` read from ``u``'s terms alone.

        The numerator is the same dot product (only ``u``'s terms share in it), weighed from the same
        remaining counts. The norm of what remains is at most ``total_norm``, the norm of ``weighted(total)``:
        every remaining count is at most its whole count and weights grow with counts. The result is then
        lowered by a billionth, far more than the rounding of summing the same products in another order.
        Cheap where the exact figure would weigh all of ``total``: a caller that only needs to know that the
        cosine is large enough is mostly answered here."""
        vec, norm = u
        if not norm or not total_norm:
            return 0.0
        get_total, get_part = total.get, part.get
        left, _ = self._weigh((t, get_total(t, 0) - get_part(t, 0)) for t in vec)
        return dot(vec, left) / (norm * total_norm) * (1.0 - 1e-9)

    @staticmethod
    def cos(a: tuple[dict[str, float], float], b: tuple[dict[str, float], float]) -> float:
        """Cosine of two :meth:`weighted` vectors."""
        (u, nu), (v, nv) = a, b
        if not nu or not nv:
            return 0.0
        return dot(u, v) / (nu * nv)

    def similarity(self, a: str | Counter[str], b: str | Counter[str]) -> float:
        """Cosine of the IDF-weighted term vectors (0 when either side has no terms)."""
        (u, nu), (v, nv) = self._vec(a), self._vec(b)
        if not nu or not nv:
            return 0.0
        return dot(u, v) / (nu * nv)

    def linear(self, text: str) -> dict[str, float]:
        """Linear tf times idf: vectors that can be summed, for the cohesion of text spans."""
        idf = self.idf
        return {t: c * idf(t) for t, c in terms(text).items()}

    def coverage(self, short: str, long: str | Counter[str]) -> float:
        """Share of ``short``'s IDF-weighted terms that occur in ``long``: "does this body talk about
        this headline". Asymmetric on purpose: a headline is a handful of terms, its body hundreds."""
        s = terms(short)
        if not s:
            return 0.0
        lt = _TermsIn(long) if isinstance(long, str) else long
        idf = self.idf
        weight = [idf(t) for t in s]
        total = sum(weight)
        return sum(w for t, w in zip(s, weight, strict=True) if t in lt) / total


def clear_caches() -> None:
    """Drop the per-text caches (term vectors, bracket balance, fragment starts).

    They pay off within an edition, where the same blocks are compared many times, and not across
    editions; clearing them after each edition keeps a long batch run's memory flat."""
    terms.cache_clear()
    _term_sequence.cache_clear()
    _stray_closers.cache_clear()
    _needed_closers.cache_clear()
    unbalanced.cache_clear()
    starts_open.cache_clear()
    opens_paragraph.cache_clear()


def dot(u: Mapping[str, float], v: Mapping[str, float]) -> float:
    """Dot product of two sparse vectors, summed in the order of the shorter one.

    Only the shared terms are multiplied: the others would add exact zeros, which change no bit of the
    sum, so this equals the plain sum over every term of the shorter vector, at a fraction of the cost."""
    if len(u) > len(v):
        u, v = v, u
    return sum([w * v[t] for t, w in u.items() if t in v])


#: Closers of quotations, which may run on through a middle piece (:func:`_quote_features`); titles and
#: brackets may not.
_QUOTE_CLOSERS = "”’"


def _quote_features(needs: Sequence[str], stray_b: Sequence[str], b_open: bool,
                    a_bare: bool) -> tuple[float, float]:
    """(balance, conflict): do the quotes/brackets left open by ``a`` close in ``b``? ``needs`` are the
    closers ``a`` leaves wanted (:func:`_needed_closers`), ``stray_b`` the stray closers of ``b``,
    ``b_open`` whether ``b`` itself ends open (broken off in turn), ``a_bare`` whether ``a`` is body text
    with no quote or bracket at all that does not open a paragraph (it may sit inside a quotation).

    ``balance`` is 1 when ``a`` leaves an opener open and ``b`` has a matching stray closer; ``conflict``
    is 1 when one side needs the other but the other does not fit: ``a`` leaves ``《`` open and ``b`` never
    closes it, or ``b`` starts with a stray closer that ``a`` did not open. A quotation (``“`` or ``‘``)
    may run on through a middle piece that is itself broken off, to close in the piece after it
    (``形成“全省…金融`` / ``3条线+各省市总工会+…、`` / ``14家省共建企业”``): that is no conflict. Titles and
    brackets are short and stay a conflict. Composed tune pages: JSON articles_exact easy 0.984 -> 0.986,
    medium 0.971 -> 0.974 (join F1 0.983 -> 0.991), hard 0.944 -> 0.945; hard text 0.445 -> 0.444.
    The same holds the other way round: the middle piece, if ``a_bare``, may go on into a ``b`` that
    closes the quotation with a stray ``”``; without this the first piece's open quotation took ``b``
    and left the middle piece out of the chain. Medium text tune pages: join F1 0.971 -> 0.975,
    articles_exact 0.902 -> 0.904; waiving it for headlines too (short, never inside a quotation) cost
    hard text two articles, where a subhead took a paragraph closing a quotation.
    """
    balance = 1.0 if needs and any(c in stray_b for c in needs) else 0.0
    conflict = 0.0
    if needs and not balance and not (b_open and not stray_b and all(c in _QUOTE_CLOSERS for c in needs)) \
            or stray_b and not needs and not (a_bare and all(c in _QUOTE_CLOSERS for c in stray_b)):
        conflict = 1.0
    return balance, conflict


@lru_cache(maxsize=8192)
def _needed_closers(text: str) -> list[str]:
    """The closers that would balance the openers ``text`` leaves open, in order (cached per block;
    callers must not modify the list)."""
    return [OPENERS[o] for o in unbalanced(text)[0]]


@lru_cache(maxsize=8192)
def _stray_closers(text: str) -> tuple[str, ...]:
    """The closers in ``text`` that no earlier opener is waiting for, in order (cached per block)."""
    stack: list[str] = []
    stray: list[str] = []
    for ch in BRACKETS.findall(text):
        if ch in OPENERS:
            stack.append(ch)
        elif ch in OPENER_OF:
            if stack and stack[-1] == OPENER_OF[ch]:
                stack.pop()
            elif not stack:
                stray.append(ch)
    return tuple(stray)


def cheap_evidence(f: Mapping[str, float], a: Tag) -> bool:
    """Has the pair any evidence that could lift it over the threshold? Without a bridged word, a
    closed quote, a fragment start, adjacency or Latin cues, bias and distance alone keep every score
    under 0.1, so such pairs are not scored further (most pairs of a page are of this kind). An end
    broken at a clause mark is the exception: it must go on somewhere, so every block that does not
    open a paragraph is scored for it (content may then carry the pair over the rescue threshold).

    :meth:`_StartCues.partners` makes the same decision for a whole page without building feature dicts;
    a change here must be made there too (``tests/test_score.py`` checks that the two agree)."""
    return bool(f["word_bridge"] or f["quote_balance"] or f["start_fragment"] or f["adjacent"] or a.latin
                or f["b_continues_line"]
                or (not f["b_opens_paragraph"] and _ends_clause(a.body_text)))


def _ends_clause(text: str) -> bool:
    """Does ``text`` stop on a mark after which no sentence can stop (``_CLAUSE_END``): certainly cut."""
    return text.rstrip()[-1:] in _CLAUSE_END


def _ends_cut(a: Tag) -> bool:
    """Does body text ``a`` stop on a Chinese character, with no mark after it? No sentence ends so: the
    column cut it (``…引导职工依法`` / ``维护自身权益…``), even when no word runs across the cut."""
    return a.kind is not Kind.HEADLINE and not a.latin and bool(cjk_tail(a.body_text, 1))


def join_features(a: Tag, b: Tag, vocab: Vocabulary, config: Config, *,
                  n_blocks: int, flow: Mapping[str, tuple[str, str]] | None = None) -> dict[str, float] | None:
    """Named evidence that ``b`` continues the paragraph ``a`` broke off (see module docstring); ``None``
    when the pair has no evidence at all (see :func:`cheap_evidence`)."""
    start, end = _StartCues(a, config.bridge_window, flow), _EndCues(b, config.bridge_window)
    f = _cue_features(start, end)
    if not cheap_evidence(f, a):
        return None
    return _scored_features(f, start, end, vocab, n_blocks)


def _cue_features(a: _StartCues, b: _EndCues) -> dict[str, float]:
    """The features of a pair that its two blocks' cues give directly, :func:`cheap_evidence`'s among them.

    Every per-block reading (word edges, brackets, fragment and paragraph starts, line geometry) was taken
    once per block by the cues; what is left per pair is comparing them."""
    same_page = a.page == b.page
    balance, conflict = _quote_features(a.needs, b.stray, b.tag.open_end, a.bare)
    f = {
        # bridge_gain's value: 0.0 without a CJK tail (or for Latin text) and a CJK head
        "word_bridge": min(edge_gain(a.tail, b.head), 10.0) / 5.0 if a.tail and b.head else 0.0,
        "quote_balance": balance,
        "quote_conflict": conflict,
        "start_fragment": b.fragment,
    }
    if a.successor is not None:
        # With geometry, "adjacent" means what a column break is: the bottom of one column followed by
        # the top of the next. Of 4,255 same-page gold joins on 240 composed medium/hard JSON editions,
        # 4,243 are such steps, none is a step down inside a column (a new block there is a new
        # paragraph) and none a step from the last column of a band into the next band (a new region;
        # on BnL 1858 the one such candidate ran a news column into the feuilleton under the line).
        f["adjacent"] = 1.0 if a.column_next == b.id else 0.0
        # A continuation somewhere else than the next block in the flow goes against the layout: rare on
        # composed pages, and on the BnL pages every such candidate was a table or an advert.
        f["off_flow"] = 1.0 if same_page and a.successor != b.id else 0.0
    else:
        f["adjacent"] = 1.0 if same_page and b.index == a.index + 1 else 0.0
    # A full-stop end's partners start flush on a full line, on a page that indents its paragraphs: the
    # layout says they go on with a paragraph, whatever their first words (``据悉，`` opens a sentence as
    # well as a paragraph). Composed medium text tune join F1 0.9837 -> 0.9853, medium JSON 0.9953 ->
    # 0.9974, articles_exact unchanged.
    f["b_opens_paragraph"] = 1.0 if b.opens and not a.closed else 0.0
    # Continuations right before their start in the dump are rare (two consecutive blocks swapped).
    f["b_right_before"] = 1.0 if same_page and b.index == a.index - 1 else 0.0
    f["b_continues_line"] = 1.0 if b.first_full else 0.0
    f["b_indented"] = 1.0 if b.indented else 0.0
    f["a_fills_column"] = 1.0 if a.last_full else 0.0
    return f


def _scored_features(
    f: dict[str, float], a: _StartCues, b: _EndCues, vocab: Vocabulary, n_blocks: int
) -> dict[str, float]:
    """:func:`_cue_features` ``f`` completed for a pair that has evidence: distance, content similarity,
    Latin cues and the headline proofs (``f`` is extended and returned)."""
    f["distance"] = min(abs(b.index - a.index) / max(n_blocks, 1), 1.0) if a.page == b.page else 1.0
    f["content"] = min(vocab.similarity(a.text, b.text) * 2.0, 1.0)
    f["latin_hyphen"] = 1.0 if a.hyphen and b.lower else 0.0
    f["latin_lower"] = 1.0 if a.latin and b.lower else 0.0
    # A headline-like block is a broken paragraph only when its continuation proves it (a stray
    # closer, a leading comma); otherwise headlines would join whatever follows them.
    # Right after it, any bridged word or a short first clause is proof enough (composed pages and seed
    # variants: of 26 such headline-like pieces with a bridge to the next block, all were cut; of 1,038
    # with a bridge to a block elsewhere, none).
    # Not for the block right under a kicker that leads into it with a dash: that is its headline, and a
    # fragment set down under it (``，在工会、司法…``) is another paragraph's tail.
    proven = f["quote_balance"] > 0 or f["word_bridge"] >= 0.6 or f["adjacent"] > 0 and not a.kicked and (
        f["start_fragment"] >= START_SHORT_CLAUSE or f["word_bridge"] > 0)
    f["a_headline"] = 1.0 if a.headline and not proven else 0.0
    f["a_clause_end"] = 1.0 if a.clause_end else 0.0
    # No weight of its own (the score is the pair's evidence); it lets the rescue pass take the best
    # free continuation of an end that was certainly cut (see choose_joins).
    f["a_cut"] = 1.0 if a.cut else 0.0
    f["a_closed"] = 1.0 if a.closed else 0.0
    # Likewise a headline-like continuation needs proof: a word bridged across the cut or a stray closer.
    f["b_headline"] = 1.0 if b.headline and not proven else 0.0
    return f


def combine(features: Mapping[str, float], config: Config) -> float:
    """The logistic score of a feature set under the configured weights."""
    w = config.join_weights
    z = w.get("bias", 0.0) + sum(map(mul, map(w.get, features, repeat(0.0)), features.values()))
    return 1.0 / (1.0 + math.exp(-z))


def is_join_start(tag: Tag) -> bool:
    """A block that may have been broken off: body (or short headline-like) text not ending a sentence,
    and not ending in a jump-out marker (that continuation is on another page, see :mod:`.link`)."""
    if tag.kind is Kind.BODY:
        return tag.open_end and jump_direction(tag) is not JumpDirection.OUT
    return tag.kind is Kind.HEADLINE and not tag.latin and bool(tag.text) and tag.text[-1] not in "—"


def _closed_full(tag: Tag) -> bool:
    """A body block that ends a sentence on a line filling the column, on a page that indents its
    paragraphs (checked by the caller): the column may have cut the paragraph right after a full stop
    (``…医疗义诊服务。`` / ``义诊现场，前来…``), and then a block elsewhere starts flush with a full first
    line. Its candidates are only such blocks (:meth:`_StartCues.partners`), its joins carry
    ``a_closed`` and are chosen after every other (:func:`_accepted`). Composed medium text tune pages
    200-399: 56 gold joins broke at a full stop and were missed; 34 of the 50 adjacent pairs of this kind
    are gold joins. With this (and full stops hung past the column, ``classify._HANGING``): medium text
    join F1 0.9782 -> 0.9808, medium JSON 0.9907 -> 0.9936, articles_exact unchanged on every level;
    ``corpus/zh/editions`` join recall 0.960 -> 0.974; seed variants unchanged."""
    return tag.kind is Kind.BODY and not tag.open_end and tag.last_full \
        and jump_direction(tag) is not JumpDirection.OUT


def is_join_end(tag: Tag) -> bool:
    """A block that may continue another: body text that does not open with a dateline lead, or a short
    headline-like piece (the tail of a cut paragraph can look like one; see ``b_headline``)."""
    if tag.kind is Kind.HEADLINE:
        return not tag.latin
    return tag.kind is Kind.BODY and tag.lead is None and not (tag.marker and tag.marker.start == 0)


class _EndCues:
    """What the features of a pair read of its continuation candidate ``b``, read once per page.

    Most pairs of a page have no evidence at all; :meth:`_StartCues.partners` tells them apart from these
    cues without building the pair's feature dict, and :func:`_cue_features` compares them with the start's
    for the pairs that do."""

    __slots__ = (
        "tag",
        "id",
        "index",
        "page",
        "text",
        "head",
        "stray",
        "fragment",
        "opens",
        "first_full",
        "indented",
        "headline",
        "lower",
        "always",
    )

    def __init__(self, b: Tag, window: int) -> None:
        tb = b.body_text
        self.tag, self.id, self.index, self.page, self.text = b, b.id, b.block.index, b.block.page, tb
        self.head, self.stray = cjk_head(tb, window), _stray_closers(tb)
        self.fragment, self.opens = starts_open(tb), opens_paragraph(tb)
        self.first_full, self.indented = b.first_full, b.indented
        self.headline, self.lower = b.kind is Kind.HEADLINE, tb[:1].islower()
        # ``start_fragment`` and ``b_continues_line`` depend on b alone: either lets every pair through.
        self.always = bool(self.fragment) or b.first_full


class _StartCues:
    """The broken end ``a``'s side of a pair: its CJK tail (word bridge), the closers it needs (quote
    balance), its Latin flag, its successor in the layout flow (adjacency) and its own flags."""

    __slots__ = (
        "id",
        "index",
        "page",
        "text",
        "latin",
        "tail",
        "needs",
        "successor",
        "column_next",
        "last_full",
        "hyphen",
        "headline",
        "clause_end",
        "cut",
        "bare",
        "closed",
        "kicked",
    )

    def __init__(self, a: Tag, window: int, flow: Mapping[str, tuple[str, str]] | None,
                 closed: bool = False) -> None:
        ta = a.body_text
        self.id, self.index, self.page, self.text, self.latin = a.id, a.block.index, a.block.page, ta, a.latin
        self.tail, self.needs = "" if a.latin else cjk_tail(ta, window), _needed_closers(ta)
        # a middle piece that may sit inside a quotation opened in the piece before it (_quote_features)
        self.bare = not BRACKETS.search(ta) and a.kind is not Kind.HEADLINE and not opens_paragraph(ta)
        #: The next block in the layout flow ("" at its end) and that block when the step is a column
        #: break, else None; both None without layout.
        self.successor: str | None = None
        self.column_next: str | None = None
        if flow:
            self.successor, step = flow.get(a.id, ("", ""))
            self.column_next = self.successor if step == "column" else None
        stripped = ta.rstrip()
        self.last_full, self.hyphen = a.last_full, a.latin and stripped.endswith("-")
        self.headline, self.clause_end = a.kind is Kind.HEADLINE, _ends_clause(ta)
        self.cut = _ends_cut(a)
        #: A paragraph end that may still go on (:func:`_closed_full`); given by :func:`score_joins` only.
        self.closed = closed
        #: A headline-like block right under a kicker ending in a dash (set by :func:`score_joins`).
        self.kicked = False

    def partners(self, ends: Sequence[_EndCues]) -> list[_EndCues]:
        """The ends ``b`` other than ``a`` itself with ``join_features(a, b, ...) is not None``, decided
        exactly from the cues: the same tests as :func:`cheap_evidence` on the same values
        (``word_bridge`` is non-zero exactly when :func:`~reassemble.lexicon.bridge_gain` is, which needs
        a CJK tail, a CJK head and a positive edge gain), cheapest first, in one loop over the page. A
        start that ended a sentence (``closed``, set by :func:`score_joins` only) pairs with nothing but
        blocks whose first line fills the column flush (:func:`_closed_full`)."""
        a_id = self.id
        if self.latin:
            return [b for b in ends if b.id != a_id]
        if self.closed:
            ends = [b for b in ends if b.first_full and not b.indented]
        page, after, needs, tail = self.page, self.index + 1, self.needs, self.tail
        flowing, column_next = self.successor is not None, self.column_next
        # An end broken off at a clause mark may go on in any block that does not open a paragraph: the
        # pair's score then rests on what else it has (content, distance), and the rescue pass reads it.
        # (Ends stopping on a character, far more of them, doubled the pairs scored per page: 17 % slower
        # for +0.0005 articles_exact on composed medium text tune pages.)
        clause_end = self.clause_end
        out: list[_EndCues] = []
        for b in ends:
            if b.id == a_id:
                continue
            if (
                b.always
                or (column_next == b.id if flowing else b.page == page and b.index == after)
                or (needs and any(c in b.stray for c in needs))
                or (tail and b.head and edge_gain(tail, b.head))
                or (clause_end and not b.opens)
            ):
                out.append(b)
        return out


#: Edge gain (see :func:`~reassemble.lexicon.edge_gain`) of a word bridged across a cut that proves the
#: cut: the value at which ``word_bridge`` reaches 0.6, the proof a headline-like block's join needs.
PROOF_GAIN = 3.0


def _continuing_heads(starts: Sequence[_StartCues], ends: Sequence[_EndCues], after_body: set[str]) -> set[str]:
    """Headline-like blocks that are in fact pieces of a paragraph, so that, as broken ends, they need no
    headline's proof to be joined:

    * those whose first characters finish a word that a body block's last ones begin (``…企业发`` /
      ``挥企业培养高技能``): a column's first line cut off from the rest of its paragraph;
    * those that stand between a body block (``after_body``: the block before them) and a body block
      that starts mid-sentence (``starts_open`` at least ``HEAD_FOLLOWER_FRAGMENT``: a particle such as
      ``的``, a clause mark, a stray closer, a short first clause, a dictionary noun before a comma): a
      paragraph's first line cut off at a column foot (``…各竞赛项目取得前10名`` / ``的职工选手…``). No
      story's body starts that way under its headline. Composed medium text tune pages: articles_exact
      0.904 -> 0.905, join F1 0.975 -> 0.976; from 0.9 up (without particles and nouns) nothing changed.
      Without the body block before, a real headline under its kicker lost its role to another story's
      displaced fragment (seed variant 730).
    """
    tails = [s.tail for s in starts if not s.headline and s.tail]
    heads = {e.id for e in ends if e.headline and e.head
             and any(edge_gain(tail, e.head) >= PROOF_GAIN for tail in tails)}
    fragment_at = {(e.page, e.index) for e in ends if not e.headline and e.fragment >= HEAD_FOLLOWER_FRAGMENT}
    return heads | {s.id for s in starts
                    if s.headline and s.id in after_body and (s.page, s.index + 1) in fragment_at}


#: ``starts_open`` evidence from which the block right after a headline-like block makes that block a
#: paragraph's piece (:func:`_continuing_heads`): a particle start (0.8) and stronger.
HEAD_FOLLOWER_FRAGMENT = 0.8


class _Scored(NamedTuple):
    """A scored candidate join of :func:`score_joins`, before it is kept (as a :class:`Join`) or dropped."""

    score: float
    a: str
    b: str
    features: dict[str, float]


class _Candidate(Protocol):
    """What :func:`_accepted` reads of a candidate: a :class:`Join` or a :class:`_Scored`."""

    @property
    def score(self) -> float: ...
    @property
    def a(self) -> str: ...
    @property
    def b(self) -> str: ...
    @property
    def features(self) -> Mapping[str, float]: ...


_C = TypeVar("_C", bound=_Candidate)


def score_joins(tags: Sequence[Tag], vocab: Vocabulary, config: Config,
                flow: Mapping[str, tuple[str, str]] | None = None) -> list[Join]:
    """Score every candidate pair on a page, then choose joins one-to-one, best first.

    Returns accepted joins and, for ``--explain``, the rejected candidates of each broken end (with
    ``accepted=False``). A join that would close a cycle (a chain of continuations leading back to its
    start) is never accepted.
    """
    # The block right before a jump-out line goes on on another page, and the block right after a
    # jump-in line continues text from another page: the link stage joins both, not this one.
    before_jump_out = {tags[i - 1].id for i in range(1, len(tags))
                       if tags[i].kind is Kind.JUMP and jump_direction(tags[i]) is JumpDirection.OUT}
    closing = indents_paragraphs(tags)
    flagged: list[tuple[Tag, bool]] = []  # (start, closed): a broken end, or a sentence end (_closed_full)
    for t in tags:
        if t.id in before_jump_out:
            continue
        if is_join_start(t):
            flagged.append((t, False))
        elif closing and _closed_full(t):
            flagged.append((t, True))
    after_jump_in = {tags[i].id for i in range(1, len(tags))
                     if tags[i - 1].kind is Kind.JUMP and jump_direction(tags[i - 1]) is JumpDirection.IN}
    ends = [t for t in tags if is_join_end(t) and t.id not in after_jump_in]
    n = len(tags)
    window = config.pair_window
    cands: list[_Scored] = []
    ends_seen = [_EndCues(b, config.bridge_window) for b in ends]
    start_cues = [_StartCues(a, config.bridge_window, flow, closed) for a, closed in flagged]
    after_body = {tags[i].id for i in range(1, n) if tags[i - 1].kind is Kind.BODY
                  and tags[i - 1].block.page == tags[i].block.page}
    continuing = _continuing_heads(start_cues, ends_seen, after_body)
    kicked = {tags[i].id for i in range(1, n) if tags[i - 1].kind is Kind.HEADLINE
              and leads_in(tags[i - 1].text)}
    for start in start_cues:
        start.kicked = start.id in kicked
        if start.id in continuing:
            start.headline = False  # a paragraph's piece, not a headline (see _continuing_heads)
        # The partners are exactly the pairs cheap_evidence lets through: their features are not tested again.
        for end in start.partners(ends_seen):
            # On very long pages only nearby pairs and continuations that start mid-sentence are scored,
            # which keeps the pair loop linear in practice; real pages never reach the window.
            if n > window and abs(end.index - start.index) > window // 2 and not starts_open(end.tag.text):
                continue
            f = _scored_features(_cue_features(start, end), start, end, vocab, n)
            cands.append(_Scored(round(combine(f, config), 4), start.id, end.id, f))
    accepted = _accepted(cands, config.join_threshold, config.rescue_threshold)
    # Keep, per broken end, the accepted join and the best few rejected candidates (for --explain).
    kept: list[Join] = []
    per_a: dict[str, int] = {}
    for k, j in enumerate(cands):
        per_a[j.a] = per_a.get(j.a, 0) + 1
        if k in accepted or per_a[j.a] <= 5:
            features = {key: v if v in _ROUND_FREE else round(v, 4) for key, v in j.features.items()}
            kept.append(Join(a=j.a, b=j.b, score=j.score, features=features, accepted=k in accepted))
    return kept


def choose_joins(cands: list[Join], threshold: float, rescue: float | None = None) -> list[Join]:
    """One-to-one greedy assignment over candidates sorted by score (ties by ids, for determinism).

    With ``rescue``, a second pass lets a block that *certainly* starts mid-sentence (a leading comma or
    stray closer) or a block that *certainly* stops mid-clause (a trailing comma) take its best candidate
    that is still free when that scores at least ``rescue``: such a block must continue, or be continued
    by, something, and the best free partner is the best guess with a score to show for it. A block that
    stops on a Chinese character (``a_cut``) was certainly cut too; it takes its best free candidate that
    does not open a paragraph (the block after it in the dump often does, and then the paragraph went on
    elsewhere). Composed tune pages: hard text join F1 0.811 -> 0.820, articles_exact 0.447 -> 0.449;
    medium text unchanged (0.906 / 0.976); real editions articles_exact 0.978 -> 1.000; with paragraph
    openers allowed, seed-page variants' join F1 fell 0.964 -> 0.961 (six openers taken).
    """
    accepted = _accepted(cands, threshold, rescue)
    return [
        Join(a=j.a, b=j.b, score=j.score, features=j.features, accepted=n in accepted, cross_page=j.cross_page)
        for n, j in enumerate(cands)
    ]


def _accepted(cands: list[_C], threshold: float, rescue: float | None) -> set[int]:
    """:func:`choose_joins` without building its result: sorts ``cands`` in place and returns the
    positions of the accepted ones (:func:`score_joins` builds only the joins it keeps, from plain
    :class:`_Scored` tuples)."""
    cands.sort(key=lambda j: (-j.score, j.a, j.b))
    used_a: set[str] = set()
    used_b: set[str] = set()
    nxt: dict[str, str] = {}
    accepted: set[int] = set()

    def free(j: _C) -> bool:  # both ends still unjoined, and no cycle closed
        return j.a not in used_a and j.b not in used_b and not _cycle(nxt, j.a, j.b)

    def take(n: int, j: _C) -> None:
        used_a.add(j.a)
        used_b.add(j.b)
        nxt[j.a] = j.b
        accepted.add(n)

    # Ends that stopped on a full stop (``a_closed``) choose last: a continuation that a broken end wants,
    # even with a lower score, is that end's (hard text tune pages: 11 of 13 such joins chosen in score
    # order took another end's continuation).
    late = [bool(j.features.get("a_closed")) for j in cands]

    def greedy(closed: bool) -> None:
        for n, j in enumerate(cands):
            if late[n] is closed and j.score >= threshold and free(j):
                take(n, j)

    greedy(closed=False)
    if rescue is not None:
        for n, j in enumerate(cands):
            certain = j.features.get("start_fragment", 0.0) >= 1.0 or j.features.get("a_clause_end", 0.0) > 0 or (
                j.features.get("a_cut", 0.0) > 0 and not j.features.get("b_opens_paragraph"))
            if certain and j.score >= rescue and free(j):
                take(n, j)
    greedy(closed=True)
    return accepted


def _cycle(nxt: dict[str, str], a: str, b: str) -> bool:
    cur: str | None = b
    seen = 0
    while cur is not None and seen < 10000:
        if cur == a:
            return True
        cur = nxt.get(cur)
        seen += 1
    return False
