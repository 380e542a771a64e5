"""Stage 4, compute: plan against actual for a month, the status of each project, the ranking.

Everything here is a pure function of the register; every output renders from `BoardMonth`.
"""

from __future__ import annotations

import itertools
import weakref
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property
from types import MappingProxyType

from .audit import MonthAudit, audit_month
from .i18n import Msg
from .model import Change, Entry, Month, Project, Register, Value

STATUSES = ("completed", "completed_late", "overdue", "no_report", "behind", "on_track")
# completed on time, or after the deadline (逾期完成): both rank as completed
DONE = ("completed", "completed_late")


def planned_percent(project: Project, on: date) -> float:
    """Planned cumulative percent on a day, to one decimal.

    From `plan` (percent at the last day of each listed month) interpolated linearly by day,
    with 0 at start and 100 at the deadline outside the listed months; without a plan, linear
    from start to deadline.
    """
    points: list[tuple[date, float]] = [(project.start, 0.0)]
    for month, percent in project.plan:
        day = month.last_day
        if day > points[-1][0]:
            points.append((day, float(percent)))
        else:  # a plan month before start (or the start month itself): it sets the floor
            points[-1] = (points[-1][0], max(points[-1][1], float(percent)))
    if project.deadline > points[-1][0] or not project.plan:
        points.append((project.deadline, 100.0))
    if on <= points[0][0]:
        value = points[0][1]
    elif on >= points[-1][0]:
        value = points[-1][1]
    else:
        value = points[-1][1]
        for (d1, p1), (d2, p2) in itertools.pairwise(points):
            if d1 <= on <= d2:
                span = (d2 - d1).days
                value = p2 if span == 0 else p1 + (p2 - p1) * (on - d1).days / span
                break
    return round(min(100.0, max(0.0, value)), 1)


@dataclass(frozen=True)
class Promise:
    """A catch-up deadline (限期赶上) promised in a report, and whether it was kept."""

    by: date
    promised_in: Month
    state: str  # met | missed | pending
    checked_in: Month | None  # the report that decided it


@dataclass(frozen=True)
class OverdueMove:
    """A deadline moved when the old one had already passed, the project unfinished: the board
    says it was overdue when it was moved (the month and the old date), not a clean status."""

    change: Change
    month: Month  # the month of the decision

    @property
    def old(self) -> Value:
        return self.change.before


@dataclass(frozen=True)
class Row:
    """One project on the board for one month."""

    project: Project
    entry: Entry | None  # this month's entry, or the last known one when not reported
    entry_month: Month | None
    reported: bool
    actual: int  # 0 when never reported
    planned: float
    variance: float
    gain: int
    status: str
    rank: int
    previous_rank: int | None
    promises: tuple[Promise, ...]
    # places moved up among the unfinished projects since the month before (negative: down);
    # None for a completed project (never shown as falling) and for one new to the ranking
    movement: int | None = None
    annual_investment: float | None = None  # 年度计划投资 of the board month's year, 万元
    invested_year: float | None = None  # 本年完成投资 (1-N月), 万元: reported or derived
    invested_year_derived: bool = False  # True when derived from `invested` (docs say how)
    # issue 22: the changes of the project's commitments in force on this board (decided on or
    # before the day it is published), oldest first; 新增 in its first month; overdue when moved
    changes: tuple[Change, ...] = ()
    new: bool = False
    overdue_moves: tuple[OverdueMove, ...] = ()

    def key_changes(self, key: str) -> tuple[Change, ...]:
        """The changes of the commitment `key` in force on this board, oldest first."""
        return tuple(c for c in self.changes if c.key == key)

    def baseline(self, key: str) -> Value:
        """The commitment as first promised (原定): the `from` of its first change."""
        found = self.key_changes(key)
        return found[0].before if found else self.project.value(key)

    def adjusted(self, key: str) -> bool:
        """Whether the commitment `key` has been changed (调整) by this board."""
        return any(c.key == key for c in self.changes)

    @property
    def adjusted_keys(self) -> tuple[str, ...]:
        """The commitments changed by this board, in the order of their first change."""
        return tuple(dict.fromkeys(c.key for c in self.changes))

    @property
    def delays(self) -> int:
        """How many times the deadline has been moved later (延期) by this board."""
        return sum(1 for c in self.changes if c.is_delay)

    @property
    def investment_rate(self) -> float | None:
        """本年完成投资 / 年度计划投资 in percent, one decimal (完成率, 占年度计划%)."""
        return rate(self.invested_year, self.annual_investment)

    @property
    def invested(self) -> float | None:
        """累计完成投资 of the figures shown (the month's, or the last known)."""
        return self.entry.invested if self.entry else None

    @property
    def movement_kind(self) -> str:
        """How the ranking shows the movement: completed, new, up, down or same."""
        if self.status in DONE:
            return "completed"
        if self.movement is None:
            return "new"
        return "up" if self.movement > 0 else "down" if self.movement < 0 else "same"

    @property
    def places_moved(self) -> int:
        """How many places it moved, up or down (0 when it did not move or has no movement)."""
        return abs(self.movement or 0)

    @property
    def behind_by(self) -> float:
        """Percentage points behind plan (0 when on or ahead of plan), as the bulletin says it."""
        return round(-self.variance, 1) if self.variance < 0 else 0.0

    @property
    def catch_up_by(self) -> date | None:
        return self.entry.catch_up_by if self.entry and self.reported else None

    @property
    def reason(self) -> str:
        return self.entry.reason if self.entry and self.reported else ""

    @property
    def missed_promises(self) -> tuple[Promise, ...]:
        return tuple(p for p in self.promises if p.state == "missed")

    @property
    def promise(self) -> Promise | None:
        """The catch-up promise the outputs show for the month: the latest one promised."""
        return max(self.promises, key=lambda p: (p.by, p.promised_in)) if self.promises else None

    @property
    def promise_state(self) -> str | None:
        """met, missed or pending: the state of `promise`; None when nothing was promised."""
        promise = self.promise
        return promise.state if promise else None

    @property
    def photos(self) -> tuple:
        """The site photos sent with this month's report (none when not reported)."""
        return self.entry.photos if self.entry and self.reported else ()


