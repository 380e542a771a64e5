"""`board export`: the month's board and ranking as a workbook for internal circulation."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from .. import money
from ..compute import BoardMonth, Row, compute_all
from ..errors import BoardError, no_report_for
from ..i18n import (
    STATUS_COLOUR,
    STATUS_SYMBOL,
    Msg,
    movement_label,
    status_legend,
    translator,
)
from ..model import Month
from ..validate import (
    check,
)
from .layout import BOLD, HEADER_FILL, put_value
from .writing import _fixed_time, workbook_bytes


def _movement(t: Callable[[str], str], row: Row) -> str:
    """The movement as every output says it (▲上升2位, 持平, 新上榜, — for a completed project)."""
    return movement_label(row.movement_kind, row.movement, t)


def _status(t: Callable[[str], str], row: Row) -> str:
    """The status as the one legend shows it: symbol and word (the cell has its colour too)."""
    return f"{STATUS_SYMBOL[row.status]} {t(f'status.{row.status}')}"


def _promise(t: Callable[[str], str], row: Row) -> str:
    promise = row.promise
    return t(f"catch_up.{promise.state}") if promise else ""


ExportColumn = tuple[str, int, Callable[[Callable[[str], str], int, Row], Any]]

_NAME: ExportColumn = ("name", 34, lambda t, i, r: r.project.name)
_LEADER: ExportColumn = ("leader", 12, lambda t, i, r: r.project.leader)
_UNIT: ExportColumn = ("unit", 18, lambda t, i, r: r.project.unit)
_ACTUAL: ExportColumn = ("actual", 10, lambda t, i, r: r.actual)
_PLANNED: ExportColumn = ("planned", 10, lambda t, i, r: r.planned)
_VARIANCE: ExportColumn = ("variance", 8, lambda t, i, r: r.variance)
_STATUS: ExportColumn = ("status", 12, lambda t, i, r: _status(t, r))
_PROMISE: ExportColumn = ("promise", 12, lambda t, i, r: _promise(t, r))
_REASON: ExportColumn = ("reason", 30, lambda t, i, r: r.reason)
_CATCH_UP: ExportColumn = ("catch_up_by", 12, lambda t, i, r: r.catch_up_by)
_RANK: ExportColumn = ("rank", 6, lambda t, i, r: r.rank)
# the investment columns of a Chinese progress table, 万元, and the month's photo file names
_INVESTMENT: list[ExportColumn] = [
    ("investment", 12, lambda t, i, r: r.project.investment),
    ("annual_investment", 12, lambda t, i, r: r.annual_investment),
    ("invested_year", 12, lambda t, i, r: r.invested_year),
    ("investment_rate", 10, lambda t, i, r: r.investment_rate),
    ("invested", 12, lambda t, i, r: r.invested),
]
_PHOTOS: ExportColumn = (
    "xlsx.photos",
    36,
    lambda t, i, r: "\n".join(photo.file for photo in r.photos) or None,
)

EXPORT_FORMATS = {
    "actual": '0"%"',
    "planned": '0.0"%"',
    "variance": "+0.0;-0.0;0",
    "gain": "+0;-0;0",
    "investment_rate": '0.0"%"',
}

# sheet title key, which rows, and the columns: (label key, width, value)
EXPORT_SHEETS: tuple[tuple[str, Callable[[BoardMonth], Iterable[Row]], list[ExportColumn]], ...] = (
    (
        "xlsx.sheet.board",
        lambda b: b.rows,
        [
            ("xlsx.number", 6, lambda t, i, r: i),
            _NAME,
            _LEADER,
            _UNIT,
            ("deadline", 12, lambda t, i, r: r.project.deadline),
            ("progress", 40, lambda t, i, r: r.entry.progress if r.entry else ""),
            _ACTUAL,
            _PLANNED,
            _VARIANCE,
            _STATUS,
            _REASON,
            _CATCH_UP,
            _PROMISE,
            *_INVESTMENT,
            _PHOTOS,
        ],
    ),
    (
        "ranking",
        lambda b: b.ranking,
        [
            _RANK,
            ("movement", 10, lambda t, i, r: _movement(t, r)),
            _NAME,
            _LEADER,
            _UNIT,
            _ACTUAL,
            _PLANNED,
            _VARIANCE,
            ("gain", 10, lambda t, i, r: r.gain),
            _STATUS,
        ],
    ),
    (
        "behind_list",
        lambda b: b.behind,
        [
            _RANK,
            _NAME,
            _LEADER,
            _UNIT,
            _ACTUAL,
            _PLANNED,
            _VARIANCE,
            _STATUS,
            _REASON,
            _CATCH_UP,
            _PROMISE,
        ],
    ),
)


def export_workbook(content_dir: Path | str, month: Month | None = None) -> bytes:
    """`board export`: the month's board, ranking and projects behind, for internal circulation."""
    from ..render import date_label, month_label

    register, _ = check(content_dir, pending=month or True)
    if month is not None and month not in register.months:
        raise no_report_for(month, register.months)
    boards = compute_all(register, month)
    if not boards:
        raise BoardError(Msg("msg.build.no_reports_yet"))
    board = boards[-1]
    language = register.config.language
    t = translator(language, register.config.labels)
    wb = openpyxl.Workbook()
    wb.remove(wb.worksheets[0])
    for title_key, rows, columns in EXPORT_SHEETS:
        title = t(title_key)
        ws = wb.create_sheet(title)
        heading = f"{register.config.title} · {title} · {month_label(board.month, language)}"
        ws.cell(1, 1, heading).font = Font(bold=True, size=14)
        ws.cell(
            2,
            1,
            f"{t('data_as_of')} {date_label(board.as_of, language)} · {t('issuer')} {register.config.issuer}",
        )
        for col, (key, width, _) in enumerate(columns, 1):
            cell = ws.cell(4, col, t(key))
            cell.font = BOLD
            cell.fill = HEADER_FILL
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            ws.column_dimensions[get_column_letter(col)].width = width
        # the one status legend (board/i18n.py), as on every other output
        legend = "  ".join(
            f"{item.symbol} {item.word}" for item in status_legend(language, register.config.labels)
        )
        ws.cell(3, 1, f"{t('legend')}{t('site.colon')}{legend}  {t('legend.pct')}")
        ws.freeze_panes = "A5"
        for i, row in enumerate(rows(board), 1):
            _row(ws, 4 + i, [value(t, i, row) for _, _, value in columns])
            for col, (key, _, _) in enumerate(columns, 1):
                if key in EXPORT_FORMATS:
                    ws.cell(4 + i, col).number_format = EXPORT_FORMATS[key]
                _money_format(ws.cell(4 + i, col), key)
                if key == "status":
                    colour = STATUS_COLOUR[row.status].lstrip("#")
                    ws.cell(4 + i, col).fill = PatternFill("solid", fgColor=colour)
        if title_key == "xlsx.sheet.board":  # the county's totals (全县合计) under the projects
            totals = board.totals
            note = totals.note()
            sums = {
                # what each total covers, as every output says it (compute.Totals.note)
                "name": t("totals.title") + (note.text(language) if note else ""),
                "investment": totals.investment,
                "annual_investment": totals.annual_investment,
                "invested_year": totals.invested_year,
                "investment_rate": totals.investment_rate,
                "invested": totals.invested,
            }
            last = 5 + len(board.rows)
            for col, (key, _, _) in enumerate(columns, 1):
                if key in sums:
                    cell = ws.cell(last, col, sums[key])
                    cell.font = BOLD
                    if key in EXPORT_FORMATS:
                        cell.number_format = EXPORT_FORMATS[key]
                    _money_format(cell, key)
    return workbook_bytes(wb, _fixed_time(board.month))


MONEY_COLUMNS = ("investment", "annual_investment", "invested_year", "invested")


def _money_format(cell: Any, key: str) -> None:
    """An amount in 万元 keeps its exact number and shows as every output writes it
    (board/money.py: grouped from five digits, its own decimals, never an exponent)."""
    if key in MONEY_COLUMNS and isinstance(cell.value, int | float):
        cell.number_format = money.excel_format(cell.value)


def _row(ws: Worksheet, r: int, values: list[Any]) -> None:
    """One row of the export (`put_value`), a text longer than 20 characters wrapped."""
    for col, value in enumerate(values, 1):
        cell = put_value(ws, r, col, value)
        if cell is not None and isinstance(value, str) and len(value) > 20:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
