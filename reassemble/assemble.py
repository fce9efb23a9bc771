"""Stage 5, assemble: group a page's blocks into articles and put each article in reading order.

The page is read as a sequence of *units* in dump order:

* **head clusters**: consecutive headline-like blocks, split into the heads of one or more articles by
  content similarity and typographic cues (``——`` after a kicker, the shortest line is the main
  headline), with a following ``阅读提示`` label and summary;
* **photo units**: an optional title, a caption and a credit line (``本报记者 X 摄``);
* **runs**: body blocks that follow each other in the dump and read as one text. A run breaks at a
  dateline lead, a byline block, a jump-in marker, a block that starts mid-sentence after a complete one,
  and at both ends of every accepted join. A single headline-like block inside a run, followed by plain
  body text, is an in-body subhead.

Runs are chained by the joins of :mod:`reassemble.score`. A chain that follows a head in the dump belongs
to it; chains left over go to heads left without a body, by content similarity; a head still without a
body may take the tail of another article's run when that tail is about it (the extractor appended it);
a reading hint left alone goes back to the head it summarises, a byline left alone to the text after it.
Every decision with a score is logged for ``--explain``.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field, replace
from itertools import permutations

from rapidfuzz import fuzz
from rapidfuzz.utils import default_process

from .classify import FUNCTION_END, Kind, Tag, dash_kicker_lines, jump_direction, split_people, starts_open
from .config import Config
from .lexicon import bridge_gain, is_word
from .model import Candidate, Decision, Join, JumpDirection, Role
from .score import Vocabulary, dot, summed_terms
from .textutil import ends_sentence, leads_in


@dataclass
class Head:
    """The headline group of one article: blocks with their roles, in order."""

    parts: list[tuple[Tag, Role]]
    cluster: int
    photo: bool = False

    @property
    def pos(self) -> int:
        return self.parts[0][0].block.index

    @property
    def text(self) -> str:
        return " ".join(t.text for t, r in self.parts if r not in (Role.SUMMARY_LABEL,))

    @property
    def title(self) -> str:
        """The headline proper (kicker and subheadline left out), or the whole head when it has none."""
        own = [t.text for t, r in self.parts if r in (Role.HEADLINE, Role.KICKER_HEADLINE)]
        return " ".join(own) if own else self.text

    @property
    def latin(self) -> bool:
        """Is every block of the head in Latin script (the rules for such heads differ, see _owner)?"""
        return all(t.latin for t, _ in self.parts)


@dataclass
class Run:
    """Blocks that read as one stretch of text, with their roles (body, subhead, byline, jump lines)."""

    items: list[tuple[Tag, Role]] = field(default_factory=list)
    heads: list[Head] = field(default_factory=list)  # heads stacked directly before it in the dump
    split_from: Run | None = None
    after: Run | None = None  # set when it follows a displaced piece: the run it follows in the dump
    prev: Run | None = None  # the run opened before it in the dump
    displaced: bool = False  # it starts with a piece whose broken-off start is elsewhere in the dump

    @property
    def body_tags(self) -> list[Tag]:
        return [t for t, r in self.items if r is Role.BODY]

    @property
    def text(self) -> str:
        return " ".join(t.body_text for t, r in self.items if r in (Role.BODY, Role.SUBHEAD))

    @property
    def first_index(self) -> int:
        return self.items[0][0].block.index


@dataclass
class Draft:
    """An article under construction (mutable; turned into a frozen Article by :mod:`.pipeline`)."""

    head: Head | None
    runs: list[Run]
    kind: str = "article"
    score: float = 1.0
    notes: list[str] = field(default_factory=list)
    continued_from: int | None = None
    continues_to: int | None = None
    linked_prev: Draft | None = None
    linked_next: Draft | None = None

    @property
    def items(self) -> list[tuple[Tag, Role]]:
        out = list(self.head.parts) if self.head else []
        for r in self.runs:
            out.extend(r.items)
        return out

    @property
    def page(self) -> int:
        return self.items[0][0].block.page

    @property
    def order(self) -> int:
        return min(t.block.index for t, _ in self.items)

    @property
    def text(self) -> str:
        return self.text_without([])

    def text_without(self, parts: list[list[tuple[Tag, Role]]]) -> str:
        """The draft's text less the given item lists (for "how much does this tail belong here")."""
        skip = {t.id for items in parts for t, _ in items}
        body = " ".join(t.body_text for r in self.runs for t, role in r.items
                        if role in (Role.BODY, Role.SUBHEAD) and t.id not in skip)
        return (self.head.text + " " if self.head else "") + body


# -- head clusters ------------------------------------------------------------------------------------


def _split_cluster(tags: list[Tag], vocab: Vocabulary, config: Config, cluster: int,
                   decisions: list[Decision], follow: str = "") -> list[Head]:
    """Split consecutive headline-like blocks into the heads of articles and give each block its role.

    ``follow`` is the body text that comes next in the dump: two neighbouring blocks that this text
    covers well (both talk about it) stay together even when they share no words with each other, as a
    kicker or subheadline drawn from the story often does."""
    # Each block leans towards the neighbour it shares more content with; a ``——`` ending or opening
    # ties two blocks outright. Two blocks are in one head when either leans towards the other.
    sims = [vocab.similarity(a.text, b.text) for a, b in zip(tags, tags[1:], strict=False)]
    floor = config.group_similarity

    def cue(i: int) -> bool:
        return _dash_tied(tags[i], tags[i + 1])

    def leans_right(i: int) -> bool:
        return sims[i] >= floor and (i == 0 or sims[i] >= sims[i - 1]) and not (i > 0 and cue(i - 1))

    def leans_left(i: int) -> bool:
        return sims[i - 1] >= floor and (i == len(sims) or sims[i - 1] > sims[i]) \
            and not (i < len(sims) and cue(i))

    # (Latin-script headings are not grouped this way: their short function words match any story.)
    cover = [vocab.coverage(t.text, follow) if follow and not t.latin else 0.0 for t in tags]
    covered = [c >= config.follow_coverage for c in cover]

    def told_apart(i: int) -> bool:
        # The story below is plainly about one of the two and not the other, and the two share no more
        # than a word or so: two headlines of two stories, not one head.
        return sims[i] < config.head_split_similarity and \
            max(cover[i], cover[i + 1]) >= 0.5 and min(cover[i], cover[i + 1]) < config.follow_coverage

    # Two blocks that hardly share a word (below ``head_split_similarity``) where one of them is paired
    # more closely with its other neighbour: another story's headline stacked on this head, unless more
    # than a word or two ties them. Looking up, a block that leans left onto a block already grouped with
    # the one above has only its missing right neighbour to thank for leaning (``安徽…工会驿站建设`` /
    # ``新建驿站超万家 “15分钟服务圈”…`` / ``三类服务阵地推动…``, sharing only ``服务``; composed text tune
    # pages, articles_exact: medium 0.9200 -> 0.9230, hard 0.4542 -> 0.4554). Looking down, the upper
    # block must be covered by the story at least ``follow_coverage_paired`` (see the config).
    def weak(i: int, other: int) -> bool:
        return sims[i] < config.head_split_similarity and 0 <= other < len(sims) and sims[other] > sims[i]

    groups: list[list[Tag]] = [[tags[0]]]
    for i in range(len(sims)):
        taken = len(groups[-1]) > 1 and weak(i, i - 1)
        same = cue(i) or _stacked(tags[i], tags[i + 1]) \
            or ((leans_right(i) or leans_left(i + 1) and not taken) and not told_apart(i)) \
            or (covered[i] and covered[i + 1] and not (weak(i, i + 1) and cover[i] < config.follow_coverage_paired))
        if same and len(groups[-1]) < 3:
            groups[-1].append(tags[i + 1])
        else:
            groups.append([tags[i + 1]])
        decisions.append(Decision("headline-group", f"{tags[i].id}|{tags[i + 1].id}",
                                  "same" if groups[-1][-1] is tags[i + 1] and len(groups[-1]) > 1
                                  else "split", (Candidate("similarity", round(sims[i], 4)),)))
    return [Head(parts=head_roles(g, config), cluster=cluster) for g in groups]


def _dash_tied(upper: Tag, lower: Tag) -> bool:
    """Does a ``——`` end the upper of two head blocks or open the lower (a kicker leading into its
    headline, a subheadline hanging from it)? The dash ties them into one head whatever their words."""
    return leads_in(upper.text) or lower.text.lstrip().startswith("——")


def _stacked(upper: Tag, lower: Tag) -> bool:
    """Are two CJK headline-like blocks set as one head: ``lower`` right under ``upper`` (a gap of at
    most half the smaller one's line height) and both centred on the same axis (centres within a tenth
    of the narrower one's width)? A kicker, headline and subheadline are set so; two stories' headlines
    never touch, since each has its own body under it. False without a bbox (text dumps)."""
    a, b = upper.block.bbox, lower.block.bbox
    if a is None or b is None or upper.latin or lower.latin:
        return False
    line = min(a.height / max(1, len(upper.block.lines)), b.height / max(1, len(lower.block.lines)))
    if not -0.5 * line <= b.top - a.bottom <= 0.5 * line:
        return False
    return abs((a.x0 + a.x1) - (b.x0 + b.x1)) / 2 <= 0.1 * min(a.width, b.width)


def head_roles(group: list[Tag], config: Config) -> list[tuple[Tag, Role]]:
    """Roles inside one head: the main headline is the block in the largest type (font sizes from the
    dump), else the middle of three, else the shortest block (set in the largest type, fewer characters
    fit); blocks before it are kickers, after it subheadlines. ``——`` at the end marks a kicker, at the start a
    subheadline. A lone two-line block is a kicker plus a headline when the first line is much longer; a
    longer one when a line before its last ends in ``——``."""
    if len(group) == 1:
        t = group[0]
        lines = [ln for ln in t.block.lines if ln.strip()]
        if len(lines) == 2 and _kicker_line(lines[0], lines[1], config) or len(lines) > 2 and \
                dash_kicker_lines(lines):
            return [(t, Role.KICKER_HEADLINE)]
        return [(t, Role.HEADLINE)]
    main = None
    for i in range(1, len(group)):
        if leads_in(group[i - 1].text):
            main = i
            break
    sizes = [t.block.font_size for t in group]
    if main is None and all(sizes) and max(s or 0.0 for s in sizes) >= 1.1 * min(s or 0.0 for s in sizes):
        main = max(range(len(group)), key=lambda i: (sizes[i] or 0.0, -i))  # the largest type is the headline
    if main is None and len(group) == 3:
        main = 1  # kicker, headline, subheadline
    if main is None:
        lengths = [len(t.text.replace(" ", "")) for t in group]
        main = min(range(len(group)), key=lambda i: (lengths[i], i))
    roles = []
    for i, t in enumerate(group):
        role = Role.HEADLINE if i == main else (Role.KICKER if i < main else Role.SUBHEADLINE)
        roles.append((t, role))
    return roles


def _first_run_text(tags: Sequence[Tag], j: int, displaced: AbstractSet[str] = frozenset(),
                    limit: int = 6) -> str:
    """Text of the body blocks right after position ``j``, up to the next byline, headline or second
    dateline lead: the story a head cluster introduces, not the one after it. Pieces pulled in from
    elsewhere (continuations of other paragraphs) and a byline before the text are skipped; a reading
    hint's summary counts, but not as the story's start."""
    out: list[str] = []
    hint = False  # only the reading hint's summary read so far
    for k in range(j, len(tags)):
        t = tags[k]
        if t.kind is Kind.SUMMARY_LABEL or t.id in displaced or t.kind is Kind.BYLINE and (not out or hint):
            continue  # a reading hint's label, a displaced piece, the byline under the head
        if t.kind is not Kind.BODY or (out and not hint and t.lead is not None) or len(out) >= limit:
            break
        hint = not out and k > j and tags[k - 1].kind is Kind.SUMMARY_LABEL
        out.append(t.text)
    return " ".join(out)


