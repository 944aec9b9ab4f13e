"""Everything the team site shows, as plain data built from the entries' texts.

Pure: entry texts, settings and `today` go in, together with what the CLI's `--json`
listings print — the activity days of `daylog streak` (`daylog.streaks.activity`), the question
records of `daylog questions` (`daylog.questions.service`) and the issue index of `daylog issues`
(`daylog.issues.index`) — and a `SiteModel` comes out, so the site and the CLI cannot
disagree. Private sections (`private_sections`) are blanked here, before anything is read
from an entry's text, and the questions, answers and issue mentions whose lines fall in
them are dropped: no page can show what they hold.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from functools import partial
from typing import NamedTuple

from daylog.calendar import CourseCalendar
from daylog.entries.markdown import mask_code
from daylog.entries.model import Entry
from daylog.entries.parse import parse
from daylog.entries.sections import SectionMatcher
from daylog.followups.lifecycle import (
    EntryItems,
    FollowUpRecord,
    FollowUpRow,
    Status,
    TaskRecord,
    TaskRow,
    followup_rows,
    records_from_rows,
    task_rows,
    tasks_from_rows,
)
from daylog.issues.index import IndexedIssue, IssueIndex, norm_key
from daylog.questions.ledger import QuestionGroup, QuestionRecord, group_questions, member_counts
from daylog.site.memo import Memo, memoized
from daylog.streaks.activity import (
    DEFAULT_MODE,
    DEFAULT_SOURCE,
    Activity,
    Source,
    StreakReport,
    reported_members,
    streak_report,
    team_report,
)
from daylog.streaks.rules import Mode, Streak, compute
from daylog.workspace.settings import Settings, format_title

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
    """What the issue cache says about one issue (titles are untrusted text); None when uncached."""

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

    @property
    def per_entry(self) -> tuple[EntryMentions, ...]:
        """Per entry, oldest first."""
        counts: dict[str, list[Mention]] = {}
        for m in self.mentions:
            counts.setdefault(m.page, []).append(m)
        return tuple(EntryMentions(ms[0], len(ms)) for ms in counts.values())


class EntryMentions(NamedTuple):
    """How one entry mentions an issue."""

    first: Mention
    times: int


@dataclass(frozen=True, slots=True)
class AnswerView:
    answerer: str | None
    """Member id when the name is a member's, else the name as written; None when unnamed."""
    text: str


@dataclass(frozen=True, slots=True)
class RecordedIn:
    """One entry that wrote a question up."""

    member: str
    page: str
    line: int


@dataclass(frozen=True, slots=True)
class QuestionView:
    """A peer-session question, where it was written, and its answers.

    When several members wrote up the same question on the same day (`questions.ledger.group_questions`),
    it is one view: `member`, `page` and `line` are the first entry's, `recorded` lists them all
    and `answers` holds every entry's answers, each once.
    """

    askers: tuple[str, ...]
    """Member ids (or names as written when not a member)."""
    text: str
    answers: tuple[AnswerView, ...]
    member: str
    """Who wrote the (first) entry."""
    date: date
    day: int | None
    week: int
    page: str
    line: int
    recorded: tuple[RecordedIn, ...] = ()
    """Every entry that recorded it, the first one included, each once."""


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
    """Its public questions (ledger records)."""


@dataclass(frozen=True, slots=True)
class MemberView:
    id: str
    name: str
    github: str | None
    streak: Streak
    """As `daylog streak --json` reports it (same activity source and mode)."""
    days: Mapping[date, int]
    """Activity per study day through today: entries with writing plus commits (`daylog.streaks.activity`)."""
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
    streaks: tuple[WeekStreak, ...]


class WeekStreak(NamedTuple):
    """A member's current streak at the end of the week before and at the end of this week."""

    member: str
    before: int
    after: int


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
    """The team's grass: per day, the sum of the members' activity (their `days`)."""
    team: StreakReport
    """`daylog streak --team`: the streak of days on which every member was active."""
    start: date
    calendar: CourseCalendar | None = None
    """The course calendar (weekends and holidays on the month calendars)."""

    @property
    def mode(self) -> Mode:
        """The streak rule of every figure on the site."""
        return self.team.mode

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
        out.append("#" * minimum + raw[len(m.group(1)) :] if m and len(m.group(1)) < minimum else raw)
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
    lists = _Lists()
    for raw, shown in zip(markdown.split("\n"), masked, strict=True):
        lists.add(raw, shown)
    return "\n".join(lists.out)


