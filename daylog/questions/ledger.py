"""The peer-session Q&A ledger: who asked what, who answered, across every entry.

Entries keep names as teammates write them (`엠제이`, `MJ`, `동현님`); the ledger maps
each name to a member id when it is a member's id, name or alias (NFC, case-insensitive
for Latin letters, a trailing `님` ignored), and keeps the name as written otherwise.
Pure: entries and settings in, plain records out.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from daylog.calendar import CourseCalendar
    from daylog.entries.model import Entry
    from daylog.workspace.settings import Member

PlainQuestion = tuple[tuple[str, ...], str, tuple[tuple[str | None, str, int], ...], int, int]


class AnswerRow(NamedTuple):
    """An answer as the parse cache keeps it: the name as written."""

    answerer: str | None
    text: str
    line: int


class QuestionRow(NamedTuple):
    """A question as the parse cache keeps it: names as written, answers under it."""

    askers: tuple[str, ...]
    text: str
    answers: tuple[AnswerRow, ...]
    line: int
    end: int = 0
    """Last line of the item, its answers included (0: as `line`)."""

    def plain(self) -> PlainQuestion:
        answers = tuple((a.answerer, a.text, a.line) for a in self.answers)
        return (self.askers, self.text, answers, self.line, self.end)

    @classmethod
    def from_plain(cls, value: PlainQuestion) -> QuestionRow:
        askers, text, answers, line, end = value
        return cls(tuple(askers), text, tuple(AnswerRow(*a) for a in answers), line, end)


class EntryQuestions(NamedTuple):
    """The questions of one entry, with where and when it was written."""

    path: str
    author: str
    date: date
    items: tuple[QuestionRow, ...]


@dataclass(frozen=True, slots=True)
class AnswerRecord:
    answerer: str | None
    """Member id when the name maps to a member, else the name as written; None when unnamed."""
    text: str
    line: int = 0
    """Line in the entry (1-based), so the site can leave out what sits in a private section."""


@dataclass(frozen=True, slots=True)
class QuestionRecord:
    """One question of the ledger."""

    askers: tuple[str, ...]
    """Member ids where the name maps to a member, else the names as written (NFC)."""
    text: str
    answers: tuple[AnswerRecord, ...]
    date: date
    day: int | None
    """Course day of the entry (None on a weekend or holiday)."""
    author: str
    """Member id of the entry that records the question."""
    path: str
    line: int
    end: int = 0
    """Last line of the question's item, answers included (0: unknown, as `line`)."""

    def as_json(self) -> dict[str, Any]:
        return {
            "askers": list(self.askers),
            "text": self.text,
            "answers": [{"answerer": a.answerer, "text": a.text} for a in self.answers],
            "date": self.date.isoformat(),
            "day": self.day,
            "author": self.author,
            "path": self.path,
            "line": self.line,
        }


@dataclass(frozen=True, slots=True)
class MemberCount:
    """How many questions a member asked and answered in the ledger."""

    member: str
    asked: int
    answered: int
    """Questions with at least one answer by the member."""


def question_rows(entry: Entry) -> tuple[QuestionRow, ...]:
    return tuple(
        QuestionRow(q.askers, q.text, tuple(AnswerRow(*a) for a in q.answers), q.line, q.end) for q in entry.questions
    )


@functools.lru_cache(maxsize=4096)
def _key(name: str) -> str:
    """A written name as compared: NFC, case-folded, a trailing `님` dropped (a team writes few names)."""
    name = unicodedata.normalize("NFC", name).strip()
    if name.endswith("님") and len(name) > 1:
        name = name[:-1].rstrip()
    return name.casefold()


class NameMap:
    """Written names → member ids (id, display name and aliases of each member)."""

    def __init__(self, members: Iterable[Member]) -> None:
        self._ids: dict[str, str] = {}
        for m in members:
            for name in (m.id, m.name, *m.aliases):
                if name:
                    self._ids.setdefault(_key(name), m.id)

    def member_of(self, name: str) -> str | None:
        return self._ids.get(_key(name))

    def resolve(self, name: str) -> str:
        """The member id for `name`, else the name as written (NFC)."""
        return self.member_of(name) or unicodedata.normalize("NFC", name)


def records_from_rows(
    entries: Iterable[EntryQuestions],
    calendar: CourseCalendar,
    names: NameMap,
    *,
    asker: str | None = None,
    week: int | None = None,
) -> list[QuestionRecord]:
    """Ledger records from (path, author, date, rows) per entry, oldest first.

    `asker` keeps questions asked by that person: a member (by id, name or alias) or a
    name as written. `week` keeps course week N (`calendar.week_number`).
    """
    wanted = (names.member_of(asker) or _key(asker)) if asker is not None else None
    bounds = calendar.week_bounds(week) if week is not None else None
    out: list[QuestionRecord] = []
    for entry in sorted(entries, key=lambda e: (e.date, e.author, e.path)):
        if bounds is not None and not bounds[0] <= entry.date <= bounds[1]:
            continue
        day = calendar.day_number(entry.date)
        for q in entry.items:
            ids = tuple(names.resolve(a) for a in q.askers)
            if wanted is not None and not any(i == wanted or _key(i) == wanted for i in ids):
                continue
            answers = tuple(
                AnswerRecord(names.resolve(a.answerer) if a.answerer else None, a.text, a.line) for a in q.answers
            )
            out.append(QuestionRecord(ids, q.text, answers, entry.date, day, entry.author, entry.path, q.line, q.end))
    return out


