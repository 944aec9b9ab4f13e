"""Follow-ups and assignment tasks across days: ids, listing, `done`, carry-over."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st
from typer.testing import CliRunner

from daylog.calendar import CourseCalendar
from daylog.cli.app import app
from daylog.entries.model import Entry
from daylog.entries.parse import parse
from daylog.errors import DaylogError
from daylog.followups.lifecycle import (
    EntryItems,
    FollowUpRecord,
    Status,
    followup_id,
    followup_rows,
    mark_done_text,
    records_from_rows,
)
from daylog.workspace.writes import replace_checked

CAL = CourseCalendar(date(2021, 1, 18))
FRIDAY = """\
---
title: "[부스트캠프 AI Tech / Day15] Today"
date: 2021-02-05 22:00:00 +0900
author: mj
day: 15
---

## 피어세션 정리

- `샐리`: dropout은 추론 때 왜 끄나?
  - `엠제이`: 기댓값을 맞추려고

### 더 정리할 것

- [ ] inverted dropout: 학습 때 scale 하는 이유
- [x] weight decay와 L2: 같은가? ✅ 2021-02-05
> ▪ **label smoothing 효과**
> 과신 줄이기

## 과제 진행 상황

- [x] 기본 과제 2
- [ ] 심화 과제 1
- [ ] 퀴즈 6강

## TIL (Today I Learned)

