"""ALTO and METS reading: versions, hyphenation, page numbers, XML safety, and METS gold on the BnL issue."""

from __future__ import annotations

import time
from collections import Counter
from pathlib import Path

import pytest

from reassemble.errors import GoldError, InputError
from reassemble.evaluate import load_gold
from reassemble.read.alto import read_alto
from reassemble.read.mets import load_mets_gold, read_mets
from reassemble.read.pagename import page_number_from_name
from reassemble.read.safexml import has_dtd_marker, parse_xml

BNL = Path(__file__).resolve().parents[1] / "corpus" / "alto" / "bnl-1858"
BNL_ISSUE = BNL / "2385348_newspaper_luxzeit1858_1858-12-07_01"
BNL_METS = BNL_ISSUE / "2385348_newspaper_luxzeit1858_1858-12-07_01-mets.xml"

NAMESPACES = {
    "v2": "http://www.loc.gov/standards/alto/ns-v2#",
    "v3": "http://www.loc.gov/standards/alto/ns-v3#",
    "v4": "http://www.loc.gov/standards/alto/ns-v4#",
    "none": "",
}


def alto_doc(body: str, ns: str = NAMESPACES["v3"], page_attrs: str = 'WIDTH="2000" HEIGHT="3000"') -> bytes:
    """A minimal ALTO document around ``body`` (the PrintSpace content)."""
    xmlns = f' xmlns="{ns}"' if ns else ""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<alto{xmlns}>
  <Description><MeasurementUnit>mm10</MeasurementUnit></Description>
  <Styles>
    <TextStyle ID="TXT_0" FONTSIZE="18" FONTFAMILY="Arial"/>
    <TextStyle ID="TXT_1" FONTSIZE="9"/>
    <ParagraphStyle ID="PAR_LEFT" ALIGN="Left"/>
  </Styles>
  <Layout>
    <Page ID="P1" {page_attrs}>
      <PrintSpace ID="PS1" HPOS="0" VPOS="0" WIDTH="2000" HEIGHT="3000">
{body}
      </PrintSpace>
    </Page>
  </Layout>
</alto>""".encode()


SIMPLE = """
<TextBlock ID="TB1" HPOS="100" VPOS="200" WIDTH="300" HEIGHT="50" STYLEREFS="PAR_LEFT TXT_0">
  <TextLine ID="TL1">
    <String ID="S1" CONTENT="Revue" WC="0.9"/><SP/><String ID="S2" CONTENT="politique." WC="0.7"/>
  </TextLine>
</TextBlock>
<ComposedBlock ID="CB1" TYPE="Table">
  <TextBlock ID="TB2" HPOS="100" VPOS="300" WIDTH="300.5" HEIGHT="100">
    <TextLine><String CONTENT="Les" STYLEREFS="TXT_1"/><String CONTENT="bruits" STYLEREFS="TXT_1"/></TextLine>
    <TextLine><String CONTENT="de"/><SP/><String CONTENT="guerre"/></TextLine>
  </TextBlock>
</ComposedBlock>
<ComposedBlock ID="CB2" TYPE="Illustration"><GraphicalElement ID="G1" HPOS="1" VPOS="1" WIDTH="5" HEIGHT="5"/>
</ComposedBlock>
<Illustration ID="IL1" HPOS="0" VPOS="0" WIDTH="10" HEIGHT="10">
  <TextBlock ID="TB3"><TextLine><String CONTENT="Caption"/></TextLine></TextBlock>
