"""git log's answer kept by HEAD: the same commits as asking git, and asked again whenever they may differ."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest
from test_gitlog import commit, git, init, isolated_git  # noqa: F401 (the fixture isolates git)

import daylog.streaks.gitlog
from daylog.streaks.gitlog import LogRun, Stamps


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = init(tmp_path / "team")
    mailmap = repo / ".mailmap"
    mailmap.write_text("지우 <jiwoo@example.com> Jiwoo Park <jiwoo@laptop.local>\n", encoding="utf-8")
    t = time.time() - 60
    os.utime(mailmap, (t, t))
    commit(repo, "2026-11-03T23:30:00+09:00", "민지", "minji@example.com")
    commit(repo, "2026-11-05T20:00:00+09:00", "Jiwoo Park", "jiwoo@laptop.local")
    return repo


def read(repo: Path, cache: Path, **options: bool) -> Stamps:
    return LogRun(repo, keep_in=cache, **options).result()


def no_git_log(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(repo: Path, *args: str, **kwargs: object) -> None:
        raise AssertionError(f"ran git {args[0]} although HEAD did not move")

    monkeypatch.setattr(daylog.streaks.gitlog, "_start", boom)


@pytest.mark.parametrize("options", [{}, {"co_authors": True, "shas": True}])
def test_the_same_head_gives_the_kept_commits(
    repo: Path, tmp_path: Path, options: dict[str, bool], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked = LogRun(repo, **options).result()
    assert read(repo, tmp_path / "cache", **options) == asked
    no_git_log(monkeypatch)
    assert read(repo, tmp_path / "cache", **options) == asked
    assert asked.names == ["지우", "민지"]  # the mailmap applied, newest first


def test_a_new_commit_is_read(repo: Path, tmp_path: Path) -> None:
    assert len(read(repo, tmp_path / "cache").times) == 2
    commit(repo, "2026-11-06T20:00:00+09:00", "서현", "seohyun@example.com")
    assert read(repo, tmp_path / "cache").names[0] == "서현"


def test_an_edited_mailmap_is_read(repo: Path, tmp_path: Path) -> None:
    assert read(repo, tmp_path / "cache").names == ["지우", "민지"]
    mailmap = repo / ".mailmap"
    mailmap.write_text("Jiwoo <jiwoo@example.com> Jiwoo Park <jiwoo@laptop.local>\n", encoding="utf-8")
    assert read(repo, tmp_path / "cache").names == ["Jiwoo", "민지"]  # written just now: not kept
    t = time.time() - 30
    os.utime(mailmap, (t, t))
    assert read(repo, tmp_path / "cache").names == ["Jiwoo", "민지"]
    assert list((tmp_path / "cache").glob("commits-*"))
    mailmap.write_text("J. <jiwoo@example.com> Jiwoo Park <jiwoo@laptop.local>\n", encoding="utf-8")
    os.utime(mailmap, (t, t))  # the same mtime: its size and ctime tell
    assert read(repo, tmp_path / "cache").names == ["J.", "민지"]


def test_a_configured_mailmap_file_is_never_kept(repo: Path, tmp_path: Path) -> None:
    """`mailmap.file` can point anywhere: daylog cannot tell when it changes, so it always asks git."""
    elsewhere = tmp_path / "people.map"
    elsewhere.write_text("Minji <minji@example.com>\n", encoding="utf-8")
    git(repo, "config", "mailmap.file", str(elsewhere))
    assert read(repo, tmp_path / "cache").names == ["지우", "Minji"]
    assert not list((tmp_path / "cache").glob("commits-*"))
    elsewhere.write_text("민지 K <minji@example.com>\n", encoding="utf-8")
    assert read(repo, tmp_path / "cache").names == ["지우", "민지 K"]


def test_damaged_kept_commits_are_read_again(repo: Path, tmp_path: Path) -> None:
    asked = read(repo, tmp_path / "cache")
    [kept] = (tmp_path / "cache").glob("commits-*.marshal")
    kept.write_bytes(b"\x00 not marshal")
    assert read(repo, tmp_path / "cache") == asked
    kept.write_bytes(kept.read_bytes()[:-10])
    assert read(repo, tmp_path / "cache") == asked


def test_an_empty_repository_has_no_commits_and_keeps_nothing(tmp_path: Path) -> None:
    empty = init(tmp_path / "empty")
    assert read(empty, tmp_path / "cache").times == []
    assert not (tmp_path / "cache").exists()


def test_a_deepened_shallow_clone_is_read_again(repo: Path, tmp_path: Path) -> None:
    """`git fetch --deepen` keeps HEAD and the clone stays shallow, but older commits appear."""
    commit(repo, "2026-11-06T20:00:00+09:00", "서현", "seohyun@example.com")
    clone = tmp_path / "clone"
    git(tmp_path, "clone", "-q", "--depth", "1", f"file://{repo}", str(clone))
    assert len(read(clone, tmp_path / "cache").times) == 1
    git(clone, "fetch", "-q", "--deepen", "1")
    assert git(clone, "rev-parse", "--is-shallow-repository").strip() == "true"
    assert read(clone, tmp_path / "cache") == LogRun(clone).result()
    assert len(read(clone, tmp_path / "cache").times) == 2


def test_a_replaced_commit_is_read_again(repo: Path, tmp_path: Path) -> None:
    """`git replace` changes what `git log` prints without moving HEAD."""
    first = read(repo, tmp_path / "cache")
    other = init(tmp_path / "other")
    commit(other, "2026-11-05T21:00:00+09:00", "도윤", "doyun@example.com")
    git(repo, "fetch", "-q", str(other), "main")
    git(repo, "replace", "HEAD", git(repo, "rev-parse", "FETCH_HEAD").strip())
    asked = LogRun(repo).result()
    assert asked != first
    assert read(repo, tmp_path / "cache") == asked


def test_a_linked_worktree_reads_the_common_config_for_a_map_file(repo: Path, tmp_path: Path) -> None:
    """A linked worktree's git dir holds no config: `mailmap.file` sits in the main repository's.

    (No "mailmap" in these tests' names: their tmp_path, and so the config's text, would hold it.)"""
    elsewhere = tmp_path / "people.map"
    elsewhere.write_text("Minji <minji@example.com>\n", encoding="utf-8")
    git(repo, "config", "mailmap.file", str(elsewhere))
    linked = tmp_path / "linked"
    git(repo, "worktree", "add", "-q", "--detach", str(linked))
    assert read(linked, tmp_path / "cache").names == ["Jiwoo Park", "Minji"]
    elsewhere.write_text("민지 K <minji@example.com>\n", encoding="utf-8")
    assert read(linked, tmp_path / "cache").names == ["Jiwoo Park", "민지 K"]


def test_an_included_config_naming_a_map_file_is_never_kept(repo: Path, tmp_path: Path) -> None:
    elsewhere = tmp_path / "people.map"
    elsewhere.write_text("Minji <minji@example.com>\n", encoding="utf-8")
    extra = tmp_path / "extra.gitconfig"
    extra.write_text(f"[mailmap]\n\tfile = {elsewhere}\n", encoding="utf-8")
    git(repo, "config", "include.path", str(extra))
    assert read(repo, tmp_path / "cache").names == ["지우", "Minji"]
    elsewhere.write_text("민지 K <minji@example.com>\n", encoding="utf-8")
    assert read(repo, tmp_path / "cache").names == ["지우", "민지 K"]


def test_a_map_file_named_in_the_environment_is_never_kept(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`GIT_CONFIG_KEY_0=mailmap.file` (CI sets config this way): the variables stay, the file changes."""
    elsewhere = tmp_path / "people.map"
    elsewhere.write_text("Minji <minji@example.com>\n", encoding="utf-8")
    monkeypatch.setenv("GIT_CONFIG_COUNT", "1")
    monkeypatch.setenv("GIT_CONFIG_KEY_0", "mailmap.file")
    monkeypatch.setenv("GIT_CONFIG_VALUE_0", str(elsewhere))
    assert read(repo, tmp_path / "cache").names == ["지우", "Minji"]
    elsewhere.write_text("민지 K <minji@example.com>\n", encoding="utf-8")
    assert read(repo, tmp_path / "cache").names == ["지우", "민지 K"]


