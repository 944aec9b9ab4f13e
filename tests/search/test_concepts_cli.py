"""`daylog concepts`, `daylog concept new` and what `check` says about concepts, on little workspaces."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daylog.cli.app import app

ENTRY = """\
---
title: "x"
date: {day} 22:00:00 +0900
author: {who}
---

## TIL

{body}
"""


def write(root: Path, who: str, day: str, body: str) -> None:
    folder = root / "logs" / who
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{day}.md").write_text(ENTRY.format(who=who, day=day, body=body), encoding="utf-8")


def note(root: Path, name: str, text: str) -> None:
    (root / "concepts").mkdir(exist_ok=True)
    (root / "concepts" / name).write_text(text, encoding="utf-8")


@pytest.fixture
def ws(make_ws: Callable[..., Path]) -> Path:
    root = make_ws(extra="      private_sections: [remark]\n")
    write(root, "mj", "2021-01-19", "- [[ResNet|레즈넷]]은 shortcut을 더한다\n- 레즈넷은 깊다\n- `[[Code]]`")
    write(
        root,
        "sally",
        "2021-01-20",
        "- resnet으로 실험\n- [[Transformer]] 공부\n\n## 오늘의 한마디\n\n- ResNet 비밀 [[비밀개념]]",
    )
    write(root, "heath", "2021-01-25", "- ResNeXt는 다른 것\n- [[transformer]]와 [[C]]")
    note(root, "ResNet.md", "---\ntitle: ResNet\naliases: [레즈넷, residual network]\n---\n\n## 정의\n\n잔차 연결.\n")
    return root


def run(runner: CliRunner, root: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-w", str(root), *args])


def listed(runner: CliRunner, root: Path) -> dict[str, dict[str, object]]:
    result = run(runner, root, "concepts", "--json")
    assert result.exit_code == 0, result.output
    return {c["name"]: c for c in json.loads(result.stdout)}


def test_list_counts_mentions_wikilinks_and_members(runner: CliRunner, ws: Path) -> None:
    """Notes and wikilinked names are concepts; private sections and code never count; ResNeXt is not ResNet."""
    got = listed(runner, ws)
    assert sorted(got) == ["C", "ResNet", "Transformer"]
    assert got["ResNet"] == {
        "name": "ResNet",
        "note": "concepts/ResNet.md",
        "aliases": ["레즈넷", "residual network"],
        "mentions": 3,
        "wikilinks": 1,
        "members": ["mj", "sally"],
    }
    assert got["Transformer"]["note"] is None and got["Transformer"]["wikilinks"] == 2
    assert got["Transformer"]["members"] == ["heath", "sally"]
    assert got["C"]["mentions"] == 1  # only its wikilink: one letter is never found in plain text


def test_one_concept_by_alias_lists_each_line(runner: CliRunner, ws: Path) -> None:
    """`concepts 레즈넷` is ResNet: every mention with author, date, day, path, line and text."""
    result = run(runner, ws, "concepts", "레즈넷", "--json")
    assert result.exit_code == 0, result.output
    data = json.loads(result.stdout)
    assert data["name"] == "ResNet" and data["note"] == "concepts/ResNet.md"
    assert data["mentions"][0] == {
        "author": "mj",
        "date": "2021-01-19",
        "day": 2,
        "path": "logs/mj/2021-01-19.md",
        "line": 9,
        "text": "- [[ResNet|레즈넷]]은 shortcut을 더한다",
        "wikilink": True,
    }
    assert [(m["author"], m["line"], m["wikilink"]) for m in data["mentions"]] == [
        ("mj", 9, True), ("mj", 10, False), ("sally", 9, False),
    ]  # fmt: skip
    plain = run(runner, ws, "concepts", "resnet")
    assert plain.exit_code == 0 and "logs/mj/2021-01-19.md:10" in plain.stdout and "레즈넷은 깊다" in plain.stdout


def test_unknown_concept_is_one_line_and_status_1(runner: CliRunner, ws: Path) -> None:
    """A name that is no concept: an error naming it, with a close match."""
    result = run(runner, ws, "concepts", "ResNt")
    assert result.exit_code == 1
    assert result.stderr.strip() == "daylog: error: no concept named 'ResNt' (did you mean ResNet?)"
    assert "did you mean ResNet" in result.stderr


def test_concept_new_scaffolds_and_never_overwrites(runner: CliRunner, ws: Path) -> None:
    """`concept new` writes concepts/<slug>.md with title and aliases; again, or by an alias, it refuses."""
    result = run(runner, ws, "concept", "new", "Batch Norm", "--alias", "배치 정규화")
    assert result.exit_code == 0, result.output
    assert result.stdout.strip() == "concepts/batch-norm.md"
    text = (ws / "concepts" / "batch-norm.md").read_text(encoding="utf-8")
    assert text.startswith('---\ntitle: "Batch Norm"\naliases: ["배치 정규화"]\n---\n') and "## 정의" in text
    assert listed(runner, ws)["Batch Norm"]["aliases"] == ["배치 정규화"]
    for name in ("batch norm", "배치 정규화", "레즈넷"):
        again = run(runner, ws, "concept", "new", name)
        assert again.exit_code == 1 and "already has a note" in again.stderr
    assert (ws / "concepts" / "batch-norm.md").read_text(encoding="utf-8") == text


@pytest.mark.parametrize("name", ["../x", "a/b", "", "가" * 101])
def test_concept_new_refuses_names_that_are_no_names(runner: CliRunner, ws: Path, name: str) -> None:
    """A path or an empty or overlong name is a usage error; nothing is written."""
    before = sorted(p.name for p in (ws / "concepts").iterdir())
    result = run(runner, ws, "concept", "new", name)
    assert result.exit_code == 2 and result.stderr.startswith("daylog: error:")
    assert sorted(p.name for p in (ws / "concepts").iterdir()) == before


def test_no_concepts(runner: CliRunner, make_ws: Callable[..., Path]) -> None:
    """An empty workspace says how to start, and its JSON is an empty list."""
    root = make_ws()
    assert "no concepts yet" in run(runner, root, "concepts").stdout
    assert run(runner, root, "concepts", "--json").stdout.strip() == "[]"


def test_bad_notes_are_check_errors_and_listed_by_file_name(runner: CliRunner, ws: Path) -> None:
    """Invalid front matter is an error on its line; the note still counts under its file's name."""
    note(ws, "lstm.md", "---\ntitle: [LSTM\naliases: x: y\n---\n본문\n")
    note(ws, "gru.md", "---\ntitle: GRU\naliases: [../etc, ok]\n---\n")
    result = run(runner, ws, "check")
    assert result.exit_code == 1
    assert "concepts/lstm.md:3: error: invalid front matter" in result.stdout
    assert "concepts/gru.md:3: error: alias '../etc' names a path" in result.stdout
    got = listed(runner, ws)
    assert got["lstm"]["note"] == "concepts/lstm.md" and got["GRU"]["aliases"] == ["ok"]