</Illustration>
<TextBlock ID="TB_EMPTY"><TextLine/></TextBlock>
"""


def write(tmp_path: Path, name: str, data: bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(data)
    return path


# --------------------------------------------------------------------------------------------------------
# ALTO versions and block fields


@pytest.mark.parametrize("version", sorted(NAMESPACES))
def test_alto_versions_read_the_same(tmp_path: Path, version: str) -> None:
    path = write(tmp_path, "page-02.xml", alto_doc(SIMPLE, NAMESPACES[version]))
    page = read_alto(path)
    assert page.number == 2
    assert page.input_format == "alto"
    assert (page.width, page.height) == (2000.0, 3000.0)
    assert [b.id for b in page.blocks] == ["p2:TB1", "p2:TB2", "p2:TB3"]  # empty TB_EMPTY skipped
    assert [b.index for b in page.blocks] == [0, 1, 2]
    first, second, third = page.blocks
    assert first.text == "Revue politique."
    assert first.lines == ("Revue politique.",)
    assert first.bbox is not None and (first.bbox.x0, first.bbox.top, first.bbox.x1, first.bbox.bottom) == (
        100.0,
        200.0,
        400.0,
        250.0,
    )
    assert first.font_size == 18.0  # from STYLEREFS, skipping the ParagraphStyle
    assert first.confidence == pytest.approx(0.8)
    assert first.source == str(path)
    # Strings without SP between them are still separate words; lines joined with a space.
    assert second.lines == ("Les bruits", "de guerre")
    assert second.text == "Les bruits de guerre"
    assert second.font_size == 9.0  # no block style: the style most of its characters use
    assert second.confidence is None
    assert second.bbox is not None and second.bbox.x1 == pytest.approx(400.5)
    assert third.text == "Caption" and third.bbox is None  # nested in an Illustration: kept


def test_not_alto_root_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "page-1.xml", b"<html><body>x</body></html>")
    with pytest.raises(InputError, match="not an ALTO file"):
        read_alto(path)


def test_duplicate_textblock_ids_are_refused(tmp_path: Path) -> None:
    body = '<TextBlock ID="A"><TextLine><String CONTENT="x"/></TextLine></TextBlock>' * 2
    with pytest.raises(InputError, match="two TextBlocks have the ID 'A'"):
        read_alto(write(tmp_path, "page-1.xml", alto_doc(body)))


# --------------------------------------------------------------------------------------------------------
# Hyphenation


HYPHENATED = """
<TextBlock ID="TB1">
  <TextLine>
    <String CONTENT="ist" WC="1"/><SP/>
    <String CONTENT="die" SUBS_TYPE="HypPart1" SUBS_CONTENT="dieselbe" WC="0.5"/><HYP CONTENT="-"/>
  </TextLine>
  <TextLine>
    <String CONTENT="selbe" SUBS_TYPE="HypPart2" SUBS_CONTENT="dieselbe" WC="0.5"/><SP/>
    <String CONTENT="Nord" SUBS_TYPE="HypPart1" SUBS_CONTENT="Nord-Amerika"/><HYP CONTENT="-"/>
  </TextLine>
  <TextLine>
    <String CONTENT="Amerika" SUBS_TYPE="HypPart2" SUBS_CONTENT="Nord-Amerika"/><SP/>
    <String CONTENT="l'ar" SUBS_TYPE="HypPart1" SUBS_CONTENT="l'article"/><HYP CONTENT="-"/>
  </TextLine>
</TextBlock>
<TextBlock ID="TB2">
  <TextLine>
    <String CONTENT="ticle" SUBS_TYPE="HypPart2" SUBS_CONTENT="l'article"/><SP/><String CONTENT="de"/>
    <String CONTENT="Ver"/><HYP CONTENT="-"/>
  </TextLine>
  <TextLine><String CONTENT="sailles"/></TextLine>
