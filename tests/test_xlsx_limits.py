"""Bounded work for any workbook: a sheet whose used range or unpacked size is beyond the limits
is refused before openpyxl loads it; formula cells are named as formulas; hidden sheets and rows
are said. The workbooks are real files, crafted as an attacker or a careless copy would."""

from __future__ import annotations

import tracemalloc
import zipfile
from pathlib import Path

import pytest

from board.cli import main
from board.xlsx import WorkbookError, import_workbook
from tests.test_output_safety import tree
from tests.test_xlsx import blank_register, filled_template, save

LIMIT_HINT = (
    "delete the cells outside the table (select the extra rows and columns, delete them), "
    "or make the workbook again with board template"
)


def refused_cheaply(workbook: Path, content: Path) -> list[str]:
    """The problems of importing `workbook`, checking that it took little memory."""
    before = tree(content)
    tracemalloc.start()
    try:
        with pytest.raises(WorkbookError) as exc:
            import_workbook(workbook, content)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 40 * 1024 * 1024, f"peak {peak / 1e6:.0f} MB"
    assert tree(content) == before
    return [str(p) for p in exc.value.problems]


def test_a_cell_at_xfd1048576_is_refused_before_loading(tmp_path: Path, capsys) -> None:
    wb = filled_template()
    wb["报告"]["XFD1048576"] = "x"
    workbook = save(wb, tmp_path / "huge.xlsx")
    assert workbook.stat().st_size < 100_000
    content = blank_register(tmp_path)
    assert refused_cheaply(workbook, content) == [
        "报告: the sheet's used range is 1048576 rows by 16384 columns, more than the limit of "
        f"20000 rows and 60 columns; it was not read ({LIMIT_HINT})"
    ]
    assert main(["import", str(workbook), "--content", str(content)]) == 1
    assert "报告: the sheet's used range is 1048576 rows" in capsys.readouterr().err


def test_a_row_beyond_20000_is_refused_even_when_the_dimension_says_otherwise(
    tmp_path: Path,
) -> None:
    wb = filled_template()
    wb["项目"]["A20001"] = "late"
    workbook = save(wb, tmp_path / "long.xlsx")
    lying = tmp_path / "lying.xlsx"
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(lying, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if b"A20001" in data:
                data = data.replace(b'<dimension ref="A1:M20001"/>', b'<dimension ref="A1:M3"/>')
                assert b'<dimension ref="A1:M3"/>' in data
            dst.writestr(info, data)
    assert refused_cheaply(lying, blank_register(tmp_path)) == [
        "项目: the sheet's used range is 20001 rows by 13 columns, more than the limit of "
        f"20000 rows and 60 columns; it was not read ({LIMIT_HINT})"
    ]


def test_a_sheet_that_unpacks_beyond_50_mb_is_refused_unread(tmp_path: Path) -> None:
    workbook = save(filled_template(), tmp_path / "plain.xlsx")
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(workbook) as src, zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info)
            if info.filename == "xl/worksheets/sheet6.xml":
                data = data.replace(b"<sheetData>", b"<sheetData><!--" + b" " * (60 << 20) + b"-->")
            dst.writestr(info, data)
    assert bomb.stat().st_size < 1_000_000
    assert refused_cheaply(bomb, blank_register(tmp_path)) == [
        f"bomb.xlsx: the workbook unpacks to 60 MB, more than the limit of 50 MB; it was not read "
        f"({LIMIT_HINT})"
    ]


def test_a_formula_without_a_value_is_named_as_a_formula(tmp_path: Path) -> None:
    wb = filled_template()
    wb["报告"]["D3"] = "=SUM(60,5)"
    workbook = save(wb, tmp_path / "formula.xlsx")
    problems = refused_cheaply(workbook, blank_register(tmp_path))
    assert (
        "报告!D3: the cell holds a formula without a stored value (open and save the workbook "
        "in Excel or WPS once, or copy the cells and paste them as values)"
    ) in problems


def test_hidden_sheets_and_rows_are_reported(tmp_path: Path) -> None:
    wb = filled_template()
    wb["责任清单"].sheet_state = "hidden"
    wb["报告"].row_dimensions[3].hidden = True
    workbook = save(wb, tmp_path / "hidden.xlsx")
    result = import_workbook(workbook, blank_register(tmp_path))
    warnings = [str(w) for w in result.warnings]
    assert (
        "责任清单: warning: this sheet is hidden; its data is imported like any other" in warnings
    )
    assert "报告: warning: rows 3 are hidden; their data is imported like any other" in warnings
    assert len(result.created) == 3


def test_the_limits_read_in_chinese() -> None:
    from board.i18n import Msg

    assert Msg(
        "msg.xlsx.too_large", rows=1048576, columns=16384, max_rows=20000, max_columns=60
    ).text("zh-CN") == ("工作表用到1048576行16384列，超过20000行60列的上限；未读取")
