"""Cleaning: punctuation width next to Chinese text, and Latin line-break hyphens decided by evidence."""

from __future__ import annotations

from reassemble import reassemble_pages
from reassemble.clean import fullwidth_punct
from reassemble.evaluate import text_conserved


def test_fullwidth_only_next_to_chinese() -> None:
    assert fullwidth_punct("本报讯(记者张三)近日,活动举行:好吗?") == "本报讯（记者张三）近日，活动举行：好吗？"
    assert fullwidth_punct("1,000 and 10:30 (a)") == "1,000 and 10:30 (a)"
    assert fullwidth_punct("区+街道+社区(企业)三级") == "区+街道+社区（企业）三级"


def test_line_break_hyphens_use_edition_evidence() -> None:
    text = ("Die Wendun-\ngen der Politik und die Nord-\nAmerika Frage. Weitere Wendungen folgen, "
            "auch in Nord-Amerika und dem Ver-\nein.\n")
    edition = reassemble_pages([(1, text)])
    body = edition.articles[0].paragraphs[0].text
    assert "Wendungen der" in body and "Nord-Amerika Frage" in body and "Verein." in body
    assert text_conserved(edition)
