"""The team workspace on disk: where it is, which entries it holds, and safe writes.

This is the filesystem adapter around the pure core: it finds `mkdocs.yml`, lists
`logs/<member>/<YYYY-MM-DD>.md`, reads files into parsed entries, and writes
atomically (temp file in the same folder, then rename) without ever overwriting
what a user wrote unless the caller asks for a checked replacement.
"""

from __future__ import annotations

import os
import re
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from daylog.errors import DaylogError, NoWorkspace, UsageError
from daylog.workspace.settings import Member, Settings
from daylog.workspace.settings_reader import has_daylog_block, load_settings

if TYPE_CHECKING:
    from daylog.entries.model import Entry
    from daylog.entries.sections import SectionMatcher

CONFIG_NAME = "mkdocs.yml"
TEMPLATE_NAME = "entry.md.j2"
CACHE_DIR = Path(".daylog") / "cache"
_NAME_DATE = re.compile(r"^(\d{4}-\d{2}-\d{2})(?:[-_. ].*)?\.md$")


class EntryFile(NamedTuple):
    """An entry file found under `logs/`, before reading it.

    A NamedTuple rather than a dataclass: listings make one per file on every run,
    and tuple construction is several times cheaper.
    """

    path: str
    """Absolute path (a plain string: listings build thousands of these)."""
    rel: str
    """Path relative to the workspace root, with `/` separators (stable in output)."""
    member: str
    """The folder name under `logs/`."""
    date: date | None
    """The date in the file name, which is authoritative."""


class Loaded(NamedTuple):
    """An entry file with its text and parsed model."""

    file: EntryFile
    text: str
    entry: Entry

    @property
    def date(self) -> date | None:
        """The entry's date: the file name's, else the front matter's."""
        return self.file.date or self.entry.date


def decode(data: bytes, path: Path | str) -> str:
    """UTF-8 text of a file, or a DaylogError naming the line of the first bad byte."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise DaylogError("is not UTF-8 text", path=path, line=line, hint="re-save the file as UTF-8") from None


def read_text(path: Path | str) -> str:
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as exc:
        raise DaylogError(f"cannot read: {exc.strerror or exc}", path=path) from None
    return decode(data, path)


@cache
def name_date(name: str) -> date | None:
    """The date a file name starts with (`2026-11-03.md`, `2026-11-03-2.md`)."""
    m = _NAME_DATE.match(name)
    if not m:
        return None
    try:
        return date.fromisoformat(m.group(1))
    except ValueError:
        return None


class Workspace:
    """A team repo: mkdocs.yml with a daylog block, `templates/`, and `logs/`."""

    def __init__(self, root: Path, settings: Settings) -> None:
        self.root = root
        self.settings = settings

    @classmethod
    def find(cls, start: Path, explicit: Path | None = None) -> Workspace:
        """The workspace holding `start` (or `explicit`), by its mkdocs.yml with a daylog block."""
        if explicit is not None:
            config = explicit / CONFIG_NAME if explicit.is_dir() else explicit
            if not config.is_file():
                raise DaylogError(
                    "no mkdocs.yml here",
                    path=explicit,
                    hint="pass the folder that holds the team's mkdocs.yml, or run `daylog init`",
                )
            root = config.parent.resolve()
            return cls(root, load_settings(_display(config)))
        here = start.resolve()
        for folder in (here, *here.parents):
            config = folder / CONFIG_NAME
            if config.is_file() and has_daylog_block(config):
                return cls(folder, load_settings(_display(config)))
        raise NoWorkspace(
            f"no daylog workspace in {here} or its parents",
            hint="run `daylog init` to create one, or pass --workspace DIR",
        )

    @property
    def config_path(self) -> Path:
        return self.root / CONFIG_NAME

    @property
    def logs(self) -> Path:
        return self.root / self.settings.logs_dir

    @property
    def cache_dir(self) -> Path:
        """Local, git-ignored state (parse cache)."""
        return self.root / CACHE_DIR

    @cached_property
    def matcher(self) -> SectionMatcher:
        from daylog.entries.sections import SectionMatcher

        return SectionMatcher(self.settings.sections)

    @cached_property
    def known_names(self) -> frozenset[str]:
        names: set[str] = set()
        for m in self.settings.members:
            names.update((m.id, m.name, *m.aliases))
        return frozenset(names)

    def rel(self, path: Path) -> str:
        try:
            return path.resolve().relative_to(self.root).as_posix()
        except ValueError:
            return str(path)

    def template(self) -> tuple[str, str]:
        """(display name, text) of the entry template: the team's, else the built-in one."""
        path = self.root / self.settings.templates_dir / TEMPLATE_NAME
        if path.is_file():
            return self.rel(path), read_text(path)
        from importlib.resources import files

        builtin = files("daylog.workspace").joinpath("templates", TEMPLATE_NAME)
        return f"(built-in) {TEMPLATE_NAME}", builtin.read_text("utf-8")

    def entry_path(self, member: str, d: date) -> Path:
        return self.logs / member / f"{d.isoformat()}.md"

    def files(self, member: str | None = None) -> list[EntryFile]:
        """Every `*.md` under `logs/<member>/` (one member's folder, with `member`), sorted by member then path."""
        logs = str(self.logs)
        cut = len(logs) + 1
        prefix = self.rel(self.logs) + "/"
        members = [m for m in _member_folders(logs) if member is None or m == member]
        return [
            EntryFile(e.path, prefix + e.path[cut:], m, name_date(e.name))
            for m in members
            for e in sorted(_md_entries(f"{logs}/{m}"), key=_path_of)
        ]

    def file_for(self, path: Path) -> EntryFile:
        """Describe any Markdown path (inside `logs/` or not)."""
        resolved = path.resolve()
        member = ""
        try:
            parts = resolved.relative_to(self.logs.resolve()).parts
            if len(parts) >= 2:
                member = parts[0]
        except ValueError:
            pass
        return EntryFile(str(resolved), self.rel(resolved), member, name_date(resolved.name))

    def parse_text(self, text: str) -> Entry:
        from daylog.entries.parse import parse

        return parse(text, matcher=self.matcher, known_names=self.known_names)

    def load(self, f: EntryFile) -> Loaded:
        text = read_text(f.path)
        return Loaded(f, text, self.parse_text(text))


