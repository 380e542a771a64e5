"""Independent render units in parallel processes.

WeasyPrint is pure Python, so threads would share one core; forked processes use them all. The
units are closures over the build context, which a forked child inherits as it is: nothing is
pickled on the way in, only the result on the way back (through an unnamed temporary file).

Each unit runs in a process of its own, forked when a core is free: a process that laid out a
large document ends with it, and its memory goes back to the system instead of growing with the
next unit. The units' results come back in order; when units fail, the first failing one's
error is raised (the same error whatever the timing).
"""

from __future__ import annotations

import contextlib
import ctypes
import functools
import gc
import os
import pickle
import select
import signal
import tempfile
from collections.abc import Callable, Iterator
from typing import Any, BinaryIO, TypeVar

T = TypeVar("T")

PR_SET_PDEATHSIG = 1

# Python's cyclic garbage collector, at its default thresholds (700, 10, 10), runs every few
# hundred allocations and walks every object the build holds: measured, about a fifth of a
# WeasyPrint layout (the boxes of a document are millions of allocations). A build is a short
# process whose memory ends with it: the objects it has made by the time it renders are never
# walked again (gc.freeze) and collections are rarer. The peak memory of a layout is the same
# (bench/results.md).
GC_THRESHOLD = (10_000, 10, 10)


