"""The workbook's layout: its sheets, their columns, the instructions, and problems in cells."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.worksheet.worksheet import Worksheet

from ..errors import BoardError, Pos, Problem, Severity, format_problem
from ..i18n import Msg, counted, label
from ..validate import (
    BOARD_FIELDS,
    BULLETIN_FIELDS,
    OPEN_DATA_FIELDS,
    PANEL_FIELDS,
    REPORTING_FIELDS,
    SCREEN_FIELDS,
    THRESHOLD_FIELDS,
)

# -- the workbook's layout ----------------------------------------------------------------------

SHEET_INSTRUCTIONS = "说明"
SHEET_SETTINGS = "设置"
SHEET_PROJECTS = "项目"
SHEET_MILESTONES = "责任清单"
SHEET_PLAN = "计划进度"
SHEET_INVESTMENT = "年度计划投资"
SHEET_CHANGES = "调整记录"  # issue 22: the projects' change logs, 调出 and 新增
SHEET_REPORT = "报告"  # one report sheet per month: 报告, or 报告 2020-09 when there are several
MONTH_LABEL = "月份"
PUBLISHED_LABEL = "印发日期"  # the report sheet's D1; E1 holds the bulletin's date (issue 16)
MAX_ROWS = 5000


@dataclass(frozen=True)
class Column:
    field: str  # the YAML field
    key: str  # the MESSAGES key of the header
    kind: str  # id | text | int | number | percent | date | month | done | ref
    required: bool = False
    width: int = 14

    @property
    def header(self) -> str:
        return label(self.key)


PROJECT_COLUMNS = (
    Column("id", "xlsx.id", "id", True, 16),
    Column("name", "name", "text", True, 34),
    Column("leader", "leader", "text", True, 12),
    Column("unit", "unit", "text", True, 18),
    Column("start", "start", "date", True, 12),
    Column("deadline", "deadline", "date", True, 12),
    Column("owner", "owner", "text", False, 24),
    Column("location", "location", "text", False, 12),
    Column("category", "category", "text", False, 10),
    Column("investment", "investment", "number", False, 14),
    Column("order", "xlsx.order", "int", False, 8),
    Column("summary", "summary", "text", False, 40),
    Column("code", "disclosure.code", "text", False, 26),  # issue 24: 项目统一代码
)
MILESTONE_COLUMNS = (
    Column("id", "xlsx.id", "id", True, 16),
    Column("task", "task", "text", True, 36),
    Column("owner", "task_owner", "text", True, 18),
    Column("due", "due", "date", True, 12),
    Column("done", "done", "done", False, 12),
)
PLAN_COLUMNS = (
    Column("id", "xlsx.id", "id", True, 16),
    Column("month", "month", "month", True, 10),
    Column("percent", "planned", "percent", True, 10),
)
INVESTMENT_COLUMNS = (
    Column("id", "xlsx.id", "id", True, 16),
    Column("year", "xlsx.year", "int", True, 8),
    Column("amount", "annual_investment", "number", True, 16),
)
REPORT_COLUMNS = (
    Column("id", "xlsx.id", "id", True, 16),
    Column("name", "name", "ref", False, 30),
    Column("progress", "progress", "text", True, 40),
    Column("percent", "percent", "percent", True, 10),
    Column("invested", "invested", "number", False, 14),
    Column("problems", "problems", "text", False, 24),
    Column("measures", "measures", "text", False, 24),
    Column("reason", "reason", "text", False, 24),
    Column("catch_up_by", "catch_up_by", "date", False, 12),
    Column("invested_year", "invested_year", "number", False, 14),
    # file names under photos/, one a line (Alt+Enter), each optionally followed by a space and
    # its caption
    Column("photos", "xlsx.photos", "photos", False, 36),
)
# A unit's workbook (`board template --by-unit`, board/xlsx/units.py): its report sheet holds
# only the unit's projects, with their commitments beside them for reference (kind "commit": the
# register's, compared at import and never changed by a unit), then the month's figures.
UNIT_REPORT_COLUMNS = (
    Column("id", "xlsx.id", "id", True, 16),
    Column("name", "name", "ref", False, 30),
    Column("leader", "leader", "commit", False, 14),
    Column("deadline", "deadline", "commit", False, 12),
    Column("investment", "investment", "commit", False, 12),
    Column("progress", "progress", "text", True, 40),
    Column("percent", "percent", "percent", True, 10),
    Column("invested", "invested", "number", False, 14),
    Column("invested_year", "invested_year", "number", False, 14),
    Column("problems", "problems", "text", False, 24),
    Column("measures", "measures", "text", False, 24),
    Column("reason", "reason", "text", False, 24),
    Column("catch_up_by", "catch_up_by", "date", False, 12),
    Column("photos", "xlsx.photo_column", "photos", False, 40),
)
# the hidden sheet holding a unit workbook's identity (register, month, unit) and its digest
SHEET_IDENTITY = "身份"
# issue 22: one change of a commitment a row (field: deadline, plan.2020-09, 完成时限, ...); a
# row whose 调整事项 is 调出 or 新增 takes the project off the board or puts it on (date, reason,
# basis). From and to are read as text: a date, an amount or a percent, as the file writes them.
CHANGE_COLUMNS = (
    Column("id", "xlsx.id", "id", True, 16),
    Column("date", "adjust.date", "date", True, 12),
    Column("field", "adjust.field", "text", True, 22),
    Column("from", "adjust.from", "text", False, 16),
    Column("to", "adjust.to_value", "text", False, 16),
    Column("reason", "adjust.reason", "text", False, 36),
    Column("approved_by", "adjust.approved_by", "text", False, 30),
)
DECISION_FIELDS = {"withdrawn": "withdrawn", "调出": "withdrawn", "added": "added", "新增": "added"}
SETTING_COLUMNS = (
    Column("label", "xlsx.setting", "ref", False, 16),
    Column("key", "xlsx.key", "key", True, 26),
    Column("value", "xlsx.value", "any", False, 40),
)
_SUB_FIELDS = {
    "thresholds": THRESHOLD_FIELDS,
    "screen": SCREEN_FIELDS,
    "panel": PANEL_FIELDS,
    "bulletin": BULLETIN_FIELDS,
    "reporting": REPORTING_FIELDS,
    "open_data": OPEN_DATA_FIELDS,
}
_CELL_KINDS = {"percent": "percent", "int": "int", "number": "number"}


# board.yaml settings of this register alone: a workbook made from one county and imported into
# another must not carry them over (board.published: one register per output and record)
REGISTER_OWN = ("id", "archive")


def _settings() -> dict[str, tuple[str, str]]:
    """board.yaml's settings as rows of the 设置 sheet: dotted key → (label, cell kind)."""
    out: dict[str, tuple[str, str]] = {}
    for f in BOARD_FIELDS.values():
        if f.kind == "mapping" and f.name not in _SUB_FIELDS:
            # `labels:` (free keys) and the county's map (issue 26) are kept in board.yaml, not
            # on the 设置 sheet
            continue
        if f.name in REGISTER_OWN:
            continue  # the register's identity and its record's place never travel in a workbook
        for g, key in (
            [
                (g, f"{f.name}.{g.name}")
                for g in _SUB_FIELDS[f.name].values()
                if g.kind != "mapping"  # reporting.due_dates: one date per month, in board.yaml
            ]
            if f.kind == "mapping"
            else [(f, f.name)]
        ):
            label_text = (
                g.label if f.kind != "mapping" or f.name == "thresholds" else f.label + g.label
            )
            out[key] = (label_text, _CELL_KINDS.get(g.kind, "text"))
    return out


