"""Streak rules: current/longest runs, COURSE mode, team days, grass levels, DST-safe days."""

from __future__ import annotations

import itertools
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from daylog.calendar import CourseCalendar, study_day
from daylog.streaks.rules import (
    Mode,
    Streak,
    TodayStatus,
    compute,
    level,
    needs_activity_today,
    team_days,
    today_status,
)

# November 2026: Mon 2 is the course start; 7–8, 14–15, 21–22 are weekends; Thu 19 is 수능 휴강.
CALENDAR = CourseCalendar(date(2026, 11, 2), holidays=frozenset({date(2026, 11, 19)}))
COURSE_DAY = CALENDAR.is_course_day


def nov(day: int) -> date:
    """A date in November 2026."""
    return date(2026, 11, day)


def active(*days: int) -> dict[date, int]:
    """One activity on each given November day."""
    return {nov(d): 1 for d in days}


NO_STREAK = Streak(0, None, 0, None, None, 0, None)


@pytest.mark.parametrize(
    ("days", "today", "expected"),
    [
        pytest.param({}, nov(12), NO_STREAK, id="활동 없음"),
        pytest.param(
            active(12),
            nov(12),
            Streak(1, nov(12), 1, nov(12), nov(12), 1, nov(12)),
            id="오늘 하루만",
        ),
        pytest.param(
            active(11),
            nov(12),
            Streak(1, nov(11), 1, nov(11), nov(11), 1, nov(11)),
            id="어제 하루만-오늘 비어도 유지",
        ),
        pytest.param(
            active(10),
            nov(12),
            Streak(0, None, 1, nov(10), nov(10), 1, nov(10)),
            id="그저께 하루만-끊김",
        ),
        pytest.param(
            active(9, 10, 11, 12),
            nov(12),
            Streak(4, nov(9), 4, nov(9), nov(12), 4, nov(12)),
            id="오늘까지 활동",
        ),
        pytest.param(
            active(8, 9, 10, 11),
            nov(12),
            Streak(4, nov(8), 4, nov(8), nov(11), 4, nov(11)),
            id="오늘 비어도 어제까지 유지",
        ),
        pytest.param(
            active(3, 4, 5, 7, 8, 11, 12),
            nov(12),
            Streak(2, nov(11), 3, nov(3), nov(5), 7, nov(12)),
            id="중간에 빈 날",
        ),
        pytest.param(
            active(2, 3, 4, 5, 6, 10, 11, 12),
            nov(12),
            Streak(3, nov(10), 5, nov(2), nov(6), 8, nov(12)),
            id="최장이 현재보다 김",
        ),
        pytest.param(
            active(2, 3, 5, 6, 9),
            nov(12),
            Streak(0, None, 2, nov(5), nov(6), 5, nov(9)),
            id="최장 동률-최근 것",
        ),
        pytest.param(
            active(2, 3, 4, 10, 11, 12),
            nov(12),
            Streak(3, nov(10), 3, nov(10), nov(12), 6, nov(12)),
            id="현재가 최장과 동률",
        ),
        pytest.param(
            {nov(10): 0, nov(11): -1, nov(12): 2},
            nov(12),
            Streak(1, nov(12), 1, nov(12), nov(12), 1, nov(12)),
            id="0과 음수는 비활동",
        ),
        pytest.param(
            active(11, 12, 13, 20),
            nov(12),
            Streak(2, nov(11), 2, nov(11), nov(12), 2, nov(12)),
            id="미래 날짜 무시",
        ),
        pytest.param(active(13, 14), nov(12), NO_STREAK, id="미래 날짜뿐"),
    ],
)
def test_compute_calendar_mode(days: dict[date, int], today: date, expected: Streak) -> None:
    """CALENDAR mode counts every day; an empty today is forgiven; future days are ignored."""
    assert compute(days, today) == expected


