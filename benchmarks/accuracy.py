"""Accuracy of the pipeline against the naive baseline on composed editions, per level and input format.

Usage::

    python benchmarks/accuracy.py                 # default: 1,000 pages per level and seed range
    python benchmarks/accuracy.py --quick         # ~30 pages per level and range, under a minute
    python benchmarks/accuracy.py --pages 300 --levels hard --formats text --ranges heldout

Why composed editions: they are the only Chinese pages with exact gold in any quantity (see
:mod:`reassemble.compose`). Every edition is derived one source article per article (``--mix coherent``,
the composer's default), so content matching between headlines and bodies is meaningful.

Why two seed ranges: thresholds are tuned by looking at the **tune** range (seeds ``0..``); the
**held-out** range (seeds ``100000..``) is never looked at while tuning, so its numbers are the ones to
report. Both are composed from the same corpus and levels; a gap between them is over-fitting to seeds.

For each level, seeds are taken in order from the start of a range; seed ``s`` is an edition of
``1 + s % 3`` pages, until the range holds ``--pages`` pages. Each edition is written once in every format
(text, JSON blocks, ALTO: the same layout), into a temporary folder that is deleted afterwards; each format
is read with :func:`reassemble.read.read_edition`, run through
:func:`reassemble.pipeline.reassemble_read_pages`, and scored with
:func:`reassemble.evaluate.score_edition` next to :func:`reassemble.evaluate.baseline_edition` on the same
pages. Scores are macro averages over editions (:func:`reassemble.evaluate.macro`); ``join_f1`` is the
macro average of each edition's F1 of join precision and recall. An edition whose run raises counts as
a crash: it is reported and scored as an empty edition (so a crash costs accuracy instead of hiding).

Output: a Markdown table per level and input format (held-out range, tool vs baseline) on stdout, and
``benchmarks/results/accuracy.md`` and ``accuracy.json`` (both ranges, all numbers, the settings and the
machine); ``--quick`` writes ``accuracy-quick.md``/``.json`` instead, so it never replaces a full run.
Runs on ``--workers`` processes (default 2); progress goes to stderr.
"""

from __future__ import annotations

import argparse
import json
import math
import multiprocessing
import sys
import tempfile
import time
import traceback
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from _common import machine  # noqa: E402

from reassemble.compose import (  # noqa: E402
    FORMATS,
    LEVELS,
    MIXES,
    SourceArticle,
    compose_edition,
    load_source_articles,
    write_edition,
)
from reassemble.evaluate import METRICS, baseline_edition, load_gold, macro, score_edition  # noqa: E402
from reassemble.model import Edition, Page  # noqa: E402
from reassemble.pipeline import reassemble_read_pages  # noqa: E402
from reassemble.read import read_edition  # noqa: E402

#: First seed of each range. The held-out range starts far away so that no tune-range run reaches it.
RANGES: dict[str, int] = {"tune": 0, "heldout": 100000}
#: Metrics in the report: the harness's eleven, then join F1.
REPORT_METRICS: tuple[str, ...] = (*METRICS, "join_f1")
#: Default pages per level and range. Measured on the 2-core development machine (see
#: benchmarks/README.md): the default run (3 levels x 2 ranges x 1,000 pages, each page in 3 formats)
#: takes about 6 minutes on 2 workers, well inside the 20-minute budget even if the pipeline gets 2x slower.
DEFAULT_PAGES = 1000
QUICK_PAGES = 30
RESULTS = ROOT / "benchmarks" / "results"


@dataclass(frozen=True)
class Task:
    """One edition to compose and score: which range, level and seed, and how many pages."""

    range: str
    level: str
    seed: int
    pages: int
    formats: tuple[str, ...]
    mix: str


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--pages", type=int, default=None, help=f"pages per level and range (default {DEFAULT_PAGES})")
    p.add_argument("--quick", action="store_true", help=f"{QUICK_PAGES} pages per level and range")
    p.add_argument("--levels", default=",".join(LEVELS), help="comma-separated levels (default all)")
    p.add_argument("--formats", default=",".join(FORMATS), help="comma-separated input formats (default all)")
    p.add_argument("--ranges", default=",".join(RANGES), help="comma-separated seed ranges: tune,heldout")
    p.add_argument("--mix", default="coherent", choices=MIXES, help="composer mix (default coherent)")
    p.add_argument("--workers", type=int, default=2, help="worker processes (default 2)")
    p.add_argument("--out", type=Path, default=RESULTS, help="result folder (default benchmarks/results)")
    p.add_argument("--no-write", action="store_true", help="print only; write no result files")
    args = p.parse_args(argv)
    if args.pages is None:
        args.pages = QUICK_PAGES if args.quick else DEFAULT_PAGES
    return args


def _csv(text: str, allowed: Sequence[str], what: str) -> tuple[str, ...]:
    items = tuple(x.strip() for x in text.split(",") if x.strip())
    bad = [x for x in items if x not in allowed]
    if bad or not items:
        raise SystemExit(f"unknown {what} {bad or text!r}; choose from {', '.join(allowed)}")
    return items


