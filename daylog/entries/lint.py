"""`daylog check`: what is wrong with entries, as `path:line: severity: message` findings.

Pure: it takes parsed entries and settings and returns findings; reading files and
printing are the caller's job.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import date
from typing import NamedTuple

from daylog.entries.markdown import mask_code
from daylog.entries.model import Entry, FollowUpForm, Severity
from daylog.entries.parse import front_matter_line, section_is_filled
from daylog.entries.sections import SECTION_LABELS
from daylog.issues.refs import find_refs
from daylog.search.concepts.wikilinks import scan as scan_wikilinks
from daylog.workspace.settings import Settings, cut


@dataclass(frozen=True, slots=True)
class Finding:
    """One problem in one file."""

    path: str
    line: int
    severity: Severity
    message: str
    code: str

    def format(self) -> str:
        return f"{self.path}:{self.line}: {self.severity.value}: {self.message}"

    def as_json(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "severity": self.severity.value,
            "code": self.code,
            "message": self.message,
        }

    def plain(self) -> tuple[str, int, str, str, str]:
        return (self.path, self.line, self.severity.value, self.message, self.code)

    @classmethod
    def from_plain(cls, value: tuple[str, int, str, str, str]) -> Finding:
        path, line, severity, message, code = value
        return cls(path, line, Severity(severity), message, code)


@dataclass(frozen=True, slots=True)
class Checked:
    """What the linter needs to know about one entry file."""

    path: str
    member: str
    """Folder under `logs/`, or "" for a file outside it."""
    name_date: date | None
    entry: Entry
    text: str


def _day_text(settings: Settings, d: date) -> str:
    cal = settings.calendar
    n = cal.day_number(d)
    if n is not None:
        return f"{d} is Day{n}"
    if d < cal.start:
        return f"{d} is before the course starts ({cal.start})"
    if cal.after_end(d):
        return f"{d} is after the course ended ({cal.end})"
    return f"{d} is not a course day (weekend or holiday)"


Problem = tuple[int | None, Severity, str, str]
"""(line, severity, message, code) of one finding in the entry being checked; no line means line 1."""


def check_entry(item: Checked, settings: Settings | None) -> list[Finding]:
    """Findings for one entry on its own: the parser's diagnostics, then each check in turn."""
    out = [Finding(item.path, d.line, d.severity, d.message, d.code) for d in item.entry.diagnostics]
    for check in _CHECKS:
        for line, severity, message, code in check(item, settings):
            out.append(Finding(item.path, line or 1, severity, message, code))
    return out


def _date_in_range(item: Checked, settings: Settings | None) -> Iterator[Problem]:
    """An entry dated before 1970 or more than ten years past the course start (`9999-12-31.md`)."""
    e = item.entry
    entry_date = item.name_date or e.date
    problem = settings.calendar.range_problem(entry_date) if settings is not None and entry_date else None
    if problem is not None:
        where, fix = (1, "rename the file") if item.name_date else (e.date_line, "fix the front matter `date`")
        yield where, Severity.ERROR, f"date {entry_date} is {problem}; {fix}", "date-range"


def _date_after_end(item: Checked, settings: Settings | None) -> Iterator[Problem]:
    """An entry dated after the course's `end_date`: it is kept, with no day number."""
    entry_date = item.name_date or item.entry.date
    if settings is not None and entry_date is not None and settings.calendar.after_end(entry_date):
        where = 1 if item.name_date else item.entry.date_line
        yield (
            where,
            Severity.WARNING,
            f"dated {entry_date}, after the course ended on {settings.end_date}: it gets no day number",
            "after-end",
        )


def _date_matches_file_name(item: Checked, settings: Settings | None) -> Iterator[Problem]:
    e = item.entry
    if not item.name_date or not e.date or item.name_date == e.date:
        return
    if not _written_after_midnight(e, item.name_date, settings):
        yield (
            e.date_line,
            Severity.ERROR,
            f"front matter date {e.date} does not match the file name date {item.name_date} "
            "(the file name wins; fix the front matter)",
            "date-mismatch",
        )


def _author_is_the_member(item: Checked, settings: Settings | None) -> Iterator[Problem]:
    if settings is None or not settings.members or not item.member:
        return
    e = item.entry
    if settings.member(item.member) is None:
        yield (
            1,
            Severity.ERROR,
            f"`{item.member}` is not a member of the team (members: {', '.join(settings.member_ids())}); "
            "add it to `members` in mkdocs.yml or move the file",
            "unknown-member",
        )
    elif e.author is not None and e.author != item.member:
        yield (
            front_matter_line(item.text.split("\n"), "author", e.front_matter_end),
            Severity.ERROR,
            f"front matter author `{cut(e.author)}` does not match the folder `{item.member}`",
            "author-mismatch",
        )


