"""`daylog issues` (list, fetch) and `daylog link`."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints), about 9 ms; plain annotations cost nothing.

import os
from typing import TYPE_CHECKING, Annotated, Any

import typer

from daylog.cli import completion
from daylog.cli.options import AuthorOption, member_for, now, parse_date, show_path, today, workspace
from daylog.errors import UsageError

if TYPE_CHECKING:
    from daylog.issues.github import GitHubClient
    from daylog.issues.index import IndexedIssue, Mention
    from daylog.workspace.settings import Settings

issues_app = typer.Typer(
    invoke_without_command=True,
    no_args_is_help=False,
    rich_markup_mode=None,
    help="GitHub issues the entries mention, with title and state from the cache; `fetch` refreshes it.",
)

RepoOpt = Annotated[str | None, typer.Option("--repo", help="Only issues of this repository (OWNER/REPO).")]


def _notes(messages: Any) -> None:
    from daylog.terminal import note

    for message in messages:
        note(str(message))


@issues_app.callback()
def issues(
    ctx: typer.Context,
    repo: RepoOpt = None,
    open_: Annotated[bool, typer.Option("--open", help="Only open issues and pull requests.")] = False,
    closed: Annotated[bool, typer.Option("--closed", help="Only closed ones (merged pull requests too).")] = False,
    json_: Annotated[bool, typer.Option("--json", help="Print a JSON list (see the README for the keys).")] = False,
) -> None:
    """Issues, pull requests and discussions the entries mention, by repository and number.

    Per issue: title and state from the issue cache (.daylog/issues.json, filled by
    `daylog issues fetch`), how often it was mentioned, first and last mention
    (date, Day N) and who mentioned it. Works offline.
    """
    if ctx.invoked_subcommand is not None:
        return
    from daylog.issues.service import check_repo_option
    from daylog.terminal import print_json, table, terminal_columns

    state = _state_option(open_, closed)
    wanted_repo = check_repo_option(repo)
    selected = _selected(wanted_repo, state)
    if json_:
        print_json([i.as_json() for i in selected])
        return
    if not selected:
        typer.echo("no issues match" if (wanted_repo or state) else "no entry mentions an issue")
        return
    typer.echo(table(_ISSUE_HEADERS, [_issue_row(i) for i in selected], max_width=terminal_columns()))
    unknown = sum(1 for i in selected if i.title is None and not i.missing)
    if unknown:
        _notes([f"{unknown} without a title: `daylog issues fetch` asks GitHub"])


def _state_option(open_: bool, closed: bool) -> str | None:
    if open_ and closed:
        raise UsageError("use --open or --closed, not both")
    return "open" if open_ else "closed" if closed else None


def _selected(repo: str | None, state: str | None) -> "tuple[IndexedIssue, ...]":
    """The workspace's issues of `repo` in `state` (either may be None: all), saying what could not be read."""
    from daylog.issues.service import issue_index, load_cache

    ws = workspace()
    cache, problem = load_cache(ws)
    if problem is not None:
        _notes([f"{problem}; titles and states are not shown"])
    _notes(cache.url_warnings())
    index, errors = issue_index(ws, cache)
    _notes(f"skipped {e}" for e in errors)
    return index.select(repo=repo, state=state)


_ISSUE_HEADERS = ["ISSUE", "STATE", "MENTIONS", "FIRST", "LAST", "MEMBERS", "TITLE"]


def _issue_row(i: "IndexedIssue") -> list[str]:
    from daylog.terminal import plain

    return [
        i.key,
        _state(i),
        str(len(i.mentions)),
        _when(i.first),
        _when(i.last),
        ", ".join(i.members),
        plain(i.title) if i.title is not None else "-",
    ]


def _state(issue: "IndexedIssue") -> str:
    if issue.missing:
        return "missing"
    return issue.state or "-"


def _when(m: "Mention") -> str:
    return f"{m.date or '-'} " + (f"Day{m.day}" if m.day else "-")


def _client(settings: "Settings") -> "GitHubClient":
    from daylog.issues.github import GitHubClient, token_from_env

    return GitHubClient(settings.api_url, token_from_env(os.environ), fetch_timeout=settings.fetch_timeout)


@issues_app.command("fetch")
def issues_fetch(
    repo: RepoOpt = None,
    all_: Annotated[
        bool, typer.Option("--all", help="Refresh every referenced issue, ignoring `since` and stored ETags.")
    ] = False,
) -> None:
    """Fetch titles and states of the referenced issues from GitHub into .daylog/issues.json.

    One list call per repository (only what changed since the last fetch), plus single
    calls for numbers the list did not return; unchanged answers (304) cost no rate
    limit. Token: GH_TOKEN or GITHUB_TOKEN, anonymous without. Commit the cache file.
    """
    from daylog.issues.service import cache_path, check_repo_option, fetch_issues
    from daylog.terminal import Progress

    wanted_repo = check_repo_option(repo)
    ws = workspace()
    client = _client(ws.settings)
    progress = Progress("fetching issues")
    try:
        report, plan, errors = fetch_issues(
            ws, client, now=now(ws.settings), repo=wanted_repo, all=all_, progress=progress
        )
    finally:
        progress.close()
    _notes(f"skipped {e}" for e in errors)
    if report is None:
        typer.echo("no entry mentions an issue: nothing to fetch")
        return
    _notes(report.warnings)
    repos = len(plan.wanted)
    typer.echo(
        f"{plan.count} issues in {repos} {'repository' if repos == 1 else 'repositories'}: "
        f"{report.updated} updated, {report.unchanged} unchanged, {report.missing} missing "
        f"({report.requests} requests) → {show_path(cache_path(ws))}"
    )


def link(
    ref: Annotated[str, typer.Argument(help="53, #53, OWNER/REPO#53 or a github.com issue/pull/discussion URL.")],
    date_: Annotated[
        str | None,
        typer.Option(
            "--date", "-d", help="The entry's date, YYYY-MM-DD. Default: today.", autocompletion=completion.dates
        ),
    ] = None,
    author: AuthorOption = None,
    note: Annotated[str | None, typer.Option("--note", help="Text after the link (`— note`).")] = None,
    offline: Annotated[
        bool, typer.Option("--offline", help="Do not ask GitHub for a title that is not in the cache.")
    ] = False,
) -> None:
    """Add `- [#53 <title>](url) — note` to the peer-session section of a day's entry.

    The entry must exist (`daylog new` creates it); only that one line is added. The
    title comes from the issue cache, else from GitHub, and is escaped so it shows as
    plain text.
    """
    from daylog.issues.service import link_issue

    ws = workspace()
    settings = ws.settings
    day = parse_date(date_, settings=settings) or today(settings)
    who = member_for(settings, author, ws.root)
    result = link_issue(
        ws,
        who.id,
        day,
        ref,
        note=note,
        now=now(settings),
        client=None if offline else (lambda: _client(settings)),
    )
    _notes(result.notes)
    where = f"{show_path(result.path)}:{result.line}"
    if result.already:
        typer.echo(f"{where}: already linked, nothing was changed: {result.text}")
    else:
        typer.echo(f"{where}: {result.text}")


def register(app: typer.Typer) -> None:
    app.add_typer(issues_app, name="issues")
    app.command()(link)
