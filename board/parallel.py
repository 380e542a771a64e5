"""Independent render units in parallel processes.

WeasyPrint is pure Python, so threads would share one core; forked processes use them all. The
units are closures over the build context, which a forked child inherits as it is: nothing is
pickled on the way in, only the rendered bytes on the way back.
"""

from __future__ import annotations

import ctypes
import multiprocessing
import os
import signal
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from typing import Any, TypeVar

T = TypeVar("T")
_PENDING: list[Callable[[], Any]] = []


PR_SET_PDEATHSIG = 1


def _die_with_parent(parent: int) -> None:
    """In a worker: be killed when the build that forked it dies, even by SIGKILL.

    Without this, the workers of a killed build would wait for work forever.
    """
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
    except (OSError, AttributeError):  # pragma: no cover - not Linux
        pass
    if os.getppid() != parent:  # the parent died before prctl took effect
        os._exit(1)


def _run(index: int) -> Any:
    return _PENDING[index]()


def workers() -> int:
    """How many processes to use: BOARD_JOBS, else the cores this process may run on."""
    setting = os.environ.get("BOARD_JOBS", "")
    if setting.isdigit() and int(setting) > 0:
        return int(setting)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # pragma: no cover - not Linux
        return os.cpu_count() or 1


def run_parallel(units: list[Callable[[], T]]) -> list[T]:
    """The result of each unit, in order; in forked processes when more than one can run.

    A result comes back pickled: bytes, or lists and dicts of them.
    """
    count = min(len(units), workers())
    if count <= 1 or "fork" not in multiprocessing.get_all_start_methods():
        return [unit() for unit in units]
    global _PENDING
    _PENDING = units
    try:
        context = multiprocessing.get_context("fork")
        with ProcessPoolExecutor(
            max_workers=count,
            mp_context=context,
            initializer=_die_with_parent,
            initargs=(os.getpid(),),
        ) as pool:
            return list(pool.map(_run, range(len(units))))
    finally:
        _PENDING = []


def map_parallel(items: list[Any], render: Callable[[Any], T], least: int = 64) -> list[T]:
    """`render(item)` for each item, in order; spread over the cores when there are at least
    `least` items (fewer are not worth starting processes for).

    The items are dealt in interleaved shares, four per process, which the processes take as
    they become free: pages of different cost even out.
    """
    cores = workers()
    if cores <= 1 or len(items) < least:
        return [render(item) for item in items]
    shares = min(len(items), 4 * cores)
    groups = [items[i::shares] for i in range(shares)]
    done = run_parallel(
        [(lambda group=group: [render(item) for item in group]) for group in groups]
    )
    results: list[Any] = [None] * len(items)
    for i, group_results in enumerate(done):
        results[i::shares] = group_results
    return results
