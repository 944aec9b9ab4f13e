"""Dates as people say them: `today`, `어제`, `-3`, `월`, `Day13`, `13일차`, `2021-02-03`.

Pure: the caller gives today's study day (after `day_starts_at`, in the team's zone) and
the course calendar. A wrong date says what is wrong with it (`February 2021 has 28 days`),
not only what shape to use. `echo` is how the CLI confirms a date it worked out.
"""

from __future__ import annotations

import calendar as _months
import re
from datetime import date, timedelta

from daylog.calendar import CourseCalendar

WEEKDAYS_KO = "월화수목금토일"
_WEEKDAYS_EN = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAYS_BACK = {"today": 0, "오늘": 0, "yesterday": 1, "어제": 1, "그제": 2, "그저께": 2}
_ISO = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
_COURSE_DAY = re.compile(r"(?:day\s*(\d{1,4})|(\d{1,4})\s*일차)", re.IGNORECASE)
_MAX_BACK = 3660
HELP = "YYYY-MM-DD, today, yesterday, 오늘, 어제, 그제, -N (days back), a weekday (mon, 월), Day13 or 13일차"


class DateError(ValueError):
    """What is wrong with a date as written (one line, without the option's name)."""


def resolve(text: str, today: date, course: CourseCalendar | None = None) -> date:
    """The date `text` names, counting back from `today`; a DateError when it names none."""
    word = text.strip().lower()
    iso = _ISO.fullmatch(word)
    if iso:
        return _calendar_date(*(int(g) for g in iso.groups()))
    if word in _DAYS_BACK:
        return today - timedelta(days=_DAYS_BACK[word])
    if re.fullmatch(r"-\d{1,6}", word):
        back = int(word[1:])
        if back > _MAX_BACK:
            raise DateError(f"{text}: at most {_MAX_BACK} days back")
        return today - timedelta(days=back)
    weekday = _weekday(word)
    if weekday is not None:
        return today - timedelta(days=(today.weekday() - weekday) % 7)
    day = _COURSE_DAY.fullmatch(word)
    if day:
        return _course_date(text, int(day.group(1) or day.group(2)), course)
    raise DateError(f"{text!r} is not a date: use {HELP}")


def is_plain(text: str) -> bool:
    """Whether `text` is a full date already (nothing to confirm)."""
    return _ISO.fullmatch(text.strip()) is not None


def echo(text: str, d: date, course: CourseCalendar | None = None) -> str:
    """`어제 → 2021-02-02 (화) Day12`: what a worked-out date turned into."""
    n = course.day_number(d) if course is not None else None
    return f"{text.strip()} → {d.isoformat()} ({WEEKDAYS_KO[d.weekday()]})" + (f" Day{n}" if n else "")


def _calendar_date(year: int, month: int, day: int) -> date:
    if not 1 <= month <= 12:
        raise DateError(f"{year:04d}-{month:02d}-{day:02d}: there is no month {month}")
    if year < 1:
        raise DateError(f"{year:04d}-{month:02d}-{day:02d}: there is no year 0")
    last = _months.monthrange(year, month)[1]
    if not 1 <= day <= last:
        name = date(year, month, 1).strftime("%B")
        raise DateError(f"{year:04d}-{month:02d}-{day:02d}: {name} {year} has {last} days")
    return date(year, month, day)


def _weekday(word: str) -> int | None:
    if len(word) >= 3 and any(full.startswith(word[:3]) for full in _WEEKDAYS_EN):
        for i, short in enumerate(_WEEKDAYS_EN):
            full = date(2024, 1, 1 + i).strftime("%A").lower()  # 2024-01-01 was a Monday
            if word in (short, full):
                return i
        return None
    stripped = word.removesuffix("요일")
    return WEEKDAYS_KO.index(stripped) if len(stripped) == 1 and stripped in WEEKDAYS_KO else None


def _course_date(text: str, n: int, course: CourseCalendar | None) -> date:
    if course is None:
        raise DateError(f"{text}: a course day needs the workspace's start_date")
    if n < 1:
        raise DateError(f"{text}: course days count from Day1")
    try:
        d = course.date_of_day(n)
    except (ValueError, OverflowError):
        raise DateError(f"{text}: the course calendar has no Day{n}") from None
    if course.after_end(d):
        raise DateError(f"{text}: the course ended on {course.end} (Day{n} would be {d})")
    return d
