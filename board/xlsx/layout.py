"""The workbook's layout: its sheets, their columns, the instructions, and problems in cells."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from openpyxl.styles import Font, PatternFill

from ..errors import BoardError, Pos, Problem, Severity, format_problem
from ..i18n import Msg, counted, label
from ..validate import (
    BOARD_FIELDS,
    BULLETIN_FIELDS,
    PANEL_FIELDS,
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
}
_CELL_KINDS = {"percent": "percent", "int": "int", "number": "number"}


def _settings() -> dict[str, tuple[str, str]]:
    """board.yaml's settings as rows of the 设置 sheet: dotted key → (label, cell kind)."""
    out: dict[str, tuple[str, str]] = {}
    for f in BOARD_FIELDS.values():
        if f.kind == "mapping" and f.name not in _SUB_FIELDS:
            continue  # the county's map (issue 26) is kept in board.yaml, not in the workbook
        for g, key in (
            [(g, f"{f.name}.{g.name}") for g in _SUB_FIELDS[f.name].values()]
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
}

INSTRUCTIONS = [
    ("重点项目登记表填写说明", ""),
    ("", ""),
    (
        SHEET_PROJECTS,
        "每行一个重点项目。编号只用小写字母、数字和“-”（如 beiqu-wushui），导入后不可随意更改。",
    ),
    ("", "带底色的列必须填写：编号、项目名称、分包县领导、分包单位、开工时间、完成时限。"),
    ("", "日期一律写成 年-月-日（如 2020-12-31）；总投资以万元为单位。"),
    (
        SHEET_MILESTONES,
        "每行一项任务：编号、任务、责任人、完成时间，完成情况填“是”“否”或完成日期。",
    ),
    (SHEET_PLAN, "每行一个月的计划累计进度：编号、月份（如 2020-09）、计划进度（0-100 的整数）。"),
    (SHEET_INVESTMENT, "每行一个年度的计划投资：编号、年度（如 2020）、年度计划投资（万元）。"),
    (SHEET_REPORT, "本月进度报告。第1行填月份（如 2020-10）；每个项目一行。"),
    ("", "具体进度、实际进度必须填写；实际进度为累计完成百分比，0-100 的整数。"),
    (
        "",
        "进度滞后的项目须填写 滞后原因 和 限期赶上（日期）：凡是达不到要求的，要说明原因，限期赶上。",
    ),
    ("", "项目名称一列仅供对照，导入时不读取。"),
    (
        "",
        "本年完成投资为本年1月至本月累计完成投资（万元），不填时由累计完成投资和上年最后一期报告推算。",
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
    ("", "已有的项目文件和报告只有在加上 --update 时才会更新，更新前先显示改动。"),
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