@pytest.mark.parametrize(
    ("days", "today", "course", "calendar"),
    [
        pytest.param(
            active(5, 6, 9, 10),
            nov(10),
            Streak(4, nov(5), 4, nov(5), nov(10), 4, nov(10)),
            Streak(2, nov(9), 2, nov(9), nov(10), 4, nov(10)),
            id="주말은 끊지 않음",
        ),
        pytest.param(
            active(5, 6, 7, 8, 9, 10),
            nov(10),
            Streak(4, nov(5), 4, nov(5), nov(10), 6, nov(10)),
            Streak(6, nov(5), 6, nov(5), nov(10), 6, nov(10)),
            id="주말 활동은 길이에 안 셈",
        ),
        pytest.param(
            active(5, 7, 8, 9, 10),
            nov(10),
            Streak(2, nov(9), 2, nov(9), nov(10), 5, nov(10)),
            Streak(4, nov(7), 4, nov(7), nov(10), 5, nov(10)),
            id="주말 활동이 빠진 금요일을 메우지 않음",
        ),
        pytest.param(
            active(17, 18, 20, 23),
            nov(24),
            Streak(4, nov(17), 4, nov(17), nov(23), 4, nov(23)),
            Streak(1, nov(23), 2, nov(17), nov(18), 4, nov(23)),
            id="휴일과 주말을 건너뜀-오늘 비어도 유지",
        ),
        pytest.param(
            active(18, 20),
            nov(21),
            Streak(2, nov(18), 2, nov(18), nov(20), 2, nov(20)),
            Streak(1, nov(20), 1, nov(20), nov(20), 2, nov(20)),
            id="오늘이 토요일",
        ),
        pytest.param(
            active(16, 17, 18),
            nov(21),
            Streak(0, None, 3, nov(16), nov(18), 3, nov(18)),
            Streak(0, None, 3, nov(16), nov(18), 3, nov(18)),
            id="금요일을 빠뜨리면 토요일에 끊김",
        ),
        pytest.param(
            active(7, 8),
            nov(9),
            Streak(0, None, 0, None, None, 2, nov(8)),
            Streak(2, nov(7), 2, nov(7), nov(8), 2, nov(8)),
            id="주말에만 활동",
        ),
    ],
)
def test_compute_course_mode(days: dict[date, int], today: date, course: Streak, calendar: Streak) -> None:
    """COURSE mode steps over weekends and holidays: they neither break nor lengthen a run."""
    assert compute(days, today, mode=Mode.COURSE, is_course_day=COURSE_DAY) == course
    assert compute(days, today, mode=Mode.CALENDAR, is_course_day=COURSE_DAY) == calendar


def test_course_mode_needs_a_calendar() -> None:
    """COURSE mode without is_course_day is a programming error, not a silent CALENDAR run."""
    with pytest.raises(ValueError, match="is_course_day"):
        compute(active(2), nov(2), mode=Mode.COURSE)


@pytest.mark.parametrize(
    ("days", "today", "mode", "status"),
    [
        pytest.param(active(11), nov(12), Mode.CALENDAR, TodayStatus.AT_RISK, id="어제까지-위험"),
        pytest.param(active(11, 12), nov(12), Mode.CALENDAR, TodayStatus.DONE, id="오늘 완료"),
        pytest.param({}, nov(12), Mode.CALENDAR, TodayStatus.START, id="기록 없음-시작"),
        pytest.param(active(10), nov(12), Mode.CALENDAR, TodayStatus.START, id="이미 끊김-시작"),
        pytest.param(active(13), nov(14), Mode.COURSE, TodayStatus.REST, id="토요일-휴식"),
        pytest.param(active(13), nov(16), Mode.COURSE, TodayStatus.AT_RISK, id="월요일-위험"),
        pytest.param(active(18), nov(19), Mode.COURSE, TodayStatus.REST, id="휴일-휴식"),
        pytest.param(active(13), nov(14), Mode.CALENDAR, TodayStatus.AT_RISK, id="달력-토요일-위험"),
    ],
)
def test_today_status(days: dict[date, int], today: date, mode: Mode, status: TodayStatus) -> None:
    """Today is DONE, AT_RISK (a run ends without it), START (no run) or REST (not counted)."""
    assert today_status(days, today, mode=mode, is_course_day=COURSE_DAY) is status
    needed = needs_activity_today(days, today, mode=mode, is_course_day=COURSE_DAY)
    assert needed is (status is TodayStatus.AT_RISK)


