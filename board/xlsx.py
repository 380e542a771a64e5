"""The office's spreadsheets: `board template`, `board import` and `board export`.

The project office keeps its register in Excel/WPS and collects the monthly reports from the
responsible units as spreadsheets. This module writes the workbook they fill in (headers in
Chinese, cell validation, an instructions sheet), reads it back into `content/`, and exports a
month's board and ranking for internal circulation.

Import never duplicates the register's rules: the workbook is turned into the YAML files it
would write, those are validated together with the rest of the register in a temporary copy
(board.validate), every problem is mapped back to its sheet and cell (`报告!C7 具体进度: ...`),
and only a register without errors is written, file by file, atomically.
"""

from __future__ import annotations

import difflib
import io
import os
import re
import shutil
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import openpyxl
from openpyxl.cell.cell import Cell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import column_index_from_string, get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from .compute import BoardMonth, Row, compute_all
from .errors import BoardError, Pos, Problem, Severity, format_problem
from .i18n import label, translator
from .load import Mapping as YMapping
from .load import Node, Scalar, load_document, load_sources, parse_yaml, shown_path
from .model import BoardConfig, Month, Register
from .validate import (
    BOARD_FIELDS,
    ENTRY_FIELDS,
    INVISIBLE,
    MILESTONE_FIELDS,
    PANEL_FIELDS,
    PROJECT_FIELDS,
    SCREEN_FIELDS,
    THRESHOLD_FIELDS,
    Invalid,
    build_register,
    check,
    parse_id,
)

# -- the workbook's layout ----------------------------------------------------------------------

SHEET_INSTRUCTIONS = "说明"
SHEET_SETTINGS = "设置"
SHEET_PROJECTS = "项目"
SHEET_MILESTONES = "责任清单"
SHEET_PLAN = "计划进度"
SHEET_REPORT = "报告"  # one report sheet per month: 报告, or 报告 2020-09 when there are several
MONTH_LABEL = "月份"
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
)
SETTING_COLUMNS = (
    Column("label", "xlsx.setting", "ref", False, 16),
    Column("key", "xlsx.key", "key", True, 26),
    Column("value", "xlsx.value", "any", False, 40),
)
_SUB_FIELDS = {"thresholds": THRESHOLD_FIELDS, "screen": SCREEN_FIELDS, "panel": PANEL_FIELDS}
_CELL_KINDS = {"percent": "percent", "int": "int", "number": "number"}


def _settings() -> dict[str, tuple[str, str]]:
    """board.yaml's settings as rows of the 设置 sheet: dotted key → (label, cell kind)."""
    out: dict[str, tuple[str, str]] = {}
    for f in BOARD_FIELDS.values():
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
    (SHEET_REPORT, "本月进度报告。第1行填月份（如 2020-10）；每个项目一行。"),
    ("", "具体进度、实际进度必须填写；实际进度为累计完成百分比，0-100 的整数。"),
    (
        "",
        "进度滞后的项目须填写 滞后原因 和 限期赶上（日期）：凡是达不到要求的，要说明原因，限期赶上。",
    ),
    ("", "项目名称一列仅供对照，导入时不读取。"),
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
    message: str
    hint: str = ""
    severity: Severity = Severity.ERROR
    in_file: bool = False  # in a content file (path:line:col): shown as board check shows it

    def __str__(self) -> str:
        if self.in_file:
            return str(
                Problem(Pos(self.where), self.header, self.message, self.hint, self.severity)
            )
        head = f"{self.where} {self.header}" if self.header else self.where
        return format_problem(head, self.message, self.hint, self.severity)


class WorkbookError(BoardError):
    """The workbook cannot be imported; nothing was written. `.problems` lists every reason."""

    def __init__(self, problems: Iterable[CellProblem]) -> None:
        self.problems = list(problems)
        errors = sum(p.severity is Severity.ERROR for p in self.problems)
        super().__init__(f"{errors} error(s) in the workbook")


# -- writing YAML in the register's format ------------------------------------------------------

_PLAIN_BAD_START = set("?:,[]{}#&*!|>'\"%@`")
_NULL_WORDS = ("~", "null", "Null", "NULL")


