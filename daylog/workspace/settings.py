"""Team settings, read from the `daylog` plugin block of mkdocs.yml.

The same block configures the CLI and the MkDocs plugin, so it is read here
without importing mkdocs, with Material's `!!python/name:` tags tolerated.
"""

from __future__ import annotations

import re
from datetime import date
from typing import NamedTuple
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
    return repr(tuple(sorted(v) if isinstance(v, frozenset) else v for v in s[: Settings._fields.index("source")]))


def valid_member_id(value: str) -> bool:
    """Member ids name folders: no separators, no `..`, no leading dot."""
    return bool(_MEMBER_ID.match(value)) and ".." not in value
