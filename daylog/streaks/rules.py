"""Activity days → current and longest streaks, and the grass's colour levels.

Pure: a mapping of study days to activity counts (entries written, commits made) goes in,
plain values come out. `today` is always a parameter; nothing here reads the clock.

Days are `date` objects stepped with `timedelta(days=1)`, never datetimes, so 23- and
25-hour DST days cannot make a streak skip or double-count a day. Turning moments into
study days is `daylog.calendar.study_day`'s job, done once, before anything gets here.
"""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

_ONE_DAY = timedelta(days=1)


class Mode(enum.Enum):
    """Which days a streak is made of."""

    CALENDAR = "calendar"
    """Every day counts, weekends included: GitHub's rule."""
    COURSE = "course"
    """Only course days count. Other days (weekends, holidays) are neutral: missing one
    never breaks a streak and activity on one never lengthens it."""


class TodayStatus(enum.Enum):
    """Where today stands for the current streak (for `daylog status`)."""

    DONE = "done"
    """Today already has activity."""
    AT_RISK = "at_risk"
    """Today counts, has no activity yet, and a streak is running: it ends unless today
    gets activity."""
    START = "start"
    """Today counts and has no activity, but there is no streak to keep: activity today
    would start one."""
    REST = "rest"
    """Today is not a course day (COURSE mode): nothing is needed."""


@dataclass(frozen=True, slots=True)
class Streak:
    """Streak figures for one activity history, as of one `today`."""

    current: int
    """Length of the run that is still alive: it ends today, or yesterday when today has no
    activity yet (an empty today is not over, so it does not break the run)."""
    current_since: date | None
    """First day of the current run; None when `current` is 0."""
    longest: int
    """Length of the longest run ever (through today); at least `current`."""
    longest_from: date | None
    """First day of the longest run (the most recent one on ties); None when `longest` is 0."""
    longest_to: date | None
    """Last day of the longest run; None when `longest` is 0."""
    active_days: int
    """Days through today with activity, course days or not: the honest total."""
    last_active: date | None
    """The latest day through today with activity; None when there is none."""


def _counting_rule(mode: Mode, is_course_day: Callable[[date], bool] | None) -> Callable[[date], bool]:
    """The predicate for days that count toward (and can break) a streak."""
    if mode is Mode.CALENDAR:
        return _every_day
    if is_course_day is None:
        raise ValueError("Mode.COURSE needs is_course_day (e.g. CourseCalendar.is_course_day)")
    return is_course_day


def _every_day(_: date) -> bool:
    return True


def _active(days: Mapping[date, int], today: date) -> list[date]:
    """Sorted days with activity, future-dated ones (after `today`) dropped."""
    return sorted(d for d, n in days.items() if n > 0 and d <= today)


def compute(
    days: Mapping[date, int],
    today: date,
    *,
    mode: Mode = Mode.CALENDAR,
    is_course_day: Callable[[date], bool] | None = None,
) -> Streak:
    """Current and longest streak of `days` (study day → activity count) as of `today`.

    Counts <= 0 are inactive; days after `today` are ignored (a future-dated file must not
    become a streak). In COURSE mode a streak is a run of consecutive *course* days with
    activity: non-course days in between are skipped, whatever happened on them.
    `is_course_day` is required in COURSE mode and ignored in CALENDAR mode.
    """
    counts = _counting_rule(mode, is_course_day)
    active = _active(days, today)
    if not active:
        return Streak(0, None, 0, None, None, 0, None)
    active_set = set(active)

    # Longest: walk the active counting days in order; two of them belong to one run when
    # no counting day lies between them.
    longest, longest_from, longest_to = 0, None, None
    run, run_from, prev = 0, active[0], None
    for d in active:
        if not counts(d):
            continue
        if prev is not None and _adjacent(prev, d, counts):
            run += 1
        else:
            run, run_from = 1, d
        if run >= longest:  # >=: on ties the most recent run wins
            longest, longest_from, longest_to = run, run_from, d
        prev = d

    # Current: step back from today over counting days until one is missing activity.
    # An empty today is forgiven (the day is not over); non-counting days are stepped over.
    current, since = 0, None
    d = today
    if counts(d) and d not in active_set:
        d -= _ONE_DAY
    earliest = active[0]
    while d >= earliest:
        if counts(d):
            if d not in active_set:
                break
            current, since = current + 1, d
        d -= _ONE_DAY

    return Streak(
        current=current,
        current_since=since,
        longest=longest,
        longest_from=longest_from,
        longest_to=longest_to,
        active_days=len(active),
        last_active=active[-1],
    )


def _adjacent(earlier: date, later: date, counts: Callable[[date], bool]) -> bool:
    """True when no counting day lies strictly between `earlier` and `later`."""
    d = earlier + _ONE_DAY
    while d < later:
        if counts(d):
            return False
        d += _ONE_DAY
    return True


def today_status(
    days: Mapping[date, int],
    today: date,
    *,
    mode: Mode = Mode.CALENDAR,
    is_course_day: Callable[[date], bool] | None = None,
) -> TodayStatus:
    """Whether today is done, still needed to keep a streak alive, or not needed at all."""
    counts = _counting_rule(mode, is_course_day)
    if days.get(today, 0) > 0:
        return TodayStatus.DONE
    if not counts(today):
        return TodayStatus.REST
    streak = compute(days, today, mode=mode, is_course_day=is_course_day)
    return TodayStatus.AT_RISK if streak.current > 0 else TodayStatus.START


def needs_activity_today(
    days: Mapping[date, int],
    today: date,
    *,
    mode: Mode = Mode.CALENDAR,
    is_course_day: Callable[[date], bool] | None = None,
) -> bool:
    """True when a running streak ends unless today gets activity (`TodayStatus.AT_RISK`)."""
    status = today_status(days, today, mode=mode, is_course_day=is_course_day)
    return status is TodayStatus.AT_RISK


def team_days(per_member: Mapping[str, Mapping[date, int]]) -> dict[date, int]:
    """Days on which every member was active, with the members' total count for the day.

    A team of nobody has no team days (rather than every day vacuously).
    """
    if not per_member:
        return {}
    histories = list(per_member.values())
    common = {d for d, n in histories[0].items() if n > 0}
    for history in histories[1:]:
        common &= {d for d, n in history.items() if n > 0}
    return {d: sum(h[d] for h in histories) for d in sorted(common)}


def level(count: int, max_count: int) -> int:
    """GitHub's grass level 0–4: `0` when inactive, else `min(4, ceil(4*count/max_count))`.

    The four levels are equal-width buckets of (0, max], not quartiles of days, whatever
    GitHub's API calls them (measured against GitHub's own graphs; see research §1.4).
    """
    if count <= 0:
        return 0
    if max_count <= 0:
        raise ValueError(f"max_count must be positive when count is {count}, not {max_count}")
    return min(4, -(-4 * count // max_count))  # integer ceil, no float rounding