def plain_ok(text: str) -> bool:
    """Whether `text` reads back as exactly this text when written as a plain YAML scalar."""
    if not text or text != text.strip() or text in _NULL_WORDS:
        return False
    if text[0] in _PLAIN_BAD_START or (text[0] == "-" and (len(text) == 1 or text[1] == " ")):
        return False
    if text.startswith(("---", "...")):
        return False
    if ":" in text or " #" in text or "\t" in text:  # a time such as 22:00 is quoted too
        return False
    return not any(ord(ch) < 0x20 or INVISIBLE.match(ch) for ch in text)


def quoted(text: str) -> str:
    """A double-quoted YAML scalar; invisible characters stay visible as escapes."""
    out = ['"']
    for ch in text:
        code = ord(ch)
        if ch == "\\":
            out.append("\\\\")
        elif ch == '"':
            out.append('\\"')
        elif ch == "\n":
            out.append("\\n")
        elif ch == "\t":
            out.append("\\t")
        elif code < 0x20 or 0x7F <= code <= 0x9F:
            out.append(f"\\x{code:02x}")
        elif INVISIBLE.match(ch) or ch in "\u2028\u2029":
            out.append(f"\\u{code:04x}")
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def text_scalar(text: str) -> str:
    """Text as YAML: plain when safe, a literal block for several lines, else double-quoted."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    if plain_ok(text):
        return text
    if "\n" in text and _literal_ok(text):
        body = text[:-1] if text.endswith("\n") else text
        return ("|" if text.endswith("\n") else "|-") + "\n" + body
    return quoted(text)


def _literal_ok(text: str) -> bool:
    if text.endswith("\n\n") or text.startswith((" ", "\n")) or text.strip() == "":
        return False
    return not any(
        (ord(ch) < 0x20 and ch != "\n") or INVISIBLE.match(ch) or ch in "\u2028\u2029\x85"
        for ch in text
    )


Origin = tuple[str, str]  # ("报告!C7", "具体进度")


@dataclass
class Val:
    """A scalar, already written as YAML text (one line, or a block scalar over several)."""

    text: str
    origin: Origin | None = None


@dataclass
class Map:
    items: list[tuple[str, Tree]] = field(default_factory=list)
    origins: dict[str, Origin] = field(default_factory=dict)  # the origin of each key

    def get(self, key: str) -> Tree | None:
        for k, v in self.items:
            if k == key:
                return v
        return None

    def set(self, key: str, value: Tree, origin: Origin | None = None) -> None:
        for i, (k, _) in enumerate(self.items):
            if k == key:
                self.items[i] = (key, value)
                break
        else:
            self.items.append((key, value))
        if origin is not None:
            self.origins[key] = origin

    def remove(self, key: str) -> None:
        self.items = [(k, v) for k, v in self.items if k != key]


@dataclass
class Seq:
    items: list[Tree] = field(default_factory=list)


Tree = Val | Map | Seq


@dataclass
class LineOrigin:
    key: Origin | None
    value: Origin | None
    value_col: int  # 1-based column where the value starts


def _key_text(key: str) -> str:
    return key if plain_ok(key) else quoted(key)


def emit(tree: Map) -> tuple[str, dict[int, LineOrigin]]:
    """The YAML text of a mapping in block style, and where each line came from."""
    lines: list[str] = []
    origins: dict[int, LineOrigin] = {}

    def add(text: str, key: Origin | None, value: Origin | None, col: int) -> None:
        lines.append(text)
        if key or value:
            origins[len(lines)] = LineOrigin(key, value, col)

    def mapping(m: Map, indent: int, first_prefix: str | None = None) -> None:
        for index, (key, value) in enumerate(m.items):
            pad = first_prefix if (index == 0 and first_prefix is not None) else " " * indent
            head = f"{pad}{_key_text(key)}:"
            key_origin = m.origins.get(key)
            if isinstance(value, Val):
                first, *rest = value.text.split("\n")
                add(f"{head} {first}" if first else head, key_origin, value.origin, len(head) + 2)
                for line in rest:
                    add(f"{' ' * (indent + 2)}{line}" if line else "", None, value.origin, 1)
            elif isinstance(value, Map):
                if not value.items:
                    add(f"{head} {{}}", key_origin, None, 0)
                    continue
                add(head, key_origin, None, 0)
                mapping(value, indent + 2)
            else:
                if not value.items:
                    add(f"{head} []", key_origin, None, 0)
                    continue
                add(head, key_origin, None, 0)
                for item in value.items:
                    dash = " " * (indent + 2) + "- "
                    if isinstance(item, Map) and item.items:
                        mapping(item, indent + 4, dash)
                    elif isinstance(item, Val):
                        first, *rest = item.text.split("\n")
                        add(f"{dash}{first}", None, item.origin, len(dash) + 1)
                        for line in rest:
                            add(f"{' ' * (indent + 4)}{line}" if line else "", None, item.origin, 1)
                    else:
                        add(f"{dash}{{}}" if isinstance(item, Map) else f"{dash}[]", None, None, 0)

    mapping(tree, 0)
    return "\n".join(lines) + "\n", origins


def from_node(node: Node) -> Tree:
    """An existing file's YAML node as a tree to emit again (values kept as written)."""
    if isinstance(node, Scalar):
        if node.plain and (node.value == "" or plain_ok(node.value)):
            return Val(node.value)
        return Val(text_scalar(node.value) if node.value else '""')
    if isinstance(node, YMapping):
        return Map([(k.value, from_node(v)) for k, v in node.items])
    return Seq([from_node(item) for item in node.items])


