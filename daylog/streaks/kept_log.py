"""`git log`'s answer kept between runs, keyed by the commit it started from (#18).

Commits never change: the history behind a HEAD is the same history on every run. Reading
10,000 of them through `git log --use-mailmap` takes about 50 ms, a third of a warm `status`
or `streak --team` at 3,000 entries (#18: at most 2× `daylog --version`; figures in
benchmarks/README.md), while `git rev-parse` answers in under 2 ms. So the commits' columns
(`gitlog.Stamps`) are kept in `.daylog/cache/commits-<repo>.marshal` under a key of the
repository, HEAD, whether it is shallow and where (`shallow`: `fetch --deepen` keeps HEAD),
its replace refs (`git replace` rewrites history behind the same HEAD), the fields asked
for, daylog's code and the `stat` of `.mailmap`, and the `GIT_*` environment. Never kept: a
repository whose git config (its own, a linked worktree's common one, the user's, any file
they include, `GIT_CONFIG_*` variables) names a mailmap of its own (`mailmap.file`, `mailmap.blob`: its edits would
show in none of those), one with `info/grafts`, one whose `.mailmap` was written in the
last two seconds, an empty one (no HEAD).
"""

from __future__ import annotations

import marshal
import os
import re
import subprocess
import time
import zlib
from pathlib import Path
from typing import Any

FORMAT = 1
_RACY_NS = 2_000_000_000
_SHA = re.compile(r"[0-9a-f]{40}(?:[0-9a-f]{24})?")


def history_key(repo: Path, fields: tuple[str, ...]) -> tuple[Any, ...] | None:
    """The key of `repo`'s history as `git log` with `fields` would print it; None when it cannot be kept."""
    try:
        found = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--is-shallow-repository", "--absolute-git-dir", "--show-toplevel",
             "--path-format=absolute", "--git-common-dir", "HEAD", "--glob=refs/replace/*", "--symbolic-full-name",
             "--glob=refs/replace/*"],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=10, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    lines = found.stdout.decode("utf-8", "surrogateescape").splitlines()
    if found.returncode != 0 or len(lines) < 5:
        return None
    shallow, git_dir, top, common, head, *replaced = lines
    if not os.path.isabs(common) or not _SHA.fullmatch(head):
        return None  # a git older than 2.31 (no --path-format) echoes options it does not know
    environment = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("GIT_")))
    if _unseen_inputs(Path(git_dir), Path(common), environment):
        return None
    cut = _content(Path(common, "shallow")) if shallow == "true" else None
    mailmap = _stamp(Path(top, ".mailmap"))
    if mailmap is not None and mailmap[1] >= time.time_ns() - _RACY_NS:
        return None  # written just now: its mtime may not yet tell a second edit apart
    from daylog.workspace.code_version import code_digest

    found_at = (head, shallow == "true", cut, tuple(replaced))
    return (FORMAT, code_digest(), os.path.realpath(repo), fields, found_at, mailmap, environment)


def head_of(key: tuple[Any, ...]) -> str:
    """The commit `key` was taken at: `git log` must start there, not at a HEAD that moved since."""
    return str(key[4][0])


def kept_path(cache_dir: Path, repo: Path) -> Path:
    name = zlib.crc32(os.path.realpath(repo).encode("utf-8", "surrogateescape"))  # the key holds the path
    return cache_dir / f"commits-{name:08x}.marshal"


Columns = tuple[list[str], list[str], list[str], "list[str] | None", "list[str] | None", bool]
"""`gitlog.Stamps` as plain values: times, names, e-mails, co-authors, shas, shallow."""


def read(path: Path, key: tuple[Any, ...]) -> Columns | None:
    """The kept commits for `key`; None when there are none, they are someone else's or damaged."""
    from daylog.workspace.reads import read_kept

    try:
        data = marshal.loads(read_kept(path))
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(data, tuple) and len(data) == 2 and data[0] == key and isinstance(data[1], tuple)):
        return None
    columns = data[1]
    if len(columns) != 6 or not isinstance(columns[5], bool) or not isinstance(columns[0], list):
        return None
    given = [c for c in columns[:5] if c is not None]
    if not all(isinstance(c, list) and len(c) == len(columns[0]) for c in given):
        return None
    return columns


def write(path: Path, key: tuple[Any, ...], columns: Columns) -> None:
    from daylog.workspace.writes import write_private

    write_private(str(path.parent), path.name, (key, columns))


def _unseen_inputs(git_dir: Path, common: Path, environment: tuple[tuple[str, str], ...]) -> bool:
    """Whether `git log` reads something the key cannot stamp: a mailmap named in git config
    (files, or `GIT_CONFIG_KEY_0=mailmap.file`, `GIT_CONFIG_PARAMETERS`), `info/grafts`."""
    if any("mailmap" in v.lower() for k, v in environment if k.startswith(("GIT_CONFIG_KEY_", "GIT_CONFIG_PARAM"))):
        return True
    if os.path.lexists(common / "info" / "grafts"):
        return True
    return any(_names_a_mailmap(config) for config in _configs(git_dir, common))


def _configs(git_dir: Path, common: Path) -> list[Path]:
    """The git config files that could name a mailmap: the repository's (a linked worktree's
    own and its main repository's), the user's, the system's."""
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    found = [common / "config", common / "config.worktree", git_dir / "config.worktree"]
    found += [Path.home() / ".gitconfig", xdg / "git" / "config", Path("/etc/gitconfig")]
    return [*found, *(Path(v) for k, v in os.environ.items() if k in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM"))]


_INCLUDED = re.compile(rb"^[ \t]*path[ \t]*=[ \t]*(.*?)[ \t]*$", re.MULTILINE | re.IGNORECASE)
"""A `path = …` line: under `[include]` or `[includeIf …]` it names another config file (any
section's is followed: reading a file too many only costs a read)."""


def _names_a_mailmap(config: Path, depth: int = 0) -> bool:
    """Whether a git config file, or one it includes, mentions `mailmap` (a file or blob daylog
    would not see change). Includes nested deeper than git's own limit (10) count as naming one."""
    try:
        with open(config, "rb") as fh:
            text = fh.read(1024 * 1024)
    except OSError:
        return False
    if b"mailmap" in text.lower():
        return True
    for m in _INCLUDED.finditer(text):
        if depth >= 10:
            return True
        name = os.fsdecode(m.group(1).strip(b'"'))
        included = Path(name).expanduser()
        if _names_a_mailmap(included if included.is_absolute() else config.parent / included, depth + 1):
            return True
    return False


def _content(path: Path) -> bytes | None:
    try:
        with open(path, "rb") as fh:
            return fh.read(16 * 1024 * 1024)
    except OSError:
        return None


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
