"""Join scoring: the pair prefilter lets through exactly the pairs that join_features would score."""

from __future__ import annotations

import glob
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reassemble.classify import Kind, Tag, _headline_like, classify_page, starts_open
from reassemble.clean import clean_pages
from reassemble.config import DEFAULT
from reassemble.layout import analyse, reading_order
from reassemble.model import Block, Join
from reassemble.pipeline import reassemble_pages
from reassemble.read import read_edition
from reassemble.score import (
    Vocabulary,
    _EndCues,
    _quote_features,
    _StartCues,
    _TermsIn,
    choose_joins,
    is_join_end,
    is_join_start,
    join_features,
    summed_terms,
    terms,
)

ROOT = Path(__file__).resolve().parent.parent
BNL = sorted(glob.glob(str(ROOT / "corpus" / "alto" / "bnl-1858" / "*" / "*-mets.xml")))
#: A page where one pair has no evidence but a closed quote: ``《`` left open by block 1 and closed by a stray
#: ``》`` deep inside block 3 (past the start that ``starts_open`` reads), with no CJK at the cut.
OTHER = "另一篇文章讲的是别的事情，与前面完全无关。"
QUOTE_ONLY = "\n\n".join(
    [
        OTHER,
        "今天上午，记者在会上听到他介绍了新出版的一部作品《ABC",
        OTHER.replace("另一", "第三"),
        "DEF这部作品讲述了一个工人在工厂里努力工作的故事，深受读者喜爱和欢迎，也被改编成了电视剧和舞台剧并在全国巡演"
        "》等多部作品，反响很好。",
    ]
)


@pytest.mark.parametrize(
    "inputs",
    [
        [ROOT / "corpus" / "zh" / "workers-daily-p2" / "page-02.txt"],  # CJK text, no geometry
        BNL,  # Latin ALTO with layout flow
        [(1, QUOTE_ONLY)],
    ],
    ids=["seed-text", "bnl-alto", "quote-only"],
)
def test_partners_are_exactly_the_pairs_with_evidence(inputs: list[Path] | list[tuple[int, str]]) -> None:
    pages = clean_pages(read_edition(inputs), DEFAULT)
    checked = 0
    quote_only = False
    for page in pages:
        flow = None
        if any(b.bbox is not None for b in page.blocks):
            lay = analyse(page)
            page = reading_order(page, lay)
            flow = {a: (b, lay.step.get(a, "")) for a, b in lay.next.items()}
        tags = classify_page(page.blocks, DEFAULT)
        vocab = Vocabulary(t.text for t in tags)
        ends = [_EndCues(t, DEFAULT.bridge_window) for t in tags if is_join_end(t)]
        for a in (t for t in tags if is_join_start(t)):
            partners = {b.id for b in _StartCues(a, DEFAULT.bridge_window, flow).partners(ends)}
            scored = {
                b.id
                for b in ends
                if b.id != a.id and join_features(a, b.tag, vocab, DEFAULT, n_blocks=len(tags), flow=flow) is not None
            }
            assert partners == scored, a.id
            checked += len(ends)
            quote_only |= a.id == "p1:1" and "p1:3" in partners
    assert checked > 100 or quote_only


_PIECES = [*"中文字词工人日报记者，。 、《》“”", "İstanbul", "Straße", "THE", "the", "ab", "Ωmega", "x1y", "ſtadt", " "]


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.sampled_from(_PIECES), max_size=30).map("".join),
    st.lists(st.sampled_from(_PIECES), max_size=12).map("".join),
)
def test_terms_in_answers_like_terms(long: str, short: str) -> None:
    probe = _TermsIn(long)
    for term in [*terms(short), *terms(long), "中文", "the", "xyz"]:
        assert (term in probe) == (term in terms(long)), term


@settings(max_examples=300, deadline=None)
@given(
    st.lists(st.lists(st.sampled_from(_PIECES), max_size=20).map("".join), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=6),
    st.lists(st.sampled_from(_PIECES), max_size=20).map("".join),
)
def test_cos_floor_without_is_a_lower_bound(texts: list[str], cut: int, probe: str) -> None:
    vocab = Vocabulary([*texts, probe])
    total, part = summed_terms(texts), summed_terms(texts[cut:])
    u = vocab.weighted(probe)
    floor = vocab.cos_floor_without(u, total, part, vocab.weighted(total)[1])
    assert floor <= vocab.cos(u, vocab.weighted_without(total, part))


