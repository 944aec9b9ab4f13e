"""`daylog search`: ranked full-text search over the whole team's entries."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints); plain annotations cost nothing.

from datetime import date
from typing import TYPE_CHECKING, Annotated

import typer

from daylog.cli import completion
from daylog.cli.options import parse_date, workspace
from daylog.errors import DaylogError, UsageError

if TYPE_CHECKING:
    from daylog.search.service import Result
    from daylog.workspace.files import Workspace

BOLD, NORMAL = "\x1b[1m", "\x1b[22m"


def search(
    query: Annotated[
        list[str],
        typer.Argument(
            metavar="QUERY...",
            help='Words a line must all contain; "quoted words" (or one argument with spaces) are a phrase.',
            autocompletion=completion.concepts,
        ),
    ],
    author: Annotated[
        list[str] | None,
        typer.Option(
            "--author", "-a", help="Only this member's entries (repeatable).", autocompletion=completion.members
        ),
    ] = None,
    in_: Annotated[
        list[str] | None,
        typer.Option(
            "--in",
            metavar="peer|followups|tasks|til|results|all",
            help="Only lines of this section (any section key of the settings; repeatable). Default: all.",
        ),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since",
            help="Only entries on or after this date (YYYY-MM-DD, yesterday, 어제, mon, Day13…).",
            autocompletion=completion.dates,
        ),
    ] = None,
    until: Annotated[
        str | None,
        typer.Option(
            "--until", help="Only entries on or before this date (as --since).", autocompletion=completion.dates
        ),
    ] = None,
    week: Annotated[int | None, typer.Option("--week", min=1, help="Only course week N.")] = None,
    limit: Annotated[int, typer.Option("--limit", "-n", min=0, help="Show the best N lines; 0 shows all.")] = 20,
    json_: Annotated[bool, typer.Option("--json", help="Print a JSON list (see the README for the keys).")] = False,
    color: Annotated[
        bool | None,
        typer.Option("--color/--no-color", help="Mark hits in bold. Default: on a terminal, unless NO_COLOR is set."),
    ] = None,
) -> None:
    """Search every entry of the team: matching lines, best first, with author, day, section and path:line.

    Korean words are found inside compounds and before particles (`분포` finds `균등분포는`),
    English words case-insensitively, also inside longer words (`norm` finds `LayerNorm`).
    Private sections are never searched. The index lives in .daylog/cache/search.sqlite and
    follows every edit.
    """
    try:
        from daylog.search.service import search as run
    except ModuleNotFoundError as exc:  # a Python built without SQLite
        if exc.name not in ("sqlite3", "_sqlite3"):
            raise
        raise DaylogError("this Python has no sqlite3 module, which `daylog search` needs") from None
    from daylog.terminal import note, print_json, use_color

    ws = workspace()
    lo, hi = _dates(ws, since, until, week)
    found = run(
        ws, query, authors=_authors(ws, author), sections=_sections(ws, in_), since=lo, until=hi, limit=limit or None
    )
    for message in found.notes:
        note(message)
    for err in found.errors:
        note(f"skipped {err}")
    if json_:
        print_json([r.as_json() for r in found.results])
    elif not found.results:
        typer.echo("no matches")
    else:
        bold = use_color(color)
        typer.echo(_lines(found.results, bold), color=bold)  # Click strips escapes from a pipe unless told
    if found.more:
        note(f"showing the best {limit} lines; --limit 0 shows every match")


def _authors(ws: "Workspace", author: list[str] | None) -> tuple[str, ...]:
    """Member ids of `--author`, which takes any name of a member (as everywhere)."""
    if not ws.settings.member_ids():
        return tuple(author or ())
    return tuple(dict.fromkeys(ws.settings.find_member(a).id for a in author or ()))


def _sections(ws: "Workspace", keys: list[str] | None) -> tuple[str, ...]:
    known = sorted(ws.settings.sections)
    for k in keys or ():
        if k != "all" and k not in known:
            raise UsageError(f"--in {k!r} is no section; use one of {'|'.join([*known, 'all'])}")
    if not keys or "all" in keys:
        return ()
    return tuple(keys)


def _dates(ws: "Workspace", since: str | None, until: str | None, week: int | None) -> tuple[date | None, date | None]:
    """The date range of --since/--until and --week together."""
    lo, hi = parse_date(since, "--since", ws.settings), parse_date(until, "--until", ws.settings)
    if week is not None:
        monday, sunday = ws.settings.calendar.week_bounds(week)
        lo, hi = max(lo or monday, monday), min(hi or sunday, sunday)
    return lo, hi


def _lines(results: "list[Result]", bold: bool) -> str:
    """`path:line  author  date DayN  [section]  text`, columns aligned, hits in bold on a terminal."""
    from daylog.terminal import marked, pad, terminal_columns, width

    columns = terminal_columns()
    heads = [
        (
            f"{r.path}:{r.line}",
            r.author,
            f"{r.date or '-'} " + (f"Day{r.day}" if r.day else "-"),
            f"[{r.section or '-'}]",
        )
        for r in results
    ]
    widths = [max(width(h[i]) for h in heads) for i in range(4)]
    out = []
    for r, head in zip(results, heads, strict=True):
        left = "  ".join(pad(cell, widths[i]) for i, cell in enumerate(head))
        room = None if columns is None else max(20, columns - width(left) - 2)
        text = marked(r.text, r.spans, on=BOLD if bold else "", off=NORMAL if bold else "", columns=room)
        out.append(f"{left}  {text}")
    return "\n".join(out)


def register(app: typer.Typer) -> None:
    app.command()(search)
