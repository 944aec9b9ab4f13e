"""Course days: which dates count, and what Day N a date is.

Pure: dates in, numbers out. The clock is read by the caller and passed in.

Dates come from users (file names, front matter, `--date`, ✅ marks), so nothing here
steps a `date` past what `date` holds: the arithmetic is on ordinals (`9999-12-31` plus
a day was an OverflowError, #12). What daylog accepts as an entry's date is `in_range`:
from `EARLIEST` to ten years past the course start; `range_problem` says why not.
"""

from __future__ import annotations

import bisect
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from daylog.errors import DaylogError

WEEKDAY_NAMES_KO = ("월", "화", "수", "목", "금", "토", "일")
EARLIEST = date(1970, 1, 1)
"""No entry, course or done date is earlier."""
LATEST_START = date(2999, 12, 31)
"""No course starts later (ten years past it, and Day 5000, are still dates)."""
RANGE_YEARS = 10
"""Entries are dated at most this many years past the course start (the messages say ten)."""
_MAX = date.max.toordinal()


class DateOutOfRange(DaylogError):
    """An entry dated outside `CourseCalendar.in_range`: listings skip it, `check` names it."""


class CourseCalendar:
    """The course's day rule: Day 1 is the first course day on or after `start`.

    A plain slotted class, not a dataclass: the `dataclasses` import (it pulls in
    `inspect`) alone costs a listing's start-up about 10 ms.
    """

    __slots__ = ("_sorted_holidays", "_through", "all_days", "end", "holidays", "latest", "start")

    start: date
    """The first day of the course (Day 1 when it is a course day)."""
    all_days: bool
    """True when every day counts (`course_days: all`); otherwise weekdays only."""
    holidays: frozenset[date]
    """Dates that are never course days."""
    latest: date
    """The last date an entry may have: `RANGE_YEARS` after the start."""
    end: date | None
    """The course's last day (`end_date`): later dates get no day number. None: no end."""

    def __init__(
        self,
        start: date,
        all_days: bool = False,
        holidays: frozenset[date] = frozenset(),
        end: date | None = None,
    ) -> None:
        self.start = start
        self.all_days = all_days
        self.end = end
        self.holidays = frozenset(holidays)
        self._sorted_holidays = tuple(sorted(self.holidays))
        self._through: dict[date, int] = {}
        self.latest = _years_after(start, RANGE_YEARS)

    def in_range(self, d: date) -> bool:
        """Whether `d` may be an entry's date: from `EARLIEST` to `latest`."""
        return EARLIEST <= d <= self.latest

    def range_problem(self, d: date) -> str | None:
        """Why `d` cannot be an entry's date (`out of range (…)`), or None when it can."""
        if self.in_range(d):
            return None
        return f"out of range (entries are dated {EARLIEST} to {self.latest}, ten years past the course start)"

    def after_end(self, d: date) -> bool:
        """Whether `d` is past the course's last day (never, for a course with no end)."""
        return self.end is not None and d > self.end

    @property
    def last_week(self) -> int | None:
        """The course week holding `end`; None for a course with no end."""
        return None if self.end is None else self.week_number(self.end)

    def __repr__(self) -> str:
        return (
            f"CourseCalendar(start={self.start!r}, all_days={self.all_days!r}, "
            f"holidays={self.holidays!r}, end={self.end!r})"
        )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, CourseCalendar):
            return NotImplemented
        return self._key() == other._key()

    def __hash__(self) -> int:
        return hash(self._key())

    def _key(self) -> tuple[date, bool, frozenset[date], date | None]:
        return (self.start, self.all_days, self.holidays, self.end)

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
        return _weekdays_before(d.toordinal() + 1) - _weekdays_before(self.start.toordinal())

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
        """Day N of `d`, or None when `d` is before the start, after the end or not a course day."""
        if d < self.start or self.after_end(d) or not self.is_course_day(d):
            return None
        return self.days_through(d)

    def date_of_day(self, n: int) -> date:
        """The date of Day `n` (n >= 1); a ValueError when that is past the year 9999."""
        if n < 1:
            raise ValueError(f"day numbers start at 1, not {n}")
        # Estimate, then walk: holidays are few, so this stays short.
        d = _plus(self.start, (n - 1) if self.all_days else (n - 1) * 7 // 5)
        while self.days_through(d) < n:
            if d == date.max:
                raise ValueError(f"Day{n} is past {date.max}")
            d = _plus(d, max(1, n - self.days_through(d)))
        while d > self.start and self.days_through(d - timedelta(days=1)) >= n:
            d -= timedelta(days=1)
        return d

    def course_days_between(self, earlier: date, later: date) -> int:
        """Course days in (earlier, later]: the age of something raised on `earlier`."""
        if later <= earlier:
            return 0
        return self.days_through(later) - self.days_through(earlier)  # 0 through a date before the start

    def week_number(self, d: date) -> int | None:
        """Course week of `d`: week 1 is the calendar week (Mon–Sun) holding the start."""
        if d < self.start:
            return None
        monday = self.start.toordinal() - self.start.weekday()
        return (d.toordinal() - monday) // 7 + 1

    def week_bounds(self, week: int) -> tuple[date, date]:
        """Monday and Sunday of course week `week` (held within the dates `date` has)."""
        monday = self.start.toordinal() - self.start.weekday() + 7 * (week - 1)
        return _clamped(monday), _clamped(monday + 6)


def _weekdays_before(ordinal: int) -> int:
    """Count of Mon–Fri dates before the day of `ordinal` since 0001-01-01, a Monday."""
    weeks, rest = divmod(ordinal - 1, 7)
    return weeks * 5 + min(rest, 5)


def _clamped(ordinal: int) -> date:
    return date.fromordinal(min(max(ordinal, 1), _MAX))


def _plus(d: date, days: int) -> date:
    """`d` plus `days`, stopping at the last date there is."""
    return _clamped(d.toordinal() + days)


def _years_after(d: date, years: int) -> date:
    """The same day `years` later (28 February for 29 February), or the last date there is."""
    if d.year + years > date.max.year:
        return date.max
    if (d.month, d.day) == (2, 29):
        return d.replace(year=d.year + years, day=28)
    return d.replace(year=d.year + years)


def study_day(moment: datetime, zone: ZoneInfo, day_starts_at: int) -> date:
    """The date a moment belongs to: before `day_starts_at` o'clock it is still yesterday.

    Uses the local wall clock, so DST shifts never move a moment across days.
    """
    local = moment.astimezone(zone)
    if local.hour < day_starts_at and local.date() > date.min:
        return local.date() - timedelta(days=1)
    return local.date()


def day_end(d: date, zone: ZoneInfo, day_starts_at: int) -> datetime:
    """The moment study day `d` ends: the next day's `day_starts_at` o'clock, local time (9999-12-31: its end)."""
    if d == date.max:
        return datetime.combine(d, datetime.max.time(), tzinfo=zone)
    nxt = d + timedelta(days=1)
    return datetime(nxt.year, nxt.month, nxt.day, day_starts_at, tzinfo=zone)
