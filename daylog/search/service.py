"""`daylog search`: bring the index up to date with the entries, then query it.

Freshness uses the `stat` check of the listings: while the digest of every entry's stamp
(`workspace.change`) is the one the index last matched, nothing is scanned or read; else
`Workspace.scan` lists the entries and a file whose size, mtime and ctime are the ones it
was indexed at is not read again; one changed within the last two seconds is indexed but
read again next time (its mtime cannot yet tell a later edit apart). The index is rebuilt
when anything that made it changed: daylog's code (`code_version.code_digest`), the section
aliases or the private sections.

The index never makes a search fail: a damaged file (not a database, malformed, someone
else's tables) is deleted and built again; one that cannot be written (a read-only
workspace) or stays locked by another daylog for `index.BUSY_SECONDS` is replaced, for this
run only, by a copy built in memory. Only an SQLite without FTS5 is an error.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import sqlite3
import time
import unicodedata
from collections.abc import Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from daylog.errors import DaylogError, UsageError
from daylog.search import index
from daylog.search.index import Doc, Filters, FtsMissing, Line
from daylog.search.segment import Term, hit_spans, index_terms, parse_query
from daylog.workspace.code_version import code_digest

if TYPE_CHECKING:
    from daylog.entries.model import Entry
    from daylog.workspace.files import EntryFile, Scan, Workspace

_RACY_NS = 2_000_000_000
Stamp = tuple[int, int, int]


class Result(NamedTuple):
    """One matching line, as `daylog search` shows it."""

    author: str
    date: date | None
    day: int | None
    """Course day of the entry's date (None on a weekend, a holiday, or without a date)."""
    section: str | None
    path: str
    line: int
    text: str
    """The line as written, without its indentation."""
    score: float
    """BM25 relevance, higher is better; 0 when the query had only scanned terms."""
    spans: tuple[tuple[int, int], ...]
    """(start, end) of each hit in `text`."""

    def as_json(self) -> dict[str, Any]:
        return {
            "author": self.author,
            "date": self.date.isoformat() if self.date else None,
            "day": self.day,
            "section": self.section,
            "path": self.path,
            "line": self.line,
            "text": self.text,
            "score": round(self.score, 4),
        }


class Refresh(NamedTuple):
    """What bringing the index up to date did."""

    read: tuple[str, ...]
    """Entry files (re)indexed, by path."""
    removed: tuple[str, ...]
    """Files gone from the workspace, dropped from the index."""
    rebuilt: bool
    """The index was built from nothing (new, damaged, or made by other code or settings)."""
    kept: bool
    """The index lives in `.daylog/cache/` (False: built in memory for this run only)."""


class Found(NamedTuple):
    results: list[Result]
    more: bool
    """More lines matched than `limit` let through."""
    errors: list[DaylogError]
    """Entries that could not be indexed (not UTF-8, refused by the scan, …)."""
    notes: list[str]
    """Why the index could not be kept on disk, if it could not."""
    refresh: Refresh


def index_path(ws: Workspace) -> Path:
    return ws.cache_dir / index.FILE_NAME


def search(
    ws: Workspace,
    words: Sequence[str],
    *,
    authors: Sequence[str] = (),
    sections: Sequence[str] = (),
    since: date | None = None,
    until: date | None = None,
    limit: int | None = 20,
) -> Found:
    """Lines of the team's entries matching every term of `words`, best first."""
    terms = parse_query(words)
    if not terms:
        raise UsageError("nothing to search for: give a word or a quoted phrase")
    conn, refresh, notes = open_index(ws)
    try:
        filters = Filters(
            tuple(authors), tuple(sections), since.isoformat() if since else None, until.isoformat() if until else None
        )
        hits = index.query(conn, terms, filters, None if limit is None else limit + 1)
        errors = _kept_errors(conn)
    finally:
        conn.close()
    more = limit is not None and len(hits) > limit
    cal = ws.settings.calendar
    results = [_result(h, terms, cal) for h in hits[:limit]]
    return Found(results, more, errors, notes, refresh)


MAX_LIKE_TOKENS = 64
"""A long text is compared by its first tokens only (each is one more OR in the query)."""


def similar_lines(
    ws: Workspace, text: str, *, sections: Sequence[str] = (), until: date | None = None, limit: int | None = 500
) -> tuple[list[index.Hit], list[DaylogError], list[str]]:
    """Lines that resemble `text` (share any of its tokens, Korean bigrams included), best
    first, with the entries that could not be indexed and notes on where the index lives."""
    tokens = list(dict.fromkeys(index_terms(text)[0].split()))[:MAX_LIKE_TOKENS]
    if not tokens:
        raise UsageError("nothing to compare: give a question with words in it")
    conn, _refresh, notes = open_index(ws)
    try:
        filters = Filters((), tuple(sections), None, until.isoformat() if until else None)
        hits = index.query_any(conn, tokens, filters, limit)
        errors = _kept_errors(conn)
    finally:
        conn.close()
    return hits, errors, notes


