"""`board archive verify | export | restore`: proof and backup of the record of published months.

The record (board.published) is the county's only copy of what it put on the wall. `verify`
checks it as it is, writing nothing; `export` writes it as a zip (`record.json`, `files/<sha256>`
and `SHA256SUMS` in sha256sum's format) for the office to keep elsewhere; `restore` brings it
back from such a zip after checking every member (no path outside the zip, no link, only the
files a record has, every sum right, the same register) and only ever adds to a record that is
there.
"""

from __future__ import annotations

import json
import os
import stat
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .errors import BoardError, PublishError
from .i18n import Msg
from .load import os_reason
from .published import (
    RECORD,
    SHA,
    RecordDamaged,
    RegisterId,
    atomic_write,
    check_owner,
    claimed_register,
    entry_kind,
    parse_record,
    remember_record,
    set_aside,
    sha256_bytes,
    sha256_file,
    stored_entries,
    stored_hashes,
)

SUMS = "SHA256SUMS"
MAX_MEMBER = 1 << 30  # a stored file in an exported zip: at most 1 GiB


@dataclass
class Summary:
    """What a record holds: for the one line `board archive` prints."""

    months: int
    versions: int
    files: int


def summary_of(months: dict[str, Any]) -> Summary:
    return Summary(
        len(months), sum(len(i["versions"]) for i in months.values()), len(stored_hashes(months))
    )


def verify(folder: Path, register: RegisterId) -> tuple[Summary | None, list[Msg]]:
    """Check a record as it is, writing nothing: every stored file against its hash, the
    folder's entries, record.json. Returns what it holds (None: there is no record) and every
    problem found."""
    problems: list[Msg] = []
    if folder.is_symlink():
        return None, [Msg("msg.record.symlink", path=folder)]
    if not folder.exists():
        return None, []
    if not folder.is_dir():
        return None, [Msg("msg.record.not_folder", path=folder)]
    entries: dict[str, os.stat_result] = {}
    for name in sorted(os.listdir(folder)):
        info = os.lstat(folder / name)
        if stat.S_ISREG(info.st_mode):
            entries[name] = info
        else:
            problems.append(
                Msg("msg.record.not_regular", path=folder / name, kind=entry_kind(info.st_mode))
            )
    if RECORD not in entries:
        problems.append(Msg("msg.archive.no_record", path=folder / RECORD))
        return None, problems
    path = folder / RECORD
    try:
        record = parse_record(path.read_bytes())
    except RecordDamaged as exc:
        return None, [*problems, Msg("msg.record.damaged", path=path, reason=exc.reason)]
    except OSError as exc:
        return None, [*problems, Msg("msg.record.unreadable", path=path, reason=os_reason(exc))]
    other = claimed_register(record.get("register"))
    if other is not None and other.id != register.id:
        problems.append(
            Msg(
                "msg.identity.record",
                path=folder,
                other=other.named(),
                ours=register.named(),
                hint=Msg("msg.identity.other_record"),
            )
        )
    for digest, (name, month, version) in sorted(stored_hashes(record["months"]).items()):
        problem: Msg | None = None
        if digest not in entries:
            problem = Msg("msg.record.missing")
        else:
            try:
                if sha256_file(folder / digest) != digest:
                    problem = Msg("msg.record.changed")
            except OSError as exc:
                problem = Msg("msg.record.os", reason=os_reason(exc))
        if problem is not None:
            problems.append(
                Msg(
                    "msg.archive.file_problem",
                    path=folder / digest,
                    name=name,
                    month=month,
                    version=version,
                    problem=problem,
                )
            )
    return summary_of(record["months"]), problems


def export(folder: Path, register: RegisterId, target: Path) -> Summary:
    """The record as a zip: `record.json`, `files/<sha256>` and `SHA256SUMS` (sha256sum's
    format, so `sha256sum -c SHA256SUMS` checks an unpacked copy). Refused (BoardError) unless
    the record verifies."""
    found, problems = verify(folder, register)
    if problems:
        raise BoardError(problems[0])
    if found is None:
        raise BoardError(Msg("msg.archive.nothing_yet", path=folder))
    record_bytes = (folder / RECORD).read_bytes()
    months = json.loads(record_bytes)["months"]
    names = ["record.json", *(f"files/{d}" for d in sorted(stored_hashes(months)))]
    sums = {"record.json": sha256_bytes(record_bytes)} | {
        f"files/{d}": d for d in sorted(stored_hashes(months))
    }
    listing = "".join(f"{sums[n]}  {n}\n" for n in names).encode()
    tmp = target.with_name(f".{target.name}.{os.getpid()}.tmp")
    try:
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED) as archive:
            for name in names:
                source = folder / (RECORD if name == "record.json" else name.split("/", 1)[1])
                info = zipfile.ZipInfo(name, date_time=(2020, 1, 1, 0, 0, 0))
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                with archive.open(info, "w") as member, open(source, "rb") as handle:
                    for chunk in iter(lambda: handle.read(1 << 20), b""):
                        member.write(chunk)
            info = zipfile.ZipInfo(SUMS, date_time=(2020, 1, 1, 0, 0, 0))
            info.external_attr = 0o644 << 16
            archive.writestr(info, listing)
        os.replace(tmp, target)
    finally:
        tmp.unlink(missing_ok=True)
    return found


