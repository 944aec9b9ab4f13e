"""The team's concepts: every note and every wikilinked name, with the lines that mention each.

`entry_lines` keeps what one entry contributes (its wikilinks and its public lines, code
masked), small enough for the parse cache; `build` joins those with the notes. A wikilink
resolves by its name's `names.key` to a note's title, file stem or alias, else by its slug to a
note's file, else it names a concept of its own (no note yet). A mention is one line of an
entry: one that wikilinks the concept, or names it or an alias in plain text (`names.Mentions`).
Lines of private sections are never kept. Pure: the standard library, `entries` (model,
markdown) and `concepts`.
"""

from __future__ import annotations

import bisect
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any, NamedTuple

from daylog.entries.markdown import LineIndex, mask_code
from daylog.entries.model import Entry
from daylog.search.concepts.names import Mentions, key, slug
from daylog.search.concepts.notes import Note
from daylog.search.concepts.wikilinks import scan


class EntryLines(NamedTuple):
    """What one entry gives the concepts (the parse cache keeps it, as plain tuples)."""

    links: tuple[tuple[int, str, str | None], ...]
    """(line, name, label) of each well-formed wikilink on a public line."""
    lines: tuple[tuple[int, str], ...]
    """(line, text) of each public, non-blank line after the front matter (NFC, stripped)."""
    lowered: str
    """Those lines with code blanked, lower-cased and joined by newlines (what mentions are found in)."""

    def plain(self) -> tuple[Any, ...]:
        return (self.links, self.lines, self.lowered)

    @classmethod
    def from_plain(cls, value: tuple[Any, ...]) -> EntryLines:
        links, lines, lowered = value
        return cls(tuple(tuple(x) for x in links), tuple(tuple(x) for x in lines), lowered)


def hidden_lines(entry: Entry, private: Iterable[str]) -> set[int]:
    """1-based lines of the private sections (their headings included)."""
    keys = set(private)
    out: set[int] = set()
    for s in entry.sections:
        if keys and s.key in keys:
            out.update(range(s.line, s.end + 1))
    return out


def entry_lines(text: str, entry: Entry, private: Iterable[str]) -> EntryLines:
    """The wikilinks and public lines of one entry."""
    text = text.removeprefix("\ufeff")
    hidden = hidden_lines(entry, private)
    first = entry.front_matter_end + 1
    links, _ = scan(text, first_line=first)
    masked = mask_code(text).split("\n")
    kept: list[tuple[int, str]] = []
    lowered: list[str] = []
    for n, raw in enumerate(text.split("\n"), start=1):
        if n < first or n in hidden or not raw.strip():
            continue
        kept.append((n, unicodedata.normalize("NFC", raw.strip())))
        lowered.append(unicodedata.normalize("NFC", masked[n - 1]).lower())
    public = [(w.line, w.name, w.label) for w in links if w.line not in hidden]
    return EntryLines(tuple(public), tuple(kept), "\n".join(lowered))


class Source(NamedTuple):
    """One dated entry of a member, with what it gives the concepts."""

    path: str
    member: str
    date: date
    data: EntryLines


@dataclass(frozen=True, slots=True)
class Mention:
    """One line of an entry that mentions a concept."""

    path: str
    member: str
    date: date
    line: int
    text: str
    """The line as written, without its indentation."""
    wikilink: bool
    """The line wikilinks the concept (else it names it in plain text)."""


@dataclass(frozen=True, slots=True)
class Concept:
    """A concept: a note, or a name some entry wikilinks, or both."""

    id: str
    """Its slug: the note's file stem and the page's path (`concepts/<id>/`)."""
    name: str
    note: Note | None
    aliases: tuple[str, ...]
    mentions: tuple[Mention, ...] = ()
    """Oldest first."""

    @property
    def wikilinks(self) -> int:
        return sum(m.wikilink for m in self.mentions)

    @property
    def members(self) -> tuple[str, ...]:
        return tuple(sorted({m.member for m in self.mentions}))


