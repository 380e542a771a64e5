"""Issue 24: the workbook's sheet 信息公开, one row per item of a project's `disclosure:`.

`board template` writes it (`write_sheet`) after 年度计划投资, filled from the register; `board
import` reads it like the other sheets (reading.py) and turns its rows into each project's
`disclosure:` section (`plan_rows`), every cell remembered so that a problem the validator finds
is named by its cell (信息公开!F7 形成/变更日期: ...).

A row is an item of one category (公开类别, by its Chinese name): 编号, 公开类别, 事项, 文号,
形成/变更日期, 公开日期, 公开主体, 公开渠道, 链接, then the structured fields of its category
(批复单位, 中标单位 …). A row that fills 不适用理由 instead marks its category not applicable
(不适用); `是` there marks it without a reason (a warning). The sheet replaces the `disclosure:`
of each project it has rows for; projects without rows keep theirs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from openpyxl.styles import Alignment
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation

from ..disclosure import (
    CATEGORY_FIELDS,
    CATEGORY_NAMES,
    COMMON_FIELDS,
    NOT_APPLICABLE,
    ROLE_NAMES,
    YES,
    category_key,
    role_key,
)
from ..i18n import Msg, quoted
from ..model import DISCLOSURE_CATEGORIES, DisclosureItem, Register
from .layout import (
    BOLD,
    HEADER_FILL,
    MAX_ROWS,
    REQUIRED_FILL,
    SHEET_INSTRUCTIONS,
    SHEET_PROJECTS,
    CellProblem,
    Column,
    put_row,
)
from .yamltext import Map, Seq, Val

if TYPE_CHECKING:
    from openpyxl import Workbook as OpenpyxlWorkbook

    from .reading import SheetRow, SheetTable

SHEET_DISCLOSURE = "信息公开"
COLUMNS = (
    Column("id", "xlsx.id", "id", True, 16),
    Column("category", "disclosure.xlsx.category", "text", True, 16),
    Column("item", "disclosure.xlsx.item", "text", False, 30),
    Column("number", "disclosure.xlsx.number", "text", False, 20),
    Column("formed", "disclosure.col.formed", "date", False, 13),
    Column("published", "disclosure.col.published", "date", False, 12),
    Column("publisher", "disclosure.col.publisher", "text", False, 16),
    Column("channel", "disclosure.xlsx.channel", "text", False, 18),
    Column("link", "disclosure.xlsx.link", "text", False, 30),
    Column(NOT_APPLICABLE, "disclosure.xlsx.not_applicable", "text", False, 24),
    Column("approver", "disclosure.xlsx.approver", "text", False, 16),
    Column("licensing", "disclosure.licensing", "done", False, 10),
    Column("winner", "disclosure.winner", "text", False, 20),
    Column("amount", "disclosure.xlsx.amount", "number", False, 12),
    Column("reason", "disclosure.reason", "text", False, 18),
    Column("role", "disclosure.role", "text", False, 12),
    Column("company", "disclosure.company", "text", False, 22),
    Column("head", "disclosure.head", "text", False, 10),
    Column("manager", "disclosure.manager", "text", False, 10),
    Column("qualification", "disclosure.qualification", "text", False, 20),
    Column("agency", "disclosure.agency", "text", False, 20),
    Column("phone", "disclosure.phone", "text", False, 14),
    Column("result", "disclosure.xlsx.result", "text", False, 24),
    Column("accepted", "disclosure.accepted", "date", False, 13),
)
# the register's order of an item's fields, per category
ITEM_ORDER = {
    key: [f.name for f in (*COMMON_FIELDS, *extra)] for key, extra in CATEGORY_FIELDS.items()
}
INSTRUCTIONS = [
    (
        SHEET_DISCLOSURE,
        "每行一项公开事项（国办发〔2017〕94号八类信息）：编号、公开类别、事项、形成/变更日期必填；"
        "已公开的填公开日期，信息须在形成或变更后20个工作日内公开（行政许可决定7个工作日，行政许可决定一栏填“是”）。",
    ),
    (
        "",
        "公开类别填："
        + "、".join(CATEGORY_NAMES.values())
        + "；某类不适用时，一行只填编号、公开类别和不适用理由。",
    ),
    (
        "",
        "批复单位用于批准结果、征收土地和重大设计变更信息；中标单位、中标金额（万元）用于招标投标信息；"
        "参建单位类别（项目法人、设计、施工、监理、施工图审查）、单位名称、负责人、项目负责人、资质用于施工有关信息；"
        "质量安全监督机构、监督电话用于质量安全监督信息；检查/验收结果、竣工验收时间用于质量安全监督和竣工有关信息。",
    ),
    ("", "项目统一代码填在“项目”表的项目统一代码一栏，如 2020-130529-48-01-012345。"),
]


# -- board template ------------------------------------------------------------------------------


def _item_values(item: DisclosureItem) -> dict[str, Any]:
    values: dict[str, Any] = {"category": CATEGORY_NAMES[item.category]}
    for name in ITEM_ORDER[item.category]:
        value = getattr(item, name)
        if name == "licensing":
            value = "是" if value else None
        elif name == "role" and value:
            value = ROLE_NAMES[value][0]
        values[name] = value
    return values


def write_sheet(wb: OpenpyxlWorkbook, register: Register | None) -> None:
    """The sheet 信息公开, with its header, its checks and the register's items; and its lines
    in the 说明 sheet."""
    ws = wb.create_sheet(SHEET_DISCLOSURE)
    for col, column in enumerate(COLUMNS, 1):
        cell = ws.cell(1, col, column.header)
        cell.font = BOLD
        cell.fill = (
            REQUIRED_FILL if column.field in ("id", "category", "item", "formed") else HEADER_FILL
        )
        cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
        letter = get_column_letter(col)
        ws.column_dimensions[letter].width = column.width
        area = f"{letter}2:{letter}{MAX_ROWS + 1}"
        dv: DataValidation | None = None
        if column.field == "id":
            ids = f"'{SHEET_PROJECTS}'!$A$2:$A${MAX_ROWS + 1}"
            dv = DataValidation(
                type="list", formula1=ids, error=f"请从“{SHEET_PROJECTS}”表的编号中选择"
            )
        elif column.field == "category":
            names = ",".join(CATEGORY_NAMES.values())
            dv = DataValidation(type="list", formula1=f'"{names}"', error="请从下拉列表中选择")
        elif column.field == "role":
            names = ",".join(names[0] for names in ROLE_NAMES.values())
            dv = DataValidation(type="list", formula1=f'"{names}"', showErrorMessage=False)
        elif column.field == "licensing":
            dv = DataValidation(type="list", formula1='"是,否"', showErrorMessage=False)
        elif column.kind == "date":
            dv = DataValidation(
                type="date",
                operator="between",
                formula1="DATE(1990,1,1)",
                formula2="DATE(2100,12,31)",
                error="请填写日期，如 2020-12-31",
            )
            ws.column_dimensions[letter].number_format = "yyyy-mm-dd"
        elif column.kind == "number":
            dv = DataValidation(
                type="decimal", operator="greaterThanOrEqual", formula1="0", error="请填写万元数"
            )
        if dv is not None:
            dv.errorTitle = column.header
            dv.add(area)
            ws.add_data_validation(dv)
    ws.freeze_panes = ws.cell(2, 3)
    info = wb[SHEET_INSTRUCTIONS] if SHEET_INSTRUCTIONS in wb.sheetnames else None
    if info is not None:
        start = info.max_row + 2
        for r, (a, b) in enumerate(INSTRUCTIONS, start):
            info.cell(r, 1, a or None).font = BOLD
            info.cell(r, 2, b)
    if register is None:
        return
    row = 2
    for project in register.projects:
        if project.disclosure is None:
            continue
        for category in project.disclosure.categories:
            rows: list[dict[str, Any]]
            if category.not_applicable:
                reason = category.reason or "是"
                rows = [{"category": CATEGORY_NAMES[category.key], NOT_APPLICABLE: reason}]
            else:
                rows = [_item_values(item) for item in category.items]
            for values in rows:
                put_row(ws, row, COLUMNS, {**values, "id": project.id})
                row += 1


# -- board import ---------------------------------------------------------------------------------


def _na_with_items(origin: tuple[str, str], key: str) -> CellProblem:
    """A category marked 不适用 that also has items (in either order of the rows)."""
    return CellProblem(
        origin[0],
        origin[1],
        Msg("msg.disclosure.xlsx_na_items", category=CATEGORY_NAMES[key]),
        Msg("msg.disclosure.xlsx_na_hint"),
    )


def plan_rows(
    table: SheetTable,
    row_id: Callable[[SheetRow], str | None],
    unknown: Callable[[SheetRow, str], bool],
    project_tree: Callable[[str], Map | None],
    problems: list[CellProblem],
) -> None:
    """Each project's `disclosure:` from its rows of the sheet (see the module's text).

    `row_id` reads a row's 编号 (saying what is wrong with it), `unknown` says a project that is
    neither in the register nor in the 项目 sheet, `project_tree` gives the project's file to
    change. Problems of the sheet's own shape are added to `problems`; the rest is for the
    validator, which names the cell."""
    found: dict[str, dict[str, Map | Seq]] = {}
    for row in table.rows:
        pid = row_id(row)
        if pid is None or unknown(row, pid):
            continue
        key = _category(table, row, problems)
        if key is None:
            continue
        sections = found.setdefault(pid, {})
        na_text = _cell(table, row, NOT_APPLICABLE)
        filled = [
            column
            for field, column in table.columns.items()
            if field not in ("id", "category", NOT_APPLICABLE) and row.yaml(column) is not None
        ]
        if na_text is not None:
            origin = row.origin(table.name, table.columns[NOT_APPLICABLE])
            if filled or isinstance(sections.get(key), Seq):
                problems.append(_na_with_items(origin, key))
                continue
            value = "true" if na_text.strip('"') in YES else na_text
            sections[key] = Map([(NOT_APPLICABLE, Val(value, origin))], {NOT_APPLICABLE: origin})
            continue
        if isinstance(sections.get(key), Map):
            problems.append(_na_with_items(row.origin(table.name, table.columns["category"]), key))
            continue
        item = Map()
        allowed = ITEM_ORDER[key]
        for column in filled:
            origin = row.origin(table.name, column)
            if column.field not in allowed:
                problems.append(
                    CellProblem(
                        origin[0],
                        origin[1],
                        Msg(
                            "msg.disclosure.xlsx_wrong_column",
                            header=column.header,
                            category=CATEGORY_NAMES[key],
                        ),
                        Msg("msg.disclosure.xlsx_wrong_column_hint"),
                    )
                )
                continue
            text = row.yaml(column) or ""
            if column.field == "role":
                role = role_key(text.strip('"'))
                text = role or text
            item.set(column.field, Val(text, origin), origin)
        for required in ("item", "formed"):  # an empty cell: the validator names it
            if item.get(required) is None and required in table.columns:
                origin = row.origin(table.name, table.columns[required])
                item.set(required, Val('""', origin), origin)
        rank = {name: i for i, name in enumerate(allowed)}
        item.items.sort(key=lambda kv: rank[kv[0]])
        items = sections.setdefault(key, Seq())
        assert isinstance(items, Seq)
        items.items.append(item)
    for pid, sections in found.items():
        tree = project_tree(pid)
        if tree is None:
            continue
        section = Map([(k, sections[k]) for k in DISCLOSURE_CATEGORIES if k in sections])
        tree.set("disclosure", section)


def _cell(table: SheetTable, row: SheetRow, field: str) -> str | None:
    column = table.columns.get(field)
    return row.yaml(column) if column is not None else None


def _category(table: SheetTable, row: SheetRow, problems: list[CellProblem]) -> str | None:
    column = table.columns["category"]
    where, header = row.origin(table.name, column)
    text = row.yaml(column)
    if text is None:
        problems.append(
            CellProblem(
                where,
                header,
                Msg("msg.xlsx.empty_cell", what=Msg("msg.disclosure.what_category")),
                Msg("msg.disclosure.xlsx_category_hint", names="、".join(CATEGORY_NAMES.values())),
            )
        )
        return None
    key = category_key(text.strip('"'))
    if key is None:
        problems.append(
            CellProblem(
                where,
                header,
                Msg("msg.disclosure.xlsx_category", value=quoted(text.strip('"'))),
                Msg("msg.disclosure.xlsx_category_hint", names="、".join(CATEGORY_NAMES.values())),
            )
        )
    return key
