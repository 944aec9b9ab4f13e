"""Members by any name (#15): `--author` takes the id, display name, an alias or the GitHub login."""

from __future__ import annotations

import json
import unicodedata
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daylog.cli.app import app

EXTRA = """\
        - id: jiwoo
          name: 지우
          github: JiwooKim
          aliases: [Jiwoo, 김지우]
        - id: jiwon
          name: 지원
          aliases: [ji]
        - id: ji2
          name: 지이
          aliases: [ji]
"""


@pytest.fixture
def ws(make_ws: Callable[..., Path]) -> Path:
    root = make_ws()
    config = root / "mkdocs.yml"
    text = config.read_text(encoding="utf-8")
    heath = "        - id: heath\n          name: 히스\n"
    config.write_text(text.replace(heath, heath + EXTRA), encoding="utf-8")
    return root


def run(runner: CliRunner, ws: Path, *args: str):  # type: ignore[no-untyped-def]
    return runner.invoke(app, ["-w", str(ws), *args], env={"DAYLOG_NOW": "2021-02-03T21:00:00+09:00"})


NAMES = ["jiwoo", "지우", "JIWOO", "jiwookim", "김지우", unicodedata.normalize("NFD", "김지우")]


@pytest.mark.parametrize("name", NAMES)
def test_author_by_any_of_its_names(runner: CliRunner, ws: Path, name: str) -> None:
    r = run(runner, ws, "new", "--author", name, "--print")
    assert r.exit_code == 0, r.stderr
    assert "author: jiwoo" in r.stdout


def test_an_ambiguous_name_lists_the_candidates(runner: CliRunner, ws: Path) -> None:
    r = run(runner, ws, "new", "--author", "JI", "--print")
    assert r.exit_code == 2
    assert r.stderr == "daylog: error: --author 'JI' could be jiwon (지원), ji2 (지이); pass the member id\n"


def test_an_unknown_name_says_did_you_mean(runner: CliRunner, ws: Path) -> None:
    r = run(runner, ws, "new", "--author", "jiwooo", "--print")
    assert r.exit_code == 2
    assert "--author 'jiwooo' is not a member; did you mean jiwoo? members: mj, sally, heath, jiwoo" in r.stderr


def test_listings_filter_by_display_name(runner: CliRunner, ws: Path) -> None:
    (ws / "logs" / "jiwoo").mkdir()
    entry = "---\ntitle: t\nauthor: jiwoo\n---\n\n### 더 정리할 것\n\n- [ ] 지우의 주제\n"
    (ws / "logs" / "jiwoo" / "2021-02-03.md").write_text(entry, encoding="utf-8")
    r = run(runner, ws, "followups", "--author", "김지우", "--json")
    assert r.exit_code == 0, r.stderr
    assert [x["topic"] for x in json.loads(r.stdout)] == ["지우의 주제"]
    r = run(runner, ws, "questions", "--author", "지우", "--json")
    assert r.exit_code == 0 and json.loads(r.stdout) == []


def test_asker_by_any_name(runner: CliRunner, ws: Path) -> None:
    """`--asker` takes the GitHub login or an alias in any case and Unicode form, like `--author`;
    an ambiguous name lists the candidates; a name no member has is taken as written."""
    (ws / "logs/mj").mkdir(parents=True, exist_ok=True)
    (ws / "logs/mj/2021-02-03.md").write_text(
        "## 피어세션 정리\n\n- `지우`: 질문 하나\n  - `엠제이`: 답\n- `손님`: 질문 둘\n", encoding="utf-8"
    )
    for name in ("JIWOOKIM", unicodedata.normalize("NFD", "김지우"), "jiwoo"):
        r = run(runner, ws, "questions", "--asker", name, "--json")
        assert r.exit_code == 0, r.stderr
        assert [q["text"] for q in json.loads(r.stdout)] == ["질문 하나"], name
    ambiguous = run(runner, ws, "questions", "--asker", "ji")
    assert ambiguous.exit_code == 2
    assert ambiguous.stderr == "daylog: error: --asker 'ji' could be jiwon (지원), ji2 (지이); pass the member id\n"
    guest = run(runner, ws, "questions", "--asker", "손님", "--json")
    assert [q["askers"] for q in json.loads(guest.stdout)] == [["손님"]]
    typo = run(runner, ws, "questions", "--asker", "jiwooo", "--json")
    assert json.loads(typo.stdout) == []
    assert typo.stderr.startswith("daylog: no questions asked by 'jiwooo', which is not a member; did you mean jiwoo? ")
