"""The promise on the wall (issue 22): commitments, their change log, and the published record.

A project's commitments are its name, 分包县领导, 分包单位, 完成时限, 总投资, 年度计划投资 of each
year, 计划进度 of each month and the due date of each task (model.COMMITMENT_KEYS and
COMMITMENT_FAMILIES). The value first promised is the baseline (原定); a later value is a change,
which the project file records in `changes:` with the day it was decided, why, and on whose
decision. This module holds what the rest of board shares about them:

- `major_reason`: whether a change is a 重大调整 (thresholds in board.yaml), which needs
  `approved_by`;
- `snapshot`: the commitments a month's board shows, as the record of published months keeps
  them (board.published records it with every month published);
- `read_record` and `record_problems`: `check` and `build` compare each project's commitments
  with the last published month in the record; a difference without its change entry, an entry
  whose `from` is not what was published, a published project whose file is gone and a project
  that appeared without `added:` are errors at the field's file:line:col, giving the YAML to add;
- `value_text` and `key_label`: a commitment and its value in the words of the board's language,
  for every output.

Validation of the change log itself (each entry's types, the chain from one value to the next,
the last `to` equal to the file) is in validate.py; the facts of each month (which changes a
board shows, 新增, 调出, overdue when moved) in compute.py.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from types import MappingProxyType
from typing import Any

from .errors import Pos, Problem, Severity
from .i18n import Msg, Said, translator
from .load import shown_path
from .model import Change, Month, Project, Register, Thresholds, Value

# -- 重大调整 -----------------------------------------------------------------------------------


def major_reason(change: Change, thresholds: Thresholds) -> Msg | None:
    """Why `change` is a 重大调整 (a deadline moved `major_deadline_days` or more, an investment
    changed by `major_investment_percent` or more), or None when it is not one."""
    days = change.days
    if change.key == "deadline" and days is not None:
        if abs(days) >= thresholds.major_deadline_days:
            return Msg(
                "msg.change.major_deadline", days=abs(days), limit=thresholds.major_deadline_days
            )
        return None
    if change.family in ("investment", "annual_investment"):
        before, after = change.before, change.after
        if isinstance(before, int | float) and isinstance(after, int | float) and before > 0:
            percent = abs(after - before) / before * 100
            if percent >= thresholds.major_investment_percent:
                return Msg(
                    "msg.change.major_investment",
                    percent=f"{percent:.1f}",
                    limit=thresholds.major_investment_percent,
                )
    return None


# -- the commitments a month's board shows, as the record keeps them ---------------------------


def project_commitments(project: Project, month: Month) -> dict[str, Any]:
    """One project's commitments on the board of `month` (the project as of that board), in
    plain JSON: the plan up to the month (the months whose 计划进度 the board has shown)."""
    return {
        "name": project.name,
        "leader": project.leader,
        "unit": project.unit,
        "deadline": project.deadline.isoformat(),
        "investment": project.investment,
        "annual_investment": {str(y): v for y, v in project.annual_investment},
        "plan": {str(m): p for m, p in project.plan if m <= month},
        "milestones": {m.task: m.due.isoformat() for m in project.milestones},
    }


def snapshot(register: Register, month: Month) -> dict[str, Any]:
    """What the record keeps of the board of `month`: the day it counts from and each project
    on it with its commitments (the register's identity is the record's own: published.py)."""
    return {
        "as_of": register.cutoff(month).isoformat(),
        "projects": {p.id: project_commitments(p, month) for p in register.board_projects(month)},
    }


def flatten(recorded: Mapping[str, Any]) -> dict[str, Value]:
    """A recorded project's commitments by key (`deadline`, `plan.2020-09`, ...), as values."""
    found: dict[str, Value] = {}
    for key in ("name", "leader", "unit"):
        if isinstance(recorded.get(key), str):
            found[key] = recorded[key]
    if isinstance(recorded.get("deadline"), str):
        found["deadline"] = date.fromisoformat(recorded["deadline"])
    investment = recorded.get("investment")
    found["investment"] = float(investment) if isinstance(investment, int | float) else None
    for year, amount in (recorded.get("annual_investment") or {}).items():
        found[f"annual_investment.{year}"] = float(amount)
    for month, percent in (recorded.get("plan") or {}).items():
        found[f"plan.{month}"] = int(percent)
    for task, due in (recorded.get("milestones") or {}).items():
        found[f"milestones.{task}"] = date.fromisoformat(due)
    return found


