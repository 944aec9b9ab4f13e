"""Questions that find their answers: `questions --unanswered` and `questions --like TEXT` (#14 item 3)."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daylog.cli.app import app
from daylog.questions.ledger import AnswerRecord, LineHit, QuestionRecord, merge_write_ups, rank_like, unanswered

REPO = Path(__file__).resolve().parent.parent.parent
KEYS = {"askers", "text", "answers", "date", "day", "author", "path", "line"}


def _rec(text: str, d: int, author: str, line: int, end: int, answers: tuple[AnswerRecord, ...] = ()) -> QuestionRecord:
    path = f"logs/{author}/2021-02-0{d}.md"
    return QuestionRecord(("mj",), text, answers, date(2021, 2, d), 13, author, path, line, end)


def test_unanswered_counts_a_teammates_write_up_of_the_same_question() -> None:
    """A question is unanswered only when no entry that wrote it up has an answer under it."""
    answered_by_sally = _rec("배치 크기?", 3, "sally", 5, 6, (AnswerRecord("sally", "32부터", 6),))
    bare_copy = _rec("배치 크기?", 3, "mj", 5, 5)  # mj wrote the same question without the answer
    alone = _rec("ResNet은 왜 깊어도 돼?", 3, "mj", 7, 7)
    assert unanswered([answered_by_sally, bare_copy, alone]) == [alone]


def test_rank_like_groups_lines_into_questions_and_leaves_out_later_ones() -> None:
    """Hits on a question's lines (its answers included) add up; a question after `until` is never offered."""
    a = _rec("gradient exploding?", 3, "sally", 10, 12)
    b = _rec("dropout?", 3, "sally", 13, 13)
    later = _rec("gradient exploding 또?", 5, "mj", 10, 11)
    hits = [
        LineHit(a.path, 10, 2.0),
        LineHit(a.path, 12, 1.5),  # its answer
        LineHit(b.path, 13, 3.0),
        LineHit(later.path, 10, 9.0),
        LineHit(a.path, 30, 9.0),  # no question holds it
    ]
    ranked = rank_like([a, b, later], hits, until=date(2021, 2, 4))
    assert [(r.text, s) for r, s in ranked] == [("gradient exploding?", 3.5), ("dropout?", 3.0)]
    assert next(r.text for r, _ in rank_like([a, b, later], hits)) == "gradient exploding 또?"
    assert len(rank_like([a, b, later], hits, limit=1)) == 1


def test_write_ups_of_one_question_are_listed_once_with_every_answer() -> None:
    """Two members' write-ups of the same question: one result, the better ranked one, with both answers."""
    sallys = _rec("배치 크기?", 3, "sally", 5, 6, (AnswerRecord("sally", "32부터", 6),))
    answers = (AnswerRecord("heath", "메모리 따라", 6), AnswerRecord("sally", "32부터", 7))
    mjs = _rec("배치 크기", 3, "mj", 5, 6, answers)
    other = _rec("ResNet?", 3, "mj", 7, 7)
    merged = merge_write_ups([(mjs, 5.0), (other, 4.0), (sallys, 3.0)])
    assert [(r.path, s) for r, s in merged] == [(mjs.path, 5.0), (other.path, 4.0)]
    assert [(a.answerer, a.text) for a in merged[0][0].answers] == [("heath", "메모리 따라"), ("sally", "32부터")]


def _q(runner: CliRunner, ws: Path, *args: str, now: str = "2021-02-10") -> list[dict[str, object]]:
    r = runner.invoke(app, ["-w", str(ws), "questions", *args, "--json"], env={"DAYLOG_NOW": now})
    assert r.exit_code == 0, r.stderr
    data: list[dict[str, object]] = json.loads(r.stdout)
    return data


def test_unanswered_on_the_sample_workspace(runner: CliRunner) -> None:
    """The sample team has exactly one question nobody answered, 도겸's on Day10; text output shows it."""
    data = _q(runner, REPO, "--unanswered", now="2026-11-20")
    assert [(q["author"], q["day"], q["answers"]) for q in data] == [("dogyeom", 10, [])]
    assert "1x1 conv" in str(data[0]["text"])
    r = runner.invoke(app, ["-w", str(REPO), "questions", "--unanswered"], env={"DAYLOG_NOW": "2026-11-20"})
    assert r.exit_code == 0 and r.stdout.count("\n") == 2 and "logs/dogyeom/2026-11-13.md:22" in r.stdout


