"""Course-day numbering and the study-day boundary."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daylog.calendar import CourseCalendar, day_end, study_day

START = date(2021, 1, 18)  # a Monday
LUNAR = frozenset({date(2021, 2, 11), date(2021, 2, 12)})
SEOUL = ZoneInfo("Asia/Seoul")


@pytest.mark.parametrize(
    ("holidays", "d", "expected"),
    [
        (frozenset(), date(2021, 1, 18), 1),
        (frozenset(), date(2021, 1, 22), 5),
        (frozenset(), date(2021, 1, 25), 6),
        (frozenset(), date(2021, 2, 3), 13),
        (frozenset(), date(2021, 2, 15), 21),
        (LUNAR, date(2021, 2, 15), 19),
        (LUNAR, date(2021, 2, 10), 18),
        (LUNAR, date(2021, 2, 11), None),
        (frozenset(), date(2021, 1, 23), None),
        (frozenset(), date(2021, 1, 24), None),
        (frozenset(), date(2021, 1, 17), None),
        (frozenset(), date(2020, 2, 3), None),
    ],
)
def test_day_numbers(holidays: frozenset[date], d: date, expected: int | None) -> None:
    """Day N counts weekdays from the start, skipping holidays; others have no number."""
    assert CourseCalendar(START, holidays=holidays).day_number(d) == expected


def test_all_days_rule_counts_weekends() -> None:
    """With course_days: all, Saturday is a course day too."""
    cal = CourseCalendar(START, all_days=True)
    assert cal.day_number(date(2021, 1, 23)) == 6
    assert cal.day_number(date(2021, 2, 3)) == 17


def test_start_on_a_weekend_makes_monday_day_one() -> None:
    """A course that 'starts' on Saturday has Day1 on the Monday after."""
    cal = CourseCalendar(date(2021, 1, 16))
    assert cal.day_number(date(2021, 1, 16)) is None
    assert cal.day_number(date(2021, 1, 18)) == 1


@given(st.integers(min_value=1, max_value=400), st.sets(st.integers(0, 500), max_size=30), st.booleans())
def test_date_of_day_inverts_day_number(n: int, offsets: set[int], all_days: bool) -> None:
    """date_of_day(N) is the date whose day number is N, for any holiday set."""
    cal = CourseCalendar(START, all_days, frozenset(START + timedelta(days=o) for o in offsets))
    d = cal.date_of_day(n)
    assert cal.day_number(d) == n


@given(st.integers(0, 300), st.integers(0, 300))
def test_course_days_between_matches_counting(a: int, b: int) -> None:
    """The age in course days equals counting course days one by one."""
    cal = CourseCalendar(START, holidays=LUNAR)
    x, y = START + timedelta(days=a), START + timedelta(days=b)
    slow = sum(1 for i in range(1, (y - x).days + 1) if cal.day_number(x + timedelta(days=i)) is not None)
    assert cal.course_days_between(x, y) == max(0, slow)


def test_weeks_are_calendar_weeks_from_the_start() -> None:
    """Week 1 is the Monday–Sunday holding the start; the next Monday begins week 2."""
    cal = CourseCalendar(START)
    assert cal.week_number(date(2021, 1, 24)) == 1
    assert cal.week_number(date(2021, 1, 25)) == 2
    assert cal.week_bounds(3) == (date(2021, 2, 1), date(2021, 2, 7))


@pytest.mark.parametrize(
    ("local", "starts_at", "expected"),
    [
        ("2021-02-04 01:59", 4, date(2021, 2, 3)),
        ("2021-02-04 04:00", 4, date(2021, 2, 4)),
        ("2021-02-04 03:30", 2, date(2021, 2, 4)),
        ("2021-02-04 03:30", 5, date(2021, 2, 3)),
        ("2021-02-04 00:30", 0, date(2021, 2, 4)),
        ("2021-02-03 23:30", 4, date(2021, 2, 3)),
    ],
)
def test_study_day_applies_the_day_start_hour(local: str, starts_at: int, expected: date) -> None:
    """Writing before `day_starts_at` o'clock still belongs to the previous day."""
    moment = datetime.fromisoformat(local).replace(tzinfo=SEOUL)
    assert study_day(moment, SEOUL, starts_at) == expected


def test_study_day_converts_utc_to_the_team_zone() -> None:
    """A UTC timestamp is read on the team's wall clock, not UTC's."""
    moment = datetime(2021, 2, 3, 16, 0, tzinfo=UTC)  # 01:00 KST on the 4th
    assert study_day(moment, SEOUL, 0) == date(2021, 2, 4)
    assert study_day(moment, SEOUL, 4) == date(2021, 2, 3)


def test_day_end_is_next_day_start_hour_local() -> None:
    """The study day 2021-02-03 ends at 04:00 KST on the 4th."""
    assert day_end(date(2021, 2, 3), SEOUL, 4) == datetime(2021, 2, 4, 4, tzinfo=SEOUL)


def test_calendar_arithmetic_never_steps_past_the_last_date() -> None:
    """Dates users write reach 9999-12-31 (#12): numbers, ages and weeks stay in range; Day N past it: ValueError."""
    cal = CourseCalendar(START)
    assert cal.day_number(date.max) == cal.days_through(date.max) > 2_000_000  # a Friday
    assert cal.course_days_between(date(2021, 2, 1), date.max) == cal.days_through(date.max) - 11
    assert cal.week_number(date.max) == (date.max - date(2021, 1, 18)).days // 7 + 1
    assert cal.week_bounds(10**7) == (date.max, date.max)
    assert cal.date_of_day(cal.days_through(date.max)) == date.max
    with pytest.raises(ValueError, match="past 9999-12-31"):
        cal.date_of_day(10**7)
    assert day_end(date.max, SEOUL, 4) == datetime(9999, 12, 31, 23, 59, 59, 999999, tzinfo=SEOUL)
    assert study_day(datetime(1, 1, 1, 1, tzinfo=UTC), ZoneInfo("UTC"), 4) == date.min


def test_entries_are_dated_from_1970_to_ten_years_past_the_start() -> None:
    """The range an entry's date must be in; a 29 February start ends on 28 February."""
    cal = CourseCalendar(START)
    assert cal.latest == date(2031, 1, 18)
    assert [cal.in_range(d) for d in (date(1969, 12, 31), date(1970, 1, 1), cal.latest, date(2031, 1, 19))] == [
        False, True, True, False,
    ]  # fmt: skip
    assert cal.range_problem(date(1970, 1, 1)) is None
    assert cal.range_problem(date.max) == (
        "out of range (entries are dated 1970-01-01 to 2031-01-18, ten years past the course start)"
    )
    assert CourseCalendar(date(2024, 2, 29)).latest == date(2034, 2, 28)
    assert CourseCalendar(date(9995, 1, 1)).latest == date.max
