"""`daylog issues`, `issues fetch` and `link` end to end, against a real fake GitHub on 127.0.0.1."""

from __future__ import annotations

import io
import json
import socket
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fakegithub import FakeGitHub, issue
from typer.testing import CliRunner

from daylog.cli.app import app
from daylog.issues.github import CachedIssue, IssueCache, State
from daylog.issues.refs import Kind
from daylog.terminal import Progress, plain

TOKEN = "ghp_sekrit_token_that_must_never_be_written"
NOW = "2021-02-03T22:31:00+09:00"
REPO_ = "team/peer-session"
PEER = f"https://github.com/{REPO_}"

MJ = f"""\
---
title: "[부스트캠프 AI Tech / Day13] Today"
date: 2021-02-03 22:00:00 +0900
author: mj
day: 13
---

## 피어세션 정리

- `샐리`: 깊은 CNN에서 커널마다 역할이 있나?
  - `엠제이`: 앞쪽은 edge, 뒤쪽은 의미. #53에서 정리함
  - {PEER}/issues/52
- `히스`: `#99`는 코드 안이라 이슈가 아님

```python
x = 1  # 실험 #77
```

### 더 정리할 것

- [ ] receptive field: (#53) 댓글 다시 보기

## TIL (Today I Learned)

- PR도 봄: {PEER}/pull/54
"""

SALLY = """\
---
title: "[부스트캠프 AI Tech / Day14] Today"
date: 2021-02-04 21:00:00 +0900
author: sally
day: 14
---

## 피어세션 정리

오늘은 히스가 결석.

## TIL (Today I Learned)

- 이슈#53을 다시 읽음
"""


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    server = FakeGitHub().start()
    server.add(
        issue(52, "CNN 레이어가 깊을 때 각 커널의 역할", repo=REPO_, state="closed"),
        issue(53, "receptive field `3x3` 두 번 = 5x5? <b>굵게</b>", repo=REPO_),
        issue(54, "CNN 실습 코드 정리", repo=REPO_, pull=True, merged=True, state="closed"),
        repo=REPO_,
    )
    server.token = TOKEN
    yield server
    server.stop()


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture
def team(make_ws: Callable[..., Path]) -> Callable[..., Path]:
    """The workspace with mj's Day13 and sally's Day14 entries, its API at `api_url` (+ `extra` settings lines)."""

    def make(api_url: str, extra: str = "") -> Path:
        root = make_ws(extra=f"      api_url: {api_url}\n{extra}")
        for member, day, text in (("mj", "2021-02-03", MJ), ("sally", "2021-02-04", SALLY)):
            (root / "logs" / member).mkdir()
            (root / "logs" / member / f"{day}.md").write_text(text, encoding="utf-8")
        return root

    return make


def run(runner: CliRunner, ws: Path, *args: str, token: str | None = TOKEN):  # type: ignore[no-untyped-def]
    env = {"DAYLOG_NOW": NOW}
    if token is not None:
        env["GITHUB_TOKEN"] = token
    return runner.invoke(app, ["-w", str(ws), *args], env=env)


def listing(runner: CliRunner, ws: Path, *args: str) -> dict[int, dict[str, object]]:
    r = run(runner, ws, "issues", "--json", *args)
    assert r.exit_code == 0, r.stderr
    return {item["number"]: item for item in json.loads(r.stdout)}


# -- the issue's check scenario --------------------------------------------------------------


def test_fetch_fills_the_cache_then_a_second_fetch_is_a_304(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]
) -> None:
    """One list call fills the cache; the next fetch sends If-None-Match and gets 304."""
    ws = team(fake.url)
    r = run(runner, ws, "issues", "fetch")
    assert r.exit_code == 0, r.stderr
    assert "3 issues in 1 repository: 3 updated, 0 unchanged, 0 missing (1 requests)" in r.stdout
    assert [(s.path, s.query["state"]) for s in fake.requests] == [(f"/repos/{REPO_}/issues", "all")]
    assert fake.requests[0].headers["authorization"] == f"Bearer {TOKEN}"
    cache_file = ws / ".daylog" / "issues.json"
    cache = IssueCache.load(cache_file)
    assert sorted(cache.issues) == [f"{REPO_}#52", f"{REPO_}#53", f"{REPO_}#54"]

    r = run(runner, ws, "issues", "fetch")
    assert r.exit_code == 0, r.stderr
    assert "0 updated, 1 unchanged" in r.stdout
    second = fake.requests[1]
    assert second.headers.get("if-none-match", "").startswith('W/"')
    assert "since" not in second.query  # the same URL as the first list call
    assert TOKEN not in cache_file.read_text(encoding="utf-8") + r.stdout + r.stderr


