"""Tests of the synthetic edition composer (:mod:`reassemble.compose`).

The composer's gold is only useful if it is exactly right, so these tests re-read what was written with
their own small readers (not the composer's) and check it against the gold: block ids, one article per
block, roles and joins inside their article, bodies spelled by the body blocks, and every source
character printed exactly once. They also pin determinism: a benchmark number must be reproducible.
And they pin coherence (the default mix): every article talks about one source article only, and no
source is printed twice on a page, because the pipeline matches bodies to headlines by content.
"""

from __future__ import annotations

import codecs
import json
import re
import subprocess
import sys
from collections import Counter
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from reassemble.compose import (
    ALTO_NS,
    LEVELS,
    MARKER_ROLES,
    MIXES,
    ComposedEdition,
    check_written_edition,
    compose_edition,
    load_source_articles,
    seed_variants,
    split_headline,
    split_sentences,
    to_full_width,
    to_half_width,
    write_edition,
)
from reassemble.textutil import squash

ROOT = Path(__file__).resolve().parent.parent
SEED_DIR = ROOT / "corpus" / "zh" / "workers-daily-p2"
SEED_PAGE = SEED_DIR / "page-02.txt"
SEED_GOLD = SEED_DIR / "gold.json"

CASES = [("easy", 1, 1), ("easy", 4, 2), ("medium", 2, 2), ("medium", 5, 1), ("hard", 3, 3), ("hard", 8, 2)]


def _files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


def _decode(data: bytes) -> str:
    """Independent decoding: BOM, else UTF-8, else GB18030."""
    if data.startswith(codecs.BOM_UTF8):
        return data[3:].decode("utf-8")
    if data.startswith(codecs.BOM_UTF16_LE):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030")


def _blocks_of_text(text: str) -> list[str]:
    """Independent block splitter: runs of lines that hold more than white space."""
    blocks: list[str] = []
    cur: list[str] = []
    for line in text.splitlines():
        if line.strip():
            cur.append(line.strip())
        elif cur:
            blocks.append("\n".join(cur))
            cur = []
    if cur:
        blocks.append("\n".join(cur))
    return blocks


def _written_blocks(gold_path: Path) -> dict[str, str]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    out: dict[str, str] = {}
    for page in gold["pages"]:
        path = gold_path.parent / page["file"]
        n = page["number"]
        fmt = page.get("format", "text")
        if fmt == "text":
            for i, text in enumerate(_blocks_of_text(_decode(path.read_bytes()))):
                out[f"p{n}:{i}"] = text
        elif fmt == "json":
            doc = json.loads(path.read_text(encoding="utf-8"))
            assert doc["format"] == "reassemble-blocks/1" and doc["page"] == n and doc["unit"] == "pt"
            for b in doc["blocks"]:
                x0, top, x1, bottom = b["bbox"]
                assert 0 <= x0 <= x1 <= doc["width"] and 0 <= top <= bottom <= doc["height"] + 1
                assert b["font_size"] > 0
                out[f"p{n}:{b['id']}"] = b["text"]
        else:
            root = etree.fromstring(path.read_bytes())
            for tb in root.iter(f"{{{ALTO_NS}}}TextBlock"):
                lines = [
                    " ".join(s.get("CONTENT", "") for s in tl.iter(f"{{{ALTO_NS}}}String"))
                    for tl in tb.iter(f"{{{ALTO_NS}}}TextLine")
                ]
                for attr in ("HPOS", "VPOS", "WIDTH", "HEIGHT"):
                    assert int(tb.get(attr, "-1")) >= 0
                out[f"p{n}:{tb.get('ID')}"] = "\n".join(lines)
    return out


