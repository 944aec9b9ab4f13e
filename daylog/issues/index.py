"""The issue index: which entries mention which GitHub issues, merged with the issue cache.

`daylog issues` lists it, `daylog issues fetch` asks GitHub about the numbers in it, and the
site renders it (an issue's row lists its entries, an entry's page its issues), all from the
plain values here: no HTML, no terminal formatting.

The core (`build_index`) is pure. `ISSUES_VIEW`/`load_refs` read the entries through the
parse cache, which keeps only each file's date and its references as small tuples.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

from daylog.issues.refs import Kind, find_refs
from daylog.workspace.cache import View, load_view

if TYPE_CHECKING:
    from daylog.calendar import CourseCalendar
    from daylog.entries.model import Entry
    from daylog.errors import DaylogError
    from daylog.issues.github import CachedIssue
    from daylog.workspace.files import EntryFile, Workspace

__all__ = [
    "IndexedIssue",
    "IssueIndex",
    "Mention",
    "RefRow",
    "build_index",
    "load_refs",
    "norm_key",
    "refs_view",
]

RefRow = tuple[str, str, date | None, tuple[tuple[str, str, int, str | None, int, str | None], ...]]
"""(path, author, date, refs) per entry; each ref is (owner, repo, number, kind, line, section)."""


def norm_key(repo: str, number: int) -> str:
    """The grouping key: `owner/repo#N` lower-cased, as GitHub treats names case-insensitively."""
    return f"{repo.lower()}#{number}"


@dataclass(frozen=True, slots=True)
class Mention:
    """One reference to an issue in one entry."""

    author: str
    """The member folder the entry is in."""
    date: date | None
    """The entry's date (file name first, then front matter)."""
    day: int | None
    """Its course day number, None on weekends and holidays."""
    path: str
    """The entry, relative to the workspace root."""
    line: int
    section: str | None
    """Key of the section the reference is in (`peer`, `til`, …), None outside named sections."""

    def as_json(self) -> dict[str, object]:
        return {
            "author": self.author,
            "date": self.date.isoformat() if self.date else None,
            "day": self.day,
            "path": self.path,
            "line": self.line,
            "section": self.section,
        }


@dataclass(frozen=True, slots=True)
class IndexedIssue:
    """An issue, pull request or discussion the entries mention, with what the cache knows."""

    repo: str
    """`owner/repo`, spelt as `issue_repo` configures it, else as first written."""
    number: int
    kind: Kind | None
    """From the cache, else from a URL that mentions it; None for `#N` never fetched."""
    url: str
    """GitHub's `html_url` when cached, else built from the reference."""
    title: str | None
    """Untrusted text from GitHub (escape it to render it); None when not cached."""
    state: str | None
    """`open`, `closed` or `merged`; None when not cached or missing on GitHub."""
    missing: bool
    """GitHub answered 404/410 for it at the last fetch."""
    mentions: tuple[Mention, ...]
    """Oldest first (date, then path and line)."""

    @property
    def key(self) -> str:
        """`owner/repo#N` as displayed (and as the issue cache stores it)."""
        return f"{self.repo}#{self.number}"

    @property
    def members(self) -> tuple[str, ...]:
        """Who mentioned it, in order of their first mention."""
        return tuple(dict.fromkeys(m.author for m in self.mentions))

    @property
    def entries(self) -> tuple[str, ...]:
        """Paths of the entries that mention it, oldest first, each once."""
        return tuple(dict.fromkeys(m.path for m in self.mentions))

    @property
    def first(self) -> Mention:
        return self.mentions[0]

    @property
    def last(self) -> Mention:
        return self.mentions[-1]

    def as_json(self) -> dict[str, object]:
        """The documented `daylog issues --json` item."""
        return {
            "repo": self.repo,
            "number": self.number,
            "kind": self.kind.value if self.kind else None,
            "url": self.url,
            "title": self.title,
            "state": self.state,
            "mentions": [m.as_json() for m in self.mentions],
        }


@dataclass(frozen=True, slots=True)
class IssueIndex:
    """Every mentioned issue (by repo, then number) and the issues of every entry."""

    issues: tuple[IndexedIssue, ...]
    by_entry: Mapping[str, tuple[IndexedIssue, ...]] = field(repr=False)
    """Entry path → the issues it mentions, in order of first mention (read-only)."""
    _by_key: Mapping[str, IndexedIssue] = field(repr=False, compare=False)

    def get(self, repo: str, number: int) -> IndexedIssue | None:
        """The issue `repo#number`, whatever the case of `repo`."""
        return self._by_key.get(norm_key(repo, number))

    def for_entry(self, path: str) -> tuple[IndexedIssue, ...]:
        """The issues an entry links to (empty when none)."""
        return self.by_entry.get(path, ())

    def select(self, *, repo: str | None = None, state: str | None = None) -> tuple[IndexedIssue, ...]:
        """Issues of one repository (any case) and/or state; `closed` includes merged PRs."""
        out = self.issues
        if repo is not None:
            out = tuple(i for i in out if i.repo.lower() == repo.lower())
        if state == "closed":
            out = tuple(i for i in out if i.state in ("closed", "merged"))
        elif state is not None:
            out = tuple(i for i in out if i.state == state)
        return out


