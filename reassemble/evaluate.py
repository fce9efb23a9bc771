"""The evaluation harness: read gold files, score an edition against them, compare with a naive baseline.

Gold files follow ``reassemble-gold/1`` (``/work/shared/GOLD-FORMAT.md``); hidden test editions in that
format judge the project, so :func:`load_gold` reads exactly that format and rejects anything else with a
:class:`~reassemble.errors.GoldError` naming the file and the field. Unknown extra fields are ignored so
that a later version of the format, which may add optional fields, still loads.

The module does not import the pipeline: :func:`evaluate` takes the function that builds an edition from a
gold (the CLI passes one that calls the pipeline), which keeps the scorer testable on hand-made editions
and free of import cycles.

Where GOLD-FORMAT.md is silent, the choices made here are:

* B-cubed is computed over the union of the gold articles' blocks. A gold block that the prediction leaves
  unassigned is its own singleton cluster; a predicted block that is not in the gold is ignored (it is not
  part of any gold cluster, so it neither helps nor hurts).
* The "best-matching predicted article" of a gold article is the predicted article sharing the most blocks
  with it; ties go to the earlier one; an article sharing none is no match, and then the gold article's
  headline, body and flags count as wrong.
* Joins: precision = |pred ∩ gold| / |pred| (1.0 when nothing is predicted), recall = |pred ∩ gold| /
  |gold| (1.0 when the gold has none). Only accepted joins are predictions.
* ``order_tau`` is Kendall's tau (tau-a; there are no ties since a block has one position) over the blocks
  common to a gold article and its best match, 1.0 when fewer than two are common, averaged over the gold
  articles.
* Headline and body texts are compared after Unicode NFKC and removing *all* white space; ``None`` equals
  ``""``. The body comparison is over the whole list of paragraphs, so a split or merged paragraph fails it.
* Every ratio over gold articles is 1.0 for a gold without articles (nothing was missed).
"""

from __future__ import annotations

import importlib
import json
import math
import re
import unicodedata
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

from reassemble.errors import GoldError, json_type
from reassemble.model import Article, Block, Edition, Page, Paragraph, Role

__all__ = [
    "GOLD_FORMAT",
    "METRICS",
    "EditionResult",
    "EvalReport",
    "Gold",
    "GoldArticle",
    "GoldPage",
    "baseline_edition",
    "conservation_diff",
    "evaluate",
    "format_table",
    "is_headline_like",
    "kendall_tau",
    "load_gold",
    "macro",
    "normalize_text",
    "register_gold_loader",
    "report_json",
    "score_edition",
    "text_conserved",
]

#: The only value of the gold file's ``format`` field this harness reads.
GOLD_FORMAT = "reassemble-gold/1"

#: The metric names, in report order; :func:`score_edition` returns exactly these keys.
METRICS: tuple[str, ...] = (
    "bcubed_precision",
    "bcubed_recall",
    "bcubed_f1",
    "articles_exact",
    "join_precision",
    "join_recall",
    "order_tau",
    "headline_accuracy",
    "body_exact",
    "flags_accuracy",
    "text_conserved",
)

#: Page formats a gold page may declare (GOLD-FORMAT.md, ``pages[].format``).
PAGE_FORMATS = frozenset({"text", "json", "alto"})

Metrics = dict[str, float | bool]
T = TypeVar("T")


# --------------------------------------------------------------------------------------------------------
# Gold model


@dataclass(frozen=True)
class GoldPage:
    """One page of a gold edition. ``file`` is already resolved against the gold file's folder."""

    number: int
    file: Path
    format: str = "text"
    encoding: str | None = None


@dataclass(frozen=True)
class GoldArticle:
    """One gold article, fields as in GOLD-FORMAT.md.

    ``roles`` keeps the gold role names as strings (not :class:`~reassemble.model.Role`) so that a role name
    added by a later format version does not make the whole file unreadable. ``continued_from`` /
    ``continues_to`` are the page numbers of the format's ``{"page": N}`` objects. ``roles`` is a plain dict
    for convenience; treat it as read-only.
    """

    id: str
    kind: str
    kicker: str | None
    headline: str | None
    subheadline: str | None
    byline: tuple[str, ...]
    blocks: tuple[str, ...]
    roles: dict[str, str]
    joins: tuple[tuple[str, str], ...]
    body: tuple[str, ...]
    starts_complete: bool
    ends_complete: bool
    continued_from: int | None
    continues_to: int | None


