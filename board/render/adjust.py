"""Changes of commitments (调整, issue 22) in the words every output shows them with.

compute.py decides which changes a board shows (`Row.changes`, `BoardMonth.decided`); this
module only puts them into words, once, for the site, the panel, the screen, the sheets, the
bulletin (PDF and Word), the feed and the review: 完成时限 2021年6月30日 (原定2020年12月31日),
2020年10月15日调整 with the reason and the decision it rests on (批准依据).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from ..commitments import key_label, major_reason, value_text
from ..compute import OverdueMove, Row
from ..i18n import translator
from ..model import Change, Month, Project, Thresholds, Value


@dataclass(frozen=True)
class Step:
    """One change in words."""

    change: Change
    label: str  # 完成时限
    date: str  # 2020年10月15日
    before: str
    after: str
    reason: str
    basis: str  # 批准依据, may be empty
    major: bool  # a 重大调整
    days: str  # 延期182天 / 提前10天, for a date moved; else empty

    @property
    def key(self) -> str:
        return self.change.key


@dataclass(frozen=True)
class Note:
    """One commitment changed by a board: as first promised, as it stands, and each change."""

    key: str
    label: str
    baseline: str
    current: str
    steps: tuple[Step, ...]


class Words:
    """Changes in the words of one board's language (one per build; templates call it)."""

    def __init__(
        self,
        language: str,
        date_label: Callable[[date], str],
        thresholds: Thresholds,
        labels: Mapping[str, str] | None = None,
    ) -> None:
        self.language = language
        self.t = translator(language, labels)
        self.date_label = date_label
        self.thresholds = thresholds

    def value(self, key: str, value: Value) -> str:
        return value_text(key, value, self.language, self.date_label)

    def label(self, key: str) -> str:
        """The commitment `key` in words: 完成时限, 2020年8月计划进度, 任务“主体封顶”完成时间."""
        if key.startswith("plan."):
            from . import month_label

            month = month_label(Month.parse(key.split(".", 1)[1]), self.language)
            return self.t("adjust.key.plan").format(month=month)
        return key_label(key, self.language)

    def step(self, change: Change) -> Step:
        days = change.days
        moved = ""
        if days:
            moved = self.t("adjust.later" if days > 0 else "adjust.earlier").format(n=abs(days))
        return Step(
            change=change,
            label=self.label(change.key),
            date=self.date_label(change.date),
            before=self.value(change.key, change.before),
            after=self.value(change.key, change.after),
            reason=change.reason,
            basis=change.approved_by,
            major=major_reason(change, self.thresholds) is not None,
            days=moved,
        )

    def notes(self, row: Row) -> tuple[Note, ...]:
        """Each commitment the board shows changed, in the order of their first change."""
        return tuple(
            Note(
                key=key,
                label=self.label(key),
                baseline=self.value(key, row.baseline(key)),
                current=self.value(key, row.project.value(key)),
                steps=tuple(self.step(c) for c in row.key_changes(key)),
            )
            for key in row.adjusted_keys
        )

    def step_text(self, step: Step, overdue: bool = False) -> str:
        """完成时限由2020年12月31日调整为2021年6月30日（延期182天；原因：…；依据：…；2020年10月15日决定）;
        `overdue`: the project was already overdue when the change was decided (调整时已超期)."""
        t = self.t
        details = [step.days] if step.days else []
        if overdue:
            details.append(t("adjust.was_overdue"))
        details.append(t("adjust.why").format(reason=step.reason))
        if step.basis:
            details.append(t("adjust.basis").format(basis=step.basis))
        details.append(t("adjust.decided").format(date=step.date))
        head = t("adjust.sentence").format(label=step.label, before=step.before, after=step.after)
        return head + t("print.open") + t("print.semicolon").join(details) + t("print.close")

    def often(self, rows: tuple[Row, ...]) -> str:
        """The projects moved later twice or more, with how often: 北区污水处理厂（2次）、…"""
        return self.t("site.list_sep").join(
            self.t("adjust.times").format(name=r.project.name, n=r.delays) for r in rows
        )

    def item(self, project: Project, change: Change, overdue: bool = False) -> str:
        """A change with its project: 北区污水处理厂：完成时限由…调整为…（…）."""
        text = self.step_text(self.step(change), overdue)
        return f"{project.name}{self.t('print.colon')}{text}"

    def line(self, row: Row) -> str:
        """A project's changes in one line, for a footnote: 完成时限原定…，2020年10月15日调整为…（…）."""
        parts = [self.note_text(note) for note in self.notes(row)]
        parts += [self.overdue(move) for move in row.overdue_moves]
        return self.t("print.semicolon").join(parts)

    def note_text(self, note: Note) -> str:
        """One commitment's changes: 完成时限原定…，2020年10月15日调整为…（延期…；原因：…；依据：…）."""
        t = self.t
        text = t("adjust.baseline_of").format(label=note.label, value=note.baseline)
        for step in note.steps:
            details = [step.days] if step.days else []
            details.append(t("adjust.why").format(reason=step.reason))
            if step.basis:
                details.append(t("adjust.basis").format(basis=step.basis))
            text += t("site.comma") + t("adjust.to").format(date=step.date, value=step.after)
            text += t("print.open") + t("print.semicolon").join(details) + t("print.close")
        return text

    def key_text(self, row: Row, key: str) -> str:
        """The changes of the commitment `key` on the board of `row` in one line (empty when it
        never changed); for the deadline, also each time it was moved when already overdue."""
        parts = [self.note_text(note) for note in self.notes(row) if note.key == key]
        if key == "deadline":
            parts += [self.overdue(move) for move in row.overdue_moves]
        return self.t("print.semicolon").join(parts)

    def overdue(self, move: OverdueMove) -> str:
        """调整时已超期: 2020年8月调整时已超期（原定2020年6月30日）."""
        from . import month_label

        old = move.old
        return self.t("adjust.overdue_when_moved").format(
            month=month_label(move.month, self.language),
            date=self.date_label(old) if isinstance(old, date) else "",
        )

    def withdrawn_text(self, project: Project) -> str:
        """调出: 2020年10月20日调出（原因：…；依据：…）."""
        decision = project.withdrawn
        if decision is None:
            return ""
        return self._decision("adjust.withdrawn_on", decision)

    def added_text(self, project: Project) -> str:
        decision = project.added
        if decision is None:
            return ""
        return self._decision("adjust.added_on", decision)

    def _decision(self, key: str, decision: Any) -> str:
        t = self.t
        text = t(key).format(date=self.date_label(decision.date))
        details = []
        if decision.reason:
            details.append(t("adjust.why").format(reason=decision.reason))
        if decision.approved_by:
            details.append(t("adjust.basis").format(basis=decision.approved_by))
        if details:
            text += t("print.open") + t("print.semicolon").join(details) + t("print.close")
        return text
