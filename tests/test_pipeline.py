"""End-to-end behaviour on the real seed page: metrics, determinism, conservation, the CLI."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from reassemble import reassemble_pages
from reassemble.evaluate import load_gold, score_edition, text_conserved
from reassemble.model import Role
from reassemble.write import validate_file, write_edition


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "reassemble", *args], capture_output=True, text=True,
                          cwd=cwd, timeout=120)


def test_seed_page_scores_perfectly(seed_page: Path, seed_gold: Path) -> None:
    edition = reassemble_pages(seed_page)
    metrics = score_edition(load_gold(seed_gold), edition)
    assert metrics == {k: (True if k == "text_conserved" else 1.0) for k in metrics}


def test_seed_page_fields(seed_page: Path) -> None:
    edition = reassemble_pages(seed_page)
    by_head = {a.headline: a for a in edition.articles}
    a = by_head["枣庄设立“鲁班工匠日”"]
    assert a.kicker == "叫响“鲁班故里” 打造“工匠之城”"
    assert a.byline == ("记者 田国全", "通讯员 王振华")
    assert a.dateline == "本报讯"
    assert all(j.score >= 0.5 and "word_bridge" in j.features for j in a.joins)
    assert a.paragraphs[0].text.startswith("本报讯（记者田国全 通讯员王振华）日前，")  # full-width output
    ruijin = by_head["职工维权有了“快速通道”"]
    assert ruijin.byline == ("本报记者 王晓颖", "本报通讯员 吴志锋")
    assert ruijin.summary and ruijin.summary.startswith("瑞金市总")
    assert [b for b, r in ruijin.roles.items() if r is Role.SUBHEAD] == ["p2:67", "p2:49"]
    assert ruijin.ends_complete is False
    photo = next(x for x in edition.articles if x.kind == "photo")
    assert photo.byline == ("本报记者 杨登峰 摄",)
    jumped = by_head["三类服务阵地推动“窗口下移”"]
    assert jumped.continued_from == 1 and jumped.starts_complete is False
    assert edition.unassigned == ()


def test_same_input_gives_identical_files(seed_page: Path, tmp_path: Path) -> None:
    outs = []
    for name in ("a", "b"):
        write_edition(reassemble_pages(seed_page), tmp_path / name)
        outs.append({p.name: p.read_bytes() for p in sorted((tmp_path / name).iterdir())})
    assert outs[0] == outs[1]
    for name in outs[0]:
        assert validate_file(tmp_path / "a" / name) == []


def test_halfwidth_option_keeps_input_punctuation(seed_page: Path) -> None:
    from reassemble.config import Config

    edition = reassemble_pages(seed_page, config=Config(fullwidth_punct=False))
    assert any("本报讯(记者" in p.text for a in edition.articles for p in a.paragraphs)
    assert text_conserved(edition)


def test_page_text_pairs_api() -> None:
    text = "标题一个新闻\n\n本报讯(记者张三)近日,某市举行活动。\n\n据悉,活动持续三天。\n"
    edition = reassemble_pages([(5, text)])
    assert edition.pages[0].number == 5
    assert edition.articles[0].headline == "标题一个新闻"
    assert edition.articles[0].byline == ("记者 张三",)


def test_cli_run_eval_validate(seed_page: Path, seed_gold: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    r = _cli("run", str(seed_page), "-o", str(out))
    assert r.returncode == 0, r.stderr
    files = sorted(out.glob("*.xml"))
    assert len(files) == 12
    r = _cli("validate", *map(str, files))
    assert r.returncode == 0 and "INVALID" not in r.stdout
    r = _cli("run", str(seed_page), "-o", str(out))
    assert r.returncode == 3 and "--force" in r.stderr
    r = _cli("eval", str(seed_gold), "--json")
    assert r.returncode == 0
    import json

    data = json.loads(r.stdout)
    assert data["articles_exact"] == 1.0 and data["text_conserved"] is True
    assert "baseline" in data
    r = _cli("run", str(seed_page), "-o", str(tmp_path / "x"), "--explain")
    assert "join p2:36 -> p2:37" in r.stdout and "take-tail" in r.stdout


def test_cli_version_and_module() -> None:
    r = _cli("--version")
    assert r.returncode == 0 and r.stdout.startswith("reassemble ")


@pytest.mark.parametrize(
    "content, message",
    [
        (b"", "empty"),
        (b"   \n\n \t\n", "empty"),
        (b"\x00\x01\x02binary\x00\xff" * 50, "binary"),
        ("安徽持续高位推进工会驿站建设".encode() + b"\xe5\xae", "UTF-8"),
    ],
)
def test_bad_input_exit_2_and_nothing_written(tmp_path: Path, content: bytes, message: str) -> None:
    page = tmp_path / "page-03.txt"
    page.write_bytes(content)
    out = tmp_path / "out"
    r = _cli("run", str(page), "-o", str(out))
    assert r.returncode == 2
    assert str(page) in r.stderr and message in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_folder_without_pages(tmp_path: Path) -> None:
    r = _cli("run", str(tmp_path), "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "no page files" in r.stderr


def test_edition_keeps_going_past_a_bad_page(seed_page: Path, tmp_path: Path) -> None:
    ed = tmp_path / "ed"
    ed.mkdir()
    (ed / "page-02.txt").write_bytes(seed_page.read_bytes())
    (ed / "page-03.txt").write_bytes(b"\x00\x00\x00")
    r = _cli("run", str(ed), "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "page-03.txt" in r.stderr
    assert len(list((tmp_path / "out").glob("p2-*.xml"))) == 10
    r = _cli("run", str(ed), "-o", str(tmp_path / "out2"), "--strict")
    assert r.returncode == 2 and not (tmp_path / "out2").exists()


def test_duplicate_page_numbers(seed_page: Path, tmp_path: Path) -> None:
    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    for d in ("a", "b"):
        (tmp_path / d / "page-02.txt").write_bytes(seed_page.read_bytes())
    r = _cli("run", str(tmp_path / "a" / "page-02.txt"), str(tmp_path / "b" / "page-02.txt"),
             "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "page 2 given twice" in r.stderr


BAD_FILES = {
    "page-04.xml": (b"<?xml version='1.0'?><alto xmlns='http://www.loc.gov/standards/alto/ns-v4#'><Layout>",
                    "malformed XML"),
    "page-05.xml": (b"<?xml version='1.0'?><!DOCTYPE alto [<!ENTITY a 'aaaa'><!ENTITY b '&a;&a;&a;'>]>"
                    b"<alto xmlns='http://www.loc.gov/standards/alto/ns-v4#'>&b;</alto>", "DOCTYPE"),
    "page-06.xml": (b"<?xml version='1.0'?><!DOCTYPE alto [<!ENTITY x SYSTEM 'file:///etc/passwd'>]>"
                    b"<alto xmlns='http://www.loc.gov/standards/alto/ns-v4#'>&x;</alto>", "DOCTYPE"),
    "page-07.json": (b'{"format": "reassemble-blocks/1", "page": 7, "blocks": [{"id": 1}]}', "blocks[0]"),
    "page-08.json": (b"[1, 2, 3]", "page-08.json"),
    "page-09.txt": ("标题\n\n正文。".encode("utf-16-le"), "page-09.txt"),
}


@pytest.mark.parametrize("name", sorted(BAD_FILES))
def test_bad_structured_input(tmp_path: Path, name: str) -> None:
    data, message = BAD_FILES[name]
    page = tmp_path / name
    page.write_bytes(data)
    out = tmp_path / "out"
    r = _cli("run", str(page), "-o", str(out))
    assert r.returncode == 2, r.stdout + r.stderr
    assert message in r.stderr and str(page) in r.stderr
    assert len(r.stderr.strip().splitlines()) == 1
    assert not out.exists()
    assert "root:" not in r.stderr and "/etc/passwd" not in r.stdout


def test_oversized_page_is_refused(tmp_path: Path) -> None:
    from reassemble.read import MAX_PAGE_BYTES

    page = tmp_path / "page-01.txt"
    with page.open("wb") as fh:
        fh.truncate(MAX_PAGE_BYTES + 1)  # sparse: costs no disk
    r = _cli("run", str(page), "-o", str(tmp_path / "out"))
    assert r.returncode == 2 and "limit for one page" in r.stderr


def test_output_name_collisions_and_force(seed_page: Path, tmp_path: Path) -> None:
    out = tmp_path / "out"
    assert _cli("run", str(seed_page), "-o", str(out)).returncode == 0
    before = {p.name: p.stat().st_mtime_ns for p in out.iterdir()}
    assert _cli("run", str(seed_page), "-o", str(out), "--force").returncode == 0
    assert set(before) == {p.name for p in out.iterdir()}  # same names, no temp files left behind


def test_cli_paper_option_marks_the_masthead(tmp_path: Path) -> None:
    # ALTO pages without their METS file do not name the paper; --paper does, and the front page's
    # nameplate with the lines around it becomes one masthead, as with the METS file
    pages = sorted((Path(__file__).parent.parent / "corpus/alto/bnl-1858").glob("*/text/*.xml"))
    if not pages:
        pytest.skip("BnL sample not in the corpus")
    import json

    out = tmp_path / "out"
    r = _cli("run", *map(str, pages), "-o", str(out), "--format", "json",
             "--paper", "Luxemburger Zeitung – Journal de Luxembourg")
    assert r.returncode == 0, r.stderr
    edition = json.loads((out / "edition.json").read_text(encoding="utf-8"))
    assert edition["paper"] == "Luxemburger Zeitung – Journal de Luxembourg"
    first = json.loads((out / "p1-a01.json").read_text(encoding="utf-8"))
    assert first["kind"] == "furniture"
    assert first["blocks"] == [f"p1:P1_TB0000{k}" for k in range(1, 6)]
