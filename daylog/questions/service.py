"""The Q&A ledger of a workspace: `daylog questions` and the site's Questions page call this.

Reads every entry through the parse cache (`workspace.cache.View`), so a warm listing parses only
what changed, then hands plain rows to the pure `questions.ledger`.
"""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from daylog.questions.ledger import (
    MemberCount,
    NameMap,
    QuestionRecord,
    group_questions,
    member_counts,
    question_rows,
    records_from_rows,
)
from daylog.workspace.cache import View, load_view

if TYPE_CHECKING:
    from daylog.entries.model import Entry
    from daylog.errors import DaylogError
    from daylog.workspace.files import EntryFile, Workspace


def _extract(f: EntryFile, e: Entry) -> tuple[int, tuple[object, ...]]:
    d = f.date or e.date
    if d is None or not f.member or not e.questions:
        return (d.toordinal() if d else 0, ())
    return (d.toordinal(), question_rows(e))


QUESTIONS_VIEW = View("questions", 2, frozenset({"questions"}), _extract)


def list_questions(
    ws: Workspace, *, author: str | None = None, asker: str | None = None, week: int | None = None
) -> tuple[list[QuestionRecord], list[DaylogError]]:
    """Every peer-session question of the team (or of one author's entries), oldest first."""
    rows, errors = load_view(ws, QUESTIONS_VIEW)
    plain = []
    for row in rows:
        ordinal, items = row.data
        if not ordinal or not items or not row.file.member:
            continue
        if author is not None and row.file.member != author:
            continue
        plain.append((row.file.rel, row.file.member, date.fromordinal(ordinal), items))
    names = NameMap(ws.settings.members)
    return records_from_rows(plain, ws.settings.calendar, names, asker=asker, week=week), errors


def question_counts(ws: Workspace) -> tuple[list[MemberCount], list[DaylogError]]:
    """Per member: questions asked and questions answered, over the whole ledger; a question
    several members wrote up on the same day counts once (`ledger.group_questions`)."""
    records, errors = list_questions(ws)
    return member_counts(group_questions(records), ws.settings.member_ids()), errors
