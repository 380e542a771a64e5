"""Collecting the month from every unit (issue 23): one workbook per 分包单位, a merged import, the
报送台账, `status --missing`, and the bulletin's 未按时报送.

The example county has 16 projects led by 11 units. The month of October is collected as an
office would: the 11 workbooks are made, 9 come back filled in (three as zips with photos), one
of them with another unit's row, two units send nothing; the right ones are imported in one
run, the wrong one once corrected (after the due date), one unit sends again with a change.
The merged report is the one the county workbook gives with the same figures; `status
--missing` names the two silent units; the bulletin lists them and the late one.
"""

from __future__ import annotations

import io
import shutil
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta, timezone
from pathlib import Path

import openpyxl
import pytest
from PIL import Image

from board.cli import main
from board.compute import compute_all
from board.model import Month
from board.render import BuildContext, environment
from board.validate import check
from board.xlsx import WorkbookError, import_workbook, ledger, template_from
from board.xlsx.units import file_names, import_units, issue_workbooks, safe_name
from tests.conftest import copy_content
from tests.test_xlsx import tree_digest

OCTOBER = Month(2020, 10)
CST = timezone(timedelta(hours=8))
SILENT = ("商务局", "教育局")  # send nothing
STRAY = "工信局"  # sends a row of 住建局's project beiqu-wushui, then corrects it, late
AGAIN = "住建局"  # sends again with a change
PHOTOS = {  # unit → (project, the photo's name in the zip, its caption)
    "住建局": [
        ("beiqu-wushui", "厂区全景.jpg", "构筑物全部完工"),
        ("beiqu-wushui", "设备间 1.jpg", "曝气设备安装"),
    ],
    "卫健局": [("xian-yiyuan", "综合楼.png", "主体封顶")],
    "第四疃镇人民政府": [("disituan-lengku", "冷库.jpg", "制冷系统调试")],
}


def on(day: int, hour: int = 10) -> datetime:
    return datetime(2020, 11, day, hour, 0, tzinfo=CST)


def photo(seed: int, suffix: str) -> bytes:
    """A small photo taken in October 2020, different for each seed."""
    image = Image.new("RGB", (64, 48), (seed * 40 % 256, 90, 160))
    out = io.BytesIO()
    exif = Image.Exif()
    exif[0x8769] = {0x9003: "2020:10:20 10:00:00"}
    image.save(out, "PNG" if suffix == ".png" else "JPEG", exif=exif)
    return out.getvalue()


def figures(project: str, percent: int, invested: float | None) -> dict[int, object]:
    """What a unit writes for a project (column → value of the unit's report sheet): the same
    as the county workbook gets in test_the_merged_report_is_the_county_workbooks."""
    return {
        6: f"{project}：10月推进情况",
        7: min(100, percent + 3),
        8: None if invested is None else invested + 100,
    }


def fill(
    book: Path,
    out: Path,
    extra: Callable[[openpyxl.worksheet.worksheet.Worksheet], None] | None = None,
    photos: bool = True,
) -> Path:
    """A unit fills in its workbook (and zips it with its photos when it has some)."""
    wb = openpyxl.load_workbook(book)
    ws = wb["报告"]
    unit = ws["C1"].value.split("：", 1)[1]
    for row in range(3, ws.max_row + 1):
        pid = ws.cell(row, 1).value
        if not pid:
            continue
        for col, value in figures(pid, ws.cell(row, 7).value, ws.cell(row, 8).value).items():
            ws.cell(row, col).value = value
        names = [f"{name} {caption}" for p, name, caption in PHOTOS.get(unit, []) if p == pid]
        if names and photos:
            ws.cell(row, 14).value = "\n".join(names)
    if extra is not None:
        extra(ws)
    if unit not in PHOTOS or not photos:
        wb.save(out / book.name)
        return out / book.name
    data = io.BytesIO()
    wb.save(data)
    target = out / book.name.replace(".xlsx", ".zip")
    with zipfile.ZipFile(target, "w") as archive:
        archive.writestr(book.name, data.getvalue())
        for i, (_pid, name, _caption) in enumerate(PHOTOS[unit]):
            archive.writestr(name, photo(i + len(unit), Path(name).suffix))
    return target


