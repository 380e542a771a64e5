"""The office's workbooks: a template filled in by hand imports to the expected content; broken
workbooks give every error at once, named by sheet and cell, and write nothing; the register
round-trips through a workbook; the monthly export is stable."""

from __future__ import annotations

import dataclasses
import hashlib
import io
import shutil
import tempfile
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from board.build import render_all
from board.cli import main
from board.errors import Pos
from board.load import Mapping, parse_yaml
from board.model import Month, Register
from board.validate import check
from board.xlsx import (
    WorkbookError,
    export_workbook,
    import_workbook,
    template_from,
    template_workbook,
    text_scalar,
)
from tests.conftest import BOARD_YAML, CONTENT, project_yaml, write_files

Book = openpyxl.Workbook


def tree_digest(root: Path) -> dict[str, str]:
    return {
        str(p.relative_to(root)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(root.rglob("*"))
        if p.is_file()
    }


def blank_register(tmp_path: Path) -> Path:
    """A new register: only board.yaml, as the office starts one."""
    return write_files(tmp_path / "content", {"board.yaml": BOARD_YAML})


def filled_template() -> Book:
    """`board template`'s workbook, filled in as the office would: two projects, a report."""
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    ws = wb["项目"]
    ws["A2"], ws["B2"], ws["C2"], ws["D2"] = "beiqu-wushui", "北区污水处理厂", "王建国", "住建局"
    ws["E2"], ws["F2"] = date(2020, 1, 1), date(2020, 12, 31)
    ws["G2"], ws["H2"], ws["J2"], ws["K2"] = "县水务公司", "北区", 12500, 1
    ws["L2"] = "日处理污水 **2万吨**。\n二期配套管网。"
    ws["A3"], ws["B3"], ws["C3"], ws["D3"] = (
        "sitong-wuliu",
        "第四疃镇物流园",
        "李志强",
        "第四疃镇人民政府",
    )
    ws["E3"], ws["F3"] = date(2020, 3, 1), date(2021, 6, 30)
    ms = wb["责任清单"]
    ms.append(["beiqu-wushui", "完成设备招标", "县水务公司", date(2020, 5, 31), "是"])
    ms.append(["beiqu-wushui", "主体完工", "住建局", date(2020, 10, 31)])
    pl = wb["计划进度"]
    pl.append(["beiqu-wushui", "2020-09", 70])
    rs = wb["报告"]
    rs["B1"] = "2020-09"
    rs.append(["beiqu-wushui", "北区污水处理厂", "主体结构完工，设备安装进行中", 65, 8200])
    rs.append(
        [
            "sitong-wuliu",
            "第四疃镇物流园",
            "仓储区基础施工",
            20,
            None,
            "征地拆迁滞后",
            "每周调度",
            "拆迁未完成",
            date(2020, 11, 30),
        ]
    )
    return wb


def save(wb: Book, path: Path) -> Path:
    wb.save(path)
    return path


EXPECTED_PROJECT = """\
id: beiqu-wushui
name: 北区污水处理厂
leader: 王建国
unit: 住建局
start: 2020-01-01
deadline: 2020-12-31
owner: 县水务公司
location: 北区
investment: 12500
order: 1
summary: |-
  日处理污水 **2万吨**。
  二期配套管网。
milestones:
  - task: 完成设备招标
    owner: 县水务公司
    due: 2020-05-31
    done: true
  - task: 主体完工
    owner: 住建局
    due: 2020-10-31
plan:
  2020-09: 70
"""

EXPECTED_REPORT = """\
month: 2020-09
projects:
  beiqu-wushui:
    percent: 65
    progress: 主体结构完工，设备安装进行中
    invested: 8200
  sitong-wuliu:
    percent: 20
    progress: 仓储区基础施工
    problems: 征地拆迁滞后
    measures: 每周调度
    reason: 拆迁未完成
    catch_up_by: 2020-11-30
"""


def test_template_has_chinese_headers_validation_and_instructions() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook()))
    assert wb.sheetnames == [
        "说明",
        "设置",
        "项目",
        "责任清单",
        "计划进度",
        "年度计划投资",
        "调整记录",
        "信息公开",
        "报告",
    ]
    settings = [[c.value for c in row] for row in wb["设置"].iter_rows(max_row=4)]
    assert settings == [
        ["设置项", "字段", "值"],
        ["标题", "title", None],
        ["发布单位", "issuer", None],
        ["监督电话", "hotline", None],
    ]
    headers = [c.value for c in wb["项目"][1]]
    assert headers[:6] == ["编号", "项目名称", "分包县领导", "分包单位", "开工时间", "完成时限"]
    report = wb["报告"]
    assert report["A1"].value == "月份"
    assert [c.value for c in report[2]][:4] == ["编号", "项目名称", "具体进度", "实际进度"]
    rules = {
        (dv.type, str(dv.sqref).split(":")[0]): dv for dv in report.data_validations.dataValidation
    }
    # 实际进度 0-100, a fraction too (65% typed in Excel is 0.65), and a text date such as
    # 2020.11.30 in 限期赶上: Excel asks (warning style), it does not refuse (issue 20)
    percent = rules[("decimal", "D3")]
    assert (percent.formula1, percent.formula2, percent.errorStyle) == ("0", "100", "warning")
    assert rules[("date", "I3")].errorStyle == "warning"
    assert rules[("list", "A3")].formula1.startswith("'项目'!$A$2:$A$")
    project_rules = {
        (dv.type, str(dv.sqref).split(":")[0]) for dv in wb["项目"].data_validations.dataValidation
    }
    assert {("date", "E2"), ("date", "F2"), ("decimal", "J2")} <= project_rules
    instructions = "\n".join(str(c.value) for row in wb["说明"].iter_rows() for c in row if c.value)
    assert "凡是达不到要求的，要说明原因，限期赶上" in instructions
    assert "--update" in instructions


