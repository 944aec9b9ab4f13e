"""Reading commits from real temporary git repositories, and turning them into study days."""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from daylog.errors import DaylogError
from daylog.streaks.gitlog import (
    Commit,
    GitError,
    GitNotFound,
    NotAGitRepository,
    commit_days,
    is_shallow,
    read_commits,
    unmapped_authors,
)

SEOUL = ZoneInfo("Asia/Seoul")
KST = timezone(timedelta(hours=9))
MEMBERS = {
    "minji@example.com": "minji",
    "seohyun@example.com": "seohyun",
    "jiwoo@example.com": "jiwoo",
    "hayoon@example.com": "hayoon",
    "dogyeom@example.com": "dogyeom",
}


def resolve(name: str, email: str) -> str | None:
    """Settings-like mapping: a member is found by e-mail."""
    return MEMBERS.get(email.lower())


@pytest.fixture(autouse=True)
def isolated_git(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """A git that sees no user or system config and no outer repository or hook variables."""
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    monkeypatch.setenv("GIT_CEILING_DIRECTORIES", str(tmp_path))
    for name in (
        "GIT_DIR",
        "GIT_WORK_TREE",
        "GIT_INDEX_FILE",
        "GIT_CONFIG_GLOBAL",
        "GIT_AUTHOR_NAME",
        "GIT_AUTHOR_EMAIL",
        "GIT_AUTHOR_DATE",
        "GIT_COMMITTER_NAME",
        "GIT_COMMITTER_EMAIL",
        "GIT_COMMITTER_DATE",
    ):
        monkeypatch.delenv(name, raising=False)
    return home


def git(repo: Path, *args: str, env: dict[str, str] | None = None) -> str:
    """Run git in `repo` and return its stdout."""
    result = subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        check=True,
        env={**os.environ, **(env or {})},
    )
    return result.stdout


def init(repo: Path) -> Path:
    """An empty repository on branch main."""
    subprocess.run(["git", "-c", "init.defaultBranch=main", "init", "-q", str(repo)], check=True)
    return repo


def commit(repo: Path, when: str, name: str, email: str, message: str = "오늘의 학습 기록") -> str:
    """An empty commit authored (and committed) at `when` by name <email>; returns its sha."""
    git(
        repo,
        "-c",
        f"user.name={name}",
        "-c",
        f"user.email={email}",
        "-c",
        "commit.gpgsign=false",
        "commit",
        "-q",
        "--allow-empty",
        "-m",
        message,
        env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when},
    )
    return git(repo, "rev-parse", "HEAD").strip()


@pytest.fixture
def team_repo(tmp_path: Path) -> Path:
    """The team's repo: late-night, after-midnight, UTC, mailmapped and co-authored commits."""
    repo = init(tmp_path / "team")
    (repo / ".mailmap").write_text("지우 <jiwoo@example.com> Jiwoo Park <jiwoo@laptop.local>\n", encoding="utf-8")
    commit(repo, "2026-11-03T23:30:00+09:00", "민지", "minji@example.com", "Day1 늦은 밤")
    commit(repo, "2026-11-04T00:30:00+09:00", "민지", "minji@example.com", "자정 넘어 30분")
    commit(repo, "2026-11-05T01:30:00+09:00", "서현", "seohyun@example.com", "새벽 1시 반")
    commit(repo, "2026-11-05T20:00:00+09:00", "Jiwoo Park", "jiwoo@laptop.local", "노트북에서")
    commit(repo, "2026-11-06T20:00:00+00:00", "하윤", "hayoon@example.com", "UTC로 커밋")
    commit(
        repo,
        "2026-11-09T14:00:00+09:00",
        "도겸",
        "dogyeom@example.com",
        "피어세션 과제 같이 풀기\n\nCo-authored-by: 민지 <minji@example.com>\n"
        "co-authored-by: 도겸 <dogyeom@example.com>\n",
    )
    commit(repo, "2026-11-09T15:00:00+09:00", "Stranger", "bot@example.net", "외부 기여")
    return repo


