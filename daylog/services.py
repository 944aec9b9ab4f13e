"""What each command does, gluing the workspace (files) to the pure core.

The CLI calls one function here per command and prints the result; the MkDocs
plugin calls the same functions, so scripts and the site share one data path.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from daylog.errors import DaylogError
from daylog.followups import (
    FollowUpRecord,
    Source,
    Status,
    TaskRecord,
    carry_over,
    followup_records,
    mark_done_text,
    resolve_ids,
    suggest_ids,
    task_records,
)
from daylog.lint import Checked, Finding, check_all
from daylog.scaffold import Reminder, context, render
from daylog.settings import Member
from daylog.workspace import Workspace, decode, read_text, replace_checked

MAX_REMINDERS = 10


@dataclass(frozen=True, slots=True)
class Scaffolded:
    """A rendered new entry and what to tell the user about it."""

    text: str
    notes: tuple[str, ...]


def scaffold_entry(ws: Workspace, member: Member, d: date, now: datetime, *, carry: bool = True) -> Scaffolded:
    """Render the day's entry for `member`, carrying open tasks and listing open follow-ups."""
    settings = ws.settings
    notes: list[str] = []
    day = settings.calendar.day_number(d)
    if day is None:
        why = "before the course starts" if d < settings.start_date else "a weekend or holiday"
        notes.append(f"{d} is not a course day ({why}): the entry has no day number")
    name, template = ws.template()
    created = creation_moment(d, now, settings.day_starts_at)
    base = context(settings, member, d, created)
    text = render(template, base, name=name)
    if not carry:
        return Scaffolded(text, tuple(notes))
    sources, _ = load_sources(ws)
    mine = [s for s in sources if s.author == member.id and s.date < d]
    previous = max(mine, key=lambda s: s.date, default=None)
    in_template = [t.text for t in ws.parse_text(text).tasks]
    carried = carry_over(previous.entry if previous else None, in_template)
    today = d
    open_fus = [r for r in followup_records(mine, settings.calendar, today) if r.status is Status.OPEN]
    reminders = [
        Reminder(r.id, r.topic, r.raised_on, r.raised_day, _relative_link(ws, ws.entry_path(member.id, d), r.path))
        for r in open_fus[:MAX_REMINDERS]
    ]
    if carried or reminders:
        text = render(
            template, context(settings, member, d, created, carried_tasks=carried, reminders=reminders), name=name
        )
    if carried and previous is not None:
        notes.append(f"carried {len(carried)} open assignment item(s) from {previous.date}")
    if len(open_fus) > MAX_REMINDERS:
        notes.append(
            f"{len(open_fus)} open follow-ups; the {MAX_REMINDERS} oldest are listed (all: daylog followups --mine)"
        )
    return Scaffolded(text, tuple(notes))


def _relative_link(ws: Workspace, from_file: Path, to_rel: str) -> str:
    import os

    return Path(os.path.relpath(ws.root / to_rel, from_file.parent)).as_posix()


def load_sources(ws: Workspace) -> tuple[list[Source], list[DaylogError]]:
    """Every dated entry of a member, and the errors of files that could not be read."""
    loaded, errors = ws.load_all()
    sources = []
    for item in loaded:
        d = item.date
        if d is None or not item.file.member:
            continue
        sources.append(Source(item.file.rel, item.file.member, d, item.entry))
    return sources, errors


def list_followups(
    ws: Workspace,
    today: date,
    *,
    author: str | None = None,
    status: Status | None = Status.OPEN,
    older_than: int | None = None,
) -> tuple[list[FollowUpRecord], list[DaylogError]]:
    """Follow-ups of the team (or one author), oldest first; `status=None` means all."""
    sources, errors = load_sources(ws)
    if author is not None:
        sources = [s for s in sources if s.author == author]
    records = followup_records(sources, ws.settings.calendar, today)
    if status is not None:
        records = [r for r in records if r.status is status]
    if older_than is not None:
        records = [r for r in records if r.age_days is not None and r.age_days > older_than]
    return records, errors


@dataclass(frozen=True, slots=True)
class DoneResult:
    """What `followups done` changed."""

    done: tuple[FollowUpRecord, ...]
    already: tuple[FollowUpRecord, ...]