def test_template_is_deterministic() -> None:
    assert template_workbook() == template_workbook()


def test_filled_template_imports_to_the_expected_content(tmp_path: Path) -> None:
    content = blank_register(tmp_path)
    book = save(filled_template(), tmp_path / "报表.xlsx")
    result = import_workbook(book, content)
    assert [p.name for p in result.created] == [
        "beiqu-wushui.yaml",
        "sitong-wuliu.yaml",
        "2020-09.yaml",
    ]
    assert (content / "projects" / "beiqu-wushui.yaml").read_text(
        encoding="utf-8"
    ) == EXPECTED_PROJECT
    assert (content / "reports" / "2020-09.yaml").read_text(encoding="utf-8") == EXPECTED_REPORT
    register, warnings = check(content)
    assert [p.id for p in register.projects] == ["beiqu-wushui", "sitong-wuliu"]
    assert register.project("beiqu-wushui").investment == 12500.0
    assert register.project("beiqu-wushui").milestones[0].done is True
    assert register.reports[0].entries["sitong-wuliu"].catch_up_by == date(2020, 11, 30)
    assert warnings == []


def test_importing_the_same_workbook_again_changes_nothing(tmp_path: Path) -> None:
    content = blank_register(tmp_path)
    book = save(filled_template(), tmp_path / "报表.xlsx")
    import_workbook(book, content)
    before = tree_digest(content)
    result = import_workbook(book, content)
    assert (result.created, result.updated, len(result.unchanged)) == ([], [], 3)
    assert tree_digest(content) == before


