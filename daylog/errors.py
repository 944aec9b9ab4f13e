"""One error family for everything daylog refuses to do.

The core raises; only the CLI (and the MkDocs plugin) decide how to show it.
"""

from __future__ import annotations

import sys
from pathlib import Path


class DaylogError(Exception):
    """A problem the user can fix: what went wrong, where, and what to do."""

    exit_code = 1

    def __init__(
        self,
        message: str,
        *,
        path: str | Path | None = None,
        line: int | None = None,
        hint: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = str(path) if path is not None else None
        self.line = line
        self.hint = hint

    def location(self) -> str:
        """`path:line: ` (or `path: `, or nothing) to put before the message."""
        if self.path is None:
            return ""
        if self.line is None:
            return f"{self.path}: "
        return f"{self.path}:{self.line}: "

    def __str__(self) -> str:
        text = f"{self.location()}{self.message}"
        if self.hint:
            text += f" ({self.hint})"
        return text


class NoWorkspace(DaylogError):
    """No mkdocs.yml with a daylog block here or above: some commands can still work on files."""


class UsageError(DaylogError):
    """The command line itself is wrong (bad option value): exit status 2."""

    exit_code = 2


def report_failure(exc: BaseException) -> int:
    """Say on stderr, in one line, why the command stopped; return its exit status.

    A DaylogError is the user's to fix (1, or 2 for usage); anything else is a bug, shown
    without a traceback (callers re-raise instead when DAYLOG_DEBUG is set).
    """
    if isinstance(exc, DaylogError):
        sys.stderr.write(f"daylog: error: {exc}\n")
        return exc.exit_code
    if isinstance(exc, KeyboardInterrupt):
        sys.stderr.write("daylog: interrupted\n")
        return 130
    if isinstance(exc, BrokenPipeError):
        return 1  # the reader stopped reading (`| head`): nothing to say
    if isinstance(exc, OSError):  # e.g. the disk filled up while writing the output
        where = f": {exc.filename}" if exc.filename else ""
        sys.stderr.write(f"daylog: error: {exc.strerror or exc}{where}\n")
        return 1
    sys.stderr.write(
        f"daylog: internal error: {type(exc).__name__}: {exc} "
        "(this is a bug: please report it; DAYLOG_DEBUG=1 shows the traceback)\n"
    )
    return 70
