"""Concepts on the built site: a page per concept, the index, wikilinks as links, backlinks, escaping."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

pytest.importorskip("mkdocs")
pytest.importorskip("material")

from mkdocs.commands.build import build
from mkdocs.config import load_config

from daylog.cli.app import app

ENTRY = """\
---
title: "{day}"
date: {day} 22:00:00 +0900
author: {who}
---

## TIL

{body}

## 오늘의 한마디

- 레즈넷 비밀 메모
"""
PAYLOAD = "<img src=x onerror=alert(1)>"


def write(root: Path, who: str, day: str, body: str) -> None:
    folder = root / "logs" / who
    folder.mkdir(parents=True, exist_ok=True)
    (folder / f"{day}.md").write_text(ENTRY.format(who=who, day=day, body=body), encoding="utf-8")


@pytest.fixture
def site(make_ws: Callable[..., Path], monkeypatch: pytest.MonkeyPatch) -> Path:
    root = make_ws(extra="      private_sections: [remark]\n")
    write(root, "mj", "2021-01-19", f"- [[ResNet|레즈넷]]은 shortcut을 더한다\n- [[{PAYLOAD}]] 실험")
    write(root, "sally", "2021-01-26", "- 레즈넷은 깊어도 학습된다\n- `[[ResNet]]` 은 코드")
    (root / "concepts").mkdir()
    (root / "docs").mkdir()
    (root / "concepts" / "resnet.md").write_text(
        "---\ntitle: ResNet\naliases: [레즈넷]\n---\n\n## 정의\n\n입력을 출력에 **더하는** 블록. [[역전파]] 참고.\n",
        encoding="utf-8",
    )
    monkeypatch.setenv("DAYLOG_NOW", "2021-01-29T22:00:00+09:00")
    monkeypatch.setenv("DAYLOG_SEARCH_KO", "0")
    cfg = load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site"))
    build(cfg)
    return root / "site"


def page(site: Path, url: str) -> str:
    return (site / url / "index.html").read_text(encoding="utf-8")


def test_concept_page_has_the_note_then_mentions_by_week(site: Path) -> None:
    """The note's Markdown, then each mention's line linking its entry, under its course week."""
    html = page(site, "concepts/resnet")
    html = html[html.index("<h1") :]  # the article, not the table of contents
    assert "<strong>더하는</strong>" in html
    assert html.index("정의") < html.index("언급 (2)") < html.index("1주차") < html.index("2주차")
    assert 'href="../../mj/2021-01-19/"' in html and 'href="../../sally/2021-01-26/"' in html
    assert "레즈넷은 깊어도 학습된다" in html
    assert 'href="../%EC%97%AD%EC%A0%84%ED%8C%8C/"' in html or 'href="../역전파/"' in html  # the note's own wikilink
    assert "비밀 메모" not in html  # a private section is never a mention


def test_index_lists_concepts_and_names_are_escaped(site: Path) -> None:
    """The index links every concept; a name that is HTML is shown as text on every page."""
    html = page(site, "concepts")
    assert 'href="resnet/"' in html and "역전파" in html
    for path in site.rglob("*.html"):
        assert "<img src=x" not in path.read_text(encoding="utf-8"), path
    assert "&lt;img src=x onerror=alert(1)&gt;" in html or "&#60;img src=x onerror=alert(1)" in html


def test_entry_page_links_wikilinks_and_lists_backlinks(site: Path) -> None:
    """`[[ResNet|레즈넷]]` is a link to the concept; the 개념 block links the other entry mentioning it."""
    html = page(site, "mj/2021-01-19")
    assert '<a href="../../concepts/resnet/">레즈넷</a>은 shortcut' in html
    block = html[html.index('id="daylog-concepts"') :]
    assert 'href="../../concepts/resnet/"' in block and 'href="../../sally/2021-01-26/"' in block
    other = page(site, "sally/2021-01-26")
    assert "<code>[[ResNet]]</code>" in other  # code stays code
    assert 'href="../../mj/2021-01-19/"' in other[other.index('id="daylog-concepts"') :]
    assert "../x" not in html


def test_export_writes_the_concept_pages(runner: CliRunner, make_ws: Callable[..., Path], tmp_path: Path) -> None:
    """`daylog site export` (no plugin) writes the same concept pages as Markdown."""
    root = make_ws()
    write(root, "mj", "2021-01-19", "- [[ResNet]] 공부")
    result = runner.invoke(app, ["-w", str(root), "site", "export", str(tmp_path / "out")])
    assert result.exit_code == 0, result.output
    index = (tmp_path / "out" / "concepts" / "index.md").read_text(encoding="utf-8")
    assert "[ResNet](resnet.md)" in index
    entry = (tmp_path / "out" / "mj" / "2021-01-19.md").read_text(encoding="utf-8")
    assert "[ResNet](../concepts/resnet.md) 공부" in entry
    assert (root / "logs" / "mj" / "2021-01-19.md").read_text(encoding="utf-8").count("[[ResNet]]") == 1


def test_the_sample_workspace_publishes_its_concepts(runner: CliRunner, tmp_path: Path) -> None:
    """The repo's sample: notes with Korean aliases, wikilinks in entries, a page per concept, backlinks."""
    import shutil

    from conftest import REPO

    root = tmp_path / "sample"
    root.mkdir()
    for name in ("mkdocs.yml", "templates", "logs", "concepts", "docs"):
        src = REPO / name
        (shutil.copytree if src.is_dir() else shutil.copy)(src, root / name)
    out = tmp_path / "out"
    result = runner.invoke(
        app, ["-w", str(root), "site", "export", str(out)], env={"DAYLOG_NOW": "2026-11-20T22:00:00+09:00"}
    )
    assert result.exit_code == 0, result.output
    resnet = (out / "concepts" / "resnet.md").read_text(encoding="utf-8")
    assert "다른 이름: 레즈넷" in resnet and "## 정의" in resnet and "### [3주차](../weeks/3.md)" in resnet
    assert "[역전파](backpropagation.md)" in resnet  # the note's own wikilink
    index = (out / "concepts" / "index.md").read_text(encoding="utf-8")
    for name in ("Attention", "LSTM", "ResNet", "역전파", "Transformer"):
        assert f"[{name}](" in index
    entry = (out / "seohyun" / "2026-11-16.md").read_text(encoding="utf-8")
    assert "[레즈넷](../concepts/resnet.md) 논문의" in entry
    assert "## 개념 { #daylog-concepts }" in entry and "[민지 11/16 (월)](../minji/2026-11-16.md)" in entry
