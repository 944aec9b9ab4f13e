"""`daylog new` (the day's entry) and `daylog check` (lint entries)."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints), about 9 ms; plain annotations cost nothing.

import os
import sys
from pathlib import Path
from typing import Annotated

import typer

from daylog.cli.options import fail, member_for, now, parse_date, show_path, workspace
from daylog.errors import NoWorkspace


def new(
    date_: Annotated[
        str | None,
        typer.Option("--date", "-d", help="The entry's date, YYYY-MM-DD. Default: today in the team's zone."),
    ] = None,
    author: Annotated[
        str | None, typer.Option("--author", "-a", help="Member id. Default: the member with your git user.email.")
    ] = None,
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

    Refuses to overwrite: if the entry exists, prints its path and exits 1.
    """
    from daylog.entries.new import scaffold_entry
    from daylog.terminal import note
    from daylog.workspace.writes import locked, write_new

    ws = workspace()
    settings = ws.settings
    from daylog.calendar import study_day

    moment = now(settings)
    d = parse_date(date_) or study_day(moment, settings.zone, settings.day_starts_at)
    who = member_for(settings, author, ws.root)
    path = ws.entry_path(who.id, d)
    if not print_ and path.exists():
        typer.echo(show_path(path))
        fail(f"{show_path(path)} already exists; nothing was changed (open it to keep writing)")
    if print_:
        made = scaffold_entry(ws, who, d, moment, carry=carry and settings.carry_over)
        sys.stdout.write(made.text)
        for message in made.notes:
            note(message)
        return
    try:
        with locked(ws.root):  # the carried items and reminders are read from entries another writer may be changing
            made = scaffold_entry(ws, who, d, moment, carry=carry and settings.carry_over)
            write_new(path, made.text, root=ws.root)
    except FileExistsError:
        typer.echo(show_path(path))
        fail(f"{show_path(path)} already exists; nothing was changed")
    typer.echo(show_path(path))
    for message in made.notes:
        note(message)
    editor = os.environ.get("VISUAL") or os.environ.get("EDITOR")
    if edit is None:
        edit = bool(editor) and sys.stdout.isatty()
    if edit:
        if not editor:
            fail("--edit: set $VISUAL or $EDITOR to your editor (the entry was created)")
        import shlex
        import subprocess

        try:
            status = subprocess.call([*shlex.split(editor), str(path)])
        except OSError as exc:
            fail(f"cannot start editor {editor!r}: {exc.strerror or exc} (the entry was created)")
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
    app.command()(check)
