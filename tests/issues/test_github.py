"""The GitHub client and issue cache, against a real HTTP server on 127.0.0.1 (no internet)."""

from __future__ import annotations

import json
import os
import socket
import time
from collections.abc import Iterator
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from fakegithub import FakeGitHub, Scripted, discussion, issue, page

from daylog.errors import DaylogError
from daylog.issues.github import (
    MAX_MESSAGE_CHARS,
    MAX_PAGES,
    MAX_TITLE_CHARS,
    CachedIssue,
    FetchReport,
    GitHubClient,
    IssueCache,
    RateLimited,
    State,
    fetch,
    token_from_env,
    wanted_from_refs,
)
from daylog.issues.refs import Kind, find_refs
from daylog.issues.transport import MAX_BODY_BYTES, Overdue

TOKEN = "ghp_sekrit_token_that_must_never_be_written"
NOW = datetime(2026, 11, 20, 9, 30, tzinfo=ZoneInfo("Asia/Seoul"))


@pytest.fixture(autouse=True)
def _no_proxies(monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "https_proxy", "all_proxy", "no_proxy"):
        monkeypatch.delenv(name, raising=False)
        monkeypatch.delenv(name.upper(), raising=False)


@pytest.fixture
def fake() -> Iterator[FakeGitHub]:
    server = FakeGitHub().start()
    server.add(
        issue(1, "CNN 레이어가 깊을 때 각 커널의 역할"),
        issue(2, "ResNet 정리", pull=True, merged=True, state="closed"),
        issue(3, "Gradient Vanishing 해결", pull=True),
        issue(4, "닫힌 질문", state="closed"),
        issue(5, '<script>x</script> & "따옴표"'),
    )
    yield server
    server.stop()


@pytest.fixture
def client(fake: FakeGitHub) -> GitHubClient:
    return GitHubClient(fake.url, TOKEN, timeout=2)


@pytest.fixture
def cache_path(tmp_path: Path) -> Path:
    return tmp_path / "ws" / ".daylog" / "issues.json"


def load(path: Path) -> IssueCache:
    return IssueCache.load(path)


def run(
    cache_path: Path, client: GitHubClient, wanted: dict[str, set[int]], **kwargs: Any
) -> tuple[IssueCache, FetchReport]:
    cache = IssueCache.load(cache_path, rebuild_if_corrupt=True)
    report = fetch(cache, wanted, client, now=NOW, **kwargs)
    return cache, report


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


# -- token -----------------------------------------------------------------------------------


def test_token_from_env_prefers_gh_token() -> None:
    """GH_TOKEN wins over GITHUB_TOKEN; blank values count as unset."""
    assert token_from_env({"GH_TOKEN": "a", "GITHUB_TOKEN": "b"}) == "a"
    assert token_from_env({"GH_TOKEN": "  ", "GITHUB_TOKEN": "b"}) == "b"
    assert token_from_env({}) is None


# -- first fetch, headers, cache contents ----------------------------------------------------


