"""`daylog followups`, `followups done` and `tasks`: the workspace's entries, read through the
parse cache, handed to the pure lifecycle.

The CLI calls one function here per command and prints the result; `new` and the site
call the same functions, so scripts and the site share one data path.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, NamedTuple, TypeVar

from daylog.errors import DaylogError, UsageError
from daylog.followups.lifecycle import (
    ConceptNote,
    EntryItems,
    FollowUpRecord,
    FollowUpRow,
    Heading,
    Status,
    TaskRecord,
    TaskRow,
    concept_names,
    covered_in,
    followup_rows,
    mark_done_text,
    records_from_rows,
    resolve_ids,
    suggest_ids,
    task_rows,
    tasks_from_rows,
    til_headings,
)
from daylog.workspace.cache import Row, View, load_view
from daylog.workspace.files import EntryFile, Workspace, decode, member_for, read_entry_bytes
from daylog.workspace.writes import locked, replace_checked

if TYPE_CHECKING:
    from daylog.entries.model import Entry
    from daylog.workspace.files import Scan

T = TypeVar("T")
V = TypeVar("V")


class FollowUpData(NamedTuple):
    """What the follow-up listings keep of one entry: one parse gives both."""

    rows: tuple[FollowUpRow, ...]
    til: tuple[Heading, ...]
    """Headings of its TIL section: what `followups` offers as `maybe_answered_in`."""


def _followups(f: EntryFile, e: Entry, text: str) -> FollowUpData:
    d = f.date or e.date
    return FollowUpData(followup_rows(e, f.member, d) if d is not None and f.member else (), til_headings(e))


def _tasks(f: EntryFile, e: Entry, text: str) -> tuple[TaskRow, ...]:
    return task_rows(e)


FOLLOWUPS_VIEW = View(
    "followups",
    frozenset({"followups"}),
    _followups,
    encode=lambda data: (tuple(r.plain() for r in data.rows), tuple(tuple(h) for h in data.til)),
    decode=lambda plain: FollowUpData(
        tuple(FollowUpRow.from_plain(r) for r in plain[0]), tuple(Heading(*h) for h in plain[1])
    ),
)
TASKS_VIEW = View(
    "tasks",
    frozenset({"tasks"}),
    _tasks,
    encode=lambda rows: tuple(r.plain() for r in rows),
    decode=lambda plain: tuple(TaskRow.from_plain(r) for r in plain),
)


def _members_rows(
    ws: Workspace, view: View[V], author: str | None, scan: Scan | None
) -> tuple[list[Row[V]], list[DaylogError]]:
    """The view's rows of every dated entry in a member's folder (one member's, with `author`);
    `scan` is a walk of `logs/` (of that folder) already made."""
    rows, errors = load_view(ws, view, author, scan=scan)
    members = set(ws.settings.member_ids())  # a stray folder is `check`'s to report, not a member's work
    kept = [
        row
        for row in rows
        if row.date is not None
        and row.file.member
        and (not members or row.file.member in members)
        and (author is None or row.file.member == author)
    ]
    return kept, errors


def _items(row: Row[V], items: tuple[T, ...]) -> EntryItems[T]:
    assert row.date is not None  # `_members_rows` keeps dated entries only
    return EntryItems(row.file.rel, row.file.member, row.date, items)


def task_items(
    ws: Workspace, author: str | None, scan: Scan | None = None
) -> tuple[list[EntryItems[TaskRow]], list[DaylogError]]:
    """Assignment items of every dated entry in a member's folder (one member's, with `author`)."""
    rows, errors = _members_rows(ws, TASKS_VIEW, author, scan)
    return [_items(row, row.data) for row in rows], errors


def followup_items(
    ws: Workspace, author: str | None, scan: Scan | None = None
) -> tuple[list[EntryItems[FollowUpRow]], list[EntryItems[Heading]], list[DaylogError]]:
    """Follow-ups and TIL headings of every dated entry in a member's folder (one member's, with `author`)."""
    rows, errors = _members_rows(ws, FOLLOWUPS_VIEW, author, scan)
    return [_items(row, row.data.rows) for row in rows], [_items(row, row.data.til) for row in rows], errors


CONCEPTS_DIR = "concepts"
MAX_NOTES = 2000
NOTE_HEAD_BYTES = 8192
"""Only the start of a concept note is read: its names sit in the front matter."""


def concept_notes(ws: Workspace) -> list[ConceptNote]:
    """Names of the team's concept notes (`concepts/*.md`, regular files only, sorted; none
    without the folder), each read only as far as its front matter (`NOTE_HEAD_BYTES`)."""
    import os

    folder = ws.root / CONCEPTS_DIR
    if not os.path.realpath(folder).startswith(os.path.realpath(ws.root) + os.sep):
        return []  # a link out of the workspace
    try:
        found = sorted(
            e.name for e in os.scandir(folder) if e.name.endswith(".md") and e.is_file(follow_symlinks=False)
        )
    except OSError:
        return []
    out = []
    for name in found[:MAX_NOTES]:
        try:
            with open(folder / name, "rb") as fh:
                head = fh.read(NOTE_HEAD_BYTES).decode("utf-8", "replace").replace("\r\n", "\n")
        except OSError:
            continue  # unreadable: `daylog check` and the concepts wing name it
        out.append(concept_names(f"{CONCEPTS_DIR}/{name}", name[:-3], head))
    return out


def list_followups(
    ws: Workspace,
    today: date,
    *,
    author: str | None = None,
    status: Status | None = Status.OPEN,
    older_than: int | None = None,
    hints: bool = False,
) -> tuple[list[FollowUpRecord], list[DaylogError]]:
    """Follow-ups of the team (or one author), oldest first; `status=None` means all.

    `hints` fills `maybe_answered_in` of open ones from every member's TIL headings."""
    # Hints come from every member's TIL headings, kept in the same view: then read everyone's.
    everyone = None if hints else author
    entries, til, errors = followup_items(ws, everyone, ws.scan(everyone))
    if author is not None and everyone is None:
        folder = f"{ws.settings.logs_dir}/{author}/"
        entries = [e for e in entries if e.author == author]
        errors = [e for e in errors if (e.path or "").startswith(folder)]  # others' are not this listing's
    records = records_from_rows(entries, ws.settings.calendar, today, status=status)
    if older_than is not None:
        records = [r for r in records if r.age_days is not None and r.age_days > older_than]
    if hints and any(r.status is Status.OPEN for r in records):
        records = covered_in(records, til, ws.settings.calendar, concept_notes(ws))
    return records, errors


