"""Classification rules that need the whole page: line geometry of a dump that keeps column line breaks."""

from __future__ import annotations

from pathlib import Path

from reassemble.classify import MIN_INDENTED, Kind, classify_page, indents_paragraphs, line_width
from reassemble.clean import clean_page
from reassemble.compose import seed_variants
from reassemble.compose import write_edition as write_composed
from reassemble.config import DEFAULT
from reassemble.model import Block
from reassemble.read import read_page

ROOT = Path(__file__).resolve().parent.parent

#: Body text to cut into column lines (12 cells wide, first lines indented by two).
_TEXT = ("市里今年在各个街道新建了一批服务站点为环卫工人和外卖骑手提供饮水休息充电等便利"
         "工作人员每天按时开放站点并定期听取使用者的意见建议不断改进服务内容和方式方法")


def _paragraph(n: int) -> list[str]:
    """A paragraph of four column lines, its first line indented (10 cells), cut from ``_TEXT``."""
    text = _TEXT[n:] + _TEXT[:n]
    return [text[:10], text[10:22], text[22:34], text[34:40] + "。"]


def _blocks(groups: list[list[str]]) -> tuple[Block, ...]:
    """A page of one block per list of column lines."""
    return tuple(Block(id=f"p1:{i}", page=1, index=i, text="".join(lines), lines=tuple(lines))
                 for i, lines in enumerate(groups))


def _page(middle: list[list[str]]) -> tuple[Block, ...]:
    """Eight indented paragraphs (so the page has a column width and a first-line width), then ``middle``."""
    return _blocks([_paragraph(k * 5) for k in range(8)] + middle)


def test_a_paragraphs_first_line_cut_off_at_a_column_foot_is_body() -> None:
    # one line as wide as the indented first lines, then text whose first line fills the column
    first = "为让广大职工切实感受"
    assert len(first) == 10
    tags = classify_page(_page([[first], ["到来自各方的关心关怀以及", "组织的关爱，继续加大支持", "力度。"]]), DEFAULT)
    assert tags[8].kind is Kind.BODY and tags[8].open_end


def test_a_headline_of_the_same_width_over_an_indented_paragraph_stays_a_headline() -> None:
    headline = "街道服务站点惠及万户"
    tags = classify_page(_page([[headline], _paragraph(3)]), DEFAULT)
    assert tags[8].kind is Kind.HEADLINE


def test_first_lines_half_a_cell_apart_still_give_the_indent_width() -> None:
    # Half-width digits make first lines 9.5 and 10.5 cells wide as well as 10: the first-line width is
    # the centre of the commonest one-cell window, so a 9.5-cell first line over full text is body too.
    widths = [[*_paragraph(k * 5)] for k in range(8)]
    for lines in widths[:3]:
        lines[0] = lines[0][:9] + "2"  # 9.5 cells
    for lines in widths[3:5]:
        lines[0] += "2"  # 10.5 cells
    first = "今年7月为让职工感受"  # 9.5 cells
    blocks = [*widths, [first], ["到来自各方的关心关怀以及", "组织的关爱，继续加大支持", "力度。"]]
    tags = classify_page(_blocks(blocks), DEFAULT)
    assert tags[8].kind is Kind.BODY


def test_two_lines_from_the_indent_to_the_column_edge_stopping_on_a_character_are_body() -> None:
    # A paragraph's first two lines cut at a column foot: indented, then full, no mark at the end.
    start = ["市总工会组织全区各级", "工会开展关爱环卫工人项目"]
    assert (len(start[0]), len(start[1])) == (10, 12)
    tags = classify_page(_page([start, ["活动。"]]), DEFAULT)
    assert tags[8].kind is Kind.BODY and tags[8].open_end
    # a first line narrower than the indented first lines is a heading's (a kicker over its headline)
    tags = classify_page(_page([["市总工会组织全区", start[1]], _paragraph(3)]), DEFAULT)
    assert tags[8].kind is Kind.HEADLINE


def test_a_full_stop_hung_past_the_column_end_still_fills_the_last_line() -> None:
    # Chinese typesetting hangs a full stop or closer past the column rather than let it open a line: a
    # last line one cell wider than the column (12 cells) that ends on one fills it; a clause mark does not
    # count, and neither does a line two cells wider.
    def last_full(last: str) -> bool:
        block = ["新建了一批服务站点为环卫", "并定期听取使用者的意见", last]
        return classify_page(_page([block]), DEFAULT)[8].last_full

    assert last_full("改进服务内容和方式方法。")  # 12 cells
    assert last_full("断改进服务内容和方式方法。")  # 13 cells, the 。 hung
    assert last_full("断改进服务内容和方式方法”")  # a closer hung
    assert not last_full("断改进服务内容和方式方法，")  # 13 cells ending on a comma
    assert not last_full("不断改进服务内容和方式方法。")  # 14 cells


