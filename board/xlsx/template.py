"""`board template`: the workbook the office fills in, empty or from the register."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import Problem
from ..i18n import label
from ..model import BoardConfig, Entry, Month, Project, Register
from ..validate import (
    ENTRY_FIELDS,
    PROJECT_FIELDS,
    check,
    notices,
)
from .disclosure import write_sheet as write_disclosure_sheet
from .layout import (
    BOLD,
    CHANGE_COLUMNS,
    HEADER_FILL,
    INSTRUCTIONS,
    INVESTMENT_COLUMNS,
    MAX_ROWS,
    MILESTONE_COLUMNS,
    MONTH_LABEL,
    PLAN_COLUMNS,
    PROJECT_COLUMNS,
    PUBLISHED_LABEL,
    REPORT_COLUMNS,
    REQUIRED_FILL,
    REQUIRED_SETTINGS,
    SETTING_COLUMNS,
    SETTINGS,
    SHEET_CHANGES,
    SHEET_INSTRUCTIONS,
    SHEET_INVESTMENT,
    SHEET_MILESTONES,
    SHEET_PLAN,
    SHEET_PROJECTS,
    SHEET_REPORT,
    SHEET_SETTINGS,
    Column,
    put_row,
)
from .writing import _fixed_time, workbook_bytes


def _header(ws: Worksheet, row: int, columns: tuple[Column, ...]) -> None:
    for col, column in enumerate(columns, 1):
        head = ws.cell(row, col, column.header)
        head.font = BOLD
        head.fill = REQUIRED_FILL if column.required else HEADER_FILL
        head.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.freeze_panes = f"A{row + 1}"  # the header rows stay in view


def _validations(
    ws: Worksheet, columns: tuple[Column, ...], first: int, ids_ref: str | None
) -> None:
    """Cell validation that helps without refusing what the import accepts.

    Dates, percents and amounts are checked with Excel's *warning* style: a value Excel does
    not take for a date or a number (2020.11.30, ６５, 65% typed as text) gets a question, not
    a refusal, and the import reads every spelling the manual lists (docs/zh-CN/数据格式.md).
    A percent cell takes 0-100 and a fraction (65% typed in Excel is stored as 0.65).
    """
    last = first + MAX_ROWS
    for col, column in enumerate(columns, 1):
        letter = get_column_letter(col)
        area = f"{letter}{first}:{letter}{last}"
        dv: DataValidation | None = None
        if column.kind == "date":
            dv = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(1990,1,1)",
                formula2="DATE(2100,12,31)",
                error=label("xlsx.dv.date"),
                errorTitle=column.header,
                errorStyle="warning",
            )
        elif column.kind == "percent":
            dv = DataValidation(
                type="decimal",
                operator="between",
                formula1="0",
                formula2="100",
                error=label("xlsx.dv.percent"),
                errorTitle=column.header,
                errorStyle="warning",
            )
        elif column.kind == "number":
            dv = DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                error=label("xlsx.dv.number"),
                errorTitle=column.header,
                errorStyle="warning",
            )
        elif column.kind == "int":
            dv = DataValidation(
                type="whole",
                error=label("xlsx.dv.int"),
                errorTitle=column.header,
                errorStyle="warning",
            )
        elif column.kind == "id" and ids_ref is not None:
            dv = DataValidation(
                type="list",
                formula1=ids_ref,
                error=label("xlsx.dv.id"),
                errorTitle=column.header,
            )
        elif column.kind == "done":
            dv = DataValidation(type="list", formula1='"是,否"', showErrorMessage=False)
        if dv is not None:
            dv.showErrorMessage = column.kind != "done"
            dv.add(area)
            ws.add_data_validation(dv)
        if column.kind in ("date", "done"):
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif column.kind in ("month", "id"):
            ws.column_dimensions[letter].number_format = "@"


def _change_value(value: Any) -> Any:
    """A change's from or to as a cell: a date, a number or text; 无 for none."""
    return "无" if value is None else value


def _put_changes(ws: Worksheet, register: Register) -> None:
    """The sheet 调整记录: every project's changes, then its 新增 and 调出 (issue 22)."""
    row = 2
    for project in register.projects:
        for change in project.changes:
            put_row(
                ws,
                row,
                CHANGE_COLUMNS,
                {
                    "id": project.id,
                    "date": change.date,
                    "field": change.key,
                    "from": _change_value(change.before),
                    "to": _change_value(change.after),
                    "reason": change.reason,
                    "approved_by": change.approved_by,
                },
            )
            row += 1
        for kind, decision in (("新增", project.added), ("调出", project.withdrawn)):
            if decision is not None:
                put_row(
                    ws,
                    row,
                    CHANGE_COLUMNS,
                    {
                        "id": project.id,
                        "date": decision.date,
                        "field": kind,
                        "reason": decision.reason,
                        "approved_by": decision.approved_by,
                    },
                )
                row += 1