def test_listing_after_fetch_has_titles_state_and_mentions(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]
) -> None:
    """`issues --json`: both issues and the PR with titles, state, kind and every mention (not code)."""
    ws = team(fake.url)
    assert run(runner, ws, "issues", "fetch").exit_code == 0
    data = listing(runner, ws)
    assert sorted(data) == [52, 53, 54]  # `#99` and `# 실험 #77` are code
    assert list(data[53]) == ["repo", "number", "kind", "url", "title", "state", "mentions"]
    assert data[52]["title"] == "CNN 레이어가 깊을 때 각 커널의 역할" and data[52]["state"] == "closed"
    assert data[53]["title"] == "receptive field `3x3` 두 번 = 5x5? <b>굵게</b>" and data[53]["state"] == "open"
    assert (data[54]["kind"], data[54]["state"], data[54]["url"]) == ("pull", "merged", f"{PEER}/pull/54")
    mj, sally = "logs/mj/2021-02-03.md", "logs/sally/2021-02-04.md"
    assert data[53]["mentions"] == [
        {"author": "mj", "date": "2021-02-03", "day": 13, "path": mj, "line": 11, "section": "peer"},
        {"author": "mj", "date": "2021-02-03", "day": 13, "path": mj, "line": 21, "section": "followups"},
        {"author": "sally", "date": "2021-02-04", "day": 14, "path": sally, "line": 14, "section": "til"},
    ]
    assert [m["line"] for m in data[52]["mentions"]] == [12]  # type: ignore[attr-defined]
    assert sorted(listing(runner, ws, "--closed")) == [52, 54]
    assert sorted(listing(runner, ws, "--open")) == [53]
    assert sorted(listing(runner, ws, "--repo", "TEAM/Peer-Session")) == [52, 53, 54]
    assert listing(runner, ws, "--repo", "other/repo") == {}

    r = run(runner, ws, "issues")
    assert r.exit_code == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[0].split() == ["ISSUE", "STATE", "MENTIONS", "FIRST", "LAST", "MEMBERS", "TITLE"]
    row = [f"{REPO_}#53", "open", "3", "2021-02-03", "Day13", "2021-02-04", "Day14", "mj,", "sally"]
    assert lines[2].split()[:9] == row
    assert lines[2].endswith("receptive field `3x3` 두 번 = 5x5? <b>굵게</b>")


def test_rate_limit_mid_fetch_keeps_what_was_fetched(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]
) -> None:
    """A 403 rate limit on page 2: exit 1 saying when it resets; page 1's issue is in the cache."""
    ws = team(fake.url)
    fake.page_size = 1
    fake.fail(
        "page=2",
        403,
        body=b'{"message": "API rate limit exceeded"}',
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "1612360800"},  # 2021-02-03T14:00Z
    )
    r = run(runner, ws, "issues", "fetch")
    assert r.exit_code == 1
    assert "rate limit reached" in r.stderr and "2021-02-03T23:00:00+09:00" in r.stderr
    assert "fetched so far is saved" in r.stderr and r.stderr.count("\n") == 1
    data = listing(runner, ws)
    assert data[54]["title"] == "CNN 실습 코드 정리"  # newest first: page 1
    assert data[53]["title"] is None and data[52]["title"] is None
    fake.faults.clear()
    assert run(runner, ws, "issues", "fetch").exit_code == 0
    assert all(item["title"] for item in listing(runner, ws).values())


