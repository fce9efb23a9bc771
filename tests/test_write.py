"""Tests for the output stage (reassemble.write): schema validity, determinism, safe names, atomic writes."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from reassemble import write
from reassemble.errors import OutputError, ValidationError
from reassemble.model import Article, Block, Edition, Join, Page, Paragraph, Role

NAR = "{http://iptc.org/std/nar/2006-10-01/}"
NITF = "{http://iptc.org/std/NITF/2006-10-18/}"
RA = "{" + write.RA_NS + "}"


def _block(page: int, key: int, text: str) -> Block:
    return Block(id=f"p{page}:{key}", page=page, index=key, text=text)


def _edition() -> Edition:
    """Two pages, three articles: a Chinese story jumping from page 1 to 2, a photo, a headless fragment."""
    page1 = Page(
        number=1,
        source="page1.txt",
        blocks=(
            _block(1, 0, "民生·出行"),
            _block(1, 1, "城市轨道交通新线路今日开通"),
            _block(1, 2, "全长32公里，设站18座"),
            _block(1, 3, "本报记者 张明"),
            _block(1, 4, "本报北京3月4日电 全长32公里的地铁新线路将于"),
            _block(1, 5, "5日正式开通运营。新线路沿线共设车站18座，"),
            _block(1, 6, "（下转第2版）"),
            _block(1, 7, "市民在新线站台候车。"),
            _block(1, 8, "本报记者 李华 摄"),
        ),
    )
    page2 = Page(
        number=2,
        source="page2.txt",
        blocks=(
            _block(2, 0, "（上接第1版）"),
            _block(2, 1, "其中换乘站6座。据运营方介绍，高峰时段最小发车间隔为2分30秒。"),
            _block(2, 2, "the council said on Tuesday that the new rules would apply from May,"),
            _block(2, 3, "(Continued on page 3)"),
            _block(2, 4, "广告"),
        ),
    )
    story = Article(
        id="p1-a01",
        kind="article",
        blocks=("p1:0", "p1:1", "p1:2", "p1:3", "p1:4", "p1:5", "p1:6", "p2:0", "p2:1"),
        roles={
            "p1:0": Role.KICKER,
            "p1:1": Role.HEADLINE,
            "p1:2": Role.SUBHEADLINE,
            "p1:3": Role.BYLINE,
            "p1:6": Role.JUMP_TO,
            "p2:0": Role.JUMP_FROM,
        },
        paragraphs=(
            Paragraph(
                text="全长32公里的地铁新线路将于5日正式开通运营。新线路沿线共设车站18座，其中换乘站6座。",
                blocks=("p1:4", "p1:5", "p2:1"),
                pages=(1, 2),
            ),
            Paragraph(text="据运营方介绍，高峰时段最小发车间隔为2分30秒。", blocks=("p2:1",), pages=(2,)),
        ),
        kicker="民生·出行",
        headline="城市轨道交通新线路今日开通",
        subheadline="全长32公里，设站18座",
        byline=("本报记者 张明",),
        dateline="本报北京3月4日电",
        summary="地铁新线路5日开通。",
        joins=(
            Join(a="p1:4", b="p1:5", score=0.93, features={"cjk_continuity": 1.0, "gap": 0.2}),
            Join(a="p1:5", b="p2:1", score=0.712, features={"jump_marker": 1.0}, cross_page=True),
            Join(a="p1:5", b="p2:2", score=0.1, features={"jump_marker": 0.0}, accepted=False),
        ),
        starts_complete=True,
        ends_complete=True,
        pages=(1, 2),
        lang="zh",
        confidence=0.712,
        markers=("（下转第2版）", "（上接第1版）"),
        notes=("jump 1->2 resolved by marker",),
    )
    photo = Article(
        id="p1-a02",
        kind="photo",
        blocks=("p1:7", "p1:8"),
        roles={"p1:7": Role.CAPTION, "p1:8": Role.CREDIT},
        paragraphs=(Paragraph(text="市民在新线站台候车。", blocks=("p1:7",), pages=(1,)),),
        byline=("本报记者 李华 摄",),
        pages=(1,),
    )
    fragment = Article(
        id="p2-a01",
        kind="article",
        blocks=("p2:2", "p2:3"),
        roles={"p2:3": Role.JUMP_TO},
        paragraphs=(
            Paragraph(
                text="the council said on Tuesday that the new rules would apply from May,",
                blocks=("p2:2",),
                pages=(2,),
            ),
        ),
        starts_complete=False,
        ends_complete=False,
        continues_to=3,
        pages=(2,),
        lang="en",
        confidence=0.4,
    )
    return Edition(
        pages=(page1, page2),
        articles=(story, photo, fragment),
        unassigned=("p2:4",),
        lang="zh",
        paper="示例日报",
        problems=("page 2: block p2:4 looks like an advertisement",),
    )


def _all_xml(edition: Edition) -> dict[str, bytes]:
    docs = {a.id: write.newsitem_xml(a, edition) for a in edition.articles}
    for page in edition.page_numbers:
        docs[f"page-{page}"] = write.page_package_xml(edition, page)
    docs["edition"] = write.edition_package_xml(edition)
    return docs


def _ext_props(doc: etree._Element, rel: str) -> list[etree._Element]:
    return [e for e in doc.iter(f"{NAR}contentMetaExtProperty") if e.get("rel") == rel]


# ------------------------------------------------------------------------------------------ XML


def test_every_document_validates() -> None:
    for name, data in _all_xml(_edition()).items():
        assert write.validate_bytes(data) == [], name


def test_output_is_byte_identical_and_clock_free() -> None:
    first = _all_xml(_edition())
    second = _all_xml(_edition())
    assert first == second
    assert b"<versionCreated>1970-01-01T00:00:00+00:00</versionCreated>" in first["p1-a01"]


def test_documents_are_laid_out_as_lxml_prints_them() -> None:
    """The writer builds the text itself; it must be what lxml's pretty printer makes of the same tree
    (escapes included), so that output stays byte-identical to what earlier versions wrote."""
    edition = _edition()
    special = Article(
        id="p1-a08",
        kind="article",
        blocks=("p1:4", "p1:9"),
        roles={"p1:9": Role.SUBHEAD},
        paragraphs=(Paragraph(text="a & b < c > d \"e\" 'f'\tg\rh\u2028i\x85 ]]>", blocks=("p1:4",), pages=(1,)),),
        headline='Q&A: "<b>" & more',
        byline=("x & y",),
        joins=(Join(a='p1:4"&<', b="p1:5\t", score=0.5),),
        notes=("note\twith tab\nand newline & <tag>",),
    )
    parser = etree.XMLParser(remove_blank_text=True)
    docs = [*_all_xml(edition).values(), write.newsitem_xml(special, edition)]
    for data in docs:
        tree = etree.fromstring(data, parser)
        assert etree.tostring(tree, xml_declaration=True, encoding="UTF-8", pretty_print=True) == data


def test_strings_lxml_refuses_raise_as_before() -> None:
    edition = _edition()
    article = edition.articles[0]
    bad_role = Article(**{**{f: getattr(article, f) for f in article.__slots__}, "roles": {"p1:4": "r\x01"}})
    with pytest.raises(ValueError, match="XML compatible"):
        write.newsitem_xml(bad_role, edition)
    surrogate = Article(**{**{f: getattr(article, f) for f in article.__slots__}, "roles": {"p1:4": "r\ud800"}})
    with pytest.raises(UnicodeEncodeError):
        write.newsitem_xml(surrogate, edition)


def test_chinese_story_metadata() -> None:
    edition = _edition()
    doc = etree.fromstring(write.newsitem_xml(edition.articles[0], edition))
    assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-CN"
    assert doc.find(f"{NAR}contentMeta/{NAR}language").get("tag") == "zh-CN"
    assert doc.get("guid") == write.article_guid(edition.articles[0], edition)
    assert doc.get("guid").endswith(":p1-a01")

    headlines = {h.get("role"): h for h in doc.iter(f"{NAR}headline")}
    assert headlines["ex-hlrole:kicker"].text == "民生·出行"
    assert headlines["ex-hlrole:main"].text == "城市轨道交通新线路今日开通"
    assert headlines["ex-hlrole:main"].get("confidence") == "71"
    assert headlines["ex-hlrole:sub"].text == "全长32公里，设站18座"
    aliases = {s.get("alias") for s in doc.iter(f"{NAR}scheme")}
    assert {"ex-hlrole", "ex-rsm", "ex-prt"} <= aliases

    assert doc.find(f"{NAR}contentMeta/{NAR}by").text == "本报记者 张明"
    assert doc.find(f"{NAR}contentMeta/{NAR}dateline").text == "本报北京3月4日电"
    assert doc.find(f"{NAR}contentMeta/{NAR}description").get("role") == "drol:summary"

    assert [e.get("value") for e in _ext_props(doc, "ex-prt:page")] == ["1", "2"]
    assert _ext_props(doc, "ex-rsm:startsComplete")[0].get("value") == "true"
    assert _ext_props(doc, "ex-rsm:endsComplete")[0].get("value") == "true"
    assert _ext_props(doc, "ex-rsm:confidence")[0].get("value") == "0.712"
    joins = [
        (e.get(f"{RA}a"), e.get(f"{RA}b"), e.get("value"), e.get(f"{RA}crossPage"))
        for e in _ext_props(doc, "ex-rsm:join")
    ]
    assert joins == [("p1:4", "p1:5", "0.93", "false"), ("p1:5", "p2:1", "0.712", "true")]
    assert [e.get("value") for e in _ext_props(doc, "ex-rsm:rejectedJoin")] == ["0.1"]
    roles = {e.get("value"): e.get(f"{RA}role") for e in _ext_props(doc, "ex-rsm:block")}
    assert roles["p1:0"] == "kicker" and roles["p1:4"] == "body" and roles["p2:0"] == "jump_from"

    note = doc.find(f"{NAR}itemMeta/{NAR}edNote").text
    assert "Machine-reassembled" in note and "p1:5>p2:1 0.712" in note

    published = doc.find(f"{NAR}pubHistory/{NAR}published")
    assert [e.get("value") for e in published.iter(f"{NAR}publishedExtProperty")] == ["1", "2"]
    assert [e.get("position.sequence") for e in doc.iter(f"{NITF}pubdata")] == ["1", "2"]

    hedline = doc.find(f".//{NITF}hedline")
    assert hedline.find(f"{NITF}hl1").text == "城市轨道交通新线路今日开通"
    assert [(h.get("class"), h.text) for h in hedline.findall(f"{NITF}hl2")] == [
        ("kicker", "民生·出行"),
        ("subheadline", "全长32公里，设站18座"),
    ]
    assert doc.find(f".//{NITF}byline").text == "本报记者 张明"
    paras = doc.findall(f".//{NITF}body.content/{NITF}p")
    assert [p.get("id") for p in paras] == ["para-1", "para-2"]
    assert paras[0].get(f"{RA}blocks") == "p1:4 p1:5 p2:1"
    assert paras[0].get(f"{RA}pages") == "1 2"


def test_photo_keeps_caption_as_body_and_credit_as_byline() -> None:
    edition = _edition()
    doc = etree.fromstring(write.newsitem_xml(edition.articles[1], edition))
    assert [p.text for p in doc.iter(f"{NITF}p")] == ["市民在新线站台候车。"]
    assert doc.find(f".//{NITF}byline").text == "本报记者 李华 摄"
    assert doc.find(f"{NAR}contentMeta/{NAR}by").text == "本报记者 李华 摄"
    assert doc.find(f"{NAR}contentMeta/{NAR}creditline").text == "本报记者 李华 摄"
    assert _ext_props(doc, "ex-rsm:kind")[0].get("value") == "photo"


def test_photo_without_paragraphs_uses_caption_and_credit_blocks() -> None:
    edition = _edition()
    bare = Article(
        id="p1-a02",
        kind="photo",
        blocks=("p1:7", "p1:8"),
        roles={"p1:7": Role.CAPTION, "p1:8": Role.CREDIT},
        paragraphs=(),
    )
    data = write.newsitem_xml(bare, edition)
    assert write.validate_bytes(data) == []
    doc = etree.fromstring(data)
    assert [p.text for p in doc.iter(f"{NITF}p")] == ["市民在新线站台候车。"]
    assert doc.find(f".//{NITF}byline").text == "本报记者 李华 摄"


def test_article_without_headline_gets_flagged_placeholder() -> None:
    edition = _edition()
    data = write.newsitem_xml(edition.articles[2], edition)
    assert write.validate_bytes(data) == []
    doc = etree.fromstring(data)
    assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    hl1 = doc.find(f".//{NITF}hl1")
    assert hl1.get("class") == "placeholder"
    assert hl1.text.startswith("the council said on Tuesday")
    assert hl1.text.endswith("…")
    main = doc.find(f"{NAR}contentMeta/{NAR}headline")
    assert main.get("role") == "ex-hlrole:main ex-hlrole:placeholder"
    assert main.get("confidence") == "0"
    assert _ext_props(doc, "ex-rsm:headlinePlaceholder")[0].get("value") == "true"
    assert _ext_props(doc, "ex-rsm:continuesTo")[0].get("value") == "3"
    assert _ext_props(doc, "ex-rsm:startsComplete")[0].get("value") == "false"
    assert _ext_props(doc, "ex-rsm:endsComplete")[0].get("value") == "false"
    assert not _ext_props(doc, "ex-rsm:continuedFrom")
    assert any("placeholder" in (n.text or "") for n in doc.iter(f"{NAR}edNote"))


def test_empty_article_and_hostile_text_still_validate() -> None:
    edition = _edition()
    empty = Article(id="x/../ y", kind="article", blocks=(), roles={}, paragraphs=(), lang="zh_TW")
    hostile = Article(
        id="p1-a09",
        kind="article",
        blocks=("p1:4",),
        roles={},
        paragraphs=(Paragraph(text="bad\x00char\x0b here\ufffe", blocks=("p1:4",), pages=(1,)),),
        headline="tab\there\nnewline\x1f",
        byline=("a\x07b",),
        lang="not a language!",
        confidence=float("nan"),
        joins=(Join(a="p1:4", b="p1:5", score=float("inf")),),
    )
    for article in (empty, hostile):
        data = write.newsitem_xml(article, edition)
        assert write.validate_bytes(data) == [], article.id
    doc = etree.fromstring(write.newsitem_xml(hostile, edition))
    assert doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "und"
    assert doc.find(f".//{NITF}hl1").text == "tab here newline"
    assert doc.find(f".//{NITF}p").text == "badchar here"
    empty_doc = etree.fromstring(write.newsitem_xml(empty, edition))
    assert empty_doc.get("{http://www.w3.org/XML/1998/namespace}lang") == "zh-TW"
    assert ":" not in empty_doc.get("guid").rsplit(":", 1)[1]


def test_packages_list_articles_by_first_page_in_order() -> None:
    edition = _edition()
    guids = {a.id: write.article_guid(a, edition) for a in edition.articles}

    page1 = etree.fromstring(write.page_package_xml(edition, 1))
    assert page1.find(f"{NAR}itemMeta/{NAR}itemClass").get("qcode") == "ninat:composite"
    group = page1.find(f"{NAR}groupSet/{NAR}group")
    assert group.get("mode") == "pgrmod:seq"
    assert [r.get("residref") for r in page1.iter(f"{NAR}itemRef")] == [guids["p1-a01"], guids["p1-a02"]]
    page2 = etree.fromstring(write.page_package_xml(edition, 2))
    assert [r.get("residref") for r in page2.iter(f"{NAR}itemRef")] == [guids["p2-a01"]]

    whole = etree.fromstring(write.edition_package_xml(edition))
    assert [r.get("residref") for r in whole.iter(f"{NAR}itemRef")] == list(guids.values())
    assert [e.get("value") for e in _ext_props(whole, "ex-rsm:unassignedBlock")] == ["p2:4"]
    with pytest.raises(ValueError):
        write.page_package_xml(edition, 7)


def test_edition_date_is_used_when_present() -> None:
    class Dated:
        """Stand-in for an Edition that carries a date (the model may grow one)."""

        def __init__(self, edition: Edition) -> None:
            self._edition = edition
            self.date = "2025-03-05"

        def __getattr__(self, name: str) -> Any:
            return getattr(self._edition, name)

    edition = Dated(_edition())
    data = write.newsitem_xml(edition.articles[0], edition)  # type: ignore[arg-type]
    assert b"<versionCreated>2025-03-05T00:00:00+00:00</versionCreated>" in data
    assert b'date.publication="20250305"' in data
    assert write.validate_bytes(data) == []


# ------------------------------------------------------------------------------------------ validation


def test_validate_bytes_reports_instead_of_raising(tmp_path: Path) -> None:
    assert write.validate_bytes(b"<newsItem")[0].startswith("line 1: not well-formed XML")
    assert write.validate_bytes(b"") != []
    doctype = b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY e "x">]><a>&e;</a>'
    assert "DOCTYPE" in write.validate_bytes(doctype)[0]
    assert write.validate_bytes(b"<a/>") != []

    edition = _edition()
    good = tmp_path / "good.xml"
    good.write_bytes(write.newsitem_xml(edition.articles[0], edition))
    assert write.validate_file(good) == []
    broken = tmp_path / "broken.xml"
    broken.write_bytes(
        write.newsitem_xml(edition.articles[0], edition)
        .replace(b"<hl1>", b"<hl3>", 1)
        .replace(b"</hl1>", b"</hl3>", 1)
    )
    errors = write.validate_file(broken)
    assert errors and all(e.startswith(str(broken)) for e in errors)
    missing = write.validate_file(tmp_path / "nope.xml")
    assert len(missing) == 1 and "cannot read" in missing[0]


def test_load_schema_is_cached() -> None:
    assert write.load_schema() is write.load_schema()


# ------------------------------------------------------------------------------------------ file names


def test_safe_filename_edge_cases() -> None:
    taken: set[str] = set()
    for stem in ("../../etc/passwd", "..", ".", "/", "a\\b", "-rf", "CON", "nul", "p2:a03", "  "):
        name = write.safe_filename(stem, taken)
        assert name and ".." not in name and "/" not in name and "\\" not in name, stem
        assert not name.startswith((".", "-")), stem
        assert name.isascii(), stem
        assert name.upper() not in {"CON", "NUL"}, stem
    assert write.safe_filename("../../etc/passwd", set()) == "etc-passwd"
    assert write.safe_filename("", set()) == "article"
    assert write.safe_filename("p2-a03", set()) == "p2-a03"


def test_safe_filename_cjk_long_and_collisions() -> None:
    long_cjk = "城市轨道交通新线路今日开通" * 30
    name = write.safe_filename(long_cjk, set())
    assert name.isascii() and len(name.encode()) <= write.MAX_STEM
    assert name == write.safe_filename(long_cjk, set())  # deterministic
    assert name != write.safe_filename("另一个标题", set())  # distinct stems stay distinct

    long_ascii = "x" * 500
    assert len(write.safe_filename(long_ascii, set())) <= write.MAX_STEM
    assert write.safe_filename(long_ascii + "a", set()) != write.safe_filename(long_ascii + "b", set())

    taken = {"p2-a03", "P2-A03-2"}
    assert write.safe_filename("p2-a03", taken) == "p2-a03-3"
    full = "y" * write.MAX_STEM
    bumped = write.safe_filename(full, {full})
    assert bumped.endswith("-2") and len(bumped) <= write.MAX_STEM


# ------------------------------------------------------------------------------------------ writing


def test_write_edition_xml(tmp_path: Path) -> None:
    out = tmp_path / "out" / "nested"
    written = write.write_edition(_edition(), out)
    assert written == sorted(written)
    names = {p.name for p in written}
    assert names == {
        "p1-a01.xml",
        "p1-a02.xml",
        "p2-a01.xml",
        "page-1.package.xml",
        "page-2.package.xml",
        "edition.package.xml",
    }
    assert sorted(os.listdir(out)) == sorted(names)  # no temp files left
    for path in written:
        assert path.parent == out
        assert write.validate_file(path) == []
        assert oct(path.stat().st_mode & 0o777) == oct(0o644)


def test_write_edition_refuses_to_overwrite_without_force(tmp_path: Path) -> None:
    edition = _edition()
    write.write_edition(edition, tmp_path)
    (tmp_path / "p2-a01.xml").write_bytes(b"keep me")
    before = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    with pytest.raises(OutputError) as info:
        write.write_edition(edition, tmp_path)
    assert info.value.path is not None and info.value.path.endswith(".xml")
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == before

    written = write.write_edition(edition, tmp_path, force=True)
    assert (tmp_path / "p2-a01.xml").read_bytes() != b"keep me"
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in written)


def test_validation_failure_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    real = write.validate_bytes

    def fake(data: bytes) -> list[str]:
        if b"p2-a01" in data and b"<newsItem" in data:
            return ["line 1: simulated schema error"]
        return real(data)

    monkeypatch.setattr(write, "validate_bytes", fake)
    out = tmp_path / "out"
    with pytest.raises(ValidationError) as info:
        write.write_edition(_edition(), out)
    assert "p2-a01" in str(info.value)
    assert not out.exists()


def test_failed_write_leaves_no_temp_files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    real_replace = os.replace

    def flaky_replace(src: str, dst: os.PathLike[str]) -> None:
        calls["n"] += 1
        if calls["n"] == 3:
            raise OSError(28, "No space left on device")
        real_replace(src, dst)

    monkeypatch.setattr(write.os, "replace", flaky_replace)
    with pytest.raises(OutputError):
        write.write_edition(_edition(), tmp_path)
    assert not [n for n in os.listdir(tmp_path) if n.startswith(".") or n.endswith(".tmp")]


def test_failed_flush_writes_nothing(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    calls = {"n": 0}
    real_fsync = os.fsync

    def flaky_fsync(fd: int) -> None:
        calls["n"] += 1
        if calls["n"] == 2:
            raise OSError(5, "Input/output error")
        real_fsync(fd)

    monkeypatch.setattr(write.os, "fsync", flaky_fsync)
    out = tmp_path / "out"
    with pytest.raises(OutputError) as info:
        write.write_edition(_edition(), out)
    assert "Input/output error" in str(info.value)
    assert os.listdir(out) == []  # no temp file left behind, nothing renamed into place


def test_write_edition_rejects_bad_format_and_file_as_folder(tmp_path: Path) -> None:
    with pytest.raises(OutputError):
        write.write_edition(_edition(), tmp_path, fmt="html")
    blocker = tmp_path / "file"
    blocker.write_text("x")
    with pytest.raises(OutputError):
        write.write_edition(_edition(), blocker)


# ------------------------------------------------------------------------------------------ JSON


def test_json_round_trip(tmp_path: Path) -> None:
    edition = _edition()
    written = write.write_edition(edition, tmp_path, fmt="json")
    assert {p.name for p in written} == {"p1-a01.json", "p1-a02.json", "p2-a01.json", "edition.json"}
    assert sorted(os.listdir(tmp_path)) == sorted(p.name for p in written)

    story = json.loads((tmp_path / "p1-a01.json").read_text("utf-8"))
    assert story == write.article_json(edition.articles[0])
    assert story["headline"] == "城市轨道交通新线路今日开通"
    assert story["roles"]["p1:0"] == "kicker"
    assert story["joins"][1] == {
        "a": "p1:5",
        "accepted": True,
        "b": "p2:1",
        "cross_page": True,
        "features": {"jump_marker": 1.0},
        "score": 0.712,
    }
    assert story["joins"][2]["accepted"] is False
    assert story["paragraphs"][0]["blocks"] == ["p1:4", "p1:5", "p2:1"]
    assert story["paragraphs"][0]["pages"] == [1, 2]

    whole = json.loads((tmp_path / "edition.json").read_text("utf-8"))
    assert whole["format"] == "reassemble-edition-json/1"
    assert whole["unassigned"] == ["p2:4"]
    assert whole["problems"] == ["page 2: block p2:4 looks like an advertisement"]
    assert [a["id"] for a in whole["articles"]] == ["p1-a01", "p1-a02", "p2-a01"]
    assert whole["articles"][2]["continues_to"] == 3
    assert whole["pages"][1]["blocks"][4]["id"] == "p2:4"

    again = write.edition_json(edition)
    assert json.dumps(again, sort_keys=False) == json.dumps(write.edition_json(edition), sort_keys=False)
    assert list(again) == sorted(again)


def test_json_handles_non_finite_scores() -> None:
    article = Article(
        id="a",
        kind="article",
        blocks=(),
        roles={},
        paragraphs=(),
        confidence=float("nan"),
        joins=(Join(a="x", b="y", score=float("inf")),),
    )
    data = write.article_json(article)
    assert data["confidence"] is None and data["joins"][0]["score"] is None
    json.dumps(data, allow_nan=False)