def test_read_commits_fields(team_repo: Path) -> None:
    """Commits come back newest first with full shas and aware author dates in their own offset."""
    commits = read_commits(team_repo)
    assert [c.author_name for c in commits] == ["Stranger", "도겸", "하윤", "지우", "서현", "민지", "민지"]
    assert all(len(c.sha) == 40 and int(c.sha, 16) >= 0 for c in commits)
    assert commits[0].sha == git(team_repo, "rev-parse", "HEAD").strip()
    hayoon = commits[2]
    assert hayoon.authored.isoformat() == "2026-11-06T20:00:00+00:00"
    assert commits[-1].authored.isoformat() == "2026-11-03T23:30:00+09:00"


def test_mailmap_is_applied(team_repo: Path) -> None:
    """A laptop address listed in .mailmap reads as the member's canonical name and e-mail."""
    jiwoo = read_commits(team_repo)[3]
    assert (jiwoo.author_name, jiwoo.author_email) == ("지우", "jiwoo@example.com")


def test_co_authors_are_parsed(team_repo: Path) -> None:
    """Co-authored-by trailers, in any letter case, become (name, e-mail) pairs in order."""
    commits = read_commits(team_repo)
    assert commits[1].co_authors == (("민지", "minji@example.com"), ("도겸", "dogyeom@example.com"))
    assert all(c.co_authors == () for c in commits if c is not commits[1])


def test_co_author_without_email(tmp_path: Path) -> None:
    """A trailer with only a name keeps the name and an empty e-mail."""
    repo = init(tmp_path / "r")
    commit(repo, "2026-11-03T10:00:00+09:00", "민지", "minji@example.com", "짝 프로그래밍\n\nCo-authored-by: 서현\n")
    assert read_commits(repo)[0].co_authors == (("서현", ""),)


@pytest.mark.parametrize(
    ("day_starts_at", "expected"),
    [
        pytest.param(
            0,
            {
                "minji": {date(2026, 11, 3): 1, date(2026, 11, 4): 1},
                "seohyun": {date(2026, 11, 5): 1},
                "jiwoo": {date(2026, 11, 5): 1},
                "hayoon": {date(2026, 11, 7): 1},
                "dogyeom": {date(2026, 11, 9): 1},
            },
            id="자정에 하루 시작",
        ),
        pytest.param(
            4,
            {
                "minji": {date(2026, 11, 3): 2},
                "seohyun": {date(2026, 11, 4): 1},
                "jiwoo": {date(2026, 11, 5): 1},
                "hayoon": {date(2026, 11, 7): 1},
                "dogyeom": {date(2026, 11, 9): 1},
            },
            id="새벽 4시에 하루 시작",
        ),
    ],
)
def test_commit_days(team_repo: Path, day_starts_at: int, expected: dict[str, dict[date, int]]) -> None:
    """Commits land on Seoul study days; before the day-start hour they count for the day before."""
    assert commit_days(read_commits(team_repo), resolve, SEOUL, day_starts_at) == expected


def test_utc_commit_crosses_the_date_in_seoul(team_repo: Path) -> None:
    """A commit at 20:00 UTC on 6 Nov is 05:00 on 7 Nov in Seoul, and counts on the 7th."""
    hayoon = read_commits(team_repo)[2]
    assert hayoon.authored.date() == date(2026, 11, 6)
    assert commit_days([hayoon], resolve, SEOUL, 4) == {"hayoon": {date(2026, 11, 7): 1}}


def test_co_authors_are_credited_on_request(team_repo: Path) -> None:
    """With co_authors=True a co-author gets the day too; the author is still credited once."""
    commits = read_commits(team_repo)
    plain = commit_days(commits, resolve, SEOUL, 4)
    credited = commit_days(commits, resolve, SEOUL, 4, co_authors=True)
    assert date(2026, 11, 9) not in plain["minji"]
    assert credited["minji"] == {date(2026, 11, 3): 2, date(2026, 11, 9): 1}
    assert credited["dogyeom"] == {date(2026, 11, 9): 1}


def test_unmapped_authors_are_skipped_and_listed(team_repo: Path) -> None:
    """Commits by nobody on the team count for no one, and are reported for a warning."""
    commits = read_commits(team_repo)
    assert "Stranger" not in commit_days(commits, resolve, SEOUL, 4)
    assert unmapped_authors(commits, resolve) == (("Stranger", "bot@example.net"),)