def mark_followups_done(ws: Workspace, ids: Sequence[str], on: date, today: date) -> DoneResult:
    """Check the follow-ups in their origin files; nothing is written if any id is unknown."""
    records, _ = list_followups(ws, today, status=None)
    found, missing = resolve_ids(ids, records)
    if missing:
        hints = []
        for raw in missing:
            close = suggest_ids(raw, records)
            hints.append(f"{raw}" + (f" (did you mean {', '.join(close)}?)" if close else ""))
        raise DaylogError(f"unknown follow-up id: {'; '.join(hints)}", hint="`daylog followups --all` lists every id")
    already = tuple(r for r in found if r.status is Status.RESOLVED)
    todo = [r for r in found if r.status is Status.OPEN]
    by_path: dict[str, list[FollowUpRecord]] = {}
    for r in todo:
        by_path.setdefault(r.path, []).append(r)
    for rel, recs in by_path.items():
        path = ws.root / rel
        original = path.read_bytes()
        text = decode(original, rel)
        entry = ws.parse_text(text)
        if any(d.code == "conflict" for d in entry.diagnostics):
            raise DaylogError("has merge-conflict markers; resolve them first", path=rel)
        current = {(f.line, f.topic) for f in entry.followups if not f.done}
        new = text
        for r in sorted(recs, key=lambda r: r.line, reverse=True):  # bottom-up keeps line numbers valid
            if (r.line, r.topic) not in current:
                raise DaylogError("changed since it was read; nothing was written", path=rel, line=r.line)
            try:
                new = mark_done_text(new, r, on, ws.parse_text)
            except ValueError as exc:
                raise DaylogError(str(exc), path=rel, line=r.line, hint="check it by hand") from None
        replace_checked(path, new, original)
    return DoneResult(tuple(todo), already)


def list_tasks(
    ws: Workspace, today: date, *, author: str | None = None, include_done: bool = False
) -> tuple[list[TaskRecord], list[DaylogError]]:
    """Assignment items per member (open ones unless `include_done`)."""
    sources, errors = load_sources(ws)
    if author is not None:
        sources = [s for s in sources if s.author == author]
    records = task_records(sources, ws.settings.calendar, today)
    if not include_done:
        records = [r for r in records if not r.done]
    return records, errors


def creation_moment(d: date, now: datetime, day_starts_at: int) -> datetime:
    """The front matter's `date`: now, moved onto study day `d` for back- or forward-dated entries.

    Keeps the wall-clock time, so an entry written at 01:20 for "today" (before the
    day-start hour) is stamped with the next calendar date, as Chirpy expects.
    """
    from datetime import timedelta

    target = d + timedelta(days=1) if now.hour < day_starts_at else d
    if now.date() == target:
        return now
    # Same wall-clock time on the target date; ZoneInfo gives that date's own UTC offset.
    return now.replace(year=target.year, month=target.month, day=target.day)


def run_check(ws: Workspace | None, paths: Sequence[Path]) -> tuple[list[Finding], list[str]]:
    """Findings for the given files (or the whole workspace), and notes for the user."""
    notes: list[str] = []
    items: list[Checked] = []
    findings: list[Finding] = []
    if ws is None:
        notes.append("no workspace found: calendar, member and section checks were skipped")
        from daylog.entry import parse
        from daylog.workspace import name_date

        for p in _expand(paths):
            try:
                text = read_text(p)
            except DaylogError as exc:
                findings.append(_error_finding(exc, str(p)))
                continue
            items.append(Checked(str(p), "", name_date(p.name), parse(text), text))
        findings.extend(check_all(items, None))
        return findings, notes
    files = [ws.file_for(p) for p in _expand(paths)] if paths else ws.files()
    for f in files:
        try:
            loaded = ws.load(f)
        except DaylogError as exc:
            findings.append(_error_finding(exc, f.rel))
            continue
        items.append(Checked(f.rel, f.member, f.date, loaded.entry, loaded.text))
    findings.extend(check_all(items, ws.settings))
    if paths:
        pass
    elif ws.logs.is_dir():
        for child in sorted(ws.logs.iterdir()):
            if (
                child.is_dir()
                and not child.name.startswith(".")
                and ws.settings.members
                and ws.settings.member(child.name) is None
                and not any(f.member == child.name for f in files)
            ):
                notes.append(f"folder {ws.rel(child)} is not a member's and holds no entries")
    findings.sort(key=lambda f: (f.path, f.line))
    return findings, notes


def _error_finding(exc: DaylogError, path: str) -> Finding:
    from daylog.entry import Severity

    return Finding(
        path, exc.line or 1, Severity.ERROR, exc.message + (f" ({exc.hint})" if exc.hint else ""), "unreadable"
    )


def _expand(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.md") if not any(s.startswith(".") for s in q.relative_to(p).parts)))
        elif p.exists():
            out.append(p)
        else:
            raise DaylogError("no such file or folder", path=p)
    return out
