"""`git log`'s answer kept between runs, keyed by the commit it started from (#18).

Commits never change: the history behind a HEAD is the same history on every run. Reading
10,000 of them through `git log --use-mailmap` takes about 50 ms, a third of a warm `status`
or `streak --team` at 3,000 entries (#18: at most 2× `daylog --version`; figures in
benchmarks/README.md), while `git rev-parse` answers in under 2 ms. So the commits' columns
(`gitlog.Stamps`) are kept in `.daylog/cache/commits-<repo>.marshal` under a key of the
repository, HEAD, whether it is shallow, the fields asked for, daylog's code and the `stat`
of `.mailmap`, and the `GIT_*` environment. Never kept: a repository whose git config names
a mailmap of its own (`mailmap.file`, `mailmap.blob`: its edits would show in none of
those), one whose `.mailmap` was written in the last two seconds, an empty one (no HEAD).
"""

from __future__ import annotations

import marshal
import os
import subprocess
import time
import zlib
from pathlib import Path
from typing import Any

FORMAT = 1
_RACY_NS = 2_000_000_000


def history_key(repo: Path, fields: tuple[str, ...]) -> tuple[Any, ...] | None:
    """The key of `repo`'s history as `git log` with `fields` would print it; None when it cannot be kept."""
    try:
        found = subprocess.run(
            ["git", "-C", str(repo), "rev-parse", "--is-shallow-repository", "--absolute-git-dir", "--show-toplevel",
             "HEAD"],
            stdin=subprocess.DEVNULL, capture_output=True, timeout=10, check=False,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError):
        return None
    lines = found.stdout.decode("utf-8", "surrogateescape").splitlines()
    if found.returncode != 0 or len(lines) != 4:
        return None
    shallow, git_dir, top, head = lines
    if any(_names_a_mailmap(config) for config in _configs(Path(git_dir))):
        return None
    mailmap = _stamp(Path(top, ".mailmap"))
    if mailmap is not None and mailmap[1] >= time.time_ns() - _RACY_NS:
        return None  # written just now: its mtime may not yet tell a second edit apart
    from daylog.workspace.code_version import code_digest

    environment = tuple(sorted((k, v) for k, v in os.environ.items() if k.startswith("GIT_")))
    return (FORMAT, code_digest(), os.path.realpath(repo), fields, head, shallow == "true", mailmap, environment)


def kept_path(cache_dir: Path, repo: Path) -> Path:
    name = zlib.crc32(os.path.realpath(repo).encode("utf-8", "surrogateescape"))  # the key holds the path
    return cache_dir / f"commits-{name:08x}.marshal"


Columns = tuple[list[str], list[str], list[str], "list[str] | None", "list[str] | None", bool]
"""`gitlog.Stamps` as plain values: times, names, e-mails, co-authors, shas, shallow."""


def read(path: Path, key: tuple[Any, ...]) -> Columns | None:
    """The kept commits for `key`; None when there are none, they are someone else's or damaged."""
    try:
        data = marshal.loads(path.read_bytes())
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


def _configs(git_dir: Path) -> list[Path]:
    """The git config files that could name a mailmap: the repository's, the user's, the system's."""
    xdg = Path(os.environ.get("XDG_CONFIG_HOME") or Path.home() / ".config")
    found = [git_dir / "config", Path.home() / ".gitconfig", xdg / "git" / "config", Path("/etc/gitconfig")]
    return [*found, *(Path(v) for k, v in os.environ.items() if k in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM"))]


def _names_a_mailmap(config: Path) -> bool:
    """Whether a git config file mentions `mailmap` (a file or blob daylog would not see change)."""
    try:
        with open(config, "rb") as fh:
            return b"mailmap" in fh.read(1024 * 1024).lower()
    except OSError:
        return False


def _stamp(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
