"""The entry parser.

`parse` turns the text of one daily entry into plain data: front matter, sections
found by heading alias, and the items inside them (peer-session questions with their
answers, follow-ups, assignment tasks, links), each with its line numbers and
character offsets so that an edit can touch one item and nothing else.

It never raises: whatever is wrong becomes a `Diagnostic` with a line number.
It reads in steps, each in its own function or module: front matter (`frontmatter`) →
headings → sections → items (`peer`, `checklists`, over the trees of `items`) → links →
diagnostics. Pure: standard library and yaml only.
"""

from __future__ import annotations

import bisect
import functools
import itertools
import re
import unicodedata
from collections.abc import Iterable, Iterator
from typing import NamedTuple

from daylog.entries import checklists
from daylog.entries.frontmatter import front_matter_line, parse_date_value, read_front_matter
from daylog.entries.items import MAX_DEPTH, items, nfc
from daylog.entries.markdown import RESIDUE, LineIndex, atx_heading, mask_code
from daylog.entries.model import Diagnostic, Entry, FollowUp, Link, Question, Section, Severity, Task
from daylog.entries.peer import name_only, peer_questions, split_names
from daylog.entries.sections import DEFAULT_SECTIONS, MARKUP, MARKUP_CHARS, SectionMatcher, normalize_heading

__all__ = [
    "ALL_PARTS",
    "MAX_DEPTH",
    "SectionMatcher",
    "default_matcher",
    "filled_lines",
    "front_matter_line",
    "name_only",
    "normalize_heading",
    "parse",
    "parse_date_value",
    "section_at",
    "section_is_filled",
    "split_names",
]

ALL_PARTS = frozenset({"meta", "questions", "followups", "tasks", "links"})
"""What `parse` can read; `meta` is the front matter's values (its extent is always found)."""


@functools.cache
def default_matcher() -> SectionMatcher:
    return SectionMatcher(DEFAULT_SECTIONS)


class _Text(NamedTuple):
    """The entry's text in the forms the steps read."""

    text: str
    lines: list[str]
    masked: str
    """The text with code fences and HTML comments blanked (offsets and line numbers kept)."""
    masked_lines: list[str]
    body_line: int
    """First line after the front matter."""


def parse(
    text: str,
    *,
    matcher: SectionMatcher | None = None,
    known_names: frozenset[str] = frozenset(),
    parts: frozenset[str] = ALL_PARTS,
) -> Entry:
    """Read one entry. Never raises; problems are in `Entry.diagnostics`.

    `parts` limits what is read (a listing that needs only follow-ups skips the rest;
    without `meta` the front matter is stepped over, not read); sections are always read.
    """
    text = text.removeprefix("\ufeff")
    lines = text.split("\n")
    front = read_front_matter(text, lines, values="meta" in parts)
    masked = mask_code(text, inline=False)
    page = _Text(text, lines, masked, lines if masked is text else masked.split("\n"), front.end + 1)
    sections = _sections(_headings(masked, front.body_start, page.body_line), matcher or default_matcher(), page)
    questions = _questions(page, sections, known_names) if "questions" in parts else []
    followups, followup_problems = _followups(page, sections) if "followups" in parts else ([], [])
    tasks, task_problems = _tasks(page, sections) if "tasks" in parts else ([], [])
    links, math = _links_and_math(page, front.body_start, sections) if "links" in parts else ([], False)
    problems = [*front.diagnostics, *_conflicts(text, front.end), *followup_problems, *task_problems]
    return Entry(
        front_matter=front.values,
        front_matter_end=front.end,
        title=front.title,
        date=front.date,
        date_line=front.date_line,
        time=front.time,
        day=front.day,
        title_day=front.title_day,
        author=front.author,
        categories=front.categories,
        tags=front.tags,
        sections=tuple(sections),
        questions=tuple(questions),
        followups=tuple(followups),
        tasks=tuple(tasks),
        links=tuple(links),
        has_math=bool(front.values.get("math") or front.values.get("use_math")) or math,
        line_count=len(lines),
        diagnostics=tuple(sorted(problems, key=lambda d: d.line)),
    )


# --- headings and sections -----------------------------------------------------------

