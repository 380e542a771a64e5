"""What was published stays true: the record of published months, verified on every build.

A month's files are every file of `print/` and `site/data/` whose name ends in the month
(`print/bulletin-2020-09.pdf`, `site/data/board-2020-09.json`, `site/data/projects-2020-09.csv`),
whatever their kind: the carry-forward goes by the month suffix, not by a list of outputs.

Once a later month has been built, an earlier month is *published*: a build does not render it
again with today's templates or data but takes its files, byte for byte, from the record. When
anything a published month's outputs show changes in the register (any field of its report,
any field of a project shown that month: see `shown`), the build publishes the corrected month
beside the first version, under the same names with `-r2` (`-r3`, ...) before the suffix, with a
correction notice (更正: the date and what changed) on the month's page and in the feed. A
published month's report cannot be deleted (refused); it can be withdrawn (`withdrawn: {date,
reason}` in the report), which publishes a notice and keeps every file and link.

The record
----------
The record is a folder, `.<output>.published/` beside the output unless board.yaml names one
(`archive: PATH`, relative to the register). It holds `record.json` and the files themselves,
each stored under its SHA-256. `record.json`::

    {"format": 2,
     "register": {"id": "…", "title": "…"},          # whose record this is (board.yaml `id:`)
     "months": {"2020-09": {
         "versions": [                                 # oldest first; version 1 is the original
           {"version": 1,
            "date": null | "YYYY-MM-DD",               # the day a correction was published
            "changes": [{"project", "name", "fields", "percent"?}],   # what a correction changed
            "files": {"print/panel-2020-09.pdf": "<sha256>", …},
            "rebuilt": "YYYY-MM-DD",                   # only when rendered again (--rebuild-history)
            "snapshot": {"shown": {…}, …}},            # named parts, see below
           …],
         "withdrawn": {"date": "YYYY-MM-DD", "reason": "…"}}}}   # only when withdrawn

`snapshot` is a dict of named parts kept with each version. `shown` (what the month's outputs
show, compared to tell a correction from an unchanged month) is this module's; another module
may keep its own part beside it (e.g. the commitments a month published): a part is written with
the version and never compared here. A version of a record written before snapshots existed
(format 1) is compared with its own published open data, `site/data/board-M.json`.

The record is verified by every build before anything is published: every stored file it names
against its SHA-256; `record.json` readable and well formed; nothing in the folder but regular
files (a symbolic link or a folder inside it fails the build, and a record folder that is itself
a symbolic link is refused). The build deletes only files it can prove it wrote (named by an
earlier record and verified, or stored by this build); everything else in the folder is left.

Each published output carries a copy of the record in its manifest (`.board-build.json`,
`"record"`), so a lost or damaged record is restored from the output after every file there has
been checked against the hashes listed (a warning says so). Where both are gone, the build
refuses: `--rebuild-history` renders the past months again from the register, and marks each so
rendered, on its pages, its PDFs and in the feed (重新生成, with the date). A build remembers
which record folders it wrote (in the user's state folder, `$XDG_STATE_HOME/board/records/`),
to tell "both lost" from a first build; a register whose every file is newer than that memory is
a new copy (a clone at the same path), built as a first publication with a warning.

`board archive verify | export | restore` (board/archive.py) check, back up and bring back the
record; the export is a zip of `record.json`, the files and `SHA256SUMS`.

The commitments each month's board showed (issue 22, board/commitments.py) are the snapshot part
`commitments` of each version this build publishes ({as_of, content, projects: {id: {name,
leader, unit, deadline, investment, annual_investment, plan, milestones}}}), kept by
`record_commitments`; `check` and `build` compare the register with those of the newest
published month (board.commitments.read_record), so that a promise cannot move quietly.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import re
import stat
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .errors import BoardError, Pos, Problem, PublishError, Severity
from .i18n import Msg, counted
from .load import board_settings, os_reason
from .model import Month, Register

RECORD = "record.json"
FORMAT = 2
MANIFEST = ".board-build.json"  # the output's manifest (board.cache writes it)
MONTH_FILE = re.compile(
    r"\A(?P<stem>(?:print|site/data)/[^/]+?)-(?P<month>\d{4}-\d{2})(?:-r(?P<version>\d+))?"
    r"(?P<suffix>\.[A-Za-z0-9]+)\Z"
)
SHA = re.compile(r"\A[0-9a-f]{64}\Z")
MONTH = re.compile(r"\A\d{4}-\d{2}\Z")
# The open data of a project's row that follows from the other rows (its place in the ranking):
# a project added to the register later moves them without changing this month's own data.
RELATIVE = ("rank", "previous_rank", "movement", "movement_kind")
# A report's own fields that are not what its outputs show: the month (the key), the entries
# (compared row by row), where it was read from, and a withdrawal (a notice, not a correction).
REPORT_NOT_SHOWN = ("month", "entries", "source", "withdrawn")


def archive_dir(out_dir: Path) -> Path:
    """The record's default place: `.<output>.published/` beside the output."""
    return out_dir.parent / f".{out_dir.name}.published"


def month_of(name: str) -> str | None:
    """The month a file of the output belongs to (its name's suffix), or None."""
    found = MONTH_FILE.match(name)
    return found.group("month") if found else None


def versioned(name: str, version: int) -> str:
    """`print/bulletin-2020-09.pdf` as version 2: `print/bulletin-2020-09-r2.pdf`."""
    found = MONTH_FILE.match(name)
    assert found is not None
    if version == 1:
        return f"{found['stem']}-{found['month']}{found['suffix']}"
    return f"{found['stem']}-{found['month']}-r{version}{found['suffix']}"


