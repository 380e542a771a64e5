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

from ..errors import Severity
from ..i18n import Msg
from ..i18n import quoted as quoted_value
from ..load import os_reason
from ..model import Month
from ..validate import Invalid, spelled_date, spelled_month, spelled_number
from .disclosure import COLUMNS as DISCLOSURE_COLUMNS
from .disclosure import SHEET_DISCLOSURE
from .layout import (
    MAX_ROWS,
    MONTH_LABEL,
    PUBLISHED_LABEL,
    REPORT_COLUMNS,
    SHEET_CHANGES,
    SHEET_IDENTITY,
    SHEET_INSTRUCTIONS,
    SHEET_INVESTMENT,
    SHEET_MILESTONES,
    SHEET_PLAN,
    SHEET_PROJECTS,
    SHEET_REPORT,
    SHEET_SETTINGS,
    SHEETS,
    UNIT_REPORT_COLUMNS,
    CellProblem,
    Column,
)
from .preflight import LIMIT_BYTES, LIMIT_COLUMNS, LIMIT_ROWS, Preflight, SheetFacts, preflight
from .yamltext import Origin, plain_ok, quoted, text_scalar

__all__ = ["LIMIT_BYTES", "LIMIT_COLUMNS", "LIMIT_ROWS", "Preflight", "preflight"]

# -- reading cells ----------------------------------------------------------------------------