def canonical(tree: Tree | Node | None) -> Any:
    """A comparable form of a YAML tree: the same value however it is written."""
    if tree is None:
        return None
    if isinstance(tree, Val):
        parsed: list[Problem] = []
        node = parse_yaml(f"v: {tree.text}\n", "-", parsed)
        if isinstance(node, YMapping) and node.items:
            return canonical(node.items[0][1])
        return ("?", tree.text)
    if isinstance(tree, Scalar):
        value = unicodedata.normalize("NFC", tree.value.strip())
        if tree.plain and re.fullmatch(r"[+-]?\d+(\.\d*)?", value):
            return ("n", float(value))
        return ("s", value, tree.plain and value == "")
    if isinstance(tree, YMapping):
        return ("m", tuple(sorted((k.value, canonical(v)) for k, v in tree.items)))
    if isinstance(tree, Map):
        return ("m", tuple(sorted((k, canonical(v)) for k, v in tree.items)))
    return ("l", tuple(canonical(item) for item in tree.items))


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
        not (book.settings or book.projects or book.milestones or book.plan or book.reports)
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


# -- from a workbook to the register's files --------------------------------------------------


@dataclass
class Planned:
    """A content file the import would write."""

    rel: str  # projects/a.yaml
    text: str
    old: str | None  # the existing file's text, or None for a new file
    origins: dict[int, LineOrigin]
    changed: bool


def _row_id(table: SheetTable, row: SheetRow, problems: list[CellProblem]) -> str | None:
    column = table.columns.get("id")
    if column is None:
        return None
    value = row.cells["id"][0]
    where, header = row.origin(table.name, column)
    if value is None:
        problems.append(
            CellProblem(where, header, "expected an id, got an empty cell", "fill it in")
        )
        return None
    text = (
        _number_text(value)
        if isinstance(value, int | float) and not isinstance(value, bool)
        else str(value).strip()
    )
    try:
        return parse_id(Scalar(text, True, Pos("")))
    except Invalid as exc:
        problems.append(CellProblem(where, header, exc.message, exc.hint))
        return None


def _apply_row(target: Map, table: SheetTable, row: SheetRow) -> None:
    """The sheet's columns replace those fields of `target`; an empty cell removes a field.

    The id column names the target and the report's 项目名称 is only for reference: both skipped.
    """
    for fld, column in table.columns.items():
        if column.kind in ("id", "ref"):
            continue
        origin = row.origin(table.name, column)
        text = row.yaml(column)
        if text is None and not column.required:
            target.remove(fld)
            continue
        target.set(fld, Val(text or "", origin), origin)


