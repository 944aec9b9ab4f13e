"""Activity days per member, from entries and from git commits: what streaks are made of.

Two sources, merged per study day (`Source.BOTH` adds the counts):

- **entries**: a day counts once per entry file of the member that has something *written*
  in it. A freshly scaffolded entry does not: lines the team's template puts there, HTML
  comments, bare list markers, the `지난 follow-up` reminder list `daylog new` adds, and
  assignment items carried over unchanged from the member's previous entry are not writing.
  Checking a carried item off, editing it or adding a new one is. Read through the parse
  cache (`workspace.cache.View`), so a warm run only stats the files.
- **commits**: one `git log` per repository (the workspace's, then `extra_repos`), started in
  the background while the entries are read. A commit belongs to the member whose `emails`
  hold its author e-mail (case-insensitive, after `.mailmap`; a GitHub noreply address
  `12345+login@users.noreply.github.com` matches the member's `github` login), and with
  `co_authors: true` also to members named in `Co-authored-by:` trailers; it counts once per
  member. Its day is the author time in the team's zone with `day_starts_at` applied.

Problems that must not stop a streak (no git, a folder that is not a repository, a shallow
clone, authors who are no member) become `notes`, each said once; those that mean the
figures may be wrong (a shallow clone, a repository that cannot be read) are `warnings`
too, which the site logs as MkDocs warnings so that `mkdocs build --strict` stops on them.
"""

from __future__ import annotations

import enum
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple
from zoneinfo import ZoneInfo

from daylog.calendar import CourseCalendar
from daylog.entries.markdown import fenced_ranges, is_residue, mask_code
from daylog.errors import DaylogError
from daylog.streaks import kept_log
from daylog.streaks.gitlog import (
    GitError,
    GitNotFound,
    LogRun,
    NotAGitRepository,
    Stamps,
    log_fields,
    parse_co_authors,
)
from daylog.streaks.rules import Mode, Streak, compute, team_days
from daylog.workspace.cache import View, load_view

if TYPE_CHECKING:
    from daylog.entries.model import Entry
    from daylog.workspace.files import EntryFile, Workspace
    from daylog.workspace.settings import Settings

IGNORED_SECTIONS = frozenset({"reminders"})
"""Sections `daylog new` fills by itself: never the member's writing."""
_MAX_UNMAPPED = 5


class Source(enum.Enum):
    """Where activity comes from."""

    ENTRIES = "entries"
    COMMITS = "commits"
    BOTH = "both"
    """The union of the two; a day's count is its entries plus its commits."""

    @property
    def entries(self) -> bool:
        return self is not Source.COMMITS

    @property
    def commits(self) -> bool:
        return self is not Source.ENTRIES


Days = dict[date, int]

DEFAULT_SOURCE = Source.BOTH
"""What counts as activity unless told otherwise: `daylog streak`, `status` and the site."""
DEFAULT_MODE = Mode.CALENDAR
"""The streak rule unless told otherwise: `daylog streak`, `status` and the site."""


@dataclass(frozen=True, slots=True)
class Activity:
    """Activity days of every member, and what the user should hear about how they were read."""

    days: dict[str, Days]
    """Member id → study day → count (only days with activity)."""
    notes: tuple[str, ...]
    """One line each, for stderr: shallow clones, missing git, unmapped authors."""
    errors: tuple[DaylogError, ...]
    """Entry files that could not be read (they count for nothing)."""
    warnings: tuple[str, ...] = ()
    """The notes that mean the figures may be wrong (a shallow clone, a repository that
    cannot be read); the rest only say what was not counted and why."""
    unread: tuple[str, ...] = ()
    """Repositories whose `git log` failed behind a HEAD that resolves (a missing object):
    their HEAD may stay while the failure goes, so a replayed `streak` must not keep it."""


# --- entries: what counts as written ---------------------------------------------------

_JINJA_COMMENT = re.compile(r"\{#.*?#\}", re.S)


def template_baseline(template: str) -> frozenset[str]:
    """The lines the entry template writes by itself, stripped: never the member's writing.

    Lines with Jinja expressions or tags are left out (they differ per entry; the ones the
    default template has are the reminder list and carried items, handled on their own).
    """
    text = _JINJA_COMMENT.sub("", template)
    lines = ["" if ("{{" in ln or "{%" in ln) else ln for ln in text.split("\n")]
    masked = mask_code("\n".join(lines), inline=False, comments=True)
    return frozenset(ln.strip() for ln in masked.split("\n") if not is_residue(ln))


