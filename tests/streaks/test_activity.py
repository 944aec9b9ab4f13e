"""Activity days: what in an entry counts as writing, and commits from real git repositories."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Callable
from datetime import UTC, date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from conftest import REPO

from daylog.calendar import study_day
from daylog.entries.parse import parse
from daylog.entries.scaffold import Reminder, context, render
from daylog.errors import DaylogError
from daylog.streaks.activity import (
    Source,
    Stamps,
    _StudyDays,
    collect,
    entry_days,
    member_resolver,
    stamp_days,
    template_baseline,
    written,
)
from daylog.workspace.files import Workspace
from daylog.workspace.settings import Member, Settings

SEOUL = ZoneInfo("Asia/Seoul")
TEMPLATE = (REPO / "templates" / "entry.md.j2").read_text(encoding="utf-8")
SETTINGS = Settings(
    course="부스트캠프 AI Tech",
    start_date=date(2021, 1, 18),
    members=(
        Member("mj", "엠제이", github="mj-kim", emails=("mj@example.com", "MJ.Laptop@Example.com")),
        Member("sally", "샐리", emails=("sally@example.com",)),
    ),
)
SALLY = SETTINGS.members[1]


def scaffolded(*, carried: tuple[str, ...] = (), reminders: bool = False) -> str:
    """The default template as `daylog new` renders it for 샐리 on 2021-02-15."""
    rems = [Reminder("abc123", "어텐션 스케일링", date(2021, 1, 29), 10, "../sally/2021-01-29.md")] if reminders else []
    ctx = context(SETTINGS, SALLY, date(2021, 2, 15), datetime(2021, 2, 15, 22, 0, tzinfo=SEOUL))
    ctx["carried_tasks"], ctx["reminders"] = list(carried), rems
    return render(TEMPLATE, ctx)


def fill(text: str, heading: str, body: str) -> str:
    """`text` with `body` written right under the line `heading`."""
    assert heading in text
    return text.replace(heading + "\n", heading + "\n\n" + body + "\n", 1)


BASELINE = template_baseline(TEMPLATE)
CARRIED = ("과제 1: 데이터셋 전처리", "과제 2: 모델 학습")


@pytest.mark.parametrize(
    ("case", "text", "wrote", "open_keys"),
    [
        ("fresh entry", scaffolded(), False, ()),
        ("fresh entry with reminders", scaffolded(reminders=True), False, ()),
        (
            "fresh entry with carried items",
            scaffolded(carried=CARRIED),
            False,
            ("과제 1: 데이터셋 전처리", "과제 2: 모델 학습"),
        ),
        ("a TIL line", fill(scaffolded(), "## TIL (Today I Learned)", "- 역전파는 연쇄 법칙이다"), True, ()),
        ("a reflection", fill(scaffolded(), "## 오늘의 한마디", "오늘은 힘들었다."), True, ()),
        (
            "a carried item checked off",
            scaffolded(carried=CARRIED).replace("- [ ] 과제 1", "- [x] 과제 1"),
            True,
            ("과제 2: 모델 학습",),
        ),
        (
            "a new follow-up",
            fill(scaffolded(reminders=True), "### 더 정리할 것", "- [ ] 배치 정규화: 추론 때는?"),
            True,
            (),
        ),
        ("only a comment", fill(scaffolded(), "## TIL (Today I Learned)", "<!-- 나중에 쓰기 -->"), False, ()),
        ("only bare markers", fill(scaffolded(), "## TIL (Today I Learned)", "- \n- [ ]\n* "), False, ()),
        ("only code", fill(scaffolded(), "## TIL (Today I Learned)", "```python\nx = torch.zeros(3)\n```"), True, ()),
        ("a new open item", fill(scaffolded(), "## 과제 진행 상황", "- [ ] 과제 3: 평가"), False, ("과제 3: 평가",)),
        ("a question", fill(scaffolded(), "## 피어세션 정리", "- `샐리`: 왜 sqrt(d)로 나누나?"), True, ()),
    ],
)
def test_written(case: str, text: str, wrote: bool, open_keys: tuple[str, ...]) -> None:
    """Template residue, reminders and comments are not writing; prose, code and checked items are."""
    entry = parse(text, parts=frozenset({"tasks"}))
    assert written(entry, text, BASELINE) == (wrote, open_keys), case


def test_template_lines_are_not_writing() -> None:
    """Static placeholder lines of a team's own template do not count; editing them does."""
    template = TEMPLATE.replace("## TIL (Today I Learned)\n", "## TIL (Today I Learned)\n\n- 오늘 배운 것:\n### 참고\n")
    baseline = template_baseline(template)
    assert "- 오늘 배운 것:" in baseline and "### 참고" in baseline
    assert not any("{{" in line or "{%" in line for line in baseline)
    ctx = context(SETTINGS, SALLY, date(2021, 2, 15), datetime(2021, 2, 15, 22, 0, tzinfo=SEOUL))
    fresh = render(template, ctx)
    assert written(parse(fresh), fresh, baseline) == (False, ())
    edited = fresh.replace("- 오늘 배운 것:", "- 오늘 배운 것: 드롭아웃")
    assert written(parse(edited), edited, baseline) == (True, ())