def test_check_reports_malformed_wikilinks(runner: CliRunner, ws: Path) -> None:
    """`[[../x]]` is an error, an unclosed or nested one a warning, each on its line."""
    write(ws, "mj", "2021-01-21", "- [[../etc/passwd]]\n- [[열린 링크\n- [[a [[b]] c]]")
    result = run(runner, ws, "check")
    assert result.exit_code == 1
    out = result.stdout
    assert "logs/mj/2021-01-21.md:9: error: wikilink `[[../etc/passwd]]` names a path" in out
    assert "logs/mj/2021-01-21.md:10: warning: wikilink `[[열린 링크` has no closing `]]`" in out
    assert "logs/mj/2021-01-21.md:11: warning: wikilink `[[a [[b]]` holds a bracket" in out
    assert "../etc/passwd" not in json.dumps(listed(runner, ws))


def test_links_without_a_note_warn_only_when_the_setting_asks(runner: CliRunner, ws: Path) -> None:
    """`concepts_require_note: true` makes `[[Transformer]]` (no note) a warning; off by default."""
    assert "concept-no-note" not in run(runner, ws, "check", "--json").stdout
    config = ws / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8") + "      concepts_require_note: true\n", encoding="utf-8")
    result = run(runner, ws, "check", "--json")
    found = [f for f in json.loads(result.stdout) if f["code"] == "concept-no-note"]
    assert [(f["path"], f["line"]) for f in found] == [
        ("logs/heath/2021-01-25.md", 10), ("logs/heath/2021-01-25.md", 10), ("logs/sally/2021-01-20.md", 10),
    ]  # fmt: skip
    assert all(f["severity"] == "warning" for f in found)
    assert "daylog concept new Transformer" in found[-1]["message"]


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_note_linking_out_of_the_workspace_is_never_read(runner: CliRunner, ws: Path, tmp_path: Path) -> None:
    """`concepts/x.md -> /outside/secret.md` is refused by check and its text never listed."""
    secret = tmp_path / "secret.md"
    secret.write_text("---\ntitle: 비밀\naliases: [기밀]\n---\n", encoding="utf-8")
    (ws / "concepts" / "x.md").symlink_to(secret)
    assert "비밀" not in json.dumps(listed(runner, ws), ensure_ascii=False)
    result = run(runner, ws, "check")
    assert "concepts/x.md:1: error: is a link leading outside the workspace" in result.stdout