def rate(part: float | None, whole: float | None) -> float | None:
    """`part` as a percent of `whole`, one decimal; None without both or with a zero whole."""
    if part is None or not whole:
        return None
    return round(part / whole * 100, 1)


@dataclass(frozen=True)
class Coverage:
    """What a county total (全县合计) covers: how many projects' figures it sums, how many have
    none, and how many of those summed are the last report's of a project that did not report
    this month (shown as 未报送 with its last figures). Every output says it the same way
    (render.totals_note): "14个项目合计，2个项目未报"."""

    counted: int  # projects whose figure is in the sum
    missing: int = 0  # projects on the board without the figure
    carried: int = 0  # among `counted`: figures of a project's last report, not this month's
    reported: bool = True  # a figure of the monthly reports (未报), or of the register (未填)

    @property
    def complete(self) -> bool:
        """Every project's figure, each of this month: the total needs no words."""
        return not self.missing and not self.carried

    def words(self) -> Msg | None:
        """What the total covers, as every output says it; None when it is complete."""
        if self.complete:
            return None
        if not self.counted:  # a register that does not keep the figure at all
            if self.reported:
                return Msg("totals.covers_none")
            return Msg("totals.covers_none_unfilled")
        if not self.reported:
            return Msg("totals.covers_unfilled", n=self.counted, missing=self.missing)
        if not self.carried:
            return Msg("totals.covers_missing", n=self.counted, missing=self.missing)
        key = "totals.covers_missing_carried" if self.missing else "totals.covers_carried"
        return Msg(key, n=self.counted, missing=self.missing, carried=self.carried)


@dataclass(frozen=True)
class Listed:
    """Messages said one after the other, with the language's separator between them."""

    items: tuple[Msg, ...]
    separator: str  # the catalog key of the separator

    def text(self, language: str | None = None) -> str:
        return Msg(self.separator).text(language).join(i.text(language) for i in self.items)


# the label each total has where the outputs name it
FIGURE_LABELS = {
    "investment": "totals.investment",
    "annual_investment": "totals.annual",
    "invested_year": "totals.year",
    "invested": "totals.invested",
}


# the county totals, in the order the outputs name them
TOTAL_FIGURES = ("investment", "annual_investment", "invested_year", "invested")