class _OpenItem(NamedTuple):
    """A list item that later lines may still belong to."""

    indent: int
    """Columns before its marker, as written."""
    content: int
    """Column its text starts at, as written: lines indented this far belong to it."""
    new_indent: int
    """Columns before its marker in the rewritten text (four per level)."""


@dataclass(slots=True)
class _Lists:
    """`python_markdown_lists` line by line: the lines written so far and the items still open."""

    out: list[str] = field(default_factory=list)
    stack: list[_OpenItem] = field(default_factory=list)
    prev_blank: bool = True
    prev_item_or_list: bool = False

    @property
    def after_paragraph(self) -> bool:
        """The line above is a paragraph's, not a list's, and no blank line came between."""
        return not self.stack and not self.prev_blank and not self.prev_item_or_list

    def add(self, raw: str, shown: str) -> None:
        """One line; `shown` is the same line with code masked."""
        if not raw.strip():
            self.out.append(raw)
            self.prev_blank = True
            return
        body = raw.lstrip(" \t")
        ind = len(raw[: len(raw) - len(body)].expandtabs(4))
        m = self._list_item(raw, shown, body)
        if m is not None and (self.stack or ind < 4):
            self._item(m, ind, body)
            return
        if self.stack:
            owner = next((item for item in reversed(self.stack) if ind >= item.content), None)
            if owner is not None:  # a continuation line of an open item
                self.out.append(" " * (owner.new_indent + 4 + ind - owner.content) + body)
                self.prev_blank = False
                return
            if self.prev_blank and ind == 0:
                self.stack.clear()
                self.prev_item_or_list = False
        self.out.append(raw)
        if not self.stack:
            self.prev_item_or_list = False
        self.prev_blank = False

    def _list_item(self, raw: str, shown: str, body: str) -> re.Match[str] | None:
        """The line's list marker, unless it is code, a rule, or a marker that cannot interrupt a paragraph."""
        in_code = shown.strip() == "" or shown != raw
        m = None if in_code or _RULE.match(raw) else _LIST_ITEM.match(raw)
        if m is not None and self.after_paragraph:
            mark = m.group(2).strip()
            if (mark[0].isdigit() and mark[:-1] != "1") or not body[len(mark) :].strip():
                return None  # only `1.` or a non-empty bullet interrupts a paragraph (CommonMark)
        return m

    def _item(self, m: re.Match[str], ind: int, body: str) -> None:
        """A list item, re-indented four columns deeper than the item it belongs to."""
        while self.stack and ind < self.stack[-1].content:
            self.stack.pop()
        new = self.stack[-1].new_indent + 4 if self.stack else 0
        marker = m.group(2).expandtabs(4)
        gap = len(marker) - len(marker.rstrip())
        width = len(marker.rstrip()) + (gap if 1 <= gap <= 4 else 1)
        if self.after_paragraph:
            self.out.append("")  # Python-Markdown needs a blank line between a paragraph and a list
        self.stack.append(_OpenItem(ind, ind + width, new))
        self.out.append(" " * new + body)
        self.prev_blank, self.prev_item_or_list = False, True


_GLUED_REF = re.compile(r"(?<![A-Za-z0-9&\\\[/#])#([1-9][0-9]{0,6})(?=[가-힣ㄱ-ㅎㅏ-ㅣ])")


def link_glued_refs(markdown: str, issue_repo: str | None) -> str:
    """Link `#53에서`: magiclink skips a number glued to a Korean particle, `daylog issues` does not.

    Only outside code and comments, and only with `issue_repo` set (which `#53` means).
    """
    if not issue_repo or "#" not in markdown:
        return markdown
    prose = mask_code(markdown)
    pieces: list[str] = []
    last = 0
    for m in _GLUED_REF.finditer(prose):
        n = m.group(1)
        pieces += [markdown[last : m.start()], f"[#{n}](https://github.com/{issue_repo}/issues/{n})"]
        last = m.end()
    return "".join(pieces) + markdown[last:] if pieces else markdown


@dataclass(frozen=True, slots=True)
class ParsedEntry:
    """An entry parsed once, with its public text."""

    source: SourceEntry
    entry: Entry
    public: str
    hidden: frozenset[int]


