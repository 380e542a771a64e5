"""Render units in forked processes: results in order, one fresh process per unit, errors kept."""

from __future__ import annotations

import os
import signal
import time

import pytest

from board.errors import RenderError
from board.parallel import map_parallel, run_parallel


@pytest.fixture(autouse=True)
def two_jobs(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("BOARD_JOBS", "2")


def test_each_unit_runs_in_a_fresh_process_and_results_come_back_in_order() -> None:
    def unit(i: int):
        def run() -> tuple[int, int]:
            time.sleep(0.05 * (3 - i % 3))  # finish out of order
            return i, os.getpid()

        return run

    results = run_parallel([unit(i) for i in range(6)])
    assert [i for i, _ in results] == list(range(6))
    pids = {pid for _, pid in results}
    assert len(pids) == 6 and os.getpid() not in pids


def test_the_first_failing_unit_is_reported_whichever_fails_first() -> None:
    def slow_failure() -> bytes:
        time.sleep(0.3)
        raise RenderError("print/sheets: the first unit's problem")

    def quick_failure() -> bytes:
        raise RenderError("print/bulletin: the second unit's problem")

    with pytest.raises(RenderError, match="the first unit's problem"):
        run_parallel([slow_failure, quick_failure])


def test_a_unit_whose_process_dies_fails_the_build() -> None:
    def killed() -> bytes:
        os.kill(os.getpid(), signal.SIGKILL)
        return b""

    with pytest.raises(RuntimeError, match="a render process was killed by signal 9"):
        run_parallel([lambda: b"fine", killed])


def test_many_items_are_spread_and_come_back_in_order() -> None:
    items = list(range(100))
    results = map_parallel(items, lambda i: (i * i, os.getpid()))
    assert [value for value, _ in results] == [i * i for i in items]
    # this process renders one share, a forked one the other
    pids = [pid for _, pid in results]
    assert set(pids[0::2]) == {os.getpid()}
    assert len(set(pids[1::2])) == 1 and os.getpid() not in pids[1::2]


def test_few_items_are_not_worth_a_process() -> None:
    results = map_parallel(list(range(10)), lambda i: os.getpid())
    assert set(results) == {os.getpid()}


@pytest.mark.parametrize("jobs", ["2", "1"])
def test_units_made_while_the_first_ones_run_come_back_after_them_in_order(
    tmp_path, monkeypatch: pytest.MonkeyPatch, jobs: str
) -> None:
    """`more`: a build makes each month's units while the units started before them run
    (board.render.pdf.prerender); one process makes them all first."""
    monkeypatch.setenv("BOARD_JOBS", jobs)
    made = tmp_path / "made"

    def first() -> str:
        for _ in range(6000):  # waits (up to a minute) for this process to make the next units
            if made.exists():
                return "first"
            time.sleep(0.01)
        return "the next units were not made while this one ran"

    def more():
        made.touch()
        yield [(lambda: "second", 1.0), (lambda: "third", 5.0)]
        yield []
        yield [(lambda: "fourth", 0.0)]

    results = run_parallel([first], weights=[1.0], more=more())
    assert results == ["first", "second", "third", "fourth"]
    assert run_parallel([], more=iter([[(lambda: "alone", 1.0)]])) == ["alone"]
