"""Precision/recall of the English jump-marker detector on hand-labelled Chronicling America front pages.

Usage::

    python benchmarks/markers_en.py [DATA_DIR] [--labels LABELS.json] [--files PATTERN ...] [--quiet]

``DATA_DIR`` defaults to ``../shared/data/en/chronam-1916`` relative to the repository root (the OCR texts
are not copied into the repo). ``corpus/en/chronam-1916/sample`` holds three of the pages under the same
relative paths, for the tests: ``python benchmarks/markers_en.py corpus/en/chronam-1916/sample``. Labelled
pages missing from ``DATA_DIR`` are skipped. Labels default to ``corpus/en/chronam-1916/labels.json`` (see
its ``notes`` for how they were made).

Scoring is line based: a predicted marker (a span of 1-3 lines from
:func:`reassemble.markers.find_markers_in_lines`) is a true positive when its lines overlap a labelled
marker's lines and the direction matches; each label is matched at most once. Page accuracy is reported
separately, over matched labels whose page is known.
"""

from __future__ import annotations

import argparse
import fnmatch
import json
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypedDict

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reassemble.markers import find_markers_in_lines  # noqa: E402

DEFAULT_DATA = REPO.parent / "shared" / "data" / "en" / "chronam-1916"
DEFAULT_LABELS = REPO / "corpus" / "en" / "chronam-1916" / "labels.json"


class Label(TypedDict):
    """One labelled marker: 1-based line numbers, "out"/"in", target page or None when unreadable."""

    lines: list[int]
    direction: str
    page: int | None


@dataclass
class Score:
    """Counts over a set of pages, plus the individual errors for the report."""

    tp: int = 0
    fp: int = 0
    fn: int = 0
    page_ok: int = 0
    page_known: int = 0
    pages: int = 0
    misses: list[str] = field(default_factory=list)
    false_alarms: list[str] = field(default_factory=list)
    wrong_pages: list[str] = field(default_factory=list)

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0


def score_file(rel: str, lines: list[str], labels: list[Label], score: Score) -> None:
    """Match predictions in one page against its labels and add to ``score``."""
    predicted = find_markers_in_lines(lines)
    used: set[int] = set()
    score.pages += 1
    for first, last, marker in predicted:
        pred_lines = set(range(first + 1, last + 2))  # labels are 1-based
        hit = None
        for idx, label in enumerate(labels):
            same_dir = label["direction"] == marker.direction.value
            if idx not in used and same_dir and pred_lines & set(label["lines"]):
                hit = idx
                break
        where = f"{rel}:{first + 1}-{last + 1}"
        if hit is None:
            score.fp += 1
            score.false_alarms.append(f"{where}  {marker.direction.value} p={marker.page}  {marker.text!r}")
            continue
        used.add(hit)
        score.tp += 1
        expected = labels[hit]["page"]
        if expected is not None:
            score.page_known += 1
            if expected == marker.page:
                score.page_ok += 1
            else:
                score.wrong_pages.append(f"{where}  expected {expected} got {marker.page}  {marker.text!r}")
    for idx, label in enumerate(labels):
        if idx not in used:
            score.fn += 1
            nums = label["lines"]
            text = " | ".join(lines[n - 1] for n in nums)
            score.misses.append(f"{rel}:{nums}  {label['direction']} p={label['page']}  {text!r}")


def evaluate(data: Path, labels_path: Path = DEFAULT_LABELS, patterns: list[str] | None = None) -> Score:
    """Score every labelled page found under ``data`` (pages missing there are skipped)."""
    labels: dict[str, list[Label]] = json.loads(labels_path.read_text(encoding="utf-8"))["files"]
    score = Score()
    for rel, items in sorted(labels.items()):
        if patterns and not any(fnmatch.fnmatch(rel, p) for p in patterns):
            continue
        path = data / rel
        if not path.exists():
            continue
        lines = path.read_text(encoding="utf-8", errors="replace").split("\n")
        score_file(rel, lines, items, score)
    return score


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("data", nargs="?", type=Path, default=DEFAULT_DATA)
    parser.add_argument("--labels", type=Path, default=DEFAULT_LABELS)
    parser.add_argument("--files", nargs="*", help="fnmatch patterns on the labelled relative paths")
    parser.add_argument("--quiet", action="store_true", help="only the summary")
    args = parser.parse_args(argv)
    if not args.data.exists():
        print(f"data directory not found: {args.data}", file=sys.stderr)
        return 2
    score = evaluate(args.data, args.labels, args.files)
    if not args.quiet:
        for title, rows in (("misses", score.misses), ("false alarms", score.false_alarms),
                            ("wrong pages", score.wrong_pages)):
            print(f"== {title} ({len(rows)})")
            for row in rows:
                print("  " + row)
    labelled = score.tp + score.fn
    print(f"pages {score.pages}  labelled markers {labelled}  predicted {score.tp + score.fp}")
    print(f"precision {score.precision:.3f}  recall {score.recall:.3f}  (tp {score.tp}, fp {score.fp}, "
          f"fn {score.fn})")
    if score.page_known:
        ratio = score.page_ok / score.page_known
        print(f"page number correct {score.page_ok}/{score.page_known} = {ratio:.3f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
