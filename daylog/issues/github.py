"""GitHub issues: a small REST client and the issue cache committed next to the logs.

The cache lets the site build and every command run offline: titles and states are fetched by
`daylog issues fetch` (this module's `fetch`) and written to a readable JSON file that the team
commits. The client is stdlib `urllib` on purpose: a sync makes a handful of serial GETs, and a
dependency would buy nothing but weight.

Titles are untrusted text written by anyone who can open an issue. They are stored verbatim (no
HTML processing here), cut to `MAX_TITLE_CHARS`; whatever renders them (terminal, Markdown, HTML)
must escape them. Issue bodies are never stored. URLs are kept only when `urls.safe_url` accepts
them, from GitHub and from the cache file alike (the file is committed: anyone who can push can
edit it).
"""

from __future__ import annotations

import contextlib
import email.utils
import enum
import http.client
import json
import os
import re
import tempfile
import time
import urllib.error
import urllib.parse
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, NamedTuple

from daylog.errors import DaylogError
from daylog.issues.refs import IssueRef, Kind, parse_repo
from daylog.issues.transport import Overdue, Transport, UrllibTransport
from daylog.issues.urls import safe_url
from daylog.workspace.reads import read_text
from daylog.workspace.settings import cut_repr

__all__ = [
    "API_URL",
    "API_VERSION",
    "CACHE_VERSION",
    "MAX_MESSAGE_CHARS",
    "MAX_PAGES",
    "MAX_TITLE_CHARS",
    "CachedIssue",
    "FetchReport",
    "GitHubClient",
    "IssueCache",
    "RateLimited",
    "RepoSync",
    "Response",
    "State",
    "fetch",
    "token_from_env",
    "wanted_from_refs",
]

API_URL = "https://api.github.com"
API_VERSION = "2022-11-28"
"""Pinned REST API version; GitHub supports it for at least 24 months after 2026-03-10."""
CACHE_VERSION = 1
DEFAULT_TIMEOUT = 10.0
"""Seconds one socket read may wait."""
DEFAULT_FETCH_TIMEOUT = 60.0
"""Seconds a whole fetch may take (the `fetch_timeout` setting)."""
MAX_TITLE_CHARS = 300
"""A stored title is cut to this many characters (GitHub allows 256; a hostile server sends megabytes)."""
MAX_MESSAGE_CHARS = 300
"""GitHub's `message` from an error body is quoted in an error line cut to this many characters."""
MAX_RATE_WAIT = timedelta(days=1)
"""A rate-limit reset further away is clamped to this and reported as no real one (limits reset hourly)."""
_MAX_WAIT_SECONDS = int(MAX_RATE_WAIT.total_seconds())
MAX_PAGES = 50
"""Pages of one repository's list a fetch reads at most (5,000 issues); the rest are looked up singly."""


def _short(value: object) -> str | None:
    """An ETag or timestamp as sent, when it is one plain line of at most 200 characters; else None.

    Nothing daylog stores is unbounded, and an ETag goes back to GitHub in `If-None-Match`, where
    a line break would make http.client raise.
    """
    if isinstance(value, str) and len(value) <= 200 and value.isascii() and value.isprintable():
        return value
    return None


def cut_title(title: str | None) -> str | None:
    """`title` cut to `MAX_TITLE_CHARS`, the last one `…` when cut: the cache and every page stay small."""
    if title is None or len(title) <= MAX_TITLE_CHARS:
        return title
    return title[: MAX_TITLE_CHARS - 1] + "…"


def token_from_env(environ: Mapping[str, str]) -> str | None:
    """The token to use: `GH_TOKEN` first (set on purpose), then `GITHUB_TOKEN` (ambient in CI)."""
    for name in ("GH_TOKEN", "GITHUB_TOKEN"):
        value = environ.get(name, "").strip()
        if value:
            return value
    return None


MAX_CACHE_BYTES = 64 * 1024 * 1024
"""The most of `.daylog/issues.json` daylog reads: a thousand issues take about a megabyte."""

class State(enum.Enum):
    """Issue state as the site shows it; `merged` is a closed PR whose `merged_at` is set."""

    OPEN = "open"
    CLOSED = "closed"
    MERGED = "merged"


def _utc_iso(moment: datetime) -> str:
    """GitHub's timestamp form: UTC, seconds, `Z`."""
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# -- the cache -------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CachedIssue:
    """What daylog knows about one issue, pull request or discussion."""

    repo: str
    """`owner/repo` as the logs reference it."""
    number: int
    kind: Kind | None
    """From GitHub (`pull_request` key → PULL); None only for a missing number never seen."""
    title: str | None
    """Verbatim and untrusted: escape it when rendering. None if never fetched."""
    state: State | None
    """None when missing."""
    url: str | None
    """GitHub's `html_url` (which follows transfers); None if never fetched."""
    updated_at: str | None
    """GitHub's `updated_at`, as sent."""
    etag: str | None
    """ETag of the last single-issue response, for a conditional re-fetch."""
    missing: bool
    """GitHub answered 404 or 410: deleted, never existed, or not visible with this token."""
    fetched_at: str
    """UTC time this record last changed from a GitHub answer (a 304 leaves it alone)."""

    @property
    def key(self) -> str:
        """`owner/repo#N`, the same as `IssueRef.key`."""
        return f"{self.repo}#{self.number}"

    def to_json(self) -> dict[str, object]:
        return {
            "etag": self.etag,
            "fetched_at": self.fetched_at,
            "kind": self.kind.value if self.kind else None,
            "missing": self.missing,
            "number": self.number,
            "repo": self.repo,
            "state": self.state.value if self.state else None,
            "title": self.title,
            "updated_at": self.updated_at,
            "url": self.url,
        }

    @classmethod
    def from_json(cls, key: str, data: object) -> CachedIssue:
        """Validated record; ValueError says what is wrong."""
        if not isinstance(data, dict):
            raise ValueError(f"issues[{key!r}] is not an object")
        want = {
            "etag", "fetched_at", "kind", "missing", "number", "repo", "state", "title",
            "updated_at", "url",
        }  # fmt: skip
        if set(data) != want:
            raise ValueError(f"issues[{key!r}] has fields {sorted(data)}, expected {sorted(want)}")

        def opt_str(name: str) -> str | None:
            value = data[name]
            if value is not None and not isinstance(value, str):
                raise ValueError(f"issues[{key!r}].{name} is not a string")
            return value

        number, repo, missing = data["number"], data["repo"], data["missing"]
        if not isinstance(number, int) or isinstance(number, bool) or number < 1:
            raise ValueError(f"issues[{key!r}].number is not a positive integer")
        if not isinstance(repo, str) or key != f"{repo}#{number}":
            raise ValueError(f"issues[{key!r}] does not match its repo and number")
        if not isinstance(missing, bool):
            raise ValueError(f"issues[{key!r}].missing is not true/false")
        fetched_at = opt_str("fetched_at")
        if fetched_at is None:
            raise ValueError(f"issues[{key!r}].fetched_at is missing")
        kind_value, state_value = opt_str("kind"), opt_str("state")
        try:
            kind = Kind(kind_value) if kind_value is not None else None
            state = State(state_value) if state_value is not None else None
        except ValueError as e:
            raise ValueError(f"issues[{key!r}]: {e}") from None
        return cls(
            repo=repo,
            number=number,
            kind=kind,
            title=cut_title(opt_str("title")),
            state=state,
            url=opt_str("url"),
            updated_at=opt_str("updated_at"),
            etag=_short(opt_str("etag")),
            missing=missing,
            fetched_at=fetched_at,
        )

    def same_data(self, other: CachedIssue | None) -> bool:
        """Equal apart from `fetched_at`: nothing new to write."""
        return other is not None and replace(other, fetched_at=self.fetched_at) == self


@dataclass(frozen=True, slots=True)
class RepoSync:
    """Where the last complete list sync of one repository left off."""

    list_etag: str | None
    """ETag of the list answer; kept only when it fit on one page (a 304 on page 1 says
    nothing about later pages)."""
    last_fetch: str | None
    """The next list call's `since=`: the one `list_etag` was answered for, or, after an answer
    of several pages, GitHub's clock (`Date` header) when it was read. None: list everything."""

    def to_json(self) -> dict[str, object]:
        return {"last_fetch": self.last_fetch, "list_etag": self.list_etag}


