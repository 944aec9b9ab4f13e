"""`daylog check`: what is wrong with entries, as `path:line: severity: message` findings.

Pure: it takes parsed entries and settings and returns findings; reading files and
printing are the caller's job.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date

from daylog.entries.markdown import mask_code
from daylog.entries.model import Entry, FollowUpForm, Severity
from daylog.entries.parse import front_matter_line, section_is_filled
from daylog.entries.sections import SECTION_LABELS
from daylog.issues.refs import find_refs
from daylog.workspace.settings import Settings


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
    return f"{d} is not a course day (weekend or holiday)"


def check_entry(item: Checked, settings: Settings | None) -> list[Finding]:
    """Findings for one entry on its own."""
    e = item.entry
    out = [Finding(item.path, d.line, d.severity, d.message, d.code) for d in e.diagnostics]

    def add(line: int | None, severity: Severity, message: str, code: str) -> None:
        out.append(Finding(item.path, line or 1, severity, message, code))

    if (
        item.name_date
        and e.date
        and item.name_date != e.date
        and not _written_after_midnight(e, item.name_date, settings)
    ):
        add(
            e.date_line,
            Severity.ERROR,
            f"front matter date {e.date} does not match the file name date {item.name_date} "
            "(the file name wins; fix the front matter)",
            "date-mismatch",
        )
    entry_date = item.name_date or e.date
    if settings is not None and settings.members and item.member:
        member = settings.member(item.member)
        if member is None:
            add(
                1,
                Severity.ERROR,
                f"`{item.member}` is not a member of the team (members: {', '.join(settings.member_ids())}); "
                "add it to `members` in mkdocs.yml or move the file",
                "unknown-member",
            )
        elif e.author is not None and e.author != item.member:
            add(
                front_matter_line(item.text.split("\n"), "author", e.front_matter_end),
                Severity.ERROR,
                f"front matter author `{e.author}` does not match the folder `{item.member}`",
                "author-mismatch",
            )
    if settings is not None and entry_date is not None:
        cal = settings.calendar
        expected = cal.day_number(entry_date)
        stated = [
            ("title", e.title_day, front_matter_line(item.text.split("\n"), "title", e.front_matter_end)),
            ("front matter `day`", e.day, front_matter_line(item.text.split("\n"), "day", e.front_matter_end)),
        ]
        for where, n, line in stated:
            if n is None or n == expected:
                continue
            fix = f"; Day{n} is {cal.date_of_day(n)}" if 1 <= n <= 5000 else ""
            add(line, Severity.ERROR, f"{where} says Day{n} but {_day_text(settings, entry_date)}{fix}", "day-mismatch")
    elif settings is not None and entry_date is None and item.member:
        add(1, Severity.ERROR, "no date: name the file YYYY-MM-DD.md or add `date:` to the front matter", "no-date")
    if any("\udc80" <= ch <= "\udcff" for ch in item.path):  # undecodable bytes, kept by surrogateescape
        add(1, Severity.WARNING, "file name is not UTF-8 (JSON and the site cannot show it): rename it", "file-name")
    if item.member and item.name_date is None:
        add(1, Severity.WARNING, "file name does not start with a date YYYY-MM-DD", "file-name")
    for line, message in _item_problems(e, entry_date):
        add(line, Severity.WARNING, message, "item")
    lines = item.text.split("\n")
    for section in e.sections_with("tasks"):  # not-quite checkboxes are not tasks at all: say so
        for n in range(section.line + 1, min(section.end, len(lines)) + 1):
            m = _LIST_BOX.match(lines[n - 1])
            box = _NOT_A_BOX.match(m.group(1)) if m else None
            if box:
                add(n, Severity.WARNING, _not_a_box(box.group(0)), "item")
    if settings is not None:
        masked = mask_code(item.text, inline=False).split("\n")
        for key in settings.required_sections:
            sections = e.sections_with(key)
            label = SECTION_LABELS.get(key, key)
            if not sections:
                add(1, Severity.WARNING, f"no `{label}` section", "missing-section")
            elif not any(section_is_filled(masked, s) for s in sections):
                add(sections[0].line, Severity.WARNING, f"section `{sections[0].title}` is empty", "empty-section")
        # References the site would not link (or link wrongly), resolved as `daylog issues` does.
        for line, message in find_refs(item.text, issue_repo=settings.issue_repo).problems:
            add(line, Severity.WARNING, message, "issue-ref")
    return out


_NOT_A_BOX = re.compile(r"^\[[^ xX\]\n]?\](?![(\[:])")
"""`[]` or one other mark (`[y]`, `[v]`, `[-]`) meant as a checkbox; not a tag (`[CV]`) or a link."""
_LIST_BOX = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+(\[.*)")
_DONE_MARK = re.compile(r"✅\s*(\d[\d./-]*\d)\s*$", re.M)
"""A date meant after a closing ✅ (`✅ 2026.11.05`, `✅ 2026-13-45`); ✅ used as an emoji is not one."""
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")


def _not_a_box(written: str) -> str:
    return f"`{written}` is not a checkbox: write `- [ ]` (open) or `- [x]` (done)"


def _item_problems(e: Entry, entry_date: date | None) -> list[tuple[int, str]]:
    """Follow-up and task items that are read, but probably not as their author meant."""
    out: list[tuple[int, str]] = []
    items = [
        (f.line, f.topic if f.form is not FollowUpForm.CHECKBOX else "", f.topic, f"{f.topic}\n{f.note}", f.done_on)
        for f in e.followups
    ]  # after a real checkbox, `[CV] 과제` is a tag, not a second box
    items += [(t.line, "", t.text, t.text, None) for t in e.tasks]  # a carried task keeps its old ✅ date
    for line, plain, head, text, done_on in items:
        box = _NOT_A_BOX.match(plain)
        if box:
            out.append((line, _not_a_box(box.group(0))))
        elif head.startswith((":", "：")) or not head.strip("* "):
            out.append((line, "item has no topic before its note: write `- [ ] topic: note`"))
        for mark in _DONE_MARK.finditer(text):
            value = mark.group(1)
            try:
                ok = bool(_ISO_DATE.fullmatch(value)) and date.fromisoformat(value) is not None
            except ValueError:
                ok = False
            if not ok:
                out.append((line, f"`✅ {value}` is not a date: write `✅ YYYY-MM-DD`"))
        if done_on is not None and entry_date is not None and done_on < entry_date:
            out.append((line, f"resolved on {done_on}, before this entry raised it on {entry_date}"))
    return out


def check_duplicates(items: Sequence[Checked]) -> list[Finding]:
    """Two files for one member and day: the later ones are errors."""
    seen: dict[tuple[str, date], str] = {}
    out: list[Finding] = []
    # The canonical `YYYY-MM-DD.md` is the first; other spellings of the day are the extras.
    for item in sorted(items, key=lambda i: (not i.path.endswith(f"{i.name_date}.md"), i.path)):
        d = item.name_date or item.entry.date
        if not item.member or d is None:
            continue
        key = (item.member, d)
        if key in seen:
            out.append(
                Finding(
                    item.path,
                    1,
                    Severity.ERROR,
                    f"second entry for {item.member} on {d} (first: {seen[key]}); merge them into one file",
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
    findings.extend(check_duplicates(items))
    findings.sort(key=lambda f: (f.path, f.line, f.severity != Severity.ERROR))
    return findings


def _written_after_midnight(e: Entry, name_date: date, settings: Settings | None) -> bool:
    """An entry stamped 01:20 on the next calendar day still belongs to `name_date`."""
    if settings is None or e.date is None or e.time is None or (e.date - name_date).days != 1:
        return False
    m = re.match(r"\s*(\d{1,2}):", e.time)
    return m is not None and int(m.group(1)) < settings.day_starts_at
