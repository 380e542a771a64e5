"""`board import`: from a workbook to the register's files, validated in a copy, written atomically."""

from __future__ import annotations

import difflib
import re
import shutil
import tempfile
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from openpyxl.utils import column_index_from_string

from ..compute import invested_this_year
from ..errors import Pos, Problem, Severity
from ..i18n import Msg, Said, counted, quoted
from ..load import Mapping as YMapping
from ..load import Scalar, load_document, load_sources, parse_yaml, shown_path
from ..model import Month, Register
from ..photos import InfoMemo, split_caption
from ..validate import (
    BOARD_FIELDS,
    ENTRY_FIELDS,
    MILESTONE_FIELDS,
    PROJECT_FIELDS,
    Invalid,
    build_register,
    parse_id,
)
from ..write import atomic_write
from .disclosure import plan_rows as plan_disclosure
from .layout import (
    _SUB_FIELDS,
    DECISION_FIELDS,
    SETTINGS,
    SHEET_PROJECTS,
    CellProblem,
    WorkbookError,
)
from .reading import SheetRow, SheetTable, Workbook, _number_text, cell_yaml, read_workbook
from .yamltext import (
    LineOrigin,
    Map,
    Origin,
    Seq,
    Tree,
    Val,
    canonical,
    emit,
    from_node,
    keep_lines,
    plain_ok,
)
from .yamltext import quoted as yaml_quoted

# -- from a workbook to the register's files --------------------------------------------------


@dataclass
class Planned:
    """A content file the import would write."""

    rel: str  # projects/a.yaml
    text: str  # what is written
    old: str | None  # the existing file's text, or None for a new file
    origins: dict[int, LineOrigin]  # the line origins of `checked`
    changed: bool
    checked: str = ""  # the same content in the standard form: what is validated, by cell


