"""Reading every entry of a workspace.

Listings read the whole team's history; this is the one place that does it.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from daylog.errors import DaylogError

if TYPE_CHECKING:
    from daylog.workspace import EntryFile, Loaded, Workspace


def load_entries(ws: Workspace, files: list[EntryFile]) -> tuple[list[Loaded], list[DaylogError]]:
    """Parse every file; unreadable ones become errors and the rest is still returned."""
    loaded: list[Loaded] = []
    errors: list[DaylogError] = []
    for f in files:
        try:
            loaded.append(ws.load(f))
        except DaylogError as exc:
            errors.append(exc)
    return loaded, errors