def _kicker_line(first: str, second: str, config: Config) -> bool:
    """Is a two-line headline block a kicker line over a headline line, rather than one headline wrapped?

    A dash ends a kicker. Otherwise the first line must look set in smaller type (much longer than the
    second, or two phrases side by side) and the line break must not cut a word (``活|动`` is a wrapped
    headline, whatever the line lengths)."""
    first, second = first.strip(), second.strip()
    if leads_in(first):
        return True
    smaller = len(first) >= config.kicker_line_ratio * len(second) or " " in first
    # A headline line of one or two characters is the end of a wrapped line, never a headline; a line
    # ending in a function word (和, 的, 与...) was wrapped mid-phrase, never ends a kicker, and a line
    # starting with one (``和技能竞赛启动``, not ``和谐…``) goes on from the line before.
    return smaller and len(second.replace(" ", "")) >= 4 and first[-1] not in FUNCTION_END \
        and not (second[0] in FUNCTION_END and not is_word(second[:2])) and bridge_gain(first, second) < 1.0



# -- the page --------------------------------------------------------------------------------------


def _set_down(tags: Sequence[Tag], k: int, join_to: Mapping[str, str]) -> bool:
    """Is ``tags[k]`` a paragraph's tail that the extractor set down away from its start: an accepted
    join continues it from a block other than the one before it?"""
    a = join_to.get(tags[k].id)
    return a is not None and (k == 0 or a != tags[k - 1].id)


def _tails_after_credits(tags: list[Tag], join_to: Mapping[str, str]) -> list[Tag]:
    """Move what stands between a caption and its photo credit but is no part of the photo to after the
    credit: a set-down tail (:func:`_set_down`; ``…高校的专家学`` / ``者，还吸引区内…`` above ``本报记者 杨登峰
    摄``), which read as the caption took the paragraph's end into the photo (its join places it in its
    article anyway), or page furniture (an editor line), which hid the caption from the credit.
    Composed hard text tune pages, articles_exact 0.4787 -> 0.4851, join F1 0.8210 -> 0.8277; the seed
    page re-cut once at random (60 cuts) 539 -> 543 of 600 articles; other levels and seed-page variants
    unchanged. The seed page with a furniture line inserted at random (60 insertions; with the date,
    e-mail and web-address furniture of :mod:`.classify`): 591 -> 599 of 600."""
    out = list(tags)
    for i in range(2, len(out)):
        if out[i].kind is Kind.CREDIT and out[i - 2].kind is Kind.BODY and (
                _set_down(out, i - 1, join_to) or out[i - 1].kind is Kind.FURNITURE):
            out[i - 1], out[i] = out[i], out[i - 1]
    return out


def _photo_units(tags: Sequence[Tag], join_to: Mapping[str, str]) -> dict[int, Role]:
    """Indices of photo captions, credits and titles: a credit line, the caption before it (not a
    set-down tail, :func:`_set_down`), and a short headline-like title before the caption.

    Extractors do not all keep that order: the title may come between the caption and the credit
    (``caption, title, credit``), and the caption after the credit (``title, credit, caption``). A
    caption away from its usual place is taken only when none stands there, and only a block that is
    complete in itself (no join, no sign of starting mid-sentence, a full stop at its end). The seed page
    with two neighbouring blocks swapped at random (60 swaps): 549 -> 559 of 600 articles rebuilt
    exactly; composed pages and seed-page variants unchanged."""
    roles: dict[int, Role] = {}
    joined_on = set(join_to.values())  # blocks that a join continues elsewhere

    def caption(k: int) -> bool:
        return 0 <= k < len(tags) and k not in roles and tags[k].kind is Kind.BODY and tags[k].lead is None \
            and not _set_down(tags, k, join_to)

    def whole(k: int) -> bool:  # a caption away from its usual place must be complete in itself
        return caption(k) and tags[k].id not in join_to and tags[k].id not in joined_on \
            and not tags[k].open_end and starts_open(tags[k].text) < 0.8

    for i, t in enumerate(tags):
        if t.kind is not Kind.CREDIT:
            continue
        roles[i] = Role.CREDIT
        if caption(i - 1):
            roles[i - 1] = Role.CAPTION
            if i > 1 and tags[i - 2].kind is Kind.HEADLINE and i - 2 not in roles:
                roles[i - 2] = Role.HEADLINE
        elif i > 1 and tags[i - 1].kind is Kind.HEADLINE and i - 1 not in roles and whole(i - 2):
            roles[i - 2], roles[i - 1] = Role.CAPTION, Role.HEADLINE
        elif whole(i + 1):
            roles[i + 1] = Role.CAPTION
            if i > 0 and tags[i - 1].kind is Kind.HEADLINE and i - 1 not in roles:
                roles[i - 1] = Role.HEADLINE
    return roles


def _is_head_cluster(tags: Sequence[Tag], i: int, j: int, photo: dict[int, Role], config: Config,
                     displaced: AbstractSet[str] = frozenset()) -> bool:
    """Is the headline-like stretch ``tags[i:j]`` a head (True) or an in-body subhead (False)?

    A head: more than one block, a kicker (``——``), nothing but non-body before it, or followed by what
    opens an article (a dateline lead, a byline, a jump-in line, a summary label, another head, a photo,
    the end of the page). A single block between plain body paragraphs is a subhead.
    """
    if j - i > 1 or leads_in(tags[i].text) or tags[i].latin:
        return True  # Latin-script papers head every article; in-body subheads there are rare
    prev = next((tags[k] for k in range(i - 1, -1, -1) if tags[k].kind is not Kind.FURNITURE), None)
    if prev is None or prev.kind is not Kind.BODY or (i - 1) in photo:
        return True
    if jump_direction(prev) is JumpDirection.OUT:
        return True
    while j < len(tags) and tags[j].id in displaced:
        j += 1  # a piece pulled in from elsewhere says nothing about what this headline opens
    if j >= len(tags):
        return True
    nxt = tags[j]
    if j in photo or nxt.kind in (Kind.BYLINE, Kind.SUMMARY_LABEL, Kind.JUMP, Kind.HEADLINE):
        return True
    if nxt.kind is Kind.BODY and nxt.lead is not None:
        return True
    # In-body subheads are short (4-8 characters on the corpus pages); headlines of articles that open
    # without a dateline are longer (14 and more).
    return len(tags[i].text.replace(" ", "")) > config.subhead_max_chars


def assemble_page(tags: Sequence[Tag], joins: Sequence[Join], vocab: Vocabulary, config: Config,
                  decisions: list[Decision], band_starts: AbstractSet[str] = frozenset(),
                  cols: Mapping[str, tuple[int, int]] | None = None,
                  edition_pages: AbstractSet[int] | None = None) -> list[Draft]:
    """Group one page's tagged blocks into article drafts (see the module docstring for the method).

    From the layout, when the page has geometry: ``band_starts``, blocks that open a new band of the page
    (headless text there does not follow the run before it, whatever the text says); ``cols``, the first
    and last page column each block covers (a body set in another measure than the text before it is
    another article, and a head owns only text set under it). ``edition_pages``, the numbers of the
    edition's pages, tells whether a continuation's start was read with it (:func:`_rehome_tails`)."""
    cols = cols or {}
    accepted = [j for j in joins if j.accepted]
    join_from = {j.a: j.b for j in accepted}
    join_to = {j.b: j.a for j in accepted}
    joined = set(join_from) | set(join_to)  # a headline-like block in an accepted join is body text
    tags = _kicker_over_piece(tags, joined)
    tags = _tails_after_credits(tags, join_to)
    photo = _photo_units(tags, join_to)
    index_of = {t.id: t.block.index for t in tags}
    #: continuations whose broken-off start is not the block before them in the dump
    displaced = {b for b, a in join_to.items() if index_of.get(a, -2) != index_of.get(b, 0) - 1}

    heads: list[Head] = []
    runs: list[Run] = []
    others: list[Draft] = []
    current: Run | None = None
    stacked: list[Head] = []  # heads seen since the last body text: candidates for the next run
    last_run: Run | None = None
    furniture: Draft | None = None
    i = 0
    cluster = 0

    def close() -> None:
        nonlocal current
        if current is not None and current.items:
            runs.append(current)
        current = None

    def open_run(keep_heads: bool = False) -> Run:
        nonlocal current, stacked, last_run
        close()
        current = Run(heads=[] if keep_heads else stacked, prev=last_run)
        last_run = current
        if not keep_heads:
            stacked = []
        return current

    while i < len(tags):
        t = tags[i]
        if i in photo:
            close()
            j = i
            parts: list[tuple[Tag, Role]] = []
            while j < len(tags) and j in photo:
                parts.append((tags[j], photo[j]))
                j += 1
                if parts[-1][1] is Role.CREDIT and not (j in photo and photo[j] is Role.CAPTION
                                                        and j + 1 not in photo):
                    break  # (a caption right after the credit, with no credit of its own: this photo's)
            head = Head(parts=parts, cluster=-1, photo=True)
            others.append(Draft(head=head, runs=[], kind="photo"))
            i = j
            continue
        if t.kind is Kind.HEADLINE and t.id not in joined:
            j = i
            while j < len(tags) and tags[j].kind is Kind.HEADLINE and j not in photo \
                    and tags[j].id not in joined:
                j += 1
            if _is_head_cluster(tags, i, j, photo, config, displaced) or current is None:
                close()
                cluster += 1
                follow = _first_run_text(tags, j, displaced)
                new_heads = _split_cluster(list(tags[i:j]), vocab, config, cluster, decisions, follow)
                heads.extend(new_heads)
                stacked.extend(new_heads)
                last = new_heads[-1]
                if j < len(tags) and tags[j].kind is Kind.SUMMARY_LABEL:
                    last.parts.append((tags[j], Role.SUMMARY_LABEL))
                    j += 1
                    if j < len(tags) and tags[j].kind is Kind.BODY:
                        last.parts.append((tags[j], Role.SUMMARY))
                        j += 1
                elif j + 1 < len(tags) and tags[j].kind is Kind.BODY and tags[j].lead is None \
                        and tags[j].id not in joined and tags[j + 1].kind is Kind.SUMMARY_LABEL \
                        and (j + 2 == len(tags) or tags[j + 2].kind is not Kind.BODY or tags[j + 2].id in join_to):
                    # the summary read before its label (``阅读提示`` with no text of its own under it, but
                    # a byline, a head or another paragraph's continuation): still the hint (the seed page
                    # with two neighbouring blocks swapped, 60 swaps: 560 -> 563 of 600 articles)
                    last.parts += [(tags[j], Role.SUMMARY), (tags[j + 1], Role.SUMMARY_LABEL)]
                    j += 2
                i = j
                continue
            body = current.body_tags
            if body and body[-1].id in join_from:
                # The text before the subhead goes on elsewhere: the subhead opens the next stretch,
                # which follows this run's article unless content says otherwise.
                stopped = current
                open_run(keep_heads=True)
                assert current is not None
                current.after = stopped
            for k in range(i, j):
                current.items.append((tags[k], Role.SUBHEAD))
            i = j
            continue
        if t.kind is Kind.FURNITURE and t.id not in joined:
            # All furniture of a page (running heads, editor lines) is one article of kind furniture.
            if furniture is None:
                furniture = Draft(head=None, runs=[Run()], kind="furniture")
                others.append(furniture)
            furniture.runs[0].items.append((t, Role.FURNITURE))
            i += 1
            continue
        if t.kind is Kind.SUMMARY_LABEL:
            # A reading hint away from its head: the label and the summary under it lead into the
            # byline that follows, as they do under a head.
            run = open_run()
            run.items.append((t, Role.SUMMARY_LABEL))
            i += 1
            continue
        if t.kind is Kind.JUMP:
            if jump_direction(t) is JumpDirection.IN:
                run = open_run()
                run.items.append((t, Role.JUMP_FROM))
            else:
                if current is None:
                    open_run()
                assert current is not None
                current.items.append((t, Role.JUMP_TO))
                close()
            i += 1
            continue
        if t.kind is Kind.BYLINE:
            run = current if current is not None and _summary_only(current) else open_run()
            run.items.append((t, Role.BYLINE))
            i += 1
            continue
        # body
        weak = current is not None and _after_displaced(current, t, join_from, join_to, index_of)
        breaks = current is not None and _breaks_run(current, t, join_from, join_to)
        if breaks and not weak and current is not None and t.id not in join_to:
            weak = _weak_break(current, t)
        if weak and t.id in band_starts:
            weak, breaks = False, True
        if current is not None and t.id not in join_to and _other_measure(current, t, cols):
            weak, breaks = False, True
        if current is None or weak or breaks:
            if current is not None and current.items and current.items[-1][1] in (Role.BYLINE, Role.JUMP_FROM) \
                    and not current.body_tags and t.lead is None and t.id not in join_to:
                pass  # a byline or jump-in line leads into this block
            else:
                before = current
                open_run(keep_heads=weak or t.id in displaced)
                if current is not None:
                    current.displaced = t.id in displaced
                if weak and current is not None:
                    current.after = before
        assert current is not None
        if current.heads and not current.items and not _under(current.heads, t, cols):
            # The text after these heads is not set under them: it is not their story.
            decisions.append(Decision("heads-over-text", t.id, None, tuple(
                Candidate(h.parts[0][0].id, 0.0) for h in current.heads), note="text not under the heads"))
            current.heads = []
        current.items.append((t, Role.BODY))
        i += 1
    close()

    return _attach(heads, runs, others, accepted, vocab, config, decisions, bool(cols), edition_pages)


