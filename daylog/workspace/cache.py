"""Reading every entry of a workspace through a parse cache checked with `stat` alone.

Listings (`followups`, `tasks`, `streak`, …) read the whole team's history. Each asks
for a *view*: what it needs from one parsed entry, as named values. Views are kept per
file under `.daylog/cache/<view>/<member>.marshal`, keyed by the file's size, modification
and change times, so a warm run stats the files, loads one file per member folder and
parses only what changed.

marshal is the fastest loader in the standard library and, unlike pickle, cannot run
code from a tampered file; views convert their named values to plain tuples for it
(`View.encode`/`View.decode`) and nowhere else. A cache that is corrupt, made by other
code (any change to daylog's source) or for other settings is rebuilt, never trusted.
Files modified within the last two seconds are not kept (their mtime may not yet tell
a later edit apart), nor are rows for entries daylog failed to read because of a bug.
"""

from __future__ import annotations

import itertools
import marshal
import operator
import os
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

from daylog.calendar import CourseCalendar, DateOutOfRange
from daylog.errors import DaylogError
from daylog.workspace.code_version import code_digest
from daylog.workspace.reads import read_kept
from daylog.workspace.writes import write_private

if TYPE_CHECKING:
    from daylog.entries.model import Entry
    from daylog.workspace.files import EntryFile, Scan, Workspace

T = TypeVar("T")

FORMAT = 6
_RACY_NS = 2_000_000_000


@dataclass(frozen=True, slots=True)
class View(Generic[T]):
    """What a listing needs from each entry, and how it is kept between runs."""

    name: str
    """The cache file's name (`.daylog/cache/<name>.marshal`)."""
    parts: frozenset[str]
    """What `entries.parse.parse` must read (see `ALL_PARTS`). Front-matter values are read
    only for files without a date in their name, unless `meta` is asked for."""
    extract: Callable[[EntryFile, Entry, str], T]
    """The view's value for one entry (its file, parsed model and Markdown text)."""
    encode: Callable[[T], Any]
    """The value as marshal-able plain data (tuples, strings, ints)."""
    decode: Callable[[Any], T]
    """The value back from `encode`'s plain data."""
    key: str = ""
    """Settings `extract` depends on beyond sections and member names (e.g. `issue_repo`)."""
    reads_conflicts: bool = False
    """Whether an entry with merge-conflict markers reaches `extract` (only `check`'s view:
    it reports them). Every other view leaves such an entry out, as an error naming it:
    one rule for listings, streaks, issues and the site."""
    in_range_only: bool = True
    """An entry dated out of the calendar's range (`9999-12-31.md`, #12) is an error, not a row:
    listings skip it with a note and never do date arithmetic on it. `check` lints it instead."""


class Row(NamedTuple, Generic[T]):
    """One entry file's view value."""

    file: EntryFile
    date: date | None
    """The entry's date: the file name's, else the front matter's."""
    data: T


class _Kept(NamedTuple):
    """One file's result as the cache file holds it: plain values only."""

    size: int
    mtime_ns: int
    ctime_ns: int
    ordinal: int
    """The entry's date as an ordinal, 0 when it has none."""
    data: Any
    """`View.encode` of the value; None when `error` is set."""
    error: tuple[str, int | None, str | None] | None
    """(message, line, hint) when the entry cannot be listed (not UTF-8, merge conflict, …)."""

    def stamp(self) -> tuple[int, int, int]:
        return (self.size, self.mtime_ns, self.ctime_ns)


def _fingerprint(ws: Workspace, view: View[Any]) -> str:
    return repr(
        (
            FORMAT,
            code_digest(),
            view.name,
            sorted(view.parts),
            view.key,
            sorted(ws.settings.sections.items()),
            sorted(ws.known_names),
        )
    )


def _read_cache(path: Path, fingerprint: str) -> dict[str, _Kept]:
    """The kept rows, or nothing when the file is missing, damaged or someone else's."""
    try:
        data = marshal.loads(read_kept(path))
    except (OSError, EOFError, ValueError, TypeError):
        return {}
    if not isinstance(data, tuple) or len(data) != 2 or data[0] != fingerprint or not isinstance(data[1], dict):
        return {}
    return {rel: _Kept._make(v) for rel, v in data[1].items() if isinstance(v, tuple) and len(v) == len(_Kept._fields)}


