"""A published month stays published (issue 12).

September is built, then October, then September's report is corrected and October built
again: September's files first published are still there byte for byte, the corrected ones
beside them (`-r2`), the notice (更正) on September's page and in the feed, October unaffected.
The PDFs are real WeasyPrint PDFs, read back with pypdf.
"""

from __future__ import annotations

import hashlib
import io
import shutil
from pathlib import Path

import pytest
from pypdf import PdfReader

from board.build import build
from board.published import archive_dir, month_of, versioned
from tests.conftest import BOARD_YAML, project_yaml, write_files

SEPTEMBER = "month: 2020-09\nprojects:\n  a: {percent: 60, progress: 主体施工}\n  b: {percent: 50, progress: 基础施工}\n"
OCTOBER = "month: 2020-10\nprojects:\n  a: {percent: 70, progress: 主体封顶}\n  b: {percent: 60, progress: 主体施工}\n"


def hashes(root: Path, month: str) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file() and month_of(str(p.relative_to(root))) == month
    }


def pdf_text(path: Path) -> str:
    return "".join(page.extract_text() for page in PdfReader(io.BytesIO(path.read_bytes())).pages)


@pytest.fixture(scope="module")
def three_builds(tmp_path_factory: pytest.TempPathFactory):
    """September, then October, then September corrected: the output after each build."""
    root = tmp_path_factory.mktemp("published")
    content = write_files(
        root / "content",
        {
            "board.yaml": BOARD_YAML + "site_url: https://example.gov.cn/zdxm/\n",
            "projects/a.yaml": project_yaml("a", order=1),
            "projects/b.yaml": project_yaml("b", order=2),
            "reports/2020-09.yaml": SEPTEMBER,
        },
    )
    out = root / "output"
    mp = pytest.MonkeyPatch()
    mp.setenv("SOURCE_DATE_EPOCH", "1604188800")  # 2020-11-01, the day of the correction
    try:
        build(content, out)
        september = hashes(out, "2020-09")
        (content / "reports" / "2020-10.yaml").write_text(OCTOBER, encoding="utf-8")
        build(content, out)
        after_october = {"09": hashes(out, "2020-09"), "10": hashes(out, "2020-10")}
        shutil.copytree(out, root / "october")
        report = content / "reports" / "2020-09.yaml"
        report.write_text(
            SEPTEMBER.replace("主体施工}", "主体施工，三层完工}", 1), encoding="utf-8"
        )
        build(content, out)
    finally:
        mp.undo()
    return content, out, root / "october", september, after_october


def test_september_files_stay_after_october_is_built(three_builds) -> None:
    _, _, _, september, after = three_builds
    assert sorted(september) == [
        "print/bulletin-2020-09.docx",
        "print/bulletin-2020-09.pdf",
        "print/panel-2020-09.pdf",
        "print/sheets-2020-09.pdf",
        "site/data/board-2020-09.json",
        "site/data/projects-2020-09.csv",
    ]
    assert after["09"] == september  # byte for byte
    # October's sign-off sheet of its changes since September is an office paper in 内部/,
    # not a month file of print/ (issue 19)
    assert sorted(after["10"]) == sorted(n.replace("09", "10") for n in september)


def test_each_month_page_links_its_own_files(three_builds) -> None:
    _, _, october, _, _ = three_builds
    page = (october / "site" / "2020-09" / "index.html").read_text(encoding="utf-8")
    for name in ("panel", "sheets", "bulletin"):
        assert f'href="../../print/{name}-2020-09.pdf"' in page
    assert 'href="../data/board-2020-09.json"' in page
    assert 'href="../data/projects-2020-09.csv"' in page
    assert "2020-10" not in page.split('id="open-data"')[1].split("feed.xml")[0]


def test_the_corrected_september_goes_beside_the_first_version(three_builds) -> None:
    _, out, _, september, _ = three_builds
    now = hashes(out, "2020-09")
    for name, digest in september.items():
        assert now[name] == digest, name  # first published, byte for byte
        assert versioned(name, 2) in now
    assert len(now) == 2 * len(september)
    # the sheets show each project's progress text: the corrected one, and the first
    assert "主体施工，三层完工" in pdf_text(out / "print" / "sheets-2020-09-r2.pdf")
    assert "三层完工" not in pdf_text(out / "print" / "sheets-2020-09.pdf")
    data = (out / "site" / "data" / "board-2020-09-r2.json").read_text(encoding="utf-8")
    assert "主体施工，三层完工" in data