def stray_row(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
    ws.append(["beiqu-wushui", "北区污水处理厂", None, None, None, "代报", 80])


@dataclass
class Office:
    content: Path
    issued: dict[str, Path]  # unit → blank workbook
    inbox: Path
    first_run: list[str]  # the all-or-nothing run's problems
    digest_before: dict[str, str]
    partial: object
    late: object
    again: object
    again_diff: list[str]
    report_after_partial: str


@pytest.fixture(scope="module")
def office(tmp_path_factory: pytest.TempPathFactory) -> Office:
    root = tmp_path_factory.mktemp("units")
    content = copy_content(root / "content")
    issued = issue_workbooks(content, root / "报表-2020-10", OCTOBER, when=on(1)).files
    inbox = root / "收到的报表"
    inbox.mkdir()
    for unit, book in issued.items():
        if unit not in SILENT:
            fill(book, inbox, stray_row if unit == STRAY else None)
    before = tree_digest(content)
    with pytest.raises(WorkbookError) as failure:
        import_units([inbox], content, when=on(3))
    first_run = [str(p) for p in failure.value.problems]
    assert tree_digest(content) == before
    partial = import_units([inbox], content, partial=True, when=on(3))
    report = (content / "reports" / "2020-10.yaml").read_text(encoding="utf-8")
    fixed = root / "改正"
    fixed.mkdir()
    late = import_units([fill(issued[STRAY], fixed)], content, when=on(7))
    resent = root / "重报"
    resent.mkdir()

    def change(ws: openpyxl.worksheet.worksheet.Worksheet) -> None:
        ws["G4"] = ws["G4"].value + 1  # beiqu-gongshui, one point more

    shown: list[str] = []
    again = import_units(
        [fill(issued[AGAIN], resent, change)], content, when=on(8), echo=shown.append
    )
    return Office(content, issued, inbox, first_run, before, partial, late, again, shown, report)


def test_one_workbook_per_unit_with_only_its_projects(office: Office) -> None:
    register, _ = check(office.content)
    units = ledger.units_of(register)
    assert len(office.issued) == len(units) == 11
    assert office.issued["住建局"].name == "报表-2020-10-住建局.xlsx"
    for unit, path in office.issued.items():
        wb = openpyxl.load_workbook(path)
        assert wb.sheetnames == ["说明", "报告", "身份"]
        assert wb["身份"].sheet_state == "veryHidden"
        ws = wb["报告"]
        ids = [ws.cell(r, 1).value for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value]
        assert ids == [p.id for p in units[unit]]
        info = " ".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
        assert "请于2020年11月5日前报送" in info
        # last month's figures carried over: 实际进度 and 累计完成投资 of the last report
        for r, pid in enumerate(ids, 3):
            last = [e for m, e in register.history[pid] if m < OCTOBER][-1]
            assert (ws.cell(r, 7).value, ws.cell(r, 8).value) == (last.percent, last.invested)


def test_file_names_are_safe_for_any_unit_name() -> None:
    assert safe_name('县"住建"局/规划股') == "县_住建_局_规划股"
    assert safe_name("  CON ") == "_CON"
    assert safe_name("..") == "_"
    assert safe_name("第四疃镇人民政府") == "第四疃镇人民政府"
    names = file_names(OCTOBER, ["住建局/一", "住建局:一", "a" * 200])
    assert names["住建局/一"] == "报表-2020-10-住建局_一.xlsx"
    assert names["住建局:一"] == "报表-2020-10-住建局_一-2.xlsx"
    assert len(names["a" * 200]) < 90


def test_a_wrong_row_stops_the_whole_run_naming_file_and_cell(office: Office) -> None:
    assert office.first_run == [
        "报表-2020-10-工信局.xlsx 报告!A5 编号: 'beiqu-wushui' is a project of 住建局, not of 工信局 "
        "(delete the row: each unit reports its own projects only)"
    ]


def test_partial_takes_the_right_files_and_lists_the_other(office: Office) -> None:
    result = office.partial
    assert result.refused == ["报表-2020-10-工信局.xlsx"]
    taken = {unit: (rows, photos) for _file, unit, rows, photos in result.taken}
    assert len(taken) == 8
    assert taken["住建局"] == (2, 2) and taken["卫健局"] == (1, 1)
    assert [p.name for p in result.created] == ["2020-10.yaml"]
    assert sorted(result.missing) == sorted([STRAY, *SILENT])


def test_photos_come_with_the_zip_and_are_placed_under_the_month(office: Office) -> None:
    register, _ = check(office.content)
    report = register.report(OCTOBER)
    assert report is not None
    photos = [(p.file, p.caption) for p in report.entries["beiqu-wushui"].photos]
    assert photos == [
        ("photos/2020-10/beiqu-wushui-1.jpg", "构筑物全部完工"),
        ("photos/2020-10/beiqu-wushui-2.jpg", "曝气设备安装"),
    ]
    assert [p.file for p in report.entries["xian-yiyuan"].photos] == [
        "photos/2020-10/xian-yiyuan-1.png"
    ]
    assert (office.content / "photos" / "2020-10" / "disituan-lengku-1.jpg").is_file()


def test_a_unit_sending_again_replaces_only_its_own_rows(office: Office) -> None:
    diff = "\n".join(office.again_diff)
    changed = [
        line
        for line in diff.splitlines()
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]
    assert len(changed) == 2 and changed[0].startswith("-    percent: ")
    assert changed[1].startswith("+    percent: ")
    register, _ = check(office.content)
    report = register.report(OCTOBER)
    assert report is not None
    assert set(report.entries) == {p.id for p in register.projects if p.unit not in SILENT}
    records = ledger.read_ledger(office.content, OCTOBER) or []
    kinds = [(r.kind, r.project) for r in records if r.unit == AGAIN]
    assert kinds == [
        ("issued", ""),
        ("sent", "beiqu-wushui"),
        ("sent", "beiqu-gongshui"),
        ("resent", "beiqu-wushui"),
        ("resent", "beiqu-gongshui"),
    ]


def test_the_ledger_says_who_sent_what_when(office: Office) -> None:
    records = ledger.read_ledger(office.content, OCTOBER) or []
    stray = [r for r in records if r.unit == STRAY and r.kind == "sent"]
    assert {r.project for r in stray} == {"nanqu-changfang", "luozhuang-shipin"}
    assert {r.time for r in stray} == {on(7)}
    assert {r.file for r in stray} == {"报表-2020-10-工信局.xlsx"}
    import hashlib

    sent = office.inbox.parent / "改正" / "报表-2020-10-工信局.xlsx"
    assert {r.sha256 for r in stray} == {hashlib.sha256(sent.read_bytes()).hexdigest()}
    register, _ = check(office.content)
    found = ledger.standing(register, OCTOBER, as_of=on(9).date())
    assert found is not None
    assert [u.unit for u in found.late] == [STRAY]
    assert [u.unit for u in found.missing] == list(SILENT)
    assert len(found.on_time) == 8


def test_status_missing_names_the_silent_units(
    office: Office, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ledger, "now", lambda: on(9))
    assert main(["--lang", "zh-CN", "status", "--missing", "--content", str(office.content)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out == [
        "2020年10月重点项目进度尚未报送的单位（2个，截至2020年11月9日，报送截止2020年11月5日）：",
        "1. 商务局：南区电子商务产业园及快递物流分拣中心建设项目",
        "2. 教育局：县职教中心实训楼及学生公寓建设项目",
        "报送截止日已过，请以上单位立即报送。",
    ]


def test_the_merged_report_is_the_county_workbooks(office: Office, tmp_path: Path) -> None:
    """The county workbook filled with the same figures (the silent units' rows left empty:
    未报送) gives the same report as the units' workbooks merged."""
    content = copy_content(tmp_path / "content")
    shutil.copytree(office.content / "photos" / "2020-10", content / "photos" / "2020-10")
    register, _ = check(content)
    wb = openpyxl.load_workbook(io.BytesIO(template_from(content, OCTOBER)))
    ws = wb["报告"]
    units = {p.id: p.unit for p in register.projects}
    merged = check(office.content)[0].report(OCTOBER)
    assert merged is not None
    for row in range(3, ws.max_row + 1):
        pid = ws.cell(row, 1).value
        if not pid:
            continue
        if units[pid] in SILENT:
            ws.cell(row, 3).value = ws.cell(row, 4).value = None
            continue
        unit_columns = figures(pid, ws.cell(row, 4).value, ws.cell(row, 5).value)
        ws.cell(row, 3).value = unit_columns[6]
        ws.cell(row, 4).value = unit_columns[7]
        ws.cell(row, 5).value = unit_columns[8]
        if pid == "beiqu-gongshui":  # 住建局 sent again, one point more
            ws.cell(row, 4).value += 1
        ws.cell(row, 10).value = merged.entries[pid].invested_year  # carried as the unit's was
        photos = merged.entries[pid].photos
        if photos:
            ws.cell(row, 11).value = "\n".join(f"{p.file} {p.caption}" for p in photos)
    import_workbook(_save(wb, tmp_path / "county.xlsx"), content)
    county = check(content)[0].report(OCTOBER)
    assert county is not None
    assert dict(county.entries) == dict(merged.entries)
    assert (content / "reports" / "2020-10.yaml").read_text(encoding="utf-8") == (
        office.content / "reports" / "2020-10.yaml"
    ).read_text(encoding="utf-8")


def _save(wb: openpyxl.Workbook, path: Path) -> Path:
    wb.save(path)
    return path


def bulletin_texts(content: Path) -> tuple[str, str]:
    """The month's bulletin as the PDF's and the .docx's text."""
    from docx import Document
    from pypdf import PdfReader

    from board.render import fonts
    from board.render.pdf import Printer
    from board.render.word import bulletin_docx

    register, _ = check(content)
    boards = compute_all(register)
    ctx = BuildContext(register, boards, boards[-1], environment(register))
    printer = Printer(ctx, fonts.resolve(register.config.font))
    pdf = printer.write(printer.layout(printer.bulletin_html(), "b.pdf"), "b.pdf")
    pdf_text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    docx = Document(io.BytesIO(bulletin_docx(ctx)))
    return "".join(pdf_text.split()), "".join(p.text for p in docx.paragraphs)


@pytest.mark.slow
def test_the_bulletin_lists_late_and_missing_units_after_the_due_date(office: Office) -> None:
    pdf, docx = bulletin_texts(office.content)
    for text in (pdf, docx):
        assert "四、未按时报送的单位" in text
        assert "五、本月调整事项" in text  # the sections after it move down a number
        assert "注：本月应报送单位11个，按时报送8个，逾期报送1个，未报送2个（见第四部分）。" in text
        assert "逾期报送的单位（1个）：工信局（2020年11月7日报送）。" in text
        assert "未报送的单位（2个）：商务局（南区电子商务产业园及快递物流分拣中心建设项目）" in text
        assert "教育局（县职教中心实训楼及学生公寓建设项目）" in text


def test_before_the_due_date_nobody_is_late(office: Office, tmp_path: Path) -> None:
    content = copy_content(tmp_path / "content")
    issue_workbooks(content, tmp_path / "out", OCTOBER, when=on(1))
    register, _ = check(content)
    found = ledger.standing(register, OCTOBER, as_of=on(4).date())
    assert found is not None and not found.past_due
    assert found.missing == () and len(found.not_in) == 11
    boards = compute_all(register)  # the register's latest month is September: no ledger
    from board.render.bulletin import reporting

    ctx = BuildContext(register, boards, boards[-1], environment(register))
    assert reporting(ctx, on(9).date()) == ("", ())


def test_the_site_shows_nothing_of_the_ledger(office: Office, tmp_path: Path) -> None:
    from board.build import render_all

    files, _, _ = render_all(office.content, stages=("data", "site"))
    for name, data in files.items():
        if name.endswith((".html", ".json", ".csv", ".xml")):
            text = data.decode("utf-8")
            assert "报送台账" not in text and "逾期报送" not in text, name
            assert "SHA-256" not in text and ".board-key" not in text, name
