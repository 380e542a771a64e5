"""The register as five tables: projects, months, reports, tasks, photos.

One definition per table and column (name, type, title, description) feeds every tabular form
of the open data (board.render.opendata): the CSV files `site/data/tables/<table>.csv`, their
Table Schemas in `datapackage.json`, the SQLite file `site/data/board.sqlite` and the
Datasette `metadata.json` beside it. The rows come from the computed boards (compute.py), so
each table says what the board says: `reports` holds every project's line of every month's
board, with the status and rank that month's board showed.
"""

from __future__ import annotations

import csv
import io
import sqlite3
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from ..audit import ITEM_STATES
from ..compute import BoardMonth
from ..i18n import STATUS_ORDER
from ..markup import plain_text
from ..model import DISCLOSURE_CATEGORIES
from ..photos import photo_data
from .data import change_data, row_data
from .disclosure import item_data
from .site import csv_cell

# Table Schema types and how SQLite stores each
SQL_TYPES = {
    "string": "TEXT",
    "date": "TEXT",
    "yearmonth": "TEXT",
    "integer": "INTEGER",
    "boolean": "INTEGER",
    "number": "REAL",
}
# the values of the columns that take one of a few (keys of the catalog, or plain values)
MOVEMENT_KINDS = ("up", "down", "same", "new", "completed")
PROMISE_STATES = ("met", "missed", "pending")
TASK_STATES = ("done", "due", "missed")


@dataclass(frozen=True)
class Column:
    name: str
    type: str  # a Table Schema type: string, integer, number, boolean, date, yearmonth
    title: str  # catalog key of the column's title
    required: bool = False
    enum: str = ""  # "status", "status_label", "movement_kind", "promise_state", "task_state"
    minimum: float | None = None
    maximum: float | None = None
    about: str = ""  # catalog key of the description, when the column's name says less

    @property
    def description(self) -> str:
        """Catalog key of the column's description (one per column name, shared by tables)."""
        return self.about or f"od.col.{self.name}"


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    table: str
    reference: tuple[str, ...]


@dataclass(frozen=True)
class Table:
    name: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    foreign_keys: tuple[ForeignKey, ...] = ()

    @property
    def title(self) -> str:
        return f"od.table.{self.name}"

    @property
    def description(self) -> str:
        return f"od.table.{self.name}.about"

    @property
    def path(self) -> str:
        """Where its CSV is published, relative to site/data/."""
        return f"tables/{self.name}.csv"


def _c(name: str, type_: str, title: str = "", **options: Any) -> Column:
    return Column(name, type_, title or f"od.title.{name}", **options)