@pytest.mark.parametrize(
    ("per_member", "expected"),
    [
        pytest.param({}, {}, id="팀원 없음"),
        pytest.param({"민지": {nov(2): 1, nov(3): 2}}, {nov(2): 1, nov(3): 2}, id="한 명"),
        pytest.param(
            {"민지": {nov(2): 1, nov(3): 2}, "서현": {nov(3): 1, nov(4): 1}},
            {nov(3): 3},
            id="모두 활동한 날만-합계",
        ),
        pytest.param({"민지": {nov(2): 1}, "서현": {nov(2): 0}}, {}, id="0회는 활동 아님"),
        pytest.param({"민지": {nov(2): 1}, "서현": {}}, {}, id="기록 없는 팀원"),
    ],
)
def test_team_days(per_member: dict[str, dict[date, int]], expected: dict[date, int]) -> None:
    """A team day is one on which every member was active; its count is the members' total."""
    assert team_days(per_member) == expected


@pytest.mark.parametrize(
    ("count", "max_count", "expected"),
    [
        (1, 10, 1),
        (2, 10, 1),
        (3, 10, 2),
        (5, 10, 2),
        (8, 10, 4),
        (10, 10, 4),
        (0, 10, 0),
        (-1, 10, 0),
        (0, 0, 0),
        (11, 10, 4),
        (1, 4, 1),
        (2, 4, 2),
        (3, 4, 3),
        (4, 4, 4),
        (1, 1, 4),
        # mahdihasnat/contribution-art-maker's measured table for max 43: 1–10/11–21/22–32/33–43
        (10, 43, 1),
        (11, 43, 2),
        (21, 43, 2),
        (22, 43, 3),
        (32, 43, 3),
        (33, 43, 4),
    ],
)
def test_level(count: int, max_count: int, expected: int) -> None:
    """Levels are GitHub's equal-width buckets of (0, max]: min(4, ceil(4*count/max))."""
    assert level(count, max_count) == expected


def test_level_needs_a_positive_max() -> None:
    """An active day against a max of 0 is a caller bug, not a silent level."""
    with pytest.raises(ValueError, match="max_count"):
        level(1, 0)


NEW_YORK = ZoneInfo("America/New_York")


def utc(text: str) -> datetime:
    """A UTC moment from `YYYY-MM-DDTHH:MM`."""
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


@pytest.mark.parametrize(
    ("moment", "at_2", "at_5"),
    [
        # 2026-03-08: 02:00 EST jumps to 03:00 EDT.
        pytest.param(utc("2026-03-08T06:30"), (3, 7), (3, 7), id="봄 01:30 EST"),
        pytest.param(utc("2026-03-08T07:30"), (3, 8), (3, 7), id="봄 03:30 EDT"),
        pytest.param(utc("2026-03-08T09:00"), (3, 8), (3, 8), id="봄 05:00 EDT"),
        # 2026-11-01: 02:00 EDT falls back to 01:00 EST, so 01:30 happens twice.
        pytest.param(utc("2026-11-01T05:30"), (10, 31), (10, 31), id="가을 첫 01:30 EDT"),
        pytest.param(utc("2026-11-01T06:30"), (10, 31), (10, 31), id="가을 두번째 01:30 EST"),
        pytest.param(utc("2026-11-01T07:30"), (11, 1), (10, 31), id="가을 02:30 EST"),
        pytest.param(utc("2026-11-01T09:59"), (11, 1), (10, 31), id="가을 04:59 EST"),
        pytest.param(utc("2026-11-01T10:00"), (11, 1), (11, 1), id="가을 05:00 EST"),
    ],
)
def test_study_day_across_dst(moment: datetime, at_2: tuple[int, int], at_5: tuple[int, int]) -> None:
    """study_day uses New York's wall clock on DST switch days, for day starts 2 and 5 o'clock."""
    assert study_day(moment, NEW_YORK, 2) == date(2026, *at_2)
    assert study_day(moment, NEW_YORK, 5) == date(2026, *at_5)