- dropout의 scale
"""


def run(runner: CliRunner, ws: Path, *args: str, now: str = "2021-02-08T21:00:00+09:00"):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-w", str(ws), *args], env={"DAYLOG_NOW": now})


@pytest.fixture
def friday_ws(make_ws: Callable[..., Path]) -> Path:
    ws = make_ws()
    (ws / "logs" / "mj").mkdir()
    (ws / "logs" / "mj" / "2021-02-05.md").write_text(FRIDAY, encoding="utf-8")
    return ws


def test_followups_json_lists_exactly_the_open_ones(runner: CliRunner, friday_ws: Path) -> None:
    """--json: the open follow-ups with every documented key, oldest first."""
    r = run(runner, friday_ws, "followups", "--json")
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert [d["topic"] for d in data] == ["inverted dropout", "label smoothing 효과"]
    assert set(data[0]) == {
        "id",
        "author",
        "topic",
        "note",
        "raised_on",
        "raised_day",
        "status",
        "resolved_on",
        "path",
        "line",
        "age_days",
        "maybe_answered_in",
    }
    assert data[0] | {"id": "-"} == {
        "id": "-",
        "author": "mj",
        "topic": "inverted dropout",
        "note": "학습 때 scale 하는 이유",
        "raised_on": "2021-02-05",
        "raised_day": 15,
        "status": "open",
        "resolved_on": None,
        "path": "logs/mj/2021-02-05.md",
        "line": 15,
        "age_days": 1,
        "maybe_answered_in": None,
    }
    resolved = json.loads(run(runner, friday_ws, "followups", "--resolved", "--json").stdout)
    assert [(d["topic"], d["resolved_on"], d["age_days"]) for d in resolved] == [("weight decay와 L2", "2021-02-05", 0)]
    assert len(json.loads(run(runner, friday_ws, "followups", "--all", "--json").stdout)) == 3


def test_followups_filters(runner: CliRunner, friday_ws: Path) -> None:
    """--author, --older-than and the plain table."""
    assert json.loads(run(runner, friday_ws, "followups", "--author", "sally", "--json").stdout) == []
    assert json.loads(run(runner, friday_ws, "followups", "--older-than", "1", "--json").stdout) == []
    later = run(runner, friday_ws, "followups", "--older-than", "1", "--json", now="2021-02-10T21:00:00+09:00")
    assert len(json.loads(later.stdout)) == 2
    table = run(runner, friday_ws, "followups").stdout
    assert table.splitlines()[0].split() == ["ID", "AUTHOR", "RAISED", "AGE", "WHERE", "TOPIC"]
    assert "2021-02-05 Day15" in table and "logs/mj/2021-02-05.md:15" in table
    r = run(runner, friday_ws, "followups", "--author", "nobody")
    assert r.exit_code == 2 and "not a member" in r.stderr


def test_done_flips_exactly_one_line(runner: CliRunner, friday_ws: Path) -> None:
    """`done ID` checks and dates the item in its origin file; nothing else changes."""
    path = friday_ws / "logs" / "mj" / "2021-02-05.md"
    ident = json.loads(run(runner, friday_ws, "followups", "--json").stdout)[0]["id"]
    r = run(runner, friday_ws, "followups", "done", ident)
    assert r.exit_code == 0, r.stderr
    assert f"{ident} resolved 2021-02-08: inverted dropout" in r.stdout
    after = path.read_text(encoding="utf-8").split("\n")
    before = FRIDAY.split("\n")
    changed = [i for i, (a, b) in enumerate(zip(before, after, strict=True)) if a != b]
    assert changed == [14]
    assert after[14] == "- [x] inverted dropout: 학습 때 scale 하는 이유 ✅ 2021-02-08"
    again = run(runner, friday_ws, "followups", "done", ident)
    assert again.exit_code == 0 and "already resolved on 2021-02-08" in again.stdout
    assert path.read_text(encoding="utf-8").split("\n") == after


def test_done_quote_form_keeps_its_text(runner: CliRunner, friday_ws: Path) -> None:
    """A `> ▪ **topic**` block becomes one checked item with its note lines kept."""
    path = friday_ws / "logs" / "mj" / "2021-02-05.md"
    data = json.loads(run(runner, friday_ws, "followups", "--json").stdout)
    ident = data[1]["id"]
    r = run(runner, friday_ws, "followups", "done", ident[:4], "--date", "2021-02-09", now="2021-02-10T21:00:00+09:00")
    assert r.exit_code == 0, r.stderr
    text = path.read_text(encoding="utf-8")
    assert "- [x] **label smoothing 효과** ✅ 2021-02-09\n  과신 줄이기\n" in text
    rec = next(f for f in parse(text).followups if f.topic == "label smoothing 효과")
    assert rec.done and rec.done_on == date(2021, 2, 9) and rec.note == "과신 줄이기"
    after = json.loads(run(runner, friday_ws, "followups", "--all", "--json").stdout)
    assert ident in [d["id"] for d in after if d["status"] == "resolved"]  # the id survives the rewrite


def test_done_unknown_id_suggests_close_ones(runner: CliRunner, friday_ws: Path) -> None:
    """An unknown id is an error that suggests the closest ids and writes nothing."""
    path = friday_ws / "logs" / "mj" / "2021-02-05.md"
    ident = json.loads(run(runner, friday_ws, "followups", "--json").stdout)[0]["id"]
    typo = ident[:-1] + ("x" if ident[-1] != "x" else "y")
    r = run(runner, friday_ws, "followups", "done", ident, typo)
    assert r.exit_code == 1
    assert f"unknown follow-up id: {typo} (did you mean {ident}" in r.stderr
    assert path.read_text(encoding="utf-8") == FRIDAY


def test_done_refuses_conflicted_files(runner: CliRunner, friday_ws: Path) -> None:
    """A file with merge-conflict markers is not edited."""
    path = friday_ws / "logs" / "mj" / "2021-02-05.md"
    ident = json.loads(run(runner, friday_ws, "followups", "--json").stdout)[0]["id"]
    conflicted = FRIDAY + "<<<<<<< HEAD\n- a\n=======\n- b\n>>>>>>> x\n"
    path.write_text(conflicted, encoding="utf-8")
    r = run(runner, friday_ws, "followups", "done", ident)
    assert r.exit_code == 1 and "merge-conflict" in r.stderr
    assert path.read_text(encoding="utf-8") == conflicted


def test_listings_leave_out_an_entry_mid_merge_and_say_so(runner: CliRunner, friday_ws: Path) -> None:
    """Both sides of a conflict are not two sets of follow-ups: the entry is skipped with a note."""
    path = friday_ws / "logs" / "mj" / "2021-02-05.md"
    path.write_text(FRIDAY + "<<<<<<< HEAD\n- [ ] 한쪽\n=======\n- [ ] 다른 쪽\n>>>>>>> x\n", encoding="utf-8")
    line = FRIDAY.count("\n") + 1
    for command in ("followups", "tasks"):
        r = run(runner, friday_ws, command, "--json")
        assert r.exit_code == 0 and json.loads(r.stdout) == []
        assert f"skipped logs/mj/2021-02-05.md:{line}: unresolved merge-conflict marker" in r.stderr


def test_an_entry_mid_merge_is_skipped_by_every_command_with_one_rule(runner: CliRunner, friday_ws: Path) -> None:
    """questions, streak, issues and status leave it out and name it, like followups and tasks."""
    path = friday_ws / "logs" / "mj" / "2021-02-05.md"
    conflict = "<<<<<<< HEAD\n- `히스`: 한쪽 질문?\n- #12\n=======\n- 다른 쪽\n>>>>>>> x\n\n"
    marked = FRIDAY.replace("## TIL", conflict + "## TIL")
    path.write_text(marked, encoding="utf-8")
    line = marked[: marked.index("<<<<<<<")].count("\n") + 1
    named = f"logs/mj/2021-02-05.md:{line}: unresolved merge-conflict marker"
    for args in (["questions", "--json"], ["issues", "--json"], ["streak", "--author", "mj", "--json"],
                 ["status", "--author", "mj", "--json"]):  # fmt: skip
        r = run(runner, friday_ws, *args)
        assert r.exit_code == 0, (args, r.output)
        assert named in r.stderr, (args, r.stderr)
        assert "한쪽 질문" not in r.stdout and "#12" not in r.stdout
    assert json.loads(run(runner, friday_ws, "questions", "--json").stdout) == []
    r = run(runner, friday_ws, "check")  # check still reads it, to report the marker
    assert r.exit_code == 1 and f"logs/mj/2021-02-05.md:{line}: error: unresolved merge-conflict marker" in r.stdout


def test_replace_checked_refuses_a_file_changed_meanwhile(tmp_path: Path) -> None:
    """If the file no longer holds what was read, nothing is written."""
    path = tmp_path / "e.md"
    path.write_text("new text\n", encoding="utf-8")
    with pytest.raises(DaylogError, match="changed on disk"):
        replace_checked(path, "edited\n", b"old text\n", root=tmp_path)
    assert path.read_text(encoding="utf-8") == "new text\n"


def test_new_carries_friday_tasks_to_monday_once(runner: CliRunner, friday_ws: Path) -> None:
    """Monday's entry starts with Friday's unchecked items, text exact, no duplicates."""
    template = (friday_ws / "templates" / "entry.md.j2").read_text(encoding="utf-8")
    template = template.replace("{% for task in carried_tasks %}", "- [ ] 퀴즈 6강\n{% for task in carried_tasks %}")
    (friday_ws / "templates" / "entry.md.j2").write_text(template, encoding="utf-8")
    r = run(runner, friday_ws, "new", "--author", "mj", "--no-edit")
    assert r.exit_code == 0, r.stderr
    assert "carried 1 open assignment item(s) from 2021-02-05" in r.stderr
    monday = (friday_ws / "logs" / "mj" / "2021-02-08.md").read_text(encoding="utf-8")
    e = parse(monday)
    assert [t.text for t in e.tasks] == ["퀴즈 6강", "심화 과제 1"]
    assert monday.count("퀴즈 6강") == 1
    reminders = e.section("reminders")
    assert reminders is not None
    assert "[inverted dropout](2021-02-05.md)" in monday and "[label smoothing 효과](2021-02-05.md)" in monday
    assert e.followups == ()  # reminders are not new follow-ups
    tasks = json.loads(run(runner, friday_ws, "tasks", "--json").stdout)
    assert [(t["text"], t["first_on"], t["open_days"], t["path"]) for t in tasks] == [
        ("심화 과제 1", "2021-02-05", 1, "logs/mj/2021-02-08.md"),
        ("퀴즈 6강", "2021-02-05", 1, "logs/mj/2021-02-08.md"),
    ]


def test_carry_can_be_turned_off(runner: CliRunner, make_ws: Callable[..., Path], friday_ws: Path) -> None:
    """--no-carry scaffolds the bare template."""
    r = run(runner, friday_ws, "new", "--author", "mj", "--print", "--no-carry")
    assert "심화 과제 1" not in r.stdout and "지난 follow-up" not in r.stdout


def test_carry_skips_weekends_holidays_and_sick_days(runner: CliRunner, friday_ws: Path) -> None:
    """The most recent earlier entry is used however long ago it was."""
    r = run(runner, friday_ws, "new", "--author", "mj", "--print", "--date", "2021-02-16")
    assert "- [ ] 심화 과제 1\n- [ ] 퀴즈 6강\n" in r.stdout


def test_tasks_latest_state_wins(runner: CliRunner, friday_ws: Path) -> None:
    """An item checked on a later day is no longer open; --all shows it as done."""
    monday = FRIDAY.replace("2021-02-05", "2021-02-08").replace("- [ ] 심화 과제 1", "- [X] 심화  과제 1 ✅ 2021-02-08")
    (friday_ws / "logs" / "mj" / "2021-02-08.md").write_text(monday, encoding="utf-8")
    open_items = json.loads(run(runner, friday_ws, "tasks", "--json").stdout)
    assert [t["text"] for t in open_items] == ["퀴즈 6강"]
    everything = json.loads(run(runner, friday_ws, "tasks", "--all", "--json").stdout)
    done = next(t for t in everything if t["text"] == "심화  과제 1")
    assert done["status"] == "done" and done["done_on"] == "2021-02-08" and done["open_days"] == 1


def test_unreadable_entry_is_reported_and_the_rest_listed(runner: CliRunner, friday_ws: Path) -> None:
    """A non-UTF-8 entry is named on stderr; the team's other follow-ups still list."""
    (friday_ws / "logs" / "mj" / "2021-02-04.md").write_bytes(b"## \xff\n")
    r = run(runner, friday_ws, "followups", "--json")
    assert r.exit_code == 0
    assert "logs/mj/2021-02-04.md:1: is not UTF-8 text" in r.stderr
    assert len(json.loads(r.stdout)) == 2