SETTINGS = _settings()
REQUIRED_SETTINGS = tuple(f.name for f in BOARD_FIELDS.values() if f.required)

SHEETS = {
    SHEET_SETTINGS: SETTING_COLUMNS,
    SHEET_PROJECTS: PROJECT_COLUMNS,
    SHEET_MILESTONES: MILESTONE_COLUMNS,
    SHEET_PLAN: PLAN_COLUMNS,
    SHEET_INVESTMENT: INVESTMENT_COLUMNS,
    SHEET_CHANGES: CHANGE_COLUMNS,
}

INSTRUCTIONS = [
    ("重点项目登记表填写说明", ""),
    ("", ""),
    (
        SHEET_PROJECTS,
        "每行一个重点项目。编号只用小写字母、数字和“-”（如 beiqu-wushui），导入后不可随意更改。",
    ),
    ("", "带底色的列必须填写：编号、项目名称、分包县领导、分包单位、开工时间、完成时限。"),
    (
        "",
        "日期可以写成 2020-11-30、2020-1-5、2020.11.30、2020/11/30、2020年11月30日，也可以用 Excel 的日期格式；导入时一律改写成 2020-11-30。",
    ),
    (
        "",
        "金额以万元为单位，写 14800、14,800、１４８００ 都可以；全角数字和千位分隔符都认得。",
    ),
    (
        SHEET_MILESTONES,
        "每行一项任务：编号、任务、责任人、完成时间，完成情况填“是”“否”或完成日期。",
    ),
    (
        SHEET_PLAN,
        "每行一个月的计划累计进度：编号、月份（如 2020-09、2020.9、2020年9月）、计划进度（0-100 的整数）。",
    ),
    (SHEET_INVESTMENT, "每行一个年度的计划投资：编号、年度（如 2020）、年度计划投资（万元）。"),
    (
        SHEET_CHANGES,
        "承诺调整（完成时限、投资、计划进度等公示过的承诺改动时）每行一条：编号、决定日期、调整事项（如 deadline 或 完成时限）、原值、新值、调整原因、批准依据（重大调整必填）。项目调出或年中新增：调整事项写“调出”或“新增”，填决定日期、原因和批准依据。",
    ),
    (SHEET_REPORT, "本月进度报告。第1行填月份（如 2020-10）；每个项目一行。"),
    (
        "",
        "具体进度、实际进度必须填写；实际进度为累计完成百分比，0 到 100 的整数，写 65、65%、６５％ 都可以（百分比格式的单元格填 65% 或 0.65）。",
    ),
    (
        "",
        "本月没有报送的项目（未报送）：把这一行的 具体进度 和 实际进度 都清空，公示上显示“未报送”；不要删除这一行。",
    ),
    (
        "",
        "累计完成投资已沿用上月的数，请改为截至本月的累计数；累计数只增不减，比上月低的须在 存在问题 中说明原因。",
    ),
    (
        "",
        "进度滞后的项目须填写 滞后原因 和 限期赶上（日期）：凡是达不到要求的，要说明原因，限期赶上。",
    ),
    ("", "项目名称一列仅供对照，导入时不读取。"),
    (
        "",
        "本年完成投资为本年1月至本月累计完成投资（万元），不填时由累计完成投资减去上年12月（上年最后一期报告）的累计数推算；无法推算的项目，本年完成投资一格标为黄色，须填写。",
    ),
    (
        "",
        "照片文件：填写 photos/ 下的文件名，每行一个（单元格内按 Alt+Enter 换行），文件名后可空一格写照片说明，如 photos/2020-09/beiqu-wushui-1.jpg 厂区全景；每个项目每月最多6张。",
    ),
    ("", ""),
    (
        "注意",
        "请勿合并单元格、请勿修改表头、请勿增加其他工作表；可以用 Excel 或 WPS 填写，保存为 .xlsx。",
    ),
    (
        "",
        "导入：board import 文件.xlsx ；所有问题一次列出（如 报告!C7 具体进度: ...），有错误时不写入任何文件。",
    ),
    (
        "",
        "已有的项目文件和报告只有在加上 --update 时才会更新，更新前先显示改动；文件里的注释和没有改动的行保持原样。",
    ),
]

