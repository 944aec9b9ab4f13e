"""A course with an end (#15 item 4): `end_date` stops day numbers, warns in `new`, shows in `check`
and on the site's week pages."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daylog.calendar import CourseCalendar
from daylog.cli.app import app
from daylog.errors import DaylogError
from daylog.site.model import SourceEntry, build, parse_entries
from daylog.site.pages import TEMPLATE_NAMES, render
from daylog.site.source import builtin_template
from daylog.workspace.settings_reader import parse_settings

END = "      end_date: 2021-01-29\n"
"""The fixture course starts on Monday 2021-01-18: the end is the Friday of week 2, Day10."""
NOW = {"DAYLOG_NOW": "2021-02-03T21:00:00+09:00"}


def test_day_numbers_stop_at_the_end() -> None:
    """The end date still has its number; the next course day has none; weeks stop at the end's week."""
    cal = CourseCalendar(date(2021, 1, 18), end=date(2021, 1, 29))
    assert cal.day_number(date(2021, 1, 29)) == 10
    assert cal.day_number(date(2021, 2, 1)) is None
    assert cal.after_end(date(2021, 1, 30)) and not cal.after_end(date(2021, 1, 29))
    assert cal.last_week == 2
    assert CourseCalendar(date(2021, 1, 18)).last_week is None
    assert cal != CourseCalendar(date(2021, 1, 18))


def test_end_date_is_read_and_checked() -> None:
    """`end_date` is optional, a date, and not before `start_date` (the error names the key and line)."""
    base = "plugins:\n  - daylog:\n      course: c\n      start_date: 2021-01-18\n"
    assert parse_settings(base).end_date is None
    assert parse_settings(base + "      end_date: 2021-06-30\n").calendar.end == date(2021, 6, 30)
    with pytest.raises(DaylogError) as exc:
        parse_settings(base + "      end_date: 2021-01-01\n")
    assert str(exc.value) == "mkdocs.yml:5: daylog setting `end_date`: 2021-01-01 is before `start_date` 2021-01-18"
    with pytest.raises(DaylogError, match=r"end_date.*must be a date"):
        parse_settings(base + "      end_date: soon\n")


def test_new_after_the_end_warns_and_gives_no_day(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """An entry after the end is written with the off-day title, no `day:`, and a warning on stderr."""
    ws = make_ws(extra=END)
    r = runner.invoke(app, ["-w", str(ws), "new", "-a", "mj", "--date", "2021-02-01", "--print"], env=NOW)
    assert r.exit_code == 0, r.stderr
    assert "the course ended on 2021-01-29; this entry gets no day number" in r.stderr
    assert 'title: "[부스트캠프 AI Tech / 2021-02-01] Today"' in r.stdout
    assert "Day" not in r.stdout.split("---")[1]
    inside = runner.invoke(app, ["-w", str(ws), "new", "-a", "mj", "--date", "2021-01-29", "--print"], env=NOW)
    assert "Day10" in inside.stdout and "ended" not in inside.stderr


def test_edit_after_the_end_warns(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """`edit` creates the entry as `new` does, with the same warning."""
    ws = make_ws(extra=END)
    r = runner.invoke(app, ["-w", str(ws), "edit", "2021-02-02", "-a", "mj"], env=NOW)
    assert r.exit_code == 0, r.stderr
    assert "the course ended on 2021-01-29; this entry gets no day number" in r.stderr
    assert (ws / "logs/mj/2021-02-02.md").is_file()


def test_a_day_word_past_the_end_is_refused(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """`Day11` does not exist in a ten-day course: one line, exit 2."""
    ws = make_ws(extra=END)
    r = runner.invoke(app, ["-w", str(ws), "new", "-a", "mj", "--date", "Day11", "--print"], env=NOW)
    assert r.exit_code == 2
    assert r.stderr == "daylog: error: --date Day11: the course ended on 2021-01-29 (Day11 would be 2021-02-01)\n"


def test_check_reports_entries_after_the_end(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """An entry after the end is a warning (`after-end`); one that claims a day number is an error."""
    ws = make_ws(extra=END)
    (ws / "logs/mj").mkdir()
    (ws / "logs/mj/2021-02-01.md").write_text("---\nauthor: mj\n---\n\n## TIL\n\n- 복습\n", encoding="utf-8")
    (ws / "logs/mj/2021-02-02.md").write_text("---\nauthor: mj\nday: 12\n---\n\n## TIL\n\n- 복습\n", encoding="utf-8")
    r = runner.invoke(app, ["-w", str(ws), "check", "--json"], env=NOW)
    found = {(f["path"], f["code"], f["severity"]): f["message"] for f in json.loads(r.stdout)}
    assert found[("logs/mj/2021-02-01.md", "after-end", "warning")] == (
        "dated 2021-02-01, after the course ended on 2021-01-29: it gets no day number"
    )
    assert "is after the course ended (2021-01-29)" in found[("logs/mj/2021-02-02.md", "day-mismatch", "error")]
    assert r.exit_code == 1


def test_the_site_has_no_week_pages_past_the_end() -> None:
    """Entries after the end still get their pages; the week list stops at the end's week."""
    settings = parse_settings(
        "plugins:\n  - daylog:\n      course: c\n      start_date: 2021-01-18\n      end_date: 2021-01-29\n"
        "      members: [{id: mj, name: 엠제이}]\n"
    )
    sources = [
        SourceEntry("mj", d, f"logs/mj/{d}.md", "## TIL\n\n- 배운 것\n")
        for d in (date(2021, 1, 18), date(2021, 1, 29), date(2021, 2, 3))
    ]
    from daylog.issues.index import build_index
    from daylog.streaks.activity import Activity

    parsed = parse_entries(settings, sources)
    empty = build_index([], {}, settings.calendar, issue_repo=None)
    m = build(settings, parsed, today=date(2021, 2, 3), activity=Activity({}, (), ()), questions=[], index=empty)
    assert [w.number for w in m.weeks] == [1, 2]
    pages = render(m, {n: builtin_template(n) for n in TEMPLATE_NAMES}, issue_repo=None)
    assert "weeks/2.md" in pages and "weeks/3.md" not in pages
    assert "mj/2021-02-03.md" in pages
    assert "weeks/3.md" not in pages["weeks/index.md"]
