"""Collecting the month from every unit: one workbook per 分包单位, imported together.

`board template --by-unit` (`issue_workbooks`) writes one workbook per unit, named after it
(`报表-2020-10-住建局.xlsx`): a 说明 sheet with the due date, a 报告 sheet with only the unit's
projects (last month's figures carried, the commitments beside them for reference), and a hidden
sheet 身份 holding the workbook's identity (register, month, unit, projects) with an HMAC of it
under the register's key (ledger.register_key), so that an identity edited or copied from
another register is told from the real one.

`board import FILE_OR_FOLDER…` (`import_units`) takes any number of those workbooks, or zips of
a workbook and its photos, or folders of them, and merges them into the month's report:

- each file is checked on its own: its zip (no path outside it, no link, no bomb, one workbook,
  photos only), its identity (signed by this register, for the month imported, for a unit of
  the register, not renamed for another), its rows (only the unit's own projects, commitments
  as the register has them), its cells (as `board import` of the county workbook reads them);
- the files together: one workbook per unit, the same file never twice;
- the merged report is validated with the whole register (photos where they will be);
- nothing is written unless every file is right (`partial`: the right ones are, the others are
  listed); then the photos, the report (a unit's rows replace only that unit's entries; the
  file's other lines stay as they are) and the 报送台账 (board/xlsx/ledger.py).
"""

from __future__ import annotations

import hashlib
import hmac
import re
import stat
import tempfile
import unicodedata
import zipfile
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import Any

import openpyxl
from openpyxl.styles import Alignment, Font, PatternFill, Protection

from ..errors import BoardError, Problem, Severity
from ..i18n import Msg, Said, label, quoted
from ..model import Month, Project, Register
from ..photos import EXTENSIONS, MAX_BYTES
from ..render import date_label, month_label
from ..validate import check, notices
from ..write import atomic_write
from . import ledger
from .importer import (
    ENTRY_ORDER,
    ImportResult,
    Planned,
    RowsSent,
    SentRow,
    _apply_row,
    _load_existing,
    _planned,
    _row_id,
    _validate,
    is_unreported,
    row_notes,
    unified_diff,
)
from .layout import (
    BOLD,
    MONTH_LABEL,
    SHEET_IDENTITY,
    SHEET_INSTRUCTIONS,
    SHEET_REPORT,
    UNIT_REPORT_COLUMNS,
    CellProblem,
    WorkbookError,
    put_row,
)
from .reading import SheetRow, SheetTable, Workbook, cell_yaml, read_workbook
from .template import (
    _header,
    _validations,
    ask_for_year,
    carried_over,
    report_values,
    year_derivable,
)
from .writing import _fixed_time, workbook_bytes
from .yamltext import Map, Val

IDENTITY_VERSION = "board-unit-1"
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
# what a unit's zip may hold and unpack to (photos.MAX_BYTES each, MAX_PER_MONTH a project)
ZIP_MAX_ENTRIES = 400
ZIP_MAX_WORKBOOK = 50 * 1024 * 1024
ZIP_MAX_TOTAL = 1024 * 1024 * 1024
ZIP_MAX_RATIO = 200  # unpacked / packed: photos and workbooks never compress like this
ZIP_IGNORED = ("__MACOSX/", ".DS_Store", "Thumbs.db", "desktop.ini")
FILE_MAX_BYTES = ZIP_MAX_TOTAL  # a file given to import, on disk


# -- names ---------------------------------------------------------------------------------------

_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f\x7f]+')
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?\Z", re.IGNORECASE)


def safe_name(text: str, limit: int = 60) -> str:
    """A unit's name as part of a file name on Windows, macOS and Linux alike: characters no
    system allows (/ \\ : * ? " < > | and controls) become _, spaces are kept single, no
    leading or trailing dot or space, no reserved device name, at most `limit` characters."""
    name = unicodedata.normalize("NFC", text)
    name = _UNSAFE.sub("_", name)
    name = re.sub(r"\s+", " ", name).strip(" .")
    if _RESERVED.match(name):
        name = f"_{name}"
    return name[:limit].strip(" .") or "_"


def workbook_name(month: Month, unit: str) -> str:
    return f"报表-{month}-{safe_name(unit)}.xlsx"


def file_names(month: Month, units: list[str]) -> dict[str, str]:
    """Each unit's workbook name; two units whose names read the same get -2, -3 …"""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for unit in units:
        base = workbook_name(month, unit)
        name, n = base, 1
        while name.casefold() in taken:
            n += 1
            name = base.replace(".xlsx", f"-{n}.xlsx")
        taken.add(name.casefold())
        names[unit] = name
    return names


# -- the identity ------------------------------------------------------------------------------

IDENTITY_LABELS = ("版本", "登记册", "登记册名称", "月份", "分包单位", "项目", "校验码")