def _kicker_over_piece(tags: Sequence[Tag], joined: AbstractSet[str]) -> list[Tag]:
    """``tags`` with a body piece that the dump put between a kicker ending in ``——`` and its headline
    moved to just before the kicker.

    The dash leads a kicker into its headline, so nothing of the story can stand between them: the piece
    is another story's text (an extractor reading a column top between two head lines). Before the
    kicker it follows the text the dump had before the head, as a displaced piece would, and the head
    stays one. Seed-page variants, articles_exact: 500-619 0.9367 -> 0.9375, 700-819 0.9183 -> 0.9208
    (B-cubed 0.9848 -> 0.9861); composed pages and real editions unchanged."""
    out = list(tags)
    k = 0
    while k + 2 < len(out):
        kicker, piece, headline = out[k], out[k + 1], out[k + 2]
        if kicker.kind is Kind.HEADLINE and headline.kind is Kind.HEADLINE and piece.kind is Kind.BODY \
                and kicker.id not in joined and headline.id not in joined \
                and leads_in(kicker.text):
            out.insert(k, out.pop(k + 1))
            k += 2
        else:
            k += 1
    return out


def _summary_only(run: Run) -> bool:
    """Does the run hold nothing but a reading hint: its label, and the summary under it if any?"""
    return bool(run.items) and run.items[0][1] is Role.SUMMARY_LABEL and len(run.items) <= 2 \
        and all(r is Role.BODY for _, r in run.items[1:])


def _other_measure(run: Run, t: Tag, cols: Mapping[str, tuple[int, int]]) -> bool:
    """Is ``t`` set in another column measure (number of columns) than the run's last text block?"""
    body = run.body_tags
    if not body or body[-1].id not in cols or t.id not in cols:
        return False
    a, b = cols[body[-1].id], cols[t.id]
    return a[1] - a[0] != b[1] - b[0]


def _under(heads: Sequence[Head], t: Tag, cols: Mapping[str, tuple[int, int]]) -> bool:
    """Is text block ``t`` set within the columns of the heads (unknown geometry: yes)?

    Only Latin-script heads are held to this: there a heading is set over its own columns (BnL 1858:
    every gold headline covers the first column of its text), while Chinese pages centre short headlines
    over wide stories (154 of 154 composed easy pages' heads that failed the test did head the text)."""
    if not all(h.latin for h in heads):
        return True
    spans = [cols[x.id] for h in heads for x, _ in h.parts if x.id in cols]
    if t.id not in cols or not spans:
        return True
    first, last = cols[t.id]
    return min(s[0] for s in spans) <= first and last <= max(s[1] for s in spans)


def _after_displaced(run: Run, t: Tag, join_from: dict[str, str], join_to: dict[str, str],
                     index_of: dict[str, int]) -> bool:
    """Does ``t`` follow a displaced piece? Either the run's last block continues far away (so ``t`` is
    probably what follows that continuation) or the last block was itself pulled in from far away (so
    ``t`` may belong to whatever surrounded it). Then ``t`` starts a run that content places later."""
    body = run.body_tags
    if not body or t.lead is not None or t.id in join_to:
        return False
    prev = body[-1]
    if prev.id in join_from:
        return join_from[prev.id] != t.id
    src = join_to.get(prev.id)
    return src is not None and index_of.get(src, -2) != index_of[prev.id] - 1


def _breaks_run(run: Run, t: Tag, join_from: dict[str, str], join_to: dict[str, str]) -> bool:
    """Does body block ``t`` start a new run instead of continuing ``run``?

    A reading hint away from its head (its label and summary, nothing else yet) goes on into the text
    after it, dateline lead or not: the hint opens the story it summarises, as it does under a head.
    Composed text pages, articles_exact: medium 0.9268 -> 0.9282 (seeds 200-399) and 0.9062 -> 0.9099
    (400-599), hard 0.4568 -> 0.4612 and 0.4245 -> 0.4279; JSON, seed variants and real pages unchanged."""
    if _summary_only(run) and len(run.items) == 2 and t.id not in join_to \
            and jump_direction(t) is not JumpDirection.IN:
        return False
    if t.lead is not None:
        return True
    if jump_direction(t) is JumpDirection.IN:
        return True
    body = run.body_tags
    if not body:
        return t.id in join_to
    prev = body[-1]
    if jump_direction(prev) is JumpDirection.OUT:
        return True
    if prev.id in join_from:
        return join_from[prev.id] != t.id
    if t.id in join_to:
        return True
    if prev.open_end:
        return True  # its continuation is not this block (no join), so this block starts something else
    return starts_open(t.text) >= 0.8


def _weak_break(run: Run, t: Tag) -> bool:
    """A break that says nothing about where ``t`` belongs: the run's last block stopped mid-sentence
    without a found continuation, or ``t`` starts mid-sentence without a found start. Content decides
    (see :func:`_place_followers`), with the run before it in the dump as the favourite."""
    body = run.body_tags
    if not body or t.lead is not None:
        return False
    prev = body[-1]
    if jump_direction(prev) is JumpDirection.OUT:
        return False
    return prev.open_end or starts_open(t.text) >= 0.8


def _attach(heads: list[Head], runs: list[Run], others: list[Draft],
            joins: list[Join], vocab: Vocabulary, config: Config, decisions: list[Decision],
            laid_out: bool, edition_pages: AbstractSet[int] | None = None) -> list[Draft]:
    """Chain runs by joins, give chains to heads, split tails for body-less heads, make the drafts
    (``laid_out``: the page's columns are known from its geometry)."""
    run_of = {t.id: r for r in runs for t, _ in r.items}
    join_from = {j.a: j.b for j in joins}  # read by the tail moves and the seating below, never changed
    nxt: dict[int, Run] = {}
    has_prev: set[int] = set()
    for j in joins:
        ra, rb = run_of.get(j.a), run_of.get(j.b)
        if ra is None or rb is None or ra is rb or id(rb) in has_prev or id(ra) in nxt:
            continue
        nxt[id(ra)] = rb
        has_prev.add(id(rb))
    chains: list[list[Run]] = []
    for r in runs:
        if id(r) in has_prev:
            continue
        chain = [r]
        seen = {id(r)}
        while id(chain[-1]) in nxt and id(nxt[id(chain[-1])]) not in seen:
            chain.append(nxt[id(chain[-1])])
            seen.add(id(chain[-1]))
        chains.append(chain)
    chained = {id(r) for c in chains for r in c}
    for r in runs:  # runs only reachable through a cycle: keep them as their own chains
        if id(r) not in chained:
            chains.append([r])

    drafts: dict[int, Draft] = {}
    for h in heads:
        drafts[id(h)] = Draft(head=h, runs=[])
    orphans: list[list[Run]] = []
    followers: list[list[Run]] = []
    over = {id(r.heads[0]) for chain in chains for r in chain[:1] if len(r.heads) == 1}  # see _owner
    for chain in chains:
        owner = _owner(chain, drafts, vocab, config, decisions, over)
        if owner is not None:
            drafts[id(owner)].runs.extend(list(chain))
        elif chain[0].after is not None:
            followers.append(chain)
        else:
            orphans.append(chain)

    orphan_texts = [" ".join(r.text for r in chain) for chain in orphans]
    if orphans:
        _split_heads_by_orphans(heads, drafts, orphans, orphan_texts, vocab, config, decisions)
    # Orphan chains go to body-less heads by content, best pair first.
    pairs: list[tuple[float, int, int]] = []
    for ci, text in enumerate(orphan_texts):
        for hi, h in enumerate(heads):
            if drafts[id(h)].runs:
                continue
            pairs.append((vocab.coverage(h.text, text), hi, ci))
    pairs.sort(key=lambda p: (-p[0], p[1], p[2]))
    used_h: set[int] = set()
    used_c: set[int] = set()
    for score, hi, ci in pairs:
        if hi in used_h or ci in used_c or score < config.attach_similarity:
            continue
        used_h.add(hi)
        used_c.add(ci)
        d = drafts[id(heads[hi])]
        d.runs.extend(orphans[ci])
        d.score = min(d.score, score)
    for ci, chain in enumerate(orphans):
        cands = tuple(sorted((Candidate(heads[hi].parts[0][0].id, round(s, 4)) for s, hi, cj in pairs
                              if cj == ci), key=lambda c: -c.score)[:5])
        chosen = next((heads[hi].parts[0][0].id for s, hi, cj in pairs
                       if cj == ci and hi in used_h and ci in used_c
                       and drafts[id(heads[hi])].runs and drafts[id(heads[hi])].runs[0] in chain), None)
        decisions.append(Decision("attach-orphan-run", chain[0].items[0][0].id, chosen, cands))
    leftover = [c for ci, c in enumerate(orphans) if ci not in used_c]

    # Runs that followed a displaced piece go to the article they read most like; the article of the
    # run they followed in the dump gets a small bonus (extractors mostly keep an article's order).
    firm = {j.a: j.b for j in joins if j.score >= config.join_threshold}  # not rescue joins
    leftover = _place_followers(followers, list(drafts.values()), vocab, config, decisions, firm) + leftover
    # Heads split by the first paragraph alone are put together again, then heads still without a body
    # may take the tail of another article's run.
    _merge_mates(heads, drafts, vocab, config, decisions)
    _reseat_boundary_parts(heads, drafts, vocab, config, decisions)
    _take_tails([drafts[id(h)] for h in heads if not drafts[id(h)].runs and not h.photo], list(drafts.values()),
                vocab, config, decisions, join_from)

    out = list(drafts.values())
    leftover = _adopt_openings(leftover, out, vocab, config, decisions)
    leftover = _seat_hints(leftover, out, vocab, config, decisions)
    leftover = _seat_bylines(leftover, out, set(join_from.values()), decisions)
    for chain in leftover:
        out.append(Draft(head=None, runs=list(chain), notes=["no headline found for this text"]))
    _rehome_tails([d for d in out if d.head is not None and d.kind == "article"], vocab, config, decisions,
                  join_from, laid_out, edition_pages)
    # A head that got no body and sits in a cluster with another head is part of that head.
    out = _title_photos(out, others, decisions)
    out = _merge_bodyless(out, vocab)
    for d in out:
        _follow_in_dump(d, join_from)
        _seat_displaced_starts(d, join_from)
        _hint_first(d)
    out.extend(others)
    out.sort(key=lambda d: d.order)
    return out