def test_wps_style_cells_are_read_as_the_office_typed_them(tmp_path: Path) -> None:
    """WPS and hand-made sheets: text dates, '65%' as text, a percent-formatted 0.4, headers
    in row 1 of the report sheet with the month given by --month, half-width brackets."""
    content = blank_register(tmp_path)
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "项目"
    ws.append(
        ["编号", "项目名称", "分包县领导", "分包单位", "开工时间", "完成时限", "总投资(万元)"]
    )
    ws.append(["a", "甲", "王", "住建局", "2020-01-01", datetime(2020, 12, 31), "1,200"])
    ws.append(["b", "乙", "李", "住建局", "2020-01-01", "2020-12-31", 300.0])
    rs = wb.create_sheet("报告")
    rs.append(["编号", "具体进度", "实际进度"])
    rs.append(["a", "施工中", "65%"])
    rs.append(["b", "施工中", 0.4])
    rs["C3"].number_format = "0%"
    wb.create_sheet("Sheet3")  # an empty sheet WPS adds: ignored
    import_workbook(save(wb, tmp_path / "wps.xlsx"), content, month=Month(2020, 9))
    register, _ = check(content)
    assert register.project("a").investment == 1200.0
    assert register.project("a").deadline == date(2020, 12, 31)
    entries = register.reports[0].entries
    assert (entries["a"].percent, entries["b"].percent) == (65, 40)


# -- broken workbooks ------------------------------------------------------------------------


def _wrong_header(wb: Book) -> None:
    wb["项目"]["C1"] = "分包领导"


def _bad_date(wb: Book) -> None:
    wb["项目"]["F3"] = "2021-02-30"


def _percent_150(wb: Book) -> None:
    wb["报告"]["D3"] = 150


def _duplicate_id(wb: Book) -> None:
    wb["项目"].append(["beiqu-wushui", "北区污水处理厂二期", "王建国", "住建局", date(2021, 1, 1)])


def _empty_required(wb: Book) -> None:
    wb["报告"]["C4"] = None


def _merged(wb: Book) -> None:
    wb["报告"].merge_cells("F3:F4")


def _extra_sheet(wb: Book) -> None:
    wb.create_sheet("Sheet2")["B2"] = "备用"


BROKEN: dict[str, tuple[Callable[[Book], None], list[str]]] = {
    "wrong header": (
        _wrong_header,
        [
            "项目!A1: missing column 分包县领导 (the header row 1 needs the columns 编号, 项目名称, 分包县领导, 分包单位, 开工时间, 完成时限)",
            "项目!C1: unknown column header '分包领导' (did you mean 分包县领导?)",
        ],
    ),
    "bad date": (
        _bad_date,
        [
            "项目!F3 完成时限: expected a date YYYY-MM-DD, got 2021-02-30 (February has 28 days in 2021)"
        ],
    ),
    "percent 150": (
        _percent_150,
        ["报告!D3 实际进度: expected a whole percent 0-100, got 150"],
    ),
    "duplicate id": (
        _duplicate_id,
        ["项目!A4 编号: duplicate id 'beiqu-wushui', also on row 2 (each project has one row)"],
    ),
    "empty required cell": (
        _empty_required,
        [
            "报告!C4 具体进度: expected text, got an empty cell (fill it in; for a project that "
            "did not report this month, empty its 实际进度 too)"
        ],
    ),
    "merged cells": (
        _merged,
        [
            "报告!F3:F4: merged cells are not allowed in the table (unmerge them and fill in each cell)"
        ],
    ),
    "extra sheet": (
        _extra_sheet,
        [
            "Sheet2: unexpected sheet (expected only the sheets 说明, 设置, 项目, 责任清单, 计划进度, 年度计划投资, 调整记录, 信息公开, 报告; "
            "delete it or move its data into one of them)"
        ],
    ),
}


@pytest.mark.parametrize("case", list(BROKEN))
def test_broken_workbook_gives_its_exact_errors_and_writes_nothing(
    case: str, tmp_path: Path
) -> None:
    content = blank_register(tmp_path)
    before = tree_digest(content)
    breaks, expected = BROKEN[case]
    wb = filled_template()
    breaks(wb)
    with pytest.raises(WorkbookError) as failure:
        import_workbook(save(wb, tmp_path / "bad.xlsx"), content)
    assert [str(p) for p in failure.value.problems] == expected
    assert tree_digest(content) == before


