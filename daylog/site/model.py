"""Everything the team site shows, as plain data built from the entries' texts.

Pure: entry texts, settings, the issue cache's records, activity counts and `today` go in;
a `SiteModel` comes out. Private sections (`private_sections`) are blanked here, before
anything is read from an entry, so no page can show what they hold: the entry bodies,
questions, follow-ups, tasks, TILs and issue mentions all come from the public lines.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from daylog.calendar import CourseCalendar
from daylog.entry import Entry, SectionMatcher, has_content, parse
from daylog.followups import (
    FollowUpRecord,
    Status,
    TaskRecord,
    followup_rows,
    records_from_rows,
    task_rows,
    tasks_from_rows,
)
from daylog.issuerefs import find_refs
from daylog.markdown import mask_code
from daylog.settings import Settings
from daylog.streaks import Mode, Streak, compute

WEEKDAYS_KO = ("월", "화", "수", "목", "금", "토", "일")


@dataclass(frozen=True, slots=True)
class SourceEntry:
    """One entry file as read from disk."""

    member: str
    """The folder under `logs/`."""
    date: date
    """The date in the file name."""
    rel: str
    """Path from the workspace root (`logs/minji/2026-11-05.md`)."""
    text: str

    @property
    def page(self) -> str:
        """Virtual path of its page, `<member>/<file name>`: mirrors `logs/`, so links between
        entries (and to images beside them) keep working on the site."""
        return f"{self.member}/{self.rel.rsplit('/', 1)[-1]}"


@dataclass(frozen=True, slots=True)
class IssueInfo:
    """What the issue cache says about one issue (titles are untrusted text)."""

    key: str
    title: str | None
    state: str | None
    """`open`, `closed`, `merged`, or None when unknown or missing."""
    url: str | None
    missing: bool = False


@dataclass(frozen=True, slots=True)
class Mention:
    """One entry mentioning one issue."""

    key: str
    url: str
    member: str
    date: date
    page: str
    """The entry's page path."""
    line: int


@dataclass(frozen=True, slots=True)
class IssueView:
    """A referenced issue with its cached title/state and every mention, oldest first."""

    key: str
    repo: str
    number: int
    url: str
    info: IssueInfo | None
    mentions: tuple[Mention, ...]

    @property
    def state(self) -> str:
        """`open`, `closed`, `merged`, `missing` or `unknown` (not in the cache)."""
        if self.info is None:
            return "unknown"
        if self.info.missing:
            return "missing"
        return self.info.state or "unknown"

    @property
    def last_mentioned(self) -> date:
        return max(m.date for m in self.mentions)


@dataclass(frozen=True, slots=True)
class AnswerView:
    answerer: str | None
    """Member id when the name is a member's, else the name as written; None when unnamed."""
    text: str


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A peer-session question, where it was written, and its answers."""

    askers: tuple[str, ...]
    """Member ids (or names as written when not a member)."""
    text: str
    answers: tuple[AnswerView, ...]
    member: str
    """Who wrote the entry."""
    date: date
    day: int | None
    week: int
    page: str
    line: int


@dataclass(frozen=True, slots=True)
class EntryView:
    """One entry, ready for its page."""

    member: str
    date: date
    day: int | None
    week: int
    """Course week (0 before the course starts)."""
    title: str
    tags: tuple[str, ...]
    page: str
    """Virtual path of its page: `<member>/<YYYY-MM-DD>.md`."""
    source: str
    """Path of the log file from the workspace root."""
    heading: str
    """The entry's own `# title` line when its text starts with one (shown above the header)."""
    body: str
    """Public Markdown after the front matter (private sections blanked), without `heading`."""
    til: str
    """Public text of its TIL section(s), headings demoted for embedding."""
    followups: tuple[FollowUpRecord, ...]
    issues: tuple[str, ...]
    """Keys of the issues it mentions, in order of first mention."""
    questions: int
    active: bool
    """Whether it has content (counts as activity for streaks)."""


