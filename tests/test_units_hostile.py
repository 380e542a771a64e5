"""Hostile and careless input to `board import` of units' workbooks (issue 23): each refused in one
line naming the file (and the cell), nothing written. The files are real files, made as a
careless unit or an attacker would make them."""

from __future__ import annotations

import io
import shutil
import stat
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
import pytest

from board.cli import main
from board.model import Month
from board.xlsx import WorkbookError
from board.xlsx.units import import_units, issue_workbooks
from tests.conftest import copy_content
from tests.test_units import fill, on, photo
from tests.test_xlsx import tree_digest

OCTOBER = Month(2020, 10)
NAME = "报表-2020-10-住建局.xlsx"


@pytest.fixture
def county(tmp_path: Path) -> tuple[Path, dict[str, Path], Path]:
    content = copy_content(tmp_path / "content")
    issued = issue_workbooks(content, tmp_path / "issued", OCTOBER, when=on(1)).files
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    return content, issued, inbox


def refused(content: Path, *paths: Path) -> list[str]:
    before = tree_digest(content)
    with pytest.raises(WorkbookError) as failure:
        import_units(list(paths), content, when=on(3))
    assert tree_digest(content) == before
    return [str(p) for p in failure.value.problems]


def filled(issued: dict[str, Path], inbox: Path, unit: str = "公安局") -> Path:
    return fill(issued[unit], inbox)


def edit(path: Path, change: Callable[[openpyxl.Workbook], None], name: str | None = None) -> Path:
    wb = openpyxl.load_workbook(path)
    change(wb)
    target = path.with_name(name) if name else path
    wb.save(target)
    return target


def test_a_workbook_of_another_month(county, tmp_path: Path) -> None:
    content, issued, inbox = county
    september = issue_workbooks(content, tmp_path / "sep", Month(2020, 9), when=on(1)).files
    old = fill(september["住建局"], tmp_path / "sep", photos=False)
    assert refused(content, filled(issued, inbox), old) == [
        "报表-2020-09-住建局.xlsx: is the workbook of 2020-09, not of 2020-10 (ask the unit for "
        "the workbook of 2020-10; to import another month, import it alone with --month)"
    ]


def test_a_workbook_of_another_register(county, tmp_path: Path) -> None:
    content, _issued, inbox = county
    other = copy_content(tmp_path / "other")
    theirs = issue_workbooks(other, tmp_path / "theirs", OCTOBER, when=on(1)).files
    assert refused(content, fill(theirs["住建局"], inbox, photos=False)) == [
        f"{NAME}: is a workbook of another register (全县重点项目建设进度公示), not of this one "
        "(ask the unit to fill in the workbook the office sent it, not a copy or one of its own)"
    ]


def test_a_workbook_renamed_for_another_unit(county) -> None:
    content, issued, inbox = county
    mine = fill(issued["住建局"], inbox, photos=False)
    renamed = mine.rename(inbox / "报表-2020-10-公安局.xlsx")
    assert refused(content, renamed) == [
        "报表-2020-10-公安局.xlsx: the file is named for 公安局, but it is the workbook of 住建局"
    ]


def test_an_edited_identity(county) -> None:
    content, issued, inbox = county

    def claim(wb: openpyxl.Workbook) -> None:
        wb["身份"]["B5"] = "公安局"  # 分包单位: another unit's name, the check code kept

    book = edit(fill(issued["住建局"], inbox, photos=False), claim)
    assert refused(content, book) == [
        f"{NAME}: its identity was edited (the hidden sheet 身份 does not match its check code) "
        "(ask the unit to fill in the workbook the office sent it, not a copy or one of its own)"
    ]


def test_a_workbook_without_identity_among_units(county) -> None:
    content, issued, inbox = county
    book = edit(fill(issued["住建局"], inbox, photos=False), lambda wb: wb.remove(wb["身份"]))
    assert refused(content, filled(issued, inbox), book) == [
        f"{NAME}: not a unit's workbook: it carries no identity (imported with units' workbooks, "
        "a workbook must be one board template --by-unit made) (ask the unit to fill in the "
        "workbook the office sent it, not a copy or one of its own)"
    ]


def test_rows_for_projects_the_unit_does_not_lead(county) -> None:
    content, issued, inbox = county

    def add(wb: openpyxl.Workbook) -> None:
        wb["报告"].append(["xian-yiyuan", "", None, None, None, "代报", 60])
        wb["报告"].append(["no-such-project", "", None, None, None, "代报", 60])

    book = edit(fill(issued["住建局"], inbox, photos=False), add)
    assert refused(content, book) == [
        f"{NAME} 报告!A5 编号: 'xian-yiyuan' is a project of 卫健局, not of 住建局 (delete the "
        "row: each unit reports its own projects only)",
        f"{NAME} 报告!A6 编号: unknown project 'no-such-project': the workbook of 住建局 holds "
        "only its own projects (delete the row: each unit reports its own projects only)",
    ]


