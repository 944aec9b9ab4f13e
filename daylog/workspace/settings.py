"""Team settings: the schema of the `daylog` plugin block of mkdocs.yml, and the value read from it.

Each key is declared once, as a field of `Settings`: its name, type and default, and in
its metadata a `Key` with the kind of value (how it is validated, what YAML type the
MkDocs plugin accepts) and the one line the README's settings table shows. `KEYS` lists
them; `settings_reader` validates the block by them, `daylog.site.plugin` builds its
config class from them and `scripts/cli_reference.py` writes the README table.

Pure: no yaml, no files. Titles are formatted here too (`format_title`), because a title
format is a setting: data that names plain fields, never code.
"""

from __future__ import annotations

import re
import string
from collections.abc import Mapping
from dataclasses import MISSING, dataclass, field, fields, replace
from datetime import date
from enum import Enum
from typing import Any
from zoneinfo import ZoneInfo

from daylog.calendar import CourseCalendar
from daylog.entries.sections import DEFAULT_SECTIONS
from daylog.errors import UsageError

DEFAULT_TITLE = "[{course} / Day{day}] Today"
DEFAULT_TITLE_OFF_DAY = "[{course} / {date}] Today"
DEFAULT_API_URL = "https://api.github.com"
DEFAULT_COMMIT_MESSAGE = "[Day{day}] {name}: {title}"

_MEMBER_ID = re.compile(r"^[^\W_][\w.-]*$")
REPO_PATTERN = re.compile(r"^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$")


class Kind(Enum):
    """The kind of value a setting holds: `settings_reader` has one reader per kind."""

    TEXT = "text"
    ZONE = "time zone"
    HOUR = "hour"
    CHOICE = "choice"
    DATE = "date"
    BOOL = "true or false"
    TEXTS = "list of texts"
    HOLIDAYS = "holidays"
    MEMBERS = "members"
    SECTIONS = "sections"
    SECTION_LIST = "list of section keys"
    FOLDER = "folder"
    URL = "URL"
    REPO = "repository"
    TITLE = "title format"
    COMMIT_MESSAGE = "commit message format"
    SECONDS = "seconds"
    MEGABYTES = "megabytes"

    @property
    def types(self) -> tuple[type, ...]:
        """The YAML values MkDocs lets through for this kind, before daylog validates them."""
        return _YAML_TYPES.get(self, (str,))


_YAML_TYPES: dict[Kind, tuple[type, ...]] = {
    Kind.DATE: (str, date),
    Kind.HOUR: (int,),
    Kind.SECONDS: (int, float),
    Kind.MEGABYTES: (int, float),
    Kind.BOOL: (bool,),
    Kind.TEXTS: (list,),
    Kind.HOLIDAYS: (list,),
    Kind.MEMBERS: (list,),
    Kind.SECTIONS: (dict,),
    Kind.SECTION_LIST: (list,),
}


@dataclass(frozen=True, slots=True)
class Key:
    """One key of the daylog block, as `KEYS` lists it."""

    kind: Kind
    """How the value is read and checked."""
    doc: str
    """What the key means, in one line (the README's settings table)."""
    choices: tuple[str, ...] = ()
    """The values a `Kind.CHOICE` key accepts."""
    shown: str | None = None
    """The default as the README shows it, where the default's YAML would not read well."""
    name: str = ""
    """The key in mkdocs.yml: the name of its `Settings` field (set by `KEYS`)."""
    default: Any = None
    """The value when the key is absent (set by `KEYS`)."""
    required: bool = False
    """True when the key has no default and must be given (set by `KEYS`)."""


def key(kind: Kind, doc: str, *, choices: tuple[str, ...] = (), shown: str | None = None) -> dict[str, Key]:
    """The metadata of a `Settings` field that is a key of the daylog block."""
    return {"daylog": Key(kind, doc, choices, shown)}