def _setting_values(register: Register) -> dict[str, Any]:
    """The register's settings that differ from the defaults, by dotted key."""
    config = register.config
    values: dict[str, Any] = {}
    defaults = BoardConfig(title="", issuer="", hotline="")
    for key in SETTINGS:
        if "." not in key:
            value, default = getattr(config, key), getattr(defaults, key)
        elif key == "panel.bleed":
            value, default = config.panel.bleed_mm, defaults.panel.bleed_mm
            value = f"{value:g}mm"
            default = f"{default:g}mm"
        else:
            parent, child = key.split(".", 1)
            value = getattr(getattr(config, parent), child)
            default = getattr(getattr(defaults, parent), child)
        if value != default and value not in (None, ""):
            values[key] = value
    return values


def _sheet_name(month: Month, several: bool) -> str:
    return f"{SHEET_REPORT} {month}" if several else SHEET_REPORT


def report_values(entry: Entry) -> dict[str, Any]:
    """A report entry as the report sheet's cells."""
    values: dict[str, Any] = {f: getattr(entry, f) for f in ENTRY_FIELDS}
    values["photos"] = "\n".join(f"{photo.file} {photo.caption}".strip() for photo in entry.photos)
    return values


def carried_over(register: Register, month: Month | None) -> dict[str, dict[str, Any]]:
    """Each project's figures carried into a new month's row, as `board new-month` carries them:
    the last 实际进度 (0 for a project never reported) and the last 累计完成投资 known, so that
    a row nobody touches never makes the county's totals fall (issue 20). 本年完成投资 is left
    empty where the board derives it (累计 minus last December's); where it cannot, last
    month's figure of the same year is the starting value (`ask_for_year` marks the cell).
    The texts are left for the unit to write."""
    percent: dict[str, int] = {}
    invested: dict[str, float] = {}
    this_year: dict[str, float] = {}
    for earlier in register.reports:
        if month is None or earlier.month < month:
            for pid, entry in earlier.entries.items():
                percent[pid] = entry.percent
                if entry.invested is not None:
                    invested[pid] = entry.invested
                if month is not None and earlier.month.year == month.year:
                    if entry.invested_year is not None:
                        this_year[pid] = entry.invested_year
                    else:
                        this_year.pop(pid, None)
    return {
        p.id: {
            "percent": percent.get(p.id, 0),
            "invested": invested.get(p.id),
            "invested_year": None if year_derivable(register, p, month) else this_year.get(p.id),
        }
        for p in register.projects
    }


def year_derivable(register: Register, project: Project, month: Month | None) -> bool:
    """Whether 本年完成投资 of `month` can be derived from 累计完成投资 (compute.invested_this_year):
    the project's last report of an earlier year has 累计完成投资, or it started this year."""
    if month is None:
        return True
    before = [e for m, e in register.history.get(project.id, ()) if m.year < month.year]
    if before:
        return before[-1].invested is not None
    return project.start.year >= month.year


def ask_for_year(ws: Worksheet, row: int, columns: tuple[Column, ...]) -> None:
    """Mark a row's 本年完成投资 as one to fill in (yellow, like the required columns)."""
    for col, column in enumerate(columns, 1):
        if column.field == "invested_year":
            ws.cell(row, col).fill = REQUIRED_FILL