def _split_heads_by_orphans(heads: list[Head], drafts: dict[int, Draft], orphans: list[list[Run]],
                            texts: list[str], vocab: Vocabulary, config: Config, decisions: list[Decision]) -> None:
    """Cut a head in two when two stories on the page tell its parts apart.

    An extractor that emits the headlines of a page first leaves two stories' headlines side by side;
    when they share a word or so (``建设``) and the story after them is a third one, nothing at grouping
    time says they are two. Once the page's headless stories are known, they do: one story covers the
    upper part and hardly the lower, another the lower and hardly the upper (``config.head_split_cross``),
    and no other body-less head covers either story better. ``texts`` are the orphan chains' texts.
    ``heads`` and ``drafts`` are updated in place; the orphan matching that follows then gives each part
    its story.

    A head with a body of its own is cut the same way when one of the two stories is that body: a
    headline set right before another story's kicker and headline was grouped with them, while its story
    stands headless elsewhere on the page. The part its body covers keeps the body. Composed tune pages,
    articles_exact: medium text 0.905 -> 0.906, hard 0.444 -> 0.447, hard JSON 0.945 -> 0.946; no article
    lost on those pages, seed variants unchanged. A headless chain that opens with a jump-in line is the
    rest of a story from another page, not a story of this page, and never tells parts apart (without
    this, a subheadline was cut from its headline twice on the medium pages)."""
    jumped_in = {k for k, chain in enumerate(orphans) if chain[0].items[0][1] is Role.JUMP_FROM}
    for hi in range(len(heads) - 1, -1, -1):  # backwards: a split inserts a head after ``hi``
        h = heads[hi]
        own = drafts[id(h)].runs
        if h.photo or h.latin or len(h.parts) < 2:
            continue
        tags = [t for t, _ in h.parts]
        stories = texts + [" ".join(r.text for r in own)] if own else texts
        rival = [max((vocab.coverage(o.text, x) for o in heads
                      if o is not h and not o.photo and not drafts[id(o)].runs), default=0.0) for x in stories]
        best: tuple[float, int, int, int] | None = None
        for i in range(1, len(tags)):
            a, b = tags[i - 1], tags[i]
            if _dash_tied(a, b) or _stacked(a, b):
                continue  # typography ties the two
            upper, lower = " ".join(t.text for t in tags[:i]), " ".join(t.text for t in tags[i:])
            if vocab.similarity(upper, lower) >= config.head_split_similarity:
                continue
            up = [vocab.coverage(upper, x) for x in stories]
            lo = [vocab.coverage(lower, x) for x in stories]
            for m, n in permutations(range(len(stories)), 2):
                if own and len(texts) not in (m, n):
                    continue  # a head with a body keeps it: one of the parts must be its story's
                if m in jumped_in or n in jumped_in:
                    continue
                if min(up[m], lo[n]) >= config.attach_similarity \
                        and lo[m] < config.head_split_cross * up[m] and up[n] < config.head_split_cross * lo[n] \
                        and rival[m] < up[m] and rival[n] < lo[n] \
                        and (best is None or min(up[m], lo[n]) > best[0]):
                    best = (min(up[m], lo[n]), i, m, n)
        if best is None:
            continue
        score, i, m, n = best
        parts = [Head(parts=head_roles(tags[:i], config), cluster=h.cluster),
                 Head(parts=head_roles(tags[i:], config), cluster=h.cluster)]
        heads[hi:hi + 1] = parts
        whole = drafts.pop(id(h))
        for story, part in zip((m, n), parts, strict=True):
            # the part covered by the head's own body keeps it (story index len(texts))
            drafts[id(part)] = replace(whole, head=part) if story == len(texts) else Draft(head=part, runs=[])
        first = [c[0].items[0][0].id for c in orphans] + [own[0].items[0][0].id if own else ""]
        decisions.append(Decision("split-head-by-orphans", f"{tags[i - 1].id}|{tags[i].id}", "split",
                                  (Candidate(first[m], round(score, 4)),
                                   Candidate(first[n], round(score, 4))),
                                  note="each part is covered by its own story"))


def _joined_on(ra: Run, rb: Run, join_from: Mapping[str, str]) -> bool:
    """Does run ``rb`` go on from run ``ra``: its first block continues ``ra``'s last block?"""
    return bool(ra.items) and bool(rb.items) and join_from.get(ra.items[-1][0].id) == rb.items[0][0].id


def _chain_end(runs: Sequence[Run], k: int, join_from: Mapping[str, str]) -> int:
    """The position of the last run of the join chain that ``runs[k]`` starts (:func:`_joined_on`)."""
    while k + 1 < len(runs) and _joined_on(runs[k], runs[k + 1], join_from):
        k += 1
    return k


def _follow_in_dump(d: Draft, join_from: Mapping[str, str]) -> None:
    """Put a follower run right after the chain of the run it follows in the dump, when both are this
    article's and that run is a displaced piece.

    The text after a displaced piece (a paragraph's end whose start stands elsewhere: ``…工作人`` /
    ``员耐心解释…``) was cut from it only by the displacement, so it is placed by content
    (:func:`_place_followers`), and appended; the piece itself comes in later with the chain of its
    start, and is appended after it. When both land in one article, the follower goes on after the piece,
    as the dump has it. Seed-page variants, articles_exact: 500-619 0.9483 -> 0.9508, 700-819 0.9308 ->
    0.9350 (eight variants mended, none lost); hard text tune pages 0.4765 -> 0.4777, medium JSON
    400-599 0.9924 -> 0.9933; medium text and the real pages unchanged."""
    runs = d.runs
    for _ in range(len(runs)):  # each move seats one follower for good
        for i, r in enumerate(runs):
            p = r.after
            if p is None or not p.displaced:
                continue
            k = next((n for n, x in enumerate(runs) if x is p), None)
            if k is None:
                continue
            end, last = _chain_end(runs, k, join_from), _chain_end(runs, i, join_from)
            if end + 1 == i or k <= i <= end or i <= k <= last:
                continue  # in place, or one chain with the piece
            moved = runs[i:last + 1]
            del runs[i:last + 1]
            at = end + 1 if end < i else end + 1 - len(moved)
            runs[at:at] = moved
            break
        else:
            return


def _seat_displaced_starts(d: Draft, join_from: Mapping[str, str]) -> None:
    """Put a displaced paragraph start, with the continuation it is joined to, where the continuation
    stands in the dump.

    An extractor may emit a paragraph's first line far from the rest of it (a column's foot set apart);
    the join brings the two together, but the pair was appended to the article wherever the start's run
    was placed, usually at its end. When the continuation comes earlier in the dump than its start, the
    article's text that precedes the continuation in the dump is what the paragraph follows: the pair
    goes right after it (after the head when that is the head). When the start is the last paragraph of
    a run that itself begins right after the continuation in the dump, that run was cut there only by
    the join: the start alone moves, and the run stays after the continuation. Composed tune pages,
    articles_exact: medium text 0.888 -> 0.892, hard 0.438 -> 0.441; seed-page variants 500-619 0.937 ->
    0.938, 700-819 0.917 -> 0.918; real corpora unchanged.

    Nothing is seated before the run that opens the article (a dateline lead or a byline,
    :func:`_opens`): a continuation set down right under the headline, above the lead, is out of place
    itself, and the pair stays where the start's run has it. Seed-page variants 500-619 0.9508 -> 0.9517;
    the seed page re-cut once at random (60 cuts, tail set down anywhere) 537 -> 539 of 600 articles;
    composed tune pages unchanged. Nor is it seated between a broken end and the continuation joined on
    after it (the tail came out between the two): it goes after that joined paragraph
    (``benchmarks/robustness.py`` re-cut 0.900 -> 0.902, re-cut and swap 0.870 -> 0.872)."""
    runs = d.runs
    for _ in range(len(runs)):  # each move seats one pair for good; at most one move per run
        for i in range(len(runs) - 1):
            ra, rb = runs[i], runs[i + 1]
            if not _joined_on(ra, rb, join_from):
                continue
            cont, cont_end = rb.items[0][0].block, rb.items[-1][0].block
            # The broken paragraph's first item: after the last item of the run that ends a sentence.
            p = len(ra.items) - 1
            while p > 0 and ra.items[p - 1][1] is Role.BODY and ra.items[p - 1][0].open_end:
                p -= 1
            start, first = ra.items[p], ra.items[0][0].block
            if start[0].block.page != cont.page or start[0].block.index < cont.index:
                continue
            if p and (start[1] is not Role.BODY or first.page != cont.page or first.index != cont_end.index + 1):
                continue
            # (block index, run holding it; -1 for the head) of the draft's text before the continuation
            before = [(t.block.index, -1) for t, _ in (d.head.parts if d.head else [])
                      if t.block.page == cont.page and t.block.index < cont.index]
            before += [(t.block.index, k) for k, r in enumerate(runs) if k not in (i, i + 1)
                       for t, _ in r.items if t.block.page == cont.page and t.block.index < cont.index]
            if not before:
                continue  # no text of the article before the continuation
            k = max(before)[1]
            if k >= 0 and k not in (i - 1, i):
                # not between a broken end and the continuation joined on after it
                k = _chain_end([r for n, r in enumerate(runs) if n not in (i, i + 1)], k if k < i else k - 2,
                               join_from)
                k = k if k < i else k + 2
            if k == i - 1 and not p:
                continue  # the pair is in place
            if any(_opens([r]) for r in runs[k + 1:i] + ([ra] if p else [])):
                continue  # it would stand before the article's opening lead or byline
            if p:  # the start alone moves; the rest of its run goes on after the continuation
                seated = [Run(items=ra.items[p:], split_from=ra), rb, ra]
                ra.items = ra.items[:p]
            else:
                seated = [ra, rb]
            del runs[i:i + 2]
            k = k if k < i else k - 2
            runs[k + 1:k + 1] = seated
            break
        else:
            return


def _hint_first(d: Draft) -> None:
    """Put a headed article's reading hint (``阅读提示`` and its summary) right under its head.

    A hint set after a paragraph's tail that the extractor put under the headline follows that tail in
    the dump, so it was placed as a follower and went on after the tail, at the end of the article. A
    story's hint summarises it before its text, always. The text under the label of a hint that was not
    read with its head (this one, or one seated by :func:`_seat_hints`) is its summary, as under a head.
    With the kicker rule of :func:`~reassemble.score._scored_features` (a headline under a dash kicker
    is not proven a paragraph piece by the fragment after it), ``benchmarks/robustness.py``: two re-cuts
    0.823 -> 0.825, a re-cut and a swap 0.868 -> 0.870; composed pages and seed-page variants unchanged."""
    hints = [k for k, r in enumerate(d.runs) if r.items and r.items[0][1] is Role.SUMMARY_LABEL]
    if d.head is None or len(hints) != 1:
        return
    hint = d.runs.pop(hints[0])
    d.runs.insert(0, hint)
    if len(hint.items) > 1 and hint.items[1][1] is Role.BODY and hint.items[1][0].lead is None:
        hint.items[1] = (hint.items[1][0], Role.SUMMARY)  # the text under the label is the summary


def _opens(runs: Sequence[Run]) -> bool:
    """Do these runs open an article: a byline first, or a first text with a dateline lead?"""
    for r in runs:
        for t, role in r.items:
            if role is Role.BYLINE:
                return True
            if role is Role.BODY:
                return t.lead is not None
    return False


def _continues(d: Draft) -> bool:
    """Is the draft the continuation of a story from another page (it has a jump-in line)?"""
    return any(jump_direction(t) is JumpDirection.IN for t, _ in d.items)


def _adopt_openings(leftover: list[list[Run]], drafts: list[Draft], vocab: Vocabulary, config: Config,
                    decisions: list[Decision]) -> list[list[Run]]:
    """A headless chain that opens an article (a byline, a dateline lead) while a headed article on the
    page has no opening is that article's start, moved away by the extractor: it goes before the
    article's text when it reads most like that article (similarity at least ``attach_similarity``).
    Continuations (a jump-in line) lack an opening by nature and are not candidates."""
    left: list[list[Run]] = []
    taken: set[int] = set()
    for chain in leftover:
        if not _opens(chain):
            left.append(chain)
            continue
        text = " ".join(r.text for r in chain)
        cands = [(vocab.similarity(text, d.text), n, d) for n, d in enumerate(drafts)
                 if d.head is not None and d.kind == "article" and not d.head.photo and d.runs
                 and id(d) not in taken and not _opens(d.runs) and not _continues(d)]
        host = _put_first(chain, cands, "adopt-opening", config, decisions)
        if host is None:
            left.append(chain)
        else:
            taken.add(id(host))
    return left


def _put_first(chain: list[Run], cands: list[tuple[float, int, Draft]], kind: str, config: Config,
               decisions: list[Decision]) -> Draft | None:
    """Put ``chain`` before the text of the best-scoring candidate draft (``(score, position, draft)``,
    ties to the first) when it scores at least ``attach_similarity``; log the ``kind`` decision with the
    five best candidates, and return the draft that took the chain, if any."""
    best = max(cands, key=lambda c: (c[0], -c[1]), default=None)
    host = None
    if best is not None and best[0] >= config.attach_similarity:
        host = best[2]
        host.runs[:0] = chain
        host.score = min(host.score, best[0])
    decisions.append(Decision(kind, chain[0].items[0][0].id, host.items[0][0].id if host else None, tuple(
        Candidate(d.items[0][0].id, round(sc, 4)) for sc, _, d in sorted(cands, key=lambda c: -c[0])[:5])))
    return host