def test_a_commitment_changed_in_a_units_workbook(county) -> None:
    content, issued, inbox = county

    def later(wb: openpyxl.Workbook) -> None:
        wb["报告"]["D3"] = "2021-06-30"  # 完成时限 of beiqu-wushui
        wb["报告"]["E4"] = 5000  # 总投资 of beiqu-gongshui

    book = edit(fill(issued["住建局"], inbox, photos=False), later)
    assert refused(content, book) == [
        f"{NAME} 报告!D3 完成时限: is a commitment of the register (2020-12-31) that a unit's "
        "workbook cannot change; it says 2021-06-30 (put back 2020-12-31; a change is made by the "
        "office in the register, with its reason recorded)",
        f"{NAME} 报告!E4 总投资（万元）: is a commitment of the register (3400) that a unit's "
        "workbook cannot change; it says 5000 (put back 3400; a change is made by the office in "
        "the register, with its reason recorded)",
    ]


def test_the_same_file_twice_and_two_workbooks_of_one_unit(county) -> None:
    content, issued, inbox = county
    book = filled(issued, inbox)
    copy = inbox / "副本.xlsx"
    shutil.copy(book, copy)
    assert refused(content, book, copy) == [
        "副本.xlsx: the same file as 报表-2020-10-公安局.xlsx (identical contents) (import it once)"
    ]
    other = edit(book, lambda wb: None, "报表-2020-10-公安局 (2).xlsx")
    wb = openpyxl.load_workbook(other)
    wb["报告"]["F3"] = "改过的进度"
    wb.save(other)
    assert refused(content, book, other) == [
        "报表-2020-10-公安局.xlsx: 公安局 has two workbooks in this import: this one and "
        "报表-2020-10-公安局 (2).xlsx (keep the one the unit sent last and move the other away)",
        "报表-2020-10-公安局 (2).xlsx: 公安局 has two workbooks in this import: this one and "
        "报表-2020-10-公安局.xlsx (keep the one the unit sent last and move the other away)",
    ]


def zipped(inbox: Path, book: Path, entries: list[tuple[zipfile.ZipInfo | str, bytes]]) -> Path:
    target = inbox / book.name.replace(".xlsx", ".zip")
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.write(book, book.name)
        for info, data in entries:
            archive.writestr(info, data)
    return target


def test_a_zip_with_a_path_outside_itself(county) -> None:
    content, issued, inbox = county
    book = fill(issued["公安局"], inbox)
    bad = zipped(inbox, book, [("../../content/reports/2020-10.yaml", b"month: 2020-10\n")])
    assert refused(content, bad) == [
        "报表-2020-10-公安局.zip: the zip's entry ../../content/reports/2020-10.yaml points "
        "outside the zip; the zip was not read (ask the unit to put only the workbook and its "
        "photos in one folder and zip it again)"
    ]


def test_a_zip_bomb(county) -> None:
    content, issued, inbox = county
    book = fill(issued["公安局"], inbox)
    bomb = zipped(inbox, book, [("现场.jpg", b"\0" * (30 << 20))])
    assert bomb.stat().st_size < 200_000
    assert refused(content, bomb) == [
        "报表-2020-10-公安局.zip: the zip's entry 现场.jpg unpacks to 31,457,280 bytes "
        f"({zipfile.ZipFile(bomb).getinfo('现场.jpg').compress_size:,} packed), beyond the "
        "limit; it was not unpacked (ask the unit to put only the workbook and its photos in "
        "one folder and zip it again)"
    ]


def test_a_zip_with_a_link_and_a_stray_file(county) -> None:
    content, issued, inbox = county
    book = fill(issued["公安局"], inbox)
    link = zipfile.ZipInfo("现场.jpg")
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    bad = zipped(inbox, book, [(link, b"/etc/passwd"), ("说明.docx", b"PK")])
    assert refused(content, bad) == [
        "报表-2020-10-公安局.zip: the zip's entry 现场.jpg is a link, not a file (ask the unit to "
        "put only the workbook and its photos in one folder and zip it again)",
        "报表-2020-10-公安局.zip: the zip's entry 说明.docx is neither the workbook nor a photo "
        "(JPEG, PNG, WebP) (a unit's zip holds one workbook (.xlsx) and the month's photos, "
        "nothing else)",
    ]


def test_a_photo_named_but_not_sent(county) -> None:
    content, issued, inbox = county

    def name(wb: openpyxl.Workbook) -> None:
        wb["报告"]["N3"] = "现场.jpg 施工现场"

    book = edit(fill(issued["公安局"], inbox), name)
    bad = zipped(inbox, book, [("别的.jpg", photo(3, ".jpg"))])
    assert refused(content, bad) == [
        "报表-2020-10-公安局.zip 报告!N3 照片: the photo 现场.jpg 施工现场 is not in the zip (the "
        "zip's photos: 别的.jpg) (zip the photos together with the workbook, and write each "
        "photo's file name in the column)"
    ]


