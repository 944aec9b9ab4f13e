"""`daylog commit`: commit one member's entry for one day (and the files it references), then push.

The adapter between the workspace and git: every git call is a `subprocess` argument list
(never a shell) with a bounded timeout, `core.quotepath=off`, literal pathspecs and no
terminal prompt. What to stage and what to refuse is decided in `entries.staging`.

It refuses, before anything is staged, to work outside a git work tree, on a detached
HEAD, during a merge (or rebase, cherry-pick, revert), with unmerged paths, with other
changes staged, on an entry with conflict markers or `check` errors, or with `--push` and
no remote. Once it has committed, a failed push keeps the commit and says what to do.
"""

from __future__ import annotations

import os
import subprocess
from dataclasses import dataclass
from datetime import date
from pathlib import Path

from daylog.entries.staging import (
    commit_message,
    conflict_line,
    html_sources,
    off_day,
    others_staged,
    referenced_files,
    staged_refusal,
)
from daylog.errors import DaylogError
from daylog.workspace.files import Workspace
from daylog.workspace.reads import read_entry_bytes
from daylog.workspace.settings import Member

GIT_TIMEOUT = 60.0
"""Seconds any local git command may take."""
PUSH_TIMEOUT = 300.0
"""Seconds `git push` may take (a network, perhaps a slow one)."""
_IN_PROGRESS = (
    ("MERGE_HEAD", "a merge is in progress", "finish it with `git commit` or stop it with `git merge --abort`"),
    ("rebase-merge", "a rebase is in progress", "finish it with `git rebase --continue` or `git rebase --abort`"),
    ("rebase-apply", "a rebase is in progress", "finish it with `git rebase --continue` or `git rebase --abort`"),
    ("CHERRY_PICK_HEAD", "a cherry-pick is in progress", "finish it or run `git cherry-pick --abort`"),
    ("REVERT_HEAD", "a revert is in progress", "finish it or run `git revert --abort`"),
)


class CommitRefused(DaylogError):
    """`daylog commit` will not commit: the message says why and what to do."""


@dataclass(frozen=True, slots=True)
class Committed:
    """What `daylog commit` committed."""

    sha: str
    """The new commit, abbreviated."""
    branch: str
    """The branch it is on."""
    message: str
    paths: tuple[str, ...]
    """The committed files, relative to the repository."""
    ignored: tuple[str, ...] = ()
    """Referenced files left out because the repository's .gitignore excludes them."""


@dataclass(frozen=True, slots=True)
class Pushed:
    """Where `--push` sent the branch."""

    remote: str
    branch: str


class Git:
    """git in one repository folder, with timeouts and no prompts."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder

    def run(
        self, *args: str, timeout: float = GIT_TIMEOUT, stdin: bytes | None = None, literal: bool = True
    ) -> subprocess.CompletedProcess[bytes]:
        """`git args…`; paths are literal pathspecs (`*` and `:` in a file name mean themselves) unless
        the command refuses pathspec magic (`check-ignore`)."""
        env = {**os.environ, "GIT_TERMINAL_PROMPT": "0", "LC_ALL": "C"}
        if literal:
            env["GIT_LITERAL_PATHSPECS"] = "1"
        command = ["git", "-c", "core.quotepath=off", *args]
        try:
            return subprocess.run(
                command,
                cwd=self.folder,
                capture_output=True,
                timeout=timeout,
                check=False,
                env=env,
                input=b"" if stdin is None else stdin,
            )
        except FileNotFoundError:
            raise CommitRefused("git is not installed (or not on PATH); install git to commit entries") from None
        except subprocess.TimeoutExpired:
            raise CommitRefused(f"`git {args[0]}` took longer than {timeout:g} s and was stopped") from None
        except OSError as exc:
            raise CommitRefused(f"cannot run git: {exc.strerror or exc}") from None

    def ok(self, *args: str) -> bool:
        return self.run(*args).returncode == 0

    def out(self, *args: str) -> str:
        """Standard output of a git command that must succeed (its complaint otherwise)."""
        result = self.run(*args)
        if result.returncode != 0:
            raise CommitRefused(f"`git {args[0]}` failed: {complaint(result)}")
        return result.stdout.decode("utf-8", "surrogateescape").rstrip("\n")

    def paths(self, *args: str) -> list[str]:
        """The NUL-separated paths a `-z` command prints."""
        return [p for p in self.out(*args).split("\0") if p]


def complaint(result: subprocess.CompletedProcess[bytes]) -> str:
    """git's own last line of complaint."""
    text = result.stderr.decode("utf-8", "replace")
    lines = [ln for ln in text.strip().splitlines() if ln.strip() and not ln.startswith("hint:")]
    return lines[-1].removeprefix("fatal: ").removeprefix("error: ") if lines else f"exit status {result.returncode}"


