"""Aggregate pages split so that each stays small at any team size (#16).

Pure. The follow-ups, tasks, questions and issues pages are rendered from the same template
once per chunk of their items. A listing that fits one page is `questions.md`; a longer one
has its chunks on `questions/1.md`, `questions/2.md`, … each ending in a pager, and
`questions.md` (the address in the navigation) is its landing page: the team-wide figures and
a list of the pages. Chunks are bounded in items, which bounds both a page's HTML and every
search section on it (Zensical refuses a section of more than 32,768 token positions;
Material's index and the browser slow down long before that).

Where a chunk ends is decided by its items, not by counting from the top (`chunks`), and only
the landing page states totals: one item added, removed or moved changes the landing page and
the pages that hold it, not every page after it. That is what lets `daylog site serve` render
an added or deleted entry again in a few pages instead of all fifty of a 3,000-entry site (#17).
"""

from __future__ import annotations

import zlib
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

PER_PAGE = {"followups": 400, "tasks": 500, "questions": 300, "issues": 120}
"""Items per page: at 3,000 entries the largest page stays near 100 KB of HTML."""
CALENDAR_MONTHS = 6
"""Month calendars on a member's page, the newest first; older days are in the entry list below them."""
PERSON_NEWEST = 20
"""Entries, questions asked and answered, and open follow-ups shown on a member's page (newest
first); the rest are on the member's archive and the questions and follow-ups pages. So a
member's page stays small, and another member's entry (a question they answered) renders it
again in a few milliseconds rather than with the member's whole history."""


def chunks(items: Sequence[T], size: int, key: Callable[[T], str]) -> list[Sequence[T]]:
    """`items` in runs of at most `size`, cut where the items say (content-defined chunking).

    A run ends after an item whose `key` hashes to a multiple of `size // 2` once the run holds
    `size // 4` items, and at `size` items at the latest: runs hold a quarter of `size` to all of
    it, three quarters on average. Cuts depend on the keys near them, so adding or removing an
    item changes only its own run (rarely it also moves the next cut, or splits or joins a run).
    One empty run when there are none (the page still exists).
    """
    if not items:
        return [items]
    least, every = max(1, size // 4), max(1, size // 2)
    out: list[Sequence[T]] = []
    start = 0
    for i, item in enumerate(items):
        n = i + 1 - start
        if n >= size or (n >= least and zlib.crc32(key(item).encode("utf-8", "surrogatepass")) % every == 0):
            out.append(items[start : i + 1])
            start = i + 1
    if start < len(items):
        out.append(items[start:])
    return out


def landing(name: str) -> str:
    """The page of listing `name` in the navigation: all of it, or its landing page when split."""
    return f"{name}.md"


def path(name: str, k: int) -> str:
    """Chunk `k` (from 1) of a split listing `name`."""
    return f"{name}/{k}.md"


def pager(name: str, k: int, pages: int) -> str:
    """The Markdown line at the end of chunk `k`: the landing page and a link to every chunk."""
    links = [f"**{i}**" if i == k else f"[{i}]({i}.md)" for i in range(1, pages + 1)]
    return f"\n---\n\n[목록](../{name}.md) · 페이지 {' · '.join(links)}\n{{: .daylog-pager }}\n"