def register_id(key: bytes) -> str:
    """The register's public name in identities: a hash of its key, never the key."""
    return hashlib.sha256(b"board register\0" + key).hexdigest()[:16]


def _signed(key: bytes, values: list[str]) -> str:
    message = "\x1f".join(values).encode("utf-8")
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def identity(key: bytes, title: str, month: Month, unit: str, ids: list[str]) -> dict[str, str]:
    """A unit workbook's identity, label → value, its check code last."""
    values = [IDENTITY_VERSION, register_id(key), title, str(month), unit, ",".join(ids)]
    return dict(zip(IDENTITY_LABELS, [*values, _signed(key, values)], strict=True))


# -- making the workbooks --------------------------------------------------------------------------


def said_day(day: date) -> Said:
    """A day as a message says it: 2020年11月5日 in Chinese, 2020-11-05 in English."""
    return Said(date_label(day, "zh-CN"), day.isoformat())


def unit_workbook(
    register: Register, month: Month, unit: str, projects: tuple[Project, ...], key: bytes
) -> bytes:
    """The workbook of one unit for `month` (see the module's doc)."""
    wb = openpyxl.Workbook()
    info = wb.worksheets[0]
    info.title = SHEET_INSTRUCTIONS
    due = register.config.reporting.due(month)
    lines = [
        (label("unit.title").format(month=month_label(month, "zh-CN"), unit=unit), ""),
        ("", ""),
        (
            label("unit.who"),
            label("unit.who_text").format(unit=unit, n=len(projects), title=register.config.title),
        ),
        (
            label("unit.due"),
            label("unit.due_text").format(day=date_label(due, "zh-CN"))
            if due
            else label("unit.due_none"),
        ),
        ("", ""),
        *[(label("unit.fill") if i == 0 else "", label(k)) for i, k in enumerate(_FILL_KEYS)],
        ("", ""),
        *[(label("unit.send") if i == 0 else "", label(k)) for i, k in enumerate(_SEND_KEYS)],
    ]
    for r, (a, b) in enumerate(lines, 1):
        info.cell(r, 1, a or None).font = BOLD
        info.cell(r, 2, b or None).alignment = Alignment(wrap_text=True, vertical="top")
    info.column_dimensions["A"].width = 14
    info.column_dimensions["B"].width = 110
    info.cell(1, 1).font = Font(bold=True, size=14)

    rs = wb.create_sheet(SHEET_REPORT)
    rs.cell(1, 1, MONTH_LABEL).font = BOLD
    month_cell = rs.cell(1, 2, str(month))
    month_cell.number_format = "@"
    rs.cell(1, 3, f"{label('unit')}：{unit}").font = BOLD
    _header(rs, 2, UNIT_REPORT_COLUMNS)
    for col, column in enumerate(UNIT_REPORT_COLUMNS, 1):
        if column.kind in ("id", "ref", "commit"):
            rs.cell(2, col).fill = LOCKED_FILL
    _validations(rs, UNIT_REPORT_COLUMNS, 3, None)
    report = register.report(month)
    carried = carried_over(register, month)
    for row, project in enumerate(projects, 3):
        entry = report.entries.get(project.id) if report else None
        values: dict[str, Any] = report_values(entry) if entry else carried[project.id]
        commitments = {
            "leader": project.leader,
            "deadline": project.deadline,
            "investment": project.investment,
        }
        put_row(
            rs,
            row,
            UNIT_REPORT_COLUMNS,
            {"id": project.id, "name": project.name, **commitments, **values},
        )
        if entry is None and not year_derivable(register, project, month):
            ask_for_year(rs, row, UNIT_REPORT_COLUMNS)
        for col, column in enumerate(UNIT_REPORT_COLUMNS, 1):
            cell = rs.cell(row, col)
            if column.kind in ("id", "ref", "commit"):
                cell.fill = LOCKED_FILL
            else:
                cell.protection = Protection(locked=False)
    # the sheet is protected without a password, against slips: the unit writes in its own
    # cells, the ids and commitments stay as they are, rows are not added (the import checks
    # all of it again, whatever the workbook allowed)
    rs.protection.sheet = True
    rs.protection.formatColumns = False
    rs.protection.formatRows = False
    rs.protection.formatCells = False

    ids = identity(key, register.config.title, month, unit, [p.id for p in projects])
    ident = wb.create_sheet(SHEET_IDENTITY)
    for r, (name, value) in enumerate(ids.items(), 1):
        ident.cell(r, 1, name)
        cell = ident.cell(r, 2, value)
        cell.number_format = "@"
    ident.sheet_state = "veryHidden"
    ident.protection.sheet = True
    wb.active = 1
    return workbook_bytes(wb, _fixed_time(month))


