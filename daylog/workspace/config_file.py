"""Loading the team's mkdocs.yml: the cheap test for a daylog block, and settings kept between runs.

Reading the block means importing PyYAML and validating every key, about 20 ms of a warm
listing that spends about 100 ms on everything else (3,000 entries, #18: warm listings at
most 2× `daylog --version`; figures in benchmarks/README.md). So the validated settings are
kept in `.daylog/cache/settings.marshal`, keyed on the file's path and `stat` stamp and on
daylog's code, converted to plain values by each key's `Kind` (the schema in `settings`,
declared nowhere else). A file that may use `!ENV` is never kept: its value depends on the
environment, not the file (`_MAY_USE_ENV`: YAML also spells the tag `!%45NV` or through a
`%TAG` handle). A kept value that does not decode is read again from the file.
"""

from __future__ import annotations

import marshal
import os
import re
import time
from datetime import date
from pathlib import Path
from typing import Any

from daylog.errors import DaylogError
from daylog.workspace.code_version import code_digest
from daylog.workspace.reads import read_entry_bytes, read_kept, read_text
from daylog.workspace.settings import KEYS, Kind, Member, Settings

MAX_CONFIG_BYTES = 1024 * 1024
"""The most of mkdocs.yml daylog reads: a team's is a few kilobytes."""
CACHE_NAME = "settings.marshal"
_FORMAT = 1
_RACY_NS = 2_000_000_000
_DAYLOG_KEY = re.compile(r"^[ \t]*+(?:-[ \t]*+)?daylog[ \t]*+:", re.MULTILINE)
"""`- daylog:` on a line (`[ \\t]`: `^\\s*` would read a run of blank lines again from each of them)."""
_MAY_USE_ENV = re.compile(r"!ENV|%TAG|%[0-9A-Fa-f]{2}")
"""`!ENV`, or a `%TAG` directive or `%XX` escape that may spell it (a `%20` in a URL too: then not kept)."""


def has_daylog_block(path: Path) -> bool:
    """Cheap test used while searching for the workspace root."""
    try:
        text = read_entry_bytes(path, limit=MAX_CONFIG_BYTES).decode("utf-8")
    except DaylogError:
        return False
    except UnicodeDecodeError:
        return True  # ours or not, stop here: load_settings then says it is not UTF-8
    return _DAYLOG_KEY.search(text) is not None


def load_settings(path: Path, cache_dir: Path | None = None) -> Settings:
    """Read and validate the daylog block of the mkdocs.yml at `path`; with `cache_dir`, keep it there."""
    if cache_dir is None:
        return _parse(path)[0]
    try:
        st = os.stat(path)
    except OSError:
        return _parse(path)[0]  # says what is wrong with it
    key = _key(path, st)
    kept = _kept(cache_dir / CACHE_NAME, key)
    if kept is not None:
        return kept._replace(source=str(path))
    settings, text = _parse(path)
    if not _MAY_USE_ENV.search(text) and st.st_mtime_ns < time.time_ns() - _RACY_NS:
        from daylog.workspace.writes import write_private

        write_private(str(cache_dir), CACHE_NAME, (key, _plain(settings)))
    return settings


def _parse(path: Path) -> tuple[Settings, str]:
    from daylog.workspace.settings_reader import parse_settings  # PyYAML: only when nothing is kept

    text = read_text(path, limit=MAX_CONFIG_BYTES)  # not a FIFO, not /dev/zero, not 100 MB
    return parse_settings(text, source=str(path)), text


def _key(path: Path, st: os.stat_result) -> tuple[Any, ...]:
    # ctime too: an editor or `cp -p` may put an old mtime back on new text.
    return (_FORMAT, code_digest(), os.path.realpath(path), st.st_size, st.st_mtime_ns, st.st_ctime_ns)


def _kept(cache: Path, key: tuple[Any, ...]) -> Settings | None:
    """The kept settings for `key`, or None when there are none, they are someone else's or damaged."""
    try:
        data = marshal.loads(read_kept(cache))
    except (OSError, EOFError, ValueError, TypeError):
        return None
    if not isinstance(data, tuple) or len(data) != 2 or data[0] != key or not isinstance(data[1], dict):
        return None
    try:
        return Settings(**{k.name: _decode(k.kind, data[1][k.name]) for k in KEYS})
    except (KeyError, TypeError, ValueError, OverflowError):
        return None


def _plain(settings: Settings) -> dict[str, Any]:
    return {k.name: _encode(k.kind, getattr(settings, k.name)) for k in KEYS}


def _encode(kind: Kind, value: Any) -> Any:
    if value is None:
        return None
    if kind is Kind.DATE:
        return value.toordinal()
    if kind is Kind.HOLIDAYS:
        return tuple(sorted(d.toordinal() for d in value))
    if kind is Kind.MEMBERS:
        return tuple((m.id, m.name, m.github, m.emails, m.aliases) for m in value)
    return value  # text, numbers, booleans, tuples of texts, the sections' dict of tuples


def _decode(kind: Kind, plain: Any) -> Any:
    if plain is None:
        return None
    if kind is Kind.DATE:
        return date.fromordinal(plain)
    if kind is Kind.HOLIDAYS:
        return frozenset(date.fromordinal(n) for n in plain)
    if kind is Kind.MEMBERS:
        return tuple(Member(*m) for m in plain)
    return plain
