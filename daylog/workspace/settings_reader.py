"""Reading the `daylog` block of mkdocs.yml with YAML, validating each key with its line.

The schema is `daylog.workspace.settings.KEYS`; here is one reader per kind of value
(`Kind`), and the YAML around them: the bounded loader of the front matter too
(`entries.bounded_yaml`: libyaml's parser when PyYAML has it, the nodes keep their line
numbers either way; no alias bombs, deep nesting or control characters), with Material's
`!!python/name:` tags tolerated.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from daylog.calendar import EARLIEST, LATEST_START
from daylog.entries.bounded_yaml import BoundedLoader
from daylog.entries.sections import DEFAULT_SECTIONS
from daylog.errors import DaylogError
from daylog.workspace.settings import (
    COMMIT_FIELDS,
    KEYS,
    REPO_PATTERN,
    TITLE_FIELDS,
    Key,
    Kind,
    Member,
    Settings,
    TitleFormatError,
    cut,
    cut_repr,
    format_fields,
    format_title,
    valid_member_id,
)

MAX_HOLIDAY_ENTRIES = 500
MAX_HOLIDAY_DAYS = 3660  # ten years
_MEMBER_KEYS = ("id", "name", "github", "emails", "aliases")
_SECTION_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
# A title must format with a day number and with the empty text an off-course day gets.
_TITLE_SAMPLES = (
    {"course": "c", "day": 1, "date": "d", "author": "a", "name": "n", "week": 1},
    {"course": "c", "day": "", "date": "d", "author": "a", "name": "n", "week": ""},
)


class _Loader(BoundedLoader):
    """The bounded safe loader, turning any unknown tag (`!!python/name:…`, `!ENV`) into a string."""


def _env(loader: _Loader, node: yaml.Node) -> Any:
    """MkDocs' `!ENV VAR` / `!ENV [VAR, OTHER, default]`: the first variable that is set."""
    import os

    if isinstance(node, yaml.ScalarNode):
        return os.environ.get(str(node.value))
    if isinstance(node, yaml.SequenceNode):
        items = [str(n.value) for n in node.value if isinstance(n, yaml.ScalarNode)]
        for name in items[:-1]:
            if name in os.environ:
                return os.environ[name]
        return loader.construct_object(node.value[-1]) if node.value else None
    return None


def _tolerate(loader: _Loader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return f"{node.tag}{suffix}:{node.value}" if suffix else node.value
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node, deep=True)
    assert isinstance(node, yaml.MappingNode)
    return loader.construct_mapping(node, deep=True)


_Loader.add_multi_constructor("tag:yaml.org,2002:python/", _tolerate)
_Loader.add_constructor("!ENV", _env)
_Loader.add_multi_constructor("!", _tolerate)


def _find_block(root: yaml.Node) -> yaml.MappingNode | None:
    """The mapping node under `plugins: [- daylog: {...}]` (or `plugins: {daylog: …}`)."""
    if not isinstance(root, yaml.MappingNode):
        return None
    for key, value in root.value:
        if key.value != "plugins":
            continue
        candidates: list[tuple[yaml.Node, yaml.Node]] = []
        if isinstance(value, yaml.SequenceNode):
            for item in value.value:
                if isinstance(item, yaml.MappingNode):
                    candidates.extend(item.value)
        elif isinstance(value, yaml.MappingNode):
            candidates.extend(value.value)
        for k, v in candidates:
            if k.value == "daylog":
                if isinstance(v, yaml.MappingNode):
                    return v
                if isinstance(v, yaml.ScalarNode) and v.value in ("", "~", "null"):
                    return yaml.MappingNode("tag:yaml.org,2002:map", [], k.start_mark, k.end_mark)
                raise DaylogError(
                    "the daylog plugin block must be a mapping of settings",
                    path=None,
                    line=k.start_mark.line + 1,
                )
    return None