REQUIRED_FILL = PatternFill("solid", fgColor="FFF2CC")
HEADER_FILL = PatternFill("solid", fgColor="DDEBF7")
BOLD = Font(bold=True)


# -- problems in a workbook -------------------------------------------------------------------


@dataclass(frozen=True)
class CellProblem:
    """A problem found in a workbook, named by sheet and cell: `报告!C7 具体进度: ...`."""

    where: str  # 报告!C7, 报告, the workbook's file name, or a content file's path
    header: str
    message: Msg | str
    hint: Msg | str = ""
    severity: Severity = Severity.ERROR
    in_file: bool = False  # in a content file (path:line:col): shown as board check shows it

    def text(self, language: str | None = None) -> str:
        if self.in_file:
            problem = Problem(Pos(self.where), self.header, self.message, self.hint, self.severity)
            return problem.text(language)
        head = f"{self.where} {self.header}" if self.header else self.where
        return format_problem(head, self.message, self.hint, self.severity, language)

    def __str__(self) -> str:
        return self.text()


class WorkbookError(BoardError):
    """The workbook cannot be imported; nothing was written. `.problems` lists every reason."""

    def __init__(self, problems: Iterable[CellProblem]) -> None:
        self.problems = list(problems)
        errors = sum(p.severity is Severity.ERROR for p in self.problems)
        super().__init__(Msg("msg.errors.workbook", errors=counted(errors, "error")))


def put_value(ws: Worksheet, row: int, col: int, value: Any) -> Any:
    """One cell's value (None or "": the cell left empty, and None returned), whole numbers as
    integers, dates as yyyy-mm-dd; the cell, for the caller's wrapping rule."""
    if value is None or value == "":
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    cell = ws.cell(row, col, value)
    if isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def put_row(ws: Worksheet, row: int, columns: tuple[Column, ...], values: dict[str, Any]) -> None:
    """One row of a sheet: each column's value from `values` (`put_value`), a text of several
    lines wrapped."""
    for col, column in enumerate(columns, 1):
        value = values.get(column.field)
        cell = put_value(ws, row, col, value)
        if cell is None:
            continue
        if column.kind in ("text", "photos") and isinstance(value, str) and "\n" in value:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