class Writing(NamedTuple):
    """What one entry holds of its member's own writing."""

    wrote: bool
    """Something written besides open assignment items."""
    open_items: tuple[str, ...]
    """The open items' keys (`normalize_text`)."""


def written(entry: Entry, text: str, baseline: frozenset[str]) -> Writing:
    """What the entry holds of the member's writing, the template's own lines left out.

    Open items are returned apart because whether they are writing depends on the member's
    previous entry (`entry_days`): an item carried over unchanged is not.
    """
    from daylog.entries.parse import filled_lines  # here, not at the top: a warm cache never parses
    from daylog.followups.lifecycle import normalize_text

    if text.startswith("\ufeff"):
        text = text[1:]
    lines = mask_code(text, inline=False, comments=True).split("\n")
    if "```" in text or "~~~" in text:  # code is writing too: put fenced lines back
        original = text.split("\n")
        for a, b in fenced_ranges(text):
            for i in range(text.count("\n", 0, a), min(text.count("\n", 0, b), len(lines) - 1) + 1):
                lines[i] = original[i]
    open_items = {t.line: normalize_text(t.text) for t in entry.tasks if not t.done}
    wrote = False
    keys: dict[str, None] = {}
    for section in entry.sections:
        if section.key in IGNORED_SECTIONS:
            continue
        for line, raw in filled_lines(lines, section):
            if raw.strip() in baseline:
                continue
            key = open_items.get(line)
            if key is None:
                wrote = True
            else:
                keys[key] = None
    return Writing(wrote, tuple(keys))


class EntryRow(NamedTuple):
    """One entry file's writing, with its member and date."""

    member: str
    date: date
    wrote: bool
    open_items: tuple[str, ...]


def entry_days(rows: Iterable[EntryRow]) -> dict[str, Days]:
    """Member → day → entries with writing; an open item counts as writing unless the
    member's previous entry (the latest earlier date) had it open too."""
    by_member: dict[str, dict[date, list[tuple[bool, tuple[str, ...]]]]] = {}
    for member, d, wrote, keys in rows:
        by_member.setdefault(member, {}).setdefault(d, []).append((wrote, keys))
    out: dict[str, Days] = {}
    for member, per_day in by_member.items():
        days: Days = {}
        previous: set[str] = set()
        for d in sorted(per_day):
            files = per_day[d]
            n = sum(1 for wrote, keys in files if wrote or any(k not in previous for k in keys))
            if n:
                days[d] = n
            previous = {k for _, keys in files for k in keys}
        if days:
            out[member] = days
    return out


def entries_view(ws: Workspace) -> View[Writing]:
    """The cached per-file view of what each entry holds of its member's writing.

    The template's lines are part of the view's key, so editing the template rebuilds the cache.
    """
    _, template = ws.template()
    baseline = template_baseline(template)

    def extract(f: EntryFile, e: Entry, text: str) -> Writing:
        return written(e, text, baseline) if f.member else Writing(False, ())

    return View(
        "activity",
        frozenset({"tasks"}),
        extract,
        encode=tuple,
        decode=lambda plain: Writing(bool(plain[0]), tuple(plain[1])),
        key="\n".join(sorted(baseline)),  # the lines themselves: a short text, no hashlib to import
    )


def read_entry_days(ws: Workspace, member: str | None = None) -> tuple[dict[str, Days], list[DaylogError]]:
    """Entry activity of every member folder (or one member's), through the parse cache."""
    rows, errors = load_view(ws, entries_view(ws), member)
    picked = [
        EntryRow(row.file.member, row.date, row.data.wrote, row.data.open_items)
        for row in rows
        if row.date is not None and row.file.member
    ]
    return entry_days(picked), errors


# --- commits ------------------------------------------------------------------------

_NOREPLY = "@users.noreply.github.com"


def member_resolver(settings: Settings) -> Callable[[str, str], str | None]:
    """(name, e-mail) → member id by the members' `emails` (any case) or GitHub noreply login."""
    by_email = {e.strip().lower(): m.id for m in settings.members for e in m.emails}
    by_login = {m.github.lower(): m.id for m in settings.members if m.github}

    def resolve(name: str, email: str) -> str | None:
        e = email.strip().lower()
        hit = by_email.get(e)
        if hit is None and e.endswith(_NOREPLY):
            hit = by_login.get(e[: -len(_NOREPLY)].rsplit("+", 1)[-1])
        return hit

    return resolve