def test_first_fetch_lists_the_repo_once_with_the_right_headers(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """One list call, no since=, pinned API headers and a bearer token."""
    _, report = run(cache_path, client, {"o/r": {1, 2, 5}})
    assert fake.paths() == ["/repos/o/r/issues"]
    seen = fake.requests[0]
    assert seen.query == {"state": "all", "per_page": "100"}
    assert seen.headers["accept"] == "application/vnd.github+json"
    assert seen.headers["x-github-api-version"] == "2022-11-28"
    assert seen.headers["user-agent"] == "daylog"
    assert seen.headers["authorization"] == f"Bearer {TOKEN}"
    assert "if-none-match" not in seen.headers
    assert (report.updated, report.unchanged, report.missing, report.requests) == (5, 0, 0, 1)


def test_cache_records_kind_state_and_verbatim_titles(client: GitHubClient, cache_path: Path) -> None:
    """PRs (pull_request key) are PULL, merged PRs MERGED, titles stored untouched."""
    run(cache_path, client, {"o/r": {1}})
    cache = load(cache_path)
    one, two, three, four, five = (cache.issues[f"o/r#{n}"] for n in range(1, 6))
    assert (one.kind, one.state, one.title) == (
        Kind.ISSUE,
        State.OPEN,
        "CNN 레이어가 깊을 때 각 커널의 역할",
    )
    assert (two.kind, two.state) == (Kind.PULL, State.MERGED)
    assert (three.kind, three.state) == (Kind.PULL, State.OPEN)
    assert (four.kind, four.state) == (Kind.ISSUE, State.CLOSED)
    assert five.title == '<script>x</script> & "따옴표"'
    assert one.url == "https://github.com/o/r/issues/1"
    assert two.url == "https://github.com/o/r/pull/2"
    assert one.fetched_at == "2026-11-20T00:30:00Z"
    assert not one.missing and one.etag is None
    sync = cache.repos["o/r"]
    assert sync.last_fetch is None  # one page: the next fetch asks the same URL
    assert sync.list_etag is not None and sync.list_etag.startswith('W/"')


def test_a_javascript_html_url_from_github_is_dropped_with_a_warning(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """Regression #12: `"html_url": "javascript:alert(40)"` is not stored; one warning names issue and URL."""
    fake.issues["o/r"][1]["html_url"] = "javascript:alert(40)"
    fake.issues["o/r"][2]["html_url"] = "https://github.com@evil.example/o/r/pull/2"
    _, report = run(cache_path, client, {"o/r": {1, 2}})
    cache = load(cache_path)
    assert cache.issues["o/r#1"].url is None and cache.issues["o/r#2"].url is None
    assert cache.issues["o/r#1"].title == "CNN 레이어가 깊을 때 각 커널의 역할"  # the rest of the record is kept
    assert cache.issues["o/r#3"].url == "https://github.com/o/r/pull/3"
    assert "javascript" not in cache_path.read_text(encoding="utf-8")
    assert "evil" not in cache_path.read_text(encoding="utf-8")
    first = next(w for w in report.warnings if w.startswith("o/r#1:"))
    assert first == (
        "o/r#1: GitHub sent the html_url 'javascript:alert(40)', not an http(s) URL; "
        f"ignored it (from {fake.url}/repos/o/r/issues?state=all&per_page=100)"
    )
    assert sum(w.startswith("o/r#2:") for w in report.warnings) == 1


def test_a_moved_issue_with_an_unsafe_url_does_not_print_it(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """The "moved" warning shows the stored URL, never the rejected one."""
    moved = issue(1, "옮겨진 이슈", repo="o/new")
    moved["html_url"] = "javascript:alert(40)"
    fake.add(moved, repo="o/new")
    fake.fail("/repos/o/r/issues/6", 301, headers={"Location": "/repos/o/new/issues/1"})
    _, report = run(cache_path, client, {"o/r": {6}})
    assert "o/r#6 moved: GitHub answered with another issue" in report.warnings
    assert sum("javascript" in w for w in report.warnings) == 1  # the one saying it was ignored


def test_a_huge_title_is_stored_cut(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """Regression #12: a 3,000,000-character title (9 MB) was stored whole; now cut to MAX_TITLE_CHARS."""
    fake.issues["o/r"][1]["title"] = "가" * 3_000_000
    run(cache_path, client, {"o/r": {1}})
    title = load(cache_path).issues["o/r#1"].title
    assert title == "가" * (MAX_TITLE_CHARS - 1) + "…" and len(title) == MAX_TITLE_CHARS == 300
    assert cache_path.stat().st_size < 10_000
    assert load(cache_path).issues["o/r#2"].title == "ResNet 정리"  # short titles untouched


def test_an_answer_over_10_mb_is_refused(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """Regression #12: a page is read up to MAX_BODY_BYTES (10 MB), then the fetch stops with one clear error."""
    fake.issues["o/r"][1]["title"] = "가" * 4_000_000  # 12 MB of JSON
    with pytest.raises(DaylogError) as caught:
        run(cache_path, client, {"o/r": {1}})
    assert caught.value.message == (
        f"GitHub's answer from {fake.url}/repos/o/r/issues?state=all&per_page=100 is larger than 10 MB; "
        "stopped reading it"
    )
    assert MAX_BODY_BYTES == 10 * 1024 * 1024
    assert client.requests == 1 and not cache_path.exists()


def test_huge_or_multiline_etags_and_timestamps_are_not_kept(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """A 10,000-character updated_at is not stored; an ETag with a line break in the cache is not sent back."""
    fake.issues["o/r"][1]["updated_at"] = "9" * 10_000
    run(cache_path, client, {"o/r": {1}})
    assert load(cache_path).issues["o/r#1"].updated_at is None
    doc = json.loads(cache_path.read_text(encoding="utf-8"))
    doc["repos"]["o/r"]["list_etag"] = 'W/"x"\r\nX-Injected: 1'
    cache_path.write_text(json.dumps(doc), encoding="utf-8")
    assert load(cache_path).repos["o/r"].list_etag is None
    fake.requests.clear()
    run(cache_path, client, {"o/r": {1}})  # no ValueError from http.client: no If-None-Match at all
    assert "if-none-match" not in fake.requests[0].headers and "x-injected" not in fake.requests[0].headers


def test_a_huge_title_in_the_cache_file_is_cut_on_load(cache_path: Path) -> None:
    """The committed file is untrusted too: a long title comes out of `load` cut."""
    IssueCache(cache_path, {"o/r#1": record(1, title="제" * 1000)}).save()
    assert load(cache_path).issues["o/r#1"].title == "제" * (MAX_TITLE_CHARS - 1) + "…"


def test_cache_file_is_readable_sorted_json_without_the_token(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """Indented, natural order (#2 before #10), Korean unescaped, newline-terminated, no token."""
    fake.add(issue(10, "열 번째"))
    run(cache_path, client, {"o/r": {1}})
    text = cache_path.read_text(encoding="utf-8")
    assert TOKEN not in text and "sekrit" not in text
    assert text.endswith("}\n") and '\n  "version": 1,' in text
    assert "열 번째" in text and "\\u" not in text
    doc = json.loads(text)
    assert list(doc) == ["version", "repos", "issues"]
    assert list(doc["issues"]) == [f"o/r#{n}" for n in (1, 2, 3, 4, 5, 10)]
    assert list(doc["issues"]["o/r#1"]) == sorted(doc["issues"]["o/r#1"])
    assert doc["issues"]["o/r#2"]["state"] == "merged"
    assert doc["issues"]["o/r#2"]["kind"] == "pull"
    assert "body" not in doc["issues"]["o/r#1"]
    assert load(cache_path).to_text() == text  # round trip is byte-identical


def test_no_token_means_no_authorization_header(fake: FakeGitHub, cache_path: Path) -> None:
    """Without a token the client sends no Authorization header at all."""
    run(cache_path, GitHubClient(fake.url, None), {"o/r": {1}})
    assert "authorization" not in fake.requests[0].headers


# -- incremental fetches ---------------------------------------------------------------------


def test_second_fetch_repeats_the_list_url_and_gets_304(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """A one-page list is asked again at the same URL with its ETag: 304, the file untouched."""
    run(cache_path, client, {"o/r": {1}})
    etag1 = load(cache_path).repos["o/r"].list_etag
    before = cache_path.read_bytes()
    _, report = run(cache_path, client, {"o/r": {1}})
    second = fake.requests[1]
    assert "since" not in second.query and second.query["state"] == "all"
    assert second.headers["if-none-match"] == etag1
    assert report.unchanged == 1 and report.updated == 0 and report.requests == 1
    assert cache_path.read_bytes() == before


def test_changed_one_page_list_is_read_again(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """A change makes the ETag stale: the list comes back whole and only the changed record moves."""
    run(cache_path, client, {"o/r": {1}})
    old_two = load(cache_path).issues["o/r#2"]
    fake.add(issue(1, "CNN 레이어 (해결)", state="closed", updated="2026-11-20T01:00:00Z"))
    _, report = run(cache_path, client, {"o/r": {1}})
    cache = load(cache_path)
    assert (cache.issues["o/r#1"].state, cache.issues["o/r#1"].title) == (State.CLOSED, "CNN 레이어 (해결)")
    assert cache.issues["o/r#2"] == old_two  # untouched, fetched_at included
    assert report.updated == 1 and report.unchanged == 0


def test_since_follows_a_multi_page_list(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """After a list of several pages, since= is GitHub's clock; the short answer then keeps its URL."""
    fake.page_size = 2
    run(cache_path, client, {"o/r": {1, 2, 3, 4, 5}})
    assert load(cache_path).repos["o/r"].last_fetch == "2026-11-20T00:00:00Z"  # the Date header
    fake.add(issue(1, "CNN 레이어 (해결)", state="closed", updated="2026-11-20T01:00:00Z"))
    fake.date = "Fri, 20 Nov 2026 02:00:00 GMT"
    fake.requests.clear()
    _, report = run(cache_path, client, {"o/r": {1, 2, 3, 4, 5}})
    assert [s.query.get("since") for s in fake.requests] == ["2026-11-20T00:00:00Z"]
    cache = load(cache_path)
    assert cache.issues["o/r#1"].state is State.CLOSED and report.updated == 1
    assert cache.repos["o/r"].last_fetch == "2026-11-20T00:00:00Z" and cache.repos["o/r"].list_etag
    fake.requests.clear()
    _, report = run(cache_path, client, {"o/r": {1, 2, 3, 4, 5}})
    assert fake.requests[0].query["since"] == "2026-11-20T00:00:00Z" and report.unchanged == 1


def test_pagination_follows_link_next(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """All pages are read by following rel="next"; a multi-page list keeps no ETag."""
    fake.page_size = 2
    _, report = run(cache_path, client, {"o/r": {1, 2, 3, 4, 5}})
    assert fake.paths() == ["/repos/o/r/issues"] * 3
    assert [s.query.get("page") for s in fake.requests] == [None, "2", "3"]
    assert all(s.headers["authorization"] == f"Bearer {TOKEN}" for s in fake.requests)
    cache = load(cache_path)
    assert sorted(cache.issues) == [f"o/r#{n}" for n in range(1, 6)]
    assert cache.repos["o/r"].list_etag is None
    assert cache.repos["o/r"].last_fetch == "2026-11-20T00:00:00Z"
    assert report.requests == 3


def test_single_calls_only_for_numbers_the_list_did_not_return(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """Cached numbers cost nothing; an unknown one gets one issue call, then a discussion try."""
    run(cache_path, client, {"o/r": {1}})
    fake.requests.clear()
    _, report = run(cache_path, client, {"o/r": {1, 2, 99}})
    assert fake.paths() == [
        "/repos/o/r/issues",
        "/repos/o/r/issues/99",
        "/repos/o/r/discussions/99",
    ]
    missing = load(cache_path).issues["o/r#99"]
    assert missing.missing and missing.title is None and missing.state is None
    assert report.missing == 1
    fake.requests.clear()
    run(cache_path, client, {"o/r": {1, 2, 99}})
    assert fake.paths() == ["/repos/o/r/issues"]  # a known-missing number is not asked again


def test_all_refreshes_without_since_or_etags(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """all=True lists from scratch and re-asks every referenced number the list lacks."""
    fake.add(issue(7, "곧 삭제될 이슈"))
    run(cache_path, client, {"o/r": {7}})
    del fake.issues["o/r"][7]
    fake.gone.add(("o/r", 7))
    fake.requests.clear()
    _, report = run(cache_path, client, {"o/r": {1, 7}}, all=True)
    assert fake.paths() == ["/repos/o/r/issues", "/repos/o/r/issues/7"]
    assert "since" not in fake.requests[0].query
    assert all("if-none-match" not in s.headers for s in fake.requests)
    gone = load(cache_path).issues["o/r#7"]
    assert gone.missing and gone.title == "곧 삭제될 이슈"  # 410: missing, last title kept
    assert gone.state is None
    assert report.missing == 1


def test_404_from_single_call_is_missing_and_fetch_goes_on(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """A 404 number is recorded missing while other repos and numbers are still fetched."""
    fake.add(issue(1, "다른 저장소", repo="o/other"), repo="o/other")
    _, report = run(cache_path, client, {"o/r": {404}, "o/other": {1}})
    cache = load(cache_path)
    assert cache.issues["o/r#404"].missing
    assert cache.issues["o/other#1"].title == "다른 저장소"
    assert report.missing == 1


def test_discussion_refs_use_the_discussions_endpoint(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """Discussion URLs go straight to /discussions/N; a bare #N falls back to it after a 404."""
    fake.discussions["o/r"] = {
        8: discussion(8, "스터디 규칙"),
        9: discussion(9, "닫힌", state="closed"),
    }
    scan = find_refs("https://github.com/o/r/discussions/8 그리고 #9", issue_repo="o/r")
    wanted, discussions = wanted_from_refs(scan.refs)
    assert (wanted, discussions) == ({"o/r": {8, 9}}, {"o/r": {8}})
    run(cache_path, client, wanted, discussions=discussions)
    assert fake.paths() == [
        "/repos/o/r/issues",
        "/repos/o/r/discussions/8",
        "/repos/o/r/issues/9",
        "/repos/o/r/discussions/9",
    ]
    cache = load(cache_path)
    eight, nine = cache.issues["o/r#8"], cache.issues["o/r#9"]
    assert (eight.kind, eight.state, eight.title) == (Kind.DISCUSSION, State.OPEN, "스터디 규칙")
    assert (nine.kind, nine.state) == (Kind.DISCUSSION, State.CLOSED)
    assert eight.etag is not None


def test_only_discussions_wanted_skips_the_list(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """A repo referenced only through discussions is not listed."""
    fake.discussions["o/r"] = {8: discussion(8, "토론")}
    run(cache_path, client, {"o/r": {8}}, discussions={"o/r": {8}})
    assert fake.paths() == ["/repos/o/r/discussions/8"]


def test_big_foreign_repo_is_looked_up_one_by_one_with_etags(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """When paging costs more than single calls, the list stops and issue ETags give 304s."""
    fake.page_size = 1  # 5 pages for one referenced number
    _, report = run(cache_path, client, {"o/r": {2}})
    assert fake.paths() == ["/repos/o/r/issues", "/repos/o/r/issues/2"]
    assert any("one by one" in w for w in report.warnings)
    cache = load(cache_path)
    assert sorted(cache.issues) == ["o/r#2"] and "o/r" not in cache.repos
    etag = cache.issues["o/r#2"].etag
    assert etag is not None
    fake.requests.clear()
    _, report = run(cache_path, client, {"o/r": {2}})
    assert fake.paths() == ["/repos/o/r/issues", "/repos/o/r/issues/2"]
    assert fake.requests[1].headers["if-none-match"] == etag
    assert report.unchanged == 1


def test_a_big_list_keeps_the_referenced_items_of_its_first_page(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """A list abandoned after its first page still stores the referenced numbers that page returned."""
    fake.page_size = 1  # newest first: #5 is the whole first page
    _, report = run(cache_path, client, {"o/r": {5}})
    assert fake.paths() == ["/repos/o/r/issues"]
    assert sorted(load(cache_path).issues) == ["o/r#5"] and report.updated == 1


def test_a_repo_that_vanishes_is_listed_in_full_when_it_returns(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """A listed repository that now answers 404 forgets where its list ended and marks its numbers missing."""
    run(cache_path, client, {"o/r": {1}})
    assert "o/r" in load(cache_path).repos
    issues = fake.issues.pop("o/r")
    _, report = run(cache_path, client, {"o/r": {1}})
    cache = load(cache_path)
    assert "o/r" not in cache.repos and cache.issues["o/r#1"].missing and report.missing == 1
    fake.issues["o/r"] = issues
    fake.requests.clear()
    run(cache_path, client, {"o/r": {1}})
    assert "since" not in fake.requests[0].query and not load(cache_path).issues["o/r#1"].missing


def test_missing_repo_marks_its_refs_missing(fake: FakeGitHub, cache_path: Path) -> None:
    """A repo GitHub does not show (private without token) is a warning, refs missing."""
    _, report = run(cache_path, GitHubClient(fake.url), {"x/private": {1, 2}})
    assert fake.paths() == ["/repos/x/private/issues"]
    assert any("x/private" in w and "no token" in w for w in report.warnings)
    cache = load(cache_path)
    assert cache.issues["x/private#1"].missing and cache.issues["x/private#2"].missing


def test_transferred_issue_is_followed(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """A 301 (transferred issue) is followed on the same host with the token; a warning says so."""
    fake.add(issue(1, "옮겨진 이슈", repo="o/new"), repo="o/new")
    fake.fail("/repos/o/r/issues/6", 301, headers={"Location": "/repos/o/new/issues/1"})
    _, report = run(cache_path, client, {"o/r": {6}})
    assert fake.paths()[-2:] == ["/repos/o/r/issues/6", "/repos/o/new/issues/1"]
    assert fake.requests[-1].headers["authorization"] == f"Bearer {TOKEN}"
    moved = load(cache_path).issues["o/r#6"]
    assert (moved.title, moved.url) == ("옮겨진 이슈", "https://github.com/o/new/issues/1")
    assert any("o/r#6 moved" in w for w in report.warnings)


def test_github_enterprise_api_prefix(cache_path: Path) -> None:
    """api_url https://host/api/v3 puts every path under /api/v3."""
    server = FakeGitHub(prefix="/api/v3").start()
    try:
        server.add(issue(1, "사내 이슈"))
        run(cache_path, GitHubClient(server.url + "/api/v3/", TOKEN), {"o/r": {1}})
        assert server.paths() == ["/api/v3/repos/o/r/issues"]
        assert load(cache_path).issues["o/r#1"].title == "사내 이슈"
    finally:
        server.stop()


def test_progress_reports_each_request(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """progress(done, total) rises by one per request and ends with done == total."""
    fake.page_size = 2
    calls: list[tuple[int, int]] = []
    run(cache_path, client, {"o/r": {1, 2, 3, 4, 5, 99}}, progress=lambda d, t: calls.append((d, t)))
    assert [d for d, _ in calls] == list(range(1, len(calls) + 1))
    assert all(d <= t for d, t in calls)
    assert calls[-1][0] == calls[-1][1] == 5  # 3 pages + issue 99 + discussion 99


# -- faults ----------------------------------------------------------------------------------


def test_rate_limit_mid_pagination_keeps_earlier_pages(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """A 403 with x-ratelimit-remaining: 0 stops, saves page 1, and names the local reset time."""
    fake.page_size = 2
    reset = int(datetime(2026, 11, 20, 1, 0, tzinfo=UTC).timestamp())
    fake.fail(
        "page=2",
        403,
        body=b'{"message": "API rate limit exceeded"}',
        headers={"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(reset)},
    )
    wanted = {"o/r": {1, 2, 3, 4, 5}}
    with pytest.raises(RateLimited) as caught:
        run(cache_path, client, wanted)
    err = caught.value
    assert "2026-11-20T10:00:00+09:00" in err.message
    assert err.path == str(cache_path)
    assert err.report is not None and err.report.updated == 2 and err.report.requests == 2
    assert TOKEN not in cache_path.read_text(encoding="utf-8")
    cache = load(cache_path)
    assert sorted(cache.issues) == ["o/r#4", "o/r#5"]  # page 1, newest first
    assert "o/r" not in cache.repos  # the list was not finished: no since= next time
    fake.requests.clear()
    run(cache_path, client, wanted)
    assert "since" not in fake.requests[0].query
    assert sorted(load(cache_path).issues) == [f"o/r#{n}" for n in range(1, 6)]


def test_secondary_rate_limit_uses_retry_after(fake: FakeGitHub, cache_path: Path) -> None:
    """A 429 with retry-after resets at now + retry-after, and without a token hints at one."""
    fake.fail("/repos/o/r/issues", 429, headers={"retry-after": "60"})
    with pytest.raises(RateLimited) as caught:
        run(cache_path, GitHubClient(fake.url), {"o/r": {1}})
    assert "2026-11-20T09:31:00+09:00" in caught.value.message
    assert caught.value.hint is not None and "GH_TOKEN" in caught.value.hint
    assert not cache_path.exists()  # nothing fetched, nothing written


@pytest.mark.parametrize(
    "headers",
    [
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "253402300800"},  # 10000-01-01: no datetime holds it
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": "9" * 30},  # OverflowError in fromtimestamp
        {"x-ratelimit-remaining": "0", "x-ratelimit-reset": str(int(datetime(9999, 12, 31, tzinfo=UTC).timestamp()))},
        {"retry-after": "9" * 30},  # OverflowError in timedelta
        {"retry-after": str(10**6)},  # eleven days
    ],
)
def test_a_reset_far_in_the_future_is_clamped_with_a_clear_error(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path, headers: dict[str, str]
) -> None:
    """Regression #12: a reset in the year 9999 or of 30 digits raised OverflowError; now a clamped RateLimited."""
    fake.fail("/repos/o/r/issues", 403, body=b'{"message": "API rate limit exceeded"}', headers=headers)
    with pytest.raises(RateLimited) as caught:
        run(cache_path, client, {"o/r": {1}})
    err = caught.value
    assert err.message == (
        "GitHub rate limit reached after 1 requests; GitHub named a reset more than a day away, "
        "longer than any limit lasts: try again in an hour. What was fetched so far is saved."
    )
    assert err.reset_at == NOW + timedelta(days=1)
    assert err.retry_after is None or err.retry_after == 86400


def test_bad_token_is_a_clear_error(fake: FakeGitHub, cache_path: Path) -> None:
    """401 says the token was rejected and which variables to check."""
    fake.token = "the-right-one"
    with pytest.raises(DaylogError) as caught:
        run(cache_path, GitHubClient(fake.url, "the-wrong-one"), {"o/r": {1}})
    assert caught.value.message == "GitHub rejected the token (401): check GITHUB_TOKEN/GH_TOKEN"


def test_forbidden_without_rate_limit_is_not_a_rate_limit(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """A plain 403 (no rate-limit headers) is a refusal naming the URL and GitHub's message."""
    fake.fail("/repos/o/r/issues", 403, body=b'{"message": "Resource not accessible"}')
    with pytest.raises(DaylogError) as caught:
        run(cache_path, client, {"o/r": {1}})
    assert not isinstance(caught.value, RateLimited)
    assert "refused" in caught.value.message and "/repos/o/r/issues" in caught.value.message
    assert "Resource not accessible" in caught.value.message


def test_a_huge_error_message_is_one_short_line(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """GitHub's `message` is quoted cut to MAX_MESSAGE_CHARS, control characters and newlines as spaces."""
    message = "나쁜\n\x1b[31m요청" + "!" * 100_000
    fake.fail("/repos/o/r/issues", 422, body=json.dumps({"message": message}).encode())
    with pytest.raises(DaylogError) as caught:
        run(cache_path, client, {"o/r": {1}})
    text = caught.value.message
    assert "\n" not in text and "\x1b" not in text and "나쁜  [31m요청!!!" in text
    assert text.endswith("!…") and len(text) < MAX_MESSAGE_CHARS + 100


def test_invalid_json_names_the_url(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """A 200 whose body is not JSON is a DaylogError naming the URL."""
    fake.fail("/repos/o/r/issues", 200, body=b"<html>proxy login</html>")
    with pytest.raises(DaylogError, match=r"invalid JSON from http://127\.0\.0\.1:\d+/repos/o/r/issues"):
        run(cache_path, client, {"o/r": {1}})


def test_server_error_names_url_and_status(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """A 5xx is a DaylogError with the URL and the status."""
    fake.fail("/repos/o/r/issues", 500, body=b'{"message": "Server Error"}')
    with pytest.raises(DaylogError) as caught:
        run(cache_path, client, {"o/r": {1}})
    assert "(500)" in caught.value.message and "/repos/o/r/issues" in caught.value.message


def test_error_after_progress_still_saves(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """A failure in a later repo keeps what earlier repos fetched."""
    fake.add(issue(1, "먼저 받은 것", repo="a/first"), repo="a/first")
    fake.fail("/repos/o/r/issues", 500)
    with pytest.raises(DaylogError):
        run(cache_path, client, {"a/first": {1}, "o/r": {1}})
    assert load(cache_path).issues["a/first#1"].title == "먼저 받은 것"


def test_slow_answer_is_retried_once(fake: FakeGitHub, cache_path: Path) -> None:
    """A real read timeout on the socket is retried once; the second answer is used."""
    fake.fail("/repos/o/r/issues", None, delay=0.4)
    slow_client = GitHubClient(fake.url, TOKEN, timeout=0.1)
    _, report = run(cache_path, slow_client, {"o/r": {1}})
    assert fake.paths() == ["/repos/o/r/issues"] * 2
    assert report.requests == 2
    assert "o/r#1" in load(cache_path).issues


API = "https://api.github.com"
LIST = f"{API}/repos/o/r/issues?state=all&per_page=100"


def scripted_client(script: Scripted, fetch_timeout: float = 60, timeout: float = 0.5) -> GitHubClient:
    return GitHubClient(API, TOKEN, timeout=timeout, fetch_timeout=fetch_timeout, transport=script, clock=script.clock)


def test_two_timeouts_give_up(cache_path: Path) -> None:
    """Two timeouts in a row are a DaylogError saying GitHub did not answer (no socket, no sleep)."""
    script = Scripted(TimeoutError("timed out"), cost=0.5)
    with pytest.raises(DaylogError, match=r"did not answer .* within 0\.5 s \(tried twice\)"):
        run(cache_path, scripted_client(script), {"o/r": {1}})
    assert [url for url, _ in script.calls] == [LIST, LIST]


def test_the_whole_fetch_ends_at_fetch_timeout(cache_path: Path) -> None:
    """Each page takes 25 s of a 60 s fetch_timeout: three are read, the fourth is not asked; pages 1–3 are kept."""
    pages = [page([issue(n, f"{n}번")], f"{LIST}&page={n + 1}") for n in range(1, 6)]
    script = Scripted(*pages, cost=25)
    with pytest.raises(DaylogError) as caught:
        run(cache_path, scripted_client(script), {"o/r": {1, 2, 3, 4, 5}})
    assert caught.value.message == (
        f"GitHub took longer than fetch_timeout (60 s); stopped waiting for {LIST}&page=4"
    )
    assert caught.value.hint == "try again later, or raise fetch_timeout in the daylog settings"
    assert [budget for _, budget in script.calls] == [60, 35, 10]  # what was left of the deadline
    assert sorted(load(cache_path).issues) == ["o/r#1", "o/r#2", "o/r#3"]


def test_no_retry_once_the_deadline_has_passed(cache_path: Path) -> None:
    """A timeout that used up the fetch's time is not retried: one request, the fetch_timeout error."""
    script = Scripted(TimeoutError("timed out"), cost=61)
    with pytest.raises(DaylogError, match=r"longer than fetch_timeout \(60 s\)"):
        run(cache_path, scripted_client(script), {"o/r": {1}})
    assert len(script.calls) == 1


def test_overdue_from_the_transport_is_the_fetch_timeout_error(cache_path: Path) -> None:
    """The transport's Overdue (a socket read at the deadline) is never retried."""
    script = Scripted(Overdue(), cost=1)
    with pytest.raises(DaylogError, match=r"longer than fetch_timeout \(2 s\)"):
        run(cache_path, scripted_client(script, fetch_timeout=2), {"o/r": {1}})
    assert len(script.calls) == 1


@pytest.mark.parametrize(
    ("trickle", "head"),
    [(2.0, False), (0.3, False), (0.3, True)],
    ids=["a-byte-every-2s", "body-0.3s", "status-and-headers-0.3s"],
)
def test_a_trickling_server_is_left_at_the_deadline(
    fake: FakeGitHub, cache_path: Path, trickle: float, head: bool
) -> None:
    """Regression #12: a byte every 2 s (under the 10 s read timeout) held a fetch 90 s; now fetch_timeout ends it."""
    body = json.dumps([issue(1, "느린 서버")]).encode()
    fake.fail("/repos/o/r/issues", 200, body=body, trickle=trickle, trickle_head=head)
    client = GitHubClient(fake.url, TOKEN, fetch_timeout=1)  # the default 10 s read timeout
    started = time.monotonic()
    with pytest.raises(DaylogError, match=r"longer than fetch_timeout \(1 s\); stopped waiting for http://127"):
        run(cache_path, client, {"o/r": {1}})
    elapsed = time.monotonic() - started
    assert 0.9 <= elapsed < 1.6, elapsed
    assert client.requests == 1 and not cache_path.exists()


def test_no_network_is_a_clear_error(cache_path: Path) -> None:
    """A refused connection says which api_url cannot be reached, without retrying."""
    api = f"http://127.0.0.1:{closed_port()}"
    client = GitHubClient(api, TOKEN)
    with pytest.raises(DaylogError, match=rf"cannot reach {api}: "):
        run(cache_path, client, {"o/r": {1}})
    assert client.requests == 1


def test_next_link_to_another_host_is_refused(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """A pagination link off the API host is not followed (it would carry the token)."""
    fake.fail(
        "/repos/o/r/issues",
        200,
        body=b"[]",
        headers={"Link": '<http://evil.example/x?page=2>; rel="next"'},
    )
    with pytest.raises(DaylogError, match="another host"):
        run(cache_path, client, {"o/r": {1}})


def test_a_next_link_to_the_same_page_stops_after_one_request(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """Regression #12: `Link: <this page>; rel="next"` looped without end; now one list request, then lookups."""
    url = f"{fake.url}/repos/o/r/issues?state=all&per_page=100"
    page = json.dumps([issue(1, "첫 쪽")]).encode()
    fake.fail("issues?state=all", 200, body=page, headers={"Link": f'<{url}>; rel="next"'}, times=10**6)
    _, report = run(cache_path, client, {"o/r": {1, 2}})
    assert fake.paths() == ["/repos/o/r/issues", "/repos/o/r/issues/2"]
    assert report.warnings == (
        f"o/r: GitHub's next page {url} was already read; stopped the list there and looked the rest up one by one",
    )
    cache = load(cache_path)
    assert cache.issues["o/r#1"].title == "첫 쪽" and cache.issues["o/r#2"].title == "ResNet 정리"
    assert "o/r" not in cache.repos  # an unfinished list leaves no since= behind


def test_two_pages_linking_each_other_stop_after_two_requests(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """Page 2 pointing back at page 1 (a cycle, not a self-link) stops too."""
    first = f"{fake.url}/repos/o/r/issues?state=all&per_page=100"
    second = f"{first}&page=2"
    body = json.dumps([issue(1, "x")]).encode()
    fake.fail("page=2", 200, body=body, headers={"Link": f'<{first}>; rel="next"'}, times=10**6)
    fake.fail("issues?state=all", 200, body=body, headers={"Link": f'<{second}>; rel="next"'}, times=10**6)
    _, report = run(cache_path, client, {"o/r": {1}})
    assert fake.paths() == ["/repos/o/r/issues", "/repos/o/r/issues"]
    assert any("was already read" in w for w in report.warnings)


def test_a_next_link_with_control_characters_is_not_followed(
    fake: FakeGitHub, client: GitHubClient, cache_path: Path
) -> None:
    """A next link on the API host that `safe_url` refuses (a terminal escape in it) stops the list, shown as repr."""
    bad = f"{fake.url}/repos/o/r/issues?page=2&\x1b[2J"
    fake.fail("issues?state=all", 200, body=b"[]", headers={"Link": f'<{bad}>; rel="next"'})
    _, report = run(cache_path, client, {"o/r": {1}})
    assert fake.paths() == ["/repos/o/r/issues", "/repos/o/r/issues/1"]
    assert "\x1b" not in report.warnings[0] and "\\x1b[2J" in report.warnings[0]
    assert "is no plain http(s) URL; stopped the list there" in report.warnings[0]


def test_endless_next_links_stop_at_max_pages(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """A server that always links one more page is read for MAX_PAGES pages, then the rest is looked up."""
    fake.endless = True
    _, report = run(cache_path, client, {"o/r": {1, 99}})
    lists = [s for s in fake.requests if s.path == "/repos/o/r/issues"]
    assert len(lists) == MAX_PAGES == 50
    assert fake.paths()[MAX_PAGES:] == ["/repos/o/r/issues/99", "/repos/o/r/discussions/99"]
    assert f"o/r: more than {MAX_PAGES} pages of issues; stopped the list there" in report.warnings[0]
    assert report.requests == MAX_PAGES + 2


def test_naive_now_is_refused(client: GitHubClient, cache_path: Path) -> None:
    """fetch needs an aware `now` to state the reset time in the caller's zone."""
    with pytest.raises(ValueError, match="aware"):
        fetch(IssueCache(cache_path), {"o/r": {1}}, client, now=datetime(2026, 11, 20))


def test_client_repr_hides_the_token() -> None:
    """The client's repr says whether a token is set, never what it is."""
    assert TOKEN not in repr(GitHubClient("https://api.github.com", TOKEN))


# -- the cache file --------------------------------------------------------------------------


def record(number: int, **changes: Any) -> CachedIssue:
    base = CachedIssue("o/r", number, Kind.ISSUE, "제목", State.OPEN, None, None, None, False, "t")
    return replace(base, **changes)


def test_missing_cache_file_is_an_empty_cache(tmp_path: Path) -> None:
    """No file yet is not an error: the cache starts empty."""
    cache = IssueCache.load(tmp_path / "nope.json")
    assert cache.issues == {} and cache.repos == {} and cache.problem is None


@pytest.mark.parametrize(
    ("content", "reason"),
    [
        ("{not json", "Expecting property name"),
        ('{"version": 99, "repos": {}, "issues": {}}', "version is 99"),
        ('{"version": 1, "repos": {}, "issues": []}', "must be objects"),
        ('{"version": 1, "repos": {}, "issues": {"o/r#1": {"title": "x"}}}', "has fields"),
        ("[]", "not an object"),
    ],
)
def test_corrupt_cache_is_an_error_naming_the_file(cache_path: Path, content: str, reason: str) -> None:
    """Reading a corrupt cache raises a DaylogError with the path and the reason."""
    cache_path.parent.mkdir(parents=True)
    cache_path.write_text(content, encoding="utf-8")
    with pytest.raises(DaylogError) as caught:
        IssueCache.load(cache_path)
    assert caught.value.path == str(cache_path)
    assert reason in caught.value.message
    assert caught.value.hint is not None and "fetch" in caught.value.hint


def test_fetch_rebuilds_a_corrupt_cache_and_says_so(client: GitHubClient, cache_path: Path) -> None:
    """A fetch starts over from an empty cache, reports it, and writes a valid file."""
    cache_path.parent.mkdir(parents=True)
    cache_path.write_text("{garbage", encoding="utf-8")
    _, report = run(cache_path, client, {"o/r": {1}})
    assert any(str(cache_path) in w and "rebuilt" in w for w in report.warnings)
    assert (load(cache_path).issues["o/r#1"].title or "").startswith("CNN")


def test_save_is_atomic(cache_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A failed write leaves the old file intact and no temp file behind."""
    cache = IssueCache(cache_path, {"o/r#1": record(1)})
    cache.save()
    before = cache_path.read_bytes()
    cache.issues["o/r#2"] = record(2)

    def boom(src: object, dst: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", boom)
    with pytest.raises(DaylogError, match="No space left") as caught:
        cache.save()
    assert caught.value.path == str(cache_path)
    assert cache_path.read_bytes() == before
    assert os.listdir(cache_path.parent) == ["issues.json"]


def test_cache_round_trip(cache_path: Path) -> None:
    """Saved records load back equal, including missing ones and None fields."""
    cache = IssueCache(
        cache_path,
        {
            "o/r#1": record(1, etag='W/"abc"', url="https://github.com/o/r/issues/1"),
            "o/r#2": record(2, kind=None, title=None, state=None, missing=True),
            "o/r#3": record(3, kind=Kind.PULL, state=State.MERGED),
        },
    )
    cache.save()
    again = IssueCache.load(cache_path)
    assert again.issues == cache.issues and again.repos == cache.repos


def test_a_hand_edited_cache_with_a_javascript_url_loads_without_it(cache_path: Path) -> None:
    """Regression #12: the committed cache is untrusted; `load` drops a non-http(s) url and remembers it to warn."""
    IssueCache(cache_path, {"o/r#1": record(1, url="https://github.com/o/r/issues/1"), "o/r#2": record(2)}).save()
    doc = json.loads(cache_path.read_text(encoding="utf-8"))
    doc["issues"]["o/r#2"]["url"] = "javascript:alert(40)"
    cache_path.write_text(json.dumps(doc), encoding="utf-8")
    cache = IssueCache.load(cache_path)
    assert cache.issues["o/r#2"].url is None and cache.issues["o/r#2"].title == "제목"
    assert cache.issues["o/r#1"].url == "https://github.com/o/r/issues/1"
    assert cache.dropped_urls == {"o/r#2": "javascript:alert(40)"}
    assert cache.url_warnings() == [
        f"{cache_path}: o/r#2 has the url 'javascript:alert(40)', not an http(s) URL; ignored it "
        "(`daylog issues fetch --all` replaces it)"
    ]
    assert cache.url_warnings(["o/r#1"]) == []


def test_a_fetch_rewrites_a_cache_with_an_unsafe_url(fake: FakeGitHub, client: GitHubClient, cache_path: Path) -> None:
    """Even when GitHub answers 304, the fetch says what it ignored and writes the file without it."""
    run(cache_path, client, {"o/r": {1}})
    doc = json.loads(cache_path.read_text(encoding="utf-8"))
    doc["issues"]["o/r#1"]["url"] = "javascript:alert(40)"
    cache_path.write_text(json.dumps(doc), encoding="utf-8")
    _, report = run(cache_path, client, {"o/r": {1}})
    assert report.unchanged == 1
    assert any("o/r#1 has the url 'javascript:alert(40)'" in w for w in report.warnings)
    assert "javascript" not in cache_path.read_text(encoding="utf-8")
    assert load(cache_path).issues["o/r#1"].url is None