_HTML_HEADING = re.compile(r"^[ \t]*+<h(?P<level>[1-6])\b[^>]*>(?P<text>.*?)</h(?P=level)>[ \t\r]*$", re.M | re.I)
_HTML_HEADING_START = re.compile(r"<[hH]")
_TAG = re.compile(r"<[^<>]*>")
"""A tag: `[^<>]`, so that a heading of `<<<<…` costs its length, not its length squared."""


_Heading = tuple[int, int, str, int, str]
"""(line, level, text as written, offset, shown title): a plain tuple, as one is made for every heading read."""


def _headings(masked: str, start: int, line: int) -> list[_Heading]:
    """ATX and `<hN>` headings of the masked text from offset `start`, which begins `line`."""
    heads = _atx_headings(masked, start, line)
    if _HTML_HEADING_START.search(masked):
        index = LineIndex.of(masked)
        for m in _HTML_HEADING.finditer(masked, start):
            text = _TAG.sub("", m.group("text")).strip()
            heads.append((index.line_of(m.start()), int(m.group("level")), text, m.start(), _shown(text)))
        heads.sort()
    return heads


def _atx_headings(masked: str, start: int, line: int) -> list[_Heading]:
    """The `#` headings from offset `start`, which begins `line`."""
    heads = []
    last = start
    for m in _HEADING_LINE.finditer(masked, start):
        heading = _atx_heading(m.group())
        if heading is not None:
            line += masked.count("\n", last, m.start())
            last = m.start()
            heads.append((line, heading[0], heading[1], m.start(), heading[2]))
    return heads


_HEADING_LINE = re.compile(r"^ {0,3}#[^\n]*", re.M)
"""A line that may be a heading (`markdown.atx_heading` then reads it)."""


@functools.lru_cache(maxsize=4096)
def _atx_heading(line: str) -> tuple[int, str, str] | None:
    """(level, text, shown title) of a heading line; cached, as a team's template headings recur in every entry."""
    heading = atx_heading(line)
    if heading is None:
        return None
    return heading[0], heading[1], _shown(heading[1])


def _shown(text: str) -> str:
    """A heading's text as shown: without markup, NFC."""
    return nfc(MARKUP.sub("", text)).strip() if MARKUP_CHARS.intersection(text) else nfc(text)


def _sections(heads: list[_Heading], matcher: SectionMatcher, page: _Text) -> list[Section]:
    """Each heading's section: up to the next heading of its level or above, or of another named section."""
    keys = [matcher.key_of(text) for _, _, text, _, _ in heads]
    out = []
    for i, (line, level, _, offset, shown) in enumerate(heads):
        end, stop = len(page.lines), len(page.text)
        for j in range(i + 1, len(heads)):
            later_line, later_level, _, later_offset, _ = heads[j]
            if later_level <= level or keys[j] not in (None, keys[i]):
                end, stop = later_line - 1, later_offset
                break
        out.append(Section(keys[i], shown, level, line, end, offset, stop))
    return out


def _bodies(page: _Text, sections: list[Section], key: str) -> Iterator[tuple[Section, list[str]]]:
    """(section, masked body lines) of the `key` sections; one inside another of its key is read with it.

    Sections nest or do not meet, and come in order: one is inside an earlier one of its key
    exactly when it starts within the last one read (not a look back over every earlier one).
    """
    last_end = 0
    for s in sections:
        if s.key == key and s.line > last_end:
            last_end = s.end
            yield s, page.masked_lines[s.line : s.end]


# --- items -----------------------------------------------------------------------------


def _questions(page: _Text, sections: list[Section], known: frozenset[str]) -> list[Question]:
    return [q for s, body in _bodies(page, sections, "peer") for q in peer_questions(body, s.line + 1, known)]


_NOT_MARKERS = frozenset({"peer", "followups", "reminders", "tasks"})
_NFD_PILYO = unicodedata.normalize("NFD", "필요")


def _followups(page: _Text, sections: list[Section]) -> tuple[list[FollowUp], list[Diagnostic]]:
    """The follow-up blocks' items and the placeholders elsewhere, by line, with their repeat counts."""
    found: list[FollowUp] = []
    problems: list[Diagnostic] = []
    for s, body in _bodies(page, sections, "followups"):
        items_, more = checklists.followups(body, s.line + 1)
        found += items_
        problems += more
    found += _marker_followups(page, sections)
    return checklists.numbered(sorted(found, key=lambda f: f.line)), problems