# --- ids and byte-exact edits ------------------------------------------------------


def records_of(entry: Entry, raised: date = date(2021, 2, 3)) -> list[FollowUpRecord]:
    """Every follow-up record of one entry of mj's, as the listings make them."""
    return records_from_rows([EntryItems("p", "mj", raised, followup_rows(entry, "mj", raised))], CAL, raised)


def test_id_is_stable_when_other_items_change() -> None:
    """Adding, removing or reordering other items does not change an item's id."""
    base = "## 더 정리할 것\n- [ ] 가: 1\n- [ ] 나: 2\n- [ ] 다: 3\n"
    moved = "## 더 정리할 것\n- [ ] 새 항목\n- [ ] 다: 3\n- [ ] 가: 1 바뀐 메모\n"

    def ids(text: str) -> dict[str, str]:
        return {r.topic: r.id for r in records_of(parse(text))}

    a, b = ids(base), ids(moved)
    assert a["가"] == b["가"] and a["다"] == b["다"]
    assert len(set(a.values())) == 3
    assert followup_id("mj", date(2021, 2, 3), "가") != followup_id("sally", date(2021, 2, 3), "가")
    assert followup_id("mj", date(2021, 2, 3), "Topic  X") == followup_id("mj", date(2021, 2, 3), "topic x")


