"""How well :mod:`reassemble.layout` orders pages and spots headings, measured against gold.

Usage::

    python benchmarks/layout_bnl.py [GOLD ...] [--json]

``GOLD`` defaults to the BnL 1858 issue's METS file (``corpus/alto/bnl-1858/*/*-mets.xml``); any gold
:func:`reassemble.evaluate.load_gold` reads works (``reassemble-gold/1`` JSON with ``json`` or ``alto``
pages, e.g. a composed edition's ``json/gold.json``). Pages without coordinates are skipped.

Per page it prints:

* ``tau``: Kendall tau between the gold reading order and :func:`reassemble.layout.reading_order`; the gold
  order is the gold articles in file order (for METS: logical structMap order, which follows the ``ORDER``
  attributes) with each article's blocks in gold order, restricted to the page's blocks;
* ``dump``: the same tau for the blocks in dump (extraction) order, the baseline;
* heading figures from :func:`reassemble.layout.heading_score` with :data:`~reassemble.layout.HEADING_THRESHOLD`:
  the share of gold ``headline`` blocks scoring at least the threshold (recall), and the share of gold body
  blocks (no role, in an ``article``/``advert`` article) scoring below it (specificity).

With ``--json``, one JSON object with the same figures and the misses.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reassemble.evaluate import Gold, kendall_tau, load_gold  # noqa: E402
from reassemble.layout import HEADING_THRESHOLD, analyse, heading_score, reading_order  # noqa: E402
from reassemble.model import Page  # noqa: E402
from reassemble.read import read_page  # noqa: E402

DEFAULT_GOLD = sorted((REPO / "corpus" / "alto" / "bnl-1858").glob("*/*-mets.xml"))


def _gold_order(gold: Gold, page: int) -> list[str]:
    prefix = f"p{page}:"
    return [b for a in gold.articles for b in a.blocks if b.startswith(prefix)]


def measure(gold_path: Path) -> list[dict[str, object]]:
    """Figures for every page of one gold file that has coordinates."""
    gold = load_gold(gold_path)
    rows: list[dict[str, object]] = []
    for gp in gold.pages:
        page: Page = read_page(gp.file, gp.number, gp.format if gp.format != "text" else "auto")
        if not any(b.bbox for b in page.blocks):
            continue
        started = time.perf_counter()
        layout = analyse(page)
        ordered = reading_order(page, layout)
        scores = heading_score(page, layout)
        elapsed = time.perf_counter() - started
        reference = _gold_order(gold, page.number)
        mine = [b.id for b in ordered.blocks]
        dump = [b.id for b in page.blocks]
        heads: list[str] = []
        bodies: list[str] = []
        for art in gold.articles:
            for bid in art.blocks:
                if not bid.startswith(f"p{page.number}:"):
                    continue
                role = art.roles.get(bid, "")
                if role == "headline":
                    heads.append(bid)
                elif not role and art.kind in ("article", "advert"):
                    bodies.append(bid)
        rows.append(
            {
                "gold": str(gold_path),
                "page": page.number,
                "blocks": len(page.blocks),
                "tau": round(kendall_tau(reference, mine), 4),
                "dump_tau": round(kendall_tau(reference, dump), 4),
                "headlines": len(heads),
                "headline_hits": sum(1 for b in heads if scores[b] >= HEADING_THRESHOLD),
                "bodies": len(bodies),
                "body_hits": sum(1 for b in bodies if scores[b] < HEADING_THRESHOLD),
                "missed_headlines": {b: scores[b] for b in heads if scores[b] < HEADING_THRESHOLD},
                "false_headlines": {b: scores[b] for b in bodies if scores[b] >= HEADING_THRESHOLD},
                "order": mine,
                "gold_order": reference,
                "ms": round(elapsed * 1000, 2),
            }
        )
    return rows


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.2f}" if total else "-"


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("gold", nargs="*", type=Path, help="gold files (default: the BnL 1858 METS issue)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--verbose", action="store_true", help="also print both orders and the misses")
    args = parser.parse_args(argv)
    paths = args.gold or DEFAULT_GOLD
    rows = [row for path in paths for row in measure(path)]
    if args.json:
        print(json.dumps({"pages": rows}, ensure_ascii=False, indent=1))
        return 0
    print(f"{'page':>6} {'blocks':>6} {'tau':>7} {'dump':>7}   headline>=0.5      body<0.5        ms")
    for r in rows:
        print(
            f"{r['page']:>6} {r['blocks']:>6} {r['tau']:>7.3f} {r['dump_tau']:>7.3f}   "
            f"{_share(int(r['headlines']), int(r['headlines'])) if False else _share(r['headline_hits'], r['headlines']):<18} "  # type: ignore[arg-type]
            f"{_share(r['body_hits'], r['bodies']):<15} {r['ms']:>6}"  # type: ignore[arg-type]
        )
        if args.verbose:
            print("       gold :", " ".join(str(b).split(":")[1] for b in r["gold_order"]))  # type: ignore[attr-defined]
            print("       mine :", " ".join(str(b).split(":")[1] for b in r["order"]))  # type: ignore[attr-defined]
            print("       missed headlines:", r["missed_headlines"], " false:", r["false_headlines"])
    if rows:
        n = len(rows)
        heads = sum(int(r["headlines"]) for r in rows)  # type: ignore[call-overload]
        head_hits = sum(int(r["headline_hits"]) for r in rows)  # type: ignore[call-overload]
        bodies = sum(int(r["bodies"]) for r in rows)  # type: ignore[call-overload]
        body_hits = sum(int(r["body_hits"]) for r in rows)  # type: ignore[call-overload]
        mean_tau = sum(float(r["tau"]) for r in rows) / n  # type: ignore[arg-type]
        mean_dump = sum(float(r["dump_tau"]) for r in rows) / n  # type: ignore[arg-type]
        print(f"{'mean':>6} {'':>6} {mean_tau:>7.3f} {mean_dump:>7.3f}   "
              f"{_share(head_hits, heads):<18} {_share(body_hits, bodies):<15}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
