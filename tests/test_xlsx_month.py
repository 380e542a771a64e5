"""The clerk's month through the county workbook (issue 20): the figures a new month's workbook
carries, 未报送 said by leaving a row empty, the spellings the manual promises, and
`import --update` that changes only the lines that change."""

from __future__ import annotations

import difflib
import io
from pathlib import Path

import openpyxl
import pytest

from board.compute import compute_month
from board.model import Month
from board.validate import check
from board.xlsx import import_workbook, template_from
from tests.conftest import ROOT, copy_content
from tests.test_xlsx import save, tree_digest

OCTOBER = Month(2020, 10)


@pytest.fixture
def county(tmp_path: Path) -> Path:
    return copy_content(tmp_path / "content")


def october_book(content: Path) -> openpyxl.Workbook:
    """The county workbook for October, every 具体进度 written and nothing else touched."""
    wb = openpyxl.load_workbook(io.BytesIO(template_from(content, OCTOBER)))
    ws = wb["报告"]
    for row in range(3, ws.max_row + 1):
        if ws.cell(row, 1).value:
            ws.cell(row, 3).value = "按计划推进"
    return wb


def row_of(ws: openpyxl.worksheet.worksheet.Worksheet, pid: str) -> int:
    return next(r for r in range(3, ws.max_row + 1) if ws.cell(r, 1).value == pid)


def test_a_new_months_workbook_carries_the_investment_and_asks_for_what_it_cannot_derive(
    county: Path,
) -> None:
    september, _ = check(county)
    last = september.report(Month(2020, 9))
    assert last is not None
    ws = october_book(county)["报告"]
    headers = [c.value for c in ws[2]]
    invested = headers.index("累计完成投资（万元）") + 1
    this_year = headers.index("本年完成投资（万元）") + 1
    for project in september.projects:
        row = row_of(ws, project.id)
        entry = last.entries.get(project.id) or september.history[project.id][-1][1]
        assert ws.cell(row, 4).value == entry.percent
        assert ws.cell(row, invested).value == entry.invested
        year_cell = ws.cell(row, this_year)
        # started before 2020, no 2019 report in the register: 本年 cannot be derived from
        # 累计 minus last December's, so it is asked for (yellow), September's as the start
        asked = project.start.year < 2020
        assert (year_cell.fill.fgColor.rgb == "00FFF2CC") is asked, project.id
        assert year_cell.value == (entry.invested_year if asked else None), project.id


def test_the_countys_totals_do_not_collapse_in_a_month_filled_by_workbook(
    county: Path, tmp_path: Path
) -> None:
    import_workbook(save(october_book(county), tmp_path / "10.xlsx"), county)
    register, _ = check(county)
    september = compute_month(register, Month(2020, 9)).totals
    october = compute_month(register, OCTOBER)
    # every project's 累计 carried: the county's total is the sum of the carried figures
    assert october.totals.invested == september.invested == 105130
    assert october.totals.invested == sum(r.invested for r in october.rows if r.invested)
    assert october.totals.invested_year >= september.invested_year


def test_the_import_names_each_project_whose_investment_is_missing_or_lower(
    county: Path, tmp_path: Path
) -> None:
    wb = october_book(county)
    ws = wb["报告"]
    ws.cell(row_of(ws, "beiqu-wushui"), 5).value = None
    ws.cell(row_of(ws, "xian-yiyuan"), 5).value = 9000
    result = import_workbook(save(wb, tmp_path / "10.xlsx"), county)
    notes = [str(w) for w in result.warnings]
    assert (
        f"报告!E{row_of(ws, 'beiqu-wushui')} 累计完成投资（万元）: warning: 累计完成投资 is empty; it "
        "was 9300 (10k CNY) in 2020-09, and the county's total would leave this project out "
        "(fill in the investment to date)"
    ) in notes
    assert (
        f"报告!E{row_of(ws, 'xian-yiyuan')} 累计完成投资（万元）: warning: 累计完成投资 9000 is lower "
        "than 10100 in 2020-09 (10k CNY) (an amount to date never falls; if it must be lowered, "
        "give the reason in 存在问题)"
    ) in notes


def test_a_row_left_empty_is_unreported_in_one_warning(county: Path, tmp_path: Path) -> None:
    wb = october_book(county)
    ws = wb["报告"]
    rows = [row_of(ws, "nanqu-dianshang"), row_of(ws, "zhijiao-shixun")]
    for row in rows:
        ws.cell(row, 3).value = ws.cell(row, 4).value = None  # 具体进度 and 实际进度
    result = import_workbook(save(wb, tmp_path / "10.xlsx"), county)
    notes = [str(w) for w in result.warnings]
    assert notes[0] == (
        "报告: warning: 2 projects with neither 具体进度 nor 实际进度: not reported this month "
        f"(the board shows 未报送): nanqu-dianshang (报告!A{rows[0]}), zhijiao-shixun "
        f"(报告!A{rows[1]}) (if a project did report, fill in its 具体进度 and 实际进度)"
    )
    assert not any("no entry for" in n for n in notes)  # said once, not once more a project
    register, _ = check(county)
    board = compute_month(register, OCTOBER)
    silent = [r.project.id for r in board.rows if r.status == "no_report"]
    assert silent == ["nanqu-dianshang", "zhijiao-shixun"]
    # the same row emptied later takes the project out of the month with --update
    wb = openpyxl.load_workbook(io.BytesIO(template_from(county, OCTOBER)))
    ws = wb["报告"]
    row = row_of(ws, "beiqu-wushui")
    ws.cell(row, 3).value = ws.cell(row, 4).value = ws.cell(row, 5).value = None
    import_workbook(save(wb, tmp_path / "10b.xlsx"), county, update=True)
    report = check(county)[0].report(OCTOBER)
    assert report is not None and "beiqu-wushui" not in report.entries