@dataclass(frozen=True, slots=True)
class MemberView:
    id: str
    name: str
    github: str | None
    streak: Streak
    days: Mapping[date, int]
    """Activity per study day (entries with content for now)."""
    entries: tuple[EntryView, ...]
    asked: int
    answered: int


@dataclass(frozen=True, slots=True)
class WeekView:
    number: int
    monday: date
    sunday: date
    entries: tuple[EntryView, ...]
    questions: tuple[QuestionView, ...]
    opened: tuple[FollowUpRecord, ...]
    resolved: tuple[FollowUpRecord, ...]
    streaks: tuple[tuple[str, int, int], ...]
    """(member, current streak at the end of the week before, at the end of this week)."""


@dataclass(frozen=True, slots=True)
class SiteModel:
    course: str
    today: date
    members: tuple[MemberView, ...]
    entries: tuple[EntryView, ...]
    """By member, then date."""
    followups: tuple[FollowUpRecord, ...]
    """Open and resolved, oldest first."""
    tasks: tuple[TaskRecord, ...]
    """Open assignment items."""
    questions: tuple[QuestionView, ...]
    """By date, then member and line."""
    issues: tuple[IssueView, ...]
    weeks: tuple[WeekView, ...]
    team_days: Mapping[date, int]
    """Sum of the members' activity per day (the team's grass)."""
    start: date

    def member(self, member_id: str) -> MemberView | None:
        for m in self.members:
            if m.id == member_id:
                return m
        return None

    def name(self, member_id: str | None) -> str:
        """Display name of a member id (or the text itself when it is not one)."""
        if member_id is None:
            return ""
        m = self.member(member_id)
        return m.name if m is not None else member_id

    @property
    def open_followups(self) -> tuple[FollowUpRecord, ...]:
        return tuple(f for f in self.followups if f.status is Status.OPEN)

    @property
    def latest_day(self) -> date | None:
        """The latest date (through today) with entries, preferring course days."""
        dates = sorted({e.date for e in self.entries if e.date <= self.today}, reverse=True)
        return dates[0] if dates else None

    def page_of(self, rel: str) -> str:
        """The page of the entry at `rel` (a log file path from the workspace root)."""
        for e in self.entries:
            if e.source == rel:
                return e.page
        raise KeyError(rel)

    def entries_on(self, d: date) -> tuple[EntryView, ...]:
        return tuple(e for e in self.entries if e.date == d)


def private_lines(entry: Entry, private: Iterable[str]) -> set[int]:
    """1-based lines inside sections whose key is private (their headings included)."""
    keys = set(private)
    out: set[int] = set()
    if not keys:
        return out
    for s in entry.sections:
        if s.key in keys:
            out.update(range(s.line, s.end + 1))
    return out


def public_text(text: str, hidden: set[int]) -> str:
    """`text` with the hidden lines emptied; the line count (and every line number) is kept."""
    if not hidden:
        return text
    lines = text.split("\n")
    return "\n".join("" if i + 1 in hidden else line for i, line in enumerate(lines))


_HEADING = re.compile(r"^(#{1,6})(?=[ \t]|$)", re.M)


def demote_headings(markdown: str, minimum: int = 4) -> str:
    """Headings outside code raised to at least `minimum` (for embedding a section in a page)."""
    masked = mask_code(markdown, inline=False)
    out = []
    for raw, shown in zip(markdown.split("\n"), masked.split("\n"), strict=True):
        m = _HEADING.match(shown)
        if m and len(m.group(1)) < minimum:
            raw = "#" * minimum + raw[len(m.group(1)) :]
        out.append(raw)
    return "\n".join(out)


_LIST_ITEM = re.compile(r"^([ \t]*)((?:[-*+]|\d{1,9}[.)])[ \t]+|(?:[-*+]|\d{1,9}[.)])$)")
_RULE = re.compile(r"^[ \t]*([-*_])(?:[ \t]*\1){2,}[ \t]*$")