# -- reading the record ------------------------------------------------------------------------


@dataclass(frozen=True)
class RecordView:
    """What the record of published months beside an output says of commitments.

    `state`: `ok` (the last published month's commitments are in `projects`), `missing` (no
    record: a first build), `legacy` (months published before commitments were recorded) or
    `foreign` (the record is another register's: `content` names it).
    """

    where: str
    state: str
    month: Month | None = None
    as_of: date | None = None
    content: str = ""
    projects: Mapping[str, Mapping[str, Any]] = field(default_factory=lambda: MappingProxyType({}))


def read_record(out_dir: Path | str, register: Register) -> RecordView:
    """The last published month's commitments from the record of `out_dir` (where the build
    keeps it: beside the output, or board.yaml's `archive:`). Read only, without verifying the
    stored files (every build does that before publishing: board.published)."""
    from .errors import PublishError
    from .published import (
        RECORD,
        RecordDamaged,
        claimed_register,
        parse_record,
        record_dir,
        register_id,
    )

    out = Path(os.path.realpath(out_dir))
    try:
        folder = record_dir(register.root, out, register.config.archive or None)
    except PublishError:  # a place the build refuses: it says why
        return RecordView(str(out_dir), "missing")
    where = shown_path(folder / RECORD)
    try:
        record = parse_record((folder / RECORD).read_bytes())
    except (OSError, RecordDamaged):  # none yet, or one the build restores or refuses
        return RecordView(where, "missing")
    if not record.get("months"):
        return RecordView(where, "missing")
    owner = claimed_register(record.get("register"))
    if owner is not None and owner.id != register_id(register.root).id:
        # another register's record (the build refuses to publish into it: one register per
        # record); nothing of it is compared
        return RecordView(where, "foreign", content=owner.named().text())
    found = last_commitments(record["months"])
    if found is None:
        return RecordView(where, "legacy")
    month, data = found
    try:  # the record is board's own; one it cannot read is as good as none
        projects = dict(data.get("projects") or {})
        for recorded in projects.values():
            flatten(recorded)  # raises on an entry it cannot read
        return RecordView(
            where,
            "ok",
            Month.parse(month),
            date.fromisoformat(data["as_of"]),
            projects=MappingProxyType(projects),
        )
    except (KeyError, TypeError, ValueError, AttributeError):
        return RecordView(where, "legacy")


def last_commitments(months: Mapping[str, Any]) -> tuple[str, dict[str, Any]] | None:
    """The newest published month whose record keeps commitments (its latest version's
    snapshot part `commitments`), and those; None where none does (a record made before)."""
    for month in sorted(months, reverse=True):
        versions = months[month].get("versions") or []
        snapshot = versions[-1].get("snapshot") if versions else None
        found = snapshot.get("commitments") if isinstance(snapshot, dict) else None
        if isinstance(found, dict):
            return month, found
    return None


# -- checking the register against the record ---------------------------------------------------