def correction_day() -> date:
    """The day a correction is published: SOURCE_DATE_EPOCH's, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        from datetime import UTC, datetime

        return datetime.fromtimestamp(int(epoch), UTC).date()
    return date.today()


def sha256_bytes(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def sha256_file(path: Path) -> str:
    """The SHA-256 of a regular file, never following a symbolic link."""
    h = hashlib.sha256()
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | os.O_CLOEXEC)
    with os.fdopen(fd, "rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def atomic_write(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".tmp-{path.name}.{os.getpid()}")
    with open(tmp, "wb") as handle:
        handle.write(data)
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(tmp, path)


def set_aside(path: Path) -> Path:
    """A damaged file of the record is kept beside it as `NAME.damaged` (-2, -3, …)."""
    target = path.with_name(f"{path.name}.damaged")
    n = 1
    while target.exists() or target.is_symlink():
        n += 1
        target = path.with_name(f"{path.name}.damaged-{n}")
    os.rename(path, target)
    return target


# -- whose register: the identity the output and the record carry ------------------------------


@dataclass(frozen=True)
class RegisterId:
    """A register's identity: the `id:` of its board.yaml, or, for a register without one,
    an id derived once from its real path (stored in the output and the record like any)."""

    id: str
    title: str
    root: str  # the register's real path
    declared: bool  # written in board.yaml (board init); False: derived from the path

    def data(self) -> dict[str, str]:
        return {"id": self.id, "title": self.title}

    def named(self) -> Msg:
        return Msg("msg.identity.named", title=self.title or "?", id=self.id)


def register_id(content_dir: Path | str) -> RegisterId:
    """The identity of the register at `content_dir` (read without validating: see
    load.board_settings; the validation that follows reports a broken board.yaml)."""
    settings = board_settings(Path(content_dir))
    root = os.path.realpath(content_dir)
    declared = settings.get("id", "")
    if declared:
        return RegisterId(declared, settings.get("title", ""), root, True)
    derived = "auto-" + hashlib.sha256(root.encode()).hexdigest()[:16]
    return RegisterId(derived, settings.get("title", ""), root, False)


def claimed_register(data: Any) -> RegisterId | None:
    """The identity an output or a record says it belongs to (None: it says none)."""
    if not isinstance(data, dict) or not isinstance(data.get("id"), str) or not data["id"]:
        return None
    title = data.get("title")
    return RegisterId(data["id"], title if isinstance(title, str) else "", "", True)


def check_owner(kind: str, where: Path, data: Any, ours: RegisterId) -> None:
    """Refuse an output (`kind` "output") or a record ("record") of another register, naming
    both; where ours has no `id:` and the other's is one derived from a path, say how to keep
    a moved register's output."""
    other = claimed_register(data)
    if other is None or other.id == ours.id:
        return
    moved = (
        Msg("msg.identity.moved", board=Path(ours.root) / "board.yaml", id=other.id)
        if not ours.declared and other.id.startswith("auto-")
        else Msg(f"msg.identity.other_{kind}")
    )
    raise PublishError(
        Msg(f"msg.identity.{kind}", path=where, other=other.named(), ours=ours.named(), hint=moved)
    )


def output_owner(out: Path) -> Any:
    """The `register` an output's manifest names (None: no manifest, or one without it)."""
    manifest = _read_manifest(out)
    return manifest.get("register") if manifest else None


def _read_manifest(out: Path) -> dict[str, Any] | None:
    path = out / MANIFEST
    try:
        if not stat.S_ISREG(os.lstat(path).st_mode):
            return None
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return None
    return data if isinstance(data, dict) else None


def is_record_folder(path: Path) -> bool:
    """A folder holding a board record (its `record.json` names months)."""
    try:
        data = json.loads((path / RECORD).read_text(encoding="utf-8"))
    except (OSError, ValueError, RecursionError):
        return False
    return isinstance(data, dict) and "months" in data


def record_dir(content_dir: Path | str, out: Path, archive: str | None = None) -> Path:
    """Where the record of `out` lives: `archive:` of board.yaml (relative to the register),
    else beside the output. Refused (PublishError) inside the register, in the output, or inside
    another board's output or record. The last part of the path is not resolved: a symbolic
    link there is refused when the record is opened."""
    content = Path(os.path.realpath(content_dir))
    if archive is None:
        archive = board_settings(Path(content_dir)).get("archive", "")
    if not archive:
        return archive_dir(out)
    given = Path(archive).expanduser()
    path = given if given.is_absolute() else content / given
    path = Path(os.path.realpath(path.parent)) / path.name
    if path == content or content in path.parents or path in content.parents:
        raise PublishError(Msg("msg.record.inside_register", path=path, content=content_dir))
    if path == out or out in path.parents or path in out.parents:
        raise PublishError(Msg("msg.record.is_output", path=path, out=out))
    for parent in path.parents:
        if (parent / MANIFEST).is_file():
            raise PublishError(Msg("msg.record.inside_output", path=path, other=parent))
    return path


# -- what a month shows: compared to tell a correction from an unchanged month -------------------


def _plain(value: Any) -> Any:
    if isinstance(value, date):
        return value.isoformat()
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {
            f.name: _plain(getattr(value, f.name))
            for f in dataclasses.fields(value)
            if f.compare and f.name not in ("source", "pos", "positions")
        }
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if isinstance(value, frozenset | set):
        return sorted(_plain(v) for v in value)
    if isinstance(value, Month):
        return str(value)
    return value


