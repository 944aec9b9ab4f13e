"""`daylog import` (posts → entries) and `daylog export jekyll` (entries → a Jekyll blog)."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints); plain annotations cost nothing.

import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from daylog.cli import completion
from daylog.cli.options import member_for, parse_date, show_path, workspace
from daylog.errors import UsageError

if TYPE_CHECKING:
    from daylog.porting.importer import ImportResult

export_app = typer.Typer(
    no_args_is_help=True,
    rich_markup_mode=None,
    help="Publish entries elsewhere (`daylog export jekyll OUTDIR`).",
)


class _Progress:
    """A one-line progress bar on stderr when it is a terminal; a line per 500 posts otherwise."""

    def __init__(self) -> None:
        self.tty = sys.stderr.isatty()
        self.shown = False

    def __call__(self, done: int, total: int) -> None:
        posts = total // 2
        if posts < 2:
            return
        if self.tty:
            width = 30
            filled = width * done // total
            sys.stderr.write(f"\rdaylog: importing [{'#' * filled}{'.' * (width - filled)}] {done * 100 // total}%")
            self.shown = True
            if done == total:
                sys.stderr.write("\r\033[K")
        elif posts >= 500 and done > posts and (done - posts) % 500 == 0:
            sys.stderr.write(f"daylog: imported {done - posts}/{posts} posts\n")


def import_(
    paths: Annotated[list[Path], typer.Argument(help="Posts, or folders searched for *.md recursively.")],
    author: Annotated[
        str | None, typer.Option("--author", "-a", help="Member id the posts belong to (logs/<author>/).")
    ] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Report what would happen; write nothing.")] = False,
    merge: Annotated[
        bool, typer.Option("--merge", help="Append a post to an existing entry of its day (as a section).")
    ] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print a JSON list (see the README for the keys).")] = False,
) -> None:
    """Import existing posts (Jekyll/Chirpy, TIL notes) as entries at logs/<author>/<date>.md.

    The date comes from the front matter, else the file name, else a dated heading (year from
    neighbouring posts), else Day N / N일차 / WeekW-DayD through the course calendar; conflicts
    are reported with the source used. Bodies are kept byte for byte; nothing is overwritten,
    so importing twice imports nothing new. Exit status 1 when any post failed.
    """
    from daylog.porting.importer import Status, import_posts
    from daylog.terminal import note, print_json, table, terminal_columns

    ws = workspace()
    if author is None:
        raise UsageError(
            f"--author is required: whose posts are these? (members: {', '.join(ws.settings.member_ids())})"
        )
    who = member_for(ws.settings, author, ws.root)
    results = import_posts(ws, paths, who.id, dry_run=dry_run, merge=merge, progress=None if json_ else _Progress())
    if json_:
        print_json([r.as_json() for r in results])
    elif results:
        typer.echo(table(_IMPORT_HEADERS, [_import_row(r) for r in results], max_width=terminal_columns()))
    note(_import_summary(results, dry_run))
    if any(r.status is Status.FAILED for r in results):
        raise typer.Exit(1)


_IMPORT_HEADERS = ["STATUS", "SOURCE", "DATE", "FROM", "DAY", "Q/F/T/I", "NOTES"]


def _import_row(r: "ImportResult") -> list[str]:
    c = r.counts or {}
    return [
        r.status.value,
        r.source,
        str(r.date or "-"),
        r.date_source or "-",
        f"Day{r.day}" if r.day else "-",
        "/".join(str(c.get(k, "-")) for k in ("questions", "followups", "tasks", "issue_links")),
        "; ".join(r.reasons) or "-",
    ]


def _import_summary(results: "list[ImportResult]", dry_run: bool) -> str:
    from daylog.porting.importer import Status

    tally = {s: sum(1 for r in results if r.status is s) for s in Status}
    if not results:
        return "no Markdown posts found in the given paths"
    if tally[Status.IMPORTED] == 0 and tally[Status.FAILED] == 0:
        return f"nothing new to import ({tally[Status.SKIPPED]} skipped; see the reasons)"
    verb = "would import" if dry_run else "imported"
    return f"{verb} {tally[Status.IMPORTED]}, skipped {tally[Status.SKIPPED]}, failed {tally[Status.FAILED]}"


@export_app.command("jekyll")
def export_jekyll(
    outdir: Annotated[Path, typer.Argument(help="The Jekyll site (posts go to OUTDIR/_posts/).", file_okay=False)],
    author: Annotated[
        str | None,
        typer.Option("--author", "-a", help="Only this member's entries.", autocompletion=completion.members),
    ] = None,
    since: Annotated[
        str | None,
        typer.Option(
            "--since", help="Only entries on or after this date, YYYY-MM-DD.", autocompletion=completion.dates
        ),
    ] = None,
    json_: Annotated[
        bool, typer.Option("--json", help="Print a JSON list of {source, target, status, reason}.")
    ] = False,
) -> None:
    """Write entries as Jekyll/Chirpy posts: _posts/YYYY-MM-DD-<slug>.md, private sections left out.

    Front matter: title, date with offset, categories, tags, author, `math: true` when the
    entry has math. Links between exported entries become `{% post_url … %}`; links to
    entries left out are kept and named. Re-running updates posts daylog exported; other
    existing files are left alone.
    """
    from daylog.porting.jekyll import UnmappedLink
    from daylog.porting.jekyll import export_jekyll as run
    from daylog.terminal import note, print_json

    ws = workspace()
    if author is not None:
        author = ws.settings.find_member(author).id
    results, errors = run(ws, outdir, author=author, since=parse_date(since, "--since", ws.settings))
    for err in errors:
        note(str(err) if isinstance(err, UnmappedLink) else f"skipped {err}")
    if json_:
        print_json([r.as_json() for r in results])
    else:
        for r in results:
            typer.echo(f"{r.status:9} {show_path(Path(r.target))}" + (f" ({r.reason})" if r.reason else ""))
    written = sum(1 for r in results if r.status in ("written", "updated"))
    note(f"{written} post(s) written to {show_path(outdir / '_posts')}, {len(results) - written} unchanged or skipped")


def register(app: typer.Typer) -> None:
    app.add_typer(export_app, name="export")
    app.command("import")(import_)
