"""An entry mid-merge on the site (#13): left out with a WARNING, like every listing leaves it out."""

from __future__ import annotations

import logging
from collections.abc import Callable
from pathlib import Path

import pytest
from mkdocs.commands.build import build
from mkdocs.config import load_config

ENTRY = """\
---
title: "[부스트캠프 AI Tech / Day{day}] 오늘"
author: mj
---

## 피어세션 정리

- `샐리`: {question}
  - `엠제이`: 답

## TIL

- 배운 것
"""


def test_an_entry_mid_merge_is_not_published_and_is_named(
    make_ws: Callable[..., Path], tmp_path: Path, caplog: pytest.LogCaptureFixture, monkeypatch: pytest.MonkeyPatch
) -> None:
    ws = make_ws()
    (ws / "docs").mkdir()
    (ws / "docs" / "index.md").write_text("# 팀\n", encoding="utf-8")
    folder = ws / "logs" / "mj"
    folder.mkdir()
    (folder / "2021-02-03.md").write_text(ENTRY.format(day=13, question="깨끗한 질문?"), encoding="utf-8")
    sides = "<<<<<<< HEAD\n- `히스`: 한쪽 질문?\n=======\n- `히스`: 다른 쪽?\n>>>>>>> b"
    mid_merge = ENTRY.format(day=14, question=sides)
    (folder / "2021-02-04.md").write_text(mid_merge, encoding="utf-8")
    monkeypatch.setenv("DAYLOG_NOW", "2021-02-05T22:00:00+09:00")
    monkeypatch.setenv("DAYLOG_SEARCH_KO", "0")
    site = tmp_path / "site"
    with caplog.at_level(logging.WARNING):
        build(load_config(str(ws / "mkdocs.yml"), site_dir=str(site)))
    built = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*") if p.suffix in (".html", ".json"))
    assert "깨끗한 질문" in built
    assert "한쪽 질문" not in built and "다른 쪽" not in built
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert any("logs/mj/2021-02-04.md:" in m and "unresolved merge-conflict marker" in m for m in warned), warned
    assert sum("2021-02-04.md" in m for m in warned) == 1  # named once, not once per view