def _seat_hints(leftover: list[list[Run]], drafts: list[Draft], vocab: Vocabulary, config: Config,
                decisions: list[Decision]) -> list[list[Run]]:
    """A reading hint left alone (its label and summary, :func:`_summary_only`) goes before the text of
    the headed article whose head it covers best, at least ``attach_similarity``, among those without a
    hint: it is part of that article's head, set away from it. A hint leads into the byline after it
    (:func:`_breaks_run`), but when the extractor moved that byline too, the hint stood alone, and a
    body-less head is all the orphan attachment offers it; its own head already had a body. Seed-page
    variants 500-619 articles_exact 0.9458 -> 0.9475, 700-819 0.9275 -> 0.9300 (five hints, each
    covering its head by about 0.36 and any other by 0.02 at most); hard text tune pages 0.4759 ->
    0.4765; medium, easy, JSON and the real pages unchanged.
    """
    left: list[list[Run]] = []
    for chain in leftover:
        if len(chain) != 1 or not _summary_only(chain[0]):
            left.append(chain)
            continue
        text = chain[0].text
        cands = [(vocab.coverage(d.head.text, text), n, d) for n, d in enumerate(drafts)
                 if d.head is not None and d.kind == "article" and not d.head.photo
                 and not any(role in (Role.SUMMARY_LABEL, Role.SUMMARY) for _, role in d.items)]
        if _put_first(chain, cands, "seat-hint", config, decisions) is None:
            left.append(chain)
    return left


def _seat_bylines(leftover: list[list[Run]], drafts: list[Draft], continued: AbstractSet[str],
                  decisions: list[Decision]) -> list[list[Run]]:
    """A byline left alone (a chain of nothing but a byline) goes before the text that follows it in the
    dump, when that text is a run of a headed article without an opening (:func:`_opens`; not a
    continuation, which lacks one by nature, as in :func:`_adopt_openings`). A byline has
    no words to compare with any article; where it stands is all it tells. Pieces of other stories'
    paragraphs between the two (``continued``: blocks an accepted join continues) are skipped: the
    extractor put a column's top piece there, and the byline still opens the text below it; anything else
    between them (a head, a photo, text of no article yet) and the byline stays where it is. Seed-page
    variants 500-619 articles_exact 0.9475 -> 0.9483, 700-819 0.9300 -> 0.9308; hard text 300-399 0.4401
    -> 0.4414; medium, easy, JSON and the real pages unchanged. Reaching past other units to the next
    run of a headed article lost an article on hard text (seed 262: a byline over a photo and its own
    story's headless text went to the head after them).
    """
    def lone(chain: list[Run]) -> bool:
        return len(chain) == 1 and bool(chain[0].items) and all(role is Role.BYLINE for _, role in chain[0].items)

    if not any(lone(chain) for chain in leftover):
        return leftover  # most pages: the maps below are not needed
    left: list[list[Run]] = []
    first = {r.first_index: (r, d) for d in drafts for r in d.runs if r.items}
    pieces = {t.block.index for runs in [d.runs for d in drafts] + leftover for r in runs
              for t, _ in r.items if t.id in continued}
    for chain in leftover:
        if not lone(chain):
            left.append(chain)
            continue
        i = chain[0].items[-1][0].block.index + 1
        while i in pieces:
            i += 1
        nxt = first.get(i)
        host = None
        if nxt is not None:
            r, d = nxt
            if d.head is not None and d.kind == "article" and not d.head.photo and not _opens(d.runs) \
                    and not _continues(d):
                host = d
                d.runs.insert(d.runs.index(r), chain[0])
        if host is None:
            left.append(chain)
        decisions.append(Decision("seat-byline", chain[0].items[0][0].id,
                                  host.items[0][0].id if host else None,
                                  (Candidate(nxt[0].items[0][0].id, 1.0),) if nxt else (),
                                  note="the first text after it in the dump, pieces of other paragraphs skipped"))
    return left


def _place_followers(followers: list[list[Run]], drafts: list[Draft], vocab: Vocabulary, config: Config,
                     decisions: list[Decision], firm: Mapping[str, str]) -> list[list[Run]]:
    """Attach each follower chain to the most similar article (see ``config.follow_bonus``); chains
    that match nothing are returned.

    A head still without a body first claims the chain that is clearly more about it than about the
    head of the article the chain follows in the dump. Each round weighs the chains in the order of how
    well a body-less head covers them, best first, so that a head's displaced body is not pre-empted by
    a paragraph of another story that happens to come first and shares a phrase with its subheadline
    (``…“15分钟服务圈”`` in a story about ``服务阵地``). A chain whose host is not known yet (it follows
    another follower) is claimed at once when the claim beats every headed article's coverage of it by
    ``follow_bonus``: whichever article becomes its host, the claim would win; otherwise it waits for the
    next round. Seed-page variants 500-619: articles_exact 0.9383 -> 0.9417; hard text tune pages
    300-399 0.4380 -> 0.4401; 700-819 unchanged at 0.9208 (740 right now; 742 wrong, where the story's
    first paragraph covers the head less than a later one, which is claimed first and so read first;
    inserting the later-placed paragraph in dump order instead mends 742 and breaks 740 and 550's order);
    the other levels and formats and the real pages unchanged."""
    left: list[list[Run]] = []
    pending = list(followers)
    for _ in range(len(pending) + 1):  # a follower may follow another follower: place in rounds
        if not pending:
            break
        again: list[list[Run]] = []
        texts = {id(c): " ".join(r.text for r in c) for c in pending}
        pending.sort(key=lambda c: -_bodyless_claim(drafts, vocab, texts[id(c)])[0])
        for chain in pending:
            prev = chain[0].after
            # A displaced piece says nothing about where the text after it belongs: look past it.
            while prev is not None and prev.displaced and prev.prev is not None:
                prev = prev.prev
            host = next((d for d in drafts if any(r is prev for r in d.runs)), None)
            text = texts[id(chain)]
            cov, claimant = _bodyless_claim(drafts, vocab, text)
            if host is None and any(prev in c for c in pending if c is not chain):
                # The host is still to be placed: claim now only what any host would lose.
                host_cov = max((_head_coverage(vocab, d.head, text) for d in drafts if d.head and d.runs),
                               default=0.0)
                if claimant is None or not _claims(cov, host_cov, config):
                    again.append(chain)
                    continue
            else:
                host_cov = _head_coverage(vocab, host.head, text) if host and host.head else 0.0
            if claimant is not None and _claims(cov, host_cov, config):
                claimant.runs.extend(chain)
                claimant.score = min(claimant.score, cov)
                decisions.append(Decision("place-follower", chain[0].items[0][0].id,
                                          claimant.items[0][0].id,
                                          (Candidate("bodyless-head", round(cov, 4)),
                                           Candidate("host-head", round(host_cov, 4)))))
                if host is not None and host.head is not None:
                    _give_back_prefix(chain, claimant, host, vocab, config, decisions)
                    if prev is not None and chain[0] in claimant.runs:
                        _pull_back(prev, chain[0], claimant, host, firm, vocab, decisions)
                continue
            cands = [(vocab.similarity(text, d.text) + (config.follow_bonus if d is host else 0.0), n, d)
                     for n, d in enumerate(drafts) if d.runs and d.kind == "article"]
            best = max(cands, key=lambda c: (c[0], -c[1]), default=None)
            chosen = None
            if best is not None and best[0] >= config.follow_similarity:
                best[2].runs.extend(chain)
                best[2].score = min(best[2].score, min(1.0, best[0] + 0.5))
                chosen = best[2].items[0][0].id
            else:
                left.append(chain)
            decisions.append(Decision("place-follower", chain[0].items[0][0].id, chosen, tuple(
                Candidate(d.items[0][0].id, round(s, 4)) for s, _, d in sorted(cands, key=lambda c: -c[0])[:5])))
        if len(again) == len(pending):
            left.extend(again)
            break
        pending = again
    return left


def _claims(cov: float, rival: float, config: Config) -> bool:
    """Does a body-less head that some text covers by ``cov`` claim that text from the article it sits
    with, whose head it covers by ``rival``: at least ``attach_similarity``, and by ``follow_bonus`` more?
    Tails (:func:`_best_tail`): seed-page variants 500-619 articles_exact 0.9417 -> 0.9442, 700-819
    0.9208 -> 0.9250, composed medium text tune pages 0.9424 -> 0.9429 (400-599 0.9313 -> 0.9317); the
    same at a margin of 0 instead of ``follow_bonus``, medium 0.9421 at 0.1. Without the rule that heads
    of one cluster do not take each other's tails, easy text lost a headline's own last paragraph (seed
    242) and medium 0.9313 -> 0.9312; with it as heads touching in the dump rather than one cluster,
    medium tune 0.9429 (0.9431 now)."""
    return cov >= config.attach_similarity and cov > rival + config.follow_bonus


def _tail_claimed(head: Head, donor_head: Head, tail: Sequence[tuple[int, Tag]], vocab: Vocabulary,
                  config: Config) -> bool:
    """:func:`_claims` for the body blocks ``tail`` of a donor's run, read together."""
    text = " ".join(t.body_text for _, t in tail)
    return _claims(_head_coverage(vocab, head, text), _head_coverage(vocab, donor_head, text), config)


def _bodyless_claim(drafts: Sequence[Draft], vocab: Vocabulary, text: str) -> tuple[float, Draft | None]:
    """The body-less head that covers ``text`` best (the first on a tie) and its coverage; ``(0.0, None)``
    without one. Not photo titles, and not Latin-script heads: their function words and datelines cover
    any story."""
    best: tuple[float, Draft | None] = (0.0, None)
    for d in drafts:
        if d.head is not None and not d.runs and not d.head.photo and not d.head.latin:
            cov = _head_coverage(vocab, d.head, text)
            if best[1] is None or cov > best[0]:
                best = (cov, d)
    return best


def _paragraph_break(prev: Tag | None, cur: Tag) -> bool:
    """Is the place before body block ``cur`` a boundary where the tail moves may cut a run
    (:func:`_best_tail`, :func:`_give_back_prefix`, :func:`_extend_back`, :func:`_rehome_tails`):
    ``prev``, the block before it (``None`` at the start), ends a sentence and ``cur`` does not open with
    a dateline lead?"""
    return (prev is None or not prev.open_end) and cur.lead is None


def _pull_back(prev: Run, first: Run, claimant: Draft, host: Draft, firm: Mapping[str, str],
               vocab: Vocabulary, decisions: list[Decision]) -> None:
    """After a body-less head claimed a follower chain (starting with run ``first``), take the cut
    paragraph at the end of ``prev``, the host's run the chain followed in the dump, with the pieces
    joined on after it, when it reads more like the claimant's story than like the rest of the host.

    The cut between two stories run together in the dump falls at a run boundary only when the last
    paragraph before it is complete; when that paragraph is cut and goes on elsewhere (``…11家`` /
    ``省直及省产业工会…``), the run breaks after it, the text after it becomes a follower and is claimed,
    and the paragraph, the first of the claimed story, stayed behind (:func:`_extend_back` moves a
    tail's cut back the same way). Only joins that passed the threshold (``firm``: ``{start: continuation}``)
    count: a rescue join of a story's last, cut paragraph to the claimed story's first is a guess
    (with rescue joins, easy text tune pages lost two articles). Seed-page variants 700-819
    articles_exact 0.9392 -> 0.9408; hard text 300-399 0.4429 -> 0.4448; the seed page re-cut at random
    (60 cuts) 543 -> 545 of 600; tune pages, medium 400-599 and the real corpora unchanged."""
    if prev not in host.runs or not prev.items or prev.items[-1][0].id not in firm:
        return  # the run did not break for a cut paragraph going on elsewhere
    ri = host.runs.index(prev)
    # the cut paragraph's first item: after the last item of the run that ends a sentence
    k = len(prev.items) - 1
    while k > 0 and prev.items[k - 1][1] is Role.BODY and prev.items[k - 1][0].open_end:
        k -= 1
    if prev.items[k][1] is not Role.BODY or (k == 0 and host.runs[0] is prev):
        return  # the host keeps its first text
    extra = host.runs[ri + 1:_chain_end(host.runs, ri, firm) + 1]
    if not extra:
        return  # its continuation is not the host's (it may be the claimed chain itself)
    moving = [prev.items[k:]] + [r.items for r in extra]
    text = " ".join(x.body_text for items in moving for x, rr in items if rr is Role.BODY)
    if vocab.similarity(text, claimant.text) <= vocab.similarity(text, host.text_without(moving)):
        return
    moved = _move_tail(host, prev, k, claimant, firm, before=first)
    decisions.append(Decision("pull-back", moved.items[0][0].id, claimant.items[0][0].id, note=(
        "the paragraph before a claimed follower reads like the claiming head's story")))


