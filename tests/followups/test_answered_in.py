"""`followups`' hint: a later entry's TIL heading that covers an open follow-up's topic (#14 item 3)."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daylog.cli.app import app
from daylog.entries.parse import parse
from daylog.followups.lifecycle import Heading, covers, til_headings

REPO = Path(__file__).resolve().parent.parent.parent


@pytest.mark.parametrize(
    ("topic", "heading", "expected"),
    [
        ("BN 위치", "BN 위치", True),
        ("배치 정규화", "배치정규화의 효과", True),  # spaces aside, the heading is about more
        ("LSTM gate", "LSTM의 gate 구조", True),  # a particle in between
        ("Attention의 Query, Key, Value", "attention query key value", True),  # case, punctuation, particle
        ("ＢＮ 위치", "BN 위치", False),  # full-width letters are other letters (NFC keeps them)
        ("layer norm vs batch norm", "layer norm", True),  # the heading's words are all in the topic
        ("dropout", "data augmentation", False),
        ("x", "x축 정리", False),  # too short to mean anything
        ("정리", "", False),
    ],
)
def test_covers(topic: str, heading: str, expected: bool) -> None:
    """Topic and heading match when every word of one is in the other (NFC, case, punctuation, particles aside)."""
    assert covers(topic, heading) is expected


def test_til_headings_are_the_headings_under_til() -> None:
    """Only headings nested in the TIL section count, not the TIL heading itself nor other sections'."""
    text = "## 피어세션 정리\n\n### dropout\n\n## TIL\n\n### 배치 정규화\n\n- x\n\n#### 세부\n\n## 오늘의 한마디\n"
    assert til_headings(parse(text)) == (Heading("배치 정규화", 7), Heading("세부", 11))


def _followups(runner: CliRunner, ws: Path, now: str, *args: str) -> list[dict[str, object]]:
    r = runner.invoke(app, ["-w", str(ws), "followups", *args, "--json"], env={"DAYLOG_NOW": now})
    assert r.exit_code == 0, r.stderr
    data: list[dict[str, object]] = json.loads(r.stdout)
    return data


def test_sample_follow_up_covered_by_a_teammates_til(runner: CliRunner) -> None:
    """도겸's `BN 위치` (Day7) points at 하윤's Day9 TIL heading; it stays open; others point nowhere."""
    data = _followups(runner, REPO, "2026-11-20")
    hinted = {d["topic"]: d["maybe_answered_in"] for d in data if d["maybe_answered_in"]}
    assert hinted == {
        "BN 위치": {
            "path": "logs/hayoon/2026-11-12.md",
            "line": 46,
            "author": "hayoon",
            "date": "2026-11-12",
            "day": 9,
            "heading": "BN 위치",
        }
    }
    line = (REPO / "logs/hayoon/2026-11-12.md").read_text(encoding="utf-8").splitlines()[45]
    assert line == "### BN 위치"
    assert next(d for d in data if d["topic"] == "BN 위치")["status"] == "open"
    r = runner.invoke(app, ["-w", str(REPO), "followups"], env={"DAYLOG_NOW": "2026-11-20"})
    assert r.exit_code == 0
    assert r.stdout.splitlines()[-1] == (
        "↳ 7arnj2 BN 위치: maybe answered in logs/hayoon/2026-11-12.md:46 (hayoon, 2026-11-12 Day9: BN 위치)"
    )


def _entry(ws: Path, member: str, day: str, body: str) -> None:
    (ws / "logs" / member).mkdir(exist_ok=True)
    (ws / "logs" / member / f"{day}.md").write_text(f"---\ntitle: t\n---\n\n{body}", encoding="utf-8")


@pytest.fixture
def team(make_ws: Callable[..., Path]) -> Path:
    ws = make_ws()
    _entry(ws, "sally", "2021-02-01", "## TIL\n\n### label smoothing\n\n- 먼저 쓴 글\n")  # before: no hint
    followups = "- [ ] label smoothing: 언제 쓰나\n- [x] dropout ✅ 2021-02-03\n"
    _entry(ws, "mj", "2021-02-02", f"### 더 정리할 것\n\n{followups}")
    _entry(ws, "heath", "2021-02-04", "## TIL\n\n### Label Smoothing의 효과\n\n- 정리\n")
    _entry(ws, "sally", "2021-02-03", "## 피어세션 정리\n\n### label smoothing\n\n## TIL\n\n### dropout\n")
    return ws


