"""Replayed listings: the same output as computing it, and never an answer older than what it read."""

from __future__ import annotations

import json
import os
import subprocess
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

import daylog.followups.service
import daylog.questions.service
import daylog.streaks.activity
from daylog.cli.app import app
from daylog.cli.replay import KEPT_PER_COMMAND

NOW = "2021-02-08T21:00:00+09:00"
ENTRY = """\
## 피어세션

- 샐리: {question}
  - 엠제이: 배치마다 평균과 분산을 맞춘다

## 과제 진행 상황

- [ ] {task}

## 더 정리할 것

- [ ] {topic}: 메모
"""


def old(path: Path, seconds: float = 60) -> None:
    """Older than the two seconds in which a file's stamp may not yet tell a later edit apart."""
    t = time.time() - seconds
    os.utime(path, (t, t))


def write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    old(path)


@pytest.fixture
def ws(make_ws: Callable[..., Path]) -> Path:
    root = make_ws()
    old(root / "mkdocs.yml")
    write(root / "logs" / "mj" / "2021-02-04.md", ENTRY.format(question="왜 정규화?", task="1번 과제", topic="캡슐넷"))
    write(root / "logs" / "sally" / "2021-02-05.md", ENTRY.format(question="왜 풀링?", task="2번 과제", topic="어텐션"))
    return root


def run(ws: Path, *args: str, now: str = NOW) -> Any:
    r = CliRunner().invoke(app, ["-w", str(ws), *args], env={"DAYLOG_NOW": now})
    assert r.exit_code == 0, r.stderr
    return r


