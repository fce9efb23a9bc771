"""Tests of the evaluation harness on the seed gold (工人日报 page 2) and on hand-broken variants of it.

The "perfect" edition is built straight from the gold, with blocks split from the page dump here rather
than by the reader, so these tests pin down the scorer alone.
"""

from __future__ import annotations

import dataclasses
import json
import re
from pathlib import Path
from typing import Any

import pytest

from reassemble.errors import GoldError
from reassemble.evaluate import (
    METRICS,
    EvalReport,
    Gold,
    baseline_edition,
    conservation_diff,
    evaluate,
    format_table,
    is_headline_like,
    kendall_tau,
    load_gold,
    macro,
    normalize_text,
    report_json,
    score_edition,
    text_conserved,
)
from reassemble.model import Article, Block, Edition, Join, Page, Paragraph, Role

SEED = Path("/work/shared/seed/zh-workers-daily-p2")
SEED_GOLD = SEED / "gold.json"

pytestmark = pytest.mark.skipif(not SEED_GOLD.is_file(), reason="seed gold not available")


def split_blocks(path: Path, page: int) -> tuple[Block, ...]:
    """Blocks as GOLD-FORMAT.md defines them: separated by blank (or white-space-only) lines."""
    groups: list[list[str]] = [[]]
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            groups[-1].append(line.strip())
        elif groups[-1]:
            groups.append([])
    groups = [g for g in groups if g]
    return tuple(
        Block(id=f"p{page}:{i}", page=page, index=i, text="".join(lines), lines=tuple(lines))
        for i, lines in enumerate(groups)
    )


def seed_pages(gold: Gold) -> tuple[Page, ...]:
    return tuple(
        Page(number=p.number, source=str(p.file), blocks=split_blocks(p.file, p.number)) for p in gold.pages
    )


def perfect_edition(gold: Gold) -> Edition:
    """The edition a perfect pipeline would produce: the gold's articles over the page's blocks."""
    pages = seed_pages(gold)
    articles = []
    for ga in gold.articles:
        body_blocks = tuple(
            b for b in ga.blocks if b not in ga.roles or (ga.kind == "photo" and ga.roles[b] == "caption")
        )
        articles.append(
            Article(
                id=ga.id,
                kind=ga.kind,
                blocks=ga.blocks,
                roles={b: Role(r) for b, r in ga.roles.items()},
                paragraphs=tuple(Paragraph(text=t, blocks=body_blocks, pages=(2,)) for t in ga.body),
                kicker=ga.kicker,
                headline=ga.headline,
                subheadline=ga.subheadline,
                byline=ga.byline,
                joins=tuple(Join(a=a, b=b, score=1.0) for a, b in ga.joins),
                starts_complete=ga.starts_complete,
                ends_complete=ga.ends_complete,
                continued_from=ga.continued_from,
                continues_to=ga.continues_to,
            )
        )
    return Edition(pages=pages, articles=tuple(articles))


@pytest.fixture(scope="module")
def gold() -> Gold:
    return load_gold(SEED_GOLD)


@pytest.fixture(scope="module")
def perfect(gold: Gold) -> Edition:
    return perfect_edition(gold)


# ---------------------------------------------------------------------------------------------------------
# load_gold


def test_load_seed_gold(gold: Gold) -> None:
    assert gold.paper == "工人日报"
    assert [(p.number, p.file.name, p.format) for p in gold.pages] == [(2, "page-02.txt", "text")]
    assert gold.pages[0].file.is_absolute() and gold.pages[0].file.is_file()
    assert len(gold.articles) == 10
    chengyang = next(a for a in gold.articles if a.id == "chengyang-chuangkou-xiayi")
    assert chengyang.continued_from == 1 and chengyang.continues_to is None
    assert chengyang.roles["p2:14"] == "jump_from"
    ruijin = next(a for a in gold.articles if a.id == "ruijin-sanshi-yishi")
    assert ("p2:68", "p2:46") in ruijin.joins
    # Every block of the page is in exactly one article.
    blocks = [b for a in gold.articles for b in a.blocks]
    assert sorted(blocks) == sorted(b.id for b in split_blocks(gold.pages[0].file, 2))


def write_gold(tmp_path: Path, data: Any, name: str = "gold.json") -> Path:
    (tmp_path / "page-02.txt").write_bytes((SEED / "page-02.txt").read_bytes())
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


def seed_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(SEED_GOLD.read_text(encoding="utf-8"))
    return data


def test_extra_fields_are_ignored(tmp_path: Path) -> None:
    data = seed_data()
    data["generator"] = "hand"
    data["articles"][0]["confidence"] = "high"
    data["pages"][0]["dpi"] = 300
    assert len(load_gold(write_gold(tmp_path, data)).articles) == 10


