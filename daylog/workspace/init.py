"""`daylog init`: a new team workspace, written only where nothing exists yet.

The one file it may add to is `.gitignore`: a team that already has one gets the missing
lines appended (and is told so), never a replacement.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date
from importlib.resources import files
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from daylog.entries.scaffold import render
from daylog.errors import DaylogError, UsageError
from daylog.workspace.files import CONFIG_NAME, TEMPLATE_NAME, decode
from daylog.workspace.settings import REPO_PATTERN, Member, valid_member_id
from daylog.workspace.settings_reader import parse_settings
from daylog.workspace.writes import replace_checked, write_new

GITIGNORE = (".gitignore", ("site/", ".daylog/cache/", ".venv/", "venv/"))
"""What a workspace keeps out of git: the built site, daylog's cache, virtual environments."""
_GITIGNORE_HEAD = "# daylog: the built site, daylog's local cache and virtual environments\n"


def default_install() -> str:
    """The pip requirement the workflow installs: exactly the daylog writing it."""
    from daylog._version import __version__

    return f"daylog[site,ko]=={__version__}"


def check_install(spec: str) -> str:
    """`--install SPEC` as one clean line, or a UsageError saying what it must be."""
    spec = spec.strip()
    if not spec:
        raise UsageError("--install is empty: give a pip requirement, a git URL or a wheel path")
    if any(c in spec for c in "\n\r") or not spec.isprintable():
        raise UsageError("--install must be one line: the requirement `pip install` gets in the workflow")
    return spec


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
    install: str | None = None,
) -> tuple[list[Path], list[str]]:
    """Write mkdocs.yml, templates/entry.md.j2, logs/, docs/, the GitHub Actions workflow
    (installing `install`, else this daylog's version) and `.gitignore`.

    Returns what was created and the lines appended to an existing `.gitignore`.
    """
    spec = check_install(install) if install is not None else default_install()
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
        directory / ".github" / "workflows" / "daylog.yml": _workflow(spec),
    }
    ignore = directory / GITIGNORE[0]
    ignored = _read_gitignore(ignore)
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
    return created, _write_gitignore(ignore, ignored, directory, created)


def _workflow(spec: str) -> str:
    # A JSON string is a valid YAML double-quoted scalar: any spec stays one safe value.
    return _builtin("daylog-workflow.yml").replace("__DAYLOG_INSTALL__", json.dumps(spec, ensure_ascii=False))


def _read_gitignore(path: Path) -> bytes | None:
    """The existing `.gitignore`'s bytes (checked to be UTF-8 before anything is written)."""
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise DaylogError(f"cannot read: {exc.strerror or exc}", path=path) from None
    decode(data, path)
    return data


def _write_gitignore(path: Path, existing: bytes | None, root: Path, created: list[Path]) -> list[str]:
    """Write `.gitignore`, or append to the team's the lines it lacks; the lines appended."""
    lines = GITIGNORE[1]
    if existing is None:
        write_new(path, _GITIGNORE_HEAD + "".join(f"{line}\n" for line in lines), root=root)
        created.append(path)
        return []
    text = existing.decode("utf-8")
    have = {line.strip().lstrip("/") for line in text.splitlines()}
    missing = [line for line in lines if line not in have and line.rstrip("/") not in have]
    if missing:
        sep = "" if not text or text.endswith("\n") else "\n"
        added = sep + ("\n" if text.strip() else "") + _GITIGNORE_HEAD + "".join(f"{m}\n" for m in missing)
        replace_checked(path, text + added, existing, root=root)
    return missing
