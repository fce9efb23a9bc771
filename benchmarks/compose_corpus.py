"""Write many synthetic editions (and variants of the real seed page) for tuning and benchmarking.

Why a script and not a CLI command: the composer is a development tool for the people tuning the
pipeline, not something archivists run; keeping it out of ``reassemble`` keeps the user-facing CLI small.

Examples::

    python benchmarks/compose_corpus.py --seed-from 0 --count 20 --level medium --pages 2 --out /tmp/med
    python benchmarks/compose_corpus.py --count 10 --level all --formats text,json,alto --out /tmp/all
    python benchmarks/compose_corpus.py --count 0 --seed-variants 10 --out /tmp/variants
    python benchmarks/compose_corpus.py --examples --out corpus/zh/synthetic   # the committed examples
    python benchmarks/compose_corpus.py --editions --out corpus/zh/editions    # the committed jump editions
    python benchmarks/compose_corpus.py --count 5 --mix recombined --out /tmp/old  # the earlier mix

Each edition goes in ``OUT/{level}-s{seed}/`` (``OUT/seed-variant-s{seed}/`` for variants), with
``gold.json`` beside its pages; ``OUT/index.json`` lists them with their stats. The same arguments always
write the same bytes. Articles are derived one source article each (``--mix coherent``, the default; see
:mod:`reassemble.compose`); ``--mix recombined`` gives the earlier cross-article mix.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from reassemble.compose import (  # noqa: E402
    LEVELS,
    MIXES,
    ComposedEdition,
    check_written_edition,
    compose_edition,
    seed_variants,
    write_edition,
)

SEED_DIR = ROOT / "corpus" / "zh" / "workers-daily-p2"


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0] if __doc__ else None)
    p.add_argument("--seed-from", type=int, default=0, help="first seed (default 0)")
    p.add_argument("--count", type=int, default=20, help="editions per level (default 20)")
    p.add_argument("--level", default="medium", choices=[*LEVELS, "all"], help="difficulty (default medium)")
    p.add_argument("--pages", type=int, default=1, help="pages per edition (default 1)")
    p.add_argument("--formats", default="text", help="comma-separated: text,json,alto (default text)")
    p.add_argument(
        "--seed-variants",
        type=int,
        default=0,
        metavar="N",
        help="also write N variants of the real seed page (seeds SEED_FROM..SEED_FROM+N-1)",
    )
    p.add_argument("--mix", default="coherent", choices=MIXES, help="where article text comes from (default coherent)")
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--check", action="store_true", help="re-read every edition written and verify its gold")
    p.add_argument(
        "--examples", action="store_true", help="write only the small example set committed in corpus/zh/synthetic"
    )
    p.add_argument(
        "--editions", action="store_true", help="write only the jump editions committed in corpus/zh/editions"
    )
    return p.parse_args(argv)


def examples() -> list[ComposedEdition]:
    """The example editions committed in ``corpus/zh/synthetic``: one per level and two seed variants."""
    page, gold = SEED_DIR / "page-02.txt", SEED_DIR / "gold.json"
    return [
        compose_edition(1, "easy", n_pages=1, formats=("text", "json", "alto")),
        compose_edition(2, "medium", n_pages=2),
        compose_edition(3, "hard", n_pages=3),
        seed_variants(page, gold, 1, encoding="gb18030"),
        seed_variants(page, gold, 2, encoding="utf-16", full_width=True),
    ]


#: The committed multi-page editions for the cross-page feature: folder name -> (what it shows, seed, pages,
#: jump plan). Seeds were picked (by :func:`edition_problems`) so that each edition shows its case; a
#: change to the composer that breaks that is caught by the test and by ``--editions``.
EDITIONS: dict[str, tuple[str, int, int, dict[int, list[int]]]] = {
    "jump-midword-2p": (
        "2 pages: an article starts on page 1, is cut mid-word and goes on on page 2 under a jump headline",
        19,
        2,
        {1: [2]},
    ),
    "two-jumps-to-p3": ("3 pages: two articles jump from page 1 to page 3", 4, 3, {1: [3, 3]}),
    "jump-target-missing": (
        "2 pages: one article jumps from page 1 to page 2, another to page 5, which is not given (continues_to)",
        1,
        2,
        {1: [2, 5]},
    ),
}


def edition_examples() -> list[ComposedEdition]:
    """The multi-page editions committed in ``corpus/zh/editions`` (see :data:`EDITIONS`), medium level."""
    out = []
    for name, (_, seed, pages, plan) in EDITIONS.items():
        edition = compose_edition(seed, "medium", n_pages=pages, first_page=1, jump_plan=plan)
        out.append(dataclasses.replace(edition, name=name))
    return out


def _cross_joins(edition: ComposedEdition) -> list[tuple[str, int, int, str, str]]:
    """``(article, from page, to page, text before, text after)`` of every join between two pages."""
    page_of = {b.uid: p.number for p in edition.pages for b in p.blocks}
    text_of = {b.uid: b.text.replace("\n", "") for p in edition.pages for b in p.blocks}
    return [
        (a.id, page_of[x], page_of[y], text_of[x], text_of[y])
        for a in edition.articles
        for x, y in a.joins
        if page_of[x] != page_of[y]
    ]


def _mid_word(left: str, right: str) -> bool:
    """Does the cut between ``left`` and ``right`` fall inside a jieba word (dictionary only, no HMM)?"""
    import logging

    import jieba

    jieba.setLogLevel(logging.ERROR)
    a, b = left[-12:], right[:12]
    pos = 0
    for word in jieba.cut(a + b, HMM=False):
        if pos < len(a) < pos + len(word):
            return True
        pos += len(word)
    return False


def edition_problems(edition: ComposedEdition) -> list[str]:
    """What is missing for an edition of :data:`EDITIONS` to show its case (an empty list when nothing)."""
    cross = _cross_joins(edition)
    roles = {u: r for a in edition.articles for u, r in a.roles.items()}
    name = edition.name
    problems: list[str] = []
    if name == "jump-midword-2p":
        if [(f, t) for _, f, t, _, _ in cross] != [(1, 2)]:
            problems.append(f"{name}: want exactly one join from page 1 to page 2, got {cross}")
        elif not _mid_word(cross[0][3], cross[0][4]):
            problems.append(f"{name}: the cut {cross[0][3][-6:]}|{cross[0][4][:6]} is not inside a word")
        jumped = {a for a, _, _, _, _ in cross}
        heads = [u for a in edition.articles if a.id in jumped for u in a.blocks if roles.get(u) == "jump_headline"]
        if not heads:
            problems.append(f"{name}: the continuation has no jump headline")
    elif name == "two-jumps-to-p3":
        if sorted((f, t) for _, f, t, _, _ in cross) != [(1, 3), (1, 3)]:
            problems.append(f"{name}: want two joins from page 1 to page 3, got {[(f, t) for _, f, t, _, _ in cross]}")
    elif name == "jump-target-missing":
        missing = [(a.id, a.continues_to) for a in edition.articles if a.continues_to is not None]
        if [page for _, page in missing] != [5]:
            problems.append(f"{name}: want one article with continues_to page 5, got {missing}")
        if [(f, t) for _, f, t, _, _ in cross] != [(1, 2)]:
            problems.append(f"{name}: want one join from page 1 to page 2, got {cross}")
    return problems


def _entry(edition: ComposedEdition, folder: Path, out: Path) -> dict[str, object]:
    return {
        "name": edition.name,
        "dir": folder.relative_to(out).as_posix(),
        "level": edition.level,
        "seed": edition.seed,
        "pages": [p.number for p in edition.pages],
        "encoding": edition.pages[0].encoding,
        "punctuation": edition.punctuation,
        "stats": dict(edition.stats),
    }


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    formats = tuple(f.strip() for f in args.formats.split(",") if f.strip())
    levels = list(LEVELS) if args.level == "all" else [args.level]
    out: Path = args.out
    out.mkdir(parents=True, exist_ok=True)
    entries: list[dict[str, object]] = []
    problems: list[str] = []
    editions: list[tuple[ComposedEdition, Path]] = []
    if args.examples:
        editions = [(e, out / e.name) for e in examples()]
        args.count = args.seed_variants = 0
    if args.editions:
        editions += [(e, out / e.name) for e in edition_examples()]
        problems += [msg for e, _ in editions if e.name in EDITIONS for msg in edition_problems(e)]
        args.count = args.seed_variants = 0
    for level in levels:
        for seed in range(args.seed_from, args.seed_from + args.count):
            edition = compose_edition(seed, level, n_pages=args.pages, formats=formats, mix=args.mix)
            editions.append((edition, out / edition.name))
    for seed in range(args.seed_from, args.seed_from + args.seed_variants):
        variant = seed_variants(SEED_DIR / "page-02.txt", SEED_DIR / "gold.json", seed)
        editions.append((variant, out / variant.name))
    for edition, folder in editions:
        golds = write_edition(edition, folder)
        entry = _entry(edition, folder, out)
        if edition.name in EDITIONS:
            entry["shows"] = EDITIONS[edition.name][0]
        entries.append(entry)
        if args.check:
            problems += [f"{g}: {msg}" for g in golds for msg in check_written_edition(g)]
    index = {"generator": "reassemble.compose", "editions": entries}
    (out / "index.json").write_text(json.dumps(index, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(entries)} editions to {out}")
    for msg in problems:
        print(msg, file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
