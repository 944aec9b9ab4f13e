"""Hostile files under `logs/` (#12): links leading out, FIFOs, devices, huge files, races.

The rule: an entry is a regular file whose real path lies inside the workspace and whose
size is within the limit. Anything else is named by `check`, never read past its `stat`,
never published and never written through.
"""

from __future__ import annotations

import json
import multiprocessing
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daylog.cli.app import app
from daylog.workspace.files import MAX_ENTRY_BYTES

NOW = "2021-02-08T21:00:00+09:00"
SECRET = "DAYLOG_TEST_SECRET=hunter2-ci-token"
ENTRY = """\
---
title: "[부스트캠프 AI Tech / Day{day}] 오늘"
date: {date} 22:00:00 +0900
author: mj
day: {day}
---

## 피어세션 정리

### 더 정리할 것

- [ ] 첫째 주제
- [ ] 둘째 주제

## TIL (Today I Learned)

- 배운 것
"""

needs_posix = pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="POSIX special files")


def run(runner: CliRunner, ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-w", str(ws), *args], env={"DAYLOG_NOW": NOW})


def daylog(ws: Path, *args: str, timeout: float = 20) -> subprocess.CompletedProcess[str]:
    """The installed CLI in a child process: a hang fails the test instead of the suite."""
    env = {**os.environ, "DAYLOG_NOW": NOW}
    return subprocess.run(
        [sys.executable, "-m", "daylog", "-w", str(ws), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        env=env,
        check=False,
    )


@pytest.fixture
def ws(make_ws: Callable[..., Path]) -> Path:
    root = make_ws()
    (root / "logs" / "mj").mkdir()
    (root / "logs" / "mj" / "2021-02-05.md").write_text(ENTRY.format(day=15, date="2021-02-05"), encoding="utf-8")
    return root


@pytest.fixture
def secret_file(tmp_path: Path) -> Path:
    """A file outside the workspace holding something a build must never publish."""
    path = tmp_path / "outside" / "environ"
    path.parent.mkdir()
    path.write_text(f"PATH=/usr/bin\n{SECRET}\n", encoding="utf-8")
    return path


def findings(runner: CliRunner, ws: Path) -> tuple[int, list[dict[str, object]]]:
    result = run(runner, ws, "check", "--json")
    return result.exit_code, json.loads(result.stdout)


def test_a_link_leading_out_is_a_check_error_and_never_read(runner: CliRunner, ws: Path, secret_file: Path) -> None:
    (ws / "logs" / "mj" / "2021-02-04.md").symlink_to(secret_file)
    code, found = findings(runner, ws)
    assert code == 1
    [refused] = [f for f in found if f["path"] == "logs/mj/2021-02-04.md"]
    assert refused["severity"] == "error" and refused["code"] == "not-an-entry"
    assert "outside the workspace" in str(refused["message"])
    assert SECRET not in json.dumps(found)
    listed = run(runner, ws, "followups", "--json")
    assert listed.exit_code == 0 and SECRET not in listed.stdout + listed.stderr
    assert "logs/mj/2021-02-04.md" in listed.stderr  # the listing says what it left out


def test_a_linked_member_folder_leading_out_is_refused(runner: CliRunner, ws: Path, secret_file: Path) -> None:
    (ws / "logs" / "sally").symlink_to(secret_file.parent, target_is_directory=True)
    (secret_file.parent / "2021-02-05.md").write_text(SECRET, encoding="utf-8")
    code, found = findings(runner, ws)
    assert code == 1
    assert any(f["path"] == "logs/sally/2021-02-05.md" and f["code"] == "not-an-entry" for f in found)
    assert SECRET not in json.dumps(found)


@pytest.mark.skipif(not Path("/etc/passwd").is_file(), reason="no /etc/passwd here")
def test_an_explicit_path_through_a_link_is_refused(runner: CliRunner, ws: Path) -> None:
    link = ws / "logs" / "mj" / "2021-02-04.md"
    link.symlink_to("/etc/passwd")
    result = run(runner, ws, "check", str(link))
    assert result.exit_code == 1
    assert "root:" not in result.stdout + result.stderr
    assert "outside the workspace" in result.stdout + result.stderr


def test_the_site_never_publishes_a_linked_secret(ws: Path, secret_file: Path, tmp_path: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    (ws / "logs" / "mj" / "2021-02-04.md").symlink_to(secret_file)
    (ws / "docs").mkdir()
    (ws / "docs" / "index.md").write_text("# 팀\n", encoding="utf-8")
    site = tmp_path / "site"
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAYLOG_NOW", NOW)
        mp.setenv("DAYLOG_SEARCH_KO", "0")
        build(load_config(str(ws / "mkdocs.yml"), site_dir=str(site)))
    built = [p for p in site.rglob("*") if p.is_file()]
    assert any(p.name == "search_index.json" for p in built)
    leaked = [p for p in built if b"hunter2" in p.read_bytes()]
    assert leaked == []
    assert any("2021-02-05" in str(p) for p in built)  # the real entry is published
    assert not any("2021-02-04" in str(p) for p in built)


@needs_posix
def test_a_fifo_and_a_device_do_not_hang_any_command(ws: Path) -> None:
    os.mkfifo(ws / "logs" / "mj" / "2021-02-03.md")
    if Path("/dev/zero").exists():
        (ws / "logs" / "mj" / "2021-02-02.md").symlink_to("/dev/zero")
    started = time.monotonic()
    checked = daylog(ws, "check")
    assert checked.returncode == 1
    assert "logs/mj/2021-02-03.md" in checked.stdout and "not a regular file" in checked.stdout
    for args in (("followups", "--json"), ("tasks", "--json"), ("questions", "--json"), ("status", "--author", "mj")):
        result = daylog(ws, *args)
        assert result.returncode == 0, result.stderr
        assert "Traceback" not in result.stderr
    assert time.monotonic() - started < 20


def test_a_folder_named_like_an_entry_is_named(runner: CliRunner, ws: Path) -> None:
    (ws / "logs" / "mj" / "2021-02-01.md").mkdir()
    code, found = findings(runner, ws)
    assert code == 1
    [message] = [str(f["message"]) for f in found if f["path"] == "logs/mj/2021-02-01.md"]
    assert message.startswith("is a folder named like an entry")


def test_a_huge_entry_is_refused_unparsed_and_the_rest_listed(runner: CliRunner, ws: Path) -> None:
    huge = ws / "logs" / "mj" / "2021-02-04.md"
    with huge.open("w", encoding="utf-8") as fh:
        fh.write(ENTRY.format(day=14, date="2021-02-04"))
        fh.write(("- [ ] 반복되는 주제 " + "x" * 80 + "\n") * (MAX_ENTRY_BYTES // 90 + 10))
    code, found = findings(runner, ws)
    assert code == 1
    [refused] = [f for f in found if f["path"] == "logs/mj/2021-02-04.md"]
    assert "MB" in str(refused["message"]) and refused["code"] == "not-an-entry"
    listed = run(runner, ws, "followups", "--json")
    topics = [r["topic"] for r in json.loads(listed.stdout)]
    assert topics == ["첫째 주제", "둘째 주제"]


def test_the_size_limit_is_the_max_entry_size_setting(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """`max_entry_size: 0.1` refuses a 150 KB entry in check, listings and the site; 3 lets a 2.5 MB one through."""
    body = ENTRY.format(day=14, date="2021-02-04") + ("- [ ] 큰 주제 " + "x" * 90 + "\n") * 1500
    for limit, size, refused in ((0.1, 150_000, True), (3, 2_500_000, False)):
        root = make_ws(extra=f"      max_entry_size: {limit}\n")
        (root / "logs" / "mj").mkdir(exist_ok=True)
        entry = root / "logs" / "mj" / "2021-02-04.md"
        entry.write_text(body * (size // len(body.encode()) + 1), encoding="utf-8")
        _, found = findings(runner, root)
        messages = [str(f["message"]) for f in found if f["code"] == "not-an-entry"]
        assert bool(messages) is refused, found
        if refused:
            assert f"over the {limit:g} MB an entry may have (`max_entry_size`)" in messages[0]
        listed = json.loads(run(runner, root, "followups", "--json").stdout)
        assert bool(listed) is not refused
        shutil.rmtree(root)
    bad = make_ws(extra="      max_entry_size: 500\n")
    r = run(runner, bad, "check")
    assert r.exit_code == 1 and "`max_entry_size`: must be a number of megabytes from 0.1 to 50, not 500" in r.stderr


def test_a_linked_logs_folder_inside_the_workspace_keeps_working(runner: CliRunner, ws: Path) -> None:
    (ws / "logs").rename(ws / "journal")
    (ws / "logs").symlink_to("journal", target_is_directory=True)
    code, found = findings(runner, ws)
    assert code == 0, found
    listed = run(runner, ws, "followups", "--json")
    assert {r["path"] for r in json.loads(listed.stdout)} == {"logs/mj/2021-02-05.md"}
    done = run(runner, ws, "followups", "done", json.loads(listed.stdout)[0]["id"])
    assert done.exit_code == 0, done.output
    assert "- [x] 첫째 주제" in (ws / "journal" / "mj" / "2021-02-05.md").read_text(encoding="utf-8")


def test_done_and_link_never_write_through_a_link_leading_out(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.md"
    original = ENTRY.format(day=16, date="2021-02-08")
    outside.write_text(original, encoding="utf-8")
    (ws / "logs" / "mj" / "2021-02-08.md").symlink_to(outside)
    linked = run(runner, ws, "link", "7", "--date", "2021-02-08", "--author", "mj", "--offline")
    assert linked.exit_code != 0
    assert "outside the workspace" in linked.output
    assert "Traceback" not in linked.output
    # followups never list it, so there is nothing `done` could flip there
    listed = json.loads(run(runner, ws, "followups", "--json").stdout)
    assert {r["path"] for r in listed} == {"logs/mj/2021-02-05.md"}
    assert outside.read_text(encoding="utf-8") == original


def _done(ws: str, ident: str) -> None:  # pragma: no cover - runs in a child process
    from typer.testing import CliRunner

    result = CliRunner().invoke(app, ["-w", ws, "followups", "done", ident], env={"DAYLOG_NOW": NOW})
    os._exit(result.exit_code)


@pytest.mark.skipif(sys.platform == "win32", reason="fork")
def test_fifty_concurrent_pairs_of_done_keep_every_edit(runner: CliRunner, ws: Path) -> None:
    entry = ws / "logs" / "mj" / "2021-02-05.md"
    ids = [r["id"] for r in json.loads(run(runner, ws, "followups", "--json").stdout)]
    assert len(ids) == 2
    fork = multiprocessing.get_context("fork")
    fresh = ENTRY.format(day=15, date="2021-02-05")
    for _ in range(50):
        entry.write_text(fresh, encoding="utf-8")
        pair = [fork.Process(target=_done, args=(str(ws), i)) for i in ids]
        for p in pair:
            p.start()
        for p in pair:
            p.join(30)
        assert [p.exitcode for p in pair] == [0, 0]
        text = entry.read_text(encoding="utf-8")
        assert "- [x] 첫째 주제" in text and "- [x] 둘째 주제" in text, text


def test_stale_temp_files_are_reported_and_removed_by_the_next_write(runner: CliRunner, ws: Path) -> None:
    folder = ws / "logs" / "mj"
    stale = folder / ".2021-02-05.md.a1b2c3.tmp"
    stale.write_text("half a write", encoding="utf-8")
    old = time.time() - 2 * 3600
    os.utime(stale, (old, old))
    fresh = folder / ".2021-02-05.md.d4e5f6.tmp"  # a write in flight right now: not reported
    fresh.write_text("in flight", encoding="utf-8")
    code, found = findings(runner, ws)
    assert code == 0  # a warning
    assert [(f["path"], f["code"], f["severity"]) for f in found] == [
        ("logs/mj/.2021-02-05.md.a1b2c3.tmp", "leftover", "warning")
    ]
    listed = json.loads(run(runner, ws, "followups", "--json").stdout)
    assert {r["path"] for r in listed} == {"logs/mj/2021-02-05.md"}  # never read as an entry
    assert run(runner, ws, "followups", "done", listed[0]["id"]).exit_code == 0
    assert not stale.exists()
    assert findings(runner, ws) == (0, [])


def test_a_template_linked_out_of_the_workspace_is_never_read(runner: CliRunner, ws: Path, secret_file: Path) -> None:
    """`templates/entry.md.j2 -> /etc/passwd`: `new` refuses it in one line; nothing of it reaches an entry."""
    template = ws / "templates" / "entry.md.j2"
    template.unlink()
    template.symlink_to(secret_file)
    r = run(runner, ws, "new", "--author", "mj", "--print")
    assert r.exit_code == 1 and SECRET not in r.output
    assert r.stderr.splitlines() == [
        f"daylog: error: {template}: is a link leading outside the workspace; daylog neither reads nor writes "
        "there (replace the link with the file itself)"
    ]


def test_a_template_that_loops_for_hours_is_stopped(
    runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Nested loops with no output: `new` gives up after TEMPLATE_SECONDS with one line, and writes nothing."""
    from daylog.entries import new

    monkeypatch.setattr(new, "TEMPLATE_SECONDS", 0.5)
    loops = "{% for i in range(99999) %}{% for j in range(99999) %}{% endfor %}{% endfor %}\n"
    (ws / "templates" / "entry.md.j2").write_text(loops, encoding="utf-8")
    started = time.monotonic()
    r = run(runner, ws, "new", "--author", "mj")
    assert time.monotonic() - started < 10
    assert r.exit_code == 1
    assert r.stderr.splitlines() == [
        "daylog: error: templates/entry.md.j2:1: template failed: TimeoutError: rendering took over 0.5 s"
    ]
    assert not (ws / "logs" / "mj" / "2021-02-08.md").exists()


@needs_posix
@pytest.mark.parametrize("what", ["fifo", "zero"])
def test_a_settings_file_or_issue_cache_that_never_ends_is_refused(ws: Path, what: str) -> None:
    """mkdocs.yml or .daylog/issues.json as a FIFO or a link to /dev/zero: one line, no hang.

    A bad issue cache is a warning (the references are listed without titles); bad settings exit 1."""
    if what == "zero" and not Path("/dev/zero").exists():
        pytest.skip("no /dev/zero")

    def endless(path: Path) -> None:
        path.unlink(missing_ok=True)
        os.mkfifo(path) if what == "fifo" else path.symlink_to("/dev/zero")

    (ws / ".daylog").mkdir(exist_ok=True)
    endless(ws / ".daylog" / "issues.json")
    issues = daylog(ws, "issues", "--json")
    assert issues.returncode == 0 and "Traceback" not in issues.stderr
    assert issues.stderr.count("\n") == 1 and "issues.json: the issue cache is unusable" in issues.stderr
    endless(ws / "mkdocs.yml")
    checked = subprocess.run(
        [sys.executable, "-m", "daylog", "check"], cwd=ws, capture_output=True, text=True, timeout=20, check=False
    )
    assert checked.returncode != 0 and "Traceback" not in checked.stderr and checked.stderr.count("\n") == 1
    explicit = daylog(ws, "check")
    assert explicit.returncode == 1 and explicit.stderr.count("\n") == 1 and "mkdocs.yml" in explicit.stderr
