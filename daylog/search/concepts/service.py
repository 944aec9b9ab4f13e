"""The concepts of a workspace on disk: `daylog concepts`, `daylog concept new`, `check` and the site.

Notes are the `*.md` files right inside `concepts/` (not `README.md` nor `index.md`), read
like entries (`workspace.files`): a regular file inside the workspace, at most `MAX_NOTE_BYTES`,
UTF-8; a link leading out, a FIFO or a huge file is refused without being read, as an error
`check` names. Entries are read through the parse cache (`workspace.cache.View`), so a warm
listing stats the files and parses only what changed; only dated entries of member folders count,
and private sections are never read for mentions.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from daylog.errors import DaylogError, UsageError
from daylog.search.concepts.catalog import Catalog, Concept, EntryLines, Source, build, entry_lines
from daylog.search.concepts.names import slug
from daylog.search.concepts.notes import Note, read_note, scaffold
from daylog.search.concepts.wikilinks import clean, name_problem
from daylog.workspace.cache import View, load_view
from daylog.workspace.files import decode, read_entry_bytes

if TYPE_CHECKING:
    from daylog.entries.lint import Finding
    from daylog.entries.model import Entry
    from daylog.workspace.files import EntryFile, Workspace

CONCEPTS_DIR = "concepts"
"""The notes' folder, at the workspace's root."""
MAX_NOTE_BYTES = 256 * 1024
"""A note is a definition and some links: larger files are refused, never read."""
_NOT_NOTES = frozenset({"readme.md", "index.md"})


@dataclass(frozen=True, slots=True)
class Listing:
    """The concepts, and what could not be read on the way."""

    catalog: Catalog
    errors: tuple[DaylogError, ...]
    """Entries and notes that could not be read (refused, not UTF-8, merge conflicts)."""


def view(ws: Workspace) -> View[EntryLines]:
    """Each entry's wikilinks and public lines, kept while the file and the private sections stay."""
    private = tuple(ws.settings.private_sections)

    def extract(f: EntryFile, e: Entry, text: str) -> EntryLines:
        return entry_lines(text, e, private)

    return View(
        "concepts",
        frozenset(),
        extract,
        encode=lambda v: v.plain(),
        decode=EntryLines.from_plain,
        key=repr(sorted(private)),
    )


def notes_folder(ws: Workspace) -> Path:
    return ws.root / CONCEPTS_DIR


def read_notes(ws: Workspace) -> tuple[list[Note], list[DaylogError]]:
    """Every note under `concepts/`, and the files refused or unreadable there."""
    folder = notes_folder(ws)
    notes: list[Note] = []
    errors: list[DaylogError] = []
    root = os.path.realpath(ws.root)
    try:
        found = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return notes, errors
    real = os.path.realpath(folder)
    if not real.startswith(root + os.sep):
        hint = "replace the link with the folder itself"
        return notes, [DaylogError("is a link leading outside the workspace; not read", path=CONCEPTS_DIR, hint=hint)]
    for e in found:
        if e.name.startswith(".") or not e.name.endswith(".md") or e.name.lower() in _NOT_NOTES:
            continue
        rel = f"{CONCEPTS_DIR}/{e.name}"
        try:
            text = _read(e, rel, root)
        except DaylogError as exc:
            errors.append(exc)
            continue
        notes.append(read_note(rel, e.name[:-3], text))
    return notes, errors


def _read(e: os.DirEntry[str], rel: str, root: str) -> str:
    """A note's text; a DaylogError for a link leading out, a folder, a FIFO, a huge or non-UTF-8 file."""
    hint = "keep only notes (Markdown files) in concepts/"
    if e.is_symlink() and not os.path.realpath(e.path).startswith(root + os.sep):
        raise DaylogError("is a link leading outside the workspace; not read", path=rel, hint=hint)
    try:
        st = e.stat()
    except OSError:
        raise DaylogError("is a broken link", path=rel, hint=hint) from None
    if not stat.S_ISREG(st.st_mode):
        raise DaylogError("is not a regular file; not read", path=rel, hint=hint)
    return decode(read_entry_bytes(e.path, rel, MAX_NOTE_BYTES), rel)


