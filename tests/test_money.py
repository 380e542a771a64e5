"""One money formatter (board/money.py) for every output, read back where a reader sees it.

Amounts are in 万元 in the register. Tables (the site's project page, the A4 sheets) write them
in 万元 with every digit they have, grouped by three from five digits on; county totals (the
panel, the bulletin and its Word copy, the site's summary) in 亿元 with two decimals. Never an
exponent (1234567.5 was printed 1.23457e+06), never a digit lost (123456.78 was 123457). The
open data keeps the exact number; the exported workbook keeps it too and shows it the same way.
"""

from __future__ import annotations

import csv
import io
import json
import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from conftest import BOARD_YAML, project_yaml, write_files
from docx import Document
from pypdf import PdfReader

from board.build import BuildResult, build
from board.money import excel_format, wan, yi
from board.xlsx.export import export_workbook


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (0.01, "0.01"),
        (0.1, "0.1"),
        (1, "1"),
        (12.5, "12.5"),
        (1234, "1234"),  # four digits stay whole (GB/T 15835)
        (12345, "12,345"),
        (44445.0, "44,445"),
        (123456.78, "123,456.78"),
        (1234567.5, "1,234,567.5"),
        (99999999.99, "99,999,999.99"),
        (1e8, "100,000,000"),
        (Decimal("2600.50"), "2600.5"),
        (0.0, "0"),
    ],
)
def test_an_amount_in_wan_has_every_digit_and_no_exponent(value: float, written: str) -> None:
    assert wan(value) == written
    assert "e" not in written.lower()


@pytest.mark.parametrize(
    ("value", "written"),
    [
        (0.01, "0.00"),
        (50, "0.01"),  # half up, as the office rounds
        (188400, "18.84"),
        (1234567.5, "123.46"),
        (123456.78, "12.35"),
        (1e8, "10,000.00"),
    ],
)
def test_a_total_in_yi_has_two_decimals(value: float, written: str) -> None:
    assert yi(value) == written


def test_the_workbook_format_shows_what_the_formatter_writes() -> None:
    assert excel_format(1234) == "0"
    assert excel_format(12345) == "#,##0"
    assert excel_format(1234567.5) == "#,##0.0"
    assert excel_format(123456.78) == "#,##0.00"
    assert excel_format(0.01) == "0.00"


AMOUNTS = {"a": 1234567.5, "b": 123456.78, "c": 0.01, "d": 1e8}


@pytest.fixture(scope="module")
def money_build(tmp_path_factory: pytest.TempPathFactory) -> tuple[BuildResult, Path]:
    """A register of four projects whose investment runs from 0.01 to 10^8 万元."""
    root = tmp_path_factory.mktemp("money") / "content"
    files = {"board.yaml": BOARD_YAML}
    for order, (pid, amount) in enumerate(AMOUNTS.items(), 1):
        files[f"projects/{pid}.yaml"] = project_yaml(
            pid,
            order=order,
            investment=amount,
            annual_investment=f"{{2020: {amount}}}",
        )
    entries = "".join(
        f"  {pid}: {{percent: 60, progress: 主体施工, invested: {amount}}}\n"
        for pid, amount in AMOUNTS.items()
    )
    files["reports/2020-09.yaml"] = "month: 2020-09\nprojects:\n" + entries
    write_files(root, files)
    return build(root, root.parent / "output"), root


def _pdf_text(data: bytes) -> str:
    return "".join(page.extract_text() or "" for page in PdfReader(io.BytesIO(data)).pages)


def _squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_the_sheets_and_the_site_write_every_amount_in_full(money_build: tuple) -> None:
    result, _ = money_build
    sheets = _squash(_pdf_text(result.files["print/sheets-2020-09.pdf"]))
    for pid, amount in AMOUNTS.items():
        page = result.files[f"site/projects/{pid}/index.html"].decode("utf-8")
        assert f"<dd>{wan(amount)}</dd>" in page, pid  # 总投资, 累计完成投资, 年度计划投资
        assert page.count(f"<dd>{wan(amount)}</dd>") >= 3, pid
        assert wan(amount) in sheets, pid
    for wrong in ("e+", "1.23457", "123457"):
        assert wrong not in sheets
    assert "1,234,567.5" in sheets and "123,456.78" in sheets and "100,000,000" in sheets


def test_county_totals_are_in_yi_in_every_output_that_shows_them(money_build: tuple) -> None:
    result, _ = money_build
    total = yi(sum(AMOUNTS.values()))  # 101,358,024.29万元
    assert total == "10,135.80"
    index = result.files["site/index.html"].decode("utf-8")
    assert f"{total}亿元" in index
    for name in ("panel", "bulletin"):
        text = _squash(_pdf_text(result.files[f"print/{name}-2020-09.pdf"]))
        assert f"总投资{total}亿元" in text, name
    docx = Document(io.BytesIO(result.files["print/bulletin-2020-09.docx"]))
    assert any(f"总投资{total}亿元" in p.text for p in docx.paragraphs)


def test_the_open_data_and_the_export_keep_the_exact_number(money_build: tuple) -> None:
    result, root = money_build
    data = json.loads(result.files["site/data/board.json"])
    assert {p["id"]: p["investment"] for p in data["projects"]} == AMOUNTS
    rows = csv.DictReader(io.StringIO(result.files["site/data/projects.csv"].decode("utf-8-sig")))
    assert {r["id"]: float(r["investment"]) for r in rows} == AMOUNTS
    sheet = openpyxl.load_workbook(io.BytesIO(export_workbook(root))).worksheets[0]
    found = {
        cell.value: cell.number_format
        for row in sheet.iter_rows(min_row=5)
        for cell in row
        if isinstance(cell.value, int | float) and cell.value in AMOUNTS.values()
    }
    assert found[1234567.5] == "#,##0.0"
    assert found[123456.78] == "#,##0.00"
    assert found[0.01] == "0.00"