def test_every_error_of_a_workbook_is_shown_at_once(tmp_path: Path) -> None:
    content = blank_register(tmp_path)
    wb = filled_template()
    for breaks, _ in BROKEN.values():
        if breaks is not _wrong_header:
            breaks(wb)
    wb["报告"]["C3"] = "设备\u200b安装"
    with pytest.raises(WorkbookError) as failure:
        import_workbook(save(wb, tmp_path / "bad.xlsx"), content)
    wheres = [p.where for p in failure.value.problems]
    assert wheres == [
        "项目!F3",
        "项目!A4",
        "报告!C3",
        "报告!D3",
        "报告!F3:F4",
        "报告!C4",
        "Sheet2",
    ]
    assert "U+200B (ZERO WIDTH SPACE)" in str(failure.value.problems[2])
    assert list((content / "projects").glob("*")) == []


def test_cli_import_prints_errors_and_exits_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    content = blank_register(tmp_path)
    wb = filled_template()
    _percent_150(wb)
    code = main(["import", str(save(wb, tmp_path / "b.xlsx")), "--content", str(content)])
    _out, err = capsys.readouterr()
    assert code == 1
    assert err.splitlines() == [
        "报告!D3 实际进度: expected a whole percent 0-100, got 150",
        "failed: 1 error in the workbook; nothing was written",
    ]
    assert not (content / "projects").exists()


def test_unknown_project_in_the_report(tmp_path: Path, scratch: Path) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_workbook(months=[Month(2020, 10)])))
    wb["报告"].append(["c", "", "施工", 10])
    with pytest.raises(WorkbookError) as failure:
        import_workbook(save(wb, tmp_path / "r.xlsx"), scratch)
    assert [str(p) for p in failure.value.problems] == [
        f"报告!A3 编号: unknown project 'c': not in sheet 项目 nor in {scratch}/projects "
        "(add it to sheet 项目 first)"
    ]
    assert not (scratch / "reports" / "2020-10.yaml").exists()


# -- updating existing files -----------------------------------------------------------------


def rich_scratch(root: Path) -> Path:
    """A register whose project has fields the sheet does not replace: summary, plan."""
    return write_files(
        root,
        {
            "board.yaml": BOARD_YAML,
            "projects/a.yaml": project_yaml("a", order=1)
            + "# 按季度调度\nsummary: |\n  第一段。\n\n  第二段。\nplan:\n  2020-06: 30\n  2020-09: 60\n",
            "reports/2020-09.yaml": "month: 2020-09\nprojects:\n  a: {percent: 70, progress: 主体封顶}\n",
        },
    )


def test_existing_files_are_never_overwritten_without_update(tmp_path: Path) -> None:
    content = rich_scratch(tmp_path / "content")
    before = tree_digest(content)
    wb = openpyxl.load_workbook(io.BytesIO(template_from(content, Month(2020, 9))))
    wb["项目"]["C2"] = "张新"
    book = save(wb, tmp_path / "u.xlsx")
    with pytest.raises(WorkbookError) as failure:
        import_workbook(book, content)
    assert [str(p) for p in failure.value.problems] == [
        f"{content}/projects/a.yaml: exists and the workbook changes it "
        "(run again with --update to replace it; the changes are shown first)"
    ]
    assert tree_digest(content) == before


def test_update_shows_the_change_first_and_keeps_the_other_fields(tmp_path: Path) -> None:
    content = rich_scratch(tmp_path / "content")
    wb = openpyxl.load_workbook(io.BytesIO(template_from(content, Month(2020, 9))))
    wb["项目"]["C2"] = "张新"
    wb["报告"]["C3"] = "主体封顶，开始安装"
    shown: list[str] = []
    result = import_workbook(save(wb, tmp_path / "u.xlsx"), content, update=True, echo=shown.append)
    assert [p.name for p in result.updated] == ["a.yaml", "2020-09.yaml"]
    diff = "\n".join(shown)
    assert "--- a/projects/a.yaml\n+++ b/projects/a.yaml" in diff
    assert "-leader: 领导a\n+leader: 张新" in diff
    # the file's own lines stay: its flow mapping, its comment (issue 20)
    assert (
        "-  a: {percent: 70, progress: 主体封顶}\n+  a: {percent: 70, progress: 主体封顶，开始安装}"
        in diff
    )
    assert "# 按季度调度\n" in (content / "projects" / "a.yaml").read_text(encoding="utf-8")
    register, _ = check(content)
    project = register.project("a")
    assert project.leader == "张新"
    assert project.summary == "第一段。\n\n第二段。"
    assert project.plan == ((Month(2020, 6), 30), (Month(2020, 9), 60))
    assert register.reports[0].entries["a"].progress == "主体封顶，开始安装"


