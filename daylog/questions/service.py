"""The Q&A ledger of a workspace: `daylog questions` and the site's Questions page call this.

Reads every entry through the parse cache (`workspace.cache.View`), so a warm listing parses only
what changed, then hands plain rows to the pure `questions.ledger`.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from daylog.questions.ledger import (
    EntryQuestions,
    NameMap,
    QuestionRecord,
    QuestionRow,
    question_rows,
    records_from_rows,
)
from daylog.workspace.cache import View, load_view

if TYPE_CHECKING:
    from daylog.entries.model import Entry
    from daylog.errors import DaylogError
    from daylog.workspace.files import EntryFile, Workspace


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
    names = NameMap(ws.settings.members)
    return records_from_rows(entries, ws.settings.calendar, names, asker=asker, week=week), errors
