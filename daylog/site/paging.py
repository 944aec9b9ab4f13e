"""Aggregate pages split so that each stays small at any team size (#16).

Pure. The follow-ups, tasks, questions and issues pages are rendered from the same template
once per chunk of their items: page 1 keeps its path (`questions.md`, so navigation and links
stay), page k is `questions/k.md`, and every page ends with a pager. Chunks are counted in
items, which bounds both a page's HTML and every search section on it (Zensical refuses a
section of more than 32,768 token positions; Material's index and the browser slow down
long before that).
"""

from __future__ import annotations

import posixpath
from collections.abc import Sequence
from typing import TypeVar

T = TypeVar("T")

PER_PAGE = {"followups": 400, "tasks": 500, "questions": 300, "issues": 120}
"""Items per page: at 3,000 entries the largest page stays near 100 KB of HTML."""
CALENDAR_MONTHS = 6
"""Month calendars on a member's page, the newest first; older days are in the entry list below them."""
PERSON_QUESTIONS = 20
"""Questions asked and answered shown on a member's page (newest first); the rest are on the questions pages."""


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    """`items` in runs of `size`; one empty run when there are none (the page still exists)."""
    if not items:
        return [items]
    return [items[i : i + size] for i in range(0, len(items), size)]


def path(name: str, k: int) -> str:
    """Page `k` (from 1) of the pages called `name`."""
    return f"{name}.md" if k == 1 else f"{name}/{k}.md"


def pager(name: str, k: int, pages: int, *, first: int, last: int, total: int) -> str:
    """The Markdown line at the end of page `k`: which items it holds and a link to every page."""
    if pages <= 1:
        return ""
    here = path(name, k)
    links = []
    for i in range(1, pages + 1):
        if i == k:
            links.append(f"**{i}**")
        else:
            rel = posixpath.relpath(path(name, i), posixpath.dirname(here) or ".")
            links.append(f"[{i}]({rel})")
    return f"\n---\n\n전체 {total}개 중 {first}–{last} · 페이지 {' · '.join(links)}\n{{: .daylog-pager }}\n"