@pytest.mark.parametrize(
    ("text", "evidence"),
    [("制度。在此基础上，形成格局", 0.9), ("副主任、自治区总工会主席", 0.9), ("人眼球。例如", 0.9),
     ("目前，全市技能人才总量", 0.0), ("据介绍，枣庄是鲁班的故乡", 0.0), ("一、加强组织领导", 0.0),
     ("第三、完善制度", 0.0), ("没有?”近日，协调员", 1.0), ("岗，方便进出", 1.0),
     # before a plain comma only a noun, numeral or verbal noun of the dictionary counts
     ("建设工程，推动发展", 0.8), ("万元，将有米、面", 0.8), ("会上，代表们发言", 0.0), ("其中，获得第一名", 0.0),
     ("同时，城阳区总", 0.0),
     # a sentence of five to eight characters closed by a full stop, not by an enumeration comma or "？"
     ("和医疗义诊服务。义诊现场", 0.9), ("在聚焦重点区域、行业、单位", 0.0), ("这究竟是为什么？答案是", 0.0)],
)
def test_a_short_first_clause_marks_a_cut_sentence(text: str, evidence: float) -> None:
    assert starts_open(text) == evidence


def test_a_one_line_piece_that_looks_like_a_headline_joins_a_short_clause_after_it() -> None:
    # the first line of a paragraph at a column bottom has no punctuation and looks like a headline; the
    # short clause "制度。" that opens the next block is the proof that it was cut
    page = ("安徽持续高位推进工会驿站建设\n\n本报讯（记者鹿慧敏）近日，安徽省总工会召开会议，部署全年工会驿站建设"
            "工作。会议要求各地建立由\n\n党组书记任召集人的联席会议\n\n制度。在此基础上，形成多部门共同推进的工作格局。\n")
    (article,) = reassemble_pages([(2, page)]).articles
    assert ("p2:2", "p2:3") in {(j.a, j.b) for j in article.joins if j.accepted}


@pytest.mark.parametrize(("text", "headline_like"), [
    ("城阳区总采取共享化运营、", False), ("阜阳市总工会、马鞍山市总工会，", False), ("职工维权有了“快速通道”", True),
])
def test_a_clause_that_goes_on_is_no_headline(text: str, headline_like: bool) -> None:
    assert _headline_like(text, (text,), DEFAULT, latin=False) is headline_like


def test_a_headline_like_block_that_finishes_a_cut_word_needs_no_headline_proof() -> None:
    # "…要发" / "挥企业培养高技能": the one-line block finishes the word 发挥, so it is a paragraph's piece,
    # and its own join onwards is not held to a headline's standard of proof
    page = ("枣庄设立“鲁班工匠日”\n\n本报讯（记者田国全）近日，枣庄市总工会召开会议。会上，枣庄市总工会表示，要发\n\n"
            "挥企业培养高技能\n\n人才的主体作用，通过搭建创新载体、政策激励、典型选树等方式，推动创新创优蔚然成风。\n")
    decisions = {d.subject: d for d in reassemble_pages([(2, page)]).decisions if d.kind == "join"}
    assert decisions["p2:1"].chosen == "p2:2"
    onward = {c.target: c for c in decisions["p2:2"].candidates}["p2:3"]
    assert onward.features["a_headline"] == 0.0 and onward.features["adjacent"] == 1.0


def test_a_headline_like_piece_joins_the_next_block_when_a_word_bridges_them() -> None:
    # "…以及工会" / "组织的关爱，…": the one-line piece looks like a headline, but the next block finishes
    # the word it breaks off, and that is proof enough right after it
    page = ("内蒙古3.8万环卫工人收到“慰问礼包”\n\n本报讯（记者李玉波）连日来，自治区总工会持续开展慰问活动。\n\n"
            "为让环卫工人感受到关心关怀以及工会\n\n组织的关爱，自治区总工会筹措慰问资金近380万元。\n")
    decisions = {d.subject: d for d in reassemble_pages([(2, page)]).decisions if d.kind == "join"}
    onward = {c.target: c for c in decisions["p2:2"].candidates}["p2:3"]
    assert onward.features["a_headline"] == 0.0 and onward.features["word_bridge"] > 0


def test_a_quotation_may_run_on_through_a_broken_middle_piece() -> None:
    # ``“`` left open, the next piece broken off again without closing it: the quotation runs on
    assert _quote_features(["”"], (), True, False) == (0.0, 0.0)
    # ...but a piece that ends its text without closing it does not continue the quotation
    assert _quote_features(["”"], (), False, False) == (0.0, 1.0)
    # titles are short: ``《`` left open must close in the next piece
    assert _quote_features(["》"], (), True, False) == (0.0, 1.0)
    assert _quote_features(["”"], ("”",), False, False) == (1.0, 0.0)
    # the other way round: a bare middle piece may go on into the piece that closes the quotation...
    assert _quote_features([], ("”",), True, True) == (0.0, 0.0)
    # ...but a piece with quotes of its own, or a headline or paragraph opener (not bare), may not
    assert _quote_features([], ("”",), True, False) == (0.0, 1.0)
    assert _quote_features([], ("》",), True, True) == (0.0, 1.0)