def _assert_gold_consistent(gold_path: Path) -> dict[str, Any]:
    gold = json.loads(gold_path.read_text(encoding="utf-8"))
    assert gold["format"] == "reassemble-gold/1"
    blocks = _written_blocks(gold_path)
    owners: Counter[str] = Counter()
    for art in gold["articles"]:
        ids = art["blocks"]
        assert len(ids) == len(set(ids)), art["id"]
        owners.update(ids)
        assert set(art["roles"]) <= set(ids), art["id"]
        for a, b in art["joins"]:
            assert a in ids and b in ids, (art["id"], a, b)
            assert a not in art["roles"] and b not in art["roles"], (art["id"], a, b)
        body_ids = [u for u in ids if art["roles"].get(u) in (None, "caption")]
        assert squash("".join(blocks[u] for u in body_ids)) == squash("".join(art["body"])), art["id"]
        if art["kind"] != "furniture":
            assert len(body_ids) - len(art["joins"]) == len(art["body"]), art["id"]
        if art["continues_to"] is not None:
            assert art["ends_complete"] is False
        if art["continued_from"] is not None:
            assert art["starts_complete"] is False
    assert set(owners) == set(blocks), "gold block ids must be exactly the dump's blocks"
    assert all(count == 1 for count in owners.values())
    assert check_written_edition(gold_path) == []
    return gold


def _source_chars(edition: ComposedEdition) -> Counter[str]:
    return Counter(squash("".join(t for s in edition.sources for t in s.texts())))


def _page_chars(edition: ComposedEdition) -> Counter[str]:
    kinds = {a.id: a.kind for a in edition.articles}
    return Counter(
        squash(
            "".join(
                b.text
                for p in edition.pages
                for b in p.blocks
                if b.role not in MARKER_ROLES and kinds[b.article] != "furniture"
            )
        )
    )


# --------------------------------------------------------------------------------------------------------


def test_load_source_articles_recovers_role_texts() -> None:
    sources = {s.id: s for s in load_source_articles([SEED_GOLD])}
    assert len(sources) == 10
    chengyang = sources["chengyang-chuangkou-xiayi"]
    assert chengyang.subheads == ((1, "阵地强家"), (5, "服务如家"))
    assert chengyang.starts_complete  # its text starts a sentence; only its page 1 part is missing
    ruijin = sources["ruijin-sanshi-yishi"]
    assert ruijin.summary_label == "阅读提示" and ruijin.summary and ruijin.byline_line
    assert [k for k, _ in ruijin.subheads] == [2, 5]
    assert not ruijin.ends_complete
    assert not sources["anhui-gonghui-yizhan"].starts_complete
    photo = sources["nuan-xin-daojia-photo"]
    assert photo.kind == "photo" and photo.credit == "本报记者 杨登峰 摄"


def test_text_helpers() -> None:
    assert to_full_width("本报讯(记者)近日,1,000人;好?") == "本报讯（记者）近日，1,000人；好？"
    assert to_half_width("（上接第1版），") == "(上接第1版),"
    assert split_headline("枣庄设立“鲁班工匠日”") == ("枣庄", "设立“鲁班工匠日”")
    sents = split_sentences("“好。”他说。第二句!尾")
    assert sents == ["“好。”", "他说。", "第二句!", "尾"]


@pytest.mark.parametrize(("level", "seed", "pages"), CASES)
def test_gold_consistent_and_text_conserved(tmp_path: Path, level: str, seed: int, pages: int) -> None:
    edition = compose_edition(seed, level, n_pages=pages)
    (gold_path,) = write_edition(edition, tmp_path)
    gold = _assert_gold_consistent(gold_path)
    assert [p["number"] for p in gold["pages"]] == [p.number for p in edition.pages]
    assert _page_chars(edition) == _source_chars(edition)
    for art in edition.articles:
        if art.kind in ("article", "photo"):
            src = next(s for s in edition.sources if s.id == art.id)
            assert [squash(p) for p in art.body] == [squash(p) for p in src.body]


def test_deterministic_bytes(tmp_path: Path) -> None:
    for name in ("a", "b"):
        write_edition(compose_edition(11, "hard", n_pages=2, formats=("text", "json", "alto")), tmp_path / name)
    first, second = _files(tmp_path / "a"), _files(tmp_path / "b")
    assert first == second
    assert {"gold.json", "json/gold.json", "alto/gold.json"} <= set(first)
    other = compose_edition(12, "hard", n_pages=2)
    write_edition(other, tmp_path / "c")
    assert _files(tmp_path / "c") != {k: v for k, v in first.items() if "/" not in k}


