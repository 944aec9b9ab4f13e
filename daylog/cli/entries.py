"""`daylog new` and `daylog edit` (the day's entry) and `daylog check` (lint entries)."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints), about 9 ms; plain annotations cost nothing.

import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from daylog.cli import completion
from daylog.cli.options import AuthorOption, fail, member_for, now, parse_date, show_path, workspace
from daylog.errors import NoWorkspace

if TYPE_CHECKING:
    from contextlib import AbstractContextManager
    from datetime import date, datetime

    from daylog.workspace.files import Workspace
    from daylog.workspace.settings import Member


DATES = "YYYY-MM-DD, today, 어제, -1, mon, 월, Day13 or 13일차"


def new(
    date_: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            help=f"The entry's date: {DATES}. Default: today in the team's zone.",
            autocompletion=completion.dates,
        ),
    ] = None,
    author: AuthorOption = None,
    edit: Annotated[
        bool | None,
        typer.Option(
            "--edit/--no-edit",
            help="Open the entry in $VISUAL/$EDITOR. Default: when run in a terminal with an editor set.",
        ),
    ] = None,
    print_: Annotated[
        bool, typer.Option("--print", help="Write the entry to stdout instead of creating the file.")
    ] = False,
    carry: Annotated[
        bool, typer.Option("--carry/--no-carry", help="Carry open assignment items and list open follow-ups.")
    ] = True,
) -> None:
    """Scaffold the day's entry at logs/<author>/<date>.md and print its path.

    Refuses to overwrite: if the entry exists, prints its path and exits 1
    (`daylog edit` opens it instead).
    """
    day = _Day.of(date_, author)
    if print_:
        sys.stdout.write(day.scaffold(carry, write=False))
        return
    if day.path.exists():
        typer.echo(show_path(day.path))
        fail(f"{show_path(day.path)} already exists; nothing was changed (open it with `daylog edit`)")
    day.scaffold(carry, write=True)
    typer.echo(show_path(day.path))
    if edit is None:
        edit = bool(_editor()) and _interactive()
    if edit:
        _open_in_editor(day.path, created=True)


def edit(
    date_: Annotated[
        str | None,
        typer.Argument(metavar="[DATE]", help=f"The day: {DATES}. Default: today.", autocompletion=completion.dates),
    ] = None,
    author: AuthorOption = None,
) -> None:
    """Open the day's entry in $VISUAL/$EDITOR, creating it first as `new` would.

    Says whether it created or opened the entry. Without an editor, or when stdout is
    not a terminal, prints the path instead (`code "$(daylog edit)"` works).
    """
    from daylog.terminal import note

    day = _Day.of(date_, author)
    created = not day.path.exists()
    if created:
        day.scaffold(carry=True, write=True)
    shown = show_path(day.path)
    if not (_editor() and _interactive()):
        note(f"created {shown}" if created else f"{shown} exists")
        typer.echo(shown)
        return
    note(f"created {shown}; opening it" if created else f"opening {shown}")
    _open_in_editor(day.path, created=created)


class _Day:
    """Whose entry for which day, resolved once for `new` and `edit`."""

    def __init__(self, ws: "Workspace", who: "Member", d: "date", moment: "datetime") -> None:
        self.ws, self.who, self.date, self.moment = ws, who, d, moment
        self.path = ws.entry_path(who.id, d)

    @classmethod
    def of(cls, date_: str | None, author: str | None) -> "_Day":
        from daylog.calendar import study_day

        ws = workspace()
        settings = ws.settings
        moment = now(settings)
        d = parse_date(date_, settings=settings) or study_day(moment, settings.zone, settings.day_starts_at)
        return cls(ws, member_for(settings, author, ws.root), d, moment)

    def scaffold(self, carry: bool, *, write: bool) -> str:
        """The entry's text, written as a new file (never over one) when `write`; notes on stderr."""
        from daylog.entries.new import scaffold_entry
        from daylog.terminal import note
        from daylog.workspace.writes import locked, write_new

        ws = self.ws
        try:
            # the carried items and reminders are read from entries another writer may be changing
            with locked(ws.root) if write else _unlocked():
                made = scaffold_entry(ws, self.who, self.date, self.moment, carry=carry and ws.settings.carry_over)
                if write:
                    write_new(self.path, made.text, root=ws.root)
        except FileExistsError:
            typer.echo(show_path(self.path))
            fail(f"{show_path(self.path)} already exists; nothing was changed (open it with `daylog edit`)")
        for message in made.notes:
            note(message)
        return made.text


def _unlocked() -> "AbstractContextManager[None]":
    import contextlib

    return contextlib.nullcontext()


def _interactive() -> bool:
    """Whether a person is at a terminal to use the editor (stdout is one)."""
    return sys.stdout.isatty()


def _editor() -> str | None:
    return os.environ.get("VISUAL") or os.environ.get("EDITOR")


def _open_in_editor(path: Path, *, created: bool) -> None:
    """Run $VISUAL/$EDITOR (a command with arguments, as `code --wait`) on `path`."""
    import shlex
    import subprocess

    editor = _editor()
    kept = "the entry was created" if created else "the entry is unchanged"
    if not editor:
        fail(f"--edit: set $VISUAL or $EDITOR to your editor ({kept})")
    try:
        status = subprocess.call([*shlex.split(editor), str(path)])
    except (OSError, ValueError) as exc:
        fail(f"cannot start editor {editor!r}: {getattr(exc, 'strerror', None) or exc} ({kept})")
    if status != 0:
        fail(f"editor exited with status {status}; the entry was kept at {show_path(path)}")


def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Entries to check. Default: every entry of the workspace.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print findings as a JSON list.")] = False,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="Print only the findings, no summary or notes.")] = False,
) -> None:
    """Lint entries: front matter, dates and day numbers, members, duplicates, conflicts, empty sections.

    Prints `path:line: error|warning: message`, then a summary line on stderr
    (`12 entries checked: no problems`); exits 1 when there is any error.
    """
    from daylog.entries.check import run_check
    from daylog.terminal import print_json

    ws = None
    try:
        ws = workspace()
    except NoWorkspace:
        if not paths:
            raise
    report = run_check(ws, paths or [])
    if json_:
        print_json([f.as_json() for f in report.findings])
    else:
        for f in report.findings:
            typer.echo(f.format())
        from daylog.terminal import note

        for message in [] if quiet else report.notes:
            note(message)
        if not quiet:
            typer.echo(report.summary(), err=True)
    if any(f.severity.value == "error" for f in report.findings):
        raise typer.Exit(1)


def register(app: typer.Typer) -> None:
    app.command()(new)
    app.command()(edit)
    app.command("open", help="Alias of `daylog edit`.")(edit)
    app.command()(check)
