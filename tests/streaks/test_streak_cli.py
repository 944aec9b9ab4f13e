"""`daylog streak` and `daylog status` end to end on a workspace with entries and commits in Asia/Seoul.

The story (holidays 2021-02-11..12, today = study day Tue 2021-02-16, it is 01:00 KST on the 17th):
- 엠제이 (mj) wrote entries Mon–Wed 02-08..10 and committed at 23:30 KST on the 15th and
  00:30 KST on the 17th (which is still the 16th's study day), plus a commit co-authored by 히스;
- 샐리 (sally) wrote on 01-29, committed (through .mailmap) on the holiday 02-12, let
  `daylog new` scaffold 02-15 and left it untouched, and wrote her TIL on 02-16;
- 히스 (heath) wrote on 02-15 and is co-author of the 02-16 commit.
"""

from __future__ import annotations

import json
import os
import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from conftest import assert_golden
from typer.testing import CliRunner

from daylog.cli.app import app

NOW = "2021-02-17T01:00:00+09:00"
EXTRA = "          emails: [heath@example.com]\n      co_authors: true\n"

WRITTEN = """\
---
title: "[부스트캠프 AI Tech / Day{day}] Today"
date: {date} 22:00:00 +0900
author: {author}
day: {day}
---

## 피어세션 정리

### 더 정리할 것

{followup}

## 과제 진행 상황

{task}

## TIL (Today I Learned)

{til}
"""


@pytest.fixture(autouse=True)
def _git_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """git sees no outer repository and no identity or dates from the environment."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE", "NO_COLOR", "COLUMNS"):
        monkeypatch.delenv(name, raising=False)


def run(runner: CliRunner, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, list(args), env={"DAYLOG_NOW": NOW, **(env or {})})


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> None:
    """Run git in `repo`."""
    subprocess.run(["git", "-C", str(repo), *args], capture_output=True, check=True, env={**os.environ, **(env or {})})


def commit(repo: Path, when: str, name: str, email: str, message: str = "기록") -> None:
    """An empty commit authored at `when` by `name <email>`."""
    who = {"GIT_AUTHOR_NAME": name, "GIT_AUTHOR_EMAIL": email, "GIT_COMMITTER_NAME": "CI"}
    env = {**who, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_COMMITTER_EMAIL": "ci@example.com"}
    git(repo, "commit", "-q", "--allow-empty", "-m", message, env=env)


def write(root: Path, author: str, d: str, day: int, *, til: str = "", task: str = "", followup: str = "") -> None:
    """An entry with the given TIL, task and follow-up lines."""
    path = root / "logs" / author / f"{d}.md"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = WRITTEN.format(date=d, day=day, author=author, til=til, task=task, followup=followup)
    path.write_text(text, encoding="utf-8")


@pytest.fixture
def team(make_ws: Callable[..., Path], runner: CliRunner) -> Path:
    """The story's workspace, a git repository."""
    root = make_ws(holidays="[2021-02-11..2021-02-12]", extra=EXTRA)
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q", str(root)], check=True)
    git(root, "config", "user.email", "mj@example.com")
    (root / ".mailmap").write_text("샐리 <sally@example.com> <sally@laptop.local>\n", encoding="utf-8")
    for d, day in (("2021-02-08", 16), ("2021-02-09", 17), ("2021-02-10", 18)):
        write(root, "mj", d, day, til="- 역전파 복습")
    write(
        root,
        "sally",
        "2021-01-29",
        10,
        til="- 어텐션 정리",
        task="- [ ] 과제 1: 데이터셋 전처리",
        followup="- [ ] 어텐션 스케일링: 왜 sqrt(d)?",
    )
    r = run(runner, "-w", str(root), "new", "--date", "2021-02-15", "--author", "sally", "--no-edit")
    assert r.exit_code == 0, r.stderr
    scaffolded = (root / "logs" / "sally" / "2021-02-15.md").read_text(encoding="utf-8")
    assert "- [ ] 과제 1: 데이터셋 전처리" in scaffolded and "어텐션 스케일링" in scaffolded  # carried + reminder
    write(root, "sally", "2021-02-16", 20, til="- 드롭아웃은 추론 때 끈다")
    write(root, "heath", "2021-02-15", 19, til="- 배치 정규화")
    commit(root, "2021-02-15T23:30:00+09:00", "엠제이", "mj@example.com")
    commit(root, "2021-02-17T00:30:00+09:00", "엠제이", "mj@example.com")
    commit(root, "2021-02-12T23:30:00+09:00", "Sally Laptop", "sally@laptop.local")
    commit(
        root,
        "2021-02-16T20:00:00+09:00",
        "엠제이",
        "mj@example.com",
        "같이\n\nCo-authored-by: 히스 <heath@example.com>",
    )
    return root


