"""Stage 4, compute: plan against actual for a month, the status of each project, the ranking.

Everything here is a pure function of the register; every output renders from `BoardMonth`.
"""

from __future__ import annotations

import itertools
import weakref
from dataclasses import dataclass
from datetime import date
from functools import cached_property

from .audit import MonthAudit, audit_month
from .model import Entry, Month, Project, Register

STATUSES = ("completed", "overdue", "no_report", "behind", "on_track")


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
        if self.status == "completed":
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
class Totals:
    """The county's investment figures for a month (全县合计), sums over the projects that have
    each figure; a project without a figure adds nothing to that sum."""

    projects: int
    investment: float  # 总投资
    annual_investment: float  # 年度计划投资 of the month's year
    invested_year: float  # 本年完成投资 (1-N月)
    invested: float  # 累计完成投资

    @property
    def investment_rate(self) -> float | None:
        """本年完成投资 / 年度计划投资 of the county, percent, one decimal."""
        return rate(self.invested_year, self.annual_investment)


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
        def total(values: list[float | None]) -> float:
            return round(float(sum(v for v in values if v is not None)), 4)

        return Totals(
            projects=len(self.rows),
            investment=total([r.project.investment for r in self.rows]),
            annual_investment=total([r.annual_investment for r in self.rows]),
            invested_year=total([r.invested_year for r in self.rows]),
            invested=total([r.invested for r in self.rows]),
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


def _known(
    history: tuple[tuple[Month, Entry], ...], month: Month
) -> tuple[Entry | None, Month | None]:
    """The latest entry up to and including `month` in a project's history."""
    for entry_month, entry in reversed(history):
        if entry_month <= month:
            return entry, entry_month
    return None, None


KEPT = ("on_track", "completed")  # the statuses in which a catch-up promise counts as kept


def invested_this_year(
    project: Project, history: tuple[tuple[Month, Entry], ...], entry: Entry, month: Month
) -> tuple[float | None, bool]:
    """本年完成投资 of `entry` (reported in `month`), and whether it was derived.

    As reported (`invested_year`) when given. Otherwise derived from `invested` (累计完成投资):
    minus `invested` of the project's last report of an earlier year; or all of it when the
    project started in this year and has no earlier report. Unknown (None) otherwise.
    """
    if entry.invested_year is not None:
        return entry.invested_year, False
    if entry.invested is None:
        return None, False
    before = [e for m, e in history if m.year < month.year]
    if before:
        last = before[-1].invested
        if last is None:
            return None, False
        return round(max(0.0, entry.invested - last), 4), True
    if project.start.year >= month.year:
        return entry.invested, True
    return None, False


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


def _status(
    actual: int, variance: float, reported: bool, project: Project, month: Month, threshold: int
) -> str:
    if actual >= 100:
        return "completed"
    if month.last_day > project.deadline:
        return "overdue"
    if not reported:
        return "no_report"
    if variance < -threshold:
        return "behind"
    return "on_track"


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
    unranked = []
    for index, project in enumerate(register.projects):
        history = register.history.get(project.id, ())
        entry, entry_month = _known(history, month)
        reported = report is not None and project.id in report.entries
        actual = entry.percent if entry else 0
        before, _ = _known(history, month.prev())
        gain = actual - before.percent if reported and before else (actual if reported else 0)
        planned = planned_percent(project, month.last_day)
        variance = round(actual - planned, 1)
        status = _status(actual, variance, reported, project, month, threshold)
        statuses.setdefault(project.id, {})[month] = status
        unranked.append(
            (index, project, entry, entry_month, reported, actual, planned, variance, gain, status)
        )
    annual = {p.id: dict(p.annual_investment).get(month.year) for p in register.projects}
    this_year: dict[str, tuple[float | None, bool]] = {}
    for u in unranked:
        project, entry, entry_month = u[1], u[2], u[3]
        if entry is not None and entry_month is not None and entry_month.year == month.year:
            history = register.history.get(project.id, ())
            this_year[project.id] = invested_this_year(project, history, entry, entry_month)
    done = [u for u in unranked if u[9] == "completed"]
    open_ = sorted((u for u in unranked if u[9] != "completed"), key=lambda u: (-u[7], -u[8], u[0]))
    ranks = {u[1].id: place for place, u in enumerate([*done, *open_], 1)}
    movement: dict[str, int | None] = {}
    if previous is not None:
        # last month's order of the projects unfinished now
        before = sorted((u for u in open_ if u[1].id in previous), key=lambda u: previous[u[1].id])
        places_before = {u[1].id: place for place, u in enumerate(before, 1)}
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