_FILL_KEYS = (
    "unit.fill_rows",
    "unit.fill_progress",
    "unit.fill_percent",
    "unit.fill_invested",
    "unit.fill_behind",
    "unit.fill_unreported",
    "unit.fill_dates",
    "unit.fill_locked",
)
_SEND_KEYS = ("unit.send_file", "unit.send_photos", "unit.send_again")


@dataclass
class Issued:
    """What `board template --by-unit` wrote."""

    month: Month
    folder: Path
    files: dict[str, Path]  # unit → workbook
    notes: list[Problem]
    due: date | None = None


def issue_workbooks(
    content_dir: Path | str,
    folder: Path | str | None = None,
    month: Month | None = None,
    force: bool = False,
    when: datetime | None = None,
) -> Issued:
    """Write every unit's workbook into `folder` (default: 报表-YYYY-MM) and record them in the
    month's ledger (default month: the one after the latest report).

    An existing workbook there is never replaced without `force` (it may be a filled copy)."""
    content = Path(content_dir)
    register, warnings = check(content, pending=True)
    if month is None:
        if register.latest is None:
            raise BoardError(Msg("msg.units.no_month"))
        month = register.latest.next()
    out = Path(folder) if folder is not None else Path(f"报表-{month}")
    units = ledger.units_of(register)
    names = file_names(month, list(units))
    if not force:
        for name in names.values():
            if (out / name).exists():
                raise BoardError(Msg("msg.cli.exists", path=out / name))
    key = ledger.register_key(content, create=True)
    assert key is not None
    stamp = when or ledger.now()
    records = []
    files: dict[str, Path] = {}
    for unit, projects in units.items():
        data = unit_workbook(register, month, unit, projects, key)
        path = out / names[unit]
        atomic_write(path, data)
        files[unit] = path
        records.append(
            ledger.Record(
                stamp, "issued", unit, "", "", names[unit], hashlib.sha256(data).hexdigest()
            )
        )
    ledger.append(content, month, records)
    return Issued(month, out, files, notices(warnings), register.config.reporting.due(month))


# -- reading what the units sent ---------------------------------------------------------------


@dataclass
class Sent:
    """One file as it came in: a unit's workbook, alone or in a zip with its photos."""

    path: Path
    shown: str  # its name in messages
    sha256: str = ""
    workbook: Workbook | None = None
    photos: dict[str, Path] = field(default_factory=dict)  # name in the zip → unpacked file
    unit: str = ""
    month: Month | None = None
    problems: list[CellProblem] = field(default_factory=list)
    warnings: list[CellProblem] = field(default_factory=list)
    table: SheetTable | None = None

    def refuse(self, message: Msg, hint: Msg | str = "", where: str = "", header: str = "") -> None:
        place = f"{self.shown} {where}" if where else self.shown
        self.problems.append(CellProblem(place, header, message, hint))


def _expand(inputs: list[Path], problems: list[CellProblem]) -> list[Path]:
    """The files named, and the workbooks and zips in the folders named (Office's lock files
    `~$…` and hidden files are not)."""
    found: list[Path] = []
    for path in inputs:
        if path.is_dir():
            inside = sorted(
                p
                for p in path.iterdir()
                if p.is_file()
                and p.suffix.lower() in (".xlsx", ".zip")
                and not p.name.startswith(("~$", "."))
            )
            if not inside:
                problems.append(CellProblem(str(path), "", Msg("msg.units.empty_folder")))
            found += inside
        elif path.is_file():
            found.append(path)
        else:
            problems.append(CellProblem(str(path), "", Msg("msg.xlsx.no_file")))
    return found


def _member_name(info: zipfile.ZipInfo) -> str:
    """An entry's name as its maker wrote it: zips from Windows' own tool name their entries in
    the local code page (GBK on a Chinese PC) without saying so."""
    name = info.filename
    if info.flag_bits & 0x800:
        return name
    try:
        raw = name.encode("cp437")
    except UnicodeEncodeError:
        return name
    for encoding in ("utf-8", "gbk"):
        try:
            return raw.decode(encoding)
        except UnicodeDecodeError:
            continue
    return name