def computing_forbidden(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("computed although nothing it reads changed")

    for module, name in [
        (daylog.followups.service, "list_followups"),
        (daylog.followups.service, "list_tasks"),
        (daylog.questions.service, "list_questions"),
    ]:
        monkeypatch.setattr(module, name, boom)


LISTINGS = [
    ["followups", "--json"],
    ["followups", "--all"],
    ["tasks", "--json"],
    ["tasks"],
    ["questions", "--json"],
    ["questions", "--unanswered"],
]


@pytest.mark.parametrize("args", LISTINGS, ids=" ".join)
def test_a_warm_listing_replays_the_same_text(ws: Path, args: list[str], monkeypatch: pytest.MonkeyPatch) -> None:
    first = run(ws, *args)
    assert first.stdout.strip()
    computing_forbidden(monkeypatch)
    again = run(ws, *args)
    assert (again.stdout, again.stderr) == (first.stdout, first.stderr)


def topics(ws: Path, *args: str, now: str = NOW) -> list[str]:
    return [f["topic"] for f in json.loads(run(ws, "followups", "--json", *args, now=now).stdout)]


def test_an_edit_that_keeps_size_and_mtime_is_seen(ws: Path) -> None:
    assert topics(ws) == ["캡슐넷", "어텐션"]
    path = ws / "logs" / "mj" / "2021-02-04.md"
    st = path.stat()
    path.write_text(path.read_text(encoding="utf-8").replace("캡슐넷", "캡슐망"), encoding="utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns))  # same size, same mtime: only the ctime tells
    assert topics(ws) == ["캡슐망", "어텐션"]


def test_added_and_removed_entries_are_seen(ws: Path) -> None:
    assert topics(ws) == ["캡슐넷", "어텐션"]
    write(ws / "logs" / "heath" / "2021-02-05.md", ENTRY.format(question="q", task="t", topic="드롭아웃"))
    assert topics(ws) == ["캡슐넷", "드롭아웃", "어텐션"]  # oldest first, then by member
    (ws / "logs" / "mj" / "2021-02-04.md").unlink()
    assert topics(ws) == ["드롭아웃", "어텐션"]


def test_today_options_and_settings_are_part_of_the_key(ws: Path) -> None:
    ages = [f["age_days"] for f in json.loads(run(ws, "followups", "--json").stdout)]
    later = [f["age_days"] for f in json.loads(run(ws, "followups", "--json", now="2021-02-10T21:00:00+09:00").stdout)]
    assert [a + 2 for a in ages] == later
    assert topics(ws, "--author", "sally") == ["어텐션"]
    assert topics(ws) == ["캡슐넷", "어텐션"]
    config = ws / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("start_date: 2021-01-18", "start_date: 2021-02-01"))
    old(config)
    first = json.loads(run(ws, "followups", "--json").stdout)[0]
    assert first["raised_day"] == 4  # Day 4 of a course that starts on Monday 2021-02-01


def test_a_new_concept_note_changes_the_hints(ws: Path) -> None:
    """`followups` hints at concept notes, so the notes are read as much as the entries."""
    assert all(f["maybe_answered_in"] is None for f in json.loads(run(ws, "followups", "--json").stdout))
    write(ws / "concepts" / "어텐션.md", "---\naliases: [attention]\n---\n# 어텐션\n")
    hinted = {f["topic"]: f["maybe_answered_in"] for f in json.loads(run(ws, "followups", "--json").stdout)}
    assert hinted["어텐션"] is not None and hinted["캡슐넷"] is None


def test_notes_are_replayed_with_the_output(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    write(ws / "logs" / "mj" / "2021-02-03.md", "## 더 정리할 것\n<<<<<<< HEAD\n- [ ] a\n=======\n- [ ] b\n>>>>>>> x\n")
    first = run(ws, "tasks", "--json")
    assert "skipped logs/mj/2021-02-03.md" in first.stderr
    computing_forbidden(monkeypatch)
    assert run(ws, "tasks", "--json").stderr == first.stderr


def test_nothing_is_kept_while_a_file_was_just_written(ws: Path) -> None:
    (ws / "logs" / "mj" / "2021-02-04.md").write_text(ENTRY.format(question="q", task="t", topic="새 주제"))
    assert topics(ws) == ["새 주제", "어텐션"]
    assert not list((ws / ".daylog" / "cache").glob("answer-*"))


def test_a_damaged_answer_is_made_again(ws: Path) -> None:
    first = run(ws, "tasks", "--json").stdout
    [kept] = (ws / ".daylog" / "cache").glob("answer-tasks-*.marshal")
    kept.write_bytes(b"\xff not marshal")
    assert run(ws, "tasks", "--json").stdout == first
    kept.write_bytes(kept.read_bytes()[:20])
    assert run(ws, "tasks", "--json").stdout == first


def test_each_option_set_keeps_its_own_answer(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A table and JSON, or two members, alternating: each replays; only the latest few are kept."""
    firsts = {tuple(args): run(ws, *args).stdout for args in LISTINGS}
    computing_forbidden(monkeypatch)
    for args in LISTINGS:
        assert run(ws, *args).stdout == firsts[tuple(args)]
    monkeypatch.undo()
    for day in range(8, 20):
        run(ws, "tasks", now=f"2021-02-{day:02d}T21:00:00+09:00")
    assert len(list((ws / ".daylog" / "cache").glob("answer-tasks-*.marshal"))) == KEPT_PER_COMMAND


def git(repo: Path, *args: str, when: str = "2021-02-05T21:00:00+09:00") -> None:
    env = {**os.environ, "GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when}
    people = ["-c", "user.name=엠제이", "-c", "user.email=mj@example.com", "-c", "commit.gpgsign=false"]
    subprocess.run(["git", "-C", str(repo), *people, *args], check=True, capture_output=True, env=env)


@pytest.fixture
def repo(ws: Path) -> Path:
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q", str(ws)], check=True)
    git(ws, "commit", "-q", "--allow-empty", "-m", "기록")
    return ws


def test_streak_replays_until_a_commit_or_the_template_changes(repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run(repo, "streak", "--author", "mj", "--json")
    assert json.loads(first.stdout)["active_days"] == 2  # the entry on the 4th, the commit on the 5th

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("collected although nothing it reads changed")

    with monkeypatch.context() as patch:
        patch.setattr(daylog.streaks.activity, "collect", boom)
        assert run(repo, "streak", "--author", "mj", "--json").stdout == first.stdout
    git(repo, "commit", "-q", "--allow-empty", "-m", "더", when="2021-02-08T20:00:00+09:00")
    assert json.loads(run(repo, "streak", "--author", "mj", "--json").stdout)["active_days"] == 3
    # An entry that only repeats the template is not written: a template holding all of it uncounts it.
    template = repo / "templates" / "entry.md.j2"
    template.write_text((repo / "logs" / "mj" / "2021-02-04.md").read_text(encoding="utf-8"), encoding="utf-8")
    old(template)
    assert json.loads(run(repo, "streak", "--author", "mj", "--json").stdout)["active_days"] == 2


def test_streak_in_no_repository_is_computed_every_time(ws: Path) -> None:
    """Commits that cannot be keyed (no HEAD) are never replayed: the first commit shows at once."""
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q", str(ws)], check=True)
    assert json.loads(run(ws, "streak", "--author", "mj", "--json").stdout)["active_days"] == 1
    git(ws, "commit", "-q", "--allow-empty", "-m", "기록")
    assert json.loads(run(ws, "streak", "--author", "mj", "--json").stdout)["active_days"] == 2


@pytest.mark.parametrize(
    ("linked", "target", "refusal"),
    [
        ("logs/heath", "../shared/heath", "lies outside the workspace"),  # a member folder
        ("logs/heath/2021-02-05.md", "../../shared/heath/2021-02-05.md", "is a link leading outside the workspace"),
    ],
    ids=["member folder", "entry"],
)
def test_entries_moved_out_of_the_workspace_behind_a_link_are_refused(
    ws: Path, tmp_path: Path, linked: str, target: str, refusal: str
) -> None:
    """An entry reached through a link into `shared/`; `shared` then moved out and linked back:
    the same files (same stamps, same paths below `logs/`), now outside the workspace, so refused."""
    write(ws / "shared" / "heath" / "2021-02-05.md", ENTRY.format(question="q", task="t", topic="드롭아웃"))
    (ws / linked).parent.mkdir(parents=True, exist_ok=True)
    (ws / linked).symlink_to(Path(target))
    assert topics(ws) == ["캡슐넷", "드롭아웃", "어텐션"]
    (ws / "shared").rename(tmp_path / "outside")
    (ws / "shared").symlink_to(tmp_path / "outside")
    fresh = run(ws, "followups", "--json")
    assert [f["topic"] for f in json.loads(fresh.stdout)] == ["캡슐넷", "어텐션"]
    assert f"logs/heath/2021-02-05.md: {refusal}" in fresh.stderr


def test_a_fifo_in_place_of_a_kept_answer_does_not_hang(ws: Path) -> None:
    """As with entries, a FIFO where a cache file was is not read (it would block until a writer came)."""
    import threading

    first = run(ws, "tasks", "--json").stdout
    [kept] = (ws / ".daylog" / "cache").glob("answer-tasks-*.marshal")
    kept.unlink()
    os.mkfifo(kept)
    out: list[str] = []
    worker = threading.Thread(target=lambda: out.append(run(ws, "tasks", "--json").stdout), daemon=True)
    worker.start()
    worker.join(20)
    if worker.is_alive():
        with open(kept, "wb"):  # let the blocked reader go
            pass
        worker.join(20)
        pytest.fail("blocked reading a FIFO in place of the kept answer")
    assert out == [first]


def test_a_commit_made_while_the_streak_is_made_is_not_kept_under_the_older_head(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HEAD moves while `streak` counts, then back (`reset`): its answer must not be replayed for the older HEAD."""
    head = ["git", "-C", str(repo), "rev-parse", "HEAD"]
    before = subprocess.run(head, check=True, capture_output=True, text=True).stdout
    collect = daylog.streaks.activity.collect

    def while_committing(*args: Any, **kwargs: Any) -> Any:
        git(repo, "commit", "-q", "--allow-empty", "-m", "더", when="2021-02-08T20:00:00+09:00")
        return collect(*args, **kwargs)

    with monkeypatch.context() as patch:
        patch.setattr(daylog.streaks.activity, "collect", while_committing)
        assert json.loads(run(repo, "streak", "--author", "mj", "--json").stdout)["active_days"] == 3
    git(repo, "reset", "-q", "--soft", before.strip())
    assert json.loads(run(repo, "streak", "--author", "mj", "--json").stdout)["active_days"] == 2


def test_a_streak_that_could_not_read_the_commits_is_not_replayed(repo: Path, tmp_path: Path) -> None:
    """`git log` fails behind a HEAD that resolves (an object missing); once the object is back,
    with the same HEAD, the commits count: the answer that could not read them is not kept."""
    git(repo, "commit", "-q", "--allow-empty", "-m", "더", when="2021-02-06T20:00:00+09:00")
    parent = subprocess.run(
        ["git", "-C", str(repo), "rev-parse", "HEAD~1"], check=True, capture_output=True, text=True
    ).stdout.strip()
    loose = repo / ".git" / "objects" / parent[:2] / parent[2:]
    aside = tmp_path / "object"
    loose.rename(aside)
    broken = run(repo, "streak", "--author", "mj", "--json")
    assert "cannot read the commits" in broken.stderr
    aside.rename(loose)
    fresh = run(repo, "streak", "--author", "mj", "--json")
    assert "cannot read the commits" not in fresh.stderr
    assert json.loads(fresh.stdout)["active_days"] == 3


def test_a_streak_of_entries_alone_replays(ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    first = run(ws, "streak", "--source", "entries", "--json").stdout

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("collected although nothing it reads changed")

    monkeypatch.setattr(daylog.streaks.activity, "collect", boom)
    assert run(ws, "streak", "--source", "entries", "--json").stdout == first
