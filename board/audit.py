"""Issue 24, stage 4: the disclosure audit of a month (信息公开时限核查).

国办发〔2017〕94号: information is made public within 20 working days of being formed or
changed; an administrative licensing decision within 7 (行政许可法). For a month M, every item
of every project's `disclosure:` is judged on M's audit date (`audit_date`): the date of M's
bulletin (its `published`, 成文日期), else M's last day. Never the wall clock: the same
register gives the same audit on any day it is built.

An item formed after the audit date is not yet part of M. Of the others:

- `on_time` (按时公开): published on or before its due date;
- `late` (逾期公开): published after it; reported in the month whose period holds its
  publication (after the month before's audit date, up to this one's), and marked for ever
  on the project's page;
- `overdue` (逾期未公开): not published by the audit date, and the due date has passed;
- `pending` (待公开): not published, and still within its time.

A category is `published` (已公开) when one of its items is published by the audit date,
`not_applicable` (不适用) when marked so, `unpublished` (未公开) when it has items none of
which is published yet, and `none` (暂无) when it has no item of the month at all. Coverage is
published categories over the applicable ones (已公开 6/8 类).

Every output reads these facts from `BoardMonth.disclosure` (compute.py); none computes its own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from .errors import Pos
from .i18n import Msg
from .model import (
    DISCLOSURE_CATEGORIES,
    DISCLOSURE_ROLES,
    DisclosureItem,
    Month,
    Project,
    Register,
)
from .workdays import Calendar

if TYPE_CHECKING:
    from .validate import Checker

LIMIT = 20  # working days (国办发〔2017〕94号)
LICENSING_LIMIT = 7  # working days for an administrative licensing decision (行政许可法 第四十条)
BASIS = "国办发〔2017〕94号"
ITEM_STATES = ("on_time", "late", "overdue", "pending")
CATEGORY_STATES = ("published", "not_applicable", "unpublished", "none")


def audit_date(register: Register, month: Month) -> date:
    """The day a month's disclosure is judged on: its bulletin's date, else its last day."""
    report = register.report(month)
    return (report.published if report and report.published else None) or month.last_day


@dataclass(frozen=True)
class ItemAudit:
    """One item as of an audit date."""

    item: DisclosureItem
    limit: int  # working days allowed (20, or 7 for a licensing decision)
    due: date  # the last day it may be published on
    state: str  # on_time | late | overdue | pending
    days_late: int  # working days past the due date (late: when published; overdue: so far)
    published: date | None  # the publication, when it is on or before the audit date

    @property
    def marked(self) -> bool:
        """Whether the outputs mark it (逾期公开 or 逾期未公开)."""
        return self.state in ("late", "overdue")


@dataclass(frozen=True)
class CategoryAudit:
    key: str
    state: str  # published | not_applicable | unpublished | none
    items: tuple[ItemAudit, ...] = ()
    reason: str = ""  # why it does not apply; empty when none was given


@dataclass(frozen=True)
class ProjectAudit:
    """A project's disclosure as of the audit date: all eight categories, in order."""

    project: Project
    categories: tuple[CategoryAudit, ...]

    @property
    def code(self) -> str:
        return self.project.code

    @property
    def published(self) -> int:
        return sum(1 for c in self.categories if c.state == "published")

    @property
    def not_applicable(self) -> int:
        return sum(1 for c in self.categories if c.state == "not_applicable")

    @property
    def applicable(self) -> int:
        return len(self.categories) - self.not_applicable

    @property
    def items(self) -> tuple[ItemAudit, ...]:
        return tuple(i for c in self.categories for i in c.items)

    @property
    def overdue(self) -> tuple[ItemAudit, ...]:
        return tuple(i for i in self.items if i.state == "overdue")

    @property
    def late(self) -> tuple[ItemAudit, ...]:
        return tuple(i for i in self.items if i.state == "late")

    def party(self, role: str) -> DisclosureItem | None:
        """The latest item of 施工有关信息 naming the party `role` (a change replaces it)."""
        found = [
            i.item
            for c in self.categories
            if c.key == "construction"
            for i in c.items
            if i.item.role == role
        ]
        return max(found, key=lambda item: item.formed) if found else None

    @property
    def parties(self) -> tuple[tuple[str, DisclosureItem | None], ...]:
        return tuple((role, self.party(role)) for role in DISCLOSURE_ROLES)

    @property
    def supervision(self) -> tuple[str, str]:
        """The quality and safety supervision agency and its telephone, each from the latest
        质量安全监督 item that gives it ("" when none does)."""
        items = sorted(
            (i.item for c in self.categories if c.key == "quality_safety" for i in c.items),
            key=lambda item: item.formed,
        )
        agency = next((i.agency for i in reversed(items) if i.agency), "")
        phone = next((i.phone for i in reversed(items) if i.phone), "")
        return agency, phone