def shown(board: Any, t: Callable[[str], str]) -> dict[str, Any]:
    """What the month's outputs show, as plain data: the report's own fields (`published`, any
    field a report gains) and, for each project on the board, its row of the month's open data
    (`site/data/board-M.json`, written by the same code: every report and project field the
    board, the sheets and the bulletin show, as of that month) plus its summary as the sheets
    show it (sanitised HTML; the open data leaves it out). The row's place in the ranking is left out
    (RELATIVE): it follows from the other rows."""
    from .markup import markdown_html
    from .render.data import row_data  # the open data's own code; render imports this module

    report = board.register.report(board.month)
    report_fields = {}
    if report is not None:
        report_fields = {
            f.name: _plain(getattr(report, f.name))
            for f in dataclasses.fields(report)
            if f.compare and f.name not in REPORT_NOT_SHOWN
        }
    rows = {}
    for row in board.rows:
        data = row_data(row, t)
        for key in RELATIVE:
            data.pop(key, None)
        data["summary"] = str(markdown_html(row.project.summary))  # as the sheets show it
        rows[row.project.id] = data
    # as stored: through JSON, so that a snapshot read back compares equal
    return json.loads(json.dumps({"report": report_fields, "projects": rows}, ensure_ascii=False))


def _shown_from_open_data(data: bytes) -> dict[str, Any] | None:
    """`shown` of a version recorded before snapshots: from its published open data."""
    try:
        board = json.loads(data)
        rows = {p["id"]: p for p in board["projects"]}
    except (ValueError, KeyError, TypeError):
        return None
    for row in rows.values():
        for key in RELATIVE:
            row.pop(key, None)
    return {"report": {}, "projects": rows}


def changes(
    before: dict[str, Any], after: dict[str, Any], names: dict[str, str]
) -> list[dict[str, Any]]:
    """What changed in what a month shows: the report's own fields first (`project` None),
    then per project the fields (open data keys) and, for the percent, both values. Only keys
    both sides have are compared (a version recorded by an older board has fewer). A project
    neither shown when the month was published nor reported in it joined the register since:
    not a change of this month."""
    found: list[dict[str, Any]] = []
    old_report, new_report = before.get("report", {}), after.get("report", {})
    fields = [k for k in new_report if k in old_report and old_report[k] != new_report[k]]
    if fields:
        found.append({"project": None, "name": "", "fields": fields})
    old_rows, new_rows = before.get("projects", {}), after.get("projects", {})
    for pid in sorted(old_rows.keys() | new_rows.keys(), key=lambda p: (names.get(p, p), p)):
        old, new = old_rows.get(pid), new_rows.get(pid)
        name = names.get(pid, (old or new or {}).get("name", pid))
        if old is None:
            if new is not None and new.get("report_month") is not None:
                found.append({"project": pid, "name": name, "fields": ["added"]})
            continue
        if new is None:
            found.append({"project": pid, "name": name, "fields": ["removed"]})
            continue
        keys = [k for k in new if k in old and old[k] != new[k]]
        if not keys:
            continue
        item: dict[str, Any] = {"project": pid, "name": name, "fields": keys}
        if "percent" in keys:
            item["percent"] = [old["percent"], new["percent"]]
        found.append(item)
    return found


# -- reading and checking a record ---------------------------------------------------------------


_NOT_TEXT = Msg("msg.record.not_text")


class RecordDamaged(Exception):
    """record.json is there but cannot be used: why, in words."""

    def __init__(self, reason: Msg) -> None:
        super().__init__(reason.key)
        self.reason = reason


def parse_record(raw: bytes) -> dict[str, Any]:
    """record.json's bytes as the record, or RecordDamaged saying what is wrong with them (cut
    short, not JSON, not as board writes it) in one line, never a traceback."""
    try:
        return _well_formed(json.loads(raw.decode("utf-8")))
    except UnicodeDecodeError:
        raise RecordDamaged(_NOT_TEXT) from None
    except json.JSONDecodeError as exc:
        raise RecordDamaged(Msg("msg.record.not_json", line=exc.lineno, col=exc.colno)) from None
    except (ValueError, RecursionError):  # numbers beyond limits, nesting beyond the stack
        raise RecordDamaged(Msg("msg.record.bad_shape", where=RECORD)) from None


def _well_formed(record: Any) -> dict[str, Any]:
    """The record as read, or RecordDamaged naming the first thing that is not as board writes it."""

    def bad(where: str) -> RecordDamaged:
        return RecordDamaged(Msg("msg.record.bad_shape", where=where))

    if not isinstance(record, dict) or not isinstance(record.get("months"), dict):
        raise bad("months")
    for month, item in record["months"].items():
        if not isinstance(month, str) or not MONTH.match(month):
            raise bad(f"months.{month}")
        if not isinstance(item, dict) or not isinstance(item.get("versions"), list):
            raise bad(f"months.{month}.versions")
        if not item["versions"]:
            raise bad(f"months.{month}.versions")
        for i, version in enumerate(item["versions"], 1):
            where = f"months.{month}.versions[{i}]"
            if not isinstance(version, dict) or version.get("version") != i:
                raise bad(f"{where}.version")
            files = version.get("files")
            if not isinstance(files, dict):
                raise bad(f"{where}.files")
            for name, digest in files.items():
                if month_of(name) != month or not isinstance(digest, str) or not SHA.match(digest):
                    raise bad(f"{where}.files.{name}")
            for key in ("date", "rebuilt"):
                value = version.get(key)
                if value is not None and not (isinstance(value, str) and _is_day(value)):
                    raise bad(f"{where}.{key}")
            changes = version.get("changes", [])
            if not isinstance(changes, list) or not all(map(_is_change, changes)):
                raise bad(f"{where}.changes")
            snapshot = version.get("snapshot", {})
            if not isinstance(snapshot, dict):
                raise bad(f"{where}.snapshot")
            if "shown" in snapshot and not _is_shown(snapshot["shown"]):
                raise bad(f"{where}.snapshot.shown")
        withdrawn = item.get("withdrawn")
        if withdrawn is not None and not (
            isinstance(withdrawn, dict)
            and isinstance(withdrawn.get("reason"), str)
            and isinstance(withdrawn.get("date"), str)
            and _is_day(withdrawn["date"])
        ):
            raise bad(f"months.{month}.withdrawn")
    return record