def test_a_rate_limit_reset_in_the_year_9999_is_one_line(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]
) -> None:
    """Regression #12: `x-ratelimit-reset` past the year 9999 was an OverflowError traceback; now exit 1, one line."""
    ws = team(fake.url)
    fake.fail("/repos/", 403, headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": "253402300800"})
    r = run(runner, ws, "issues", "fetch")
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr
    assert "more than a day away" in r.stderr and "try again in an hour" in r.stderr


def test_fetch_from_a_trickling_server_ends_at_fetch_timeout(
    runner: CliRunner, fake: FakeGitHub, team: Callable[..., Path]
) -> None:
    """Regression #12: `fetch_timeout: 1`, a byte every 2 s: exit 1 after about 1 s, one error naming the setting."""
    ws = team(fake.url, "      fetch_timeout: 1\n")
    body = json.dumps([issue(53, "느린 서버", repo=REPO_)]).encode()
    fake.fail(f"/repos/{REPO_}/issues", 200, body=body, trickle=2.0)
    started = time.monotonic()
    r = run(runner, ws, "issues", "fetch")
    elapsed = time.monotonic() - started
    assert r.exit_code == 1 and isinstance(r.exception, SystemExit)
    errors = [line for line in r.stderr.splitlines() if line.startswith("daylog: error:")]
    assert len(errors) == 1 and "Traceback" not in r.stderr  # the other line is the progress note
    assert errors[0].startswith("daylog: error: GitHub took longer than fetch_timeout (1 s); stopped waiting for ")
    assert errors[0].endswith("(try again later, or raise fetch_timeout in the daylog settings)")
    assert elapsed < 1.8, elapsed


def test_wrong_token_says_so_without_showing_it(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]
) -> None:
    """401: one line saying the token is wrong; no token in output or cache."""
    ws = team(fake.url)
    r = run(runner, ws, "issues", "fetch", token="ghp_wrong_one")
    assert r.exit_code == 1
    assert "GitHub rejected the token (401): check GITHUB_TOKEN/GH_TOKEN" in r.stderr
    assert "ghp_wrong_one" not in r.stderr + r.stdout
    assert r.stderr.count("\n") == 1 and "Traceback" not in r.stderr


def test_offline_listing_works_and_fetch_says_why(runner: CliRunner, team: Callable[[str], Path]) -> None:
    """No network: listing shows the committed cache; fetch is one clear line and changes nothing."""
    ws = team(f"http://127.0.0.1:{closed_port()}")
    cache_file = ws / ".daylog" / "issues.json"
    cache = IssueCache(cache_file)
    cache.issues[f"{REPO_}#52"] = CachedIssue(
        repo=REPO_,
        number=52,
        kind=Kind.ISSUE,
        title="CNN 레이어가 깊을 때 각 커널의 역할",
        state=State.CLOSED,
        url=f"{PEER}/issues/52",
        updated_at=None,
        etag=None,
        missing=False,
        fetched_at="2021-02-03T00:00:00Z",
    )
    cache.save()
    before = cache_file.read_bytes()
    data = listing(runner, ws)
    assert data[52]["title"] == "CNN 레이어가 깊을 때 각 커널의 역할" and data[53]["title"] is None
    r = run(runner, ws, "issues")
    assert r.exit_code == 0 and "2 without a title: `daylog issues fetch` asks GitHub" in r.stderr
    r = run(runner, ws, "issues", "fetch")
    assert r.exit_code == 1
    assert "cannot reach http://127.0.0.1:" in r.stderr and "check the network connection" in r.stderr
    assert cache_file.read_bytes() == before


def test_corrupt_cache_is_reported_then_rebuilt(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]
) -> None:
    """A broken cache file: listing says so and goes on; fetch says it rebuilt it."""
    ws = team(fake.url)
    cache_file = ws / ".daylog" / "issues.json"
    cache_file.parent.mkdir()
    cache_file.write_text("{ 깨진", encoding="utf-8")
    r = run(runner, ws, "issues", "--json")
    assert r.exit_code == 0
    assert "issue cache is unusable" in r.stderr and ".daylog/issues.json" in r.stderr
    assert all(item["title"] is None for item in json.loads(r.stdout))
    r = run(runner, ws, "issues", "fetch")
    assert r.exit_code == 0, r.stderr
    assert "was unusable" in r.stderr and "rebuilt from GitHub" in r.stderr
    assert len(IssueCache.load(cache_file).issues) == 3