def python_markdown_lists(markdown: str) -> str:
    """Lists as GitHub reads them, rewritten for Python-Markdown (which MkDocs uses).

    GitHub nests a list item under another when it starts at the parent's text (two spaces
    after `- `); Python-Markdown wants four spaces per level, and a blank line between a
    paragraph and a list. Entries are written for GitHub, so nested items are re-indented
    to four spaces per level and a blank line is put before a list that follows a paragraph.
    Code blocks keep their content; only their indentation follows their list item.
    """
    masked = mask_code(markdown, inline=False, comments=False).split("\n")
    lines = markdown.split("\n")
    out: list[str] = []
    stack: list[tuple[int, int, int]] = []  # (indent, content column, new indent) per open item
    prev_blank = True
    prev_item_or_list = False
    for raw, shown in zip(lines, masked, strict=True):
        if not raw.strip():
            out.append(raw)
            prev_blank = True
            continue
        body = raw.lstrip(" \t")
        lead = raw[: len(raw) - len(body)]
        ind = len(lead.expandtabs(4))
        in_code = shown.strip() == "" or shown != raw
        m = None if in_code or _RULE.match(raw) else _LIST_ITEM.match(raw)
        if m is not None and not stack and not prev_blank and not prev_item_or_list:
            mark = m.group(2).strip()
            if (mark[0].isdigit() and mark[:-1] != "1") or not body[len(mark) :].strip():
                m = None  # only `1.` or a non-empty bullet interrupts a paragraph (CommonMark)
        if m is not None and (stack or ind < 4):
            while stack and ind < stack[-1][1]:
                stack.pop()
            new = stack[-1][2] + 4 if stack else 0
            marker = m.group(2).expandtabs(4)
            gap = len(marker) - len(marker.rstrip())
            width = len(marker.rstrip()) + (gap if 1 <= gap <= 4 else 1)
            if not stack and not prev_blank and not prev_item_or_list:
                out.append("")  # Python-Markdown needs a blank line between a paragraph and a list
            stack.append((ind, ind + width, new))
            out.append(" " * new + body)
            prev_blank, prev_item_or_list = False, True
            continue
        if stack:
            owner = None
            for item in reversed(stack):
                if ind >= item[1]:
                    owner = item
                    break
            if owner is not None:
                out.append(" " * (owner[2] + 4 + ind - owner[1]) + body)
                prev_blank = False
                continue
            if prev_blank and ind == 0:
                stack.clear()
                prev_item_or_list = False
        out.append(raw)
        if not stack:
            prev_item_or_list = False
        prev_blank = False
    return "\n".join(out)


def _nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def entry_activity(entries: Sequence[tuple[str, date, bool]]) -> dict[str, dict[date, int]]:
    """Activity days per member from entries: one per entry with content.

    The single place the site decides what counts as activity; `daylog.activity`
    (entries and commits) will replace it.
    """
    out: dict[str, dict[date, int]] = {}
    for member, d, active in entries:
        if active:
            days = out.setdefault(member, {})
            days[d] = days.get(d, 0) + 1
    return out


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """An entry parsed once, with its public text."""

    source: SourceEntry
    entry: Entry
    public: str
    hidden: frozenset[int]
    active: bool


def parse_entries(settings: Settings, sources: Sequence[SourceEntry]) -> list[ParsedEntry]:
    """Parse every entry once; the private lines are found on the full text."""
    matcher = SectionMatcher(settings.sections)
    names: set[str] = set()
    for m in settings.members:
        names.update((m.id, m.name, *m.aliases))
    known = frozenset(names)
    out = []
    for src in sources:
        text = src.text[1:] if src.text.startswith("\ufeff") else src.text
        entry = parse(text, matcher=matcher, known_names=known)
        hidden = private_lines(entry, settings.private_sections)
        out.append(ParsedEntry(src, entry, public_text(text, hidden), frozenset(hidden), has_content(entry, text)))
    return out