@dataclass(frozen=True, slots=True)
class Catalog:
    """Every concept, by name; how to find one."""

    concepts: tuple[Concept, ...]
    """Sorted by name (case-folded)."""
    problems: tuple[tuple[str, int, str], ...] = ()
    """(path, line, message) of notes that clash (two notes for one concept, one alias for two)."""
    _keys: dict[str, str] = field(default_factory=dict, repr=False)
    """`names.key` of each title, stem and alias → concept id."""

    def by_id(self) -> dict[str, Concept]:
        return {c.id: c for c in self.concepts}

    def resolve(self, name: str) -> Concept | None:
        """The concept `name` (a title, alias, file stem or wikilinked name, any case) is."""
        found = self._keys.get(key(name)) or self._keys.get(key(slug(name)))
        return self.by_id().get(found) if found else None


class _Index:
    """Names → concept ids, from the notes."""

    def __init__(self, notes: Sequence[Note]) -> None:
        self.notes: dict[str, Note] = {}
        self.keys: dict[str, str] = {}
        self.problems: list[tuple[str, int, str]] = []
        for note in sorted(notes, key=lambda n: n.path):
            other = self.notes.get(note.id)
            if other is not None:
                self.problems.append(
                    (note.path, 1, f"is a second note for concept {other.title!r} ({other.path}); merge them")
                )
                continue
            self.notes[note.id] = note
        for note in self.notes.values():  # titles and stems first: an alias never takes another note's name
            for k in (key(note.title), key(note.id)):
                self.keys.setdefault(k, note.id)
        for note in self.notes.values():
            for alias in note.aliases:
                owner = self.keys.setdefault(key(alias), note.id)
                if owner != note.id:
                    self.problems.append(
                        (note.path, 1, f"alias {alias!r} is already a name of {self.notes[owner].title!r}")
                    )

    def resolve(self, name: str) -> str:
        """The id of the note `name` is, else the slug of the note-less concept it names."""
        found = self.keys.get(key(name))
        if found is not None:
            return found
        s = slug(name)
        return s if s in self.notes else self.keys.get(key(s), s)


def build(notes: Sequence[Note], sources: Sequence[Source]) -> Catalog:
    """Every concept with its mentions, oldest first."""
    index = _Index(notes)
    spelled: dict[str, str] = {}  # id of a note-less concept → its first spelling
    linked = [
        name for src in sorted(sources, key=lambda s: (s.date, s.member, s.path)) for _, name, _ in src.data.links
    ]
    linked += [w.name for note in index.notes.values() for w in scan(note.body)[0]]  # a note's links have pages too
    for name in linked:
        cid = index.resolve(name)
        if cid not in index.notes:
            spelled.setdefault(cid, name)
    names: dict[str, tuple[str, ...]] = {cid: n.names for cid, n in index.notes.items()}
    names.update({cid: (name,) for cid, name in spelled.items()})
    finders = {cid: Mentions(words) for cid, words in names.items()}
    found: dict[str, list[Mention]] = {cid: [] for cid in names}
    for src in sorted(sources, key=lambda s: (s.date, s.member, s.path)):
        for cid, mentions in _mentions(src, index, finders).items():
            found[cid].extend(mentions)
    concepts = []
    for cid, words in names.items():
        note = index.notes.get(cid)
        concepts.append(Concept(cid, words[0], note, note.aliases if note else (), tuple(found[cid])))
    concepts.sort(key=lambda c: (key(c.name), c.id))
    keys = dict(index.keys)
    for cid, name in spelled.items():
        keys.setdefault(key(name), cid)
        keys.setdefault(key(cid), cid)
    return Catalog(tuple(concepts), tuple(index.problems), keys)


def _mentions(src: Source, index: _Index, finders: dict[str, Mentions]) -> dict[str, list[Mention]]:
    """The lines of one entry that mention each concept."""
    data = src.data
    numbers = [n for n, _ in data.lines]
    texts = dict(data.lines)
    linked: dict[str, set[int]] = {}
    for line, name, _ in data.links:
        linked.setdefault(index.resolve(name), set()).add(line)
    starts: list[int] | None = None
    out: dict[str, list[Mention]] = {}
    for cid, finder in finders.items():
        lines = set(linked.get(cid, ()))
        offsets = finder.offsets(data.lowered)
        if offsets:
            starts = starts or list(LineIndex.of(data.lowered).starts)
            lines.update(numbers[bisect.bisect_right(starts, o) - 1] for o in offsets)
        if lines:
            wiki = linked.get(cid, set())
            out[cid] = [Mention(src.path, src.member, src.date, n, texts.get(n, ""), n in wiki) for n in sorted(lines)]
    return out
