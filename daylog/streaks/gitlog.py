"""Commit days from `git log`: the adapter between a repository and the streak counter.

One `git log` subprocess reads every commit (a custom format parsed in Python: far faster
than walking objects through a library, and no dependency). Author name and e-mail come
through `.mailmap` (`%aN`/`%aE`, `--use-mailmap`), so a member's laptop and noreply
addresses can be merged in the repository itself. The author date is used, as GitHub does:
rebases and amends rewrite the committer date.

Failure modes, all `DaylogError`s (the CLI prints them; no traceback):
- git is not installed → `GitNotFound`;
- the folder is not (inside) a git work tree, or git refuses it → `NotAGitRepository`;
- a bad `rev`, or git failing otherwise → `GitError`.
An empty repository (no commit yet) is not an error: `read_commits` returns `[]`, because a
team that has not committed has a streak of 0, not a broken tool.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import IO
from zoneinfo import ZoneInfo

from daylog.calendar import study_day
from daylog.errors import DaylogError

# NUL separates fields and (with -z) terminates records: it is the one byte that can occur
# in no name, e-mail or trailer. Co-author values are unfolded onto single lines and joined
# by newlines, which therefore cannot occur inside one.
_FIELDS = (
    "%H",
    "%aI",  # strict ISO 8601 with the author's offset: datetime.fromisoformat reads it
    "%aN",
    "%aE",
    "%(trailers:key=Co-authored-by,valueonly,unfold,separator=%x0A)",
)
FORMAT = "%x00".join(_FIELDS)
"""The `git log --format` string `read_commits` parses."""
_PERSON = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]*)>$")


class GitError(DaylogError):
    """git could not give daylog the commits it asked for."""


class GitNotFound(GitError):
    """No `git` executable on PATH."""


class NotAGitRepository(GitError):
    """The folder is not inside a git work tree (or git refuses to read it)."""


@dataclass(frozen=True, slots=True)
class Commit:
    """One commit, as far as streaks care."""

    sha: str
    """Full 40-hex (or 64-hex) object name."""
    author_name: str
    """Author name after `.mailmap`."""
    author_email: str
    """Author e-mail after `.mailmap`, as written (case kept)."""
    authored: datetime
    """Author date, timezone-aware, in the offset the author's clock recorded."""
    co_authors: tuple[tuple[str, str], ...]
    """(name, e-mail) from `Co-authored-by:` trailers, in message order; e-mail may be ""
    when the trailer has none. Not passed through `.mailmap` (git does not map trailers)."""


def _git(repo: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    """Run `git -C repo args…`, capturing bytes; a missing git becomes `GitNotFound`."""
    try:
        return subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=False)
    except OSError as exc:
        raise _cannot_run(repo, exc) from None


def _cannot_run(repo: Path, exc: OSError) -> GitError:
    if isinstance(exc, FileNotFoundError):
        return GitNotFound(
            "git is not installed (or not on PATH)",
            hint="install git to count commit streaks; entry streaks work without it",
        )
    return GitError(f"cannot run git: {exc}", path=repo)