PERCENT = {"minimum": 0, "maximum": 100}
PROJECTS = Table(
    "projects",
    (
        _c("id", "string", required=True),
        _c("oc4ids_id", "string", required=True),
        _c("seq", "integer", required=True, minimum=1),
        _c("name", "string", "name", required=True),
        _c("leader", "string", "leader", required=True),
        _c("unit", "string", "unit", required=True),
        _c("owner", "string", "owner"),
        _c("location", "string", "location"),
        _c("category", "string", "category"),
        _c("start", "date", "start", required=True),
        _c("deadline", "date", "deadline", required=True),
        _c("investment", "number", "investment", minimum=0),
        _c("summary", "string", "summary"),
        _c("page", "string", required=True),
    ),
    ("id",),
)
MONTHS = Table(
    "months",
    (
        _c("month", "yearmonth", "month", required=True),
        _c("as_of", "date", "data_as_of", required=True),
        _c("published", "date"),
        _c("projects", "integer", "projects_count", required=True, minimum=0),
        *(_c(status, "integer", f"status.{status}", required=True) for status in STATUS_ORDER),
        *(
            _c(name, "number", name, about=f"od.col.total_{name}")
            for name in (
                "investment",
                "annual_investment",
                "invested_year",
                "investment_rate",
                "invested",
            )
        ),
    ),
    ("month",),
)
REPORTS = Table(
    "reports",
    (
        _c("project_id", "string", required=True),
        _c("month", "yearmonth", "month", required=True),
        _c("reported", "boolean", required=True),
        _c("report_month", "yearmonth"),
        _c("percent", "integer", "percent", required=True, **PERCENT),
        _c("planned", "number", "planned", required=True, **PERCENT),
        _c("variance", "number", "variance", required=True),
        _c("gain", "integer", "gain", required=True),
        _c("status", "string", "status", required=True, enum="status"),
        _c("status_label", "string", "status", required=True, enum="status_label"),
        _c("rank", "integer", "rank", required=True, minimum=1),
        _c("previous_rank", "integer", minimum=1),
        _c("movement", "integer", "movement"),
        _c("movement_kind", "string", "movement", required=True, enum="movement_kind"),
        _c("progress", "string", "progress"),
        _c("invested", "number", "invested"),
        _c("annual_investment", "number", "annual_investment"),
        _c("invested_year", "number", "invested_year"),
        _c("investment_rate", "number", "investment_rate"),
        _c("problems", "string", "problems"),
        _c("measures", "string", "measures"),
        _c("reason", "string", "reason"),
        _c("catch_up_by", "date", "catch_up_by"),
        _c("promise_state", "string", enum="promise_state"),
    ),
    ("project_id", "month"),
    (
        ForeignKey(("project_id",), "projects", ("id",)),
        ForeignKey(("month",), "months", ("month",)),
    ),
)
TASKS = Table(
    "tasks",
    (
        _c("project_id", "string", required=True),
        _c("seq", "integer", required=True, minimum=1),
        _c("task", "string", "task", required=True),
        _c("owner", "string", "od.title.task_owner", required=True, about="od.col.task_owner"),
        _c("due", "date", required=True),
        _c("done", "boolean", required=True),
        _c("done_on", "date"),
        _c("state", "string", required=True, enum="task_state"),
    ),
    ("project_id", "seq"),
    (ForeignKey(("project_id",), "projects", ("id",)),),
)
PHOTOS = Table(
    "photos",
    (
        _c("project_id", "string", required=True),
        _c("month", "yearmonth", "month", required=True),
        _c("seq", "integer", required=True, minimum=1),
        _c("file", "string", required=True),
        _c("caption", "string"),
        _c("taken", "date"),
        _c("path", "string", required=True),
        _c("width", "integer", required=True, minimum=1),
        _c("height", "integer", required=True, minimum=1),
    ),
    ("project_id", "month", "seq"),
    (ForeignKey(("project_id", "month"), "reports", ("project_id", "month")),),
)


def _own(table: str, name: str, type_: str, **options: Any) -> Column:
    """A column whose title and description are its table's own (od.title.TABLE_NAME,
    od.col.TABLE_NAME): a name other tables give another meaning (date, reason, state)."""
    key = f"{table}_{name}"
    return Column(name, type_, f"od.title.{key}", about=f"od.col.{key}", **options)


# issue 22: the change log of the commitments (调整记录), as the latest board has it in force
CHANGES = Table(
    "changes",
    (
        _c("project_id", "string", required=True),
        _c("seq", "integer", required=True, minimum=1),
        _own("change", "date", "date", required=True),
        _own("change", "field", "string", required=True),
        _own("change", "from", "string"),
        _own("change", "to", "string"),
        _own("change", "reason", "string", required=True),
        _c("approved_by", "string", "od.title.approved_by", about="od.col.approved_by"),
        _c("major", "boolean", "od.title.major", required=True, about="od.col.major"),
    ),
    ("project_id", "seq"),
    (ForeignKey(("project_id",), "projects", ("id",)),),
)
# issue 24: the items of 国办发〔2017〕94号's eight categories, as the latest board's audit judges
# them (the fields of a single category stay in board.json and the OC4IDS package)
DISCLOSURE = Table(
    "disclosure",
    (
        _c("project_id", "string", required=True),
        _own("disclosure", "category", "string", required=True, enum="disclosure_category"),
        _c("seq", "integer", required=True, minimum=1),
        _own("disclosure", "item", "string", required=True),
        _own("disclosure", "number", "string"),
        _own("disclosure", "formed", "date", required=True),
        _own("disclosure", "published", "date"),
        _own("disclosure", "publisher", "string"),
        _own("disclosure", "channel", "string"),
        _own("disclosure", "link", "string"),
        _own("disclosure", "due", "date", required=True),
        _own("disclosure", "state", "string", required=True, enum="disclosure_state"),
        _c(
            "workdays_late",
            "integer",
            "od.title.workdays_late",
            minimum=0,
            about="od.col.workdays_late",
        ),
    ),
    ("project_id", "category", "seq"),
    (ForeignKey(("project_id",), "projects", ("id",)),),
)
TABLES: tuple[Table, ...] = (PROJECTS, MONTHS, REPORTS, TASKS, PHOTOS, CHANGES, DISCLOSURE)


