"""The Q&A ledger: names mapped to members, filters, counts, and `daylog questions` on the sample team."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

from typer.testing import CliRunner

from daylog.calendar import CourseCalendar
from daylog.cli.app import app
from daylog.entries.parse import parse
from daylog.questions.ledger import (
    AnswerRecord,
    EntryQuestions,
    NameMap,
    QuestionRecord,
    group_questions,
    member_counts,
    question_rows,
    records_from_rows,
)
from daylog.questions.service import list_questions
from daylog.workspace.files import Workspace
from daylog.workspace.settings import Member

REPO = Path(__file__).resolve().parent.parent.parent
MEMBERS = (Member("mj", "엠제이", aliases=("MJ", "펭귄")), Member("sally", "샐리"))
CAL = CourseCalendar(date(2021, 1, 18))

TEXT = """\
## 피어세션 정리
- `MJ`: 배치 크기?
  - `샐리님`: 학습률도 같이
- `펭귄` & `후미`: ResNet?
  - ➡ 잔차 학습
- 제리님: 조교 질문
"""


def test_names_map_to_member_ids() -> None:
    """Id, display name and aliases map to the member (case-insensitive, `님` ignored); others stay as written."""
    names = NameMap(MEMBERS)
    assert [names.resolve(n) for n in ("mj", "MJ", "엠제이", "펭귄", "샐리님", "후미")] == [
        "mj",
        "mj",
        "mj",
        "mj",
        "sally",
        "후미",
    ]


def test_records_filters_and_counts() -> None:
    """Askers/answerers become ids; `asker` accepts any spelling of a member; counts per member."""
    rows = [EntryQuestions("logs/sally/2021-02-03.md", "sally", date(2021, 2, 3), question_rows(parse(TEXT)))]
    records = records_from_rows(rows, CAL, NameMap(MEMBERS))
    assert [(r.askers, r.day, r.line) for r in records] == [
        (("mj",), 13, 2),
        (("mj", "후미"), 13, 4),
        (("제리",), 13, 6),
    ]
    assert records[0].as_json()["answers"] == [{"answerer": "sally", "text": "학습률도 같이"}]
    assert records[1].answers[0].answerer is None
    assert len(records_from_rows(rows, CAL, NameMap(MEMBERS), asker="엠제이")) == 2
    assert len(records_from_rows(rows, CAL, NameMap(MEMBERS), asker="후미")) == 1
    assert records_from_rows(rows, CAL, NameMap(MEMBERS), week=2) == []
    assert len(records_from_rows(rows, CAL, NameMap(MEMBERS), week=3)) == 3
    counts = member_counts(records, ["mj", "sally"])
    assert [(c.member, c.asked, c.answered) for c in counts] == [("mj", 2, 0), ("sally", 0, 1)]


def test_questions_json_on_the_sample_workspace(runner: CliRunner) -> None:
    """`questions --json` on the sample team: documented keys, askers as member ids, path:line real."""
    r = runner.invoke(app, ["-w", str(REPO), "questions", "--json"])
    assert r.exit_code == 0, r.stderr
    data = json.loads(r.stdout)
    assert data and set(data[0]) == {"askers", "text", "answers", "date", "day", "author", "path", "line"}
    first = data[0]
    assert first["askers"] == ["jiwoo"] and first["answers"][0]["answerer"] == "minji"
    line = (REPO / first["path"]).read_text(encoding="utf-8").splitlines()[first["line"] - 1]
    assert first["text"] in line and "`지우`" in line
    ids = {"minji", "seohyun", "jiwoo", "hayoon", "dogyeom"}
    assert {a for q in data for a in q["askers"]} <= ids | {"조교"}
    r = runner.invoke(app, ["-w", str(REPO), "questions", "--asker", "민지", "--week", "1", "--json"])
    picked = json.loads(r.stdout)
    assert picked and all("minji" in q["askers"] and q["date"] <= "2026-11-08" for q in picked)
    r = runner.invoke(app, ["-w", str(REPO), "questions", "--author", "minji"])
    assert r.exit_code == 0 and r.stdout.startswith("WHEN") and "logs/seohyun" not in r.stdout


def test_questions_rejects_an_unknown_author(runner: CliRunner) -> None:
    """`--author` must be a member: exit 2 with the member list."""
    r = runner.invoke(app, ["-w", str(REPO), "questions", "--author", "nobody"])
    assert r.exit_code == 2 and "minji" in r.stderr


def test_ledger_functions_for_the_site() -> None:
    """The site's Questions page gets the same records and per-member asked/answered counts, a question
    two members wrote up counted once."""
    ws = Workspace.find(REPO)
    records, errors = list_questions(ws)
    counts = member_counts(group_questions(records), ws.settings.member_ids())
    ids = set(ws.settings.member_ids())
    groups = group_questions(records)
    assert len(groups) < len(records)
    assert errors == [] and sum(c.asked for c in counts) == sum(len(set(g.askers) & ids) for g in groups)
    assert [c.member for c in counts] == list(ws.settings.member_ids())
    assert all(c.answered > 0 for c in counts)


def _record(
    author: str, text: str, askers: tuple[str, ...], *answers: tuple[str | None, str], d: int = 3
) -> QuestionRecord:
    """A ledger record of `author`'s entry for 2021-02-0<d>."""
    replies = tuple(AnswerRecord(w, t, 9) for w, t in answers)
    return QuestionRecord(askers, text, replies, date(2021, 2, d), 13, author, f"logs/{author}/2021-02-0{d}.md", 5)


def test_group_questions_merges_one_question_written_up_twice() -> None:
    """Same day, same askers (any order) and the same text (case, spaces, a trailing `?` aside) is one question;
    its answers are every record's, each once; another day or other askers stay apart."""
    records = [
        _record("mj", "배치 크기는?", ("mj", "sally"), ("sally", "32부터"), ("heath", "메모리만큼")),
        _record("sally", "배치  크기는", ("sally", "mj"), ("sally", "32부터 "), (None, "➡ 실험으로")),
        _record("heath", "배치 크기는?", ("mj",)),
        _record("heath", "배치 크기는?", ("mj", "sally"), d=4),
        _record("heath", "BATCH?", ("sally",)),
        _record("mj", "batch", ("sally",)),
    ]
    groups = group_questions(records)
    assert [[r.author for r in g.records] for g in groups] == [["mj", "sally"], ["heath"], ["heath"], ["heath", "mj"]]
    first = groups[0]
    assert first.text == "배치 크기는?" and first.askers == ("mj", "sally") and first.date == date(2021, 2, 3)
    assert [(a.answerer, a.text) for a in first.answers] == [
        ("sally", "32부터"),
        ("heath", "메모리만큼"),
        (None, "➡ 실험으로"),
    ]
    counts = member_counts(groups, ["mj", "sally", "heath"])
    assert [(c.asked, c.answered) for c in counts] == [(3, 0), (3, 1), (0, 1)]
    assert [(c.asked, c.answered) for c in member_counts(records, ["mj", "sally", "heath"])] == [(4, 0), (5, 2), (0, 1)]
    assert group_questions([]) == []


def test_answer_lines_reach_the_ledger() -> None:
    """Each answer keeps its line (the site drops answers inside private sections); the JSON shape is unchanged."""
    rows = [EntryQuestions("logs/sally/2021-02-03.md", "sally", date(2021, 2, 3), question_rows(parse(TEXT)))]
    records = records_from_rows(rows, CAL, NameMap(MEMBERS))
    assert [[a.line for a in r.answers] for r in records] == [[3], [5], []]
    assert set(records[0].as_json()["answers"][0]) == {"answerer", "text"}
