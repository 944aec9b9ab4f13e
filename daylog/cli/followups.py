"""`daylog followups` (list, done) and `daylog tasks`."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints), about 9 ms; plain annotations cost nothing.

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from daylog.cli import completion
from daylog.cli.options import parse_date, today, workspace

if TYPE_CHECKING:
    from daylog.cli.replay import Answer
    from daylog.followups.lifecycle import Status
    from daylog.workspace.files import Workspace

followups_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
    help="Open follow-ups (더 정리할 것) of the team, oldest first; `done` resolves them.",
)

AuthorOpt = Annotated[
    str | None,
    typer.Option(
        "--author",
        "-a",
        help="Only this member's items (id, name, alias or GitHub login).",
        autocompletion=completion.members,
    ),
]
MineOpt = Annotated[bool, typer.Option("--mine", help="Only your items (the member with your git user.email).")]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print a JSON list (see the README for the keys).")]


def _skipped(errors: "list[Any]") -> tuple[str, ...]:
    return tuple(f"skipped {err}" for err in errors)


@followups_app.callback()
def followups(
    ctx: typer.Context,
    author: AuthorOpt = None,
    mine: MineOpt = False,
    all_: Annotated[bool, typer.Option("--all", help="Open and resolved follow-ups.")] = False,
    resolved: Annotated[bool, typer.Option("--resolved", help="Only resolved follow-ups.")] = False,
    older_than: Annotated[
        int | None, typer.Option("--older-than", min=0, help="Only those open for more than N course days.")
    ] = None,
    json_: JsonOpt = False,
) -> None:
    """Open follow-ups (더 정리할 것) of the whole team, oldest first, with id, age and origin.

    A follow-up is an item under a "더 정리할 것" heading: `- [ ] topic: note` or
    `> ▪ **topic**`. It is resolved when checked, or with `daylog followups done ID`.
    """
    if ctx.invoked_subcommand is not None:
        return
    from daylog.cli.replay import emit, replayed
    from daylog.followups.service import CONCEPTS_DIR, followups_options

    ws = workspace()
    day = today(ws.settings)
    who, status = followups_options(ws, author=author, mine=mine, all_=all_, resolved=resolved)
    options = (who, status and status.value, older_than, json_, day)
    make = lambda: _followups(ws, day, who, status, older_than, json_)  # noqa: E731
    emit(replayed(ws, "followups", options, make, also=(CONCEPTS_DIR,)))


def _followups(
    ws: "Workspace", day: date, who: str | None, status: "Status | None", older_than: int | None, json_: bool
) -> "Answer":
    from daylog.cli.replay import Answer
    from daylog.followups.lifecycle import Status
    from daylog.followups.service import list_followups
    from daylog.terminal import table, terminal_columns

    records, errors = list_followups(ws, day, author=who, status=status, older_than=older_than, hints=True)
    if json_:
        return Answer.of_json([r.as_json() for r in records], _skipped(errors))
    if not records:
        return Answer("no open follow-ups\n" if status is Status.OPEN else "no follow-ups\n", _skipped(errors))
    rows = [
        [
            r.id,
            r.author,
            f"{r.raised_on} " + (f"Day{r.raised_day}" if r.raised_day else "-"),
            f"{r.age_days}d" if r.age_days is not None else "-",
            r.status.value + (f" {r.resolved_on}" if r.resolved_on else ""),
            f"{r.path}:{r.line}",
            r.topic,
        ]
        for r in records
    ]
    headers = ["ID", "AUTHOR", "RAISED", "AGE", "STATUS", "WHERE", "TOPIC"]
    if status is Status.OPEN:
        headers.pop(4)
        for row in rows:
            row.pop(4)
    return Answer(table(headers, rows, max_width=terminal_columns()) + "\n" + _hints(records), _skipped(errors))


def _hints(records: list[Any]) -> str:
    """One dim line per open follow-up a later entry's TIL heading seems to cover (a hint only)."""
    from daylog.terminal import plain, use_color

    lines = []
    for r in records:
        h = r.maybe_answered_in
        if h is not None:
            day = f" Day{h.day}" if h.day else ""
            by = f"{h.author}, {h.date}{day}" if h.author else "concept note"
            where = f"{h.path}:{h.line} ({by}: {plain(h.heading)})"
            lines.append(f"↳ {r.id} {plain(r.topic)}: maybe answered in {where}")
    dim = use_color(None)
    return "".join(f"\x1b[2m{line}\x1b[22m\n" if dim else f"{line}\n" for line in lines)


@followups_app.command("done")
def followups_done(
    ids: Annotated[
        list[str],
        typer.Argument(
            help="Follow-up ids (or unique prefixes of 3+ characters).", autocompletion=completion.open_followups
        ),
    ],
    date_: Annotated[
        str | None,
        typer.Option(
            "--date",
            "-d",
            help="Resolution date written as `✅ date`. Default: today.",
            autocompletion=completion.dates,
        ),
    ] = None,
) -> None:
    """Mark follow-ups resolved in the entry that raised them (`- [x] … ✅ date`).

    Only the item's line changes (a `> ▪` block becomes one checked item with its
    notes kept). Refuses files with merge-conflict markers or that changed meanwhile.
    """
    from daylog.followups.service import mark_followups_done

    ws = workspace()
    now_day = today(ws.settings)
    on = parse_date(date_, settings=ws.settings) or now_day
    result = mark_followups_done(ws, ids, on, now_day)
    for r in result.already:
        typer.echo(f"{r.id} already resolved" + (f" on {r.resolved_on}" if r.resolved_on else "") + f": {r.topic}")
    for r in result.done:
        typer.echo(f"{r.id} resolved {on}: {r.topic} ({r.path}:{r.line})")


def tasks(
    author: AuthorOpt = None,
    mine: MineOpt = False,
    all_: Annotated[bool, typer.Option("--all", help="Include finished items.")] = False,
    json_: JsonOpt = False,
) -> None:
    """Open assignment items (과제 진행 상황) per member, with the day they first appeared.

    An item is the same across days when its text is (case and spacing aside); its
    state is the latest one its author wrote.
    """
    from daylog.cli.replay import emit, replayed
    from daylog.followups.service import author_filter

    ws = workspace()
    day = today(ws.settings)
    who = author_filter(ws, author, mine)
    emit(replayed(ws, "tasks", (who, all_, json_, day), lambda: _tasks(ws, day, who, all_, json_)))


def _tasks(ws: "Workspace", day: date, who: str | None, all_: bool, json_: bool) -> "Answer":
    from daylog.cli.replay import Answer
    from daylog.followups.service import list_tasks
    from daylog.terminal import table, terminal_columns

    records, errors = list_tasks(ws, day, author=who, include_done=all_)
    if json_:
        return Answer.of_json([r.as_json() for r in records], _skipped(errors))
    if not records:
        return Answer("no open assignment items\n", _skipped(errors))
    rows = [
        [
            r.author,
            f"{r.first_on} " + (f"Day{r.first_day}" if r.first_day else "-"),
            f"{r.open_days}d",
            "done" if r.done else "open",
            f"{r.path}:{r.line}",
            r.text,
        ]
        for r in records
    ]
    header = ["AUTHOR", "SINCE", "OPEN", "STATE", "WHERE", "ITEM"]
    return Answer(table(header, rows, max_width=terminal_columns()) + "\n", _skipped(errors))


def register(app: typer.Typer) -> None:
    app.add_typer(followups_app, name="followups")
    app.command()(tasks)
