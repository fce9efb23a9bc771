"""Throughput, memory and start-up time of the pipeline, each next to its target and its floor.

Usage::

    python benchmarks/speed.py            # default: ~2-4 minutes on 2 cores
    python benchmarks/speed.py --long     # memory run over 10,000 pages instead of 2,000
    python benchmarks/speed.py --pages 60 --long-pages 200   # a smoke run

What is measured, and why that way:

* **Throughput** (pages per second per core) for text, JSON-blocks and ALTO input, end to end: read the
  file, :func:`reassemble.pipeline.reassemble_pages`, and :func:`reassemble.write.write_edition` of
  NewsML-G2 into a temporary folder (building and validating the XML is part of every real run). The pages
  are composed one-page editions (:mod:`reassemble.compose`, levels in turn), the same layouts in each
  format. Run in one worker process, then in two at once on two halves of the pages (per core = total / 2),
  each worker warmed up on one page first (imports, dictionaries) so that start-up is not counted twice.
* **Floor**, measured in the same run on the same files, so that the pipeline's cost is a ratio that does
  not depend on the machine: for text, read the bytes, decode (:func:`reassemble.read.text.decode`) and
  :func:`reassemble.read.text.split_blocks`; for ALTO, ``lxml.etree.parse``; for JSON, ``json.loads`` of the
  bytes. Nothing can read these inputs faster than that.
* **Peak RSS** of one process that reads, reassembles and writes a 24-page edition (``ru_maxrss`` of a
  child process, so the benchmark's own memory is not counted), per input format, next to a child that only
  imports the pipeline.
* **Memory growth**: one child process reassembles and writes 2,000 distinct pages (10,000 with
  ``--long``), formats and levels in turn, composing each page just before it (the composer keeps no state
  between editions); resident memory (``VmRSS``) is reported after the first page, in the middle and at the
  end. The same run checks :func:`reassemble.evaluate.text_conserved` on every page and counts crashes.
* **Cold start** of the CLI: ``reassemble --version`` and ``python -m reassemble --version``, median of 10.

Targets printed next to the figures: text >= 200 pages/s/core and <= 5x its floor; ALTO >= 50 pages/s/core
and <= 3x ``lxml`` parsing; peak RSS <= 200 MB for 24 pages; flat memory (growth <= 10 % of the start and
<= 20 MB); cold start <= 0.3 s. Results go to ``benchmarks/results/speed.md`` and ``speed.json`` with the
machine description.
"""

from __future__ import annotations

import argparse
import json
import multiprocessing
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from _common import machine  # noqa: E402

from reassemble.compose import LEVELS, compose_edition, load_source_articles, page_file_name  # noqa: E402
from reassemble.compose import write_edition as write_composed  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results"
FORMATS = ("text", "json", "alto")
#: Targets from the project brief, checked and printed next to the measurements.
TARGETS = {
    "text_pages_per_s_core": 200.0,
    "text_floor_ratio": 5.0,
    "alto_pages_per_s_core": 50.0,
    "alto_floor_ratio": 3.0,
    "peak_rss_24_mb": 200.0,
    "growth_share": 0.10,
    "growth_mb": 20.0,
    "cold_start_s": 0.3,
}


@dataclass(frozen=True)
class PageFile:
    """One composed page on disk: its number, its path and its format."""

    number: int
    path: Path
    fmt: str


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=(__doc__ or "").split("\n\n")[0])
    p.add_argument("--pages", type=int, default=300, help="pages per format for throughput (default 300)")
    p.add_argument("--long", action="store_true", help="memory run over 10,000 pages (default 2,000)")
    p.add_argument("--long-pages", type=int, default=None, help="pages of the memory run (overrides --long)")
    p.add_argument("--edition-pages", type=int, default=24, help="pages of the peak-RSS edition (default 24)")
    p.add_argument("--cold-runs", type=int, default=10, help="runs per cold-start command (default 10)")
    p.add_argument("--out", type=Path, default=RESULTS, help="result folder (default benchmarks/results)")
    p.add_argument("--no-write", action="store_true", help="print only; write no result files")
    return p.parse_args(argv)


# --------------------------------------------------------------------------------------------------------
# The page set


