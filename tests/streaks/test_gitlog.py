"""Reading commits from real temporary git repositories (`LogRun`), and turning them into study days."""

from __future__ import annotations

import os
import subprocess
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from daylog.errors import DaylogError
from daylog.streaks.activity import stamp_days
from daylog.streaks.gitlog import GitNotFound, LogRun, NotAGitRepository, Stamps, parse_co_authors

SEOUL = ZoneInfo("Asia/Seoul")
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


def read(repo: Path, *, co_authors: bool = False, shas: bool = False) -> Stamps:
    return LogRun(repo, co_authors=co_authors, shas=shas).result()


def days_of(repo: Path, day_starts_at: int = 4, *, co_authors: bool = False) -> dict[str, dict[date, int]]:
    return stamp_days(read(repo, co_authors=co_authors), resolve, SEOUL, day_starts_at)[0]


def test_commit_fields(team_repo: Path) -> None:
    """Commits come back newest first with full shas and their author time as Unix seconds."""
    stamps = read(team_repo, shas=True)
    assert stamps.names == ["Stranger", "도겸", "하윤", "지우", "서현", "민지", "민지"]
    assert stamps.shas is not None and all(len(s) == 40 and int(s, 16) >= 0 for s in stamps.shas)
    assert stamps.shas[0] == git(team_repo, "rev-parse", "HEAD").strip()
    assert int(stamps.times[2]) == int(datetime.fromisoformat("2026-11-06T20:00:00+00:00").timestamp())
    assert int(stamps.times[-1]) == int(datetime.fromisoformat("2026-11-03T23:30:00+09:00").timestamp())
    assert stamps.co_authors is None and stamps.shallow is False


def test_mailmap_is_applied(team_repo: Path) -> None:
    """A laptop address listed in .mailmap reads as the member's canonical name and e-mail."""
    stamps = read(team_repo)
    assert (stamps.names[3], stamps.emails[3]) == ("지우", "jiwoo@example.com")


def test_co_authors_are_parsed(team_repo: Path) -> None:
    """Co-authored-by trailers, in any letter case, become (name, e-mail) pairs in order."""
    co = read(team_repo, co_authors=True).co_authors
    assert co is not None
    assert parse_co_authors(co[1]) == (("민지", "minji@example.com"), ("도겸", "dogyeom@example.com"))
    assert all(parse_co_authors(value) == () for i, value in enumerate(co) if i != 1)


def test_co_author_without_email(tmp_path: Path) -> None:
    """A trailer with only a name keeps the name and an empty e-mail."""
    repo = init(tmp_path / "r")
    commit(repo, "2026-11-03T10:00:00+09:00", "민지", "minji@example.com", "짝 프로그래밍\n\nCo-authored-by: 서현\n")
    co = read(repo, co_authors=True).co_authors
    assert co is not None and parse_co_authors(co[0]) == (("서현", ""),)


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
    """Commits land on Seoul study days; before the day-start hour they count for the day before.

    Hayoon's commit at 20:00 UTC on 6 Nov is 05:00 on 7 Nov in Seoul, and counts on the 7th."""
    assert days_of(team_repo, day_starts_at) == expected


def test_co_authors_are_credited_on_request(team_repo: Path) -> None:
    """With co_authors a co-author gets the day too; the author is still credited once."""
    plain = days_of(team_repo)
    credited = days_of(team_repo, co_authors=True)
    assert date(2026, 11, 9) not in plain["minji"]
    assert credited["minji"] == {date(2026, 11, 3): 2, date(2026, 11, 9): 1}
    assert credited["dogyeom"] == {date(2026, 11, 9): 1}


def test_unmapped_authors_are_skipped_and_listed(team_repo: Path) -> None:
    """Commits by nobody on the team count for no one, and are reported for a warning."""
    days, unmapped = stamp_days(read(team_repo), resolve, SEOUL, 4)
    assert "Stranger" not in days
    assert unmapped == {("Stranger", "bot@example.net")}