D = date(2021, 2, 8)


@pytest.mark.parametrize(
    ("case", "rows", "expected"),
    [
        ("writing counts", [("mj", D, True, ())], {"mj": {D: 1}}),
        ("nothing written", [("mj", D, False, ())], {}),
        ("a new open item counts", [("mj", D, False, ("a",))], {"mj": {D: 1}}),
        (
            "carried unchanged does not",
            [("mj", D, True, ("a", "b")), ("mj", date(2021, 2, 9), False, ("a", "b"))],
            {"mj": {D: 1}},
        ),
        (
            "carried from the latest earlier day only",
            [
                ("mj", D, False, ("a",)),
                ("mj", date(2021, 2, 9), True, ()),
                ("mj", date(2021, 2, 10), False, ("a",)),
            ],
            {"mj": {D: 1, date(2021, 2, 9): 1, date(2021, 2, 10): 1}},
        ),
        ("two written files one day", [("mj", D, True, ()), ("mj", D, True, ())], {"mj": {D: 2}}),
        (
            "members apart",
            [("mj", D, False, ("a",)), ("sally", date(2021, 2, 9), False, ("a",))],
            {
                "mj": {D: 1},
                "sally": {date(2021, 2, 9): 1},
            },
        ),
    ],
)
def test_entry_days(case: str, rows: list, expected: dict) -> None:  # type: ignore[type-arg]
    """An entry counts when written, or when it holds an open item its previous entry did not."""
    assert entry_days(rows) == expected, case


def test_resolver_matches_emails_any_case_and_github_noreply() -> None:
    """Configured e-mails match case-insensitively; a GitHub noreply address matches the login."""
    resolve = member_resolver(SETTINGS)
    assert resolve("x", "mj.laptop@example.COM") == "mj"
    assert resolve("x", " Sally@Example.com ") == "sally"
    assert resolve("x", "12345+MJ-Kim@users.noreply.github.com") == "mj"
    assert resolve("x", "mj-kim@users.noreply.github.com") == "mj"
    assert resolve("mj", "someone@else.com") is None


@pytest.mark.parametrize("zone", ["Asia/Seoul", "America/New_York", "Australia/Lord_Howe", "Asia/Kolkata"])
@pytest.mark.parametrize("starts", [0, 2, 4, 5])
def test_study_day_arithmetic_matches_calendar(zone: str, starts: int) -> None:
    """The integer fast path gives `calendar.study_day` for every hour of a year, DST switches included."""
    z = ZoneInfo(zone)
    day_of = _StudyDays(z, starts)
    first = int(datetime(2021, 1, 1, tzinfo=UTC).timestamp())
    for ts in range(first, first + 366 * 86400, 1800 + 7):
        expected = study_day(datetime.fromtimestamp(ts, UTC), z, starts)
        assert day_of(ts) == expected.toordinal(), datetime.fromtimestamp(ts, z)


def _stamps(*commits: tuple[str, str, str], co: tuple[str, ...] | None = None) -> Stamps:
    """Stamps from (ISO time, name, e-mail) triples."""
    times = [str(int(datetime.fromisoformat(t).timestamp())) for t, _, _ in commits]
    return Stamps(times, [n for _, n, _ in commits], [e for _, _, e in commits], list(co) if co else None, None, False)


