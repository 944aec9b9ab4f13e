"""Follow-ups and assignment tasks across days: what is still open, and since when.

A follow-up lives in the entry that raised it and is never copied; its id is
derived from what it is (author, day, topic), not where it sits, so adding,
removing or reordering other items leaves it unchanged. An assignment task is
identified across days by (author, normalised text); its state is the latest
the author wrote. Pure: entries and `today` in, records out.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Generic, NamedTuple, TypeVar

from daylog.calendar import CourseCalendar

if TYPE_CHECKING:
    from daylog.entries.model import Entry

T = TypeVar("T")

_ID_ALPHABET = "0123456789abcdefghjkmnpqrstvwxyz"  # Crockford: no i, l, o, u
ID_LENGTH = 6


class Status(enum.Enum):
    OPEN = "open"
    RESOLVED = "resolved"


class EntryItems(NamedTuple, Generic[T]):
    """The items of one entry (follow-ups or tasks), with where and when it was written."""

    path: str
    author: str
    date: date
    items: tuple[T, ...]


class Covered(NamedTuple):
    """Where a later entry (or a concept note) seems to cover a follow-up's topic."""

    path: str
    line: int
    """Line of the matching heading (1 for a concept note)."""
    author: str | None
    """None for a concept note (the team's, undated)."""
    date: date | None
    day: int | None
    heading: str
    """The heading, or the concept note's title."""

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "author": self.author,
            "date": self.date.isoformat() if self.date else None,
            "day": self.day,
            "heading": self.heading,
        }


class FollowUpRecord(NamedTuple):
    """A follow-up with its identity, origin and status."""

    id: str
    """Six Crockford base-32 characters from author, date, topic (and its repeat count)."""
    author: str
    topic: str
    note: str
    raised_on: date
    raised_day: int | None
    status: Status
    resolved_on: date | None
    """The `✅ date` written when it was checked; None when open or not written."""
    path: str
    line: int
    end: int
    form: str
    """How it is written: `checkbox`, `quote` or `bullet` (an `entries.model.FollowUpForm` value)."""
    age_days: int | None
    """Course days from raising to today (open) or to its resolution date (resolved)."""
    maybe_answered_in: Covered | None = None
    """A later entry whose TIL heading matches the topic (`covered_in`): a hint, not a resolution."""

    def as_json(self) -> dict[str, object]:
        return {
            "id": self.id,
            "author": self.author,
            "topic": self.topic,
            "note": self.note,
            "raised_on": self.raised_on.isoformat(),
            "raised_day": self.raised_day,
            "status": self.status.value,
            "resolved_on": self.resolved_on.isoformat() if self.resolved_on else None,
            "path": self.path,
            "line": self.line,
            "age_days": self.age_days,
            "maybe_answered_in": self.maybe_answered_in.as_json() if self.maybe_answered_in else None,
        }


_DONE_MARK = re.compile(r"(?<!\s)\s*+✅\s*+(\d{4}-\d{2}-\d{2})?\s*$")
"""A trailing `✅ date`. Tried only where a blank run starts, and a run is never given back: a
plain "blanks, then ✅" pattern is retried from every blank of a long run (#12: 64 KB cost seconds)."""


def normalize_text(text: str) -> str:
    """Identity of an item's text: NFC, case-folded, single spaces, no trailing `✅ date`."""
    text = unicodedata.normalize("NFC", text)
    if "✅" in text:
        text = _DONE_MARK.sub("", text)
    return " ".join(text.casefold().split())


def followup_id(author: str, raised_on: date, topic: str, ordinal: int = 0, *, normalized: str | None = None) -> str:
    """The stable id of a follow-up (documented in the README); pass `normalized` when known."""
    import hashlib

    text = normalize_text(topic) if normalized is None else normalized
    key = f"{author}\x1f{raised_on.isoformat()}\x1f{text}\x1f{ordinal}"
    n = int.from_bytes(hashlib.sha1(key.encode("utf-8")).digest()[:8], "big")
    chars = []
    for _ in range(ID_LENGTH):
        n, r = divmod(n, 32)
        chars.append(_ID_ALPHABET[r])
    return "".join(chars)


