"""Plan against actual, statuses at their boundaries, the ranking and its movement, catch-up."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from types import MappingProxyType

import pytest

from board.compute import compute_all, compute_month, planned_percent
from board.model import BoardConfig, Entry, Month, Project, Register, Report, Thresholds

M = Month.parse


def project(
    pid: str, start: str = "2020-01-01", deadline: str = "2020-12-31", plan=(), order=None
) -> Project:
    return Project(
        id=pid,
        name=f"项目{pid}",
        leader="王",
        unit="住建局",
        start=date.fromisoformat(start),
        deadline=date.fromisoformat(deadline),
        plan=tuple((M(m), p) for m, p in plan),
        order=order,
    )


def report(month: str, **entries: int | tuple[int, dict]) -> Report:
    built = {}
    for pid, value in entries.items():
        percent, extra = (value, {}) if isinstance(value, int) else value
        built[pid] = Entry(project_id=pid, percent=percent, progress="进展", **extra)
    return Report(M(month), MappingProxyType(built))


def register(projects: list[Project], reports: list[Report], behind: int = 10) -> Register:
    config = BoardConfig(title="t", issuer="i", hotline="h", thresholds=Thresholds(behind))
    return Register(Path("."), config, tuple(projects), tuple(reports))


# -- planned percent ----------------------------------------------------------------------------


def test_linear_plan_from_start_to_deadline() -> None:
    p = project("a", "2020-01-01", "2020-12-31")  # 365 days
    assert planned_percent(p, date(2020, 1, 1)) == 0
    assert planned_percent(p, date(2020, 7, 1)) == pytest.approx(round(182 / 365 * 100, 1))
    assert planned_percent(p, date(2020, 12, 31)) == 100
    assert planned_percent(p, date(2019, 6, 1)) == 0
    assert planned_percent(p, date(2021, 6, 1)) == 100


def test_plan_months_are_interpolated_by_day() -> None:
    p = project("a", "2020-01-01", "2020-12-31", plan=[("2020-06", 40), ("2020-08", 60)])
    assert planned_percent(p, date(2020, 6, 30)) == 40
    assert planned_percent(p, date(2020, 8, 31)) == 60
    # 2020-07-31 is 31 of the 62 days between the two plan points: halfway
    assert planned_percent(p, date(2020, 7, 31)) == 50
    # before the first plan point: from 0 at start; after the last: towards 100 at the deadline
    assert planned_percent(p, date(2020, 3, 31)) == round(40 * 90 / 181, 1)
    assert planned_percent(p, date(2020, 12, 31)) == 100


def test_plan_reaching_100_before_the_deadline_stays_100() -> None:
    p = project("a", "2020-01-01", "2020-12-31", plan=[("2020-10", 100)])
    assert planned_percent(p, date(2020, 11, 30)) == 100


# -- statuses -------------------------------------------------------------------------------------


def test_status_boundaries() -> None:
    # planned on 2020-09-30 with a 365-day linear plan: 273/365 = 74.8%
    projects = [project(x) for x in "abcd"] + [project("e", deadline="2020-09-29"), project("f")]
    reg = register(projects, [report("2020-09", a=100, b=65, c=64, d=90, e=99)], behind=10)
    status = {r.project.id: r.status for r in compute_month(reg).rows}
    assert status == {
        "a": "completed",
        "b": "on_track",  # 65 - 74.8 = -9.8: within the threshold
        "c": "behind",  # 64 - 74.8 = -10.8
        "d": "on_track",
        "e": "overdue",  # deadline the day before the month's last day
        "f": "no_report",
    }


def test_deadline_on_the_last_day_of_the_month_is_not_yet_overdue() -> None:
    reg = register([project("a", deadline="2020-09-30")], [report("2020-09", a=95)])
    assert compute_month(reg).rows[0].status == "on_track"


def test_completed_beats_overdue() -> None:
    reg = register([project("a", deadline="2020-09-15")], [report("2020-09", a=100)])
    assert compute_month(reg).rows[0].status == "completed"  # 100% in the deadline's month


def test_completed_after_the_deadline_is_completed_late_and_ranks_as_completed() -> None:
    projects = [project("a", deadline="2020-06-30"), project("b"), project("c")]
    reports = [report("2020-08", a=80, b=60, c=50), report("2020-09", a=100, b=70, c=60)]
    board = compute_month(register(projects, reports))
    late = board.rows[0]
    assert late.status == "completed_late"  # first 100% in 2020-09, after June
    assert late.rank == 1 and late.movement_kind == "completed" and late.movement is None
    assert board.counts["completed_late"] == 1 and board.counts["completed"] == 0
    assert late not in board.behind
    # completed late stays so in the months after (its first 100% does not move)
    reports.append(report("2020-10", a=100, b=80, c=70))
    assert compute_month(register(projects, reports)).rows[0].status == "completed_late"


def test_no_report_shows_the_last_known_figures() -> None:
    reg = register(
        [project("a"), project("b")], [report("2020-08", a=50, b=60), report("2020-09", a=60)]
    )
    row = compute_month(reg).rows[1]
    assert (row.status, row.reported, row.actual, str(row.entry_month), row.gain) == (
        "no_report",
        False,
        60,
        "2020-08",
        0,
    )


# -- ranking ------------------------------------------------------------------------------------


def test_ranking_by_variance_then_gain_then_board_order() -> None:
    projects = [project(x, order=i) for i, x in enumerate("abcd")]
    reports = [
        report("2020-08", a=60, b=70, c=60, d=70),
        # a and c: same variance, c gained more; b and d: same variance and gain: board order
        report("2020-09", a=70, b=80, c=70, d=80),
    ]
    reg = register(projects, reports)
    assert [r.project.id for r in compute_month(reg).ranking] == ["b", "d", "a", "c"]
    reg = register(projects, [report("2020-08", a=60, b=70, c=55, d=70), reports[1]])
    assert [r.project.id for r in compute_month(reg).ranking] == ["b", "d", "c", "a"]


def test_movement_since_the_month_before() -> None:
    projects = [project(x) for x in "abc"]
    reg = register(
        projects, [report("2020-08", a=80, b=70, c=60), report("2020-09", a=80, b=90, c=60)]
    )
    first, second = compute_all(reg)
    assert {r.project.id: r.movement for r in first.rows} == {"a": None, "b": None, "c": None}
    assert {r.project.id: (r.rank, r.movement) for r in second.rows} == {
        "a": (2, -1),
        "b": (1, 1),
        "c": (3, 0),
    }


def test_counts_and_behind_list() -> None:
    projects = [project("a"), project("b"), project("c", deadline="2020-08-31")]
    reg = register(projects, [report("2020-09", a=100, b=20, c=50)])
    board = compute_month(reg)
    assert board.counts == {
        "completed": 1,
        "completed_late": 0,
        "overdue": 1,
        "no_report": 0,
        "behind": 1,
        "on_track": 0,
    }
    # in ranking order: c (50 against 100, -50) before b (20 against 74.8, -54.8)
    assert [r.project.id for r in board.behind] == ["c", "b"]


# -- catch-up promises --------------------------------------------------------------------------


def _promise(entries: dict[str, int | tuple[int, dict]]) -> list[tuple[str, str, str | None]]:
    reg = register([project("a")], [report(m, a=v) for m, v in entries.items()])
    return [
        (str(p.by), p.state, str(p.checked_in) if p.checked_in else None)
        for p in compute_month(reg).rows[0].promises
    ]


def test_promise_met() -> None:
    # planned on 2020-08-31 is 66.3%; 60 is within 10 points
    promise = {"catch_up_by": date(2020, 8, 31), "reason": "雨季"}
    assert _promise({"2020-07": (40, promise), "2020-08": 60, "2020-09": 75}) == [
        ("2020-08-31", "met", "2020-08")
    ]


def test_promise_missed() -> None:
    promise = {"catch_up_by": date(2020, 8, 31), "reason": "雨季"}
    assert _promise({"2020-07": (40, promise), "2020-08": 45, "2020-09": 75}) == [
        ("2020-08-31", "missed", "2020-08")
    ]


def test_promise_pending_until_its_date() -> None:
    promise = {"catch_up_by": date(2020, 10, 31), "reason": "雨季"}
    assert _promise({"2020-08": (40, promise), "2020-09": 45}) == [("2020-10-31", "pending", None)]


def test_promise_repeated_in_later_months_counts_once() -> None:
    promise = {"catch_up_by": date(2020, 8, 31), "reason": "雨季"}
    assert _promise(
        {"2020-06": (20, promise), "2020-07": (30, promise), "2020-08": 30, "2020-09": 75}
    ) == [("2020-08-31", "missed", "2020-08")]


def test_month_without_report_is_an_error() -> None:
    reg = register([project("a")], [report("2020-09", a=10)])
    with pytest.raises(ValueError, match="there is no report for 2020-10"):
        compute_month(reg, M("2020-10"))


# -- issue 13: promises decided by the status, completed projects in the ranking ----------------


def test_promise_of_an_overdue_project_is_missed_whatever_its_variance() -> None:
    # the 第四疃镇冷链 case: deadline passed, 97% in the promised month, variance -3: missed
    p = project("a", "2020-01-01", "2020-08-31")
    promise = {"catch_up_by": date(2020, 9, 30), "reason": "设备到货晚"}
    reg = register([p], [report("2020-08", a=(80, promise)), report("2020-09", a=97)])
    row = compute_month(reg).rows[0]
    assert row.status == "overdue"
    assert [(p.state, str(p.checked_in)) for p in row.promises] == [("missed", "2020-09")]
    assert row.promise_state == "missed"


def test_promise_is_missed_when_the_promised_month_has_no_entry() -> None:
    promise = {"catch_up_by": date(2020, 8, 31), "reason": "雨季"}
    reg = register(
        [project("a"), project("b")],
        [report("2020-07", a=(40, promise), b=40), report("2020-08", b=60)],
    )
    row = compute_month(reg).rows[0]
    assert row.status == "no_report"
    assert row.promise_state == "missed"


def test_promise_kept_when_completed_in_the_promised_month() -> None:
    promise = {"catch_up_by": date(2020, 8, 31), "reason": "雨季"}
    assert _promise({"2020-07": (40, promise), "2020-08": 100}) == [
        ("2020-08-31", "met", "2020-08")
    ]


def test_promise_state_is_the_latest_promise() -> None:
    first = {"catch_up_by": date(2020, 8, 31), "reason": "雨季"}
    second = {"catch_up_by": date(2020, 10, 31), "reason": "雨季"}
    reg = register(
        [project("a")], [report("2020-07", a=(40, first)), report("2020-08", a=(45, second))]
    )
    row = compute_month(reg).rows[0]
    assert [p.state for p in row.promises] == ["missed", "pending"]
    assert row.promise_state == "pending"


def test_completed_projects_lead_the_ranking_and_never_fall() -> None:
    projects = [project(x) for x in "abc"]
    # September: a is 65 of about 74.8 planned, b completes, c is far behind
    reg = register(
        projects,
        [report("2020-08", a=60, b=95, c=30), report("2020-09", a=65, b=100, c=35)],
    )
    second = compute_all(reg)[1]
    assert [r.project.id for r in second.ranking] == ["b", "a", "c"]
    b = next(r for r in second.rows if r.project.id == "b")
    assert (b.rank, b.movement, b.movement_kind) == (1, None, "completed")
    # a was second in August behind b; among the unfinished it was first and still is
    a = next(r for r in second.rows if r.project.id == "a")
    assert (a.rank, a.movement, a.movement_kind) == (2, 0, "same")


def test_a_completed_project_ahead_of_others_is_not_counted_as_their_rise() -> None:
    projects = [project(x) for x in "abc"]
    reg = register(
        projects,
        [report("2020-08", a=80, b=70, c=60), report("2020-09", a=100, b=80, c=70)],
    )
    second = compute_all(reg)[1]
    moves = {r.project.id: (r.rank, r.movement_kind) for r in second.rows}
    assert moves == {"a": (1, "completed"), "b": (2, "same"), "c": (3, "same")}


def test_completed_projects_rank_in_board_order_ahead_of_a_project_on_plan() -> None:
    projects = [project("a", order=1), project("b", order=2), project("c", order=3)]
    # c is exactly on plan; a and b completed: both ahead of c, in board order
    reg = register(projects, [report("2020-09", a=100, b=100, c=75)])
    assert [r.project.id for r in compute_month(reg).ranking] == ["a", "b", "c"]