def test_fetch_repo_filter_and_nothing_to_fetch(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path], make_ws: Callable[..., Path]
) -> None:
    """--repo must be referenced; a workspace without references fetches nothing."""
    ws = team(fake.url)
    r = run(runner, ws, "issues", "fetch", "--repo", "other/repo")
    assert r.exit_code == 1 and "no entry references an issue of other/repo" in r.stderr
    assert f"referenced: {REPO_}" in r.stderr and fake.requests == []
    r = run(runner, ws, "issues", "fetch", "--repo", "not a repo")
    assert r.exit_code == 2 and "--repo must look like owner/repo" in r.stderr
    r = run(runner, ws, "issues", "--open", "--closed")
    assert r.exit_code == 2
    (ws / "logs" / "mj" / "2021-02-03.md").unlink()
    (ws / "logs" / "sally" / "2021-02-04.md").unlink()
    r = run(runner, ws, "issues", "fetch")
    assert r.exit_code == 0 and "nothing to fetch" in r.stdout and fake.requests == []
    assert run(runner, ws, "issues").stdout == "no entry mentions an issue\n"


# -- link ------------------------------------------------------------------------------------


def inserted(before: bytes, after: bytes) -> list[str]:
    """The lines `after` adds to `before`, asserting nothing else changed."""
    old, new = before.decode().split("\n"), after.decode().split("\n")
    assert len(new) > len(old)
    i = 0
    while i < len(old) and old[i] == new[i]:
        i += 1
    added = len(new) - len(old)
    assert new[i + added :] == old[i:], "bytes after the insertion changed"
    return new[i : i + added]


def test_link_adds_exactly_one_line_with_the_cached_title(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]
) -> None:
    """`link 53` after a fetch: one escaped line at the end of the peer Q&A list, the rest byte-identical."""
    ws = team(fake.url)
    assert run(runner, ws, "issues", "fetch").exit_code == 0
    requests = len(fake.requests)
    entry = ws / "logs" / "mj" / "2021-02-03.md"
    before = entry.read_bytes()
    r = run(runner, ws, "link", "53", "--author", "mj", "--note", "`엠제이` 정리")
    assert r.exit_code == 0, r.stderr
    line = f"- [#53 receptive field \\`3x3\\` 두 번 = 5x5? &lt;b&gt;굵게&lt;/b&gt;]({PEER}/issues/53) — `엠제이` 정리"
    assert inserted(before, entry.read_bytes()) == [line]
    # The section ends with a code block: the line goes after its blank line, before `### 더 정리할 것`.
    assert entry.read_text(encoding="utf-8").split("\n")[17:20] == ["", line, "### 더 정리할 것"]
    assert r.stdout == f"{entry}:19: {line}\n"
    assert len(fake.requests) == requests  # the title came from the cache
    # Run again: already there, nothing written.
    after = entry.read_bytes()
    r = run(runner, ws, "link", "#53", "--author", "mj")
    assert r.exit_code == 0 and "already linked" in r.stdout and entry.read_bytes() == after


def test_link_fetches_a_missing_title_unless_offline(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]
) -> None:
    """Not cached: the title is fetched (and cached); --offline links without a title or request."""
    ws = team(fake.url)
    entry = ws / "logs" / "sally" / "2021-02-04.md"
    before = entry.read_bytes()
    r = run(runner, ws, "link", f"{PEER}/pull/54", "--author", "sally", "--date", "2021-02-04", "--offline")
    assert r.exit_code == 0, r.stderr
    assert inserted(before, entry.read_bytes()) == [f"- [#54]({PEER}/pull/54)"]
    assert fake.requests == []
    # After the paragraph "오늘은 히스가 결석.": the blank line already there separates it.
    assert "오늘은 히스가 결석.\n\n- [#54]" in entry.read_text(encoding="utf-8")
    entry.write_bytes(before)
    r = run(runner, ws, "link", "52", "--author", "sally", "--date", "2021-02-04")
    assert r.exit_code == 0, r.stderr
    assert inserted(before, entry.read_bytes()) == [f"- [#52 CNN 레이어가 깊을 때 각 커널의 역할]({PEER}/issues/52)"]
    assert IssueCache.load(ws / ".daylog" / "issues.json").get(f"{REPO_}#52") is not None