@dataclass(frozen=True)
class Totals:
    """The county's investment figures for a month (全县合计): sums over the projects that have
    each figure, and what each sum covers (`coverage`, which every output shows beside it)."""

    projects: int
    investment: float  # 总投资
    annual_investment: float  # 年度计划投资 of the month's year
    invested_year: float  # 本年完成投资 (1-N月)
    invested: float  # 累计完成投资
    # 本年完成投资 / 年度计划投资 of the projects that have both, percent, one decimal
    investment_rate: float | None = None
    coverage: Mapping[str, Coverage] = field(default_factory=dict)

    @property
    def complete(self) -> bool:
        return all(c.complete for c in self.coverage.values())

    def note(self, figures: tuple[str, ...] = ()) -> Msg | None:
        """What the totals named (default: all) cover, as one parenthesis every output shows
        after them: （本年完成投资为14个项目合计，2个项目未报）, totals that cover the same said
        together (本年完成投资、累计完成投资为…). None when each is complete."""
        said: dict[Coverage, list[Msg]] = {}  # figures that cover the same: said once
        for name in figures or TOTAL_FIGURES:
            coverage = self.coverage.get(name)
            if coverage is not None and not coverage.complete:
                said.setdefault(coverage, []).append(Msg(FIGURE_LABELS[name]))
        if not said:
            return None
        items = tuple(
            Msg(
                "totals.note_item" if coverage.counted else "totals.note_item_none",
                figure=Listed(tuple(labels), "totals.figure_sep"),
                covers=coverage.words(),
            )
            for coverage, labels in said.items()
        )
        return Msg("totals.note", items=Listed(items, "totals.note_sep"))

    @property
    def year_note(self) -> Msg | None:
        """The note of the sentence of the year's figures (bulletin, panel, export): 总投资,
        年度计划投资, 本年完成投资 and the rate of the projects that have both."""
        return self.note(("investment", "annual_investment", "invested_year"))