def test_a_page_indents_its_paragraphs_when_enough_first_lines_share_the_indent(tmp_path: Path) -> None:
    assert indents_paragraphs(classify_page(_page([]), DEFAULT))

    indented = [_paragraph(k * 5) for k in range(8)]
    flush = [[x[0] + x[1][:2], x[1][2:], *x[2:]] for x in indented]
    # the same text set flush: no paragraph is indented
    assert not indents_paragraphs(classify_page(_blocks(flush), DEFAULT))
    # five indented paragraphs among twenty flush ones: too few to be the page's convention
    tags = classify_page(_blocks(indented[:5] + flush * 2 + flush[:4]), DEFAULT)
    assert sum(t.indented for t in tags) == MIN_INDENTED and not indents_paragraphs(tags)
    # the real seed page sets its paragraphs flush; rewrapped at a column width (seed variant 521) with
    # half-width commas, which are measured as the full-width marks they were in print, no line is indented
    seed = ROOT / "corpus" / "zh" / "workers-daily-p2"
    write_composed(seed_variants(seed / "page-02.txt", seed / "gold.json", 521), tmp_path)
    page = clean_page(read_page(tmp_path / "page-02.txt", 2), DEFAULT)
    assert any("," in line for b in page.blocks for line in b.lines)
    tags = classify_page(page.blocks, DEFAULT)
    assert not any(t.indented for t in tags) and not indents_paragraphs(tags)


def test_a_line_is_measured_as_printed_with_half_width_marks_of_chinese_text_full_width() -> None:
    # extractors give ``,`` where the page printed ``，``: the line is no narrower for it
    assert line_width("据悉,瑞金市将法院(诉)") == line_width("据悉，瑞金市将法院（诉）") == 12.0
    assert line_width("共1,000 人") == 5.0  # a digit group separator stays half-width


def test_a_block_running_past_the_column_that_reads_like_a_head_is_one_in_a_plain_dump() -> None:
    # a kicker and a headline printed together over several columns, wrapped by the extractor: its lines
    # run past the 12-cell column, which body text never does but for a hung mark
    head = ["来自云南省第一人民医院的专家为职工", "义诊", "云南劳模送医疗健康活动启", "动"]
    assert [len(x) for x in head] == [17, 2, 12, 1]
    tags = classify_page(_page([head, _paragraph(3)]), DEFAULT)
    assert tags[8].kind is Kind.HEADLINE
    # a quotation's over-set line carries a full stop: body
    quote = ["“此次活动是强化职工创新", "成果展示交流和转化的重要举措。”", "区总工会相关负责人介绍"]
    assert classify_page(_page([quote, _paragraph(3)]), DEFAULT)[8].kind is Kind.BODY
    # with the layout's heading evidence (JSON, ALTO) the lines' widths do not decide
    assert classify_page(_page([head, _paragraph(3)]), DEFAULT, heading={})[8].kind is Kind.BODY


def test_a_short_head_next_to_the_running_head_is_no_section_label() -> None:
    # a section label next to the running head is page furniture; a short jump headline or kicker at the
    # top of a page (five or six characters) is a head, also when no jump-in line follows it
    def kinds(label: str) -> list[Kind]:
        texts = ["3 2024年2月13日 星期二", label, "职工维权有了快速通道",
                 "本报讯 近日，某市总工会职工维权服务中心接待职工来访，协调解决劳动争议。"]
        blocks = tuple(Block(id=f"p3:{i}", page=3, index=i, text=t, lines=(t,)) for i, t in enumerate(texts))
        return [t.kind for t in classify_page(blocks, DEFAULT)]

    assert kinds("工会新闻")[:2] == [Kind.FURNITURE, Kind.FURNITURE]
    assert kinds("6 工会新闻")[:2] == [Kind.FURNITURE, Kind.FURNITURE]  # the page number is not counted
    assert kinds("职工创新成果")[:2] == [Kind.FURNITURE, Kind.HEADLINE]
    assert kinds("甲状腺彩超")[:2] == [Kind.FURNITURE, Kind.HEADLINE]


def test_a_date_an_e_mail_or_a_web_address_alone_is_page_furniture() -> None:
    # A paragraph's dateline is never a block of its own, nor is a contact line part of a story.
    def kind(text: str) -> Kind:
        block = Block(id="p2:5", page=2, index=5, text=text, lines=(text,))
        return classify_page((block,), DEFAULT)[0].kind

    for text in ("2023年4月10日", "E-mail:grrb@grrb.com.cn", "投稿邮箱：news@example.cn", "www.grrb.com.cn",
                 "https://epaper.grrb.com.cn/"):
        assert kind(text) is Kind.FURNITURE, text
    assert kind("2023年4月10日，全省工会驿站建设推进会在合肥召开。") is Kind.BODY