def test_dry_run_shows_the_changes_and_writes_nothing(tmp_path: Path) -> None:
    content = rich_scratch(tmp_path / "content")
    before = tree_digest(content)
    wb = openpyxl.load_workbook(io.BytesIO(template_from(content, Month(2020, 10))))
    wb["报告"]["C3"] = "设备安装"
    shown: list[str] = []
    result = import_workbook(
        save(wb, tmp_path / "n.xlsx"), content, dry_run=True, echo=shown.append
    )
    assert result.summary().startswith("would write 1 new and 0 updated files")
    assert shown[0].startswith("--- /dev/null\n+++ b/reports/2020-10.yaml")
    assert tree_digest(content) == before


def test_template_for_a_new_month_carries_the_percent_over(scratch: Path) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_from(scratch)))
    rs = wb["报告"]
    assert rs["B1"].value == "2020-10"
    rows = [[c.value for c in row][:4] for row in rs.iter_rows(min_row=3) if row[0].value]
    assert rows == [["a", "项目a", None, 70], ["b", "项目b", None, 60]]


# -- round trip: a register through a workbook and back ---------------------------------------


def _same(a: Register, b: Register) -> None:
    def strip(items: tuple) -> list:
        # where a project is (coordinates, GeoJSON files) stays in its YAML file and assets/:
        # the workbook carries the place's name only (issue 26)
        return [
            dataclasses.replace(
                x, source=Pos(""), **({"geometry": None} if hasattr(x, "geometry") else {})
            )
            for x in items
        ]

    assert strip(a.projects) == strip(b.projects)
    assert strip(a.reports) == strip(b.reports)


@pytest.mark.parametrize("which", ["example county", "big register"])
def test_round_trip_gives_the_same_register_and_board(
    which: str, tmp_path: Path, big_register: Path
) -> None:
    source = CONTENT if which == "example county" else big_register
    original, _ = check(source)
    assert original.projects and len(original.months) >= 2
    book = tmp_path / "register.xlsx"
    book.write_bytes(template_from(source, all_months=True))
    assert [n for n in openpyxl.load_workbook(book).sheetnames if n.startswith("报告")] == [
        f"报告 {m}" for m in original.months
    ]
    target = tmp_path / "content"  # an empty folder: the settings come from sheet 设置
    if (source / "photos").is_dir():  # the workbook names the photo files; they travel apart
        shutil.copytree(source / "photos", target / "photos")
    import_workbook(book, target)
    imported, _ = check(target)
    _same(original, imported)
    # the county's map is kept in board.yaml, not in the workbook (issue 26)
    assert dataclasses.replace(original.config, source=Pos(""), map=None) == dataclasses.replace(
        imported.config, source=Pos("")
    )
    files_a, _, _ = render_all(source, stages=("data",))
    files_b, _, _ = render_all(target, stages=("data",))
    files_a.pop("site/data/projects.geojson", None)
    assert files_a == files_b
    # and importing it once more over itself finds nothing to change
    result = import_workbook(book, target)
    assert (result.created, result.updated) == ([], [])


# -- export ----------------------------------------------------------------------------------