def test_like_finds_a_teammates_earlier_answer_on_the_sample(runner: CliRunner) -> None:
    """Asked again in other words, the Day12 question on gradient exploding comes first, with its answer."""
    data = _q(runner, REPO, "--like", "exploding gradient는 어떻게 막아요?", now="2026-11-20")
    assert data and set(data[0]) == KEYS | {"score"}
    best = data[0]
    assert best["day"] == 12 and "exploding" in str(best["text"])
    assert any("clipping" in str(a["text"]) for a in best["answers"])  # type: ignore[index]
    assert [q["score"] for q in data] == sorted((q["score"] for q in data), reverse=True)  # type: ignore[type-var]
    asked = "exploding gradient는 어떻게 막아요?"
    earlier = _q(runner, REPO, "--like", asked, "--until", "2026-11-16", now="2026-11-20")
    assert all(str(q["date"]) <= "2026-11-16" for q in earlier)
    assert not any("exploding" in str(q["text"]) for q in earlier)


DAY12 = """\
---
title: "[Day12] Today"
---

## 피어세션 정리

- `엠제이`: 가중치 초기화를 Xavier로 하는 이유가 뭐야?
  - `샐리`: 층을 지나도 분산이 유지되게 하려고. ReLU면 He 초기화
- `히스`: 오늘 점심 뭐 먹지
"""
DAY14 = """\
---
title: "[Day14] Today"
---

## 피어세션 정리

- `히스`: 과제 제출 기한이 언제였지?
  - `엠제이`: 금요일 자정
- `엠제이`: Xavier 초기화 논문 다시 읽기?

## TIL

- 가중치 초기화 정리는 내일
"""


@pytest.fixture
def team(make_ws: Callable[..., Path]) -> Path:
    ws = make_ws()
    for member, day, text in (("sally", "2021-02-02", DAY12), ("mj", "2021-02-04", DAY14)):
        (ws / "logs" / member).mkdir(exist_ok=True)
        (ws / "logs" / member / f"{day}.md").write_text(text, encoding="utf-8")
    return ws


def test_like_shows_sallys_answer_before_the_session(runner: CliRunner, team: Path) -> None:
    """`--like` in a member's own words finds 샐리's Day12 answer; text output prints the answer under it."""
    data = _q(runner, team, "--like", "Xavier 초기화는 왜 써?", now="2021-02-05")
    assert data[0]["path"] == "logs/sally/2021-02-02.md" and data[0]["line"] == 7
    assert data[0]["answers"] == [{"answerer": "sally", "text": "층을 지나도 분산이 유지되게 하려고. ReLU면 He 초기화"}]
    assert "점심" not in json.dumps(data, ensure_ascii=False)  # shares no word with the text
    r = runner.invoke(app, ["-w", str(team), "questions", "--like", "가중치 초기화"], env={"DAYLOG_NOW": "2021-02-05"})
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].startswith("2021-02-02 Day12  logs/sally/2021-02-02.md:7  mj: 가중치 초기화")
    assert lines[1] == "  ↳ sally: 층을 지나도 분산이 유지되게 하려고. ReLU면 He 초기화"
    # the TIL line holds the words too, but only the peer section is searched
    assert "TIL" not in r.stdout and "내일" not in r.stdout


def test_like_unanswered_limit_and_nothing_found(runner: CliRunner, team: Path) -> None:
    """`--unanswered` narrows `--like`; `--limit` cuts the list; a text sharing nothing lists nothing."""
    data = _q(runner, team, "--like", "Xavier 초기화", "--unanswered", now="2021-02-05")
    assert [q["text"] for q in data] == ["Xavier 초기화 논문 다시 읽기?"]
    assert len(_q(runner, team, "--like", "Xavier 초기화", "--limit", "1", now="2021-02-05")) == 1
    assert _q(runner, team, "--like", "Xavier 초기화", "--asker", "히스", now="2021-02-05") == []
    assert len(_q(runner, team, "--like", "Xavier 초기화", "--asker", "엠제이", now="2021-02-05")) == 2
    assert _q(runner, team, "--like", "양자역학", now="2021-02-05") == []
    by_now = _q(runner, team, "--like", "Xavier", now="2021-02-03")
    assert by_now == _q(runner, team, "--like", "Xavier", "--until", "2021-02-03")
    assert [q["date"] for q in by_now] == ["2021-02-02"]
    r = runner.invoke(app, ["-w", str(team), "questions", "--like", "양자역학"], env={"DAYLOG_NOW": "2021-02-05"})
    assert (r.exit_code, r.stdout) == (0, "no questions like it\n")
    r = runner.invoke(app, ["-w", str(team), "questions", "--like", "?!"])
    assert r.exit_code == 2 and "daylog: error:" in r.stderr and "nothing to compare" in r.stderr