def author_filter(ws: Workspace, author: str | None, mine: bool) -> str | None:
    """`--author ID` / `--mine` of the listings → the member id to keep, or None for everyone."""
    if author and mine:
        raise UsageError("use --author or --mine, not both")
    if mine:
        return str(member_for(ws.settings, None, ws.root).id)
    if author is not None and ws.settings.members:
        return ws.settings.find_member(author).id
    return author


def followups_options(
    ws: Workspace, *, author: str | None = None, mine: bool = False, all_: bool = False, resolved: bool = False
) -> tuple[str | None, Status | None]:
    """`daylog followups` options as typed → (member id or None, status or None for all)."""
    if all_ and resolved:
        raise UsageError("use --all or --resolved, not both")
    who = author_filter(ws, author, mine)
    return who, None if all_ else (Status.RESOLVED if resolved else Status.OPEN)


class DoneResult(NamedTuple):
    """What `followups done` changed."""

    done: tuple[FollowUpRecord, ...]
    already: tuple[FollowUpRecord, ...]


def mark_followups_done(ws: Workspace, ids: Sequence[str], on: date, today: date) -> DoneResult:
    """Check the follow-ups in their origin files; nothing is written if any id is unknown.

    Each file is read, checked and replaced under the workspace's write lock, and its
    follow-ups are found again by id in what it holds then: a concurrent `done` or edit
    of another item is kept, never overwritten.
    """
    records, skipped = list_followups(ws, today, status=None)
    found = _found(ids, records, skipped)
    if on > today:
        raise DaylogError(f"{on} is in the future (today is {today})", hint="check --date")
    early = [r for r in found if r.status is Status.OPEN and on < r.raised_on]
    if early:
        r = early[0]
        raise DaylogError(f"{r.id} was raised on {r.raised_on}; it cannot be resolved on {on}", hint="check --date")
    already = tuple(r for r in found if r.status is Status.RESOLVED)
    todo = [r for r in found if r.status is Status.OPEN]
    by_path: dict[str, list[FollowUpRecord]] = {}
    for r in todo:
        by_path.setdefault(r.path, []).append(r)
    with locked(ws.root):
        for rel, recs in by_path.items():
            _mark_in_file(ws, rel, recs, on)
    return DoneResult(tuple(todo), already)