ITEM = (
    st.text(alphabet=st.sampled_from(list("가나다 abc-:*✅[]()`>")), min_size=1, max_size=20)
    .map(str.strip)
    .filter(lambda s: bool(s) and not s.startswith(("[", ">", "-", "*")) and "✅" not in s)
)
NOISE = st.sampled_from(["", "text line", "> quote", "  - nested", "---", "- [x] done thing ✅ 2021-02-01", "\r"])


@settings(max_examples=200)
@given(
    st.lists(st.tuples(st.sampled_from(["checkbox", "bullet", "quote"]), ITEM, NOISE), min_size=1, max_size=6),
    st.data(),
)
def test_done_changes_only_the_item(items: list[tuple[str, str, str]], data: st.DataObject) -> None:
    """Marking one generated follow-up done leaves every byte outside its lines identical.

    It either succeeds with the item resolved and every other follow-up unchanged, or
    refuses (a quote block followed by indented lines it would absorb).
    """
    body = ["---", "title: x", "---", "", "## 피어세션", "- `엠제이`: 질문?", "", "### 더 정리할 것", ""]
    for form, topic, noise in items:
        if form == "checkbox":
            body.append(f"- [ ] {topic}: 메모")
        elif form == "bullet":
            body.append(f"- {topic}")
        else:
            body += ["", f"> ▪ **{topic}**", "> 메모 줄", ""]
        if noise:
            body.append(noise)
    body += ["", "## TIL", "- 끝", ""]
    text = "\n".join(body)
    entry = parse(text)
    open_recs = [r for r in records_of(entry) if r.status is Status.OPEN]
    if not open_recs:
        return
    target = data.draw(st.sampled_from(open_recs))
    try:
        new = mark_done_text(text, target, date(2021, 2, 9))
    except ValueError:
        # Refusing is allowed only for a quote block whose rewrite would swallow what follows.
        assert target.form == "quote"
        return
    old_lines, new_lines = text.split("\n"), new.split("\n")
    span = target.end - target.line + 1
    assert old_lines[: target.line - 1] == new_lines[: target.line - 1]
    assert old_lines[target.end :] == new_lines[target.line - 1 + span :]
    after = {r.id: r for r in records_of(parse(new))}
    assert after[target.id].status is Status.RESOLVED
    assert after[target.id].resolved_on == date(2021, 2, 9)
    for r in open_recs:
        if r.id != target.id:
            assert after[r.id].status is Status.OPEN


