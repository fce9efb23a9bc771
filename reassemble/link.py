"""Stage 6, link: follow jump lines across the pages of an edition.

An article that stops with a jump-out line (``（下转第2版）``, ``Continued on Page 6``) is matched to a
continuation on the named page that opens with a jump-in line (``（上接第1版）``), usually under a short
jump headline. Candidates are scored by the broken-sentence join score of the two fragments, the fuzzy
similarity of the jump headline to the source article's headline, kicker and body, and whether the pages
agree; the assignment is one-to-one over the whole edition, best first. Links below
``config.link_threshold`` are left unlinked and flagged; every candidate is kept for ``--explain``.
Before scoring, a jump-out line that the extractor put after another story's text is given back to the
story whose head the jump headline on the named page shortens (:func:`_reown_jump_lines`).
"""

from __future__ import annotations

from collections.abc import Mapping

from rapidfuzz import fuzz

from .assemble import Draft, Head, head_roles
from .classify import Tag
from .config import Config
from .model import Candidate, Decision, Join, JumpDirection, Role
from .score import Vocabulary, choose_joins, combine, join_features


def _jump(d: Draft, direction: JumpDirection) -> int | None:
    """The page a draft's jump line points at (first jump-in at the start, last jump-out at the end)."""
    items = d.items if direction is JumpDirection.IN else list(reversed(d.items))
    for t, _r in items:
        if t.marker is not None and t.marker.direction is direction:
            return t.marker.page if t.marker.page is not None else -1
    return None


def _last_body(d: Draft) -> Tag | None:
    body = [t for t, r in d.items if r is Role.BODY]
    return body[-1] if body else None


def _jumping_body(d: Draft) -> Tag | None:
    """The body block whose text goes on on another page: the last one before the draft's last jump-out
    line (text placed after that line belongs elsewhere in the article), else the last one."""
    items = d.items
    out = next((k for k in range(len(items) - 1, -1, -1) if items[k][1] is Role.JUMP_TO), None)
    body = [t for t, r in (items if out is None else items[:out]) if r is Role.BODY]
    return body[-1] if body else _last_body(d)


def _first_body(d: Draft) -> Tag | None:
    body = [t for t, r in d.items if r is Role.BODY]
    return body[0] if body else None


def _flow_candidates(drafts_by_page: Mapping[int, list[Draft]], vocab: Vocabulary, config: Config,
                     meta: dict[tuple[str, str], tuple[Draft, Draft]],
                     foot: Mapping[int, frozenset[str]]) -> list[Join]:
    """Continuations without jump lines: an article that stops mid-sentence on page N and a headless
    text on page N+1 that starts mid-sentence or reads like it (many papers, and most nineteenth-century
    ones, simply run the text on at the top of the next page). An article ending in the foot band of
    page N (the feuilleton under the line) may also go on in the foot band of page N+1, even after a
    full stop: there the place on the page is the evidence (``adjacent``)."""
    out: list[Join] = []
    pages = sorted(drafts_by_page)
    for p, q in zip(pages, pages[1:], strict=False):
        if q != p + 1:
            continue
        srcs = [d for d in drafts_by_page[p] if d.kind == "article" and _jump(d, JumpDirection.OUT) is None]
        dsts = [d for d in drafts_by_page[q] if d.kind == "article" and d.head is None
                and _jump(d, JumpDirection.IN) is None]
        first = min((d.order for d in drafts_by_page[q] if d.kind == "article"), default=-1)
        foot_p, foot_q = foot.get(p, frozenset()), foot.get(q, frozenset())
        for src in srcs:
            a = _last_body(src)
            if a is None or not (a.open_end or a.id in foot_p):
                continue
            for dst in dsts:
                b = _first_body(dst)
                if b is None:
                    continue
                under = a.id in foot_p and b.id in foot_q
                if not (a.open_end or under):
                    continue
                f = join_features(a, b, vocab, config, n_blocks=1) or {
                    "word_bridge": 0.0, "quote_balance": 0.0, "start_fragment": 0.0, "content": 0.0}
                # first text of the next page, or foot band to foot band
                f["adjacent"] = 1.0 if dst.order == first or under else 0.0
                f["distance"] = 0.0
                f["content"] = min(vocab.similarity(src.text, dst.text) * 2.0, 1.0)
                score = combine(f, config)
                j = Join(a=a.id, b=b.id, score=round(score, 4),
                         features={k: round(v, 4) for k, v in f.items()}, accepted=False, cross_page=True)
                out.append(j)
                meta[(a.id, b.id)] = (src, dst)
    return out