def _found(
    ids: Sequence[str], records: Sequence[FollowUpRecord], skipped: Sequence[DaylogError]
) -> list[FollowUpRecord]:
    """The records the ids name; a DaylogError with suggestions for unknown or ambiguous ones."""
    found, missing, ambiguous = resolve_ids(ids, records)
    if missing:
        hints = []
        for raw in missing:
            if len(raw.strip()) < 3:
                hints.append(f"{raw} (give at least 3 characters of an id)")
                continue
            close = suggest_ids(raw, records)
            hints.append(f"{raw}" + (f" (did you mean {', '.join(close)}?)" if close else ""))
        hint = "`daylog followups --all` lists every id"
        if skipped:  # e.g. the id's entry is mid-merge
            hint += f"; {len(skipped)} entr{'y' if len(skipped) == 1 else 'ies'} could not be read, first {skipped[0]}"
        raise DaylogError(f"unknown follow-up id: {'; '.join(hints)}", hint=hint)
    if ambiguous:
        raw, matches = ambiguous[0]
        where = ", ".join(f"{r.id} {r.path}:{r.line}" for r in matches)
        same = len({r.id for r in matches}) == 1  # one id twice: the same day written in two files
        raise DaylogError(
            f"follow-up id {raw} matches more than one item: {where}",
            hint="merge the duplicate entries `daylog check` reports" if same else "give more characters of the id",
        )
    return found


def _mark_in_file(ws: Workspace, rel: str, recs: Sequence[FollowUpRecord], on: date) -> None:
    """Check `recs` in their file as it is now (the caller holds the write lock)."""
    path = ws.root / rel
    original = read_entry_bytes(path, rel, ws.settings.max_entry_bytes)
    text = decode(original, rel)
    entry = ws.parse_text(text)
    if any(d.code == "conflict" for d in entry.diagnostics):
        raise DaylogError("has merge-conflict markers; resolve them first", path=rel)
    now = {row.id: row for row in followup_rows(entry, recs[0].author, recs[0].raised_on)}
    current = []
    for r in recs:
        row = now.get(r.id)
        if row is None or row.done:
            state = "was resolved meanwhile" if row is not None else "is no longer in it"
            raise DaylogError(f"follow-up {r.id} {state}; nothing was written", path=rel, line=r.line)
        current.append(r._replace(topic=row.topic, line=row.line, end=row.end, form=row.form))
    new = text
    for r in sorted(current, key=lambda r: r.line, reverse=True):  # bottom-up keeps line numbers valid
        try:
            new = mark_done_text(new, r, on, ws.parse_text)
        except ValueError as exc:
            raise DaylogError(str(exc), path=rel, line=r.line, hint="check it by hand") from None
    replace_checked(path, new, original, root=ws.root)


def list_tasks(
    ws: Workspace, today: date, *, author: str | None = None, include_done: bool = False
) -> tuple[list[TaskRecord], list[DaylogError]]:
    """Assignment items per member (open ones unless `include_done`)."""
    entries, errors = task_items(ws, author)
    return tasks_from_rows(entries, ws.settings.calendar, today, include_done=include_done), errors
