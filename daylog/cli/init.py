"""`daylog init`: a new team workspace."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints), about 9 ms; plain annotations cost nothing.

from pathlib import Path
from typing import Annotated

import typer

from daylog.cli.options import parse_date, show_path
from daylog.errors import UsageError


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
    install: Annotated[
        str | None,
        typer.Option(
            "--install",
            metavar="SPEC",
            help="What the site workflow pip-installs (a fork, a git URL, a wheel). Default: this daylog's version.",
        ),
    ] = None,
) -> None:
    """Create a team workspace: mkdocs.yml with the daylog block, the entry template, logs/,
    the GitHub Actions workflow that publishes the site, and `.gitignore`.

    Never overwrites: if any of the files exists, lists them and changes nothing (an
    existing `.gitignore` gets only the lines it lacks, appended).
    """
    from daylog.workspace.init import create_workspace

    if not course.strip():
        raise UsageError("--course is required (the course name used in entry titles)")
    start = parse_date(start_date or None, "--start-date")
    if start is None:
        raise UsageError("--start-date is required (YYYY-MM-DD, the course's Day 1)")
    created, appended = create_workspace(
        directory,
        course=course.strip(),
        start_date=start,
        members=member or [],
        timezone=timezone,
        issue_repo=issue_repo,
        install=install,
    )
    for path in created:
        typer.echo(show_path(path))
    from daylog.terminal import note

    if appended:
        note(f"added {', '.join(appended)} to the existing {show_path(directory / '.gitignore')}")
    note(f"workspace ready in {show_path(directory.resolve()) or '.'}: next, `daylog new --author ID`")


def register(app: typer.Typer) -> None:
    app.command()(init)
