"""The search index on disk: SQLite FTS5 in `.daylog/cache/search.sqlite`.

Tables: `meta` (what made the index: format, daylog's code digest, the settings the lines
depend on), `files` (one row per entry file: author, date, the `stat` stamp it was indexed
at, or why it could not be read), `lines` (one row per non-blank public line: line number,
section key, text) and `fts`, a contentless FTS5 table whose rowid is the line's id and
whose two columns are `segment.index_terms` of the line. Contentless keeps the file small;
a line's row is deleted with FTS5's `delete` command, which needs the indexed values again,
so they are recomputed from the stored text (`segment` is pinned by the code digest).

Writes go through one transaction each (`BEGIN IMMEDIATE`), so a crash leaves the last
complete index; SQLite's locking lets two daylogs share the file. This module only stores
and queries: which files changed is the service's business.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import NamedTuple

from daylog.search.segment import Term, index_terms, match_expression

FORMAT = "1"
FILE_NAME = "search.sqlite"
FTS_MODULE = "fts5"
"""The virtual-table module (a test points this at a missing one to play an FTS5-less SQLite)."""
BUSY_SECONDS = 15.0
"""How long to wait for another daylog writing the index before searching a private copy."""
COLUMN_WEIGHTS = (1.0, 0.5)
"""BM25 weights of the token and suffix columns: a hit inside a word ranks after a whole-word hit."""


class Line(NamedTuple):
    """One indexed line of an entry."""

    line: int
    """1-based line number in the file."""
    section: str | None
    """Key of the innermost named section holding it (`peer`, `til`, …), None outside any."""
    text: str
    """The line as written (NFC, trailing spaces and `\\r` removed)."""


class Doc(NamedTuple):
    """What the index keeps of one entry file."""

    rel: str
    author: str
    date: str | None
    """ISO date, or None when the entry has none."""
    stamp: tuple[int, int, int] | None
    """(size, mtime_ns, ctime_ns) it was read at; None to read it again next time (too recent
    to trust, or unreadable for a reason that may pass)."""
    error: tuple[str, int | None, str | None] | None
    """(message, line, hint) when the entry could not be read; it then has no lines."""
    lines: tuple[Line, ...]


class Hit(NamedTuple):
    """A matching line, straight from the index."""

    rel: str
    author: str
    date: str | None
    line: int
    section: str | None
    text: str
    score: float


class Filters(NamedTuple):
    """What narrows a query besides its terms; empty tuples and Nones mean no restriction."""

    authors: tuple[str, ...] = ()
    sections: tuple[str, ...] = ()
    since: str | None = None
    until: str | None = None


class FtsMissing(Exception):
    """This Python's SQLite has no FTS5."""


_SCHEMA = (
    "CREATE TABLE meta(key TEXT PRIMARY KEY, value TEXT NOT NULL)",
    "CREATE TABLE files(id INTEGER PRIMARY KEY, rel TEXT NOT NULL UNIQUE, author TEXT NOT NULL, date TEXT,"
    " size INTEGER, mtime_ns INTEGER, ctime_ns INTEGER, error TEXT, error_line INTEGER, error_hint TEXT)",
    "CREATE TABLE lines(id INTEGER PRIMARY KEY, file INTEGER NOT NULL, line INTEGER NOT NULL, section TEXT,"
    " text TEXT NOT NULL)",
    "CREATE INDEX lines_file ON lines(file)",
    "CREATE VIRTUAL TABLE fts USING {module}(terms, infix, content='', tokenize='ascii')",
)


def connect(path: Path | None) -> sqlite3.Connection:
    """A connection to the index file (None: a private one in memory), in autocommit mode."""
    conn = sqlite3.connect(":memory:" if path is None else str(path), timeout=BUSY_SECONDS, isolation_level=None)
    conn.execute("PRAGMA synchronous=OFF")  # a cache: a power cut may cost a rebuild, never a wrong answer kept
    return conn


def is_fts_missing(exc: sqlite3.Error) -> bool:
    return f"no such module: {FTS_MODULE}" in str(exc)


def fingerprint(conn: sqlite3.Connection) -> str | None:
    """The `meta` fingerprint, or None for an empty database."""
    try:
        row = conn.execute("SELECT value FROM meta WHERE key = 'fingerprint'").fetchone()
    except sqlite3.OperationalError as exc:
        if "no such table" in str(exc) and not _tables(conn):
            return None  # a new, empty file
        raise
    return None if row is None else str(row[0])


def meta(conn: sqlite3.Connection, key: str) -> str | None:
    row = conn.execute("SELECT value FROM meta WHERE key = ?", (key,)).fetchone()
    return None if row is None else str(row[0])


