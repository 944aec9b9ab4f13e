"""`daylog new`: the day's entry with carried-over tasks and follow-up reminders."""

from __future__ import annotations

import contextlib
import signal
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path

from daylog.entries.model import Entry
from daylog.entries.scaffold import Reminder, context, render
from daylog.errors import DaylogError
from daylog.followups.lifecycle import Status, carry_over, records_from_rows
from daylog.followups.service import followup_items
from daylog.workspace.files import EntryFile, Workspace
from daylog.workspace.settings import Member

MAX_REMINDERS = 10
MAX_LOOKBACK = 30
"""Entries to look back through for the last assignment checklist."""


@dataclass(frozen=True, slots=True)
class Scaffolded:
    """A rendered new entry and what to tell the user about it."""

    text: str
    notes: tuple[str, ...]


def scaffold_entry(ws: Workspace, member: Member, d: date, now: datetime, *, carry: bool = True) -> Scaffolded:
    """Render the day's entry for `member`, carrying open tasks and listing open follow-ups."""
    settings = ws.settings
    problem = settings.calendar.range_problem(d)
    if problem is not None:
        raise DaylogError(f"cannot write an entry dated {d}: {problem}", hint="pass --date YYYY-MM-DD within it")
    notes: list[str] = []
    day = settings.calendar.day_number(d)
    if day is None and settings.calendar.after_end(d):
        notes.append(f"warning: the course ended on {settings.end_date}; this entry gets no day number")
    elif day is None:
        why = "before the course starts" if d < settings.start_date else "a weekend or holiday"
        notes.append(f"{d} is not a course day ({why}): the entry has no day number")
    name, template = ws.template()
    created = creation_moment(d, now, settings.day_starts_at)
    base = context(settings, member, d, created)
    with _deadline(TEMPLATE_SECONDS):
        text = render(template, base, name=name)
    if not carry:
        return Scaffolded(text, tuple(notes))
    previous, previous_entry = _latest_checklist(ws, member.id, d, notes)
    in_template = [t.text for t in ws.parse_text(text).tasks]
    carried = carry_over(previous_entry, in_template)
    earlier = [e for e in followup_items(ws, member.id)[0] if e.date < d]
    open_fus = records_from_rows(earlier, settings.calendar, d, status=Status.OPEN)
    reminders = [
        Reminder(r.id, r.topic, r.raised_on, r.raised_day, _relative_link(ws, ws.entry_path(member.id, d), r.path))
        for r in open_fus[:MAX_REMINDERS]
    ]
    if carried or reminders:
        with _deadline(TEMPLATE_SECONDS):
            ctx = context(settings, member, d, created, carried_tasks=carried, reminders=reminders)
            text = render(template, ctx, name=name)
    if carried and previous is not None:
        notes.append(f"carried {len(carried)} open assignment item(s) from {previous.date}")
    if len(open_fus) > MAX_REMINDERS:
        notes.append(
            f"{len(open_fus)} open follow-ups; the {MAX_REMINDERS} oldest are listed (all: daylog followups --mine)"
        )
    return Scaffolded(text, tuple(notes))


def _latest_checklist(ws: Workspace, member: str, d: date, notes: list[str]) -> tuple[EntryFile | None, Entry | None]:
    """The member's most recent earlier entry that has an assignment section.

    An entry without one (a day off, a short note) does not end the carry-over: the
    one before it still holds the open items. An unreadable entry is skipped, with a note.
    """
    earlier = sorted(
        (f for f in ws.files() if f.member == member and f.date is not None and f.date < d),
        key=lambda f: (f.date, f.rel),
        reverse=True,
    )
    for f in earlier[:MAX_LOOKBACK]:
        try:
            entry = ws.load(f).entry
        except DaylogError as exc:
            notes.append(f"skipped {exc} while looking for open assignment items")
            continue
        if entry.section("tasks") is not None:
            return f, entry
    return None, None


def _relative_link(ws: Workspace, from_file: Path, to_rel: str) -> str:
    import os

    return Path(os.path.relpath(ws.root / to_rel, from_file.parent)).as_posix()


def creation_moment(d: date, now: datetime, day_starts_at: int) -> datetime:
    """The front matter's `date`: now, moved onto study day `d` for back- or forward-dated entries.

    Keeps the wall-clock time, so an entry written at 01:20 for "today" (before the
    day-start hour) is stamped with the next calendar date, as Chirpy expects.
    """
    target = d + timedelta(days=1) if now.hour < day_starts_at else d
    if now.date() == target:
        return now
    # Same wall-clock time on the target date; ZoneInfo gives that date's own UTC offset.
    return now.replace(year=target.year, month=target.month, day=target.day)


TEMPLATE_SECONDS = 5.0
"""How long rendering the entry template may take: a day's scaffold takes milliseconds."""


@contextlib.contextmanager
def _deadline(seconds: float) -> Iterator[None]:
    """Raise TimeoutError in what runs inside after `seconds` (which `render` reports as a template
    failure): a template's nested loops need no output to run for hours. Main thread only, where
    `setitimer` exists; elsewhere nothing is bounded."""
    if not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread():
        yield
        return

    def expire(signum: int, frame: object) -> None:
        raise TimeoutError(f"rendering took over {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)