def load_view(
    ws: Workspace, view: View[T], member: str | None = None, *, scan: Scan | None = None
) -> tuple[list[Row[T]], list[DaylogError]]:
    """The view's value for every entry file (of one member's folder, with `member`), and the
    errors of the files it could not list (`NotAnEntry` for refused ones). `scan` is a walk
    of `logs/` the caller already made.

    Rows are kept per member folder (`<view>/<member>.marshal`), so a command for one member
    (`status`) reads that member's rows only."""
    fingerprint = _fingerprint(ws, view)
    scan = scan or ws.scan(member)
    rows: list[Row[T]] = []
    errors: list[DaylogError] = [*scan.refusals()]
    calendar = ws.settings.calendar if view.in_range_only else None
    racy_after = time.time_ns() - _RACY_NS
    for who, files in itertools.groupby(scan.files, key=_member_of):
        folder = ws.cache_dir / view.name
        kept = _read_cache(folder / f"{who}.marshal", fingerprint)
        fresh: dict[str, _Kept] = {}
        changed = False
        for f in files:
            st = scan.stats[f.rel]
            # ctime too: `touch -d`, `cp -p` or an editor may put an old mtime back on new text.
            stamp = (st.st_size, st.st_mtime_ns, st.st_ctime_ns)
            hit = kept.get(f.rel)
            row = _reused(f, view, hit, stamp, calendar) if hit is not None else None
            if hit is None or row is None:
                changed = True
                got = _read_one(ws, view, f, stamp)
                if isinstance(got, DaylogError):
                    errors.append(got)
                    continue
                hit, row = got, _row(f, view, got, calendar)
            if st.st_mtime_ns < racy_after:
                fresh[f.rel] = hit
            if isinstance(row, DaylogError):
                errors.append(row)
            else:
                rows.append(row)
        if changed or len(fresh) != len(kept):
            write_private(str(folder), f"{who}.marshal", (fingerprint, {rel: tuple(k) for rel, k in fresh.items()}))
    return rows, errors


_member_of = operator.attrgetter("member")


def _row(f: EntryFile, view: View[T], kept: _Kept, calendar: CourseCalendar | None) -> Row[T] | DaylogError:
    """The row, or the entry's error, from kept plain values (out of `calendar`'s range: an error)."""
    if kept.error is not None:
        message, line, hint = kept.error
        return DaylogError(message, path=f.rel, line=line, hint=hint)
    when = date.fromordinal(kept.ordinal) if kept.ordinal else None
    problem = calendar.range_problem(when) if calendar is not None and when is not None else None
    if problem is not None:
        return DateOutOfRange(f"dated {when}, {problem}", path=f.rel, hint="`daylog check` names it")
    return Row(f, when, view.decode(kept.data))


def _reused(
    f: EntryFile, view: View[T], kept: _Kept, stamp: tuple[int, int, int], calendar: CourseCalendar | None
) -> Row[T] | DaylogError | None:
    """The kept row while the file is unchanged; None when it changed or its values do not decode."""
    if kept.stamp() != stamp:
        return None
    try:
        return _row(f, view, kept, calendar)
    except (TypeError, ValueError, IndexError, AttributeError, KeyError, OverflowError):
        return None  # damaged or hand-edited: read the entry again


def refuse_conflicts(entry: Entry) -> None:
    """An entry mid-merge holds both sides of the conflict: read neither, say why."""
    for d in entry.diagnostics:
        if d.code == "conflict":
            raise DaylogError(d.message, line=d.line, hint="resolve the conflict; the entry is left out until then")


def _read_one(ws: Workspace, view: View[Any], f: EntryFile, stamp: tuple[int, int, int]) -> _Kept | DaylogError:
    """Parse one file into what the cache keeps, or the error to show without keeping it.

    Not kept: a file the OS would not let daylog read (fixing that may not touch it) and a
    crash, which is a bug in daylog: fixing the bug must not wait for the file to be
    touched. DAYLOG_DEBUG=1 lets a crash raise with its traceback.
    """
    from daylog.entries.parse import parse  # only on a miss: a warm run never imports the parser
    from daylog.workspace.files import read_text

    try:
        text = read_text(f.path, f.rel, ws.settings.max_entry_bytes)
        # A dated file name makes the front matter's values unneeded (views take the date from f.date).
        parts = view.parts if f.date is not None else view.parts | {"meta"}
        entry = parse(text, matcher=ws.matcher, known_names=ws.known_names, parts=parts)
        if not view.reads_conflicts:
            refuse_conflicts(entry)
        when = f.date or entry.date
        return _Kept(*stamp, when.toordinal() if when else 0, view.encode(view.extract(f, entry, text)), None)
    except DaylogError as exc:
        return _Kept(*stamp, 0, None, (exc.message, exc.line, exc.hint))
    except OSError as exc:
        return DaylogError(f"cannot read: {exc.strerror or exc}", path=f.rel)
    except Exception as exc:
        if os.environ.get("DAYLOG_DEBUG"):
            raise
        return DaylogError(
            f"daylog could not read this entry ({type(exc).__name__}: {exc}); please report it",
            path=f.rel,
            hint="DAYLOG_DEBUG=1 shows the traceback",
        )