def _unzip(sent: Sent, folder: Path) -> Path | None:
    """The workbook of a unit's zip, unpacked into `folder` with its photos; None after
    refusing the zip (each reason one line naming the entry)."""
    try:
        archive = zipfile.ZipFile(sent.path)
    except (zipfile.BadZipFile, OSError):
        sent.refuse(Msg("msg.zip.unreadable"), Msg("msg.zip.unreadable_hint"))
        return None
    workbooks: list[tuple[zipfile.ZipInfo, str]] = []
    photos: list[tuple[zipfile.ZipInfo, str]] = []
    seen: set[str] = set()
    with archive:
        entries = archive.infolist()
        if len(entries) > ZIP_MAX_ENTRIES:
            sent.refuse(Msg("msg.zip.entries", n=len(entries), limit=ZIP_MAX_ENTRIES))
            return None
        total = 0
        for info in entries:
            name = _member_name(info)
            pure = PurePosixPath(name.replace("\\", "/"))
            if name.startswith(("/", "\\")) or ".." in pure.parts or re.match(r"[A-Za-z]:", name):
                sent.refuse(Msg("msg.zip.outside", entry=name), Msg("msg.zip.remake_hint"))
                continue
            if info.is_dir() or any(name.startswith(p) or pure.name == p for p in ZIP_IGNORED):
                continue
            mode = info.external_attr >> 16
            if stat.S_ISLNK(mode):
                sent.refuse(Msg("msg.zip.link", entry=name), Msg("msg.zip.remake_hint"))
                continue
            if info.flag_bits & 0x1:
                sent.refuse(Msg("msg.zip.encrypted", entry=name), Msg("msg.zip.remake_hint"))
                continue
            if name.casefold() in seen:
                sent.refuse(Msg("msg.zip.twice", entry=name), Msg("msg.zip.remake_hint"))
                continue
            seen.add(name.casefold())
            suffix = pure.suffix.lower()
            limit = ZIP_MAX_WORKBOOK if suffix == ".xlsx" else MAX_BYTES
            ratio = info.file_size / max(info.compress_size, 1)
            if info.file_size > limit or (info.file_size > (1 << 20) and ratio > ZIP_MAX_RATIO):
                sent.refuse(
                    Msg(
                        "msg.zip.too_big",
                        entry=name,
                        size=f"{info.file_size:,}",
                        packed=f"{info.compress_size:,}",
                    ),
                    Msg("msg.zip.remake_hint"),
                )
                continue
            total += info.file_size
            if suffix == ".xlsx" and not pure.name.startswith("~$"):
                workbooks.append((info, name))
            elif suffix in EXTENSIONS:
                photos.append((info, name))
            else:
                sent.refuse(Msg("msg.zip.unexpected", entry=name), Msg("msg.zip.contents_hint"))
        if total > ZIP_MAX_TOTAL:
            sent.refuse(
                Msg("msg.zip.total", size=f"{total:,}", limit=f"{ZIP_MAX_TOTAL:,}"),
                Msg("msg.zip.remake_hint"),
            )
        if len(workbooks) != 1:
            sent.refuse(Msg("msg.zip.workbooks", n=len(workbooks)), Msg("msg.zip.contents_hint"))
        if sent.problems:
            return None
        (book_info, book_name), *_ = workbooks
        target = folder / safe_name(PurePosixPath(book_name.replace("\\", "/")).name, 120)
        if not _copy_bounded(archive, book_info, target, ZIP_MAX_WORKBOOK):
            sent.refuse(Msg("msg.zip.lied", entry=book_name), Msg("msg.zip.remake_hint"))
            return None
        for index, (info, name) in enumerate(photos, 1):
            unpacked = folder / f"photo-{index}{PurePosixPath(name).suffix.lower()}"
            if not _copy_bounded(archive, info, unpacked, MAX_BYTES):
                sent.refuse(Msg("msg.zip.lied", entry=name), Msg("msg.zip.remake_hint"))
                return None
            sent.photos[name.replace("\\", "/")] = unpacked
    return target


def _copy_bounded(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo, target: Path, limit: int
) -> bool:
    """Unpack one entry, never more than its declared size nor `limit` (a zip whose entry
    unpacks beyond what it declares is a bomb: refused)."""
    most = min(info.file_size, limit)
    written = 0
    try:
        with archive.open(info) as src, target.open("wb") as dst:
            while chunk := src.read(1 << 20):
                written += len(chunk)
                if written > most:
                    return False
                dst.write(chunk)
    except (zipfile.BadZipFile, OSError, RuntimeError, EOFError, ValueError):
        return False
    return True


def _read(sent: Sent, folder: Path) -> None:
    """Read one file: unzip it, read its workbook, check its identity."""
    try:
        size = sent.path.stat().st_size
        if size > FILE_MAX_BYTES:
            sent.refuse(Msg("msg.zip.total", size=f"{size:,}", limit=f"{FILE_MAX_BYTES:,}"))
            return
        digest = hashlib.sha256()
        with sent.path.open("rb") as handle:
            while chunk := handle.read(1 << 20):
                digest.update(chunk)
        sent.sha256 = digest.hexdigest()
    except OSError as exc:
        from ..load import os_reason

        sent.refuse(Msg("msg.xlsx.unreadable", reason=os_reason(exc)))
        return
    book_path = sent.path
    if sent.path.suffix.lower() == ".zip":
        own = folder / f"file-{sent.sha256[:16]}"
        own.mkdir(exist_ok=True)
        unpacked = _unzip(sent, own)
        if unpacked is None:
            return
        book_path = unpacked
    elif sent.path.suffix.lower() != ".xlsx":
        sent.refuse(Msg("msg.units.kind"), Msg("msg.zip.contents_hint"))
        return
    problems: list[CellProblem] = []
    book = read_workbook(book_path, None, problems)
    sent.workbook = book
    for p in problems:
        where = p.where
        if where in (str(book_path), book_path.name, sent.shown):
            where = sent.shown  # the workbook itself: named once
        elif p.where.startswith(f"{book_path}:"):
            where = sent.shown + p.where[len(str(book_path)) :]
        else:
            where = f"{sent.shown} {where}"
        shown = CellProblem(
            where,
            p.header,
            p.message,
            p.hint,
            p.severity,
            p.in_file,
        )
        (sent.warnings if p.severity is Severity.WARNING else sent.problems).append(shown)


