"""The `daylog` command line: parse options, call one core function, print.

Start-up matters (`daylog new` runs every evening), so this module imports only
Typer and the standard library at load time; everything else loads inside the
command that needs it. The clock is read here and nowhere in the core.
"""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints), about 9 ms; plain annotations cost nothing.

import os
import sys
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, NoReturn

import typer
from typer.core import TyperGroup

from daylog.errors import DaylogError, NoWorkspace, UsageError, report_failure

if TYPE_CHECKING:
    from daylog.settings import Member, Settings
    from daylog.workspace import Workspace


class _Group(TyperGroup):
    """Maps DaylogError to one line on stderr and exit status 1 (2 for usage)."""

    def invoke(self, ctx: Any) -> Any:
        try:
            return super().invoke(ctx)
        except (typer.Exit, typer.Abort):
            raise
        except (DaylogError, KeyboardInterrupt) as exc:
            ctx.exit(report_failure(exc))
        except Exception as exc:  # a bug: one line, not a traceback (DAYLOG_DEBUG=1 shows it)
            if os.environ.get("DAYLOG_DEBUG") or type(exc).__module__.startswith(("typer", "click")):
                raise
            ctx.exit(report_failure(exc))

    def list_commands(self, ctx: Any) -> list[str]:
        """The daily loop first, then the rest: a fixed order whatever imported what first."""
        rank = {name: i for i, name in enumerate(COMMAND_ORDER)}
        return sorted(self.commands, key=lambda name: (rank.get(name, len(rank)), name))


COMMAND_ORDER = (
    "init", "new", "check", "status", "followups", "tasks", "streak",
    "issues", "link", "questions", "import", "export", "site",
)  # fmt: skip


app = typer.Typer(
    cls=_Group,
    name="daylog",
    help="Daily study logs for a team: scaffold, number, lint, follow up, count streaks, publish.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"]},
)


# --- shared plumbing ---------------------------------------------------------------


class _State:
    workspace: Path | None = None


_state = _State()


def _version(value: bool) -> None:
    if value:
        from daylog._version import __version__

        typer.echo(f"daylog {__version__}")
        raise typer.Exit()


@app.callback()
def _main(
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            "-w",
            envvar="DAYLOG_WORKSPACE",
            help="The team workspace (its folder or its mkdocs.yml). Default: found from the current folder upward.",
        ),
    ] = None,
    version: Annotated[
        bool, typer.Option("--version", callback=_version, is_eager=True, help="Print the version and exit.")
    ] = False,
) -> None:
    """Daily study logs for a team."""
    _state.workspace = workspace


def workspace() -> "Workspace":
    from daylog.workspace import Workspace

    return Workspace.find(Path.cwd(), _state.workspace)


def now(settings: "Settings") -> datetime:
    """The current moment in the team's zone (`daylog.clock`: honours DAYLOG_NOW)."""
    from daylog import clock

    return clock.now(settings)


def today(settings: "Settings") -> date:
    """Today's study day in the team's zone after `day_starts_at`."""
    from daylog import clock

    return clock.today(settings)


def parse_date(value: str | None, option: str = "--date") -> date | None:
    if value is None:
        return None
    try:
        if len(value) != 10 or value[4] != "-" or value[7] != "-":  # fromisoformat also takes 20210205
            raise ValueError
        return date.fromisoformat(value)
    except ValueError:
        raise UsageError(f"{option} {value!r} is not a date: use YYYY-MM-DD (e.g. 2026-11-03)") from None


def member_for(settings: "Settings", author: str | None, root: Path) -> "Member":
    """`--author`, else the member whose e-mail is `git config user.email`."""
    from daylog.workspace import member_for as find

    return find(settings, author, root)


def show_path(path: Path) -> str:
    try:
        return str(path.relative_to(Path.cwd()))
    except ValueError:
        return str(path)


