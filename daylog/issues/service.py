"""`daylog issues`, `issues fetch` and `link`: the workspace, the issue cache and GitHub, glued.

The cache is `<workspace>/.daylog/issues.json`, committed with the logs so that listing and
the site work offline; only `fetch` (and `link`, for one missing title) talk to GitHub.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING

from daylog.errors import DaylogError
from daylog.issues.index import IssueIndex, build_index, load_refs, norm_key
from daylog.issues.link import insert_line, link_line, parse_link_ref
from daylog.issues.refs import IssueRef, Kind, find_refs, parse_repo
from daylog.issues.urls import safe_url
from daylog.workspace.files import Workspace, decode, read_entry_bytes
from daylog.workspace.writes import locked, replace_checked

if TYPE_CHECKING:
    from daylog.entries.model import Section
    from daylog.issues.github import CachedIssue, FetchReport, GitHubClient, IssueCache

CACHE_FILE = Path(".daylog") / "issues.json"


def cache_path(ws: Workspace) -> Path:
    """The issue cache file, relative to the current folder when below it (shorter messages)."""
    path = ws.root / CACHE_FILE
    try:
        return path.relative_to(Path.cwd())
    except ValueError:
        return path


def load_cache(ws: Workspace) -> tuple[IssueCache, str | None]:
    """The issue cache for reading, and why it could not be used (then it is empty).

    A corrupt cache does not stop a listing: it is reported and `issues fetch` rebuilds it.
    """
    from daylog.issues.github import IssueCache

    path = cache_path(ws)
    try:
        return IssueCache.load(path), None
    except DaylogError as exc:
        return IssueCache(path), str(exc)


def issue_index(ws: Workspace, cache: IssueCache) -> tuple[IssueIndex, list[DaylogError]]:
    """The index of every reference in the entries, merged with `cache`."""
    rows, errors = load_refs(ws)
    settings = ws.settings
    return build_index(rows, cache.issues, settings.calendar, issue_repo=settings.issue_repo), errors


def check_repo_option(value: str | None) -> str | None:
    """`--repo OWNER/REPO`, validated."""
    if value is None:
        return None
    from daylog.errors import UsageError

    try:
        owner, repo = parse_repo(value, what="--repo")
    except DaylogError as exc:
        raise UsageError(exc.message) from None
    return f"{owner}/{repo}"


@dataclass(frozen=True, slots=True)
class FetchPlan:
    """What `issues fetch` will ask GitHub about."""

    wanted: Mapping[str, frozenset[int]]
    """Numbers per repository (spelt as the index displays it)."""
    discussions: Mapping[str, frozenset[int]]
    """Those known to be discussions (from URLs or the cache)."""

    @property
    def count(self) -> int:
        return sum(len(n) for n in self.wanted.values())


def fetch_plan(index: IssueIndex, repo: str | None = None) -> FetchPlan:
    """The referenced numbers per repository (only `repo`'s when given)."""
    wanted: dict[str, set[int]] = {}
    discussions: dict[str, set[int]] = {}
    for issue in index.select(repo=repo):
        wanted.setdefault(issue.repo, set()).add(issue.number)
        if issue.kind is Kind.DISCUSSION:
            discussions.setdefault(issue.repo, set()).add(issue.number)
    return FetchPlan(
        {r: frozenset(n) for r, n in wanted.items()},
        {r: frozenset(n) for r, n in discussions.items()},
    )


def fetch_issues(
    ws: Workspace,
    client: GitHubClient,
    *,
    now: datetime,
    repo: str | None = None,
    all: bool = False,  # the CLI flag's name
    progress: Callable[[int, int], None] | None = None,
) -> tuple[FetchReport | None, FetchPlan, list[DaylogError]]:
    """Refresh the cache for the referenced issues; (None, plan, …) when nothing is referenced.

    A corrupt cache is rebuilt (the report's warnings say so). The cache is saved even when an
    error stops the fetch (RateLimited keeps what was fetched).
    """
    from daylog.issues.github import IssueCache, fetch

    cache = IssueCache.load(cache_path(ws), rebuild_if_corrupt=True)
    index, errors = issue_index(ws, cache)
    plan = fetch_plan(index, repo)
    if repo is not None and not plan.wanted:
        referenced = sorted({i.repo for i in index.issues})
        raise DaylogError(
            f"no entry references an issue of {repo}",
            hint=f"referenced: {', '.join(referenced)}" if referenced else "no entry references any issue",
        )
    if not plan.wanted:
        return None, plan, errors
    report = fetch(
        cache,
        plan.wanted,
        client,
        all=all,
        now=now,
        progress=progress,
        discussions=plan.discussions,
    )
    return report, plan, errors


# -- link ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LinkResult:
    """What `daylog link` did."""

    path: Path
    line: int
    """Line of the added reference (or of the existing one when `already`)."""
    text: str
    """The reference line."""
    already: bool
    """The peer-session section already had a link line for this issue: nothing was written."""
    notes: tuple[str, ...]
    """Things to tell the user (title not fetched, cache unusable, …)."""


_LINK_ITEM = re.compile(r"^[ \t]*[-*+][ \t]+\[")


def link_issue(
    ws: Workspace,
    member: str,
    day: date,
    ref: str,
    *,
    note: str | None,
    now: datetime,
    client: Callable[[], GitHubClient] | None,
) -> LinkResult:
    """Add `- [#N <title>](url) — note` to the peer-session section of `member`'s entry for `day`.

    Creates nothing: the entry must exist and have a peer-session section. The title comes from
    the cache, else from GitHub when `client` is given (network allowed); without it the line
    has no title. Only the one line (and, after a paragraph, a blank line) is added.
    """
    from daylog.errors import UsageError

    settings = ws.settings
    issue = parse_link_ref(ref, issue_repo=settings.issue_repo)
    if note is not None and ("\n" in note or "\r" in note):
        raise UsageError("--note must be one line")
    target = _peer_section(ws, member, day)
    linked = _linked_line(target, issue, settings.issue_repo)
    if linked is not None:
        return LinkResult(target.path, linked, target.lines[linked - 1].rstrip("\r"), True, ())
    team = _team_spelling(f"{issue.owner}/{issue.repo}", settings.issue_repo)
    repo = team or f"{issue.owner}/{issue.repo}"
    record, notes = _title_record(ws, repo, issue, client, now)
    if record is not None and record.missing and client is not None:
        raise DaylogError(
            f"GitHub has no {repo}#{issue.number} (deleted, never existed, or private); nothing was changed",
            hint="check the number, or pass --offline to link it anyway",
        )
    line = _reference_line(issue, repo, ours=team is not None, record=record, note=note)
    with locked(ws.root):  # read again: another daylog may have written the entry while GitHub answered
        target = _peer_section(ws, member, day)
        linked = _linked_line(target, issue, settings.issue_repo)
        if linked is not None:
            return LinkResult(target.path, linked, target.lines[linked - 1].rstrip("\r"), True, ())
        done = insert_line(target.text, target.peer.line, target.peer.end, line)
        replace_checked(target.path, done.text, target.original, root=ws.root)
    return LinkResult(target.path, done.line, line, False, notes)


@dataclass(frozen=True, slots=True)
class _PeerSection:
    """The entry `daylog link` writes to, as read, and its peer-session section."""

    path: Path
    original: bytes
    """The file's bytes, so that the write fails if someone changed it meanwhile."""
    text: str
    lines: list[str]
    peer: Section


def _peer_section(ws: Workspace, member: str, day: date) -> _PeerSection:
    """The member's entry of the day and its peer-session section; a DaylogError when either is missing."""
    path = ws.entry_path(member, day)
    rel = ws.rel(path)
    if not path.is_file():
        raise DaylogError(
            f"no entry for {member} on {day}; nothing was changed",
            path=rel,
            hint=f"create it with `daylog new --date {day} --author {member}`, then link again",
        )
    original = read_entry_bytes(path, rel, ws.settings.max_entry_bytes)
    text = decode(original, rel)
    entry = ws.parse_text(text)
    if any(d.code == "conflict" for d in entry.diagnostics):
        raise DaylogError("has merge-conflict markers; resolve them first", path=rel)
    peer = entry.section("peer")
    if peer is None:
        raise DaylogError(
            "has no peer-session section to add the link to; nothing was changed",
            path=rel,
            hint="add a `## 피어세션 정리` heading, then link again",
        )
    return _PeerSection(path, original, text, text.split("\n"), peer)


def _linked_line(target: _PeerSection, issue: IssueRef, issue_repo: str | None) -> int | None:
    """The line of a link item for `issue` already in the peer-session section."""
    key = norm_key(f"{issue.owner}/{issue.repo}", issue.number)
    peer = target.peer
    for r in find_refs(target.text, issue_repo=issue_repo).refs:
        if (
            peer.line < r.line <= peer.end
            and norm_key(f"{r.owner}/{r.repo}", r.number) == key
            and _LINK_ITEM.match(target.lines[r.line - 1])
        ):
            return r.line
    return None


def _reference_line(issue: IssueRef, repo: str, *, ours: bool, record: CachedIssue | None, note: str | None) -> str:
    """The link item: `#N` for the team's repository (`ours`), else `owner/repo#N`.

    The URL is GitHub's when cached and safe, else the canonical github.com one built from the
    reference: the page the user means, never a `javascript:` link from a tampered cache.
    """
    url = (safe_url(record.url) if record is not None else None) or issue.url
    label = f"#{issue.number}" if ours else f"{repo}#{issue.number}"
    return link_line(label, url, record.title if record is not None else None, note)


def _team_spelling(repo: str, issue_repo: str | None) -> str | None:
    """`issue_repo` as the settings spell it when `repo` is the team's repository (GitHub ignores case)."""
    if issue_repo is not None and repo.lower() == issue_repo.lower():
        return issue_repo
    return None


def _title_record(
    ws: Workspace, repo: str, issue: IssueRef, client: Callable[[], GitHubClient] | None, now: datetime
) -> tuple[CachedIssue | None, tuple[str, ...]]:
    """The issue's cache record, fetched first when it has no title and `client` is given; and notes."""
    cache, problem = load_cache(ws)
    record = _lookup(cache.issues, repo, issue.number)
    if problem is not None:
        return record, (f"{problem}; linked without a title (`daylog issues fetch` rebuilds the cache)",)
    if (record is None or record.title is None) and client is not None:
        return _fetch_one(ws, client(), repo, issue.number, issue.kind, now)
    return record, tuple(cache.url_warnings([record.key] if record is not None else []))


def _lookup(issues: Mapping[str, CachedIssue], repo: str, number: int) -> CachedIssue | None:
    exact = issues.get(f"{repo}#{number}")
    if exact is not None:
        return exact
    key = norm_key(repo, number)
    return next((rec for k, rec in issues.items() if k.lower() == key), None)


def _fetch_one(
    ws: Workspace, client: GitHubClient, repo: str, number: int, kind: Kind | None, now: datetime
) -> tuple[CachedIssue | None, tuple[str, ...]]:
    """Fetch one issue into the cache; (record, notes) where a failure is a note, not an error."""
    from daylog.issues.github import IssueCache, fetch

    cache = IssueCache.load(cache_path(ws))
    discussions = {repo: {number}} if kind is Kind.DISCUSSION else None
    try:
        report = fetch(cache, {repo: {number}}, client, now=now, discussions=discussions)
    except DaylogError as exc:
        return _lookup(cache.issues, repo, number), (f"title not fetched: {exc}; linked without it",)
    return _lookup(cache.issues, repo, number), report.warnings