def test_the_first_later_til_heading_and_only_for_open_ones(runner: CliRunner, team: Path) -> None:
    """The first entry after the follow-up with a TIL heading on it, by anyone; a resolved one has null."""
    data = _followups(runner, team, "2021-02-05", "--all")
    by_topic = {d["topic"]: d["maybe_answered_in"] for d in data}
    assert by_topic == {
        "label smoothing": {
            "path": "logs/heath/2021-02-04.md",
            "line": 7,
            "author": "heath",
            "date": "2021-02-04",
            "day": 14,
            "heading": "Label Smoothing의 효과",
        },
        "dropout": None,
    }
    # a warm run (from the cache) gives the same; the author's own filter still looks at everyone's TIL
    assert _followups(runner, team, "2021-02-05", "--author", "mj") == [d for d in data if d["topic"] != "dropout"]
    (team / "logs" / "heath" / "2021-02-04.md").write_text("---\ntitle: t\n---\n\n## TIL\n\n- 없음\n", encoding="utf-8")
    assert _followups(runner, team, "2021-02-05")[0]["maybe_answered_in"] is None


def test_concept_names_from_the_front_matter() -> None:
    """Title (else the file name) and aliases, inline or as a list; the body is not read for names."""
    from daylog.followups.lifecycle import ConceptNote, concept_names

    inline = "---\ntitle: Attention\naliases: [어텐션, 'self-attention']\n---\n\n## 정의\ntitle: no\n"
    assert concept_names("concepts/attention.md", "attention", inline) == ConceptNote(
        "concepts/attention.md", "Attention", ("어텐션", "self-attention")
    )
    listed = '---\naliases:\n  - 라벨 스무딩\n  - "LS"\nother: x\n---\n'
    assert concept_names("c/ls.md", "label-smoothing", listed).aliases == ("라벨 스무딩", "LS")
    assert concept_names("c/ls.md", "label-smoothing", "no front matter").title == "label-smoothing"


def test_a_concept_note_covers_what_no_later_til_does(runner: CliRunner, team: Path) -> None:
    """An open follow-up with no later TIL heading on it points at the concept note named like it
    (title, file name or alias; undated: author, date and day null); a TIL heading comes first."""
    notes = team / "concepts"
    notes.mkdir()
    (notes / "weight-decay.md").write_text("---\ntitle: Weight decay\naliases: [가중치 감쇠]\n---\n", "utf-8")
    (notes / "label-smoothing.md").write_text("---\ntitle: Label smoothing\n---\n", "utf-8")
    _entry(team, "mj", "2021-02-03", "### 더 정리할 것\n\n- [ ] 가중치 감쇠: L2랑 같나\n")
    by_topic = {d["topic"]: d["maybe_answered_in"] for d in _followups(runner, team, "2021-02-05")}
    assert by_topic["가중치 감쇠"] == {
        "path": "concepts/weight-decay.md",
        "line": 1,
        "author": None,
        "date": None,
        "day": None,
        "heading": "Weight decay",
    }
    assert by_topic["label smoothing"]["path"] == "logs/heath/2021-02-04.md"  # type: ignore[index]
    r = runner.invoke(app, ["-w", str(team), "followups"], env={"DAYLOG_NOW": "2021-02-05"})
    assert "maybe answered in concepts/weight-decay.md:1 (concept note: Weight decay)" in r.stdout


def test_a_concept_note_names_the_topic_one_way_only() -> None:
    """A note's name must hold every word of the topic: `LSTM` is no hint for `LSTM 파라미터 수`."""
    from daylog.followups.lifecycle import names

    assert names("weight decay", "weight-decay") and names("어텐션", "셀프 어텐션")
    assert not names("LSTM 파라미터 수", "LSTM") and not names("x", "x축")


def test_concept_notes_outside_the_workspace_are_not_read(
    runner: CliRunner, team: Path, tmp_path_factory: pytest.TempPathFactory
) -> None:
    """A `concepts` link leading out of the workspace is ignored (no hint from it)."""
    outside = tmp_path_factory.mktemp("elsewhere")
    (outside / "weight-decay.md").write_text("---\naliases: [가중치 감쇠]\n---\n", "utf-8")
    (team / "concepts").symlink_to(outside, target_is_directory=True)
    _entry(team, "mj", "2021-02-03", "### 더 정리할 것\n\n- [ ] 가중치 감쇠: L2랑 같나\n")
    by_topic = {d["topic"]: d["maybe_answered_in"] for d in _followups(runner, team, "2021-02-05")}
    assert by_topic["가중치 감쇠"] is None