def test_json_and_alto_formats(tmp_path: Path) -> None:
    edition = compose_edition(2, "medium", n_pages=2, formats=("text", "json", "alto"))
    paths = write_edition(edition, tmp_path)
    assert [p.parent.name for p in paths] == [tmp_path.name, "json", "alto"]
    for path in paths:
        gold = _assert_gold_consistent(path)
        fmt = path.parent.name if path.parent != tmp_path else "text"
        for page in gold["pages"]:
            assert page.get("format", "text") == fmt
    json_gold = json.loads(paths[1].read_text(encoding="utf-8"))
    page = json.loads((paths[1].parent / json_gold["pages"][0]["file"]).read_text(encoding="utf-8"))
    sizes = {b["id"]: b["font_size"] for b in page["blocks"]}
    for art in json_gold["articles"]:
        for block_id, role in art["roles"].items():
            if role == "headline" and art["kind"] == "article" and block_id.startswith(f"p{page['page']}:"):
                body = [u for u in art["blocks"] if u not in art["roles"]]
                if body and body[0].startswith(f"p{page['page']}:"):
                    assert sizes[block_id.split(":", 1)[1]] > sizes[body[0].split(":", 1)[1]]


def test_jumps_and_flags() -> None:
    seen_cross = seen_missing_target = seen_missing_start = False
    for seed in range(1, 9):
        edition = compose_edition(seed, "hard", n_pages=2)
        pages = {p.number for p in edition.pages}
        page_of = {b.uid: p.number for p in edition.pages for b in p.blocks}
        text_of = {b.uid: b.text for p in edition.pages for b in p.blocks}
        for art in edition.articles:
            roles = dict(art.roles)
            cross = [(a, b) for a, b in art.joins if page_of[a] != page_of[b]]
            if cross:
                seen_cross = True
                jump_to = [u for u in art.blocks if roles.get(u) == "jump_to"]
                assert jump_to and "下转" in text_of[jump_to[0]]
                assert any(roles.get(u) == "jump_headline" for u in art.blocks)
                src = next(s for s in edition.sources if s.id == art.id)
                assert art.ends_complete == src.ends_complete and art.continues_to is None
            if art.continues_to is not None:
                seen_missing_target = True
                assert art.continues_to not in pages and not art.ends_complete
                (marker,) = [u for u in art.blocks if roles.get(u) == "jump_to"]
                assert f"第{art.continues_to}版" in text_of[marker]
            if art.continued_from is not None:
                seen_missing_start = True
                assert art.continued_from < min(pages) and not art.starts_complete
                assert roles[art.blocks[0]] == "headline" and roles[art.blocks[1]] == "jump_from"
    assert seen_cross and seen_missing_target and seen_missing_start


def test_levels_differ_in_difficulty() -> None:
    easy = [compose_edition(s, "easy", 2) for s in range(4)]
    hard = [compose_edition(s, "hard", 2) for s in range(4)]
    assert all(e.pages[0].encoding == "utf-8" and e.punctuation == "half" for e in easy)
    assert sum(e.stats["jumps_out"] for e in easy) == 0
    assert sum(e.stats["jumps_out"] for e in hard) > 0
    assert sum(e.stats["cut_share"] for e in hard) > sum(e.stats["cut_share"] for e in easy)
    assert set(LEVELS) == {"easy", "medium", "hard"}


