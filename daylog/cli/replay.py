"""Listings replayed from their last answer while nothing they were made from has changed (#18).

`followups`, `tasks`, `questions` and `streak` rebuild every record from the parse cache on
each run, then lay it out and encode it: at 3,000 entries that is 10,535 task records and
2.6 MB of JSON, about 65 ms of Python however the rows are kept, which alone puts a warm
`tasks --json` past #18's target of 2× `daylog --version` (figures in benchmarks/README.md).
Replaying the text costs one walk of `logs/` (`workspace.change`) and one file read.

An answer is kept under a key of everything it was made from: the command and its options
as resolved (member ids, dates, for `streak` the template and each repository's HEAD),
daylog's code, the settings (`settings.identity`), whether stdout and stderr are terminals,
how wide and coloured, and the path and `stat` of every `*.md` under `logs/` and in the
`also` folders (concept notes), in one digest. Time enters through the options (today's
date). Not kept: an answer made while a file it read was written within the last two
seconds (as in the parse cache, its mtime may not yet tell a later edit apart), a `streak`
whose repositories' HEADs moved while it was made (`still`: a reset can bring the old key
back) and any run that failed. Each command's latest answers are kept, one file per option set
(`answer-<command>-<digest>.marshal`, the `KEPT_PER_COMMAND` newest); a damaged or foreign
one is made again.
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

    @classmethod
    def of_json(cls, data: Any, notes: "Iterable[str]" = ()) -> "Answer":
        """`data` as `--json` prints it: indented on a terminal, compact when piped, written as it is."""
        from daylog.terminal import json_text

        return cls(json_text(data, pretty=sys.stdout.isatty()), tuple(notes), echo=False)


def replayed(
    ws: "Workspace",
    command: str,
    options: tuple[Any, ...],
    make: Callable[[], Answer],
    also: Iterable[str] = (),
    still: Callable[[], bool] | None = None,
) -> Answer:
    """`make()`'s answer, or the kept one when nothing in its key changed.

    `options` are the command's resolved options (plain values); `also` names folders of the
    workspace whose `*.md` files the answer reads besides the entries. `still()`, asked after
    `make()`, says whether the options still hold: a key that can come back (a HEAD moved
    while `make()` ran, then reset) must not keep an answer made from something else.
    """
    from daylog.workspace.change import change_digest
    from daylog.workspace.code_version import code_digest
    from daylog.workspace.settings import identity

    stamps, newest = change_digest(ws, also)
    variant = (command, repr(options), _terminal())
    key = (FORMAT, code_digest(), *variant, identity(ws.settings), stamps)
    name = f"answer-{command}-{hashlib.sha1(repr(variant).encode('utf-8', 'surrogateescape')).hexdigest()[:16]}"
    kept = _kept(ws.cache_dir / f"{name}.marshal", key)
    if kept is not None:
        return kept
    answer = make()
    # Not kept while a file's mtime may not yet tell a later edit apart, nor when the options moved meanwhile.
    if newest < time.time_ns() - _RACY_NS and (still is None or still()):
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
    from daylog.workspace.reads import read_kept

    try:
        data = marshal.loads(read_kept(path))
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not (isinstance(data, tuple) and len(data) == 1 + len(Answer._fields) and data[0] == key):
        return None
    _, out, notes, echo, color = data
    if not isinstance(out, str) or not isinstance(notes, tuple) or not all(isinstance(n, str) for n in notes):
        return None
    return Answer(out, notes, echo is True, color if isinstance(color, bool) else None)
