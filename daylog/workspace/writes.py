"""Safe writes: atomic, never overwriting what a user wrote unless asked to replace it checked.

Entries are written through a temp file in the same folder and `os.replace`; daylog's
own private state (caches) through `write_private`. Settings, caches and entry edits all
write through here, so this module imports nothing of daylog but its errors.
"""

from __future__ import annotations

import contextlib
import marshal
import os
from pathlib import Path
from typing import Any

from daylog.errors import DaylogError


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


def _umask() -> int:
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def write_new(path: Path, text: str) -> None:
    """Create `path` atomically; refuse (FileExistsError) if it already exists."""
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


def replace_checked(path: Path, text: str, expected: bytes) -> None:
    """Replace `path` atomically, but only if it still holds `expected` (no lost edits).

    A symlinked entry is written through to its target, and the link stays a link.
    """
    path = Path(os.path.realpath(path))
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
    tmp = _temp_beside(path, text.encode("utf-8"))
    try:
        os.chmod(tmp, path.stat().st_mode & 0o7777)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise DaylogError(f"cannot write: {exc.strerror or exc}", path=path) from None


def write_private(folder: str, name: str, value: Any) -> None:
    """Marshal `value` to folder/name atomically, in a folder git ignores by itself.

    Best effort: a cache that cannot be written only costs speed.
    """
    try:
        os.makedirs(folder, exist_ok=True)
        ignore = os.path.join(folder, ".gitignore")
        if not os.path.exists(ignore):
            with open(ignore, "w", encoding="utf-8") as fh:
                fh.write("# daylog's parse cache: local, rebuilt when missing\n*\n")
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
