"""`daylog commit` (#15 item 5) against real git repositories, one of them with a bare remote."""

from __future__ import annotations

import subprocess
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daylog.cli.app import app

NOW = {"DAYLOG_NOW": "2021-02-03T21:00:00+09:00"}
"""Wednesday of week 3: Day13 of the fixture course (it starts on Monday 2021-01-18)."""
ENTRY = "logs/mj/2021-02-03.md"


def git(folder: Path, *args: str) -> str:
    done = subprocess.run(["git", *args], cwd=folder, capture_output=True, text=True, check=True, timeout=60)
    return done.stdout.strip()


@pytest.fixture(autouse=True)
def _identity(monkeypatch: pytest.MonkeyPatch) -> None:
    """Commits need an author; nobody's real git identity is read."""
    for who in ("AUTHOR", "COMMITTER"):
        monkeypatch.setenv(f"GIT_{who}_NAME", "엠제이")
        monkeypatch.setenv(f"GIT_{who}_EMAIL", "mj@example.com")


@pytest.fixture
def repo(make_ws: Callable[..., Path]) -> Path:
    """A workspace that is a git repository with one commit, and mj's entry for Day13 written."""
    root = make_ws()
    git(root, "init", "-q", "-b", "main")
    git(root, "add", "-A")
    git(root, "commit", "-q", "-m", "workspace")
    r = CliRunner().invoke(app, ["-w", str(root), "new", "-a", "mj", "--date", "2021-02-03", "--no-edit"], env=NOW)
    assert r.exit_code == 0, r.stderr
    return root