def stamp_days(
    stamps: Stamps,
    resolve: Callable[[str, str], str | None],
    zone: ZoneInfo,
    day_starts_at: int,
    *,
    seen: set[str] | None = None,
    only: str | None = None,
) -> tuple[dict[str, Days], set[tuple[str, str]]]:
    """Member → day → commits, and the identities that map to nobody.

    The day is `calendar.study_day` of the author time. With `Stamps.co_authors`, trailer
    members are credited too (a commit counts once per member). With `seen` (and
    `Stamps.shas`), a commit already counted in another repository is skipped. With `only`,
    the days of that member alone (`status`: a sixth of the work for a team of six).
    """
    memo: dict[tuple[str, str], str | None] = {}
    for person in set(zip(stamps.names, stamps.emails, strict=True)):
        memo[person] = resolve(*person)
    day_of = _StudyDays(zone, day_starts_at)
    if stamps.co_authors is None and (seen is None or stamps.shas is None):
        counted = memo if only is None else {p: m if m == only else None for p, m in memo.items()}
        tally = _authors_only(stamps, counted, day_of)
    else:
        tally = _with_co_authors(stamps, memo, resolve, day_of, seen)
        if only is not None:
            tally = {key: n for key, n in tally.items() if key[0] == only}
    days: dict[str, Days] = {}
    for (member, ordinal), n in tally.items():
        days.setdefault(member, {})[date.fromordinal(ordinal)] = n
    return days, {p for p, m in memo.items() if m is None}


def _authors_only(
    stamps: Stamps, memo: Mapping[tuple[str, str], str | None], day_of: _StudyDays
) -> dict[tuple[str, int], int]:
    """(member, day ordinal) → commits, by author alone: the common case, kept tight (10,000s of commits)."""
    tally: dict[tuple[str, int], int] = {}
    for when, person in zip(stamps.times, zip(stamps.names, stamps.emails, strict=True), strict=True):
        member = memo[person]
        if member is not None:
            key = (member, day_of(int(when)))
            tally[key] = tally.get(key, 0) + 1
    return tally


def _with_co_authors(
    stamps: Stamps,
    memo: dict[tuple[str, str], str | None],
    resolve: Callable[[str, str], str | None],
    day_of: _StudyDays,
    seen: set[str] | None,
) -> dict[tuple[str, int], int]:
    """(member, day ordinal) → commits, crediting `Co-authored-by:` members and skipping commits in `seen`."""
    tally: dict[tuple[str, int], int] = {}
    for i, when in enumerate(stamps.times):
        if seen is not None and stamps.shas is not None:
            if stamps.shas[i] in seen:
                continue
            seen.add(stamps.shas[i])
        people = [(stamps.names[i], stamps.emails[i])]
        if stamps.co_authors is not None and stamps.co_authors[i]:
            people.extend(parse_co_authors(stamps.co_authors[i]))
        members: set[str] = set()
        for person in people:
            if person not in memo:
                memo[person] = resolve(*person)
            member = memo[person]
            if member is not None:
                members.add(member)
        ordinal = day_of(int(when)) if members else 0
        for member in members:
            tally[(member, ordinal)] = tally.get((member, ordinal), 0) + 1
    return tally


_EPOCH = date(1970, 1, 1).toordinal()
_VARIES = object()


class _StudyDays:
    """Unix time → ordinal of its study day (`calendar.study_day`), in integer arithmetic.

    The zone's offset is looked up once per UTC day; only on a day the offset changes
    (a DST switch) does a commit go through `datetime`.
    """

    def __init__(self, zone: ZoneInfo, day_starts_at: int) -> None:
        self.zone = zone
        self.day_starts_at = day_starts_at
        self.shift = day_starts_at * 3600
        self.offsets: dict[int, object] = {}

    def _offset(self, utc_day: int) -> object:
        first = datetime.fromtimestamp(utc_day * 86400, self.zone).utcoffset()
        last = datetime.fromtimestamp(utc_day * 86400 + 86399, self.zone).utcoffset()
        if first is None or first != last:
            return _VARIES
        return int(first.total_seconds()) - self.shift

    def __call__(self, ts: int) -> int:
        utc_day = ts // 86400
        offset = self.offsets.get(utc_day)
        if offset is None:
            offset = self.offsets[utc_day] = self._offset(utc_day)
        if offset is _VARIES:
            local = datetime.fromtimestamp(ts, self.zone)
            d = local.date()
            return (d.toordinal() - 1) if local.hour < self.day_starts_at else d.toordinal()
        assert isinstance(offset, int)
        return _EPOCH + (ts + offset) // 86400