def test_grafts_are_never_kept(repo: Path, tmp_path: Path) -> None:
    """`info/grafts` (deprecated, still read by git) cuts history behind the same HEAD."""
    assert len(read(repo, tmp_path / "cache").times) == 2
    head = git(repo, "rev-parse", "HEAD").strip()
    (repo / ".git" / "info").mkdir(exist_ok=True)
    (repo / ".git" / "info" / "grafts").write_text(f"{head}\n", encoding="utf-8")  # HEAD without parents
    assert read(repo, tmp_path / "cache") == LogRun(repo).result()
    assert len(read(repo, tmp_path / "cache").times) == 1


def test_a_commit_made_while_reading_is_not_kept_under_the_older_head(
    repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """HEAD moves between `rev-parse` and `git log`, then back (`reset`): the kept commits must
    be those of the HEAD in the key, not of whatever HEAD was when git log ran."""
    import daylog.streaks.kept_log

    keyed = daylog.streaks.kept_log.history_key
    before = git(repo, "rev-parse", "HEAD").strip()

    def then_commit(repo_: Path, fields: tuple[str, ...]) -> object:
        key = keyed(repo_, fields)
        commit(repo, "2026-11-06T20:00:00+09:00", "서현", "seohyun@example.com")
        return key

    with monkeypatch.context() as patch:
        patch.setattr(daylog.streaks.kept_log, "history_key", then_commit)
        read(repo, tmp_path / "cache")
    git(repo, "reset", "-q", "--soft", before)
    assert read(repo, tmp_path / "cache") == LogRun(repo).result()