def run(root: Path, *args: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(app, ["-w", str(root), "commit", *args], env=NOW)


def head(root: Path) -> str:
    return git(root, "rev-parse", "HEAD")


def test_commits_the_entry_and_its_images_only(repo: Path) -> None:
    """The entry and the image it shows from the member's folder are committed; other changes are not."""
    (repo / "logs/mj/img").mkdir()
    (repo / "logs/mj/img/그래프 1.png").write_bytes(b"\x89PNG\r\n\x1a\n\0\0")
    (repo / "logs/mj/img/unused.png").write_bytes(b"\x89PNG")
    (repo / "logs/sally").mkdir()
    (repo / "logs/sally/2021-02-03.md").write_text("---\nauthor: sally\n---\n", encoding="utf-8")
    entry = repo / ENTRY
    entry.write_text(
        entry.read_text(encoding="utf-8") + "\n![그래프](img/그래프%201.png)\n[밖](../sally/2021-02-03.md)\n",
        encoding="utf-8",
    )
    r = run(repo, "2021-02-03", "--author", "엠제이")
    assert r.exit_code == 0, r.stderr
    message = "[Day13] 엠제이: [부스트캠프 AI Tech / Day13] Today"
    assert r.stdout.splitlines()[0].endswith(f"on main: {message}")
    assert git(repo, "log", "-1", "--format=%s") == message
    assert git(repo, "-c", "core.quotepath=off", "show", "--name-only", "--format=").splitlines() == [
        "logs/mj/2021-02-03.md",
        "logs/mj/img/그래프 1.png",
    ]
    status = git(repo, "-c", "core.quotepath=off", "status", "--porcelain")
    assert "?? logs/sally/" in status and "?? logs/mj/img/unused.png" in status


def test_push_sends_the_commit_to_the_remote(repo: Path, tmp_path: Path) -> None:
    """`--push` pushes the branch (setting its upstream); the remote's log has the entry's commit."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    r = run(repo, "-a", "mj", "--push")
    assert r.exit_code == 0, r.stderr
    assert r.stdout.splitlines()[-1] == "pushed main to origin"
    assert git(remote, "log", "-1", "--format=%s", "main") == "[Day13] 엠제이: [부스트캠프 AI Tech / Day13] Today"
    assert git(repo, "rev-parse", "--abbrev-ref", "main@{upstream}") == "origin/main"
    entry = repo / ENTRY
    entry.write_text(entry.read_text(encoding="utf-8") + "\n- 하나 더\n", encoding="utf-8")
    again = run(repo, "-a", "mj", "--push")
    assert again.exit_code == 0, again.stderr
    assert git(remote, "rev-parse", "main") == head(repo)


def test_a_rejected_push_keeps_the_commit(repo: Path, tmp_path: Path) -> None:
    """When the remote moved on, the commit stays and the error says to pull first."""
    remote = tmp_path / "remote.git"
    git(tmp_path, "init", "-q", "--bare", str(remote))
    git(repo, "remote", "add", "origin", str(remote))
    git(repo, "push", "-q", "-u", "origin", "main")
    other = tmp_path / "other"
    git(tmp_path, "clone", "-q", "-b", "main", str(remote), str(other))
    (other / "README.md").write_text("다른 사람\n", encoding="utf-8")
    git(other, "add", "README.md")
    git(other, "commit", "-q", "-m", "someone else")
    git(other, "push", "-q")
    r = run(repo, "-a", "mj", "--push")
    assert r.exit_code == 1
    assert r.stdout.startswith("committed ")
    assert r.stderr == (
        "daylog: error: push to origin failed: the remote has commits you do not have; your commit is kept "
        "(run `git pull --rebase origin main`, then `git push`)\n"
    )
    assert git(repo, "log", "-1", "--format=%s").startswith("[Day13]")


def test_push_without_a_remote_commits_nothing(repo: Path) -> None:
    """`--push` in a repository with no remote is refused before anything is committed."""
    before = head(repo)
    r = run(repo, "-a", "mj", "--push")
    assert r.exit_code == 1
    assert r.stderr == (
        "daylog: error: --push: this repository has no remote; nothing was committed "
        "(add one with `git remote add origin URL`, or commit without --push)\n"
    )
    assert head(repo) == before
    assert git(repo, "diff", "--cached", "--name-only") == ""


def test_refuses_when_something_else_is_staged(repo: Path) -> None:
    """Another staged file is the user's own commit: refused, and the index is left as it was."""
    (repo / "notes.txt").write_text("메모\n", encoding="utf-8")
    git(repo, "add", "notes.txt")
    before = head(repo)
    r = run(repo, "-a", "mj")
    assert r.exit_code == 1
    assert r.stderr == (
        "daylog: error: other changes are staged (notes.txt); commit them yourself or unstage them "
        "(`git restore --staged -- notes.txt`) first\n"
    )
    assert head(repo) == before
    assert git(repo, "diff", "--cached", "--name-only") == "notes.txt"


def test_refuses_conflict_markers(repo: Path) -> None:
    """An entry with conflict markers is refused with its line."""
    entry = repo / ENTRY
    lines = entry.read_text(encoding="utf-8").splitlines()
    n = len(lines)
    entry.write_text("\n".join([*lines, "<<<<<<< HEAD", "- 내 것", "=======", "- 남의 것", ">>>>>>> x", ""]), "utf-8")
    r = run(repo, "-a", "mj")
    assert r.exit_code == 1
    assert r.stderr == f"daylog: error: {ENTRY}:{n + 1}: has merge-conflict markers; resolve them first\n"


def test_refuses_an_entry_check_reports_errors_for(repo: Path) -> None:
    """An error `check` would report stops the commit, naming the line."""
    entry = repo / ENTRY
    entry.write_text(entry.read_text(encoding="utf-8").replace("author: mj", "author: sally"), encoding="utf-8")
    r = run(repo, "-a", "mj")
    assert r.exit_code == 1
    assert r.stderr.startswith(f"daylog: error: {ENTRY}:")
    assert "`daylog check` reports: front matter author `sally` does not match the folder `mj`" in r.stderr


def test_refuses_when_nothing_changed(repo: Path) -> None:
    """A second commit of the same entry has nothing to commit."""
    assert run(repo, "-a", "mj").exit_code == 0
    r = run(repo, "-a", "mj")
    assert r.exit_code == 1
    assert r.stderr == (
        f"daylog: error: nothing to commit: {ENTRY} is committed as it is (change it first, or push with `git push`)\n"
    )


def test_refuses_a_missing_entry(repo: Path) -> None:
    """No entry for the day: say how to write one."""
    r = run(repo, "2021-02-04", "-a", "mj")
    assert r.exit_code == 1
    assert r.stderr == (
        "daylog: error: there is no entry logs/mj/2021-02-04.md to commit (write it first with `daylog edit`)\n"
    )


def test_refuses_outside_a_git_repository(make_ws: Callable[..., Path], tmp_path: Path) -> None:
    """A workspace that is no git repository: say to `git init`."""
    root = make_ws()
    r = CliRunner().invoke(app, ["-w", str(root), "new", "-a", "mj", "--no-edit"], env=NOW)
    assert r.exit_code == 0
    r = run(root, "-a", "mj")
    assert r.exit_code == 1
    assert r.stderr == (
        f"daylog: error: {root} is not in a git repository "
        "(run `git init` there, or run daylog in the team's git checkout)\n"
    )


def test_refuses_a_detached_head(repo: Path) -> None:
    """No branch to commit on."""
    git(repo, "checkout", "-q", "--detach")
    r = run(repo, "-a", "mj")
    assert r.exit_code == 1
    assert (
        r.stderr
        == "daylog: error: HEAD is detached (no branch to commit on) (switch to a branch first: `git switch main`)\n"
    )


def test_refuses_during_a_merge(repo: Path) -> None:
    """A merge stopped on a conflict must be finished first; nothing is staged by daylog."""
    (repo / "a.txt").write_text("하나\n", encoding="utf-8")
    git(repo, "add", "a.txt")
    git(repo, "commit", "-q", "-m", "a")
    git(repo, "switch", "-q", "-c", "other")
    (repo / "a.txt").write_text("둘\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "other")
    git(repo, "switch", "-q", "main")
    (repo / "a.txt").write_text("셋\n", encoding="utf-8")
    git(repo, "commit", "-q", "-am", "main")
    subprocess.run(["git", "merge", "-q", "other"], cwd=repo, capture_output=True, check=False, timeout=60)
    r = run(repo, "-a", "mj")
    assert r.exit_code == 1
    assert r.stderr == (
        "daylog: error: a merge is in progress; finish it with `git commit` or stop it with `git merge --abort`, "
        "then run `daylog commit` again\n"
    )


def test_the_message_follows_the_setting(make_ws: Callable[..., Path]) -> None:
    """`commit_message` names the plain fields; anything else stops at load time with the key's line."""
    root = make_ws(extra='      commit_message: "{date} {author} Day{day:>03}: {title}"\n')
    git(root, "init", "-q", "-b", "main")
    (root / "logs/mj").mkdir()
    (root / ENTRY).write_text('---\ntitle: "오늘의 공부"\nauthor: mj\n---\n\n## TIL\n\n- 배운 것\n', encoding="utf-8")
    r = run(root, "-a", "mj")
    assert r.exit_code == 0, r.stderr
    assert git(root, "log", "-1", "--format=%s") == "2021-02-03 mj Day013: 오늘의 공부"
    config = root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("{date}", "{title.upper}"), encoding="utf-8")
    bad = run(root, "-a", "mj")
    assert bad.exit_code == 1
    assert "daylog setting `commit_message`: bad format" in bad.stderr
    assert "attribute and index access are not allowed" in bad.stderr


def test_status_says_what_to_type_next(repo: Path, tmp_path: Path) -> None:
    """`status` names the next command: commit (with --push when there is a remote) an entry git does not
    have yet, then keep writing with `daylog edit`."""

    def status() -> dict[str, object]:
        import json

        r = CliRunner().invoke(app, ["-w", str(repo), "status", "-a", "mj", "--json"], env=NOW)
        assert r.exit_code == 0, r.stderr
        return json.loads(r.stdout)  # type: ignore[no-any-return]

    assert status()["next"] == {"command": "daylog commit", "reason": "today's entry has changes not committed"}
    git(tmp_path, "init", "-q", "--bare", str(tmp_path / "remote.git"))
    git(repo, "remote", "add", "origin", str(tmp_path / "remote.git"))
    assert status()["next"]["command"] == "daylog commit --push"  # type: ignore[index]
    assert run(repo, "-a", "mj", "--push").exit_code == 0
    after = status()
    assert after["entry"] == {"path": ENTRY, "exists": True, "committed": True}
    assert after["next"] == {"command": "daylog edit", "reason": "today's entry is written and committed; add to it"}
    text = CliRunner().invoke(app, ["-w", str(repo), "status", "-a", "mj"], env=NOW).stdout
    assert f"entry      {ENTRY} (committed)\n" in text


def test_a_workspace_inside_a_larger_repository(make_ws: Callable[..., Path], tmp_path: Path) -> None:
    """The workspace is a folder of the repository: paths are the repository's, and only the entry is committed."""
    root = make_ws()
    git(tmp_path, "init", "-q", "-b", "main")
    (tmp_path / "other.txt").write_text("다른 파일\n", encoding="utf-8")
    r = CliRunner().invoke(app, ["-w", str(root), "new", "-a", "mj", "--no-edit"], env=NOW)
    assert r.exit_code == 0, r.stderr
    r = run(root, "-a", "mj")
    assert r.exit_code == 0, r.stderr
    assert git(tmp_path, "show", "--name-only", "--format=") == "ws/logs/mj/2021-02-03.md"


def test_an_ignored_image_is_left_out_and_named(repo: Path) -> None:
    """An image the team's .gitignore excludes is not committed, and the note says so; an ignored entry is refused."""
    (repo / ".gitignore").write_text("*.png\n", encoding="utf-8")
    (repo / "logs/mj/a.png").write_bytes(b"\x89PNG")
    entry = repo / ENTRY
    entry.write_text(entry.read_text(encoding="utf-8") + "\n![a](a.png)\n", encoding="utf-8")
    r = run(repo, "-a", "mj")
    assert r.exit_code == 0, r.stderr
    assert r.stderr == "daylog: left out (the repository's .gitignore excludes them): logs/mj/a.png\n"
    assert git(repo, "show", "--name-only", "--format=") == ENTRY
    (repo / ".gitignore").write_text("logs/mj/2021-02-04.md\n", encoding="utf-8")
    CliRunner().invoke(app, ["-w", str(repo), "new", "-a", "mj", "--date", "2021-02-04", "--no-edit"], env=NOW)
    ignored = run(repo, "2021-02-04", "-a", "mj")
    assert ignored.exit_code == 1
    assert ignored.stderr == (
        "daylog: error: logs/mj/2021-02-04.md is ignored by the repository's .gitignore; take it out of there first\n"
    )