def _day_numbers(item: Checked, settings: Settings | None) -> Iterator[Problem]:
    """The day numbers the title and `day:` state agree with the calendar; an entry in a member folder has a date."""
    e = item.entry
    entry_date = item.name_date or e.date
    if settings is None:
        return
    if entry_date is None:
        if item.member:
            yield 1, Severity.ERROR, _NO_DATE, "no-date"
        return
    cal = settings.calendar
    if not cal.in_range(entry_date):
        return  # `_date_in_range` says so
    expected = cal.day_number(entry_date)
    lines = item.text.split("\n")
    for where, key, n in (("title", "title", e.title_day), ("front matter `day`", "day", e.day)):
        if n is None or n == expected:
            continue
        fix = f"; Day{n} is {cal.date_of_day(n)}" if 1 <= n <= 5000 else ""
        line = front_matter_line(lines, key, e.front_matter_end)
        yield line, Severity.ERROR, f"{where} says Day{n} but {_day_text(settings, entry_date)}{fix}", "day-mismatch"


_NO_DATE = "no date: name the file YYYY-MM-DD.md or add `date:` to the front matter"


def _file_name(item: Checked, settings: Settings | None) -> Iterator[Problem]:
    if any("\udc80" <= ch <= "\udcff" for ch in item.path):  # undecodable bytes, kept by surrogateescape
        yield 1, Severity.WARNING, "file name is not UTF-8 (JSON and the site cannot show it): rename it", "file-name"
    if item.member and item.name_date is None:
        yield 1, Severity.WARNING, "file name does not start with a date YYYY-MM-DD", "file-name"


def _items(item: Checked, settings: Settings | None) -> Iterator[Problem]:
    for line, message in _item_problems(item.entry, item.name_date or item.entry.date):
        yield line, Severity.WARNING, message, "item"


def _not_quite_boxes(item: Checked, settings: Settings | None) -> Iterator[Problem]:
    """Not-quite checkboxes in the assignment sections are not tasks at all: say so."""
    lines = item.text.split("\n")
    for section in item.entry.sections_with("tasks"):
        for n in range(section.line + 1, min(section.end, len(lines)) + 1):
            m = _LIST_BOX.match(lines[n - 1])
            box = _NOT_A_BOX.match(m.group(1)) if m else None
            if box:
                yield n, Severity.WARNING, _not_a_box(box.group(0)), "item"
            glued = _GLUED_BOX.match(m.group(1)) if m else None
            if glued:
                written = glued.group(0)
                fix = f"put a space after `]`: `- {written[:3]} {written[3:]}`"
                yield n, Severity.WARNING, f"`{written}` is not a checkbox: {fix}", "item"


def _required_sections(item: Checked, settings: Settings | None) -> Iterator[Problem]:
    if settings is None:
        return
    masked = mask_code(item.text, inline=False).split("\n")
    for key in settings.required_sections:
        sections = item.entry.sections_with(key)
        if not sections:
            yield 1, Severity.WARNING, f"no `{SECTION_LABELS.get(key, key)}` section", "missing-section"
        elif not any(section_is_filled(masked, s) for s in sections):
            yield sections[0].line, Severity.WARNING, f"section `{sections[0].title}` is empty", "empty-section"


def _issue_refs(item: Checked, settings: Settings | None) -> Iterator[Problem]:
    """References the site would not link (or link wrongly), resolved as `daylog issues` does."""
    if settings is None:
        return
    for line, message in find_refs(item.text, issue_repo=settings.issue_repo).problems:
        yield line, Severity.WARNING, message, "issue-ref"


def _wikilinks(item: Checked, settings: Settings | None) -> Iterator[Problem]:
    """`[[ResNet` with no `]]` or a bracket inside (warnings), a name that is a path (`[[../x]]`,
    an error: the link is never followed)."""
    if "[[" not in item.text:
        return
    _, bad = scan_wikilinks(item.text.removeprefix("\ufeff"), first_line=item.entry.front_matter_end + 1)
    for b in bad:
        yield b.line, Severity.ERROR if b.kind == "name" else Severity.WARNING, b.message, "wikilink"


_CHECKS: tuple[Callable[[Checked, Settings | None], Iterable[Problem]], ...] = (
    _date_in_range,
    _date_after_end,
    _date_matches_file_name,
    _author_is_the_member,
    _day_numbers,
    _file_name,
    _items,
    _not_quite_boxes,
    _required_sections,
    _issue_refs,
    _wikilinks,
)
"""In the order their findings are listed (`check_all` sorts by line, keeping this order within one)."""


