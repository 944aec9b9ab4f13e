"""Keeping the index: incremental by `stat`, rebuilt when damaged or made by other code, never failing a search."""

from __future__ import annotations

import os
import sqlite3
import time
from collections.abc import Callable
from pathlib import Path

import pytest

import daylog.entries.parse
from daylog.search import index, service
from daylog.workspace.change import change_digest
from daylog.workspace.files import Workspace

ENTRIES = {
    "mj/2021-02-03.md": "## 피어세션 정리\n- `샐리`: 균등분포는 왜 쓰나요?\n\n## TIL\n- 경사하강법을 직접 구현\n",
    "mj/2021-02-04.md": "## TIL\n- 어텐션 (트랜스포머) 정리\n\n## 오늘의 한마디\n- 비밀일기 장난감\n",
    "sally/2021-02-04.md": "## TIL\n- Transformer 논문 읽기\n- 분산 정리\n",
}


def age(path: Path, seconds: float = 60) -> None:
    """Make a file look older than the two-second window within which an edit cannot be told apart."""
    t = time.time() - seconds
    os.utime(path, (t, t))


@pytest.fixture
def ws(make_ws: Callable[..., Path]) -> Workspace:
    root = make_ws(extra="      private_sections: [remark]\n")
    for rel, text in ENTRIES.items():
        p = root / "logs" / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
        age(p)
    return Workspace.find(root)


def paths(ws: Workspace, *words: str) -> list[str]:
    return [r.path for r in service.search(ws, words, limit=None).results]


def stamps(ws: Workspace) -> dict[str, tuple[int, int, int, int]]:
    """Each indexed file's row id and stamp, as the index file holds them."""
    conn = sqlite3.connect(service.index_path(ws))
    rows = conn.execute("SELECT rel, id, size, mtime_ns, ctime_ns FROM files").fetchall()
    conn.close()
    return {rel: (i, size, mtime, ctime) for rel, i, size, mtime, ctime in rows}


def test_first_search_builds_the_index_in_the_cache_folder(ws: Workspace) -> None:
    """The first search indexes every entry into .daylog/cache/search.sqlite, which git ignores."""
    found = service.search(ws, ["분포"])
    assert [r.path for r in found.results] == ["logs/mj/2021-02-03.md"]
    assert found.refresh.rebuilt and len(found.refresh.read) == 3 and found.refresh.kept
    assert service.index_path(ws).is_file()
    assert (ws.cache_dir / ".gitignore").is_file()


