"""The foundation commands end to end in-process: init, new, check, and their errors."""

from __future__ import annotations

import json
import os
import stat
import subprocess
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import REFERENCE, assert_golden
from typer.testing import CliRunner

from daylog.cli.app import app

NOW = "2021-02-03T22:31:00+09:00"


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env={"DAYLOG_NOW": NOW, **(env or {})})


# --- init ------------------------------------------------------------------------


def test_init_creates_workspace_then_new_numbers_day13(runner: CliRunner, tmp_path: Path) -> None:
    """The issue's walk-through: init, new for 2021-02-03 → Day13; a second new changes nothing."""
    ws = tmp_path / "team"
    r = run(
        runner, "init", str(ws), "--course", "부스트캠프 AI Tech", "--start-date", "2021-01-18", "--member", "mj:엠제이"
    )
    assert r.exit_code == 0, r.stderr
    assert (ws / "mkdocs.yml").is_file() and (ws / "templates" / "entry.md.j2").is_file() and (ws / "logs").is_dir()
    assert 'name: "엠제이"' in (ws / "mkdocs.yml").read_text(encoding="utf-8")
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "mj", "--no-edit")
    assert r.exit_code == 0, r.stderr
    entry = ws / "logs" / "mj" / "2021-02-03.md"
    assert r.stdout.strip().endswith("logs/mj/2021-02-03.md")
    text = entry.read_text(encoding="utf-8")
    assert 'title: "[부스트캠프 AI Tech / Day13] Today"' in text
    assert "date: 2021-02-03 22:31:00 +0900" in text and "\nday: 13\n" in text
    before = entry.read_bytes()
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "mj", "--no-edit")
    assert r.exit_code == 1
    assert "already exists" in r.stderr and r.stdout.strip().endswith("2021-02-03.md")
    assert entry.read_bytes() == before


def test_init_never_overwrites(runner: CliRunner, tmp_path: Path) -> None:
    """If any target exists, init lists it, exits 1 and writes nothing."""
    (tmp_path / "mkdocs.yml").write_text("site_name: mine\n", encoding="utf-8")
    r = run(runner, "init", str(tmp_path), "--course", "c", "--start-date", "2021-01-18")
    assert r.exit_code == 1
    assert "mkdocs.yml" in r.stderr and "nothing was written" in r.stderr
    assert (tmp_path / "mkdocs.yml").read_text(encoding="utf-8") == "site_name: mine\n"
    assert not (tmp_path / "templates").exists() and not (tmp_path / "logs").exists()


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--course", "c"], "--start-date is required"),
        (["--course", "c", "--start-date", "2021-02-30"], "2021-02-30: February 2021 has 28 days"),
        (["--course", "c", "--start-date", "2021-01-18", "--member", "../x"], "names the folder"),
        (["--course", "c", "--start-date", "2021-01-18", "--timezone", "Seoul"], "IANA"),
        (["--course", "c", "--start-date", "2021-01-18", "--issue-repo", "nope"], "OWNER/REPO"),
        (["--start-date", "2021-01-18"], "--course is required"),
    ],
)
def test_init_bad_input(runner: CliRunner, tmp_path: Path, args: list[str], fragment: str) -> None:
    """Bad init options: one line on stderr, exit 2, nothing written."""
    r = run(runner, "init", str(tmp_path / "w"), *args)
    assert r.exit_code == 2, r.stderr
    assert fragment in r.stderr and r.stderr.count("\n") == 1
    assert not (tmp_path / "w").exists()


# --- new -------------------------------------------------------------------------


def test_new_golden_entry(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """The scaffolded entry of the default template, byte for byte."""
    ws = make_ws()
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "sally", "--print")
    assert r.exit_code == 0, r.stderr
    assert not (ws / "logs" / "sally").exists()
    assert_golden("new-entry.md", r.stdout)


