"""What every command shares: the workspace it runs in, the clock, dates, members, paths.

Command modules import these helpers; `cli.app` sets the global options on `state`.
"""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints), about 9 ms; plain annotations cost nothing.

import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from daylog.cli import completion
from daylog.errors import UsageError

if TYPE_CHECKING:
    from daylog.workspace.files import Workspace
    from daylog.workspace.settings import Member, Settings


class State:
    """The global options of this run (`--workspace`)."""

    workspace: Path | None = None


state = State()


AuthorOption = Annotated[
    str | None,
    typer.Option(
        "--author",
        "-a",
        help="Member id or name. Default: the one with your git user.email.",
        autocompletion=completion.members,
    ),
]
"""`--author` of the commands that act for one member: any name of a member, completed."""


def workspace() -> "Workspace":
    from daylog.workspace.files import Workspace

    return Workspace.find(Path.cwd(), state.workspace)


def now(settings: "Settings") -> datetime:
    """The current moment in the team's zone (`daylog.clock`: honours DAYLOG_NOW)."""
    from daylog import clock

    return clock.now(settings)


def today(settings: "Settings") -> date:
    """Today's study day in the team's zone after `day_starts_at`."""
    from daylog import clock

    return clock.today(settings)


def parse_date(value: str | None, option: str = "--date", settings: "Settings | None" = None) -> date | None:
    """A date as people say it (`daylog.date_words`), echoed on stderr when it was worked out.

    Without `settings` (no workspace yet, as in `init`) only full dates are taken.
    """
    if value is None:
        return None
    from daylog import date_words

    try:
        if settings is None:
            if not date_words.is_plain(value):
                raise date_words.DateError(f"{value!r} is not a date: use YYYY-MM-DD (e.g. 2026-11-03)")
            return date_words.resolve(value, date.min)
        d = date_words.resolve(value, today(settings), settings.calendar)
    except date_words.DateError as exc:
        raise UsageError(f"{option} {exc}") from None
    if not date_words.is_plain(value):
        from daylog.terminal import note

        note(date_words.echo(value, d, settings.calendar))
    return d


def member_for(settings: "Settings", author: str | None, root: Path) -> "Member":
    """`--author`, else the member whose e-mail is `git config user.email`."""
    from daylog.workspace.files import member_for as find

    return find(settings, author, root)


def show_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def fail(message: str, code: int = 1) -> NoReturn:
    sys.stderr.write(f"daylog: error: {message}\n")
    raise typer.Exit(code)