# Frozen, slotted dataclasses like every other value (DESIGN.md rule 1): the schema lives in
# the fields' metadata, and a value is no tuple that code can index or unpack by position.
# They were NamedTuples to keep `dataclasses` (and `inspect`) out of start-up; the Typer
# app imports `inspect` anyway, and making these classes costs about 3 ms.


@dataclass(frozen=True, slots=True)
class Member:
    """One team member."""

    id: str
    """Used in paths (`logs/<id>/`) and on the command line."""
    name: str
    """Display name, as teammates write it in entries (e.g. `엠제이`)."""
    github: str | None = None
    """GitHub login, for linking and commit attribution."""
    emails: tuple[str, ...] = ()
    """Git author e-mails that belong to this member."""
    aliases: tuple[str, ...] = ()
    """Other names teammates write (nicknames, English names)."""


@dataclass(frozen=True, slots=True)
class Settings:
    """Everything a team configures, validated (read-only: change a copy with `dataclasses.replace`)."""

    course: str = field(metadata=key(Kind.TEXT, "course name, used in titles"))
    start_date: date = field(metadata=key(Kind.DATE, "Day 1 (the first course day on or after it)"))
    end_date: date | None = field(
        default=None,
        metadata=key(Kind.DATE, "the course's last day: later entries get no day number, `check` reports them"),
    )
    timezone: str = field(default="Asia/Seoul", metadata=key(Kind.ZONE, 'IANA zone for "today" and commit days'))
    day_starts_at: int = field(default=4, metadata=key(Kind.HOUR, "hour (0–23) at which a study day begins"))
    course_days: str = field(
        default="weekdays",
        metadata=key(Kind.CHOICE, "`weekdays` or `all`: the days that count", choices=("weekdays", "all")),
    )
    holidays: frozenset[date] = field(
        default=frozenset(),
        metadata=key(
            Kind.HOLIDAYS,
            "dates, `YYYY-MM-DD..YYYY-MM-DD` ranges, or `{from, to, name}` (at most 500, 3,660 days in all)",
        ),
    )
    title: str = field(
        default=DEFAULT_TITLE,
        metadata=key(Kind.TITLE, "title format; fields `course day date author name week`, widths up to 200"),
    )
    title_off_day: str = field(
        default=DEFAULT_TITLE_OFF_DAY, metadata=key(Kind.TITLE, "title of an entry on a day with no number")
    )
    members: tuple[Member, ...] = field(
        default=(), metadata=key(Kind.MEMBERS, "list of `{id, name, github, emails, aliases}`; `id` names `logs/<id>/`")
    )
    sections: dict[str, tuple[str, ...]] = field(
        default_factory=DEFAULT_SECTIONS.copy,
        metadata=key(
            Kind.SECTIONS,
            "extra heading spellings per section key (added to the defaults; new keys are new sections)",
            shown="Korean + English",
        ),
    )
    required_sections: tuple[str, ...] = field(
        default=("til",), metadata=key(Kind.SECTION_LIST, "sections `check` warns about when empty")
    )
    private_sections: tuple[str, ...] = field(
        default=(), metadata=key(Kind.SECTION_LIST, "sections kept off the published site (keys or headings)")
    )
    concepts_require_note: bool = field(
        default=False, metadata=key(Kind.BOOL, "`check` warns about a `[[wikilink]]` to a concept with no note")
    )
    issue_repo: str | None = field(default=None, metadata=key(Kind.REPO, "`owner/repo` that `#53` refers to"))
    api_url: str = field(
        default=DEFAULT_API_URL, metadata=key(Kind.URL, "GitHub API base (GitHub Enterprise: `https://host/api/v3`)")
    )
    fetch_timeout: float = field(
        default=60, metadata=key(Kind.SECONDS, "seconds (1–3600) a whole `issues fetch`, or `link`'s look-up, may take")
    )
    max_entry_size: float = field(
        default=2,
        metadata=key(Kind.MEGABYTES, "MB (0.1–50) an entry may have; `check` reports larger ones, nothing reads them"),
    )
    carry_over: bool = field(default=True, metadata=key(Kind.BOOL, "carry open assignment items into `new` entries"))
    extra_repos: tuple[str, ...] = field(
        default=(), metadata=key(Kind.TEXTS, "other local git repos whose commits count for streaks")
    )
    co_authors: bool = field(default=False, metadata=key(Kind.BOOL, "count `Co-authored-by:` trailers for streaks"))
    logs_dir: str = field(default="logs", metadata=key(Kind.FOLDER, "folder of the entries, `<logs_dir>/<id>/`"))
    commit_message: str = field(
        default=DEFAULT_COMMIT_MESSAGE,
        metadata=key(Kind.COMMIT_MESSAGE, "`daylog commit`'s message; fields as `title`, and `title` (the entry's)"),
    )
    templates_dir: str = field(
        default="templates", metadata=key(Kind.FOLDER, "folder of the entry template `entry.md.j2`")
    )
    source: str | None = None
    """The file these settings were read from (not a key)."""

    @property
    def calendar(self) -> CourseCalendar:
        return CourseCalendar(self.start_date, self.course_days == "all", self.holidays, self.end_date)

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def member(self, member_id: str) -> Member | None:
        for m in self.members:
            if m.id == member_id:
                return m
        return None

    @property
    def max_entry_bytes(self) -> int:
        """`max_entry_size` in bytes: the most any reader of entries takes from one file."""
        return int(self.max_entry_size * 1024 * 1024)

    def members_named(self, name: str) -> list[Member]:
        """The members `name` is: their id, display name, an alias or GitHub login, ignoring
        case and Unicode normal form (`엠제이`, `MJ`, `mj-gh`)."""
        wanted = _folded(name)
        if not wanted:
            return []
        exact = [m for m in self.members if m.id == name.strip()]
        if exact:
            return exact
        return [m for m in self.members if wanted in {_folded(n) for n in (m.id, m.name, m.github or "", *m.aliases)}]

    def find_member(self, name: str, option: str = "--author") -> Member:
        """The one member `name` is, or a UsageError listing the candidates (with a "did you mean")."""
        found = self.members_named(name)
        if len(found) == 1:
            return found[0]
        if found:
            listed = ", ".join(f"{m.id} ({m.name})" for m in found)
            raise UsageError(f"{option} {name!r} could be {listed}; pass the member id")
        import difflib

        spellings = {_folded(n): m.id for m in self.members for n in (m.id, m.name, m.github or "", *m.aliases) if n}
        close = difflib.get_close_matches(_folded(name), list(spellings), n=1, cutoff=0.6)
        hint = f"did you mean {spellings[close[0]]}? " if close else ""
        ids = ", ".join(self.member_ids()) or "(none configured)"
        raise UsageError(f"{option} {name!r} is not a member; {hint}members: {ids}")

    def member_by_email(self, email: str) -> Member | None:
        wanted = email.strip().lower()
        for m in self.members:
            if wanted in (e.lower() for e in m.emails):
                return m
        return None

    def member_ids(self) -> tuple[str, ...]:
        return tuple(m.id for m in self.members)

    def _replace(self, **changes: Any) -> Settings:
        """`dataclasses.replace(self, **changes)`, under the name it had as a NamedTuple."""
        return replace(self, **changes)