def _check_identity(sent: Sent, key: bytes | None, register: Register) -> None:
    book = sent.workbook
    assert book is not None
    found = book.identity or {}
    values = [found.get(name, "") for name in IDENTITY_LABELS]
    if not all(values[:6]) or values[0] != IDENTITY_VERSION:
        sent.refuse(Msg("msg.units.identity_broken"), Msg("msg.units.use_sent_hint"))
        return
    _version, register_name, title, month_text, unit, _ids = values[:6]
    if key is None:
        sent.refuse(Msg("msg.units.no_key", file=ledger.KEY_FILE), Msg("msg.units.no_key_hint"))
        return
    if register_name != register_id(key):
        sent.refuse(Msg("msg.units.other_register", title=title), Msg("msg.units.use_sent_hint"))
        return
    if not hmac.compare_digest(values[6], _signed(key, values[:6])):
        sent.refuse(
            Msg("msg.units.identity_edited", sheet=SHEET_IDENTITY), Msg("msg.units.use_sent_hint")
        )
        return
    try:
        sent.month = Month.parse(month_text)
    except ValueError:
        sent.refuse(Msg("msg.units.identity_broken"), Msg("msg.units.use_sent_hint"))
        return
    units = ledger.units_of(register)
    if unit not in units:
        sent.refuse(
            Msg("msg.units.unknown_unit", unit=unit),
            Msg("msg.units.units_are", names="、".join(units)),
        )
        return
    sent.unit = unit
    named = re.match(r"报表-(\d{4}-\d{2})-(.+?)(-\d+)?\.(xlsx|zip)\Z", sent.path.name)
    if named is not None:
        owner = {safe_name(u): u for u in units}.get(named.group(2))
        if owner is not None and owner != unit:
            sent.refuse(Msg("msg.units.renamed", named=owner, unit=unit))
        if named.group(1) != month_text:
            sent.refuse(Msg("msg.units.renamed_month", named=named.group(1), month=month_text))


def _check_sheets(sent: Sent, register: Register, month: Month) -> None:
    """The workbook holds its report only; each row a project of the unit, with the
    commitments as the register has them; the sheet's month is the identity's."""
    book = sent.workbook
    assert book is not None
    for extra in (book.settings, book.projects, book.milestones, book.plan, book.investment):
        if extra is not None:
            sent.refuse(Msg("msg.units.extra_sheet"), Msg("msg.units.extra_sheet_hint"), extra.name)
    if len(book.reports) != 1:
        sent.refuse(Msg("msg.units.no_report", sheet=SHEET_REPORT))
        return
    table = book.reports[0]
    if table.month is not None and table.month != str(month):
        where = table.month_origin[0] if table.month_origin else SHEET_REPORT
        sent.refuse(
            Msg("msg.units.month_cell", value=table.month, month=str(month)),
            Msg("msg.units.month_cell_hint", month=str(month)),
            where,
            MONTH_LABEL,
        )
    table.month = str(month)
    table.month_origin = (f"{sent.shown} {table.name}!B1", MONTH_LABEL)
    table.name = f"{sent.shown} {table.name}"
    sent.table = table
    by_id = {p.id: p for p in register.projects}
    own = {p.id for p in register.projects if p.unit == sent.unit}
    problems: list[CellProblem] = []
    seen: set[str] = set()
    for row in table.rows:
        pid = _row_id(table, row, problems)
        if pid is None:
            continue
        where, header = row.origin(table.name, table.columns["id"])
        if pid not in by_id:
            problems.append(
                CellProblem(
                    where,
                    header,
                    Msg("msg.units.unknown_row", id=quoted(pid), unit=sent.unit),
                    Msg("msg.units.not_theirs_hint"),
                )
            )
            continue
        project = by_id[pid]
        if pid not in own:
            problems.append(
                CellProblem(
                    where,
                    header,
                    Msg("msg.units.not_theirs", id=quoted(pid), other=project.unit, unit=sent.unit),
                    Msg("msg.units.not_theirs_hint"),
                )
            )
            continue
        seen.add(pid)
        for fld, column in table.columns.items():
            if column.kind != "commit":
                continue
            value, number_format, coordinate = row.cells[fld]
            if value is None:
                continue
            now = _commitment(getattr(project, fld))
            kind = {"deadline": "date", "investment": "number"}.get(fld, "text")
            given = _commitment(cell_yaml(value, kind, number_format))
            if given != now:
                problems.append(
                    CellProblem(
                        f"{table.name}!{coordinate}",
                        column.header,
                        Msg("msg.units.commitment", value=now or "—", given=given),
                        Msg("msg.units.commitment_hint", value=now or "—"),
                    )
                )
    sent.problems += problems
    for pid in sorted(own - seen, key=lambda p: list(by_id).index(p)):
        sent.warnings.append(
            CellProblem(
                table.name,
                "",
                Msg("msg.units.row_missing", id=pid, name=by_id[pid].name),
                Msg("msg.units.row_missing_hint"),
                Severity.WARNING,
            )
        )