def template_workbook(
    register: Register | None = None,
    months: Iterable[Month] = (),
) -> bytes:
    """The workbook the office fills in, optionally filled from a register.

    With a register, the project sheets hold its projects (with their milestones and plans),
    and there is one report sheet per month in `months`: the month's report where there is one,
    else the projects with their last known percent and empty texts, for the units to fill in.
    """
    months = list(months)
    wb = openpyxl.Workbook()
    info = wb.worksheets[0]
    info.title = SHEET_INSTRUCTIONS
    for r, (a, b) in enumerate(INSTRUCTIONS, 1):
        info.cell(r, 1, a or None).font = BOLD
        info.cell(r, 2, b or None)
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 110
    info.cell(1, 1).font = Font(bold=True, size=14)

    st = wb.create_sheet(SHEET_SETTINGS)
    _header(st, 1, SETTING_COLUMNS)
    st.column_dimensions["C"].number_format = "@"
    given = _setting_values(register) if register is not None else {}
    for r, (key, (label_text, _kind)) in enumerate(SETTINGS.items(), 2):
        st.cell(r, 1, label_text).fill = (
            REQUIRED_FILL if key in REQUIRED_SETTINGS else PatternFill()
        )
        st.cell(r, 2, key)
        if key in given:
            st.cell(r, 3, given[key])

    ids_ref = f"'{SHEET_PROJECTS}'!$A$2:$A${MAX_ROWS + 1}"
    ws = wb.create_sheet(SHEET_PROJECTS)
    _header(ws, 1, PROJECT_COLUMNS)
    _validations(ws, PROJECT_COLUMNS, 2, None)
    ms = wb.create_sheet(SHEET_MILESTONES)
    _header(ms, 1, MILESTONE_COLUMNS)
    _validations(ms, MILESTONE_COLUMNS, 2, ids_ref)
    pl = wb.create_sheet(SHEET_PLAN)
    _header(pl, 1, PLAN_COLUMNS)
    _validations(pl, PLAN_COLUMNS, 2, ids_ref)
    inv = wb.create_sheet(SHEET_INVESTMENT)
    _header(inv, 1, INVESTMENT_COLUMNS)
    _validations(inv, INVESTMENT_COLUMNS, 2, ids_ref)
    ch = wb.create_sheet(SHEET_CHANGES)  # issue 22
    _header(ch, 1, CHANGE_COLUMNS)
    _validations(ch, CHANGE_COLUMNS, 2, ids_ref)
    write_disclosure_sheet(wb, register)  # issue 24: the sheet 信息公开

    if register is not None:
        _put_changes(ch, register)
        m_row = p_row = i_row = 2
        for row, project in enumerate(register.projects, 2):
            values = {
                f.name: getattr(project, f.name)
                for f in PROJECT_FIELDS.values()
                if f.name not in ("milestones", "plan")
            }
            put_row(ws, row, PROJECT_COLUMNS, values)
            for milestone in project.milestones:
                done = milestone.done
                put_row(
                    ms,
                    m_row,
                    MILESTONE_COLUMNS,
                    {
                        "id": project.id,
                        "task": milestone.task,
                        "owner": milestone.owner,
                        "due": milestone.due,
                        "done": "是" if done is True else (done or None),
                    },
                )
                m_row += 1
            for year, amount in project.annual_investment:
                put_row(
                    inv,
                    i_row,
                    INVESTMENT_COLUMNS,
                    {"id": project.id, "year": year, "amount": amount},
                )
                i_row += 1
            for plan_month, percent in project.plan:
                put_row(
                    pl,
                    p_row,
                    PLAN_COLUMNS,
                    {"id": project.id, "month": str(plan_month), "percent": percent},
                )
                p_row += 1

    slots: list[Month | None] = [*months] or [None]  # one report sheet, empty when no month
    for month in slots:
        rs = wb.create_sheet(_sheet_name(month, len(months) > 1) if month else SHEET_REPORT)
        rs.cell(1, 1, MONTH_LABEL).font = BOLD
        month_cell = rs.cell(1, 2, str(month) if month else None)
        month_cell.number_format = "@"
        month_cell.fill = REQUIRED_FILL
        rs.cell(1, 3, "← 填写月份，如 2020-10")
        rs.cell(1, 4, PUBLISHED_LABEL).font = BOLD
        published = rs.cell(1, 5)
        published.number_format = "yyyy-mm-dd"
        rs.cell(1, 6, "← 通报印发日期（可不填）")
        _header(rs, 2, REPORT_COLUMNS)
        _validations(rs, REPORT_COLUMNS, 3, ids_ref)
        if register is None:
            continue
        report = register.report(month) if month is not None else None
        if report is not None and report.published is not None:
            published.value = report.published
        carried = carried_over(register, month)
        row = 3
        day = register.cutoff(month) if month is not None else None
        for project in register.projects:
            if day is not None and not project.on_board(day):
                continue  # added later, or withdrawn (调出): not on that month's board
            if report is not None:
                entry = report.entries.get(project.id)
                if entry is None:
                    continue
                values = report_values(entry)
            else:
                values = carried[project.id]
            put_row(rs, row, REPORT_COLUMNS, {"id": project.id, "name": project.name, **values})
            if report is None and not year_derivable(register, project, month):
                ask_for_year(rs, row, REPORT_COLUMNS)
            row += 1
    return workbook_bytes(wb, _fixed_time(months[-1] if months else None))


def template_from(
    content_dir: Path | str,
    month: Month | None = None,
    all_months: bool = False,
    notes: list[Problem] | None = None,
) -> bytes:
    """`board template --from DIR`: the workbook filled from a register.

    A latest report still being filled in is left out (and said in `notes`): the workbook is
    how the office fills it in.
    """
    register, warnings = check(content_dir, pending=True)
    if notes is not None:
        notes.extend(notices(warnings))
    if all_months:
        months: list[Month] = list(register.months)
    elif month is not None:
        months = [month]
    else:
        months = [register.latest.next()] if register.latest else []  # no report: B1 left empty
    return template_workbook(register, months)
