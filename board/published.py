"""A published month stays published: its files are carried forward byte for byte.

A month's files are every file of `print/` and `site/data/` whose name ends in the month
(`print/bulletin-2020-09.pdf`, `print/审阅-2020-09.docx`, `site/data/board-2020-09.json`,
`site/data/projects-2020-09.csv`), whatever their kind: the carry-forward goes by the month
suffix, not by a list of outputs.

Once a later month has been built, an earlier month is *published*: a build does not render
it again with today's templates or data but takes its files, byte for byte, from the record of
published months. When the register's report of a published month changes, the build
publishes the corrected month beside the first version, under the same names with `-r2`
(`-r3`, ...) before the suffix (`print/bulletin-2020-09-r2.pdf`), with a correction notice
(更正: the date and what changed) on the month's page and in the feed; every earlier version
stays downloadable.

The record lives beside the output, in `.<output>.published/`: `record.json` (each month's
report as it was published, its versions and their files' hashes) and the files themselves,
stored by their SHA-256. It is board's own, outside the register (a build never modifies the
register) and outside the output (it survives a lost or deleted `output/`: the next build
carries every published month forward from it). Where the record is gone too, past months are
rendered again from the register (docs/security.md).

The commitments each month's board showed (issue 22, board/commitments.py) are kept in the
record too, so that a promise cannot move quietly: `record_commitments` stores, in each month
version this build publishes, a key `commitments` ({as_of, content, projects: {id: {name, leader,
unit, deadline, investment, annual_investment, plan, milestones}}}); `last_commitments` reads
those of the newest published month, which `check` and `build` compare with the register.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import Any

from .model import Month, Register

MONTH_FILE = re.compile(
    r"\A(?P<stem>(?:print|site/data)/[^/]+?)-(?P<month>\d{4}-\d{2})(?:-r(?P<version>\d+))?"
    r"(?P<suffix>\.[A-Za-z0-9]+)\Z"
)
ENTRY_FIELDS = (
    "percent",
    "progress",
    "invested",
    "problems",
    "measures",
    "reason",
    "catch_up_by",
)


def archive_dir(out_dir: Path) -> Path:
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


def report_entries(register: Register, month: Month) -> dict[str, dict[str, Any]] | None:
    """The report of `month` as plain data, to tell a correction from an unchanged month."""
    report = next((r for r in register.reports if r.month == month), None)
    if report is None:
        return None
    return {
        pid: {name: _plain(getattr(entry, name)) for name in ENTRY_FIELDS}
        for pid, entry in sorted(report.entries.items())
    }


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def changes(
    before: dict[str, dict[str, Any]], after: dict[str, dict[str, Any]], names: dict[str, str]
) -> list[dict[str, Any]]:
    """What changed in a report: per project, the fields and, for the percent, both values."""
    found = []
    for pid in sorted(before.keys() | after.keys(), key=lambda p: (names.get(p, p), p)):
        old, new = before.get(pid), after.get(pid)
        if old == new:
            continue
        if old is None or new is None:
            found.append(
                {
                    "project": pid,
                    "name": names.get(pid, pid),
                    "fields": ["added" if old is None else "removed"],
                }
            )
            continue
        fields = [f for f in ENTRY_FIELDS if old.get(f) != new.get(f)]
        item: dict[str, Any] = {"project": pid, "name": names.get(pid, pid), "fields": fields}
        if "percent" in fields:
            item["percent"] = [old.get("percent"), new.get("percent")]
        found.append(item)
    return found


def correction_day() -> date:
    """The day a correction is published: SOURCE_DATE_EPOCH's, else today."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        from datetime import UTC, datetime

        return datetime.fromtimestamp(int(epoch), UTC).date()
    return date.today()


@dataclass
class MonthPlan:
    """What a build does with one month's files."""

    month: str
    state: str  # "fresh" (render, first version), "carry" (take as published), "correct"
    version: int = 1  # the version this build publishes (or carries as the latest)
    versions: list[dict[str, Any]] = field(default_factory=list)  # the record's, oldest first


