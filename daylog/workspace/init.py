"""`daylog init`: a new team workspace, written only where nothing exists yet."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from daylog.entries.scaffold import render
from daylog.errors import DaylogError, UsageError
from daylog.workspace.files import CONFIG_NAME, TEMPLATE_NAME
from daylog.workspace.settings import REPO_PATTERN, Member, valid_member_id
from daylog.workspace.settings_reader import parse_settings
from daylog.workspace.writes import write_new


def parse_member(spec: str) -> Member:
    """`ID` or `ID:DISPLAY NAME` from the command line."""
    mid, _, name = spec.partition(":")
    mid = mid.strip()
    if not valid_member_id(mid):
        raise UsageError(
            f"--member {spec!r}: the id must be letters, digits, `.`, `-` or `_` (it names the folder logs/<id>)"
        )
    return Member(mid, name.strip() or mid)


def _builtin(name: str) -> str:
    return files("daylog.workspace").joinpath("templates", name).read_text("utf-8")


def create_workspace(
    directory: Path,
    *,
    course: str,
    start_date: date,
    members: Sequence[str],
    timezone: str = "Asia/Seoul",
    issue_repo: str | None = None,
) -> list[Path]:
    """Write mkdocs.yml, templates/entry.md.j2, logs/, docs/ and the GitHub Actions workflow.

    Returns what was created.
    """
    parsed = [parse_member(m) for m in members]
    ids = [m.id for m in parsed]
    dupes = sorted({i for i in ids if ids.count(i) > 1})
    if dupes:
        raise UsageError(f"--member {dupes[0]} is given twice")
    try:
        ZoneInfo(timezone)
    except (ZoneInfoNotFoundError, ValueError):
        raise UsageError(f"--timezone {timezone!r} is not an IANA time zone (e.g. Asia/Seoul)") from None
    if issue_repo is not None and not REPO_PATTERN.match(issue_repo):
        raise UsageError(f"--issue-repo {issue_repo!r} must look like OWNER/REPO")
    config = render(
        _builtin("mkdocs.yml.j2"),
        {
            "course": course,
            "start_date": start_date.isoformat(),
            "timezone": timezone,
            "issue_repo": issue_repo,
            "members": parsed,
        },
        name="mkdocs.yml.j2",
    )
    parse_settings(config, source="mkdocs.yml")  # what we write must load (e.g. --issue-repo shape)
    targets: dict[Path, str] = {
        directory / CONFIG_NAME: config,
        directory / "templates" / TEMPLATE_NAME: _builtin(TEMPLATE_NAME),
        directory / "logs" / ".gitkeep": "",
        # MkDocs 1.6 requires docs_dir to exist; daylog writes nothing there (pages are in memory).
        directory / "docs" / ".gitkeep": "",
        directory / ".github" / "workflows" / "daylog.yml": _builtin("daylog-workflow.yml"),
    }
    existing = [p for p in targets if p.exists()]
    if (directory / "logs").exists():
        existing.append(directory / "logs")
    if existing:
        listed = ", ".join(str(p) for p in existing)
        raise DaylogError(f"already exists, nothing was written: {listed}", hint="init never overwrites")
    created: list[Path] = []
    for path, text in targets.items():
        try:
            write_new(path, text, root=directory)
        except FileExistsError:
            raise DaylogError("appeared while init was writing; stopped", path=path) from None
        created.append(path)
    return created