def set_meta(conn: sqlite3.Connection, key: str, value: str | None) -> None:
    """Set (None: forget) one `meta` value (inside `writing`)."""
    conn.execute("DELETE FROM meta WHERE key = ?", (key,))
    if value is not None:
        conn.execute("INSERT INTO meta(key, value) VALUES (?, ?)", (key, value))


def all_stamped(conn: sqlite3.Connection) -> bool:
    """True when no file waits to be read again (each has the stamp it was indexed at)."""
    return conn.execute("SELECT 1 FROM files WHERE size IS NULL LIMIT 1").fetchone() is None


def _tables(conn: sqlite3.Connection) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM sqlite_master")]


def stamps(conn: sqlite3.Connection) -> dict[str, tuple[int, int, int] | None]:
    """Every indexed file's stamp by path (None: read it again). Plain tuples: a warm search
    compares all of them, and building 3,000 named rows costs more than the query."""
    rows = conn.execute("SELECT rel, size, mtime_ns, ctime_ns FROM files")
    return {rel: (size, mtime, ctime) if size is not None else None for rel, size, mtime, ctime in rows}


@contextlib.contextmanager
def writing(conn: sqlite3.Connection) -> Iterator[None]:
    """One write transaction, taken before reading what to change (another writer goes first)."""
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield
    except BaseException:
        with contextlib.suppress(sqlite3.Error):
            conn.execute("ROLLBACK")
        raise
    conn.execute("COMMIT")


def reset(conn: sqlite3.Connection, print_: str) -> None:
    """Drop whatever the database holds and create an empty index made by `print_` (inside `writing`)."""
    try:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")]
        for name in names:  # dropping `fts` drops its shadow tables (`fts_data`, …) too
            if not name.startswith("sqlite_") and not name.startswith("fts_"):
                conn.execute(f'DROP TABLE IF EXISTS "{name}"')
        for statement in _SCHEMA:
            conn.execute(statement.format(module=FTS_MODULE))
    except sqlite3.OperationalError as exc:
        if is_fts_missing(exc):
            raise FtsMissing(str(exc)) from None
        raise
    conn.execute("INSERT INTO meta(key, value) VALUES ('format', ?), ('fingerprint', ?)", (FORMAT, print_))


def remove(conn: sqlite3.Connection, rels: Iterable[str]) -> None:
    """Forget these files and their lines (inside `writing`)."""
    for rel in rels:
        row = conn.execute("SELECT id FROM files WHERE rel = ?", (rel,)).fetchone()
        if row is None:
            continue
        (file_id,) = row
        for line_id, text in conn.execute("SELECT id, text FROM lines WHERE file = ?", (file_id,)).fetchall():
            terms, infix = index_terms(text)
            conn.execute(
                "INSERT INTO fts(fts, rowid, terms, infix) VALUES ('delete', ?, ?, ?)", (line_id, terms, infix)
            )
        conn.execute("DELETE FROM lines WHERE file = ?", (file_id,))
        conn.execute("DELETE FROM files WHERE id = ?", (file_id,))


def add(conn: sqlite3.Connection, docs: Iterable[Doc]) -> None:
    """Index these files (not indexed yet: `remove` them first; inside `writing`)."""
    for doc in docs:
        size, mtime, ctime = doc.stamp if doc.stamp is not None else (None, None, None)
        message, line, hint = doc.error if doc.error is not None else (None, None, None)
        cur = conn.execute(
            "INSERT INTO files(rel, author, date, size, mtime_ns, ctime_ns, error, error_line, error_hint)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (doc.rel, doc.author, doc.date, size, mtime, ctime, message, line, hint),
        )
        file_id = cur.lastrowid
        for ln in doc.lines:
            cur = conn.execute(
                "INSERT INTO lines(file, line, section, text) VALUES (?, ?, ?, ?)",
                (file_id, ln.line, ln.section, ln.text),
            )
            terms, infix = index_terms(ln.text)
            conn.execute("INSERT INTO fts(rowid, terms, infix) VALUES (?, ?, ?)", (cur.lastrowid, terms, infix))


