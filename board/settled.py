"""Warnings of months already published: said once, in one line, never as advice to change.

A warning in the report of a month before the latest (or of a month the record of published
months holds, board.published) can no longer be acted on without publishing a correction
(更正). Every command would repeat it; so its advice is replaced by what changing that month
means, commands say such warnings in one summary line (`--verbose` lists them), and `--strict`
does not fail on them. A warning of the register that belongs to no month (a leader of three
projects) is not a month's, and stays.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any, TypeVar

from .i18n import Msg, counted
from .model import Month

SETTLED_HINT = "msg.settled.hint"
_REPORT_FILE = re.compile(r"(?:\A|[/\\])reports[/\\](?P<month>\d{4}-\d{2})\.ya?ml\Z")

P = TypeVar("P")


def published_months(out_dir: Path | str) -> frozenset[str]:
    """Months whose change the next build into `out_dir` would publish as a 更正."""
    from .published import correctable_months

    try:
        return correctable_months(Path(out_dir))
    except (OSError, ValueError, KeyError, TypeError):  # no record, or one not readable
        return frozenset()


def latest_report(content_dir: Path | str) -> Month | None:
    """The latest month of the register's report files (by their names), read or not."""
    months = []
    folder = Path(content_dir) / "reports"
    try:
        names = [p.name for p in folder.iterdir()] if folder.is_dir() else []
    except OSError:
        names = []
    for name in names:
        found = _REPORT_FILE.search(f"reports/{name}")
        if found:
            try:
                months.append(Month.parse(found["month"]))
            except ValueError:
                continue
    return max(months, default=None)


def month_of(problem: Any) -> Month | None:
    """The month of the report file a problem is in, or None (a problem of no report)."""
    pos = getattr(problem, "pos", None)
    file = pos.file if pos is not None else (problem.where if problem.in_file else "")
    found = _REPORT_FILE.search(file)
    if not found:
        return None
    try:
        return Month.parse(found["month"])
    except ValueError:
        return None


def settle(problems: Sequence[P], latest: Month | None, published: Iterable[str] = ()) -> list[P]:
    """The problems, with each warning of a settled month (before `latest`, or in `published`)
    carrying the settled month's advice instead of its own."""
    done = set(published)
    result: list[P] = []
    for problem in problems:
        month = month_of(problem) if str(getattr(problem, "severity", "")) == "warning" else None
        if month is not None and ((latest is not None and month < latest) or str(month) in done):
            said: Any = problem  # a Problem or a workbook's CellProblem: frozen dataclasses both
            problem = dataclasses.replace(said, hint=Msg(SETTLED_HINT, month=str(month)))
        result.append(problem)
    return result


def is_settled(problem: Any) -> bool:
    hint = getattr(problem, "hint", None)
    return isinstance(hint, Msg) and hint.key == SETTLED_HINT


def split(problems: Iterable[P]) -> tuple[list[P], list[P]]:
    """(the problems to say, the settled months' warnings) of `settle`d problems."""
    items = list(problems)
    return [p for p in items if not is_settled(p)], [p for p in items if is_settled(p)]


def summary(settled: Sequence[Any]) -> Msg | None:
    """One line for the settled months' warnings: 2020-09等已发布月份有6个警告，加--verbose查看."""
    months = sorted({m for p in settled if (m := month_of(p)) is not None})
    if not months:
        return None
    key = "msg.settled.summary_one" if len(months) == 1 else "msg.settled.summary"
    return Msg(key, month=str(months[-1]), n=counted(len(settled), "warning"))