def fail(message: str, code: int = 1) -> NoReturn:
    sys.stderr.write(f"daylog: error: {message}\n")
    raise typer.Exit(code)


# --- init ----------------------------------------------------------------------------


@app.command()
def init(
    directory: Annotated[Path, typer.Argument(help="Where to create the workspace.", file_okay=False)] = Path("."),
    course: Annotated[
        str, typer.Option("--course", help='Course name, used in titles (e.g. "부스트캠프 AI Tech").')
    ] = "",
    start_date: Annotated[str, typer.Option("--start-date", help="First day of the course, YYYY-MM-DD (Day 1).")] = "",
    member: Annotated[
        list[str] | None, typer.Option("--member", help="A member as ID or ID:DISPLAY-NAME; repeat for each member.")
    ] = None,
    timezone: Annotated[str, typer.Option("--timezone", help="IANA time zone of the team.")] = "Asia/Seoul",
    issue_repo: Annotated[
        str | None, typer.Option("--issue-repo", help="OWNER/REPO that `#N` in entries refers to.")
    ] = None,
) -> None:
    """Create a team workspace: mkdocs.yml with the daylog block, the entry template, logs/.

    Never overwrites: if any of the files exists, lists them and changes nothing.
    """
    from daylog.init import create_workspace

    if not course.strip():
        raise UsageError("--course is required (the course name used in entry titles)")
    start = parse_date(start_date or None, "--start-date")
    if start is None:
        raise UsageError("--start-date is required (YYYY-MM-DD, the course's Day 1)")
    created = create_workspace(
        directory,
        course=course.strip(),
        start_date=start,
        members=member or [],
        timezone=timezone,
        issue_repo=issue_repo,
    )
    for path in created:
        typer.echo(show_path(path))
    from daylog.terminal import note

    note(f"workspace ready in {show_path(directory.resolve()) or '.'}: next, `daylog new --author ID`")


# --- new -----------------------------------------------------------------------------


@app.command()
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
    from daylog.newentry import scaffold_entry
    from daylog.terminal import note
    from daylog.workspace import write_new

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
    made = scaffold_entry(ws, who, d, moment, carry=carry and settings.carry_over)
    if print_:
        sys.stdout.write(made.text)
        for message in made.notes:
            note(message)
        return
    try:
        write_new(path, made.text)
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
            subprocess.call([*shlex.split(editor), str(path)])
        except OSError as exc:
            fail(f"cannot start editor {editor!r}: {exc.strerror or exc} (the entry was created)")


# --- check ---------------------------------------------------------------------------


@app.command()
def check(
    paths: Annotated[
        list[Path] | None, typer.Argument(help="Entries to check. Default: every entry of the workspace.")
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print findings as a JSON list.")] = False,
) -> None:
    """Lint entries: front matter, dates and day numbers, members, duplicates, conflicts, empty sections.

    Prints `path:line: error|warning: message`; exits 1 when there is any error.
    """
    from daylog.checking import run_check
    from daylog.terminal import print_json

    ws = None
    try:
        ws = workspace()
    except NoWorkspace:
        if not paths:
            raise
    findings, notes = run_check(ws, paths or [])
    if json_:
        print_json([f.as_json() for f in findings])
    else:
        for f in findings:
            typer.echo(f.format())
        from daylog.terminal import note

        for message in notes:
            note(message)
    if any(f.severity.value == "error" for f in findings):
        raise typer.Exit(1)


# Command groups register themselves on `app` when imported (kept light: they import
# their heavy dependencies inside the commands).
from daylog.commands import followups as _followups  # noqa: E402, F401
from daylog.commands import issues as _issues  # noqa: E402, F401
from daylog.commands import porting as _porting  # noqa: E402, F401
from daylog.commands import questions as _questions  # noqa: E402, F401
from daylog.commands import site as _site  # noqa: E402, F401
from daylog.commands import streak as _streak  # noqa: E402, F401


def main() -> None:
    """Console-script entry point."""
    app()
