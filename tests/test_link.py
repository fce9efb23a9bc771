"""Cross-page linking on an edition built from the seed page's real articles."""

from __future__ import annotations

import json
from pathlib import Path

from reassemble import reassemble_pages
from reassemble.evaluate import text_conserved

GOLD = json.loads((Path(__file__).resolve().parent.parent / "corpus" / "zh" / "workers-daily-p2" / "gold.json")
                  .read_text(encoding="utf-8"))
ART = {a["id"]: a for a in GOLD["articles"]}


def _edition() -> tuple[str, str]:
    """Two real articles start on page 1, break mid-word and go on on page 2 under jump headlines."""
    z, b = ART["zaozhuang-luban-gongjiangri"], ART["baoshan-luyan"]
    zb, bb = z["body"], b["body"]
    z_cut = zb[1].index("鲁班工") + 3
    b_cut = 30
    page1 = [z["kicker"], z["headline"], zb[0], zb[1][:z_cut], "（下转第2版）",
             b["kicker"] + "\n" + b["headline"], bb[0], bb[1][:b_cut], "（下转第2版）",
             ART["neimenggu-huanwei-weiwen"]["headline"], *ART["neimenggu-huanwei-weiwen"]["body"]]
    page2 = ["路演“C位”", "（上接第1版）", bb[1][b_cut:], *bb[2:],
             "鲁班工匠日", "（上接第1版）", zb[1][z_cut:], *zb[2:],
             ART["yunnan-laomo-yiliao"]["headline"], *ART["yunnan-laomo-yiliao"]["body"]]
    return "\n\n".join(page1), "\n\n".join(page2)


def test_two_jumps_to_one_page_are_linked_one_to_one() -> None:
    p1, p2 = _edition()
    edition = reassemble_pages([(1, p1), (2, p2)])
    assert text_conserved(edition)
    by_head = {a.headline: a for a in edition.articles}
    z = by_head["枣庄设立“鲁班工匠日”"]
    b = by_head["职工创新成果站上路演“C位”"]
    assert z.pages == (1, 2) and b.pages == (1, 2)
    assert "“鲁班工匠”“滕州工匠”" in "".join(z.body)
    assert any(j.cross_page and j.a.startswith("p1:") and j.b.startswith("p2:") for j in z.joins)
    assert z.ends_complete and z.continues_to is None and z.continued_from is None
    assert len(z.body) == len(ART["zaozhuang-luban-gongjiangri"]["body"])
    assert len(edition.articles) == 4


def test_jump_to_a_missing_page_sets_continues_to() -> None:
    p1, _ = _edition()
    edition = reassemble_pages([(1, p1)])
    z = next(a for a in edition.articles if a.headline == "枣庄设立“鲁班工匠日”")
    assert z.continues_to == 2 and z.ends_complete is False
    p2 = _edition()[1]
    edition = reassemble_pages([(2, p2)])
    cont = [a for a in edition.articles if a.continued_from == 1]
    assert len(cont) == 2 and all(not a.starts_complete for a in cont)


def test_text_before_a_jump_out_line_is_not_joined_on_its_page(tmp_path: Path) -> None:
    # ``…服务站的建`` stops mid-word right before ``（下转第5版）``: its continuation is on page 5, even
    # though ``设经验，…`` further down the page would complete the word.
    page = tmp_path / "page-03.txt"
    page.write_text("\n\n".join([
        "3 综合新闻 2024年5月30日 星期四", "全市推广社区服务新模式",
        "本报讯（记者张明）日前，市总工会召开会议，决定在全市范围内推广社区工会服务站的建", "（下转第5版）",
        "职工书屋开到工地上", "本报讯（记者李华）近日，区总工会在建筑工地开设职工书屋，方便一线职工读书学习。",
        "设经验，各区总工会要结合实际抓好落实。"]) + "\n", encoding="utf-8")
    edition = reassemble_pages([(3, page)])
    first = next(a for a in edition.articles if a.headline == "全市推广社区服务新模式")
    assert first.blocks == ("p3:1", "p3:2", "p3:3") and first.continues_to == 5
    assert not any(j.a == "p3:2" for a in edition.articles for j in a.joins)


def test_the_text_that_jumps_is_the_text_over_the_jump_out_line() -> None:
    # a piece placed after the jump-out line (a displaced paragraph given to the article) is not the
    # text that goes on on the other page
    from reassemble.assemble import Draft, Run
    from reassemble.classify import Kind, Tag
    from reassemble.link import _jumping_body
    from reassemble.model import Block, Role

    def tag(i: int, text: str, kind: Kind = Kind.BODY) -> Tag:
        return Tag(Block(id=f"p1:{i}", page=1, index=i, text=text), kind)

    over, line, later = tag(1, "枣庄市总常态化开展工"), tag(2, "（下转第2版）", Kind.JUMP), tag(3, "高级工以上的")
    draft = Draft(head=None, runs=[Run(items=[(over, Role.BODY), (line, Role.JUMP_TO)]),
                                   Run(items=[(later, Role.BODY)])])
    assert _jumping_body(draft) is over
    assert _jumping_body(Draft(head=None, runs=[Run(items=[(over, Role.BODY)])])) is over


def test_a_jump_out_line_after_another_story_goes_to_the_story_its_jump_headline_names() -> None:
    # "（下转第2版）" came out after the second story's complete last sentence; the first story stops
    # mid-sentence and page 2's jump headline "职工篮球联赛" shortens its head, not the second story's
    page1 = "\n\n".join([
        "某市举办首届职工篮球联赛",
        "本报讯 近日，某市首届职工篮球联赛在市体育中心开幕，来自全市各行业的三十二支代表队参赛。"
        "联赛冠军队的队员，可优先",
        "某县开展送清凉活动",
        "本报讯 入夏以来，某县总工会组织干部走进建筑工地，为一线职工送去防暑降温物品。",
        "（下转第2版）",
    ]) + "\n"
    page2 = "\n\n".join(["职工篮球联赛", "（上接第1版）",
                         "参加省级职工运动会。联赛将持续两个月，共进行九十六场比赛。"]) + "\n"
    edition = reassemble_pages([(1, page1), (2, page2)])
    by_head = {a.headline: a for a in edition.articles}
    assert by_head["某市举办首届职工篮球联赛"].blocks == ("p1:0", "p1:1", "p1:4", "p2:0", "p2:1", "p2:2")
    assert by_head["某县开展送清凉活动"].blocks == ("p1:2", "p1:3")
    moved = [d for d in edition.decisions if d.kind == "jump-line-owner"]
    assert [(d.subject, d.chosen) for d in moved] == [("p1:4", "p1:0")]
    # where the line's own story is the one the jump headline names, it stays
    page1 = page1.replace("某县开展送清凉活动", "某县开展职工篮球联赛观赛活动")
    edition = reassemble_pages([(1, page1), (2, page2)])
    assert not [d for d in edition.decisions if d.kind == "jump-line-owner"]