def _is_change(item: Any) -> bool:
    """One entry of a correction's `changes`, as `changes()` makes it."""
    return (
        isinstance(item, dict)
        and isinstance(item.get("name"), str)
        and (item.get("project") is None or isinstance(item.get("project"), str))
        and isinstance(item.get("fields"), list)
        and all(isinstance(f, str) for f in item["fields"])
        and (
            "percent" not in item
            or (isinstance(item["percent"], list) and len(item["percent"]) == 2)
        )
    )


def _is_shown(shown: Any) -> bool:
    """A `shown` snapshot, as `shown()` makes it."""
    return (
        isinstance(shown, dict)
        and isinstance(shown.get("report"), dict)
        and isinstance(shown.get("projects"), dict)
        and all(isinstance(row, dict) for row in shown["projects"].values())
    )


def _adds_files(version: dict[str, Any], other: dict[str, Any]) -> bool:
    """`version` is `other` with the files of a stage it was first built without (a month
    carried by a build with more stages than the one that published it)."""
    if {k: v for k, v in version.items() if k != "files"} != {
        k: v for k, v in other.items() if k != "files"
    }:
        return False
    mine, theirs = version["files"], other["files"]
    return all(mine.get(name) == digest for name, digest in theirs.items())


def _is_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def stored_entries(folder: Path) -> dict[str, os.stat_result]:
    """Every entry of the record folder (not followed), or PublishError for one that is not a
    regular file: the build never reads, replaces or deletes a link or a folder there."""
    found = {}
    try:
        names = sorted(os.listdir(folder))
    except OSError as exc:
        raise PublishError(
            Msg("msg.record.unreadable", path=folder, reason=os_reason(exc))
        ) from None
    for name in names:
        path = folder / name
        try:
            info = os.lstat(path)
        except FileNotFoundError:
            continue
        except OSError as exc:
            raise PublishError(
                Msg("msg.record.unreadable", path=path, reason=os_reason(exc))
            ) from None
        if not stat.S_ISREG(info.st_mode):
            raise PublishError(
                Msg("msg.record.not_regular", path=path, kind=entry_kind(info.st_mode))
            )
        found[name] = info
    return found


def entry_kind(mode: int) -> Msg:
    """What an entry that is not a regular file is, in words."""
    if stat.S_ISLNK(mode):
        return Msg("msg.record.kind_link")
    if stat.S_ISDIR(mode):
        return Msg("msg.record.kind_folder")
    return Msg("msg.record.kind_other")


def _versions(months: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    for month, item in sorted(months.items()):
        for version in item["versions"]:
            yield month, version


def stored_hashes(months: dict[str, Any]) -> dict[str, tuple[str, str, int]]:
    """Each stored hash the record names: (file name, month, version) of its first use."""
    found: dict[str, tuple[str, str, int]] = {}
    for month, version in _versions(months):
        for name, digest in sorted(version["files"].items()):
            found.setdefault(digest, (name, month, version["version"]))
    return found


@dataclass
class _OutputCopy:
    """The record as the output's manifest lists it, and where its files are."""

    out: Path
    months: dict[str, Any]
    files: dict[str, str]  # the manifest's {name: sha256}

    def source(self, name: str, digest: str) -> tuple[Path | None, Msg | None]:
        """The output's file `name` if it is what the record lists (else why not)."""
        if self.files.get(name) != digest:
            return None, Msg("msg.record.not_listed")
        path = self.out / name
        try:
            if not stat.S_ISREG(os.lstat(path).st_mode):
                return None, Msg("msg.record.kind_other")
            if sha256_file(path) != digest:
                return None, Msg("msg.record.changed")
        except OSError as exc:
            return None, Msg("msg.record.os", reason=os_reason(exc))
        return path, None


def _output_copy(out: Path, ours: RegisterId) -> tuple[_OutputCopy | None, bool]:
    """The output's copy of the record, and whether the output shows a board publication at all
    (month files in its manifest: evidence that months were published, copy or not). A preview
    (board serve) is never a copy of the record; an output of another register is refused."""
    manifest = _read_manifest(out)
    if manifest is None or manifest.get("preview"):
        return None, False
    check_owner("output", out, manifest.get("register"), ours)
    files = manifest.get("files")
    files = files if isinstance(files, dict) else {}
    published = any(isinstance(n, str) and month_of(n) for n in files)
    try:
        record = _well_formed(manifest.get("record"))
    except RecordDamaged:
        return None, published
    return _OutputCopy(out, record["months"], files), published


# -- the user's memory of record folders written: "both lost" is not a first build -------------


def _state_file(folder: Path) -> Path:
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    key = hashlib.sha256(os.path.realpath(folder).encode()).hexdigest()[:32]
    return Path(base) / "board" / "records" / f"{key}.json"


def _remembered(folder: Path) -> tuple[list[str], int]:
    """The months the user's state folder remembers publishing from the record `folder`, and
    when it last wrote that memory (ns; the memory is written by every publishing build)."""
    path = _state_file(folder)
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        when = path.stat().st_mtime_ns
    except (OSError, ValueError, RecursionError):
        return [], 0
    months = data.get("months") if isinstance(data, dict) else None
    if not isinstance(months, list):
        return [], 0
    return [m for m in months if isinstance(m, str)], when


def _copied_since(root: Path, when: int) -> bool:
    """Whether every file of the register at `root` was written after `when` (ns): a new copy
    of the register (a fresh clone, a copy or a backup brought back) rather than the register
    that published. A register whose output and record were deleted still holds files written
    before its last build (board.yaml, the past months' reports). The files' change times
    (ctime), not their modification times: a copy that keeps the times (cp -a, rsync -a, a zip)
    cannot keep those."""
    found = False
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if not d.startswith(".")]
        for name in filenames:
            try:
                info = os.lstat(os.path.join(dirpath, name))
            except OSError:
                continue
            if not stat.S_ISREG(info.st_mode):
                continue
            if info.st_ctime_ns <= when:
                return False
            found = True
    return found


