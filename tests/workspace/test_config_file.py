"""Settings kept between runs: the same value as reading mkdocs.yml, never stale, never trusted blindly."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

import daylog.workspace.config_file
import daylog.workspace.settings_reader
from daylog.errors import DaylogError
from daylog.workspace.code_version import source_digest
from daylog.workspace.config_file import CACHE_NAME, load_settings
from daylog.workspace.settings_reader import parse_settings

CONFIG = """\
site_name: 팀
plugins:
  - daylog:
      course: 부스트캠프
      start_date: 2021-01-18
      end_date: 2021-06-30
      holidays: [2021-02-11..2021-02-13, {from: 2021-03-01, to: 2021-03-01, name: 삼일절}]
      members:
        - {id: mj, name: 엠제이, github: mj-gh, emails: [mj@example.com], aliases: [MJ]}
        - {id: sally, name: 샐리}
      sections:
        til: [오늘 배운 것 정리]
      private_sections: [reflection]
      fetch_timeout: 12.5
      issue_repo: team/course
"""


def old(path: Path, seconds: float = 60) -> None:
    """Make a file look older than the cache's 2-second window for files still being written."""
    t = time.time() - seconds
    os.utime(path, (t, t))


@pytest.fixture
def config(tmp_path: Path) -> Path:
    path = tmp_path / "mkdocs.yml"
    path.write_text(CONFIG, encoding="utf-8")
    old(path)
    return path


def no_yaml(monkeypatch: pytest.MonkeyPatch) -> None:
    def boom(*args: object, **kwargs: object) -> None:
        raise AssertionError("read mkdocs.yml although it did not change")

    monkeypatch.setattr(daylog.workspace.settings_reader, "parse_settings", boom)


def test_kept_settings_equal_the_read_ones(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Every kind of key (dates, holiday ranges, members, sections, numbers) comes back equal, unparsed."""
    cache = config.parent / ".daylog" / "cache"
    first = load_settings(config, cache)
    assert first == parse_settings(CONFIG, source=str(config))
    assert (cache / CACHE_NAME).is_file()
    no_yaml(monkeypatch)
    again = load_settings(config, cache)
    assert again == first
    assert again.holidays == frozenset({date(2021, 2, 11), date(2021, 2, 12), date(2021, 2, 13), date(2021, 3, 1)})
    assert again.members[0].aliases == ("MJ",) and again.fetch_timeout == 12.5


def test_an_edit_is_seen_even_with_the_old_size_and_mtime(config: Path) -> None:
    cache = config.parent / ".daylog" / "cache"
    load_settings(config, cache)
    st = os.stat(config)
    config.write_text(CONFIG.replace("부스트캠프", "부스트코스"), encoding="utf-8")  # same size in UTF-8
    os.utime(config, ns=(st.st_atime_ns, st.st_mtime_ns))  # only the ctime tells
    assert load_settings(config, cache).course == "부스트코스"


def test_a_file_written_just_now_is_not_kept(tmp_path: Path) -> None:
    """Its mtime cannot yet tell a second edit within the same tick apart."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(CONFIG, encoding="utf-8")
    load_settings(config, tmp_path / "cache")
    assert not (tmp_path / "cache" / CACHE_NAME).exists()


@pytest.mark.parametrize("tag", ["!ENV", "!%45NV", "!<!%45NV>", "!e!NV"])
def test_env_tags_are_never_kept(config: Path, monkeypatch: pytest.MonkeyPatch, tag: str) -> None:
    """`!ENV` makes the value depend on the environment, not on the file; YAML resolves `%45`
    escapes and `%TAG` handles, so the text need not hold `!ENV` for the tag to be it."""
    text = CONFIG.replace("course: 부스트캠프", f"course: {tag} [COURSE, 기본]")
    config.write_text(("%TAG !e! !E\n---\n" if tag == "!e!NV" else "") + text, encoding="utf-8")
    old(config)
    cache = config.parent / "cache"
    monkeypatch.setenv("COURSE", "첫째")
    assert load_settings(config, cache).course == "첫째"
    monkeypatch.setenv("COURSE", "둘째")
    assert load_settings(config, cache).course == "둘째"
    assert not (cache / CACHE_NAME).exists()


def test_damaged_or_foreign_kept_settings_are_read_again(config: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    cache = config.parent / "cache"
    load_settings(config, cache)
    key, plain = marshal.loads((cache / CACHE_NAME).read_bytes())
    (cache / CACHE_NAME).write_bytes(marshal.dumps((key, {**plain, "start_date": "not an ordinal"})))
    assert load_settings(config, cache).start_date == date(2021, 1, 18)
    (cache / CACHE_NAME).write_bytes(b"\x00garbage")
    assert load_settings(config, cache).course == "부스트캠프"
    load_settings(config, cache)
    monkeypatch.setattr(daylog.workspace.config_file, "code_digest", lambda: "another daylog")
    calls: list[str] = []
    real = daylog.workspace.settings_reader.parse_settings

    def counting(text: str, **kwargs: str) -> object:
        calls.append(text)
        return real(text, **kwargs)

    monkeypatch.setattr(daylog.workspace.settings_reader, "parse_settings", counting)
    assert load_settings(config, cache).course == "부스트캠프" and len(calls) == 1


def test_invalid_settings_are_an_error_every_time(config: Path) -> None:
    cache = config.parent / "cache"
    config.write_text(CONFIG.replace("start_date: 2021-01-18", "start_date: 2021-02-30"), encoding="utf-8")
    old(config)
    for _ in range(2):
        with pytest.raises(DaylogError, match="start_date"):
            load_settings(config, cache)
    assert not (cache / CACHE_NAME).exists()


def test_source_digest_follows_python_files(tmp_path: Path) -> None:
    (tmp_path / "pkg").mkdir()
    code = tmp_path / "pkg" / "parse.py"
    code.write_text("X = 1\n", encoding="utf-8")
    before = source_digest(str(tmp_path))
    (tmp_path / "pkg" / "notes.txt").write_text("not code", encoding="utf-8")
    assert source_digest(str(tmp_path)) == before
    code.write_text("X = 2\n", encoding="utf-8")
    assert source_digest(str(tmp_path)) != before


def test_a_warm_listing_does_not_import_yaml(make_ws: object) -> None:
    """The point of keeping settings: a warm `followups --json` never loads PyYAML."""
    root = make_ws()  # type: ignore[operator]
    old(root / "mkdocs.yml")
    probe = (
        "import sys\n"
        "from daylog.cli.app import main\n"
        "sys.argv = ['daylog', 'followups', '--json']\n"
        "try:\n    main()\nfinally:\n    sys.stderr.write(f'[yaml imported: {\"yaml\" in sys.modules}]')\n"
    )
    env = {**os.environ, "DAYLOG_NOW": "2021-02-10T22:00:00+09:00"}
    cold = subprocess.run([sys.executable, "-c", probe], check=False, cwd=root, env=env, capture_output=True, text=True)
    warm = subprocess.run([sys.executable, "-c", probe], check=False, cwd=root, env=env, capture_output=True, text=True)
    assert cold.returncode == 0 and cold.stderr.endswith("[yaml imported: True]"), cold.stderr
    assert warm.returncode == 0 and warm.stderr.endswith("[yaml imported: False]"), warm.stderr
