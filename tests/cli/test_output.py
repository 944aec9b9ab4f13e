"""What reaches stdout: the documented JSON keys, and output that cannot be written is an error."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import REPO
from typer.testing import CliRunner

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


@pytest.fixture
def ws(make_ws: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_ws()
    for who, day, text in (("mj", "2021-02-05", FRIDAY), ("sally", "2021-02-08", MONDAY)):
        path = root / "logs" / who / f"{day}.md"
        path.parent.mkdir(parents=True)
        path.write_text(text, encoding="utf-8")
        t = time.time() - 60  # older than the cache's 2-second window: rows are kept
        os.utime(path, (t, t))
    monkeypatch.chdir(root)
    monkeypatch.setenv("DAYLOG_NOW", NOW)
    return root


def run(args: list[str]) -> tuple[int, str, str]:
    result = CliRunner().invoke(app, args, env={"DAYLOG_NOW": NOW})
    return result.exit_code, result.stdout, result.stderr


def test_followups_json_has_the_documented_keys(ws: Path) -> None:
    """The README's keys, oldest first; a warm second run (from the parse cache) says the same."""
    code, out, err = run(["followups", "--json"])
    rows = json.loads(out)
    assert (code, err) == (0, "")
    assert [r["topic"] for r in rows] == ["캡슐넷", "이동 불변성", "어텐션 마스크"]
    assert set(rows[0]) == {
        "id", "author", "topic", "note", "raised_on", "raised_day", "status", "resolved_on", "path", "line", "age_days",
        "maybe_answered_in",
    }  # fmt: skip
    assert rows[0]["age_days"] == 1 and rows[0]["path"] == "logs/mj/2021-02-05.md"
    assert run(["followups", "--json"]) == (code, out, err)


def test_tasks_json_has_the_documented_keys(ws: Path) -> None:
    """`tasks --json`: open items only unless --all, with the README's keys."""
    code, out, _ = run(["tasks", "--json"])
    rows = json.loads(out)
    assert code == 0 and [r["text"] for r in rows] == ["2번 과제: 데이터 로더", "3번 과제"]
    assert set(rows[0]) == {
        "author", "text", "status", "first_on", "first_day", "last_on", "done_on", "open_days", "path", "line",
    }  # fmt: skip
    _, out, _ = run(["tasks", "--json", "--all", "-a", "mj"])
    done = [(r["text"], r["status"]) for r in json.loads(out)]
    assert done == [("1번 과제", "done"), ("2번 과제: 데이터 로더", "open")]


@pytest.mark.skipif(not Path("/dev/full").exists(), reason="needs /dev/full")
@pytest.mark.parametrize("args", [["followups", "--json"], ["followups"], ["tasks"], ["--help"]])
def test_a_full_disk_is_an_error_not_a_bug(ws: Path, args: list[str]) -> None:
    """Output that cannot be written: one line naming why, exit 1, no traceback."""
    with open("/dev/full", "w") as full:
        r = subprocess.run(
            [sys.executable, "-m", "daylog", *args], cwd=ws, stdout=full, stderr=subprocess.PIPE, text=True, check=False
        )
    assert r.returncode == 1
    assert r.stderr == "daylog: error: No space left on device\n"


def _small_file_limit() -> None:  # pragma: no cover - runs in the child
    import resource

    resource.setrlimit(resource.RLIMIT_FSIZE, (2048, 2048))


@pytest.mark.skipif(sys.platform == "win32", reason="RLIMIT_FSIZE")
@pytest.mark.parametrize("unbuffered", ["1", ""])
@pytest.mark.parametrize("args", [["followups", "--json"], ["questions", "--json"], ["tasks", "--json"]])
def test_truncated_output_under_ulimit_is_an_error(tmp_path: Path, args: list[str], unbuffered: str) -> None:
    """`ulimit -f 2; daylog followups --json > o.json`: exit 1 and one line, even with PYTHONUNBUFFERED=1."""
    out = tmp_path / "o.json"
    env = {**os.environ, "DAYLOG_NOW": "2026-11-20T22:00:00+09:00", "PYTHONUNBUFFERED": unbuffered}
    with out.open("w") as fh:
        r = subprocess.run([sys.executable, "-m", "daylog", "-w", str(REPO), *args], stdout=fh,
                           stderr=subprocess.PIPE, text=True, env=env, preexec_fn=_small_file_limit,
                           check=False)  # fmt: skip
    assert out.stat().st_size == 2048  # the sample's listing is longer than the limit
    assert r.returncode == 1
    assert r.stderr == "daylog: error: File too large\n"


def test_closed_stdout_is_named(ws: Path) -> None:
    """Started with stdout closed (`>&-`): one line, exit 1."""
    r = subprocess.run([sys.executable, "-m", "daylog", "followups", "--json"], cwd=ws, stdout=subprocess.DEVNULL,
                       stderr=subprocess.PIPE, text=True, close_fds=True, check=False,
                       preexec_fn=lambda: os.close(1))  # fmt: skip
    assert r.returncode == 1 and r.stderr == "daylog: error: standard output is closed\n"


def test_json_with_a_file_name_that_is_not_utf8_is_still_utf8() -> None:
    """A lone surrogate (a non-UTF-8 file name, read with surrogateescape) becomes U+FFFD, not a crash."""
    import io

    from daylog.terminal import print_json

    raw = io.BytesIO()
    out = io.TextIOWrapper(raw, encoding="utf-8")
    print_json([{"path": "logs/mj/\udce9.md", "topic": "정규화"}], out)
    out.flush()
    assert json.loads(raw.getvalue().decode("utf-8")) == [{"path": "logs/mj/\ufffd.md", "topic": "정규화"}]