def test_a_bare_middle_piece_stays_inside_the_quotation_chain() -> None:
    # "…形成“全县…卫生" / "两条线加…、" / "二十家共建单位”…": the first piece's open quotation closes in the
    # third, but the middle piece (no quote of its own) belongs between them; six ordinary paragraphs
    # after them give the page its column width
    def column(text: str, indent: bool = False) -> str:
        text = "\u3000\u3000" * indent + text
        return "\n".join(text[i:i + 18] for i in range(0, len(text), 18))

    page = "\n\n".join([
        "某县持续推进志愿服务站建设",
        column("近日，某县建立由县政府分管负责同志任召集人的联席会议制度，"
               "在此基础上，形成“全县教育体育、文化旅游、卫生", True),
        column("两条线加各乡镇团委加民政、住建、市场监管、商务、交通、农业、水利、林业、环保等成员单位、九家县直及行业协会、"),
        column("二十家共建单位”各负其责、密切配合的工作推进格局。"),
        *[column(f"第{k}批服务站今年建成投用，各地因地制宜加快服务站建设，"
                 "将服务站纳入全县工作大格局一体谋划推进。", True) for k in "一二三四五六"],
    ]) + "\n"
    edition = reassemble_pages([(3, page)])
    joins = {(j.a, j.b) for a in edition.articles for j in a.joins}
    assert ("p3:1", "p3:2") in joins and ("p3:2", "p3:3") in joins


def test_a_headline_like_line_before_a_fragment_is_a_paragraph_piece() -> None:
    # "大赛中各项目取得前十名" looks like a headline, but the block right after it starts with "的": it is
    # a paragraph's first line cut off at a column foot, and the two are joined
    page = "\n\n".join(["某市举办职工技能大赛",
                        "本报讯 近日，某市举办职工技能大赛，共设十个项目，吸引两千余名职工参赛。",
                        "大赛中各项目取得前十名", "的职工选手将获得奖金奖励，其中第一名奖励一万元。",
                        "据悉，大赛还将评选优秀组织单位。"]) + "\n"
    joins = {(j.a, j.b) for a in reassemble_pages([(2, page)]).articles for j in a.joins}
    assert joins == {("p2:2", "p2:3")}
    # under its kicker, a real headline stays one, even before another story's displaced fragment
    page = "\n\n".join(["打造技能之城", "某市设立工匠日", "了以送岗位、送技能为主要内容的服务。",
                        "本报讯 日前，某市人大常委会表决通过设立工匠日的决定。"]) + "\n"
    edition = reassemble_pages([(2, page)])
    assert not [j for a in edition.articles for j in a.joins if j.a == "p2:1"]
    assert any(a.headline == "某市设立工匠日" for a in edition.articles)


def test_a_block_broken_at_a_clause_mark_may_go_on_in_any_block_that_does_not_open_a_paragraph() -> None:
    # "…帮助群众办理手续，" stops on a comma: it must go on somewhere. With no word across the cut and a
    # continuation that starts like a sentence, the pair is still a candidate (scored); a paragraph opener
    # is not, and neither is the pair when the first block ends a sentence or stops on a character with
    # no other evidence (those are many, and scoring them all cost 17 % of the run time)
    def tag(text: str, index: int) -> Tag:
        return Tag(Block(id=f"p4:{index}", page=4, index=index, text=text), Kind.BODY, open_end=text[-1] != "。")

    goes_on, opener = tag("窗口的各项手续都在线上完成，并做好登记和回访。", 3), tag("据介绍，窗口周末照常开放。", 5)
    vocab = Vocabulary(["某区设立便民服务窗口，帮助群众办理手续，", goes_on.text, opener.text])
    assert join_features(tag("某区设立便民服务窗口，帮助群众办理手续，", 1), goes_on, vocab, DEFAULT, n_blocks=10)
    for a_text in ("某区设立便民服务窗口，帮助群众办理手续，", "某区设立便民服务窗口，帮助群众办理手续",
                   "某区设立便民服务窗口。"):
        a = tag(a_text, 1)
        assert join_features(a, opener, vocab, DEFAULT, n_blocks=10) is None
        if not a_text.endswith("，"):
            assert join_features(a, goes_on, vocab, DEFAULT, n_blocks=10) is None


