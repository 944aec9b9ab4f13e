"""Docs stay true: every command has help text and is in the README's reference."""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

from conftest import REPO

spec = importlib.util.spec_from_file_location("cli_reference", REPO / "scripts" / "cli_reference.py")
assert spec is not None and spec.loader is not None
cli_reference = importlib.util.module_from_spec(spec)
spec.loader.exec_module(cli_reference)


def test_every_command_has_help_text() -> None:
    """No command or option ships without a description."""
    import typer.main

    from daylog.cli.app import app

    def walk(cmd, path):  # type: ignore[no-untyped-def]
        assert (cmd.help or "").strip(), f"`daylog {' '.join(path)}` has no help text"
        for param in getattr(cmd, "params", []):
            if getattr(param, "param_type_name", "") == "option" and param.name not in ("help",):
                assert (getattr(param, "help", None) or "").strip(), f"option {param.opts} of {path} has no help"
        for name, sub in (getattr(cmd, "commands", None) or {}).items():
            walk(sub, (*path, name))

    walk(typer.main.get_command(app), ())


def test_readme_reference_is_current() -> None:
    """README.md's command reference equals what `--help` prints (run `make docs` to refresh)."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    assert readme == cli_reference.render_readme(readme), "README command reference is stale: run `make docs`"
    for path in cli_reference.commands():
        if path:
            assert f"### `daylog {' '.join(path)}`" in readme


def test_quickstart_has_exactly_two_commands() -> None:
    """The Quickstart block is two commands: the demo and the test suite."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = readme.split("## Quickstart", 1)[1].split("```", 2)[1]
    lines = [ln.split("#", 1)[0].strip() for ln in block.splitlines()[1:]]
    lines = [ln for ln in lines if ln]
    assert lines == ["make demo", "make test"]


def test_importing_the_cli_stays_light() -> None:
    """`import daylog.cli.app` loads neither mkdocs, markdown, pymdownx, http clients, yaml nor jinja2."""
    code = (
        "import sys, daylog.cli.app\n"
        "heavy = {'mkdocs', 'markdown', 'pymdownx', 'urllib.request', 'http.client', 'yaml', 'jinja2', 'rich'}\n"
        "print(sorted(m for m in sys.modules if m in heavy or m.split('.')[0] in heavy))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=Path("/"))
    assert out.stdout.strip() == "[]"


def test_command_modules_keep_annotations_evaluated() -> None:
    """CLI modules avoid `from __future__ import annotations` (Typer would eval them all at start-up)."""
    offenders = [
        p.name
        for p in (REPO / "daylog" / "cli").glob("*.py")
        if re.search(r"^from __future__ import annotations", p.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []
