"""`board template`: the workbook the office fills in, empty or from the register."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import Problem
from ..model import BoardConfig, Month, Register
from ..validate import (
    ENTRY_FIELDS,
    PROJECT_FIELDS,
    check,
    notices,
)
from .disclosure import write_sheet as write_disclosure_sheet
from .layout import (
    BOLD,
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
    SHEET_INSTRUCTIONS,
    SHEET_INVESTMENT,
    SHEET_MILESTONES,
    SHEET_PLAN,
    SHEET_PROJECTS,
    SHEET_REPORT,
    SHEET_SETTINGS,
    Column,
)
from .writing import _fixed_time, workbook_bytes


def _header(ws: Worksheet, row: int, columns: tuple[Column, ...]) -> None:
    for col, column in enumerate(columns, 1):
        cell = ws.cell(row, col, column.header)
        cell.font = BOLD
        cell.fill = REQUIRED_FILL if column.required else HEADER_FILL
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        ws.column_dimensions[get_column_letter(col)].width = column.width
    ws.freeze_panes = ws.cell(row + 1, 1)


def _validations(
    ws: Worksheet, columns: tuple[Column, ...], first: int, ids_ref: str | None
) -> None:
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
                error="请填写日期，如 2020-12-31",
                errorTitle=column.header,
            )
        elif column.kind == "percent":
            dv = DataValidation(
                type="whole",
                operator="between",
                formula1="0",
                formula2="100",
                error="请填写 0 到 100 的整数",
                errorTitle=column.header,
            )
        elif column.kind == "number":
            dv = DataValidation(
                type="decimal",
                operator="greaterThanOrEqual",
                formula1="0",
                error="请填写不小于 0 的数（万元）",
                errorTitle=column.header,
            )
        elif column.kind == "int":
            dv = DataValidation(type="whole", error="请填写整数", errorTitle=column.header)
        elif column.kind == "id" and ids_ref is not None:
            dv = DataValidation(
                type="list",
                formula1=ids_ref,
                error=f"请从“{SHEET_PROJECTS}”表的编号中选择",
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


def _put(ws: Worksheet, row: int, columns: tuple[Column, ...], values: dict[str, Any]) -> None:
    for col, column in enumerate(columns, 1):
        value = values.get(column.field)
        if value is None or value == "":
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        cell = ws.cell(row, col, value)
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        if column.kind in ("text", "photos") and isinstance(value, str) and "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")


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
    info = wb.active
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
    write_disclosure_sheet(wb, register)  # issue 24: the sheet 信息公开

    if register is not None:
        m_row = p_row = i_row = 2
        for row, project in enumerate(register.projects, 2):
            values = {
                f.name: getattr(project, f.name)
                for f in PROJECT_FIELDS.values()
                if f.name not in ("milestones", "plan")
            }
            _put(ws, row, PROJECT_COLUMNS, values)
            for milestone in project.milestones:
                done = milestone.done
                _put(
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
                _put(
                    inv,
                    i_row,
                    INVESTMENT_COLUMNS,
                    {"id": project.id, "year": year, "amount": amount},
                )
                i_row += 1
            for plan_month, percent in project.plan:
                _put(
                    pl,
                    p_row,
                    PLAN_COLUMNS,
                    {"id": project.id, "month": str(plan_month), "percent": percent},
                )
                p_row += 1

    for month in months or [None]:
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
        last: dict[str, int] = {}
        for earlier in register.reports:
            if month is None or earlier.month < month:
                for pid, entry in earlier.entries.items():
                    last[pid] = entry.percent
        row = 3
        for project in register.projects:
            if report is not None:
                entry = report.entries.get(project.id)
                if entry is None:
                    continue
                values = {f: getattr(entry, f) for f in ENTRY_FIELDS}
                values["photos"] = "\n".join(
                    f"{photo.file} {photo.caption}".strip() for photo in entry.photos
                )
            else:
                values = {"percent": last.get(project.id, 0)}
            _put(rs, row, REPORT_COLUMNS, {"id": project.id, "name": project.name, **values})
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