</TextBlock>
"""


def test_hyphenated_word_counted_once(tmp_path: Path) -> None:
    page = read_alto(write(tmp_path, "page-1.xml", alto_doc(HYPHENATED, NAMESPACES["v2"])))
    first, second = page.blocks
    assert first.text.count("dieselbe") == 1
    assert "selbe" not in first.text.replace("dieselbe", "")
    assert first.lines == ("ist dieselbe", "Nord-Amerika", "l'ar")
    assert first.text == "ist dieselbe Nord-Amerika l'ar"
    # The parts of a word broken across blocks stay in their blocks, hyphen removed, nothing duplicated.
    assert second.lines[0] == "ticle de Ver-"  # a bare HYP is kept as printed for the cleaner to judge
    assert second.text == "ticle de Ver-sailles"  # joined; the cleaner decides about the hyphen
    assert "article" not in first.text and "article" not in second.text
    assert first.confidence == pytest.approx(2 / 3)


def test_bnl_hyphenation_words_once() -> None:
    page = read_alto(BNL_ISSUE / "text" / "1858-12-07_01-00002.xml")
    text = " ".join(b.text for b in page.blocks)
    assert text.count("wiederum") == 1
    assert " derum " not in text
    assert text.count("erlaubt") >= 1 and " laubt " not in text


# --------------------------------------------------------------------------------------------------------
# Page numbers


@pytest.mark.parametrize(
    ("name", "number"),
    [
        ("1858-12-07_01-00002.xml", 2),
        ("sn83030214_1916-01-01_ed-1_seq-2_ocr.xml", 2),
        ("page-02.xml", 2),
        ("p3.xml", 3),
        ("0004.xml", 4),
        ("1858-12-07.xml", None),
        ("newspaper.xml", None),
    ],
)
def test_page_number_from_archive_names(name: str, number: int | None) -> None:
    assert page_number_from_name(name) == number


def test_page_number_order(tmp_path: Path) -> None:
    doc = alto_doc(SIMPLE, page_attrs='WIDTH="1" HEIGHT="1" PHYSICAL_IMG_NR="7"')
    assert read_alto(write(tmp_path, "scan.xml", doc)).number == 7
    assert read_alto(write(tmp_path, "page-05.xml", doc)).number == 5
    assert read_alto(write(tmp_path, "page-05.xml", doc), page=9).blocks[0].id == "p9:TB1"
    printed = alto_doc(SIMPLE, page_attrs='PRINTED_IMG_NR="3" PHYSICAL_IMG_NR="7"')
    assert read_alto(write(tmp_path, "scan.xml", printed)).number == 3
    assert read_alto(write(tmp_path, "scan.xml", alto_doc(SIMPLE, page_attrs=""))).number == 1


# --------------------------------------------------------------------------------------------------------
# XML safety


BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
]>
<alto><Layout><Page><PrintSpace><TextBlock ID="T"><TextLine><String CONTENT="&lol4;"/></TextLine>
</TextBlock></PrintSpace></Page></Layout></alto>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE alto [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>
<alto><Layout><Page><PrintSpace><TextBlock ID="T"><TextLine><String CONTENT="&xxe;"/>
<String CONTENT="ok"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>"""

PLAIN_DOCTYPE = b"""<?xml version="1.0"?>
<!-- a comment first -->
<!DOCTYPE alto SYSTEM "http://example.invalid/alto.dtd">
<alto/>"""


@pytest.mark.parametrize("data", [BILLION_LAUGHS, EXTERNAL_ENTITY, PLAIN_DOCTYPE], ids=["bomb", "xxe", "dtd"])
def test_doctype_and_entities_refused(tmp_path: Path, data: bytes) -> None:
    path = write(tmp_path, "page-1.xml", data)
    with pytest.raises(InputError) as info:
        read_alto(path)
    message = str(info.value)
    assert str(path) in message
    assert "DOCTYPE or entity declarations is refused" in message
    assert "root:" not in message  # nothing of /etc/passwd


def test_external_entity_never_fetched_even_past_the_prolog_scan() -> None:
    """The byte scan is the first line; the parser itself neither loads nor expands the entity."""
    assert has_dtd_marker(EXTERNAL_ENTITY)
    dtd = b'<!DOCTYPE a [ <!ENTITY xxe SYSTEM "file:///etc/passwd"> ]>\n<a>&xxe;</a>'
    padded = b"<?xml version='1.0'?>\n<!--" + b"x" * 70000 + b"-->\n" + dtd
    assert not has_dtd_marker(padded)  # the DOCTYPE is beyond the scanned prolog...
    with pytest.raises(InputError, match="refused") as info:
        parse_xml(padded, "padded.xml")  # ...and is still refused after parsing
    assert "root:" not in str(info.value)


def test_utf16_doctype_refused() -> None:
    data = EXTERNAL_ENTITY.replace(b'<?xml version="1.0"?>', b'<?xml version="1.0" encoding="UTF-16"?>')
    with pytest.raises(InputError, match="refused"):
        parse_xml(data.decode().encode("utf-16"), "u16.xml")


