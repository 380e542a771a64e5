"""The Chinese working-day calendar (工作日), for the disclosure deadlines of issue 24.

国办发〔2017〕94号 asks that each piece of information be made public within 20 working days
of being formed or changed (7 for an administrative licensing decision). A working day is a
day the State Council's holiday arrangement (国务院办公厅关于部分节假日安排的通知) makes one:
Monday to Friday except the legal holidays, plus the weekend days worked in exchange (调休).
The maintained library `chinesecalendar` (import name `chinese_calendar`) carries those
arrangements, one year at a time as they are announced.

For a year the library has no data for (before 2004, or a year not yet announced when the
installed version was released), a working day is Monday to Friday: weekends alone are
counted, and `Calendar.missing` names the year so that `board check` can say so.

Counting follows the rule of 期间 in Chinese law: the day the information was formed is not
counted; the period ends with the N-th working day after it. For an item formed on a working
day this is the library's own `find_workday(N, formed)`.
"""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar

MAX_SPAN_DAYS = 3660  # no count goes on for more than about ten years (a date typed wrong)


class Calendar:
    """Working days, with the years counted on weekends alone remembered in `missing`."""

    def __init__(self) -> None:
        self.missing: set[int] = set()
        self._days: dict[date, bool] = {}

    def is_workday(self, day: date) -> bool:
        found = self._days.get(day)
        if found is None:
            try:
                found = bool(chinese_calendar.is_workday(day))
            except NotImplementedError:  # no data for that year: weekends alone
                self.missing.add(day.year)
                found = day.weekday() < 5
            self._days[day] = found
        return found

    def add(self, start: date, workdays: int) -> date:
        """The `workdays`-th working day after `start` (`start` itself not counted)."""
        day = start
        left = workdays
        for _ in range(MAX_SPAN_DAYS):
            if left <= 0:
                return day
            day += timedelta(days=1)
            if self.is_workday(day):
                left -= 1
        return day

    def between(self, after: date, until: date) -> int:
        """How many working days lie in (`after`, `until`]: 0 when `until` is not later."""
        count = 0
        day = after
        for _ in range(min(MAX_SPAN_DAYS, max(0, (until - after).days))):
            day += timedelta(days=1)
            if self.is_workday(day):
                count += 1
        return count


def data_years() -> tuple[int, int]:
    """The first and last year the installed chinesecalendar has holiday data for."""
    years = [day.year for day in chinese_calendar.holidays]
    return min(years), max(years)