def _number_text(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return repr(float(value))


def _fraction(value: float) -> bool:
    """A percent given as a fraction (0.65 for 65%): a whole percent is never strictly between
    0 and 1, so such a value can only mean its hundredfold."""
    return isinstance(value, float) and 0 < value < 1


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
        if kind == "percent" and ("%" in number_format or _fraction(value)):
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
    if kind in ("date", "done", "month"):  # the office's spellings, written back canonical
        try:
            day = spelled_month(text) if kind == "month" else spelled_date(text)
        except Invalid:  # spelled right, but no such day: the validator says why
            day = None
        if day is not None:
            return str(day) if kind == "month" else day.isoformat()
    if kind in ("int", "percent", "number"):
        text = spelled_number(text, percent=kind == "percent")
        if kind == "percent" and re.fullmatch(r"0?\.\d+", text) and _fraction(float(text)):
            return _number_text(round(float(text) * 100, 6))
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


def sheet_facts(ws: Worksheet, checked: Preflight) -> SheetFacts:
    """What the preflight learnt of the sheet (its last row and column with a value, its hidden
    rows, its formulas); for a sheet it did not see, the same from openpyxl's public API,
    within the limits."""
    found = checked.facts.get(ws.title)
    if found is not None:
        return found
    facts = SheetFacts("", ws.title)
    rows = ws.iter_rows(
        max_row=min(ws.max_row, LIMIT_ROWS), max_col=min(ws.max_column, LIMIT_COLUMNS)
    )
    for row in rows:
        for cell in row:
            if cell.value not in (None, ""):
                facts.last_row = max(facts.last_row, cell.row)
                facts.last_column = max(facts.last_column, cell.column)
    facts.hidden_rows = [r for r, dim in sorted(ws.row_dimensions.items()) if dim.hidden]
    return facts


@dataclass
class SheetTable:
    name: str
    columns: dict[str, Column]  # present columns by field
    rows: list[SheetRow]
    month: str | None = None  # report sheets: the month's YAML text
    month_origin: Origin | None = None
    published: str | None = None  # report sheets: the bulletin's date (E1), YAML text
    published_origin: Origin | None = None


def _read_table(
    ws: Worksheet,
    columns: tuple[Column, ...],
    header_row: int,
    problems: list[CellProblem],
    facts: SheetFacts,
) -> SheetTable:
    name = ws.title
    by_header = {_norm_header(c.header): c for c in columns}
    by_header.update({_norm_header(re.sub(r"（.*?）", "", c.header)): c for c in columns})
    present: dict[str, Column] = {}
    col_of: dict[int, Column] = {}
    last_row = min(facts.last_row, header_row + MAX_ROWS)
    last_col = facts.last_column
    for merged in sorted(ws.merged_cells.ranges, key=lambda r: (r.min_row, r.min_col)):
        if merged.max_row >= header_row:
            problems.append(
                CellProblem(
                    f"{name}!{merged.coord}",
                    "",
                    Msg("msg.xlsx.merged"),
                    Msg("msg.xlsx.fix_merged"),
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
                        Msg("msg.xlsx.header_empty"),
                        Msg("msg.xlsx.headers_one_of", names=", ".join(c.header for c in columns)),
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
                    Msg("msg.xlsx.unknown_header", header=quoted_value(str(cell.value).strip())),
                    Msg("msg.hint.did_you_mean", name=close[0])
                    if close
                    else Msg("msg.xlsx.headers_one_of", names=", ".join(c.header for c in columns)),
                )
            )
            continue
        if column.field in present:
            first = next(c for c, v in col_of.items() if v is column)
            problems.append(
                CellProblem(
                    f"{name}!{cell.coordinate}",
                    "",
                    Msg(
                        "msg.xlsx.duplicate_column",
                        header=column.header,
                        column=get_column_letter(first),
                    ),
                    Msg("msg.hint.keep_one"),
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
                    Msg("msg.xlsx.missing_column", header=column.header),
                    Msg(
                        "msg.xlsx.needs_columns",
                        row=header_row,
                        names=", ".join(c.header for c in columns if c.required),
                    ),
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
    changes: SheetTable | None = None  # issue 22: 调整记录
    disclosure: SheetTable | None = None  # issue 24: the sheet 信息公开
    reports: list[SheetTable] = field(default_factory=list)
    readable: bool = False
    sheet_order: list[str] = field(default_factory=list)
    # a unit's workbook (board/xlsx/units.py): its hidden identity sheet, label → value
    identity: dict[str, str] | None = None


def _is_report_sheet(title: str) -> bool:
    return title.strip().startswith(SHEET_REPORT)


def read_workbook(path: Path | str, month: Month | None, problems: list[CellProblem]) -> Workbook:
    """Read the sheets of a workbook made by `board template` (or filled in by WPS/Excel)."""
    path = Path(path)
    book = Workbook(path)
    if path.is_file():
        checked = preflight(path, problems)
        if checked is None:
            return book
    else:
        checked = Preflight()
    try:
        wb = openpyxl.load_workbook(path, data_only=True)
    except FileNotFoundError:
        problems.append(CellProblem(str(path), "", Msg("msg.xlsx.no_file")))
        return book
    except (zipfile.BadZipFile, InvalidFileException, KeyError, ValueError, OSError) as exc:
        reason = Msg("msg.xlsx.not_xlsx") if not isinstance(exc, OSError) else os_reason(exc)
        problems.append(
            CellProblem(
                str(path),
                "",
                Msg("msg.xlsx.unreadable", reason=reason),
                Msg("msg.xlsx.fix_unreadable"),
            )
        )
        return book
    book.readable = True
    book.sheet_order = [ws.title for ws in wb.worksheets]
    if SHEET_IDENTITY in wb.sheetnames:
        book.identity = _read_identity(wb[SHEET_IDENTITY])
    _report_hidden_and_formulas(wb, checked, problems)
    known = [SHEET_INSTRUCTIONS, *SHEETS, SHEET_DISCLOSURE, SHEET_REPORT]
    report_sheets: list[Worksheet] = []
    for ws in wb.worksheets:
        title = ws.title.strip()
        if title in (SHEET_INSTRUCTIONS, SHEET_IDENTITY):
            continue
        if title in SHEETS:
            table = _read_table(ws, SHEETS[title], 1, problems, sheet_facts(ws, checked))
            setattr(
                book,
                {
                    SHEET_SETTINGS: "settings",
                    SHEET_PROJECTS: "projects",
                    SHEET_MILESTONES: "milestones",
                    SHEET_PLAN: "plan",
                    SHEET_INVESTMENT: "investment",
                    SHEET_CHANGES: "changes",
                }[title],
                table,
            )
        elif title == SHEET_DISCLOSURE:  # issue 24
            book.disclosure = _read_table(
                ws, DISCLOSURE_COLUMNS, 1, problems, sheet_facts(ws, checked)
            )
        elif _is_report_sheet(title):
            if sheet_facts(ws, checked).last_row:  # an empty report sheet is no report
                report_sheets.append(ws)
        elif sheet_facts(ws, checked).last_row:
            problems.append(
                CellProblem(
                    ws.title,
                    "",
                    Msg("msg.xlsx.unexpected_sheet"),
                    Msg("msg.xlsx.fix_sheet", names=", ".join(known)),
                )
            )
    columns = UNIT_REPORT_COLUMNS if book.identity is not None else REPORT_COLUMNS
    if len(report_sheets) == 1:  # --month names the month of the one report sheet
        book.reports = [_read_report(report_sheets[0], month, problems, checked, columns)]
    else:  # --month picks one of several report sheets, each naming its month
        book.reports = [_read_report(ws, None, problems, checked, columns) for ws in report_sheets]
        if month is not None:
            book.reports = [r for r in book.reports if r.month == str(month)]
            if not book.reports:
                problems.append(
                    CellProblem(
                        path.name,
                        MONTH_LABEL,
                        Msg(
                            "msg.xlsx.no_report_sheet",
                            month=month,
                            names=", ".join(ws.title for ws in report_sheets),
                        ),
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
                    Msg("msg.xlsx.second_report", month=report.month, sheet=seen[report.month]),
                    Msg("msg.xlsx.fix_second_report"),
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
            or book.changes
            or book.disclosure
            or book.reports
        )
        and not problems
    ):
        problems.append(
            CellProblem(
                path.name,
                "",
                Msg(
                    "msg.xlsx.no_sheet",
                    names=f"{SHEET_PROJECTS}, {SHEET_MILESTONES}, {SHEET_PLAN}",
                    last=SHEET_REPORT,
                ),
                Msg("msg.xlsx.fix_no_sheet"),
            )
        )
    return book


def _read_identity(ws: Worksheet) -> dict[str, str]:
    """The identity sheet's label → value pairs (column A → column B), as text."""
    found: dict[str, str] = {}
    for row in ws.iter_rows(min_row=1, max_row=20, max_col=2, values_only=True):
        label_cell, value = (*row, None, None)[:2]
        if label_cell is not None:
            found[str(label_cell).strip()] = "" if value is None else str(value).strip()
    return found


def _read_report(
    ws: Worksheet,
    month: Month | None,
    problems: list[CellProblem],
    checked: Preflight,
    columns: tuple[Column, ...] = REPORT_COLUMNS,
) -> SheetTable:
    id_header = _norm_header(columns[0].header)
    header_row = 1 if _norm_header(ws.cell(1, 1).value) == id_header else 2
    table = _read_table(ws, columns, header_row, problems, sheet_facts(ws, checked))
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
                        Msg("msg.xlsx.month_disagrees", month=text, given=given),
                        Msg("msg.xlsx.fix_month_disagrees"),
                    )
                )
        elif given is None:
            problems.append(
                CellProblem(
                    origin[0],
                    MONTH_LABEL,
                    Msg("msg.xlsx.month_empty"),
                    Msg("msg.xlsx.fix_month_empty"),
                )
            )
        table.month = text or given
        table.month_origin = origin
        if _norm_header(ws.cell(1, 4).value) == _norm_header(PUBLISHED_LABEL):
            cell = ws.cell(1, 5)
            table.published = cell_yaml(cell.value, "date", cell.number_format)
            table.published_origin = (f"{ws.title}!E1", PUBLISHED_LABEL)
    else:
        table.month = given
        table.month_origin = (f"{ws.title}!A1", MONTH_LABEL)
        if given is None:
            problems.append(
                CellProblem(
                    ws.title,
                    MONTH_LABEL,
                    Msg("msg.xlsx.month_missing"),
                )
            )
    if table.month is not None:
        try:
            Month.parse(table.month)
        except ValueError:
            problems.append(
                CellProblem(
                    table.month_origin[0],
                    MONTH_LABEL,
                    Msg("msg.validate.expected_got", what=Msg("msg.what.month"), value=table.month),
                )
            )
            table.month = None
    return table


def _report_hidden_and_formulas(
    wb: openpyxl.Workbook, checked: Preflight, problems: list[CellProblem]
) -> None:
    """Hidden sheets and rows are imported like any other (said, so nobody is surprised); a
    formula without a stored value is named as a formula, not taken for an empty cell."""
    for ws in wb.worksheets:
        if ws.title.strip() in (SHEET_INSTRUCTIONS, SHEET_IDENTITY):
            continue
        facts = sheet_facts(ws, checked)
        if ws.sheet_state != "visible" and facts.last_row:
            problems.append(
                CellProblem(ws.title, "", Msg("msg.xlsx.hidden_sheet"), severity=Severity.WARNING)
            )
        # one pass: the hidden rows the preflight saw, up to the last row with a value
        hidden_rows = sorted({r for r in facts.hidden_rows if r <= facts.last_row})
        if hidden_rows:
            shown = ", ".join(str(r) for r in hidden_rows[:10])
            if len(hidden_rows) > 10:
                shown += f" … ({len(hidden_rows)})"
            problems.append(
                CellProblem(
                    ws.title, "", Msg("msg.xlsx.hidden_rows", rows=shown), severity=Severity.WARNING
                )
            )
        for coordinate in facts.formulas:
            if ws[coordinate].value in (None, ""):
                problems.append(
                    CellProblem(
                        f"{ws.title}!{coordinate}",
                        "",
                        Msg("msg.xlsx.formula"),
                        Msg("msg.xlsx.formula_hint"),
                    )
                )