def _marker_followups(page: _Text, sections: list[Section]) -> list[FollowUp]:
    """`추후 보완 필요` placeholders outside the named blocks (decomposed Hangul composed, if only that is there)."""
    if "필요" in page.masked:
        lines = page.masked_lines
    elif _NFD_PILYO in page.masked:
        lines = unicodedata.normalize("NFC", page.masked).split("\n")
    else:
        return []
    return checklists.marker_followups(_outside(lines, page, sections, _NOT_MARKERS))


_NOT_TASKS = frozenset({"peer", "followups", "reminders"})
_CHECKLIKE = re.compile(r"^[ \t]*+(?:[-*+]|\d{1,3}[.)])[ \t]++(?:\[[ xX]\]|.*[✅☑])", re.M)
"""An item with a box or a ✅. Possessive blanks: `[ \\t]+` backed off one blank at a time before `.*`
took a 64 KB line of `-   …   x` 12.9 s (#12)."""


def _tasks(page: _Text, sections: list[Section]) -> tuple[list[Task], list[Diagnostic]]:
    """The assignment sections' checklists; without one, the checklist items outside the other blocks."""
    if not any(s.key == "tasks" for s in sections):
        if not _CHECKLIKE.search(page.masked):
            return [], []
        lines = _outside(page.masked_lines, page, sections, _NOT_TASKS)
        return checklists.tasks(items(lines, 1))[0], []  # stray checkboxes: the day's tasks, but no warnings
    found: list[Task] = []
    problems: list[Diagnostic] = []
    for s, body in _bodies(page, sections, "tasks"):
        tasks, more = checklists.tasks(items(body, s.line + 1))
        found += tasks
        problems += more
    return found, problems


def _outside(lines: list[str], page: _Text, sections: Iterable[Section], skip: frozenset[str]) -> list[str]:
    """The lines (from line 1) with the front matter and the `skip` sections blanked."""
    out = ["" if n < page.body_line else raw for n, raw in enumerate(lines, 1)]
    for s in sections:
        if s.key in skip:
            for i in range(s.line - 1, min(s.end, len(out))):
                out[i] = ""
    return out


# --- links and math --------------------------------------------------------------------

_LINK = re.compile(
    r"!?\[(?P<text>(?:[^\[\]\n]|\[[^\[\]\n]*\])*)\]\((?P<url>[^()\s]+(?:\([^()\s]*\)[^()\s]*)*)(?:\s+\"[^\"]*\")?\)"
)
_AUTOLINK = re.compile(r"<(?P<url>https?://[^>\s]+)>")
_BARE_URL = re.compile(r"(?<![(\[<\"'=])\bhttps?://[^\s<>\]\)]+")
_MATH = re.compile(r"\$\$|(?<![\\$\w])\$(?!\s)[^$\n]+(?<!\s)\$(?![\w$])|\\\(|\\\[")


def _links_and_math(page: _Text, start: int, sections: list[Section]) -> tuple[list[Link], bool]:
    """Links outside code, each with its line and section, and whether the body writes TeX math."""
    prose = mask_code(page.masked, comments=False)  # inline code blanked too
    math = ("$" in prose or "\\" in prose) and _MATH.search(prose, start) is not None  # as in `_links`
    return _links(prose, LineIndex.of(page.text, page.lines), start, sections), math


def _links(prose: str, index: LineIndex, start: int, sections: list[Section]) -> list[Link]:
    """Links in `prose` (text with code and comments blanked), from offset `start`."""
    if "](" not in prose and "http" not in prose:  # no link to find, but the searches would try every offset
        return []
    found: list[tuple[int, str, str]] = []
    taken: list[tuple[int, int]] = []
    for m in _LINK.finditer(prose, start):
        found.append((m.start(), m.group("text"), m.group("url")))
        taken.append(m.span())
    for m in _AUTOLINK.finditer(prose, start):
        found.append((m.start(), m.group("url"), m.group("url")))
        taken.append(m.span())
    inside = _Spans(taken)
    for m in _BARE_URL.finditer(prose, start):
        if not inside.holds(m.start()):
            url = m.group(0).rstrip(".,;:!?'\"")
            found.append((m.start(), url, url))
    keys = _KeyRuns(sections)
    out = []
    for offset, text, url in sorted(found):
        line = index.line_of(offset)
        out.append(Link(text, url, line, keys.at(line)))
    return out