#: ``fuzz.partial_ratio`` of a body-less head over a jump-in line and the whole head of the article that
#: jumps, from which it is a jump headline: jump headlines are cut-down headlines (``推动“窗口下移”`` of
#: ``三类服务阵地推动“窗口下移”``: 100), while on the seed page the first or last six or seven characters of
#: a headline score at most 57 against the heads of the nine other stories.
JUMP_HEADLINE_MATCH = 80.0


def _jump_headline_over(dst: Draft, drafts: list[Draft], src: Draft) -> Draft | None:
    """The body-less head draft set right over the jump-in line that opens the headless continuation
    ``dst``, when it reads like a cut-down part of the head of ``src`` (the article that jumps), else None.

    Assembly leaves such a head alone when it shares no words with the continued text, which jump
    headlines seldom do; the link is the evidence that names the headline it shortens."""
    title = _jumped_head(dst, src)
    if title is None:
        return None
    d = _head_over(dst, drafts)
    if d is None or d.head is None or fuzz.partial_ratio(d.head.text, title) < JUMP_HEADLINE_MATCH:
        return None
    return d


def _head_over(dst: Draft, drafts: list[Draft]) -> Draft | None:
    """The body-less head draft (not a photo's) set right over ``dst``'s first block in the dump, else None
    (one block, so at most one draft)."""
    first = dst.items[0][0]
    for d in drafts:
        if d is not dst and not d.runs and d.head is not None and not d.head.photo and d.kind == "article" \
                and d.head.parts[-1][0].block.index == first.block.index - 1:
            return d
    return None


def _jump_headline_elsewhere(dst: Draft, drafts: list[Draft], src: Draft) -> tuple[Draft, int] | None:
    """The draft and part index of a head part elsewhere on ``dst``'s page that is the jump headline of
    the headless continuation ``dst``, when there is no body-less head right over its jump-in line.

    Extractors often emit a continuation's jump headline at the top of the page, next to the first
    story's headline, and assembly then groups the two into one head. The link names the headline the
    jump headline shortens: the first or last part of a head of several parts qualifies when it is
    shorter than the jumping article's headline and matches that article's head (``JUMP_HEADLINE_MATCH``)
    while the head's other parts do not. Composed tune pages: medium text articles_exact 0.899 ->
    0.902, hard 0.444 -> 0.445; nothing else changes (``corpus/zh/editions`` included)."""
    title = _jumped_head(dst, src)
    if title is None:
        return None
    assert src.head is not None
    best: tuple[float, Draft, int] | None = None
    for d in drafts:
        if d is dst or d.head is None or d.head.photo or d.kind != "article" or len(d.head.parts) < 2:
            continue
        ratios = [fuzz.partial_ratio(t.text, title) for t, _ in d.head.parts]
        for k in (0, len(d.head.parts) - 1):
            if len(d.head.parts[k][0].text) >= len(src.head.title):
                continue
            others = max(r for n, r in enumerate(ratios) if n != k)
            if ratios[k] >= JUMP_HEADLINE_MATCH > others and (best is None or ratios[k] > best[0]):
                best = (ratios[k], d, k)
    return (best[1], best[2]) if best else None


def _jumped_head(dst: Draft, src: Draft) -> str | None:
    """The whole head of ``src``, the article that jumps, when ``dst`` opens with its jump-in line (the
    text a jump headline over or elsewhere is matched against), else None. The whole head, because which
    of its lines is the main headline may be unsure."""
    if dst.items[0][1] is not Role.JUMP_FROM or src.head is None:
        return None
    return src.head.text


def _jump_title(dst: Draft, drafts: list[Draft]) -> str | None:
    """The jump headline over continuation ``dst``: its own head, else a body-less head set right over its
    jump-in line (assembly leaves such a head apart; see :func:`_jump_headline_over`), else None."""
    if dst.head is not None:
        return dst.head.text
    over = _head_over(dst, drafts)
    return over.head.text if over is not None and over.head is not None else None


