"""`daylog check`: read the entries and lint them.

A whole-workspace check goes through the parse cache like the listings: each file's own
findings are kept, keyed by its `stat` and the settings, so a warm `check` parses only
what changed. The checks across files (two entries for one day) run on every call.
"""

from __future__ import annotations

import time
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from daylog.entries.lint import Checked, Dated, Finding, check_all, check_duplicates, check_entry
from daylog.entries.model import Entry, Severity
from daylog.errors import DaylogError
from daylog.workspace.cache import View, load_view
from daylog.workspace.files import EntryFile, NotAnEntry, Workspace, read_text
from daylog.workspace.settings import identity
from daylog.workspace.writes import inside

LEFTOVER_AGE = 3600
"""Seconds after which a temp file beside an entry is reported: a write that was killed."""


class Report(NamedTuple):
    findings: list[Finding]
    notes: list[str]
    """Things the user should know that are not about one file."""
    checked: int
    """How many files were looked at (refused and unreadable ones included)."""

    def summary(self) -> str:
        """`12 entries checked: no problems`, or the count of errors and warnings."""
        errors = sum(f.severity is Severity.ERROR for f in self.findings)
        warnings = len(self.findings) - errors
        found = [_count(errors, "error"), _count(warnings, "warning")] if self.findings else ["no problems"]
        return f"{_count(self.checked, 'entry', 'entries')} checked: {', '.join(x for x in found if x)}"


def _count(n: int, one: str, many: str | None = None) -> str:
    return "" if n == 0 and many is None else f"{n} {one if n == 1 else many or one + 's'}"


def run_check(ws: Workspace | None, paths: Sequence[Path], now: float | None = None) -> Report:
    """Findings for the given files (or the whole workspace), and notes for the user."""
    if ws is None:
        expanded = _expand(paths)
        skipped = "no workspace found: calendar, member and section checks were skipped"
        return Report(_check_loose_files(expanded), [skipped], len(expanded))
    if paths:
        expanded = _expand(paths)
        return Report(sorted(_check_files(ws, expanded), key=_order), [], len(expanded))
    scan = ws.scan()
    rows, errors = load_view(ws, _view(ws), scan=scan)
    findings = [f for row in rows for f in row.data]
    findings += [_error_finding(e, e.path or "", "not-an-entry" if isinstance(e, NotAnEntry) else "unreadable")
                 for e in errors]  # fmt: skip
    findings += check_duplicates(Dated(r.file.rel, r.file.member, r.file.date, r.date) for r in rows)
    findings += _leftovers(scan.leftovers, time.time() if now is None else now)
    from daylog.search.concepts.service import findings as concept_findings

    findings += concept_findings(ws)
    return Report(sorted(findings, key=_order), _stray_folders(ws, scan.files), len(rows) + len(errors))


def _view(ws: Workspace) -> View[tuple[Finding, ...]]:
    """Each file's own findings, kept while neither the file nor the settings change."""
    settings = ws.settings

    def extract(f: EntryFile, e: Entry, text: str) -> tuple[Finding, ...]:
        return tuple(check_entry(Checked(f.rel, f.member, f.date, e, text), settings))

    return View(
        "check",
        frozenset({"meta", "questions", "followups", "tasks", "links"}),
        extract,
        encode=lambda findings: tuple(f.plain() for f in findings),
        decode=lambda plain: tuple(Finding.from_plain(f) for f in plain),
        key=identity(settings),
        reads_conflicts=True,
        in_range_only=False,  # an entry dated 9999-12-31 is linted: `date-range` names it on its line
    )


def _check_files(ws: Workspace, paths: Sequence[Path]) -> list[Finding]:
    """The named files, read now (no cache): what `check FILE…` asks for.

    A link leading out of the workspace is refused like in a whole-workspace check."""
    items: list[Checked] = []
    findings: list[Finding] = []
    for p in paths:
        f = ws.file_for(p)
        try:
            if p.is_symlink():
                inside(p, ws.root)
            loaded = ws.load(f)
        except DaylogError as exc:
            findings.append(_error_finding(exc, f.rel, "not-an-entry" if p.is_symlink() else "unreadable"))
            continue
        items.append(Checked(f.rel, f.member, f.date, loaded.entry, loaded.text))
    return findings + check_all(items, ws.settings)


def _check_loose_files(paths: Sequence[Path]) -> list[Finding]:
    """Files outside any workspace: only what needs no settings."""
    from daylog.entries.parse import parse
    from daylog.workspace.files import name_date

    items: list[Checked] = []
    findings: list[Finding] = []
    for p in paths:
        try:
            text = read_text(p)
        except DaylogError as exc:
            findings.append(_error_finding(exc, str(p)))
            continue
        items.append(Checked(str(p), "", name_date(p.name), parse(text), text))
    return sorted(findings + check_all(items, None), key=_order)


def _leftovers(found: Sequence[tuple[str, float]], now: float) -> list[Finding]:
    message = "temp file left by an interrupted write; delete it (the entry is intact)"
    old = [rel for rel, mtime in found if now - mtime > LEFTOVER_AGE]
    return [Finding(rel, 1, Severity.WARNING, message, "leftover") for rel in old]


def _stray_folders(ws: Workspace, files: Sequence[EntryFile]) -> list[str]:
    notes = []
    if ws.logs.is_dir() and ws.settings.members:
        members_with_files = {f.member for f in files}
        for child in sorted(ws.logs.iterdir()):
            if (
                child.is_dir()
                and not child.name.startswith(".")
                and ws.settings.member(child.name) is None
                and child.name not in members_with_files
            ):
                notes.append(f"folder {ws.rel(child)} is not a member's and holds no entries")
    return notes


def _order(f: Finding) -> tuple[str, int, bool]:
    return (f.path, f.line, f.severity is not Severity.ERROR)


def _error_finding(exc: DaylogError, path: str, code: str = "unreadable") -> Finding:
    return Finding(path, exc.line or 1, Severity.ERROR, exc.message + (f" ({exc.hint})" if exc.hint else ""), code)


def _expand(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.md") if not any(s.startswith(".") for s in q.relative_to(p).parts)))
        elif p.exists() or p.is_symlink():
            if p.suffix.lower() not in (".md", ".markdown"):
                raise DaylogError("is not a Markdown entry (.md)", path=p, hint="check takes entries or folders")
            out.append(p)
        else:
            raise DaylogError("no such file or folder", path=p)
    return out