def _load_existing(path: Path, problems: list[CellProblem]) -> Map | None:
    load_problems: list[Problem] = []
    doc = load_document(path, load_problems)
    if doc is None or not isinstance(doc.root, YMapping):
        problems.append(
            CellProblem(
                shown_path(path),
                "",
                "cannot update this file: it has errors of its own",
                "run board check and fix it first",
            )
        )
        return None
    tree = from_node(doc.root)
    assert isinstance(tree, Map)
    return tree


PROJECT_ORDER = [*PROJECT_FIELDS]
ENTRY_ORDER = [*ENTRY_FIELDS]
MILESTONE_ORDER = [*MILESTONE_FIELDS]


def _ordered(tree: Map, order: list[str]) -> Map:
    rank = {name: i for i, name in enumerate(order)}
    items = sorted(tree.items, key=lambda kv: rank.get(kv[0], len(order)))
    return Map(items, tree.origins)


def plan_files(book: Workbook, content: Path, problems: list[CellProblem]) -> list[Planned]:
    """The files the workbook turns into: new ones, and existing ones merged with the sheet."""
    planned: list[Planned] = []
    projects: dict[str, Map] = {}
    existing_ids = {p.stem for p in (content / "projects").glob("*.yaml")}

    def project_tree(pid: str) -> Map | None:
        if pid not in projects:
            path = content / "projects" / f"{pid}.yaml"
            if path.exists():
                tree = _load_existing(path, problems)
                if tree is None:
                    return None
                projects[pid] = tree
            else:
                projects[pid] = Map([("id", Val(pid))])
        return projects[pid]

    if book.settings is not None:
        board = _plan_settings(book.settings, content, problems)
        if board is not None:
            planned.append(board)
    sheet_ids: dict[str, int] = {}
    if book.projects is not None:
        table = book.projects
        for row in table.rows:
            pid = _row_id(table, row, problems)
            if pid is None:
                continue
            if pid in sheet_ids:
                where, header = row.origin(table.name, table.columns["id"])
                problems.append(
                    CellProblem(
                        where,
                        header,
                        f"duplicate id {pid!r}, also on row {sheet_ids[pid]}",
                        "each project has one row",
                    )
                )
                continue
            sheet_ids[pid] = row.row
            tree = project_tree(pid)
            if tree is None:
                continue
            origin = row.origin(table.name, table.columns["id"])
            tree.set("id", Val(pid, origin), origin)
            _apply_row(tree, table, row)
    known = existing_ids | set(sheet_ids)

    def unknown(table: SheetTable, row: SheetRow, pid: str) -> bool:
        if pid in known:
            return False
        where, header = row.origin(table.name, table.columns["id"])
        close = difflib.get_close_matches(pid, sorted(known), n=1, cutoff=0.6)
        problems.append(
            CellProblem(
                where,
                header,
                f"unknown project {pid!r}: not in sheet {SHEET_PROJECTS} nor in {shown_path(content / 'projects')}",
                f"did you mean {close[0]}?" if close else f"add it to sheet {SHEET_PROJECTS} first",
            )
        )
        return True

    if book.milestones is not None:
        table = book.milestones
        lists: dict[str, Seq] = {}
        for row in table.rows:
            pid = _row_id(table, row, problems)
            if pid is None or unknown(table, row, pid):
                continue
            item = Map()
            _apply_row(item, table, row)
            lists.setdefault(pid, Seq()).items.append(_ordered(item, MILESTONE_ORDER))
        for pid, seq in lists.items():
            tree = project_tree(pid)
            if tree is not None:
                tree.set("milestones", seq)
    if book.plan is not None:
        table = book.plan
        plans: dict[str, Map] = {}
        for row in table.rows:
            pid = _row_id(table, row, problems)
            if pid is None or unknown(table, row, pid):
                continue
            month_col, percent_col = table.columns.get("month"), table.columns.get("percent")
            if month_col is None or percent_col is None:
                continue
            month_text = row.yaml(month_col) or '""'
            key = month_text.strip('"')
            value = row.yaml(percent_col) or ""
            plans.setdefault(pid, Map()).items.append(
                (key, Val(value, row.origin(table.name, percent_col)))
            )
            plans[pid].origins[key] = row.origin(table.name, month_col)
        for pid, plan in plans.items():
            tree = project_tree(pid)
            if tree is not None:
                tree.set("plan", plan)

    for pid, tree in sorted(projects.items()):
        path = content / "projects" / f"{pid}.yaml"
        planned.append(_planned(path, f"projects/{pid}.yaml", _ordered(tree, PROJECT_ORDER)))

    for report in book.reports:
        if report.month is None:
            continue
        path = content / "reports" / f"{report.month}.yaml"
        if path.exists():
            tree = _load_existing(path, problems)
            if tree is None:
                continue
        else:
            tree = Map()
        tree.set("month", Val(report.month, report.month_origin), report.month_origin)
        entries = tree.get("projects")
        if not isinstance(entries, Map):
            entries = Map()
        seen: dict[str, int] = {}
        for row in report.rows:
            pid = _row_id(report, row, problems)
            if pid is None:
                continue
            if pid in seen:
                where, header = row.origin(report.name, report.columns["id"])
                problems.append(
                    CellProblem(
                        where,
                        header,
                        f"duplicate id {pid!r}, also on row {seen[pid]}",
                        "each project has one row in a month's report",
                    )
                )
                continue
            seen[pid] = row.row
            if unknown(report, row, pid):
                continue
            entry = entries.get(pid)
            if not isinstance(entry, Map):
                entry = Map()
            _apply_row(entry, report, row)
            entries.set(
                pid, _ordered(entry, ENTRY_ORDER), row.origin(report.name, report.columns["id"])
            )
        tree.set("projects", entries)
        planned.append(
            _planned(path, f"reports/{report.month}.yaml", _ordered(tree, ["month", "projects"]))
        )
    return planned