def test_resolve_is_asked_once_per_identity() -> None:
    """Each distinct (name, e-mail) is resolved once, however many commits it has."""
    asked: list[tuple[str, str]] = []

    def counting(name: str, email: str) -> str | None:
        asked.append((name, email))
        return "minji"

    when = [f"2026-11-0{d}T12:00:00+09:00" for d in (2, 3, 4)]
    commits = [
        Commit(f"{i:040x}", "민지", "minji@example.com", datetime.fromisoformat(w), ()) for i, w in enumerate(when)
    ]
    days = commit_days(commits, counting, SEOUL, 4)
    assert days == {"minji": {date(2026, 11, d): 1 for d in (2, 3, 4)}}
    assert asked == [("민지", "minji@example.com")]


def test_rev_limits_the_history(team_repo: Path) -> None:
    """`rev` is passed to git log: a range reads only the commits in it."""
    commits = read_commits(team_repo, rev="HEAD~2..HEAD")
    assert [c.author_name for c in commits] == ["Stranger", "도겸"]
    assert read_commits(team_repo, rev="HEAD..HEAD") == []


def test_bad_rev_is_a_git_error(team_repo: Path) -> None:
    """An unknown revision is a GitError naming git's complaint, not a crash or an empty list."""
    with pytest.raises(GitError, match="git log failed") as info:
        read_commits(team_repo, rev="없는브랜치")
    assert not isinstance(info.value, NotAGitRepository)
    with pytest.raises(GitError, match="not a revision"):
        read_commits(team_repo, rev="--all")


def test_empty_repository_has_no_commits(tmp_path: Path) -> None:
    """A fresh repository with no commits reads as an empty history, not an error."""
    assert read_commits(init(tmp_path / "empty")) == []


@pytest.mark.parametrize("what", ["plain folder", "missing folder"])
def test_not_a_repository(tmp_path: Path, what: str) -> None:
    """Outside a git work tree, read_commits and is_shallow raise NotAGitRepository."""
    folder = tmp_path / "notes"
    if what == "plain folder":
        folder.mkdir()
    for call in (read_commits, is_shallow):
        with pytest.raises(NotAGitRepository) as info:
            call(folder)
        assert isinstance(info.value, DaylogError)
        assert info.value.path == str(folder)


def test_git_missing(team_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without git on PATH the error says so (GitNotFound, a DaylogError) instead of a traceback."""
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    with pytest.raises(GitNotFound, match="git is not installed"):
        read_commits(team_repo)
    with pytest.raises(GitNotFound):
        is_shallow(team_repo)


def test_is_shallow(team_repo: Path, tmp_path: Path) -> None:
    """A --depth 1 clone is shallow (its streaks would be cut short); the original is not."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{team_repo}", str(clone)], check=True)
    assert is_shallow(team_repo) is False
    assert is_shallow(clone) is True
    assert len(read_commits(clone)) == 1


def test_one_git_log_subprocess(team_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the history runs exactly one git subprocess, whatever the number of commits."""
    calls: list[list[str]] = []
    real_run = subprocess.run

    def spy(args: list[str], **kwargs: object) -> object:
        calls.append(args)
        return real_run(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "run", spy)
    assert len(read_commits(team_repo)) == 7
    assert len(calls) == 1 and calls[0][3] == "log"


def test_user_config_cannot_interfere(team_repo: Path, isolated_git: Path) -> None:
    """A member's git config (mailmap off, EUC-KR output, signatures) changes nothing."""
    expected = read_commits(team_repo)
    (isolated_git / ".gitconfig").write_text(
        "[log]\n\tmailmap = false\n\tshowSignature = true\n"
        "[i18n]\n\tlogOutputEncoding = EUC-KR\n"
        "[format]\n\tpretty = oneline\n",
        encoding="utf-8",
    )
    assert git(team_repo, "config", "--get", "i18n.logOutputEncoding").strip() == "EUC-KR"
    assert read_commits(team_repo) == expected
    assert expected[3].author_name == "지우" and expected[1].author_name == "도겸"


def test_commit_is_a_frozen_value(team_repo: Path) -> None:
    """Commit is an immutable, slotted value with tuples inside."""
    first = read_commits(team_repo)[1]
    with pytest.raises(AttributeError):
        first.sha = "0" * 40  # type: ignore[misc]
    assert not hasattr(first, "__dict__")
    assert isinstance(first.co_authors, tuple)
    assert first.authored.tzinfo is not None and first.authored.utcoffset() == KST.utcoffset(None)