def _reown_jump_lines(drafts_by_page: Mapping[int, list[Draft]], decisions: list[Decision]) -> None:
    """Give a jump-out line that the extractor put after another story's text to the story it belongs to.

    The line joins whatever run it follows in the dump. It belongs elsewhere when a continuation on the
    page it names, opening with a jump-in line that names this page back, stands under a jump headline
    that shortens the head of another article of this page (``JUMP_HEADLINE_MATCH``) and not the head of
    the article holding the line, and that other article has no jump-out line of its own and stops
    mid-sentence (its last body block ends open). The line then moves to the end of that article.
    Composed tune pages: medium text articles_exact 0.906 -> 0.909, join F1 0.976 -> 0.978; hard text
    B-cubed F1 0.827 -> 0.830 (join F1 -0.001); of 18 moves on medium and hard pages, 15 went to the
    line's story, one to a head that assembly had merged with it."""
    for p, drafts in drafts_by_page.items():
        for holder in drafts:
            if holder.kind != "article" or not holder.runs:
                continue
            line = next(((r, n) for r in reversed(holder.runs) for n in range(len(r.items) - 1, -1, -1)
                         if r.items[n][1] is Role.JUMP_TO), None)
            if line is None:
                continue
            run, n = line
            tag = run.items[n][0]
            target = tag.marker.page if tag.marker is not None else None
            if target is None or target == p or target not in drafts_by_page:
                continue
            titles = [t for d in drafts_by_page[target] if d.kind == "article"
                      and _jump(d, JumpDirection.IN) in (p, -1)
                      and (t := _jump_title(d, drafts_by_page[target])) is not None]
            own = holder.head.text if holder.head is not None else ""
            titles = [t for t in titles if not own or fuzz.partial_ratio(t, own) < JUMP_HEADLINE_MATCH]
            if not titles:
                continue
            cands = []
            for x in drafts:
                last = _last_body(x)
                if x is holder or x.kind != "article" or x.head is None or x.head.photo or last is None \
                        or not last.open_end or _jump(x, JumpDirection.OUT) is not None:
                    continue
                ratio = max(fuzz.partial_ratio(t, x.head.text) for t in titles)
                if ratio >= JUMP_HEADLINE_MATCH:
                    cands.append((ratio, x))
            if not cands:
                continue
            _, owner = max(cands, key=lambda c: (c[0], -c[1].order))
            item = run.items.pop(n)
            if not run.items:
                holder.runs.remove(run)
            owner.runs[-1].items.append(item)
            decisions.append(Decision("jump-line-owner", tag.id, owner.items[0][0].id, tuple(
                Candidate(x.items[0][0].id, round(r / 100.0, 4)) for r, x in sorted(cands, key=lambda c: -c[0])),
                note="the jump headline on the page named shortens this article's head"))