@dataclass(frozen=True)
class BoardMonth:
    """The computed board for a month: rows in board order, the ranking, the summary."""

    register: Register
    month: Month
    rows: tuple[Row, ...]

    @property
    def ranking(self) -> tuple[Row, ...]:
        return tuple(sorted(self.rows, key=lambda r: r.rank))

    @property
    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(STATUSES, 0)
        for row in self.rows:
            counts[row.status] += 1
        return counts

    @property
    def behind(self) -> tuple[Row, ...]:
        """Projects behind schedule or overdue, for the bulletin, in ranking order."""
        return tuple(r for r in self.ranking if r.status in ("behind", "overdue"))

    @property
    def missed_promises(self) -> tuple[tuple[Row, Promise], ...]:
        return tuple((r, p) for r in self.ranking for p in r.missed_promises)

    @property
    def as_of(self) -> date:
        return self.month.last_day

    @cached_property
    def totals(self) -> Totals:
        """The county totals and what each covers (see `Coverage`), computed once."""
        rows = self.rows
        year = self.month.year

        def total(values: list[float | None]) -> float:
            return round(float(sum(v for v in values if v is not None)), 4)

        def covers(values: list[float | None], reported: bool, applies: list[bool]) -> Coverage:
            counted = sum(v is not None for v in values)
            missing = sum(v is None and a for v, a in zip(values, applies, strict=True))
            carried = 0
            if reported:  # a figure of a project not reporting this month is its last report's
                carried = sum(
                    v is not None and not r.reported for v, r in zip(values, rows, strict=True)
                )
            return Coverage(counted, missing, carried, reported)

        every = [True] * len(rows)
        # a year's plan is missing only for a project under construction in that year
        building = [r.project.start.year <= year <= r.project.deadline.year for r in rows]
        figures: dict[str, tuple[list[float | None], bool, list[bool]]] = {
            "investment": ([r.project.investment for r in rows], False, every),
            "annual_investment": ([r.annual_investment for r in rows], False, building),
            "invested_year": ([r.invested_year for r in rows], True, every),
            "invested": ([r.invested for r in rows], True, every),
        }
        both = [r for r in rows if r.annual_investment is not None and r.invested_year is not None]
        return Totals(
            projects=len(rows),
            investment=total(figures["investment"][0]),
            annual_investment=total(figures["annual_investment"][0]),
            invested_year=total(figures["invested_year"][0]),
            invested=total(figures["invested"][0]),
            investment_rate=rate(
                total([r.invested_year for r in both]), total([r.annual_investment for r in both])
            ),
            coverage=MappingProxyType({name: covers(*figures[name]) for name in TOTAL_FIGURES}),
        )

    @cached_property
    def disclosure(self) -> MonthAudit:
        """The month's disclosure audit (issue 24, board/audit.py): due dates, late and
        overdue items, coverage, judged on the month's audit date."""
        return audit_month(self.register, self.month)

    @property
    def photos(self) -> tuple[Row, ...]:
        """The rows with photos sent with this month's report, in board order."""
        return tuple(r for r in self.rows if r.photos)

    @property
    def previous_month(self) -> Month | None:
        earlier = [m for m in self.register.months if m < self.month]
        return earlier[-1] if earlier else None

    # -- issue 22: what moved on this board --------------------------------------------------

    @property
    def published_on(self) -> date:
        """The day this board is published (the report's `published`, else the month's end):
        changes decided on or before it are on it."""
        return self.register.cutoff(self.month)

    def _decided_here(self, day: date) -> bool:
        return self.register.cutoff_before(self.month) < day <= self.published_on

    @cached_property
    def decided(self) -> tuple[tuple[Project, Change], ...]:
        """The changes decided for this board (after the board before it was published, on or
        before this one is): each with its project as it stands on this board, in board order
        and then by date (本月调整事项)."""
        found = []
        for project in self.register.projects:
            changes = [c for c in project.changes if self._decided_here(c.date)]
            if changes:
                shown = project.as_of(self.published_on)
                found += [(shown, change) for change in changes]
        return tuple(found)

    @cached_property
    def withdrawn(self) -> tuple[Project, ...]:
        """The projects that leave the board with this month (调出), as they last stood."""
        return tuple(
            p.as_of(p.withdrawn.date)
            for p in self.register.projects
            if p.withdrawn is not None and self._decided_here(p.withdrawn.date)
        )

    @cached_property
    def withdrawn_all(self) -> tuple[Project, ...]:
        """Every project taken off the board up to this month, as it last stood."""
        return tuple(
            p.as_of(p.withdrawn.date)
            for p in self.register.projects
            if p.withdrawn is not None and p.withdrawn.date <= self.published_on
        )

    @property
    def added(self) -> tuple[Row, ...]:
        """The projects on the board for the first time this month (新增)."""
        return tuple(r for r in self.rows if r.new)

    @property
    def delayed(self) -> tuple[Project, ...]:
        """The projects whose deadline was moved later (延期) this month, in board order."""
        return tuple(dict.fromkeys(p for p, c in self.decided if c.is_delay))

    @property
    def delayed_often(self) -> tuple[Row, ...]:
        """The projects on this board whose deadline has been moved later twice or more."""
        return tuple(r for r in self.rows if r.delays >= 2)

    @property
    def decided_projects(self) -> tuple[Project, ...]:
        """The projects with changes decided this month, in board order."""
        return tuple(dict.fromkeys(p for p, _ in self.decided))

    @property
    def decided_by_project(self) -> tuple[tuple[Project, tuple[Change, ...]], ...]:
        """The changes decided this month, gathered by project (board order, then by date)."""
        found: dict[str, tuple[Project, list[Change]]] = {}
        for project, change in self.decided:
            found.setdefault(project.id, (project, []))[1].append(change)
        return tuple((project, tuple(changes)) for project, changes in found.values())

    @cached_property
    def overdue_moved(self) -> frozenset[Change]:
        """The deadline changes on this board decided when the project was already overdue."""
        return frozenset(move.change for r in self.rows for move in r.overdue_moves)

    @property
    def adjusted_rows(self) -> tuple[Row, ...]:
        """The rows with a commitment changed by this board (the 调整 mark), in board order."""
        return tuple(r for r in self.rows if r.changes)


def _known(
    history: tuple[tuple[Month, Entry], ...], month: Month
) -> tuple[Entry | None, Month | None]:
    """The latest entry up to and including `month` in a project's history."""
    for entry_month, entry in reversed(history):
        if entry_month <= month:
            return entry, entry_month
    return None, None


KEPT = ("on_track", *DONE)  # the statuses in which a catch-up promise counts as kept


def year_opening(
    project: Project, history: tuple[tuple[Month, Entry], ...], month: Month
) -> float | None:
    """累计完成投资 at the end of the year before `month` (the base of 本年完成投资), or None.

    Known from the project's last report of an earlier year (December's, as a rule) when it
    gives `invested`; else from an earlier report of this year that gives both figures (累计 minus
    本年 is the same all year); else 0 when the project started this year. Unknown otherwise:
    the clerk states 本年完成投资 (`invested_year`) once, and the months after derive it.
    """
    before = [e for m, e in history if m.year < month.year]
    if before and before[-1].invested is not None:
        return before[-1].invested
    for m, e in reversed(history):
        same_year = m.year == month.year and m < month
        if same_year and e.invested is not None and e.invested_year is not None:
            return round(max(0.0, e.invested - e.invested_year), 4)
    if project.start.year >= month.year:
        return 0.0
    return None


