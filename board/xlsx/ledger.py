"""The 报送台账: who sent each project's monthly report, when, and in which file.

`board template --by-unit` records the workbooks it issues (发出), `board import` of unit
workbooks records every project it takes from each (报送, 重报, or 空行未报 for a row left empty),
with the import's time, the file's name and its SHA-256. The ledger is a CSV file beside the
month's report, `reports/2020-10.报送台账.csv` (UTF-8 with a byte order mark, so Excel and WPS
open it as it is): part of the register, read by no validation, never published. Lines are only
ever added to it.

From it and the due date (board.yaml `reporting:`), `standing` says which units reported on
time, late or not at all: `board status --missing` lists the last, the bulletin names the late
and the missing once the due date has passed (render/bulletin.py), and the site shows nothing
of it beyond the 未报送 status a project without a report already has.

The register's key (`.board-key` in the register, made on first use, never published) signs
the identity each unit workbook carries (board/xlsx/units.py).
"""

from __future__ import annotations

import csv
import io
import os
import secrets
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from ..model import Month, Project, Register
from ..write import atomic_write

SUFFIX = ".报送台账.csv"
HEADER = ("时间", "事项", "分包单位", "项目编号", "项目名称", "文件", "SHA-256")
KINDS = {"issued": "发出", "sent": "报送", "resent": "重报", "empty": "空行未报"}
_KIND_OF = {v: k for k, v in KINDS.items()}
KEY_FILE = ".board-key"


def now() -> datetime:
    """The import's time: the office's clock, with its UTC offset (tests set it)."""
    return datetime.now().astimezone()


def ledger_path(content: Path, month: Month) -> Path:
    return content / "reports" / f"{month}{SUFFIX}"


@dataclass(frozen=True)
class Record:
    """One line of the ledger."""

    time: datetime
    kind: str  # issued | sent | resent | empty
    unit: str
    project: str  # the project's id; empty for a workbook issued
    name: str  # the project's name, for the reader
    file: str  # the file's name as it came (a zip's name for a zip)
    sha256: str

    def row(self) -> list[str]:
        return [
            self.time.isoformat(timespec="seconds"),
            KINDS[self.kind],
            self.unit,
            self.project,
            self.name,
            self.file,
            self.sha256,
        ]


def read_ledger(content: Path, month: Month) -> list[Record] | None:
    """The month's ledger, oldest first; None when there is none. Lines that cannot be read
    (a clerk's edit) are passed over: the ledger is a record, not an input to validate."""
    path = ledger_path(content, month)
    if not path.is_file():
        return None
    try:
        text = path.read_text(encoding="utf-8-sig")
    except (OSError, UnicodeDecodeError):
        return []
    records = []
    for row in csv.reader(io.StringIO(text)):
        if len(row) < len(HEADER) or tuple(row[: len(HEADER)]) == HEADER:
            continue
        try:
            when = datetime.fromisoformat(row[0])
        except ValueError:
            continue
        kind = _KIND_OF.get(row[1])
        if kind is None:
            continue
        records.append(Record(when, kind, *row[2:7]))
    return records


def ledger_text(records: list[Record]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for record in records:
        writer.writerow(record.row())
    return "\ufeff" + out.getvalue()


def append(content: Path, month: Month, new: list[Record]) -> Path:
    """Add `new` to the month's ledger (written whole, atomically)."""
    path = ledger_path(content, month)
    old = read_ledger(content, month) or []
    atomic_write(path, ledger_text(old + new).encode("utf-8"))
    return path


# -- the register's key ----------------------------------------------------------------------


def register_key(content: Path, create: bool = False) -> bytes | None:
    """The register's secret key (32 random bytes, hex in `.board-key`); made when `create`."""
    path = content / KEY_FILE
    try:
        text = path.read_text(encoding="ascii").strip()
        return bytes.fromhex(text)
    except (OSError, ValueError):
        if not create:
            return None
    key = secrets.token_bytes(32)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="ascii") as handle:
        handle.write(key.hex() + "\n")
    return key


# -- who reported --------------------------------------------------------------------------------


@dataclass(frozen=True)
class UnitStanding:
    """A unit's report of the month: on_time, late, missing (after the due date) or waiting."""

    unit: str
    projects: tuple[Project, ...]
    first: datetime | None  # its first workbook taken in
    state: str


@dataclass(frozen=True)
class Standing:
    """Each unit's report of a month, from the ledger and the due date."""

    month: Month
    due: date | None
    as_of: date
    units: tuple[UnitStanding, ...]

    @property
    def past_due(self) -> bool:
        return self.due is not None and self.as_of > self.due

    def _in(self, state: str) -> tuple[UnitStanding, ...]:
        return tuple(u for u in self.units if u.state == state)

    @property
    def late(self) -> tuple[UnitStanding, ...]:
        return self._in("late")

    @property
    def missing(self) -> tuple[UnitStanding, ...]:
        return self._in("missing")

    @property
    def not_in(self) -> tuple[UnitStanding, ...]:
        """Units that have sent nothing yet, whether or not the due date has passed."""
        return tuple(u for u in self.units if u.first is None)

    @property
    def on_time(self) -> tuple[UnitStanding, ...]:
        return self._in("on_time")


def units_of(register: Register) -> dict[str, tuple[Project, ...]]:
    """The register's units and their projects, in board order."""
    found: dict[str, list[Project]] = {}
    for project in register.projects:
        found.setdefault(project.unit, []).append(project)
    return {unit: tuple(projects) for unit, projects in found.items()}


def standing(
    register: Register, month: Month, as_of: date | None = None, records: list[Record] | None = None
) -> Standing | None:
    """Each unit's report of `month` on `as_of` (default: the day of the ledger's last line);
    None when the month has no ledger (the office brought it in by its own workbook or YAML)."""
    if records is None:
        records = read_ledger(register.root, month)
    if records is None:
        return None
    taken = [r for r in records if r.kind != "issued"]
    last = max((r.time.date() for r in records), default=month.last_day)
    day = max(as_of or last, last)
    due = register.config.reporting.due(month)
    units = []
    for unit, projects in units_of(register).items():
        ids = {p.id for p in projects}
        times = [r.time for r in taken if r.unit == unit and r.project in ids]
        first = min(times, default=None)
        if first is None:
            state = "missing" if due is not None and day > due else "waiting"
        elif due is not None and first.date() > due:
            state = "late"
        else:
            state = "on_time"
        units.append(UnitStanding(unit, projects, first, state))
    return Standing(month, due, day, tuple(units))
