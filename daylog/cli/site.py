"""`daylog site export`: the team site's pages as plain Markdown files."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints); plain annotations cost nothing.

from pathlib import Path
from typing import Annotated

import typer

from daylog.cli.options import show_path, workspace

site_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="The team site (the MkDocs plugin `daylog` builds it; `export` writes its pages for other tools).",
)


@site_app.command("export")
def export(
    directory: Annotated[Path, typer.Argument(help="Folder to write the pages into (created when missing).")],
    json_: Annotated[bool, typer.Option("--json", help="Print what was written as JSON (see the README).")] = False,
) -> None:
    """Write the site's generated pages (entries, home, follow-ups, questions, …) as Markdown into DIRECTORY.

    Any static-site generator that reads Markdown can publish them. A later export replaces
    its own files (listed in DIRECTORY/.daylog-export) and touches nothing else.
    """
    from daylog.site.export import export as run_export
    from daylog.terminal import note, print_json

    result = run_export(workspace(), directory)
    for message in result.notes:
        note(message)
    if json_:
        print_json(result.as_json())
        return
    typer.echo(show_path(Path(result.directory)))
    note(
        f"{result.pages} pages, {result.assets} assets, {result.media} images written"
        + (f"; {len(result.removed)} old pages removed" if result.removed else "")
    )


def register(app: typer.Typer) -> None:
    app.add_typer(site_app, name="site")