@pytest.mark.parametrize(
    ("seed", "encoding", "full_width"),
    [(1, "gb18030", None), (2, "utf-16", True), (3, None, None), (4, None, False), (5, "utf-8-sig", True)],
)
def test_seed_variants(tmp_path: Path, seed: int, encoding: str | None, full_width: bool | None) -> None:
    variant = seed_variants(SEED_PAGE, SEED_GOLD, seed, encoding=encoding, full_width=full_width)
    (gold_path,) = write_edition(variant, tmp_path)
    gold = _assert_gold_consistent(gold_path)
    raw = (tmp_path / "page-02.txt").read_bytes()
    if encoding == "utf-16":
        assert raw.startswith(codecs.BOM_UTF16_LE) and gold["pages"][0]["encoding"] == "utf-16"
    if encoding == "gb18030":
        with pytest.raises(UnicodeDecodeError):
            raw.decode("utf-8")
    text = _decode(raw)
    if full_width:
        assert "（上接第1版）" in text and "," not in text
    # same characters as the real page, whatever was split, merged, reordered or rewidened
    original = _decode(SEED_PAGE.read_bytes())
    assert Counter(squash(text)) == Counter(squash(original))
    assert _page_chars(variant) == _source_chars(variant)
    seed_gold = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    assert [a["id"] for a in gold["articles"]] == [a["id"] for a in seed_gold["articles"]]
    for new, old in zip(gold["articles"], seed_gold["articles"], strict=True):
        assert [squash(p) for p in new["body"]] == [squash(p) for p in old["body"]]
        assert (new["starts_complete"], new["ends_complete"]) == (old["starts_complete"], old["ends_complete"])
    assert seed_variants(SEED_PAGE, SEED_GOLD, seed, encoding=encoding, full_width=full_width) == variant


def test_seed_variants_really_vary() -> None:
    orders = set()
    joins = set()
    for seed in range(1, 7):
        v = seed_variants(SEED_PAGE, SEED_GOLD, seed)
        orders.add(tuple(b.text[:8] for b in v.pages[0].blocks))
        joins.add(sum(len(a.joins) for a in v.articles))
    assert len(orders) == 6
    assert len(joins) > 1


def _sentences(text: str) -> list[str]:
    """Sentences after squashing; the last piece may be open (a cut article)."""
    return [x for x in re.split(r"(?<=[。！？!?])", squash(text)) if x]


def _assert_from_source(art: Any, src: Any) -> None:
    """Every text of a composed article comes from its one source article, body sentences in source order."""
    src_body = squash("".join(src.body))
    src_heads = {squash(t) for t in (src.kicker, src.headline, src.subheadline) if t}
    src_heads |= {squash(t) for _, t in src.subheads}
    if art.kind == "photo":
        assert art.headline and (squash(art.headline) in src_heads or squash(art.headline) in squash(src.headline))
        assert squash(art.body[0]) in src_body or squash(art.body[0]) == squash(src.body[0])
        return
    assert squash(art.headline or "") == squash(src.headline or ""), (art.id, art.headline, src.headline)
    for head in (art.kicker, art.subheadline):
        if head:
            parts = [squash(x) for x in re.split(r"[,，—\s]+", head) if x]
            assert squash(head) in src_heads or all(x in src_body for x in parts), (art.id, head)
    pos = 0
    for para in art.body:
        for sent in _sentences(para):
            found = src_body.find(sent, pos)
            assert found >= 0, (art.id, sent)  # in the source, after the previous sentence printed
            pos = found + len(sent)


@pytest.mark.parametrize("level", ["easy", "medium", "hard"])
def test_coherent_articles_come_from_one_source(level: str) -> None:
    sources = {s.id: s for s in load_source_articles()}
    seen_part2 = False
    for seed in range(6):
        edition = compose_edition(seed, level, n_pages=1 + seed % 3)
        jumped: dict[str, set[int]] = {}
        for page in edition.pages:
            on_page = {b.article for b in page.blocks} - {f"furniture-p{page.number}"}
            families = [edition.source_of[a] for a in on_page]
            assert len(families) == len(set(families)), (seed, page.number, sorted(families))
        page_of = {b.uid: p.number for p in edition.pages for b in p.blocks}
        for art in edition.articles:
            if art.kind == "furniture":
                continue
            family = edition.source_of[art.id]
            _assert_from_source(art, sources[family])
            pages = {page_of[u] for u in art.blocks}
            if len(pages) > 1:
                jumped[family] = pages
            src_first = squash(sources[family].body[0])
            seen_part2 |= art.kind == "article" and art.continued_from is None and squash(art.body[0]) != src_first
        for family, pages in jumped.items():  # a source jumping inside the edition is on no other page
            others = {page_of[u] for a in edition.articles if edition.source_of.get(a.id) == family for u in a.blocks}
            assert others == pages, (seed, family)
    assert seen_part2 or level == "easy"