def restore(source: Path, folder: Path, register: RegisterId) -> tuple[Summary, int]:
    """Bring a record back from a zip made by `export`, checked before anything is written:
    no member outside itself, no link, only `record.json`, `files/<sha256>` and `SHA256SUMS`,
    every sum right, every file the record names present, the register the same. An existing
    record is only added to: every version it holds must be in the zip as it is (else
    refused). Returns what the record now holds and how many files were written."""

    def refuse(name: str, problem: Msg) -> BoardError:
        return BoardError(Msg("msg.archive.bad_member", path=source, name=name, problem=problem))

    try:
        archive = zipfile.ZipFile(source)
    except (OSError, zipfile.BadZipFile) as exc:
        reason = os_reason(exc) if isinstance(exc, OSError) else str(exc)
        raise BoardError(Msg("msg.archive.bad_zip", path=source, reason=reason)) from None
    with archive:
        members = archive.infolist()
        names = [m.filename for m in members]
        for info in members:
            name = info.filename
            if name.startswith("/") or "\\" in name or ".." in name.split("/") or ":" in name:
                raise refuse(name, Msg("msg.archive.outside"))
            if stat.S_ISLNK(info.external_attr >> 16):
                raise refuse(name, Msg("msg.archive.link"))
            if info.is_dir():
                continue
            if name not in ("record.json", SUMS) and not (
                name.startswith("files/") and SHA.match(name[6:])
            ):
                raise refuse(name, Msg("msg.archive.unknown"))
            if info.file_size > MAX_MEMBER:
                raise refuse(name, Msg("msg.archive.too_big"))
        if len(set(names)) != len(names):
            raise BoardError(Msg("msg.archive.no_sums", path=source))
        if SUMS not in names or "record.json" not in names:
            raise BoardError(Msg("msg.archive.no_sums", path=source))
        sums: dict[str, str] = {}
        for line in _read_member(archive, SUMS, 1 << 24).decode("utf-8", "replace").splitlines():
            digest, _, name = line.partition("  ")
            if not SHA.match(digest) or name not in names:
                raise refuse(SUMS, Msg("msg.archive.bad_sums"))
            sums[name] = digest
        for name in names:
            if name != SUMS and not name.endswith("/") and name not in sums:
                raise refuse(name, Msg("msg.archive.not_summed"))
        record_bytes = _read_member(archive, "record.json", 1 << 28)
        if sha256_bytes(record_bytes) != sums["record.json"]:
            raise refuse("record.json", Msg("msg.archive.wrong_sum"))
        try:
            record = parse_record(record_bytes)
        except RecordDamaged:
            raise refuse("record.json", Msg("msg.archive.bad_record")) from None
        check_owner("record", source, record.get("register"), register)
        months = record["months"]
        for digest, (name, _month, _version) in sorted(stored_hashes(months).items()):
            if f"files/{digest}" not in names or sums[f"files/{digest}"] != digest:
                raise refuse(f"files/{digest}", Msg("msg.archive.missing_file", name=name))
        # the record as it is: only ever added to
        current = _current_record(folder)
        if current is not None:
            for month, item in current.items():
                theirs = months.get(month)
                if (
                    theirs is None
                    or theirs["versions"][: len(item["versions"])] != item["versions"]
                ):
                    raise BoardError(
                        Msg("msg.archive.conflict", path=source, folder=folder, month=month)
                    )
        if folder.is_symlink():
            raise PublishError(Msg("msg.record.symlink", path=folder))
        entries = stored_entries(folder) if folder.is_dir() else {}
        folder.mkdir(parents=True, exist_ok=True)
        written = 0
        for digest in sorted(stored_hashes(months)):
            path = folder / digest
            if digest in entries and sha256_file(path) == digest:
                continue
            data = _read_member(archive, f"files/{digest}", MAX_MEMBER)
            if sha256_bytes(data) != digest:
                raise refuse(f"files/{digest}", Msg("msg.archive.wrong_sum"))
            if digest in entries:
                set_aside(path)
            atomic_write(path, data)
            written += 1
        if current is None or current != months:
            if RECORD in entries and current is None:
                set_aside(folder / RECORD)
            atomic_write(folder / RECORD, record_bytes)
            written += 1
        remember_record(folder, register, sorted(months))
        return summary_of(months), written


def _current_record(folder: Path) -> dict[str, Any] | None:
    """The months of a readable record in `folder` (None: none, or damaged)."""
    try:
        return parse_record((folder / RECORD).read_bytes())["months"]
    except (OSError, RecordDamaged):
        return None


def _read_member(archive: zipfile.ZipFile, name: str, limit: int) -> bytes:
    """A member's bytes, at most `limit` whatever its header claims (a zip bomb stops here)."""
    chunks = []
    total = 0
    with archive.open(name) as member:
        for chunk in iter(lambda: member.read(1 << 20), b""):
            total += len(chunk)
            if total > limit:
                raise BoardError(
                    Msg(
                        "msg.archive.bad_member",
                        path=archive.filename,
                        name=name,
                        problem=Msg("msg.archive.too_big"),
                    )
                )
            chunks.append(chunk)
    return b"".join(chunks)