def _give_back_prefix(chain: list[Run], claimant: Draft, host: Draft, vocab: Vocabulary, config: Config,
                      decisions: list[Decision]) -> None:
    """Return the start of a follower ``chain`` that a body-less head just claimed to ``host``, the
    article it followed in the dump, when the chain is two stories: the end of the host's and then the
    displaced body of the claimant (an extractor that ran one column on into a body set far from its
    head). The cut is chosen as in :func:`_best_tail`: each block against the rest of its side plus that
    side's head, at a paragraph boundary, kept only when it beats leaving the whole chain with the
    claimant by ``config.split_margin`` (relative). Seed-page variants 500-619: articles_exact 0.930 ->
    0.935; 700-819 0.913 -> 0.917; composed pages unchanged (hard text loses 0.003 with no margin)."""
    assert claimant.head is not None and host.head is not None
    body = [(ri, k, t) for ri, run in enumerate(chain) for k, (t, role) in enumerate(run.items)
            if role is Role.BODY]
    if len(body) < 2:
        return
    fixed = [t.body_text for run in host.runs for t, role in run.items if role is Role.BODY]
    coh = _Cohesion(vocab, fixed + [t.body_text for _, _, t in body], vocab.linear(host.head.text),
                    vocab.linear(claimant.head.text))
    whole = coh.score(len(fixed))
    best: tuple[float, int] | None = None
    for n in range(1, len(body)):
        if not _paragraph_break(body[n - 1][2], body[n][2]):
            continue
        score = coh.score(len(fixed) + n)
        if score > whole * (1 + config.split_margin) and (best is None or score > best[0]):
            best = (score, n)
    if best is None:
        return
    first = chain[0].items[0][0].id
    ri, k, cur = body[best[1]]
    prefix = chain[:ri]
    for run in prefix:
        claimant.runs.remove(run)
    if k:
        prefix.append(Run(items=chain[ri].items[:k], split_from=chain[ri]))
        chain[ri].items = chain[ri].items[k:]
    host.runs.extend(prefix)
    decisions.append(Decision("give-back-prefix", first, host.items[0][0].id,
                              (Candidate(cur.id, round(best[0], 4), {"unsplit": round(whole, 4)}),),
                              note=f"the chain from {cur.id} on stays with the claiming head"))


def _head_coverage(vocab: Vocabulary, head: Head, text: str) -> float:
    """How much of ``head`` ``text`` talks about: the better of the whole head and the headline proper
    (a subheadline or kicker adds terms a body need not repeat, which would dilute the whole)."""
    whole, title = vocab.coverage(head.text, text), head.title
    return whole if title == head.text else max(whole, vocab.coverage(title, text))


#: Body blocks of a run read to choose among several heads stacked over it (see :func:`_owner`).
OWNER_START_BLOCKS = 3


def _start_text(run: Run) -> str:
    """The start of the story under a head: the text of the first ``OWNER_START_BLOCKS`` body blocks of
    ``run``. What a head is about is told there; a run may go on into the next story when no paragraph
    break shows where that starts."""
    return " ".join([t.body_text for t, role in run.items if role is Role.BODY][:OWNER_START_BLOCKS])


def _owner(chain: list[Run], drafts: dict[int, Draft], vocab: Vocabulary, config: Config,
           decisions: list[Decision], over: set[int]) -> Head | None:
    """The head a chain belongs to by position: among the body-less heads stacked directly before one
    of its runs, the one the chain's text covers best (the nearest on a tie). Several heads can stack up
    when an extractor emits headlines ahead of their bodies. Position loses to content when another
    body-less head elsewhere on the page is covered clearly better (``config.steal_margin``): then the
    chain is left to the content matching of orphans. A head that stands alone over the start of another
    chain (``over``, ids of such heads) is no such rival: position gives it a story of its own, and the
    words a story shares with it (``服务阵地`` in a story about 工会驿站) do not take that away. Without
    this, a continuation under its lone jump headline lost it to a head whose own story stood lower
    down, and that story went to the jump headline (composed tune pages, articles_exact: medium text
    0.9408 -> 0.9414, hard 0.4734 -> 0.4744, medium JSON 0.9872 -> 0.9889, seed-page variants 500-619
    0.9375 -> 0.9383)."""
    text = " ".join(r.text for r in chain)
    for r in chain:
        free = [h for h in r.heads if not drafts[id(h)].runs]
        if len(free) > 1:
            # Which of several stacked heads: the one the start of the text under them is about (a run
            # may go on into the next story when no paragraph break shows where it starts).
            text = _start_text(r)
        if not free:
            continue
        scored = [(vocab.coverage(h.text, text), -n, h) for n, h in enumerate(reversed(free))]
        best = max(scored, key=lambda x: (x[0], x[1]))
        if all(h.latin for h in free):
            # Latin-script heads are short and share function words and datelines with any story, so
            # coverage says little: the head right above the text is its headline; the ones above it
            # are section titles or a kicker (see _merge_latin_stack).
            if len(free) > 1:
                decisions.append(Decision("attach-stacked-head", r.items[0][0].id, free[-1].parts[0][0].id,
                                          tuple(Candidate(h.parts[0][0].id, round(s, 4)) for s, _, h in scored),
                                          note="nearest Latin-script head"))
            return free[-1]
        others = [vocab.coverage(d.head.text, text) for d in drafts.values()
                  if d.head is not None and not d.runs and d.head not in free and not d.head.photo
                  and id(d.head) not in over]
        rival = max(others, default=0.0)
        if rival >= config.attach_similarity and rival > best[0] + config.steal_margin:
            decisions.append(Decision("attach-stacked-head", r.items[0][0].id, None,
                                      (Candidate("stacked", round(best[0], 4)),
                                       Candidate("elsewhere", round(rival, 4))),
                                      note="left to content matching"))
            return None
        if len(free) > 1:
            decisions.append(Decision("attach-stacked-head", r.items[0][0].id, best[2].parts[0][0].id,
                                      tuple(Candidate(h.parts[0][0].id, round(s, 4)) for s, _, h in scored)))
        return best[2]
    return None


def _reseat_boundary_parts(heads: list[Head], drafts: dict[int, Draft], vocab: Vocabulary, config: Config,
                           decisions: list[Decision]) -> None:
    """Move a block at the boundary of two neighbouring heads of one cluster to the other head when the
    other head's story is about it and its own is not.

    Grouping splits a cluster by the text right under it, which is the lower head's story; the upper
    head's story may stand lower down on the page. Once both heads have their stories, a subheadline of
    the upper head that went with the lower (``物流服务员``, over a story of 工会服务阵地 that shares
    ``服务`` with it) is told by the starts of the two stories (:func:`_start_text`): the other story's
    start covers it at least ``config.follow_coverage_paired``, its own less than ``config.reseat_cross``
    of that. The part moves only if its head keeps another block, and never across a typographic tie.
    Run after the merge of body-less heads into their mates, so a block that merge put at a head's edge
    (``会议决定``, kicker of the story above, grouped with the next head) can still go back."""
    for hi in range(len(heads) - 1):
        upper, lower = heads[hi], heads[hi + 1]
        if upper.cluster != lower.cluster or upper.photo or lower.photo or upper.latin or lower.latin:
            continue
        up_runs, low_runs = drafts[id(upper)].runs, drafts[id(lower)].runs
        if not up_runs or not low_runs:
            continue
        up_start, low_start = _start_text(up_runs[0]), _start_text(low_runs[0])
        # the lower head's first block up, or the upper head's last block down
        for src, dst, k, own, other in ((lower, upper, 0, low_start, up_start),
                                        (upper, lower, len(upper.parts) - 1, up_start, low_start)):
            if len(src.parts) < 2:
                continue
            tag = src.parts[k][0]
            near = src.parts[1 if k == 0 else k - 1][0]
            a, b = (tag, near) if k == 0 else (near, tag)
            if _dash_tied(a, b) or _stacked(a, b):
                continue  # typography ties the block to the rest of its head
            there, here = vocab.coverage(tag.text, other), vocab.coverage(tag.text, own)
            if there < config.follow_coverage_paired or here >= config.reseat_cross * there:
                continue
            src_tags = [t for t, _ in src.parts if t is not tag]
            dst_tags = [t for t, _ in dst.parts]
            dst_tags = dst_tags + [tag] if k == 0 else [tag] + dst_tags
            src.parts = head_roles(src_tags, config)
            dst.parts = head_roles(dst_tags, config)
            decisions.append(Decision("reseat-head-part", tag.id, dst.parts[0][0].id,
                                      (Candidate(dst.parts[0][0].id, round(there, 4)),
                                       Candidate(src.parts[0][0].id, round(here, 4))),
                                      note="the other head's story covers this block, its own does not"))
            break


def _merge_mates(heads: list[Head], drafts: dict[int, Draft], vocab: Vocabulary, config: Config,
                 decisions: list[Decision]) -> None:
    """Merge each body-less head into the neighbouring head it is part of (:func:`_mate`), as its kicker
    or subheadline; ``heads`` and ``drafts`` are updated in place."""
    for hi in range(len(heads) - 1, -1, -1):  # backwards: a merge removes ``heads[hi]``
        found = _mate(heads, hi, drafts, vocab, config)
        if found is None:
            continue
        mate, cover = found
        head = heads.pop(hi)
        del drafts[id(head)]
        decisions.append(Decision("merge-head", head.parts[0][0].id, mate.parts[0][0].id,
                                  (Candidate(mate.parts[0][0].id, round(cover, 4)),),
                                  note="the start of the neighbouring head's story covers this head"))
        _merge_parts(head, mate, head.pos < mate.pos)


def _mate(heads: list[Head], i: int, drafts: dict[int, Draft], vocab: Vocabulary,
          config: Config) -> tuple[Head, float] | None:
    """The head that body-less ``heads[i]`` is part of, if any, with the coverage that tells: a neighbouring
    head of its cluster that has a body whose start (:func:`_start_text`) covers ``heads[i]``'s terms at
    least ``config.mate_coverage``. The grouping split the two by the first paragraph alone (a subheadline whose
    words come only further down); the start of the story shows they are one head. A whole story would
    not tell: a long body covers the generic terms of any head of the page. Merged before body-less heads
    take tails: otherwise the head takes another story's tail, and the story's own tail, read against the
    mate's part of the head alone, may be re-homed away."""
    h = heads[i]
    if drafts[id(h)].runs or h.photo or h.latin:
        return None  # Latin-script heads stand alone, as in :func:`_merge_bodyless`
    found: tuple[Head, float] | None = None
    for j in (i - 1, i + 1):
        if 0 <= j < len(heads) and heads[j].cluster == h.cluster and not heads[j].photo:
            runs = drafts[id(heads[j])].runs
            cover = vocab.coverage(h.text, _start_text(runs[0])) if runs else 0.0
            if cover >= config.mate_coverage and (found is None or cover > found[1]):
                found = heads[j], cover
    return found


