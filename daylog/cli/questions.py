"""`daylog questions`: the peer-session Q&A ledger."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints); plain annotations cost nothing.

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from daylog.cli import completion
from daylog.cli.options import parse_date, today, workspace
from daylog.errors import UsageError

if TYPE_CHECKING:
    from daylog.cli.replay import Answer
    from daylog.questions.ledger import QuestionRecord
    from daylog.workspace.files import Workspace
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
    unanswered: Annotated[
        bool, typer.Option("--unanswered", help="Only questions with no answer under them in any entry.")
    ] = False,
    like: Annotated[
        str | None,
        typer.Option(
            "--like",
            metavar="TEXT",
            help="Earlier questions whose question or answers resemble TEXT, best first (the search index).",
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until",
            help="Only questions on or before this date (default with --like: today).",
            autocompletion=completion.dates,
        ),
    ] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="With --like: the best N; 0 shows all.")] = 10,
    json_: Annotated[bool, typer.Option("--json", help="Print a JSON list (see the README for the keys).")] = False,
) -> None:
    """The peer-session Q&A ledger: every question with its askers, answers, day and place.

    Askers and answerers are member ids when the written name is a member's id, name or
    alias, else the name as written. `--like` finds what the team already asked and
    answered before a new question: `daylog questions --like "배치 정규화는 왜 써?"`.
    """
    ws = workspace()
    if author is not None and ws.settings.members:
        author = ws.settings.find_member(author).id
    asker_is_member = asker is not None and _asker(ws.settings, asker)
    if asker is not None and asker_is_member:
        asker = ws.settings.find_member(asker, "--asker").id
    last = parse_date(until, "--until", ws.settings)
    if like is not None:
        _like(ws, like, last or today(ws.settings), (author, asker, week), unanswered, limit, json_)
        return
    from daylog.cli.replay import emit, replayed

    narrow = (author, asker, asker_is_member, week, last, unanswered)
    emit(replayed(ws, "questions", (*narrow, json_), lambda: _questions(ws, narrow, json_)))


def _questions(
    ws: "Workspace", narrow: tuple[str | None, str | None, bool, int | None, date | None, bool], json_: bool
) -> "Answer":
    """The ledger as `questions` prints it; `narrow` is (author, asker, asker_is_member, week, until, unanswered)."""
    from daylog.cli.replay import Answer
    from daylog.questions.ledger import unanswered as no_answer
    from daylog.questions.service import list_questions
    from daylog.terminal import table, terminal_columns

    author, asker, asker_is_member, week, last, unanswered = narrow
    records, errors = list_questions(ws, author=author, asker=asker, week=week)
    notes = [f"skipped {err}" for err in errors]
    if asker is not None and not asker_is_member and not records and ws.settings.members:
        try:
            ws.settings.find_member(asker, "--asker")
        except UsageError as exc:  # not a member, and nobody wrote that name: say who it might be
            notes.append(f"no questions asked by {asker!r}, which is {exc.message.partition(' is ')[2]}")
    if last is not None:
        records = [r for r in records if r.date <= last]
    if unanswered:
        records = no_answer(records)
    if json_:
        return Answer.of_json([r.as_json() for r in records], notes)
    if not records:
        return Answer("no questions\n", tuple(notes))
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
    header = ["WHEN", "ASKED BY", "ANSWERS", "WHERE", "QUESTION"]
    return Answer(table(header, rows, max_width=terminal_columns()) + "\n", tuple(notes))


def _asker(settings: "Settings", name: str) -> bool:
    """Whether `--asker` names one or more members (an ambiguous name is then an error, as for
    `--author`); any other name is taken as written in the entries."""
    return bool(settings.members_named(name))


def _like(
    ws: "Workspace",
    text: str,
    until: date,
    narrow: tuple[str | None, str | None, int | None],
    unanswered: bool,
    limit: int,
    json_: bool,
) -> None:
    """`--like TEXT`: ranked questions, each followed by its answers; `narrow` is (author, asker, week)."""
    from daylog.questions.ledger import unanswered as no_answer
    from daylog.questions.service import like_questions
    from daylog.terminal import note, print_json

    author, asker, week = narrow
    found = like_questions(ws, text, until=until, author=author, asker=asker, week=week, limit=None)
    for message in found.notes:
        note(message)
    for err in found.errors:
        note(f"skipped {err}")
    ranked = found.ranked
    if unanswered:
        keep = {id(r) for r in no_answer([r for r, _ in ranked])}
        ranked = [(r, s) for r, s in ranked if id(r) in keep]
    ranked = ranked[: limit or None]
    if json_:
        print_json([{**r.as_json(), "score": round(s, 4)} for r, s in ranked])
    elif not ranked:
        typer.echo("no questions like it")
    else:
        typer.echo("\n".join(_like_lines(r) for r, _ in ranked))


def _like_lines(r: "QuestionRecord") -> str:
    """`date DayN  path:line  askers: question`, then one `  ↳ answerer: answer` line per answer."""
    when = f"{r.date} " + (f"Day{r.day}" if r.day else "-")
    out = [f"{when}  {r.path}:{r.line}  {', '.join(r.askers) or '-'}: {r.text}"]
    out += [f"  ↳ {a.answerer or '-'}: {a.text}" for a in r.answers] or ["  ↳ (no answer yet)"]
    return "\n".join(out)


def register(app: typer.Typer) -> None:
    app.command()(questions)