def link_pages(drafts_by_page: Mapping[int, list[Draft]], page_numbers: set[int], vocab: Vocabulary,
               config: Config, decisions: list[Decision],
               foot: Mapping[int, frozenset[str]] | None = None) -> tuple[list[list[Draft]], list[Join]]:
    """Link jump-outs to jump-ins; return articles as chains of drafts (page, then reading order) and the
    accepted cross-page joins. ``foot``: per page, the blocks of its foot band (see
    :func:`reassemble.layout.foot_band`), when the pages have geometry."""
    _reown_jump_lines(drafts_by_page, decisions)
    outs = [(p, d) for p in sorted(drafts_by_page) for d in drafts_by_page[p]
            if _jump(d, JumpDirection.OUT) is not None]
    ins = [(p, d) for p in sorted(drafts_by_page) for d in drafts_by_page[p]
           if _jump(d, JumpDirection.IN) is not None]
    cands: list[Join] = []
    meta: dict[tuple[str, str], tuple[Draft, Draft]] = {}
    for p_out, src in outs:
        target = _jump(src, JumpDirection.OUT)
        a = _jumping_body(src)
        if a is None:
            continue
        for p_in, dst in ins:
            if dst is src or p_in == p_out:
                continue
            back = _jump(dst, JumpDirection.IN)
            b = _first_body(dst)
            if b is None:
                continue
            f = join_features(a, b, vocab, config, n_blocks=1) or {
                "word_bridge": 0.0, "quote_balance": 0.0, "start_fragment": 0.0, "content": 0.0}
            f["adjacent"] = 0.0
            f["distance"] = 0.0
            f["page_match"] = 1.0 if target == p_in else 0.0
            f["page_back"] = 1.0 if back == p_out else 0.0
            head_txt = dst.head.text if dst.head else ""
            src_txt = src.text
            f["jump_headline"] = fuzz.partial_ratio(head_txt, src_txt) / 100.0 if head_txt else 0.0
            f["content"] = min(vocab.similarity(src_txt, dst.text) * 2.0, 1.0)
            base = combine({k: v for k, v in f.items() if k not in ("page_match", "page_back",
                                                                       "jump_headline")}, config)
            score = 0.35 * f["page_match"] + 0.15 * f["page_back"] + 0.2 * f["jump_headline"] \
                + 0.15 * f["content"] + 0.15 * base
            j = Join(a=a.id, b=b.id, score=round(score, 4), features={k: round(v, 4) for k, v in f.items()},
                     accepted=False, cross_page=True)
            cands.append(j)
            meta[(a.id, b.id)] = (src, dst)
    cands.extend(_flow_candidates(drafts_by_page, vocab, config, meta, foot or {}))
    chosen = choose_joins(cands, config.link_threshold)
    by_a: dict[str, list[Join]] = {}
    for j in chosen:
        by_a.setdefault(j.a, []).append(j)
    # A link whose runner-up is nearly as good is a guess: leave it unlinked and say so.
    ambiguous: set[tuple[str, str]] = set()
    for js in by_a.values():
        js.sort(key=lambda j: -j.score)
        if len(js) > 1 and js[0].accepted and js[0].score - js[1].score < config.link_margin:
            ambiguous.add((js[0].a, js[0].b))
    accepted = [j for j in chosen if j.accepted and (j.a, j.b) not in ambiguous]
    for a_id, js in by_a.items():
        ok = next((j.b for j in js if j.accepted and (j.a, j.b) not in ambiguous), None)
        note = "ambiguous: runner-up within the margin" if any(j.a == a_id for j in chosen
                                                                 if (j.a, j.b) in ambiguous) else ""
        decisions.append(Decision("link", a_id, ok, tuple(Candidate(j.b, j.score, j.features) for j in js[:5]),
                                  note=note))
    absorbed: set[int] = set()
    for j in accepted:
        src, dst = meta[(j.a, j.b)]
        src.linked_next, dst.linked_prev = dst, src
        if dst.head is None and dst.kind == "article":
            lone = _jump_headline_over(dst, drafts_by_page.get(dst.page, []), src)
            if lone is not None and lone.head is not None:
                dst.head, lone.head = lone.head, None
                absorbed.add(id(lone))
                decisions.append(Decision("jump-headline", dst.items[0][0].id, dst.head.parts[0][0].id,
                                          note="the head right over the jump-in line shortens the "
                                               "headline of the article it continues"))
        if dst.head is None and dst.kind == "article":
            found = _jump_headline_elsewhere(dst, drafts_by_page.get(dst.page, []), src)
            if found is not None:
                holder, k = found
                assert holder.head is not None
                part = holder.head.parts[k]
                rest = [t for n, (t, _) in enumerate(holder.head.parts) if n != k]
                dst.head = Head(parts=[part], cluster=holder.head.cluster)
                holder.head.parts = head_roles(rest, config)
                decisions.append(Decision("jump-headline", dst.items[0][0].id, part[0].id,
                                          note="a head part elsewhere on the page shortens the headline "
                                               "of the article it continues"))
        if dst.head is not None and dst.kind == "article":
            dst.head.parts = [(t, Role.JUMP_HEADLINE if r in (Role.HEADLINE, Role.KICKER_HEADLINE) else r)
                              for t, r in dst.head.parts]
    chains: list[list[Draft]] = []
    for p in sorted(drafts_by_page):
        for d in drafts_by_page[p]:
            if d.linked_prev is not None or id(d) in absorbed:
                continue
            chain = [d]
            while chain[-1].linked_next is not None and len(chain) < 100:
                chain.append(chain[-1].linked_next)
            chains.append(chain)
    return chains, accepted