def _drop(key: str) -> Any:
    def change(d: dict[str, Any]) -> None:
        del d["articles"][2][key]

    return change


@pytest.mark.parametrize(
    ("change", "field"),
    [
        (lambda d: d.update(format="reassemble-gold/2"), "format"),
        (lambda d: d.pop("format"), "format"),
        (lambda d: d.pop("articles"), "articles"),
        (lambda d: d.update(pages={}), "pages"),
        (lambda d: d["pages"][0].update(file="page-99.txt"), "pages[0].file"),
        (lambda d: d["pages"][0].update(number="2"), "pages[0].number"),
        (lambda d: d["pages"][0].update(format="pdf"), "pages[0].format"),
        (_drop("blocks"), "articles[2].blocks"),
        (_drop("body"), "articles[2].body"),
        (_drop("ends_complete"), "articles[2].ends_complete"),
        (lambda d: d["articles"][2].update(headline=5), "articles[2].headline"),
        (lambda d: d["articles"][2].update(byline="记者 裴龙翔"), "articles[2].byline"),
        (lambda d: d["articles"][2].update(starts_complete="yes"), "articles[2].starts_complete"),
        (lambda d: d["articles"][2].update(continued_from=1), "articles[2].continued_from"),
        (lambda d: d["articles"][2].update(continues_to={"page": "3"}), "articles[2].continues_to.page"),
        (lambda d: d["articles"][2].update(joins=[["p2:8"]]), "articles[2].joins[0]"),
        (lambda d: d["articles"][2].update(joins=[["p2:8", "p2:0"]]), "articles[2].joins[0]"),
        (lambda d: d["articles"][2]["roles"].update({"p2:0": "headline"}), "articles[2].roles"),
        (lambda d: d["articles"][2]["blocks"].append("p2:0"), "articles[2].blocks"),
        (lambda d: d["articles"][2]["blocks"].append("p3:0"), "articles[2].blocks[6]"),
        (lambda d: d["articles"][2]["blocks"].append("x7"), "articles[2].blocks[6]"),
    ],
)
def test_bad_gold_raises_with_path_and_field(tmp_path: Path, change: Any, field: str) -> None:
    data = seed_data()
    change(data)
    path = write_gold(tmp_path, data)
    with pytest.raises(GoldError) as info:
        load_gold(path)
    assert str(path) in str(info.value)
    assert field in str(info.value)


@pytest.mark.parametrize("text", ["{not json", "[1, 2]", "", "null"])
def test_not_a_gold_object(tmp_path: Path, text: str) -> None:
    path = write_gold(tmp_path, text)
    with pytest.raises(GoldError, match=re.escape(str(path))):
        load_gold(path)


def test_missing_gold_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.json"
    with pytest.raises(GoldError, match=re.escape(str(path))):
        load_gold(path)


def test_gold_error_is_reassemble_error_with_exit_code() -> None:
    assert GoldError("x").exit_code == 2


# ---------------------------------------------------------------------------------------------------------
# score_edition


def test_perfect_prediction_scores_one(gold: Gold, perfect: Edition) -> None:
    scores = score_edition(gold, perfect)
    assert list(scores) == list(METRICS)
    for key in METRICS:
        if key == "text_conserved":
            assert scores[key] is True
        else:
            assert scores[key] == pytest.approx(1.0), key


def merge(edition: Edition, first: str, second: str) -> Edition:
    """The edition with article ``second`` appended to article ``first`` (as one article)."""
    by_id = {a.id: a for a in edition.articles}
    a, b = by_id[first], by_id[second]
    merged = dataclasses.replace(
        a,
        blocks=a.blocks + b.blocks,
        roles={**a.roles, **b.roles},
        paragraphs=a.paragraphs + b.paragraphs,
        joins=a.joins + b.joins,
    )
    articles = tuple(merged if x.id == first else x for x in edition.articles if x.id != second)
    return dataclasses.replace(edition, articles=articles)


def test_merging_two_articles(gold: Gold, perfect: Edition) -> None:
    edition = merge(perfect, "neimenggu-huanwei-weiwen", "changchun-huanwei-tijian")
    scores = score_edition(gold, edition)
    n_blocks = sum(len(a.blocks) for a in gold.articles)
    assert n_blocks == 69
    # The 3 + 3 merged blocks each have precision 3/6; every other block keeps 1.
    assert scores["bcubed_precision"] == pytest.approx((n_blocks - 6 + 6 * 0.5) / n_blocks)
    assert scores["bcubed_recall"] == pytest.approx(1.0)
    p = scores["bcubed_precision"]
    assert scores["bcubed_f1"] == pytest.approx(2 * p / (p + 1))
    assert scores["articles_exact"] == pytest.approx(8 / 10)
    # The second article's best match is the merged one, whose headline and body are the first's plus.
    assert scores["headline_accuracy"] == pytest.approx(9 / 10)
    assert scores["body_exact"] == pytest.approx(8 / 10)
    assert scores["order_tau"] == pytest.approx(1.0)
    assert scores["join_precision"] == scores["join_recall"] == pytest.approx(1.0)
    assert scores["text_conserved"] is True