class FollowUpRow(NamedTuple):
    """A follow-up as the parse cache keeps it: what a record needs besides its entry."""

    id: str
    """Six Crockford base-32 characters from author, date, topic (and its repeat count)."""
    topic: str
    note: str
    done: bool
    done_on: date | None
    form: str
    line: int
    end: int

    def plain(self) -> tuple[str, str, str, bool, int, str, int, int]:
        return (*self[:4], self.done_on.toordinal() if self.done_on else 0, self.form, self.line, self.end)

    @classmethod
    def from_plain(cls, value: tuple[str, str, str, bool, int, str, int, int]) -> FollowUpRow:
        ident, topic, note, done, done_on, form, line, end = value
        return cls(ident, topic, note, done, date.fromordinal(done_on) if done_on else None, form, line, end)


def followup_rows(entry: Entry, author: str, raised_on: date) -> tuple[FollowUpRow, ...]:
    """An entry's follow-ups with their ids (the same topic twice in one entry: the 2nd gets its own)."""
    seen: dict[str, int] = {}
    rows: list[FollowUpRow] = []
    for f in entry.followups:
        key = normalize_text(f.topic)
        ordinal = seen.get(key, 0)
        seen[key] = ordinal + 1
        ident = followup_id(author, raised_on, f.topic, ordinal, normalized=key)
        rows.append(FollowUpRow(ident, f.topic, f.note, f.done, f.done_on, f.form.value, f.line, f.end))
    return tuple(rows)


def records_from_rows(
    entries: Iterable[EntryItems[FollowUpRow]],
    calendar: CourseCalendar,
    today: date,
    *,
    status: Status | None = None,
) -> list[FollowUpRecord]:
    """Follow-up records of the given entries (all, or those of one status), oldest first."""
    out: list[FollowUpRecord] = []
    today_n = calendar.days_through(today)
    for entry in entries:
        raised_day = calendar.day_number(entry.date)
        raised_n = calendar.days_through(entry.date)
        for row in entry.items:
            row_status = Status.RESOLVED if row.done else Status.OPEN
            if status is not None and row_status is not status:
                continue
            if row.done:
                age = max(0, calendar.days_through(row.done_on) - raised_n) if row.done_on is not None else None
            else:
                age = max(0, today_n - raised_n)
            out.append(
                FollowUpRecord(
                    id=row.id,
                    author=entry.author,
                    topic=row.topic,
                    note=row.note,
                    raised_on=entry.date,
                    raised_day=raised_day,
                    status=row_status,
                    resolved_on=row.done_on if row.done else None,
                    path=entry.path,
                    line=row.line,
                    end=row.end,
                    form=row.form,
                    age_days=age,
                )
            )
    out.sort(key=lambda r: (r.raised_on, r.author, r.line))
    return out


def resolve_ids(
    wanted: Sequence[str], records: Sequence[FollowUpRecord]
) -> tuple[list[FollowUpRecord], list[str], list[tuple[str, list[FollowUpRecord]]]]:
    """Records for ids (or unique prefixes of 3+ characters): (found, unknown, ambiguous).

    Each record is returned once however often it was asked for. An id shared by two
    items (two files for one member and day) is ambiguous, never guessed.
    """
    found: list[FollowUpRecord] = []
    missing: list[str] = []
    ambiguous: list[tuple[str, list[FollowUpRecord]]] = []
    for raw in wanted:
        key = raw.strip().lower()
        matches = [r for r in records if r.id == key]
        if not matches and len(key) >= 3:
            matches = [r for r in records if r.id.startswith(key)]
        if not matches:
            missing.append(raw)
        elif len(matches) > 1:
            ambiguous.append((raw, matches))
        elif matches[0] not in found:
            found.append(matches[0])
    return found, missing, ambiguous


