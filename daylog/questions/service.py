"""The Q&A ledger of a workspace: `daylog questions` and the site's Questions page call this.

Reads every entry through the parse cache (`workspace.cache.View`), so a warm listing parses only
what changed, then hands plain rows to the pure `questions.ledger`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, NamedTuple

from daylog.errors import DaylogError
from daylog.questions.ledger import (
    EntryQuestions,
    LineHit,
    NameMap,
    QuestionRecord,
    QuestionRow,
    merge_write_ups,
    question_rows,
    rank_like,
    records_from_rows,
)
from daylog.workspace.cache import View, load_view

if TYPE_CHECKING:
    from collections.abc import Iterable

    from daylog.entries.model import Entry
    from daylog.workspace.files import EntryFile, Workspace
    from daylog.workspace.settings import Settings


def _questions(f: EntryFile, e: Entry, text: str) -> tuple[QuestionRow, ...]:
    return question_rows(e) if f.member else ()


QUESTIONS_VIEW = View(
    "questions",
    frozenset({"questions"}),
    _questions,
    encode=lambda rows: tuple(q.plain() for q in rows),
    decode=lambda plain: tuple(QuestionRow.from_plain(q) for q in plain),
)


def list_questions(
    ws: Workspace, *, author: str | None = None, asker: str | None = None, week: int | None = None
) -> tuple[list[QuestionRecord], list[DaylogError]]:
    """Every peer-session question of the team (or of one author's entries), oldest first."""
    rows, errors = load_view(ws, QUESTIONS_VIEW)
    entries = [
        EntryQuestions(row.file.rel, row.file.member, row.date, row.data)
        for row in rows
        if row.date is not None and row.data and row.file.member and author in (None, row.file.member)
    ]
    return ledger(ws.settings, entries, asker=asker, week=week), errors


def ledger(
    settings: Settings, entries: Iterable[EntryQuestions], *, asker: str | None = None, week: int | None = None
) -> list[QuestionRecord]:
    """The records of entries' question rows (`questions.ledger.question_rows` of each parse):
    `list_questions` reads the rows through the parse cache, the site from the entries it parsed."""
    return records_from_rows(entries, settings.calendar, NameMap(settings.members), asker=asker, week=week)


class Like(NamedTuple):
    """What `daylog questions --like` found."""

    ranked: list[tuple[QuestionRecord, float]]
    """Questions like the text with their score (higher is better), best first."""
    errors: list[DaylogError]
    notes: list[str]
    """Why the search index could not be kept on disk, if it could not."""


def like_questions(
    ws: Workspace,
    text: str,
    *,
    until: date,
    author: str | None = None,
    asker: str | None = None,
    week: int | None = None,
    limit: int | None = 10,
) -> Like:
    """Earlier questions (on or before `until`) whose question or answers resemble `text`.

    The search index (`daylog search`'s, restricted to the peer-session section) finds the
    lines, the ledger groups them back into questions by path and line range; a question
    several members wrote up is listed once, with every write-up's answers.
    """
    from daylog.search.service import similar_lines  # sqlite3 only for --like

    records, errors = list_questions(ws, author=author, asker=asker, week=week)
    hits, _unindexed, notes = similar_lines(ws, text, sections=("peer",), until=until)
    ranked = merge_write_ups(rank_like(records, (LineHit(h.rel, h.line, h.score) for h in hits), until=until))
    return Like(ranked[:limit], errors, notes)