def plan(levels: Sequence[str], ranges: Sequence[str], pages: int, formats: tuple[str, ...], mix: str) -> list[Task]:
    """The editions of a run: per range and level, seeds in order until ``pages`` pages are reached."""
    tasks: list[Task] = []
    for name in ranges:
        for level in levels:
            seed, total = RANGES[name], 0
            while total < pages:
                n = 1 + seed % 3
                tasks.append(Task(name, level, seed, n, formats, mix))
                total += n
                seed += 1
    return tasks


# --------------------------------------------------------------------------------------------------------
# Worker

_SOURCES: list[SourceArticle] | None = None


def _sources() -> list[SourceArticle]:
    """The corpus, loaded once per worker process (the composer would reread it for every edition)."""
    global _SOURCES
    if _SOURCES is None:
        _SOURCES = load_source_articles()
    return _SOURCES


def _join_f1(metrics: Mapping[str, float | bool]) -> float:
    p, r = float(metrics["join_precision"]), float(metrics["join_recall"])
    return 2 * p * r / (p + r) if p + r else 0.0


def run_task(task: Task) -> dict[str, Any]:
    """Compose one edition, write it in every format, run tool and baseline on each, return the scores."""
    edition = compose_edition(task.seed, task.level, n_pages=task.pages, formats=task.formats, mix=task.mix,
                              sources=_sources())
    out: dict[str, Any] = {"range": task.range, "level": task.level, "seed": task.seed, "pages": task.pages,
                           "formats": {}}
    with tempfile.TemporaryDirectory(prefix="reassemble-acc-") as tmp:
        golds = write_edition(edition, tmp)
        for fmt, gold_path in zip(task.formats, golds, strict=True):
            gold = load_gold(gold_path)
            start = time.perf_counter()
            error = None
            pages: tuple[Page, ...] = ()
            try:
                pages = read_edition([(p.number, p.file) for p in gold.pages], input_format=fmt)
                result = reassemble_read_pages(pages)
            except Exception:  # a crash is a result to report, not a reason to lose the run
                error = traceback.format_exc(limit=3)
                result = Edition(pages=pages, articles=())
            seconds = time.perf_counter() - start
            tool = score_edition(gold, result)
            base = score_edition(gold, baseline_edition(pages))
            tool["join_f1"] = _join_f1(tool)
            base["join_f1"] = _join_f1(base)
            out["formats"][fmt] = {"tool": tool, "baseline": base, "seconds": seconds, "error": error}
    return out


# --------------------------------------------------------------------------------------------------------
# Aggregation and report


def _macro(results: Sequence[Mapping[str, float | bool]]) -> dict[str, float | bool]:
    out: dict[str, float | bool] = dict(macro(results))
    out["join_f1"] = math.fsum(float(r["join_f1"]) for r in results) / len(results)
    out["text_conserved_share"] = sum(bool(r["text_conserved"]) for r in results) / len(results)
    return out