def suggest_ids(wanted: str, records: Sequence[FollowUpRecord], n: int = 3) -> list[str]:
    """Ids that look like `wanted` (typos, swapped characters)."""
    import difflib

    return difflib.get_close_matches(wanted.lower(), [r.id for r in records], n=n, cutoff=0.5)


# --- resolving in the origin file ---------------------------------------------------


def mark_done_text(text: str, rec: FollowUpRecord, on: date, reparse: Callable[[str], Entry] | None = None) -> str:
    """`text` with one follow-up checked and dated; every other byte unchanged.

    The result is parsed again to prove the item kept its identity (same topic, so the
    same id) and is now resolved; a quote-form topic is written plain when its bold
    form would read back differently.
    """
    from daylog.entries.parse import parse

    reparse = reparse or parse
    others = sorted((f.topic, f.done) for f in reparse(text).followups if f.line != rec.line)
    for candidate in _done_candidates(text, rec, on):
        entry = reparse(candidate)
        mine = [f for f in entry.followups if f.line == rec.line]
        rest = sorted((f.topic, f.done) for f in entry.followups if f.line != rec.line)
        if len(mine) == 1 and mine[0].done and mine[0].topic == rec.topic and rest == others:
            return candidate
    raise ValueError(f"cannot check follow-up {rec.topic!r} without changing what it says")


def _done_candidates(text: str, rec: FollowUpRecord, on: date) -> Iterator[str]:
    lines = text.split("\n")
    first = rec.line - 1
    stamp = f" ✅ {on.isoformat()}"
    if rec.form == "quote":
        block = lines[first : rec.end]
        head = re.match(r"^([ \t]*)>[ \t]*(?:▪️?|■|•|◾|◼️?)[ \t]*(.*?)([ \t]*\r?)$", block[0])
        if head is None:
            return
        indent, written, eol = head.group(1), head.group(2), head.group(3).lstrip(" \t")
        notes = []
        for raw in block[1:]:
            m = re.match(r"^([ \t]*)>[ \t]?(.*?)(\r?)$", raw)
            if m is None:
                notes.append(raw)
            else:
                notes.append(f"{indent}  {m.group(2)}{m.group(3)}" if m.group(2).strip() else m.group(3))
        for topic in dict.fromkeys((written, f"**{rec.topic}**", rec.topic)):
            yield "\n".join([*lines[:first], f"{indent}- [x] {topic}{stamp}{eol}", *notes, *lines[rec.end :]])
        return
    line = lines[first]
    cr = "\r" if line.endswith("\r") else ""
    body = line[: len(line) - len(cr)]
    stripped = body.rstrip(" \t")
    trailing = body[len(stripped) :]
    marker = re.match(r"^([ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+)", stripped)
    if marker is None:
        return
    rest = stripped[marker.end() :]
    if rec.form == "checkbox":
        if not rest.startswith("[ ]"):
            return
        rest = "[x]" + rest[3:]
    else:
        rest = "[x] " + rest
    lines[first] = f"{marker.group(1)}{rest}{stamp}{trailing}{cr}"
    yield "\n".join(lines)


# --- assignment tasks ---------------------------------------------------------------


class TaskRecord(NamedTuple):
    """An assignment item followed across one member's entries."""

    author: str
    text: str
    """As written the last time."""
    done: bool
    first_on: date
    first_day: int | None
    last_on: date
    """The latest entry that lists it."""
    done_on: date | None
    """The `✅ date`, else the date of the entry where it was first seen checked."""
    open_days: int
    """Course days from first appearance to today (open) or to when it was done."""
    path: str
    line: int
    """Where it was last written."""

    def as_json(self) -> dict[str, object]:
        return {
            "author": self.author,
            "text": self.text,
            "status": "done" if self.done else "open",
            "first_on": self.first_on.isoformat(),
            "first_day": self.first_day,
            "last_on": self.last_on.isoformat(),
            "done_on": self.done_on.isoformat() if self.done_on else None,
            "open_days": self.open_days,
            "path": self.path,
            "line": self.line,
        }