def build(
    settings: Settings,
    parsed: Sequence[ParsedEntry],
    *,
    today: date,
    issues: Mapping[str, IssueInfo],
    activity: Mapping[str, Mapping[date, int]],
) -> SiteModel:
    """The site's data from parsed entries; `activity` is study day → count per member."""
    cal = settings.calendar
    member_ids = {m.id for m in settings.members}
    name_to_id: dict[str, str] = {}
    for m in settings.members:
        for n in (m.id, m.name, *m.aliases):
            name_to_id.setdefault(_nfc(n), m.id)
            name_to_id.setdefault(_nfc(n).casefold(), m.id)

    def who(name: str | None) -> str | None:
        if name is None:
            return None
        n = _nfc(name)
        return name_to_id.get(n) or name_to_id.get(n.casefold()) or n

    followup_rows_all = []
    task_rows_all = []
    entries: list[EntryView] = []
    questions: list[QuestionView] = []
    mentions: dict[str, list[Mention]] = {}
    ref_meta: dict[str, tuple[str, int, str]] = {}
    followups_by_page: dict[str, list[FollowUpRecord]] = {}

    ordered = sorted(parsed, key=lambda p: (p.source.member, p.source.date, p.source.rel))
    for p in ordered:
        src, e, hidden = p.source, p.entry, p.hidden
        page = src.page
        day = cal.day_number(src.date)
        week = cal.week_number(src.date) or 0
        frows = tuple(r for r in followup_rows(e, src.member, src.date) if r[6] not in hidden)
        followup_rows_all.append((src.rel, src.member, src.date, frows))
        trows = tuple(r for r in task_rows(e) if r[3] not in hidden)
        task_rows_all.append((src.rel, src.member, src.date, trows))
        for q in e.questions:
            if q.line in hidden:
                continue
            askers = tuple(a for a in (who(n) for n in q.askers) if a)
            answers = tuple(AnswerView(who(a.answerer), a.text) for a in q.answers if a.line not in hidden)
            questions.append(QuestionView(askers, q.text, answers, src.member, src.date, day, week, page, q.line))
        keys: list[str] = []
        for ref in find_refs(p.public, issue_repo=settings.issue_repo).refs:
            key = ref.key
            # GitHub treats owner/repo case-insensitively: one issue, one entry on the page.
            norm = key.lower()
            if norm not in ref_meta:
                ref_meta[norm] = (f"{ref.owner}/{ref.repo}", ref.number, ref.url)
            if norm not in keys:
                keys.append(norm)
                mentions.setdefault(norm, []).append(Mention(norm, ref.url, src.member, src.date, page, ref.line))
        lines = p.public.split("\n")
        body = python_markdown_lists("\n".join(lines[e.front_matter_end :]).strip("\n")) + "\n"
        heading = ""
        first, _, rest = body.partition("\n")
        if re.match(r"^# [^#]", first) and not first.rstrip().endswith("#"):
            heading, body = first, rest.lstrip("\n")
        tils = []
        for s in e.sections:
            if s.key == "til" and s.line not in hidden:
                chunk = "\n".join(lines[s.line : s.end]).strip("\n")
                if chunk.strip():
                    tils.append(python_markdown_lists(demote_headings(chunk)))
        title = e.title or settings.title.format(
            course=settings.course,
            day=day if day is not None else "",
            date=src.date.isoformat(),
            author=src.member,
            name=src.member,
            week=week,
        )
        entries.append(
            EntryView(
                member=src.member,
                date=src.date,
                day=day,
                week=week,
                title=title,
                tags=tuple(t for t in e.tags if t),
                page=page,
                source=src.rel,
                heading=heading,
                body=body,
                til="\n\n".join(tils),
                followups=(),
                issues=tuple(keys),
                questions=sum(1 for q in e.questions if q.line not in hidden),
                active=p.active,
            )
        )

    records = records_from_rows(followup_rows_all, cal, today)
    page_of = {p.source.rel: p.source.page for p in parsed}
    for r in records:
        followups_by_page.setdefault(page_of[r.path], []).append(r)
    entries = [
        _with_followups(ev, tuple(followups_by_page.get(ev.page, ()))) if ev.page in followups_by_page else ev
        for ev in entries
    ]
    tasks = tuple(t for t in tasks_from_rows(task_rows_all, cal, today) if not t.done)
    questions.sort(key=lambda q: (q.date, q.member, q.line))

    issue_views = []
    for norm, ms in mentions.items():
        repo, number, url = ref_meta[norm]
        info = issues.get(norm) or issues.get(f"{repo}#{number}")
        issue_views.append(IssueView(norm, repo, number, (info.url if info and info.url else url), info, tuple(ms)))
    issue_views.sort(key=lambda i: (i.repo.lower(), i.number))

    # Members: the configured ones first (in their order), then any other folder under logs/.
    order = [m.id for m in settings.members] + sorted({e.member for e in entries} - member_ids)
    streak_of: dict[str, dict[date, int]] = {}
    members = []
    for mid in order:
        member = settings.member(mid)
        history = dict(activity.get(mid, {}))
        streak = compute(history, today, mode=Mode.COURSE, is_course_day=cal.is_course_day)
        streak_of[mid] = history
        mine = tuple(ev for ev in entries if ev.member == mid)
        asked = sum(1 for q in questions if mid in q.askers)
        answered = sum(1 for q in questions if any(a.answerer == mid for a in q.answers))
        name = member.name if member else mid
        github = member.github if member else None
        members.append(MemberView(mid, name, github, streak, history, mine, asked, answered))

    team: dict[date, int] = {}
    for counts in activity.values():
        for d, count in counts.items():
            if count > 0:
                team[d] = team.get(d, 0) + count

    weeks = _weeks(cal, today, entries, questions, list(records), streak_of)
    return SiteModel(
        course=settings.course,
        today=today,
        members=tuple(members),
        entries=tuple(entries),
        followups=tuple(records),
        tasks=tasks,
        questions=tuple(questions),
        issues=tuple(issue_views),
        weeks=weeks,
        team_days=team,
        start=settings.start_date,
    )