def repositories(ws: Workspace) -> list[tuple[str, Path]]:
    """(label, folder) of the workspace's repository and each of `extra_repos`."""
    out = [(".", ws.root)]
    for rel in ws.settings.extra_repos:
        path = Path(rel).expanduser()
        out.append((rel, path if path.is_absolute() else ws.root / path))
    return out


def history_keys(ws: Workspace) -> tuple[Any, ...] | None:
    """What the commits `collect` reads depend on, per repository (`kept_log.history_key`): a
    replayed `streak` is current while these are. None when a repository cannot be keyed."""
    repos = repositories(ws)
    fields = log_fields(co_authors=ws.settings.co_authors, shas=len(repos) > 1)
    keys = tuple(kept_log.history_key(path, fields) for _, path in repos)
    return None if None in keys else keys


class _Commits:
    """git logs started at construction, collected by `finish`."""

    def __init__(self, ws: Workspace) -> None:
        self.ws = ws
        self.runs: list[tuple[str, LogRun | GitError]] = []
        self.unread: list[str] = []
        repos = repositories(ws)
        for label, path in repos:
            try:
                run = LogRun(path, co_authors=ws.settings.co_authors, shas=len(repos) > 1, keep_in=ws.cache_dir)
            except GitNotFound as exc:
                self.runs = [(label, exc)]
                return
            except GitError as exc:
                self.runs.append((label, exc))
                continue
            self.runs.append((label, run))

    def finish(
        self, notes: list[str], warnings: list[str], *, with_entries: bool, member: str | None = None
    ) -> tuple[dict[str, Days], bool]:
        """Commit days per member (of `member`, when given), and whether any repository could be read at all.

        Every message goes to `notes`; those that mean the figures may be wrong to `warnings` too.
        """
        only = "counting entries only" if with_entries else "no commits to count"
        settings = self.ws.settings
        resolve = member_resolver(settings)
        zone = settings.zone
        seen: set[str] | None = set() if len(self.runs) > 1 else None
        total: dict[str, Days] = {}
        unmapped: set[tuple[str, str]] = set()
        shallow: list[str] = []
        readable = False
        for label, run in self.runs:
            try:
                if isinstance(run, GitError):
                    raise run
                stamps = run.result()
            except GitNotFound:
                notes.append(f"git is not installed: {only}")
                continue
            except NotAGitRepository as exc:
                if label != ".":
                    notes.append(f"extra_repos {label!r}: {exc.message}: its commits are not counted")
                    warnings.append(notes[-1])
                elif len(self.runs) == 1:
                    notes.append(f"the workspace is not in a git repository: {only}")
                else:
                    notes.append("the workspace is not in a git repository: its own commits are not counted")
                continue
            except GitError as exc:
                notes.append(f"cannot read the commits of {label!r}: {exc.message}")
                warnings.append(notes[-1])
                self.unread.append(label)
                continue
            readable = True
            if stamps.shallow:
                shallow.append(label)
            days, missing = stamp_days(stamps, resolve, zone, settings.day_starts_at, seen=seen, only=member)
            unmapped |= missing
            merge_into(total, days)
        if shallow:
            which = "the workspace" if shallow == ["."] else ", ".join(repr(s) for s in shallow)
            notes.append(
                f"warning: {which} is a shallow clone, so older commits are missing and streaks may be cut "
                "short (fetch the full history: git fetch --unshallow; in GitHub Actions: fetch-depth: 0)"
            )
            warnings.append(notes[-1])
        if unmapped:
            people = sorted(unmapped)
            shown = ", ".join(f"{n} <{e}>" if e else n for n, e in people[:_MAX_UNMAPPED])
            more = f" and {len(people) - _MAX_UNMAPPED} more" if len(people) > _MAX_UNMAPPED else ""
            notes.append(
                f"commits by {shown}{more} belong to no member: add the e-mail to a member's `emails` "
                "in mkdocs.yml or map it in .mailmap"
            )
        return total, readable