def compose_pages(folder: Path, count: int) -> dict[str, list[PageFile]]:
    """``count`` one-page editions (levels in turn, seeds 0..), written in all three formats."""
    sources = load_source_articles()
    out: dict[str, list[PageFile]] = {f: [] for f in FORMATS}
    levels = list(LEVELS)
    for i in range(count):
        level = levels[i % len(levels)]
        edition = compose_edition(i, level, n_pages=1, formats=FORMATS, sources=sources)
        target = folder / f"{level}-{i}"
        write_composed(edition, target)
        number = edition.pages[0].number
        for k, fmt in enumerate(FORMATS):
            d = target if k == 0 else target / fmt
            out[fmt].append(PageFile(number, d / page_file_name(number, fmt), fmt))
    return out


# --------------------------------------------------------------------------------------------------------
# Timed work (run in worker processes)


def _end_to_end(page: PageFile, out_dir: Path) -> None:
    from reassemble.pipeline import reassemble_pages
    from reassemble.write import write_edition

    edition = reassemble_pages([(page.number, page.path)], input_format=page.fmt)
    write_edition(edition, out_dir, fmt="xml", force=True)


def _reassemble_only(page: PageFile, out_dir: Path) -> None:
    """Reading and reassembling without writing: with :func:`_end_to_end`, splits the cost of the XML."""
    from reassemble.pipeline import reassemble_pages

    reassemble_pages([(page.number, page.path)], input_format=page.fmt)


def _floor(page: PageFile, out_dir: Path) -> None:
    """The least any reader must do with the page: decode and split, parse the XML, load the JSON."""
    data = page.path.read_bytes()
    if page.fmt == "text":
        from reassemble.read.text import decode, split_blocks

        split_blocks(decode(data, str(page.path))[0])
    elif page.fmt == "json":
        json.loads(data)
    else:
        from lxml import etree

        etree.parse(str(page.path))


_WORK: dict[str, Callable[[PageFile, Path], None]] = {
    "pipeline": _end_to_end,
    "reassemble": _reassemble_only,
    "floor": _floor,
}


def _timed(job: tuple[str, list[PageFile]]) -> float:
    """Seconds to run ``job`` over its pages in this process, after one untimed warm-up page."""
    name, pages = job
    work = _WORK[name]
    out = Path(tempfile.mkdtemp(prefix="reassemble-speed-"))
    try:
        work(pages[0], out / "warm")
        total = 0.0
        for i, page in enumerate(pages):
            target = out / str(i)
            start = time.perf_counter()
            work(page, target)
            total += time.perf_counter() - start
            shutil.rmtree(target, ignore_errors=True)  # deleting is not part of a run
        return total
    finally:
        shutil.rmtree(out, ignore_errors=True)


def throughput(name: str, pages: list[PageFile], processes: int) -> dict[str, float]:
    """Pages per second (total and per core) of ``name`` over ``pages`` split among ``processes`` workers.

    The total rate is pages / the slowest worker's time, so an idle core while the other finishes counts
    against the figure, as it would in a batch run.
    """
    ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
    shares = [pages[i::processes] for i in range(processes)]
    with ctx.Pool(processes) as pool:
        seconds = pool.map(_timed, [(name, share) for share in shares])
    wall = max(seconds)
    rate = len(pages) / wall if wall else float("inf")
    return {"pages": len(pages), "seconds": round(wall, 3), "pages_per_s": round(rate, 1),
            "pages_per_s_core": round(rate / processes, 1), "ms_per_page": round(1000 * sum(seconds) / len(pages), 2)}


# --------------------------------------------------------------------------------------------------------
# Child processes for memory

_PEAK_CHILD = r"""
import json, resource, sys, tempfile
from pathlib import Path
from reassemble.pipeline import reassemble_pages
from reassemble.write import write_edition
folder, fmt = sys.argv[1], sys.argv[2]
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
if fmt != "none":
    edition = reassemble_pages([folder], input_format=fmt)
    with tempfile.TemporaryDirectory() as out:
        write_edition(edition, Path(out), fmt="xml")
    articles = len(edition.articles)
else:
    articles = 0
print(json.dumps({"peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss, "imports_kb": before,
                  "articles": articles}))
"""

