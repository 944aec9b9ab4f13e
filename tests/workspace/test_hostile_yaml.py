"""YAML bombs, deep nesting and control characters in mkdocs.yml and front matter (#12), end to end.

Before #12 the 397-byte alias bomb in settings hung every command or printed a 312 MB message,
in front matter it took `check` to 3 GB and a MemoryError; 20,000 nested lists made every
command exit 70 with a RecursionError; a NUL byte was a ReaderError without a line.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from daylog.cli.app import app
from daylog.errors import DaylogError
from daylog.workspace.settings_reader import parse_settings

LAUGHS = [
    'a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]',
    *(f"{x}: &{x} [{','.join([f'*{p}'] * 9)}]" for p, x in zip("abcdefg", "bcdefgh", strict=True)),
]
BLOCK = (
    "plugins:\n  - daylog:\n      start_date: 2021-01-18\n      members: [{{id: mj, name: 엠제이}}]\n      course: {}\n"
)
DEEP = "[" * 20_000 + "]" * 20_000

SETTINGS = {
    "alias bomb": ("bombs:\n" + "".join(f"  {line}\n" for line in LAUGHS) + BLOCK.format("*h"), 6, "aliases expand"),
    "20,000 nested lists": (BLOCK.format(DEEP), 5, "nesting depth"),
    "51 nested lists": (BLOCK.format("[" * 51 + "]" * 51), 5, "nested more than 50 deep"),
    "NUL byte": (BLOCK.format("c\x00d"), 5, "control character U+0000"),
    "alias holding itself": (BLOCK.format("c") + "      holidays: &x [*x]\n", 6, "contains it"),
}
ENTRY = "---\n{}\n---\n\n## TIL\n- 본문\n"
FRONT_MATTER = {
    "alias bomb": "\n".join([*LAUGHS, "tags: [*h,*h,*h,*h,*h,*h,*h,*h,*h]"]),
    "20,000 nested lists": f"tags: {DEEP}",
    "NUL byte": "title: a\x00b",
}
NOW = {"DAYLOG_NOW": "2021-02-08T22:00:00+09:00"}


@pytest.mark.parametrize("case", SETTINGS)
def test_hostile_settings_are_one_short_error_naming_file_and_line(case: str) -> None:
    """Each is a DaylogError on its line of mkdocs.yml, a line of text, at once."""
    text, line, words = SETTINGS[case]
    t0 = time.perf_counter()
    with pytest.raises(DaylogError) as caught:
        parse_settings(text, source="mkdocs.yml")
    assert time.perf_counter() - t0 < 1
    err = caught.value
    assert (err.path, err.line) == ("mkdocs.yml", line)
    assert words in err.message and "\n" not in err.message and len(err.message) < 200


@pytest.fixture
def bombed_settings(make_ws: Callable[..., Path]) -> Path:
    root = make_ws()
    config = root / "mkdocs.yml"
    bombs = "bombs:\n" + "".join(f"  {line}\n" for line in LAUGHS)  # anchors before the aliases
    config.write_text(bombs + config.read_text(encoding="utf-8").replace("course: 부스트캠프 AI Tech", "course: *h"),
                      encoding="utf-8")  # fmt: skip
    return root


COMMANDS = [["check"], ["followups", "--json"], ["streak"], ["status", "--author", "mj"]]


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_refuses_a_settings_bomb_in_one_line(
    runner: CliRunner, bombed_settings: Path, command: list[str]
) -> None:
    """Exit 1 and `daylog: error: mkdocs.yml:<line>: …` on stderr, nothing else; no hang, no traceback."""
    t0 = time.perf_counter()
    r = runner.invoke(app, ["-w", str(bombed_settings), *command], env=NOW)
    assert time.perf_counter() - t0 < 5
    assert r.exit_code == 1, r.output
    [line] = r.stderr.splitlines()
    assert line.startswith("daylog: error: ") and "mkdocs.yml:" in line and "aliases expand to more than" in line


def test_check_names_each_hostile_front_matter_and_lists_the_rest(
    runner: CliRunner, make_ws: Callable[..., Path]
) -> None:
    """Each entry gets one front-matter error on its line; listings still list the other entries."""
    root = make_ws()
    folder = root / "logs" / "mj"
    folder.mkdir()
    for day, block in zip((1, 2, 3), FRONT_MATTER.values(), strict=True):
        (folder / f"2021-02-0{day}.md").write_text(ENTRY.format(block), encoding="utf-8")
    (folder / "2021-02-04.md").write_text("## 더 정리할 것\n\n- [ ] 남은 주제\n", encoding="utf-8")
    r = runner.invoke(app, ["-w", str(root), "check"], env=NOW)
    assert r.exit_code == 1 and "Traceback" not in r.output
    errors = [ln for ln in r.stdout.splitlines() if ": error: " in ln]
    assert [e.split(":")[0] for e in errors] == [f"logs/mj/2021-02-0{d}.md" for d in (1, 2, 3)]
    assert "aliases expand" in errors[0] and "nesting depth" in errors[1] and "U+0000" in errors[2]
    assert all(len(e) < 200 for e in errors)
    r = runner.invoke(app, ["-w", str(root), "followups", "--json"], env=NOW)
    assert r.exit_code == 0 and "남은 주제" in r.stdout


def test_the_site_export_reads_plugins_with_the_bounded_loader(bombed_settings: Path) -> None:
    """`site/export` loads mkdocs.yml with the settings loader: a bomb there is refused too, at once."""
    from daylog.site.export import configured_plugins

    t0 = time.perf_counter()
    assert configured_plugins(bombed_settings / "mkdocs.yml") == set()
    assert time.perf_counter() - t0 < 1