def test_link_other_repo_and_today(runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]) -> None:
    """Another repo is written owner/repo#N; the default date is today (DAYLOG_NOW)."""
    ws = team(fake.url)
    fake.add(issue(7, "다른 팀의 [질문]", repo="other/repo"), repo="other/repo")
    entry = ws / "logs" / "mj" / "2021-02-03.md"
    before = entry.read_bytes()
    r = run(runner, ws, "link", "other/repo#7", "--author", "mj")
    assert r.exit_code == 0, r.stderr
    assert inserted(before, entry.read_bytes()) == [
        "- [other/repo#7 다른 팀의 \\[질문&#93;](https://github.com/other/repo/issues/7)"
    ]


def test_link_when_github_fails_still_links_and_says_why(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]
) -> None:
    """A 401 while fetching the title: the link is added without it and a note says why."""
    ws = team(fake.url)
    entry = ws / "logs" / "mj" / "2021-02-03.md"
    before = entry.read_bytes()
    r = run(runner, ws, "link", "53", "--author", "mj", token="ghp_wrong_one")
    assert r.exit_code == 0, r.stderr
    assert "title not fetched" in r.stderr and "rejected the token" in r.stderr
    assert inserted(before, entry.read_bytes()) == [f"- [#53]({PEER}/issues/53)"]


def test_link_refuses_what_it_cannot_do(runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]) -> None:
    """No entry → run `daylog new` (nothing created); no peer section → names the file; 404 → refuses."""
    ws = team(fake.url)
    r = run(runner, ws, "link", "53", "--author", "heath")
    assert r.exit_code == 1 and "no entry for heath on 2021-02-03" in r.stderr
    assert "daylog new --date 2021-02-03 --author heath" in r.stderr
    assert not (ws / "logs" / "heath").exists()
    plain_entry = ws / "logs" / "sally" / "2021-02-05.md"
    plain_entry.write_text("---\ndate: 2021-02-05\n---\n\n## TIL\n\n- x\n", encoding="utf-8")
    before = plain_entry.read_bytes()
    r = run(runner, ws, "link", "53", "--author", "sally", "--date", "2021-02-05")
    assert r.exit_code == 1 and "logs/sally/2021-02-05.md: has no peer-session section" in r.stderr
    assert plain_entry.read_bytes() == before
    mj = ws / "logs" / "mj" / "2021-02-03.md"
    before = mj.read_bytes()
    r = run(runner, ws, "link", "404", "--author", "mj")
    assert r.exit_code == 1 and f"GitHub has no {REPO_}#404" in r.stderr and mj.read_bytes() == before
    for bad in ("53번", "#53 #54"):
        r = run(runner, ws, "link", bad, "--author", "mj")
        assert r.exit_code == 2 and "53, #53, owner/repo#53" in r.stderr
    r = run(runner, ws, "link", "53", "--author", "mj", "--note", "두\n줄")
    assert r.exit_code == 2 and mj.read_bytes() == before


def hostile_cache(ws: Path, number: int, url: str) -> Path:
    """A committed cache whose record for `number` was edited to carry `url`."""
    cache_file = ws / ".daylog" / "issues.json"
    IssueCache(
        cache_file,
        {
            f"{REPO_}#{number}": CachedIssue(
                repo=REPO_,
                number=number,
                kind=Kind.ISSUE,
                title="receptive field 정리",
                state=State.OPEN,
                url=f"{PEER}/issues/{number}",
                updated_at=None,
                etag=None,
                missing=False,
                fetched_at="2021-02-03T00:00:00Z",
            )
        },
    ).save()
    doc = json.loads(cache_file.read_text(encoding="utf-8"))
    doc["issues"][f"{REPO_}#{number}"]["url"] = url
    cache_file.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    return cache_file