def enum_values(kind: str, t: Callable[[str], str]) -> list[str]:
    """The values a column of `kind` takes: the status keys, or the one legend's words."""
    if kind == "status":
        return list(STATUS_ORDER)
    if kind == "status_label":
        return [t(f"status.{status}") for status in STATUS_ORDER]
    return list(
        {
            "movement_kind": MOVEMENT_KINDS,
            "promise_state": PROMISE_STATES,
            "disclosure_category": DISCLOSURE_CATEGORIES,
            "disclosure_state": ITEM_STATES,
        }.get(kind, TASK_STATES)
    )


Rows = dict[str, list[tuple[Any, ...]]]


def table_rows(
    boards: tuple[BoardMonth, ...],
    t: Callable[[str], str],
    oc4ids_id: Callable[[str], str],
) -> Rows:
    """Every table's rows, in board order and month order, from the computed boards."""
    latest = boards[-1]
    register = latest.register
    published = {r.month: r.published for r in register.reports}
    projects = []
    tasks = []
    # every project of every month: those on the latest board in its order, then those taken
    # off it (调出, issue 22) as their last board showed them, so every report has its project
    last_rows = {row.project.id: row for row in latest.rows}
    for board in reversed(boards):
        for row in board.rows:
            last_rows.setdefault(row.project.id, row)
    thresholds = register.config.thresholds
    changes = []
    disclosure = []
    for seq, row in enumerate(last_rows.values(), 1):
        p = row.project
        audited = latest.disclosure.of(p.id)
        for category in audited.categories if audited else ():
            for i, audit in enumerate(category.items, 1):
                shown = item_data(audit)  # as board.json gives it
                disclosure.append(
                    (
                        p.id,
                        category.key,
                        i,
                        shown["item"],
                        shown["number"],
                        shown["formed"],
                        shown["published"],
                        shown["publisher"],
                        shown["channel"],
                        shown["link"],
                        shown["due"],
                        shown["state"],
                        shown["workdays_late"],
                    )
                )
        for i, change in enumerate(row.changes, 1):
            shown = change_data(change, thresholds)  # as board.json gives it
            changes.append(
                (
                    p.id,
                    i,
                    shown["date"],
                    shown["field"],
                    _text(shown["from"]),
                    _text(shown["to"]),
                    shown["reason"],
                    shown["approved_by"],
                    shown["major"],
                )
            )
        projects.append(
            (
                p.id,
                oc4ids_id(p.id),
                seq,
                p.name,
                p.leader,
                p.unit,
                p.owner or None,
                p.location or None,
                p.category or None,
                p.start.isoformat(),
                p.deadline.isoformat(),
                p.investment,
                plain_text(p.summary) or None,
                f"projects/{p.id}/index.html",
            )
        )
        as_of = row.entry_month.last_day if row.entry_month else p.start
        for i, m in enumerate(p.milestones, 1):
            done_on = m.done_on
            tasks.append(
                (
                    p.id,
                    i,
                    m.task,
                    m.owner,
                    m.due.isoformat(),
                    m.done is True or done_on is not None,
                    done_on.isoformat() if done_on else None,
                    m.state(as_of),
                )
            )
    months = []
    reports = []
    photos = []
    report_columns = [c.name for c in REPORTS.columns]
    for board in boards:
        totals = board.totals
        day = published.get(board.month)
        months.append(
            (
                str(board.month),
                board.as_of.isoformat(),
                day.isoformat() if day else None,
                len(board.rows),
                *(board.counts[status] for status in STATUS_ORDER),
                totals.investment,
                totals.annual_investment,
                totals.invested_year,
                totals.investment_rate,
                totals.invested,
            )
        )
        for row in board.rows:
            data = row_data(row, t)
            data["project_id"] = data["id"]
            data["month"] = str(board.month)
            reports.append(tuple(data[name] for name in report_columns))
            for i, photo in enumerate(row.photos, 1):
                shown = photo_data(photo, board.month)
                photos.append(
                    (
                        row.project.id,
                        str(board.month),
                        i,
                        shown["name"],
                        shown["caption"],
                        shown["taken"],
                        shown["src"],
                        shown["width"],
                        shown["height"],
                    )
                )
    return {
        "projects": projects,
        "months": months,
        "reports": reports,
        "tasks": tasks,
        "photos": photos,
        "changes": changes,
        "disclosure": disclosure,
    }