def test_a_broken_photo_is_refused_at_its_cell(county) -> None:
    content, issued, inbox = county

    def name(wb: openpyxl.Workbook) -> None:
        wb["报告"]["N3"] = "现场.jpg　施工现场"  # a fullwidth space before the caption

    book = edit(fill(issued["公安局"], inbox), name)
    bad = zipped(inbox, book, [("现场.jpg", photo(3, ".jpg")[:200])])
    problems = refused(content, bad)
    assert len(problems) == 1
    assert problems[0].startswith("报表-2020-10-公安局.zip 报告!N3 照片: ")
    assert "photos/2020-10/kaifaqu-jingwushi-1.jpg" in problems[0]


def test_the_cli_prints_one_line_per_problem_and_writes_nothing(
    county, capsys: pytest.CaptureFixture[str]
) -> None:
    content, issued, inbox = county
    fill(issued["公安局"], inbox)
    bad = zipped(inbox, fill(issued["住建局"], inbox, photos=False), [("../x.jpg", b"")])
    (inbox / bad.name.replace(".zip", ".xlsx")).unlink()
    before = tree_digest(content)
    assert main(["import", str(inbox), "--content", str(content)]) == 1
    err = capsys.readouterr().err.splitlines()
    assert err == [
        "报表-2020-10-住建局.zip: the zip's entry ../x.jpg points outside the zip; the zip was "
        "not read (ask the unit to put only the workbook and its photos in one folder and zip "
        "it again)",
        "failed: 1 error in the workbook; nothing was written",
    ]
    assert tree_digest(content) == before


def test_zip_entries_named_in_the_chinese_code_page_are_read(county) -> None:
    """Windows' own zip tool writes entry names in the PC's code page (GBK) without saying so:
    such a name is read as GBK."""
    content, issued, inbox = county

    def name(wb: openpyxl.Workbook) -> None:
        wb["报告"]["N3"] = "施工图.jpg 施工现场"

    book = edit(fill(issued["公安局"], inbox), name)
    data = io.BytesIO()
    with zipfile.ZipFile(data, "w", zipfile.ZIP_STORED) as archive:
        archive.write(book, "book.xlsx")
        archive.writestr("现场.jpg", photo(5, ".jpg"))
    raw = bytearray(data.getvalue())
    utf8, gbk = "现场.jpg".encode(), "施工图.jpg".encode("gbk")
    assert len(utf8) == len(gbk)
    start = 0
    while (at := raw.find(utf8, start)) >= 0:  # the local header's name, then the directory's
        header = at - 30 if raw[at - 30 : at - 26] == b"PK\x03\x04" else at - 46
        flags = header + (6 if raw[header : header + 4] == b"PK\x03\x04" else 8)
        raw[flags] &= ~0x08 & 0xFF  # no "UTF-8" flag (bit 11 is bit 3 of the second byte)
        raw[flags + 1] &= ~0x08 & 0xFF
        raw[at : at + len(gbk)] = gbk
        start = at + len(gbk)
    target = inbox / "报表-2020-10-公安局.zip"
    target.write_bytes(bytes(raw))
    book.unlink()
    assert zipfile.ZipFile(target).namelist()[1] != "施工图.jpg"  # Python reads it as cp437
    result = import_units([target], content, when=on(3))
    assert [(unit, photos) for _f, unit, _r, photos in result.taken] == [("公安局", 1)]


def test_a_register_without_its_key(county) -> None:
    content, issued, inbox = county
    book = fill(issued["公安局"], inbox)
    (content / ".board-key").unlink()
    assert refused(content, book) == [
        "报表-2020-10-公安局.xlsx: the register has no key file .board-key: the workbook's "
        "identity cannot be checked (units' workbooks must be made by board template --by-unit "
        "from this register; keep its key file)"
    ]


def test_a_published_month_is_corrected_only_with_update(county, tmp_path: Path) -> None:
    content, _issued, inbox = county
    august = issue_workbooks(content, tmp_path / "aug", Month(2020, 8), when=on(1)).files
    book = fill(august["公安局"], inbox)
    before = tree_digest(content)
    with pytest.raises(WorkbookError) as failure:
        import_units([book], content, when=on(3))
    assert [str(p) for p in failure.value.problems] == [
        "2020-08: 2020-08 is published (2020-09 comes after it): changing it is a correction (to "
        "correct it, import again with --update (the changes are shown first))"
    ]
    assert tree_digest(content) == before
    shown: list[str] = []
    result = import_units([book], content, update=True, when=on(3), echo=shown.append)
    assert [p.name for p in result.updated] == ["2020-08.yaml"]
    assert shown and shown[0].startswith("--- a/reports/2020-08.yaml")