def test_stamp_days_day_boundary_and_unmapped() -> None:
    """23:30 KST counts for that day, 00:30 for the day before; unknown authors are reported."""
    stamps = _stamps(
        ("2021-02-15T23:30:00+09:00", "엠제이", "mj@example.com"),
        ("2021-02-17T00:30:00+09:00", "엠제이", "MJ@example.com"),
        ("2021-02-16T15:00:00+00:00", "엠제이", "mj@example.com"),  # 00:00 KST on the 17th: still the 16th
        ("2021-02-16T12:00:00+09:00", "봇", "bot@example.com"),
    )
    days, unmapped = stamp_days(stamps, member_resolver(SETTINGS), SEOUL, 4)
    assert days == {"mj": {date(2021, 2, 15): 1, date(2021, 2, 16): 2}}
    assert unmapped == {("봇", "bot@example.com")}


def test_stamp_days_co_authors_count_once_per_member() -> None:
    """A co-author is credited; an author who also names themself as co-author counts once."""
    stamps = _stamps(
        ("2021-02-16T20:00:00+09:00", "엠제이", "mj@example.com"),
        ("2021-02-16T21:00:00+09:00", "엠제이", "mj@example.com"),
        co=("샐리 <SALLY@example.com>\n엠제이 <mj@example.com>", "이름만"),
    )
    days, unmapped = stamp_days(stamps, member_resolver(SETTINGS), SEOUL, 4)
    assert days == {"mj": {date(2021, 2, 16): 2}, "sally": {date(2021, 2, 16): 1}}
    assert unmapped == {("이름만", "")}


# --- real repositories ------------------------------------------------------------------