def _take_tails(bodyless: list[Draft], drafts: list[Draft], vocab: Vocabulary, config: Config,
                decisions: list[Decision], join_from: dict[str, str]) -> None:
    """Let body-less drafts take the tails of other articles' runs (:func:`_best_tail`), best move first.

    Each round weighs every body-less draft against the runs as they are and makes the single move with
    the highest cohesion gain, then weighs the rest again: a tail goes to the head it reads most like, not
    to the first head on the page that it reads like at all (``三类服务阵地…`` took a story about ``工会驿站
    服务阵地`` that ``安徽…工会驿站建设`` stood bodyless for, further down the page). Composed medium text
    tune pages: articles_exact 0.9179 -> 0.9200 (B-cubed 0.9835 -> 0.9840); other levels, JSON, seed
    variants and real pages unchanged."""
    left = list(bodyless)
    while left:
        found = [(_best_tail(d, [x for x in drafts if x is not d and x.runs], vocab, config), d) for d in left]
        ready = [(best, cands, d) for (best, cands), d in found if best is not None]
        if not ready:
            for (_, cands), d in found:
                _record_tail(d, None, cands, decisions)
            return
        (gain, donor, run, k), cands, d = max(ready, key=lambda x: x[0][0])
        k = _extend_back(run, k, donor, d, vocab)
        tail_run = _move_tail(donor, run, k, d, join_from)
        d.score = min(d.score, min(1.0, 0.5 + gain))
        _record_tail(d, tail_run.items[0][0].id, cands, decisions)
        left.remove(d)


def _record_tail(d: Draft, chosen: str | None, cands: list[Candidate], decisions: list[Decision]) -> None:
    """The ``take-tail`` decision of body-less ``d`` for ``--explain``: the tail it took (``chosen``, its
    first block) or ``None``, and its five best candidates."""
    assert d.head is not None
    cands.sort(key=lambda c: -c.score)
    decisions.append(Decision("take-tail", d.head.parts[0][0].id, chosen, tuple(cands[:5])))


def _best_tail(d: Draft, donors: list[Draft], vocab: Vocabulary,
               config: Config) -> tuple[tuple[float, Draft, Run, int] | None, list[Candidate]]:
    """The best tail of a donor's run for body-less draft ``d`` (gain, donor, run, first item) and the
    candidates weighed, for ``--explain``.

    Extractors often append the body of one article to the end of another's run. For every paragraph
    boundary of a donor run (the block before ends a sentence and is not joined on), the run is split in
    two and each block is compared with the rest of its side (leave one out) plus that side's head: the
    donor's head for the prefix, ``d``'s head for the tail. Only tails closer to ``d``'s head than to
    the donor's (summed over their blocks) qualify. A split qualifies when it beats not splitting by
    ``config.split_margin`` (relative), so a tail moves only when both sides read more coherently apart
    than together, or, with any gain, when ``d``'s head claims the tail as it would a follower chain
    (:func:`_claims`). The qualifying split with the highest mean cohesion wins. A tail must be about
    ``d``'s head by more than ``config.tail_affinity``: a tail that merely reads unlike its donor (another
    story appended there, about neither head) otherwise outbid the head's own body on cohesion gain.
    """
    assert d.head is not None
    head_vec = vocab.linear(d.head.text)
    best: tuple[float, Draft, Run, int] | None = None
    cands: list[Candidate] = []
    for donor in donors:
        if donor.head is None or donor.kind != "article":
            continue
        donor_vec = vocab.linear(donor.head.text)
        for run in donor.runs:
            body = [(k, t) for k, (t, r) in enumerate(run.items) if r is Role.BODY]
            if len(body) < 2:
                continue
            # The donor's other runs stay on the donor's side whatever the cut.
            fixed = [t.body_text for rr in donor.runs if rr is not run for t, role in rr.items
                     if role is Role.BODY]
            coh = _Cohesion(vocab, fixed + [t.body_text for _, t in body], donor_vec, head_vec)
            base = coh.score(len(fixed) + len(body))
            affinity = [vocab.similarity(t.body_text, d.head.text) - vocab.similarity(t.body_text, donor.head.text)
                        for _, t in body]
            for n in range(1, len(body)):
                k, cur = body[n]
                if not _paragraph_break(body[n - 1][1], cur):
                    continue
                score = coh.score(len(fixed) + n)
                gain = (score - base) / base if base > 0 else 0.0
                about = sum(affinity[n:])
                cands.append(Candidate(cur.id, round(gain, 4), {"cohesion": round(score, 4),
                                                                 "unsplit": round(base, 4),
                                                                 "head_affinity": round(about, 4)}))
                # A split counts when it raises cohesion by ``split_margin``, or, with any gain, when the
                # tail as a whole is about d's head the way a follower chain must be for a body-less head
                # to claim it from the article it follows (_claims): a story set right under another
                # story's end, its own head standing elsewhere, without the sharp topic break the
                # cohesion measure needs (two stories on one theme). Not between heads of one cluster:
                # they are parts of one head split apart (_merge_bodyless puts them together).
                ok = gain >= config.split_margin or (
                    gain > 0 and not d.head.latin and d.head.cluster != donor.head.cluster
                    and _tail_claimed(d.head, donor.head, body[n:], vocab, config))
                if about > config.tail_affinity and ok and (best is None or gain > best[0]):
                    best = (gain, donor, run, k)
    return best, cands


def _extend_back(run: Run, k: int, donor: Draft, d: Draft, vocab: Vocabulary) -> int:
    """Move a tail's cut earlier while the paragraph before it reads more like the tail (and its new
    head) than like the rest of the donor: the first paragraph of a displaced body often shares few
    words with anything, and the cohesion optimum then lands one paragraph late."""
    lowest = 0 if donor.runs and donor.runs[0] is not run else 1  # the donor keeps its first text
    while k > lowest:
        t, r = run.items[k - 1]
        prev = run.items[k - 2][0] if k >= 2 else None
        if r is not Role.BODY or not _paragraph_break(prev, t):
            break
        tail = (d.head.text if d.head else "") + " " + " ".join(x.body_text for x, rr in run.items[k:]
                                                             if rr is Role.BODY)
        rest = donor.text_without([run.items[k - 1 :]])
        if vocab.similarity(t.body_text, tail) <= vocab.similarity(t.body_text, rest):
            break
        k -= 1
    return k


class _Cohesion:
    """Mean leave-one-out cosine of each block to the rest of its side plus that side's head, for every
    cut of a run into a prefix (side a, donor's head) and a tail (side b, the body-less head).

    With linear tf-idf vectors every quantity is a sum of dot products, so a Gram matrix computed once
    gives the score of each cut in O(n^2) arithmetic instead of rebuilding vectors per cut.
    """

    def __init__(self, vocab: Vocabulary, texts: list[str], head_a: dict[str, float],
                 head_b: dict[str, float]) -> None:
        vecs = [vocab.linear(t) for t in texts]
        self.n = len(vecs)
        self.gram = [[dot(u, v) for v in vecs] for u in vecs]
        self.ha = [dot(v, head_a) for v in vecs]
        self.hb = [dot(v, head_b) for v in vecs]
        self.haa = dot(head_a, head_a)
        self.hbb = dot(head_b, head_b)

    def _side(self, idx: range, h: list[float], hh: float) -> float:
        g = self.gram
        total = 0.0
        w2 = hh + 2 * sum(h[j] for j in idx) + sum(g[j][k] for j in idx for k in idx)
        for i in idx:
            vw = h[i] + sum(g[i][j] for j in idx)
            vv = g[i][i]
            num = vw - vv
            rest2 = w2 - 2 * vw + vv
            if vv > 0 and rest2 > 1e-12:
                total += num / math.sqrt(vv * rest2)
        return total

    def score(self, cut: int) -> float:
        return (self._side(range(0, cut), self.ha, self.haa)
                + self._side(range(cut, self.n), self.hb, self.hbb)) / self.n


def _rehome_tails(drafts: list[Draft], vocab: Vocabulary, config: Config, decisions: list[Decision],
                  join_from: dict[str, str], laid_out: bool,
                  edition_pages: AbstractSet[int] | None = None) -> None:
    """Move the tail of a run to another article when the tail reads far more like that article.

    Extractors append one story's paragraphs to another's column, or put them right under another's
    head. At every paragraph boundary of every run (the block before ends a sentence, the block after is
    plain body), and at the first text under a head, the tail (with the runs joined on after it) is
    compared with each other article's text and with the rest of its own article;
    the best move wins when the similarity gain is at least ``config.rehome_margin``. A few rounds, so a
    tail can also go back where it came from if a later move changes the picture. An article that had
    text when the moves began stays a target when a move empties it (its head is still what it is
    about): a head that had claimed another story's paragraph and lost it can still get its own body
    back. Seed-page variants 700-819: articles_exact 0.9350 -> 0.9367; hard text tune 0.4777 -> 0.4787,
    300-399 0.4414 -> 0.4420; medium text 400-599 0.9317 -> 0.9314 (one article); the other sets unchanged.
    Heads that never had text are no targets: a subhead read as a head took a paragraph (medium 590).

    A continuation (an article with a jump-in line) gives no tails when the page it goes on from is in
    the edition (``edition_pages``; ``None``, not known, counts as in): it is judged with its start. When
    that page is missing, its tails move at ``config.rehome_jump_margin``, the text right under the jump
    line never.
    """
    def texts(items: Sequence[tuple[Tag, Role]], roles: tuple[Role, ...], head: Head | None = None) -> tuple[str, ...]:
        body = tuple(x.body_text for x, role in items if role in roles)
        return (head.text, *body) if head is not None else body

    # Term counts and vectors are functions of the texts they are summed from, so they are kept by those
    # texts for the whole call: a round after a move recomputes only what the move changed.
    summed: dict[tuple[str, ...], Counter[str]] = {}
    vectors: dict[tuple[str, ...], tuple[dict[str, float], float]] = {}

    def counts(key: tuple[str, ...]) -> Counter[str]:
        hit = summed.get(key)
        if hit is None:
            hit = summed[key] = summed_terms(key)
        return hit

    def weighted(key: tuple[str, ...]) -> tuple[dict[str, float], float]:
        hit = vectors.get(key)
        if hit is None:
            hit = vectors[key] = vocab.weighted(counts(key))
        return hit

    both = (Role.BODY, Role.SUBHEAD)
    bodied = {id(d) for d in drafts if d.runs}
    for _ in range(config.rehome_rounds):
        best: tuple[float, Draft, Run, int, Draft, bool] | None = None
        # Term counts are summed per block instead of re-reading joined texts: the same numbers
        # (a space never joins two CJK characters into a bigram), at a fraction of the cost.
        totals = {id(d): texts(d.items, both, d.head) for d in drafts}
        target_vecs = {id(d): weighted(totals[id(d)]) for d in drafts if id(d) in bodied}
        for donor in drafts:
            jumped_in = [t.marker.page for t, _ in donor.items
                         if t.marker is not None and t.marker.direction is JumpDirection.IN]
            # A continuation is judged with its start, on another page of the edition (the link stage
            # joins the two); when that page is not in the edition (one page of a paper read alone), it is
            # all there is of its story and is weighed like any other article, at a wider margin.
            if jumped_in and (edition_pages is None or any(p is None or p in edition_pages for p in jumped_in)):
                continue
            for ri, run in enumerate(donor.runs):
                items = run.items
                for k in range(len(items)):
                    t, r = items[k]
                    if r is not Role.BODY:
                        continue
                    prev = next((x for x, rr in reversed(items[:k]) if rr is Role.BODY), None)
                    if not _paragraph_break(prev, t):
                        continue
                    if prev is None and ri == 0 and (donor.head is None or laid_out or t.latin or jumped_in):
                        # The first text of a headless run stays: it is what the run is. Under a head it
                        # may move (text dumps: extractors put one story's paragraphs right under another's
                        # head), but not where the page's geometry set it under the head (composed hard
                        # JSON tune pages: 12 of 100 lost articles, a paragraph fragment moved each time),
                        # nor in Latin-script columns, where one section head stacks short items that read
                        # unlike each other (BnL 1858: four dateline items moved, B-cubed 0.992 -> 0.779),
                        # nor under a jump-in line, which says that this text goes on from another page
                        # (at the plain margin a one-page composed edition's continuation lost its whole
                        # body, seed 210; at ``rehome_jump_margin``, hard text tune join F1 0.8208 ->
                        # 0.8213).
                        continue
                    if prev is not None and join_from.get(prev.id) == t.id:
                        continue
                    # Either the tail with the runs joined on after it, or everything after this point.
                    n_moved = 0
                    for whole in (False, True):
                        moved = _tail_runs(donor, ri, k, join_from, whole)
                        if len(moved) == n_moved:
                            continue  # every later run is joined on: the same move as without ``whole``
                        n_moved = len(moved)
                        flat = [it for rr in moved for it in rr]
                        if any(role is Role.JUMP_TO for _, role in flat):
                            continue  # the text over a jump-out line is the end of the article that jumps
                        tail = weighted(texts(flat, (Role.BODY,)))
                        theres = [(target, vocab.cos(tail, target_vecs[id(target)])) for target in drafts
                                  if target is not donor and id(target) in bodied]
                        # The gain is at most the similarity there (``own`` >= 0): skip the costly ``own``
                        # when no target could reach the margin or beat the best move so far.
                        top = max((there for _, there in theres), default=0.0)
                        if top < config.rehome_margin or best is not None and top <= best[0]:
                            continue
                        # Nor when every target stays under ``rehome_ratio`` times ``own``: a lower bound of
                        # ``own`` from the tail's terms settles that for most tails without weighing the rest.
                        total, part = counts(totals[id(donor)]), counts(texts(flat, both))
                        floor = vocab.cos_floor_without(tail, total, part, target_vecs[id(donor)][1])
                        if top < config.rehome_ratio * floor:
                            continue
                        own = vocab.cos(tail, vocab.weighted_without(total, part))
                        for target, there in theres:
                            gain = there - own
                            if there < config.rehome_ratio * own:
                                continue
                            if jumped_in and gain < config.rehome_jump_margin:
                                continue
                            if best is None or gain > best[0]:
                                best = (gain, donor, run, k, target, whole)
        if best is None or best[0] < config.rehome_margin:
            return
        gain, donor, run, k, target, whole = best
        tail_run = _move_tail(donor, run, k, target, join_from, whole)
        target.score = min(target.score, 0.5 + min(gain, 0.5))
        decisions.append(Decision("rehome-tail", tail_run.items[0][0].id, target.items[0][0].id,
                                  (Candidate(target.items[0][0].id, round(gain, 4)),)))