def test_export_has_the_board_and_the_ranking(scratch: Path) -> None:
    data = export_workbook(scratch, Month(2020, 9))
    assert data == export_workbook(scratch, Month(2020, 9))
    wb = openpyxl.load_workbook(io.BytesIO(data))
    assert wb.sheetnames == ["公示表", "进度排名", "进度滞后项目"]
    board = wb["公示表"]
    assert board["A1"].value == "全县重点项目建设进度公示 · 公示表 · 2020年9月"
    assert [c.value for c in board[4]][:6] == [
        "序号",
        "项目名称",
        "分包县领导",
        "分包单位",
        "完成时限",
        "具体进度",
    ]
    assert [board.cell(r, 2).value for r in (5, 6)] == ["项目a", "项目b"]
    assert board["F5"].value == "主体封顶" and board["G5"].value == 70
    assert (board["G5"].number_format, board["H5"].number_format) == ('0"%"', '0.0"%"')
    assert board["H6"].value == 74.8 and board["I6"].value == -14.8
    ranking = wb["进度排名"]
    assert [[ranking.cell(r, c).value for c in (1, 3)] for r in (5, 6)] == [
        [1, "项目a"],
        [2, "项目b"],
    ]
    behind = wb["进度滞后项目"]
    assert behind["B5"].value == "项目b" and behind["B6"].value is None


def test_cli_template_and_export_refuse_to_overwrite(
    capsys: pytest.CaptureFixture[str], scratch: Path, tmp_path: Path
) -> None:
    out = tmp_path / "t.xlsx"
    assert main(["template", "--out", str(out)]) == 0
    out.write_bytes(b"filled in by the office")
    assert main(["template", "--out", str(out)]) == 1
    assert out.read_bytes() == b"filled in by the office"
    assert "already exists" in capsys.readouterr().err
    export = tmp_path / "e.xlsx"
    assert main(["export", str(scratch), "--month", "2020-08", "--out", str(export)]) == 0
    assert "the board and ranking of 2020-08" in capsys.readouterr().out
    assert openpyxl.load_workbook(export)["公示表"]["A1"].value.endswith("2020年8月")


# -- the YAML the import writes --------------------------------------------------------------


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.characters(blacklist_categories=("Cs",)), min_size=1))
def test_text_reads_back_as_the_same_text(text: str) -> None:
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    problems: list = []
    first, *rest = text_scalar(text).split("\n")
    written = "\n".join([f"k: {first}", *(f"  {line}" if line else "" for line in rest)])
    root = parse_yaml(written + "\n", "t", problems)
    assert problems == []
    assert isinstance(root, Mapping)
    assert root.items[0][1].value == text


def test_month_option_picks_one_of_several_report_sheets(scratch: Path, tmp_path: Path) -> None:
    book = tmp_path / "all.xlsx"
    book.write_bytes(template_from(scratch, all_months=True))
    content = write_files(tmp_path / "fresh", {"board.yaml": BOARD_YAML})
    result = import_workbook(book, content, month=Month(2020, 8))
    assert sorted(p.name for p in result.created) == ["2020-08.yaml", "a.yaml", "b.yaml"]
    with pytest.raises(WorkbookError) as failure:
        import_workbook(book, content, month=Month(2020, 7))
    assert [str(p) for p in failure.value.problems] == [
        "all.xlsx 月份: no report sheet for 2020-07 among 报告 2020-08, 报告 2020-09"
    ]


def test_month_option_must_agree_with_the_sheet(scratch: Path, tmp_path: Path) -> None:
    book = tmp_path / "one.xlsx"
    book.write_bytes(template_from(scratch, Month(2020, 9)))
    with pytest.raises(WorkbookError) as failure:
        import_workbook(book, scratch, month=Month(2020, 10))
    assert [str(p) for p in failure.value.problems] == [
        "报告!B1 月份: the sheet is the report for 2020-09, but --month 2020-10 was given "
        "(correct the cell or the --month option)"
    ]


