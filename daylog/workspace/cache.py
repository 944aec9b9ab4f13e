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

import marshal
import os
import sys
import time
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, TypeGuard

from daylog.errors import DaylogError
from daylog.workspace.writes import write_private

if TYPE_CHECKING:
    from daylog.workspace.files import EntryFile, Workspace

FORMAT = 4
_RACY_NS = 2_000_000_000


class View(NamedTuple):
    """What a listing needs from each entry."""

    name: str
    version: int  # bump when `extract` changes what it returns
    # Which items `entries.parse.parse` must read for it (see `entries.parse.ALL_PARTS`). Add `meta` only if
    # `extract` uses front-matter values other than the date: for a dated file name they
    # are skipped otherwise.
    parts: frozenset[str]
    # (EntryFile, Entry) → marshal-able plain data; (EntryFile, Entry, text) with `with_text`.
    extract: Callable[..., Any]
    # Pass the file's Markdown too, for views that scan lines the parser skips (references, writing).
    with_text: bool = False
    # Settings `extract` depends on beyond sections and member names (e.g. `issue_repo`): a
    # different key invalidates the cached rows.
    key: str = ""


class Row(NamedTuple):
    """One file's view data (a NamedTuple: one is made per file on every run)."""

    file: EntryFile
    data: Any


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


def _read_cache(path: str, fingerprint: str) -> dict[str, tuple[int, int, int, Any]]:
    try:
        with open(path, "rb") as fh:
            data = marshal.loads(fh.read())  # load(fh) reads object by object: 5x slower
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, tuple) or len(data) != 2 or data[0] != fingerprint or not isinstance(data[1], dict):
        return {}
    return data[1]


def _write_cache(folder: str, path: str, fingerprint: str, files: dict[str, tuple[int, int, int, Any]]) -> None:
    write_private(folder, os.path.basename(path), (fingerprint, files))


_complete: dict[str, dict[str, int]] = {}
"""Per parse-cache file, the stamps (by rel) of every entry the last `load_view` in this process read,
when it could cache all of them: the state an answer made from those rows belongs to."""


def load_view(ws: Workspace, view: View) -> tuple[list[Row], list[DaylogError]]:
    """The view's data for every entry file, and the errors of unreadable files."""
    files = ws.files()
    folder = str(ws.cache_dir)
    path = os.path.join(folder, f"{view.name}.marshal")
    fingerprint = _fingerprint(ws, view)
    cached = _read_cache(path, fingerprint)
    fresh: dict[str, tuple[int, int, int, Any]] = {}
    rows: list[Row] = []
    errors: list[DaylogError] = []
    changed = len(cached) != len(files)
    racy_after = time.time_ns() - _RACY_NS
    stat = os.stat
    get = cached.get
    stats: list[tuple[EntryFile, int, int, int, Any]] = []
    misses: list[EntryFile] = []
    for f in files:
        try:
            st = stat(f.path)
        except OSError as exc:
            errors.append(DaylogError(f"cannot read: {exc.strerror or exc}", path=f.rel))
            continue
        # ctime too: `touch -d`, `cp -p` or an editor may put an old mtime back on new text.
        size, mtime, ctime = st.st_size, st.st_mtime_ns, st.st_ctime_ns
        hit = get(f.rel)
        if hit is not None and hit[0] == size and hit[1] == mtime and hit[2] == ctime:
            stats.append((f, size, mtime, ctime, hit[3]))
        else:
            stats.append((f, size, mtime, ctime, None))
            misses.append(f)
    parsed = _parse_many(ws, view, misses) if misses else {}
    changed = changed or bool(misses)
    for f, size, mtime, ctime, payload in stats:
        if payload is None:
            payload = parsed[f.rel]
        if mtime < racy_after and payload[0] != "unreadable":
            fresh[f.rel] = (size, mtime, ctime, payload)
        else:
            changed = True
        if payload[0] == "ok":
            rows.append(Row(f, payload[1]))
        else:
            errors.append(DaylogError(payload[1], path=f.rel, line=payload[2], hint=payload[3]))
    if changed:
        _write_cache(folder, path, fingerprint, fresh)
    if not errors and len(fresh) == len(files):
        _complete[path] = {f.rel: _stamp(size, mtime, ctime) for f, size, mtime, ctime, _ in stats}
    else:
        _complete.pop(path, None)
    return rows, errors


_ANSWERS_KEPT = 16


def answer(ws: Workspace, view: View, key: str, make: Callable[[], tuple[bytes, str]]) -> tuple[bytes, str]:
    """A listing's (stdout, stderr), replayed while no entry has changed since it was made.

    Scripts ask the same question over and over; with nothing changed, the answer is the
    same text. `key` must name everything else it depends on (command, options, today,
    settings). Checked like the parse cache, by `stat` alone, against the stamps of the
    very rows the answer was made from (not a later stat, which could miss an edit made
    meanwhile); kept only when every entry could be cached.
    """
    folder = str(ws.cache_dir)
    path = os.path.join(folder, f"{view.name}.answers")
    fingerprint = _fingerprint(ws, view)
    stamps, answers = _read_answers(path, fingerprint)
    hit = answers.get(key)
    if _is_answer(hit) and _unchanged(ws, stamps):
        return hit
    result = make()
    made_from = _complete.get(os.path.join(folder, f"{view.name}.marshal"))
    if made_from is not None:
        kept = answers if made_from == stamps else {}
        kept.pop(key, None)
        while len(kept) >= _ANSWERS_KEPT:
            kept.pop(next(iter(kept)))
        kept[key] = result
        write_private(folder, os.path.basename(path), (fingerprint, made_from, kept))
    return result