def _commitment(value: Any) -> str:
    """A commitment as comparable text: a date as YYYY-MM-DD, an amount without a useless .0,
    a text as it reads (quotes of the YAML form taken off)."""
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}" if value.is_integer() else repr(value)
    text = unicodedata.normalize("NFC", str(value)).strip()
    if len(text) >= 2 and text[0] == text[-1] == '"':
        text = text[1:-1]
    try:
        number = float(text)
    except ValueError:
        return text
    return f"{number:g}" if number.is_integer() else repr(number)


# -- photos --------------------------------------------------------------------------------------


def _place_photos(
    sent: Sent,
    row: SheetRow,
    pid: str,
    month: Month,
    staged: dict[str, Path],
    problems: list[CellProblem],
) -> SheetRow:
    """The row with its 照片 cell naming photos of the zip (a name, then its caption) as
    `photos/<month>/<project>-<n>.<ext>` in the register, where `staged` says each comes from.
    A name already under photos/ is a photo the register has (a workbook made again)."""
    table = sent.table
    assert table is not None
    if row.cells.get("photos", (None,))[0] is None:
        return row
    value, number_format, coordinate = row.cells["photos"]
    text = cell_yaml(value, "photos", number_format) or ""
    candidates = [(n, n) for n in sent.photos] + [(PurePosixPath(n).name, n) for n in sent.photos]
    candidates.sort(key=lambda c: len(c[0]), reverse=True)
    lines = []
    for n, line in enumerate(text.split("\n"), 1):
        found = next(
            (
                (written, full)
                for written, full in candidates
                if line == written or re.match(re.escape(written) + r"[ \u3000\t]", line)
            ),
            None,
        )
        if found is None:
            if line.startswith("photos/"):
                lines.append(line)
                continue
            names = "、".join(sorted({PurePosixPath(n).name for n in sent.photos})) or "—"
            problems.append(
                CellProblem(
                    f"{table.name}!{coordinate}",
                    table.columns["photos"].header,
                    Msg("msg.units.photo_missing", line=line, names=names),
                    Msg("msg.units.photo_missing_hint"),
                )
            )
            continue
        written, full = found
        caption = line[len(written) :].strip()
        target = f"photos/{month}/{pid}-{n}{PurePosixPath(full).suffix.lower()}"
        staged[target] = sent.photos[full]
        lines.append(f"{target} {caption}".strip())
    return SheetRow(
        row.row, {**row.cells, "photos": ("\n".join(lines) or None, "General", coordinate)}
    )


# -- importing -----------------------------------------------------------------------------------


@dataclass
class UnitImport(ImportResult):
    """What `board import` of unit workbooks did: ImportResult, and for each file taken its
    unit and the projects it filled; the files refused (with `partial`); the ledger written."""

    taken: list[tuple[str, str, int, int]] = field(default_factory=list)  # file, unit, rows, photos
    refused: list[str] = field(default_factory=list)
    refusals: list[CellProblem] = field(default_factory=list)  # why each was refused
    ledger: Path | None = None
    month: Month | None = None
    missing: list[str] = field(default_factory=list)  # units of the register not in yet


def is_unit_workbook(path: Path) -> bool:
    """Whether `path` is a unit's workbook or zip (else the county's workbook)."""
    if path.suffix.lower() == ".zip" or path.is_dir():
        return True
    try:
        with zipfile.ZipFile(path) as archive:
            book = archive.read("xl/workbook.xml")
    except (zipfile.BadZipFile, OSError, KeyError):
        return False
    return f'name="{SHEET_IDENTITY}"'.encode() in book


