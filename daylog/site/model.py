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
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta

from daylog.calendar import CourseCalendar
from daylog.entries.markdown import mask_code
from daylog.entries.model import Entry
from daylog.entries.parse import parse
from daylog.entries.sections import SectionMatcher
from daylog.followups.lifecycle import (
    EntryItems,
    FollowUpRecord,
    Status,
    TaskRecord,
    followup_rows,
    records_from_rows,
    task_rows,
    tasks_from_rows,
)
from daylog.issues.index import IndexedIssue, IssueIndex, norm_key
from daylog.questions.ledger import QuestionGroup, QuestionRecord, group_questions, member_counts
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
from daylog.workspace.settings import Settings

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
    def per_entry(self) -> tuple[tuple[Mention, int], ...]:
        """(first mention, number of mentions) per entry, oldest first."""
        counts: dict[str, list[Mention]] = {}
        for m in self.mentions:
            counts.setdefault(m.page, []).append(m)
        return tuple((ms[0], len(ms)) for ms in counts.values())


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
    """The team's grass: per day, the sum of the members' activity (their `days`)."""
    team: StreakReport
    """`daylog streak --team`: the streak of days on which every member was active."""
    start: date

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
        out.append(ParsedEntry(src, entry, public_text(text, hidden), frozenset(hidden)))
    return out


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
) -> SiteModel:
    """The site's data from parsed entries and the CLI's own data.

    `activity` is what `daylog streak` reads (`streaks.activity.collect`), `questions` what
    `daylog questions` lists (`questions.service.list_questions`), `index` what `daylog issues` lists
    (`issues.service.issue_index`); `source` and `mode` say how `activity` was read and which
    streak rule applies (`daylog streak`'s defaults). Only entries that have a page (a dated file of a member
    folder) and lines outside private sections are shown.
    """
    cal = settings.calendar
    member_ids = {m.id for m in settings.members}
    published = {p.source.rel: p for p in parsed}

    followup_rows_all = []
    task_rows_all = []
    entries: list[EntryView] = []
    followups_by_page: dict[str, list[FollowUpRecord]] = {}

    public_questions = _public_questions(questions, published)
    asked_in: dict[str, int] = {}
    for q in public_questions:
        asked_in[q.path] = asked_in.get(q.path, 0) + 1
    issue_views, issues_of = _issue_views(index, published)

    ordered = sorted(parsed, key=lambda p: (p.source.member, p.source.date, p.source.rel))
    for p in ordered:
        src, e, hidden = p.source, p.entry, p.hidden
        page = src.page
        day = cal.day_number(src.date)
        week = cal.week_number(src.date) or 0
        frows = tuple(r for r in followup_rows(e, src.member, src.date) if r.line not in hidden)
        followup_rows_all.append(EntryItems(src.rel, src.member, src.date, frows))
        trows = tuple(r for r in task_rows(e) if r.line not in hidden)
        task_rows_all.append(EntryItems(src.rel, src.member, src.date, trows))
        lines = p.public.split("\n")
        body = "\n".join(lines[e.front_matter_end :]).strip("\n")
        body = python_markdown_lists(link_glued_refs(body, settings.issue_repo)) + "\n"
        heading = ""
        first, _, rest = body.partition("\n")
        if re.match(r"^# [^#]", first) and not first.rstrip().endswith("#"):
            heading, body = first, rest.lstrip("\n")
        tils = []
        for s in e.sections:
            if s.key == "til" and s.line not in hidden:
                chunk = "\n".join(lines[s.line : s.end]).strip("\n")
                if chunk.strip():
                    tils.append(python_markdown_lists(link_glued_refs(demote_headings(chunk), settings.issue_repo)))
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
                issues=issues_of.get(src.rel, ()),
                questions=asked_in.get(src.rel, 0),
            )
        )

    records = records_from_rows(followup_rows_all, cal, today)
    for r in records:
        followups_by_page.setdefault(published[r.path].source.page, []).append(r)
    entries = [
        _with_followups(ev, tuple(followups_by_page.get(ev.page, ()))) if ev.page in followups_by_page else ev
        for ev in entries
    ]
    tasks = tuple(t for t in tasks_from_rows(task_rows_all, cal, today) if not t.done)

    groups = group_questions(public_questions)
    question_views = [_question_view(g, cal, published) for g in groups]

    # Members: the configured ones first (in their order), then any other folder under logs/.
    order = [m.id for m in settings.members] + sorted({e.member for e in entries} - member_ids)
    counts = {c.member: c for c in member_counts(groups, order)}
    members = []
    for mid in order:
        member = settings.member(mid)
        report = streak_report(mid, activity.days.get(mid, {}), today, source, mode, cal)
        mine = tuple(ev for ev in entries if ev.member == mid)
        name = member.name if member else mid
        github = member.github if member else None
        c = counts[mid]
        members.append(MemberView(mid, name, github, report.streak, report.days, mine, c.asked, c.answered))

    team_days: dict[date, int] = {}
    for m in members:
        for d, n in m.days.items():
            team_days[d] = team_days.get(d, 0) + n
    team = team_report(activity, reported_members(settings, activity), today, source, mode, cal)
    weeks = _weeks(cal, today, entries, question_views, list(records), {m.id: m.days for m in members}, mode)
    return SiteModel(
        course=settings.course,
        today=today,
        members=tuple(members),
        entries=tuple(entries),
        followups=tuple(records),
        tasks=tasks,
        questions=tuple(question_views),
        issues=tuple(issue_views),
        weeks=weeks,
        team_days=dict(sorted(team_days.items())),
        team=team,
        start=settings.start_date,
    )


def _public_questions(
    questions: Sequence[QuestionRecord], published: Mapping[str, ParsedEntry]
) -> list[QuestionRecord]:
    """The ledger's records of published entries, without what sits in private sections."""
    out = []
    for r in questions:
        p = published.get(r.path)
        if p is None or r.line in p.hidden:
            continue
        if any(a.line in p.hidden for a in r.answers):
            r = replace(r, answers=tuple(a for a in r.answers if a.line not in p.hidden))
        out.append(r)
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
    cal: CourseCalendar,
    today: date,
    entries: Sequence[EntryView],
    questions: Sequence[QuestionView],
    records: Sequence[FollowUpRecord],
    activity: Mapping[str, Mapping[date, int]],
    mode: Mode,
) -> tuple[WeekView, ...]:
    """One digest per course week that has entries (week 0 holds entries before the start);
    the streak changes follow `mode`, as every streak on the site does."""
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
                before = compute(days, monday - timedelta(days=1), mode=mode, is_course_day=cal.is_course_day)
                after = compute(days, end, mode=mode, is_course_day=cal.is_course_day)
                streaks.append((mid, before.current, after.current))
        out.append(WeekView(n, monday, sunday, in_week, qs, opened, resolved, tuple(streaks)))
    return tuple(out)
