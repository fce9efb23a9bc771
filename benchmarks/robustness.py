"""How well the real seed page is rebuilt when its dump is disturbed the way extractors disturb dumps.

Usage::

    python benchmarks/robustness.py [--n N] [--out DIR]

The composed editions of ``accuracy.py`` lay out article text anew; this benchmark keeps the real page
(``corpus/zh/workers-daily-p2``) and changes only its dump, one family of disturbances at a time:

* ``recut``: one paragraph cut at a random character, its tail set down as a block at a random place
  (``recut x2``: two such cuts); ``swap``: two neighbouring blocks swapped; ``recut+swap``: both;
* ``furniture``: a running head, editor line, date, e-mail address or page label inserted at random;
* ``wrapped``: every long one-line block wrapped at 14 to 22 characters a line (a Latin word kept whole);
* ``paragraph per line``: the blocks written one per line with no blank line between;
* ``encodings``: UTF-16, GB18030, UTF-8 with BOM, CRLF line ends, full-width punctuation, UTF-8 read as
  Latin-1, GB18030 read as Latin-1.

Random families draw ``N`` variants each (default 60), deterministic by name and number. A gold article
counts as rebuilt when an output article has exactly its body paragraphs (compared after NFKC, with
half-width punctuation and without white space, since the gold is written half-width). The naive
baseline of ``reassemble eval`` is scored the same way. Writes ``robustness.md`` and ``robustness.json``
to ``--out`` (default ``benchmarks/results``).
"""

from __future__ import annotations

import argparse
import json
import random
import re
import sys
import tempfile
import time
import unicodedata
from collections.abc import Callable, Iterator
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
if str(REPO) not in sys.path:
    sys.path.insert(0, str(REPO))

from _common import machine  # noqa: E402

from reassemble import reassemble_pages  # noqa: E402
from reassemble.compose import to_full_width, to_half_width  # noqa: E402
from reassemble.evaluate import baseline_edition  # noqa: E402
from reassemble.model import Edition  # noqa: E402
from reassemble.read import read_page  # noqa: E402

SEED = REPO / "corpus" / "zh" / "workers-daily-p2"
FURNITURE = ["2 劳动 2023年4月10日 星期一", "工人日报 2023年4月10日 星期一 第2版", "责任编辑：王伟 版式设计：李丽",
             "E-mail:grrb@grrb.com.cn", "2023年4月10日", "第2版"]


def _norm(text: str) -> str:
    return re.sub(r"\s+", "", to_half_width(unicodedata.normalize("NFKC", text)))


def _blocks(text: str) -> list[str]:
    return [b for b in re.split(r"\n\s*\n", text) if b.strip()]


def _recut(blocks: list[str], rng: random.Random) -> None:
    """Cut a long block at a random character and set its tail down as a block at a random place."""
    longs = [i for i, b in enumerate(blocks) if len(b) > 80]
    i = rng.choice(longs)
    whole = blocks[i]
    cut = rng.randrange(20, len(whole) - 20)
    blocks[i] = whole[:cut]
    j = rng.randrange(len(blocks))
    blocks.insert(j + (j >= i), whole[cut:])


def _swap(blocks: list[str], rng: random.Random) -> None:
    i = rng.randrange(len(blocks) - 1)
    blocks[i], blocks[i + 1] = blocks[i + 1], blocks[i]


def _furniture(blocks: list[str], rng: random.Random) -> None:
    blocks.insert(rng.randrange(len(blocks) + 1), rng.choice(FURNITURE))


def _wrap(text: str, width: int) -> str:
    lines = [""]
    for word in re.findall(r"[A-Za-z]+|.", text):
        if len(lines[-1]) >= width:
            lines.append("")
        lines[-1] += word
    return "\n".join(lines)


def _random_family(raw: str, ops: list[Callable[[list[str], random.Random], None]], name: str,
                   n: int) -> Iterator[bytes]:
    for k in range(n):
        rng = random.Random(f"{name}-{k}")
        blocks = _blocks(raw)
        for op in ops:
            op(blocks, rng)
        yield "\n\n".join(blocks).encode("utf-8")


def families(raw: str, n: int) -> dict[str, list[bytes]]:
    """Every family's variant dumps, as bytes."""
    blocks = _blocks(raw)
    out = {name: list(_random_family(raw, ops, name, n)) for name, ops in (
        ("recut", [_recut]), ("recut x2", [_recut, _recut]), ("swap", [_swap]), ("recut+swap", [_recut, _swap]),
        ("furniture", [_furniture]))}
    out["wrapped"] = ["\n\n".join(_wrap(b, w) if len(b) > 30 and "\n" not in b else b for b in blocks).encode()
                      for w in range(14, 23)]
    out["paragraph per line"] = ["\n".join(b.replace("\n", "") for b in blocks).encode()]
    out["encodings"] = [raw.encode("utf-16"), raw.encode("gb18030"), b"\xef\xbb\xbf" + raw.encode(),
                        raw.replace("\n", "\r\n").encode(), to_full_width(raw).encode(),
                        raw.encode().decode("latin-1").encode(), raw.encode("gb18030").decode("latin-1").encode()]
    return out


def _rebuilt(edition: Edition, gold: list[list[str]]) -> int:
    bodies = [[_norm(p.text) for p in a.paragraphs] for a in edition.articles]
    return sum(body in bodies for body in gold)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--n", type=int, default=60, help="variants per random family (default 60)")
    ap.add_argument("--out", type=Path, default=REPO / "benchmarks" / "results")
    args = ap.parse_args()
    raw = (SEED / "page-02.txt").read_text("utf-8")
    gold = [[_norm(p) for p in a["body"]] for a in json.loads((SEED / "gold.json").read_text("utf-8"))["articles"]]
    start = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        dump = Path(tmp) / "page-02.txt"
        for name, variants in families(raw, args.n).items():
            tool = base = 0
            for data in variants:
                dump.write_bytes(data)
                tool += _rebuilt(reassemble_pages([(2, dump)]), gold)
                base += _rebuilt(baseline_edition([read_page(dump, page=2)]), gold)
            total = len(variants) * len(gold)
            rows.append({"family": name, "variants": len(variants), "articles": total,
                         "tool": tool / total, "baseline": base / total})
    seconds = time.perf_counter() - start
    m = machine()
    lines = [f"Seed page under dump disturbances ({m['cpu']}, {m['cores']} cores, Python {m['python']}; "
             f"{seconds:.0f} s). Share of the page's {len(gold)} articles rebuilt exactly, tool (baseline):",
             "", "| family | variants | articles rebuilt |", "|---|---:|---:|"]
    lines += [f"| {r['family']} | {r['variants']} | {r['tool']:.3f} ({r['baseline']:.3f}) |" for r in rows]
    table = "\n".join(lines) + "\n"
    print(table)
    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "robustness.md").write_text(table, "utf-8")
    (args.out / "robustness.json").write_text(json.dumps({"machine": m, "seconds": round(seconds, 1),
                                                          "rows": rows}, indent=2) + "\n", "utf-8")


if __name__ == "__main__":
    main()
