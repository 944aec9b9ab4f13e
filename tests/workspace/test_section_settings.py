"""`private_sections` and `required_sections` name a section by its key or by its heading as written (#13)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from test_settings import settings_with
from typer.testing import CliRunner

from daylog.cli.app import app
from daylog.errors import DaylogError
from daylog.workspace.settings_reader import parse_settings


@pytest.mark.parametrize("written", ["오늘의 한마디", "remark", "  오늘의 한마디 ", "Reflection"])
def test_a_private_section_may_be_named_by_its_heading(written: str) -> None:
    s = parse_settings(settings_with(f'private_sections: ["{written}"]\nrequired_sections: [오늘 배운 것, til]'))
    assert s.private_sections == ("remark",)
    assert s.required_sections == ("til",)  # one key, however many ways it was named


def test_an_unknown_heading_is_still_an_error_naming_the_setting() -> None:
    with pytest.raises(DaylogError, match="unknown section `내 일기`"):
        parse_settings(settings_with("private_sections: [내 일기]"))


def test_a_private_section_named_by_heading_stays_out_of_the_export(
    runner: CliRunner, make_ws: Callable[..., Path], tmp_path: Path
) -> None:
    ws = make_ws(extra="      private_sections: [오늘의 한마디]\n")
    (ws / "logs" / "mj").mkdir()
    entry = '---\ntitle: "하루"\nauthor: mj\n---\n\n## TIL\n\n- 배운 것\n\n## 오늘의 한마디\n\n- 아무도 모르는 한마디\n'
    (ws / "logs" / "mj" / "2021-02-03.md").write_text(entry, encoding="utf-8")
    r = runner.invoke(app, ["-w", str(ws), "export", "jekyll", str(tmp_path / "blog")])
    assert r.exit_code == 0, r.output
    [post] = (tmp_path / "blog" / "_posts").iterdir()
    text = post.read_text(encoding="utf-8")
    assert "배운 것" in text and "아무도 모르는" not in text
