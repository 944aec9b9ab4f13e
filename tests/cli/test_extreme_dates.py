"""Extreme dates (#12): `9999-12-31.md`, a post dated 9999-12-31, `start_date: 9999-12-31`.

Before #12 each was an OverflowError: exit 70 from the CLI, a traceback in `mkdocs build`.
Now an entry dated before 1970 or more than ten years past the course start is an error on
that entry alone (`check` names it, listings skip it with a note), a bad `start_date` is a
settings error naming the setting, and a bad post fails alone in an `import` batch.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daylog.cli.app import app

NOW = {"DAYLOG_NOW": "2021-02-08T22:00:00+09:00"}
ENTRY = "---\ndate: {date}\nauthor: mj\n---\n\n## 더 정리할 것\n\n- [ ] {topic}\n"
OUT_OF_RANGE = "out of range (entries are dated 1970-01-01 to 2031-01-18, ten years past the course start)"


def run(runner: CliRunner, ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-w", str(ws), *args], env=NOW)


@pytest.fixture
def ws(make_ws: Callable[..., Path]) -> Path:
    """A normal entry, entries named for 9999-12-31 and 1969-12-31, one dated 0001-01-01 in its front matter."""
    root = make_ws()
    folder = root / "logs" / "mj"
    folder.mkdir()
    (folder / "2021-02-05.md").write_text(ENTRY.format(date="2021-02-05", topic="제대로 된 주제"), encoding="utf-8")
    (folder / "9999-12-31.md").write_text(ENTRY.format(date="9999-12-31", topic="먼 미래"), encoding="utf-8")
    (folder / "1969-12-31.md").write_text("## TIL\n- 옛날\n", encoding="utf-8")
    (folder / "notes.md").write_text(ENTRY.format(date="0001-01-01", topic="아주 옛날"), encoding="utf-8")
    return root


def _no_crash(r) -> None:  # type: ignore[no-untyped-def]
    assert r.exit_code != 70 and "Traceback" not in r.output and "internal error" not in r.output


def test_check_names_each_out_of_range_entry_on_its_line(runner: CliRunner, ws: Path) -> None:
    """One `date-range` error per entry: line 1 for a file name, the `date:` line for front matter."""
    r = run(runner, ws, "check", "--json")
    _no_crash(r)
    assert r.exit_code == 1
    found = [(f["path"], f["line"], f["message"]) for f in json.loads(r.stdout) if f["code"] == "date-range"]
    assert found == [
        ("logs/mj/1969-12-31.md", 1, f"date 1969-12-31 is {OUT_OF_RANGE}; rename the file"),
        ("logs/mj/9999-12-31.md", 1, f"date 9999-12-31 is {OUT_OF_RANGE}; rename the file"),
        ("logs/mj/notes.md", 2, f"date 0001-01-01 is {OUT_OF_RANGE}; fix the front matter `date`"),
    ]


LISTINGS = [["followups", "--json"], ["tasks", "--json"], ["streak"], ["status", "--author", "mj"]]


@pytest.mark.parametrize("command", LISTINGS)
def test_listings_skip_out_of_range_entries_with_a_note(runner: CliRunner, ws: Path, command: list[str]) -> None:
    """Exit 0, the normal entry listed, one `skipped` note line per out-of-range entry."""
    r = run(runner, ws, *command)
    _no_crash(r)
    assert r.exit_code == 0, r.output
    notes = [line for line in r.stderr.splitlines() if "out of range" in line]
    assert notes == [
        f"daylog: skipped logs/mj/{name}: dated {d}, {OUT_OF_RANGE} (`daylog check` names it)"
        for name, d in (("1969-12-31.md", "1969-12-31"), ("9999-12-31.md", "9999-12-31"), ("notes.md", "0001-01-01"))
    ]
    if command[0] == "followups":
        assert [f["topic"] for f in json.loads(r.stdout)] == ["제대로 된 주제"]


def test_a_done_date_of_9999_is_counted_without_overflow(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """`✅ 9999-12-31` on a resolved follow-up: its age is counted in course days, no OverflowError."""
    root = make_ws()
    (root / "logs" / "mj").mkdir()
    text = ENTRY.format(date="2021-02-05", topic="끝난 주제")
    text = text.replace("- [ ] 끝난 주제", "- [x] 끝난 주제 ✅ 9999-12-31")
    (root / "logs" / "mj" / "2021-02-05.md").write_text(text, encoding="utf-8")
    r = run(runner, root, "followups", "--all", "--json")
    _no_crash(r)
    assert r.exit_code == 0 and json.loads(r.stdout)[0]["resolved_on"] == "9999-12-31"


@pytest.mark.parametrize("day", ["9999-12-31", "0001-01-01"])
def test_new_refuses_an_out_of_range_date_in_one_line(runner: CliRunner, ws: Path, day: str) -> None:
    """`new --date 9999-12-31` is exit 1 with one line saying the range, and writes nothing."""
    r = run(runner, ws, "new", "--author", "mj", "--date", day, "--print")
    _no_crash(r)
    assert r.exit_code == 1 and r.stdout == ""
    assert r.stderr.splitlines() == [
        f"daylog: error: cannot write an entry dated {day}: {OUT_OF_RANGE} (pass --date YYYY-MM-DD within it)"
    ]


@pytest.mark.parametrize("start", [date(9999, 12, 31), date(1969, 12, 31), date(3000, 1, 1)])
@pytest.mark.parametrize("command", [["check"], ["followups", "--json"], ["streak"], ["status", "--author", "mj"]])
def test_a_start_date_out_of_range_is_a_settings_error(
    runner: CliRunner, make_ws: Callable[..., Path], start: date, command: list[str]
) -> None:
    """Every command: exit 1, `mkdocs.yml:<line>: daylog setting `start_date`: …` in one line."""
    root = make_ws(start=start)
    r = run(runner, root, *command)
    _no_crash(r)
    assert r.exit_code == 1
    [line] = r.stderr.splitlines()
    assert line.endswith(
        f"mkdocs.yml:6: daylog setting `start_date`: {start} is out of range: "
        "a course starts between 1970-01-01 and 2999-12-31"
    )


def test_one_post_dated_9999_never_aborts_the_import_batch(
    runner: CliRunner, make_ws: Callable[..., Path], tmp_path: Path
) -> None:
    """Posts dated 9999-12-31 and 1900-01-01 fail with the range; the post between them is imported."""
    root = make_ws()
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a-far.md").write_text("---\ndate: 9999-12-31\n---\n## TIL\n- 미래\n", encoding="utf-8")
    (posts / "b-2021-02-02.md").write_text("## TIL\n- 오늘\n", encoding="utf-8")
    (posts / "c-old.md").write_text("---\ndate: 1900-01-01\n---\n## TIL\n- 과거\n", encoding="utf-8")
    r = run(runner, root, "import", str(posts), "--author", "mj", "--json")
    _no_crash(r)
    assert r.exit_code == 1
    got = {Path(x["source"]).name: (x["status"], x["reasons"]) for x in json.loads(r.stdout)}
    assert got["a-far.md"] == ("failed", [f"front matter date 9999-12-31 is {OUT_OF_RANGE}; fix the post's date"])
    assert got["c-old.md"] == ("failed", [f"front matter date 1900-01-01 is {OUT_OF_RANGE}; fix the post's date"])
    assert got["b-2021-02-02.md"][0] == "imported"
    assert sorted(p.name for p in (root / "logs" / "mj").iterdir()) == ["2021-02-02.md"]
