"""Listings replayed from their last answer while nothing they were made from has changed (#18).

`followups`, `tasks` and `questions` rebuild every record from the parse cache on each run,
then lay it out and encode it: at 3,000 entries that is 10,535 task records and 2.6 MB of
JSON, about 65 ms of Python however the rows are kept, which alone puts a warm `tasks --json`
past #18's target of 2× `daylog --version` (figures in benchmarks/README.md). Replaying the
text costs the `stat` walk the parse cache makes anyway and one file read.

An answer is kept under a key of everything it was made from: the command and its options
as resolved (member ids, dates), daylog's code, the settings (`settings.identity`), whether
stdout and stderr are terminals, how wide and coloured, and the path and `stat` stamp of
every `*.md` under `logs/` and in the `also` folders (concept notes), in one digest. Time enters through the options (today's date). Not kept: an answer made while a
file it read was written within the last two seconds (as in the parse cache, its mtime may
not yet tell a later edit apart) and any run that failed. Each command's latest answers
are kept, one file per option set (`answer-<command>-<digest>.marshal`, the
`KEPT_PER_COMMAND` newest); a damaged or foreign one is made again.
"""

# No `from __future__ import annotations` in daylog/cli (tests/test_docs.py): names from
# TYPE_CHECKING imports are quoted instead.

import contextlib
import hashlib
import marshal
import os
import sys
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from daylog.workspace.files import Workspace

FORMAT = 1
KEPT_PER_COMMAND = 8
"""Answers kept per command: `followups` and `followups --json`, each member's, …"""
_RACY_NS = 2_000_000_000


class Answer(NamedTuple):
    """What a listing prints."""

    out: str
    """Its standard output, whole."""
    notes: tuple[str, ...] = ()
    """Remarks for stderr (`skipped logs/…: …`), in order."""
    echo: bool = True
    """Printed as `typer.echo` prints (colour codes dropped off a terminal); JSON is written as it is."""
    color: bool | None = None
    """`typer.echo`'s `color`: True keeps colour codes (`--color`), False drops them, None decides by the terminal."""


def replayed(
    ws: "Workspace", command: str, options: tuple[Any, ...], make: Callable[[], Answer], also: Iterable[str] = ()
) -> Answer:
    """`make()`'s answer, or the kept one when nothing in its key changed.

    `options` are the command's resolved options (plain values); `also` names folders of the
    workspace whose `*.md` files the answer reads besides the entries.
    """
    from daylog.workspace.code_version import code_digest
    from daylog.workspace.settings import identity

    stamps, racy = _stamps(ws, also)
    variant = (command, repr(options), _terminal())
    key = (FORMAT, code_digest(), *variant, identity(ws.settings), stamps)
    name = f"answer-{command}-{hashlib.sha1(repr(variant).encode('utf-8', 'surrogateescape')).hexdigest()[:16]}"
    kept = _kept(ws.cache_dir / f"{name}.marshal", key)
    if kept is not None:
        return kept
    answer = make()
    if not racy:
        from daylog.workspace.writes import write_private

        write_private(str(ws.cache_dir), f"{name}.marshal", (key, *answer))
        _forget_old(ws, command)
    return answer


def emit(answer: Answer) -> None:
    """Print an answer: its notes on stderr, then its output."""
    from daylog.terminal import note, write

    for message in answer.notes:
        note(message)
    if answer.echo:
        import typer

        typer.echo(answer.out, nl=False, color=answer.color)
    else:
        write(answer.out)


def _stamps(ws: "Workspace", also: Iterable[str]) -> tuple[str, bool]:
    """One digest of the path and `stat` of every `*.md` under `logs/` and in each `also` folder;
    whether any was written just now.

    Not `Workspace.scan`: this only has to notice change, not judge the files, and at 30,000
    entries building the scan's `EntryFile`s and sorting them cost more than the `stat` calls.
    The walk takes what the scan could take (member folders, links to them, subfolders) and
    leaves the judging to `make()`. An unchanged folder lists in the same order every time;
    a changed one changes the digest either way, so no sorting is needed.
    """
    rows: list[tuple[str, int, int, int, int]] = []
    try:
        with os.scandir(ws.logs) as found:
            members = [e for e in found if e.name[0] != "." and _is_folder(e, follow=True)]
    except OSError:
        members = []
    for e in members:
        _walk(e.path, f"{e.name}/", rows)
    for folder in also:
        _walk(str(ws.root / folder), f"../{folder}/", rows, deep=False)
    newest = max((row[2] for row in rows), default=0)
    digest = hashlib.sha1(repr(rows).encode("utf-8", "surrogateescape")).hexdigest()
    return digest, newest >= time.time_ns() - _RACY_NS


def _walk(folder: str, rel: str, rows: list[tuple[str, int, int, int, int]], *, deep: bool = True) -> None:
    """(path, size, mtime, ctime, mode) of each `*.md` below `folder` into `rows` (-1s where `stat` fails)."""
    try:
        with os.scandir(folder) as found:
            entries = list(found)
    except OSError:
        return
    for e in entries:
        name = e.name
        if name[0] == ".":
            continue
        if name.endswith(".md"):
            try:
                st = e.stat()
                rows.append((rel + name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode))
            except OSError:
                rows.append((rel + name, -1, -1, -1, -1))
        elif deep and _is_folder(e, follow=False):
            _walk(e.path, f"{rel}{name}/", rows)


def _is_folder(e: "os.DirEntry[str]", *, follow: bool) -> bool:
    try:
        return e.is_dir(follow_symlinks=follow)
    except OSError:
        return False


def _terminal() -> tuple[bool, bool, int | None, bool]:
    """What the layout depends on besides the data: terminals, width, colour."""
    from daylog.terminal import terminal_columns, use_color

    return (sys.stdout.isatty(), sys.stderr.isatty(), terminal_columns(), use_color(None))


def _forget_old(ws: "Workspace", command: str) -> None:
    """Keep the `KEPT_PER_COMMAND` latest answers of `command` (each option set, each day, has its own)."""
    found = sorted(ws.cache_dir.glob(f"answer-{command}-*.marshal"), key=_mtime, reverse=True)
    for old in found[KEPT_PER_COMMAND:]:
        with contextlib.suppress(OSError):
            old.unlink()


def _mtime(path: "os.PathLike[str]") -> float:
    try:
        return os.stat(path).st_mtime
    except OSError:
        return 0.0


def _kept(path: os.PathLike[str], key: tuple[Any, ...]) -> Answer | None:
    """The kept answer for `key`; None when there is none, it is someone else's or damaged."""
    try:
        with open(path, "rb") as fh:
            data = marshal.load(fh)
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(data, tuple) and len(data) == 1 + len(Answer._fields) and data[0] == key):
        return None
    _, out, notes, echo, color = data
    if not isinstance(out, str) or not isinstance(notes, tuple) or not all(isinstance(n, str) for n in notes):
        return None
    return Answer(out, notes, echo is True, color if isinstance(color, bool) else None)
