"""How well :mod:`reassemble.layout` orders pages and spots headings, measured against gold.

Usage::

    python benchmarks/layout_bnl.py [GOLD ...] [--verbose] [--json]

``GOLD`` defaults to the BnL 1858 issue's METS file (``corpus/alto/bnl-1858/*/*-mets.xml``); any gold
:func:`reassemble.evaluate.load_gold` reads works (``reassemble-gold/1`` JSON with ``json`` or ``alto``
pages, e.g. a composed edition's ``json/gold.json``). Pages without coordinates are skipped.

Per page it prints:

* ``tau``: Kendall tau (:func:`reassemble.evaluate.kendall_tau`) between the gold reading order and
  :func:`reassemble.layout.reading_order`. The gold order is the gold articles in file order (for METS:
  the logical structMap, whose sibling divs follow their ``ORDER`` attributes) with each article's blocks
  in gold order, restricted to the page's blocks;
* ``dump``: the same tau for the blocks in dump (extraction) order, the baseline;
* ``art``: the mean over the page's gold articles of the tau between the article's blocks in gold order
  and in our order (as ``reassemble eval``'s ``order_tau`` does per article). It ignores the order *of*
  articles, which gold files do not always record as printed (composed editions list page furniture and
  jumped-in articles in their own order);
* heading figures from :func:`reassemble.layout.heading_score` at
  :data:`~reassemble.layout.HEADING_THRESHOLD`: gold ``headline`` blocks scoring at least the threshold,
  and gold body blocks (no role, in an ``article``/``advert`` article) scoring below it.

``--verbose`` adds both orders and the heading misses, ``--json`` prints one JSON object instead.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from reassemble.evaluate import Gold, kendall_tau, load_gold  # noqa: E402
from reassemble.layout import HEADING_THRESHOLD, analyse, heading_score, reading_order  # noqa: E402
from reassemble.read import read_page  # noqa: E402

DEFAULT_GOLD = sorted((REPO / "corpus" / "alto" / "bnl-1858").glob("*/*-mets.xml"))


@dataclass
class PageFigures:
    """The figures of one page (see the module docstring)."""

    gold: str
    page: int
    blocks: int
    tau: float
    dump_tau: float
    article_tau: float
    headlines: int
    headline_hits: int
    bodies: int
    body_hits: int
    ms: float
    order: list[str] = field(default_factory=list)
    gold_order: list[str] = field(default_factory=list)
    missed_headlines: dict[str, float] = field(default_factory=dict)
    false_headlines: dict[str, float] = field(default_factory=dict)


def _on_page(ids: Sequence[str], page: int) -> list[str]:
    prefix = f"p{page}:"
    return [b for b in ids if b.startswith(prefix)]


def measure(gold_path: Path) -> list[PageFigures]:
    """Figures for every page of one gold file that has coordinates."""
    gold: Gold = load_gold(gold_path)
    rows: list[PageFigures] = []
    for gp in gold.pages:
        page = read_page(gp.file, gp.number, gp.format if gp.format != "text" else "auto")
        if not any(b.bbox for b in page.blocks):
            continue
        started = time.perf_counter()
        layout = analyse(page)
        ordered = reading_order(page, layout)
        scores = heading_score(page, layout)
        elapsed = time.perf_counter() - started
        mine = [b.id for b in ordered.blocks]
        reference = [b for a in gold.articles for b in _on_page(a.blocks, page.number)]
        article_taus = [kendall_tau(ids, mine) for a in gold.articles if (ids := _on_page(a.blocks, page.number))]
        heads: list[str] = []
        bodies: list[str] = []
        for art in gold.articles:
            for bid in _on_page(art.blocks, page.number):
                role = art.roles.get(bid, "")
                if role == "headline":
                    heads.append(bid)
                elif not role and art.kind in ("article", "advert"):
                    bodies.append(bid)
        rows.append(
            PageFigures(
                gold=str(gold_path),
                page=page.number,
                blocks=len(page.blocks),
                tau=round(kendall_tau(reference, mine), 4),
                dump_tau=round(kendall_tau(reference, [b.id for b in page.blocks]), 4),
                article_tau=round(sum(article_taus) / len(article_taus), 4) if article_taus else 1.0,
                headlines=len(heads),
                headline_hits=sum(1 for b in heads if scores[b] >= HEADING_THRESHOLD),
                bodies=len(bodies),
                body_hits=sum(1 for b in bodies if scores[b] < HEADING_THRESHOLD),
                ms=round(elapsed * 1000, 2),
                order=mine,
                gold_order=reference,
                missed_headlines={b: scores[b] for b in heads if scores[b] < HEADING_THRESHOLD},
                false_headlines={b: scores[b] for b in bodies if scores[b] >= HEADING_THRESHOLD},
            )
        )
    return rows


def _share(hits: int, total: int) -> str:
    return f"{hits}/{total} = {hits / total:.2f}" if total else "-"


def _short(ids: Sequence[str]) -> str:
    return " ".join(b.split(":", 1)[1] for b in ids)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    parser.add_argument("gold", nargs="*", type=Path, help="gold files (default: the BnL 1858 METS issue)")
    parser.add_argument("--json", action="store_true", help="print one JSON object")
    parser.add_argument("--verbose", action="store_true", help="also print both orders and the misses")
    args = parser.parse_args(argv)
    paths = args.gold or DEFAULT_GOLD
    rows = [row for path in paths for row in measure(path)]
    if args.json:
        print(json.dumps({"pages": [asdict(r) for r in rows]}, ensure_ascii=False, indent=1))
        return 0
    print(f"{'page':>5} {'blocks':>6} {'tau':>6} {'dump':>6} {'art':>6}  {'headline>=0.5':<16} "
          f"{'body<0.5':<16} {'ms':>6}  gold")
    for r in rows:
        print(f"{r.page:>5} {r.blocks:>6} {r.tau:>6.3f} {r.dump_tau:>6.3f} {r.article_tau:>6.3f}  "
              f"{_share(r.headline_hits, r.headlines):<16} {_share(r.body_hits, r.bodies):<16} {r.ms:>6.1f}  "
              f"{Path(r.gold).parent.name}")
        if args.verbose:
            print("      gold :", _short(r.gold_order))
            print("      ours :", _short(r.order))
            print("      missed headlines:", r.missed_headlines, " body scored as heading:", r.false_headlines)
    if rows:
        n = len(rows)
        print(f"{'mean':>5} {'':>6} {sum(r.tau for r in rows) / n:>6.3f} {sum(r.dump_tau for r in rows) / n:>6.3f} "
              f"{sum(r.article_tau for r in rows) / n:>6.3f}  "
              f"{_share(sum(r.headline_hits for r in rows), sum(r.headlines for r in rows)):<16} "
              f"{_share(sum(r.body_hits for r in rows), sum(r.bodies for r in rows)):<16}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
