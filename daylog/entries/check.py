"""`daylog check`: read the entries and lint them."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from daylog.entries.lint import Checked, Finding, check_all
from daylog.errors import DaylogError
from daylog.workspace.files import Workspace, read_text


def run_check(ws: Workspace | None, paths: Sequence[Path]) -> tuple[list[Finding], list[str]]:
    """Findings for the given files (or the whole workspace), and notes for the user."""
    notes: list[str] = []
    items: list[Checked] = []
    findings: list[Finding] = []
    if ws is None:
        notes.append("no workspace found: calendar, member and section checks were skipped")
        from daylog.entries.parse import parse
        from daylog.workspace.files import name_date

        for p in _expand(paths):
            try:
                text = read_text(p)
            except DaylogError as exc:
                findings.append(_error_finding(exc, str(p)))
                continue
            items.append(Checked(str(p), "", name_date(p.name), parse(text), text))
        findings.extend(check_all(items, None))
        return findings, notes
    files = [ws.file_for(p) for p in _expand(paths)] if paths else ws.files()
    for f in files:
        try:
            loaded = ws.load(f)
        except DaylogError as exc:
            findings.append(_error_finding(exc, f.rel))
            continue
        items.append(Checked(f.rel, f.member, f.date, loaded.entry, loaded.text))
    findings.extend(check_all(items, ws.settings))
    if not paths and ws.logs.is_dir():
        for child in sorted(ws.logs.iterdir()):
            if (
                child.is_dir()
                and not child.name.startswith(".")
                and ws.settings.members
                and ws.settings.member(child.name) is None
                and not any(f.member == child.name for f in files)
            ):
                notes.append(f"folder {ws.rel(child)} is not a member's and holds no entries")
    findings.sort(key=lambda f: (f.path, f.line, f.severity.value != "error"))
    return findings, notes


def _error_finding(exc: DaylogError, path: str) -> Finding:
    from daylog.entries.model import Severity

    return Finding(
        path, exc.line or 1, Severity.ERROR, exc.message + (f" ({exc.hint})" if exc.hint else ""), "unreadable"
    )


def _expand(paths: Sequence[Path]) -> list[Path]:
    out: list[Path] = []
    for p in paths:
        if p.is_dir():
            out.extend(sorted(q for q in p.rglob("*.md") if not any(s.startswith(".") for s in q.relative_to(p).parts)))
        elif p.exists():
            if p.suffix.lower() not in (".md", ".markdown"):
                raise DaylogError("is not a Markdown entry (.md)", path=p, hint="check takes entries or folders")
            out.append(p)
        else:
            raise DaylogError("no such file or folder", path=p)
    return out
