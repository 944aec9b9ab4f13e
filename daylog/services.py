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
from daylog.lint import Checked, Finding, check_all
from daylog.scaffold import context, render
from daylog.settings import Member
from daylog.workspace import Workspace, read_text


@dataclass(frozen=True, slots=True)
class Scaffolded:
    """A rendered new entry and what to tell the user about it."""

    text: str
    notes: tuple[str, ...]


def scaffold_entry(ws: Workspace, member: Member, d: date, now: datetime, *, carry: bool = True) -> Scaffolded:
    """Render the day's entry for `member` from the workspace template."""
    settings = ws.settings
    notes: list[str] = []
    day = settings.calendar.day_number(d)
    if day is None:
        why = "before the course starts" if d < settings.start_date else "a weekend or holiday"
        notes.append(f"{d} is not a course day ({why}): the entry has no day number")
    name, template = ws.template()
    text = render(template, context(settings, member, d, creation_moment(d, now, settings.day_starts_at)), name=name)
    return Scaffolded(text, tuple(notes))


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