def prepare(ws: Workspace, push: bool) -> tuple[Git, Path, str]:
    """The repository holding the workspace, its top folder and current branch; refuses a state
    in which a commit (or the push) would go wrong."""
    git = Git(ws.root)
    top = git.run("rev-parse", "--show-toplevel")
    if top.returncode != 0:
        raise CommitRefused(
            f"{ws.root} is not in a git repository",
            hint="run `git init` there, or run daylog in the team's git checkout",
        )
    branch = git.run("symbolic-ref", "-q", "--short", "HEAD")
    if branch.returncode != 0:
        raise CommitRefused(
            "HEAD is detached (no branch to commit on)", hint="switch to a branch first: `git switch main`"
        )
    for name, what, todo in _IN_PROGRESS:
        marker = Path(git.out("rev-parse", "--git-path", name))
        if (marker if marker.is_absolute() else ws.root / marker).exists():
            raise CommitRefused(f"{what}; {todo}, then run `daylog commit` again")
    unmerged = git.paths("ls-files", "-u", "-z")  # `mode sha stage\tpath`
    if unmerged:
        where = unmerged[0].partition("\t")[2]
        raise CommitRefused(f"{where} has unresolved conflicts; resolve them and `git add` it first")
    if push and not git.out("remote"):
        raise CommitRefused(
            "--push: this repository has no remote; nothing was committed",
            hint="add one with `git remote add origin URL`, or commit without --push",
        )
    root = Path(top.stdout.decode("utf-8", "surrogateescape").strip())
    return git, root, branch.stdout.decode("utf-8", "surrogateescape").strip()


def entry_files(ws: Workspace, member: Member, d: date) -> tuple[Path, str, tuple[Path, ...]]:
    """The entry, its title, and the files it references under the member's folder; refuses an
    entry that is missing, has conflict markers or has `check` errors."""
    from daylog.entries.check import run_check
    from daylog.workspace.files import read_text

    path = ws.entry_path(member.id, d)
    rel = ws.rel(path)
    if not path.is_file():
        raise CommitRefused(f"there is no entry {rel} to commit", hint="write it first with `daylog edit`")
    text = read_text(path, rel)
    line = conflict_line(text)
    if line is not None:
        raise CommitRefused("has merge-conflict markers; resolve them first", path=rel, line=line)
    errors = [f for f in run_check(ws, [path]).findings if f.severity.value == "error"]
    if errors:
        first = errors[0]
        more = f" (and {len(errors) - 1} more; see `daylog check {rel}`)" if len(errors) > 1 else ""
        raise CommitRefused(f"`daylog check` reports: {first.message}{more}", path=first.path, line=first.line)
    entry = ws.parse_text(text)
    urls = [link.url for link in entry.links] + html_sources(text)
    refs = []
    folder = ws.logs / member.id
    for target in referenced_files(urls, rel, ws.rel(folder)):
        p = ws.root / target
        if p.is_file() and not p.is_symlink():
            refs.append(p)
            _refuse_conflicted(p, target)
    title = entry.title or path.stem
    return path, title, tuple(refs)


def _refuse_conflicted(path: Path, rel: str) -> None:
    """A referenced text file with conflict markers is refused too (images are not text)."""
    try:
        raw = read_entry_bytes(path, rel)
    except DaylogError:
        return  # not a regular file, or too large to be a text anyone merged by hand
    if b"\0" in raw:
        return
    line = conflict_line(raw.decode("utf-8", "replace"))
    if line is not None:
        raise CommitRefused("has merge-conflict markers; resolve them first", path=rel, line=line)