@contextlib.contextmanager
def fewer_collections() -> Iterator[None]:
    """Within: what exists now is never walked by the garbage collector, and it runs less
    often; as before afterwards (a test process, `board serve`)."""
    before = gc.get_threshold()
    gc.freeze()
    gc.set_threshold(*GC_THRESHOLD)
    try:
        yield
    finally:
        gc.set_threshold(*before)
        gc.unfreeze()


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when the build that forked it dies, even by SIGKILL.

    Without this, the workers of a killed build would run on for nothing.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def workers() -> int:
    """How many processes to use: BOARD_JOBS, else the cores this process may run on."""
    setting = os.environ.get("BOARD_JOBS", "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def _child(unit: Callable[[], Any], result: BinaryIO, parent: int) -> None:
    """In the forked process: run the unit, write its result (or error) to `result`, exit 0.

    Any other ending (killed, or an exit status other than 0) tells the parent the result is
    not whole.
    """
    code = 1
    try:
        _die_with_parent(parent)
        gc.freeze()  # what the parent made: never walked here (nor copied by the walk)
        gc.set_threshold(*GC_THRESHOLD)
        try:
            outcome: tuple[bool, Any] = (True, unit())
        except Exception as exc:  # carried to the parent, raised there
            outcome = (False, exc)
        try:
            data = pickle.dumps(outcome, protocol=pickle.HIGHEST_PROTOCOL)
        except Exception as exc:  # an error that cannot be pickled
            data = pickle.dumps((False, RuntimeError(f"{type(exc).__name__}: {exc}")))
        result.write(data)
        result.flush()
        code = 0
    except BaseException:  # never return into the parent's code
        code = 1
    finally:
        os._exit(code)


def run_parallel(
    units: list[Callable[[], T]],
    first_here: bool = False,
    weights: list[float] | None = None,
    more: Iterator[list[tuple[Callable[[], T], float]]] | None = None,
) -> list[T]:
    """The result of each unit, in order; in forked processes when more than one can run.

    A result comes back pickled, through an unnamed temporary file (gone with the processes,
    even killed ones): bytes, or lists and dicts of them. With `first_here`, the first unit runs
    in this process while the others run in theirs (for light units whose results are large:
    one process fewer, one result less to carry back). `weights` (one per unit: its expected
    cost) start the heaviest units first, so that no core waits at the end for one long unit
    begun last; the results and the error raised do not depend on them.

    `more` gives further units with their weights, a list at a time, made in this process
    while the units started before it run (their results follow the others', in order).
    """
    units = list(units)
    cores = workers()
    serial = not hasattr(os, "fork") or not hasattr(os, "pidfd_open")
    if more is not None and (cores <= 1 or serial):
        units += [unit for group in more for unit, _ in group]
        more = None
    count = cores if more is not None else min(len(units), cores)
    if count <= 1 or serial:
        return [unit() for unit in units]
    assert not (first_here and more is not None)
    parent = os.getpid()
    outcomes: dict[int, tuple[bool, Any]] = {}
    running: dict[int, tuple[int, int, BinaryIO]] = {}  # pidfd → (pid, unit index, result)
    waiting = list(range(1 if first_here else 0, len(units)))
    costs = list(weights) if weights is not None else [0.0] * len(units)
    if weights is not None:
        waiting.sort(key=lambda i: -costs[i])  # stable: equal weights keep their order
    slots = count - 1 if first_here else count

    def pull() -> bool:
        """The next units of `more`, made now; False when it has none left."""
        group = next(more, None) if more is not None else None
        if group is None:
            return False
        for unit, weight in group:
            waiting.append(len(units))
            units.append(unit)
            costs.append(weight)
        waiting.sort(key=lambda i: -costs[i])
        return True

    def start() -> None:
        while waiting and len(running) < slots:
            index = waiting.pop(0)
            result = tempfile.TemporaryFile(prefix="board-unit-")  # noqa: SIM115 - closed below
            pid = os.fork()
            if pid == 0:  # pragma: no cover - the child never returns
                _child(units[index], result, parent)
            running[os.pidfd_open(pid)] = (pid, index, result)

    pulling = more is not None
    try:
        start()
        if first_here:
            try:
                outcomes[0] = (True, units[0]())
            except Exception as exc:  # raised below, in unit order
                outcomes[0] = (False, exc)
        while waiting or running or pulling:
            start()
            if pulling:  # made while the started units run; then whoever ended is reaped
                pulling = pull()
                ready, _, _ = select.select(list(running), [], [], 0)
            else:
                ready, _, _ = select.select(list(running), [], [])
            for pidfd in ready:
                pid, index, result = running.pop(pidfd)
                os.close(pidfd)
                _, status = os.waitpid(pid, 0)
                with result:
                    outcomes[index] = _outcome(result, status)
    finally:
        for pidfd, (pid, _, result) in running.items():  # interrupted: stop the others
            os.kill(pid, signal.SIGKILL)
            os.waitpid(pid, 0)
            os.close(pidfd)
            result.close()
    for index in range(len(units)):
        ok, value = outcomes[index]
        if not ok:
            raise value
    return [outcomes[index][1] for index in range(len(units))]


def _outcome(result: BinaryIO, status: int) -> tuple[bool, Any]:
    if os.WIFEXITED(status) and os.WEXITSTATUS(status) == 0:
        result.seek(0)
        return pickle.load(result)
    if os.WIFSIGNALED(status):
        why = f"was killed by signal {os.WTERMSIG(status)}"
    else:
        why = f"exited with status {os.waitstatus_to_exitcode(status)}"
    return False, RuntimeError(f"a render process {why} before it finished")


def _render_all(render: Callable[[Any], T], group: list[Any]) -> list[T]:
    return [render(item) for item in group]


def map_parallel(items: list[Any], render: Callable[[Any], T], least: int = 64) -> list[T]:
    """`render(item)` for each item, in order; spread over the cores when there are at least
    `least` items (fewer are not worth starting processes for).

    The items are dealt in interleaved shares, one per process (this one takes the first): list
    items of the same kind together, and each process gets its part of every kind.
    """
    cores = workers()
    if cores <= 1 or len(items) < least:
        return [render(item) for item in items]
    shares = min(len(items), cores)
    groups = [items[i::shares] for i in range(shares)]
    done = run_parallel(
        [functools.partial(_render_all, render, group) for group in groups], first_here=True
    )
    results: list[Any] = [None] * len(items)
    for i, group_results in enumerate(done):
        results[i::shares] = group_results
    return results
