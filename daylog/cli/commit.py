"""`daylog commit`: commit the day's entry (and the files it references) with a message made for it."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints); plain annotations cost nothing.

from typing import Annotated

import typer

from daylog.cli import completion
from daylog.cli.options import AuthorOption, member_for, parse_date, today, workspace


def commit(
    date_: Annotated[
        str | None,
        typer.Argument(
            metavar="[DATE]",
            help="The day: YYYY-MM-DD, today, 어제, -1, mon, Day13… Default: today.",
            autocompletion=completion.dates,
        ),
    ] = None,
    author: AuthorOption = None,
    push: Annotated[
        bool, typer.Option("--push", help="Then push the current branch (to its upstream, or origin).")
    ] = False,
) -> None:
    """Commit the member's entry for the day, and the files it references under the member's folder.

    The message is the `commit_message` setting (default `[Day{day}] {name}: {title}`).
    Refuses, saying why, when anything else is staged, the entry has conflict markers or
    `check` errors, nothing changed, HEAD is detached or a merge is in progress.
    """
    from daylog.entries.commit import commit_entry, push_branch

    ws = workspace()
    settings = ws.settings
    d = parse_date(date_, "DATE", settings=settings) or today(settings)
    who = member_for(settings, author, ws.root)
    done = commit_entry(ws, who, d, push=push)
    typer.echo(f"committed {done.sha} on {done.branch}: {done.message}")
    for path in done.paths:
        typer.echo(f"  {path}")
    if done.ignored:
        from daylog.terminal import note

        note(f"left out (the repository's .gitignore excludes them): {', '.join(done.ignored)}")
    if push:
        pushed = push_branch(ws, done.branch)
        typer.echo(f"pushed {pushed.branch} to {pushed.remote}")


def register(app: typer.Typer) -> None:
    app.command()(commit)