def _complaint(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's own last line of complaint, for the error message."""
    lines = result.stderr.decode("utf-8", "replace").strip().splitlines()
    return lines[-1].removeprefix("fatal: ") if lines else f"git exited with {result.returncode}"


def _check_repository(repo: Path) -> None:
    """Raise `NotAGitRepository` unless git accepts `repo` as (inside) a repository."""
    if not repo.is_dir():
        raise NotAGitRepository(f"no such folder: {repo}", path=repo)
    result = _git(repo, "rev-parse", "--git-dir")
    if result.returncode != 0:
        raise NotAGitRepository(
            f"not a git repository: {_complaint(result)}",
            path=repo,
            hint="run daylog inside the team's git checkout",
        )


def read_commits(repo: Path, *, rev: str | None = None) -> list[Commit]:
    """Every commit reachable from `rev` (default HEAD), newest first, in one `git log`.

    `rev` is anything `git log` accepts as one argument (`main`, `origin/HEAD`, `a..b`);
    to count like GitHub, pass the default branch. Merge commits are included.
    """
    args = [
        "log",
        "--use-mailmap",  # even if log.mailmap=false in someone's config
        "--encoding=UTF-8",  # even if i18n.logOutputEncoding is EUC-KR
        "--no-show-signature",  # log.showSignature would print GPG output into ours
        "--no-color",
        "-z",
        f"--format={FORMAT}",
    ]
    if rev is not None:
        if rev.startswith("-"):
            raise GitError(f"not a revision: {rev!r}", path=repo)
        args.append(rev)
    args.append("--")  # `rev` is a revision, never a path
    result = _git(repo, *args)
    if result.returncode != 0:
        _check_repository(repo)
        if rev is None and _git(repo, "rev-parse", "--verify", "--quiet", "HEAD").returncode:
            return []  # an unborn branch: no commits yet
        raise GitError(f"git log failed: {_complaint(result)}", path=repo)
    return _parse(result.stdout.decode("utf-8", "replace"), repo)


def _parse(out: str, repo: Path) -> list[Commit]:
    """Commits from `git log -z --format=FORMAT` output."""
    fields = out.split("\0")
    if fields[-1] == "":
        fields.pop()
    width = len(_FIELDS)
    if len(fields) % width:
        raise GitError("unexpected output from git log", path=repo, hint="please report this")
    commits = []
    for i in range(0, len(fields), width):
        sha, when, name, email, trailers = fields[i : i + width]
        commits.append(
            Commit(
                sha=sha,
                author_name=name,
                author_email=email,
                authored=datetime.fromisoformat(when),
                co_authors=tuple(_person(v) for v in trailers.split("\n") if v.strip()),
            )
        )
    return commits


def _person(value: str) -> tuple[str, str]:
    """`Name <email>` → (name, email); a bare name gets an empty e-mail."""
    value = value.strip()
    match = _PERSON.match(value)
    if match is None:
        return value, ""
    return match["name"], match["email"].strip()


def is_shallow(repo: Path) -> bool:
    """Whether `repo` is a shallow clone, whose history (and so every streak) is cut short.

    CI checkouts are shallow by default (`actions/checkout` fetches one commit); callers
    should refuse or warn loudly. Needs git >= 2.15.
    """
    result = _git(repo, "rev-parse", "--is-shallow-repository")
    if result.returncode != 0:
        _check_repository(repo)
        raise GitError(f"git rev-parse failed: {_complaint(result)}", path=repo)
    return result.stdout.strip() == b"true"


def _identities(commit: Commit, co_authors: bool) -> Sequence[tuple[str, str]]:
    people = [(commit.author_name, commit.author_email)]
    if co_authors:
        people.extend(commit.co_authors)
    return people


def commit_days(
    commits: Iterable[Commit],
    resolve: Callable[[str, str], str | None],
    zone: ZoneInfo,
    day_starts_at: int,
    *,
    co_authors: bool = False,
) -> dict[str, dict[date, int]]:
    """Member id → {study day → commits}, ready for `daylog.streaks.rules.compute`.

    `resolve(name, email)` names the member a git identity belongs to, or None to skip it
    (see `unmapped_authors` to report those). The day is the author date converted to the
    team's `zone`, shifted by `day_starts_at` (`daylog.calendar.study_day`), so a 01:30
    commit counts for the night before when the day starts at 4. With `co_authors`, a
    `Co-authored-by:` member is credited too; a commit counts once per member either way.
    """
    cache: dict[tuple[str, str], str | None] = {}
    days: dict[str, dict[date, int]] = {}
    for commit in commits:
        members: set[str] = set()
        for person in _identities(commit, co_authors):
            if person not in cache:
                cache[person] = resolve(*person)
            member = cache[person]
            if member is not None:
                members.add(member)
        if not members:
            continue
        day = study_day(commit.authored, zone, day_starts_at)
        for member in members:
            per_day = days.setdefault(member, {})
            per_day[day] = per_day.get(day, 0) + 1
    return days


def unmapped_authors(
    commits: Iterable[Commit],
    resolve: Callable[[str, str], str | None],
    *,
    co_authors: bool = False,
) -> tuple[tuple[str, str], ...]:
    """Distinct (name, email) identities `resolve` maps to nobody, sorted: warn, don't drop."""
    seen: set[tuple[str, str]] = set()
    for commit in commits:
        seen.update(_identities(commit, co_authors))
    return tuple(sorted(p for p in seen if resolve(*p) is None))


# --- the lean path for streaks: column-wise, started in the background ---------------------

_TRAILERS = "%(trailers:key=Co-authored-by,valueonly,unfold,separator=%x0A)"


@dataclass(frozen=True, slots=True)
class Stamps:
    """Every commit's author time and identity, column by column (no object per commit).

    Streak counting touches 10,000s of commits on each run; parallel lists sliced out of
    git's output cost a fraction of building a `Commit` for each.
    """

    times: list[str]
    """Author time as Unix seconds (`%at`), as text."""
    names: list[str]
    """Author names after `.mailmap`."""
    emails: list[str]
    """Author e-mails after `.mailmap`."""
    co_authors: list[str] | None
    """Per commit, `Co-authored-by:` values joined by newlines ("" when none); None when
    not asked for."""
    shas: list[str] | None
    """Commit names, when asked for (to count a commit once across repositories)."""
    shallow: bool
    """The repository is a shallow clone: its history, and every streak, is cut short."""


class LogRun:
    """`git log` (and the shallow check) running in the background until `result()`.

    Started before the entries are read, so git's work overlaps daylog's own.
    """

    def __init__(self, repo: Path, *, co_authors: bool = False, shas: bool = False) -> None:
        self.repo = repo
        fields = ["%at", "%aN", "%aE"]
        if co_authors:
            fields.append(_TRAILERS)
        if shas:
            fields.append("%H")
        self._co, self._sha, self._width = co_authors, shas, len(fields)
        args = [
            "log",
            "--use-mailmap",
            "--encoding=UTF-8",
            "--no-show-signature",
            "--no-color",
            "-z",
            "--format=" + "%x00".join(fields),
            "--",
        ]
        # Output goes to temporary files, not pipes: a pipe holds 64 KiB, so git would stall
        # until `result()` instead of finishing while daylog reads the entries.
        self._out = tempfile.TemporaryFile()  # noqa: SIM115 (closed by result(), or right here)
        self._err = tempfile.TemporaryFile()  # noqa: SIM115
        try:
            self._log = _start(repo, *args, stdout=self._out, stderr=self._err)
        except GitError:
            self._out.close()
            self._err.close()
            raise
        self._shallow = _start(
            repo, "rev-parse", "--is-shallow-repository", stdout=subprocess.PIPE, stderr=subprocess.DEVNULL
        )

    def result(self) -> Stamps:
        """The commits, or a `GitError` (`NotAGitRepository` when `repo` is not one)."""
        shallow_out, _ = self._shallow.communicate()
        self._log.wait()
        out, err = _drain(self._out), _drain(self._err)
        if self._log.returncode != 0:
            _check_repository(self.repo)
            if _git(self.repo, "rev-parse", "--verify", "--quiet", "HEAD").returncode:
                return Stamps([], [], [], [] if self._co else None, [] if self._sha else None, False)
            failed = subprocess.CompletedProcess(self._log.args, self._log.returncode, out, err)
            raise GitError(f"git log failed: {_complaint(failed)}", path=self.repo)
        fields = out.decode("utf-8", "replace").split("\0")
        if fields[-1] == "":
            fields.pop()
        w = self._width
        if len(fields) % w:
            raise GitError("unexpected output from git log", path=self.repo, hint="please report this")
        return Stamps(
            times=fields[0::w],
            names=fields[1::w],
            emails=fields[2::w],
            co_authors=fields[3::w] if self._co else None,
            shas=fields[w - 1 :: w] if self._sha else None,
            shallow=self._shallow.returncode == 0 and shallow_out.strip() == b"true",
        )


def _drain(fh: IO[bytes]) -> bytes:
    """What a temporary file received, then close it."""
    with fh:
        fh.seek(0)
        return fh.read()


def _start(repo: Path, *args: str, stdout: IO[bytes] | int, stderr: IO[bytes] | int) -> subprocess.Popen[bytes]:
    try:
        return subprocess.Popen(["git", "-C", str(repo), *args], stdin=subprocess.DEVNULL, stdout=stdout, stderr=stderr)
    except OSError as exc:
        raise _cannot_run(repo, exc) from None


def parse_co_authors(value: str) -> tuple[tuple[str, str], ...]:
    """`Stamps.co_authors` entry → (name, e-mail) pairs."""
    return tuple(_person(v) for v in value.split("\n") if v.strip())
