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
from typing import TYPE_CHECKING, NamedTuple

from daylog.issues.refs import Kind, find_refs
from daylog.issues.urls import safe_url
from daylog.workspace.cache import View, load_view

if TYPE_CHECKING:
    from daylog.calendar import CourseCalendar
    from daylog.entries.model import Entry
    from daylog.errors import DaylogError
    from daylog.issues.github import CachedIssue
    from daylog.workspace.files import EntryFile, Workspace

__all__ = [
    "EntryRefs",
    "IndexedIssue",
    "IssueIndex",
    "Mention",
    "RefItem",
    "build_index",
    "load_refs",
    "norm_key",
    "refs_view",
]

class RefItem(NamedTuple):
    """One reference as the parse cache keeps it."""

    owner: str
    repo: str
    number: int
    kind: str | None
    """A `Kind` value when the reference says (a URL), else None."""
    line: int
    section: str | None


class EntryRefs(NamedTuple):
    """The references of one entry, with where and when it was written."""

    path: str
    author: str
    date: date | None
    refs: tuple[RefItem, ...]


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
    """GitHub's `html_url` when cached and `safe_url` accepts it, else built from the reference."""
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


class _Ref(NamedTuple):
    """A reference while building the index: the mention, and what it names."""

    order: tuple[int, str, int]
    repo: str
    """`owner/repo` as written."""
    number: int
    kind: Kind | None
    mention: Mention


def build_index(
    rows: Iterable[EntryRefs],
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
    refs = _mentions(rows, calendar)
    spelling = _spellings(refs, issue_repo)
    by_cache = _cache_by_key(cached, spelling)
    grouped: dict[str, list[_Ref]] = {}
    entry_keys: dict[str, dict[str, None]] = {}
    for ref in refs:
        key = norm_key(ref.repo, ref.number)
        grouped.setdefault(key, []).append(ref)
        entry_keys.setdefault(ref.mention.path, {})[key] = None
    issues = {key: _indexed(found, spelling, by_cache.get(key)) for key, found in grouped.items()}
    ordered = tuple(sorted(issues.values(), key=lambda i: (i.repo.lower(), i.number)))
    by_entry = {path: tuple(issues[k] for k in keys) for path, keys in entry_keys.items()}
    return IssueIndex(ordered, MappingProxyType(by_entry), MappingProxyType(issues))


def _mentions(rows: Iterable[EntryRefs], calendar: CourseCalendar) -> list[_Ref]:
    """Every reference of every entry, oldest first (date, then path and line)."""
    refs: list[_Ref] = []
    for path, author, d, items in rows:
        day = calendar.day_number(d) if d is not None else None
        for owner, repo, number, kind, line, section in items:
            order = (d.toordinal() if d else 10**9, path, line)
            mention = Mention(author, d, day, path, line, section)
            refs.append(_Ref(order, f"{owner}/{repo}", number, Kind(kind) if kind else None, mention))
    refs.sort(key=lambda r: r.order)
    return refs


def _spellings(refs: Iterable[_Ref], issue_repo: str | None) -> dict[str, str]:
    """Lower-cased `owner/repo` → how it is displayed: as configured, else as first written."""
    spelling = {issue_repo.lower(): issue_repo} if issue_repo is not None else {}
    for ref in refs:
        spelling.setdefault(ref.repo.lower(), ref.repo)
    return spelling


def _cache_by_key(cached: Mapping[str, CachedIssue], spelling: Mapping[str, str]) -> dict[str, CachedIssue]:
    """Cache records by lower-cased key; of two spellings, the displayed one wins."""
    by_key: dict[str, CachedIssue] = {}
    for cache_key, record in cached.items():
        low = cache_key.lower()
        if low not in by_key or record.repo == spelling.get(record.repo.lower()):
            by_key[low] = record
    return by_key


def _indexed(found: list[_Ref], spelling: Mapping[str, str], rec: CachedIssue | None) -> IndexedIssue:
    """One issue from its mentions and its cache record, if any."""
    repo, number = spelling[found[-1].repo.lower()], found[-1].number
    written_kind = next((r.kind for r in found if r.kind is not None), None)
    kind = (rec.kind if rec is not None else None) or written_kind
    return IndexedIssue(
        repo=repo,
        number=number,
        kind=kind,
        url=(safe_url(rec.url) if rec is not None else None) or _url(repo, number, kind),
        title=rec.title if rec is not None else None,
        state=rec.state.value if rec is not None and rec.state is not None else None,
        missing=rec.missing if rec is not None else False,
        mentions=tuple(r.mention for r in found),
    )


_URL_PATH = {Kind.ISSUE: "issues", Kind.PULL: "pull", Kind.DISCUSSION: "discussions"}


def _url(repo: str, number: int, kind: Kind | None) -> str:
    """The github.com page; `/issues/N` when the kind is unknown (GitHub redirects it)."""
    return f"https://github.com/{repo}/{_URL_PATH[kind or Kind.ISSUE]}/{number}"


# -- reading the entries (through the parse cache) -------------------------------------------


def refs_view(issue_repo: str | None) -> View[tuple[RefItem, ...]]:
    """The parse-cache view of each entry's references (keyed on `issue_repo`, which resolves `#N`)."""

    def extract(f: EntryFile, e: Entry, text: str) -> tuple[RefItem, ...]:
        from daylog.entries.parse import section_at

        return tuple(
            RefItem(r.owner, r.repo, r.number, r.kind.value if r.kind else None, r.line, section_at(e, r.line))
            for r in find_refs(text, issue_repo=issue_repo).refs
        )

    return View(
        "issue-refs",
        frozenset(),
        extract,
        encode=lambda refs: tuple(tuple(r) for r in refs),
        decode=lambda plain: tuple(RefItem(*r) for r in plain),
        key=repr(issue_repo),
    )


def load_refs(ws: Workspace) -> tuple[list[EntryRefs], list[DaylogError]]:
    """The references of every entry of a member that has any."""
    rows, errors = load_view(ws, refs_view(ws.settings.issue_repo))
    return [EntryRefs(r.file.rel, r.file.member, r.date, r.data) for r in rows if r.data and r.file.member], errors