def _row_id(table: SheetTable, row: SheetRow, problems: list[CellProblem]) -> str | None:
    column = table.columns.get("id")
    if column is None:
        return None
    value = row.cells["id"][0]
    where, header = row.origin(table.name, column)
    if value is None:
        problems.append(
            CellProblem(
                where,
                header,
                Msg("msg.xlsx.empty_cell", what=Msg("msg.what.id")),
                Msg("msg.hint.fill_in"),
            )
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
        if column.kind in ("id", "ref", "commit"):
            continue
        origin = row.origin(table.name, column)
        text = row.yaml(column)
        if column.kind == "photos" and text is not None:
            target.set(fld, _photo_list(target.get(fld), text, origin), origin)
            continue
        old = target.get(fld)
        if fld == "location" and isinstance(old, Map):  # its coordinates stay (issue 26)
            if text is None:
                old.remove("name")
            else:
                old.set("name", Val(text, origin), origin)
            continue
        if text is None and not column.required:
            target.remove(fld)
            continue
        target.set(fld, Val(text or "", origin), origin)


def _yaml_text(text: str) -> str:
    return text if plain_ok(text) else yaml_quoted(text)


def _photo_list(old: Tree | None, text: str, origin: Origin) -> Seq:
    """The photo column as a `photos:` list: a line is a file name, then optionally a space and
    its caption. A file given without a caption keeps the caption the report file has for it."""
    kept: dict[str, Tree] = {}
    if isinstance(old, Seq):
        for item in old.items:
            written = item.get("file") if isinstance(item, Map) else item
            if isinstance(written, Val):
                kept[written.text.strip("'\"")] = item
    items: list[Tree] = []
    for line in text.split("\n"):
        # the caption after an ASCII or a fullwidth space (全角空格), as board.photos reads it
        name, caption = split_caption(line)
        if caption:
            items.append(
                Map(
                    [
                        ("file", Val(_yaml_text(name), origin)),
                        ("caption", Val(_yaml_text(caption), origin)),
                    ]
                )
            )
        else:
            items.append(kept.get(name) or Val(_yaml_text(name), origin))
    return Seq(items)


def _load_existing(path: Path, problems: list[CellProblem]) -> Map | None:
    load_problems: list[Problem] = []
    doc = load_document(path, load_problems)
    if doc is None or not isinstance(doc.root, YMapping):
        problems.append(
            CellProblem(
                shown_path(path),
                "",
                Msg("msg.xlsx.file_has_errors"),
                Msg("msg.xlsx.fix_file_has_errors"),
            )
        )
        return None
    tree = from_node(doc.root)
    assert isinstance(tree, Map)
    return tree


PROJECT_ORDER = [*PROJECT_FIELDS]
ENTRY_ORDER = [*ENTRY_FIELDS]
MILESTONE_ORDER = [*MILESTONE_FIELDS]
CHANGE_ORDER = ["date", "field", "from", "to", "reason", "approved_by"]


def _ordered(tree: Map, order: list[str]) -> Map:
    rank = {name: i for i, name in enumerate(order)}
    items = sorted(tree.items, key=lambda kv: rank.get(kv[0], len(order)))
    return Map(items, tree.origins)


@dataclass
class SentRow:
    """A report sheet's row for a project: what the import's notes name by its cells."""

    month: str
    pid: str
    table: SheetTable
    row: SheetRow

    def where(self, fld: str = "id") -> Origin:
        column = self.table.columns.get(fld) or self.table.columns["id"]
        return self.row.origin(self.table.name, column)


@dataclass
class RowsSent:
    """The report rows a workbook fills in, and those left empty (未报送)."""

    filled: list[SentRow] = field(default_factory=list)
    unreported: list[SentRow] = field(default_factory=list)


# columns a template fills in for the unit (carried over, or for reference): a row with only
# these is a row nobody filled in
_CARRIED = ("invested", "invested_year")


def is_unreported(table: SheetTable, row: SheetRow) -> bool:
    """A report row whose 实际进度 and 具体进度 are both empty, nothing else said: 未报送."""
    for fld, column in table.columns.items():
        if column.kind in ("id", "ref", "commit") or fld in _CARRIED:
            continue
        if row.cells.get(fld, (None,))[0] is not None:
            return False
    return True


def plan_files(
    book: Workbook, content: Path, problems: list[CellProblem], sent: RowsSent | None = None
) -> list[Planned]:
    """The files the workbook turns into: new ones, and existing ones merged with the sheet.

    `sent` collects the report rows filled in and left empty (未报送: the project is left out
    of the report, or taken out of it when it was there)."""
    sent = sent if sent is not None else RowsSent()
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
                        Msg("msg.xlsx.duplicate_id", id=quoted(pid), row=sheet_ids[pid]),
                        Msg("msg.xlsx.one_row"),
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
                Msg(
                    "msg.xlsx.unknown_project",
                    id=quoted(pid),
                    sheet=SHEET_PROJECTS,
                    folder=shown_path(content / "projects"),
                ),
                Msg("msg.hint.did_you_mean", name=close[0])
                if close
                else Msg("msg.xlsx.add_project", sheet=SHEET_PROJECTS),
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

    if book.investment is not None:
        table = book.investment
        annual: dict[str, Map] = {}
        for row in table.rows:
            pid = _row_id(table, row, problems)
            if pid is None or unknown(table, row, pid):
                continue
            year_col, amount_col = table.columns.get("year"), table.columns.get("amount")
            if year_col is None or amount_col is None:
                continue
            key = (row.yaml(year_col) or '""').strip('"')
            annual.setdefault(pid, Map()).items.append(
                (key, Val(row.yaml(amount_col) or "", row.origin(table.name, amount_col)))
            )
            annual[pid].origins[key] = row.origin(table.name, year_col)
        for pid, amounts in annual.items():
            tree = project_tree(pid)
            if tree is not None:
                tree.set("annual_investment", amounts)

    if book.changes is not None:  # issue 22: the change logs, 调出 and 新增
        table = book.changes
        logs: dict[str, Seq] = {}
        decisions: dict[str, dict[str, Map]] = {}
        field_col = table.columns.get("field")
        for row in table.rows:
            pid = _row_id(table, row, problems)
            if pid is None or unknown(table, row, pid):
                continue
            item = Map()
            _apply_row(item, table, row)
            named = (row.yaml(field_col) or "").strip('"') if field_col is not None else ""
            decision = DECISION_FIELDS.get(named)
            if decision is not None:  # 调出 / 新增: the date, the reason, the basis
                for key in ("field", "from", "to"):
                    item.remove(key)
                decisions.setdefault(pid, {})[decision] = _ordered(item, CHANGE_ORDER)
                continue
            logs.setdefault(pid, Seq()).items.append(_ordered(item, CHANGE_ORDER))
        for pid in sorted(logs.keys() | decisions.keys()):
            tree = project_tree(pid)
            if tree is None:
                continue
            if pid in logs:
                tree.set("changes", logs[pid])
            for kind, decided in decisions.get(pid, {}).items():
                tree.set(kind, decided)
    if book.disclosure is not None:  # issue 24: the sheet 信息公开
        sheet = book.disclosure
        plan_disclosure(
            sheet,
            lambda row: _row_id(sheet, row, problems),
            lambda row, pid: unknown(sheet, row, pid),
            project_tree,
            problems,
        )

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
        if report.published is not None:
            said = report.published_origin
            tree.set("published", Val(report.published, said), said)
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
                        Msg("msg.xlsx.duplicate_id", id=quoted(pid), row=seen[pid]),
                        Msg("msg.xlsx.one_row_report"),
                    )
                )
                continue
            seen[pid] = row.row
            if unknown(report, row, pid):
                continue
            if is_unreported(report, row):
                sent.unreported.append(SentRow(report.month, pid, report, row))
                entries.remove(pid)
                continue
            sent.filled.append(SentRow(report.month, pid, report, row))
            entry = entries.get(pid)
            if not isinstance(entry, Map):
                entry = Map()
            _apply_row(entry, report, row)
            entries.set(
                pid, _ordered(entry, ENTRY_ORDER), row.origin(report.name, report.columns["id"])
            )
        tree.set("projects", entries)
        planned.append(
            _planned(
                path,
                f"reports/{report.month}.yaml",
                _ordered(tree, ["month", "published", "projects"]),
            )
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
                    Msg("msg.xlsx.unknown_setting", setting=quoted(key))
                    if key
                    else Msg("msg.xlsx.empty_cell", what=Msg("msg.xlsx.a_setting")),
                    Msg("msg.hint.did_you_mean", name=close[0])
                    if close
                    else Msg("msg.xlsx.settings_are", names=", ".join(SETTINGS)),
                )
            )
            continue
        if key in rows:
            problems.append(
                CellProblem(where, header, Msg("msg.xlsx.set_twice", setting=key, row=rows[key]))
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
    """The file `tree` makes. A new file is written in the register's standard form; an
    existing file that changes keeps its comments, key order and untouched lines
    (yamltext.keep_lines), provided that what it then says is exactly what was validated."""
    checked, origins = emit(tree)
    old = path.read_text(encoding="utf-8-sig") if path.exists() else None
    changed = True
    text = checked
    if old is not None:
        scratch: list[Problem] = []
        old_root = parse_yaml(old, rel, scratch)
        new_root = parse_yaml(checked, rel, scratch)
        changed = canonical(old_root) != canonical(new_root)
        if changed and isinstance(old_root, YMapping):
            old_tree = from_node(old_root)
            assert isinstance(old_tree, Map)
            kept = keep_lines(old, old_tree, tree)
            again: list[Problem] = []
            if kept is not None:
                kept_root = parse_yaml(kept, rel, again)
                if not again and canonical(kept_root) == canonical(new_root):
                    text = kept
    return Planned(rel, text, old, origins, changed, checked)


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
            if _is(problem.message, "msg.validate.required") and chosen is not None:
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
                if isinstance(message, Msg) and message.key == "msg.validate.expected_empty":
                    message = Msg("msg.xlsx.empty_cell", **dict(message.params))
                    progress = problem.field.endswith(".progress (具体进度)")
                    hint = Msg("msg.xlsx.fill_or_unreported" if progress else "msg.hint.fill_in")
                return CellProblem(chosen[0], chosen[1], message, hint, problem.severity)
    where = shown_path(content / rel) if rel is not None else file
    message = problem.message
    if problem.pos.line:
        where = f"{where}:{problem.pos.line}:{problem.pos.col}"
        if rel in planned and planned[rel].changed:
            message = Msg("msg.xlsx.in_written_file", message=message)
    return CellProblem(where, problem.field, message, problem.hint, problem.severity, in_file=True)


def _is(message: Msg | str, key: str) -> bool:
    return isinstance(message, Msg) and message.key == key


def _validate(
    content: Path, planned: list[Planned], staged: dict[str, Path] | None = None
) -> tuple[Register | None, list[CellProblem]]:
    """The register the planned files make, validated in a temporary copy, and its problems
    mapped back to cells. `staged`: photos about to be placed (see photos.InfoMemo)."""
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
        if (content / "assets").is_dir() and not (content / "assets").is_symlink():
            # the map, its GeoJSON files and the summaries' images are checked as they are
            shutil.copytree(content / "assets", tmp / "assets", symlinks=True)
        for item in planned:
            if item.changed:
                (tmp / item.rel).write_text(item.checked, encoding="utf-8")
        sources = load_sources(tmp)
        # photos are read where they are, in the register (never copied)
        register, problems = build_register(sources, InfoMemo(root=content, staged=staged))
        return register, [_map_problem(p, tmp, content, by_rel) for p in problems]


def row_notes(register: Register | None, sent: RowsSent) -> list[CellProblem]:
    """Warnings about what the report rows say, named by their cells: the rows left empty
    (未报送, one warning for each sheet), and each project whose 累计完成投资 is missing or lower
    than the month before, or whose 本年完成投资 can be neither read nor derived."""
    notes: list[CellProblem] = []
    by_sheet: dict[str, list[SentRow]] = {}
    for item in sent.unreported:
        by_sheet.setdefault(item.table.name, []).append(item)
    for sheet, items in by_sheet.items():
        shown = [f"{item.pid}（{item.where()[0]}）" for item in items]
        shown_en = [f"{item.pid} ({item.where()[0]})" for item in items]
        notes.append(
            CellProblem(
                sheet,
                "",
                Msg(
                    "msg.xlsx.unreported",
                    n=counted(len(items), "project"),
                    names=Said("、".join(shown), ", ".join(shown_en)),
                ),
                Msg("msg.xlsx.unreported_hint"),
                Severity.WARNING,
            )
        )
    if register is None:
        return notes
    for item in sent.filled:
        month = Month.parse(item.month)
        report = register.report(month)
        entry = report.entries.get(item.pid) if report else None
        if entry is None:
            continue
        history = register.history.get(item.pid, ())
        before = [(m, e.invested) for m, e in history if m < month and e.invested is not None]
        where, header = item.where("invested")
        if before:
            last_month, last = before[-1]
            if entry.invested is None:
                notes.append(
                    CellProblem(
                        where,
                        header,
                        Msg(
                            "msg.xlsx.invested_missing",
                            before=_number_text(last),
                            month=str(last_month),
                        ),
                        Msg("msg.xlsx.invested_missing_hint"),
                        Severity.WARNING,
                    )
                )
                continue
            if entry.invested < last:
                notes.append(
                    CellProblem(
                        where,
                        header,
                        Msg(
                            "msg.xlsx.invested_lower",
                            value=_number_text(entry.invested),
                            before=_number_text(last),
                            month=str(last_month),
                        ),
                        Msg("msg.xlsx.invested_lower_hint"),
                        Severity.WARNING,
                    )
                )
        project = register.project(item.pid)
        year, _ = invested_this_year(project, history, entry, month)
        if year is None and entry.invested is not None:
            where, header = item.where("invested_year")
            notes.append(
                CellProblem(
                    where,
                    header,
                    Msg("msg.xlsx.year_unknown", year=month.year),
                    Msg("msg.xlsx.year_unknown_hint"),
                    Severity.WARNING,
                )
            )
    return notes


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
        return Msg(
            "msg.import.would_write" if self.dry_run else "msg.import.wrote",
            created=len(self.created),
            updated=len(self.updated),
            unchanged=len(self.unchanged),
            warnings=counted(len(self.warnings), "warning"),
        ).text()


def unified_diff(rel: str, old: str | None, new: str) -> str:
    return "".join(
        difflib.unified_diff(
            (old or "").splitlines(keepends=True),
            new.splitlines(keepends=True),
            fromfile=f"a/{rel}" if old is not None else "/dev/null",
            tofile=f"b/{rel}",
        )
    )


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
    # hidden sheets and rows are said, not refused
    warnings = [p for p in problems if p.severity is Severity.WARNING]
    problems = [p for p in problems if p.severity is not Severity.WARNING]
    sent = RowsSent()
    planned = plan_files(book, content, problems, sent)
    if book.readable:
        register, found = _validate(content, planned)
        missing_columns = any(_is(p.message, "msg.xlsx.missing_column") for p in problems)
        left_out = {(item.month, item.pid) for item in sent.unreported}
        for p in found:
            if p.severity is Severity.WARNING:
                if not _said_unreported(p, left_out):
                    warnings.append(p)
            elif not (missing_columns and _is(p.message, "msg.validate.required")):
                problems.append(p)
        problems = sort_cell_problems(problems, book.sheet_order)
        warnings = row_notes(register, sent) + warnings
    changed = [p for p in planned if p.changed]
    if not update and not dry_run:
        for item in changed:
            if item.old is not None:
                problems.append(
                    CellProblem(
                        shown_path(content / item.rel),
                        "",
                        Msg("msg.xlsx.exists_changed"),
                        Msg("msg.xlsx.fix_exists_changed"),
                    )
                )
    if problems:
        raise WorkbookError(problems)
    return write_planned(content, planned, warnings, dry_run, echo)


def _said_unreported(problem: CellProblem, left_out: set[tuple[str, str]]) -> bool:
    """The validator's "no entry in the latest report" for a row left empty: the import's own
    warning lists those rows once."""
    message = problem.message
    if _is(message, "msg.xlsx.in_written_file"):
        message = dict(message.params)["message"]  # type: ignore[union-attr]
    if not _is(message, "msg.warn.no_entry"):
        return False
    params = dict(message.params)  # type: ignore[union-attr]
    return (str(params.get("month")), str(params.get("id"))) in left_out


def write_planned(
    content: Path,
    planned: list[Planned],
    warnings: list[CellProblem],
    dry_run: bool,
    echo: Callable[[str], None] | None,
    always_diff: bool = False,
) -> ImportResult:
    """Write the planned files that change (each atomically), their diff shown first."""
    result = ImportResult(warnings=warnings, dry_run=dry_run)
    changed = [p for p in planned if p.changed]
    for item in planned:
        path = content / item.rel
        if not item.changed:
            result.unchanged.append(path)
            continue
        if echo is not None and (item.old is not None or dry_run or always_diff):
            echo(unified_diff(item.rel, item.old, item.text).rstrip("\n"))
        (result.updated if item.old is not None else result.created).append(path)
    if not dry_run:
        for item in changed:
            atomic_write(content / item.rel, item.text.encode("utf-8"))
    return result
