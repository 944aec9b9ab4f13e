"""Commits from `git log`: the adapter between a repository and the streak counter.

One `git log` subprocess reads every commit's author time and identity (a custom format
parsed in Python: far faster than walking objects through a library, and no dependency),
started in the background (`LogRun`) so that git works while daylog reads the entries.
Author name and e-mail come through `.mailmap` (`%aN`/`%aE`, `--use-mailmap`), so a member's
laptop and noreply addresses can be merged in the repository itself. The author date is used, as GitHub does:
rebases and amends rewrite the committer date.

Failure modes, all `DaylogError`s (the CLI prints them; no traceback):
- git is not installed → `GitNotFound`;
- the folder is not (inside) a git work tree, or git refuses it → `NotAGitRepository`;
- git failing otherwise → `GitError`.
An empty repository (no commit yet) is not an error: it has no commits, because a team that
has not committed has a streak of 0, not a broken tool.
"""

from __future__ import annotations

import re
import subprocess
from dataclasses import dataclass
from pathlib import Path
from typing import IO, Any

from daylog.errors import DaylogError
from daylog.streaks import kept_log

_PERSON = re.compile(r"^(?P<name>.*?)\s*<(?P<email>[^<>]*)>$")


class GitError(DaylogError):
    """git could not give daylog the commits it asked for."""


class GitNotFound(GitError):
    """No `git` executable on PATH."""


class NotAGitRepository(GitError):
    """The folder is not inside a git work tree (or git refuses to read it)."""


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


def _person(value: str) -> tuple[str, str]:
    """`Name <email>` → (name, email); a bare name gets an empty e-mail."""
    value = value.strip()
    match = _PERSON.match(value)
    if match is None:
        return value, ""
    return match["name"], match["email"].strip()


# NUL separates fields and (with -z) terminates records: it is the one byte that can occur
# in no name, e-mail or trailer. Co-author values are unfolded onto single lines and joined
# by newlines, which therefore cannot occur inside one.
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


def log_fields(*, co_authors: bool, shas: bool) -> tuple[str, ...]:
    """The `git log --format` fields `Stamps` is read from."""
    return ("%at", "%aN", "%aE", *((_TRAILERS,) if co_authors else ()), *(("%H",) if shas else ()))


class LogRun:
    """`git log` (and the shallow check) running in the background until `result()`.

    Started before the entries are read, so git's work overlaps daylog's own.
    """

    def __init__(
        self, repo: Path, *, co_authors: bool = False, shas: bool = False, keep_in: Path | None = None
    ) -> None:
        self.repo = repo
        fields = log_fields(co_authors=co_authors, shas=shas)
        self._co, self._sha, self._width = co_authors, shas, len(fields)
        self._kept: tuple[Path, tuple[Any, ...]] | None = None
        self._stamps: Stamps | None = None
        start: tuple[str, ...] = ()
        if keep_in is not None:  # `kept_log`: the same HEAD, the same commits
            key = kept_log.history_key(repo, fields)
            if key is not None:
                self._kept = (kept_log.kept_path(keep_in, repo), key)
                columns = kept_log.read(*self._kept)
                if columns is not None:
                    self._stamps = Stamps(*columns)
                    return
                start = (kept_log.head_of(key),)  # kept under this commit: read from it, wherever HEAD is now
        args = [
            "log",
            "--use-mailmap",
            "--encoding=UTF-8",
            "--no-show-signature",
            "--no-color",
            "-z",
            "--format=" + "%x00".join(fields),
            *start,
            "--",
        ]
        # Output goes to temporary files, not pipes: a pipe holds 64 KiB, so git would stall
        # until `result()` instead of finishing while daylog reads the entries.
        import tempfile  # not at start-up: a kept history runs no git log

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
        if self._stamps is None:
            self._stamps = self._read()
            if self._kept is not None:
                st = self._stamps
                kept_log.write(*self._kept, (st.times, st.names, st.emails, st.co_authors, st.shas, st.shallow))
        return self._stamps

    def _read(self) -> Stamps:
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