def test_the_notice_is_on_the_month_page_and_in_the_feed(three_builds) -> None:
    _, out, _, _, _ = three_builds
    page = (out / "site" / "2020-09" / "index.html").read_text(encoding="utf-8")
    assert '<h2 id="correction-title">更正</h2>' in page
    assert "<p>2020年11月1日更正（第2版）：项目a：具体进度</p>" in page
    assert 'href="../../print/bulletin-2020-09.pdf"' in page  # the first version, linked
    assert 'href="../../print/bulletin-2020-09-r2.pdf"' in page  # the corrected one
    assert 'href="../data/board-2020-09-r2.json"' in page
    feed = (out / "site" / "feed.xml").read_text(encoding="utf-8")
    assert "<title>更正：2020年9月 全县重点项目建设进度公示</title>" in feed
    assert "<id>https://example.gov.cn/zdxm/2020-09/#r2</id>" in feed
    assert "<updated>2020-11-01T00:00:00Z</updated>" in feed
    assert '<summary type="text">项目a：具体进度</summary>' in feed


def test_october_is_unaffected(three_builds) -> None:
    """October keeps its names and has no correction; its own report's data is unchanged. (Its
    sheets show each project's history, where September now reads as corrected: the month
    being built always shows the register as it is, docs/security.md.)"""
    _, out, october, _, after = three_builds
    assert sorted(hashes(out, "2020-10")) == sorted(after["10"])
    for name in ("site/data/board-2020-10.json", "site/data/projects-2020-10.csv"):
        assert (out / name).read_bytes() == (october / name).read_bytes()
    page = (out / "site" / "2020-10" / "index.html").read_text(encoding="utf-8")
    assert "correction-title" not in page
    assert "三层完工" in pdf_text(out / "print" / "sheets-2020-10.pdf")


def test_a_lost_output_is_rebuilt_from_the_record(three_builds, tmp_path: Path) -> None:
    """The record beside the output keeps every published version: a deleted output/ comes
    back with the first versions and the corrections, byte for byte."""
    content, out, _, _, _ = three_builds
    copy = tmp_path / "output"
    shutil.copytree(archive_dir(out), archive_dir(copy))
    build(content, copy, force=True)
    assert hashes(copy, "2020-09") == hashes(out, "2020-09")
    assert sorted(hashes(copy, "2020-10")) == sorted(hashes(out, "2020-10"))


def test_without_the_record_past_months_are_rendered_again(three_builds, tmp_path: Path) -> None:
    content, _, _, september, _ = three_builds
    fresh = tmp_path / "output"
    build(content, fresh)
    assert sorted(hashes(fresh, "2020-09")) == sorted(september)  # one version: the register's
    assert "三层完工" in pdf_text(fresh / "print" / "sheets-2020-09.pdf")


def test_a_month_built_twice_before_the_next_is_not_a_correction(tmp_path: Path) -> None:
    """The month being prepared is rendered anew on every build until a later month is built."""
    content = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml("a", order=1),
            "projects/b.yaml": project_yaml("b", order=2),
            "reports/2020-09.yaml": SEPTEMBER,
        },
    )
    out = tmp_path / "output"
    stages = ("data", "site")
    build(content, out, stages=stages)
    report = content / "reports" / "2020-09.yaml"
    report.write_text(SEPTEMBER.replace("60", "65", 1), encoding="utf-8")
    build(content, out, stages=stages)
    assert sorted(hashes(out, "2020-09")) == [
        "site/data/board-2020-09.json",
        "site/data/projects-2020-09.csv",
    ]
    assert '"percent": 65' in (out / "site/data/board-2020-09.json").read_text(encoding="utf-8")


def test_the_record_keeps_only_what_it_names(tmp_path: Path) -> None:
    """Rebuilding the month in preparation does not pile up its drafts beside the output."""
    content = write_files(
        tmp_path / "content",
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml("a", order=1),
            "projects/b.yaml": project_yaml("b", order=2),
            "reports/2020-09.yaml": SEPTEMBER,
        },
    )
    out = tmp_path / "output"
    for percent in ("61", "62", "63"):
        report = content / "reports" / "2020-09.yaml"
        report.write_text(SEPTEMBER.replace("60", percent, 1), encoding="utf-8")
        build(content, out, stages=("data", "site"))
    stored = sorted(p.name for p in archive_dir(out).iterdir())
    expected = sorted(hashes(out, "2020-09").values())
    assert stored == sorted([*expected, "record.json"])