class TaskRow(NamedTuple):
    """An assignment item as the parse cache keeps it."""

    text: str
    done: bool
    done_on: date | None
    line: int

    def plain(self) -> tuple[str, bool, int, int]:
        return (self.text, self.done, self.done_on.toordinal() if self.done_on else 0, self.line)

    @classmethod
    def from_plain(cls, value: tuple[str, bool, int, int]) -> TaskRow:
        text, done, done_on, line = value
        return cls(text, done, date.fromordinal(done_on) if done_on else None, line)


def task_rows(entry: Entry) -> tuple[TaskRow, ...]:
    return tuple(TaskRow(t.text, t.done, t.done_on, t.line) for t in entry.tasks)


class _TaskState:
    """One item's state while walking one member's entries in date order."""

    __slots__ = ("done", "done_on", "first", "last", "line", "path", "text")

    def __init__(self, first: date) -> None:
        self.first = first
        self.done_on: date | None = None

    def saw(self, entry: EntryItems[TaskRow], row: TaskRow) -> None:
        """The item as written in `entry`, the latest so far."""
        self.text, self.done, self.last, self.path, self.line = row.text, row.done, entry.date, entry.path, row.line
        if not row.done:
            self.done_on = None
        elif self.done_on is None:
            self.done_on = row.done_on or entry.date


def tasks_from_rows(
    entries: Iterable[EntryItems[TaskRow]], calendar: CourseCalendar, today: date, *, include_done: bool = True
) -> list[TaskRecord]:
    """Each member's assignment items with their latest state, in order of first appearance
    (the open ones only, without `include_done`: most items of a course are done)."""
    state: dict[tuple[str, str], _TaskState] = {}
    for entry in sorted(entries, key=lambda e: (e.author, e.date, e.path)):
        for row in entry.items:
            key = (entry.author, normalize_text(row.text))
            if key not in state:
                state[key] = _TaskState(entry.date)
            state[key].saw(entry, row)
    return [
        TaskRecord(
            author=author,
            text=st.text,
            done=st.done,
            first_on=st.first,
            first_day=calendar.day_number(st.first),
            last_on=st.last,
            done_on=st.done_on,
            open_days=calendar.course_days_between(st.first, st.done_on or today),
            path=st.path,
            line=st.line,
        )
        for (author, _), st in state.items()
        if include_done or not st.done
    ]


def carry_over(previous: Entry | None, already: Iterable[str] = ()) -> list[str]:
    """Open items of the author's previous entry, text exactly as written, without duplicates."""
    if previous is None:
        return []
    seen = {normalize_text(t) for t in already}
    out: list[str] = []
    for task in previous.tasks:
        key = normalize_text(task.text)
        if task.done or key in seen:
            continue
        seen.add(key)
        out.append(task.raw)
    return out


# --- follow-ups a later entry seems to cover -------------------------------------------

_WORD = re.compile(r"[^\W_]+")
_PARTICLES = (
    *("으로", "에서", "에게", "이란", "이라", "과의", "와의"),
    *("의", "은", "는", "이", "가", "을", "를", "에", "와", "과", "로", "도", "란"),
)
"""Particles dropped from the end of a Hangul word before comparing (`LSTM의 gate` is `LSTM gate`)."""
MIN_KEY = 2
"""A side shorter than this (after normalising) matches nothing: `x` is in every heading."""


class Heading(NamedTuple):
    """A heading of an entry's TIL section, as the parse cache keeps it."""

    title: str
    line: int


def til_headings(entry: Entry, key: str = "til") -> tuple[Heading, ...]:
    """The headings under the entry's TIL section(s): the topics the author wrote up that day."""
    out: list[Heading] = []
    for s in entry.sections:
        if s.key != key:
            continue
        out.extend(Heading(t.title, t.line) for t in entry.sections if s.line < t.line <= s.end and t.level > s.level)
    return tuple(out)