def _result(h: index.Hit, terms: Sequence[Term], cal: Any) -> Result:
    when = date.fromisoformat(h.date) if h.date else None
    day = cal.day_number(when) if when else None
    return Result(h.author, when, day, h.section, h.rel, h.line, h.text, h.score, hit_spans(h.text, terms))


def _kept_errors(conn: sqlite3.Connection) -> list[DaylogError]:
    """The files the scan refused, then the entries that could not be indexed, as last seen."""
    from daylog.workspace.files import Refused, Scan

    lines = (index.meta(conn, "refused") or "").split("\n")
    refused = [Refused(rel, reason) for rel, _, reason in (line.partition("\0") for line in lines if line)]
    rows = conn.execute("SELECT rel, error, error_line, error_hint FROM files WHERE error IS NOT NULL ORDER BY rel")
    unreadable = [DaylogError(message, path=rel, line=line, hint=hint) for rel, message, line, hint in rows]
    return [*Scan([], refused, [], {}).refusals(), *unreadable]


# --- keeping the index fresh -------------------------------------------------------------


def fingerprint(ws: Workspace) -> str:
    """What the indexed lines depend on besides the files: daylog's code and the settings that
    say where the entries are (the walk digest holds paths below `logs_dir`), which the scan
    refuses (`max_entry_size`, also kept as `refused`) and which lines are kept."""
    s = ws.settings
    sections = sorted(s.sections.items())
    made_by = repr((index.FORMAT, code_digest(), sections, sorted(s.private_sections), s.logs_dir, s.max_entry_size))
    return hashlib.sha1(made_by.encode()).hexdigest()


def open_index(ws: Workspace) -> tuple[sqlite3.Connection, Refresh, list[str]]:
    """A connection to an index that matches the workspace, and what updating it did.

    The file in `.daylog/cache/`, else (damaged twice, unwritable, locked) one in memory.
    """
    path = index_path(ws)
    notes: list[str] = []
    for attempt in range(2):
        conn = None
        try:
            with contextlib.suppress(OSError):
                from daylog.workspace.writes import private_folder

                private_folder(str(path.parent))
            conn = index.connect(path)
            return conn, update(conn, ws), notes
        except FtsMissing:
            _close(conn)
            raise _no_fts() from None
        except sqlite3.Error as exc:
            _close(conn)
            if index.is_fts_missing(exc):
                raise _no_fts() from None
            if _is_damage(exc) and attempt == 0:
                index.discard(path)  # not an index (any more): start afresh
                continue
            notes.append(f"cannot keep the search index {ws.rel(path)} ({exc}): searched a copy built in memory")
            break
    conn = index.connect(None)
    try:
        return conn, update(conn, ws)._replace(kept=False), notes
    except FtsMissing:
        conn.close()
        raise _no_fts() from None


def _is_damage(exc: sqlite3.Error) -> bool:
    """True for a file that is no usable index; False for one SQLite cannot use now (locked, read-only, …)."""
    text = str(exc).lower()
    transient = ("locked", "busy", "readonly", "read-only", "unable to open", "disk i/o", "full", "permission")
    return not any(word in text for word in transient)


def _close(conn: sqlite3.Connection | None) -> None:
    if conn is not None:
        with contextlib.suppress(sqlite3.Error):
            conn.close()


def _no_fts() -> DaylogError:
    return DaylogError(
        f"this Python's SQLite {sqlite3.sqlite_version} has no FTS5, which `daylog search` needs",
        hint="use a Python whose sqlite3 includes FTS5 (python.org, Debian/Ubuntu, Homebrew and conda builds do)",
    )


class _Plan(NamedTuple):
    reset: bool
    read: list[EntryFile]
    gone: list[str]


def _plan(conn: sqlite3.Connection, print_: str, scan: Scan) -> _Plan:
    """What must change in the index for it to match the scan."""
    if index.fingerprint(conn) != print_:
        return _Plan(True, list(scan.files), [])
    have = index.stamps(conn)
    stats = scan.stats
    read = [f for f in scan.files if have.get(f.rel, False) != _stamp(stats[f.rel])]
    gone = [rel for rel in have if rel not in stats]
    return _Plan(False, read, gone)


def _keep_digest(conn: sqlite3.Connection, digest: str | None, scan: Scan) -> None:
    """Remember the digest of a walk the index matches, with what the scan refused (once; a
    read-only index just skips it)."""
    conn.execute("PRAGMA busy_timeout = 0")  # another daylog writing: leave it for the next run
    try:
        with contextlib.suppress(sqlite3.Error), index.writing(conn):
            _set_walk(conn, digest, scan)
    finally:
        conn.execute(f"PRAGMA busy_timeout = {int(index.BUSY_SECONDS * 1000)}")


