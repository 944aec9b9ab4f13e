"""The Typer-free fast path for `followups --json` / `tasks --json`: same answers as the app."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daylog.cli import fast as launcher
from daylog.cli.app import app

NOW = "2021-02-08T22:00:00+09:00"  # a Monday

FRIDAY = """\
---
title: "[부스트캠프 AI Tech / Day15] Today"
date: 2021-02-05
author: 엠제이
---

## 과제 진행 상황

- [x] 1번 과제
- [ ] 2번 과제: 데이터 로더

## 더 정리할 것

- [ ] 캡슐넷: 동적 라우팅이 왜 필요한지
- [x] 배치 정규화 ✅ 2021-02-05
- [ ] 이동 불변성
"""

MONDAY = """\
---
title: "[부스트캠프 AI Tech / Day16] Today"
date: 2021-02-08
author: 샐리
---

## 과제 진행 상황

- [ ] 3번 과제

## 더 정리할 것

- [ ] 어텐션 마스크: 패딩 위치
"""


def age(path: Path, seconds: float) -> None:
    t = time.time() - seconds
    os.utime(path, (t, t))


@pytest.fixture
def ws(make_ws: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_ws()
    for who, day, text in (("mj", "2021-02-05", FRIDAY), ("sally", "2021-02-08", MONDAY)):
        path = root / "logs" / who / f"{day}.md"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        age(path, 60)  # older than the caches' 2-second window: answers may be kept
    monkeypatch.chdir(root)
    monkeypatch.setenv("DAYLOG_NOW", NOW)
    return root


def fast(args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> tuple[int, str, str]:
    """Run the console-script entry point in-process: (exit status, stdout, stderr)."""
    assert launcher.parse_fast(args) is not None, "this form should take the fast path"
    monkeypatch.setattr(sys, "argv", ["daylog", *args])
    with pytest.raises(SystemExit) as stop:
        launcher.main()
    out, err = capsys.readouterr()
    return int(stop.value.code or 0), out, err


def typer_app(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, env={"DAYLOG_NOW": NOW})
    return result.exit_code, result.stdout, result.stderr


SAME = [
    ["followups", "--json"],
    ["followups", "--json", "--all"],
    ["followups", "--resolved", "--json"],
    ["followups", "--json", "--author", "mj"],
    ["followups", "-a", "sally", "--json"],
    ["followups", "--json", "--author=mj", "--author", "sally"],
    ["followups", "--json", "--older-than", "0"],
    ["followups", "--older-than=1", "--json"],
    ["followups", "--json", "--all", "--resolved"],
    ["followups", "--json", "--author", "nobody"],
    ["followups", "--json", "--author", "mj", "--mine"],
    ["tasks", "--json"],
    ["tasks", "--json", "--all", "-a", "mj"],
    ["tasks", "--json", "--author", "nobody"],
]


@pytest.mark.parametrize("args", SAME, ids=" ".join)
def test_fast_path_answers_exactly_like_the_typer_app(
    ws: Path, args: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Output, errors and exit status match the Typer command; a replayed answer too."""
    expected = typer_app(args)
    assert fast(args, capsys, monkeypatch) == expected
    assert fast(args, capsys, monkeypatch) == expected  # second run: replayed from the answer cache
    assert fast(["-w", str(ws), *args], capsys, monkeypatch) == expected