def test_doctype_words_in_text_are_not_declarations() -> None:
    root = parse_xml(b"<alto><x><![CDATA[<!DOCTYPE html> <!ENTITY a 'b'>]]></x></alto>", "cdata.xml")
    assert root.tag == "alto"


def test_malformed_xml_names_file_and_line(tmp_path: Path) -> None:
    path = write(tmp_path, "page-3.xml", b'<?xml version="1.0"?>\n<alto>\n<Layout>\n</alto>\n')
    with pytest.raises(InputError) as info:
        read_alto(path)
    assert str(path) in str(info.value)
    assert "malformed XML at line 4" in str(info.value)
    assert info.value.exit_code == 2


def test_empty_and_missing_files(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="empty XML"):
        read_alto(write(tmp_path, "page-1.xml", b"  \n"))
    with pytest.raises(InputError, match="cannot read"):
        read_alto(tmp_path / "missing.xml")


# --------------------------------------------------------------------------------------------------------
# The BnL issue: METS + ALTO


def test_bnl_pages_parse_fast() -> None:
    files = sorted((BNL_ISSUE / "text").glob("*.xml"))
    start = time.perf_counter()
    pages = [read_alto(f) for f in files]
    elapsed = time.perf_counter() - start
    assert [p.number for p in pages] == [1, 2, 3, 4]
    assert [len(p.blocks) for p in pages] == [23, 16, 18, 6]
    assert elapsed < 2.0  # about 10 ms a page on a laptop; generous for CI
    assert all(p.width == 2590.0 and p.height == 4050.0 for p in pages)


def test_read_mets_lists_four_pages_in_order() -> None:
    pages, meta = read_mets(BNL_METS)
    assert [n for n, _ in pages] == [1, 2, 3, 4]
    assert [p.name for _, p in pages] == [f"1858-12-07_01-0000{i}.xml" for i in range(1, 5)]
    assert all(p.is_file() for _, p in pages)
    assert meta["paper"] == "Luxemburger Zeitung – Journal de Luxembourg"
    assert meta["date"] == "1858-12-07"
    assert meta["file_pages"]["ALTO00003"] == 3


def test_mets_gold_covers_every_textblock_once() -> None:
    gold = load_mets_gold(BNL_METS)
    all_blocks = [b.id for _, p in read_mets(BNL_METS)[0] for b in read_alto(p).blocks]
    gold_blocks = [b for a in gold.articles for b in a.blocks]
    assert len(all_blocks) == 63
    assert Counter(gold_blocks) == Counter(all_blocks)  # each exactly once
    assert [p.number for p in gold.pages] == [1, 2, 3, 4]
    assert all(p.format == "alto" for p in gold.pages)
    by_id = {a.id: a for a in gold.articles}
    revue = by_id["DTL48"]
    assert revue.kind == "article" and revue.headline == "Revue politique."
    assert revue.roles == {"p1:P1_TB00009": "headline"}
    # a PARAGRAPH div over three blocks: two joins, one body paragraph
    assert revue.joins == (("p1:P1_TB00012", "p1:P1_TB00013"), ("p1:P1_TB00013", "p1:P1_TB00014"))
    assert len(revue.body) == 3
    feuilleton = by_id["DTL40"]
    assert feuilleton.kicker == "FEUILLETON." and feuilleton.headline == "Suez et Marseille."
    assert feuilleton.byline == ("Barthélémy",)
    assert {a.kind for a in gold.articles} == {"article", "advert", "furniture"}
    assert sum(a.kind == "advert" for a in gold.articles) == 5  # ComposedBlock areas resolved
    assert by_id["DTL31"].kind == "furniture"  # the masthead
    # the evaluation module reads METS gold through the same loader
    assert load_gold(BNL_METS) == gold


# --------------------------------------------------------------------------------------------------------
# METS edge cases on a tiny issue


TINY_ALTO = """
<TextBlock ID="T1"><TextLine><String CONTENT="Headline"/></TextLine></TextBlock>
<TextBlock ID="T2"><TextLine><String CONTENT="Body"/><String CONTENT="one"/></TextLine></TextBlock>
<ComposedBlock ID="C1"><TextBlock ID="T3"><TextLine><String CONTENT="Ad"/></TextLine></TextBlock>
</ComposedBlock>
<TextBlock ID="T4"><TextLine><String CONTENT="Stray"/></TextLine></TextBlock>
"""


