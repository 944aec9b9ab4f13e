"""`daylog site export`: the team site's pages as plain Markdown files; `daylog site serve`: a live preview."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints); plain annotations cost nothing.

from pathlib import Path
from typing import Annotated

import typer

from daylog.cli.options import show_path, workspace

site_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="The team site (the MkDocs plugin `daylog` builds it; `serve` previews it live, `export` writes its pages).",
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


@site_app.command("serve")
def serve(
    port: Annotated[int, typer.Option("--port", "-p", help="Port to listen on.", min=1, max=65535)] = 8000,
    host: Annotated[
        str, typer.Option("--host", help="Address to listen on (only this machine by default).")
    ] = "127.0.0.1",
    site_dir: Annotated[
        Path | None,
        typer.Option("--site-dir", help="Build into this folder (emptied first) instead of a temporary one."),
    ] = None,
) -> None:
    """Serve the team site on http://127.0.0.1:8000/ and update it on every save.

    Like `mkdocs serve`, but saving an entry renders again only the pages it changes (that
    entry, its member's and week's pages, the listings, the home page): seconds at 3,000
    entries where a full rebuild takes a minute. mkdocs.yml, templates or the issue cache
    still rebuild everything. The pages are those `mkdocs build` writes. Stop with Ctrl-C.
    """
    from daylog.site.serve import serve as run

    ws = workspace()
    typer.echo(f"serving {ws.root} on http://{host}:{port}/ (Ctrl-C stops)", err=True)
    run(ws.root / "mkdocs.yml", host=host, port=port, site_dir=site_dir)


def register(app: typer.Typer) -> None:
    app.add_typer(site_app, name="site")