def test_the_listing_has_the_documented_keys(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, out, _ = fast(["followups", "--json"], capsys, monkeypatch)
    rows = json.loads(out)
    assert code == 0
    assert [r["topic"] for r in rows] == ["캡슐넷", "이동 불변성", "어텐션 마스크"]
    assert set(rows[0]) == {
        "id", "author", "topic", "note", "raised_on", "raised_day", "status", "resolved_on", "path", "line", "age_days",
    }  # fmt: skip
    assert rows[0]["age_days"] == 1 and rows[0]["path"] == "logs/mj/2021-02-05.md"


@pytest.mark.parametrize(
    "args",
    [
        [],
        ["followups"],
        ["followups", "--help", "--json"],
        ["followups", "--json", "done", "abc"],
        ["followups", "--json", "--older-than", "-1"],
        ["followups", "--json", "--older-than", "x"],
        ["followups", "--json", "--author"],
        ["followups", "--json", "--author", "--all"],
        ["followups", "--json", "-amj"],
        ["followups", "--json", "--"],
        ["tasks", "--json", "--resolved"],
        ["--version"],
        ["-wfoo", "followups", "--json"],
        ["--workspace"],
        ["new", "--json"],
        ["status", "--json"],
    ],
    ids=lambda a: " ".join(a) or "(nothing)",
)
def test_anything_else_goes_to_the_typer_app(args: list[str]) -> None:
    """Help, typos and values that need checking are the app's: it owns every usage error."""
    assert launcher.parse_fast(args) is None


def test_workspace_from_the_environment(ws: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    call = launcher.parse_fast(["followups", "--json"], {"DAYLOG_WORKSPACE": str(ws)})
    assert call is not None and call.workspace == str(ws)
    assert launcher.parse_fast(["-w", "x", "tasks", "--json"], {"DAYLOG_WORKSPACE": str(ws)}).workspace == "x"  # type: ignore[union-attr]
    assert launcher.parse_fast(["tasks", "--json"], {"DAYLOG_WORKSPACE": ""}).workspace is None  # type: ignore[union-attr]


def test_a_replayed_answer_follows_every_edit(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nothing changed: no entry is read. One entry edited: the answer is made again from it."""
    import daylog.followups.service

    _, first, _ = fast(["followups", "--json"], capsys, monkeypatch)

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("a warm run with nothing changed must not list again")

    with monkeypatch.context() as m:
        m.setattr(daylog.followups.service, "list_followups", boom)
        assert fast(["followups", "--json"], capsys, monkeypatch)[1] == first

    entry = ws / "logs" / "mj" / "2021-02-05.md"
    entry.write_text(FRIDAY.replace("- [ ] 이동 불변성", "- [x] 이동 불변성"), encoding="utf-8")
    age(entry, 30)  # a different mtime, still outside the 2-second window
    _, after, _ = fast(["followups", "--json"], capsys, monkeypatch)
    assert [r["topic"] for r in json.loads(after)] == ["캡슐넷", "어텐션 마스크"]

    (ws / "logs" / "heath").mkdir()
    new = ws / "logs" / "heath" / "2021-02-08.md"
    new.write_text(MONDAY.replace("어텐션 마스크", "드롭아웃"), encoding="utf-8")
    age(new, 30)
    _, added, _ = fast(["followups", "--json"], capsys, monkeypatch)
    assert [r["topic"] for r in json.loads(added)] == ["캡슐넷", "드롭아웃", "어텐션 마스크"]


def test_a_corrupt_answer_cache_is_ignored(
    ws: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    _, first, _ = fast(["followups", "--json"], capsys, monkeypatch)
    answers = ws / ".daylog" / "cache" / "followups.answers"
    assert answers.exists()
    answers.write_bytes(b"\x00garbage")
    assert fast(["followups", "--json"], capsys, monkeypatch)[1] == first


def probed(root: Path, report: str, seed: str = "0") -> subprocess.CompletedProcess[str]:
    """`daylog followups --json` in a new process; stderr ends with the `report` expression's value."""
    code = (
        "import sys\n"
        "sys.argv = ['daylog', 'followups', '--json']\n"
        "from daylog.cli import fast as launcher\n"
        "try:\n"
        "    launcher.main()\n"
        "finally:\n"
        f"    sys.stderr.write({report})\n"
    )
    env = {**os.environ, "DAYLOG_NOW": NOW, "PYTHONHASHSEED": seed}
    return subprocess.run([sys.executable, "-c", code], cwd=root, capture_output=True, text=True, env=env)


def test_the_fast_path_never_loads_typer(ws: Path) -> None:
    """The point of it: `followups --json` runs without importing typer or click."""
    result = probed(ws, "' '.join(m for m in ('typer', 'click') if m in sys.modules)")
    assert result.returncode == 0, result.stderr
    assert len(json.loads(result.stdout)) == 3
    assert result.stderr == ""


def test_answers_survive_a_new_process_with_holiday_ranges(make_ws: Callable[..., Path]) -> None:
    """Settings enter the answer key in a stable form: a set of holidays prints in another
    order under every hash seed, which would make every new process miss the answer."""
    root = make_ws(holidays="[2021-02-11..2021-02-12, 2021-03-01, 2021-05-05, 2021-06-06..2021-06-08]")
    path = root / "logs" / "mj" / "2021-02-05.md"
    path.parent.mkdir(parents=True)
    path.write_text(FRIDAY, encoding="utf-8")
    age(path, 60)
    made = "'made' if 'daylog.entries.parse' in sys.modules or 'json' in sys.modules else 'replayed'"
    runs = [probed(root, made, seed) for seed in ("1", "2", "3", "4")]
    assert [r.stderr for r in runs] == ["made", "replayed", "replayed", "replayed"]
    assert len({r.stdout for r in runs}) == 1 and len(json.loads(runs[0].stdout)) == 2


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["followups", "--json"], ["followups"], ["tasks"], ["--help"]])
def test_a_full_disk_is_an_error_not_a_bug(ws: Path, args: list[str]) -> None:
    """Output that cannot be written: one line naming why, exit 1, no traceback (both paths)."""
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", "daylog", *args], cwd=ws, stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert r.returncode == 1
    assert r.stderr == "daylog: error: No space left on device\n"


def test_closed_stdout_is_named(ws: Path) -> None:
    r = subprocess.run([sys.executable, "-m", "daylog", "followups", "--json"], cwd=ws, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, close_fds=True, preexec_fn=lambda: os.close(1))  # fmt: skip
    assert r.returncode == 1 and r.stderr == "daylog: error: standard output is closed\n"