def parse_entries(settings: Settings, sources: Sequence[SourceEntry], memo: Memo | None = None) -> list[ParsedEntry]:
    """Parse every entry once (an unchanged one not again, with a `memo`); the private lines are
    found on the full text."""
    matcher = SectionMatcher(settings.sections)
    names: set[str] = set()
    for m in settings.members:
        names.update((m.id, m.name, *m.aliases))
    known = frozenset(names)

    def one(src: SourceEntry) -> ParsedEntry:
        text = src.text[1:] if src.text.startswith("\ufeff") else src.text
        entry = parse(text, matcher=matcher, known_names=known)
        hidden = private_lines(entry, settings.private_sections)
        return ParsedEntry(src, entry, public_text(text, hidden), frozenset(hidden))

    return [memoized(memo, "parsed", src, partial(one, src)) for src in sources]


def build(
    settings: Settings,
    parsed: Sequence[ParsedEntry],
    *,
    today: date,
    activity: Activity,
    questions: Sequence[QuestionRecord],
    index: IssueIndex,
    source: Source = DEFAULT_SOURCE,
    mode: Mode = DEFAULT_MODE,
    memo: Memo | None = None,
) -> SiteModel:
    """The site's data from parsed entries and the CLI's own data.

    `activity` is what `daylog streak` reads (`streaks.activity.collect`), `questions` what
    `daylog questions` lists (`questions.service.ledger`), `index` what `daylog issues` lists
    (`issues.service.issue_index`); `source` and `mode` say how `activity` was read and which
    streak rule applies (`daylog streak`'s defaults). Only entries that have a page (a dated file of a member
    folder) and lines outside private sections are shown.
    """
    cal = settings.calendar
    rule = _StreakRule(activity, today, source, mode, cal)
    published = {p.source.rel: p for p in parsed}
    public_questions = _public_questions(questions, published)
    asked_in = _questions_per_entry(public_questions)
    issue_views, issues_of = _issue_views(index, published)
    ordered = sorted(parsed, key=lambda p: (p.source.member, p.source.date, p.source.rel))
    entries = [
        _viewed(settings, p, issues_of.get(p.source.rel, ()), asked_in.get(p.source.rel, 0), memo) for p in ordered
    ]
    followup_items = [memoized(memo, "followups", p.source, partial(_followup_rows, p)) for p in ordered]
    records = records_from_rows(followup_items, cal, today)
    entries = _attach_followups(entries, records, published)
    task_items = [memoized(memo, "tasks", p.source, partial(_task_rows, p)) for p in ordered]
    tasks = tuple(tasks_from_rows(task_items, cal, today, include_done=False))
    groups = group_questions(public_questions)
    question_views = [_question_view(g, cal, published) for g in groups]
    members = _member_views(settings, entries, groups, rule)
    return SiteModel(
        course=settings.course,
        today=today,
        members=tuple(members),
        entries=tuple(entries),
        followups=tuple(records),
        tasks=tasks,
        questions=tuple(question_views),
        issues=tuple(issue_views),
        weeks=_weeks(entries, question_views, list(records), {m.id: m.days for m in members}, rule, memo),
        team_days=_team_days(members),
        team=rule.team(settings),
        start=settings.start_date,
        calendar=cal,
    )


@dataclass(frozen=True, slots=True)
class _StreakRule:
    """How every streak on the site is read: `daylog streak`'s activity, source, mode and calendar."""

    activity: Activity
    today: date
    source: Source
    mode: Mode
    calendar: CourseCalendar

    def member(self, member_id: str) -> StreakReport:
        days = self.activity.days.get(member_id, {})
        return streak_report(member_id, days, self.today, self.source, self.mode, self.calendar)

    def team(self, settings: Settings) -> StreakReport:
        members = reported_members(settings, self.activity)
        return team_report(self.activity, members, self.today, self.source, self.mode, self.calendar)

    def current(self, days: Mapping[date, int], on: date) -> int:
        """The current streak at the end of `on`."""
        return compute(days, on, mode=self.mode, is_course_day=self.calendar.is_course_day).current


def _questions_per_entry(questions: Sequence[QuestionRecord]) -> dict[str, int]:
    asked_in: dict[str, int] = {}
    for q in questions:
        asked_in[q.path] = asked_in.get(q.path, 0) + 1
    return asked_in


def _viewed(
    settings: Settings, p: ParsedEntry, issues: tuple[str, ...], questions: int, memo: Memo | None
) -> EntryView:
    """`_entry_view`, not made again for an unchanged entry (its source decides its parse)."""
    key = (p.source, issues, questions)
    return memoized(memo, "viewed", key, lambda: _entry_view(settings, p, issues, questions))