def test_recombined_mix_is_still_available(tmp_path: Path) -> None:
    assert MIXES == ("coherent", "recombined")
    edition = compose_edition(2, "medium", n_pages=2, mix="recombined")
    (gold_path,) = write_edition(edition, tmp_path)
    _assert_gold_consistent(gold_path)
    assert _page_chars(edition) == _source_chars(edition)
    assert any(s.origin == "recombined" for s in edition.sources)
    assert edition.source_of == {}
    assert all(s.origin == "corpus" for s in compose_edition(2, "medium", n_pages=2).sources)
    with pytest.raises(ValueError, match="mix"):
        compose_edition(2, "medium", mix="shuffled")


def test_jump_plan_places_the_planned_jumps() -> None:
    edition = compose_edition(5, "hard", n_pages=3, first_page=1, jump_plan={1: [3, 3], 2: [7]})
    assert [p.number for p in edition.pages] == [1, 2, 3]
    page_of = {b.uid: p.number for p in edition.pages for b in p.blocks}
    cross = sorted((page_of[a], page_of[b]) for art in edition.articles for a, b in art.joins)
    cross = [pair for pair in cross if pair[0] != pair[1]]
    assert cross == [(1, 3), (1, 3)]
    assert [a.continues_to for a in edition.articles if a.continues_to is not None] == [7]
    with pytest.raises(ValueError, match="jump_plan"):
        compose_edition(5, "hard", n_pages=2, first_page=1, jump_plan={4: [5]})


def test_compose_corpus_script(tmp_path: Path) -> None:
    script = ROOT / "benchmarks" / "compose_corpus.py"
    out = tmp_path / "corpus"
    result = subprocess.run(
        [
            sys.executable,
            str(script),
            "--seed-from",
            "3",
            "--count",
            "2",
            "--level",
            "medium",
            "--pages",
            "2",
            "--out",
            str(out),
            "--check",
        ],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert sorted(p.name for p in out.iterdir() if p.is_dir()) == ["medium-s3", "medium-s4"]
    index = json.loads((out / "index.json").read_text(encoding="utf-8"))
    assert [e["name"] for e in index["editions"]] == ["medium-s3", "medium-s4"]
    # another process (another hash seed) wrote exactly what this one writes
    for seed in (3, 4):
        write_edition(compose_edition(seed, "medium", n_pages=2), tmp_path / "here" / f"medium-s{seed}")
        assert _files(tmp_path / "here" / f"medium-s{seed}") == _files(out / f"medium-s{seed}")


def test_committed_examples_are_consistent_and_current(tmp_path: Path) -> None:
    synthetic = ROOT / "corpus" / "zh" / "synthetic"
    golds = sorted(synthetic.rglob("gold.json"))
    if not golds:
        pytest.skip("no committed synthetic editions")
    for gold_path in golds:
        _assert_gold_consistent(gold_path)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import compose_corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    for edition in compose_corpus.examples():
        write_edition(edition, tmp_path / edition.name)
        assert _files(tmp_path / edition.name) == _files(synthetic / edition.name), (
            f"{edition.name} differs from what the composer now writes; regenerate with "
            "python benchmarks/compose_corpus.py --examples --out corpus/zh/synthetic"
        )


def test_committed_jump_editions_show_their_case_and_are_current(tmp_path: Path) -> None:
    folder = ROOT / "corpus" / "zh" / "editions"
    sys.path.insert(0, str(ROOT / "benchmarks"))
    try:
        import compose_corpus
    finally:
        sys.path.remove(str(ROOT / "benchmarks"))
    editions = compose_corpus.edition_examples()
    assert [e.name for e in editions] == list(compose_corpus.EDITIONS)
    for edition in editions:
        assert compose_corpus.edition_problems(edition) == []
        gold = _assert_gold_consistent(folder / edition.name / "gold.json")
        assert len(gold["pages"]) == len(edition.pages) >= 2
        write_edition(edition, tmp_path / edition.name)
        assert _files(tmp_path / edition.name) == _files(folder / edition.name), (
            f"{edition.name} differs from what the composer now writes; regenerate with "
            "python benchmarks/compose_corpus.py --editions --out corpus/zh/editions"
        )