@dataclass(frozen=True)
class Gold:
    """A parsed gold file: where it is, its pages (in file order) and its articles."""

    path: Path
    pages: tuple[GoldPage, ...]
    articles: tuple[GoldArticle, ...]
    paper: str | None = None
    lang: str | None = None
    format: str = GOLD_FORMAT


# --------------------------------------------------------------------------------------------------------
# Gold loading

GoldLoader = Callable[[Path], Gold]
_GOLD_LOADERS: list[tuple[Callable[[Path], bool], GoldLoader]] = []


def register_gold_loader(predicate: Callable[[Path], bool], loader: GoldLoader) -> None:
    """Let :func:`load_gold` read another kind of gold file (e.g. METS) without this module knowing it.

    Loaders registered later are tried first, so a test or plugin can override a built-in one. A loader
    must raise :class:`GoldError` for a file it cannot read, as the JSON loader does.
    """
    _GOLD_LOADERS.insert(0, (predicate, loader))


def load_gold(path: Path) -> Gold:
    """Read and check one gold file; raise :class:`GoldError` naming the file and field on any violation.

    Dispatch: registered loaders first (:func:`register_gold_loader`), then ``.xml`` files go to the METS
    gold reader ``reassemble.read.mets.load_mets_gold`` (imported only when needed, so the JSON path does
    not depend on it), and everything else is read as ``reassemble-gold/1`` JSON.
    """
    path = Path(path)
    for predicate, loader in _GOLD_LOADERS:
        if predicate(path):
            return loader(path)
    if path.suffix.lower() == ".xml":
        try:
            module = importlib.import_module("reassemble.read.mets")
            mets_loader: GoldLoader = module.load_mets_gold
        except (ImportError, AttributeError) as exc:
            raise GoldError(f"METS gold files are not supported by this build ({exc})", str(path)) from exc
        return mets_loader(path)
    return _load_json_gold(path)


class _Checker:
    """Type checks that raise :class:`GoldError` with the file and a JSON-path-like field name."""

    def __init__(self, path: Path) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> GoldError:
        return GoldError(f"field {where}: {message} (see GOLD-FORMAT.md, {GOLD_FORMAT})", str(self.path))

    def field(self, obj: Mapping[str, Any], key: str, where: str) -> Any:
        if key not in obj:
            raise self.fail(f"{where}.{key}" if where else key, "missing")
        return obj[key]

    def as_obj(self, value: Any, where: str) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, f"expected an object, got {json_type(value)}")
        return value

    def as_list(self, value: Any, where: str) -> list[Any]:
        if not isinstance(value, list):
            raise self.fail(where, f"expected a list, got {json_type(value)}")
        return value

    def as_str(self, value: Any, where: str, *, nullable: bool = False, nonempty: bool = False) -> str | None:
        if value is None and nullable:
            return None
        if not isinstance(value, str):
            expected = "a string or null" if nullable else "a string"
            raise self.fail(where, f"expected {expected}, got {json_type(value)}")
        if nonempty and not value.strip():
            raise self.fail(where, "must not be empty")
        return value

    def as_req_str(self, value: Any, where: str, *, nonempty: bool = False) -> str:
        text = self.as_str(value, where, nonempty=nonempty)
        assert text is not None  # nullable=False guarantees it
        return text

    def as_bool(self, value: Any, where: str) -> bool:
        if not isinstance(value, bool):
            raise self.fail(where, f"expected true or false, got {json_type(value)}")
        return value

    def as_int(self, value: Any, where: str) -> int:
        # bool is an int subclass in Python but not a number in JSON.
        if isinstance(value, bool) or not isinstance(value, int):
            raise self.fail(where, f"expected an integer, got {json_type(value)}")
        return value

    def page_ref(self, value: Any, where: str) -> int | None:
        if value is None:
            return None
        ref = self.as_obj(value, where)
        return self.as_int(self.field(ref, "page", where), f"{where}.page")



