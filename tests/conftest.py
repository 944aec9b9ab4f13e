"""Shared fixtures: little real workspaces in tmp_path, and the CLI runner."""

from __future__ import annotations

import os
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

REPO = Path(__file__).resolve().parent.parent


def copy_sample(root: Path, names: tuple[str, ...] = ("mkdocs.yml", "templates", "logs", "docs", ".daylog")) -> Path:
    """The sample workspace's `names` copied into `root` (without local caches), for a build to change."""
    import shutil

    for name in names:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("cache"))
        elif src.exists():
            shutil.copy(src, root / name)
    return root


def published(root: Path) -> dict[str, str]:
    """Each entry's text after the front matter without private sections, by path: what search must find."""
    from daylog.site.model import private_lines
    from daylog.workspace.files import Workspace

    ws = Workspace.find(root)
    out = {}
    for f in ws.files():
        loaded = ws.load(f)
        hidden = private_lines(loaded.entry, ws.settings.private_sections)
        lines = loaded.text.split("\n")
        start = loaded.entry.front_matter_end
        out[f.rel] = "\n".join(t for n, t in enumerate(lines, 1) if n > start and n not in hidden)
    return out
SHARED = REPO.parent / "shared"
CORPUS = SHARED / "corpus"
REFERENCE = SHARED / "reference" / "day13-reference-post.md"
GOLDEN = Path(__file__).resolve().parent / "golden"
UPDATE_GOLDEN = os.environ.get("DAYLOG_UPDATE_GOLDEN") == "1"

MKDOCS = """\
site_name: 테스트 팀
plugins:
  - search
  - daylog:
      course: 부스트캠프 AI Tech
      start_date: {start}
      holidays: {holidays}
      issue_repo: team/peer-session
      members:
        - id: mj
          name: 엠제이
          emails: [mj@example.com]
        - id: sally
          name: 샐리
          emails: [sally@example.com]
        - id: heath
          name: 히스
{extra}"""


def assert_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/<name>; DAYLOG_UPDATE_GOLDEN=1 rewrites it."""
    path = GOLDEN / name
    if UPDATE_GOLDEN or not path.exists():
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8")
        if not UPDATE_GOLDEN:
            pytest.fail(f"golden file {name} was missing and has been written; run again")
    assert actual == path.read_text(encoding="utf-8")


@pytest.fixture
def make_ws(tmp_path: Path) -> Callable[..., Path]:
    """A workspace with three members (mj 엠제이, sally 샐리, heath 히스)."""

    def make(
        start: date = date(2021, 1, 18), holidays: str = "[]", extra: str = "", template: str | None = None
    ) -> Path:
        root = tmp_path / "ws"
        (root / "logs").mkdir(parents=True)
        (root / "templates").mkdir()
        (root / "mkdocs.yml").write_text(
            MKDOCS.format(start=start.isoformat(), holidays=holidays, extra=extra), encoding="utf-8"
        )
        src = REPO / "templates" / "entry.md.j2"
        (root / "templates" / "entry.md.j2").write_text(
            template if template is not None else src.read_text(encoding="utf-8"), encoding="utf-8"
        )
        return root

    return make


@pytest.fixture
def runner() -> CliRunner:
    return CliRunner()


@pytest.fixture(autouse=True)
def _isolated_env(monkeypatch: pytest.MonkeyPatch, tmp_path_factory: pytest.TempPathFactory) -> None:
    """No user git config, editor or workspace leaks into a test."""
    for var in ("VISUAL", "EDITOR", "DAYLOG_WORKSPACE", "DAYLOG_NOW", "GITHUB_TOKEN", "GH_TOKEN"):
        monkeypatch.delenv(var, raising=False)
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(home / ".gitconfig"))
