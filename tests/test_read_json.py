"""The ``reassemble-blocks/1`` JSON reader: the documented shape is read, every other shape is refused
with a message naming the file and the JSON path of the problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from reassemble.errors import InputError
from reassemble.read.blocks_json import BLOCKS_FORMAT, read_blocks_json

GOOD: dict[str, Any] = {
    "format": "reassemble-blocks/1",
    "page": 2,
    "width": 842,
    "height": 1191,
    "unit": "pt",
    "x-extractor": "pdfplumber 0.11",
    "blocks": [
        {
            "id": "b1",
            "text": "枣庄设立“鲁班工匠日”",
            "bbox": [72, 90.5, 500, 120],
            "font_size": 22,
            "meta": {"fontname": "SimHei"},
        },
        {
            "id": 7,
            "lines": [
                {"text": "本报讯 日前,", "bbox": [72, 130, 300, 142]},
                "山东省枣庄市",
                {"text": "   "},
            ],
            "bbox": [72, 130, 300, 160],
            "confidence": 0.5,
        },
        {"id": "b3", "text": "Continued\non page 4"},
        {"id": "empty", "text": "  \n "},
    ],
}


def dump(tmp_path: Path, value: Any, name: str = "page-09.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(value, ensure_ascii=False), encoding="utf-8")
    return path


def test_good_page(tmp_path: Path) -> None:
    path = dump(tmp_path, GOOD)
    page = read_blocks_json(path)
    assert page.number == 2  # the file's page field wins over the name
    assert page.input_format == "json"
    assert (page.width, page.height) == (842.0, 1191.0)
    assert [b.id for b in page.blocks] == ["p2:b1", "p2:7", "p2:b3"]  # the empty block is skipped
    assert [b.index for b in page.blocks] == [0, 1, 2]
    b1, b7, b3 = page.blocks
    assert b1.text == "枣庄设立“鲁班工匠日”" and b1.lines == ("枣庄设立“鲁班工匠日”",)
    assert b1.bbox is not None and (b1.bbox.x0, b1.bbox.top, b1.bbox.x1, b1.bbox.bottom) == (
        72,
        90.5,
        500,
        120,
    )
    assert b1.font_size == 22.0 and b1.confidence is None
    assert b7.lines == ("本报讯 日前,", "山东省枣庄市")
    assert b7.text == "本报讯 日前,山东省枣庄市"  # join_lines: Chinese runs on after half-width punctuation
    assert b7.confidence == 0.5 and b7.bbox is not None and b7.bbox.height == 30
    assert b3.lines == ("Continued", "on page 4") and b3.text == "Continued on page 4"
    assert all(b.source == str(path) for b in page.blocks)


def test_page_number_sources(tmp_path: Path) -> None:
    no_page = {k: v for k, v in GOOD.items() if k != "page"}
    assert read_blocks_json(dump(tmp_path, GOOD), page=5).number == 5  # the argument wins
    assert read_blocks_json(dump(tmp_path, no_page)).number == 9  # then the file name
    assert read_blocks_json(dump(tmp_path, no_page, "blocks.json")).number == 1  # else 1


def test_bytes_given_and_bom(tmp_path: Path) -> None:
    data = b"\xef\xbb\xbf" + json.dumps({"format": BLOCKS_FORMAT, "blocks": []}).encode()
    page = read_blocks_json(tmp_path / "page-3.json", data=data)
    assert page.number == 3 and page.blocks == ()


def with_block(**fields: Any) -> dict[str, Any]:
    block = {"id": "b1", "text": "x", **fields}
    return {"format": BLOCKS_FORMAT, "blocks": [{"id": "b0", "text": "ok"}, block]}


BAD: list[tuple[str, Any, str]] = [
    ("top-list", [], "(top level): expected an object, got a list"),
    ("no-format", {"blocks": []}, "format: missing"),
    (
        "other-format",
        {"format": "reassemble-blocks/2", "blocks": []},
        "format: expected 'reassemble-blocks/1'",
    ),
    ("no-blocks", {"format": BLOCKS_FORMAT}, "blocks: missing"),
    ("blocks-object", {"format": BLOCKS_FORMAT, "blocks": {}}, "blocks: expected a list, got an object"),
    ("block-string", {"format": BLOCKS_FORMAT, "blocks": ["text"]}, "blocks[0]: expected an object"),
    ("no-id", {"format": BLOCKS_FORMAT, "blocks": [{"text": "x"}]}, "blocks[0].id: missing"),
    ("bool-id", with_block(id=True), "blocks[1].id: expected a string or an integer, got a boolean"),
    ("space-id", with_block(id="b 1"), "blocks[1].id: must be non-empty and without white space"),
    ("dup-id", with_block(id="b0"), "blocks[1].id: duplicate id 'b0' (also blocks[0])"),
    (
        "bbox-3",
        with_block(bbox=[1, 2, 3]),
        "blocks[1].bbox: expected 4 numbers [x0, top, x1, bottom], got 3 items",
    ),
    ("bbox-str", with_block(bbox=[1, "2", 3, 4]), "blocks[1].bbox[1]: expected a number, got a string"),
    ("bbox-flipped", with_block(bbox=[0, 700, 10, 650]), "blocks[1].bbox: top (700) is below bottom (650)"),
    ("bbox-x", with_block(bbox=[20, 0, 10, 5]), "blocks[1].bbox: x0 (20) is right of x1 (10)"),
    ("no-text", {"format": BLOCKS_FORMAT, "blocks": [{"id": "a"}]}, "blocks[0]: needs 'text' or 'lines'"),
    ("text-number", with_block(text=3), "blocks[1].text: expected a string, got a number"),
    ("lines-str", with_block(lines="a\nb"), "blocks[1].lines: expected a list, got a string"),
    ("line-obj", with_block(lines=[{"txt": "a"}]), "blocks[1].lines[0].txt: unknown key"),
    (
        "line-bbox",
        with_block(lines=[{"text": "a", "bbox": [1]}]),
        "blocks[1].lines[0].bbox: expected 4 numbers",
    ),
    ("unknown-key", with_block(bboxes=[0, 0, 1, 1]), "blocks[1].bboxes: unknown key"),
    ("font-neg", with_block(font_size=-3), "blocks[1].font_size: expected a number > 0, got -3"),
    ("conf-high", with_block(confidence=1.5), "blocks[1].confidence: expected a number between 0 and 1"),
    ("page-str", {"format": BLOCKS_FORMAT, "page": "2", "blocks": []}, "page: expected an integer >= 1"),
    ("width-zero", {"format": BLOCKS_FORMAT, "width": 0, "blocks": []}, "width: expected a number > 0"),
    ("meta-list", with_block(meta=[]), "blocks[1].meta: expected an object, got a list"),
]


@pytest.mark.parametrize(("value", "message"), [(v, m) for _, v, m in BAD], ids=[n for n, _, _ in BAD])
def test_bad_shapes(tmp_path: Path, value: Any, message: str) -> None:
    path = dump(tmp_path, value)
    with pytest.raises(InputError) as info:
        read_blocks_json(path)
    text = str(info.value)
    assert text.startswith(f"{path}: ")
    assert message in text
    assert info.value.exit_code == 2


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "the file is empty"),
        (b'{"format": "reassemble-blocks/1", "blocks": [}', "not valid JSON: Expecting value at line 1"),
        (b'{"format": "reassemble-blocks/1", "blocks": [], "blocks": []}', "duplicate key 'blocks'"),
        (b'{"format": "reassemble-blocks/1", "width": NaN, "blocks": []}', "NaN is not a valid number"),
        ('{"format": "reassemble-blocks/1", "blocks": []}'.encode("utf-16"), "not UTF-8"),
    ],
    ids=["empty", "syntax", "dup-key", "nan", "utf16"],
)
def test_bad_bytes(tmp_path: Path, data: bytes, message: str) -> None:
    path = tmp_path / "page-1.json"
    with pytest.raises(InputError) as info:
        read_blocks_json(path, data=data)
    assert str(path) in str(info.value)
    assert message in str(info.value)