def parse_settings(text: str, *, source: str = "mkdocs.yml") -> Settings:
    """Validate the daylog block in mkdocs.yml text; errors name the key and its line."""
    loader = _Loader(text)
    try:
        root = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or str(exc)
        raise DaylogError(f"invalid YAML: {cut(str(problem), 160)}", path=source, line=line) from None
    finally:
        loader.dispose()
    try:
        block = _find_block(root) if root is not None else None
    except DaylogError as exc:
        raise DaylogError(exc.message, path=source, line=exc.line) from None
    if block is None:
        raise DaylogError(
            "no `daylog` plugin block under `plugins:`",
            path=source,
            hint="run `daylog init` or add `- daylog: {course: …, start_date: …}` to plugins",
        )
    return _Validator(source, block).settings()


def _line(node: yaml.Node) -> int:
    return int(node.start_mark.line) + 1


def _item_lines(node: yaml.Node) -> list[int | None]:
    """The line of each item of a YAML list (none when the value came from elsewhere, e.g. `!ENV`)."""
    return [_line(n) for n in node.value] if isinstance(node, yaml.SequenceNode) else []


class _Validator:
    """Turns the YAML block into Settings, one key at a time (the reader of its `Kind`), with lines."""

    def __init__(self, source: str, block: yaml.MappingNode) -> None:
        self.source = source
        self.block = block
        self.lines: dict[str, int] = {}
        self.values: dict[str, Any] = {}
        self.value_nodes: dict[str, yaml.Node] = {}
        self.read: dict[str, Any] = {}  # the values read so far, by key
        loader = _Loader("")
        try:
            for key_node, value_node in block.value:
                self.add(loader, key_node, value_node)
        finally:
            loader.dispose()

    def add(self, loader: _Loader, key_node: yaml.Node, value_node: yaml.Node) -> None:
        key = str(key_node.value)
        if key in self.lines:
            raise DaylogError(
                f"daylog setting `{cut(key)}` is given twice (first on line {self.lines[key]})",
                path=self.source,
                line=_line(key_node),
            )
        self.lines[key] = _line(key_node)
        self.value_nodes[key] = value_node
        try:
            self.values[key] = loader.construct_object(value_node, deep=True)
        except (yaml.YAMLError, ValueError, TypeError) as exc:  # e.g. 2021-02-30
            raise self.error(key, f"cannot read value: {cut(str(exc), 160)}") from None

    def error(self, key: str, message: str, line: int | None = None) -> DaylogError:
        return DaylogError(
            f"daylog setting `{cut(key)}`: {message}",
            path=self.source,
            line=line or self.lines.get(key, _line(self.block)),
        )

    def settings(self) -> Settings:
        self.check_keys()
        for k in KEYS:  # in field order: `sections` is read before the lists that name sections
            if k.name in self.values:
                none_is_default = not k.required and k.default is None and self.values[k.name] is None
                self.read[k.name] = None if none_is_default else _READERS[k.kind](self, k)
        end, start = self.read.get("end_date"), self.read["start_date"]
        if end is not None and end < start:
            raise self.error("end_date", f"{end} is before `start_date` {start}")
        return Settings(**self.read, source=self.source)

    def check_keys(self) -> None:
        """Every key given is known, and every required key is given."""
        known = [k.name for k in KEYS]
        for key in self.values:
            if key not in known:
                close = _closest(key, sorted(known))
                hint = f"did you mean `{close}`?" if close else "see the README's settings table"
                raise self.error(key, f"unknown key ({hint})")
        for k in KEYS:
            if k.required and k.name not in self.values:
                raise DaylogError(
                    f"daylog setting `{k.name}` is missing",
                    path=self.source,
                    line=_line(self.block),
                    hint=f"add `{k.name}:` to the daylog block",
                )

    # -- one reader per kind of value --

    def read_text(self, k: Key) -> str:
        value = self.values[k.name]
        if not isinstance(value, str) or not value.strip():
            raise self.error(k.name, f"must be a non-empty text, not {cut_repr(value)}")
        return value.strip()

    def read_zone(self, k: Key) -> str:
        tz = self.read_text(k)
        try:
            ZoneInfo(tz)
        except (ZoneInfoNotFoundError, ValueError, OSError):  # `Asia` is a folder of zones: IsADirectoryError
            hint = "use an IANA name such as Asia/Seoul"
            raise self.error(k.name, f"unknown time zone {cut_repr(tz)} ({hint})") from None
        return tz

    def read_hour(self, k: Key) -> int:
        hour = self.values[k.name]
        if not isinstance(hour, int) or isinstance(hour, bool) or not 0 <= hour <= 23:
            raise self.error(k.name, f"must be an hour from 0 to 23, not {cut_repr(hour)}")
        return hour

    def read_seconds(self, k: Key) -> float:
        value = self.values[k.name]
        if not isinstance(value, int | float) or isinstance(value, bool) or not 1 <= value <= 3600:
            raise self.error(k.name, f"must be a number of seconds from 1 to 3600, not {cut_repr(value)}")
        return float(value)

    def read_megabytes(self, k: Key) -> float:
        value = self.values[k.name]
        if not isinstance(value, int | float) or isinstance(value, bool) or not 0.1 <= value <= 50:
            raise self.error(k.name, f"must be a number of megabytes from 0.1 to 50, not {cut_repr(value)}")
        return float(value)

    def read_choice(self, k: Key) -> str:
        value = self.values[k.name]
        if value not in k.choices:
            allowed = " or ".join(f"`{c}`" for c in k.choices)
            raise self.error(k.name, f"must be {allowed}, not {cut_repr(value)}")
        return str(value)

    def read_date(self, k: Key) -> date:
        """A date of the course (`start_date`, `end_date`): from 1970 to 2999, so that the calendar's arithmetic
        stays in range."""
        d = self.date_value(k.name, self.values[k.name])
        if not EARLIEST <= d <= LATEST_START:
            raise self.error(k.name, f"{d} is out of range: a course starts between {EARLIEST} and {LATEST_START}")
        return d

    def read_boolean(self, k: Key) -> bool:
        value = self.values[k.name]
        if not isinstance(value, bool):
            raise self.error(k.name, f"must be true or false, not {cut_repr(value)}")
        return value

    def read_texts(self, k: Key) -> tuple[str, ...]:
        return tuple(self.string_list(k.name))

    def read_folder(self, k: Key) -> str:
        raw = self.read_text(k).replace("\\", "/")
        folder = raw.rstrip("/")
        if raw.startswith("/") or ".." in folder.split("/") or ":" in folder or not folder:
            raise self.error(k.name, f"must be a folder inside the workspace, not {cut_repr(self.values[k.name])}")
        return folder

    def read_url(self, k: Key) -> str:
        raw = self.read_text(k)
        url = raw.rstrip("/")
        if not url.startswith(("http://", "https://")) or len(url.split("//", 1)[1]) == 0:
            raise self.error(k.name, f"must be an http(s) URL, not {cut_repr(raw)}")
        return url

    def read_repo(self, k: Key) -> str:
        repo = self.read_text(k)
        if not REPO_PATTERN.match(repo):
            raise self.error(k.name, f"must look like owner/repo, not {cut_repr(repo)}")
        return repo

    def read_title(self, k: Key) -> str:
        fmt = self.read_text(k)
        try:
            for sample in _TITLE_SAMPLES:
                format_title(fmt, **sample)
        except TitleFormatError as exc:
            fields = ", ".join(TITLE_FIELDS)
            raise self.error(k.name, f"bad format {cut_repr(fmt)}: {exc} (fields: {fields})") from None
        return fmt

    def read_commit_message(self, k: Key) -> str:
        """A `commit_message`: the title's safe format, with the entry's `title` as one more field."""
        fmt = self.read_text(k)
        try:
            for sample in _TITLE_SAMPLES:
                format_fields(fmt, COMMIT_FIELDS, {**sample, "title": "t"})
        except TitleFormatError as exc:
            fields = ", ".join(COMMIT_FIELDS)
            raise self.error(k.name, f"bad format {cut_repr(fmt)}: {exc} (fields: {fields})") from None
        return fmt

    def read_holidays(self, k: Key) -> frozenset[date]:
        value = self.values[k.name]
        if value is None:
            return frozenset()
        if not isinstance(value, list):
            raise self.error(k.name, "must be a list of dates or ranges `YYYY-MM-DD..YYYY-MM-DD`")
        if len(value) > MAX_HOLIDAY_ENTRIES:
            raise self.error(k.name, f"{len(value)} entries are too many (at most {MAX_HOLIDAY_ENTRIES}; use ranges)")
        lines = _item_lines(self.value_nodes[k.name])
        days: set[date] = set()
        total = 0
        for i, item in enumerate(value):
            line = lines[i] if i < len(lines) else None
            lo, hi = self.holiday_range(k.name, item, line)
            total += (hi - lo).days + 1
            if total > MAX_HOLIDAY_DAYS:
                raise self.error(k.name, f"more than {MAX_HOLIDAY_DAYS:,} days in all; is a date mistyped?", line)
            days.update(lo + timedelta(days=n) for n in range((hi - lo).days + 1))
        return frozenset(days)

    def holiday_range(self, key: str, item: Any, line: int | None) -> tuple[date, date]:
        """The first and last day of one holidays entry: a date, `a..b` or `{from, to, name}`."""
        if isinstance(item, dict):
            extra = set(item) - {"from", "to", "start", "end", "name"}
            if extra:
                raise self.error(key, f"unknown key `{cut(str(sorted(extra, key=str)[0]))}` (use from, to, name)", line)
            lo = self.date_value(key, item.get("from", item.get("start")), line)
            hi = self.date_value(key, item.get("to", item.get("end", lo)), line)
        elif isinstance(item, str) and ".." in item:
            a, _, b = item.partition("..")
            lo, hi = self.date_value(key, a, line), self.date_value(key, b, line)
        else:
            lo = hi = self.date_value(key, item, line)
        if hi < lo:
            raise self.error(key, f"range ends before it starts: {lo}..{hi}", line)
        if (hi - lo).days > 366:
            raise self.error(key, f"range {lo}..{hi} is longer than a year; is a date mistyped?", line)
        return lo, hi

    def read_members(self, k: Key) -> tuple[Member, ...]:
        value = self.values[k.name]
        if not isinstance(value, list):
            raise self.error(k.name, "must be a list of {id, name, github, emails}")
        lines = _item_lines(self.value_nodes[k.name])
        out: list[Member] = []
        seen: set[str] = set()
        for i, item in enumerate(value):
            line = lines[i] if i < len(lines) else None
            member = self.member(k.name, {"id": item} if isinstance(item, str) else item, line)
            if member.id in seen:
                raise self.error(k.name, f"member id `{cut(member.id)}` appears twice", line)
            seen.add(member.id)
            out.append(member)
        return tuple(out)

    def member(self, key: str, item: Any, line: int | None) -> Member:
        if not isinstance(item, dict):
            raise self.error(key, f"each member must be a mapping, not {cut_repr(item)}", line)
        unknown = sorted(str(x) for x in set(item) - set(_MEMBER_KEYS))
        if unknown:
            raise self.error(key, f"unknown member key `{cut(unknown[0])}` ({', '.join(_MEMBER_KEYS)})", line)
        mid = item.get("id")
        if not isinstance(mid, str) or not valid_member_id(mid):
            raise self.error(
                key, f"member id {cut_repr(mid)} must be letters, digits, `.`, `-` or `_` (it names a folder)", line
            )
        name = item.get("name") or mid
        github = item.get("github")
        if not isinstance(name, str) or (github is not None and not isinstance(github, str)):
            raise self.error(key, f"member `{cut(mid)}`: name and github must be texts", line)
        emails, aliases = _text_list(item.get("emails")), _text_list(item.get("aliases"))
        if emails is None or aliases is None:
            raise self.error(key, f"member `{cut(mid)}`: emails and aliases must be lists of texts", line)
        return Member(mid, name, github, emails, aliases)

    def read_sections(self, k: Key) -> dict[str, tuple[str, ...]]:
        value = self.values[k.name]
        if not isinstance(value, dict):
            raise self.error(k.name, "must map a section key to a list of heading spellings")
        node = self.value_nodes[k.name]
        lines = {str(kn.value): _line(kn) for kn, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
        merged = dict(DEFAULT_SECTIONS)
        for key, aliases in value.items():
            line = lines.get(str(key))
            spellings = _text_list([aliases] if isinstance(aliases, str) else aliases)
            if spellings is None or not all(a.strip() for a in spellings):
                raise self.error(k.name, f"`{cut(str(key))}` must be a list of non-empty heading spellings", line)
            if not _SECTION_KEY.match(str(key)):
                raise self.error(k.name, f"section key {cut_repr(key)} must be lower-case ascii", line)
            typo = _one_edit_from_builtin(str(key))
            if typo:
                raise self.error(
                    k.name,
                    f"section key `{key}` looks like a typo of `{typo}` (did you mean `{typo}`? "
                    "a new section needs a key further from the built-in ones)",
                    line,
                )
            merged[str(key)] = spellings + merged.get(str(key), ())
        return merged

    def read_section_list(self, k: Key) -> tuple[str, ...]:
        """Section keys (`remark`), or headings as written (`오늘의 한마디`), as keys."""
        from daylog.entries.sections import SectionMatcher

        sections = self.read.get("sections", DEFAULT_SECTIONS)
        matcher = SectionMatcher(sections)
        keys = []
        for name in self.string_list(k.name):
            key = name if name in sections else matcher.key_of(name)
            if key is None:
                raise self.error(k.name, f"unknown section `{cut(name)}` (known: {', '.join(sections)})")
            keys.append(key)
        return tuple(dict.fromkeys(keys))

    # -- shared by the readers --

    def string_list(self, key: str) -> list[str]:
        value = self.values[key]
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise self.error(key, f"must be a list of texts, not {cut_repr(value)}")
        return value

    def date_value(self, key: str, value: Any, line: int | None = None) -> date:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.error(key, f"must be a date YYYY-MM-DD, not {cut_repr(value)}", line)


_READERS: dict[Kind, Callable[[_Validator, Key], Any]] = {
    Kind.TEXT: _Validator.read_text,
    Kind.ZONE: _Validator.read_zone,
    Kind.HOUR: _Validator.read_hour,
    Kind.CHOICE: _Validator.read_choice,
    Kind.DATE: _Validator.read_date,
    Kind.BOOL: _Validator.read_boolean,
    Kind.TEXTS: _Validator.read_texts,
    Kind.HOLIDAYS: _Validator.read_holidays,
    Kind.MEMBERS: _Validator.read_members,
    Kind.SECTIONS: _Validator.read_sections,
    Kind.SECTION_LIST: _Validator.read_section_list,
    Kind.FOLDER: _Validator.read_folder,
    Kind.URL: _Validator.read_url,
    Kind.REPO: _Validator.read_repo,
    Kind.TITLE: _Validator.read_title,
    Kind.COMMIT_MESSAGE: _Validator.read_commit_message,
    Kind.SECONDS: _Validator.read_seconds,
    Kind.MEGABYTES: _Validator.read_megabytes,
}


def _text_list(value: Any) -> tuple[str, ...] | None:
    """A text or a list of texts as a tuple (nothing: empty); None when it is neither."""
    if not value:
        return ()
    items = [value] if isinstance(value, str) else value
    if not isinstance(items, list) or not all(isinstance(x, str) for x in items):
        return None
    return tuple(items)


def _closest(word: str, options: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return found[0] if found else None


def _one_edit_from_builtin(key: str) -> str | None:
    """The built-in section key (of four letters or more) that `key` is one typo away from:
    a letter added, dropped, changed, or two neighbours swapped (`folowups`, `remakr`)."""
    for known in DEFAULT_SECTIONS:
        if len(known) >= 4 and key != known and _one_edit_apart(key, known):
            return known
    return None


def _one_edit_apart(a: str, b: str) -> bool:
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        swapped = len(diff) == 2 and diff[1] == diff[0] + 1 and (a[diff[0]], a[diff[1]]) == (b[diff[1]], b[diff[0]])
        return len(diff) == 1 or swapped
    short, long = sorted((a, b), key=len)
    return len(long) - len(short) == 1 and any(long[:i] + long[i + 1 :] == short for i in range(len(long)))
