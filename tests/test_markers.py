"""Jump-marker detection (reassemble.markers): the forms of each language, OCR damage, prose that must not
fire, page-number reading, the line-window API, and precision/recall on the shipped Chronicling America
sample pages."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path
from types import ModuleType

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reassemble.markers import (
    SERIAL,
    find_markers,
    find_markers_in_lines,
    is_marker_block,
    is_serial,
    join_lines,
    marker_section,
    page_number,
    page_section,
)
from reassemble.model import JumpDirection

ROOT = Path(__file__).resolve().parent.parent
CHRONAM = ROOT / "corpus" / "en" / "chronam-1916"
OUT = JumpDirection.OUT
IN = JumpDirection.IN

# (block text, direction, page)
Case = tuple[str, JumpDirection, int | None]

CHINESE: list[Case] = [
    ("（下转第2版）", OUT, 2),
    ("(上接第1版)", IN, 1),
    ("转第4版", OUT, 4),
    ("紧接第一版", IN, 1),
    ("上接A1版", IN, 1),
    ("下转第四版", OUT, 4),
    ("(下转第二版)", OUT, 2),
    ("接第3版", IN, 3),
    ("转A3版", OUT, 3),
    ("（下转第２版）", OUT, 2),
    ("（ 下转 第 12 版 ）", OUT, 12),
    ("（上接第十二版）", IN, 12),
    ("（下转笫3版）", OUT, 3),
    ("（续第一版）", IN, 1),
]

ENGLISH: list[Case] = [
    ("Continued on Page 6", OUT, 6),
    ("(Continued from First Page.)", IN, 1),
    ("See STRIKE, Page A6", OUT, 6),
    ("Continued on Page 2, Column 3", OUT, 2),
    ("Continued from page 1", IN, 1),
    ("(Continued on Page Two.)", OUT, 2),
    ("CONTINUED ON PAGE FIVE", OUT, 5),
    ("Continued on pago 5", OUT, 5),
    ("Contiuued on Page 3", OUT, 3),
    ("(Continued on page' two)", OUT, 2),
    ("Continued on Pago 7", OUT, 7),
    ("Cont'd on page 4", OUT, 4),
    ("Continued on Page 2.", OUT, 2),  # "Continued on" / "Page" / "2." once lines are joined
    ("From Page One", IN, 1),
    ("FROM FIRST PAGE", IN, 1),
    ("(Continued on Twelfth Page.)", OUT, 12),
    ("(Continued on Page Two, Column Four.)", OUT, 2),
    ("[Continued on Page 12.]", OUT, 12),
    ("(Contlnued on Page Two.)", OUT, 2),
    ("(Con tinned on- Page-11.)", OUT, 11),
    ("(Continued on I'age Two )", OUT, 2),
    ("(Continued on Page Bight.)", OUT, 8),
    ("(Continued ou Fago Nino.)", OUT, 9),
    ("Contd. on Page 3", OUT, 3),
    ("(Continued on Page 6A)", OUT, 6),
    ("Turn to Page 5", OUT, 5),
    ("(Continued From Page One.)", IN, 1),
    ("(Continued on fan six.)", OUT, 6),
    ("Continued on Tour Seven, Column Two", OUT, 7),
    ("jCoNTINI'KI) N PAG R THRRR.J", OUT, None),
    ("Continued on Next Page", OUT, None),
]

GERMAN: list[Case] = [
    ("(Schluß auf Seite 8)", OUT, 8),
    ("(Schluss auf Seite 8)", OUT, 8),
    ("(Schluß von Seite 1)", IN, 1),
    ("Fortsetzung Seite 16", OUT, 16),
    ("Fortsetzung von Seite 1", IN, 1),
    ("(Fortsetzung auf Seite 3.)", OUT, 3),
    ("(Fortsetzung auf Seile 3)", OUT, 3),
]

FRENCH: list[Case] = [
    ("(Suite page 3)", OUT, 3),
    ("(Voir la suite en 2e page)", OUT, 2),
    ("(Suite de la première page)", IN, 1),
    ("Suite de la page 1", IN, 1),
    ("(Suite en page 4)", OUT, 4),
    ("(Lire la suite en troisième page)", OUT, 3),
    ("(Suite de la 1re page)", IN, 1),
    ("(Suite en seconde page)", OUT, 2),
    ("(Snite page 5)", OUT, 5),
]

SERIALS = ["(Fortsetzung folgt)", "(To be continued)", "(À suivre)", "（待续）", "（未完待续）"]

#: Prose and headlines that contain the keywords but are no jump line.
NEGATIVES = [
    "The hearing was continued on Tuesday.",
    "The page was continued by the editor.",
    "He continued on page 4 of his notes, then stopped and went home to rest for the evening.",
    "as mentioned on page 4.",
    "The letter contained on page 2 a list of the dead.",
    'he continued, "we will win."',
    "CONTINUE ON RACE WAR IN EARLY COUNTY",
    "Negotiations to Be Continued;",
    "Heavy Fighting Still Continues on the Southern Front",
    "(See advertisement on page 5)",
    "(Full Report on Page Two.)",
    "(Picture on page 5)",
    "See editorial page.",
    "from page one of the report he read aloud",
    "Seite an Seite kämpften sie.",
    "Die Fortsetzung der Verhandlungen wurde beschlossen.",
    "La suite des événements est connue.",
    "Suite à la réunion du conseil municipal.",
    "他转变了思路，迎接第一版的发行。",
    "这次运转3版的结果良好",
    "接着他说",
    "EIGHT PAGES",
    "",
]


def _one(text: str) -> None:
    markers = find_markers(text)
    assert len(markers) == 1, (text, markers)
    marker = markers[0]
    assert text[marker.start : marker.end] == marker.text


@pytest.mark.parametrize(("text", "direction", "page"), CHINESE + ENGLISH + GERMAN + FRENCH)
def test_marker_forms(text: str, direction: JumpDirection, page: int | None) -> None:
    _one(text)
    marker = is_marker_block(text)
    assert marker is not None, text
    assert (marker.direction, marker.page) == (direction, page)


@pytest.mark.parametrize("text", NEGATIVES)
def test_prose_does_not_fire(text: str) -> None:
    assert find_markers(text) == ()
    assert is_marker_block(text) is None


@pytest.mark.parametrize("text", SERIALS)
def test_serial_markers(text: str) -> None:
    marker = is_marker_block(text)
    assert marker is not None
    assert marker.direction is OUT and marker.page is None and marker.keyword == SERIAL and is_serial(marker)


def test_marker_at_block_edges_only() -> None:
    body = "The president said the note would be answered within the week, and that the cabinet"
    out = find_markers(body + " (Continued on Page 6)")
    assert [(m.direction, m.page, m.text) for m in out] == [(OUT, 6, "(Continued on Page 6)")]
    inn = find_markers("(Continued from Page 1) " + body)
    assert [(m.direction, m.page, m.start) for m in inn] == [(IN, 1, 0)]
    both = find_markers("(Continued from Page 1) " + body + " (Continued on Page 9.)")
    assert [(m.direction, m.page) for m in both] == [(IN, 1), (OUT, 9)]
    middle = body + " (Continued on Page 6) " + body
    assert find_markers(middle) == ()
    # A marker is not the whole block when prose surrounds it.
    assert is_marker_block(body + " (Continued on Page 6)") is None
    zh = "会议强调，要把各项工作落到实处。（下转第2版）"
    assert [(m.direction, m.page, m.text) for m in find_markers(zh)] == [(OUT, 2, "（下转第2版）")]
    assert find_markers("（上接第1版）本报讯 会议强调")[0].start == 0
    assert find_markers("会议强调（下转第2版），要把各项工作落到实处。") == ()


def test_long_block_edges() -> None:
    long_body = "The committee met again today and the discussion went on for hours. " * 20
    markers = find_markers(long_body + "(Continued on Page Two.)")
    assert len(markers) == 1 and markers[0].page == 2
    assert markers[0].end == len(long_body) + len("(Continued on Page Two.)")
    assert find_markers("(Continued from Page 1.) " + long_body)[0].direction is IN


def test_ocr_specks_around_marker() -> None:
    assert is_marker_block("V y (Continued on page three) . ;") is not None
    assert is_marker_block("i Continued on page two) :").page == 2  # type: ignore[union-attr]
    assert is_marker_block("!. CONTINUED ON PAGE EIGHT").page == 8  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("token", "expected"),
    [
        ("2", 2), ("２", 2), ("12.", 12), ("一", 1), ("十", 10), ("十二", 12), ("二十", 20), ("九十九", 99),
        ("〇", 0), ("两", 2), ("一〇", 10), ("第2版", 2), ("第十二版", 12), ("Two", 2), ("two.)", 2),
        ("page' two", 2), ("Pago 5", 5), ("FIVE", 5), ("First", 1), ("second", 2), ("Twelfth", 12),
        ("twenty-one", 21), ("2nd", 2), ("3d", 3), ("2e", 2), ("2ème", 2), ("seconde", 2), ("première", 1),
        ("1re", 1), ("A1", 1), ("A-6", 6), ("6A", 6), ("Ａ３", 3), ("zwei", 2), ("Seite 8", 8),
        ("B", None), ("", None), ("Bight", None), ("the", None), ("»", None),
    ],
)
def test_page_number(token: str, expected: int | None) -> None:
    assert page_number(token) == expected


@pytest.mark.parametrize(
    ("token", "expected"),
    [("Bight", 8), ("Nino", 9), ("Bix", 6), ("Vive", 5), ("Twu.", 2), ("2J", 2), ("Tan", 10), ("the", None)],
)
def test_page_number_fuzzy(token: str, expected: int | None) -> None:
    assert page_number(token, fuzzy=True) == expected


def test_sections() -> None:
    assert page_section("A6") == "A"
    assert page_section("6A") == "A"
    assert page_section("6") is None
    see = is_marker_block("See STRIKE, Page A6")
    assert see is not None and marker_section(see) == "A"
    cn = is_marker_block("上接A1版")
    assert cn is not None and marker_section(cn) == "A"
    plain = is_marker_block("(Continued on Page 6)")
    assert plain is not None and marker_section(plain) is None


def test_lines_split_marker() -> None:
    lines = ["Members of local unions should pay", "Continued on", "Page", "2.", "An funiiKiTtv hut"]
    found = find_markers_in_lines(lines)
    assert len(found) == 1
    first, last, marker = found[0]
    assert (first, last) == (1, 3)  # 0-based, inclusive
    assert (marker.direction, marker.page) == (OUT, 2)
    window = join_lines(lines[first : last + 1])
    assert window[marker.start : marker.end] == marker.text == "Continued on Page 2."


def test_lines_interleaved_columns() -> None:
    lines = [
        "of stock early in the evening and in the western section of Early coun",
        "(Continued on Page Three) My today in a renewal of yesterday's",
        "tion. (Continued on Page Three I",
        "(CONTINUED ON PAGE EIGHT) and its subsidiaries.",
        "the page was continued on the",
        "next day by the clerk.",
    ]
    found = [(first, last, m.page) for first, last, m in find_markers_in_lines(lines)]
    assert found == [(1, 1, 3), (2, 2, 3), (3, 3, 8)]


def test_lines_chinese_join_without_space() -> None:
    lines = ["会议强调，要把各项工作落到实处。（下转", "第2版）"]
    found = find_markers_in_lines(lines)
    assert len(found) == 1
    first, last, marker = found[0]
    assert (first, last, marker.page, marker.text) == (0, 1, 2, "（下转第2版）")


def _load_benchmark() -> ModuleType:
    path = ROOT / "benchmarks" / "markers_en.py"
    spec = importlib.util.spec_from_file_location("markers_en_benchmark", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module
    spec.loader.exec_module(module)
    return module


def test_sample_pages_precision_recall() -> None:
    bench = _load_benchmark()
    score = bench.evaluate(CHRONAM / "sample", CHRONAM / "labels.json")
    assert score.pages == 3
    assert score.tp + score.fn >= 20
    assert score.precision >= 0.95, score.false_alarms
    assert score.recall >= 0.95, score.misses


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("Continued onPage from()[]（）下转第上接版2一 .,'\nSeitSchluß")),
               max_size=80))
def test_offsets_are_consistent(text: str) -> None:
    for marker in find_markers(text):
        assert 0 <= marker.start < marker.end <= len(text)
        assert text[marker.start : marker.end] == marker.text
    for first, last, marker in find_markers_in_lines(text.split("\n")):
        window = join_lines(text.split("\n")[first : last + 1])
        assert window[marker.start : marker.end] == marker.text


def test_latin_letter_prefilter_covers_every_character_a_latin_scanner_can_read() -> None:
    """_scan skips the English/German/French scanners on text without any of these characters; that is
    exact only if every character that lower-cases to an ASCII letter (what the fuzzy keyword matching
    reads) or matches one under re.IGNORECASE (what the German/French regexes use) is in the set."""
    import re
    import sys

    from reassemble.markers import _LATIN_LETTER_RE

    ascii_letter = re.compile("[a-z]", re.IGNORECASE)
    missing = [
        hex(cp)
        for cp in range(sys.maxunicode + 1)
        if not 0xD800 <= cp <= 0xDFFF
        and (ascii_letter.fullmatch(chr(cp)) or any("a" <= x <= "z" for x in chr(cp).lower()))
        and not _LATIN_LETTER_RE.fullmatch(chr(cp))
    ]
    assert missing == []


_PIECES = [
    *"中下转第上接版（）()《》 ,.;:0123456789２一İıſK",
    *("Continued", " on ", "Page ", " from ", "Seite ", "Schluß", "ſchluß ", "Suite ", "Two"),
]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=20).map("".join))
def test_scan_with_prefilter_equals_all_scanners(text: str) -> None:
    from reassemble import markers

    cands = (
        markers._scan_english(text)
        + markers._scan_german(text)
        + markers._scan_french(text)
        + markers._scan_chinese(text)
    )
    cands.sort(key=lambda c: (-c.score, -(c.end - c.start), c.start))
    chosen: list[markers._Cand] = []
    for c in cands:
        if all(c.end <= o.start or c.start >= o.end for o in chosen):
            chosen.append(c)
    assert sorted(chosen, key=lambda c: c.start) == markers._scan(text)