def test_new_default_date_uses_zone_and_day_start(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """At 01:30 KST on the 4th it is still the 3rd's study day; the stamp keeps the real time."""
    ws = make_ws()
    r = run(
        runner, "-w", str(ws), "new", "--author", "mj", "--no-edit", env={"DAYLOG_NOW": "2021-02-03T16:30:00+00:00"}
    )
    assert r.exit_code == 0, r.stderr
    text = (ws / "logs" / "mj" / "2021-02-03.md").read_text(encoding="utf-8")
    assert "date: 2021-02-04 01:30:00 +0900" in text and "\nday: 13\n" in text
    assert run(runner, "-w", str(ws), "check", str(ws / "logs" / "mj" / "2021-02-03.md")).exit_code == 0
    r = run(runner, "-w", str(ws), "check", "--json")
    assert not [f for f in json.loads(r.stdout) if f["severity"] == "error"]


def test_new_on_a_holiday_says_so(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """A holiday entry is created without a day number, with a note and a title that copes."""
    ws = make_ws(holidays="[2021-02-11..2021-02-12]")
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-12", "--author", "mj", "--no-edit")
    assert r.exit_code == 0
    assert "not a course day" in r.stderr
    text = (ws / "logs" / "mj" / "2021-02-12.md").read_text(encoding="utf-8")
    assert 'title: "[부스트캠프 AI Tech / 2021-02-12] Today"' in text and "\nday: null\n" in text
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-15", "--author", "mj", "--print")
    assert "Day19" in r.stdout


def test_new_author_from_git_email(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """Without --author, the member whose e-mail is git's user.email writes the entry."""
    ws = make_ws()
    subprocess.run(["git", "init", "-q", str(ws)], check=True)
    subprocess.run(["git", "-C", str(ws), "config", "user.email", "SALLY@example.com"], check=True)
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--print")
    assert r.exit_code == 0, r.stderr
    assert "author: sally" in r.stdout
    subprocess.run(["git", "-C", str(ws), "config", "user.email", "who@else.com"], check=True)
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--print")
    assert r.exit_code == 2 and "belongs to no member" in r.stderr and "mj, sally, heath" in r.stderr


def test_new_opens_the_editor(runner: CliRunner, make_ws: Callable[..., Path], tmp_path: Path) -> None:
    """--edit runs $EDITOR with the new file's path."""
    ws = make_ws()
    log = tmp_path / "edited.txt"
    editor = tmp_path / "fake-editor.sh"
    editor.write_text(f'#!/bin/sh\necho "$1" > {log}\n', encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    r = run(
        runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "mj", "--edit", env={"EDITOR": str(editor)}
    )
    assert r.exit_code == 0, r.stderr
    assert log.read_text(encoding="utf-8").strip().endswith("logs/mj/2021-02-03.md")


def test_an_editor_that_exits_non_zero_is_reported(
    runner: CliRunner, make_ws: Callable[..., Path], tmp_path: Path
) -> None:
    """The editor failed (or `:cq` in vim): say so and exit 1; the scaffolded entry stays."""
    ws = make_ws()
    editor = tmp_path / "failing-editor.sh"
    editor.write_text("#!/bin/sh\nexit 3\n", encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    r = run(
        runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "mj", "--edit", env={"EDITOR": str(editor)}
    )
    assert r.exit_code == 1
    assert "editor exited with status 3; the entry was kept at " in r.stderr
    assert r.stderr.rstrip().endswith("logs/mj/2021-02-03.md")
    assert "Day13" in (ws / "logs" / "mj" / "2021-02-03.md").read_text(encoding="utf-8")


def test_check_says_how_many_entries_it_checked(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """A clean workspace prints one summary line on stderr so CI logs show it ran; --quiet silences it."""
    ws = make_ws()
    (ws / "logs" / "mj").mkdir()
    for day, d in ((13, "2021-02-03"), (14, "2021-02-04")):
        text = f'---\ntitle: "[부스트캠프 AI Tech / Day{day}] 오늘"\nauthor: mj\n---\n\n## TIL\n\n- 배운 것\n'
        (ws / "logs" / "mj" / f"{d}.md").write_text(text, encoding="utf-8")
    r = run(runner, "-w", str(ws), "check")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "2 entries checked: no problems\n")
    r = run(runner, "-w", str(ws), "check", "--quiet")
    assert (r.exit_code, r.stdout, r.stderr) == (0, "", "")
    (ws / "logs" / "mj" / "2021-02-05.md").write_text("---\ndate: [\n---\n", encoding="utf-8")
    r = run(runner, "-w", str(ws), "check")
    assert r.exit_code == 1 and r.stderr.endswith("3 entries checked: 1 error, 1 warning\n")


@pytest.mark.parametrize(
    ("args", "code", "fragment"),
    [
        (["new", "--date", "03-02-2021", "--author", "mj"], 2, "is not a date"),
        (["new", "--author", "nobody"], 2, "not a member; members: mj, sally, heath"),
        (["new", "--author", "../mj"], 2, "not a member"),
        (["new"], 2, "who is writing?"),
    ],
)
def test_new_bad_input(
    runner: CliRunner, make_ws: Callable[..., Path], args: list[str], code: int, fragment: str
) -> None:
    """Bad options: one clear line, non-zero exit, nothing written."""
    ws = make_ws()
    r = run(runner, "-w", str(ws), *args)
    assert r.exit_code == code
    assert fragment in r.stderr and "Traceback" not in r.stderr + r.stdout
    assert list((ws / "logs").iterdir()) == []


def test_no_workspace(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Outside a workspace: say to run init or pass --workspace."""
    monkeypatch.chdir(tmp_path)
    r = run(runner, "new", "--author", "mj")
    assert r.exit_code == 1
    assert "no daylog workspace" in r.stderr and "daylog init" in r.stderr and "--workspace" in r.stderr


def test_template_errors_name_template_and_line(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """A template syntax error or undefined variable names the template file and line."""
    ws = make_ws(template="---\ntitle: x\n---\n\n{{ nothing_here }}\n")
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "mj")
    assert r.exit_code == 1
    assert "templates/entry.md.j2:5:" in r.stderr and "undefined" in r.stderr
    (ws / "templates" / "entry.md.j2").write_text("ok\n{% if %}\n", encoding="utf-8")
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "mj")
    assert r.exit_code == 1 and "templates/entry.md.j2:2: template syntax error" in r.stderr
    assert not (ws / "logs" / "mj").exists()


def test_invalid_settings_exit_with_key_and_line(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """A typo in the daylog block stops every command with the key and its line."""
    ws = make_ws(extra="      colour: green\n")
    r = run(runner, "-w", str(ws), "check")
    assert r.exit_code == 1
    assert "mkdocs.yml:18: daylog setting `colour`: unknown key" in r.stderr


@pytest.mark.skipif(os.geteuid() == 0, reason="root can write anywhere")
def test_unwritable_folder(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """A logs folder that cannot be written is one clear error."""
    ws = make_ws()
    (ws / "logs").chmod(0o500)
    try:
        r = run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "mj")
    finally:
        (ws / "logs").chmod(0o700)
    assert r.exit_code == 1 and "cannot write" in r.stderr


def test_unwritable_folder_as_root(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """When logs/<member> is a file, the write fails cleanly and nothing is left behind."""
    ws = make_ws()
    (ws / "logs" / "mj").write_text("not a folder", encoding="utf-8")
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "mj")
    assert r.exit_code == 1 and "cannot write" in r.stderr and "Traceback" not in r.stderr


# --- check -----------------------------------------------------------------------

GOOD = """\
---
title: "[부스트캠프 AI Tech / Day{day}] Today"
date: {d} 22:00:00 +0900
author: {who}
day: {day}
---

## TIL (Today I Learned)

- 배운 것
"""


def write(ws: Path, who: str, d: date, text: str) -> Path:
    path = ws / "logs" / who / f"{d.isoformat()}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_check_clean_workspace(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """No problems: no output, exit 0."""
    ws = make_ws()
    write(ws, "mj", date(2021, 2, 3), GOOD.format(day=13, d="2021-02-03", who="mj"))
    r = run(runner, "-w", str(ws), "check")
    assert (r.exit_code, r.stdout) == (0, "")


def test_check_reports_each_problem(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """Date/day mismatches, unknown member, wrong author, duplicates, conflicts, empty sections."""
    ws = make_ws()
    write(ws, "mj", date(2021, 2, 3), GOOD.format(day=12, d="2021-02-03", who="mj"))
    write(ws, "sally", date(2021, 2, 4), GOOD.format(day=14, d="2020-02-04", who="sally"))
    write(ws, "ghost", date(2021, 2, 4), GOOD.format(day=14, d="2021-02-04", who="ghost"))
    write(ws, "heath", date(2021, 2, 4), GOOD.format(day=14, d="2021-02-04", who="mj"))
    (ws / "logs" / "heath" / "2021-02-04-again.md").write_text(
        GOOD.format(day=14, d="2021-02-04", who="heath"), encoding="utf-8"
    )
    write(ws, "heath", date(2021, 2, 5), "## TIL\n<<<<<<< HEAD\n- a\n=======\n- b\n>>>>>>> x\n")
    write(ws, "heath", date(2021, 2, 8), "## TIL (Today I Learned)\n\n- \n")
    (ws / "logs" / "heath" / "2021-02-09.md").write_bytes(b"## TIL\n- caf\xe9\n")
    r = run(runner, "-w", str(ws), "check")
    assert r.exit_code == 1
    out = r.stdout
    expected = [
        "logs/mj/2021-02-03.md:2: error: title says Day12 but 2021-02-03 is Day13; Day12 is 2021-02-02",
        "logs/mj/2021-02-03.md:5: error: front matter `day` says Day12 but 2021-02-03 is Day13",
        "logs/sally/2021-02-04.md:3: error: front matter date 2020-02-04 does not match the file name date 2021-02-04",
        "logs/ghost/2021-02-04.md:1: error: `ghost` is not a member of the team",
        "logs/heath/2021-02-04.md:4: error: front matter author `mj` does not match the folder `heath`",
        "logs/heath/2021-02-04-again.md:1: error: second entry for heath on 2021-02-04",
        "logs/heath/2021-02-05.md:2: error: unresolved merge-conflict marker",
        "logs/heath/2021-02-08.md:1: warning: section `TIL (Today I Learned)` is empty",
        "logs/heath/2021-02-09.md:2: error: is not UTF-8 text",
    ]
    for line in expected:
        assert line in out, f"missing: {line}\n--- got:\n{out}"


def test_check_json_shape(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """--json prints a list of {path, line, severity, code, message}."""
    ws = make_ws()
    write(ws, "mj", date(2021, 2, 3), GOOD.format(day=12, d="2021-02-03", who="mj"))
    r = run(runner, "-w", str(ws), "check", "--json")
    data = json.loads(r.stdout)
    assert r.exit_code == 1
    assert data[0] == {
        "path": "logs/mj/2021-02-03.md",
        "line": 2,
        "severity": "error",
        "code": "day-mismatch",
        "message": "title says Day12 but 2021-02-03 is Day13; Day12 is 2021-02-02",
    }


@pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared/reference is not present")
def test_check_reference_post_day_mismatch(runner: CliRunner, tmp_path: Path) -> None:
    """The reference post says Day13 with a date a year off: check says which date Day13 is."""
    ws = tmp_path / "ws"
    assert (
        run(
            runner,
            "init",
            str(ws),
            "--course",
            "부스트캠프 AI Tech",
            "--start-date",
            "2021-01-18",
            "--member",
            "mj:엠제이",
        ).exit_code
        == 0
    )
    r = run(runner, "-w", str(ws), "check", str(REFERENCE))
    assert r.exit_code == 1
    assert (
        "day13-reference-post.md:2: error: title says Day13 but 2020-02-03 is before the course starts "
        "(2021-01-18); Day13 is 2021-02-03"
    ) in r.stdout


def test_check_without_workspace_checks_files_alone(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Outside a workspace, explicit files still get file-level checks and a note."""
    monkeypatch.chdir(tmp_path)
    p = tmp_path / "post.md"
    p.write_text("---\ntitle: [x\n---\n", encoding="utf-8")
    r = run(runner, "check", str(p))
    assert r.exit_code == 1 and "post.md:2: error: invalid front matter" in r.stdout
    assert "no workspace found" in r.stderr


ODD_ITEMS = """\
---
date: 2026-11-06
---

## 과제 진행 상황

- [] 미완 과제
- [x] 끝난 과제 ✅ 2026-11-04

## 더 정리할 것

- [ ] 캡슐넷 ✅ 2026-13-45
- [y] 이상한 박스
- [ ] : 노트만
- [x] 일찍 끝남 ✅ 2026-11-01
- [ ] 정상: 메모 ✅ 2026-11-09
> ▪ ****
- [ ] 날짜 형식 ✅ 2026.11.05
"""


def item_findings(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, text: str
) -> list[tuple[int, str]]:
    """(line, message) of the `item` findings of `daylog check` on `text`, outside a workspace."""
    monkeypatch.chdir(tmp_path)
    (tmp_path / "post.md").write_text(text, encoding="utf-8")
    r = run(runner, "check", "--json", "post.md")
    assert r.exit_code == 0
    return [(f["line"], f["message"]) for f in json.loads(r.stdout) if f["code"] == "item"]


def test_check_warns_about_items_read_otherwise_than_meant(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Not-quite checkboxes, topic-less items and impossible ✅ dates are warnings, never silent."""
    assert item_findings(runner, tmp_path, monkeypatch, ODD_ITEMS) == [
        (7, "`[]` is not a checkbox: write `- [ ]` (open) or `- [x]` (done)"),
        (12, "`✅ 2026-13-45` is not a date: write `✅ YYYY-MM-DD`"),
        (13, "`[y]` is not a checkbox: write `- [ ]` (open) or `- [x]` (done)"),
        (14, "item has no topic before its note: write `- [ ] topic: note`"),
        (15, "resolved on 2026-11-01, before this entry raised it on 2026-11-06"),
        (17, "item has no topic before its note: write `- [ ] topic: note`"),
        (18, "`✅ 2026.11.05` is not a date: write `✅ YYYY-MM-DD`"),
    ]


def test_issue13_a_box_glued_to_its_text_is_warned_like_an_empty_one(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`- [ ]num_workers` in the task section is text to Markdown, not a task: say so."""
    text = "---\ndate: 2026-11-06\n---\n\n## 과제 진행 상황\n\n- [ ]num_workers 바꿔 보기\n- [x]끝\n- [ ] [CV] 정상\n"
    assert item_findings(runner, tmp_path, monkeypatch, text) == [
        (7, "`[ ]num_workers` is not a checkbox: put a space after `]`: `- [ ] num_workers`"),
        (8, "`[x]끝` is not a checkbox: put a space after `]`: `- [x] 끝`"),
    ]


ORDINARY_ITEMS = """\
---
date: 2026-11-06
---

## 과제 진행 상황

- [ ] [CV] 2번 과제
- [x] [PR](https://github.com/team/repo/pull/3) 리뷰 반영 ✅ 2026-11-04
- [P1] 발표 준비

## 더 정리할 것

- [ ] [논문](https://arxiv.org/abs/1706.03762) 다시 읽기
- [NLP] 토크나이저: BPE 차이
- [ ] 체크 표시 규칙: ✅ 이모지는 완료 표시로만
- [x] 정리 끝 ✅
- [x] 배치 정규화 ✅ 2026-11-06
"""


def test_check_item_warnings_leave_tags_links_and_emoji_alone(
    runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Bracket tags, short link texts, a tag after a real box and ✅ as an emoji are ordinary writing."""
    assert item_findings(runner, tmp_path, monkeypatch, ORDINARY_ITEMS) == []


@pytest.mark.skipif(os.name != "posix", reason="POSIX file names are bytes")
def test_check_names_a_file_name_that_is_not_utf8(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    ws = make_ws()
    (ws / "logs" / "mj").mkdir()
    name = os.fsdecode(b"2021-02-03-\xc7\xd1.md")  # cp949 bytes, as an old Windows zip leaves them
    (ws / "logs" / "mj" / name).write_text("---\ndate: 2021-02-03\n---\n## TIL\n\n- a\n", encoding="utf-8")
    r = run(runner, "-w", str(ws), "check", "--json")
    assert [f["message"] for f in json.loads(r.stdout) if f["code"] == "file-name"] == [
        "file name is not UTF-8 (JSON and the site cannot show it): rename it"
    ]


def test_version(runner: CliRunner) -> None:
    """--version prints the package metadata's version."""
    from importlib.metadata import version

    r = run(runner, "--version")
    assert r.exit_code == 0 and r.stdout == f"daylog {version('daylog')}\n"


def test_check_file_with_broken_settings_reports_them(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """`check FILE` inside a workspace with a settings typo fails on the typo, not silently."""
    ws = make_ws(extra="      tmezone: Asia/Seoul\n")
    p = write(ws, "mj", date(2021, 2, 3), GOOD.format(day=13, d="2021-02-03", who="mj"))
    r = run(runner, "-w", str(ws), "check", str(p))
    assert r.exit_code == 1 and "unknown key" in r.stderr


def test_non_utf8_config_is_named(runner: CliRunner, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A CP949 mkdocs.yml is reported as not UTF-8, not as a missing workspace."""
    (tmp_path / "mkdocs.yml").write_bytes("plugins:\n  - daylog:\n      course: 부스트캠프\n".encode("cp949"))
    monkeypatch.chdir(tmp_path)
    r = run(runner, "check")
    assert r.exit_code == 1 and "mkdocs.yml" in r.stderr and "not UTF-8" in r.stderr


def test_created_files_are_readable_by_others(runner: CliRunner, tmp_path: Path) -> None:
    """init and new create ordinary files (0644 under umask 022), not private 0600 ones."""
    old = os.umask(0o022)
    try:
        ws = tmp_path / "w"
        run(runner, "init", str(ws), "--course", "c", "--start-date", "2021-01-18", "--member", "mj")
        run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "mj")
    finally:
        os.umask(old)
    assert stat.S_IMODE((ws / "mkdocs.yml").stat().st_mode) == 0o644
    assert stat.S_IMODE((ws / "logs" / "mj" / "2021-02-03.md").stat().st_mode) == 0o644
    assert not [p for p in (ws / "logs" / "mj").iterdir() if p.name.endswith(".tmp")]


def test_symlink_loop_and_non_markdown(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """A looping link under logs/ is skipped; `check` refuses files that are not Markdown."""
    ws = make_ws()
    write(ws, "mj", date(2021, 2, 3), GOOD.format(day=13, d="2021-02-03", who="mj"))
    (ws / "logs" / "mj" / "loop").symlink_to(ws / "logs" / "mj")
    r = run(runner, "-w", str(ws), "check")
    assert r.exit_code == 0, r.stdout + r.stderr
    r = run(runner, "-w", str(ws), "check", str(ws / "mkdocs.yml"))
    assert r.exit_code == 1 and "not a Markdown entry" in r.stderr


@pytest.mark.parametrize("value", ["20210203", "2021-W05-3", "2021-2-3"])
def test_date_must_be_yyyy_mm_dd(runner: CliRunner, make_ws: Callable[..., Path], value: str) -> None:
    """Only YYYY-MM-DD is a date, as the help says."""
    r = run(runner, "-w", str(make_ws()), "new", "--author", "mj", "--date", value, "--print")
    assert r.exit_code == 2 and "YYYY-MM-DD" in r.stderr


def test_template_runtime_errors_are_one_line(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """`{% include %}` or `{{ 1/0 }}` in the template: an error naming the template, no traceback."""
    ws = make_ws(template="ok\n{{ 1 / 0 }}\n")
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "mj", "--print")
    assert r.exit_code == 1 and "templates/entry.md.j2" in r.stderr and "ZeroDivisionError" in r.stderr
    (ws / "templates" / "entry.md.j2").write_text('{% include "x.j2" %}\n', encoding="utf-8")
    r = run(runner, "-w", str(ws), "new", "--date", "2021-02-03", "--author", "mj", "--print")
    assert r.exit_code == 1 and "template" in r.stderr and "internal error" not in r.stderr
