"""Dates as people say them (#15): every form, the echo, and what a wrong one says."""

from __future__ import annotations

import os
import stat
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daylog.calendar import CourseCalendar
from daylog.cli.app import app
from daylog.date_words import DateError, echo, resolve

COURSE = CourseCalendar(date(2021, 1, 18))
WEDNESDAY = date(2021, 2, 3)  # Day13


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2021-02-03", date(2021, 2, 3)),
        ("today", WEDNESDAY), ("오늘", WEDNESDAY), (" Today ", WEDNESDAY),
        ("yesterday", date(2021, 2, 2)), ("어제", date(2021, 2, 2)),
        ("그제", date(2021, 2, 1)), ("그저께", date(2021, 2, 1)),
        ("-1", date(2021, 2, 2)), ("-3", date(2021, 1, 31)), ("-0", WEDNESDAY),
        ("wed", WEDNESDAY), ("수", WEDNESDAY), ("수요일", WEDNESDAY), ("Wednesday", WEDNESDAY),
        ("mon", date(2021, 2, 1)), ("월", date(2021, 2, 1)), ("thu", date(2021, 1, 28)), ("일", date(2021, 1, 31)),
        ("Day13", WEDNESDAY), ("day 1", date(2021, 1, 18)), ("13일차", WEDNESDAY), ("DAY6", date(2021, 1, 25)),
    ],
)  # fmt: skip
def test_every_spoken_form_names_its_day(text: str, expected: date) -> None:
    assert resolve(text, WEDNESDAY, COURSE) == expected


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("2021-02-30", "2021-02-30: February 2021 has 28 days"),
        ("2024-02-30", "2024-02-30: February 2024 has 29 days"),
        ("2021-13-01", "2021-13-01: there is no month 13"),
        ("Day0", "Day0: course days count from Day1"),
        ("-99999", "at most 3660 days back"),
        ("tomorrow", "'tomorrow' is not a date: use YYYY-MM-DD, today"),
        ("2021-2-3", "is not a date"),
        ("", "is not a date"),
    ],
)
def test_a_wrong_date_says_what_is_wrong(text: str, message: str) -> None:
    with pytest.raises(DateError) as info:
        resolve(text, WEDNESDAY, COURSE)
    assert message in str(info.value)


def test_a_course_day_needs_a_calendar() -> None:
    with pytest.raises(DateError, match="needs the workspace's start_date"):
        resolve("Day3", WEDNESDAY, None)


def test_echo_confirms_the_day_and_its_course_number() -> None:
    assert echo("어제", date(2021, 2, 2), COURSE) == "어제 → 2021-02-02 (화) Day12"
    assert echo("sun", date(2021, 1, 31), COURSE) == "sun → 2021-01-31 (일)"  # a weekend has no day number


def run(runner: CliRunner, ws: Path, *args: str, env: dict[str, str] | None = None):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-w", str(ws), *args], env={"DAYLOG_NOW": "2021-02-03T21:00:00+09:00", **(env or {})})


@pytest.mark.parametrize(
    ("said", "day"),
    [("어제", "2021-02-02"), ("-2", "2021-02-01"), ("mon", "2021-02-01"), ("Day11", "2021-02-01"),
     ("오늘", "2021-02-03")],
)
def test_new_takes_spoken_dates_and_echoes_them(
    runner: CliRunner, make_ws: Callable[..., Path], said: str, day: str
) -> None:
    r = run(runner, make_ws(), "new", "--author", "mj", "--date", said, "--print")
    assert r.exit_code == 0, r.stderr
    assert f"date: {day}" in r.stdout
    assert f"{said} → {day} (" in r.stderr


def test_new_names_a_wrong_date_with_its_option(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    r = run(runner, make_ws(), "new", "--author", "mj", "--date", "2021-02-30", "--print")
    assert r.exit_code == 2
    assert r.stderr == "daylog: error: --date 2021-02-30: February 2021 has 28 days\n"


# --- daylog edit / open -----------------------------------------------------------


@pytest.fixture
def recorder(tmp_path: Path) -> tuple[Path, Path]:
    """An $EDITOR that records the arguments it got."""
    log = tmp_path / "args.txt"
    editor = tmp_path / "record-editor.sh"
    editor.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" >> {log}\n', encoding="utf-8")
    editor.chmod(editor.stat().st_mode | stat.S_IEXEC)
    return editor, log


def test_edit_creates_the_day_then_opens_it_and_never_rewrites(
    make_ws: Callable[..., Path], recorder: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a terminal: a new day is created then opened; an existing day is only opened."""
    editor, log = recorder
    ws = make_ws()
    monkeypatch.setenv("EDITOR", f"{editor} --wait")  # a command with arguments
    monkeypatch.setenv("DAYLOG_NOW", "2021-02-03T21:00:00+09:00")
    monkeypatch.setattr("daylog.cli.entries._interactive", lambda: True)
    runner = CliRunner()
    path = ws / "logs" / "mj" / "2021-02-03.md"
    r = runner.invoke(app, ["-w", str(ws), "edit", "--author", "mj"])
    assert r.exit_code == 0, r.output
    assert r.stderr.endswith("created logs/mj/2021-02-03.md; opening it\n") or "2021-02-03.md; opening it" in r.stderr
    assert log.read_text(encoding="utf-8").splitlines() == ["--wait", str(path)]
    written = path.read_bytes()
    path.write_text(written.decode() + "\n내가 쓴 줄\n", encoding="utf-8")
    r = runner.invoke(app, ["-w", str(ws), "open", "--author", "mj"])
    assert r.exit_code == 0 and "opening" in r.stderr
    assert path.read_text(encoding="utf-8").endswith("내가 쓴 줄\n")  # never scaffolded again
    assert log.read_text(encoding="utf-8").splitlines()[-1] == str(path)


def test_edit_without_a_terminal_prints_the_path(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """`code "$(daylog edit 어제)"`: stdout is the path alone."""
    ws = make_ws()
    r = run(runner, ws, "edit", "어제", "--author", "mj", env={"EDITOR": "vi"})
    assert r.exit_code == 0, r.stderr
    assert r.stdout.strip().endswith("logs/mj/2021-02-02.md") and r.stdout.count("\n") == 1
    assert "created" in r.stderr and (ws / "logs" / "mj" / "2021-02-02.md").is_file()
    r = run(runner, ws, "edit", "2021-02-02", "--author", "mj")
    assert r.exit_code == 0 and "exists" in r.stderr


def test_new_on_an_existing_day_points_at_edit(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    ws = make_ws()
    assert run(runner, ws, "new", "--author", "mj", "--no-edit").exit_code == 0
    r = run(runner, ws, "new", "--author", "mj", "--no-edit")
    assert r.exit_code == 1 and "daylog edit" in r.stderr


def test_edit_with_a_missing_editor_is_one_line(make_ws: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    ws = make_ws()
    monkeypatch.setenv("EDITOR", "no-such-editor-here")
    monkeypatch.setenv("DAYLOG_NOW", "2021-02-03T21:00:00+09:00")
    monkeypatch.setattr("daylog.cli.entries._interactive", lambda: True)
    r = CliRunner().invoke(app, ["-w", str(ws), "edit", "--author", "mj"])
    assert r.exit_code == 1
    assert "cannot start editor 'no-such-editor-here'" in r.stderr and "the entry was created" in r.stderr
    assert os.path.exists(ws / "logs" / "mj" / "2021-02-03.md")