def _entry_view(settings: Settings, p: ParsedEntry, issues: tuple[str, ...], questions: int) -> EntryView:
    """An entry's page data (follow-ups are attached once the records are known)."""
    src, e = p.source, p.entry
    cal = settings.calendar
    day = cal.day_number(src.date)
    week = cal.week_number(src.date) or 0
    lines = p.public.split("\n")
    page = _page_body(lines[e.front_matter_end :], settings.issue_repo)
    return EntryView(
        member=src.member,
        date=src.date,
        day=day,
        week=week,
        title=e.title or _default_title(settings, src, day, week),
        tags=tuple(t for t in e.tags if t),
        page=src.page,
        source=src.rel,
        heading=page.heading,
        body=page.body,
        til=_til(e, lines, p.hidden, settings.issue_repo),
        followups=(),
        issues=issues,
        questions=questions,
    )


class _PageBody(NamedTuple):
    heading: str
    """The entry's own `# title` line, when its text starts with one."""
    body: str


def _page_body(lines: Sequence[str], issue_repo: str | None) -> _PageBody:
    """The public text after the front matter, as Python-Markdown should read it."""
    body = "\n".join(lines).strip("\n")
    body = python_markdown_lists(link_glued_refs(body, issue_repo)) + "\n"
    first, _, rest = body.partition("\n")
    if re.match(r"^# [^#]", first) and not first.rstrip().endswith("#"):
        return _PageBody(first, rest.lstrip("\n"))
    return _PageBody("", body)


TIL_EXCERPT = 32 * 1024
"""Characters of TIL a week page embeds per entry; a longer one ends at a line with `…` (#12).

The week page links to the entry (`기록 전체 보기`), which shows all of it: without the cut a
2 MB TIL (a long table, say) is rendered twice, doubling the build."""


def _til(e: Entry, lines: Sequence[str], hidden: frozenset[int], issue_repo: str | None) -> str:
    """The public TIL section(s), headings demoted for embedding in a digest, cut at `TIL_EXCERPT`."""
    tils, size = [], 0
    for s in e.sections:
        if s.key == "til" and s.line not in hidden and size <= TIL_EXCERPT:
            chunk = "\n".join(lines[s.line : min(s.end, s.line + TIL_EXCERPT)]).strip("\n")
            if chunk.strip():
                tils.append(python_markdown_lists(link_glued_refs(demote_headings(chunk), issue_repo)))
                size += len(tils[-1])
    text = "\n\n".join(tils)
    if len(text) > TIL_EXCERPT:
        cut = text.rfind("\n", 0, TIL_EXCERPT)
        text = text[: cut if cut > 0 else TIL_EXCERPT].rstrip() + "\n\n…"
    return text


def _default_title(settings: Settings, src: SourceEntry, day: int | None, week: int) -> str:
    """The team's title format, for an entry whose front matter has none."""
    member = settings.member(src.member)
    fmt = settings.title if day is not None else settings.title_off_day
    try:
        return format_title(
            fmt,
            course=settings.course,
            day=day if day is not None else "",
            date=src.date.isoformat(),
            author=src.member,
            name=member.name if member else src.member,
            week=week or "",
        )
    except ValueError:  # settings made in code skip validation
        return f"{settings.course} {src.date.isoformat()}"


def _followup_rows(p: ParsedEntry) -> EntryItems[FollowUpRow]:
    """The entry's follow-ups outside private sections."""
    src = p.source
    public = tuple(r for r in followup_rows(p.entry, src.member, src.date) if r.line not in p.hidden)
    return EntryItems(src.rel, src.member, src.date, public)


def _task_rows(p: ParsedEntry) -> EntryItems[TaskRow]:
    """The entry's assignment items outside private sections."""
    src = p.source
    public = tuple(r for r in task_rows(p.entry) if r.line not in p.hidden)
    return EntryItems(src.rel, src.member, src.date, public)


def _attach_followups(
    entries: Sequence[EntryView], records: Sequence[FollowUpRecord], published: Mapping[str, ParsedEntry]
) -> list[EntryView]:
    """Each entry with the follow-ups it raised."""
    by_page: dict[str, list[FollowUpRecord]] = {}
    for r in records:
        by_page.setdefault(published[r.path].source.page, []).append(r)
    return [_with_followups(ev, tuple(by_page[ev.page])) if ev.page in by_page else ev for ev in entries]