_BLOCK_ID = re.compile(r"^p(-?\d+):(.+)$", re.DOTALL)


def _load_json_gold(path: Path) -> Gold:
    """Parse a ``reassemble-gold/1`` JSON file, checking every field the format defines."""
    c = _Checker(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise GoldError(f"cannot read gold file: {exc.strerror or exc}", str(path)) from exc
    try:
        data = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError as exc:
        raise GoldError(f"gold file is not UTF-8: {exc}", str(path)) from exc
    except json.JSONDecodeError as exc:
        raise GoldError(
            f"not valid JSON: {exc.msg} at line {exc.lineno} column {exc.colno}", str(path)
        ) from exc
    top = c.as_obj(data, "(top level)")

    fmt = c.field(top, "format", "")
    if fmt != GOLD_FORMAT:
        raise c.fail("format", f"expected {GOLD_FORMAT!r}, got {fmt!r}")

    paper: str | None = None
    lang: str | None = None
    if "edition" in top and top["edition"] is not None:
        edition = c.as_obj(top["edition"], "edition")
        paper = c.as_str(edition.get("paper"), "edition.paper", nullable=True)
        lang = c.as_str(edition.get("lang"), "edition.lang", nullable=True)

    pages = _parse_pages(c, path, c.as_list(c.field(top, "pages", ""), "pages"))
    page_numbers = {p.number for p in pages}

    articles: list[GoldArticle] = []
    owner: dict[str, str] = {}
    seen_ids: set[str] = set()
    for i, item in enumerate(c.as_list(c.field(top, "articles", ""), "articles")):
        article = _parse_article(c, c.as_obj(item, f"articles[{i}]"), f"articles[{i}]", page_numbers)
        if article.id in seen_ids:
            raise c.fail(f"articles[{i}].id", f"duplicate article id {article.id!r}")
        seen_ids.add(article.id)
        for block_id in article.blocks:
            if block_id in owner:
                raise c.fail(
                    f"articles[{i}].blocks",
                    f"block {block_id!r} is already in article {owner[block_id]!r}; "
                    "every block belongs to exactly one article",
                )
            owner[block_id] = article.id
        articles.append(article)
    return Gold(path=path, pages=pages, articles=tuple(articles), paper=paper, lang=lang)


def _parse_pages(c: _Checker, path: Path, items: list[Any]) -> tuple[GoldPage, ...]:
    """The ``pages`` list: numbers unique, formats known, and every named file present."""
    if not items:
        raise c.fail("pages", "must list at least one page")
    pages: list[GoldPage] = []
    numbers: set[int] = set()
    for i, item in enumerate(items):
        where = f"pages[{i}]"
        page = c.as_obj(item, where)
        number = c.as_int(c.field(page, "number", where), f"{where}.number")
        if number in numbers:
            raise c.fail(f"{where}.number", f"page {number} is listed twice")
        numbers.add(number)
        file_name = c.as_req_str(c.field(page, "file", where), f"{where}.file", nonempty=True)
        fmt = c.as_req_str(page.get("format", "text"), f"{where}.format")
        if fmt not in PAGE_FORMATS:
            raise c.fail(f"{where}.format", f"expected one of {sorted(PAGE_FORMATS)}, got {fmt!r}")
        encoding = c.as_str(page.get("encoding"), f"{where}.encoding", nullable=True)
        file = (path.parent / file_name).resolve()
        if not file.is_file():
            raise c.fail(f"{where}.file", f"page file {file_name!r} not found (looked for {file})")
        pages.append(GoldPage(number=number, file=file, format=fmt, encoding=encoding))
    return tuple(pages)


def _parse_article(c: _Checker, art: dict[str, Any], where: str, page_numbers: set[int]) -> GoldArticle:
    """One ``articles[]`` entry. All fields of the format are required; extra fields are ignored."""

    def f(key: str) -> Any:
        return c.field(art, key, where)

    article_id = c.as_req_str(f("id"), f"{where}.id", nonempty=True)
    kind = c.as_req_str(f("kind"), f"{where}.kind", nonempty=True)
    kicker = c.as_str(f("kicker"), f"{where}.kicker", nullable=True)
    headline = c.as_str(f("headline"), f"{where}.headline", nullable=True)
    subheadline = c.as_str(f("subheadline"), f"{where}.subheadline", nullable=True)
    byline = tuple(
        c.as_req_str(v, f"{where}.byline[{j}]")
        for j, v in enumerate(c.as_list(f("byline"), f"{where}.byline"))
    )

    blocks: list[str] = []
    for j, v in enumerate(c.as_list(f("blocks"), f"{where}.blocks")):
        block_id = c.as_req_str(v, f"{where}.blocks[{j}]")
        m = _BLOCK_ID.match(block_id)
        if not m:
            raise c.fail(
                f"{where}.blocks[{j}]", f"block id {block_id!r} is not of the form p{{page}}:{{key}}"
            )
        if int(m.group(1)) not in page_numbers:
            raise c.fail(f"{where}.blocks[{j}]", f"block {block_id!r} is on a page not listed in pages")
        if block_id in blocks:
            raise c.fail(f"{where}.blocks[{j}]", f"block {block_id!r} is listed twice")
        blocks.append(block_id)
    block_set = set(blocks)

    roles: dict[str, str] = {}
    for block_id, role in c.as_obj(f("roles"), f"{where}.roles").items():
        role_name = c.as_req_str(role, f"{where}.roles[{block_id!r}]", nonempty=True)
        if block_id not in block_set:
            raise c.fail(
                f"{where}.roles", f"block {block_id!r} has a role but is not in the article's blocks"
            )
        roles[block_id] = role_name

    joins: list[tuple[str, str]] = []
    for j, v in enumerate(c.as_list(f("joins"), f"{where}.joins")):
        pair = c.as_list(v, f"{where}.joins[{j}]")
        if len(pair) != 2:
            raise c.fail(f"{where}.joins[{j}]", f"expected a pair [a, b], got {len(pair)} items")
        a = c.as_req_str(pair[0], f"{where}.joins[{j}][0]")
        b = c.as_req_str(pair[1], f"{where}.joins[{j}][1]")
        for block_id in (a, b):
            if block_id not in block_set:
                raise c.fail(f"{where}.joins[{j}]", f"block {block_id!r} is not in the article's blocks")
        joins.append((a, b))

    body = tuple(
        c.as_req_str(v, f"{where}.body[{j}]") for j, v in enumerate(c.as_list(f("body"), f"{where}.body"))
    )

    return GoldArticle(
        id=article_id,
        kind=kind,
        kicker=kicker,
        headline=headline,
        subheadline=subheadline,
        byline=byline,
        blocks=tuple(blocks),
        roles=roles,
        joins=tuple(joins),
        body=body,
        starts_complete=c.as_bool(f("starts_complete"), f"{where}.starts_complete"),
        ends_complete=c.as_bool(f("ends_complete"), f"{where}.ends_complete"),
        continued_from=c.page_ref(f("continued_from"), f"{where}.continued_from"),
        continues_to=c.page_ref(f("continues_to"), f"{where}.continues_to"),
    )


# --------------------------------------------------------------------------------------------------------
# Text normalisation and conservation


def normalize_text(text: str | None) -> str:
    """NFKC with every white-space character removed; ``None`` gives ``""``.

    This is the comparison GOLD-FORMAT.md prescribes: punctuation width and line wrapping must not count
    as differences, and a missing headline is the same as an empty one.
    """
    if not text:
        return ""
    return "".join(ch for ch in unicodedata.normalize("NFKC", text) if not ch.isspace())


def _output_texts(edition: Edition) -> list[str]:
    """Every piece of text the edition puts out, each input character meant to appear exactly once.

    Per article: the edition's text of each block the article gives a non-body role (``article.roles``),
    its body paragraphs, and its ``markers``. A photo's caption is its body (GOLD-FORMAT.md), so for
    articles of kind ``photo`` the CAPTION blocks are counted through the paragraphs and not again as
    role blocks. Then the texts of the blocks listed in ``edition.unassigned``.

    Contract with the pipeline: ``article.markers`` holds only jump-marker text *cut out of body blocks*;
    a block that is wholly a jump line carries a ``jump_from``/``jump_to`` role and is counted through the
    role, so its text must not be repeated in ``markers``. Nothing else may be cut out of a body block
    (a dateline stays in its paragraph). A role or unassigned id that names no block contributes nothing.
    """
    blocks = {b.id: b for page in edition.pages for b in page.blocks}
    out: list[str] = []
    for article in edition.articles:
        for block_id, role in article.roles.items():
            name = role.value if isinstance(role, Role) else str(role)
            if name == Role.BODY.value or (article.kind == "photo" and name == Role.CAPTION.value):
                continue
            if block_id in blocks:
                out.append(blocks[block_id].text)
        out.extend(p.text for p in article.paragraphs)
        out.extend(article.markers)
    out.extend(blocks[block_id].text for block_id in edition.unassigned if block_id in blocks)
    return out


def _char_counts(texts: Iterable[str]) -> Counter[str]:
    counts: Counter[str] = Counter()
    for text in texts:
        counts.update(normalize_text(text))
    return counts


def conservation_diff(edition: Edition) -> tuple[Counter[str], Counter[str]]:
    """``(missing, extra)``: input characters absent from the output, and output characters not in the input.

    Input: the text of every block of every page. Output: see :func:`_output_texts`. Both sides are
    normalised with :func:`normalize_text` and compared as multisets, so order and white space do not
    matter but a dropped, duplicated or invented character does. Both counters are empty exactly when
    the text is conserved; they say which characters went wrong, which is what a developer needs.
    """
    given = _char_counts(b.text for page in edition.pages for b in page.blocks)
    produced = _char_counts(_output_texts(edition))
    return given - produced, produced - given


def text_conserved(edition: Edition) -> bool:
    """True when every input character appears in the output exactly once (see :func:`conservation_diff`)."""
    missing, extra = conservation_diff(edition)
    return not missing and not extra


# --------------------------------------------------------------------------------------------------------
# Scoring


def kendall_tau(reference: Sequence[T], predicted: Sequence[T]) -> float:
    """Kendall's tau-a between two orders of the items they have in common; 1.0 when fewer than two.

    Items are ranked by their first position in each sequence; items only in one sequence are ignored,
    as assignment errors are B-cubed's business, not order's. Quadratic, which is fine for an article's
    few dozen blocks and avoids a scipy dependency.
    """
    pred_pos: dict[T, int] = {}
    for i, item in enumerate(predicted):
        pred_pos.setdefault(item, i)
    seen: set[T] = set()
    ranks: list[int] = []
    for item in reference:
        if item in pred_pos and item not in seen:
            seen.add(item)
            ranks.append(pred_pos[item])
    n = len(ranks)
    if n < 2:
        return 1.0
    score = 0
    for i in range(n):
        for j in range(i + 1, n):
            score += 1 if ranks[i] < ranks[j] else -1
    return score / (n * (n - 1) / 2)


def _best_match(gold_blocks: set[str], predicted: Sequence[Article]) -> Article | None:
    """The predicted article sharing most blocks with the gold article (ties: the earlier); None if none."""
    best: Article | None = None
    best_overlap = 0
    for article in predicted:
        overlap = len(gold_blocks.intersection(article.blocks))
        if overlap > best_overlap:
            best, best_overlap = article, overlap
    return best


def _ratio(hits: float, total: int) -> float:
    return hits / total if total else 1.0


def score_edition(gold: Gold, edition: Edition) -> Metrics:
    """Score one edition against its gold; returns exactly the keys of :data:`METRICS`.

    All ratios are over the gold articles (furniture included), following GOLD-FORMAT.md; the choices the
    format leaves open are listed in this module's docstring.
    """
    # B-cubed over the gold blocks.
    gold_cluster: dict[str, frozenset[str]] = {}
    for ga in gold.articles:
        cluster = frozenset(ga.blocks)
        for block_id in ga.blocks:
            gold_cluster[block_id] = cluster
    pred_cluster: dict[str, frozenset[str]] = {}
    for article in edition.articles:
        cluster = frozenset(b for b in article.blocks if b in gold_cluster)
        for block_id in cluster:
            pred_cluster.setdefault(block_id, cluster)  # a block in two articles: the first one counts
    precision_sum = recall_sum = 0.0
    for block_id, g in gold_cluster.items():
        p = pred_cluster.get(block_id, frozenset((block_id,)))
        common = len(g & p)
        precision_sum += common / len(p)
        recall_sum += common / len(g)
    bcubed_p = _ratio(precision_sum, len(gold_cluster))
    bcubed_r = _ratio(recall_sum, len(gold_cluster))
    bcubed_f = 2 * bcubed_p * bcubed_r / (bcubed_p + bcubed_r) if bcubed_p + bcubed_r else 0.0

    # Joins.
    gold_joins = {pair for ga in gold.articles for pair in ga.joins}
    pred_joins = {(j.a, j.b) for article in edition.articles for j in article.joins if j.accepted}
    good_joins = len(gold_joins & pred_joins)

    # Per gold article.
    predicted_orders = {tuple(a.blocks) for a in edition.articles}
    exact = headlines = bodies = flags = 0
    tau_sum = 0.0
    for ga in gold.articles:
        if ga.blocks in predicted_orders:
            exact += 1
        match = _best_match(set(ga.blocks), edition.articles)
        tau_sum += kendall_tau(ga.blocks, match.blocks if match else ())
        if match is None:
            continue
        if all(
            normalize_text(g) == normalize_text(p)
            for g, p in (
                (ga.kicker, match.kicker),
                (ga.headline, match.headline),
                (ga.subheadline, match.subheadline),
            )
        ):
            headlines += 1
        if [normalize_text(t) for t in ga.body] == [normalize_text(p.text) for p in match.paragraphs]:
            bodies += 1
        if (ga.starts_complete, ga.ends_complete, ga.continued_from, ga.continues_to) == (
            match.starts_complete,
            match.ends_complete,
            match.continued_from,
            match.continues_to,
        ):
            flags += 1

    n = len(gold.articles)
    return {
        "bcubed_precision": bcubed_p,
        "bcubed_recall": bcubed_r,
        "bcubed_f1": bcubed_f,
        "articles_exact": _ratio(exact, n),
        "join_precision": _ratio(good_joins, len(pred_joins)),
        "join_recall": _ratio(good_joins, len(gold_joins)),
        "order_tau": _ratio(tau_sum, n),
        "headline_accuracy": _ratio(headlines, n),
        "body_exact": _ratio(bodies, n),
        "flags_accuracy": _ratio(flags, n),
        "text_conserved": text_conserved(edition),
    }


def macro(results: Sequence[Mapping[str, float | bool]]) -> Metrics:
    """Macro average over editions: the mean of each metric, and ``text_conserved`` only if it held for all.

    Macro rather than micro so that one big edition does not hide failures on the small ones.
    """
    if not results:
        raise ValueError("macro() needs at least one edition's results")
    out: Metrics = {}
    for key in METRICS:
        if key == "text_conserved":
            out[key] = all(bool(r[key]) for r in results)
        else:
            out[key] = math.fsum(float(r[key]) for r in results) / len(results)
    return out


# --------------------------------------------------------------------------------------------------------
# Baseline

_SENTENCE_END = re.compile(r"[。！？!?.…｡．][\"'”’」』）)\]］】》〉›»]*$")


def is_headline_like(text: str) -> bool:
    """The baseline's headline test: at most 40 non-space characters and no sentence-final punctuation.

    Sentence-final means ``。！？!?.…`` at the end, optionally followed by closing quotes or brackets.
    Deliberately naive: it is the bar the real pipeline must clear, not a component of it.
    """
    stripped = "".join(ch for ch in text if not ch.isspace())
    return len(stripped) <= 40 and not _SENTENCE_END.search(stripped)


def baseline_edition(pages: Sequence[Page]) -> Edition:
    """The naive baseline: a new article at every headline-like block, in dump order, nothing else.

    Blocks are taken page by page in the order given, each page's blocks in dump order. A headline-like
    block (:func:`is_headline_like`) opens an article and becomes its headline; every other block is one
    body paragraph of the current article; blocks before the first headline-like block form an article
    without headline. No joins, no other roles, default flags. It conserves text by construction.
    """
    groups: list[list[Block]] = []
    headed: list[bool] = []
    for page in pages:
        for block in page.blocks:
            if is_headline_like(block.text) or not groups:
                groups.append([])
                headed.append(is_headline_like(block.text))
            groups[-1].append(block)

    articles: list[Article] = []
    for n, (group, has_headline) in enumerate(zip(groups, headed, strict=True), start=1):
        head = group[0] if has_headline else None
        body = group[1:] if has_headline else group
        articles.append(
            Article(
                id=f"baseline-{n}",
                kind="article",
                blocks=tuple(b.id for b in group),
                roles={head.id: Role.HEADLINE} if head else {},
                paragraphs=tuple(Paragraph(text=b.text, blocks=(b.id,), pages=(b.page,)) for b in body),
                headline=head.text if head else None,
                pages=tuple(dict.fromkeys(b.page for b in group)),
            )
        )
    return Edition(pages=tuple(pages), articles=tuple(articles))


# --------------------------------------------------------------------------------------------------------
# Running and reporting


@dataclass(frozen=True)
class EditionResult:
    """The metrics of the tool and of the baseline on one gold file."""

    gold_path: Path
    tool: Metrics
    baseline: Metrics


@dataclass(frozen=True)
class EvalReport:
    """Per-edition results and their macro averages, for the tool and for the baseline."""

    editions: tuple[EditionResult, ...]
    tool: Metrics
    baseline: Metrics


def evaluate(gold_paths: Sequence[Path], run: Callable[[Gold], Edition]) -> EvalReport:
    """Load each gold file, build its edition with ``run``, score it and the baseline on the same pages.

    ``run`` is injected so this module never imports the pipeline. The baseline is built from the pages
    of the tool's edition, so both read exactly the same blocks. Errors (a bad gold file, an unreadable
    page) propagate: an evaluation that silently skips an edition would report a better score than earned.
    """
    if not gold_paths:
        raise ValueError("evaluate() needs at least one gold file")
    results: list[EditionResult] = []
    for path in gold_paths:
        gold = load_gold(Path(path))
        edition = run(gold)
        results.append(
            EditionResult(
                gold_path=Path(path),
                tool=score_edition(gold, edition),
                baseline=score_edition(gold, baseline_edition(edition.pages)),
            )
        )
    return EvalReport(
        editions=tuple(results),
        tool=macro([r.tool for r in results]),
        baseline=macro([r.baseline for r in results]),
    )


def _fmt(value: float | bool) -> str:
    if isinstance(value, bool):
        return "yes" if value else "no"
    return f"{value:.3f}"


def _table(header: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    """Left-aligned first column, right-aligned numbers, two spaces apart."""
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        )

    return [line(header), "  ".join("-" * w for w in widths), *(line(r) for r in rows)]


def format_table(report: EvalReport) -> str:
    """A plain-text table: one row per metric, columns tool and baseline (macro over the gold files).

    With several gold files a second table follows with the tool's metrics per edition, in columns
    ``#1``, ``#2``, ... and a legend naming each gold file (paths are too long for column headers).
    """
    n = len(report.editions)
    title = f"metric (macro over {n} editions)" if n > 1 else "metric"
    lines = _table(
        [title, "tool", "baseline"],
        [[m, _fmt(report.tool[m]), _fmt(report.baseline[m])] for m in METRICS],
    )
    if n > 1:
        lines.append("")
        lines.extend(
            _table(
                ["tool per edition", *(f"#{i}" for i in range(1, n + 1))],
                [[m, *(_fmt(r.tool[m]) for r in report.editions)] for m in METRICS],
            )
        )
        lines.extend(f"#{i} = {r.gold_path}" for i, r in enumerate(report.editions, start=1))
    return "\n".join(lines) + "\n"


def report_json(report: EvalReport) -> dict[str, Any]:
    """One JSON object: the 11 metric names at top level with the tool's macro values, then
    ``"baseline"`` (the baseline's macro values under the same names) and ``"editions"`` (gold path ->
    the tool's metrics for that edition). Keys at top level are fixed because scripts read them.
    """
    out: dict[str, Any] = {m: report.tool[m] for m in METRICS}
    out["baseline"] = {m: report.baseline[m] for m in METRICS}
    out["editions"] = {str(r.gold_path): {m: r.tool[m] for m in METRICS} for r in report.editions}
    return out