def invested_this_year(
    project: Project, history: tuple[tuple[Month, Entry], ...], entry: Entry, month: Month
) -> tuple[float | None, bool]:
    """本年完成投资 of `entry` (reported in `month`), and whether it was derived.

    As reported (`invested_year`) when given. Otherwise derived from `invested` (累计完成投资)
    minus the year's opening figure (`year_opening`). Unknown (None) when that is unknown.
    """
    if entry.invested_year is not None:
        return entry.invested_year, False
    if entry.invested is None:
        return None, False
    opening = year_opening(project, history, month)
    if opening is None:
        return None, False
    return round(max(0.0, entry.invested - opening), 4), True


def _promises(
    history: tuple[tuple[Month, Entry], ...],
    month: Month,
    statuses: dict[Month, str],
) -> tuple[Promise, ...]:
    """Each catch-up date promised up to `month`, and whether it was kept.

    A promise to catch up by a date is decided by the first report of the month of that date
    (or the first one after it) made after the promise: kept only if the project is then on
    track or completed; missed otherwise, whatever its variance, so an overdue project has
    never kept a promise. `statuses` is the project's status in each month computed so far.
    """
    promised: dict[date, Month] = {}
    for entry_month, entry in history:
        if entry_month > month:
            break
        if entry.catch_up_by and entry.catch_up_by not in promised:
            promised[entry.catch_up_by] = entry_month
    result = []
    for by, promised_in in sorted(promised.items()):
        state, checked = "pending", None
        due = Month.of(by)
        if due <= month:
            decided = [m for m in statuses if m >= due and m > promised_in and m <= month]
            if decided:
                checked = min(decided)
                state = "met" if statuses[checked] in KEPT else "missed"
        result.append(Promise(by, promised_in, state, checked))
    return tuple(result)


def completed_in(history: tuple[tuple[Month, Entry], ...], month: Month) -> Month | None:
    """The month of the first report of 100% up to `month`, or None (not completed)."""
    for entry_month, entry in history:
        if entry_month > month:
            break
        if entry.percent >= 100:
            return entry_month
    return None


def _status(
    actual: int,
    variance: float,
    reported: bool,
    project: Project,
    month: Month,
    threshold: int,
    completed: Month | None = None,
) -> str:
    """The month's status of a project (one word of the legend, board/i18n.py).

    Completed after its deadline (逾期完成) when the first report of 100% is of a month after
    the deadline's month: the reports are monthly, so a project completed in its deadline's own
    month counts as on time. It ranks as completed (DONE)."""
    if actual >= 100:
        if completed is not None and completed > Month.of(project.deadline):
            return "completed_late"
        return "completed"
    if month.last_day > project.deadline:
        return "overdue"
    if not reported:
        return "no_report"
    if variance <= -threshold:  # behind by the threshold or more (低N个百分点及以上)
        return "behind"
    return "on_track"


def _overdue_moves(
    project: Project, changes: tuple[Change, ...], history: tuple[tuple[Month, Entry], ...]
) -> tuple[OverdueMove, ...]:
    """The deadline changes decided after the deadline they moved had passed, while the
    project was unfinished (its last report by then below 100%)."""
    found = []
    for change in changes:
        old = change.before
        if change.key != "deadline" or not isinstance(old, date) or old >= change.date:
            continue
        month = Month.of(change.date)
        entry, _ = _known(history, month)
        if entry is None or entry.percent < 100:
            found.append(OverdueMove(change, month))
    return tuple(found)