def _member_views(
    settings: Settings, entries: Sequence[EntryView], groups: Sequence[QuestionGroup], rule: _StreakRule
) -> list[MemberView]:
    """The configured members first (in their order), then any other folder under logs/."""
    member_ids = {m.id for m in settings.members}
    order = [m.id for m in settings.members] + sorted({e.member for e in entries} - member_ids)
    counts = {c.member: c for c in member_counts(groups, order)}
    members = []
    for mid in order:
        member = settings.member(mid)
        report = rule.member(mid)
        mine = tuple(ev for ev in entries if ev.member == mid)
        name = member.name if member else mid
        github = member.github if member else None
        c = counts[mid]
        members.append(MemberView(mid, name, github, report.streak, report.days, mine, c.asked, c.answered))
    return members


def _team_days(members: Sequence[MemberView]) -> dict[date, int]:
    """The team's grass: per day, the sum of the members' activity."""
    team_days: dict[date, int] = {}
    for m in members:
        for d, n in m.days.items():
            team_days[d] = team_days.get(d, 0) + n
    return dict(sorted(team_days.items()))


def _public_questions(
    questions: Sequence[QuestionRecord], published: Mapping[str, ParsedEntry]
) -> list[QuestionRecord]:
    """The ledger's records of published entries, without what sits in private sections."""
    out = []
    for r in questions:
        p = published.get(r.path)
        if p is None or r.line in p.hidden:
            continue
        hidden = any(a.line in p.hidden for a in r.answers)
        out.append(replace(r, answers=tuple(a for a in r.answers if a.line not in p.hidden)) if hidden else r)
    return out


def _question_view(g: QuestionGroup, cal: CourseCalendar, published: Mapping[str, ParsedEntry]) -> QuestionView:
    first = g.first
    recorded: dict[str, RecordedIn] = {}
    for r in g.records:
        page = published[r.path].source.page
        recorded.setdefault(page, RecordedIn(r.author, page, r.line))
    return QuestionView(
        askers=g.askers,
        text=g.text,
        answers=tuple(AnswerView(a.answerer, a.text) for a in g.answers),
        member=first.author,
        date=first.date,
        day=first.day,
        week=cal.week_number(first.date) or 0,
        page=published[first.path].source.page,
        line=first.line,
        recorded=tuple(recorded.values()),
    )


def _issue_views(
    index: IssueIndex, published: Mapping[str, ParsedEntry]
) -> tuple[list[IssueView], dict[str, tuple[str, ...]]]:
    """The index's issues with their public mentions in published entries (issues left with
    none are dropped), and each entry's issue keys in order of first mention."""
    views: list[IssueView] = []
    firsts: dict[str, dict[str, int]] = {}
    for issue in index.issues:
        key = norm_key(issue.repo, issue.number)
        mentions = []
        for m in issue.mentions:
            p = published.get(m.path)
            if p is None or m.line in p.hidden:
                continue
            mentions.append(Mention(key, issue.url, p.source.member, p.source.date, p.source.page, m.line))
            seen = firsts.setdefault(m.path, {})
            seen[key] = min(seen.get(key, m.line), m.line)
        if mentions:
            views.append(IssueView(key, issue.repo, issue.number, issue.url, _info(issue), tuple(mentions)))
    by_entry = {path: tuple(sorted(keys, key=lambda k: keys[k])) for path, keys in firsts.items()}
    return views, by_entry


def _info(issue: IndexedIssue) -> IssueInfo | None:
    """What the issue cache knows (None when it has no record: never fetched)."""
    if issue.title is None and issue.state is None and not issue.missing:
        return None
    return IssueInfo(issue.key, issue.title, issue.state, issue.url, issue.missing)


def _with_followups(ev: EntryView, records: tuple[FollowUpRecord, ...]) -> EntryView:
    return replace(ev, followups=records)