# --- diagnostics -----------------------------------------------------------------------

_CONFLICT = re.compile(r"^(?:<{7}(?: |$)|={7}$|>{7}(?: |$))", re.M)


def _conflicts(text: str, fm_end: int) -> list[Diagnostic]:
    """The first merge-conflict marker after the front matter.

    Only looked for when `<<<<<<<` or `>>>>>>>` is there: alone, `=======` is a heading underline.
    """
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return []
    line, last = 1, 0
    for m in _CONFLICT.finditer(text):
        line += text.count("\n", last, m.start())  # counted on from the last marker: many in the front matter
        last = m.start()
        if line > fm_end:
            return [Diagnostic(line, Severity.ERROR, "unresolved merge-conflict marker", "conflict")]
    return []


# --- sections of a parsed entry --------------------------------------------------------


class _KeyRuns:
    """The key of the innermost named section holding each line, as runs of lines: looked up by bisection.

    Built in one pass over the sections, which nest or do not meet (see `_bodies`); asking
    each section about each line made an entry of many headings and links quadratic (#12).
    """

    __slots__ = ("keys", "starts")

    def __init__(self, sections: Iterable[Section]) -> None:
        self.starts: list[int] = []
        self.keys: list[str | None] = []
        open_: list[tuple[int, str | None]] = []  # (last line, key in force) of the sections holding the line
        for s in sections:
            self._close(open_, s.line)
            key = s.key if s.key is not None else (open_[-1][1] if open_ else None)
            open_.append((s.end, key))
            self._run(s.line, key)
        self._close(open_, None)

    def _close(self, open_: list[tuple[int, str | None]], line: int | None) -> None:
        """End the open sections that end before `line` (all of them for None)."""
        while open_ and (line is None or open_[-1][0] < line):
            end, _ = open_.pop()
            self._run(end + 1, open_[-1][1] if open_ else None)

    def _run(self, line: int, key: str | None) -> None:
        if self.starts and self.starts[-1] == line:
            self.keys[-1] = key
        elif not self.keys or self.keys[-1] != key:
            self.starts.append(line)
            self.keys.append(key)

    def at(self, line: int) -> str | None:
        i = bisect.bisect_right(self.starts, line) - 1
        return self.keys[i] if i >= 0 else None


_RUNS: dict[int, tuple[tuple[Section, ...], _KeyRuns]] = {}
"""The runs of the last few entries asked about (by the identity of their sections)."""


def section_at(entry: Entry, line: int) -> str | None:
    """The key of the innermost named section holding `line` (kept per entry: callers ask for each reference)."""
    kept = _RUNS.get(id(entry.sections))
    if kept is None or kept[0] is not entry.sections:
        if len(_RUNS) >= 8:
            _RUNS.clear()
        kept = _RUNS[id(entry.sections)] = (entry.sections, _KeyRuns(entry.sections))
    return kept[1].at(line)


class _Spans:
    """Whether an offset falls in one of some (start, end) spans: by bisection over their starts."""

    __slots__ = ("reach", "starts")

    def __init__(self, spans: list[tuple[int, int]]) -> None:
        spans = sorted(spans)
        self.starts = [a for a, _ in spans]
        self.reach = list(itertools.accumulate((b for _, b in spans), max))
        """The furthest end of the spans up to each one."""

    def holds(self, offset: int) -> bool:
        i = bisect.bisect_right(self.starts, offset) - 1
        return i >= 0 and self.reach[i] > offset


def section_is_filled(masked_lines: list[str], section: Section) -> bool:
    """True when the section's own body holds more than blanks, rules, bare markers and comments."""
    return any(not RESIDUE.match(raw) for raw in masked_lines[section.line : section.end])


def filled_lines(masked_lines: list[str], section: Section) -> Iterator[tuple[int, str]]:
    """(1-based line, text) of the section's body lines that are not residue (`markdown.is_residue`)."""
    for n in range(section.line, section.end):
        raw = masked_lines[n]
        if not RESIDUE.match(raw):
            yield n + 1, raw
