"""The entry model: what daylog reads from one daily entry, as plain values.

Pure: standard library only. `parse` builds these; every wing reads them.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from datetime import date
from typing import Any, NamedTuple

# --- values ------------------------------------------------------------------------


# The parsed values are NamedTuples rather than slotted dataclasses: a cold listing makes
# hundreds of thousands of them, and tuple construction is about five times cheaper.


class Severity(enum.Enum):
    ERROR = "error"
    WARNING = "warning"


class Diagnostic(NamedTuple):
    """Something wrong with an entry, found without stopping."""

    line: int
    """1-based line the problem is on (1 when it concerns the whole file)."""
    severity: Severity
    message: str
    code: str
    """Stable short name of the check, for scripts (e.g. `front-matter`)."""


class Section(NamedTuple):
    """A heading and the lines that belong to it."""

    key: str | None
    """The section alias key (`peer`, `followups`, `tasks`, …) or None for other headings."""
    title: str
    """Heading text without markup, as written (NFC)."""
    level: int
    line: int
    """Line of the heading."""
    end: int
    """Last line of the section's own body (before the next heading that ends it)."""
    start: int
    """Character offset of the heading line."""
    stop: int
    """Character offset just past the section's last line."""

    @property
    def body_lines(self) -> range:
        return range(self.line + 1, self.end + 1)


class Answer(NamedTuple):
    """One answer under a peer-session question."""

    answerer: str | None
    """Name as written (`지우`), or None when the answer names nobody."""
    text: str
    line: int


class Question(NamedTuple):
    """A peer-session question: who asked, what, and the answers written under it."""

    askers: tuple[str, ...]
    """Names as written in the entry (NFC), in order; empty when the item names nobody."""
    text: str
    answers: tuple[Answer, ...]
    line: int
    end: int


class FollowUpForm(enum.Enum):
    CHECKBOX = "checkbox"
    """`- [ ] topic: note`"""
    QUOTE = "quote"
    """`> ▪ **topic**` with `> note` lines"""
    BULLET = "bullet"
    """`- topic` with no checkbox"""


class FollowUp(NamedTuple):
    """An item of the "더 정리할 것" block: a topic to look into later."""

    topic: str
    note: str
    done: bool
    done_on: date | None
    """The `✅ YYYY-MM-DD` date written on a checked item."""
    form: FollowUpForm
    line: int
    end: int
    """Last line of the item (quote-form notes span several lines)."""
    ordinal: int
    """How many earlier follow-ups of this entry have the same topic (for stable ids)."""


class Task(NamedTuple):
    """A checklist item of the assignment section."""

    text: str
    """Item text after the checkbox, without a trailing `✅ date`."""
    done: bool
    done_on: date | None
    line: int
    depth: int
    """0 for top-level items, 1 for items nested under a label, …"""
    raw: str
    """The item's text after the checkbox exactly as written (for carry-over)."""


class Link(NamedTuple):
    """A Markdown link, autolink or bare URL outside code."""

    text: str
    url: str
    line: int
    section: str | None


class Entry(NamedTuple):
    """Everything daylog reads from one entry."""

    front_matter: Mapping[str, Any]
    front_matter_end: int
    """Line of the closing `---` (0 when there is no front matter)."""
    title: str | None
    date: date | None
    """Date from the front matter (`date`, or the common `data` typo)."""
    date_line: int | None
    time: str | None
    """The front matter's time of day and offset, as written, if any."""
    day: int | None
    """`day:` from the front matter."""
    title_day: int | None
    """Day number written in the title (`Day13`, `13일차`)."""
    author: str | None
    categories: tuple[str, ...]
    tags: tuple[str, ...]
    sections: tuple[Section, ...]
    questions: tuple[Question, ...]
    followups: tuple[FollowUp, ...]
    tasks: tuple[Task, ...]
    links: tuple[Link, ...]
    has_math: bool
    line_count: int
    diagnostics: tuple[Diagnostic, ...] = ()

    def section(self, key: str) -> Section | None:
        """The first section with alias key `key`."""
        for s in self.sections:
            if s.key == key:
                return s
        return None

    def sections_with(self, key: str) -> tuple[Section, ...]:
        return tuple(s for s in self.sections if s.key == key)