def test_link_offline_with_a_javascript_url_in_the_cache_writes_the_github_url(
    runner: CliRunner, team: Callable[[str], Path]
) -> None:
    """Regression #12: `link 53 --offline` over a cache saying `javascript:alert(40)` links github.com, says why."""
    ws = team(f"http://127.0.0.1:{closed_port()}")
    hostile_cache(ws, 53, "javascript:alert(40)")
    entry = ws / "logs" / "mj" / "2021-02-03.md"
    before = entry.read_bytes()
    r = run(runner, ws, "link", "53", "--author", "mj", "--offline")
    assert r.exit_code == 0, r.stderr
    assert inserted(before, entry.read_bytes()) == [f"- [#53 receptive field 정리]({PEER}/issues/53)"]
    assert b"javascript" not in entry.read_bytes()
    assert r.stderr == (
        f"daylog: {ws}/.daylog/issues.json: {REPO_}#53 has the url 'javascript:alert(40)', not an http(s) URL; "
        "ignored it (`daylog issues fetch --all` replaces it)\n"
    )


def test_listing_over_a_hostile_cache_shows_the_github_url(runner: CliRunner, team: Callable[[str], Path]) -> None:
    """`daylog issues --json` over a cache with a `javascript:` url: the github.com URL, one warning line."""
    ws = team(f"http://127.0.0.1:{closed_port()}")
    hostile_cache(ws, 53, "javascript:alert(40)")
    r = run(runner, ws, "issues", "--json")
    assert r.exit_code == 0, r.stderr
    item = next(i for i in json.loads(r.stdout) if i["number"] == 53)
    assert (item["url"], item["title"]) == (f"{PEER}/issues/53", "receptive field 정리")
    assert "javascript" not in r.stdout
    assert r.stderr.count("\n") == 1 and "ignored it" in r.stderr and "issues.json" in r.stderr


def test_fetch_from_an_api_sending_a_javascript_url(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]
) -> None:
    """`issues fetch` stores no `javascript:` URL: one warning line, exit 0; `link` then uses github.com."""
    ws = team(fake.url)
    fake.issues[REPO_][53]["html_url"] = "javascript:alert(40)"
    r = run(runner, ws, "issues", "fetch")
    assert r.exit_code == 0, r.stderr
    warning = f"daylog: {REPO_}#53: GitHub sent the html_url 'javascript:alert(40)', not an http(s) URL; ignored it"
    assert [line for line in r.stderr.splitlines() if "javascript" in line] == [
        f"{warning} (from {fake.url}/repos/{REPO_}/issues?state=all&per_page=100)"
    ]
    assert "javascript" not in (ws / ".daylog" / "issues.json").read_text(encoding="utf-8")
    entry = ws / "logs" / "mj" / "2021-02-03.md"
    before = entry.read_bytes()
    r = run(runner, ws, "link", "53", "--author", "mj", "--offline")
    assert r.exit_code == 0, r.stderr
    assert inserted(before, entry.read_bytes())[0].endswith(f"]({PEER}/issues/53)")


def test_link_with_a_corrupt_cache_or_merge_conflict(
    runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]
) -> None:
    """An unusable cache: the line is added without a title and the note says so (no request made);
    an entry with merge-conflict markers is left alone."""
    ws = team(fake.url)
    (ws / ".daylog").mkdir(exist_ok=True)
    (ws / ".daylog" / "issues.json").write_text("{망가진 캐시", encoding="utf-8")
    entry = ws / "logs" / "mj" / "2021-02-03.md"
    before = entry.read_bytes()
    r = run(runner, ws, "link", "53", "--author", "mj")
    assert r.exit_code == 0, r.stderr
    assert "linked without a title (`daylog issues fetch` rebuilds the cache)" in r.stderr
    assert inserted(before, entry.read_bytes()) == [f"- [#53]({PEER}/issues/53)"]
    assert fake.requests == []
    conflicted = before.replace(b"## TIL", b"<<<<<<< HEAD\n=======\n>>>>>>> other\n## TIL")
    entry.write_bytes(conflicted)
    r = run(runner, ws, "link", "54", "--author", "mj")
    assert r.exit_code == 1 and "has merge-conflict markers; resolve them first" in r.stderr
    assert entry.read_bytes() == conflicted