@pytest.fixture(autouse=True)
def _git_env(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """git sees no outer repository and no identity or dates from the environment."""
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in ("GIT_DIR", "GIT_WORK_TREE", "GIT_AUTHOR_DATE", "GIT_COMMITTER_DATE", "NO_COLOR"):
        monkeypatch.delenv(name, raising=False)


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in `repo`, return stdout."""
    result = subprocess.run(
        ["git", "-C", str(repo), *args], capture_output=True, text=True, check=True, env={**os.environ, **(env or {})}
    )
    return result.stdout


def commit(repo: Path, when: str, name: str, email: str, message: str = "기록") -> None:
    """An empty commit authored at `when` (ISO 8601) by `name <email>`."""
    env = {
        "GIT_AUTHOR_DATE": when,
        "GIT_AUTHOR_NAME": name,
        "GIT_AUTHOR_EMAIL": email,
        "GIT_COMMITTER_DATE": when,
        "GIT_COMMITTER_NAME": "CI",
        "GIT_COMMITTER_EMAIL": "ci@example.com",
    }
    git(repo, "commit", "-q", "--allow-empty", "-m", message, env=env)


def init_repo(path: Path) -> Path:
    """`path` as a git repository on main."""
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q", str(path)], check=True)
    return path


def test_commits_from_a_real_repo(make_ws: Callable[..., Path]) -> None:
    """Day boundary, .mailmap, Co-authored-by (when enabled) and an unmapped author, in one git log."""
    root = init_repo(make_ws(extra="          emails: [heath@example.com]\n      co_authors: true\n"))
    (root / ".mailmap").write_text("샐리 <sally@example.com> <sally@laptop.local>\n", encoding="utf-8")
    git(root, "add", ".mailmap")
    commit(root, "2021-02-15T23:30:00+09:00", "엠제이", "mj@example.com")
    commit(root, "2021-02-17T00:30:00+09:00", "엠제이", "MJ@Example.com")
    commit(root, "2021-02-12T23:30:00+09:00", "Sally Laptop", "sally@laptop.local")
    commit(
        root,
        "2021-02-16T20:00:00+09:00",
        "엠제이",
        "mj@example.com",
        "같이 함\n\nCo-authored-by: 히스 <heath@example.com>",
    )
    commit(root, "2021-02-16T21:00:00+09:00", "봇", "bot@example.com")
    activity = collect(Workspace.find(root), Source.COMMITS)
    assert activity.days == {
        "mj": {date(2021, 2, 15): 1, date(2021, 2, 16): 2},
        "sally": {date(2021, 2, 12): 1},
        "heath": {date(2021, 2, 16): 1},
    }
    assert activity.notes == (
        "commits by 봇 <bot@example.com> belong to no member: add the e-mail to a member's `emails` "
        "in mkdocs.yml or map it in .mailmap",
    )
    assert activity.warnings == ()  # information: the figures are right, some commits are nobody's


def test_co_authors_off_by_default(make_ws: Callable[..., Path]) -> None:
    """Without `co_authors: true`, a trailer credits nobody (and is not reported as unmapped)."""
    root = init_repo(make_ws(extra="          emails: [heath@example.com]\n"))
    commit(
        root,
        "2021-02-16T20:00:00+09:00",
        "엠제이",
        "mj@example.com",
        "같이 함\n\nCo-authored-by: 히스 <heath@example.com>",
    )
    activity = collect(Workspace.find(root), Source.COMMITS)
    assert activity.days == {"mj": {date(2021, 2, 16): 1}} and activity.notes == ()


def test_shallow_clone_warns_once(make_ws: Callable[..., Path], tmp_path: Path) -> None:
    """A `--depth 1` clone is read, with one warning that names the fix."""
    origin = init_repo(make_ws())
    git(origin, "add", ".")
    for day in (15, 16, 17):
        commit(origin, f"2021-02-{day}T21:00:00+09:00", "엠제이", "mj@example.com")
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{origin}", str(clone)], check=True)
    activity = collect(Workspace.find(clone), Source.BOTH)
    assert activity.days == {"mj": {date(2021, 2, 17): 1}}
    assert len(activity.notes) == 1
    assert "shallow clone" in activity.notes[0] and "fetch-depth: 0" in activity.notes[0]
    assert activity.warnings == activity.notes  # the streaks are cut short: the site warns


def test_not_a_repo_counts_entries_with_a_note(make_ws: Callable[..., Path]) -> None:
    """Outside git, `both` counts entries and says so; `commits` alone is an error."""
    root = make_ws()
    (root / "logs" / "mj").mkdir()
    (root / "logs" / "mj" / "2021-02-16.md").write_text(fill(scaffolded(), "## 오늘의 한마디", "끝!"), encoding="utf-8")
    activity = collect(Workspace.find(root), Source.BOTH)
    assert activity.days == {"mj": {date(2021, 2, 16): 1}}
    assert activity.notes == ("the workspace is not in a git repository: counting entries only",)
    assert activity.warnings == ()
    with pytest.raises(DaylogError, match="not in a git repository: no commits to count"):
        collect(Workspace.find(root), Source.COMMITS)


def test_no_git_installed(make_ws: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> None:
    """Without git on PATH, entries still count, with a note."""
    root = make_ws()
    monkeypatch.setenv("PATH", str(root))
    activity = collect(Workspace.find(root), Source.BOTH)
    assert activity.days == {} and activity.notes == ("git is not installed: counting entries only",)


def test_extra_repos_count_and_share_commits_once(make_ws: Callable[..., Path], tmp_path: Path) -> None:
    """Commits of `extra_repos` count; a commit in two of the repositories counts once; a missing one is noted."""
    root = init_repo(make_ws(extra="      extra_repos: [../assignments, ../clone, ../nowhere]\n"))
    commit(root, "2021-02-15T21:00:00+09:00", "엠제이", "mj@example.com")
    other = init_repo(tmp_path / "assignments")
    commit(other, "2021-02-16T21:00:00+09:00", "샐리", "sally@example.com")
    subprocess.run(["git", "clone", "-q", str(root), str(tmp_path / "clone")], check=True)
    activity = collect(Workspace.find(root), Source.COMMITS)
    assert activity.days == {"mj": {date(2021, 2, 15): 1}, "sally": {date(2021, 2, 16): 1}}
    assert len(activity.notes) == 1
    assert activity.notes[0].startswith("extra_repos '../nowhere': no such folder:")
    assert activity.warnings == activity.notes


def test_empty_repository_is_not_an_error(make_ws: Callable[..., Path]) -> None:
    """A repository with no commit yet has no commit days and no note."""
    root = init_repo(make_ws())
    activity = collect(Workspace.find(root), Source.BOTH)
    assert activity.days == {} and activity.notes == ()
