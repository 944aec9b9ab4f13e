"""Shell completion candidates (`daylog --install-completion`): members, follow-up ids, concepts, dates.

Typer calls these only while the shell asks for completions (`_DAYLOG_COMPLETE` set), so a
normal run pays for nothing but this module's import: the stdlib at the top, the workspace
and the services inside each function. A candidate list is best effort: any problem (no
workspace, a broken mkdocs.yml) completes nothing rather than printing an error into the
shell's prompt.
"""

# No `from __future__ import annotations`: Typer reads these callbacks' annotations to
# know which arguments to pass (the click Context, the incomplete word).

from pathlib import Path
from typing import TYPE_CHECKING, Any

import typer

if TYPE_CHECKING:
    from daylog.workspace.files import Workspace

MAX_DATES = 10
"""Recent entry dates offered after `today` and `yesterday`."""
MAX_CANDIDATES = 200


def _workspace(ctx: typer.Context) -> "Workspace | None":
    """The workspace of the command line being completed (`-w`, DAYLOG_WORKSPACE, or found upward)."""
    from daylog.workspace.files import Workspace

    given = ctx.find_root().params.get("workspace")
    try:
        return Workspace.find(Path.cwd(), Path(given) if given else None)
    except Exception:  # completion never fails loudly
        return None


def _safe(items: Any) -> list[tuple[str, str]]:
    return list(items)[:MAX_CANDIDATES]


def members(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Member ids, then display names and aliases (those that are not ids), each with who it is."""
    ws = _workspace(ctx)
    if ws is None:
        return []
    try:
        team = ws.settings.members
    except Exception:
        return []
    out: dict[str, str] = {}
    for m in team:
        out.setdefault(m.id, m.name)
    for m in team:
        for name in (m.name, *m.aliases):
            if name and " " not in name:
                out.setdefault(name, m.id)
    return _safe(out.items())


def open_followups(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """Open follow-up ids, oldest first, each with its topic (zsh and fish show it)."""
    ws = _workspace(ctx)
    if ws is None:
        return []
    try:
        from daylog import clock
        from daylog.followups.service import list_followups

        records, _ = list_followups(ws, clock.today(ws.settings))
    except Exception:
        return []
    return _safe((r.id, f"{r.author}: {r.topic}"[:80]) for r in records)


def concepts(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """The names of `concepts/<name>.md` in the workspace, where that folder exists."""
    ws = _workspace(ctx)
    folder = ws.root / "concepts" if ws is not None else None
    if folder is None or not folder.is_dir():
        return []
    try:
        names = sorted(p.stem for p in folder.glob("*.md") if p.is_file() and not p.name.startswith("."))
    except OSError:
        return []
    return _safe((n, "concept") for n in names)


def dates(ctx: typer.Context, incomplete: str) -> list[tuple[str, str]]:
    """`today`, `yesterday` (and their Korean words), then the most recent entry dates that start
    with what is typed (`2021-02-` offers February's)."""
    out = [("today", "오늘"), ("yesterday", "어제"), ("오늘", "today"), ("어제", "yesterday")]
    ws = _workspace(ctx)
    if ws is None:
        return out
    try:
        seen = sorted({f.date.isoformat() for f in ws.files() if f.date is not None}, reverse=True)
    except Exception:
        return out
    return out + [(d, "entry") for d in seen if d.startswith(incomplete)][:MAX_DATES]