def test_link_into_a_fresh_entry_from_new(runner: CliRunner, fake: FakeGitHub, team: Callable[[str], Path]) -> None:
    """In the template's empty peer section (a comment), `link` still adds exactly one line."""
    ws = team(fake.url)
    r = run(runner, ws, "new", "--author", "heath", "--no-edit")
    assert r.exit_code == 0, r.stderr
    entry = ws / "logs" / "heath" / "2021-02-03.md"
    before = entry.read_bytes()
    r = run(runner, ws, "link", "52", "--author", "heath")
    assert r.exit_code == 0, r.stderr
    assert inserted(before, entry.read_bytes()) == [f"- [#52 CNN 레이어가 깊을 때 각 커널의 역할]({PEER}/issues/52)"]
    data = listing(runner, ws)
    assert [m["path"] for m in data[52]["mentions"]] == [  # type: ignore[attr-defined]
        "logs/heath/2021-02-03.md",
        "logs/mj/2021-02-03.md",
    ]


# -- check -----------------------------------------------------------------------------------


def test_check_warns_about_bad_references(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """Unresolvable or badly written references are `issue-ref` warnings with path:line, exit 0."""
    ws = make_ws()
    (ws / "logs" / "mj").mkdir()
    text = MJ.replace("- PR도 봄", f"- [잘못된 링크](#{PEER}/issues/3)\n- {PEER}/issues/4에서 봄\n- PR도 봄")
    (ws / "logs" / "mj" / "2021-02-03.md").write_text(text, encoding="utf-8")
    r = run(runner, ws, "check", "--json")
    assert r.exit_code == 0, r.stderr
    refs = [f for f in json.loads(r.stdout) if f["code"] == "issue-ref"]
    assert [(f["line"], f["severity"]) for f in refs] == [(25, "warning"), (26, "warning")]
    assert "points into this page" in refs[0]["message"] and "put a space after the URL" in refs[1]["message"]
    r = run(runner, ws, "check")
    assert "logs/mj/2021-02-03.md:25: warning: link target" in r.stdout


def test_check_without_issue_repo_warns_about_bare_numbers(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """`#53` with no issue_repo configured cannot be resolved: a warning says to set it."""
    ws = make_ws()
    config = ws / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("      issue_repo: team/peer-session\n", ""), "utf-8")
    (ws / "logs" / "sally").mkdir()
    (ws / "logs" / "sally" / "2021-02-04.md").write_text(SALLY, encoding="utf-8")
    r = run(runner, ws, "check")
    assert r.exit_code == 0
    assert "logs/sally/2021-02-04.md:14: warning: #53 needs issue_repo" in r.stdout


# -- terminal helpers ------------------------------------------------------------------------


class Clock:
    def __init__(self) -> None:
        self.t = 0.0

    def __call__(self) -> float:
        return self.t


def test_progress_is_silent_for_quick_work_and_throttled_in_logs() -> None:
    """Nothing in the first second; then (not a terminal) one line per `every` seconds."""
    clock, out = Clock(), io.StringIO()
    p = Progress("fetching issues", after=1, every=5, stream=out, clock=clock)
    p(1, 10)
    clock.t = 1.5
    p(2, 10)
    clock.t = 3
    p(3, 10)
    clock.t = 7
    p(9, 12)
    p.close()
    assert out.getvalue() == "daylog: fetching issues: 2/10\ndaylog: fetching issues: 9/12\n"


def test_plain_strips_terminal_escapes_and_bidi_overrides() -> None:
    """Untrusted titles cannot move the cursor, recolour the terminal or reverse text."""
    assert plain("a\x1b[31mb\x07\u202ec\td\ne") == "a[31mbc d e"
    assert plain("한글 제목 👩‍💻") == "한글 제목 👩‍💻"
