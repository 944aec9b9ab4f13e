"""`daylog concepts` (the list, or one concept's mentions) and `daylog concept new`."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints); plain annotations cost nothing.

from typing import TYPE_CHECKING, Annotated, Any

import typer

from daylog.cli.options import workspace

if TYPE_CHECKING:
    from daylog.calendar import CourseCalendar
    from daylog.search.concepts.catalog import Concept

concept_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Concept notes (concepts/<name>.md): `new` scaffolds one.",
)


def concepts(
    name: Annotated[
        str | None,
        typer.Argument(metavar="[NAME]", help="One concept (its name, an alias or its file name, any case)."),
    ] = None,
    json_: Annotated[bool, typer.Option("--json", help="Print JSON (see the README for the keys).")] = False,
) -> None:
    """The team's concepts with how often they are mentioned; with NAME, every line that mentions it.

    A concept is a note in concepts/<name>.md or a name some entry wikilinks (`[[ResNet]]`,
    `[[ResNet|레즈넷]]`). A mention is a line that wikilinks it or names it, or one of its note's
    aliases, in plain text: Korean also inside compounds and before particles (레즈넷은),
    English case-insensitively on word boundaries. Private sections are never read.
    """
    from daylog.search.concepts.service import find, listing
    from daylog.terminal import note, print_json, table, terminal_columns

    ws = workspace()
    found = listing(ws)
    for err in found.errors:
        note(f"skipped {err}")
    cal = ws.settings.calendar
    if name is not None:
        concept = find(found.catalog, name)
        if json_:
            print_json(_one_json(concept, cal))
        else:
            typer.echo(_one_text(concept, cal))
        return
    listed = found.catalog.concepts
    if json_:
        print_json([_row_json(c) for c in listed])
        return
    if not listed:
        typer.echo("no concepts yet: write [[Name]] in an entry, or `daylog concept new NAME`")
        return
    rows = [
        [c.name, c.note.path if c.note else "-", str(len(c.mentions)), str(c.wikilinks), ", ".join(c.members) or "-",
         ", ".join(c.aliases) or "-"]
        for c in listed
    ]  # fmt: skip
    headers = ["CONCEPT", "NOTE", "MENTIONS", "LINKS", "MEMBERS", "ALIASES"]
    typer.echo(table(headers, rows, max_width=terminal_columns()))


def _row_json(c: "Concept") -> dict[str, Any]:
    return {
        "name": c.name,
        "note": c.note.path if c.note else None,
        "aliases": list(c.aliases),
        "mentions": len(c.mentions),
        "wikilinks": c.wikilinks,
        "members": list(c.members),
    }


def _one_json(c: "Concept", cal: "CourseCalendar") -> dict[str, Any]:
    return {
        "name": c.name,
        "note": c.note.path if c.note else None,
        "aliases": list(c.aliases),
        "mentions": [
            {
                "author": m.member,
                "date": m.date.isoformat(),
                "day": cal.day_number(m.date),
                "path": m.path,
                "line": m.line,
                "text": m.text,
                "wikilink": m.wikilink,
            }
            for m in c.mentions
        ],
    }


def _one_text(c: "Concept", cal: "CourseCalendar") -> str:
    from daylog.terminal import table, terminal_columns

    head = c.name + (f" ({c.note.path})" if c.note else " (no note yet)")
    if c.aliases:
        head += f"  aliases: {', '.join(c.aliases)}"
    if not c.mentions:
        return f"{head}\nno mentions"
    rows = []
    for m in c.mentions:
        day = cal.day_number(m.date)
        rows.append([f"{m.date} " + (f"Day{day}" if day else "-"), m.member, f"{m.path}:{m.line}",
                     "wikilink" if m.wikilink else "text", m.text])  # fmt: skip
    return head + "\n" + table(["WHEN", "WHO", "WHERE", "BY", "LINE"], rows, max_width=terminal_columns())


@concept_app.command("new")
def new(
    name: Annotated[str, typer.Argument(metavar="NAME", help="The concept's name, as entries write it (ResNet).")],
    alias: Annotated[
        list[str] | None, typer.Option("--alias", help="Another name of it (repeatable): 레즈넷, residual network.")
    ] = None,
) -> None:
    """Scaffold concepts/<name>.md: front matter (title, aliases) and a definition heading.

    The file name is the name made safe on every system (lower case, `-` for blanks); a
    note that exists, under that file or under another whose title or alias is NAME, is
    never overwritten. Prints the new file's path.
    """
    from daylog.search.concepts.service import new_note

    ws = workspace()
    path = new_note(ws, name, tuple(alias or ()))
    typer.echo(ws.rel(path))


def register(app: typer.Typer) -> None:
    app.command()(concepts)
    app.add_typer(concept_app, name="concept")
