"""`daylog questions`: the peer-session Q&A ledger."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints); plain annotations cost nothing.

from typing import TYPE_CHECKING, Annotated

import typer

from daylog.cli import completion
from daylog.cli.options import workspace
from daylog.errors import UsageError

if TYPE_CHECKING:
    from daylog.workspace.settings import Settings


def questions(
    author: Annotated[
        str | None,
        typer.Option(
            "--author", "-a", help="Only questions in this member's entries.", autocompletion=completion.members
        ),
    ] = None,
    asker: Annotated[
        str | None,
        typer.Option(
            "--asker",
            help="Only questions asked by NAME (member id, name or alias, or as written).",
            autocompletion=completion.members,
        ),
    ] = None,
    week: Annotated[int | None, typer.Option("--week", min=1, help="Only course week N.")] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print a JSON list (see the README for the keys).")] = False,
) -> None:
    """The peer-session Q&A ledger: every question with its askers, answers, day and place.

    Askers and answerers are member ids when the written name is a member's id, name or
    alias, else the name as written.
    """
    from daylog.questions.service import list_questions
    from daylog.terminal import note, print_json, table, terminal_columns

    ws = workspace()
    if author is not None and ws.settings.members:
        author = ws.settings.find_member(author).id
    asker_is_member = asker is not None and _asker(ws.settings, asker)
    if asker is not None and asker_is_member:
        asker = ws.settings.find_member(asker, "--asker").id
    records, errors = list_questions(ws, author=author, asker=asker, week=week)
    for err in errors:
        note(f"skipped {err}")
    if asker is not None and not asker_is_member and not records and ws.settings.members:
        try:
            ws.settings.find_member(asker, "--asker")
        except UsageError as exc:  # not a member, and nobody wrote that name: say who it might be
            note(f"no questions asked by {asker!r}, which is {exc.message.partition(' is ')[2]}")
    if json_:
        print_json([r.as_json() for r in records])
        return
    if not records:
        typer.echo("no questions")
        return
    rows = [
        [
            f"{r.date} " + (f"Day{r.day}" if r.day else "-"),
            ", ".join(r.askers) or "-",
            str(len(r.answers)),
            f"{r.path}:{r.line}",
            r.text,
        ]
        for r in records
    ]
    typer.echo(table(["WHEN", "ASKED BY", "ANSWERS", "WHERE", "QUESTION"], rows, max_width=terminal_columns()))


def _asker(settings: "Settings", name: str) -> bool:
    """Whether `--asker` names one or more members (an ambiguous name is then an error, as for
    `--author`); any other name is taken as written in the entries."""
    return bool(settings.members_named(name))


def register(app: typer.Typer) -> None:
    app.command()(questions)
