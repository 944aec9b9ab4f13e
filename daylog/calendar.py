"""Course days: which dates count, and what Day N a date is.

Pure: dates in, numbers out. The clock is read by the caller and passed in.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

WEEKDAY_NAMES_KO = ("월", "화", "수", "목", "금", "토", "일")


class CourseCalendar:
    """The course's day rule: Day 1 is the first course day on or after `start`.

    A plain slotted class, not a dataclass: the `dataclasses` import (it pulls in
    `inspect`) alone costs a listing's start-up about 10 ms.
    """

    __slots__ = ("_sorted_holidays", "_through", "all_days", "holidays", "start")

    start: date
    """The first day of the course (Day 1 when it is a course day)."""
    all_days: bool
    """True when every day counts (`course_days: all`); otherwise weekdays only."""
    holidays: frozenset[date]
    """Dates that are never course days."""

    def __init__(self, start: date, all_days: bool = False, holidays: frozenset[date] = frozenset()) -> None:
        self.start = start
        self.all_days = all_days
        self.holidays = frozenset(holidays)
        self._sorted_holidays = tuple(sorted(self.holidays))
        self._through: dict[date, int] = {}

    def __repr__(self) -> str:
        return f"CourseCalendar(start={self.start!r}, all_days={self.all_days!r}, holidays={self.holidays!r})"

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CourseCalendar):
            return NotImplemented
        return (self.start, self.all_days, self.holidays) == (other.start, other.all_days, other.holidays)

    def __hash__(self) -> int:
        return hash((self.start, self.all_days, self.holidays))

    def is_course_day(self, d: date) -> bool:
        """Whether `d` is a study day by the rule (ignoring the course start)."""
        if d in self.holidays:
            return False
        return self.all_days or d.weekday() < 5

    def _rule_days_upto(self, d: date) -> int:
        """Number of rule days (weekday/all, holidays ignored) in [start, d]."""
        if d < self.start:
            return 0
        if self.all_days:
            return (d - self.start).days + 1
        return _weekdays_before(d + timedelta(days=1)) - _weekdays_before(self.start)

    def _holidays_in(self, lo: date, hi: date) -> int:
        """Holidays in [lo, hi] that the rule would otherwise count."""
        hs = self._sorted_holidays
        i = bisect.bisect_left(hs, lo)
        j = bisect.bisect_right(hs, hi)
        return sum(1 for h in hs[i:j] if self.all_days or h.weekday() < 5)

    def days_through(self, d: date) -> int:
        """How many course days there are from the start through `d` inclusive."""
        n = self._through.get(d)
        if n is None:
            n = 0 if d < self.start else self._rule_days_upto(d) - self._holidays_in(self.start, d)
            self._through[d] = n  # listings ask for the same few hundred dates thousands of times
        return n

    def day_number(self, d: date) -> int | None:
        """Day N of `d`, or None when `d` is before the start or not a course day."""
        if d < self.start or not self.is_course_day(d):
            return None
        return self.days_through(d)

    def date_of_day(self, n: int) -> date:
        """The date of Day `n` (n >= 1)."""
        if n < 1:
            raise ValueError(f"day numbers start at 1, not {n}")
        # Estimate, then walk: holidays are few, so this stays short.
        d = self.start + timedelta(days=(n - 1) if self.all_days else (n - 1) * 7 // 5)
        while self.days_through(d) < n:
            d += timedelta(days=max(1, n - self.days_through(d)))
        while d > self.start and self.days_through(d - timedelta(days=1)) >= n:
            d -= timedelta(days=1)
        return d

    def course_days_between(self, earlier: date, later: date) -> int:
        """Course days in (earlier, later]: the age of something raised on `earlier`."""
        if later <= earlier:
            return 0
        return self.days_through(later) - self.days_through(max(earlier, self.start - timedelta(1)))

    def week_number(self, d: date) -> int | None:
        """Course week of `d`: week 1 is the calendar week (Mon–Sun) holding the start."""
        if d < self.start:
            return None
        monday = self.start - timedelta(days=self.start.weekday())
        return (d - monday).days // 7 + 1

    def week_bounds(self, week: int) -> tuple[date, date]:
        """Monday and Sunday of course week `week`."""
        monday = self.start - timedelta(days=self.start.weekday()) + timedelta(weeks=week - 1)
        return monday, monday + timedelta(days=6)


def _weekdays_before(d: date) -> int:
    """Count of Mon–Fri dates before `d` since an arbitrary Monday epoch."""
    epoch = date(1, 1, 1)  # a Monday
    days = (d - epoch).days
    weeks, rest = divmod(days, 7)
    return weeks * 5 + min(rest, 5)


def study_day(moment: datetime, zone: ZoneInfo, day_starts_at: int) -> date:
    """The date a moment belongs to: before `day_starts_at` o'clock it is still yesterday.

    Uses the local wall clock, so DST shifts never move a moment across days.
    """
    local = moment.astimezone(zone)
    if local.hour < day_starts_at:
        return local.date() - timedelta(days=1)
    return local.date()


def day_end(d: date, zone: ZoneInfo, day_starts_at: int) -> datetime:
    """The moment study day `d` ends (the next day's `day_starts_at` o'clock, local time)."""
    nxt = d + timedelta(days=1)
    return datetime(nxt.year, nxt.month, nxt.day, day_starts_at, tzinfo=zone)