@dataclass
class Published:
    """The record of published months, and this build's plan for each month."""

    folder: Path
    record: dict[str, Any]
    plans: dict[str, MonthPlan] = field(default_factory=dict)

    @classmethod
    def load(cls, out_dir: Path) -> Published:
        folder = archive_dir(out_dir)
        try:
            record = json.loads((folder / "record.json").read_text(encoding="utf-8"))
        except (OSError, ValueError):
            record = {}
        if not isinstance(record.get("months"), dict):
            record = {"months": {}}
        published = cls(folder, record)
        # a month whose files are not all in the archive cannot be carried: rendered again
        for month, item in list(record["months"].items()):
            hashes = [h for v in item.get("versions", []) for h in v.get("files", {}).values()]
            if not hashes or not all((folder / h).is_file() for h in hashes):
                del record["months"][month]
        return published

    def plan(self, register: Register, months: list[Month], target: Month) -> None:
        """Decide, before rendering, which months are rendered, carried or corrected."""
        recorded = self.record["months"]
        newest = max(recorded, default=None)
        names = {p.id: p.name for p in register.projects}
        day = correction_day().isoformat()
        wanted = {str(m) for m in months} | set(recorded)
        for month in sorted(wanted):
            item = recorded.get(month)
            is_target = month == str(target)
            if item is None or (is_target and (newest is None or month >= newest)):
                # never published, or the month being prepared: rendered as its first version
                self.plans[month] = MonthPlan(month, "fresh", 1, [])
                continue
            versions = list(item["versions"])
            now = report_entries(register, Month.parse(month))
            last = versions[-1]
            if now is None or now == last["entries"]:
                self.plans[month] = MonthPlan(month, "carry", len(versions), versions)
                continue
            version = len(versions) + 1
            notice = {
                "version": version,
                "date": day,
                "changes": changes(last["entries"], now, names),
                "entries": now,
                "files": {},
            }
            self.plans[month] = MonthPlan(month, "correct", version, [*versions, notice])

    def months_to_render(self) -> list[str]:
        """Months whose print files this build renders (first publications and corrections)."""
        return [m for m, p in self.plans.items() if p.state != "carry"]

    def carried_without(self, month: str, prefix: str) -> bool:
        """A carried month whose record has no file under `prefix` (built without that stage
        before): those files are rendered now and join the month's first version."""
        plan = self.plans.get(month)
        if plan is None or plan.state != "carry":
            return False
        return not any(n.startswith(prefix) for v in plan.versions for n in v["files"])

    def apply(self, files: dict[str, bytes], register: Register) -> dict[str, bytes]:
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
                entries = report_entries(register, Month.parse(month))
                plan.versions = [
                    {
                        "version": 1,
                        "entries": entries,
                        "files": {n: _sha(d) for n, d in sorted(rendered.items())},
                    }
                ]
                continue
            for version in plan.versions[:-1] if plan.state == "correct" else plan.versions:
                for name, digest in version["files"].items():
                    result[name] = (self.folder / digest).read_bytes()
            if plan.state == "carry":
                # files of a stage the month was first built without join its first version
                known = {n for v in plan.versions for n in v["files"]}
                first = plan.versions[0]["files"]
                for name, data in rendered.items():
                    prefix = name.split("/", 1)[0]
                    if name not in known and not any(n.startswith(prefix) for n in known):
                        result[name] = data
                        first[name] = _sha(data)
                continue
            new = plan.versions[-1]
            for name, data in sorted(rendered.items()):
                target = versioned(name, plan.version)
                result[target] = data
                new["files"][target] = _sha(data)
        return result

    def links(self) -> dict[str, dict[str, Any]]:
        """For the site: each month's versions (files, date, changes), oldest first."""
        return {
            month: {
                "versions": [
                    {
                        "version": v["version"],
                        "date": v.get("date"),
                        "changes": v.get("changes", []),
                        "files": sorted(v["files"]),
                    }
                    for v in plan.versions
                ]
            }
            for month, plan in self.plans.items()
        }

    # -- issue 22: the commitments each published month showed (board/commitments.py) --------

    def record_commitments(self, months: dict[str, dict[str, Any]]) -> None:
        """Keep, in each month version this build publishes (a first publication or a
        correction, after `apply`), the commitments its board shows, as
        board.commitments.snapshot gives them; carried months keep what they had."""
        for month, plan in self.plans.items():
            if plan.state != "carry" and month in months and plan.versions:
                plan.versions[-1]["commitments"] = months[month]

    def last_commitments(self) -> tuple[str, dict[str, Any]] | None:
        """The newest published month whose record holds commitments, and those commitments;
        None when no month has them (no record, or one made before they were recorded)."""
        for month in sorted(self.record["months"], reverse=True):
            versions = self.record["months"][month].get("versions") or []
            if versions and isinstance(versions[-1].get("commitments"), dict):
                return month, versions[-1]["commitments"]
        return None

    def store_files(self, files: dict[str, bytes]) -> None:
        """Keep every month file by its hash (before the swap: unused files are harmless)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        for name, data in files.items():
            if month_of(name) is None:
                continue
            path = self.folder / _sha(data)
            if not path.is_file():
                tmp = path.with_name(f".{path.name}.{os.getpid()}")
                tmp.write_bytes(data)
                os.replace(tmp, path)

    def save(self) -> None:
        """Write the record of what was published (after the swap)."""
        months = {m: {"versions": p.versions} for m, p in sorted(self.plans.items())}
        data = json.dumps({"months": months}, ensure_ascii=False, indent=1, sort_keys=True)
        path = self.folder / "record.json"
        tmp = path.with_name(f".record.json.{os.getpid()}")
        tmp.write_text(data + "\n", encoding="utf-8")
        os.replace(tmp, path)
        # drafts of the month being prepared are not kept: only what the record names
        used = {h for p in self.plans.values() for v in p.versions for h in v["files"].values()}
        for stored in self.folder.iterdir():
            if stored.name != "record.json" and stored.name not in used:
                stored.unlink(missing_ok=True)


def _sha(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()