def streak_json(runner: CliRunner, root: Path, *args: str) -> object:
    r = run(runner, "-w", str(root), "streak", "--json", *args)
    assert r.exit_code == 0, r.stderr
    assert r.stderr == ""
    return json.loads(r.stdout)


def test_json_calendar_mode_exact(runner: CliRunner, team: Path) -> None:
    """Calendar mode: 00:30 counts for the 16th, the untouched scaffold counts for nothing."""
    assert streak_json(runner, team, "--author", "mj") == {
        "member": "mj",
        "source": "both",
        "mode": "calendar",
        "current": 2,
        "current_since": "2021-02-15",
        "longest": 3,
        "longest_from": "2021-02-08",
        "longest_to": "2021-02-10",
        "active_days": 5,
        "last_active": "2021-02-16",
        "days": {"2021-02-08": 1, "2021-02-09": 1, "2021-02-10": 1, "2021-02-15": 1, "2021-02-16": 2},
    }
    sally = streak_json(runner, team, "--author", "sally")
    assert isinstance(sally, dict)
    assert (sally["current"], sally["current_since"], sally["longest"], sally["active_days"]) == (1, "2021-02-16", 1, 3)
    assert sally["days"] == {"2021-01-29": 1, "2021-02-12": 1, "2021-02-16": 1}


def test_json_course_mode_exact(runner: CliRunner, team: Path) -> None:
    """Course mode: the weekend and the 02-11..12 holidays neither count nor break the run."""
    mj = streak_json(runner, team, "--author", "mj", "--mode", "course")
    assert isinstance(mj, dict)
    assert {k: mj[k] for k in ("mode", "current", "current_since", "longest", "longest_from", "longest_to")} == {
        "mode": "course",
        "current": 5,
        "current_since": "2021-02-08",
        "longest": 5,
        "longest_from": "2021-02-08",
        "longest_to": "2021-02-16",
    }
    sally = streak_json(runner, team, "--author", "sally", "--mode", "course")
    assert isinstance(sally, dict)
    assert (sally["current"], sally["longest"], sally["active_days"]) == (1, 1, 3)  # the holiday commit is neutral


def test_json_sources(runner: CliRunner, team: Path) -> None:
    """entries and commits alone, and their sum with both."""
    entries = streak_json(runner, team, "--author", "mj", "--source", "entries")
    commits = streak_json(runner, team, "--author", "mj", "--source", "commits")
    assert isinstance(entries, dict) and isinstance(commits, dict)
    assert entries["days"] == {"2021-02-08": 1, "2021-02-09": 1, "2021-02-10": 1}
    assert (entries["current"], entries["longest"], entries["source"]) == (0, 3, "entries")
    assert commits["days"] == {"2021-02-15": 1, "2021-02-16": 2} and commits["current"] == 2


def test_json_every_member_and_team(runner: CliRunner, team: Path) -> None:
    """Without --author, a list in member order; --team is the days every member was active."""
    everyone = streak_json(runner, team)
    assert isinstance(everyone, list)
    assert [(m["member"], m["current"], m["longest"]) for m in everyone] == [
        ("mj", 2, 3),
        ("sally", 1, 1),
        ("heath", 2, 2),
    ]
    assert list(everyone[0]) == [
        "member",
        "source",
        "mode",
        "current",
        "current_since",
        "longest",
        "longest_from",
        "longest_to",
        "active_days",
        "last_active",
        "days",
    ]
    team_json = streak_json(runner, team, "--team")
    assert team_json == {
        "member": "team",
        "source": "both",
        "mode": "calendar",
        "current": 1,
        "current_since": "2021-02-16",
        "longest": 1,
        "longest_from": "2021-02-16",
        "longest_to": "2021-02-16",
        "active_days": 1,
        "last_active": "2021-02-16",
        "days": {"2021-02-16": 4},
    }


def test_mine_uses_git_email(runner: CliRunner, team: Path) -> None:
    """--mine is the member whose e-mail is git's user.email."""
    mine = streak_json(runner, team, "--mine")
    assert isinstance(mine, dict) and mine["member"] == "mj"