def test_a_cut_end_takes_its_best_free_continuation_that_does_not_open_a_paragraph() -> None:
    # "…同时组织职工开展劳动" / "竞赛活动由…": the pair scores under the join threshold (a weak word bridge,
    # some shared content), but the first block was certainly cut, and of its candidates the paragraph
    # opener right after it is no continuation
    page = "\n\n".join([
        "某区开设便民服务窗口",
        "本报讯 近日，某区在街道设立便民服务窗口，安排志愿者在窗口值守，同时组织职工开展劳动",
        "据介绍，窗口每天上午九点开放，周末照常服务。",
        "竞赛活动由街道便民服务窗口的志愿者参加，志愿者值守时长计入成绩。",
        "某县举办春季农民运动会",
        *[f"本报讯 日前，某县第{k}届农民运动会开幕，来自各乡镇的代表队参加拔河、跳绳等比赛。"
          for k in "一二三四五六七八"],
    ]) + "\n"
    edition = reassemble_pages([(4, page)])
    joins = {(j.a, j.b): j.score for a in edition.articles for j in a.joins}
    assert DEFAULT.rescue_threshold <= joins[("p4:1", "p4:3")] < DEFAULT.join_threshold
    assert edition.articles[0].blocks == ("p4:0", "p4:1", "p4:3", "p4:2")


#: Body text cut into column lines of 12 cells (the first indented by two, or flush).
_COLUMN_TEXT = ("市里今年在各个街道新建了一批服务站点为环卫工人和外卖骑手提供饮水休息充电等便利"
                "工作人员每天按时开放站点并定期听取使用者的意见建议不断改进服务内容和方式方法")


def _column_page(tail: list[list[str]], *, indent: bool) -> str:
    """A text dump that keeps column lines: a headline, eight paragraphs (indented or flush), ``tail``."""
    paragraphs = []
    for k in range(8):
        t = _COLUMN_TEXT[k * 5:] + _COLUMN_TEXT[:k * 5]
        cut = (10, 22, 34, 40) if indent else (12, 24, 36, 40)
        paragraphs.append([t[:cut[0]], t[cut[0]:cut[1]], t[cut[1]:cut[2]], t[cut[2]:cut[3]] + "。"])
    return "\n\n".join("\n".join(b) for b in [["街道服务站点惠及万户"], *paragraphs, *tail]) + "\n"


def test_a_paragraph_cut_right_after_a_full_stop_joins_a_flush_full_first_line() -> None:
    # On a page that indents its paragraphs, a block ending a sentence on a full last line, followed by a
    # block whose first line fills the column without an indent, is one paragraph cut at the column foot.
    end = ["区总工会为环卫工人送去", "清凉物资和防暑药品一万份", "覆盖全区各个环卫作业班组。"]
    goes_on = ["环卫工人对区总工会送来的", "清凉物资和防暑药品表示感", "谢。"]
    indented = ["环卫工人对区总工", "会送来的清凉物资和防暑药", "品表示感谢。"]

    def joins(tail: list[list[str]], indent: bool) -> set[tuple[str, str]]:
        edition = reassemble_pages([(3, _column_page(tail, indent=indent))])
        return {(j.a, j.b) for a in edition.articles for j in a.joins if j.accepted}

    assert joins([end, goes_on], indent=True) == {("p3:9", "p3:10")}
    # flush on a full line, it goes on with the paragraph even when its first words could open one
    opener = ["据悉，环卫工人对区总工会", "送来的清凉物资和防暑药品", "表示感谢。"]
    assert joins([end, opener], indent=True) == {("p3:9", "p3:10")}
    assert joins([end, indented], indent=True) == set()  # an indent opens a paragraph
    assert joins([end, goes_on], indent=False) == set()  # a page set flush: a full first line says nothing


def test_an_end_at_a_full_stop_chooses_after_the_broken_ends() -> None:
    # A continuation that a certainly cut end wants (rescue pass) is that end's, even when a full-stop end
    # scores higher for it: a paragraph that stopped on a full stop may just as well have ended there.
    closed = Join(a="p1:1", b="p1:5", score=0.6, features={"a_closed": 1.0, "adjacent": 1.0})
    cut = Join(a="p1:3", b="p1:5", score=0.4, features={"a_cut": 1.0})
    chosen = {(j.a, j.b) for j in choose_joins([closed, cut], DEFAULT.join_threshold, DEFAULT.rescue_threshold)
              if j.accepted}
    assert chosen == {("p1:3", "p1:5")}
    alone = choose_joins([closed], DEFAULT.join_threshold, DEFAULT.rescue_threshold)
    assert [j.accepted for j in alone] == [True]