def aggregate(results: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    """range -> level -> format -> {tool, baseline, editions, pages, crashes, seconds}."""
    groups: dict[tuple[str, str, str], list[Mapping[str, Any]]] = {}
    rank = {name: i for i, name in enumerate((*RANGES, *LEVELS, *FORMATS))}
    for r in sorted(results, key=lambda r: (rank[r["range"]], rank[r["level"]], r["seed"])):
        for fmt in sorted(r["formats"], key=rank.__getitem__):
            groups.setdefault((r["range"], r["level"], fmt), []).append({"pages": r["pages"], **r["formats"][fmt]})
    out: dict[str, Any] = {}
    for (rng, level, fmt), items in groups.items():
        out.setdefault(rng, {}).setdefault(level, {})[fmt] = {
            "editions": len(items),
            "pages": sum(int(i["pages"]) for i in items),
            "crashes": sum(i["error"] is not None for i in items),
            "seconds": round(math.fsum(float(i["seconds"]) for i in items), 3),
            "tool": _macro([i["tool"] for i in items]),
            "baseline": _macro([i["baseline"] for i in items]),
            "first_error": next((i["error"] for i in items if i["error"]), None),
        }
    return out


def _cell(value: float | bool) -> str:
    return ("yes" if value else "no") if isinstance(value, bool) else f"{value:.3f}"


def table(cell: Mapping[str, Any]) -> str:
    """One Markdown table: a row per metric, tool / baseline / difference."""
    lines = ["| metric | tool | baseline | tool - baseline |", "|---|---:|---:|---:|"]
    for m in REPORT_METRICS:
        t, b = cell["tool"][m], cell["baseline"][m]
        if m == "text_conserved":
            t_share, b_share = cell["tool"]["text_conserved_share"], cell["baseline"]["text_conserved_share"]
            lines.append(f"| {m} (share of editions) | {t_share:.3f} | {b_share:.3f} | {t_share - b_share:+.3f} |")
        else:
            lines.append(f"| {m} | {_cell(t)} | {_cell(b)} | {float(t) - float(b):+.3f} |")
    return "\n".join(lines)


def summary(agg: Mapping[str, Any], rng: str) -> str:
    """One compact Markdown table for a range: the tool's headline numbers per level and format."""
    keys = ("bcubed_f1", "articles_exact", "join_f1", "order_tau", "headline_accuracy", "body_exact",
            "flags_accuracy")
    lines = ["| level | format | pages | " + " | ".join(keys) + " | crashes |",
             "|---|---|---:|" + "---:|" * len(keys) + "---:|"]
    for level, by_fmt in agg.get(rng, {}).items():
        for fmt, cell in by_fmt.items():
            vals = " | ".join(f"{float(cell['tool'][k]):.3f} ({float(cell['baseline'][k]):.3f})" for k in keys)
            lines.append(f"| {level} | {fmt} | {cell['pages']} | {vals} | {cell['crashes']} |")
    return "\n".join(lines)


def report(agg: Mapping[str, Any], settings: Mapping[str, Any]) -> str:
    """The Markdown report: settings, held-out tables per level and format, then compact summaries."""
    out = [
        "# Accuracy on composed editions",
        "",
        f"Generated by `python benchmarks/accuracy.py{settings['argv']}` in {settings['seconds']:.0f} s on "
        f"{settings['machine']['cpu']} ({settings['machine']['cores']} cores, {settings['workers']} workers), "
        f"Python {settings['machine']['python']}, mix `{settings['mix']}`, {settings['pages']} pages per level "
        "and range (editions of 1-3 pages; each edition written in every format).",
        "",
        "Macro averages over editions. Baseline: blocks in dump order, a new article at every headline-like "
        "block (`reassemble.evaluate.baseline_edition`). Seed ranges: " +
        ", ".join(f"{k} from {v}" for k, v in RANGES.items() if k in settings["ranges"]) + ".",
        "",
    ]
    if "heldout" in agg:
        out += ["## Held-out range: tool vs baseline", ""]
        for level, by_fmt in agg["heldout"].items():
            for fmt, cell in by_fmt.items():
                out += [f"### {level}, {fmt} ({cell['editions']} editions, {cell['pages']} pages, "
                        f"{cell['crashes']} crashes)", "", table(cell), ""]
    for rng in agg:
        out += [f"## Summary, {rng} range: tool (baseline)", "", summary(agg, rng), ""]
    return "\n".join(out)




def _run(tasks: Sequence[Task], workers: int) -> Iterator[dict[str, Any]]:
    if workers <= 1:
        yield from map(run_task, tasks)
        return
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    with ctx.Pool(workers) as pool:
        yield from pool.imap_unordered(run_task, tasks, chunksize=4)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    levels = _csv(args.levels, list(LEVELS), "level")
    formats = _csv(args.formats, FORMATS, "format")
    ranges = _csv(args.ranges, list(RANGES), "range")
    tasks = plan(levels, ranges, args.pages, formats, args.mix)
    total_pages = sum(t.pages for t in tasks)
    print(f"{len(tasks)} editions, {total_pages} pages x {len(formats)} formats on {args.workers} workers",
          file=sys.stderr)
    start = time.perf_counter()
    results: list[dict[str, Any]] = []
    done_pages = 0
    step = max(1, total_pages // 20)
    next_report = step
    for result in _run(tasks, args.workers):
        results.append(result)
        done_pages += int(result["pages"])
        if done_pages >= next_report or done_pages == total_pages:
            elapsed = time.perf_counter() - start
            eta = elapsed / done_pages * (total_pages - done_pages)
            print(f"  {done_pages}/{total_pages} pages, {elapsed:.0f} s, about {eta:.0f} s left", file=sys.stderr)
            next_report += step
    seconds = time.perf_counter() - start
    agg = aggregate(results)
    argv_text = "".join(f" {a}" for a in (sys.argv[1:] if argv is None else argv))
    settings = {
        "argv": argv_text,
        "pages": args.pages,
        "levels": list(levels),
        "formats": list(formats),
        "ranges": list(ranges),
        "range_starts": {k: RANGES[k] for k in ranges},
        "mix": args.mix,
        "workers": args.workers,
        "seconds": round(seconds, 1),
        "machine": machine(),
    }
    if "heldout" in agg:
        for level, by_fmt in agg["heldout"].items():
            for fmt, cell in by_fmt.items():
                print(f"\n### held-out, {level}, {fmt} ({cell['pages']} pages, {cell['crashes']} crashes)\n")
                print(table(cell))
    for rng in agg:
        print(f"\n### summary, {rng} range: tool (baseline)\n")
        print(summary(agg, rng))
    crashes = sum(c["crashes"] for r in agg.values() for lv in r.values() for c in lv.values())
    print(f"\n{total_pages} pages per format in {seconds:.0f} s; {crashes} crashed runs", file=sys.stderr)
    if not args.no_write:
        # a quick run must not overwrite the numbers of the last full run
        stem = "accuracy-quick" if args.quick else "accuracy"
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / f"{stem}.md").write_text(report(agg, settings) + "\n", encoding="utf-8")
        doc = {"settings": settings, "results": agg}
        (args.out / f"{stem}.json").write_text(json.dumps(doc, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.out / stem}.md and .json", file=sys.stderr)
    return 1 if crashes else 0


if __name__ == "__main__":
    sys.exit(main())
