"""Reading plain-text dumps: encodings, mojibake, page numbers, bad bytes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from ftfy.badness import BADNESS_RE, is_bad
from hypothesis import given, settings
from hypothesis import strategies as st

from reassemble import reassemble_pages
from reassemble.compose import to_full_width
from reassemble.errors import EditionError, InputError
from reassemble.read import page_number_from_name, read_edition, read_page
from reassemble.read.text import _mojibake_cue, decode, repair

SAMPLE = "安徽持续高位推进工会驿站建设\n\n本报讯(记者鹿慧敏)近日,竞赛启动。\n"


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "utf-16", "gb18030", "utf-32"])
def test_encodings_are_detected(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "page-02.txt"
    p.write_bytes(SAMPLE.encode(encoding))
    page = read_page(p)
    assert page.number == 2
    assert [b.text for b in page.blocks] == ["安徽持续高位推进工会驿站建设", "本报讯(记者鹿慧敏)近日,竞赛启动。"]


@pytest.mark.parametrize("encoding", ["utf-16-le", "utf-16-be"])
def test_utf16_without_byte_order_mark_is_detected(tmp_path: Path, encoding: str) -> None:
    p = tmp_path / "page-02.txt"
    p.write_bytes((SAMPLE + "一二三\n").encode(encoding))  # 一 is U+4E00: a zero byte on the other side
    assert [b.text for b in read_page(p).blocks][0] == "安徽持续高位推进工会驿站建设"
    assert decode(p.read_bytes(), str(p))[1] == encoding


@pytest.mark.parametrize("via", ["latin-1", "cp1252"])
def test_mojibake_gb18030_read_as_single_byte_is_repaired(via: str) -> None:
    data = (SAMPLE + "“引号”与数字2023年\n").encode("gb18030")
    # a sloppy cp1252 reading keeps the five bytes cp1252 leaves undefined as C1 code points
    broken = "".join(chr(b) if via == "latin-1" or b in (0x81, 0x8D, 0x8F, 0x90, 0x9D) else bytes([b]).decode(via)
                     for b in data)
    assert repair(broken) == data.decode("gb18030")


@pytest.mark.parametrize("text", ["Le président a déclaré à Paris que l'économie va mieux.",
                                  "Straße über Öl für Männer, Größe 10 °C ±2 × 3 — ½ µm.",
                                  "ÀÉÎÕÜ àéîõü çñ ÿ"])
def test_western_text_is_not_taken_for_gb18030_mojibake(text: str) -> None:
    assert repair(text) == text


def test_gbk_fullwidth_page(tmp_path: Path) -> None:
    p = tmp_path / "page-7.txt"
    p.write_bytes(SAMPLE.replace(",", "，").replace("(", "（").replace(")", "）").encode("gbk"))
    assert read_page(p).blocks[1].text.startswith("本报讯（记者")


def test_mojibake_utf8_read_as_latin1_is_repaired() -> None:
    broken = SAMPLE.encode("utf-8").decode("latin-1")
    assert repair(broken) == SAMPLE


#: Characters of ordinary and of garbled text, mixed so that ftfy's badness patterns are often hit.
_MIXED = [
    *"aZ .,!?-'\"\n中文字，。、“”‘’—…·",
    *"ÃÂÎÐâ€œ™ž¢£¥©®°±²³µ¼×÷ØÙàäéöüœŒßÞ–─│┌╔▓√≈‚вЂВГРСβΒΓΞΟā\x85\x9d\xa0\xad¦¨¬¯¸ƒˆ",
]


def test_mojibake_cue_is_read_off_ftfy_and_misses_ordinary_text() -> None:
    cue = _mojibake_cue()
    assert cue is not None
    assert cue.search(SAMPLE + "“引号”‘单引’——破折号……间隔·号") is None


@settings(max_examples=500, deadline=None)
@given(st.one_of(st.lists(st.sampled_from(_MIXED), max_size=12).map("".join), st.from_regex(BADNESS_RE)))
def test_mojibake_cue_is_in_every_bad_text(text: str) -> None:
    cue = _mojibake_cue()
    assert cue is not None
    assert not is_bad(text) or cue.search(text)


def test_mojibake_utf8_read_as_gbk_is_repaired() -> None:
    broken = SAMPLE.encode("utf-8").decode("gbk", errors="replace")
    fixed = repair(broken)
    assert "驿站" in fixed or "\ufffd" in broken  # repaired whenever the round trip is lossless


def test_truncated_utf8_is_an_error() -> None:
    data = (SAMPLE * 3).encode("utf-8")[:-2]  # cuts the last "。" in half
    with pytest.raises(InputError, match="invalid UTF-8"):
        decode(data, "x.txt")


def test_control_characters_and_nul_in_text(tmp_path: Path) -> None:
    p = tmp_path / "page-1.txt"
    p.write_bytes("标题\x07\n\n正文一段。\x0b\n".encode())
    page = read_page(p)
    assert all("\x07" not in b.text and "\x0b" not in b.text for b in page.blocks)
    p.write_bytes(b"\x00" + SAMPLE.encode())
    with pytest.raises(InputError, match="binary"):
        read_page(p)


@pytest.mark.parametrize("data, msg", [(b"", "empty"), (b" \n\t\n", "empty"), (b"\x89PNG\r\n\x1a\n\x00\x00", "binary")])
def test_bad_bytes(tmp_path: Path, data: bytes, msg: str) -> None:
    p = tmp_path / "page-1.txt"
    p.write_bytes(data)
    with pytest.raises(InputError, match=msg) as exc:
        read_page(p)
    assert str(p) in str(exc.value)


@pytest.mark.parametrize(
    "name, number",
    [("page-02.txt", 2), ("x_02.txt", 2), ("A2.txt", 2), ("A01.txt", 1), ("01.txt", 1), ("foo-A2-bar.txt", 2),
     ("sn85-ed-1_seq-3.txt", 3), ("1858-12-07_01-00004.xml", 4), ("第3版.txt", 3), ("notes.txt", None)],
)
def test_page_number_from_name(name: str, number: int | None) -> None:
    assert page_number_from_name(name) == number


def test_no_page_number_is_an_error(tmp_path: Path) -> None:
    p = tmp_path / "notes.txt"
    p.write_text(SAMPLE, encoding="utf-8")
    with pytest.raises(InputError, match="page number"):
        read_page(p)
    assert read_page(p, page=9).number == 9


def test_edition_sorted_and_duplicates(tmp_path: Path) -> None:
    for n in (3, 1):
        (tmp_path / f"page-{n:02d}.txt").write_text(SAMPLE, encoding="utf-8")
    assert [p.number for p in read_edition(tmp_path)] == [1, 3]
    (tmp_path / "3.txt").write_text(SAMPLE, encoding="utf-8")
    with pytest.raises(EditionError, match="given twice"):
        read_edition(tmp_path)


def test_large_single_block_page(tmp_path: Path) -> None:
    p = tmp_path / "page-1.txt"
    p.write_text("驿站建设" * 250_000, encoding="utf-8")  # 1 MB of text, one block, no blank line
    page = read_page(p)
    assert len(page.blocks) == 1 and len(page.blocks[0].text) == 1_000_000


def test_a_dump_with_a_paragraph_per_line_and_no_blank_lines_is_a_block_per_line(
        seed_page: Path, seed_gold: Path, tmp_path: Path) -> None:
    # Some extractors write a paragraph per line and nothing between: read as one block, the page was a
    # single article. Its lines end sentences far more often than wrapped column lines do, so each line
    # is a block, and the page's articles come out as from the usual dump.
    paragraphs = [b.replace("\n", "") for b in seed_page.read_text("utf-8").split("\n\n") if b.strip()]
    dump = tmp_path / "page-02.txt"
    dump.write_text("\n".join(paragraphs), "utf-8")
    assert [b.text for b in read_page(dump).blocks] == [b.text for b in read_page(seed_page).blocks]
    gold = json.loads(seed_gold.read_text("utf-8"))
    bodies = [[p.text for p in a.paragraphs] for a in reassemble_pages([(2, dump)]).articles]
    assert all([to_full_width(p) for p in a["body"]] in bodies for a in gold["articles"])


def test_wrapped_lines_without_blank_lines_stay_one_block(tmp_path: Path) -> None:
    # A column's wrapped lines seldom end a sentence: without blank lines they are one block, as before.
    text = ("安徽各地因地制宜加快工会驿站建\n设。芜湖市将工会驿站纳入全市党\n"
            "建工作大格局一体谋划推进，整合\n资源建设驿站。\n")
    p = tmp_path / "page-02.txt"
    p.write_text(text, "utf-8")
    assert len(read_page(p).blocks) == 1


def test_wrapped_chinese_lines_run_on_through_digits_and_half_width_marks() -> None:
    # A column break in Chinese text is only the column width: no space at ``莹`` / ``)``, ``1`` / ``4``
    # or ``,`` / ``汇``; an English word at the break keeps its space, and Latin text is joined as before.
    from reassemble.textutil import join_lines
    assert join_lines(["记者鹿慧敏 通讯员蒋少莹", ")近日,西部"]) == "记者鹿慧敏 通讯员蒋少莹)近日,西部"
    assert join_lines(["参与路演的1", "4个项目,成立中心,", "汇聚服务"]) == "参与路演的14个项目,成立中心,汇聚服务"
    assert join_lines(["使用Microsoft", "Word软件编辑稿件"]) == "使用Microsoft Word软件编辑稿件"
    assert join_lines(["in the", "city"]) == "in the city"
    assert join_lines(["Die Wendun-", "gen der Politik"]) == "Die Wendun-gen der Politik"
