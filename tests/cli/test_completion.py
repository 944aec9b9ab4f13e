"""Shell completion (#15 item 6), driven as bash drives it: `_DAYLOG_COMPLETE=complete_bash` in a subprocess."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO
from typer.testing import CliRunner

from daylog.cli.app import app

NOW = "2021-02-03T21:00:00+09:00"
ENTRY = """\
---
author: {author}
---

## TIL

- 배운 것

### 더 정리할 것

{followups}
"""


def complete(ws: Path | None, line: str, cwd: Path | None = None) -> list[str]:
    """The candidates bash would offer for `line` (completing its last word; a trailing space starts a new one)."""
    words = line.split()
    cword = len(words) if line.endswith(" ") else len(words) - 1
    env = {
        **os.environ,
        "PYTHONPATH": str(REPO),
        "_DAYLOG_COMPLETE": "complete_bash",
        "COMP_WORDS": line,
        "COMP_CWORD": str(cword),
        "DAYLOG_NOW": NOW,
    }
    env.pop("DAYLOG_WORKSPACE", None)
    if ws is not None:
        env["DAYLOG_WORKSPACE"] = str(ws)
    done = subprocess.run(
        [sys.executable, "-m", "daylog"],
        check=False,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
        cwd=cwd or REPO,
    )
    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    return [c for c in done.stdout.splitlines() if c]  # bash splits the output on newlines


@pytest.fixture
def ws(make_ws: Callable[..., Path]) -> Path:
    """Two members with follow-ups: two open, one resolved."""
    root = make_ws()
    for author, d, followups in (
        ("mj", "2021-02-01", "- [ ] 어텐션 스케일링: 왜 sqrt(d)?\n- [x] 배치 정규화 ✅ 2021-02-02"),
        ("sally", "2021-02-02", "- [ ] 드롭아웃 비율"),
    ):
        (root / "logs" / author).mkdir(parents=True)
        (root / "logs" / author / f"{d}.md").write_text(ENTRY.format(author=author, followups=followups), "utf-8")
    return root


def test_followups_done_completes_the_open_ids(ws: Path) -> None:
    """`followups done <TAB>` offers exactly the open follow-ups' ids, oldest first, and narrows on a prefix."""
    listed = CliRunner().invoke(app, ["-w", str(ws), "followups", "--json"], env={"DAYLOG_NOW": NOW})
    open_ids = [r["id"] for r in json.loads(listed.stdout)]
    assert len(open_ids) == 2
    assert complete(ws, "daylog followups done ") == open_ids
    assert complete(ws, f"daylog followups done {open_ids[1][:3]}") == [
        i for i in open_ids if i.startswith(open_ids[1][:3])
    ]


def test_author_completes_member_ids_and_names(ws: Path) -> None:
    """`--author <TAB>` offers the ids, then the display names; a typed prefix narrows them."""
    assert complete(ws, "daylog new --author ") == ["mj", "sally", "heath", "엠제이", "샐리", "히스"]
    assert complete(ws, "daylog status -a 샐") == ["샐리"]
    assert complete(ws, "daylog followups --author s") == ["sally"]


def test_dates_complete_words_and_recent_entry_dates(ws: Path) -> None:
    """A date offers today and yesterday (in both languages) and the entry dates, newest first."""
    assert complete(ws, "daylog edit ") == ["today", "yesterday", "오늘", "어제", "2021-02-02", "2021-02-01"]
    assert complete(ws, "daylog commit 2021-02-01") == ["2021-02-01"]
    assert complete(ws, "daylog new --date y") == ["yesterday"]


def test_concept_names_where_they_exist(ws: Path) -> None:
    """`search <TAB>` offers the `concepts/*.md` names, and nothing without that folder."""
    assert complete(ws, "daylog search ") == []
    (ws / "concepts").mkdir()
    for name in ("어텐션", "backprop", ".hidden"):
        (ws / "concepts" / f"{name}.md").write_text("# x\n", encoding="utf-8")
    assert complete(ws, "daylog search ") == ["backprop", "어텐션"]


def test_outside_a_workspace_nothing_is_offered(tmp_path: Path) -> None:
    """No workspace: no candidates and no error in the shell."""
    assert complete(None, "daylog followups done ", cwd=tmp_path) == []
    assert complete(None, "daylog new --author ", cwd=tmp_path) == []


def test_the_completion_script_is_typers(monkeypatch: pytest.MonkeyPatch) -> None:
    """`--show-completion bash` prints the script `--install-completion` installs, for `daylog`.

    Typer takes the shell's name as a value only when it is told not to detect the shell;
    otherwise it asks the process tree, which names no shell under `make` or in a job run
    in the background (the test then failed with "Shell  not supported").
    """
    monkeypatch.setenv("_TYPER_COMPLETE_TEST_DISABLE_SHELL_DETECTION", "1")
    r = CliRunner().invoke(app, ["--show-completion", "bash"], prog_name="daylog")
    assert r.exit_code == 0
    assert "_DAYLOG_COMPLETE=complete_bash" in r.stdout
    assert "complete -o default -F _daylog_completion daylog" in r.stdout