def _plan_settings(table: SheetTable, content: Path, problems: list[CellProblem]) -> Planned | None:
    """board.yaml with the 设置 sheet's values; an empty value leaves a setting as it is."""
    by_label = {label: key for key, (label, _) in SETTINGS.items()}
    values: dict[str, Val] = {}
    rows: dict[str, int] = {}
    for row in table.rows:
        key_cell = row.cells.get("key", (None, "", ""))[0]
        key = str(key_cell).strip() if key_cell is not None else ""
        label = row.cells.get("label", (None, "", ""))[0]
        if not key and label is not None:
            key = by_label.get(str(label).strip(), "")
        if "key" not in table.columns:
            continue
        where, header = row.origin(table.name, table.columns["key"])
        if key not in SETTINGS:
            close = difflib.get_close_matches(key, list(SETTINGS), n=1, cutoff=0.6)
            problems.append(
                CellProblem(
                    where,
                    header,
                    f"unknown setting {key!r}" if key else "expected a setting, got an empty cell",
                    f"did you mean {close[0]}?"
                    if close
                    else "the settings are " + ", ".join(SETTINGS),
                )
            )
            continue
        if key in rows:
            problems.append(
                CellProblem(where, header, f"{key} is set twice, also on row {rows[key]}")
            )
            continue
        rows[key] = row.row
        column = table.columns.get("value")
        if column is None:
            continue
        label_text, kind = SETTINGS[key]
        value, number_format, coordinate = row.cells["value"]
        text = cell_yaml(value, kind, number_format)
        if text is not None:
            values[key] = Val(text, (f"{table.name}!{coordinate}", label_text))
    path = content / "board.yaml"
    if not values:
        return None
    if path.exists():
        tree = _load_existing(path, problems)
        if tree is None:
            return None
    else:
        tree = Map()
    for key, val in values.items():
        if "." in key:
            parent, child = key.split(".", 1)
            sub = tree.get(parent)
            if not isinstance(sub, Map):
                sub = Map()
                tree.set(parent, sub)
            sub.set(child, val, val.origin)
        else:
            tree.set(key, val, val.origin)
    for parent, fields in _SUB_FIELDS.items():
        sub = tree.get(parent)
        if isinstance(sub, Map):
            tree.set(parent, _ordered(sub, list(fields)))
    return _planned(path, "board.yaml", _ordered(tree, list(BOARD_FIELDS)))


def _planned(path: Path, rel: str, tree: Map) -> Planned:
    text, origins = emit(tree)
    old = path.read_text(encoding="utf-8-sig") if path.exists() else None
    changed = True
    if old is not None:
        scratch: list[Problem] = []
        old_root = parse_yaml(old, rel, scratch)
        new_root = parse_yaml(text, rel, scratch)
        changed = canonical(old_root) != canonical(new_root)
    return Planned(rel, text, old, origins, changed)


# -- validating in a copy, and mapping problems back to cells ----------------------------------


def _map_problem(
    problem: Problem, tmp: Path, content: Path, planned: dict[str, Planned]
) -> CellProblem:
    file = problem.pos.file
    try:  # messages show paths relative to the working folder when they can
        rel: str | None = (Path.cwd() / file).resolve().relative_to(tmp).as_posix()
    except (ValueError, OSError):
        rel = None
    if rel is not None and rel in planned and planned[rel].changed and problem.pos.line:
        origin = planned[rel].origins.get(problem.pos.line)
        if origin is not None:
            chosen = origin.value
            if origin.key is not None and (chosen is None or problem.pos.col < origin.value_col):
                chosen = origin.key
            if problem.message.startswith("required field is missing") and chosen is not None:
                label = re.search(r"\((.*)\)\Z", problem.field)
                return CellProblem(
                    chosen[0].split("!")[0],
                    label.group(1) if label else problem.field,
                    problem.message,
                    problem.hint,
                    problem.severity,
                )
            if chosen is not None and chosen[0].split("!")[-1]:
                message, hint = problem.message, problem.hint
                if message.endswith("got an empty value"):
                    message = message.replace("got an empty value", "got an empty cell")
                    hint = "fill it in"
                return CellProblem(chosen[0], chosen[1], message, hint, problem.severity)
    where = shown_path(content / rel) if rel is not None else file
    message = problem.message
    if problem.pos.line:
        where = f"{where}:{problem.pos.line}:{problem.pos.col}"
        if rel in planned and planned[rel].changed:
            message += " (in the file as the import would write it)"
    return CellProblem(where, problem.field, message, problem.hint, problem.severity, in_file=True)


def _validate(content: Path, planned: list[Planned]) -> list[CellProblem]:
    by_rel = {p.rel: p for p in planned}
    with tempfile.TemporaryDirectory(prefix="board-import-") as tmpdir:
        tmp = Path(tmpdir).resolve() / "content"
        tmp.mkdir()
        if (content / "board.yaml").is_file():
            shutil.copy2(content / "board.yaml", tmp / "board.yaml")
        for sub in ("projects", "reports"):
            (tmp / sub).mkdir()
            if (content / sub).is_dir():
                for path in (content / sub).iterdir():
                    if path.suffix in (".yaml", ".yml") and path.is_file():
                        shutil.copy2(path, tmp / sub / path.name)
        for item in planned:
            if item.changed:
                (tmp / item.rel).write_text(item.text, encoding="utf-8")
        sources = load_sources(tmp)
        _register, problems = build_register(sources)
        return [_map_problem(p, tmp, content, by_rel) for p in problems]


_CELL_RE = re.compile(r"(?P<sheet>.+)!(?P<col>[A-Z]+)(?P<row>\d+)")


def sort_cell_problems(problems: list[CellProblem], sheet_order: list[str]) -> list[CellProblem]:
    """Problems in sheet order, then by row and column; problems in files after them."""

    def key(p: CellProblem) -> tuple[int, int, int, int]:
        sheet = p.where.split("!")[0]
        index = sheet_order.index(sheet) if sheet in sheet_order else len(sheet_order)
        m = _CELL_RE.match(p.where)
        if m is None:
            return (index, 0, 0, 0) if index < len(sheet_order) else (index, 1, 0, 0)
        return (index, 0, int(m["row"]), column_index_from_string(m["col"]))

    return sorted(problems, key=key)


# -- importing --------------------------------------------------------------------------------