def build_index(
    rows: Iterable[RefRow],
    cached: Mapping[str, CachedIssue],
    calendar: CourseCalendar,
    *,
    issue_repo: str | None = None,
) -> IssueIndex:
    """Group the references of every entry by issue and merge in the cache.

    `cached` maps `owner/repo#N` to cache records (any case: matched case-insensitively).
    A repository is displayed as `issue_repo` spells it when they match, else as its first
    mention writes it.
    """
    refs: list[tuple[tuple[int, str, int], str, Mention, Kind | None, str, int]] = []
    for path, author, d, items in rows:
        day = calendar.day_number(d) if d is not None else None
        for owner, repo, number, kind_value, line, section in items:
            mention = Mention(author, d, day, path, line, section)
            order = (d.toordinal() if d else 10**9, path, line)
            refs.append((order, f"{owner}/{repo}", mention, Kind(kind_value) if kind_value else None, path, number))
    refs.sort(key=lambda r: r[0])

    spelling: dict[str, str] = {}
    if issue_repo is not None:
        spelling[issue_repo.lower()] = issue_repo
    for _, repo, _, _, _, _ in refs:
        spelling.setdefault(repo.lower(), repo)
    by_cache: dict[str, CachedIssue] = {}
    for cache_key, record in cached.items():
        low = cache_key.lower()
        if low not in by_cache or record.repo == spelling.get(record.repo.lower()):
            by_cache[low] = record

    grouped: dict[str, list[tuple[Mention, Kind | None]]] = {}
    numbers: dict[str, tuple[str, int]] = {}
    entry_keys: dict[str, list[str]] = {}
    for _, repo, mention, ref_kind, path, number in refs:
        key = norm_key(repo, number)
        grouped.setdefault(key, []).append((mention, ref_kind))
        numbers[key] = (spelling[repo.lower()], number)
        keys = entry_keys.setdefault(path, [])
        if key not in keys:
            keys.append(key)

    issues: dict[str, IndexedIssue] = {}
    for key, found in grouped.items():
        repo, number = numbers[key]
        written_kind = next((k for _, k in found if k is not None), None)
        rec = by_cache.get(key)
        kind = (rec.kind if rec is not None else None) or written_kind
        url = rec.url if rec is not None and rec.url else _url(repo, number, kind)
        issues[key] = IndexedIssue(
            repo=repo,
            number=number,
            kind=kind,
            url=url,
            title=rec.title if rec is not None else None,
            state=rec.state.value if rec is not None and rec.state is not None else None,
            missing=rec.missing if rec is not None else False,
            mentions=tuple(m for m, _ in found),
        )
    ordered = tuple(sorted(issues.values(), key=lambda i: (i.repo.lower(), i.number)))
    by_entry = {path: tuple(issues[k] for k in keys) for path, keys in entry_keys.items()}
    return IssueIndex(ordered, MappingProxyType(by_entry), MappingProxyType(issues))


_URL_PATH = {Kind.ISSUE: "issues", Kind.PULL: "pull", Kind.DISCUSSION: "discussions"}


def _url(repo: str, number: int, kind: Kind | None) -> str:
    """The github.com page; `/issues/N` when the kind is unknown (GitHub redirects it)."""
    return f"https://github.com/{repo}/{_URL_PATH[kind or Kind.ISSUE]}/{number}"


# -- reading the entries (through the parse cache) -------------------------------------------


def refs_view(issue_repo: str | None) -> View:
    """The parse-cache view of each entry's references (keyed on `issue_repo`, which resolves `#N`)."""

    def extract(f: EntryFile, e: Entry, text: str) -> tuple[int, tuple[Any, ...]]:
        from daylog.entries.parse import section_at

        d = f.date or e.date
        scan = find_refs(text, issue_repo=issue_repo)
        refs = tuple(
            (r.owner, r.repo, r.number, r.kind.value if r.kind else None, r.line, section_at(e, r.line))
            for r in scan.refs
        )
        return (d.toordinal() if d else 0, refs)

    return View("issue-refs", 1, frozenset(), extract, with_text=True, key=repr(issue_repo))


def load_refs(ws: Workspace) -> tuple[list[RefRow], list[DaylogError]]:
    """(path, author, date, refs) for every entry of a member that has references."""
    rows, errors = load_view(ws, refs_view(ws.settings.issue_repo))
    out: list[RefRow] = []
    for row in rows:
        ordinal, refs = row.data
        if refs and row.file.member:
            out.append((row.file.rel, row.file.member, date.fromordinal(ordinal) if ordinal else None, refs))
    return out, errors