def _keys() -> tuple[Key, ...]:
    out = []
    for f in fields(Settings):
        if "daylog" in f.metadata:
            required = f.default is MISSING and f.default_factory is MISSING
            default = None if required else f.default if f.default_factory is MISSING else f.default_factory()
            out.append(replace(f.metadata["daylog"], name=f.name, default=default, required=required))
    return tuple(out)


KEYS: tuple[Key, ...] = _keys()
"""The keys of the daylog block, in the order of `Settings`' fields (the README's order)."""


def identity(s: Settings) -> str:
    """Everything that affects what daylog computes, as a string stable across runs.

    `repr(settings)` is not: `holidays` is a set, and its order changes with every
    process's hash seed. The file the settings came from is left out.
    """
    values = (getattr(s, k.name) for k in KEYS)
    return repr(tuple(sorted(v) if isinstance(v, frozenset) else v for v in values))


def valid_member_id(value: str) -> bool:
    """Member ids name folders: no separators, no `..`, no leading dot."""
    return bool(_MEMBER_ID.match(value)) and ".." not in value


# --- titles -------------------------------------------------------------------------

TITLE_FIELDS = ("course", "day", "date", "author", "name", "week")
"""The fields a title format may name."""
COMMIT_FIELDS = (*TITLE_FIELDS, "title")
"""The fields `commit_message` may name: a title's, and the entry's own title."""
MAX_TITLE_WIDTH = 200
"""The largest width or precision a title field may ask for."""

