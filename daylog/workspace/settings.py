"""Team settings, read from the `daylog` plugin block of mkdocs.yml.

The same block configures the CLI and the MkDocs plugin, so it is read here
without importing mkdocs, with Material's `!!python/name:` tags tolerated.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any, NamedTuple
from zoneinfo import ZoneInfo

from daylog.calendar import CourseCalendar
from daylog.entries.sections import DEFAULT_SECTIONS

DEFAULT_TITLE = "[{course} / Day{day}] Today"
DEFAULT_TITLE_OFF_DAY = "[{course} / {date}] Today"
DEFAULT_API_URL = "https://api.github.com"

_MEMBER_ID = re.compile(r"^[^\W_][\w.-]*$")
REPO_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


# NamedTuples, not dataclasses: every command builds these, and importing `dataclasses`
# (it pulls in `inspect`) would cost each start-up about 10 ms.


class Member(NamedTuple):
    """One team member."""

    id: str  # used in paths (`logs/<id>/`) and on the command line
    name: str  # display name, as teammates write it in entries (e.g. `엠제이`)
    github: str | None = None  # GitHub login, for linking and commit attribution
    emails: tuple[str, ...] = ()  # git author e-mails that belong to this member
    aliases: tuple[str, ...] = ()  # other names teammates write (nicknames, English names)


class Settings(NamedTuple):
    """Everything a team configures, validated (read-only: change with `_replace`)."""

    course: str
    start_date: date
    timezone: str = "Asia/Seoul"
    day_starts_at: int = 4
    course_days: str = "weekdays"
    holidays: frozenset[date] = frozenset()
    title: str = DEFAULT_TITLE
    title_off_day: str = DEFAULT_TITLE_OFF_DAY
    members: tuple[Member, ...] = ()
    sections: dict[str, tuple[str, ...]] = DEFAULT_SECTIONS  # heading aliases per section; never mutated
    required_sections: tuple[str, ...] = ("til",)
    private_sections: tuple[str, ...] = ()
    issue_repo: str | None = None
    api_url: str = DEFAULT_API_URL
    carry_over: bool = True
    extra_repos: tuple[str, ...] = ()
    co_authors: bool = False
    logs_dir: str = "logs"
    templates_dir: str = "templates"
    source: str | None = None  # the file these settings were read from

    @property
    def calendar(self) -> CourseCalendar:
        return CourseCalendar(self.start_date, self.course_days == "all", self.holidays)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def member(self, member_id: str) -> Member | None:
        for m in self.members:
            if m.id == member_id:
                return m
        return None

    def member_by_email(self, email: str) -> Member | None:
        wanted = email.strip().lower()
        for m in self.members:
            if wanted in (e.lower() for e in m.emails):
                return m
        return None

    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.members)


def identity(s: Settings) -> str:
    """Everything that affects what daylog computes, as a string stable across runs.

    `repr(settings)` is not: `holidays` is a set, and its order changes with every
    process's hash seed. The file the settings came from is left out.
    """
    return repr(_to_plain(s))


def _to_plain(s: Settings) -> tuple[Any, ...]:
    return (
        s.course,
        s.start_date.toordinal(),
        s.timezone,
        s.day_starts_at,
        s.course_days,
        sorted(d.toordinal() for d in s.holidays),
        s.title,
        s.title_off_day,
        [(m.id, m.name, m.github, m.emails, m.aliases) for m in s.members],
        dict(s.sections),
        s.required_sections,
        s.private_sections,
        s.issue_repo,
        s.api_url,
        s.carry_over,
        s.extra_repos,
        s.co_authors,
        s.logs_dir,
        s.templates_dir,
    )


def _from_plain(p: tuple[Any, ...]) -> Settings:
    return Settings(
        course=p[0],
        start_date=date.fromordinal(p[1]),
        timezone=p[2],
        day_starts_at=p[3],
        course_days=p[4],
        holidays=frozenset(date.fromordinal(o) for o in p[5]),
        title=p[6],
        title_off_day=p[7],
        members=tuple(Member(*m) for m in p[8]),
        sections=p[9],
        required_sections=p[10],
        private_sections=p[11],
        issue_repo=p[12],
        api_url=p[13],
        carry_over=p[14],
        extra_repos=p[15],
        co_authors=p[16],
        logs_dir=p[17],
        templates_dir=p[18],
    )


def valid_member_id(value: str) -> bool:
    """Member ids name folders: no separators, no `..`, no leading dot."""
    return bool(_MEMBER_ID.match(value)) and ".." not in value