def test_grass_golden_without_colour(runner: CliRunner, team: Path) -> None:
    """The terminal block: heading, figures, grass and legend, plain text when not a terminal."""
    r = run(runner, "-w", str(team), "streak", "--author", "mj", "--weeks", "6")
    assert r.exit_code == 0, r.stderr
    assert "\x1b" not in r.stdout
    assert_golden("streak/mj-6-weeks.txt", r.stdout)


def test_grass_golden_with_colour(runner: CliRunner, team: Path) -> None:
    """--color forces 24-bit colour even when not a terminal (and beats NO_COLOR)."""
    r = run(runner, "-w", str(team), "streak", "--author", "mj", "--weeks", "6", "--color", env={"NO_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    assert "\x1b[38;2;" in r.stdout
    assert_golden("streak/mj-6-weeks.ansi", r.stdout)


def test_no_color_has_no_escape_codes(runner: CliRunner, team: Path) -> None:
    """NO_COLOR output of every member's grass has no escape codes, only the five glyphs."""
    r = run(runner, "-w", str(team), "streak", "--weeks", "53", env={"NO_COLOR": "1"})
    assert r.exit_code == 0, r.stderr
    assert "\x1b" not in r.stdout
    assert r.stdout.count("Less · ░ ▒ ▓ █ More") == 3


def test_use_color_rule(monkeypatch: pytest.MonkeyPatch) -> None:
    """Colour on a terminal unless NO_COLOR is set; forced either way by the flag."""
    from daylog.terminal import use_color

    class Tty:
        def isatty(self) -> bool:
            return True

    class Pipe:
        def isatty(self) -> bool:
            return False

    monkeypatch.delenv("NO_COLOR", raising=False)
    assert use_color(None, Tty()) is True  # type: ignore[arg-type]
    assert use_color(None, Pipe()) is False  # type: ignore[arg-type]
    assert use_color(True, Pipe()) is True  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "1")
    assert use_color(None, Tty()) is False  # type: ignore[arg-type]
    assert use_color(True, Tty()) is True  # type: ignore[arg-type]
    monkeypatch.setenv("NO_COLOR", "")
    assert use_color(None, Tty()) is True  # type: ignore[arg-type]


def test_default_weeks_fit_the_terminal(runner: CliRunner, team: Path) -> None:
    """Without --weeks the grass takes what COLUMNS allows, at most 53 weeks."""
    r = run(runner, "-w", str(team), "streak", "--author", "mj", env={"COLUMNS": "40"})
    assert max(len(line) for line in r.stdout.splitlines()[2:]) <= 40
    assert r.stdout.splitlines()[3].count("·") + r.stdout.splitlines()[3].count("█") == 17
    r = run(runner, "-w", str(team), "streak", "--author", "mj", env={"COLUMNS": "300"})
    assert r.stdout.splitlines()[3].count(" ") == 3 + 53


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["--author", "mj", "--team"], "use one of --author, --mine, --team"),
        (["--source", "tweets"], "--source 'tweets': use one of entries|commits|both"),
        (["--mode", "weekly"], "--mode 'weekly': use one of calendar|course"),
        (["--author", "nobody"], "--author 'nobody' is not a member"),
    ],
)
def test_streak_bad_options(runner: CliRunner, team: Path, args: list[str], fragment: str) -> None:
    """Wrong options: one line on stderr, exit 2."""
    r = run(runner, "-w", str(team), "streak", *args)
    assert r.exit_code == 2 and fragment in r.stderr and r.stderr.count("\n") == 1, r.stderr


def test_unmapped_author_note_once(runner: CliRunner, team: Path) -> None:
    """Commits by someone who is no member: one note on stderr, JSON on stdout unchanged."""
    commit(team, "2021-02-16T21:00:00+09:00", "봇", "bot@example.com")
    r = run(runner, "-w", str(team), "streak", "--json")
    assert r.exit_code == 0
    assert r.stderr.count("\n") == 1 and "봇 <bot@example.com> belong to no member" in r.stderr
    json.loads(r.stdout)


# --- status -----------------------------------------------------------------------------