def _display(path: Path) -> Path:
    """`path` relative to the current folder when it is below it (shorter messages)."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


def _member_folders(logs: str) -> list[str]:
    """The member folders under `logs/`, sorted; none when it cannot be read."""
    try:
        return sorted(e.name for e in os.scandir(logs) if e.is_dir() and not e.name.startswith("."))
    except OSError:
        return []


def _md_entries(folder: str) -> list[os.DirEntry[str]]:
    """Every Markdown file below `folder`, skipping dot files and folders."""
    try:
        entries = list(os.scandir(folder))
    except OSError:
        return []
    out = [e for e in entries if e.name.endswith(".md") and e.name[0] != "." and not _is_dir(e)]
    for e in entries:
        if e.name[0] != "." and e.is_dir(follow_symlinks=False):  # a linked folder could loop forever
            out.extend(_md_entries(e.path))
    return out


def _path_of(e: os.DirEntry[str]) -> str:
    return e.path


def _is_dir(e: os.DirEntry[str]) -> bool:
    try:
        return e.is_dir()
    except OSError:  # a dangling or looping link
        return True


def git_user_email(root: Path) -> str | None:
    """`git config user.email` as seen from the workspace, or None."""
    import subprocess

    try:
        out = subprocess.run(
            ["git", "config", "user.email"], cwd=root, capture_output=True, text=True, timeout=10, check=False
        )
    except (OSError, subprocess.SubprocessError):
        return None
    email = out.stdout.strip()
    return email or None


def member_for(settings: Settings, author: str | None, root: Path) -> Member:
    """`--author`, else the member whose e-mail is `git config user.email`."""
    ids = ", ".join(settings.member_ids()) or "(none configured)"
    if author is not None:
        member = settings.member(author)
        if member is None:
            raise UsageError(f"--author {author!r} is not a member; members: {ids}")
        return member
    email = git_user_email(root)
    if email:
        member = settings.member_by_email(email)
        if member is not None:
            return member
        raise UsageError(
            f"git user.email {email} belongs to no member; pass --author (members: {ids}) "
            "or add the e-mail to the member's `emails` in mkdocs.yml"
        )
    raise UsageError(f"who is writing? pass --author (members: {ids}) or set git config user.email")
