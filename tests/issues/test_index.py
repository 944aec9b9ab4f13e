"""The issue index: references grouped per issue, merged with the cache, both directions."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from dataclasses import replace
from datetime import date
from pathlib import Path

from conftest import REPO
from typer.testing import CliRunner

from daylog.calendar import CourseCalendar
from daylog.cli.app import app
from daylog.issues.github import CachedIssue, IssueCache, State
from daylog.issues.index import EntryRefs, build_index, load_refs
from daylog.issues.refs import Kind
from daylog.workspace.files import Workspace

CAL = CourseCalendar(date(2021, 1, 18))
D13 = date(2021, 2, 3)  # Day13
SAT = date(2021, 2, 6)


def rec(repo: str, number: int, title: str | None, state: State | None, kind: Kind | None = Kind.ISSUE) -> CachedIssue:
    return CachedIssue(
        repo=repo,
        number=number,
        kind=kind,
        title=title,
        state=state,
        url=f"https://github.com/{repo}/{'pull' if kind is Kind.PULL else 'issues'}/{number}",
        updated_at=None,
        etag=None,
        missing=False,
        fetched_at="2021-02-03T00:00:00Z",
    )


ROWS: list[EntryRefs] = [
    ("logs/sally/2021-02-06.md", "sally", SAT, (("Team", "Peer-Session", 53, None, 9, "til"),)),
    (
        "logs/mj/2021-02-03.md",
        "mj",
        D13,
        (
            ("team", "peer-session", 53, None, 12, "peer"),
            ("team", "peer-session", 52, "issue", 13, "peer"),
            ("team", "peer-session", 53, "issue", 20, None),
            ("other", "lib", 7, "pull", 21, "til"),
        ),
    ),
]


def test_groups_per_issue_case_insensitively_with_configured_spelling() -> None:
    """`Team/Peer-Session#53` and `team/peer-session#53` are one issue, shown as issue_repo spells it."""
    index = build_index(ROWS, {}, CAL, issue_repo="team/peer-session")
    assert [i.key for i in index.issues] == ["other/lib#7", "team/peer-session#52", "team/peer-session#53"]
    i53 = index.get("TEAM/peer-session", 53)
    assert i53 is not None and i53.repo == "team/peer-session"
    assert [(m.author, m.date, m.day, m.line, m.section) for m in i53.mentions] == [
        ("mj", D13, 13, 12, "peer"),
        ("mj", D13, 13, 20, None),
        ("sally", SAT, None, 9, "til"),
    ]
    assert i53.members == ("mj", "sally") and i53.entries == ("logs/mj/2021-02-03.md", "logs/sally/2021-02-06.md")
    assert i53.first.date == D13 and i53.last.date == SAT


def test_without_issue_repo_the_first_spelling_wins() -> None:
    """With no configured repo, the display spelling is the oldest mention's."""
    index = build_index(ROWS, {}, CAL)
    assert index.get("team/peer-session", 53) is not None
    assert index.get("team/peer-session", 53).repo == "team/peer-session"  # type: ignore[union-attr]
    late_first = [ROWS[0], (ROWS[1][0], "mj", date(2021, 2, 8), ROWS[1][3])]
    assert build_index(late_first, {}, CAL).issues[-1].repo == "Team/Peer-Session"


def test_cache_supplies_title_state_kind_and_url() -> None:
    """Cached records (any key case) give title, state and kind; unknown ones stay null."""
    cached = {
        "Team/Peer-Session#53": rec("Team/Peer-Session", 53, "CNN 커널의 역할", State.OPEN, Kind.PULL),
        "other/lib#7": rec("other/lib", 7, "합병된 PR", State.MERGED, Kind.PULL),
    }
    index = build_index(ROWS, cached, CAL, issue_repo="team/peer-session")
    i53 = index.get("team/peer-session", 53)
    assert i53 is not None
    assert (i53.title, i53.state, i53.kind) == ("CNN 커널의 역할", "open", Kind.PULL)
    assert i53.url == "https://github.com/Team/Peer-Session/pull/53"
    i52 = index.get("team/peer-session", 52)
    assert i52 is not None and (i52.title, i52.state, i52.kind) == (None, None, Kind.ISSUE)
    assert i52.url == "https://github.com/team/peer-session/issues/52"
    assert [i.number for i in index.select(state="closed")] == [7]
    assert [i.number for i in index.select(state="open")] == [53]
    assert [i.number for i in index.select(repo="OTHER/LIB")] == [7]


