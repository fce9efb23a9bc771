"""Classification rules that need the whole page: line geometry of a dump that keeps column line breaks."""

from __future__ import annotations

from reassemble.classify import Kind, classify_page
from reassemble.config import DEFAULT
from reassemble.model import Block

#: Body text to cut into column lines (12 cells wide, first lines indented by two).
_TEXT = ("市里今年在各个街道新建了一批服务站点为环卫工人和外卖骑手提供饮水休息充电等便利"
         "工作人员每天按时开放站点并定期听取使用者的意见建议不断改进服务内容和方式方法")


def _paragraph(n: int) -> list[str]:
    """A paragraph of four column lines, its first line indented (10 cells), cut from ``_TEXT``."""
    text = _TEXT[n:] + _TEXT[:n]
    return [text[:10], text[10:22], text[22:34], text[34:40] + "。"]


def _page(middle: list[list[str]]) -> tuple[Block, ...]:
    """Eight indented paragraphs (so the page has a column width and a first-line width), then ``middle``."""
    groups = [_paragraph(k * 5) for k in range(8)] + middle
    return tuple(Block(id=f"p1:{i}", page=1, index=i, text="".join(lines), lines=tuple(lines))
                 for i, lines in enumerate(groups))


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