def tiny_mets(href: str = "alto/page.xml") -> bytes:
    return f"""<?xml version="1.0"?>
<mets xmlns="http://www.loc.gov/METS/" xmlns:xlink="http://www.w3.org/1999/xlink">
 <fileSec><fileGrp USE="FULLTEXT">
  <file ID="A1" MIMETYPE="text/xml"><FLocat LOCTYPE="URL" xlink:href="{href}"/></file>
 </fileGrp></fileSec>
 <structMap TYPE="PHYSICAL"><div TYPE="Newspaper">
  <div TYPE="PAGE" ORDER="5"><fptr><area FILEID="A1"/></fptr></div>
 </div></structMap>
 <structMap TYPE="LOGICAL"><div TYPE="ISSUE">
  <div ID="ART1" TYPE="ARTICLE">
   <div TYPE="HEADING"><div TYPE="TITLE"><fptr><area FILEID="A1" BEGIN="S1"/></fptr></div></div>
   <div TYPE="BODY"><div TYPE="PARAGRAPH"><fptr><area FILEID="A1" BEGIN="T2"/></fptr></div></div>
  </div>
  <div ID="AD1" TYPE="ADVERTISEMENT"><fptr><area FILEID="A1" BEGIN="C1"/></fptr></div>
  <div ID="AD2" TYPE="ADVERTISEMENT"><fptr><area FILEID="A1" BEGIN="T2"/></fptr></div>
 </div></structMap>
</mets>""".encode()


def test_tiny_mets_gold(tmp_path: Path) -> None:
    (tmp_path / "alto").mkdir()
    body = TINY_ALTO.replace('<String CONTENT="Headline"/>', '<String ID="S1" CONTENT="Headline"/>')
    write(tmp_path / "alto", "page.xml", alto_doc(body, NAMESPACES["v4"]))
    mets = write(tmp_path, "issue-mets.xml", tiny_mets())
    pages, _ = read_mets(mets)
    assert [(n, p.name) for n, p in pages] == [(5, "page.xml")]
    gold = load_mets_gold(mets)
    arts = {a.id: a for a in gold.articles}
    assert arts["ART1"].blocks == ("p5:T1", "p5:T2")  # a String ID resolves to its TextBlock
    assert arts["ART1"].headline == "Headline" and arts["ART1"].body == ("Body one",)
    assert arts["AD1"].blocks == ("p5:T3",) and arts["AD1"].kind == "advert"
    assert "AD2" not in arts  # T2 already belongs to ART1: first claim wins, AD2 is left empty
    stray = arts["unreferenced-p5:T4"]
    # furniture has no role in the gold format: its text is its body
    assert stray.kind == "furniture" and stray.roles == {} and len(stray.body) == 1


@pytest.mark.parametrize(
    ("href", "message"),
    [
        ("http://example.invalid/page.xml", "is a URL"),
        ("../outside.xml", "is not in"),
        ("alto/missing.xml", "is not in"),
    ],
)
def test_mets_bad_hrefs(tmp_path: Path, href: str, message: str) -> None:
    write(tmp_path.parent, "outside.xml", alto_doc(TINY_ALTO))
    mets = write(tmp_path, "issue-mets.xml", tiny_mets(href))
    with pytest.raises(InputError, match=message) as info:
        read_mets(mets)
    assert str(mets) in str(info.value)
    with pytest.raises(GoldError):
        load_mets_gold(mets)


def test_mets_with_doctype_refused_as_gold_error(tmp_path: Path) -> None:
    data = tiny_mets().replace(
        b"<mets", b'<!DOCTYPE mets [<!ENTITY x SYSTEM "file:///etc/passwd">]>\n<mets', 1
    )
    mets = write(tmp_path, "issue-mets.xml", data)
    with pytest.raises(GoldError, match="refused") as info:
        load_mets_gold(mets)
    assert str(info.value).startswith(f"{mets}: ")
    assert str(info.value).count(str(mets)) == 1
