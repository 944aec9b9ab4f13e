"""Aggregate pages split so that each stays small at any team size (#16).

Pure. The follow-ups, tasks, questions and issues pages are rendered from the same template
once per chunk of their items. A listing that fits one page is `questions.md`; a longer one
has its chunks on pages of their own, each ending in a pager to the landing page and its
neighbours, and `questions.md` (the address in the navigation) is its landing page: the
team-wide figures and the list of the pages. Chunks are bounded in items, which bounds both a
page's HTML and every search section on it (Zensical refuses a section of more than 32,768
token positions; Material's index and the browser slow down long before that).

Incremental by construction (#17): where a chunk ends is decided by its items (`chunks`), a
chunk's address by its first item (`chunk_paths`: `questions/3f9a1c.md`, not `questions/7.md`),
and only the landing page states totals or counts pages. So one item added, removed or moved
changes the landing page and the page that holds it (and when it splits or joins a chunk, that
chunk's neighbours): `daylog site serve` renders two or three listing pages again, never all
of them, and no page moves to another address because an earlier one grew.
"""

from __future__ import annotations

import posixpath
import zlib
from collections.abc import Callable, Sequence
from typing import TypeVar

T = TypeVar("T")

PER_PAGE = {"followups": 200, "tasks": 250, "questions": 200, "issues": 60}
"""Items per page, at most: at 3,000 entries the largest page stays near 50 KB of HTML, and
rendering one again on a save takes about 40 ms."""
LANDING_NEWEST = 10
"""The newest open follow-ups and questions on a split listing's landing page."""
CALENDAR_MONTHS = 6
"""Month calendars on a member's page, the newest first; older days are in the member's archive."""
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
    Items that fit one run are one run.
    """
    if len(items) <= size:
        return [items]  # it fits one page (none is one empty page: the page still exists)
    least, every = max(1, size // 4), max(1, size // 2)
    out: list[Sequence[T]] = []
    start = 0
    for i, item in enumerate(items):
        n = i + 1 - start
        if n >= size or (n >= least and _crc(key(item)) % every == 0):
            out.append(items[start : i + 1])
            start = i + 1
    if start < len(items):
        out.append(items[start:])
    return out


def _crc(key: str) -> int:
    """A key's CRC-32: the same in every process (Python's `hash` of a str is not)."""
    return zlib.crc32(key.encode("utf-8", "surrogatepass"))


def landing(name: str) -> str:
    """The page of listing `name` in the navigation: all of it, or its landing page when split."""
    return f"{name}.md"


def chunk_paths(name: str, first_keys: Sequence[str]) -> list[str]:
    """The address of each chunk of listing `name`, from the key of its first item: it stays
    while that item leads the chunk, whatever happens to the chunks before it."""
    out: list[str] = []
    taken: set[str] = set()
    for key in first_keys:
        base = f"{_crc(key):08x}"[:6]
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        taken.add(slug)
        out.append(f"{name}/{slug}.md")
    return out


def pager(name: str, before: str | None, after: str | None) -> str:
    """The Markdown line at the end of a chunk page: the landing page, the chunks before and after.

    No page numbers or counts: those change with every chunk that comes or goes before it."""
    links = [f"[목록](../{name}.md)"]
    if before:
        links.append(f"[← 이전]({posixpath.basename(before)})")
    if after:
        links.append(f"[다음 →]({posixpath.basename(after)})")
    return f"\n---\n\n{' · '.join(links)}\n{{: .daylog-pager }}\n"