def test_cli_import_update_prints_the_diff_then_the_summary(
    capsys: pytest.CaptureFixture[str], scratch: Path, tmp_path: Path
) -> None:
    book = tmp_path / "u.xlsx"
    assert main(["template", "--from", str(scratch), "--month", "2020-09", "--out", str(book)]) == 0
    assert capsys.readouterr().out == f"wrote {book}\n"
    wb = openpyxl.load_workbook(book)
    wb["报告"]["D4"] = 66
    wb.save(book)
    assert main(["import", str(book), "--content", str(scratch)]) == 1
    assert "exists and the workbook changes it" in capsys.readouterr().err
    assert main(["import", str(book), "--content", str(scratch), "--update"]) == 0
    out, err = capsys.readouterr()
    assert out.splitlines()[:2] == ["--- a/reports/2020-09.yaml", "+++ b/reports/2020-09.yaml"]
    # only the changed line, in the file's own flow style (issue 20)
    assert (
        "-  b: {percent: 60, progress: 主体施工}\n+  b: {percent: 66, progress: 主体施工}\n" in out
    )
    assert out.splitlines()[-1] == "wrote 0 new and 1 updated files, 3 unchanged, 0 warnings"
    assert err == ""  # 66% is within 10 points of the 74.8% planned: no warning left
    assert check(scratch)[0].reports[-1].entries["b"].percent == 66


@pytest.mark.parametrize("name", ["报表.xls", "报表.xlsx"])
def test_a_file_that_is_not_an_xlsx_workbook(name: str, tmp_path: Path) -> None:
    content = blank_register(tmp_path)
    book = tmp_path / name
    book.write_bytes(b"\xd0\xcf\x11\xe0 an old binary workbook")
    with pytest.raises(WorkbookError) as failure:
        import_workbook(book, content)
    assert [str(p) for p in failure.value.problems] == [
        f"{book}: cannot read the workbook: not an .xlsx workbook (save it as an Excel workbook "
        "(.xlsx) from Excel or WPS; .xls and .et files are not read)"
    ]