def _with_followups(ev: EntryView, records: tuple[FollowUpRecord, ...]) -> EntryView:
    from dataclasses import replace

    return replace(ev, followups=records)


def _weeks(
    cal: CourseCalendar,
    today: date,
    entries: Sequence[EntryView],
    questions: Sequence[QuestionView],
    records: Sequence[FollowUpRecord],
    activity: Mapping[str, Mapping[date, int]],
) -> tuple[WeekView, ...]:
    """One digest per course week that has entries (week 0 holds entries before the start)."""
    numbers = sorted({e.week for e in entries})
    out = []
    for n in numbers:
        if n == 0:
            monday = min(e.date for e in entries if e.week == 0)
            monday -= timedelta(days=monday.weekday())
            sunday = cal.start - timedelta(days=1)
        else:
            monday, sunday = cal.week_bounds(n)
        in_week = tuple(sorted((e for e in entries if e.week == n), key=lambda e: (e.date, e.member)))
        qs = tuple(q for q in questions if q.week == n)
        opened = tuple(r for r in records if monday <= r.raised_on <= sunday)
        resolved = tuple(
            r for r in records if r.status is Status.RESOLVED and r.resolved_on and monday <= r.resolved_on <= sunday
        )
        streaks = []
        if monday <= today:
            end = min(sunday, today)
            for mid, days in activity.items():
                before = compute(days, monday - timedelta(days=1), mode=Mode.COURSE, is_course_day=cal.is_course_day)
                after = compute(days, end, mode=Mode.COURSE, is_course_day=cal.is_course_day)
                streaks.append((mid, before.current, after.current))
        out.append(WeekView(n, monday, sunday, in_week, qs, opened, resolved, tuple(streaks)))
    return tuple(out)