@dataclass(frozen=True)
class MonthAudit:
    """The disclosure audit of one month: every project with a `disclosure:` section."""

    month: Month
    as_of: date  # the audit date
    since: date  # late publications after this day (up to as_of) are this month's
    projects: tuple[ProjectAudit, ...]  # board order
    missing_years: tuple[tuple[int, Pos], ...] = ()  # years counted on weekends alone

    @property
    def used(self) -> bool:
        """Whether any project of the register has a `disclosure:` section."""
        return bool(self.projects)

    def of(self, project_id: str) -> ProjectAudit | None:
        for found in self.projects:
            if found.project.id == project_id:
                return found
        return None

    @property
    def overdue(self) -> tuple[tuple[ProjectAudit, ItemAudit], ...]:
        return tuple((p, i) for p in self.projects for i in p.overdue)

    @property
    def late_this_month(self) -> tuple[tuple[ProjectAudit, ItemAudit], ...]:
        """Items published late within the month's period (reported once, in this month)."""
        return tuple(
            (p, i)
            for p in self.projects
            for i in p.late
            if i.published is not None and self.since < i.published <= self.as_of
        )

    @property
    def flagged(self) -> tuple[tuple[ProjectAudit, tuple[ItemAudit, ...]], ...]:
        """The month's 信息公开逾期事项 by project: overdue items, then those published late
        this month, in board order (what the bulletin and `board check` list)."""
        late = {id(i) for _, i in self.late_this_month}
        found = []
        for p in self.projects:
            items = tuple(i for i in p.items if i.state == "overdue" or id(i) in late)
            if items:
                found.append((p, items))
        return tuple(found)


def judge(item: DisclosureItem, as_of: date, calendar: Calendar) -> ItemAudit:
    """An item's due date and state on `as_of`."""
    limit = LICENSING_LIMIT if item.licensing else LIMIT
    due = calendar.add(item.formed, limit)
    published = item.published if item.published and item.published <= as_of else None
    if published is not None:
        late = calendar.between(due, published)
        return ItemAudit(item, limit, due, "late" if late else "on_time", late, published)
    overdue = calendar.between(due, as_of)
    return ItemAudit(item, limit, due, "overdue" if overdue else "pending", overdue, None)


def audit_month(register: Register, month: Month) -> MonthAudit:
    """The disclosure audit of `month` (see the module's documentation)."""
    as_of = audit_date(register, month)
    earlier = [m for m in register.months if m < month]
    since = audit_date(register, earlier[-1]) if earlier else month.first_day - timedelta(days=1)
    calendar = Calendar()
    missing: dict[int, Pos] = {}
    projects = []
    for project in register.projects:
        if project.disclosure is None:
            continue
        categories = []
        for key in DISCLOSURE_CATEGORIES:
            written = project.disclosure.category(key)
            if written is not None and written.not_applicable:
                categories.append(CategoryAudit(key, "not_applicable", (), written.reason))
                continue
            items = []
            for item in written.items if written else ():
                if item.formed > as_of:
                    continue
                items.append(judge(item, as_of, calendar))
                for year in sorted(calendar.missing - set(missing)):
                    missing[year] = item.pos
            if any(i.published for i in items):
                state = "published"
            else:
                state = "unpublished" if items else "none"
            categories.append(CategoryAudit(key, state, tuple(items)))
        projects.append(ProjectAudit(project, tuple(categories)))
    return MonthAudit(month, as_of, since, tuple(projects), tuple(sorted(missing.items())))


def audit_warnings(register: Register, c: Checker) -> None:
    """`board check`'s warnings of the latest month's audit: each overdue item, each item
    published late this month, each year the calendar has no data for; and a project with a
    `disclosure:` section but no 项目统一代码."""
    from .compute import compute_month  # compute imports this module

    for project in register.projects:
        if project.disclosure is not None and not project.code:
            c.warn(
                project.positions.get("disclosure:key", project.source),
                "code (项目统一代码)",
                Msg("msg.disclosure.no_code"),
                Msg("msg.disclosure.no_code_hint"),
            )
    if register.latest is None:
        return
    audit = compute_month(register).disclosure
    for year, pos in audit.missing_years:
        c.warn(
            pos,
            "disclosure (信息公开)",
            Msg("msg.disclosure.no_calendar", year=year),
            Msg("msg.disclosure.no_calendar_hint"),
        )
    for _, items in audit.flagged:
        for found in items:
            item = found.item
            field = f"disclosure.{item.category} (信息公开)"
            what = {
                "category": Msg(f"disclosure.category.{item.category}"),
                "item": item.item,
                "formed": item.formed.isoformat(),
                "limit": found.limit,
                "due": found.due.isoformat(),
                "days": found.days_late,
            }
            if found.state == "overdue":
                c.warn(
                    item.pos,
                    field,
                    Msg("msg.disclosure.overdue", as_of=audit.as_of.isoformat(), **what),
                    Msg("msg.disclosure.overdue_hint"),
                )
            else:
                assert found.published is not None
                c.warn(
                    item.pos,
                    field,
                    Msg("msg.disclosure.late", published=found.published.isoformat(), **what),
                    Msg("msg.disclosure.late_hint"),
                )