def _weeks(
    entries: Sequence[EntryView],
    questions: Sequence[QuestionView],
    records: Sequence[FollowUpRecord],
    activity: Mapping[str, Mapping[date, int]],
    rule: _StreakRule,
    memo: Memo | None = None,
) -> tuple[WeekView, ...]:
    """One digest per course week that has entries (week 0 holds entries before the start);
    the streak changes follow the site's streak rule, as every streak on the site does. A course
    with an `end_date` has no week pages past the week it ends in."""
    last = rule.calendar.last_week
    by_week: dict[int, list[EntryView]] = {}
    for e in entries:
        by_week.setdefault(e.week, []).append(e)
    qs_by_week: dict[int, list[QuestionView]] = {}
    for q in questions:
        qs_by_week.setdefault(q.week, []).append(q)
    numbers = sorted(n for n in by_week if last is None or n <= last)
    current = _streaks_at(activity, rule, memo)

    def streaks(monday: date, sunday: date) -> tuple[WeekStreak, ...]:
        """Each member's streak before and after the week (none for a week that has not begun)."""
        if monday > rule.today:
            return ()
        end = min(sunday, rule.today)
        before = monday - timedelta(days=1)
        return tuple(WeekStreak(mid, current(mid, before), current(mid, end)) for mid in activity)

    by_day = _ByDay(records)
    return tuple(_week(n, by_week[n], qs_by_week.get(n, ()), by_day, streaks, rule.calendar) for n in numbers)


def _week(
    n: int,
    entries: Sequence[EntryView],
    questions: Sequence[QuestionView],
    records: _ByDay,
    streaks: Callable[[date, date], tuple[WeekStreak, ...]],
    cal: CourseCalendar,
) -> WeekView:
    """Week `n` from its own entries and questions (in the model's order) and the records of its days."""
    monday, sunday = _week_span(n, entries, cal)
    in_week = tuple(sorted(entries, key=lambda e: (e.date, e.member)))
    opened, resolved = records.between(monday, sunday)
    return WeekView(n, monday, sunday, in_week, tuple(questions), opened, resolved, streaks(monday, sunday))


class _ByDay:
    """Follow-up records by the day they were raised and the day they were resolved, so that a
    week takes its own without going through every record (111 weeks × 4,720 records at 3,000
    entries was 0.12 s of each `daylog site serve` update)."""

    def __init__(self, records: Sequence[FollowUpRecord]) -> None:
        self.records = records
        self.raised: dict[date, list[int]] = {}
        self.resolved: dict[date, list[int]] = {}
        for i, r in enumerate(records):
            self.raised.setdefault(r.raised_on, []).append(i)
            if r.status is Status.RESOLVED and r.resolved_on:
                self.resolved.setdefault(r.resolved_on, []).append(i)

    def between(self, first: date, last: date) -> tuple[tuple[FollowUpRecord, ...], tuple[FollowUpRecord, ...]]:
        """Those raised and those resolved from `first` to `last`, each in the records' order."""
        days = [first + timedelta(days=k) for k in range((last - first).days + 1)]
        return self._on(self.raised, days), self._on(self.resolved, days)

    def _on(self, by_day: dict[date, list[int]], days: list[date]) -> tuple[FollowUpRecord, ...]:
        return tuple(self.records[i] for i in sorted(i for d in days for i in by_day.get(d, ())))


def _week_span(n: int, entries: Sequence[EntryView], cal: CourseCalendar) -> tuple[date, date]:
    """Monday and Sunday of course week `n`; week 0 runs from its first entry's Monday to the day before the start."""
    if n != 0:
        return cal.week_bounds(n)
    first = min(e.date for e in entries if e.week == 0)
    return first - timedelta(days=first.weekday()), cal.start - timedelta(days=1)


class _Days:
    """A member's activity as a memo key: hashed once, equal by value, the same object from one
    build to the next while it does not change (so that later lookups compare by identity)."""

    __slots__ = ("_hash", "items")

    def __init__(self, days: Mapping[date, int]) -> None:
        self.items = tuple(sorted(days.items()))
        self._hash = hash(self.items)

    def __hash__(self) -> int:
        return self._hash

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Days) and (self is other or self.items == other.items)


def _streaks_at(
    activity: Mapping[str, Mapping[date, int]], rule: _StreakRule, memo: Memo | None
) -> Callable[[str, date], int]:
    """`rule.current` of a member's activity at the end of a day; with a `memo`, by the member's
    whole activity, the day, the mode and the calendar's rule."""
    if memo is None:
        return lambda mid, on: rule.current(activity[mid], on)
    cal = rule.calendar
    how = (rule.mode, cal.start, cal.all_days, cal.holidays, cal.end)
    keys = {mid: _canonical(memo, _Days(days)) for mid, days in activity.items()}
    return lambda mid, on: memoized(memo, "streak", (keys[mid], on, how), partial(rule.current, activity[mid], on))


def _canonical(memo: Memo, days: _Days) -> _Days:
    """The equal key the memo already holds, or `days`."""
    return memoized(memo, "activity", days, lambda: days)