def test_status_json(runner: CliRunner, team: Path) -> None:
    """샐리 at 01:00 on the 17th: today's entry exists, streak 1 and done, 3 hours left, the oldest items."""
    r = run(runner, "-w", str(team), "status", "--author", "sally", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    followup = data["followups"].pop("oldest")
    assert followup["topic"] == "어텐션 스케일링" and followup["raised_on"] == "2021-01-29"
    assert followup["path"] == "logs/sally/2021-01-29.md" and len(followup["id"]) == 6
    assert data == {
        "member": "sally",
        "date": "2021-02-16",
        "day": 20,
        "entry": {"path": "logs/sally/2021-02-16.md", "exists": True, "committed": False},
        "next": {"command": "daylog commit", "reason": "today's entry has changes not committed"},
        "streak": {
            "source": "both",
            "mode": "calendar",
            "current": 1,
            "current_since": "2021-02-16",
            "longest": 1,
            "today": "done",
            "needs_activity": False,
            "day_ends_at": "2021-02-17T04:00:00+09:00",
            "hours_left": 3.0,
        },
        "followups": {"open": 1},
        "tasks": {
            "open": 1,
            "oldest": {
                "text": "과제 1: 데이터셋 전처리",
                "first_on": "2021-01-29",
                "path": "logs/sally/2021-02-15.md",
                "line": data["tasks"]["oldest"]["line"],
            },
        },
    }


def test_status_at_risk_text(runner: CliRunner, team: Path) -> None:
    """엠제이 (from git user.email) at 20:00 on the 17th: no entry, the 2-day streak needs today."""
    r = run(runner, "-w", str(team), "status", env={"DAYLOG_NOW": "2021-02-17T20:00:00+09:00"})
    assert r.exit_code == 0, r.stderr
    assert r.stdout == (
        "mj 엠제이 · 2021-02-17 Day21 · 8h left (ends 2021-02-18 04:00)\n"
        "entry      none yet (logs/mj/2021-02-17.md)\n"
        "streak     2 days since 2021-02-15 (longest 3 days) · needs an entry or a commit today to continue (8h left)\n"
        "follow-ups 0 open\n"
        "tasks      0 open\n"
        "next       daylog edit  (write today's entry; it keeps your 2-day streak)\n"
    )
    data = json.loads(
        run(runner, "-w", str(team), "status", "--json", env={"DAYLOG_NOW": "2021-02-17T20:00:00+09:00"}).stdout
    )
    assert data["streak"]["today"] == "at_risk" and data["streak"]["needs_activity"] is True
    assert data["entry"] == {"path": "logs/mj/2021-02-17.md", "exists": False, "committed": None}
    assert data["next"] == {"command": "daylog edit", "reason": "write today's entry; it keeps your 2-day streak"}


def test_status_rest_day_in_course_mode(runner: CliRunner, team: Path) -> None:
    """On a Saturday in course mode nothing is needed; in calendar mode the streak has ended."""
    env = {"DAYLOG_NOW": "2021-02-20T12:00:00+09:00"}
    course = json.loads(run(runner, "-w", str(team), "status", "--mode", "course", "--json", env=env).stdout)
    assert course["streak"]["today"] == "rest" and course["day"] is None
    calendar = json.loads(run(runner, "-w", str(team), "status", "--json", env=env).stdout)
    assert calendar["streak"]["today"] == "start" and calendar["streak"]["current"] == 0


def test_status_outside_git_notes_entries_only(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """No repository: the status still answers from entries, with one note."""
    root = make_ws()
    write(root, "mj", "2021-02-16", 20, til="- 정리")
    r = run(runner, "-w", str(root), "status", "--author", "mj")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "daylog: the workspace is not in a git repository: counting entries only\n"
    assert "streak     1 day since 2021-02-16 (longest 1 day) · today done" in r.stdout
    assert r.stdout.endswith("next       daylog edit  (today's entry is written; add to it)\n")


def test_the_site_shows_the_same_streaks(runner: CliRunner, team: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The site's member and team figures are `streak --json`'s, commits (day boundary, .mailmap,
    co-authors) included, with the CLI's default source and mode."""
    from datetime import date

    from daylog.site.source import site_pages
    from daylog.streaks.activity import DEFAULT_MODE, DEFAULT_SOURCE
    from daylog.workspace.files import Workspace

    everyone = streak_json(runner, team)
    team_json = streak_json(runner, team, "--team")
    assert isinstance(everyone, list) and isinstance(team_json, dict)
    assert {(m["source"], m["mode"]) for m in everyone} == {(DEFAULT_SOURCE.value, DEFAULT_MODE.value)}
    monkeypatch.setenv("DAYLOG_NOW", NOW)
    model = site_pages(Workspace.find(team)).model
    for m, expected in zip(model.members, everyone, strict=True):
        s = m.streak
        assert m.id == expected["member"]
        assert [s.current, s.longest, s.active_days] == [expected[k] for k in ("current", "longest", "active_days")]
        assert {d.isoformat(): n for d, n in m.days.items()} == expected["days"]
    assert model.team.as_json() == team_json
    assert model.today == date(2021, 2, 16)
