"""Safe writes: atomic, locked against other daylog writers, never outside the workspace.

Entries are written through a temp file in the same folder, `fsync` and `os.replace`
(or a hard link for a new file, so that one that appeared meanwhile is never
overwritten). Writers that read, check and replace an entry (`followups done`, `link`,
`new`, `import`) hold the workspace's write lock (`locked`) from the read to the
replace, so two of them never lose each other's edit. daylog's own private state
(caches) goes through `write_private`. This module imports nothing of daylog but its
errors: settings, caches and entries all write through it.
"""

from __future__ import annotations

import contextlib
import marshal
import os
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from daylog.errors import DaylogError

LOCK_TIMEOUT = 30.0
"""Seconds a writer waits for another daylog writer before giving up."""
_IGNORE_ALL = "# daylog's local state: rebuilt when missing, never committed\n*\n"


def inside(path: Path, root: Path) -> Path:
    """`path` with every link resolved, when that lies inside `root`; else a DaylogError.

    A link inside the workspace (a linked `logs/` folder) is followed; one that leads out
    of it (to `/etc/passwd`, another repository) is never written through.
    """
    real = Path(os.path.realpath(path))
    base = Path(os.path.realpath(root))
    if real != base and base not in real.parents:
        raise DaylogError(
            "is a link leading outside the workspace; daylog neither reads nor writes there",
            path=path,
            hint="replace the link with the file itself",
        )
    return real


@contextlib.contextmanager
def locked(root: Path, timeout: float = LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the workspace's write lock (`.daylog/cache/write.lock`, an `fcntl` lock).

    Where `fcntl` is missing (Windows) writes are still atomic and checked, but two
    concurrent writers may refuse each other instead of waiting.
    """
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not on POSIX
        yield
        return
    folder = root / ".daylog" / "cache"
    try:
        private_folder(str(folder))
        fd = os.open(folder / "write.lock", os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
    except OSError as exc:
        raise DaylogError(f"cannot take the write lock: {exc.strerror or exc}", path=folder) from None
    try:
        deadline = time.monotonic() + timeout
        while True:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                break
            except BlockingIOError:
                if time.monotonic() > deadline:
                    raise DaylogError(
                        f"another daylog has been writing in this workspace for over {timeout:g} s",
                        path=root,
                        hint="wait for it to finish, then run the command again",
                    ) from None
                time.sleep(0.02)
        yield
    finally:
        os.close(fd)


def _temp_beside(path: Path, data: bytes) -> Path:
    import tempfile  # only writers pay for it (shutil, random): listings never write entries

    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    except OSError as exc:
        raise DaylogError(f"cannot write here: {exc.strerror or exc}", path=path.parent) from None
    try:
        os.fchmod(fd, 0o666 & ~_umask())  # mkstemp makes 0600; entries are ordinary files
        with os.fdopen(fd, "wb") as fh:
            fh.write(data)
            fh.flush()
            os.fsync(fh.fileno())
    except OSError as exc:
        Path(tmp).unlink(missing_ok=True)
        raise DaylogError(f"cannot write: {exc.strerror or exc}", path=path) from None
    return Path(tmp)


def leftovers(path: Path) -> list[Path]:
    """Temp files an interrupted write of `path` left beside it (`.<name>.XXXX.tmp`)."""
    try:
        names = os.listdir(path.parent)
    except OSError:
        return []
    prefix = f".{path.name}."
    return [path.parent / n for n in names if n.startswith(prefix) and n.endswith(".tmp")]


def _clear_leftovers(path: Path) -> None:
    """Remove what an interrupted earlier write of `path` left (callers hold the write lock)."""
    for tmp in leftovers(path):
        with contextlib.suppress(OSError):
            tmp.unlink()


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_new(path: Path, text: str, *, root: Path) -> None:
    """Create `path` (inside `root`) atomically; refuse (FileExistsError) if it already exists."""
    path = inside(path, root)
    _clear_leftovers(path)
    tmp = _temp_beside(path, text.encode("utf-8"))
    try:
        try:
            os.link(tmp, path)  # atomic create-if-absent
        except FileExistsError:
            raise
        except OSError:  # a filesystem without hard links: exclusive create, then write
            fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o666)
            with os.fdopen(fd, "wb") as fh:
                fh.write(text.encode("utf-8"))
    finally:
        tmp.unlink(missing_ok=True)


def replace_checked(path: Path, text: str, expected: bytes, *, root: Path) -> None:
    """Replace `path` (inside `root`) atomically, but only if it still holds `expected`.

    A link to another file of the workspace is written through to its target, and the
    link stays a link; a link out of the workspace is refused (`inside`).
    """
    path = inside(path, root)
    try:
        current = path.read_bytes()
    except OSError as exc:
        raise DaylogError(f"cannot read: {exc.strerror or exc}", path=path) from None
    if current != expected:
        raise DaylogError(
            "changed on disk while daylog was editing it; nothing was written",
            path=path,
            hint="run the command again",
        )
    _clear_leftovers(path)
    tmp = _temp_beside(path, text.encode("utf-8"))
    try:
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DaylogError(f"cannot write: {exc.strerror or exc}", path=path) from None


def private_folder(folder: str) -> None:
    """Make `folder`, with a `.gitignore` that keeps all of it out of git."""
    os.makedirs(folder, exist_ok=True)
    ignore = os.path.join(folder, ".gitignore")
    if not os.path.exists(ignore):
        with open(ignore, "w", encoding="utf-8") as fh:
            fh.write(_IGNORE_ALL)


def write_private(folder: str, name: str, value: Any) -> None:
    """Marshal `value` to folder/name atomically, in a folder git ignores by itself.

    Best effort: a cache that cannot be written only costs speed.
    """
    try:
        private_folder(folder)
    except OSError:
        return
    path = os.path.join(folder, name)
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            marshal.dump(value, fh)
        os.replace(tmp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)
