"""Write many synthetic editions (and variants of the real seed page) for tuning and benchmarking.

Why a script and not a CLI command: the composer is a development tool for the people tuning the
pipeline, not something archivists run; keeping it out of ``reassemble`` keeps the user-facing CLI small.

Examples::

    python benchmarks/compose_corpus.py --seed-from 0 --count 20 --level medium --pages 2 --out /tmp/med
    python benchmarks/compose_corpus.py --count 10 --level all --formats text,json,alto --out /tmp/all
    python benchmarks/compose_corpus.py --count 0 --seed-variants 10 --out /tmp/variants
    python benchmarks/compose_corpus.py --examples --out corpus/zh/synthetic   # the committed examples

Each edition goes in ``OUT/{level}-s{seed}/`` (``OUT/seed-variant-s{seed}/`` for variants), with
``gold.json`` beside its pages; ``OUT/index.json`` lists them with their stats. The same arguments always
write the same bytes.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:  # run from a checkout without installing the package
    sys.path.insert(0, str(ROOT))

from reassemble.compose import (  # noqa: E402
    LEVELS,
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
    p.add_argument("--out", type=Path, required=True, help="output folder")
    p.add_argument("--check", action="store_true", help="re-read every edition written and verify its gold")
    p.add_argument(
        "--examples", action="store_true", help="write only the small example set committed in corpus/zh/synthetic"
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
    for level in levels:
        for seed in range(args.seed_from, args.seed_from + args.count):
            edition = compose_edition(seed, level, n_pages=args.pages, formats=formats)
            editions.append((edition, out / edition.name))
    for seed in range(args.seed_from, args.seed_from + args.seed_variants):
        variant = seed_variants(SEED_DIR / "page-02.txt", SEED_DIR / "gold.json", seed)
        editions.append((variant, out / variant.name))
    for edition, folder in editions:
        golds = write_edition(edition, folder)
        entries.append(_entry(edition, folder, out))
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
