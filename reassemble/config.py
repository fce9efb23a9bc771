"""The one immutable configuration object.

Every constant the pipeline uses lives here with the reason for its value. Values were chosen by running
``reassemble eval`` on the corpus (``corpus/``: the real seed page, its variants and composed editions);
``benchmarks/accuracy.py`` reruns that measurement. Change a value only with a new measurement.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from types import MappingProxyType
from typing import Any


def _weights(**kw: float) -> MappingProxyType[str, float]:
    return MappingProxyType(dict(kw))


@dataclass(frozen=True)
class Config:
    """Settings of one run. Create with keyword arguments; derive variants with :meth:`with_`."""

    #: Turn half-width ``, ; : ? ! ( )`` next to Chinese text into full-width in the output. Chinese papers
    #: print full-width marks; extractors often emit half-width ones.
    fullwidth_punct: bool = True

    #: A block longer than this (non-space characters) is never a headline, kicker or subhead. The longest
    #: kicker on the seed page is 40 characters; body paragraphs, even cut ones, are rarely this short.
    headline_max_chars: int = 48
    #: Latin-script headlines are measured in words instead.
    headline_max_words: int = 16
    #: Ratio of the first to the second line's length above which a two-line headline block is read as a
    #: kicker line plus a headline line: a kicker is set smaller, so more characters fit on its line,
    #: while a wrapped headline has lines of about equal length (seed: 11/12 wrapped, 22/13 kicker).
    #: A line break inside a word or after a function word (和, 的) always means a wrapped line.
    kicker_line_ratio: float = 1.4
    #: A single headline-like block between body paragraphs, with no dateline after it, is an in-body
    #: subhead up to this many characters and an article's headline beyond (corpus: subheads 4-8,
    #: such headlines 14-19).
    subhead_max_chars: int = 11
    #: Two adjacent headline-like blocks may belong to one headline group only when their content
    #: similarity (cosine of IDF-weighted character bigrams) is at least this; each block then joins the
    #: neighbour it is more similar to. One shared content bigram between two short headlines gives
    #: about 0.05 on the seed page; unrelated neighbouring headlines give 0.0.
    group_similarity: float = 0.03
    #: Two neighbouring headline-like blocks whose terms the following story covers at least this much
    #: each belong to one head (a kicker drawn from the story shares no words with its headline). Swept
    #: 0.5/0.3/0.2 on composed easy and medium pages: headline accuracy 0.867/0.896/0.904 (easy).
    follow_coverage: float = 0.2
    #: ...unless the lower of the two is paired more closely with the block under it (and shares less
    #: than ``head_split_similarity`` with the upper): then the upper must be covered at least this much,
    #: as a kicker lifted from the story is, not just share a word or two with it as another story's
    #: headline stacked over this head does. Composed text tune pages, articles_exact: medium 0.9230 ->
    #: 0.9268 (0.3: 0.9260, 0.5: 0.9268), hard 0.4554 -> 0.4568 (0.5: 0.4560); without the coverage
    #: rule in that position at all, easy fell 0.9804 -> 0.9787.
    follow_coverage_paired: float = 0.4
    #: ...but two neighbouring headline-like blocks whose similarity is below this (one shared bigram
    #: gives 0.03-0.05) are two heads when the story after them covers one at least 0.5 and the other less
    #: than ``follow_coverage`` (seed variant: 西部... / 安徽... share only 建设).
    head_split_similarity: float = 0.1
    #: A body-less head whose neighbour in its cluster got a body whose start covers this share of its
    #: terms is part of that head (a subheadline drawn from further down the story), not a headline
    #: that takes another story's tail. One shared bigram between a head and a story's start gives about
    #: 0.1. Composed text tune pages, articles_exact medium / easy / hard: 0.1 0.9411/0.9930/0.4739,
    #: 0.2 0.9408/0.9930/0.4734, 0.4 0.9371/0.9911/0.4732, 0.7 0.9368/0.9905/0.4720 (before: 0.9325/
    #: 0.9905/0.4713); 0.2 keeps clear of the single shared bigram. JSON, seed-page variants unchanged.
    mate_coverage: float = 0.2
    #: A block at the boundary of two neighbouring heads of one cluster moves to the other head when the
    #: start of the other head's story covers it at least ``follow_coverage_paired`` and its own story's
    #: start less than this share of that. Composed text tune pages, articles_exact medium / hard:
    #: 0.3 0.9420/0.4753, 0.5 0.9424/0.4759, 0.7 the same as 0.5 (a generic pair of words such as
    #: ``会议决定`` is covered about 0.3 by an unrelated story); JSON and seed-page variants unchanged.
    reseat_cross: float = 0.5
    #: A body-less head of two parts that share less than ``head_split_similarity`` is two heads when two
    #: headless stories each cover one part (at least ``attach_similarity``, and more than any other
    #: body-less head does) and cover the other part less than this share of that. Seed-page variants
    #: 500-619: articles_exact 0.935 -> 0.937 at 0.3 or 0.5; at 0.5 composed hard text loses 0.002.
    head_split_cross: float = 0.3
    #: Join score weights (logistic model over the features in :mod:`reassemble.score`). Hand-set, then
    #: swept on the tune range of composed medium pages and on random re-orderings of the seed page
    #: (``adjacent`` 2.0-2.6, ``b_continues_line`` 0.6-1.2, re-home margin 0.05-0.2; the chosen values
    #: maximised articles_exact on both): a bridged word or a closed quote alone is enough, adjacency
    #: alone is just enough, a paragraph opener or an indent after the cut vetoes.
    join_weights: MappingProxyType[str, float] = field(default_factory=lambda: _weights(
        bias=-2.2,
        word_bridge=2.6,
        quote_balance=2.4,
        quote_conflict=-3.0,
        start_fragment=2.2,
        adjacent=2.3,
        a_clause_end=0.8,
        b_continues_line=0.6,
        b_indented=-1.5,
        b_opens_paragraph=-2.0,
        b_right_before=-1.5,
        a_fills_column=0.6,
        distance=-0.6,
        content=2.0,
        latin_hyphen=3.0,
        latin_lower=2.0,
        a_headline=-2.5,
        b_headline=-2.5,
        b_run_start=0.6,
        off_flow=-2.5,
        # An end at a full stop (score._closed_full) joins only with adjacency, a flush full first line
        # after it and its own full last line: those just reach the threshold (1.0 gave the same tune
        # figures; weaker pairs then needed content to pass).
        a_closed=-1.25,
    ))
    #: Pages with more blocks than this score only pairs within half this distance in the dump (plus
    #: continuations that start mid-sentence). The largest real page in the corpus has 69 blocks.
    pair_window: int = 400
    #: With geometry, a block whose heading score (reassemble.layout) is at least this is headline-like,
    #: and a multi-line block scoring at most ``heading_no`` is not. BnL 1858: every gold headline scores
    #: >= 0.75, 35 of 37 body blocks < 0.5; composed pages separate perfectly at 0.5.
    heading_yes: float = 0.6
    heading_no: float = 0.15
    #: Joins scoring below this are left unjoined and flagged (the candidate stays in ``--explain``).
    join_threshold: float = 0.5
    #: A block that certainly starts mid-sentence (leading comma, stray closer; not the 0.9 evidence of a
    #: short first clause or a Latin lower-case start: counted, BnL 1858 B-cubed fell 0.992 -> 0.958,
    #: composed medium text rose only 0.875 -> 0.876) or certainly stops
    #: mid-clause (trailing comma) takes its best free partner when it scores at least this.
    rescue_threshold: float = 0.3
    #: Window (characters each side of a cut) in which a lexicon word bridging the cut is looked for.
    bridge_window: int = 4

    #: An orphan body run is attached to a headline group when their similarity is at least this.
    attach_similarity: float = 0.12
    #: A run's tail is moved to a body-less headline group when splitting raises the donor's mean
    #: leave-one-out cohesion by at least this share (seed page: the true split gains 16.8 %; the only
    #: other candidate with positive head affinity, one paragraph later, 12.5 %).
    split_margin: float = 0.1
    #: A tail goes to a body-less head only when its blocks are, summed, more similar to that head than
    #: to their donor's head by more than this (``assemble._best_tail``). At 0, a story appended to
    #: another, about neither head (0.007), outbid a head's own body (0.24) on cohesion gain. Swept on
    #: seed-page variants 700-819 / composed text tune pages (medium, hard) / 400-599 and 300-399:
    #: 0 0.9367 / 0.9431, 0.4787 / 0.9314, 0.4420; 0.01 and 0.02 0.9392 / 0.9431, 0.4787 / 0.9320,
    #: 0.4429; 0.03 0.9392 / 0.9437, 0.4766; 0.04 0.9392 / 0.9443, 0.4766; 0.05 0.9392 / 0.9439, 0.4773 /
    #: 0.9320, 0.4416; 0.1 0.9392 / 0.9423, 0.4764. Variants 500-619 and easy text unchanged throughout.
    tail_affinity: float = 0.02
    #: A run's position (right under a headline) loses to content when another body-less headline on the
    #: page is covered by its text at least this much better.
    steal_margin: float = 0.15
    #: A run's tail moves to another article when its similarity to that article beats its similarity to
    #: the rest of its own article by at least this (cosine), checked for up to ``rehome_rounds`` moves.
    rehome_margin: float = 0.05
    #: ...and only when the similarity there is at least this many times the similarity at home (a short
    #: continuation under a jump headline has little text to be similar to).
    rehome_ratio: float = 2.0
    rehome_rounds: int = 3
    #: ...and, out of a continuation whose start page is not in the edition (a jump-in line to a page not
    #: read: its start cannot be weighed with it), only at this gain. Swept on seed-page variants 500-619
    #: / 700-819 and composed text tune pages: 0 (the plain margin) 0.9467 / - but medium 0.9431 -> 0.9427
    #: and hard 0.4759 -> 0.4744; 0.07 0.9458 / -, hard 0.4744; 0.1 0.9458 / 0.9275 (from 0.9442 /
    #: 0.9250), composed pages unchanged; 0.15 0.9458 / 0.9250; 0.2 nothing moves.
    rehome_jump_margin: float = 0.1
    #: A run that follows a displaced piece goes to the most similar article when the cosine is at least
    #: this; the article of the run it follows in the dump gets ``follow_bonus`` added.
    follow_similarity: float = 0.05
    #: Also the margin by which a body-less head must cover a follower chain, or the tail of another
    #: article's text, better than that article's head does to claim it (``assemble._claims``; for tails,
    #: 0 measured the same on the tune pages and 0.1 cost composed medium text 0.9429 -> 0.9421).
    follow_bonus: float = 0.05
    #: When at least this share of a page's headed articles open with a dateline lead or a byline block
    #: (the paper's house style), a headed article with neither is taken to have lost its beginning.
    lead_convention_share: float = 0.6
    #: ...and at least this many articles must show the convention.
    lead_convention_min: int = 3

    #: Cross-page links scoring below this are left unlinked and flagged. Matching page numbers on both
    #: jump lines alone give 0.5, so a link needs some textual evidence as well.
    link_threshold: float = 0.55
    #: A link whose best rival for the same jump-out scores within this margin is left unlinked as
    #: ambiguous (two-article test edition: right links 0.87-0.90, best wrong ones 0.58-0.61).
    link_margin: float = 0.1

    def with_(self, **changes: Any) -> Config:
        """A copy with some settings changed (the object itself is immutable)."""
        return replace(self, **changes)


DEFAULT = Config()
