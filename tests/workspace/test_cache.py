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
    cache = ws.cache_dir / "followups" / "mj.marshal"
    cache.write_bytes(garbage)
    assert topics(ws) == ["캡슐넷", "이동 불변성"]
    assert cache.read_bytes() != garbage


def test_recent_files_are_not_cached(ws: Workspace) -> None:
    """A file modified in the last two seconds is re-read next time (coarse mtimes)."""
    fresh = ws.root / "logs" / "mj" / "2021-02-05.md"
    fresh.write_text(ENTRY.format(topic="방금 쓴 것"), encoding="utf-8")
    topics(ws)
    (_fingerprint, files) = marshal.loads((ws.cache_dir / "followups" / "mj.marshal").read_bytes())
    assert "logs/mj/2021-02-05.md" not in files and "logs/mj/2021-02-03.md" in files
    assert (ws.cache_dir / "followups" / ".gitignore").read_text(encoding="utf-8").strip().endswith("*")


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


def test_files_lists_exactly_the_entry_files(make_ws: Callable[..., Path]) -> None:
    """Markdown files under member folders, nested ones too; no dot files, folders or loops."""
    root = make_ws()
    logs = root / "logs"
    for rel in ["mj/2021-02-03.md", "mj/week1/2021-02-04.md", "mj/week1/deeper/2021-02-05.md", "sally/2021-02-03.md",
                "sally/notes.md", "mj/.hidden.md", "mj/.drafts/2021-02-06.md", ".trash/2021-02-03.md"]:  # fmt: skip
        (logs / rel).parent.mkdir(parents=True, exist_ok=True)
        (logs / rel).write_text("x\n", encoding="utf-8")
    (logs / "mj" / "picture.png").write_bytes(b"\x89PNG")
    (logs / "mj" / "folder.md").mkdir()  # a folder named like an entry
    (logs / "mj" / "loop").symlink_to(logs / "mj")  # a loop is not followed
    ws = Workspace.find(root)
    listed = sorted(f.rel for f in ws.files())
    assert listed == [
        "logs/mj/2021-02-03.md",
        "logs/mj/week1/2021-02-04.md",
        "logs/mj/week1/deeper/2021-02-05.md",
        "logs/sally/2021-02-03.md",
        "logs/sally/notes.md",
    ]


def test_a_crash_is_named_and_never_kept(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """A bug while reading an entry names the entry; once fixed, the entry lists again without being touched."""
    from daylog.followups import service

    real = service.followup_rows

    def crash(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "followup_rows", crash)
    records, errors = list_followups(ws, TODAY)
    assert records == []
    assert [str(e) for e in errors] == [
        f"logs/mj/{d}.md: daylog could not read this entry (RuntimeError: boom); please report it "
        "(DAYLOG_DEBUG=1 shows the traceback)"
        for d in ("2021-02-03", "2021-02-04")
    ]
    monkeypatch.setattr(service, "followup_rows", real)
    assert topics(ws) == ["캡슐넷", "이동 불변성"]


def test_debug_lets_a_crash_raise(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """DAYLOG_DEBUG=1: the traceback of a bug, not a one-line row."""
    from daylog.followups import service

    def crash(*args: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(service, "followup_rows", crash)
    monkeypatch.setenv("DAYLOG_DEBUG", "1")
    with pytest.raises(RuntimeError, match="boom"):
        list_followups(ws, TODAY)


def test_rows_made_by_other_code_are_not_reused(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """The cache key covers daylog's source, not just its version: an edited parser re-reads every entry."""
    import daylog.workspace.cache

    assert topics(ws) == ["캡슐넷", "이동 불변성"]
    parsed: list[str] = []
    real = daylog.entries.parse.parse

    def counting(text: str, **kwargs: Any) -> Any:
        parsed.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(daylog.entries.parse, "parse", counting)
    assert topics(ws) == ["캡슐넷", "이동 불변성"] and parsed == []
    monkeypatch.setattr(daylog.workspace.cache, "code_digest", lambda: "edited")
    assert topics(ws) == ["캡슐넷", "이동 불변성"] and len(parsed) == 2


def test_kept_values_that_do_not_decode_are_read_again(ws: Workspace) -> None:
    """A hand-edited cache whose rows are the wrong shape is never trusted: the entry is parsed again."""
    topics(ws)
    path = ws.cache_dir / "followups" / "mj.marshal"
    fingerprint, files = marshal.loads(path.read_bytes())
    files = {rel: (*kept[:4], (("only", "three", "fields"),), None) for rel, kept in files.items()}
    path.write_bytes(marshal.dumps((fingerprint, files)))
    assert topics(ws) == ["캡슐넷", "이동 불변성"]


def test_one_members_listing_reads_only_their_folder(ws: Workspace, monkeypatch: pytest.MonkeyPatch) -> None:
    """`--author` reads one member's entries; everyone else's kept rows stay kept for the next full listing."""
    other = ws.root / "logs" / "sally" / "2021-02-05.md"
    other.parent.mkdir()
    other.write_text(ENTRY.format(topic="풀링"), encoding="utf-8")
    age(other)
    assert topics(ws) == ["캡슐넷", "이동 불변성", "풀링"]
    (ws.root / "logs" / "mj" / "2021-02-04.md").write_text(ENTRY.format(topic="새 주제"), encoding="utf-8")
    assert [r.topic for r in list_followups(ws, TODAY, author="mj")[0]] == ["캡슐넷", "새 주제"]

    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("sally's entry was parsed again")

    monkeypatch.setattr(daylog.entries.parse, "parse", boom)
    assert [r.topic for r in list_followups(ws, TODAY, author="sally")[0]] == ["풀링"]