def record_problems(register: Register, view: RecordView) -> list[Problem]:
    """Every commitment of the register that moved since the last published month without its
    record; a warning instead when there is no record to compare with."""
    if view.state != "ok":
        key = {
            "missing": "msg.commit.missing",
            "legacy": "msg.commit.legacy",
            "foreign": "msg.commit.foreign",
        }[view.state]
        hint = "msg.commit.missing_hint" if view.state == "missing" else ""
        return [
            Problem(
                Pos(view.where),
                "",
                Msg(key, content=view.content),
                Msg(hint) if hint else "",
                Severity.WARNING,
            )
        ]
    assert view.month is not None and view.as_of is not None
    problems: list[Problem] = []
    month, as_of = view.month, view.as_of
    before = register.cutoff_before(month)
    by_id = {p.id: p for p in register.projects}
    for pid, recorded in sorted(view.projects.items()):
        project = by_id.get(pid)
        if project is None:
            problems.append(_deleted(register, pid, recorded, month))
            continue
        if project.withdrawn is not None and project.withdrawn.date <= before:
            problems.append(
                Problem(
                    project.withdrawn.pos,
                    "withdrawn.date (调出日期)",
                    Msg(
                        "msg.commit.withdrawn_backdated",
                        date=project.withdrawn.date,
                        month=month_words(month),
                        after=before,
                    ),
                    Msg("msg.commit.after_hint", after=before),
                )
            )
        problems += _project_problems(project, flatten(recorded), month, as_of, before)
    latest = register.latest
    if latest is not None:
        cutoff = register.cutoff(latest)
        for project in register.projects:
            if project.id in view.projects or not project.on_board(cutoff):
                continue
            if project.added is not None and project.added.date > before:
                continue
            problems.append(_appeared(project, month, before))
    return problems


def _keys(project: Project, published: dict[str, Value], month: Month) -> list[str]:
    """The commitments to compare: every one the record has, the plan of every month up to the
    published month, and the year's planned investment of that month's year."""
    keys = dict.fromkeys(published)
    for key in ("name", "leader", "unit", "deadline", "investment"):
        keys.setdefault(key)
    for plan_month, _ in project.plan:
        if plan_month <= month:
            keys.setdefault(f"plan.{plan_month}")
    if any(y == month.year for y, _ in project.annual_investment):
        keys.setdefault(f"annual_investment.{month.year}")
    return list(keys)


def _project_problems(
    project: Project, published: dict[str, Value], month: Month, as_of: date, before: date
) -> list[Problem]:
    problems = []
    then = project.as_of(as_of)  # the project as its change log says it stood on that board
    for key in _keys(project, published, month):
        shown = published.get(key)
        if then.value(key) == shown:
            continue
        entries = [c for c in project.changes if c.key == key]
        if any(c.before == shown and c.date > before for c in entries):
            continue  # decided after the board before it: republished or recorded late
        now = project.value(key)
        if not entries:
            problems.append(
                Problem(
                    commitment_place(project, key),
                    commitment_field(key),
                    Msg(
                        "msg.commit.changed",
                        what=key_message(key),
                        month=month_words(month),
                        published=value_message(key, shown),
                        now=value_message(key, now),
                    ),
                    Msg(
                        "msg.commit.changed_hint",
                        yaml=Said(
                            change_yaml(key, shown, now, "决定日期", "调整原因", "批准依据"),
                            change_yaml(key, shown, now, "YYYY-MM-DD", "why", "decided by"),
                        ),
                    ),
                )
            )
            continue
        later = [c for c in entries if c.date > before]
        entry = later[0] if later else entries[-1]
        name = "from" if later else "date"
        problems.append(
            Problem(
                entry.positions.get(name, entry.pos),
                f"changes[{entry.index}].{name} ({'原值' if later else '决定日期'})",
                Msg(
                    "msg.commit.log_mismatch",
                    what=key_message(key),
                    month=month_words(month),
                    published=value_message(key, shown),
                    log=value_message(key, then.value(key)),
                ),
                Msg(
                    "msg.commit.log_mismatch_hint",
                    published=yaml_value(shown),
                    after=before,
                ),
            )
        )
    return problems


def _deleted(register: Register, pid: str, recorded: Mapping[str, Any], month: Month) -> Problem:
    path = shown_path(register.root / "projects" / f"{pid}.yaml")
    return Problem(
        Pos(path),
        "",
        Msg(
            "msg.commit.deleted",
            id=pid,
            name=str(recorded.get("name", pid)),
            month=month_words(month),
        ),
        Msg(
            "msg.commit.deleted_hint",
            yaml=Said(
                "withdrawn: {date: 调出日期, reason: 调出原因, approved_by: 批准依据}",
                "withdrawn: {date: YYYY-MM-DD, reason: why, approved_by: decided by}",
            ),
        ),
    )


