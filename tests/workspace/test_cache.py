"""The parse cache: used when nothing changed, never trusted when anything did."""

from __future__ import annotations

import marshal
import os
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

import daylog.entries.parse
from daylog.followups.service import list_followups
from daylog.workspace.files import Workspace

ENTRY = "## 더 정리할 것\n- [ ] {topic}: 메모\n"
TODAY = date(2021, 2, 10)


def age(path: Path, seconds: float = 60) -> None:
    """Make a file look older than the cache's 2-second safety window."""
    t = time.time() - seconds
    os.utime(path, (t, t))


@pytest.fixture
def ws(make_ws: Callable[..., Path]) -> Workspace:
    root = make_ws()
    for d, topic in [("2021-02-03", "캡슐넷"), ("2021-02-04", "이동 불변성")]:
        p = root / "logs" / "mj" / f"{d}.md"
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(ENTRY.format(topic=topic), encoding="utf-8")
        age(p)
    return Workspace.find(root)


def topics(ws: Workspace) -> list[str]:
    return [r.topic for r in list_followups(ws, TODAY)[0]]


def test_warm_run_does_not_parse(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """When no file changed, listings come from the cache without parsing anything."""
    assert topics(ws) == ["캡슐넷", "이동 불변성"]

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed although nothing changed")

    monkeypatch.setattr(daylog.entries.parse, "parse", boom)
    assert topics(ws) == ["캡슐넷", "이동 불변성"]


def test_edited_entry_is_read_again(ws: Workspace) -> None:
    """An edit (even one keeping the size) is seen on the next run."""
    topics(ws)
    p = ws.root / "logs" / "mj" / "2021-02-03.md"
    p.write_text(ENTRY.format(topic="캡슐망"), encoding="utf-8")  # same length in UTF-8
    age(p, 30)
    assert topics(ws) == ["캡슐망", "이동 불변성"]


def test_new_and_deleted_files_are_noticed(ws: Workspace) -> None:
    """Adding or removing an entry changes the listing at once."""
    topics(ws)
    (ws.root / "logs" / "mj" / "2021-02-04.md").unlink()
    extra = ws.root / "logs" / "sally" / "2021-02-05.md"
    extra.parent.mkdir()
    extra.write_text(ENTRY.format(topic="풀링"), encoding="utf-8")
    assert topics(ws) == ["캡슐넷", "풀링"]


@pytest.mark.parametrize("garbage", [b"", b"\x00\x01not marshal", marshal.dumps(("other-version", {}))])
def test_corrupt_or_foreign_cache_is_rebuilt(ws: Workspace, garbage: bytes) -> None:
    """A damaged or foreign cache file is ignored and replaced, never trusted."""
    topics(ws)
    cache = ws.cache_dir / "followups.marshal"
    cache.write_bytes(garbage)
    assert topics(ws) == ["캡슐넷", "이동 불변성"]
    assert cache.read_bytes() != garbage


def test_recent_files_are_not_cached(ws: Workspace) -> None:
    """A file modified in the last two seconds is re-read next time (coarse mtimes)."""
    fresh = ws.root / "logs" / "mj" / "2021-02-05.md"
    fresh.write_text(ENTRY.format(topic="방금 쓴 것"), encoding="utf-8")
    topics(ws)
    (_fingerprint, files) = marshal.loads((ws.cache_dir / "followups.marshal").read_bytes())
    assert "logs/mj/2021-02-05.md" not in files and "logs/mj/2021-02-03.md" in files
    assert (ws.cache_dir / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")


def test_changed_settings_invalidate_the_cache(ws: Workspace, make_ws: Callable[..., Path]) -> None:
    """Section spellings are part of the key: new aliases re-read every entry."""
    entry = ws.root / "logs" / "mj" / "2021-02-03.md"
    entry.write_text("## 나중에 볼 것\n- [ ] 새 별칭: x\n", "utf-8")
    age(entry, 10)
    assert topics(ws) == ["이동 불변성"]  # cached: that heading is not a follow-up section yet
    config = ws.root / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "      sections: {followups: [나중에 볼 것]}\n", "utf-8")
    age(config)
    fresh = Workspace.find(ws.root)  # only the settings changed, not the entry
    assert topics(fresh) == ["새 별칭", "이동 불변성"]


def test_parallel_parse_gives_the_same_rows(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """Parsing in forked workers (used for big cold runs) yields exactly the serial result."""
    import daylog.workspace.cache

    serial = topics(ws)
    for p in (ws.root / "logs").rglob("*.md"):
        age(p, 20)  # a different mtime: everything is parsed again
    monkeypatch.setattr(daylog.workspace.cache, "_PARALLEL_FROM", 1)
    assert topics(ws) == serial


def test_a_failing_worker_leaves_its_share_to_this_process(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A forked child that dies (or cannot be forked) costs time, never rows."""
    import daylog.workspace.cache

    serial = topics(ws)
    monkeypatch.setattr(daylog.workspace.cache, "_PARALLEL_FROM", 1)
    monkeypatch.setattr(os, "cpu_count", lambda: 3)
    parent = os.getpid()
    real = daylog.workspace.cache._parse_one

    def dies_in_children(*args: Any) -> Any:
        if os.getpid() != parent:
            raise KeyboardInterrupt  # not caught by _parse_one: the child exits 1 without sending
        return real(*args)

    monkeypatch.setattr(daylog.workspace.cache, "_parse_one", dies_in_children)
    for p in (ws.root / "logs").rglob("*.md"):
        age(p, 20)
    assert topics(ws) == serial

    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    for p in (ws.root / "logs").rglob("*.md"):
        age(p, 40)
    assert topics(ws) == serial


def test_an_edit_behind_an_old_mtime_is_read(ws: Workspace) -> None:
    """`touch -d`, `cp -p` or an editor can put the old mtime back on new text: ctime still moves."""
    assert topics(ws) == ["캡슐넷", "이동 불변성"]
    path = ws.root / "logs" / "mj" / "2021-02-03.md"
    before = path.stat()
    text = path.read_text(encoding="utf-8")
    assert "- [ ] 캡슐넷" in text
    path.write_text(text.replace("- [ ] 캡슐넷", "- [x] 캡슐넷"), encoding="utf-8")  # same size
    os.utime(path, ns=(before.st_atime_ns, before.st_mtime_ns))
    after = path.stat()
    assert (after.st_size, after.st_mtime_ns) == (before.st_size, before.st_mtime_ns)
    assert topics(ws) == ["이동 불변성"]


def test_the_stat_walk_sees_exactly_the_entry_files(make_ws: Callable[..., Path]) -> None:
    """The answer check walks folders by descriptor; it must find what `files()` lists, no more."""
    root = make_ws()
    logs = root / "logs"
    for rel in ["mj/2021-02-03.md", "mj/week1/2021-02-04.md", "mj/week1/deeper/2021-02-05.md", "sally/2021-02-03.md",
                "sally/notes.md", "mj/.hidden.md", "mj/.drafts/2021-02-06.md", ".trash/2021-02-03.md"]:  # fmt: skip
        (logs / rel).parent.mkdir(parents=True, exist_ok=True)
        (logs / rel).write_text("x\n", encoding="utf-8")
    (logs / "mj" / "picture.png").write_bytes(b"\x89PNG")
    (logs / "mj" / "folder.md").mkdir()  # a folder named like an entry
    (logs / "mj" / "loop").symlink_to(logs / "mj")  # a loop is not followed
    (logs / "sally" / "linked.md").symlink_to(logs / "mj" / "2021-02-03.md")  # a linked file is an entry
    (logs / "sally" / "dangling.md").symlink_to(logs / "nowhere.md")
    ws = Workspace.find(root)
    listed = sorted(f.rel for f in ws.files())
    assert sorted(rel for rel, _ in ws.entry_stats()) == [r for r in listed if not r.endswith("dangling.md")]
    assert "logs/mj/week1/deeper/2021-02-05.md" in listed and "logs/sally/linked.md" in listed
    assert not any("/." in r or r.startswith("logs/.") or "loop" in r or "folder.md" in r for r in listed)
    stats = dict(ws.entry_stats())
    assert stats["logs/sally/linked.md"].st_ino == (logs / "mj" / "2021-02-03.md").stat().st_ino  # followed