def _check_files(
    sent: list[Sent], folder: Path, register: Register, key: bytes | None, month: Month | None
) -> Month | None:
    """Read and check every file on its own, then the files together; the problems go to each
    file. Returns the month imported: `month`, else the latest month of the files."""
    by_sha: dict[str, Sent] = {}
    for item in sent:
        _read(item, folder)
        if item.sha256 and item.sha256 in by_sha:
            item.problems = [
                CellProblem(
                    item.shown,
                    "",
                    Msg("msg.units.duplicate", first=by_sha[item.sha256].shown),
                    Msg("msg.units.duplicate_hint"),
                )
            ]
            continue
        by_sha.setdefault(item.sha256, item)
        if item.workbook is not None and item.workbook.readable and not item.workbook.identity:
            # not a unit's workbook: what its sheets say is not read as a unit's
            item.problems, item.warnings = [], []
            item.refuse(Msg("msg.units.no_identity"), Msg("msg.units.use_sent_hint"))
            continue
        if item.problems or item.workbook is None:
            continue
        _check_identity(item, key, register)
    months = [i.month for i in sent if i.month is not None and not i.problems]
    target = month or (max(months) if months else None)
    for item in sent:
        if item.problems or item.month is None or target is None:
            continue
        if item.month != target:
            item.refuse(
                Msg("msg.units.other_month", month=str(item.month), target=str(target)),
                Msg("msg.units.other_month_hint", month=str(target)),
            )
            continue
        _check_sheets(item, register, target)
    units: dict[str, Sent] = {}
    for item in sent:
        if item.problems or not item.unit:
            continue
        if item.unit in units:
            first = units[item.unit]
            for one, other in ((first, item), (item, first)):
                one.refuse(
                    Msg("msg.units.twice", unit=item.unit, other=other.shown),
                    Msg("msg.units.twice_hint"),
                )
            continue
        units[item.unit] = item
    return target


def import_units(
    inputs: list[Path],
    content_dir: Path | str = "content",
    month: Month | None = None,
    update: bool = False,
    dry_run: bool = False,
    partial: bool = False,
    echo: Callable[[str], None] | None = None,
    when: datetime | None = None,
) -> UnitImport:
    """Import units' workbooks (see the module's doc); raise WorkbookError with every problem."""
    content = Path(content_dir)
    problems: list[CellProblem] = []
    files = _expand([Path(p) for p in inputs], problems)
    register, _warnings = check(content, pending=True)
    key = ledger.register_key(content)
    with tempfile.TemporaryDirectory(prefix="board-units-") as tmpdir:
        folder = Path(tmpdir)
        sent = [Sent(path, path.name) for path in files]
        target = _check_files(sent, folder, register, key, month)
        published = target is not None and register.latest is not None and target < register.latest
        if published and not update and not dry_run:
            problems.append(
                CellProblem(
                    str(target),
                    "",
                    Msg("msg.units.published", month=str(target), latest=str(register.latest)),
                    Msg("msg.units.published_hint"),
                )
            )
        result = UnitImport(dry_run=dry_run, month=target)
        if problems:
            raise WorkbookError(problems + [p for i in sent for p in i.problems])
        good = [i for i in sent if not i.problems]
        if not partial and len(good) < len(sent):
            raise WorkbookError([p for i in sent for p in i.problems])
        planned: Planned | None = None
        while True:
            taken = [i for i in good if not i.problems]
            if not taken or target is None:
                break
            staged: dict[str, Path] = {}
            rows = RowsSent()
            planned, plan_problems = _plan(content, register, target, taken, staged, rows)
            if plan_problems:
                _assign(plan_problems, taken, problems)
            else:
                assert planned is not None
                found_register, found = _validate(content, [planned], staged)
                errors = [p for p in found if p.severity is Severity.ERROR]
                if not errors:
                    # the warnings of what the files bring, by their cells: not those of the
                    # register's other files, nor each project of a unit not in yet (the
                    # import ends with the units still missing)
                    ours = tuple(f"{i.shown} " for i in taken)
                    result.warnings = (
                        row_notes(found_register, rows)
                        + [w for i in taken for w in i.warnings]
                        + [
                            p
                            for p in found
                            if p.severity is Severity.WARNING and p.where.startswith(ours)
                        ]
                    )
                    break
                _assign(errors, taken, problems)
            if problems or not partial:
                raise WorkbookError(problems + [p for i in sent for p in i.problems])
        refused = [i for i in sent if i.problems]
        taken = [i for i in good if not i.problems]
        if not taken:
            raise WorkbookError(problems + [p for i in sent for p in i.problems])
        result.refused = [i.shown for i in refused]
        result.refusals = [p for i in refused for p in i.problems]
        assert target is not None and planned is not None
        path = content / planned.rel
        if planned.changed:
            if echo is not None and planned.old is not None:
                echo(unified_diff(planned.rel, planned.old, planned.text).rstrip("\n"))
            (result.updated if planned.old is not None else result.created).append(path)
        else:
            result.unchanged.append(path)
        for item in taken:
            own = set(item.photos.values())
            photos = sum(1 for source in staged.values() if source in own)
            filled = sum(1 for r in rows.filled if r.table is item.table)
            result.taken.append((item.shown, item.unit, filled, photos))
        records = _records(register, target, taken, rows, when)
        if not dry_run:
            for name, source in sorted(staged.items()):
                atomic_write(content / name, source.read_bytes())
            if planned.changed:
                atomic_write(path, planned.text.encode("utf-8"))
            result.ledger = ledger.append(content, target, records)
        before = ledger.read_ledger(content, target) or []
        now = before if not dry_run else before + records
        standing = ledger.standing(register, target, records=now)
        result.missing = [u.unit for u in standing.not_in] if standing else []
        return result