def merge_into(total: dict[str, Days], more: Mapping[str, Mapping[date, int]]) -> None:
    """Add `more`'s counts into `total`, day by day."""
    for member, days in more.items():
        per_day = total.setdefault(member, {})
        for d, n in days.items():
            per_day[d] = per_day.get(d, 0) + n


class Collector:
    """Activity of every member from `source`: git starts at construction, `finish` gathers.

    Whatever the caller reads between the two (more views of the entries) overlaps git.
    """

    def __init__(self, ws: Workspace, source: Source, member: str | None = None) -> None:
        self.ws = ws
        self.source = source
        self.member = member
        """Only this member's entries and commit days are read (git log reads everyone's either way)."""
        self._commits = _Commits(ws) if source.commits else None

    def finish(self) -> Activity:
        """The merged activity. `Source.COMMITS` with no readable repository at all is an error
        (there is nothing to count); with `Source.BOTH` it is a note and entries still count."""
        notes: list[str] = []
        warnings: list[str] = []
        total: dict[str, Days] = {}
        errors: list[DaylogError] = []
        if self.source.entries:
            days, errors = read_entry_days(self.ws, self.member)
            merge_into(total, days)
        if self._commits is not None:
            days, readable = self._commits.finish(notes, warnings, with_entries=self.source.entries, member=self.member)
            if not readable and not self.source.entries:
                raise DaylogError(
                    "; ".join(notes) or "no git history to count",
                    hint="run daylog inside the team's git checkout, or use --source entries",
                )
            merge_into(total, days)
        unread = tuple(self._commits.unread) if self._commits is not None else ()
        return Activity(total, tuple(dict.fromkeys(notes)), tuple(errors), tuple(dict.fromkeys(warnings)), unread)


def collect(ws: Workspace, source: Source) -> Activity:
    """Activity days of every member from `source` (see `Collector`)."""
    return Collector(ws, source).finish()


# --- streak figures ---------------------------------------------------------------------

TEAM = "team"
"""The `member` of the team's report (`--team`): days on which every member was active."""


@dataclass(frozen=True, slots=True)
class StreakReport:
    """One member's (or the team's) streak figures and activity days, as of one day."""

    member: str
    """Member id, or `TEAM`."""
    source: Source
    mode: Mode
    streak: Streak
    days: dict[date, int]
    """Days with activity through `today`, oldest first (future-dated ones dropped)."""

    def as_json(self) -> dict[str, object]:
        """The documented `daylog streak --json` object."""
        s = self.streak
        return {
            "member": self.member,
            "source": self.source.value,
            "mode": self.mode.value,
            "current": s.current,
            "current_since": _iso(s.current_since),
            "longest": s.longest,
            "longest_from": _iso(s.longest_from),
            "longest_to": _iso(s.longest_to),
            "active_days": s.active_days,
            "last_active": _iso(s.last_active),
            "days": {d.isoformat(): n for d, n in self.days.items()},
        }


def _iso(d: date | None) -> str | None:
    return d.isoformat() if d is not None else None


def streak_report(
    member: str, days: Mapping[date, int], today: date, source: Source, mode: Mode, calendar: CourseCalendar
) -> StreakReport:
    """Figures for `days` as of `today`; COURSE mode skips the calendar's non-course days."""
    streak = compute(days, today, mode=mode, is_course_day=calendar.is_course_day)
    shown = {d: n for d, n in sorted(days.items()) if n > 0 and d <= today}
    return StreakReport(member, source, mode, streak, shown)


def reported_members(settings: Settings, activity: Activity) -> list[str]:
    """Whose streaks `daylog streak` reports: the configured members, else every member folder."""
    return list(settings.member_ids()) or sorted(activity.days)


def team_report(
    activity: Activity, members: Iterable[str], today: date, source: Source, mode: Mode, calendar: CourseCalendar
) -> StreakReport:
    """The team's figures (`daylog streak --team`): days on which every one of `members` was active."""
    days = team_days({m: activity.days.get(m, {}) for m in members})
    return streak_report(TEAM, days, today, source, mode, calendar)