def _text(value: Any) -> str | None:
    """A commitment's value as text (a date, an amount, a name; None: it did not exist)."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def table_csv(table: Table, rows: Iterable[tuple[Any, ...]]) -> bytes:
    """A table as CSV: UTF-8 with a byte order mark, cells written as `data/projects.csv` writes
    them (empty for none, true/false, text that looks like a formula behind an apostrophe)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow([csv_cell(v) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode("utf-8")


def _sql_name(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _comment(text: str) -> str:
    """Text as an SQL line comment (one line; the schema keeps it for every SQL tool to show)."""
    return " ".join(text.split())


def create_sql(table: Table, t: Callable[[str], str]) -> str:
    """CREATE TABLE with its keys, and each column's title and description as a comment."""
    lines = [f"CREATE TABLE {_sql_name(table.name)} ( -- {_comment(t(table.description))}"]
    parts = []
    for column in table.columns:
        null = " NOT NULL" if column.required else ""
        parts.append(
            (
                f"  {_sql_name(column.name)} {SQL_TYPES[column.type]}{null}",
                f"{t(column.title)}: {t(column.description)}",
            )
        )
    parts.append((f"  PRIMARY KEY ({', '.join(map(_sql_name, table.primary_key))})", ""))
    for fk in table.foreign_keys:
        parts.append(
            (
                f"  FOREIGN KEY ({', '.join(map(_sql_name, fk.fields))}) REFERENCES "
                f"{_sql_name(fk.table)} ({', '.join(map(_sql_name, fk.reference))})",
                "",
            )
        )
    for i, (sql, comment) in enumerate(parts):
        comma = "," if i < len(parts) - 1 else ""
        lines.append(f"{sql}{comma}" + (f" -- {_comment(comment)}" if comment else ""))
    lines.append(")")
    return "\n".join(lines)


def sqlite_bytes(rows: Rows, t: Callable[[str], str]) -> bytes:
    """The tables as one SQLite database file, the same bytes for the same rows.

    Built in memory with a fixed page size, no clock anywhere (SQLite stores none), then
    VACUUMed and serialised: the file's header holds only counters that the same statements
    set the same way. A `descriptions` table repeats the titles and descriptions of every table
    and column for tools that do not show the schema's comments.
    """
    db = sqlite3.connect(":memory:")
    try:
        db.execute("PRAGMA page_size = 4096")
        db.execute("PRAGMA encoding = 'UTF-8'")
        db.execute("PRAGMA foreign_keys = ON")
        for table in TABLES:
            db.execute(create_sql(table, t))
            marks = ", ".join("?" for _ in table.columns)
            db.executemany(
                f"INSERT INTO {_sql_name(table.name)} VALUES ({marks})",
                [tuple(_sql_value(v) for v in row) for row in rows[table.name]],
            )
        db.execute(
            "CREATE TABLE descriptions ( -- "
            + _comment(t("od.table.descriptions.about"))
            + "\n  table_name TEXT NOT NULL,\n  column_name TEXT NOT NULL,"
            "\n  title TEXT NOT NULL,\n  description TEXT NOT NULL,"
            "\n  PRIMARY KEY (table_name, column_name)\n)"
        )
        described = []
        for table in TABLES:
            described.append((table.name, "", t(table.title), t(table.description)))
            for column in table.columns:
                described.append((table.name, column.name, t(column.title), t(column.description)))
        db.executemany("INSERT INTO descriptions VALUES (?, ?, ?, ?)", described)
        db.commit()
        db.execute("VACUUM")
        return bytes(db.serialize())
    finally:
        db.close()


def _sql_value(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def datasette_metadata(
    t: Callable[[str], str], title: str, about: dict[str, str], license_: tuple[str, str]
) -> dict[str, Any]:
    """Datasette's metadata.json for board.sqlite: titles and descriptions of every table and
    column, the source and the licence (https://docs.datasette.io/en/stable/metadata.html)."""
    meta: dict[str, Any] = {"title": title, **about}
    if license_[0]:
        meta["license"] = license_[1]
        meta["license_url"] = license_[0]
    meta["databases"] = {
        "board": {
            "description": t("od.sqlite.about"),
            "tables": {
                table.name: {
                    "title": t(table.title),
                    "description": t(table.description),
                    "columns": {c.name: f"{t(c.title)}: {t(c.description)}" for c in table.columns},
                }
                for table in TABLES
            }
            | {
                "descriptions": {
                    "title": t("od.table.descriptions"),
                    "description": t("od.table.descriptions.about"),
                }
            },
        }
    }
    return meta