def sources(ws: Workspace) -> tuple[list[Source], list[DaylogError]]:
    """What each dated entry of a member folder gives the concepts."""
    rows, errors = load_view(ws, view(ws))
    members = set(ws.settings.member_ids())
    out = [
        Source(r.file.rel, r.file.member, r.date, r.data)
        for r in rows
        if r.date is not None and r.file.member and (not members or r.file.member in members)
    ]
    return out, errors


def listing(ws: Workspace) -> Listing:
    """Every concept of the workspace, with its mentions."""
    notes, note_errors = read_notes(ws)
    found, errors = sources(ws)
    return Listing(build(notes, found), (*note_errors, *errors))


def find(catalog: Catalog, name: str) -> Concept:
    """The concept `name` is, or a DaylogError saying which names there are."""
    concept = catalog.resolve(name)
    if concept is not None:
        return concept
    import difflib

    names = [c.name for c in catalog.concepts]
    close = difflib.get_close_matches(name, names, n=3, cutoff=0.5)
    hint = f"did you mean {', '.join(close)}?" if close else "`daylog concepts` lists them"
    raise DaylogError(f"no concept named {name!r}", hint=hint)


def new_note(ws: Workspace, name: str, aliases: tuple[str, ...] = ()) -> Path:
    """Write `concepts/<slug>.md` for `name`; never over a note that exists (by file or by name)."""
    from daylog.workspace.writes import inside, locked, write_new

    title = clean(name)
    for n in (title, *aliases):
        problem = name_problem(clean(n))
        if problem:
            raise UsageError(f"concept name {clean(n)[:40]!r} {problem}")
    folder = notes_folder(ws)
    path = folder / f"{slug(title)}.md"
    with locked(ws.root):
        notes, _ = read_notes(ws)
        taken = build(notes, []).resolve(title)
        if taken is not None and taken.note is not None:
            raise DaylogError(f"concept {title!r} already has a note", path=taken.note.path, hint="edit that file")
        if folder.is_symlink() or folder.exists():
            inside(folder, ws.root)
        folder.mkdir(exist_ok=True)
        try:
            write_new(path, scaffold(title, tuple(clean(a) for a in aliases)), root=ws.root)
        except FileExistsError:
            raise DaylogError("already exists; not overwritten", path=ws.rel(path), hint="edit that file") from None
    return path


def findings(ws: Workspace) -> list[Finding]:
    """What `check` says about the concepts: notes that cannot be read or clash, and (with the
    setting `concepts_require_note`) wikilinks to a concept that has no note."""
    from daylog.entries.lint import Finding
    from daylog.entries.model import Severity

    notes, errors = read_notes(ws)
    out = [Finding(str(e.path or CONCEPTS_DIR), e.line or 1, Severity.ERROR, _said(e), "concept-note") for e in errors]
    out += [
        Finding(n.path, line, Severity.ERROR, message, "concept-note") for n in notes for line, message in n.problems
    ]
    if not ws.settings.concepts_require_note:
        return out + [Finding(p, line, Severity.WARNING, m, "concept-note") for p, line, m in build(notes, []).problems]
    found, _ = sources(ws)  # unreadable entries are the check view's to report
    catalog = build(notes, found)
    out += [Finding(p, line, Severity.WARNING, m, "concept-note") for p, line, m in catalog.problems]
    for src in found:
        for line, name, _ in src.data.links:
            concept = catalog.resolve(name)
            if concept is None or concept.note is None:
                hint = f"write one with `daylog concept new {name}`, or unset `concepts_require_note`"
                message = f"[[{name}]] links to a concept with no note in {CONCEPTS_DIR}/ ({hint})"
                out.append(Finding(src.path, line, Severity.WARNING, message, "concept-no-note"))
    return out


def _said(e: DaylogError) -> str:
    return e.message + (f" ({e.hint})" if e.hint else "")