def commit_entry(ws: Workspace, member: Member, d: date, *, push: bool = False) -> Committed:
    """Stage the entry and its files, refuse anything else staged, and commit them."""
    _, top, branch = prepare(ws, push)
    git = Git(top)  # paths are given from the repository's top: the workspace may be a folder inside it
    path, title, refs = entry_files(ws, member, d)
    files = (path, *refs)
    ours = [_relative(top, p) for p in files]
    ignored = _ignored(git, ours)
    if ours[0] in ignored:
        raise CommitRefused(f"{ours[0]} is ignored by the repository's .gitignore; take it out of there first")
    ours = [p for p in ours if p not in ignored]
    refusal = staged_refusal(others_staged(git.paths("diff", "--cached", "--name-only", "--no-renames", "-z"), ours))
    if refusal:
        raise CommitRefused(refusal)
    added = git.run("add", "--", *ours)
    if added.returncode != 0:
        raise CommitRefused(f"`git add` failed: {complaint(added)}")
    if git.ok("diff", "--cached", "--quiet", "--", *ours):
        raise CommitRefused(
            f"nothing to commit: {ws.rel(path)} is committed as it is",
            hint="change it first, or push with `git push`",
        )
    settings = ws.settings
    cal = settings.calendar
    day = cal.day_number(d)
    message = commit_message(
        settings.commit_message if day is not None else off_day(settings.commit_message),
        title=title,
        course=settings.course,
        day="" if day is None else day,
        date=d.isoformat(),
        author=member.id,
        name=member.name,
        week=cal.week_number(d) or "",
    )
    done = git.run("commit", "-q", "-m", message, "--", *ours)
    if done.returncode != 0:
        raise CommitRefused(
            f"`git commit` failed: {complaint(done)}", hint="the entry is staged; nothing was committed"
        )
    return Committed(git.out("rev-parse", "--short", "HEAD"), branch, message, tuple(ours), tuple(sorted(ignored)))


def _ignored(git: Git, paths: list[str]) -> set[str]:
    """The untracked `paths` that .gitignore excludes (`git check-ignore`: status 1 means none)."""
    names = "".join(p + "\0" for p in paths).encode("utf-8", "surrogateescape")
    result = git.run("check-ignore", "-z", "--stdin", stdin=names, literal=False)
    if result.returncode not in (0, 1):
        raise CommitRefused(f"`git check-ignore` failed: {complaint(result)}")
    return {p for p in result.stdout.decode("utf-8", "surrogateescape").split("\0") if p}


def push_branch(ws: Workspace, branch: str) -> Pushed:
    """Push `branch` to its upstream, or to `origin` (or the only remote), setting it as upstream."""
    git = Git(ws.root)
    remote_of = git.run("config", "--get", f"branch.{branch}.remote")
    merge = git.run("config", "--get", f"branch.{branch}.merge")
    if remote_of.returncode == 0 and merge.returncode == 0:
        remote = remote_of.stdout.decode().strip()
        args = [remote, f"HEAD:{merge.stdout.decode().strip()}"]
    else:
        remotes = git.out("remote").split()
        remote = "origin" if "origin" in remotes else remotes[0] if len(remotes) == 1 else ""
        if not remote:
            raise CommitRefused(
                f"--push: {branch} has no upstream and there are several remotes; the commit is kept",
                hint=f"push it with `git push -u REMOTE {branch}`",
            )
        args = ["--set-upstream", remote, branch]
    result = git.run("push", "--porcelain", *args, timeout=PUSH_TIMEOUT)
    if result.returncode != 0:
        rejected = b"[rejected]" in result.stdout or b"rejected" in result.stderr
        why = "the remote has commits you do not have" if rejected else complaint(result)
        raise CommitRefused(
            f"push to {remote} failed: {why}; your commit is kept",
            hint=f"run `git pull --rebase {remote} {branch}`, then `git push`"
            if rejected
            else "fix that, then run `git push`",
        )
    return Pushed(remote, branch)


def _relative(top: Path, path: Path) -> str:
    """`path` relative to the repository's top folder, as git names it."""
    try:
        return path.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        raise CommitRefused(f"{path} is outside the git repository {top}") from None