def _is_answer(value: object) -> TypeGuard[tuple[bytes, str]]:
    return isinstance(value, tuple) and len(value) == 2 and isinstance(value[0], bytes) and isinstance(value[1], str)


def _read_answers(path: str, fingerprint: str) -> tuple[dict[str, int], dict[str, Any]]:
    try:
        with open(path, "rb") as fh:
            data = marshal.loads(fh.read())
    except (OSError, EOFError, ValueError, TypeError):
        return {}, {}
    if (
        not isinstance(data, tuple)
        or len(data) != 3
        or data[0] != fingerprint
        or not isinstance(data[1], dict)
        or not isinstance(data[2], dict)
    ):
        return {}, {}
    return data[1], data[2]


def _stamp(size: int, mtime_ns: int, ctime_ns: int) -> int:
    """One int for a file's (size, mtime, ctime): 30,000 of them load in half the time of tuples."""
    return (size << 128) | (mtime_ns << 64) | ctime_ns


def _unchanged(ws: Workspace, stamps: dict[str, int]) -> bool:
    """Whether the workspace's entries are exactly the stamped files, unmodified."""
    found = ws.entry_stats()
    if len(found) != len(stamps) or not found:
        return False
    get = stamps.get
    return all(get(rel) == _stamp(st.st_size, st.st_mtime_ns, st.st_ctime_ns) for rel, st in found)


def _parse_one(ws: Workspace, view: View, f: EntryFile) -> tuple[Any, ...]:
    """("ok", view data), ("error", message, line, hint) or ("unreadable", …) for one file.

    "unreadable" (an OS error, e.g. permissions) is never cached: fixing it does not
    change the file's mtime. Any other exception is a bug in a parser or view; it
    becomes an error for this file so that one odd entry never stops a listing.
    """
    from daylog.entries.parse import parse  # only on a miss: a warm run never imports the parser
    from daylog.workspace.files import decode

    try:
        with open(f.path, "rb") as fh:
            text = decode(fh.read(), f.rel)
        # A dated file name makes the front matter's values unneeded (views take the date from f.date).
        parts = view.parts if f.date is not None else view.parts | {"meta"}
        entry = parse(text, matcher=ws.matcher, known_names=ws.known_names, parts=parts)
        return ("ok", view.extract(f, entry, text) if view.with_text else view.extract(f, entry))
    except DaylogError as exc:
        return ("error", exc.message, exc.line, exc.hint)
    except OSError as exc:
        return ("unreadable", f"cannot read: {exc.strerror or exc}", None, None)
    except Exception as exc:
        return (
            "error",
            f"daylog could not read this entry ({type(exc).__name__}: {exc}); please report it",
            None,
            None,
        )


_PARALLEL_FROM = 300
"""Below this many files to parse, forking costs more than it saves."""


def _parse_many(ws: Workspace, view: View, files: list[EntryFile]) -> dict[str, tuple[Any, ...]]:
    """Parse the files, on every core when there are many and the OS can fork.

    Plain `os.fork` and a pipe per child rather than a `multiprocessing` pool: no pool to
    import and start (about 30 ms), nothing pickled, and this process parses a share
    too instead of waiting. A child that fails leaves its share to this process.
    """
    import threading

    cores = min(os.cpu_count() or 1, 8)
    # Fork only where it is safe and cheap: Linux, and no other thread alive (mkdocs serve
    # runs watcher threads; forking a threaded process can deadlock).
    if len(files) < _PARALLEL_FROM or cores < 2 or not sys.platform.startswith("linux") or threading.active_count() > 1:
        return {f.rel: _parse_one(ws, view, f) for f in files}
    shares = [files[i::cores] for i in range(cores)]  # interleaved: old and new entries in each
    results = {files[0].rel: _parse_one(ws, view, files[0])}  # loads the parser before forking
    children: list[tuple[int, int, list[EntryFile]]] = []
    for share in shares[1:]:
        try:
            read_end, write_end = os.pipe()
        except OSError:
            results.update((f.rel, _parse_one(ws, view, f)) for f in share)
            continue
        try:
            pid = os.fork()
        except OSError:
            os.close(read_end)
            os.close(write_end)
            results.update((f.rel, _parse_one(ws, view, f)) for f in share)
            continue
        if pid == 0:  # the child: parse, send, and leave without running any cleanup of the parent's
            code = 1
            try:
                os.close(read_end)
                data = marshal.dumps([_parse_one(ws, view, f) for f in share])
                with os.fdopen(write_end, "wb") as out:
                    out.write(data)
                code = 0
            finally:
                os._exit(code)
        os.close(write_end)
        children.append((pid, read_end, share))
    results.update((f.rel, _parse_one(ws, view, f)) for f in shares[0][1:])
    for pid, read_end, share in children:
        with os.fdopen(read_end, "rb") as pipe:
            data = pipe.read()
        _, status = os.waitpid(pid, 0)
        try:
            parsed = marshal.loads(data) if status == 0 else None
        except (EOFError, ValueError, TypeError):
            parsed = None
        if not isinstance(parsed, list) or len(parsed) != len(share):
            parsed = [_parse_one(ws, view, f) for f in share]
        results.update(zip((f.rel for f in share), parsed, strict=True))
    return results
