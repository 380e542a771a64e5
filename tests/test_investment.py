"""Investment against the year's plan: 总投资, 年度计划投资, 本年完成投资 (1-N月), 完成率, with the
county's totals, computed once and shown the same in every output."""

from __future__ import annotations

import csv
import io
import json
import subprocess
from pathlib import Path

import openpyxl
import pytest

from board.build import BuildResult
from board.compute import compute_all, compute_month
from board.errors import ContentError
from board.model import Month
from board.validate import check
from board.xlsx import export_workbook
from tests.conftest import BOARD_YAML, CONTENT, project_yaml, write_files


def pdf_text(path: Path) -> str:
    result = subprocess.run(
        ["pdftotext", "-raw", "-enc", "UTF-8", str(path), "-"], capture_output=True, check=True
    )
    return "".join(result.stdout.decode("utf-8").split())


# -- the example county ----------------------------------------------------------------------


def test_the_county_totals_in_the_json_are_the_sums_of_the_projects(
    example_build: BuildResult,
) -> None:
    for name, data in example_build.files.items():
        if not (name.startswith("site/data/board") and name.endswith(".json")):
            continue
        board = json.loads(data)
        projects = board["projects"]

        def total(key: str, rows: list[dict] = projects) -> float:
            return round(sum(p[key] for p in rows if p[key] is not None), 4)

        totals = board["totals"]
        assert totals["projects"] == len(projects), name
        assert totals["investment"] == total("investment"), name
        assert totals["annual_investment"] == total("annual_investment"), name
        assert totals["invested_year"] == total("invested_year"), name
        assert totals["invested"] == total("invested"), name
        assert totals["investment_rate"] == round(
            totals["invested_year"] / totals["annual_investment"] * 100, 1
        )
        for p in projects:
            if p["annual_investment"] and p["invested_year"] is not None:
                assert p["investment_rate"] == round(
                    p["invested_year"] / p["annual_investment"] * 100, 1
                )
    latest = json.loads(example_build.files["site/data/board.json"])["totals"]
    # nanqu-dianshang did not report in September: counted at its August figures, and said
    carried = {"counted": 16, "missing": 0, "carried": 1}
    complete = {"counted": 16, "missing": 0, "carried": 0}
    assert latest == {
        "projects": 16,
        "investment": 188400.0,
        "annual_investment": 115400.0,
        "invested_year": 79830.0,
        "investment_rate": 69.2,
        "invested": 105130.0,
        "coverage": {
            "investment": complete,
            "annual_investment": complete,
            "invested_year": carried,
            "invested": carried,
        },
    }


def test_the_csv_carries_the_investment_columns(example_build: BuildResult) -> None:
    text = example_build.files["site/data/projects.csv"].decode("utf-8-sig")
    rows = {r["id"]: r for r in csv.DictReader(io.StringIO(text))}
    assert rows["xian-yiyuan"]["annual_investment"] == "9100.0"
    assert rows["xian-yiyuan"]["invested_year"] == "6600.0"
    assert rows["xian-yiyuan"]["investment_rate"] == "72.5"
    # derived: started in 2020, so all of invested was invested this year
    assert rows["beiqu-jiancai"]["invested_year"] == "8600.0"
    board = json.loads(example_build.files["site/data/board.json"])
    jiancai = next(p for p in board["projects"] if p["id"] == "beiqu-jiancai")
    assert jiancai["invested_year_derived"] is True


def test_the_bulletin_opens_with_the_county_totals(example_build: BuildResult) -> None:
    text = pdf_text(example_build.out_dir / "print" / "bulletin-2020-09.pdf")
    sentence = (
        "全县16个重点项目，总投资18.84亿元，年度计划投资11.54亿元，"
        "1-9月完成投资7.98亿元，占年度计划的69.2%"
        "（本年完成投资为16个项目合计，其中1个未报送项目按最近一次报送的数计入）。"
    )
    assert sentence in text
    assert text.index(sentence) < text.index("一、进度排名")


def test_the_panel_sheets_and_site_show_the_same_figures(example_build: BuildResult) -> None:
    panel = pdf_text(example_build.out_dir / "print" / "panel-2020-09.pdf")
    assert "总投资18.84亿元·年度计划投资11.54亿元·1-9月完成投资7.98亿元（69.2%）" in panel
    sheets = pdf_text(example_build.out_dir / "print" / "sheets-2020-09.pdf")
    assert "年度计划投资（万元）9100本年完成投资（万元）6600（完成率72.5%）" in sheets
    board = example_build.files["site/index.html"].decode()
    for shown in ("18.84亿元", "11.54亿元", "7.98亿元", "69.2%", "10.51亿元"):
        assert shown in board
    page = example_build.files["site/projects/xian-yiyuan/index.html"].decode()
    assert "<dt>本年完成投资（万元）</dt><dd>6600</dd>" in page
    assert "<dt>完成率（占年度计划%）</dt><dd>72.5%</dd>" in page


def test_the_export_workbook_has_the_investment_columns_and_totals() -> None:
    wb = openpyxl.load_workbook(io.BytesIO(export_workbook(CONTENT)))
    ws = wb["公示表"]
    headers = [c.value for c in ws[4]]
    for header in ("总投资（万元）", "年度计划投资（万元）", "本年完成投资（万元）", "照片文件"):
        assert header in headers
    rate = headers.index("完成率（占年度计划%）") + 1
    totals_row = 5 + 16
    assert ws.cell(totals_row, 2).value == (
        "全县投资完成情况（本年完成投资、累计完成投资为16个项目合计，"
        "其中1个未报送项目按最近一次报送的数计入）"
    )
    assert ws.cell(totals_row, rate).value == 69.2
    assert ws.cell(totals_row, headers.index("年度计划投资（万元）") + 1).value == 115400
    photo_col = headers.index("照片文件") + 1
    wushui = next(r for r in range(5, 21) if ws.cell(r, 2).value == "北区污水处理厂及配套管网工程")
    assert ws.cell(wushui, photo_col).value == (
        "photos/2020-09/beiqu-wushui-1.jpg\nphotos/2020-09/beiqu-wushui-2.jpg"
    )