def test_wrong_joins_and_flags(gold: Gold, perfect: Edition) -> None:
    first = perfect.articles[0]
    changed = dataclasses.replace(
        first,
        joins=(Join("p2:26", "p2:27", 0.9), Join("p2:28", "p2:29", 0.2, accepted=False)),
        ends_complete=True,
    )
    edition = dataclasses.replace(perfect, articles=(changed, *perfect.articles[1:]))
    scores = score_edition(gold, edition)
    n_gold_joins = sum(len(a.joins) for a in gold.articles)
    assert n_gold_joins == 5
    # Predicted: the 4 other gold joins plus one wrong (the rejected candidate does not count).
    assert scores["join_precision"] == pytest.approx(4 / 5)
    assert scores["join_recall"] == pytest.approx(4 / 5)
    assert scores["flags_accuracy"] == pytest.approx(9 / 10)


def test_reordered_blocks_lower_order_tau(gold: Gold, perfect: Edition) -> None:
    first = perfect.articles[0]
    edition = dataclasses.replace(
        perfect, articles=(dataclasses.replace(first, blocks=first.blocks[::-1]), *perfect.articles[1:])
    )
    scores = score_edition(gold, edition)
    assert scores["order_tau"] == pytest.approx((9 * 1.0 - 1.0) / 10)
    assert scores["articles_exact"] == pytest.approx(9 / 10)
    assert scores["bcubed_f1"] == pytest.approx(1.0)


def test_unassigned_blocks_are_singletons(gold: Gold, perfect: Edition) -> None:
    # Leave the 3-block photo article unassigned: recall drops for its 3 blocks to 1/3 each.
    photo = next(a for a in perfect.articles if a.kind == "photo")
    edition = dataclasses.replace(
        perfect,
        articles=tuple(a for a in perfect.articles if a is not photo),
        unassigned=photo.blocks,
    )
    scores = score_edition(gold, edition)
    assert scores["bcubed_precision"] == pytest.approx(1.0)
    assert scores["bcubed_recall"] == pytest.approx((66 + 3 * (1 / 3)) / 69)
    assert scores["articles_exact"] == pytest.approx(9 / 10)
    assert scores["headline_accuracy"] == pytest.approx(9 / 10)
    assert scores["text_conserved"] is True


def test_kendall_tau() -> None:
    assert kendall_tau([1, 2, 3, 4], [4, 3, 2, 1]) == -1.0
    assert kendall_tau("abcde", "abcde") == 1.0
    assert kendall_tau([1, 2, 3], [1, 3, 2]) == pytest.approx(1 / 3)
    # Only common items count; fewer than two common is 1.0.
    assert kendall_tau([1, 2, 3, 9], [7, 3, 2, 1]) == -1.0
    assert kendall_tau([1], [1]) == 1.0
    assert kendall_tau([1, 2], [3, 4]) == 1.0


def test_normalize_text() -> None:
    assert normalize_text(None) == normalize_text("") == ""
    assert normalize_text("本报讯（记者 田国全）\n日前，") == "本报讯(记者田国全)日前,"
    assert normalize_text("a\u3000b\tc") == "abc"


# ---------------------------------------------------------------------------------------------------------
# text conservation


def test_dropped_block_breaks_conservation(perfect: Edition) -> None:
    assert text_conserved(perfect)
    chengyang = next(a for a in perfect.articles if a.id == "chengyang-chuangkou-xiayi")
    roles = {b: r for b, r in chengyang.roles.items() if b != "p2:14"}  # drop the (上接第1版) block
    changed = dataclasses.replace(
        chengyang, roles=roles, blocks=tuple(b for b in chengyang.blocks if b != "p2:14")
    )
    edition = dataclasses.replace(
        perfect, articles=tuple(changed if a is chengyang else a for a in perfect.articles)
    )
    assert not text_conserved(edition)
    missing, extra = conservation_diff(edition)
    assert missing == dict.fromkeys("(上接第1版)", 1) and not extra
    # Listing it as unassigned conserves the text again.
    assert text_conserved(dataclasses.replace(edition, unassigned=("p2:14",)))