def test_warm_listing_reads_no_entry(runner: CliRunner, ws: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The second `concepts` comes from the parse cache: the parser is not called."""
    import daylog.entries.parse as parse_module

    listed(runner, ws)
    for f in (ws / "logs").rglob("*.md"):  # out of the racy window: the cache keeps them
        os.utime(f, (f.stat().st_atime - 10, f.stat().st_mtime - 10))
    listed(runner, ws)
    calls: list[object] = []
    monkeypatch.setattr(parse_module, "parse", lambda *a, **k: calls.append(a) or pytest.fail("parsed"))
    assert listed(runner, ws)["ResNet"]["mentions"] == 3
    assert calls == []


def test_clashing_notes_are_warnings(runner: CliRunner, ws: Path) -> None:
    """Two files for one concept, and one alias claimed by two notes, are named by check."""
    note(ws, "resnet.md", "---\ntitle: 레즈넷 두번째\n---\n")
    note(ws, "gru.md", "---\ntitle: GRU\naliases: [레즈넷]\n---\n")
    result = run(runner, ws, "check", "--json")
    found = {(f["path"], f["severity"], f["message"]) for f in json.loads(result.stdout) if f["code"] == "concept-note"}
    paths = {p for p, _, _ in found}
    assert paths == {"concepts/resnet.md", "concepts/gru.md"} or paths == {"concepts/ResNet.md", "concepts/gru.md"}
    assert any("second note for concept" in m for _, _, m in found)
    assert any("alias '레즈넷' is already a name of 'ResNet'" in m for _, _, m in found)
    assert listed(runner, ws)["GRU"]["aliases"] == ["레즈넷"]
    assert run(runner, ws, "concepts", "레즈넷", "--json").exit_code == 0


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_concept_new_never_writes_through_a_link_out(
    runner: CliRunner, make_ws: Callable[..., Path], tmp_path: Path
) -> None:
    """A `concepts/` that links outside the workspace is refused; nothing is written there."""
    root = make_ws()
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    (root / "concepts").symlink_to(outside)
    result = run(runner, root, "concept", "new", "ResNet")
    assert result.exit_code == 1 and "outside the workspace" in result.stderr
    assert list(outside.iterdir()) == []