def _assign(found: list[CellProblem], taken: list[Sent], problems: list[CellProblem]) -> None:
    """Problems of the merged report: each to the file whose cell it names; one in no file
    stops the import whatever `partial` says."""
    for problem in found:
        owner = next((i for i in taken if problem.where.startswith(f"{i.shown} ")), None)
        if owner is None:
            problems.append(problem)
        else:
            owner.problems.append(problem)


def _plan(
    content: Path,
    register: Register,
    month: Month,
    taken: list[Sent],
    staged: dict[str, Path],
    rows: RowsSent,
) -> tuple[Planned | None, list[CellProblem]]:
    """The month's report with the units' rows: each unit's rows replace that unit's entries
    (a row left empty takes the project out: 未报送); other units' entries stay."""
    problems: list[CellProblem] = []
    path = content / "reports" / f"{month}.yaml"
    tree: Map | None = _load_existing(path, problems) if path.exists() else Map()
    if tree is None:
        return None, problems
    origin = (str(month), MONTH_LABEL)
    tree.set("month", Val(str(month), origin), origin)
    entries = tree.get("projects")
    if not isinstance(entries, Map):
        entries = Map()
    for item in taken:
        table = item.table
        assert table is not None
        for row in table.rows:
            pid = _row_id(table, row, [])
            if pid is None:
                continue
            if is_unreported(table, row):
                rows.unreported.append(SentRow(str(month), pid, table, row))
                entries.remove(pid)
                continue
            row = _place_photos(item, row, pid, month, staged, problems)
            rows.filled.append(SentRow(str(month), pid, table, row))
            entry = entries.get(pid)
            if not isinstance(entry, Map):
                entry = Map()
            _apply_row(entry, table, row)
            rank = {name: i for i, name in enumerate(ENTRY_ORDER)}
            entry = Map(sorted(entry.items, key=lambda kv: rank.get(kv[0], 99)), entry.origins)
            entries.set(pid, entry, row.origin(table.name, table.columns["id"]))
    order = {p.id: i for i, p in enumerate(register.projects)}
    entries = Map(
        sorted(entries.items, key=lambda kv: order.get(kv[0], len(order))), entries.origins
    )
    tree.set("projects", entries)
    rank = {"month": 0, "published": 1, "projects": 2}
    tree = Map(sorted(tree.items, key=lambda kv: rank.get(kv[0], 3)), tree.origins)
    return _planned(path, f"reports/{month}.yaml", tree), problems


def _records(
    register: Register,
    month: Month,
    taken: list[Sent],
    rows: RowsSent,
    when: datetime | None,
) -> list[ledger.Record]:
    stamp = when or ledger.now()
    before = ledger.read_ledger(register.root, month) or []
    had = {r.project for r in before if r.kind in ("sent", "resent")}
    names = {p.id: p.name for p in register.projects}
    records = []
    for item in taken:
        for kind, items in (("sent", rows.filled), ("empty", rows.unreported)):
            for row in items:
                if row.table is not item.table:
                    continue
                this = "resent" if kind == "sent" and row.pid in had else kind
                records.append(
                    ledger.Record(
                        stamp,
                        this,
                        item.unit,
                        row.pid,
                        names.get(row.pid, ""),
                        item.shown,
                        item.sha256,
                    )
                )
    return records


def missing_units(
    content_dir: Path | str, month: Month | None = None
) -> tuple[Month, ledger.Standing | None]:
    """`board status --missing`: the standing of the month being collected (default: the
    latest month that has a ledger, else the latest report)."""
    content = Path(content_dir)
    register, _ = check(content, pending=True)
    if month is None:
        months = sorted(
            Month.parse(p.name[:7])
            for p in (content / "reports").glob(f"*{ledger.SUFFIX}")
            if re.match(r"\d{4}-\d{2}\Z", p.name[:7])
        )
        month = months[-1] if months else register.latest
    if month is None:
        raise BoardError(Msg("msg.build.no_reports_yet"))
    found = ledger.standing(register, month, as_of=ledger.now().date())
    return month, found
