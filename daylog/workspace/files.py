"""The team workspace on disk: where it is, which entries it holds, and reading them safely.

This is the filesystem adapter around the pure core: it finds `mkdocs.yml`, lists
`logs/<member>/<YYYY-MM-DD>.md` and reads files into parsed entries (writes are in
`writes`). An entry is a regular file whose real path lies inside the workspace and
whose size is within `MAX_ENTRY_BYTES`: anything else found under `logs/` (a link
leading out, a FIFO, a device, a folder named `*.md`, a huge file) is refused by the
scan, never read past its `stat` and never published; `check` names it.
"""

from __future__ import annotations

import contextlib
import operator
import os
import re
import stat
from datetime import date
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, NamedTuple

from daylog.errors import DaylogError, NoWorkspace, UsageError
from daylog.workspace.config_file import has_daylog_block, load_settings
from daylog.workspace.reads import MAX_ENTRY_BYTES as MAX_ENTRY_BYTES  # re-exported: readers import them from here
from daylog.workspace.reads import decode as decode
from daylog.workspace.reads import read_entry_bytes as read_entry_bytes
from daylog.workspace.reads import read_text as read_text
from daylog.workspace.settings import Member, Settings

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
            return cls(root, load_settings(_display(config), root / CACHE_DIR))
        here = start.resolve()
        for folder in (here, *here.parents):
            config = folder / CONFIG_NAME
            if config.is_file() and has_daylog_block(config):
                return cls(folder, load_settings(_display(config), folder / CACHE_DIR))
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
        if path.is_file() or path.is_symlink():
            from daylog.workspace.writes import inside

            shown = self.rel(path) if not path.is_symlink() else f"{self.settings.templates_dir}/{TEMPLATE_NAME}"
            return shown, read_text(inside(path, self.root), shown)
        from importlib.resources import files

        builtin = files("daylog.workspace").joinpath("templates", TEMPLATE_NAME)
        return f"(built-in) {TEMPLATE_NAME}", builtin.read_text("utf-8")

    def entry_path(self, member: str, d: date) -> Path:
        return self.logs / member / f"{d.isoformat()}.md"

    def files(self, member: str | None = None) -> list[EntryFile]:
        """Every entry under `logs/<member>/` (one member's folder, with `member`), sorted by member then path."""
        return self.scan(member).files

    def scan(self, member: str | None = None) -> Scan:
        """The entries under `logs/` (of one member, with `member`), what was refused, and temp leftovers."""
        out = Scan([], [], [], {})
        logs = str(self.logs)
        root = os.path.realpath(self.root)
        limit = self.settings.max_entry_bytes
        for m in _member_folders(logs):
            if member is None or m == member:
                _scan_folder(out, f"{logs}/{m}", f"{self.settings.logs_dir}/{m}/", m, (root, limit))
        out.files.sort(key=_member_and_path)
        out.refused.sort()
        out.leftovers.sort()
        return out

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
        text = read_text(f.path, f.rel)
        return Loaded(f, text, self.parse_text(text))


def _display(path: Path) -> Path:
    """`path` relative to the current folder when it is below it (shorter messages)."""
    try:
        return path.resolve().relative_to(Path.cwd())
    except ValueError:
        return path


class Refused(NamedTuple):
    """A file under `logs/` that is not an entry daylog may read (`check` names it)."""

    rel: str
    reason: str


class NotAnEntry(DaylogError):
    """A refused file, as listings report it."""


class Scan(NamedTuple):
    """What a walk of `logs/` found."""

    files: list[EntryFile]
    refused: list[Refused]
    leftovers: list[tuple[str, float]]
    """(rel, mtime) of temp files an interrupted write left behind (`.<name>.XXXX.tmp`)."""
    stats: dict[str, os.stat_result]
    """rel → the `stat` of each entry file, taken during the walk."""

    def refusals(self) -> list[NotAnEntry]:
        return [NotAnEntry(r.reason, path=r.rel, hint="daylog reads only regular files inside the workspace")
                for r in self.refused]  # fmt: skip