def query(conn: sqlite3.Connection, terms: Sequence[Term], filters: Filters, limit: int | None) -> list[Hit]:
    """Lines matching every term, best first (BM25; newest first among equals and for scans).

    Every value is a bound parameter; the MATCH string holds only quoted tokens.
    """
    where: list[str] = []
    params: list[object] = []
    match = match_expression(terms)
    if match is not None and limit is not None and filters == Filters() and all(t.scan is None for t in terms):
        top = _top(conn, match, limit)
        if top is not None:
            return top
    if match is not None:
        source = "fts JOIN lines l ON l.id = fts.rowid"
        score = "-bm25(fts, {}, {})".format(*COLUMN_WEIGHTS)
        where.append("fts MATCH ?")
        params.append(match)
    else:
        source, score = "lines l", "0.0"
    for t in terms:
        if t.scan is not None:
            where.append("instr(lower(l.text), ?) > 0")
            params.append(t.scan)
    _filter(filters, where, params)
    sql = (
        f"SELECT f.rel, f.author, f.date, l.line, l.section, l.text, {score} AS score"
        f" FROM {source} JOIN files f ON f.id = l.file WHERE {' AND '.join(where)}"
        " ORDER BY score DESC, f.date DESC, f.rel, l.line"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [Hit(*row) for row in conn.execute(sql, params)]


TOP_WINDOW = 64
"""Best lines `_top` ranks first by score alone, before reading their text: four times as many
as asked for (at least this many), more while the last ones tie with the cut."""
TOP_WINDOW_MAX = 4096


def _top(conn: sqlite3.Connection, match: str, limit: int) -> list[Hit] | None:
    """`query` without filters: the best `limit` lines, in the same order, reading only those.

    Ranking every matching line joined with its text and file costs more than BM25 itself
    (at 30,000 entries a common word matches 60,000 lines), so the scores come first from the
    FTS table alone; only lines tied with or above the cut are then joined and ordered. None
    when the ties around the cut run past `TOP_WINDOW_MAX` (the caller ranks the full way).
    """
    if limit <= 0:
        return []
    score = "-bm25(fts, {}, {})".format(*COLUMN_WEIGHTS)
    window = max(4 * limit, TOP_WINDOW)
    while True:
        sql = f"SELECT rowid, {score} AS s FROM fts WHERE fts MATCH ? ORDER BY s DESC LIMIT ?"
        rows = conn.execute(sql, (match, window + 1)).fetchall()
        if len(rows) <= window or len(rows) < limit or rows[window][1] < rows[limit - 1][1]:
            break  # every line tied with the last one kept is inside the window
        if window >= TOP_WINDOW_MAX:
            return None
        window *= 4
    cut = rows[min(limit, len(rows)) - 1][1] if rows else 0.0
    scores = {rowid: s for rowid, s in rows[:window] if s >= cut}
    marks = ", ".join("?" * len(scores))
    found = conn.execute(
        "SELECT l.id, f.rel, f.author, f.date, l.line, l.section, l.text FROM lines l JOIN files f ON f.id = l.file"
        f" WHERE l.id IN ({marks})",
        list(scores),
    ).fetchall()
    hits = [Hit(rel, author, when, n, section, text, scores[i]) for i, rel, author, when, n, section, text in found]
    hits.sort(key=lambda h: (h.rel, h.line))  # ORDER BY score DESC, date DESC (NULL last), rel, line
    hits.sort(key=lambda h: h.date or "", reverse=True)
    hits.sort(key=lambda h: h.score, reverse=True)
    return hits[:limit]


def query_any(conn: sqlite3.Connection, tokens: Sequence[str], filters: Filters, limit: int | None) -> list[Hit]:
    """Lines holding any of `tokens` (`segment.index_terms` output), best first by BM25 over
    all of them: the lines that resemble a text rather than those holding every word of it.

    Tokens hold only letters and digits (the segmenter's runs), so quoting them is safe.
    """
    where = ["fts MATCH ?"]
    params: list[object] = [" OR ".join(f'terms : "{t}"' for t in tokens)]
    _filter(filters, where, params)
    sql = (
        "SELECT f.rel, f.author, f.date, l.line, l.section, l.text, -bm25(fts, {}, {}) AS score".format(*COLUMN_WEIGHTS)
        + f" FROM fts JOIN lines l ON l.id = fts.rowid JOIN files f ON f.id = l.file WHERE {' AND '.join(where)}"
        " ORDER BY score DESC, f.date DESC, f.rel, l.line"
    )
    if limit is not None:
        sql += " LIMIT ?"
        params.append(limit)
    return [Hit(*row) for row in conn.execute(sql, params)]


def _filter(filters: Filters, where: list[str], params: list[object]) -> None:
    if filters.authors:
        where.append(f"f.author IN ({', '.join('?' * len(filters.authors))})")
        params.extend(filters.authors)
    if filters.sections:
        where.append(f"l.section IN ({', '.join('?' * len(filters.sections))})")
        params.extend(filters.sections)
    if filters.since is not None:
        where.append("f.date >= ?")
        params.append(filters.since)
    if filters.until is not None:
        where.append("f.date <= ?")
        params.append(filters.until)


def discard(path: Path) -> None:
    """Delete a damaged index file and its journal (the next open starts afresh)."""
    for p in (path, path.with_name(path.name + "-journal")):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(p)
