"""Bounded reads of what users put on disk: a regular file, at most so many bytes, as UTF-8.

Opened without blocking and checked with `fstat` before reading, so a FIFO, a device or a
link to `/dev/zero` is refused instead of hanging, and a huge file is never read whole.
Every reader of entries, settings, the issue cache and the files `commit` looks at goes
through here.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from daylog.errors import DaylogError


def decode(data: bytes, path: Path | str) -> str:
    """UTF-8 text of a file, or a DaylogError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DaylogError("is not UTF-8 text", path=path, line=line, hint="re-save the file as UTF-8") from None


MAX_ENTRY_BYTES = 2 * 1024 * 1024
"""Entries larger than this are refused, never parsed: a day's notes are kilobytes.
The default of the `max_entry_size` setting (`Settings.max_entry_bytes`)."""


def read_entry_bytes(path: Path | str, shown: Path | str | None = None, limit: int = MAX_ENTRY_BYTES) -> bytes:
    """A regular file's bytes, at most `limit` of them; a DaylogError for anything else.

    Opened without blocking and checked with `fstat` before reading, so a FIFO, a device
    or a file swapped for one after the listing is refused instead of hanging.
    """
    where = shown if shown is not None else path
    try:
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    except OSError as exc:
        raise DaylogError(f"cannot read: {exc.strerror or exc}", path=where) from None
    with os.fdopen(fd, "rb") as fh:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise DaylogError("is not a regular file; skipped", path=where, hint="keep only Markdown files in logs/")
        if st.st_size > limit:
            raise DaylogError(
                f"is {st.st_size / 1048576:.1f} MB, over the {limit / 1048576:g} MB an entry may have; skipped",
                path=where,
                hint="split it, or move attachments out of the Markdown",
            )
        try:
            data = fh.read(limit + 1)
        except OSError as exc:
            raise DaylogError(f"cannot read: {exc.strerror or exc}", path=where) from None
    if len(data) > limit:  # it grew since fstat
        raise DaylogError(f"is over the {limit / 1048576:g} MB an entry may have; skipped", path=where)
    return data


def read_text(path: Path | str, shown: Path | str | None = None, limit: int = MAX_ENTRY_BYTES) -> str:
    """A regular file's UTF-8 text (`read_entry_bytes`, then `decode`)."""
    return decode(read_entry_bytes(path, shown, limit), shown if shown is not None else path)


def read_kept(path: os.PathLike[str] | str) -> bytes:
    """The bytes of one of daylog's own cache files (a kept answer, settings, commits, rows).

    As for the entries, a FIFO or device put in its place (or a link to one) must not hang a
    listing: it is opened without blocking and must be a regular file, else OSError, which
    every reader takes as "nothing kept".
    """
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_CLOEXEC", 0))
    with os.fdopen(fd, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise OSError(f"{path}: not a regular file")
        return fh.read()
