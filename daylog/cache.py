"""Reading every entry of a workspace, fast: a parse cache checked with `stat` alone.

Listings (`followups`, `tasks`, `streak`, …) read the whole team's history. Each
listing asks for a *view*: a function that turns one parsed entry into small plain
data (tuples, strings, ints). Views are cached per file under `.daylog/cache/`,
keyed by the file's size and modification time, so a warm run stats the files,
loads one `marshal` file and parses only what changed.

marshal is used because it is the fastest loader in the standard library and,
unlike pickle, cannot run code from a tampered file. A cache that is corrupt, from
another daylog version or for other settings is rebuilt, never trusted; files
modified within the last two seconds are not cached (their mtime may not yet tell
a later edit apart).
"""

from __future__ import annotations

import contextlib
import marshal
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from daylog.errors import DaylogError

if TYPE_CHECKING:
    from daylog.workspace import EntryFile, Loaded, Workspace

FORMAT = 3
_RACY_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class View:
    """What a listing needs from each entry."""

    name: str
    version: int
    """Bump when `extract` changes what it returns."""
    parts: frozenset[str]
    """Which items `entry.parse` must read for it."""
    extract: Callable[..., Any]
    """(file, entry) → marshal-able plain data; (file, entry, text) when `text` is set."""
    text: bool = False
    """Pass the file's Markdown too, for views that scan the raw text (issue references)."""
    key: str = ""
    """Settings `extract` depends on beyond sections and member names (e.g. `issue_repo`): a
    different key invalidates the cached rows."""


@dataclass(frozen=True, slots=True)
class Row:
    """One file's view data."""

    file: EntryFile
    data: Any


def load_entries(ws: Workspace, files: list[EntryFile]) -> tuple[list[Loaded], list[DaylogError]]:
    """Parse every file fully (no cache); unreadable ones become errors."""
    loaded: list[Loaded] = []
    errors: list[DaylogError] = []
    for f in files:
        try:
            loaded.append(ws.load(f))
        except DaylogError as exc:
            errors.append(exc)
    return loaded, errors


def _fingerprint(ws: Workspace, view: View) -> str:
    from daylog._version import __version__

    return repr(
        (
            FORMAT,
            __version__,
            view.name,
            view.version,
            sorted(view.parts),
            view.key,
            sorted(ws.settings.sections.items()),
            sorted(ws.known_names),
        )
    )


def _read_cache(path: str, fingerprint: str) -> dict[str, tuple[int, int, Any]]:
    try:
        with open(path, "rb") as fh:
            data = marshal.loads(fh.read())  # load(fh) reads object by object: 5x slower
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, tuple) or len(data) != 2 or data[0] != fingerprint or not isinstance(data[1], dict):
        return {}
    return data[1]


def _write_cache(folder: str, path: str, fingerprint: str, files: dict[str, tuple[int, int, Any]]) -> None:
    """Best effort: a cache that cannot be written only costs speed."""
    try:
        os.makedirs(folder, exist_ok=True)
        ignore = os.path.join(folder, ".gitignore")
        if not os.path.exists(ignore):
            with open(ignore, "w", encoding="utf-8") as fh:
                fh.write("# daylog's parse cache: local, rebuilt when missing\n*\n")
    except OSError:
        return
    tmp = f"{path}.{os.getpid()}.tmp"
    try:
        with open(tmp, "wb") as fh:
            marshal.dump((fingerprint, files), fh)
        os.replace(tmp, path)
    except (OSError, ValueError):
        with contextlib.suppress(OSError):
            os.unlink(tmp)


def load_view(ws: Workspace, view: View) -> tuple[list[Row], list[DaylogError]]:
    """The view's data for every entry file, and the errors of unreadable files."""
    from daylog.entry import parse
    from daylog.workspace import decode

    files = ws.files()
    folder = str(ws.cache_dir)
    path = os.path.join(folder, f"{view.name}.marshal")
    fingerprint = _fingerprint(ws, view)
    cached = _read_cache(path, fingerprint)
    fresh: dict[str, tuple[int, int, Any]] = {}
    rows: list[Row] = []
    errors: list[DaylogError] = []
    changed = len(cached) != len(files)
    racy_after = time.time_ns() - _RACY_NS
    for f in files:
        try:
            st = os.stat(f.path)
        except OSError as exc:
            errors.append(DaylogError(f"cannot read: {exc.strerror or exc}", path=f.rel))
            continue
        hit = cached.get(f.rel)
        if hit is not None and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
            payload = hit[2]
        else:
            changed = True
            try:
                with open(f.path, "rb") as fh:
                    text = decode(fh.read(), f.rel)
                entry = parse(text, matcher=ws.matcher, known_names=ws.known_names, parts=view.parts)
                payload = ("ok", view.extract(f, entry, text) if view.text else view.extract(f, entry))
            except DaylogError as exc:
                payload = ("error", exc.message, exc.line, exc.hint)
            except OSError as exc:
                payload = ("error", f"cannot read: {exc.strerror or exc}", None, None)
        if st.st_mtime_ns < racy_after:
            fresh[f.rel] = (st.st_size, st.st_mtime_ns, payload)
        else:
            changed = True
        if payload[0] == "ok":
            rows.append(Row(f, payload[1]))
        else:
            errors.append(DaylogError(payload[1], path=f.rel, line=payload[2], hint=payload[3]))
    if changed:
        _write_cache(folder, path, fingerprint, fresh)
    return rows, errors
