"""Reading a workbook's sheets and cells (`board import`'s first step)."""

from __future__ import annotations

import difflib
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.worksheet import Worksheet

from ..model import Month
from .layout import (
    MAX_ROWS,
    MONTH_LABEL,
    REPORT_COLUMNS,
    SHEET_INSTRUCTIONS,
    SHEET_INVESTMENT,
    SHEET_MILESTONES,
    SHEET_PLAN,
    SHEET_PROJECTS,
    SHEET_REPORT,
    SHEET_SETTINGS,
    SHEETS,
    CellProblem,
    Column,
)
from .yamltext import Origin, plain_ok, quoted, text_scalar

# -- reading cells ----------------------------------------------------------------------------


def _number_text(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def cell_yaml(value: Any, kind: str, number_format: str = "General") -> str | None:
    """A cell's value as the YAML scalar text the register would hold; None when empty.

    Only the cell's form is converted (an Excel date to YYYY-MM-DD, 65% to 65, 12500.0 to
    12500); whether the value is valid is for the register's validator to say.
    """
    if value is None or (isinstance(value, str) and value.strip() == ""):
        return None
    if isinstance(value, bool):
        if kind == "done":
            return "true" if value else "false"
        return quoted("TRUE" if value else "FALSE")
    if isinstance(value, datetime | date):
        day = value.date() if isinstance(value, datetime) else value
        if kind == "month":
            return f"{day.year:04d}-{day.month:02d}"
        if kind in ("date", "done"):
            return day.isoformat()
        return text_scalar(day.isoformat())
    if isinstance(value, int | float):
        if kind == "percent" and "%" in number_format:
            value = round(value * 100, 6)
        if kind in ("int", "percent", "number", "date", "month", "done"):
            return _number_text(value)
        return text_scalar(_number_text(value))
    text = str(value).strip()
    if kind == "photos":  # one photo a line (file name, then its caption): split by the importer
        return "\n".join(part.strip() for part in re.split(r"[\r\n]+", text) if part.strip())
    if kind == "text":
        return text_scalar(str(value).replace("\r\n", "\n").strip())
    if kind == "done":
        if text in ("是", "已完成", "完成", "√", "✓"):
            return "true"
        if text in ("否", "未完成", "×"):
            return "false"
    if kind == "percent" and text.endswith(("%", "％")):
        text = text[:-1].strip()
    if kind in ("number", "int") and re.fullmatch(r"\d{1,3}(,\d{3})+(\.\d+)?", text):
        text = text.replace(",", "")
    if kind in ("int", "percent", "number"):
        return text if re.fullmatch(r"[+-]?(\d+(\.\d*)?|\.\d+)", text) else quoted(text)
    return text if plain_ok(text) else quoted(text)


@dataclass
class SheetRow:
    row: int
    cells: dict[str, tuple[Any, str, str]]  # field → (value, number format, coordinate)

    def origin(self, sheet: str, column: Column) -> Origin:
        coordinate = self.cells[column.field][2] if column.field in self.cells else ""
        return (f"{sheet}!{coordinate}", column.header)

    def yaml(self, column: Column) -> str | None:
        if column.field not in self.cells:
            return None
        value, number_format, _ = self.cells[column.field]
        return cell_yaml(value, column.kind, number_format)


def _norm_header(text: Any) -> str:
    value = unicodedata.normalize("NFKC", str(text or "")).strip().rstrip("*").strip()
    return re.sub(r"\s+", "", value)


def _last_row(ws: Worksheet) -> int:
    rows = [r for (r, _c), cell in ws._cells.items() if cell.value not in (None, "")]
    return max(rows, default=0)


@dataclass
class SheetTable:
    name: str
    columns: dict[str, Column]  # present columns by field
    rows: list[SheetRow]
    month: str | None = None  # report sheets: the month's YAML text
    month_origin: Origin | None = None


def _read_table(
    ws: Worksheet,
    columns: tuple[Column, ...],
    header_row: int,
    problems: list[CellProblem],
) -> SheetTable:
    name = ws.title
    by_header = {_norm_header(c.header): c for c in columns}
    by_header.update({_norm_header(re.sub(r"（.*?）", "", c.header)): c for c in columns})
    present: dict[str, Column] = {}
    col_of: dict[int, Column] = {}
    last_row = min(_last_row(ws), header_row + MAX_ROWS)
    last_col = max(
        (c for (_r, c), cell in ws._cells.items() if cell.value not in (None, "")), default=0
    )
    for merged in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row >= header_row:
            problems.append(
                CellProblem(
                    f"{name}!{merged.coord}",
                    "",
                    "merged cells are not allowed in the table",
                    "unmerge them and fill in each cell",
                )
            )
    for col in range(1, last_col + 1):
        cell = ws.cell(header_row, col)
        text = _norm_header(cell.value)
        if not text:
            if any(
                ws.cell(r, col).value not in (None, "") for r in range(header_row + 1, last_row + 1)
            ):
                problems.append(
                    CellProblem(
                        f"{name}!{cell.coordinate}",
                        "",
                        "expected a column header above the data, got an empty cell",
                        "expected one of " + ", ".join(c.header for c in columns),
                    )
                )
            continue
        column = by_header.get(text)
        if column is None:
            close = difflib.get_close_matches(text, [c.header for c in columns], n=1, cutoff=0.5)
            problems.append(
                CellProblem(
                    f"{name}!{cell.coordinate}",
                    "",
                    f"unknown column header {str(cell.value).strip()!r}",
                    f"did you mean {close[0]}?"
                    if close
                    else "expected one of " + ", ".join(c.header for c in columns),
                )
            )
            continue
        if column.field in present:
            first = next(c for c, v in col_of.items() if v is column)
            problems.append(
                CellProblem(
                    f"{name}!{cell.coordinate}",
                    "",
                    f"duplicate column {column.header}, also in column {get_column_letter(first)}",
                    "keep one of them",
                )
            )
            continue
        present[column.field] = column
        col_of[col] = column
    for column in columns:
        if column.required and column.field not in present:
            problems.append(
                CellProblem(
                    f"{name}!{get_column_letter(1)}{header_row}",
                    "",
                    f"missing column {column.header}",
                    f"the header row {header_row} needs the columns "
                    + ", ".join(c.header for c in columns if c.required),
                )
            )
    rows: list[SheetRow] = []
    for r in range(header_row + 1, last_row + 1):
        cells: dict[str, tuple[Any, str, str]] = {}
        filled = False
        for col, column in col_of.items():
            cell: Cell = ws.cell(r, col)
            value = cell.value
            if isinstance(value, str) and value.strip() == "":
                value = None
            if value is not None:
                filled = True
            cells[column.field] = (value, cell.number_format, cell.coordinate)
        if filled:
            # a column without a cell value still names its coordinate for messages
            rows.append(SheetRow(r, cells))
    return SheetTable(name, present, rows)


@dataclass
class Workbook:
    """What a workbook holds, read but not yet validated."""

    path: Path
    settings: SheetTable | None = None
    projects: SheetTable | None = None
    milestones: SheetTable | None = None
    plan: SheetTable | None = None
    investment: SheetTable | None = None
    reports: list[SheetTable] = field(default_factory=list)
    readable: bool = False
    sheet_order: list[str] = field(default_factory=list)


def _is_report_sheet(title: str) -> bool:
    return title.strip().startswith(SHEET_REPORT)


def read_workbook(path: Path | str, month: Month | None, problems: list[CellProblem]) -> Workbook:
    """Read the sheets of a workbook made by `board template` (or filled in by WPS/Excel)."""
    path = Path(path)
    book = Workbook(path)
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except FileNotFoundError:
        problems.append(CellProblem(str(path), "", "no such file"))
        return book
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        reason = "not an .xlsx workbook" if not isinstance(exc, OSError) else exc.strerror
        problems.append(
            CellProblem(
                str(path),
                "",
                f"cannot read the workbook: {reason}",
                "save it as an Excel workbook (.xlsx) from Excel or WPS; .xls and .et files are not read",
            )
        )
        return book
    book.readable = True
    book.sheet_order = [ws.title for ws in wb.worksheets]
    known = [SHEET_INSTRUCTIONS, *SHEETS, SHEET_REPORT]
    report_sheets: list[Worksheet] = []
    for ws in wb.worksheets:
        title = ws.title.strip()
        if title == SHEET_INSTRUCTIONS:
            continue
        if title in SHEETS:
            table = _read_table(ws, SHEETS[title], 1, problems)
            setattr(
                book,
                {
                    SHEET_SETTINGS: "settings",
                    SHEET_PROJECTS: "projects",
                    SHEET_MILESTONES: "milestones",
                    SHEET_PLAN: "plan",
                    SHEET_INVESTMENT: "investment",
                }[title],
                table,
            )
        elif _is_report_sheet(title):
            if _last_row(ws):  # an empty report sheet is no report
                report_sheets.append(ws)
        elif _last_row(ws):
            problems.append(
                CellProblem(
                    ws.title,
                    "",
                    "unexpected sheet",
                    "expected only the sheets "
                    + ", ".join(known)
                    + "; delete it or move its data into one of them",
                )
            )
    if len(report_sheets) == 1:  # --month names the month of the one report sheet
        book.reports = [_read_report(report_sheets[0], month, problems)]
    else:  # --month picks one of several report sheets, each naming its month
        book.reports = [_read_report(ws, None, problems) for ws in report_sheets]
        if month is not None:
            book.reports = [r for r in book.reports if r.month == str(month)]
            if not book.reports:
                problems.append(
                    CellProblem(
                        path.name,
                        MONTH_LABEL,
                        f"no report sheet for {month} among "
                        + ", ".join(ws.title for ws in report_sheets),
                    )
                )
    seen: dict[str, str] = {}
    for report in book.reports:
        if report.month is None:
            continue
        if report.month in seen:
            problems.append(
                CellProblem(
                    f"{report.name}!B1",
                    MONTH_LABEL,
                    f"a second report for {report.month}, also in sheet {seen[report.month]}",
                    "keep one report sheet per month",
                )
            )
        seen[report.month] = report.name
    if (
        not (
            book.settings
            or book.projects
            or book.milestones
            or book.plan
            or book.investment
            or book.reports
        )
        and not problems
    ):
        problems.append(
            CellProblem(
                path.name,
                "",
                f"no sheet to import: expected {SHEET_PROJECTS}, {SHEET_MILESTONES}, {SHEET_PLAN} or {SHEET_REPORT}",
                "make the workbook with board template",
            )
        )
    return book


def _read_report(ws: Worksheet, month: Month | None, problems: list[CellProblem]) -> SheetTable:
    id_header = _norm_header(REPORT_COLUMNS[0].header)
    header_row = 1 if _norm_header(ws.cell(1, 1).value) == id_header else 2
    table = _read_table(ws, REPORT_COLUMNS, header_row, problems)
    if not table.rows:  # a report sheet left empty: the workbook only brings projects
        return table
    given = str(month) if month is not None else None
    if header_row == 2:
        cell = ws.cell(1, 2)
        text = cell_yaml(cell.value, "month", cell.number_format)
        origin: Origin = (f"{ws.title}!B1", MONTH_LABEL)
        if text is not None:
            text = text.strip('"')
            if given is not None and text != given:
                problems.append(
                    CellProblem(
                        origin[0],
                        MONTH_LABEL,
                        f"the sheet is the report for {text}, but --month {given} was given",
                        "correct the cell or the --month option",
                    )
                )
        elif given is None:
            problems.append(
                CellProblem(
                    origin[0],
                    MONTH_LABEL,
                    "expected the report's month YYYY-MM, got an empty cell",
                    "fill it in, or give the month with --month",
                )
            )
        table.month = text or given
        table.month_origin = origin
    else:
        table.month = given
        table.month_origin = (f"{ws.title}!A1", MONTH_LABEL)
        if given is None:
            problems.append(
                CellProblem(
                    ws.title,
                    MONTH_LABEL,
                    "expected the report's month in cell B1 or with --month, found neither",
                )
            )
    if table.month is not None:
        try:
            Month.parse(table.month)
        except ValueError as exc:
            problems.append(CellProblem(table.month_origin[0], MONTH_LABEL, str(exc)))
            table.month = None
    return table