def test_kind_unknown_for_shorthand_only_issues() -> None:
    """An issue only ever written `#N` and never fetched has kind None (JSON null), url /issues/N."""
    rows: list[EntryRefs] = [("logs/mj/a.md", "mj", D13, (("team", "peer-session", 9, None, 3, "peer"),))]
    item = build_index(rows, {}, CAL).issues[0]
    assert item.kind is None and item.as_json()["kind"] is None
    assert item.url == "https://github.com/team/peer-session/issues/9"


def test_backlinks_per_entry() -> None:
    """Each entry lists the issues it links, in order of first mention, each once."""
    index = build_index(ROWS, {}, CAL, issue_repo="team/peer-session")
    assert [i.key for i in index.by_entry.get("logs/mj/2021-02-03.md", ())] == [
        "team/peer-session#53",
        "team/peer-session#52",
        "other/lib#7",
    ]
    assert [i.key for i in index.by_entry.get("logs/sally/2021-02-06.md", ())] == ["team/peer-session#53"]
    assert index.by_entry.get("logs/heath/2021-02-03.md", ()) == ()


def test_json_shape() -> None:
    """The documented keys, in order, with dates as ISO strings."""
    cached = {"other/lib#7": rec("other/lib", 7, "<b>굵게</b>", State.MERGED, Kind.PULL)}
    item = build_index(ROWS, cached, CAL).issues[0]
    assert item.as_json() == {
        "repo": "other/lib",
        "number": 7,
        "kind": "pull",
        "url": "https://github.com/other/lib/pull/7",
        "title": "<b>굵게</b>",
        "state": "merged",
        "mentions": [
            {
                "author": "mj",
                "date": "2021-02-03",
                "day": 13,
                "path": "logs/mj/2021-02-03.md",
                "line": 21,
                "section": "til",
            }
        ],
    }


ENTRY = """\
---
title: "[부스트캠프 AI Tech / Day13] Today"
date: 2021-02-03 22:00:00 +0900
author: mj
day: 13
---

## 피어세션 정리

- `샐리`: 깊은 CNN에서 커널 역할? (#53)
  - `엠제이`: #53에서 정리함, 이슈#54도 참고
  - `#99`는 코드라서 아님

```python
x = 1  # 실험 #77
```

## TIL (Today I Learned)

- https://github.com/team/peer-session/issues/52#issuecomment-1 읽음
"""


def test_workspace_refs_are_read_through_the_parse_cache(make_ws: Callable[..., Path]) -> None:
    """Refs come with path, section and line; code is skipped; a warm run reads the cache only."""
    root = make_ws()
    (root / "logs" / "mj").mkdir()
    entry = root / "logs" / "mj" / "2021-02-03.md"
    entry.write_text(ENTRY, encoding="utf-8")
    old = 1_600_000_000_000_000_000
    os.utime(entry, ns=(old, old))  # older than the racy window, so it is cached
    ws = Workspace.find(root, root)
    rows, errors = load_refs(ws)
    assert errors == []
    assert rows == [
        (
            "logs/mj/2021-02-03.md",
            "mj",
            D13,
            (
                ("team", "peer-session", 53, None, 10, "peer"),
                ("team", "peer-session", 53, None, 11, "peer"),
                ("team", "peer-session", 54, None, 11, "peer"),
                ("team", "peer-session", 52, "issue", 20, "til"),
            ),
        )
    ]
    assert (root / ".daylog" / "cache" / "issue-refs" / "mj.marshal").is_file()
    import daylog.issues.index as mod

    calls = []
    real = mod.find_refs
    mod.find_refs = lambda *a, **k: calls.append(1) or real(*a, **k)  # type: ignore[assignment]
    try:
        assert load_refs(Workspace.find(root, root))[0] == rows
    finally:
        mod.find_refs = real  # type: ignore[assignment]
    assert calls == []


