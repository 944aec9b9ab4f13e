"""One error family for everything daylog refuses to do.

The core raises; only the CLI (and the MkDocs plugin) decide how to show it.
"""

from __future__ import annotations

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