def test_resolve_is_asked_once_per_identity() -> None:
    """Each distinct (name, e-mail) is resolved once, however many commits it has."""
    asked: list[tuple[str, str]] = []

    def counting(name: str, email: str) -> str | None:
        asked.append((name, email))
        return "minji"

    times = [str(int(datetime.fromisoformat(f"2026-11-0{d}T12:00:00+09:00").timestamp())) for d in (2, 3, 4)]
    stamps = Stamps(times, ["민지"] * 3, ["minji@example.com"] * 3, None, None, False)
    days, _ = stamp_days(stamps, counting, SEOUL, 4)
    assert days == {"minji": {date(2026, 11, d): 1 for d in (2, 3, 4)}}
    assert asked == [("민지", "minji@example.com")]


def test_empty_repository_has_no_commits(tmp_path: Path) -> None:
    """A fresh repository with no commits reads as an empty history, not an error."""
    stamps = read(init(tmp_path / "empty"))
    assert (stamps.times, stamps.names, stamps.shallow) == ([], [], False)


@pytest.mark.parametrize("what", ["plain folder", "missing folder"])
def test_not_a_repository(tmp_path: Path, what: str) -> None:
    """Outside a git work tree, reading the commits raises NotAGitRepository naming the folder."""
    folder = tmp_path / "notes"
    if what == "plain folder":
        folder.mkdir()
    with pytest.raises(NotAGitRepository) as info:
        read(folder)
    assert isinstance(info.value, DaylogError)
    assert info.value.path == str(folder)


def test_git_missing(team_repo: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    """Without git on PATH the error says so (GitNotFound, a DaylogError) instead of a traceback."""
    monkeypatch.setenv("PATH", str(tmp_path / "no-bin"))
    with pytest.raises(GitNotFound, match="git is not installed"):
        read(team_repo)


def test_shallow_clone_is_flagged(team_repo: Path, tmp_path: Path) -> None:
    """A --depth 1 clone is shallow (its streaks would be cut short); the original is not."""
    clone = tmp_path / "clone"
    subprocess.run(["git", "clone", "-q", "--depth", "1", f"file://{team_repo}", str(clone)], check=True)
    assert read(team_repo).shallow is False
    shallow = read(clone)
    assert shallow.shallow is True and len(shallow.times) == 1


def test_one_git_log_whatever_the_history(team_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Reading the history starts one `git log` and one shallow check, whatever the number of commits."""
    calls: list[list[str]] = []
    real_popen = subprocess.Popen

    def spy(args: list[str], **kwargs: object) -> object:
        calls.append(args)
        return real_popen(args, **kwargs)  # type: ignore[call-overload]

    monkeypatch.setattr(subprocess, "Popen", spy)
    assert len(read(team_repo).times) == 7
    assert [c[3] for c in calls] == ["log", "rev-parse"]


def test_user_config_cannot_interfere(team_repo: Path, isolated_git: Path) -> None:
    """A member's git config (mailmap off, EUC-KR output, signatures) changes nothing."""
    expected = read(team_repo, co_authors=True, shas=True)
    (isolated_git / ".gitconfig").write_text(
        "[log]\n\tmailmap = false\n\tshowSignature = true\n"
        "[i18n]\n\tlogOutputEncoding = EUC-KR\n"
        "[format]\n\tpretty = oneline\n",
        encoding="utf-8",
    )
    assert git(team_repo, "config", "--get", "i18n.logOutputEncoding").strip() == "EUC-KR"
    assert read(team_repo, co_authors=True, shas=True) == expected
    assert expected.names[3] == "지우" and expected.names[1] == "도겸"


def test_stamps_are_a_frozen_value(team_repo: Path) -> None:
    """Stamps is an immutable, slotted value."""
    stamps = read(team_repo)
    with pytest.raises(AttributeError):
        stamps.shallow = True  # type: ignore[misc]
    assert not hasattr(stamps, "__dict__")


@pytest.mark.parametrize("co_authors", [False, True])
def test_one_members_days_are_the_teams_for_that_member(team_repo: Path, co_authors: bool) -> None:
    """`status` asks for one member's commit days: the same days the whole team's count gives them."""
    stamps = read(team_repo, co_authors=co_authors)
    team, unmapped = stamp_days(stamps, resolve, SEOUL, 4)
    for member in ("minji", "jiwoo", "nobody"):
        mine, also_unmapped = stamp_days(stamps, resolve, SEOUL, 4, only=member)
        assert mine == ({member: team[member]} if member in team else {})
        assert also_unmapped == unmapped