def _set_walk(conn: sqlite3.Connection, digest: str | None, scan: Scan) -> None:
    """The `walk` digest (None: forget it) and the scan's refusals, inside `index.writing`."""
    ok = digest is not None and index.all_stamped(conn)
    index.set_meta(conn, "walk", digest if ok else None)
    index.set_meta(conn, "refused", "\n".join(f"{r.rel}\0{r.reason}" for r in scan.refused))


def _stamp(st: os.stat_result) -> Stamp:
    # ctime too: `touch -d`, `cp -p` or an editor may put an old mtime back on new text.
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def update(conn: sqlite3.Connection, ws: Workspace) -> Refresh:
    """Bring the index in line with the entries: read only what changed (everything after a reset).

    The warm path walks `logs/` (`workspace.change`) and compares one digest; on a change the
    scan says which files are entries and only those whose stamp moved are read. Files are
    parsed before the write lock is taken; under it the plan is made again, as another
    daylog may have updated the index meanwhile.
    """
    from daylog.workspace.change import change_digest

    print_ = fingerprint(ws)
    digest, newest = change_digest(ws)
    if index.fingerprint(conn) == print_ and index.meta(conn, "walk") == digest:
        return Refresh((), (), False, True)  # the warm path: one digest, no scan, no stamp read
    racy_after = time.time_ns() - _RACY_NS
    keep = digest if newest < racy_after else None  # a file written just now may change again unseen
    scan = ws.scan()
    plan = _plan(conn, print_, scan)
    if not plan.reset and not plan.read and not plan.gone:
        _keep_digest(conn, keep, scan)
        return Refresh((), (), False, True)
    docs = {f.rel: _doc(ws, f, scan.stats[f.rel], racy_after) for f in plan.read}
    with index.writing(conn):
        plan = _plan(conn, print_, scan)
        if plan.reset:
            index.reset(conn, print_)
        docs = {f.rel: docs.get(f.rel) or _doc(ws, f, scan.stats[f.rel], racy_after) for f in plan.read}
        index.remove(conn, [*plan.gone, *(() if plan.reset else docs)])
        index.add(conn, docs.values())
        _set_walk(conn, keep, scan)
    return Refresh(tuple(docs), tuple(plan.gone), plan.reset, True)


def _doc(ws: Workspace, f: EntryFile, st: os.stat_result, racy_after: int) -> Doc:
    """One file as the index keeps it: its public lines, or the reason it cannot be read.

    As in the parse cache, a crash (a bug in daylog) is not kept, so fixing the bug needs no
    edit of the file; DAYLOG_DEBUG=1 lets it raise with its traceback.
    """
    from daylog.entries.parse import parse  # only on a change: a warm search never imports the parser
    from daylog.workspace.files import read_text

    stamp = _stamp(st) if st.st_mtime_ns < racy_after else None
    try:
        text = read_text(f.path, f.rel).removeprefix("\ufeff")
        parts = frozenset() if f.date is not None else frozenset({"meta"})
        entry = parse(text, matcher=ws.matcher, parts=parts)
    except DaylogError as exc:
        return Doc(f.rel, f.member, None, stamp, (exc.message, exc.line, exc.hint), ())
    except Exception as exc:
        if os.environ.get("DAYLOG_DEBUG"):
            raise
        message = f"daylog could not read this entry ({type(exc).__name__}: {exc}); please report it"
        return Doc(f.rel, f.member, None, None, (message, None, "DAYLOG_DEBUG=1 shows the traceback"), ())
    when = f.date or entry.date
    lines = public_lines(text, entry, ws.settings.private_sections)
    return Doc(f.rel, f.member, when.isoformat() if when else None, stamp, None, lines)


def public_lines(text: str, entry: Entry, private: Sequence[str]) -> tuple[Line, ...]:
    """The non-blank lines after the front matter, outside private sections (headings included)."""
    hidden: set[int] = set()
    owner: dict[int, str] = {}
    for s in entry.sections:  # later (inner) sections overwrite: the innermost named one wins
        if s.key in private:
            hidden.update(range(s.line, s.end + 1))
        if s.key is not None:
            for n in range(s.line, s.end + 1):
                owner[n] = s.key
    out = []
    for n, raw in enumerate(text.split("\n")[entry.front_matter_end :], start=entry.front_matter_end + 1):
        shown = raw.strip()
        if shown and n not in hidden:
            out.append(Line(n, owner.get(n), unicodedata.normalize("NFC", shown)))
    return tuple(out)