class IssueCache:
    """The committed issue cache: `issues` by `owner/repo#N`, list-sync state by `owner/repo`.

    A mutable store (not a value): `fetch` updates it and saves it atomically. It never holds
    the token.
    """

    __slots__ = ("dropped_urls", "issues", "path", "problem", "repos")

    def __init__(
        self,
        path: str | Path,
        issues: Mapping[str, CachedIssue] | None = None,
        repos: Mapping[str, RepoSync] | None = None,
        *,
        problem: str | None = None,
    ) -> None:
        self.path = Path(path)
        self.issues: dict[str, CachedIssue] = dict(issues or {})
        self.repos: dict[str, RepoSync] = dict(repos or {})
        self.problem = problem
        """Why the file on disk was unusable, when this cache replaces it (see `load`)."""
        self.dropped_urls: dict[str, str] = {}
        """Issue key → the url `load` found in the file and dropped (not an http(s) URL)."""

    @classmethod
    def load(cls, path: str | Path, *, rebuild_if_corrupt: bool = False) -> IssueCache:
        """Read the cache; a missing file is an empty cache.

        A corrupt file (bad JSON, wrong version or shape) raises a DaylogError naming it, unless
        `rebuild_if_corrupt` (for a fetch): then the cache starts empty with `problem` set, and
        the fetch reports it and overwrites the file.
        """
        p = Path(path)
        if not p.exists() and not p.is_symlink():
            return cls(p)
        try:
            text = read_text(p, limit=MAX_CACHE_BYTES)
        except DaylogError as e:
            return cls._corrupt(p, f"cannot read it: {e.message}", rebuild_if_corrupt)
        try:
            return cls._parse(p, text)
        except ValueError as e:  # json.JSONDecodeError is a ValueError too
            return cls._corrupt(p, str(e), rebuild_if_corrupt)

    @classmethod
    def _corrupt(cls, path: Path, reason: str, rebuild: bool) -> IssueCache:
        if rebuild:
            return cls(path, problem=reason)
        raise DaylogError(
            f"the issue cache is unusable: {reason}",
            path=path,
            hint="`daylog issues fetch` rebuilds it from GitHub, or restore it with git",
        )

    @classmethod
    def _parse(cls, path: Path, text: str) -> IssueCache:
        doc = json.loads(text)
        if not isinstance(doc, dict):
            raise ValueError("the top level is not an object")
        if doc.get("version") != CACHE_VERSION:
            raise ValueError(f"version is {doc.get('version')!r}, expected {CACHE_VERSION}")
        if set(doc) != {"version", "repos", "issues"}:
            raise ValueError(f"top-level fields are {sorted(doc)}, expected issues, repos, version")
        raw_issues, raw_repos = doc["issues"], doc["repos"]
        if not isinstance(raw_issues, dict) or not isinstance(raw_repos, dict):
            raise ValueError("issues and repos must be objects")
        issues = {key: CachedIssue.from_json(key, value) for key, value in raw_issues.items()}
        dropped = {key: rec.url for key, rec in issues.items() if rec.url is not None and safe_url(rec.url) is None}
        for key in dropped:
            issues[key] = replace(issues[key], url=None)
        repos: dict[str, RepoSync] = {}
        for name, value in raw_repos.items():
            if (
                not isinstance(value, dict)
                or set(value) != {"last_fetch", "list_etag"}
                or not all(v is None or isinstance(v, str) for v in value.values())
            ):
                raise ValueError(f"repos[{name!r}] must have string or null last_fetch, list_etag")
            repos[name] = RepoSync(list_etag=_short(value["list_etag"]), last_fetch=value["last_fetch"])
        cache = cls(path, issues, repos)
        cache.dropped_urls = dropped
        return cache

    def url_warnings(self, keys: Collection[str] | None = None) -> list[str]:
        """One line per url `load` dropped (only those of `keys` when given), naming the file."""
        return [
            f"{self.path}: {key} has the url {cut_repr(url)}, not an http(s) URL; ignored it "
            "(`daylog issues fetch --all` replaces it)"
            for key, url in sorted(self.dropped_urls.items())
            if keys is None or key in keys
        ]

    def get(self, key: str) -> CachedIssue | None:
        return self.issues.get(key)

    def to_text(self) -> str:
        """Deterministic JSON: fixed top-level order, issues by repo then number, fields sorted."""
        issues = {
            rec.key: rec.to_json()
            for rec in sorted(self.issues.values(), key=lambda r: (r.repo.lower(), r.repo, r.number))
        }
        repos = {name: self.repos[name].to_json() for name in sorted(self.repos, key=lambda n: (n.lower(), n))}
        doc = {"version": CACHE_VERSION, "repos": repos, "issues": issues}
        return json.dumps(doc, ensure_ascii=False, indent=2) + "\n"

    def save(self) -> None:
        """Write atomically: a temp file in the same folder, then `os.replace`."""
        text = self.to_text()
        folder = self.path.parent
        try:
            folder.mkdir(parents=True, exist_ok=True)
            fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{self.path.name}.", suffix=".tmp")
        except OSError as e:
            raise DaylogError(f"cannot write the issue cache: {e.strerror}", path=self.path) from e
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
                f.write(text)
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o644)  # a committed file, not a secret
            os.replace(tmp, self.path)
        except OSError as e:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
            raise DaylogError(f"cannot write the issue cache: {e.strerror}", path=self.path) from e
        self.problem = None


# -- the client ------------------------------------------------------------------------------


class RateLimited(DaylogError):
    """GitHub's rate limit stopped the work; what was fetched before it is kept."""

    def __init__(
        self,
        message: str,
        *,
        reset_at: datetime | None = None,
        retry_after: int | None = None,
        report: FetchReport | None = None,
        hint: str | None = None,
        path: str | Path | None = None,
    ) -> None:
        super().__init__(message, hint=hint, path=path)
        self.reset_at = reset_at
        """When the limit resets (from `x-ratelimit-reset`, UTC), if GitHub said."""
        self.retry_after = retry_after
        """Seconds to wait (from `retry-after`), if GitHub said."""
        self.report = report
        """What the interrupted fetch had done (set by `fetch`)."""