_LONG_CHILD = r"""
import json, resource, shutil, sys, tempfile, time, traceback
from pathlib import Path
from reassemble.compose import LEVELS, compose_edition, load_source_articles, page_file_name
from reassemble.compose import write_edition as write_composed
from reassemble.evaluate import text_conserved
from reassemble.pipeline import reassemble_pages
from reassemble.write import write_edition

def rss_kb():
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss

n = int(sys.argv[1])
formats = ("text", "json", "alto")
levels = list(LEVELS)
sources = load_source_articles()
marks, curve, crashes, not_conserved, first_error = {}, [], 0, 0, None
start = time.perf_counter()
work = Path(tempfile.mkdtemp(prefix="reassemble-long-"))
try:
    for i in range(n):
        fmt = formats[i % 3]
        edition = compose_edition(200000 + i, levels[(i // 3) % 3], n_pages=1, formats=(fmt,), sources=sources)
        page_dir, out_dir = work / "page", work / "out"
        write_composed(edition, page_dir)
        number = edition.pages[0].number
        try:
            result = reassemble_pages([(number, page_dir / page_file_name(number, fmt))], input_format=fmt)
            write_edition(result, out_dir, fmt="xml")
            if not text_conserved(result):
                not_conserved += 1
        except Exception:
            crashes += 1
            first_error = first_error or traceback.format_exc(limit=3)
        shutil.rmtree(page_dir, ignore_errors=True)
        shutil.rmtree(out_dir, ignore_errors=True)
        if i in (0, n // 2, n - 1):
            marks[{0: "start", n // 2: "middle", n - 1: "end"}[i]] = rss_kb()
        if (i + 1) % max(1, n // 10) == 0:
            curve.append([i + 1, rss_kb()])
            print(f"    {i + 1}/{n} pages, {time.perf_counter() - start:.0f} s", file=sys.stderr, flush=True)
finally:
    shutil.rmtree(work, ignore_errors=True)
print(json.dumps({"pages": n, "rss_kb": marks, "curve_kb": curve, "crashes": crashes, "not_conserved": not_conserved,
                  "first_error": first_error, "seconds": round(time.perf_counter() - start, 1),
                  "peak_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}))
"""


def _child(code: str, *args: str) -> dict[str, Any]:
    """Run ``code`` in a fresh interpreter (this checkout first on the path) and parse its JSON line."""
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]))
    proc = subprocess.run([sys.executable, "-c", code, *args], capture_output=False, stdout=subprocess.PIPE,
                          text=True, env=env, check=False)
    if proc.returncode != 0:
        raise RuntimeError(f"child process failed with exit code {proc.returncode}")
    result: dict[str, Any] = json.loads(proc.stdout.strip().splitlines()[-1])
    return result


def peak_rss(folder: Path, n_pages: int) -> dict[str, Any]:
    """Peak RSS (MB) of one process per input format reading, reassembling and writing a whole edition."""
    edition = compose_edition(7, "medium", n_pages=n_pages, formats=FORMATS, sources=load_source_articles())
    write_composed(edition, folder)
    out: dict[str, Any] = {"pages": n_pages, "blocks": int(edition.stats["blocks"])}
    imports = _child(_PEAK_CHILD, str(folder), "none")
    out["imports_only_mb"] = round(imports["peak_kb"] / 1024, 1)
    for k, fmt in enumerate(FORMATS):
        sub = folder if k == 0 else folder / fmt
        res = _child(_PEAK_CHILD, str(sub), fmt)
        out[fmt] = {"peak_mb": round(res["peak_kb"] / 1024, 1), "articles": res["articles"]}
    return out


def memory_growth(n_pages: int) -> dict[str, Any]:
    """The long single-process run: RSS at start/middle/end, crashes and text conservation on every page."""
    res = _child(_LONG_CHILD, str(n_pages))
    rss = {k: round(v / 1024, 1) for k, v in res["rss_kb"].items()}
    growth = rss["end"] - rss["start"]
    steady = rss["end"] - rss["middle"]
    return {**res, "rss_mb": rss, "growth_mb": round(growth, 1), "growth_share": round(growth / rss["start"], 3),
            "steady_growth_mb": round(steady, 1), "steady_growth_share": round(steady / rss["middle"], 3),
            "curve_mb": [[n, round(kb / 1024, 1)] for n, kb in res["curve_kb"]],
            "peak_mb": round(res["peak_kb"] / 1024, 1)}