def _rows(
    register: Register,
    month: Month,
    previous: dict[str, int] | None,
    statuses: dict[str, dict[Month, str]],
) -> tuple[Row, ...]:
    """The month's rows: statuses first, then the ranking, then the promises.

    Completed projects lead the ranking, in board order; the unfinished follow by variance, then
    gain, then board order. A completed project has no movement; an unfinished one moves by its
    place among the unfinished against its place last month among those same projects, so a
    project completing ahead of it does not count as a rise.
    """
    threshold = register.config.thresholds.behind
    report = register.report(month)
    day = register.cutoff(month)
    projects = register.board_projects(month)  # as each stood on this board (issue 22)
    unranked: list[
        tuple[int, Project, Entry | None, Month | None, bool, int, float, float, int, str]
    ]
    unranked = []
    for index, project in enumerate(projects):
        history = register.history.get(project.id, ())
        entry, entry_month = _known(history, month)
        reported = report is not None and project.id in report.entries
        actual = entry.percent if entry else 0
        before, _ = _known(history, month.prev())
        gain = actual - before.percent if reported and before else (actual if reported else 0)
        planned = planned_percent(project, month.last_day)
        variance = round(actual - planned, 1)
        done = completed_in(history, month) if actual >= 100 else None
        status = _status(actual, variance, reported, project, month, threshold, done)
        statuses.setdefault(project.id, {})[month] = status
        unranked.append(
            (index, project, entry, entry_month, reported, actual, planned, variance, gain, status)
        )
    annual = {p.id: dict(p.annual_investment).get(month.year) for p in projects}
    this_year: dict[str, tuple[float | None, bool]] = {}
    for u in unranked:
        project, entry, entry_month = u[1], u[2], u[3]
        if entry is not None and entry_month is not None and entry_month.year == month.year:
            history = register.history.get(project.id, ())
            this_year[project.id] = invested_this_year(project, history, entry, entry_month)
    earlier = [m for m in register.months if m < month]
    on_before = (
        {p.id for p in register.projects if p.on_board(register.cutoff(earlier[-1]))}
        if earlier
        else None
    )
    finished = [u for u in unranked if u[9] in DONE]
    open_ = sorted((u for u in unranked if u[9] not in DONE), key=lambda u: (-u[7], -u[8], u[0]))
    ranks = {u[1].id: place for place, u in enumerate([*finished, *open_], 1)}
    movement: dict[str, int | None] = {}
    if previous is not None:
        # last month's order of the projects unfinished now
        last_order = sorted(
            (u for u in open_ if u[1].id in previous), key=lambda u: previous[u[1].id]
        )
        places_before = {u[1].id: place for place, u in enumerate(last_order, 1)}
        places_now = {u[1].id: place for place, u in enumerate(open_, 1)}
        for pid, place in places_before.items():
            movement[pid] = place - places_now[pid]
    return tuple(
        Row(
            project=project,
            entry=entry,
            entry_month=entry_month,
            reported=reported,
            actual=actual,
            planned=planned,
            variance=variance,
            gain=gain,
            status=status,
            rank=ranks[project.id],
            previous_rank=previous.get(project.id) if previous is not None else None,
            promises=_promises(register.history.get(project.id, ()), month, statuses[project.id]),
            movement=movement.get(project.id),
            annual_investment=annual[project.id],
            invested_year=this_year.get(project.id, (None, False))[0],
            invested_year_derived=this_year.get(project.id, (None, False))[1],
            changes=(changes := tuple(c for c in project.changes if c.date <= day)),
            new=on_before is not None and project.id not in on_before,
            overdue_moves=_overdue_moves(project, changes, register.history.get(project.id, ())),
        )
        for _, project, entry, entry_month, reported, actual, planned, variance, gain, status in unranked
    )


_COMPUTED: dict[int, tuple[BoardMonth, ...]] = {}


def compute_all(register: Register, until: Month | None = None) -> tuple[BoardMonth, ...]:
    """The board of every reported month up to `until` (default: all), oldest first.

    Each month's ranking is computed once and gives the next month its movement. The result is
    kept for as long as the register object lives, so validation and rendering share it.
    """
    computed = _COMPUTED.get(id(register))
    if computed is None:
        computed = _compute(register)
        _COMPUTED[id(register)] = computed
        weakref.finalize(register, _COMPUTED.pop, id(register), None)
    if until is None:
        return computed
    return tuple(b for b in computed if b.month <= until)


def _compute(register: Register) -> tuple[BoardMonth, ...]:
    boards: list[BoardMonth] = []
    previous: dict[str, int] | None = None
    statuses: dict[str, dict[Month, str]] = {}
    for month in register.months:
        board = BoardMonth(register, month, _rows(register, month, previous, statuses))
        previous = {r.project.id: r.rank for r in board.rows}
        boards.append(board)
    return tuple(boards)


def compute_month(register: Register, month: Month | None = None) -> BoardMonth:
    """The board for `month` (default: the latest report)."""
    if month is None:
        month = register.latest
    if month is None:
        raise ValueError("the register has no reports yet")
    boards = compute_all(register, month)
    if not boards or boards[-1].month != month:
        raise ValueError(f"there is no report for {month}")
    return boards[-1]