def remember_record(folder: Path, register: RegisterId, months: list[str]) -> None:
    path = _state_file(folder)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        data = {"record": str(folder), "register": register.data(), "months": months}
        atomic_write(path, (json.dumps(data, ensure_ascii=False) + "\n").encode())
    except OSError:
        pass  # a memory that helps later; never a reason to fail a publication


# -- the record, and a build's plan for each month -----------------------------------------------


@dataclass
class MonthPlan:
    """What a build does with one month's files."""

    month: str
    state: str  # "fresh" (render, first version), "carry" (take as published), "correct"
    version: int = 1  # the version this build publishes (or carries as the latest)
    versions: list[dict[str, Any]] = field(default_factory=list)  # the record's, oldest first
    snapshot: dict[str, Any] = field(default_factory=dict)  # of a fresh month
    rebuilt: str | None = None  # a fresh past month rendered again (--rebuild-history): the day
    withdrawn: dict[str, str] | None = None


@dataclass
class Published:
    """The record of published months, verified, and this build's plan for each month.

    `open` reads and verifies the record (restoring it from the output where it must), `plan`
    decides per month, `apply` gives the build's files as published, `store_files` and `save`
    write the record (never in a preview: `write` False)."""

    folder: Path
    register: RegisterId
    months: dict[str, Any] = field(default_factory=dict)
    write: bool = True
    plans: dict[str, MonthPlan] = field(default_factory=dict)
    warnings: list[Problem] = field(default_factory=list)
    sources: dict[str, Path] = field(default_factory=dict)  # stored hash → the file holding it
    own: set[str] = field(default_factory=set)  # names in the folder this build may delete
    repaired: bool = False
    rebuild_history: bool = False
    lost: bool = False  # the record was lost and months are rendered again (--rebuild-history)
    damaged_record: bool = False  # a record.json that could not be read (kept aside on save)

    # -- opening: read, verify, restore ----------------------------------------------------

    @classmethod
    def open(
        cls,
        out: Path,
        folder: Path,
        register: RegisterId,
        write: bool = True,
        rebuild_history: bool = False,
    ) -> Published:
        """The verified record of `out`, in `folder`. Raises PublishError (one line: the file,
        what is wrong, what to do) where it cannot be trusted or restored; restores it from the
        output where it is lost or damaged and the output holds what it lists (a warning). In a
        preview (`write` False) nothing is written: a restored file is read from the output."""
        self = cls(Path(folder), register, write=write, rebuild_history=rebuild_history)
        if self.folder.is_symlink():
            raise PublishError(Msg("msg.record.symlink", path=self.folder))
        if self.folder.exists() and not self.folder.is_dir():
            raise PublishError(Msg("msg.record.not_folder", path=self.folder))
        entries = stored_entries(self.folder) if self.folder.is_dir() else {}
        copy, shown_months = _output_copy(out, register)
        damage: Msg | None = None
        record: dict[str, Any] | None = None
        if RECORD in entries:
            try:
                raw = (self.folder / RECORD).read_bytes()
            except OSError as exc:
                raise PublishError(
                    Msg("msg.record.unreadable", path=self.folder / RECORD, reason=os_reason(exc))
                ) from None
            try:
                record = parse_record(raw)
            except RecordDamaged as exc:
                damage = exc.reason
        if record is not None:
            check_owner("record", self.folder, record.get("register"), register)
            self.months = record["months"]
            self._verify_stored(entries, copy)
            if copy is not None:
                self._merge(copy)
        elif copy is not None and copy.months:
            self._restore_all(copy, damage)
        elif damage is not None or shown_months or self._remembered_here():
            # months were published here (a record, an output showing them, or this user's
            # memory of the folder) and nothing left can be verified
            why = (
                Msg("msg.record.why_damaged", reason=damage)
                if damage is not None
                else Msg("msg.record.why_gone")
            )
            if not rebuild_history:
                raise PublishError(Msg("msg.record.lost", folder=self.folder, why=why, out=out))
            self.lost = True
            self.damaged_record = damage is not None
        if self.repaired and self.write:
            self._write_record()
        return self

    def _remembered_here(self) -> bool:
        """Whether this user's memory says months were published from this record folder by
        this register. A register copied anew since (every file newer than the memory: a
        fresh clone at the same path) is not the one that published: a warning, not a refusal."""
        months, when = _remembered(self.folder)
        if not months:
            return False
        if not _copied_since(Path(self.register.root), when):
            return True
        self.warnings.append(
            self._warning(
                Msg(
                    "msg.record.new_copy",
                    folder=self.folder,
                    months=counted(len(months), "month"),
                    root=self.register.root,
                )
            )
        )
        return False

    def _verify_stored(self, entries: dict[str, os.stat_result], copy: _OutputCopy | None) -> None:
        """Every stored file the record names, against its hash; restored from the output where
        missing or changed and the output holds the same bytes; else PublishError."""
        restored: list[str] = []
        lost: set[str] = set()
        for digest, (name, month, version) in sorted(stored_hashes(self.months).items()):
            path = self.folder / digest
            problem: Msg | None = None
            if digest not in entries:
                problem = Msg("msg.record.missing")
            else:
                try:
                    if sha256_file(path) != digest:
                        problem = Msg("msg.record.changed")
                except OSError as exc:
                    problem = Msg("msg.record.os", reason=os_reason(exc))
            if problem is None:
                self.sources[digest] = path
                self.own.add(digest)
                continue
            source = copy.source(name, digest)[0] if copy is not None else None
            if source is None and self.rebuild_history:
                lost.add(month)  # rendered again from the register, and marked so
                continue
            if source is None:
                raise PublishError(
                    Msg(
                        "msg.record.file_damaged",
                        path=path,
                        name=name,
                        month=month,
                        version=version,
                        problem=problem,
                    )
                )
            self._restore_file(digest, source)
            restored.append(name)
        for month in lost:
            del self.months[month]
            self.lost = self.repaired = True
        if restored:
            self.warnings.append(
                self._warning(
                    Msg(
                        "msg.record.restored_files",
                        folder=self.folder,
                        n=counted(len(restored), "file"),
                        name=restored[0],
                    )
                )
            )

    def _restore_file(self, digest: str, source: Path) -> None:
        self.repaired = True
        if not self.write:
            self.sources[digest] = source
            return
        target = self.folder / digest
        self.folder.mkdir(parents=True, exist_ok=True)
        if target.is_file() and not target.is_symlink():
            if sha256_file(target) == digest:  # still whole (only record.json was lost)
                self.sources[digest] = target
                self.own.add(digest)
                return
            set_aside(target)  # changed by someone: kept beside, never deleted
        atomic_write(target, source.read_bytes())
        if sha256_file(target) != digest:  # the output changed while we read it
            raise PublishError(Msg("msg.record.changed_while_read", path=source))
        self.sources[digest] = target
        self.own.add(digest)

    def _check_files(self, copy: _OutputCopy, months: dict[str, Any], why: Msg) -> None:
        """Every file of `months` in the output, against the hashes listed; PublishError for
        the first that is not."""
        for digest, (name, _month, _version) in sorted(stored_hashes(months).items()):
            if digest in self.sources:
                continue
            _, problem = copy.source(name, digest)
            if problem is not None:
                raise PublishError(
                    Msg(
                        "msg.record.output_mismatch",
                        folder=self.folder,
                        why=why,
                        name=copy.out / name,
                        problem=problem,
                    )
                )

    def _restore_all(self, copy: _OutputCopy, damage: Msg | None) -> None:
        """The record lost or damaged: all of it from the output's copy, every file checked."""
        why = (
            Msg("msg.record.why_damaged", reason=damage)
            if damage is not None
            else Msg("msg.record.why_gone")
        )
        self._check_files(copy, copy.months, why)
        self.damaged_record = damage is not None
        self.months = json.loads(json.dumps(copy.months))
        for digest, (name, _m, _v) in sorted(stored_hashes(self.months).items()):
            source, _ = copy.source(name, digest)
            assert source is not None
            self._restore_file(digest, source)
        self.repaired = True
        self.warnings.append(
            self._warning(
                Msg(
                    "msg.record.restored",
                    folder=self.folder,
                    why=why,
                    out=copy.out,
                    months=counted(len(self.months), "month"),
                    files=counted(len(stored_hashes(self.months)), "file"),
                )
            )
        )

    def _merge(self, copy: _OutputCopy) -> None:
        """Months and versions the output lists and the record lacks (a record brought back
        from an older backup) join the record once their files check out; a version both list
        differently is refused: one of them was changed by hand."""
        mine = self.months
        newest_mine = max(mine, default="")
        newest_theirs = max(copy.months, default="")
        adopted: list[str] = []
        for month, theirs in sorted(copy.months.items()):
            ours = mine.get(month)
            if ours is None:
                take = theirs
            elif ours["versions"] == theirs["versions"]:
                if theirs.get("withdrawn") and not ours.get("withdrawn"):
                    ours["withdrawn"] = theirs["withdrawn"]
                continue
            elif month == newest_mine and month < newest_theirs:
                take = theirs  # the record stopped while this month was being prepared
            elif month == newest_theirs:
                continue  # the output's month in preparation; the record went on since
            else:
                common = min(len(ours["versions"]), len(theirs["versions"]))
                grown = False  # the output's versions have files the record's lack
                for i in range(common):
                    mine_v, their_v = ours["versions"][i], theirs["versions"][i]
                    if mine_v == their_v or _adds_files(mine_v, their_v):
                        continue
                    if _adds_files(their_v, mine_v):
                        grown = True
                        continue
                    raise PublishError(
                        Msg(
                            "msg.record.conflict",
                            folder=self.folder,
                            month=month,
                            version=i + 1,
                            out=copy.out,
                        )
                    )
                if len(theirs["versions"]) <= common and not grown:
                    continue
                if len(theirs["versions"]) < len(ours["versions"]):
                    continue  # never take a version away from the record
                take = theirs
            self._check_files(copy, {month: take}, Msg("msg.record.why_behind"))
            mine[month] = json.loads(json.dumps(take))
            for digest, (name, _m, _v) in sorted(stored_hashes({month: take}).items()):
                if digest not in self.sources:
                    source, _ = copy.source(name, digest)
                    assert source is not None
                    self._restore_file(digest, source)
            adopted.append(month)
        if adopted:
            self.repaired = True
            self.warnings.append(
                self._warning(
                    Msg(
                        "msg.record.restored_months",
                        out=copy.out,
                        folder=self.folder,
                        months="、".join(adopted),
                    )
                )
            )

    def _warning(self, message: Msg) -> Problem:
        return Problem(Pos(str(self.folder)), "", message, severity=Severity.WARNING)

    def read(self, digest: str) -> bytes:
        """The stored bytes of a hash this record names (verified when opened)."""
        return self.sources[digest].read_bytes()

    # -- planning ---------------------------------------------------------------------------

    def plan(
        self, register: Register, months: list[Month], target: Month, t: Callable[[str], str]
    ) -> None:
        """Decide, before rendering, which months are rendered, carried or corrected.

        A month in the record whose report is gone is refused (a published month is withdrawn,
        never deleted); a month being built cannot be withdrawn."""
        from .compute import compute_all

        boards = {str(b.month): b for b in compute_all(register)}
        recorded = self.months
        newest = max(recorded, default=None)
        names = {p.id: p.name for p in register.projects}
        day = correction_day().isoformat()
        for month in sorted(recorded):
            if month not in boards:
                raise BoardError(
                    Msg(
                        "msg.published.report_deleted",
                        month=month,
                        file=register.root / "reports" / f"{month}.yaml",
                    )
                )
        wanted = {str(m) for m in months} | set(recorded)
        for month in sorted(wanted):
            item = recorded.get(month)
            board = boards[month]
            is_target = month == str(target)
            withdrawn = self._withdrawal(register, month, item, is_target)
            if item is None or (is_target and (newest is None or month >= newest)):
                # never published, or the month being prepared: rendered as its first version
                rebuilt = day if self.lost and not is_target else None
                self.plans[month] = MonthPlan(
                    month, "fresh", 1, [], {"shown": shown(board, t)}, rebuilt, withdrawn
                )
                continue
            versions = list(item["versions"])
            if month > str(target):  # built for an earlier month: later months as they are
                self.plans[month] = MonthPlan(
                    month, "carry", len(versions), versions, withdrawn=withdrawn
                )
                continue
            now = shown(board, t)
            before = self._recorded_shown(versions[-1])
            found = changes(before, now, names) if before is not None else []
            if not found:
                self.plans[month] = MonthPlan(
                    month, "carry", len(versions), versions, withdrawn=withdrawn
                )
                continue
            version = len(versions) + 1
            notice = {
                "version": version,
                "date": day,
                "changes": found,
                "files": {},
                "snapshot": {"shown": now},
            }
            self.plans[month] = MonthPlan(
                month, "correct", version, [*versions, notice], withdrawn=withdrawn
            )

    def _withdrawal(
        self, register: Register, month: str, item: dict[str, Any] | None, is_target: bool
    ) -> dict[str, str] | None:
        report = register.report(Month.parse(month))
        withdrawn = report.withdrawn if report is not None else None
        if withdrawn is not None:
            if is_target:
                raise BoardError(
                    Msg(
                        "msg.published.withdraw_target",
                        month=month,
                        file=register.root / "reports" / f"{month}.yaml",
                    )
                )
            return {"date": withdrawn.day.isoformat(), "reason": withdrawn.reason}
        kept = item.get("withdrawn") if item else None
        if kept:
            self.warnings.append(
                Problem(
                    Pos(str(register.root / "reports" / f"{month}.yaml")),
                    "",
                    Msg("msg.published.withdrawal_kept", month=month, day=kept["date"]),
                    severity=Severity.WARNING,
                )
            )
        return kept

    def _recorded_shown(self, version: dict[str, Any]) -> dict[str, Any] | None:
        snapshot = version.get("snapshot", {}).get("shown")
        if isinstance(snapshot, dict):
            return snapshot
        for name, digest in version["files"].items():
            if name.startswith("site/data/board-") and name.endswith(".json"):
                return _shown_from_open_data(self.read(digest))
        return None

    def correctable(self) -> frozenset[str]:
        """The months a change of which this build publishes as a correction (更正): every
        recorded month but the newest (board.settled words their warnings so)."""
        newest = max(self.months, default=None)
        return frozenset(m for m in self.months if m != newest)

    def months_to_render(self) -> list[str]:
        """Months whose print files this build renders (first publications and corrections)."""
        return [m for m, p in self.plans.items() if p.state != "carry"]

    def rebuilt(self, month: str) -> str | None:
        """The day a past month is rendered again by this build (--rebuild-history), or None."""
        plan = self.plans.get(month)
        return plan.rebuilt if plan is not None else None

    def carried_without(self, month: str, prefix: str) -> bool:
        """A carried month whose record has no file under `prefix` (built without that stage
        before): those files are rendered now and join the month's first version."""
        plan = self.plans.get(month)
        if plan is None or plan.state != "carry":
            return False
        return not any(n.startswith(prefix) for v in plan.versions for n in v["files"])

    def apply(self, files: dict[str, bytes]) -> dict[str, bytes]:
        """The build's files with every month's files as published: carried, or renamed."""
        result = {n: d for n, d in files.items() if month_of(n) is None}
        by_month: dict[str, dict[str, bytes]] = {}
        for name, data in files.items():
            month = month_of(name)
            if month is not None:
                by_month.setdefault(month, {})[name] = data
        for month, plan in self.plans.items():
            rendered = by_month.get(month, {})
            if plan.state == "fresh":
                result.update(rendered)
                first: dict[str, Any] = {
                    "version": 1,
                    "files": {n: sha256_bytes(d) for n, d in sorted(rendered.items())},
                    "snapshot": plan.snapshot,
                }
                if plan.rebuilt:
                    first["rebuilt"] = plan.rebuilt
                plan.versions = [first]
                continue
            for version in plan.versions[:-1] if plan.state == "correct" else plan.versions:
                for name, digest in version["files"].items():
                    result[name] = self.read(digest)
            if plan.state == "carry":
                # files of a stage the month was first built without join its first version
                known = {n for v in plan.versions for n in v["files"]}
                first_files = plan.versions[0]["files"]
                for name, data in rendered.items():
                    prefix = name.split("/", 1)[0]
                    if name not in known and not any(n.startswith(prefix) for n in known):
                        result[name] = data
                        first_files[name] = sha256_bytes(data)
                continue
            new = plan.versions[-1]
            for name, data in sorted(rendered.items()):
                target = versioned(name, plan.version)
                result[target] = data
                new["files"][target] = sha256_bytes(data)
        return result

    def links(self) -> dict[str, dict[str, Any]]:
        """For the site: each month's versions (files, date, changes, rebuilt), oldest first,
        and its withdrawal."""
        return {
            month: {
                "versions": [
                    {
                        "version": v["version"],
                        "date": v.get("date"),
                        "changes": v.get("changes", []),
                        "files": sorted(v["files"]),
                        "rebuilt": v.get("rebuilt"),
                    }
                    for v in plan.versions
                ],
                "withdrawn": plan.withdrawn,
            }
            for month, plan in self.plans.items()
        }

    # -- writing ----------------------------------------------------------------------------

    def data(self) -> dict[str, Any]:
        """The record as this build leaves it (written to record.json and into the manifest)."""
        months: dict[str, Any] = {}
        for month, plan in sorted(self.plans.items()):
            item: dict[str, Any] = {"versions": plan.versions}
            if plan.withdrawn:
                item["withdrawn"] = plan.withdrawn
            months[month] = item
        return {"format": FORMAT, "register": self.register.data(), "months": months}

    def record_commitments(self, months: dict[str, dict[str, Any]]) -> None:
        """Keep, in each month version this build publishes (a first publication or a
        correction, after `apply`), the commitments its board shows (board.commitments.snapshot)
        as the snapshot part `commitments`; carried months keep what they had."""
        for month, plan in self.plans.items():
            if plan.state != "carry" and month in months and plan.versions:
                plan.versions[-1].setdefault("snapshot", {})["commitments"] = months[month]

    def store_files(self, files: dict[str, bytes]) -> None:
        """Keep every file the record will name by its hash (before the swap)."""
        if not self.write:
            return
        used = {h for p in self.plans.values() for v in p.versions for h in v["files"].values()}
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            if month_of(name) is None:
                continue
            digest = sha256_bytes(data)
            if digest not in used or digest in self.sources:
                continue
            path = self.folder / digest
            if path.is_symlink() or (path.exists() and not path.is_file()):
                raise PublishError(
                    Msg("msg.record.not_regular", path=path, kind=Msg("msg.record.kind_other"))
                )
            if path.exists():
                if sha256_file(path) != digest:
                    set_aside(path)  # not ours as it is: kept beside, never deleted
                else:
                    self.sources[digest] = path
                    self.own.add(digest)
                    continue
            atomic_write(path, data)
            self.sources[digest] = path
            self.own.add(digest)

    def save(self) -> None:
        """Write the record of what was published (before the swap), and forget the files of
        the month in preparation that it no longer names: only files this build can prove are
        its own (named by the record it verified, or stored by this build)."""
        if not self.write:
            return
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.damaged_record and (self.folder / RECORD).is_file():
            set_aside(self.folder / RECORD)
            self.damaged_record = False
        record = self.data()
        self.months = record["months"]
        self._write_record()
        used = {h for p in self.plans.values() for v in p.versions for h in v["files"].values()}
        for digest in sorted(self.own - used):
            path = self.folder / digest
            if path.is_file() and not path.is_symlink():
                path.unlink(missing_ok=True)
            self.sources.pop(digest, None)
        self.own &= used
        remember_record(self.folder, self.register, sorted(self.months))

    def _write_record(self) -> None:
        self.folder.mkdir(parents=True, exist_ok=True)
        if self.damaged_record and (self.folder / RECORD).is_file():
            set_aside(self.folder / RECORD)
            self.damaged_record = False
        record = {"format": FORMAT, "register": self.register.data(), "months": self.months}
        text = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
        atomic_write(self.folder / RECORD, text.encode("utf-8"))


def correctable_months(out_dir: Path, folder: Path | None = None) -> frozenset[str]:
    """The months whose report, if changed now, the next build into `out_dir` publishes as a
    correction (更正, a `-r2` version): every recorded month but the newest, which a build of it
    renders again as its first version. Read without verifying the stored files: an answer for
    the wording of warnings (board.settled), never for publishing."""
    path = (folder or archive_dir(out_dir)) / RECORD
    try:
        months = parse_record(path.read_bytes())["months"]
    except RecordDamaged:
        return frozenset()
    newest = max(months, default=None)
    return frozenset(m for m in months if m != newest)