@dataclass
class ImportResult:
    created: list[Path] = field(default_factory=list)
    updated: list[Path] = field(default_factory=list)
    unchanged: list[Path] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)
    dry_run: bool = False

    def summary(self) -> str:
        verb = "would write" if self.dry_run else "wrote"
        return (
            f"{verb} {len(self.created)} new and {len(self.updated)} updated files, "
            f"{len(self.unchanged)} unchanged, {len(self.warnings)} warnings"
        )


def unified_diff(rel: str, old: str | None, new: str) -> str:
    return "".join(
        difflib.unified_diff(
            (old or "").splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{rel}" if old is not None else "/dev/null",
            tofile=f"b/{rel}",
        )
    )


def atomic_write(path: Path, data: bytes) -> None:
    """Write a file by a temporary file beside it and one rename: never half written."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def import_workbook(
    workbook: Path | str,
    content_dir: Path | str = "content",
    month: Month | None = None,
    update: bool = False,
    dry_run: bool = False,
    echo: Callable[[str], None] | None = None,
) -> ImportResult:
    """Import a workbook into the register; raise WorkbookError with every problem.

    Nothing is written unless the whole workbook is valid and the register it gives passes
    validation. Existing files that would change are only replaced with `update`, and their
    unified diff is passed to `echo` first.
    """
    content = Path(content_dir)
    problems: list[CellProblem] = []
    book = read_workbook(workbook, month, problems)
    planned = plan_files(book, content, problems)
    warnings: list[CellProblem] = []
    if book.readable:
        found = _validate(content, planned)
        missing_columns = any(p.message.startswith("missing column") for p in problems)
        for p in found:
            if p.severity is Severity.WARNING:
                warnings.append(p)
            elif not (missing_columns and p.message.startswith("required field is missing")):
                problems.append(p)
        problems = sort_cell_problems(problems, book.sheet_order)
    changed = [p for p in planned if p.changed]
    if not update and not dry_run:
        for item in changed:
            if item.old is not None:
                problems.append(
                    CellProblem(
                        shown_path(content / item.rel),
                        "",
                        "exists and the workbook changes it",
                        "run again with --update to replace it; the changes are shown first",
                    )
                )
    if problems:
        raise WorkbookError(problems)
    result = ImportResult(warnings=warnings, dry_run=dry_run)
    for item in planned:
        path = content / item.rel
        if not item.changed:
            result.unchanged.append(path)
            continue
        if echo is not None and (item.old is not None or dry_run):
            echo(unified_diff(item.rel, item.old, item.text).rstrip("\n"))
        (result.updated if item.old is not None else result.created).append(path)
    if not dry_run:
        for item in changed:
            atomic_write(content / item.rel, item.text.encode("utf-8"))
    return result


# -- writing workbooks ------------------------------------------------------------------------


def _fixed_time(month: Month | None) -> datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.isdigit():
        return datetime.fromtimestamp(int(epoch), tz=UTC).replace(tzinfo=None)
    if month is not None:
        return datetime(month.year, month.month, month.last_day.day)
    return datetime(2000, 1, 1)


def workbook_bytes(wb: openpyxl.Workbook, when: datetime) -> bytes:
    """The workbook as .xlsx bytes that depend only on its content and `when`."""
    wb.properties.creator = "board"
    wb.properties.lastModifiedBy = "board"
    wb.properties.created = when
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                # board never writes formulas into cells: text from the register that starts
                # with '=' (openpyxl would store it as a formula) stays text, never runs
                if cell.data_type == "f":
                    cell.data_type = "s"
    raw = io.BytesIO()
    wb.save(raw)
    stamp = when.strftime("%Y-%m-%dT%H:%M:%SZ")
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = re.sub(
                    rb"(<dcterms:modified[^>]*>)[^<]*(</dcterms:modified>)",
                    rb"\g<1>" + stamp.encode() + rb"\g<2>",
                    data,
                )
            entry = zipfile.ZipInfo(info.filename, date_time=(1980, 1, 1, 0, 0, 0))
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o644 << 16
            dst.writestr(entry, data)
    return out.getvalue()


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
        if column.kind == "text" and isinstance(value, str) and "\n" in value:
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

    if register is not None:
        m_row = p_row = 2
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
        _header(rs, 2, REPORT_COLUMNS)
        _validations(rs, REPORT_COLUMNS, 3, ids_ref)
        if register is None:
            continue
        report = register.report(month) if month is not None else None
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
            else:
                values = {"percent": last.get(project.id, 0)}
            _put(rs, row, REPORT_COLUMNS, {"id": project.id, "name": project.name, **values})
            row += 1
    return workbook_bytes(wb, _fixed_time(months[-1] if months else None))


def template_from(
    content_dir: Path | str, month: Month | None = None, all_months: bool = False
) -> bytes:
    """`board template --from DIR`: the workbook filled from a register."""
    register, _ = check(content_dir)
    if all_months:
        months: list[Month] = list(register.months)
    elif month is not None:
        months = [month]
    else:
        months = [register.latest.next()] if register.latest else []  # no report: B1 left empty
    return template_workbook(register, months)


def _movement(t: Callable[[str], str], row: Row) -> str:
    if row.movement is None:
        return t("new")
    return f"{row.movement:+d}" if row.movement else "0"


ExportColumn = tuple[str, int, Callable[[Callable[[str], str], int, Row], Any]]

_NAME: ExportColumn = ("name", 34, lambda t, i, r: r.project.name)
_LEADER: ExportColumn = ("leader", 12, lambda t, i, r: r.project.leader)
_UNIT: ExportColumn = ("unit", 18, lambda t, i, r: r.project.unit)
_ACTUAL: ExportColumn = ("actual", 10, lambda t, i, r: r.actual)
_PLANNED: ExportColumn = ("planned", 10, lambda t, i, r: r.planned)
_VARIANCE: ExportColumn = ("variance", 8, lambda t, i, r: r.variance)
_STATUS: ExportColumn = ("status", 10, lambda t, i, r: t(f"status.{r.status}"))
_REASON: ExportColumn = ("reason", 30, lambda t, i, r: r.reason)
_CATCH_UP: ExportColumn = ("catch_up_by", 12, lambda t, i, r: r.catch_up_by)
_RANK: ExportColumn = ("rank", 6, lambda t, i, r: r.rank)

EXPORT_FORMATS = {
    "actual": '0"%"',
    "planned": '0.0"%"',
    "variance": "+0.0;-0.0;0",
    "gain": "+0;-0;0",
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
        [_RANK, _NAME, _LEADER, _UNIT, _ACTUAL, _PLANNED, _VARIANCE, _STATUS, _REASON, _CATCH_UP],
    ),
)


def export_workbook(content_dir: Path | str, month: Month | None = None) -> bytes:
    """`board export`: the month's board, ranking and projects behind, for internal circulation."""
    from .render import date_label, month_label

    register, _ = check(content_dir)
    if month is not None and month not in register.months:
        known = ", ".join(str(m) for m in register.months) or "none"
        raise BoardError(f"there is no report for {month} (reports: {known})")
    boards = compute_all(register, month)
    if not boards:
        raise BoardError("the register has no monthly report yet; run board new-month")
    board = boards[-1]
    language = register.config.language
    t = translator(language)
    wb = openpyxl.Workbook()
    wb.remove(wb.active)
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
        ws.freeze_panes = "A5"
        for i, row in enumerate(rows(board), 1):
            _row(ws, 4 + i, [value(t, i, row) for _, _, value in columns])
            for col, (key, _, _) in enumerate(columns, 1):
                if key in EXPORT_FORMATS:
                    ws.cell(4 + i, col).number_format = EXPORT_FORMATS[key]
    return workbook_bytes(wb, _fixed_time(board.month))


def _row(ws: Worksheet, r: int, values: list[Any]) -> None:
    for col, value in enumerate(values, 1):
        if value is None or value == "":
            continue
        if isinstance(value, float) and value.is_integer():
            value = int(value)
        cell = ws.cell(r, col, value)
        if isinstance(value, date):
            cell.number_format = "yyyy-mm-dd"
        elif isinstance(value, str) and len(value) > 20:
            cell.alignment = Alignment(wrap_text=True, vertical="top")