def _move_tail(donor: Draft, run: Run, k: int, target: Draft, join_from: Mapping[str, str],
               whole: bool = False, before: Run | None = None) -> Run:
    """Move ``run``'s items from ``k`` on, with the runs that go with them (see :func:`_tail_runs`),
    from ``donor`` to the end of ``target`` (or before its run ``before``); return the new run holding
    the moved part of ``run``."""
    ri = donor.runs.index(run)
    extra = donor.runs[ri + 1 : ri + len(_tail_runs(donor, ri, k, join_from, whole))]
    tail_run = Run(items=run.items[k:], split_from=run)
    run.items = run.items[:k]
    for moved_run in extra:
        donor.runs.remove(moved_run)
    if not run.items:
        donor.runs.remove(run)
    at = target.runs.index(before) if before is not None else len(target.runs)
    target.runs[at:at] = [tail_run, *extra]
    return tail_run


def _tail_runs(donor: Draft, ri: int, k: int, join_from: Mapping[str, str],
               whole: bool = False) -> list[list[tuple[Tag, Role]]]:
    """The items a tail move would take: run ``ri`` from item ``k`` on, plus the following runs of the
    draft that are joined on from it (a paragraph continued elsewhere travels with its start), or with
    ``whole`` every following run of the draft."""
    last = len(donor.runs) - 1 if whole else _chain_end(donor.runs, ri, join_from)
    return [donor.runs[ri].items[k:]] + [r.items for r in donor.runs[ri + 1 : last + 1]]


def _title_photos(drafts: list[Draft], others: list[Draft], decisions: list[Decision]) -> list[Draft]:
    """A photo whose title the extractor put elsewhere gets the nearest short body-less head as title.

    Photo titles are short and never have a body of their own, and captions rarely repeat their words,
    so proximity in the dump is the evidence; each photo takes at most one title."""
    photos = [d for d in others if d.kind == "photo" and d.head is not None
              and not any(r is Role.HEADLINE for _, r in d.head.parts)]
    lonely = [d for d in drafts if d.head is not None and not d.runs and not d.head.photo
              and len(d.head.parts) == 1 and not d.head.parts[0][0].latin
              and len(d.head.parts[0][0].text.replace(" ", "")) <= 12]
    drop: set[int] = set()
    for photo in photos:
        free = [d for d in lonely if id(d) not in drop]
        if not free or photo.head is None:
            continue
        title = min(free, key=lambda d: (abs(d.order - photo.order), d.order))
        tag = title.items[0][0]
        photo.head.parts.insert(0, (tag, Role.HEADLINE))
        drop.add(id(title))
        decisions.append(Decision("photo-title", photo.items[1][0].id, tag.id,
                                  tuple(Candidate(d.items[0][0].id, float(abs(d.order - photo.order)))
                                        for d in free[:5]), note="nearest short head without a body"))
    return [d for d in drafts if id(d) not in drop]


def _merge_bodyless(drafts: list[Draft], vocab: Vocabulary) -> list[Draft]:
    """A body-less head next to another head of its cluster becomes its kicker (before) or
    subheadline (after): two heads cannot share one body, so the split was wrong. Between two heads, it
    goes to the one whose story covers its terms more (a headline whose kicker took its displaced body
    belongs with that kicker, not with the next story's headline); the next one when neither does."""
    by_cluster: dict[int, list[Draft]] = {}
    for d in drafts:
        if d.head is not None and not d.head.photo:
            by_cluster.setdefault(d.head.cluster, []).append(d)
    drop: set[int] = set()
    for group in by_cluster.values():
        group.sort(key=lambda d: d.order)
        _merge_latin_stack(group, drop)
        merged = True
        while merged:  # a head merged away leaves its neighbours next to each other: look again
            merged = False
            alive = [d for d in group if id(d) not in drop]
            # Only body-less drafts are ever dropped, so a neighbour with runs is still alive in this pass.
            for gi, d in enumerate(alive):
                if d.runs or len(alive) < 2:
                    continue
                if d.head is None or d.head.latin:
                    continue  # Latin-script section titles stand alone (kickers there are set apart in type)
                head_text = d.head.text
                sides = [(side.head, " ".join(r.text for r in side.runs), j > gi)
                         for j in (gi + 1, gi - 1) if 0 <= j < len(alive)
                         for side in (alive[j],) if side.runs and side.head is not None]
                if not sides:
                    continue
                target, _, before = max(sides, key=lambda side: (vocab.coverage(head_text, side[1]), side[2]))
                _merge_parts(d.head, target, before)
                drop.add(id(d))
                merged = True
    return [d for d in drafts if id(d) not in drop]


def _merge_parts(head: Head, target: Head, before: bool) -> None:
    """Put the blocks of ``head`` into ``target`` as its kicker (``before`` it) or subheadline."""
    extra = [(t, Role.KICKER if before else Role.SUBHEADLINE) for t, _ in head.parts]
    target.parts = extra + target.parts if before else target.parts + extra
    _reassign_head_roles(target)


def _merge_latin_stack(group: list[Draft], drop: set[int]) -> None:
    """Latin-script heads stacked without a body over the headline of a story (one cluster, in order).

    One head above the headline in no larger type is its kicker (``FEUILLETON.`` over ``Suez et
    Marseille.``). Heads in larger type above it are section titles (``Zeitungsnachrichten.`` /
    ``Nouvelles des journaux.`` over ``Kölnische Zeitung.``): all of them together are one item of their
    own, of kind furniture (library METS files record them as a section's heading, outside its articles;
    the gold format's furniture is what belongs to no article). Without font sizes a stack of two or more is a
    section title; a single head stays as it is (one block says too little)."""
    k = 0
    while k < len(group):
        d = group[k]
        start = k
        while start > 0 and not group[start - 1].runs and id(group[start - 1]) not in drop:
            start -= 1
        stack = group[start:k]
        k += 1
        heads = [s.head for s in stack if s.head is not None]  # every draft of a cluster has a head
        if not d.runs or not heads or d.head is None or not all(h.latin for h in [*heads, d.head]):
            continue
        main = max((t.block.font_size or 0.0 for t, r in d.head.parts if r is Role.HEADLINE), default=0.0)
        sizes = [t.block.font_size or 0.0 for h in heads for t, _ in h.parts]
        if len(heads) == 1 and main and all(0 < x <= 1.05 * main for x in sizes):
            d.head.parts = [(t, Role.KICKER) for t, _ in heads[0].parts] + d.head.parts
            drop.add(id(stack[0]))
        elif len(heads) > 1:
            first = stack[0]
            first.head, first.kind = None, "furniture"
            first.runs = [Run(items=[(t, Role.FURNITURE) for h in heads for t, _ in h.parts])]
            first.notes.append("section title")
            drop.update(id(s) for s in stack[1:])


def masthead(drafts: list[Draft], paper: str, page_height: float | None) -> list[Draft]:
    """On an edition's front page: the nameplate (a head whose text is the publication's title, as a METS
    file names it) with the blocks beside and under it in the top of the page and the furniture above it
    (issue number, date) is one masthead, of kind furniture, as library METS files record it.

    Only blocks in the top ``MASTHEAD_SHARE`` of the page are taken (BnL 1858: the masthead ends at 21 %
    of the page height, the first article starts at 22 %); anything lower stays an article."""
    if not page_height:
        return drafts
    wanted = default_process(paper)
    plate = next((d for d in drafts if d.head is not None and d.kind == "article"
                  and any(fuzz.ratio(default_process(t.text), wanted) >= 85 for t, _ in d.head.parts)), None)
    if plate is None:
        return drafts
    limit = MASTHEAD_SHARE * page_height

    def top(t: Tag) -> bool:
        return t.block.bbox is not None and t.block.bbox.bottom <= limit

    taken = [(t, Role.FURNITURE) for t, _ in plate.items if top(t)]
    plate_bottom = max((t.block.bbox.bottom for t, _ in taken if t.block.bbox is not None), default=0.0)
    out: list[Draft] = []
    for d in drafts:
        if d is plate:
            rest = [(t, r) for t, r in d.items if not top(t)]
            if rest:
                out.append(Draft(head=None, runs=[Run(items=rest)], notes=["no headline found for this text"]))
            continue
        if d.kind == "furniture":
            rest = []
            for t, r in d.items:
                above = t.block.bbox is not None and t.block.bbox.bottom <= plate_bottom
                (taken if above else rest).append((t, r))
            if rest:
                out.append(Draft(head=None, runs=[Run(items=rest)], kind="furniture"))
            continue
        out.append(d)
    taken.sort(key=lambda x: x[0].block.index)
    out.append(Draft(head=None, runs=[Run(items=taken)], kind="furniture", notes=["masthead"]))
    out.sort(key=lambda d: d.order)
    return out


#: Share of the page height from the top within which a front page's masthead lies (see :func:`masthead`).
MASTHEAD_SHARE = 0.3


def _reassign_head_roles(head: Head) -> None:
    """After a merge, exactly one main headline: keep the one already marked, demote others."""
    mains = [i for i, (_, r) in enumerate(head.parts) if r in (Role.HEADLINE, Role.KICKER_HEADLINE)]
    if len(mains) <= 1:
        return
    keep = mains[-1] if head.parts[mains[-1]][1] is Role.HEADLINE else mains[0]
    for i in mains:
        if i != keep:
            t, _ = head.parts[i]
            head.parts[i] = (t, Role.KICKER if i < keep else Role.SUBHEADLINE)


def people(tags_roles: Sequence[tuple[Tag, Role]]) -> tuple[tuple[str, ...], str | None]:
    """Byline and dateline of an article: from a byline block, else the dateline lead's credits."""
    byline: tuple[str, ...] = ()
    dateline = None
    for t, r in tags_roles:
        if r is Role.BYLINE and not byline:
            byline = split_people(t.text)
        elif r is Role.CREDIT and not byline:
            byline = (t.text.strip(),)
        elif r is Role.BODY and t.lead is not None and dateline is None:
            dateline = t.lead.dateline
            if not byline:
                byline = t.lead.bylines
    return byline, dateline


def ends_complete(paragraphs: Sequence[str]) -> bool:
    """Does the body stop at the end of a sentence?"""
    return bool(paragraphs) and ends_sentence(paragraphs[-1])