def test_dropped_paragraph_and_duplicates(perfect: Edition) -> None:
    last = perfect.articles[-1]
    dropped = dataclasses.replace(last, paragraphs=last.paragraphs[:-1])
    edition = dataclasses.replace(perfect, articles=(*perfect.articles[:-1], dropped))
    assert not text_conserved(edition)
    # Unassigned while also in an article: counted twice.
    missing, extra = conservation_diff(dataclasses.replace(perfect, unassigned=("p2:0",)))
    assert not missing and "".join(sorted(extra.elements())) == "".join(
        sorted(normalize_text("安徽持续高位推进工会驿站建设"))
    )


def test_photo_caption_counted_once(perfect: Edition) -> None:
    photo = next(a for a in perfect.articles if a.kind == "photo")
    assert photo.roles["p2:31"] is Role.CAPTION
    # The same caption in a non-photo article is a role block *and* (wrongly) body: counted twice.
    edition = dataclasses.replace(
        perfect,
        articles=tuple(dataclasses.replace(a, kind="article") if a is photo else a for a in perfect.articles),
    )
    assert not text_conserved(edition)


def test_jump_marker_split_from_body_block() -> None:
    block = Block(id="p1:0", page=1, index=0, text="正文在此。（下转第2版）")
    head = Block(id="p1:1", page=1, index=1, text="标题")
    page = Page(number=1, source="x", blocks=(head, block))
    article = Article(
        id="a",
        kind="article",
        blocks=("p1:1", "p1:0"),
        roles={"p1:1": Role.HEADLINE},
        paragraphs=(Paragraph(text="正文在此。", blocks=("p1:0",), pages=(1,)),),
        headline="标题",
        markers=("（下转第2版）",),
        continues_to=2,
    )
    assert text_conserved(Edition(pages=(page,), articles=(article,)))
    assert not text_conserved(Edition(pages=(page,), articles=(dataclasses.replace(article, markers=()),)))


# ---------------------------------------------------------------------------------------------------------
# baseline, macro, evaluate, reports


def test_headline_like() -> None:
    assert is_headline_like("枣庄设立“鲁班工匠日”")
    assert is_headline_like("(上接第1版)")
    assert not is_headline_like("工完成发明创造788个、技术革新6954项。")
    assert not is_headline_like("屈建在电话中感激地回复刘璇。”")
    assert not is_headline_like("Is it?)")
    assert not is_headline_like("字" * 41)


def test_baseline_on_seed(gold: Gold) -> None:
    edition = baseline_edition(seed_pages(gold))
    assert edition.articles[0].headline == "安徽持续高位推进工会驿站建设"
    assert all(not a.joins for a in edition.articles)
    scores = score_edition(gold, edition)
    assert scores["articles_exact"] < 1.0
    assert scores["bcubed_f1"] < 1.0
    assert scores["text_conserved"] is True


def test_baseline_blocks_before_first_headline() -> None:
    blocks = tuple(
        Block(id=f"p1:{i}", page=1, index=i, text=t) for i, t in enumerate(["上文结束。", "标题", "正文。"])
    )
    edition = baseline_edition((Page(number=1, source="x", blocks=blocks),))
    assert [a.blocks for a in edition.articles] == [("p1:0",), ("p1:1", "p1:2")]
    assert edition.articles[0].headline is None and edition.articles[1].headline == "标题"
    assert edition.articles[1].body == ("正文。",)


def test_macro() -> None:
    a = dict.fromkeys(METRICS, 1.0) | {"text_conserved": True}
    b = dict.fromkeys(METRICS, 0.5) | {"text_conserved": False}
    m = macro([a, b])
    assert m["bcubed_f1"] == pytest.approx(0.75) and m["text_conserved"] is False
    assert macro([a])["text_conserved"] is True
    with pytest.raises(ValueError):
        macro([])


def test_evaluate_and_reports(tmp_path: Path) -> None:
    second = write_gold(tmp_path, seed_data())
    report = evaluate([SEED_GOLD, second], lambda g: perfect_edition(g))
    assert isinstance(report, EvalReport)
    assert len(report.editions) == 2
    assert report.tool["bcubed_f1"] == pytest.approx(1.0) and report.tool["text_conserved"] is True
    assert report.baseline["articles_exact"] < 1.0

    out = report_json(report)
    assert set(out) == {*METRICS, "baseline", "editions"}
    assert set(out["baseline"]) == set(METRICS)
    assert set(out["editions"]) == {str(SEED_GOLD), str(second)}
    assert all(set(v) == set(METRICS) for v in out["editions"].values())
    json.dumps(out)  # serialisable

    table = format_table(report)
    for metric in METRICS:
        assert metric in table
    assert "baseline" in table and "#2" in table and str(second) in table

    single = format_table(evaluate([SEED_GOLD], perfect_edition))
    assert "#1" not in single and "1.000" in single