def test_changing_issue_repo_invalidates_cached_refs(make_ws: Callable[..., Path]) -> None:
    """`#53` resolves against issue_repo, so the cached rows are keyed on it."""
    root = make_ws()
    (root / "logs" / "mj").mkdir()
    entry = root / "logs" / "mj" / "2021-02-03.md"
    entry.write_text(ENTRY, encoding="utf-8")
    os.utime(entry, ns=(1_600_000_000_000_000_000,) * 2)
    assert load_refs(Workspace.find(root, root))[0][0][3][0][:2] == ("team", "peer-session")
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("team/peer-session", "new-team/qna"), "utf-8")
    assert load_refs(Workspace.find(root, root))[0][0][3][0][:2] == ("new-team", "qna")


# -- the sample workspace ---------------------------------------------------------------------


def sample_json() -> list[dict[str, object]]:
    r = CliRunner().invoke(app, ["-w", str(REPO), "issues", "--json"], env={"DAYLOG_NOW": "2026-11-20T22:00"})
    assert r.exit_code == 0, r.stderr
    data: list[dict[str, object]] = json.loads(r.stdout)
    return data


def test_sample_workspace_index() -> None:
    """The demo team references daylog-demo/peer-session #1..#24; #3 is a PR, #19 is mentioned thrice."""
    data = sample_json()
    by_number = {d["number"]: d for d in data}
    assert sorted(by_number) == list(range(1, 25))
    assert {d["repo"] for d in data} == {"daylog-demo/peer-session"}

    def where(n: int) -> list[tuple[object, object, object]]:
        mentions = by_number[n]["mentions"]
        assert isinstance(mentions, list)
        return [(m["path"], m["line"], m["section"]) for m in mentions]

    assert sorted(where(19)) == [
        ("logs/hayoon/2026-11-16.md", 15, "peer"),  # an #issuecomment URL
        ("logs/jiwoo/2026-11-16.md", 14, "peer"),  # `#19에` shorthand
        ("logs/minji/2026-11-16.md", 15, "peer"),  # [링크](…/issues/19)
    ]
    assert len(where(24)) == 3 and len(where(9)) == 2 and len(where(20)) == 1
    assert where(16) == [("logs/jiwoo/2026-11-14.md", 36, "til")]  # a Saturday: no day number
    assert by_number[16]["mentions"][0]["day"] is None  # type: ignore[index]
    assert ("logs/jiwoo/2026-11-14.md", 16, "followups") in where(18)
    # `# 실험 #3` in minji's Python block is code, not a reference.
    assert where(3) == [("logs/jiwoo/2026-11-03.md", 19, "peer")]


def test_sample_cache_is_committed_and_complete() -> None:
    """.daylog/issues.json has a title and state for every referenced issue; #3 is a merged PR."""
    cache = IssueCache.load(REPO / ".daylog" / "issues.json")
    assert len(cache.issues) == 24
    data = {d["number"]: d for d in sample_json()}
    assert all(d["title"] and d["state"] for d in data.values())
    assert data[3]["kind"] == "pull" and data[3]["state"] == "merged"
    assert data[3]["title"] == "피어세션 질문 issue 템플릿 추가"
    assert data[3]["url"] == "https://github.com/daylog-demo/peer-session/pull/3"
    assert {n for n, d in data.items() if d["state"] == "closed"} == {1, 2, 4, 5, 6, 8, 9, 13}
    # Committed: not ignored by git (the parse cache next to it is).
    import subprocess

    ignored = subprocess.run(["git", "check-ignore", "-q", ".daylog/issues.json"], cwd=REPO, check=False)
    assert ignored.returncode == 1


def test_sample_cache_is_what_the_script_writes(tmp_path: Path) -> None:
    """The committed cache is exactly scripts/sample_issue_cache.py's output (regenerate, don't hand-edit)."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("sample_issue_cache", REPO / "scripts" / "sample_issue_cache.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    written = module.build(tmp_path / "issues.json").to_text()
    assert written == (REPO / ".daylog" / "issues.json").read_text(encoding="utf-8")


def test_an_unsafe_cached_url_never_leaves_the_index() -> None:
    """A record made in memory with a `javascript:` url (skipping `load`): the index builds the github.com URL."""
    bad = replace(rec("team/peer-session", 53, "제목", State.OPEN), url="javascript:alert(40)")
    index = build_index(ROWS, {bad.key: bad}, CAL, issue_repo="team/peer-session")
    issue = index.get("team/peer-session", 53)
    assert issue is not None and issue.url == "https://github.com/team/peer-session/issues/53"
    assert issue.title == "제목"