# --- the same question written up by several members ----------------------------------

_TRAILING = re.compile(r"[\s?？!！.。~…]+$")


def question_key(record: QuestionRecord) -> tuple[date, tuple[str, ...], str]:
    """What makes two records one question: the day, the askers (in any order) and the text
    (NFC, case-folded, single spaces, trailing `?`/`!`/`.` and the like dropped)."""
    text = " ".join(unicodedata.normalize("NFC", record.text).casefold().split())
    return (record.date, tuple(sorted(set(record.askers))), _TRAILING.sub("", text))


@dataclass(frozen=True, slots=True)
class QuestionGroup:
    """One peer-session question and every entry that recorded it.

    Several members often write up the same session: the ledger keeps one record per entry
    (each with its own `path:line`), a group is what the team asked once.
    """

    records: tuple[QuestionRecord, ...]
    """The records, in ledger order (date, author, path); the first one speaks for the group."""

    @property
    def first(self) -> QuestionRecord:
        return self.records[0]

    @property
    def askers(self) -> tuple[str, ...]:
        return self.first.askers

    @property
    def text(self) -> str:
        return self.first.text

    @property
    def date(self) -> date:
        return self.first.date

    @property
    def day(self) -> int | None:
        return self.first.day

    @property
    def answers(self) -> tuple[AnswerRecord, ...]:
        """Every record's answers, each (answerer and text, spaces and case aside) once."""
        seen: set[tuple[str | None, str]] = set()
        out = []
        for r in self.records:
            for a in r.answers:
                key = (a.answerer, " ".join(unicodedata.normalize("NFC", a.text).casefold().split()))
                if key not in seen:
                    seen.add(key)
                    out.append(a)
        return tuple(out)


def group_questions(records: Iterable[QuestionRecord]) -> list[QuestionGroup]:
    """Records of the same question (`question_key`) as one group each, in order of first record."""
    groups: dict[tuple[date, tuple[str, ...], str], list[QuestionRecord]] = {}
    for r in records:
        groups.setdefault(question_key(r), []).append(r)
    return [QuestionGroup(tuple(rs)) for rs in groups.values()]


def member_counts(records: Iterable[QuestionRecord | QuestionGroup], member_ids: Sequence[str]) -> list[MemberCount]:
    """Asked/answered counts per member (every member listed, in settings order), over
    records or over groups (a question several members wrote up then counts once)."""
    asked = dict.fromkeys(member_ids, 0)
    answered = dict.fromkeys(member_ids, 0)
    for r in records:
        for a in set(r.askers):
            if a in asked:
                asked[a] += 1
        for w in {a.answerer for a in r.answers if a.answerer}:
            if w in answered:
                answered[w] += 1
    return [MemberCount(m, asked[m], answered[m]) for m in member_ids]


# --- unanswered questions, and earlier questions like a new one -------------------------


def unanswered(records: Sequence[QuestionRecord]) -> list[QuestionRecord]:
    """The records of questions nobody answered: no answer under it in any entry that wrote
    it up (`group_questions`), so a teammate's write-up with the answer counts."""
    open_ = {id(r) for g in group_questions(records) if not g.answers for r in g.records}
    return [r for r in records if id(r) in open_]


class LineHit(NamedTuple):
    """A line the search index matched: where, and how well (higher is better)."""

    path: str
    line: int
    score: float


def rank_like(
    records: Sequence[QuestionRecord], hits: Iterable[LineHit], *, until: date | None = None, limit: int | None = None
) -> list[tuple[QuestionRecord, float]]:
    """Questions whose item (question or answer lines) holds the hits, best first.

    A question's score is the sum of its lines' scores, so one whose question and answer
    both resemble the text ranks before one that shares a word; among equals, the newest
    first. Questions dated after `until` are left out (an answer cannot come from the future).
    """
    by_path: dict[str, list[QuestionRecord]] = {}
    for r in records:
        if until is None or r.date <= until:
            by_path.setdefault(r.path, []).append(r)
    scores: dict[int, float] = {}
    keep: dict[int, QuestionRecord] = {}
    for h in hits:
        for r in by_path.get(h.path, ()):
            if r.line <= h.line <= max(r.end, r.line):
                scores[id(r)] = scores.get(id(r), 0.0) + h.score
                keep[id(r)] = r
                break
    ranked = sorted(keep.values(), key=lambda r: (-scores[id(r)], -r.date.toordinal(), r.path, r.line))
    return [(r, scores[id(r)]) for r in ranked[:limit]]


def merge_write_ups(ranked: Iterable[tuple[QuestionRecord, float]]) -> list[tuple[QuestionRecord, float]]:
    """Ranked records with the write-ups of one question (`question_key`) as one: the best
    ranked record speaks for it, with every write-up's answers, each once (`QuestionGroup`)."""
    at: dict[tuple[date, tuple[str, ...], str], int] = {}
    groups: list[list[QuestionRecord]] = []
    scores: list[float] = []
    for r, score in ranked:
        key = question_key(r)
        if key in at:
            groups[at[key]].append(r)
        else:
            at[key] = len(groups)
            groups.append([r])
            scores.append(score)
    return [(replace(g[0], answers=QuestionGroup(tuple(g)).answers), s) for g, s in zip(groups, scores, strict=True)]