# -- rules, on a scratch register ---------------------------------------------------------------


def register(root: Path, project: str, reports: dict[str, str]) -> Path:
    files = {"board.yaml": BOARD_YAML, "projects/a.yaml": project}
    files.update({f"reports/{m}.yaml": text for m, text in reports.items()})
    return write_files(root, files)


def test_invested_year_is_derived_from_the_last_report_of_the_previous_year(
    tmp_path: Path,
) -> None:
    root = register(
        tmp_path / "c",
        project_yaml(
            "a",
            start="2019-06-01",
            deadline="2021-06-30",
            investment=9000,
            annual_investment="{2019: 2000, 2020: 5000}",
        ),
        {
            "2019-11": "month: 2019-11\nprojects:\n  a: {percent: 20, progress: 基础, invested: 1500}\n",
            "2019-12": "month: 2019-12\nprojects:\n  a: {percent: 25, progress: 基础, invested: 1800}\n",
            "2020-03": "month: 2020-03\nprojects:\n  a: {percent: 35, progress: 主体, invested: 2600}\n",
            "2020-04": "month: 2020-04\nprojects:\n  a: {percent: 45, progress: 主体, invested: 3000, invested_year: 1100}\n",
        },
    )
    reg, _ = check(root)
    march = compute_month(reg, Month(2020, 3)).rows[0]
    assert (march.annual_investment, march.invested_year, march.invested_year_derived) == (
        5000,
        800,
        True,
    )
    assert march.investment_rate == 16.0
    april = compute_month(reg, Month(2020, 4)).rows[0]
    assert (april.invested_year, april.invested_year_derived) == (1100, False)  # as reported
    december = compute_month(reg, Month(2019, 12)).rows[0]
    assert (december.annual_investment, december.invested_year) == (2000, 1800)  # started 2019


def test_invested_year_is_unknown_without_the_previous_year(tmp_path: Path) -> None:
    root = register(
        tmp_path / "c",
        project_yaml("a", start="2019-06-01", deadline="2021-06-30"),
        {
            "2020-03": "month: 2020-03\nprojects:\n  a: {percent: 35, progress: 主体, invested: 2600}\n"
        },
    )
    reg, _ = check(root)
    row = compute_all(reg)[-1].rows[0]
    assert (row.invested_year, row.annual_investment, row.investment_rate) == (None, None, None)
    assert compute_all(reg)[-1].totals.investment_rate is None


def test_invested_year_above_invested_is_an_error_in_both_languages(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    register(
        tmp_path / "c",
        project_yaml("a"),
        {
            "2020-03": "month: 2020-03\nprojects:\n  a:\n    percent: 35\n    progress: 主体\n"
            "    invested: 2600\n    invested_year: 2700\n"
        },
    )
    with pytest.raises(ContentError) as failure:
        check(Path("c"))
    (problem,) = failure.value.problems
    assert problem.text("en") == (
        "c/reports/2020-03.yaml:7:20: projects.a.invested_year (本年完成投资): invested this year "
        "(2700) is above the amount invested to date (2600) (the year's amount is part of the "
        "amount to date; check both figures)"
    )
    assert problem.text("zh-CN") == (
        "c/reports/2020-03.yaml:7:20: 本年完成投资（projects.a.invested_year）: "
        "本年完成投资2700万元超过累计完成投资2600万元（本年完成投资是累计完成投资的一部分，请核对两项数字）"
    )


def test_implausible_figures_are_warnings(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    register(
        tmp_path / "c",
        project_yaml("a", investment=1000, annual_investment="{2019: 100, 2020: 900}"),
        {
            "2020-03": "month: 2020-03\nprojects:\n  a: {percent: 35, progress: 主体, invested: 3500}\n"
        },
    )
    _, warnings = check(Path("c"))
    assert [w.text("en") for w in warnings] == [
        "c/projects/a.yaml:8:21: warning: annual_investment.2019 (年度计划投资): the year 2019 is "
        "outside the project's years (2020 to 2020) (check the year, or the start and deadline)",
        "c/reports/2020-03.yaml:3:44: warning: projects.a.invested (累计完成投资): invested to date "
        "(3500) is more than 3 times the total investment (1000) (check that both amounts are in "
        "万元 (10k CNY))",
    ]
    assert (
        warnings[1]
        .text("zh-CN")
        .endswith("累计完成投资3500万元超过总投资1000万元的3倍（请核对单位是否都是万元）")
    )


def test_annual_investment_needs_years_as_keys(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    register(
        tmp_path / "c",
        project_yaml("a", annual_investment="{二〇二〇: 900}"),
        {"2020-03": "month: 2020-03\nprojects:\n  a: {percent: 35, progress: 主体}\n"},
    )
    with pytest.raises(ContentError) as failure:
        check(Path("c"))
    assert [p.text("zh-CN") for p in failure.value.problems] == [
        "c/projects/a.yaml:7:21: 年度计划投资（annual_investment）: "
        "年度计划投资的年份应为四位年份，如 2020，现为二〇二〇"
    ]