def test_half_a_row_is_still_an_error_naming_the_way_to_say_unreported(
    county: Path, tmp_path: Path
) -> None:
    from board.xlsx import WorkbookError

    wb = october_book(county)
    ws = wb["报告"]
    row = row_of(ws, "beiqu-wushui")
    ws.cell(row, 3).value = None  # 具体进度 empty, 实际进度 carried
    with pytest.raises(WorkbookError) as failure:
        import_workbook(save(wb, tmp_path / "10.xlsx"), county)
    assert [str(p) for p in failure.value.problems] == [
        f"报告!C{row} 具体进度: expected text, got an empty cell (fill it in; for a project that "
        "did not report this month, empty its 实际进度 too)"
    ]


def test_the_workbook_takes_every_spelling_the_manual_and_its_instructions_name(
    county: Path, tmp_path: Path
) -> None:
    wb = october_book(county)
    instructions = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    manual = (ROOT / "docs" / "zh-CN" / "使用手册.md").read_text(encoding="utf-8")
    spellings = ["2020-11-30", "2020.11.30", "2020/11/30", "2020年11月30日", "65%", "６５％"]
    for spelling in spellings:
        assert spelling in instructions and spelling in manual, spelling
    ws = wb["报告"]
    cells = {
        # 实际进度: a percent typed in Excel (stored 0.65, formatted %), the same as a bare
        # fraction, a fullwidth number, and text with a percent sign
        "beiqu-wushui": (0.75, "0%"),
        "nanqu-changfang": (0.5, "General"),
        "luozhuang-fangzhi": ("６５", "General"),
        "disituan-lengku": ("95%", "General"),
    }
    for pid, (value, number_format) in cells.items():
        cell = ws.cell(row_of(ws, pid), 4)
        cell.value, cell.number_format = value, number_format
    dates = {"beiqu-wushui": "2020.11.30", "nanqu-changfang": "2020年12月31日"}
    for pid, text in dates.items():
        ws.cell(row_of(ws, pid), 8).value = "设备到货延迟"
        ws.cell(row_of(ws, pid), 9).value = text
    import_workbook(save(wb, tmp_path / "10.xlsx"), county)
    report = check(county)[0].report(OCTOBER)
    assert report is not None
    percents = {pid: report.entries[pid].percent for pid in cells}
    assert percents == {
        "beiqu-wushui": 75,
        "nanqu-changfang": 50,
        "luozhuang-fangzhi": 65,
        "disituan-lengku": 95,
    }
    assert str(report.entries["beiqu-wushui"].catch_up_by) == "2020-11-30"
    assert str(report.entries["nanqu-changfang"].catch_up_by) == "2020-12-31"


def changed_lines(before: str, after: str) -> list[str]:
    return [
        line
        for line in difflib.unified_diff(before.splitlines(), after.splitlines(), lineterm="")
        if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))
    ]


def test_update_changes_only_the_lines_that_change(county: Path, tmp_path: Path) -> None:
    """A correction of September by workbook: one percent and one leader changed; the report's
    and the project's comments, key order and every other line stay (a diff of the files)."""
    report = county / "reports" / "2020-09.yaml"
    project = county / "projects" / "xian-yiyuan.yaml"
    project.write_text(
        "# 县卫健局负责，每月5日前报送\n" + project.read_text(encoding="utf-8"), encoding="utf-8"
    )
    before = {p: p.read_text(encoding="utf-8") for p in (report, project)}
    wb = openpyxl.load_workbook(io.BytesIO(template_from(county, Month(2020, 9))))
    ws = wb["报告"]
    ws.cell(row_of(ws, "xian-yiyuan"), 4).value = 56
    projects = wb["项目"]
    row = next(
        r for r in range(2, projects.max_row + 1) if projects.cell(r, 1).value == "xian-yiyuan"
    )
    projects.cell(row, 3).value = "陈丽华（常务副县长）"
    untouched = tree_digest(county / "photos")
    shown: list[str] = []
    result = import_workbook(save(wb, tmp_path / "09.xlsx"), county, update=True, echo=shown.append)
    assert sorted(p.name for p in result.updated) == ["2020-09.yaml", "xian-yiyuan.yaml"]
    assert changed_lines(before[report], report.read_text(encoding="utf-8")) == [
        "-    percent: 55",
        "+    percent: 56",
    ]
    assert changed_lines(before[project], project.read_text(encoding="utf-8")) == [
        "-leader: 陈丽华（副县长）",
        "+leader: 陈丽华（常务副县长）",
    ]
    diff = "\n".join(shown)
    assert diff.count("\n-") + diff.startswith("-") == 4  # two files, one line out each
    assert tree_digest(county / "photos") == untouched