def test_sample_workspace_followups(runner: CliRunner) -> None:
    """The bundled sample: 17 open and 13 resolved follow-ups on its last day."""
    r = runner.invoke(app, ["-w", str(REPO), "followups", "--all", "--json"], env={"DAYLOG_NOW": "2026-11-20T22:00"})
    data = json.loads(r.stdout)
    assert sum(d["status"] == "open" for d in data) == 17
    assert sum(d["status"] == "resolved" for d in data) == 13
    oldest = data[0]
    assert (oldest["author"], oldest["topic"], oldest["raised_day"]) == ("hayoon", "브로드캐스팅", 1)


def test_repeated_topic_in_one_entry_gets_two_ids(runner: CliRunner, friday_ws: Path) -> None:
    """Topics differing only in case or spacing are two items with two ids."""
    path = friday_ws / "logs" / "mj" / "2021-02-05.md"
    path.write_text(
        FRIDAY.replace("- [ ] inverted dropout", "- [ ] Adam  vs AdamW\n- [ ] adam vs adamw\n- [ ] x"), "utf-8"
    )
    data = json.loads(run(runner, friday_ws, "followups", "--json").stdout)
    ids = [d["id"] for d in data if d["topic"].lower().startswith("adam")]
    assert len(ids) == 2 and ids[0] != ids[1]
    r = run(runner, friday_ws, "followups", "done", ids[1], ids[1], ids[1][:4])
    assert r.exit_code == 0, r.stderr
    assert r.stdout.count("resolved 2021-02-08") == 1
    text = path.read_text(encoding="utf-8")
    assert "- [ ] Adam  vs AdamW\n- [x] adam vs adamw ✅ 2021-02-08\n" in text


def test_ambiguous_id_is_refused(runner: CliRunner, friday_ws: Path) -> None:
    """Two files for one member and day share ids: `done` names both and writes nothing."""
    extra = friday_ws / "logs" / "mj" / "2021-02-05-extra.md"
    extra.write_text(FRIDAY, encoding="utf-8")
    ident = json.loads(run(runner, friday_ws, "followups", "--json").stdout)[0]["id"]
    r = run(runner, friday_ws, "followups", "done", ident)
    assert r.exit_code == 1
    assert "matches more than one item" in r.stderr and "2021-02-05-extra.md:15" in r.stderr
    assert extra.read_text(encoding="utf-8") == FRIDAY


def test_done_rejects_short_prefixes_and_dates_before_raising(runner: CliRunner, friday_ws: Path) -> None:
    """A 2-character prefix and a resolution date before the item was raised are refused."""
    ident = json.loads(run(runner, friday_ws, "followups", "--json").stdout)[0]["id"]
    r = run(runner, friday_ws, "followups", "done", ident[:2])
    assert r.exit_code == 1 and "at least 3 characters" in r.stderr
    r = run(runner, friday_ws, "followups", "done", ident, "--date", "2021-02-01")
    assert r.exit_code == 1 and "raised on 2021-02-05" in r.stderr
    assert (friday_ws / "logs" / "mj" / "2021-02-05.md").read_text(encoding="utf-8") == FRIDAY


def test_carry_skips_an_entry_without_a_checklist(runner: CliRunner, friday_ws: Path) -> None:
    """A later entry with no assignment section does not drop the open items before it."""
    (friday_ws / "logs" / "mj" / "2021-02-08.md").write_text("## TIL\n- 쉬어가는 날\n", encoding="utf-8")
    (friday_ws / "logs" / "mj" / "2021-02-09.md").write_bytes(b"## \xff broken\n")
    r = run(runner, friday_ws, "new", "--author", "mj", "--print", "--date", "2021-02-10")
    assert r.exit_code == 0, r.stderr
    assert "- [ ] 심화 과제 1\n- [ ] 퀴즈 6강\n" in r.stdout
    assert "2021-02-09.md:1: is not UTF-8 text" in r.stderr


def test_done_rejects_a_future_date(runner: CliRunner, friday_ws: Path) -> None:
    """A resolution date after today is a typo, not a plan: refused, nothing written."""
    ident = json.loads(run(runner, friday_ws, "followups", "--json").stdout)[0]["id"]
    r = run(runner, friday_ws, "followups", "done", ident, "--date", "2021-02-09")
    assert r.exit_code == 1 and "in the future" in r.stderr
    assert (friday_ws / "logs" / "mj" / "2021-02-05.md").read_text(encoding="utf-8") == FRIDAY