# The standard format spec: [[fill]align][sign][z][#][0][width][grouping][.precision][type]
_SPEC = re.compile(r"(?:[^{}]?[<>=^])?[-+ ]?z?#?0?(?P<width>\d*)[,_]?(?:\.(?P<precision>\d+))?[bcdeEfFgGnosxX%]?")


class TitleFormatError(ValueError):
    """A title format that is more than plain fields, or that does not fit its values."""


def _title_parts(fmt: str, allowed: tuple[str, ...] = TITLE_FIELDS) -> list[tuple[str, str | None, str]]:
    """The format's literal texts, each with the field and spec after it (None at the end)."""
    try:
        parsed = list(string.Formatter().parse(fmt))
    except ValueError as exc:  # a single `}`, an unclosed `{`
        raise TitleFormatError(str(exc)) from None
    out: list[tuple[str, str | None, str]] = []
    for literal, name, spec, conversion in parsed:
        if name is not None:
            _check_field(name, spec or "", conversion, allowed)
        out.append((literal, name, spec or ""))
    return out


def _check_field(name: str, spec: str, conversion: str | None, allowed: tuple[str, ...]) -> None:
    if name not in allowed:
        if any(c in name for c in ".["):
            raise TitleFormatError(f"`{{{cut(name)}}}`: attribute and index access are not allowed")
        raise TitleFormatError(f"unknown field `{{{cut(name)}}}`")
    if conversion is not None:
        raise TitleFormatError(f"`{{{name}!{conversion}}}`: conversions are not allowed")
    m = _SPEC.fullmatch(spec)
    if m is None:
        raise TitleFormatError(f"`{{{name}:{cut(spec)}}}` is not a plain width, alignment or number format")
    for part in ("width", "precision"):
        if int(m[part] or 0) > MAX_TITLE_WIDTH:
            raise TitleFormatError(f"`{{{name}:{cut(spec)}}}`: a {part} above {MAX_TITLE_WIDTH} is not allowed")


def format_title(fmt: str, **fields: object) -> str:
    """`fmt.format(**fields)` for the plain fields of `TITLE_FIELDS` only: no attribute or index
    access, no conversions, widths up to `MAX_TITLE_WIDTH`; anything else is a TitleFormatError."""
    return format_fields(fmt, TITLE_FIELDS, fields)


def format_fields(fmt: str, allowed: tuple[str, ...], fields: Mapping[str, object]) -> str:
    """`format_title` for another set of plain fields (`COMMIT_FIELDS`)."""
    out: list[str] = []
    for literal, name, spec in _title_parts(fmt, allowed):
        out.append(literal)
        if name is None:
            continue
        if name not in fields:
            raise TitleFormatError(f"no value for `{{{name}}}`")
        try:
            out.append(format(fields[name], spec))
        except (ValueError, TypeError) as exc:
            raise TitleFormatError(str(exc)) from None
    return "".join(out)


def cut(text: str, limit: int = 80) -> str:
    """A user's text for an error message, cut to about `limit` characters."""
    return text if len(text) <= limit else text[: limit - 1] + "…"


def cut_repr(value: object, limit: int = 80) -> str:
    """`repr(value)` for an error message, cut to about `limit` characters."""
    return cut(repr(value), limit)


def _folded(name: str) -> str:
    import unicodedata

    return unicodedata.normalize("NFC", name).strip().casefold()