@pytest.mark.parametrize(
    ("start", "day_starts_at", "expected_hours"),
    [
        pytest.param("2026-03-05T00:00", 2, {date(2026, 3, 8): 23}, id="봄-2시"),
        pytest.param("2026-03-05T00:00", 5, {date(2026, 3, 7): 23}, id="봄-5시"),
        pytest.param("2026-10-29T00:00", 2, {date(2026, 10, 31): 25}, id="가을-2시"),
        pytest.param("2026-10-29T00:00", 5, {date(2026, 10, 31): 25}, id="가을-5시"),
    ],
)
def test_study_days_cover_dst_without_gaps(start: str, day_starts_at: int, expected_hours: dict[date, int]) -> None:
    """Hourly moments over a DST switch land on consecutive study days, one of 23 or 25 hours."""
    hours: dict[date, int] = {}
    for i in range(6 * 24):
        d = study_day(utc(start) + timedelta(hours=i), NEW_YORK, day_starts_at)
        hours[d] = hours.get(d, 0) + 1
    full = sorted(hours)[1:-1]  # the first and last days are cut by the sample window
    assert [(b - a).days for a, b in itertools.pairwise(full)] == [1] * (len(full) - 1)
    assert {d: hours[d] for d in full if hours[d] != 24} == expected_hours


def test_streak_across_dst_switch() -> None:
    """A run of study days over the spring DST switch counts each day exactly once."""
    moments = [utc(f"2026-03-{d:02d}T12:00") for d in (6, 7, 8, 9)]
    days = {study_day(m, NEW_YORK, 5): 1 for m in moments}
    streak = compute(days, date(2026, 3, 9))
    assert (streak.current, streak.current_since) == (4, date(2026, 3, 6))


def _oracle(days: dict[date, int], today: date, counts: Callable[[date], bool]) -> tuple[int, int]:
    """(current, longest) by brute force over the list of counting days."""
    lo = min(days, default=today)
    seq = [lo + timedelta(i) for i in range((today - lo).days + 1)]
    flags = [days.get(d, 0) > 0 for d in seq if counts(d)]
    if flags and not flags[-1] and counts(today):
        flags.pop()  # an empty today is forgiven
    runs, run = [], 0
    for flag in flags:
        run = run + 1 if flag else 0
        runs.append(run)
    return (runs[-1] if runs else 0), max(runs, default=0)


_day_sets = st.dictionaries(st.integers(0, 40).map(lambda i: nov(2) + timedelta(i)), st.integers(-1, 3), max_size=30)


@given(_day_sets, st.integers(0, 45))
def test_compute_matches_brute_force(days: dict[date, int], offset: int) -> None:
    """Both modes agree with a brute-force count over the counting days, for any history."""
    today = nov(2) + timedelta(offset)
    past = {d: n for d, n in days.items() if d <= today}
    for mode, counts in ((Mode.CALENDAR, lambda _: True), (Mode.COURSE, COURSE_DAY)):
        streak = compute(days, today, mode=mode, is_course_day=COURSE_DAY)
        assert (streak.current, streak.longest) == _oracle(past, today, counts)
        assert streak.longest >= streak.current
        assert streak.active_days == sum(1 for n in past.values() if n > 0)