def test_errors_name_cells_whatever_the_working_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The import validates in a temporary folder; its paths never reach the messages, even
    when that folder is inside the working folder (and so shown relative to it)."""
    (tmp_path / "tmp").mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path / "tmp"))
    content = blank_register(tmp_path)
    wb = filled_template()
    _percent_150(wb)
    with pytest.raises(WorkbookError) as failure:
        import_workbook(save(wb, tmp_path / "b.xlsx"), Path("content"))
    assert [str(p) for p in failure.value.problems] == [
        "报告!D3 实际进度: expected a whole percent 0-100, got 150"
    ]
    assert content.is_dir()


def test_an_empty_report_sheet_is_not_a_report(tmp_path: Path) -> None:
    content = blank_register(tmp_path)
    wb = filled_template()
    report = wb["报告"]
    report["B1"] = None  # the month, and every row below the headers
    for row in report.iter_rows(min_row=3):
        for cell in row:
            cell.value = None
    result = import_workbook(save(wb, tmp_path / "p.xlsx"), content)
    assert [p.name for p in result.created] == ["beiqu-wushui.yaml", "sitong-wuliu.yaml"]
    assert not (content / "reports").exists()
    wb.remove(report)
    wb.create_sheet("报告")  # quite empty, headers and all
    result = import_workbook(save(wb, tmp_path / "p.xlsx"), content)
    assert (result.created, len(result.unchanged)) == ([], 2)


def test_template_of_a_register_without_reports_leaves_the_month_to_fill(
    scratch: Path,
) -> None:
    for report in (scratch / "reports").iterdir():
        report.unlink()
    wb = openpyxl.load_workbook(io.BytesIO(template_from(scratch)))
    rs = wb["报告"]
    assert rs["B1"].value is None  # no clock decides the month
    rows = [[c.value for c in row][:4] for row in rs.iter_rows(min_row=3) if row[0].value]
    assert rows == [["a", "项目a", None, 0], ["b", "项目b", None, 0]]


def test_a_problem_in_a_file_the_workbook_does_not_touch_is_shown_as_board_check_shows_it(
    scratch: Path, tmp_path: Path
) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(template_from(scratch, Month(2020, 9))))
    for name in ("项目", "责任清单", "计划进度"):  # the report only, as a unit sends it
        wb.remove(wb[name])
    book = save(wb, tmp_path / "r.xlsx")
    project = scratch / "projects" / "b.yaml"
    project.write_text(project.read_text().replace("2020-12-31", "2020-02-30"), encoding="utf-8")
    with pytest.raises(WorkbookError) as failure:
        import_workbook(book, scratch)
    assert [str(p) for p in failure.value.problems] == [
        f"{project}:6:11: deadline (完成时限): expected a date YYYY-MM-DD, got 2020-02-30 "
        "(February has 29 days in 2020)"
    ]


def test_settings_sheet_makes_board_yaml_in_an_empty_folder(tmp_path: Path) -> None:
    wb = filled_template()
    st = wb["设置"]
    values = {"title": "全县重点项目建设进度公示", "issuer": "县重点项目建设办公室"}
    values |= {"hotline": "0310-7212345", "screen.night": "22:00-07:00", "thresholds.behind": 5}
    for row in st.iter_rows(min_row=2):
        if row[1].value in values:
            row[2].value = values[row[1].value]
    content = tmp_path / "new"
    import_workbook(save(wb, tmp_path / "s.xlsx"), content)
    assert (content / "board.yaml").read_text(encoding="utf-8") == (
        "title: 全县重点项目建设进度公示\n"
        "issuer: 县重点项目建设办公室\n"
        "hotline: 0310-7212345\n"
        "thresholds:\n"
        "  behind: 5\n"
        "screen:\n"
        '  night: "22:00-07:00"\n'
    )
    register, _ = check(content)
    assert (register.config.thresholds.behind, register.config.screen.night) == (5, "22:00-07:00")


def test_settings_sheet_errors_name_their_cells(tmp_path: Path) -> None:
    wb = filled_template()
    st = wb["设置"]
    st["C2"] = "全县重点项目建设进度公示"  # title; issuer and hotline left empty
    st["C13"] = 100  # screen.width (below thresholds.behind and the two 重大调整 thresholds)
    st.append(["", "screen.widht", 1920])
    typo_row = st.max_row  # below the last setting (the bulletin's settings end the sheet)
    with pytest.raises(WorkbookError) as failure:
        import_workbook(save(wb, tmp_path / "s.xlsx"), tmp_path / "new")
    assert [str(p) for p in failure.value.problems] == [
        "设置 发布单位: required field is missing (expected text)",
        "设置 监督电话: required field is missing (expected text)",
        "设置!C13 大屏宽度: expected 320 to 7680, got 100",
        f"设置!B{typo_row} 字段: unknown setting 'screen.widht' (did you mean screen.width?)",
    ]
    assert not (tmp_path / "new").exists()


def test_settings_left_empty_keep_board_yaml_as_it_is(scratch: Path, tmp_path: Path) -> None:
    before = (scratch / "board.yaml").read_bytes()
    wb = filled_template()
    wb.remove(wb["报告"])  # new projects only
    result = import_workbook(save(wb, tmp_path / "p.xlsx"), scratch)
    assert [p.name for p in result.created] == ["beiqu-wushui.yaml", "sitong-wuliu.yaml"]
    assert scratch / "board.yaml" not in result.created + result.updated + result.unchanged
    assert (scratch / "board.yaml").read_bytes() == before


def test_export_shows_the_one_status_legend(scratch: Path) -> None:
    from board.i18n import STATUS_COLOUR

    wb = openpyxl.load_workbook(io.BytesIO(export_workbook(scratch, Month(2020, 9))))
    board = wb["公示表"]
    assert board["A3"].value == (
        "图例：● 正常推进  ◐ 进度滞后  × 已超期  ✓ 已完成  ◎ 逾期完成  ○ 未报送  进度：实际/计划"
    )
    header = [c.value for c in board[4]]
    status = header.index("状态") + 1
    assert header.index("实际进度") < header.index("计划进度")
    # a: 70% against 74.8% planned, on track; b: 60%, behind
    cells = [board.cell(r, status) for r in (5, 6)]
    assert [c.value for c in cells] == ["● 正常推进", "◐ 进度滞后"]
    assert [c.fill.fgColor.rgb[-6:] for c in cells] == [
        STATUS_COLOUR["on_track"][1:],
        STATUS_COLOUR["behind"][1:],
    ]
    ranking = wb["进度排名"]
    moves = [ranking.cell(r, 2).value for r in (5, 6)]
    assert moves == ["持平", "持平"]