def _member_folders(logs: str) -> list[str]:
    """The member folders under `logs/`, sorted; none when it cannot be read."""
    try:
        return sorted(e.name for e in os.scandir(logs) if not e.name.startswith(".") and _is_dir(e))
    except OSError:
        return []


def _scan_folder(out: Scan, folder: str, rel: str, member: str, bounds: tuple[str, int]) -> None:
    """Entries of one folder into `out`, then its subfolders (links to folders are not followed).

    `bounds`: the workspace's real path (links must stay in it) and the size an entry may have.
    The loop is the scan's cost at 30,000 entries: a regular file of a sane size (all of them,
    on a team's disk) takes one `stat` and one test; anything else goes to `_scan_odd`.
    """
    root, limit = bounds
    real = os.path.realpath(folder)
    try:
        with os.scandir(folder) as it:
            found = list(it)
    except OSError:
        return
    if real != root and not real.startswith(root + os.sep):
        out.refused.extend(Refused(rel + e.name, "lies outside the workspace (a linked folder)") for e in found
                           if e.name.endswith(".md") and e.name[0] != ".")  # fmt: skip
        return
    files, stats, isreg = out.files, out.stats, stat.S_ISREG
    subfolders = []
    for e in found:
        name = e.name
        if name[0] == ".":
            if name.endswith(".tmp") and ".md." in name:
                with contextlib.suppress(OSError):
                    out.leftovers.append((rel + name, e.stat(follow_symlinks=False).st_mtime))
        elif name.endswith(".md"):
            st = None if e.is_symlink() else e.stat()
            if st is not None and isreg(st.st_mode) and st.st_size <= limit:
                here = rel + name
                files.append(EntryFile(e.path, here, member, name_date(name)))
                stats[here] = st
            else:
                _scan_odd(out, e, rel, member, bounds)
        elif e.is_dir(follow_symlinks=False):
            subfolders.append(e)
    for e in sorted(subfolders, key=_name_of):
        _scan_folder(out, e.path, f"{rel}{e.name}/", member, bounds)


def _scan_odd(out: Scan, e: os.DirEntry[str], rel: str, member: str, bounds: tuple[str, int]) -> None:
    """A `*.md` name that is a link, or no regular file of a sane size: an entry, or why it is not one."""
    root, limit = bounds
    here = rel + e.name
    if e.is_symlink():
        target = os.path.realpath(e.path)
        if not target.startswith(root + os.sep):
            out.refused.append(Refused(here, "is a link leading outside the workspace"))
            return
    try:
        st = e.stat()
    except OSError:
        out.refused.append(Refused(here, "is a broken link"))
        return
    if stat.S_ISDIR(st.st_mode):
        out.refused.append(Refused(here, "is a folder named like an entry"))
    elif not stat.S_ISREG(st.st_mode):
        out.refused.append(Refused(here, "is not a regular file (a FIFO, device or socket)"))
    elif st.st_size > limit:
        size, most = st.st_size / 1048576, round(limit / 1048576, 2)
        why = f"is {size:.1f} MB, over the {most:g} MB an entry may have (`max_entry_size`)"
        out.refused.append(Refused(here, why))
    else:
        out.files.append(EntryFile(e.path, here, member, name_date(e.name)))
        out.stats[here] = st


_member_and_path = operator.itemgetter(2, 0)
"""Sort key of an `EntryFile`: (member, path). C-level getters: a scan sorts every file of the team."""
_name_of = operator.attrgetter("name")


def _is_dir(e: os.DirEntry[str]) -> bool:
    try:
        return e.is_dir()
    except OSError:  # a dangling or looping link
        return False


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
    """`--author` (id, name, alias or GitHub login), else the member whose e-mail is `git config user.email`."""
    ids = ", ".join(settings.member_ids()) or "(none configured)"
    if author is not None:
        return settings.find_member(author)
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