def topic_words(text: str) -> tuple[str, ...]:
    """A topic or heading as compared: NFC, case-folded, punctuation dropped, a trailing
    particle cut from each Hangul word (`Attention의` → `attention`)."""
    return tuple(_without_particle(w) for w in _WORD.findall(unicodedata.normalize("NFC", text).casefold()))


def _without_particle(word: str) -> str:
    if "\uac00" <= word[-1] <= "\ud7a3":
        for p in _PARTICLES:
            if word.endswith(p) and len(word) > len(p) + 1:
                return word[: -len(p)]
    return word


def covers(topic: str, heading: str) -> bool:
    """True when the heading is about the topic: every word of one is inside the other's
    text (spaces aside, so `배치 정규화` meets `배치정규화의 효과`), Korean particles ignored."""
    a, b = topic_words(topic), topic_words(heading)
    if not a or not b:
        return False
    joined_a, joined_b = "".join(a), "".join(b)
    if len(joined_a) < MIN_KEY or len(joined_b) < MIN_KEY:
        return False
    return all(w in joined_b for w in a) or all(w in joined_a for w in b)


class ConceptNote(NamedTuple):
    """A concept note's names, as `concept_names` reads them from its front matter."""

    path: str
    title: str
    aliases: tuple[str, ...]


def concept_names(path: str, stem: str, head: str) -> ConceptNote:
    """The title (else the file stem) and aliases of a concept note from the start of its text.

    Reads only `title: …` and `aliases: [a, b]` (or `aliases:` with `- a` lines) of the front
    matter: the concepts wing owns the format, this needs just the names.
    """
    lines = head.split("\n")
    title, aliases = stem, []
    if lines and lines[0].strip() == "---":
        in_aliases = False
        for line in lines[1:]:
            if line.strip() == "---":
                break
            key, _, value = line.partition(":")
            if in_aliases and line.lstrip().startswith("- "):
                aliases.append(line.lstrip()[2:].strip().strip("\"'"))
                continue
            in_aliases = key.strip() == "aliases" and not value.strip()
            if key.strip() == "title" and value.strip():
                title = value.strip().strip("\"'")
            elif key.strip() == "aliases" and value.strip().startswith("["):
                aliases += [a.strip().strip("\"'") for a in value.strip().strip("[]").split(",") if a.strip()]
    return ConceptNote(path, title, tuple(a for a in aliases if a))


def names(topic: str, name: str) -> bool:
    """True when a concept's name (title, file name, alias) is the topic: every word of the
    topic is inside the name (as `covers`, one way only: a note on `LSTM` is no hint for
    `LSTM 파라미터 수`, which a TIL heading `LSTM` may well be)."""
    a, b = topic_words(topic), "".join(topic_words(name.replace("-", " ")))
    return bool(a) and len("".join(a)) >= MIN_KEY and all(w in b for w in a)


def covered_in(
    records: Sequence[FollowUpRecord],
    entries: Iterable[EntryItems[Heading]],
    calendar: CourseCalendar,
    notes: Sequence[ConceptNote] = (),
) -> list[FollowUpRecord]:
    """The records, each open one with the first entry written after it (by anyone, the
    author included) whose TIL heading covers its topic (`covers`), else a concept note whose
    title, file name or an alias names it (`names`), as `maybe_answered_in`."""
    ordered = sorted((e for e in entries if e.items), key=lambda e: (e.date, e.author, e.path))
    out = []
    for r in records:
        hint = None
        if r.status is Status.OPEN:
            hint = next(
                (
                    Covered(e.path, h.line, e.author, e.date, calendar.day_number(e.date), h.title)
                    for e in ordered
                    if e.date > r.raised_on
                    for h in e.items
                    if covers(r.topic, h.title)
                ),
                None,
            ) or next(
                (
                    Covered(n.path, 1, None, None, None, n.title)
                    for n in notes
                    if any(names(r.topic, name) for name in (n.title, n.path.rsplit("/", 1)[-1][:-3], *n.aliases))
                ),
                None,
            )
        out.append(r._replace(maybe_answered_in=hint) if hint else r)
    return out