def cold_start(runs: int) -> dict[str, Any]:
    """Median wall time of the CLI's ``--version`` over ``runs`` fresh processes, for both entry points."""
    script = Path(sys.executable).with_name("reassemble")
    commands = {"python -m reassemble --version": [sys.executable, "-m", "reassemble", "--version"]}
    if script.exists():
        commands["reassemble --version"] = [str(script), "--version"]
    else:
        found = shutil.which("reassemble")
        if found:
            commands["reassemble --version"] = [found, "--version"]
    out: dict[str, Any] = {}
    for name, cmd in commands.items():
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            times.append(time.perf_counter() - start)
        out[name] = {"median_s": round(statistics.median(times), 3), "min_s": round(min(times), 3),
                     "max_s": round(max(times), 3)}
    return out


# --------------------------------------------------------------------------------------------------------
# Report




def _ok(passed: bool) -> str:
    return "met" if passed else "**missed**"


def report_rows(res: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """``(measure, value, target, met?)`` rows for the Markdown table."""
    rows: list[tuple[str, str, str, str]] = []
    t = TARGETS
    for fmt in FORMATS:
        one, two, floor = res["throughput"][fmt]["1"], res["throughput"][fmt]["2"], res["throughput"][fmt]["floor"]
        ratio = res["throughput"][fmt]["floor_ratio"]
        target = {"text": f">= {t['text_pages_per_s_core']:.0f}", "alto": f">= {t['alto_pages_per_s_core']:.0f}"}
        rate_ok = {"text": one["pages_per_s_core"] >= t["text_pages_per_s_core"],
                   "alto": one["pages_per_s_core"] >= t["alto_pages_per_s_core"]}
        rows.append((f"{fmt}: pages/s/core, 1 process (ms/page)", f"{one['pages_per_s_core']} ({one['ms_per_page']})",
                     target.get(fmt, "-"), _ok(rate_ok[fmt]) if fmt in rate_ok else "-"))
        rows.append((f"{fmt}: pages/s/core, 2 processes (total)", f"{two['pages_per_s_core']} ({two['pages_per_s']})",
                     "-", "-"))
        only = res["throughput"][fmt]["reassemble_only"]
        rows.append((f"{fmt}: without writing XML, pages/s (ms/page)", f"{only['pages_per_s_core']} "
                     f"({only['ms_per_page']})", "-", "-"))
        floor_name = {"text": "decode + split_blocks", "json": "json.loads", "alto": "lxml etree.parse"}[fmt]
        rows.append((f"{fmt}: floor ({floor_name}), pages/s", f"{floor['pages_per_s_core']}", "-", "-"))
        limit = {"text": t["text_floor_ratio"], "alto": t["alto_floor_ratio"]}.get(fmt)
        rows.append((f"{fmt}: pipeline time / floor time", f"{ratio:.1f}x",
                     f"<= {limit:.0f}x" if limit else "-", _ok(ratio <= limit) if limit else "-"))
    peak = res["peak_rss"]
    for fmt in FORMATS:
        rows.append((f"peak RSS, {peak['pages']}-page edition, {fmt} (MB)", f"{peak[fmt]['peak_mb']}",
                     f"<= {t['peak_rss_24_mb']:.0f}", _ok(peak[fmt]["peak_mb"] <= t["peak_rss_24_mb"])))
    rows.append(("RSS after imports only (MB)", f"{peak['imports_only_mb']}", "-", "-"))
    mem = res["memory"]
    rss = mem["rss_mb"]
    flat_target = f"<= {t['growth_mb']:.0f} MB and <= {t['growth_share']:.0%}"
    rows.append((f"RSS over {mem['pages']} pages, after page 1 / middle / end (MB)",
                 f"{rss['start']} / {rss['middle']} / {rss['end']}", "flat", "-"))
    rows.append(("RSS growth, page 1 to end (MB, share)", f"{mem['growth_mb']} ({mem['growth_share']:.0%})",
                 flat_target, _ok(mem["growth_mb"] <= t["growth_mb"] and mem["growth_share"] <= t["growth_share"])))
    rows.append(("RSS growth, middle to end (MB, share)",
                 f"{mem['steady_growth_mb']} ({mem['steady_growth_share']:.0%})", flat_target,
                 _ok(mem["steady_growth_mb"] <= t["growth_mb"] and mem["steady_growth_share"] <= t["growth_share"])))
    curve = ", ".join(f"{n}: {mb}" for n, mb in mem["curve_mb"])
    rows.append(("RSS curve (pages: MB)", curve, "-", "-"))
    rows.append((f"long run: crashes / pages not conserving text (of {mem['pages']})",
                 f"{mem['crashes']} / {mem['not_conserved']}", "0 / 0",
                 _ok(mem["crashes"] == 0 and mem["not_conserved"] == 0)))
    for name, c in res["cold_start"].items():
        rows.append((f"cold start `{name}` (median of {res['settings']['cold_runs']}, s)", f"{c['median_s']}",
                     f"<= {t['cold_start_s']}", _ok(c["median_s"] <= t["cold_start_s"])))
    return rows


def markdown(res: dict[str, Any]) -> str:
    m = res["machine"]
    lines = [
        "# Speed and memory",
        "",
        f"Generated by `python benchmarks/speed.py{res['settings']['argv']}` in {res['seconds']:.0f} s on "
        f"{m['cpu']} ({m['cores']} cores), Python {m['python']}, {m['platform']}.",
        "",
        f"Throughput: {res['settings']['pages']} composed one-page editions per format (levels in turn), read, "
        "reassembled and written as validated NewsML-G2; floors measured in the same run on the same files.",
        "",
        "| measure | value | target | |",
        "|---|---:|---|---|",
    ]
    lines += [f"| {a} | {b} | {c} | {d} |" for a, b, c, d in report_rows(res)]
    return "\n".join(lines) + "\n"


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    long_pages = args.long_pages or (10000 if args.long else 2000)
    start = time.perf_counter()
    res: dict[str, Any] = {"machine": machine(), "targets": TARGETS}
    res["settings"] = {"argv": "".join(f" {a}" for a in (sys.argv[1:] if argv is None else argv)),
                       "pages": args.pages, "long_pages": long_pages, "edition_pages": args.edition_pages,
                       "cold_runs": args.cold_runs}
    with tempfile.TemporaryDirectory(prefix="reassemble-speed-corpus-") as tmp:
        print(f"composing {args.pages} pages in 3 formats ...", file=sys.stderr)
        pages = compose_pages(Path(tmp) / "pages", args.pages)
        res["throughput"] = {}
        for fmt in FORMATS:
            entry: dict[str, Any] = {}
            for procs in (1, 2):
                print(f"  {fmt}: pipeline, {procs} process(es) ...", file=sys.stderr)
                entry[str(procs)] = throughput("pipeline", pages[fmt], procs)
            entry["reassemble_only"] = throughput("reassemble", pages[fmt], 1)
            entry["floor"] = throughput("floor", pages[fmt], 1)
            entry["floor_ratio"] = round(entry["1"]["ms_per_page"] / max(entry["floor"]["ms_per_page"], 1e-9), 2)
            res["throughput"][fmt] = entry
        print(f"  peak RSS, {args.edition_pages}-page edition ...", file=sys.stderr)
        res["peak_rss"] = peak_rss(Path(tmp) / "edition", args.edition_pages)
    print(f"  memory over {long_pages} pages ...", file=sys.stderr)
    try:
        res["memory"] = memory_growth(long_pages)
    except Exception:
        traceback.print_exc()
        return 1
    print("  cold start ...", file=sys.stderr)
    res["cold_start"] = cold_start(args.cold_runs)
    res["seconds"] = round(time.perf_counter() - start, 1)
    text = markdown(res)
    print(text)
    if not args.no_write:
        args.out.mkdir(parents=True, exist_ok=True)
        (args.out / "speed.md").write_text(text, encoding="utf-8")
        (args.out / "speed.json").write_text(json.dumps(res, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"wrote {args.out / 'speed.md'} and {args.out / 'speed.json'}", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