@dataclass(frozen=True, slots=True)
class Response:
    """One HTTP answer the caller has to look at (200, 304, 404, 410)."""

    status: int
    url: str
    """The URL asked for (pagination links are followed as given)."""
    headers: tuple[tuple[str, str], ...]
    """Lower-cased names, in the order received."""
    body: bytes

    def header(self, name: str) -> str | None:
        wanted = name.lower()
        for key, value in self.headers:
            if key == wanted:
                return value
        return None

    def json(self) -> Any:
        """The decoded body; a DaylogError names the URL if it is not JSON."""
        try:
            return json.loads(self.body.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as e:
            raise DaylogError(f"GitHub sent invalid JSON from {self.url}: {e}") from e

    def links(self) -> dict[str, str]:
        """The `Link` header as rel → URL."""
        out: dict[str, str] = {}
        for m in _LINK_PART.finditer(self.header("link") or ""):
            for rel in m["rel"].split():
                out[rel] = m["url"]
        return out


_LINK_PART = re.compile(r'<(?P<url>[^>]*)>\s*;\s*rel="?(?P<rel>[^";,]+)"?')


def _is_retryable(exc: BaseException) -> bool:
    """Timeouts and resets are worth one more try; a refused connection is not."""
    if isinstance(exc, urllib.error.URLError) and not isinstance(exc, urllib.error.HTTPError):
        exc = exc.reason if isinstance(exc.reason, BaseException) else exc
    return isinstance(exc, TimeoutError | ConnectionResetError | http.client.RemoteDisconnected)


class GitHubClient:
    """Serial GETs against the GitHub REST API (or GitHub Enterprise's `https://host/api/v3`).

    Answers 200/304/404/410 are returned; everything else becomes a DaylogError (RateLimited for
    the rate limit). A timeout or connection reset is retried once. Each socket read waits at
    most `timeout`; a whole fetch (every request of it) at most `fetch_timeout`, on `clock`.
    `transport` does the HTTP (`transport.UrllibTransport` unless a test gives another).
    """

    def __init__(
        self,
        api_url: str = API_URL,
        token: str | None = None,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        fetch_timeout: float = DEFAULT_FETCH_TIMEOUT,
        transport: Transport | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.api_url = api_url.rstrip("/")
        self.timeout = timeout
        self.fetch_timeout = fetch_timeout
        self.clock = clock
        self.requests = 0
        """HTTP requests sent so far, retries included."""
        self._token = token or None
        self._transport: Transport = transport or UrllibTransport()
        base = urllib.parse.urlsplit(self.api_url)
        if base.scheme not in ("http", "https") or not base.netloc:
            raise DaylogError(f"api_url must be an http(s) URL, not {api_url!r}")
        self._origin = (base.scheme, base.netloc)

    @property
    def has_token(self) -> bool:
        return self._token is not None

    def __repr__(self) -> str:  # never show the token
        return f"GitHubClient({self.api_url!r}, token={'set' if self._token else 'unset'})"

    def deadline(self) -> float:
        """When a fetch starting now must be done, on `clock`."""
        return self.clock() + self.fetch_timeout

    def url_for(self, path: str, params: Mapping[str, str] | None = None) -> str:
        """`api_url` + path (+ query); full URLs (pagination links) must stay on the API host."""
        if path.startswith(("http://", "https://")):
            parts = urllib.parse.urlsplit(path)
            if (parts.scheme, parts.netloc) != self._origin:
                raise DaylogError(f"GitHub sent a link to another host: {path}")
            url = path
        else:
            url = self.api_url + path
        if params:
            url += ("&" if "?" in url else "?") + urllib.parse.urlencode(params)
        return url

    def get(
        self,
        path: str,
        *,
        params: Mapping[str, str] | None = None,
        etag: str | None = None,
        deadline: float | None = None,
    ) -> Response:
        """GET `path` (conditional on `etag`) by `deadline` (default: `fetch_timeout` from now),
        retrying once on a timeout or reset while time is left."""
        url = self.url_for(path, params)
        end = self.deadline() if deadline is None else deadline
        headers = self._headers(etag)
        for attempt in (1, 2):
            budget = end - self.clock()
            if budget <= 0:
                raise self._overdue(url)
            self.requests += 1
            try:
                answer = self._transport(url, headers, read_timeout=self.timeout, budget=budget)
                return self._check(Response(answer.status, url, answer.headers, answer.body))
            except DaylogError:
                raise
            except Overdue:
                raise self._overdue(url) from None
            except (OSError, http.client.HTTPException) as e:
                if attempt == 1 and _is_retryable(e):
                    continue
                raise self._network_error(url, e) from e
        raise AssertionError("unreachable")  # pragma: no cover

    def _headers(self, etag: str | None) -> dict[str, str]:
        headers = {
            "Accept": "application/vnd.github+json",
            "X-GitHub-Api-Version": API_VERSION,
            "User-Agent": "daylog",
        }
        if self._token:
            headers["Authorization"] = f"Bearer {self._token}"
        if etag:
            headers["If-None-Match"] = etag
        return headers

    def _overdue(self, url: str) -> DaylogError:
        return DaylogError(
            f"GitHub took longer than fetch_timeout ({self.fetch_timeout:g} s); stopped waiting for {url}",
            hint="try again later, or raise fetch_timeout in the daylog settings",
        )

    def _network_error(self, url: str, exc: BaseException) -> DaylogError:
        reason: object = exc
        if isinstance(exc, urllib.error.URLError):
            reason = exc.reason
        if _is_retryable(exc):
            return DaylogError(
                f"GitHub did not answer {url} within {self.timeout:g} s (tried twice): {reason}",
                hint="check the network, or try again later",
            )
        return DaylogError(
            f"cannot reach {self.api_url}: {reason}",
            hint="check the network connection (and api_url in the daylog settings)",
        )

    def _check(self, r: Response) -> Response:
        if r.status in (200, 304, 404, 410):
            return r
        detail = _error_message(r.body)
        if r.status == 401:
            if self._token:
                raise DaylogError(
                    "GitHub rejected the token (401): check GITHUB_TOKEN/GH_TOKEN",
                    hint="it may be expired or revoked; public repositories work without one",
                )
            raise DaylogError(f"GitHub requires a token for {r.url} (401)", hint=_TOKEN_HINT)
        if r.status in (403, 429):
            remaining = r.header("x-ratelimit-remaining")
            retry_after = _int_or_none(r.header("retry-after"))
            if r.status == 429 or remaining == "0" or retry_after is not None or "rate limit" in detail.lower():
                raise RateLimited(
                    f"GitHub rate limit reached ({r.status} for {r.url})",
                    reset_at=_reset_time(_int_or_none(r.header("x-ratelimit-reset"))),
                    retry_after=retry_after,
                )
            raise DaylogError(
                f"GitHub refused {r.url} (403){': ' + detail if detail else ''}",
                hint=None if self._token else _TOKEN_HINT,
            )
        if r.status >= 500:
            raise DaylogError(
                f"GitHub failed on {r.url} ({r.status}){': ' + detail if detail else ''}",
                hint="GitHub is having trouble; try again later",
            )
        raise DaylogError(f"GitHub answered {r.status} for {r.url}{': ' + detail if detail else ''}")


_TOKEN_HINT = "set GH_TOKEN or GITHUB_TOKEN (5,000 requests/hour instead of 60)"


def _reset_time(seconds: int | None) -> datetime | None:
    """`x-ratelimit-reset` (Unix seconds) as a UTC time; beyond what a datetime holds, its largest."""
    if seconds is None:
        return None
    try:
        return datetime.fromtimestamp(seconds, UTC)
    except (OverflowError, OSError, ValueError):
        return datetime.max.replace(tzinfo=UTC) if seconds > 0 else None


def _int_or_none(value: str | None) -> int | None:
    if value is None:
        return None
    try:
        return int(value.strip())
    except ValueError:
        return None


def _error_message(body: bytes) -> str:
    """GitHub's `message` from an error body, on one line and cut to `MAX_MESSAGE_CHARS`, or nothing."""
    try:
        data = json.loads(body.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return ""
    message = data.get("message") if isinstance(data, dict) else None
    if not isinstance(message, str):
        return ""
    shown = "".join(ch if ch.isprintable() else " " for ch in message[: MAX_MESSAGE_CHARS + 1])
    return shown if len(shown) <= MAX_MESSAGE_CHARS else shown[: MAX_MESSAGE_CHARS - 1] + "…"


# -- fetch -----------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class FetchReport:
    """What one `fetch` did."""

    updated: int
    """Records added or changed."""
    unchanged: int
    """304 answers: the stored copy (list or issue) was still current."""
    missing: int
    """Numbers GitHub answered 404/410 for (directly or for their whole repository)."""
    requests: int
    """HTTP requests sent, retries included."""
    warnings: tuple[str, ...] = ()
    """Things the user should know that did not stop the fetch."""


def wanted_from_refs(
    refs: Iterable[IssueRef],
) -> tuple[dict[str, set[int]], dict[str, set[int]]]:
    """(`wanted`, `discussions`) for `fetch`: numbers per repo, and those known as discussions."""
    wanted: dict[str, set[int]] = {}
    discussions: dict[str, set[int]] = {}
    for ref in refs:
        repo = f"{ref.owner}/{ref.repo}"
        wanted.setdefault(repo, set()).add(ref.number)
        if ref.kind is Kind.DISCUSSION:
            discussions.setdefault(repo, set()).add(ref.number)
    return wanted, discussions


@dataclass(slots=True)
class _Run:
    """The mutable bookkeeping of one fetch."""

    cache: IssueCache
    client: GitHubClient
    stamp: str
    progress: Callable[[int, int], None] | None
    deadline: float
    """When the whole fetch must be done, on the client's clock (`GitHubClient.deadline`)."""
    requests_before: int = 0
    """The client's request count when the fetch began."""
    updated: int = 0
    unchanged: int = 0
    missing: int = 0
    done: int = 0
    total: int = 0
    changed: bool = False
    warnings: list[str] = field(default_factory=list)

    def report(self) -> FetchReport:
        return FetchReport(
            updated=self.updated,
            unchanged=self.unchanged,
            missing=self.missing,
            requests=self.client.requests - self.requests_before,
            warnings=tuple(self.warnings),
        )

    def save(self) -> None:
        """Write the cache if anything changed (also when an error stops the fetch)."""
        if self.changed:
            self.cache.save()

    def get(self, path: str, **kwargs: Any) -> Response:
        try:
            return self.client.get(path, deadline=self.deadline, **kwargs)
        finally:
            self.done += 1
            self.total = max(self.total, self.done)
            if self.progress is not None:
                self.progress(self.done, self.total)

    def store(self, record: CachedIssue) -> None:
        old = self.cache.issues.get(record.key)
        if record.same_data(old):
            return
        self.cache.issues[record.key] = record
        self.changed = True
        if not record.missing:
            self.updated += 1

    def mark_missing(self, repo: str, number: int, kind: Kind | None) -> None:
        old = self.cache.issues.get(f"{repo}#{number}")
        self.missing += 1
        self.store(
            CachedIssue(
                repo=repo,
                number=number,
                kind=kind or (old.kind if old else None),
                title=old.title if old else None,
                state=None,
                url=old.url if old else None,
                updated_at=old.updated_at if old else None,
                etag=None,
                missing=True,
                fetched_at=self.stamp,
            )
        )

    def record(self, repo: str, number: int, item: object, source: str, etag: str | None) -> CachedIssue:
        """Store an issue/PR/discussion object from GitHub under `repo#number`; the record stored."""
        old = self.cache.issues.get(f"{repo}#{number}")
        rec = _record_from(repo, number, item, source, etag, self.stamp)
        if rec.url is None and isinstance(item, dict):
            self.warnings.append(
                f"{rec.key}: GitHub sent the html_url {cut_repr(item.get('html_url'))}, not an http(s) URL; "
                f"ignored it (from {source})"
            )
        if etag is None and old is not None and old.updated_at == rec.updated_at:
            rec = replace(rec, etag=old.etag)  # a list item is no newer than the stored ETag
        self.store(rec)
        return rec


def _record_from(repo: str, number: int, item: object, source: str, etag: str | None, stamp: str) -> CachedIssue:
    if not isinstance(item, dict):
        raise DaylogError(f"unexpected answer from {source}: an item is not an object")
    title, html_url, state, updated_at = (
        item.get("title"),
        item.get("html_url"),
        item.get("state"),
        item.get("updated_at"),
    )
    if not isinstance(title, str) or not isinstance(html_url, str):
        raise DaylogError(f"unexpected answer from {source}: #{number} has no title or html_url")
    pull = item.get("pull_request")
    if isinstance(pull, dict):
        kind = Kind.PULL
    elif "/discussions/" in html_url or "category" in item:
        kind = Kind.DISCUSSION
    else:
        kind = Kind.ISSUE
    if state == "closed":
        merged = isinstance(pull, dict) and pull.get("merged_at")
        st = State.MERGED if merged else State.CLOSED
    else:  # open, and discussion states (locked, converting, transferring) GitHub may add
        st = State.OPEN
    return CachedIssue(
        repo=repo,
        number=number,
        kind=kind,
        title=cut_title(title),
        state=st,
        url=safe_url(html_url),
        updated_at=_short(updated_at),
        etag=_short(etag),
        missing=False,
        fetched_at=stamp,
    )


def _items(response: Response) -> list[dict[str, Any]]:
    data = response.json()
    if not isinstance(data, list) or not all(isinstance(i, dict) and isinstance(i.get("number"), int) for i in data):
        raise DaylogError(f"unexpected answer from {response.url}: not a list of issues")
    return data


def _last_page(links: Mapping[str, str]) -> int | None:
    last = links.get("last")
    if last is None:
        return None
    pages = urllib.parse.parse_qs(urllib.parse.urlsplit(last).query).get("page")
    return _int_or_none(pages[0]) if pages else None


def _server_time(response: Response, fallback: str) -> str:
    """GitHub's clock from the `Date` header, so local clock skew cannot skip changes."""
    value = response.header("date")
    if value:
        with contextlib.suppress(TypeError, ValueError, IndexError):
            moment = email.utils.parsedate_to_datetime(value)
            if moment.tzinfo is not None:
                return _utc_iso(moment)
    return fallback


class _Listed(NamedTuple):
    """What a repository's list call told."""

    seen: set[int]
    """Numbers it answered for (refreshed from the list)."""
    complete: bool
    """False when the list was abandoned after its first page: the rest must be looked up."""


def _sync_list(run: _Run, repo: str, numbers: Collection[int], full: bool) -> _Listed:
    """One `since=` list call (plus its pages) for `repo`.

    The list is abandoned after its first page (complete=False) when paging through it would
    cost more requests than looking up the referenced numbers one by one, as for a big foreign
    repository mentioned once; those numbers are then all refreshed singly.
    """
    sync = run.cache.repos.get(repo, RepoSync(None, None))
    params = {"state": "all", "per_page": "100"}
    if sync.last_fetch and not full:
        params["since"] = sync.last_fetch
    first = run.get(f"/repos/{repo}/issues", params=params, etag=None if full else sync.list_etag)
    if first.status == 304:
        run.unchanged += 1
        return _Listed(set(), True)
    if first.status in (404, 410):
        raise _RepoMissing(repo)
    items = _items(first)
    links = first.links()
    last = _last_page(links)
    if "next" in links and last is not None and last > max(len(numbers), 1):
        run.warnings.append(
            f"{repo}: {last} pages of issues to list, more than the {len(numbers)} referenced; "
            "looked those up one by one instead"
        )
        return _Listed(_record_referenced(run, repo, numbers, items, first.url), False)
    pages = _read_pages(run, repo, first, items)
    if pages.complete:
        _remember_list(run, repo, sync, first, pages.read, params.get("since"))
    return _Listed(pages.seen, pages.complete)


def _record_referenced(
    run: _Run, repo: str, numbers: Collection[int], items: list[dict[str, Any]], source: str
) -> set[int]:
    """Store the referenced numbers among one page's items; the numbers stored."""
    seen: set[int] = set()
    for item in items:
        if item["number"] in numbers:
            run.record(repo, item["number"], item, source, None)
            seen.add(item["number"])
    return seen


class _Pages(NamedTuple):
    seen: set[int]
    """Every number the list returned."""
    read: int
    """Pages read."""
    complete: bool
    """False when the list was cut short (a repeated page, `MAX_PAGES`): the rest must be looked up."""


def _read_pages(run: _Run, repo: str, first: Response, items: list[dict[str, Any]]) -> _Pages:
    """Store every item of the list, following `Link: rel="next"` from the first page on.

    A server's links are not trusted to end: a page URL already read, or more than `MAX_PAGES`
    pages, stops the list with a warning (one request per page, never a loop).
    """
    seen: set[int] = set()
    page = first
    asked = {first.url}
    while True:
        for item in items:
            run.record(repo, item["number"], item, page.url, None)
            seen.add(item["number"])
        next_url = page.links().get("next")
        if next_url is None:
            return _Pages(seen, len(asked), True)
        url = run.client.url_for(next_url)
        stop = _stop_paging(url, asked, repo)
        if stop is not None:
            run.warnings.append(stop)
            return _Pages(seen, len(asked), False)
        asked.add(url)
        run.total += 1
        page = run.get(url)
        if page.status != 200:
            raise DaylogError(f"GitHub answered {page.status} for the next page {page.url}")
        items = _items(page)


def _stop_paging(url: str, asked: Collection[str], repo: str) -> str | None:
    """Why the list must not go on to `url` (a warning), or None."""
    rest = "looked the rest up one by one"
    if safe_url(url) is None:  # it would be printed and asked for: plain characters only
        return f"{repo}: GitHub's next page {cut_repr(url)} is no plain http(s) URL; stopped the list there and {rest}"
    if url in asked:
        return f"{repo}: GitHub's next page {url} was already read; stopped the list there and {rest}"
    if len(asked) >= MAX_PAGES:
        return f"{repo}: more than {MAX_PAGES} pages of issues; stopped the list there and {rest}"
    return None


def _remember_list(run: _Run, repo: str, sync: RepoSync, first: Response, pages: int, since: str | None) -> None:
    """The whole list was read: remember where it ended (only now, so an interrupted list is
    simply read again next time).

    An answer that fit on one page keeps its URL (the same `since=`): its ETag then matches
    the next request, so an unchanged list is a free 304 from the very next fetch on (an ETag
    is only valid for the URL that sent it). A longer answer moves `since=` to GitHub's clock,
    which makes the next answer short again.
    """
    if pages == 1:
        new = RepoSync(list_etag=_short(first.header("etag")), last_fetch=since)
    else:
        new = RepoSync(list_etag=None, last_fetch=_server_time(first, run.stamp))
    if new != sync:
        run.cache.repos[repo] = new
        run.changed = True


class _RepoMissing(Exception):
    def __init__(self, repo: str) -> None:
        super().__init__(repo)
        self.repo = repo


def _lookup(run: _Run, repo: str, number: int, *, discussion: bool, full: bool) -> None:
    """One issue (or discussion): conditional GET, 404/410 → missing."""
    key = f"{repo}#{number}"
    old = run.cache.issues.get(key)
    etag = None if full or old is None or old.missing else old.etag
    path = f"/repos/{repo}/{'discussions' if discussion else 'issues'}/{number}"
    r = run.get(path, etag=etag)
    if r.status == 304:
        run.unchanged += 1
        return
    if r.status in (404, 410):
        known_issue = old is not None and old.kind in (Kind.ISSUE, Kind.PULL)
        if not discussion and not known_issue:
            # `#N` may name a discussion: the issues endpoint does not serve those.
            run.total += 1
            d = run.get(f"/repos/{repo}/discussions/{number}")
            if d.status == 200:
                run.record(repo, number, d.json(), d.url, d.header("etag"))
                return
        run.mark_missing(repo, number, Kind.DISCUSSION if discussion else None)
        return
    data = r.json()
    rec = run.record(repo, number, data, r.url, r.header("etag"))
    if isinstance(data, dict) and data.get("number") not in (None, number):
        run.warnings.append(f"{key} moved: GitHub answered with {rec.url or 'another issue'}")


def fetch(
    cache: IssueCache,
    wanted: Mapping[str, Collection[int]],
    client: GitHubClient,
    *,
    all: bool = False,  # the CLI flag's name, shadowing the builtin on purpose
    now: datetime,
    progress: Callable[[int, int], None] | None = None,
    discussions: Mapping[str, Collection[int]] | None = None,
) -> FetchReport:
    """Bring `cache` up to date for the referenced numbers, then save it.

    Per repository: one list call (`state=all&per_page=100&since=<last_fetch>`, conditional on
    the stored list ETag; `all` drops both), following `Link: rel="next"`. Then single calls for
    referenced numbers the list did not return that the cache lacks (with `all`, every one not
    returned), conditional on their ETags; `discussions` (from URLs, see `wanted_from_refs`) go
    to the discussions endpoint directly, and an unknown `#N` the issues endpoint does not know
    is tried there too. 404/410 are recorded as missing.

    The whole fetch ends by the client's `fetch_timeout`; a list stops at a page already read or
    after `MAX_PAGES` pages (see `_read_pages`). `progress(done, total)` is called after each
    request; `total` grows as pages and look-ups are discovered. The cache is saved even when an
    error stops the fetch; a rate limit raises RateLimited carrying the report, with the reset
    time in `now`'s time zone.
    """
    if now.tzinfo is None:
        raise ValueError("fetch needs an aware `now` (it names the reset time in its zone)")
    hinted = {repo: set(nums) for repo, nums in (discussions or {}).items()}
    repos = _repos(wanted)
    listed = sum(1 for repo in repos if set(wanted[repo]) - hinted.get(repo, set()))
    run = _Run(cache, client, _utc_iso(now), progress, client.deadline(), requests_before=client.requests, total=listed)
    if cache.problem is not None:
        run.warnings.append(f"{cache.path}: was unusable ({cache.problem}); rebuilt from GitHub")
        run.changed = True
    if cache.dropped_urls:
        run.warnings.extend(cache.url_warnings())
        run.changed = True  # written again without them
    try:
        _refresh(run, {repo: set(wanted[repo]) for repo in repos}, hinted, all)
    except RateLimited as e:
        run.save()
        raise _rate_limit_error(e, now, run.report(), client.has_token, cache.path) from e
    except BaseException:
        run.save()
        raise
    run.save()
    return run.report()


def _repos(wanted: Mapping[str, Collection[int]]) -> list[str]:
    """The repositories with referenced numbers, sorted; a DaylogError names a malformed one."""
    repos = sorted(repo for repo, nums in wanted.items() if nums)
    for repo in repos:
        parse_repo(repo, what="a repository to fetch")
    return repos


def _refresh(run: _Run, wanted: Mapping[str, set[int]], hinted: Mapping[str, set[int]], full: bool) -> None:
    """List each repository's issues, then look up one by one what the lists left out."""
    lookups = [found for repo, numbers in wanted.items() for found in _sync_repo(run, repo, numbers, hinted, full)]
    run.total += len(lookups)
    for lookup in lookups:
        _lookup(run, lookup.repo, lookup.number, discussion=lookup.discussion, full=full)


class _Lookup(NamedTuple):
    """A number to ask about on its own."""

    repo: str
    number: int
    discussion: bool
    """Known to be a discussion: ask the discussions endpoint."""


def _sync_repo(run: _Run, repo: str, numbers: set[int], hinted: Mapping[str, set[int]], full: bool) -> list[_Lookup]:
    """List `repo`'s issues; the numbers still to look up one by one.

    Those are the numbers the list did not return that the cache lacks (every one with `full`
    or when the list was abandoned); a repository GitHub does not show marks them all missing.
    """
    disc = hinted.get(repo, set()) & numbers
    issues = numbers - disc
    listed = _Listed(set(), True)
    if issues:
        try:
            listed = _sync_list(run, repo, issues, full)
        except _RepoMissing:
            _repo_missing(run, repo, numbers, disc)
            return []
    return [
        _Lookup(repo, n, n in disc)
        for n in sorted(numbers - listed.seen)
        if full or not listed.complete or f"{repo}#{n}" not in run.cache.issues
    ]


def _repo_missing(run: _Run, repo: str, numbers: set[int], discussions: set[int]) -> None:
    run.warnings.append(
        f"{repo}: not found on GitHub (renamed, deleted, or private"
        f"{'' if run.client.has_token else ' and no token set'})"
    )
    if run.cache.repos.pop(repo, None) is not None:
        run.changed = True  # list it in full once it is visible again
    for n in sorted(numbers):
        run.mark_missing(repo, n, Kind.DISCUSSION if n in discussions else None)


def _rate_limit_error(
    e: RateLimited, now: datetime, done: FetchReport, has_token: bool, path: str | Path | None
) -> RateLimited:
    """The rate limit as the user should see it: when it resets, in `now`'s zone, and what was kept."""
    reset, when = _reset_and_when(e, now)
    return RateLimited(
        f"GitHub rate limit reached after {done.requests} requests; {when}. What was fetched so far is saved.",
        reset_at=reset,
        retry_after=None if e.retry_after is None else min(max(e.retry_after, 0), _MAX_WAIT_SECONDS),
        report=done,
        hint=None if has_token else _TOKEN_HINT,
        path=path,
    )


def _reset_and_when(e: RateLimited, now: datetime) -> tuple[datetime | None, str]:
    """When the limit resets (clamped to `MAX_RATE_WAIT` from `now`) and how to say it.

    The wait is clamped before any date arithmetic: a header naming the year 9999 or a number of
    hundreds of digits must give a clear message, not an OverflowError.
    """
    latest = now + MAX_RATE_WAIT
    if e.retry_after is not None:
        far = e.retry_after > _MAX_WAIT_SECONDS
        reset = latest if far else now + timedelta(seconds=max(e.retry_after, 0))
    elif e.reset_at is not None:
        far = e.reset_at > latest
        reset = latest if far else e.reset_at
    else:
        return None, "wait a minute or more before trying again"
    if far:
        return latest, "GitHub named a reset more than a day away, longer than any limit lasts: try again in an hour"
    return reset, f"it resets at {reset.astimezone(now.tzinfo).isoformat(timespec='seconds')}"
