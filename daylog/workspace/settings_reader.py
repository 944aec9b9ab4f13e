"""Reading the `daylog` block of mkdocs.yml with YAML, validating each key with its line.

Kept apart from `settings`, which is pure: this is the adapter that reads the file.
"""

from __future__ import annotations

import re
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import yaml

from daylog.entries.sections import DEFAULT_SECTIONS
from daylog.errors import DaylogError
from daylog.workspace.settings import REPO_PATTERN, Member, Settings, valid_member_id


class _Loader(yaml.SafeLoader):
    """Safe loader that turns any unknown tag (`!!python/name:…`, `!ENV`) into a string."""


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
        raise DaylogError(f"invalid YAML: {problem}", path=source, line=line) from exc
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


class _Validator:
    """Turns the YAML block into Settings, one key at a time, with line numbers."""

    def __init__(self, source: str, block: yaml.MappingNode) -> None:
        self.source = source
        self.block = block
        self.lines: dict[str, int] = {}
        self.values: dict[str, Any] = {}
        self.value_nodes: dict[str, yaml.Node] = {}
        for key_node, value_node in block.value:
            key = str(key_node.value)
            if key in self.lines:
                raise DaylogError(
                    f"daylog setting `{key}` is given twice (first on line {self.lines[key]})",
                    path=source,
                    line=key_node.start_mark.line + 1,
                )
            self.lines[key] = key_node.start_mark.line + 1
            self.value_nodes[key] = value_node
            loader = _Loader("")
            try:
                self.values[key] = loader.construct_object(value_node, deep=True)
            except (yaml.YAMLError, ValueError, TypeError) as exc:  # e.g. 2021-02-30
                raise self.error(key, f"cannot read value: {exc}") from None
            finally:
                loader.dispose()

    def error(self, key: str, message: str, line: int | None = None) -> DaylogError:
        return DaylogError(
            f"daylog setting `{key}`: {message}",
            path=self.source,
            line=line or self.lines.get(key, self.block.start_mark.line + 1),
        )

    def settings(self) -> Settings:
        known = set(Settings._fields) - {"source"}
        for key in self.values:
            if key not in known:
                close = _closest(key, sorted(known))
                hint = f"did you mean `{close}`?" if close else "see the README's settings table"
                raise self.error(key, f"unknown key ({hint})")
        for required in ("course", "start_date"):
            if required not in self.values:
                raise DaylogError(
                    f"daylog setting `{required}` is missing",
                    path=self.source,
                    line=self.block.start_mark.line + 1,
                    hint=f"add `{required}:` to the daylog block",
                )
        v = self.values
        kwargs: dict[str, Any] = {"source": self.source}
        kwargs["course"] = self.string("course")
        kwargs["start_date"] = self.date_value("start_date", v["start_date"])
        if "timezone" in v:
            tz = self.string("timezone")
            try:
                ZoneInfo(tz)
            except (ZoneInfoNotFoundError, ValueError):
                raise self.error(
                    "timezone", f"unknown time zone {tz!r} (use an IANA name such as Asia/Seoul)"
                ) from None
            kwargs["timezone"] = tz
        if "day_starts_at" in v:
            hour = v["day_starts_at"]
            if not isinstance(hour, int) or isinstance(hour, bool) or not 0 <= hour <= 23:
                raise self.error("day_starts_at", f"must be an hour from 0 to 23, not {hour!r}")
            kwargs["day_starts_at"] = hour
        if "course_days" in v:
            rule = v["course_days"]
            if rule not in ("weekdays", "all"):
                raise self.error("course_days", f"must be `weekdays` or `all`, not {rule!r}")
            kwargs["course_days"] = rule
        if "holidays" in v:
            kwargs["holidays"] = self.holidays()
        for key in ("title", "title_off_day"):
            if key in v:
                kwargs[key] = self.format_string(key)
        if "members" in v:
            kwargs["members"] = self.members()
        if "sections" in v:
            kwargs["sections"] = self.sections()
        for key in ("required_sections", "private_sections"):
            if key in v:
                kwargs[key] = self.section_list(key, kwargs.get("sections", DEFAULT_SECTIONS))
        if "issue_repo" in v and v["issue_repo"] is not None:
            repo = self.string("issue_repo")
            if not REPO_PATTERN.match(repo):
                raise self.error("issue_repo", f"must look like owner/repo, not {repo!r}")
            kwargs["issue_repo"] = repo
        if "api_url" in v:
            raw = self.string("api_url")
            url = raw.rstrip("/")
            if not url.startswith(("http://", "https://")) or len(url.split("//", 1)[1]) == 0:
                raise self.error("api_url", f"must be an http(s) URL, not {raw!r}")
            kwargs["api_url"] = url
        for key in ("carry_over", "co_authors"):
            if key in v:
                if not isinstance(v[key], bool):
                    raise self.error(key, f"must be true or false, not {v[key]!r}")
                kwargs[key] = v[key]
        if "extra_repos" in v:
            kwargs["extra_repos"] = tuple(self.string_list("extra_repos"))
        for key in ("logs_dir", "templates_dir"):
            if key in v:
                raw = self.string(key).replace("\\", "/")
                folder = raw.rstrip("/")
                if raw.startswith("/") or ".." in folder.split("/") or ":" in folder or not folder:
                    raise self.error(key, f"must be a folder inside the workspace, not {v[key]!r}")
                kwargs[key] = folder
        return Settings(**kwargs)

    # -- typed readers --

    def string(self, key: str) -> str:
        value = self.values[key]
        if not isinstance(value, str) or not value.strip():
            raise self.error(key, f"must be a non-empty text, not {value!r}")
        return value.strip()

    def string_list(self, key: str) -> list[str]:
        value = self.values[key]
        if value is None:
            return []
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            raise self.error(key, f"must be a list of texts, not {value!r}")
        return value

    def date_value(self, key: str, value: Any, line: int | None = None) -> date:
        if isinstance(value, date):
            return value
        if isinstance(value, str):
            try:
                return date.fromisoformat(value.strip())
            except ValueError:
                pass
        raise self.error(key, f"must be a date YYYY-MM-DD, not {value!r}", line)

    def format_string(self, key: str) -> str:
        fmt = self.string(key)
        try:  # with a number and with the empty text an off-course day gets
            fmt.format(course="c", day=1, date="d", author="a", name="n", week=1)
            fmt.format(course="c", day="", date="d", author="a", name="n", week="")
        except Exception as exc:
            raise self.error(
                key, f"bad format {fmt!r}: {exc} (fields: course, day, date, author, name, week)"
            ) from None
        return fmt

    def holidays(self) -> frozenset[date]:
        value = self.values["holidays"]
        node = self.value_nodes["holidays"]
        if value is None:
            return frozenset()
        if not isinstance(value, list):
            raise self.error("holidays", "must be a list of dates or ranges `YYYY-MM-DD..YYYY-MM-DD`")
        items = node.value if isinstance(node, yaml.SequenceNode) else []
        days: set[date] = set()
        for i, item in enumerate(value):
            line = items[i].start_mark.line + 1 if i < len(items) else None
            if isinstance(item, dict):
                extra = set(item) - {"from", "to", "start", "end", "name"}
                if extra:
                    raise self.error("holidays", f"unknown key `{sorted(extra)[0]}` (use from, to, name)", line)
                lo = self.date_value("holidays", item.get("from", item.get("start")), line)
                hi = self.date_value("holidays", item.get("to", item.get("end", lo)), line)
            elif isinstance(item, str) and ".." in item:
                a, _, b = item.partition("..")
                lo, hi = self.date_value("holidays", a, line), self.date_value("holidays", b, line)
            else:
                lo = hi = self.date_value("holidays", item, line)
            if hi < lo:
                raise self.error("holidays", f"range ends before it starts: {lo}..{hi}", line)
            if (hi - lo).days > 366:
                raise self.error("holidays", f"range {lo}..{hi} is longer than a year; is a date mistyped?", line)
            d = lo
            while d <= hi:
                days.add(d)
                d += timedelta(days=1)
        return frozenset(days)

    def members(self) -> tuple[Member, ...]:
        value = self.values["members"]
        node = self.value_nodes["members"]
        if not isinstance(value, list):
            raise self.error("members", "must be a list of {id, name, github, emails}")
        items = node.value if isinstance(node, yaml.SequenceNode) else []
        out: list[Member] = []
        seen: set[str] = set()
        for i, item in enumerate(value):
            line = items[i].start_mark.line + 1 if i < len(items) else None
            if isinstance(item, str):
                item = {"id": item}
            if not isinstance(item, dict):
                raise self.error("members", f"each member must be a mapping, not {item!r}", line)
            unknown = set(item) - {"id", "name", "github", "emails", "aliases"}
            if unknown:
                raise self.error(
                    "members", f"unknown member key `{sorted(unknown)[0]}` (id, name, github, emails, aliases)", line
                )
            mid = item.get("id")
            if not isinstance(mid, str) or not valid_member_id(mid):
                raise self.error(
                    "members",
                    f"member id {mid!r} must be letters, digits, `.`, `-` or `_` (it names a folder)",
                    line,
                )
            if mid in seen:
                raise self.error("members", f"member id `{mid}` appears twice", line)
            seen.add(mid)
            name = item.get("name") or mid
            github = item.get("github")
            emails = item.get("emails") or []
            aliases = item.get("aliases") or []
            if isinstance(emails, str):
                emails = [emails]
            if isinstance(aliases, str):
                aliases = [aliases]
            if not isinstance(name, str) or (github is not None and not isinstance(github, str)):
                raise self.error("members", f"member `{mid}`: name and github must be texts", line)
            if not all(isinstance(e, str) for e in emails) or not all(isinstance(a, str) for a in aliases):
                raise self.error("members", f"member `{mid}`: emails and aliases must be lists of texts", line)
            out.append(Member(mid, name, github, tuple(emails), tuple(aliases)))
        return tuple(out)

    def sections(self) -> dict[str, tuple[str, ...]]:
        value = self.values["sections"]
        if not isinstance(value, dict):
            raise self.error("sections", "must map a section key to a list of heading spellings")
        merged = dict(DEFAULT_SECTIONS)
        for key, aliases in value.items():
            if isinstance(aliases, str):
                aliases = [aliases]
            if not isinstance(aliases, list) or not all(isinstance(a, str) and a.strip() for a in aliases):
                raise self.error("sections", f"`{key}` must be a list of non-empty heading spellings")
            if not re.match(r"^[a-z][a-z0-9_]*$", str(key)):
                raise self.error("sections", f"section key {key!r} must be lower-case ascii")
            merged[str(key)] = tuple(aliases) + merged.get(str(key), ())
        return merged

    def section_list(self, key: str, sections: dict[str, tuple[str, ...]]) -> tuple[str, ...]:
        names = self.string_list(key)
        for name in names:
            if name not in sections:
                raise self.error(key, f"unknown section `{name}` (known: {', '.join(sections)})")
        return tuple(names)


def _closest(word: str, options: list[str]) -> str | None:
    import difflib

    found = difflib.get_close_matches(word, options, n=1, cutoff=0.6)
    return found[0] if found else None


def has_daylog_block(path: Path) -> bool:
    """Cheap test used while searching for the workspace root."""
    try:
        text = path.read_bytes().decode("utf-8")
    except OSError:
        return False
    except UnicodeDecodeError:
        return True  # ours or not, stop here: load_settings then says it is not UTF-8
    return re.search(r"^\s*-?\s*daylog\s*:", text, re.MULTILINE) is not None


def load_settings(path: Path) -> Settings:
    """Read and validate the daylog block of the mkdocs.yml at `path`."""
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        raise DaylogError("is not UTF-8 text", path=path, hint="save it as UTF-8") from exc
    except OSError as exc:
        raise DaylogError(f"cannot read: {exc.strerror or exc}", path=path) from None
    return parse_settings(text, source=str(path))