def test_unchanged_workspace_parses_nothing(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A warm search reads no entry: the stamps in the index match the scan."""
    paths(ws, "분포")

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although nothing changed")

    monkeypatch.setattr(daylog.entries.parse, "parse", boom)
    found = service.search(ws, ["분포"])
    assert found.refresh.read == () and not found.refresh.rebuilt
    assert [r.path for r in found.results] == ["logs/mj/2021-02-03.md"]


def test_editing_one_entry_reindexes_only_that_file(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """An edit (same size even) re-reads that one file; the other files' rows and stamps stay as they were."""
    paths(ws, "분포")
    before = stamps(ws)
    parsed: list[str] = []
    real = daylog.entries.parse.parse

    def counting(text: str, **kwargs: object) -> object:
        parsed.append(text)
        return real(text, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(daylog.entries.parse, "parse", counting)
    p = ws.root / "logs" / "sally" / "2021-02-04.md"
    p.write_text(p.read_text(encoding="utf-8").replace("분산", "분포"), encoding="utf-8")
    age(p, 30)
    found = service.search(ws, ["분포"])
    assert found.refresh.read == ("logs/sally/2021-02-04.md",) and len(parsed) == 1
    assert sorted(r.path for r in found.results) == ["logs/mj/2021-02-03.md", "logs/sally/2021-02-04.md"]
    after = stamps(ws)
    assert {k: v for k, v in after.items() if "sally" not in k} == {k: v for k, v in before.items() if "sally" not in k}
    assert after["logs/sally/2021-02-04.md"] != before["logs/sally/2021-02-04.md"]
    assert paths(ws, "분산") == []


def test_new_and_deleted_entries_are_noticed(ws: Workspace) -> None:
    """A new entry is found at once; a deleted one is dropped from the index."""
    paths(ws, "분포")
    (ws.root / "logs" / "mj" / "2021-02-03.md").unlink()
    new = ws.root / "logs" / "heath" / "2021-02-05.md"
    new.parent.mkdir()
    new.write_text("## TIL\n- 사전분포와 사후분포\n", encoding="utf-8")
    found = service.search(ws, ["분포"])
    assert [r.path for r in found.results] == ["logs/heath/2021-02-05.md"]
    assert found.refresh.removed == ("logs/mj/2021-02-03.md",)
    assert "logs/mj/2021-02-03.md" not in stamps(ws)


def test_a_file_written_just_now_is_read_again_next_time(ws: Workspace) -> None:
    """Within two seconds of its mtime a file's stamp cannot be trusted: it is indexed, and read again next run."""
    paths(ws, "분포")
    p = ws.root / "logs" / "mj" / "2021-02-04.md"
    p.write_text("## TIL\n- 베이즈 정리\n", encoding="utf-8")
    assert service.search(ws, ["베이즈"]).refresh.read == ("logs/mj/2021-02-04.md",)
    assert service.search(ws, ["베이즈"]).refresh.read == ("logs/mj/2021-02-04.md",)
    age(p)
    service.search(ws, ["베이즈"])
    assert service.search(ws, ["베이즈"]).refresh.read == ()


@pytest.mark.parametrize(
    "damage",
    [
        b"",
        b"garbage, not a database at all" * 100,
        "truncate",
        "foreign",
    ],
    ids=["empty", "garbage", "truncated", "someone-else's-tables"],
)
def test_damaged_index_is_rebuilt_and_the_search_still_works(ws: Workspace, damage: bytes | str) -> None:
    """An empty, garbage, truncated or foreign index file never fails the search: it is rebuilt in place."""
    paths(ws, "분포")
    path = service.index_path(ws)
    if damage == "truncate":
        data = path.read_bytes()
        path.write_bytes(data[: len(data) // 3])
    elif damage == "foreign":
        path.unlink()
        conn = sqlite3.connect(path)
        conn.execute("CREATE TABLE meta(x)")
        conn.execute("CREATE TABLE files(y)")
        conn.commit()
        conn.close()
    else:
        assert isinstance(damage, bytes)
        path.write_bytes(damage)
    found = service.search(ws, ["분포"])
    assert [r.path for r in found.results] == ["logs/mj/2021-02-03.md"]
    assert found.refresh.kept and found.notes == []
    assert set(stamps(ws)) == {f"logs/{rel}" for rel in ENTRIES}  # a real index again
    assert service.search(ws, ["분포"]).refresh.read == ()


def test_index_made_by_other_code_or_settings_is_rebuilt(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A change of daylog's code (its digest) or of the private sections rebuilds the index."""
    paths(ws, "분포")
    monkeypatch.setattr(service, "code_digest", lambda: "another daylog")
    found = service.search(ws, ["분포"])
    assert found.refresh.rebuilt and len(found.refresh.read) == 3
    assert not service.search(ws, ["분포"]).refresh.rebuilt


def test_locked_index_is_searched_from_a_copy_in_memory(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """While another process holds the index's write lock, the search builds a private copy and still answers."""
    paths(ws, "분포")
    (ws.root / "logs" / "sally" / "2021-02-04.md").write_text("## TIL\n- 균등분포 다시\n", encoding="utf-8")
    monkeypatch.setattr(index, "BUSY_SECONDS", 0.1)
    holder = sqlite3.connect(service.index_path(ws), isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        found = service.search(ws, ["분포"])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert sorted(r.path for r in found.results) == ["logs/mj/2021-02-03.md", "logs/sally/2021-02-04.md"]
    assert not found.refresh.kept and "locked" in found.notes[0]


def test_unwritable_cache_searches_from_a_copy_in_memory(ws: Workspace) -> None:
    """When .daylog/cache cannot hold the index (here: it is a file), the search still answers, and says why."""
    ws.cache_dir.parent.mkdir(parents=True, exist_ok=True)
    ws.cache_dir.write_text("not a folder", encoding="utf-8")
    found = service.search(ws, ["분포"])
    assert [r.path for r in found.results] == ["logs/mj/2021-02-03.md"]
    assert not found.refresh.kept and "cannot keep the search index" in found.notes[0]


def test_private_sections_are_never_indexed(ws: Workspace) -> None:
    """Lines of a private section (heading included) are not in the index file at all, so no query finds them."""
    assert paths(ws, "비밀일기") == [] and paths(ws, "한마디") == []
    assert service.search(ws, ["장난감"], sections=["remark"]).results == []
    data = service.index_path(ws).read_bytes()
    assert "비밀일기".encode() not in data and "한마디".encode() not in data
    assert "트랜스포머".encode() in data  # the public lines of the same entry are there


def test_unreadable_entries_are_reported_every_time(ws: Workspace) -> None:
    """An entry that is not UTF-8 is reported (with its line) on each search and costs no re-read while unchanged."""
    bad = ws.root / "logs" / "sally" / "2021-02-05.md"
    bad.write_bytes("## TIL\n- 분포\n".encode() + b"\xff\xfe\n")
    age(bad)
    first = service.search(ws, ["분포"])
    second = service.search(ws, ["분포"])
    for found in (first, second):
        assert [str(e) for e in found.errors] == [
            "logs/sally/2021-02-05.md:3: is not UTF-8 text (re-save the file as UTF-8)"
        ]
    assert second.refresh.read == ()


def kept_digest(ws: Workspace) -> str | None:
    conn = sqlite3.connect(service.index_path(ws))
    try:
        return index.meta(conn, "walk")
    finally:
        conn.close()


def test_a_warm_search_compares_one_digest_not_every_stamp(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Once the index matches every file, the next search checks the walk's digest alone (no scan); any edit, a
    new or a removed file changes the digest, and then only the changed file is read."""
    paths(ws, "분포")
    assert kept_digest(ws) == change_digest(ws)[0]

    def boom(*args: object) -> None:
        raise AssertionError("stamps read although the digest matched")

    with monkeypatch.context() as mp:
        mp.setattr(index, "stamps", boom)
        mp.setattr(Workspace, "scan", boom)
        assert service.search(ws, ["분포"]).refresh.read == ()
    p = ws.root / "logs" / "sally" / "2021-02-04.md"
    p.write_text(p.read_text(encoding="utf-8").replace("분산", "분포"), encoding="utf-8")  # same size
    age(p, 30)
    assert service.search(ws, ["분포"]).refresh.read == ("logs/sally/2021-02-04.md",)
    assert kept_digest(ws) == change_digest(ws)[0]
    (ws.root / "logs" / "mj" / "2021-02-04.md").unlink()
    assert service.search(ws, ["분포"]).refresh.removed == ("logs/mj/2021-02-04.md",)


def test_no_digest_is_kept_while_a_file_waits_to_be_read_again(ws: Workspace) -> None:
    """A file written within two seconds keeps the digest away, so the next search still reads it."""
    paths(ws, "분포")
    p = ws.root / "logs" / "mj" / "2021-02-04.md"
    p.write_text("## TIL\n- 베이즈 정리\n", encoding="utf-8")
    service.search(ws, ["베이즈"])
    assert kept_digest(ws) is None
    p.write_text("## TIL\n- 베이즈 정리와 분포\n", encoding="utf-8")  # within the same second: mtime may not change
    assert paths(ws, "분포", "베이즈") == ["logs/mj/2021-02-04.md"]
    age(p)
    service.search(ws, ["베이즈"])
    assert kept_digest(ws) == change_digest(ws)[0]


@pytest.mark.parametrize("window", [1, 2, 4096])
def test_the_best_lines_first_path_ranks_as_the_full_query(
    ws: Workspace, monkeypatch: pytest.MonkeyPatch, window: int
) -> None:
    """Without filters the best lines are scored before their text is read; the order, ties included, and the
    scores are those of ranking every matching line (also when ties run past the window: the full way)."""
    root = ws.root
    for n in range(40):  # many equal lines: ties across the cut
        p = root / "logs" / "heath" / f"2021-03-{n % 28 + 1:02d}.md"
        p.parent.mkdir(exist_ok=True)
        more = "- 분포 분포\n- 분포 정리\n"
        p.write_text(p.read_text(encoding="utf-8") + more if p.exists() else "- 분포\n", encoding="utf-8")
        age(p)
    paths(ws, "분포")
    conn = sqlite3.connect(service.index_path(ws))
    monkeypatch.setattr(index, "TOP_WINDOW", window)
    monkeypatch.setattr(index, "TOP_WINDOW_MAX", max(window, 4))
    real, used = index._top, []

    def top(*args: object) -> object:
        got = real(*args)  # type: ignore[arg-type]
        used.append(got is not None)
        return got

    monkeypatch.setattr(index, "_top", top)
    for words in (["분포"], ["정리"], ["분포", "정리"], ["transformer"], ["양자역학"]):
        terms = service.parse_query(words)
        for limit in (1, 3, 21, 1000):
            fast = index.query(conn, terms, index.Filters(), limit)
            with monkeypatch.context() as mp:
                mp.setattr(index, "_top", lambda *a: None)
                full = index.query(conn, terms, index.Filters(), limit)
            assert fast == full, (words, limit)
    conn.close()
    assert any(used) and (all(used) if window == 4096 else not all(used))  # both ways were taken


def test_refused_files_are_named_on_warm_searches_too(ws: Workspace, tmp_path: Path) -> None:
    """A link leading out of the workspace is refused unread; the warm path, which does not scan, still names it."""
    secret = tmp_path / "secret.md"
    secret.write_text("## TIL\n- 분포 비밀\n", encoding="utf-8")
    age(secret)
    (ws.root / "logs" / "mj" / "2021-02-09.md").symlink_to(secret)
    first = service.search(ws, ["분포"])
    second = service.search(ws, ["분포"])
    refused = [
        "logs/mj/2021-02-09.md: is a link leading outside the workspace "
        "(daylog reads only regular files inside the workspace)"
    ]
    for found in (first, second):
        assert [str(e) for e in found.errors] == refused
        assert all("비밀" not in r.text for r in found.results)
    assert kept_digest(ws) is not None  # the second search took the warm path
    secret.write_text("## TIL\n- 분포 비밀 둘\n", encoding="utf-8")  # the target changes: the digest does too
    age(secret, 30)
    assert [str(e) for e in service.search(ws, ["분포"]).errors] == refused


def test_a_new_size_limit_is_seen_by_a_warm_search(ws: Workspace) -> None:
    """`max_entry_size` decides which files the scan refuses: the walk digest alone does not tell."""
    assert paths(ws, "분포") == ["logs/mj/2021-02-03.md"]
    assert paths(ws, "분포") == ["logs/mj/2021-02-03.md"] and kept_digest(ws) is not None
    small = Workspace(ws.root, ws.settings._replace(max_entry_size=0.00001))  # about 10 bytes
    found = service.search(small, ["분포"])
    assert found.results == []
    assert len(found.errors) == 3 and all("`max_entry_size`" in str(e) for e in found.errors)


def test_a_moved_logs_folder_is_seen_by_a_warm_search(ws: Workspace) -> None:
    """`logs_dir` renamed with its folder: the same files under the same names below it, other paths."""
    assert paths(ws, "분포") == ["logs/mj/2021-02-03.md"]
    assert paths(ws, "분포") == ["logs/mj/2021-02-03.md"] and kept_digest(ws) is not None
    (ws.root / "logs").rename(ws.root / "journal")
    moved = Workspace(ws.root, ws.settings._replace(logs_dir="journal"))
    assert paths(moved, "분포") == ["journal/mj/2021-02-03.md"]