_NOT_A_BOX = re.compile(r"^\[[^ xX\]\n]?\](?![(\[:])")
"""`[]` or one other mark (`[y]`, `[v]`, `[-]`) meant as a checkbox; not a tag (`[CV]`) or a link."""
_GLUED_BOX = re.compile(r"^\[[ xX]\][^\s(\[:][^\s]{0,20}")
"""`[ ]num_workers`: a box with no space after it is text to Markdown, not a checkbox."""
_LIST_BOX = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(\[.*)")
_DONE_MARK = re.compile(r"✅\s*(\d[\d./-]*\d)\s*$", re.M)
"""A date meant after a closing ✅ (`✅ 2026.11.05`, `✅ 2026-13-45`); ✅ used as an emoji is not one."""
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _not_a_box(written: str) -> str:
    return f"`{written}` is not a checkbox: write `- [ ]` (open) or `- [x]` (done)"


class _Written(NamedTuple):
    """A follow-up or task item as `_item_problems` looks at it."""

    line: int
    plain: str
    """Text that may start with a not-quite box: after a real checkbox, `[CV] 과제` is a tag, not a second box."""
    head: str
    """What should name the topic."""
    text: str
    """Where a `✅ date` may be written."""
    done_on: date | None
    """The done date, for follow-ups (a carried task keeps its old ✅ date)."""


def _item_problems(e: Entry, entry_date: date | None) -> list[tuple[int, str]]:
    """Follow-up and task items that are read, but probably not as their author meant."""
    written = [
        _Written(f.line, "" if f.form is FollowUpForm.CHECKBOX else f.topic, f.topic, f"{f.topic}\n{f.note}", f.done_on)
        for f in e.followups
    ]
    written += [_Written(t.line, "", t.text, t.text, None) for t in e.tasks]
    out: list[tuple[int, str]] = []
    for w in written:
        out += [(w.line, message) for message in _item_messages(w, entry_date)]
    return out


def _item_messages(w: _Written, entry_date: date | None) -> Iterator[str]:
    box = _NOT_A_BOX.match(w.plain)
    if box:
        yield _not_a_box(box.group(0))
    elif w.head.startswith((":", "：")) or not w.head.strip("* "):
        yield "item has no topic before its note: write `- [ ] topic: note`"
    for mark in _DONE_MARK.finditer(w.text):
        if not _is_iso_date(mark.group(1)):
            yield f"`✅ {cut(mark.group(1))}` is not a date: write `✅ YYYY-MM-DD`"
    if w.done_on is not None and entry_date is not None and w.done_on < entry_date:
        yield f"resolved on {w.done_on}, before this entry raised it on {entry_date}"


def _is_iso_date(value: str) -> bool:
    try:
        return bool(_ISO_DATE.fullmatch(value)) and date.fromisoformat(value) is not None
    except ValueError:
        return False


class Dated(NamedTuple):
    """Where an entry is and which day it is for: what the duplicate check compares."""

    path: str
    member: str
    name_date: date | None
    date: date | None
    """The file name's date, else the front matter's."""


def check_duplicates(items: Iterable[Dated]) -> list[Finding]:
    """Two files for one member and day: the later ones are errors."""
    seen: dict[tuple[str, date], str] = {}
    out: list[Finding] = []
    # The canonical `YYYY-MM-DD.md` is the first; other spellings of the day are the extras.
    for item in sorted(items, key=lambda i: (not i.path.endswith(f"{i.name_date}.md"), i.path)):
        if not item.member or item.date is None:
            continue
        key = (item.member, item.date)
        if key in seen:
            out.append(
                Finding(
                    item.path,
                    1,
                    Severity.ERROR,
                    f"second entry for {item.member} on {item.date} (first: {seen[key]}); merge them into one file",
                    "duplicate",
                )
            )
        else:
            seen[key] = item.path
    return out


def check_all(items: Iterable[Checked], settings: Settings | None) -> list[Finding]:
    items = list(items)
    findings: list[Finding] = []
    for item in items:
        findings.extend(check_entry(item, settings))
    findings.extend(check_duplicates(Dated(i.path, i.member, i.name_date, i.name_date or i.entry.date) for i in items))
    findings.sort(key=lambda f: (f.path, f.line, f.severity != Severity.ERROR))
    return findings


def _written_after_midnight(e: Entry, name_date: date, settings: Settings | None) -> bool:
    """An entry stamped 01:20 on the next calendar day still belongs to `name_date`."""
    if settings is None or e.date is None or e.time is None or (e.date - name_date).days != 1:
        return False
    m = re.match(r"\s*(\d{1,2}):", e.time)
    return m is not None and int(m.group(1)) < settings.day_starts_at