def _appeared(project: Project, month: Month, before: date) -> Problem:
    return Problem(
        project.positions.get("id", project.source),
        "id (编号)",
        Msg("msg.commit.appeared", id=project.id, name=project.name, month=month_words(month)),
        Msg(
            "msg.commit.appeared_hint",
            after=before,
            yaml=Said(
                "added: {date: 新增日期, reason: 新增原因, approved_by: 批准依据}",
                "added: {date: YYYY-MM-DD, reason: why, approved_by: decided by}",
            ),
        ),
    )


def commitment_place(project: Project, key: str) -> Pos:
    """Where the commitment `key` is written in the project file (or its family, or the file)."""
    where = project.positions
    family = key.split(".", 1)[0]
    return where.get(key) or where.get(family) or project.source


def commitment_field(key: str) -> str:
    family = key.split(".", 1)[0]
    labels = {
        "name": "项目名称",
        "leader": "分包县领导",
        "unit": "分包单位",
        "deadline": "完成时限",
        "investment": "总投资",
        "annual_investment": "年度计划投资",
        "plan": "计划进度",
        "milestones": "责任清单",
    }
    return f"{key} ({labels[family]})"


# -- the YAML of a change, for the hint ---------------------------------------------------------

_FLOW_UNSAFE = re.compile(r"[,:{}\[\]#&*!|>'\"%@`]|^\s|\s$|^[-?]")


def _flow(text: str) -> str:
    """Text as a value inside a YAML flow mapping `{...}`: plain when safe, else double-quoted."""
    if text and not _FLOW_UNSAFE.search(text) and text not in ("~", "null", "true", "false"):
        return text
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def yaml_value(value: Value) -> str:
    if value is None:
        return "无"
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, float):
        return f"{value:g}"
    if isinstance(value, int):
        return str(value)
    return _flow(value)


def change_yaml(key: str, before: Value, after: Value, day: str, reason: str, basis: str) -> str:
    """The entry to add under `changes:`, on one line (YAML flow style)."""
    return (
        f"- {{date: {day}, field: {_flow(key)}, from: {yaml_value(before)}, "
        f"to: {yaml_value(after)}, reason: {reason}, approved_by: {basis}}}"
    )


# -- a commitment and its value in words --------------------------------------------------------


def key_message(key: str) -> Msg:
    """The commitment `key` as messages and outputs name it (完成时限, 2021年年度计划投资, ...)."""
    family, _, part = key.partition(".")
    if family == "annual_investment":
        return Msg("adjust.key.annual_investment", year=part)
    if family == "plan":
        return Msg("adjust.key.plan", month=part)
    if family == "milestones":
        return Msg("adjust.key.milestones", task=part)
    return Msg(f"adjust.key.{family}")


def value_message(key: str, value: Value) -> Said | str:
    """A value as a message quotes it (dates as the file writes them; 无 for none)."""
    if value is None:
        return Said("无", "none")
    if isinstance(value, float):
        return f"{value:g}"
    if key.startswith("plan."):
        return f"{value}%"
    return str(value)


def month_words(month: Month) -> Said:
    """A month as a message names a board: 2020年9月 in Chinese, 2020-09 in English."""
    return Said(f"{month.year}年{month.month}月", str(month))


def key_label(key: str, language: str) -> str:
    return key_message(key).text(language)


def value_text(
    key: str, value: Value, language: str, date_label: Callable[[date], str] | None = None
) -> str:
    """A commitment's value as the outputs show it: 2021年6月30日, 28600万元, 58%, 无."""
    t = translator(language)
    if value is None:
        return t("adjust.none")
    if isinstance(value, date):
        return date_label(value) if date_label else value.isoformat()
    family = key.split(".", 1)[0]
    if family in ("investment", "annual_investment") and isinstance(value, int | float):
        return t("adjust.wan").format(amount=f"{value:g}")
    if family == "plan":
        return f"{value}%"
    return str(value)
