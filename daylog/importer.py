"""Bring existing Jekyll/Chirpy/TIL posts into a workspace, and publish entries back to Jekyll.

`import_posts` works out each post's date from every clue it has (front matter, file
name, a dated heading, a Day/week number mapped through the course calendar), says
which clue won and why, and writes `logs/<author>/<date>.md` with normalised front
matter and the body kept exactly as written. It never overwrites, so running it
twice imports nothing new. `export_jekyll` writes `_posts/YYYY-MM-DD-<slug>.md` with
Chirpy front matter and without the private sections.
"""

from __future__ import annotations

import enum
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any

from daylog.errors import DaylogError

if TYPE_CHECKING:
    from daylog.calendar import CourseCalendar
    from daylog.entry import Entry
    from daylog.workspace import Workspace


class Status(enum.Enum):
    IMPORTED = "imported"
    SKIPPED = "skipped"
    FAILED = "failed"


@dataclass(frozen=True, slots=True)
class ImportResult:
    """What daylog understood from one post and what it did with it."""

    source: str
    target: str | None
    date: date | None
    date_source: str | None
    """`front matter`, `file name`, `heading`, `day number` (how the date was found)."""
    day: int | None
    status: Status
    reasons: tuple[str, ...]
    counts: dict[str, int] | None
    """questions, followups, tasks, issue_links, sections (None when the post was not read)."""
    encoding: str | None = None

    def as_json(self) -> dict[str, Any]:
        return {
            "source": self.source,
            "target": self.target,
            "date": self.date.isoformat() if self.date else None,
            "date_source": self.date_source,
            "day": self.day,
            "status": self.status.value,
            "reasons": list(self.reasons),
            "counts": self.counts,
        }


# --- reading a post ------------------------------------------------------------------


class _Unreadable(Exception):
    def __init__(self, message: str, status: Status = Status.FAILED) -> None:
        super().__init__(message)
        self.status = status


def decode_post(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8, UTF-8 with a BOM, UTF-16 with a BOM, else CP949 (Korean Windows)."""
    if not data.strip():
        raise _Unreadable("empty file", Status.SKIPPED)
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "UTF-16"
        except UnicodeDecodeError:
            raise _Unreadable("binary file, not text (a UTF-16 mark but bad text)") from None
    head = data[:4096]
    controls = sum(1 for b in head if b < 32 and b not in (9, 10, 12, 13))
    if b"\x00" in head or controls > len(head) // 20:
        raise _Unreadable("binary file, not text")
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "UTF-8-SIG"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "UTF-8"
        except UnicodeDecodeError:
            pass
    try:
        return data.decode("cp949"), "CP949"
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise _Unreadable(f"not UTF-8, UTF-8 with BOM or CP949 text (line {line}); re-save it as UTF-8") from None


# --- date clues ------------------------------------------------------------------------

_FULL_DATE = re.compile(r"(?<!\d)(?P<y>20\d{2}|19\d{2})[-._/ ]?(?P<m>\d{1,2})[-._/ ]?(?P<d>\d{1,2})(?!\d)")
_SEP_DATE = re.compile(r"(?<!\d)(?P<y>20\d{2}|19\d{2})\s*[-._/년]\s*(?P<m>\d{1,2})\s*[-._/월]\s*(?P<d>\d{1,2})(?!\d)")
_SHORT_YEAR = re.compile(r"(?<!\d)(?P<y>\d{2})[-._](?P<m>\d{1,2})[-._](?P<d>\d{1,2})(?!\d)")
_YYMMDD = re.compile(r"(?<![\d])(?P<y>[2-3]\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_MMDD_TOKEN = re.compile(r"(?<![\dA-Za-z])(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_PARTIAL = re.compile(
    r"^(?P<m>\d{1,2})\s*(?:[./]|월\s*)\s*(?P<d>\d{1,2})(?:\s*일)?\.?\s*(?:[(（]\s*(?P<w>[월화수목금토일])\s*(?:요일)?\s*[)）])?"
    r"(?:\s*(?P<w2>[월화수목금토일])요일)?(?![\d.])"
)
_WEEK_DAY = re.compile(
    r"(?i)week\s*0*(?P<w>[1-9]\d?)(?:st|nd|rd|th)?(?:\s*[-_ ]+\s*(?:day\s*)?|\s*day\s*)0*(?P<d>[1-7])(?!\d)"
)
_DAY = re.compile(r"(?i)(?<![a-z])(?:day|d)[-_ ]?0*(?P<n>\d{1,3})(?:\s*[-~]\s*0*(?P<to>\d{1,3}))?(?!\d)")
_DAY_KO = re.compile(r"(?<!\d)0*(?P<n>\d{1,3})(?:\s*[,~-]\s*0*(?P<to>\d{1,3}))?\s*일차")
_DAYS_EN = re.compile(r"(?i)(?<!\d)0*(?P<n>\d{1,3})(?:\s*[~-]\s*0*(?P<to>\d{1,3}))?\s*days?\b")
_TAG_DAY = re.compile(r"(?i)^0*(?P<n>\d{1,3})\s*days?$")
_DATE_LINE = re.compile(r"(?im)^[>\s]*date\s*[:：]\s*(?P<v>\S.*)$")
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.+?)[ \t#]*$")
_WEEKDAYS = "월화수목금토일"


@dataclass(frozen=True, slots=True)
class Clues:
    """Everything a post says about its date."""

    front_matter: date | None = None
    front_matter_key: str | None = None
    file_name: date | None = None
    file_partial: tuple[int, int] | None = None
    heading: date | None = None
    heading_partial: tuple[int, int, int | None] | None = None
    """(month, day, weekday 0=Monday or None) of a heading like `## 09/13(월) 피어세션`."""
    heading_text: str | None = None
    day: int | None = None
    day_to: int | None = None
    day_from: str | None = None
    week_day: tuple[int, int] | None = None
    week_day_from: str | None = None


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _full_date_in(text: str, rx: re.Pattern[str] = _FULL_DATE) -> date | None:
    for m in rx.finditer(text):
        found = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
        if found is not None:
            return found
    return None


def _day_in(text: str) -> tuple[int, int | None] | None:
    for rx in (_DAY, _DAY_KO, _DAYS_EN):
        m = rx.search(text)
        if m:
            n = int(m["n"])
            to = int(m["to"]) if m["to"] else None
            if 1 <= n <= 400:
                return n, (to if to and to > n else None)
    return None


def gather_clues(name: str, folders: Sequence[str], entry: Entry, text: str) -> Clues:
    """Date clues of one post: front matter, file name (and folders), title, tags, first headings."""
    values: dict[str, Any] = {}
    if entry.date is not None:
        values["front_matter"] = entry.date
        values["front_matter_key"] = "data" if "date" not in entry.front_matter else "date"
    stem = name.rsplit(".", 1)[0]
    full = _full_date_in(stem)
    if full is None:
        m = _YYMMDD.search(stem) or next((_YYMMDD.search(f) for f in reversed(folders) if _YYMMDD.search(f)), None)
        if m:
            full = _valid(2000 + int(m["y"]), int(m["m"]), int(m["d"]))
    if full is not None:
        values["file_name"] = full
    else:
        m = _MMDD_TOKEN.search(stem)
        if m and _valid(2000, int(m["m"]), int(m["d"])):
            values["file_partial"] = (int(m["m"]), int(m["d"]))
    # Day and week numbers: title, then file name, then tags, then headings.
    where: list[tuple[str, str]] = []
    if entry.title:
        where.append(("title", unicodedata.normalize("NFC", entry.title)))
    where.append(("file name", unicodedata.normalize("NFC", "/".join([*folders[-1:], stem]))))
    body_lines = text.split("\n", entry.front_matter_end + 60)[entry.front_matter_end : entry.front_matter_end + 60]
    headings: list[str] = []
    for raw in body_lines:
        hm = _HEADING_LINE.match(raw.rstrip("\r"))
        if hm:
            headings.append(unicodedata.normalize("NFC", re.sub(r"\*\*|__|[*_`]", "", hm["text"])).strip())
    for label, value in where + [("heading", h) for h in headings[:5]]:
        wm = _WEEK_DAY.search(value)
        if wm and "week_day" not in values:
            values["week_day"] = (int(wm["w"]), int(wm["d"]))
            values["week_day_from"] = label
            continue
        found = _day_in(value) if "day" not in values else None
        if found is not None:
            values["day"], values["day_to"] = found
            values["day_from"] = label
    if "day" not in values:
        for tag in entry.tags:
            tm = _TAG_DAY.match(tag.strip())
            if tm:
                values["day"], values["day_from"] = int(tm["n"]), "tags"
                break
    # A date in the first headings (or a `Date : 22.01.18` line).
    for h in headings[:8]:
        full = _full_date_in(h, _SEP_DATE)
        if full is not None:
            values["heading"], values["heading_text"] = full, h
            break
        pm = _PARTIAL.match(h)
        if pm and _valid(2000, int(pm["m"]), int(pm["d"])):
            w = pm["w"] or pm["w2"]
            values["heading_partial"] = (int(pm["m"]), int(pm["d"]), _WEEKDAYS.index(w) if w else None)
            values["heading_text"] = h
            break
    if "heading" not in values and "heading_partial" not in values:
        dm = _DATE_LINE.search("\n".join(body_lines[:30]))
        if dm:
            v = dm["v"].strip()
            full = _full_date_in(v, _SEP_DATE)
            if full is None:
                sm = _SHORT_YEAR.search(v)
                full = _valid(2000 + int(sm["y"]), int(sm["m"]), int(sm["d"])) if sm else None
            if full is not None:
                values["heading"], values["heading_text"] = full, dm.group(0).strip()
    return Clues(**values)


_Date = date


@dataclass(frozen=True, slots=True)
class Resolved:
    date: date | None
    source: str | None
    reasons: tuple[str, ...]
    partial: tuple[int, int, int | None] | None = None
    """Month/day (weekday) still waiting for a year from neighbouring posts."""
    numbered: tuple[str, _Date] | None = None
    """The day number's clue and date, to compare with once the year is known."""


def _week_day_date(calendar: CourseCalendar, week: int, n: int) -> date | None:
    if week < 1:
        return None
    monday, sunday = calendar.week_bounds(week)
    d, count = monday, 0
    while d <= sunday:
        if d >= calendar.start and calendar.is_course_day(d):
            count += 1
            if count == n:
                return d
        d += timedelta(days=1)
    return None


def _same_day(a: date, b: date) -> bool:
    return (a.month, a.day) == (b.month, b.day) and a.year != b.year


def _year_typo(fm: date, numbered: date, calendar: CourseCalendar) -> bool:
    """The front-matter date cannot be the course day the post is numbered as (`2020-02-03` for Day13 of 2021)."""
    return _same_day(fm, numbered) or fm < calendar.start


def resolve_date(clues: Clues, calendar: CourseCalendar) -> Resolved:
    """Pick the post's date from its clues and explain contradictions.

    Order: front matter, file name, dated heading, day number. When the front matter
    and the file name disagree, the file name wins (front-matter dates are often
    template boilerplate) unless the day number agrees with the front matter.
    """
    reasons: list[str] = []
    numbered: tuple[str, date] | None = None
    if clues.week_day is not None:
        wd = _week_day_date(calendar, *clues.week_day)
        if wd is not None:
            numbered = (f"Week{clues.week_day[0]}-Day{clues.week_day[1]} in the {clues.week_day_from}", wd)
    elif clues.day is not None:
        numbered = (f"Day{clues.day} in the {clues.day_from}", calendar.date_of_day(clues.day))
        if clues.day_to:
            reasons.append(f"covers Day{clues.day}–{clues.day_to}; filed under Day{clues.day}")
    fm, fn = clues.front_matter, clues.file_name
    key = clues.front_matter_key or "date"
    chosen: tuple[date, str] | None = None
    if clues.front_matter_key == "data":
        reasons.append("front matter has `data:` (a typo for `date:`); renamed to `date:`")
    if fm is not None and fn is not None and fm != fn:
        if numbered is not None and numbered[1] == fm:
            chosen = (fm, "front matter")
            reasons.append(f"file name says {fn} but front matter `{key}` says {fm}; used {fm} ({numbered[0]} agrees)")
        else:
            chosen = (fn, "file name")
            why = f"{numbered[0]} agrees" if numbered and numbered[1] == fn else "the file name is more reliable"
            reasons.append(f"front matter `{key}` says {fm} but the file name says {fn}; used {fn} ({why})")
    elif fm is not None and fn is None and numbered and numbered[1] != fm and _year_typo(fm, numbered[1], calendar):
        chosen = (numbered[1], "day number")
        why = "the same day in another year: a year typo" if _same_day(fm, numbered[1]) else "before the course start"
        reasons.append(f"front matter `{key}` says {fm} ({why}); used {numbered[1]}, {numbered[0]}")
    elif fm is not None:
        chosen = (fm, "front matter")
    elif fn is not None:
        chosen = (fn, "file name")
    elif clues.heading is not None:
        chosen = (clues.heading, "heading")
    if chosen is None and (clues.heading_partial is not None or clues.file_partial is not None):
        partial = clues.heading_partial or (*clues.file_partial, None)  # type: ignore[misc]
        source = "heading" if clues.heading_partial else "file name"
        if numbered is not None and (numbered[1].month, numbered[1].day) == partial[:2]:
            reasons.append(f"no year written; {numbered[1].year} from {numbered[0]}")
            return Resolved(numbered[1], source, tuple(reasons))
        return Resolved(None, source, tuple(reasons), partial, numbered)
    if chosen is None and numbered is not None:
        chosen = (numbered[1], "day number")
        reasons.append(f"no date written; {numbered[0]} is {numbered[1]} by the course calendar")
    if chosen is None:
        return Resolved(None, None, tuple(reasons))
    d, source = chosen
    if clues.heading is not None and clues.heading != d and source != "heading":
        reasons.append(f"heading `{clues.heading_text}` says {clues.heading}; kept {d} from the {source}")
    if numbered is not None and numbered[1] != d and source != "day number":
        reasons.append(f"{numbered[0]} is {numbered[1]} by the course calendar; kept {d} from the {source}")
    return Resolved(d, source, tuple(reasons))


def infer_year(month: int, day: int, weekday: int | None, neighbours: Sequence[date], calendar: CourseCalendar) -> date:
    """A date for `month/day` (no year): the weekday decides when given, else the nearest to the neighbours."""
    anchor = sorted(neighbours)[len(neighbours) // 2] if neighbours else calendar.start
    options = [c for y in range(anchor.year - 1, anchor.year + 2) if (c := _valid(y, month, day)) is not None]
    if weekday is not None:
        matching = [c for c in options if c.weekday() == weekday]
        if matching:
            options = matching
        else:  # search further for the year whose weekday fits (`09/13(월)` → 2021)
            for delta in range(2, 12):
                for y in (anchor.year - delta, anchor.year + delta):
                    c = _valid(y, month, day)
                    if c is not None and c.weekday() == weekday:
                        return c
    options = [c for c in options if c >= calendar.start] or options  # posts of a course follow its start
    return min(options, key=lambda c: abs((c - anchor).days))


# --- writing the normalised entry --------------------------------------------------------

_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?P<value>.*?)(?P<eol>\r?)$")


def _quote(value: str) -> str:
    return json.dumps(value, ensure_ascii=False)


def split_front_matter(text: str, entry: Entry) -> tuple[list[str] | None, str, str | None]:
    """(front-matter lines incl. both delimiters, body, YAML problem) of a post's text."""
    if not entry.front_matter_end:
        return None, text, None
    lines = text.split("\n")
    head = lines[: entry.front_matter_end]
    body = "\n".join(lines[entry.front_matter_end :])
    problem = next(
        (
            f"line {d.line}: {d.message}"
            for d in entry.diagnostics
            if d.code == "front-matter" and d.severity.value == "error"
        ),
        None,
    )
    if problem is not None and not entry.front_matter:
        return head, body, problem
    return head, body, None


def normalised_text(
    text: str, entry: Entry, *, when: date, author: str, day: int | None, title: str
) -> tuple[str, list[str]]:
    """The entry to write: front matter with `date` corrected and `author`/`day` set; body unchanged."""
    eol = "\r\n" if text.split("\n", 1)[0].endswith("\r") else "\n"
    head, body, problem = split_front_matter(text, entry)
    notes: list[str] = []
    stamp = f"{when.isoformat()} {entry.time}" if entry.time else when.isoformat()
    wanted = {"date": stamp, "author": author}
    if day is not None:
        wanted["day"] = str(day)
    if head is None or problem is not None:
        lines = ["---"]
        if problem is not None:
            notes.append(f"front matter does not parse ({problem}); kept it as YAML comments")
            lines.append("# daylog import: the original front matter did not parse; kept here as comments:")
            lines.extend(f"# {raw.rstrip(chr(13))}" for raw in head or [])
        lines += [
            f"title: {_quote(title)}",
            f"date: {stamp if problem is None else when.isoformat()}",
            f"author: {author}",
        ]
        if day is not None:
            lines.append(f"day: {day}")
        lines.append("---")
        return eol.join(lines) + eol + body, notes
    inner = head[1:-1]
    seen: set[str] = set()
    for i, raw in enumerate(inner):
        m = _TOP_KEY.match(raw)
        if m is None:
            continue
        key, value, cr = m["key"], m["value"].strip(), m["eol"]
        target = "date" if key == "data" and "date" not in entry.front_matter else key
        if target in seen or target not in wanted:
            continue
        seen.add(target)
        shown = value.split(" #", 1)[0].strip().strip("\"'")
        if target == "date":
            if key != "date" or entry.date != when:
                inner[i] = f"date: {stamp}{cr}"
        elif shown != wanted[target]:
            inner[i] = f"{target}: {wanted[target]}" + (f"  # was: {shown}" if shown else "") + cr
            if shown:
                notes.append(
                    f"front matter `{target}: {shown}` replaced by `{wanted[target]}` (the old value kept as a comment)"
                )
    cr = "\r" if eol == "\r\n" else ""
    if "title" not in entry.front_matter:
        inner.append(f"title: {_quote(title)}{cr}")
    for key in ("date", "author", "day"):
        if key in wanted and key not in seen:
            inner.append(f"{key}: {wanted[key]}{cr}")
    return "\n".join([head[0], *inner, head[-1]]) + "\n" + body, notes


def _body_of(text: str, parse: Callable[[str], Entry]) -> str:
    entry = parse(text)
    return split_front_matter(text, entry)[1]


# --- the import ----------------------------------------------------------------------------


@dataclass(slots=True)
class _Post:
    source: str
    path: Path
    text: str = ""
    encoding: str | None = None
    entry: Entry | None = None
    resolved: Resolved | None = None
    failure: _Unreadable | None = None
    folder: str = ""


def find_posts(paths: Iterable[Path]) -> list[tuple[str, Path]]:
    """(shown name, path) of every Markdown file under the given files and folders, sorted."""
    out: list[tuple[str, Path]] = []
    for given in paths:
        if given.is_dir():
            found: list[Path] = []
            for folder, dirs, files in os.walk(given):
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                found.extend(
                    Path(folder) / f
                    for f in files
                    if f.lower().endswith((".md", ".markdown")) and not f.startswith(".")
                )
            out.extend((str(p), p) for p in sorted(found))
        else:
            out.append((str(given), given))
    return out


def import_posts(
    ws: Workspace,
    paths: Sequence[Path],
    author: str,
    *,
    dry_run: bool = False,
    merge: bool = False,
    progress: Callable[[int, int], None] | None = None,
) -> list[ImportResult]:
    """Import every post; one bad post never stops the others. Results are in file order."""
    from daylog.workspace import decode

    posts = [_Post(name, p) for name, p in find_posts(paths)]
    total = len(posts)
    calendar = ws.settings.calendar
    for i, post in enumerate(posts):
        post.folder = str(post.path.parent)
        try:
            data = post.path.read_bytes()
        except OSError as exc:
            post.failure = _Unreadable(f"cannot read: {exc.strerror or exc}")
            continue
        try:
            post.text, post.encoding = decode_post(data)
        except _Unreadable as exc:
            post.failure = exc
            continue
        if post.text.startswith("\ufeff"):
            post.text = post.text[1:]
        post.entry = ws.parse_text(post.text)
        folders = [unicodedata.normalize("NFC", p) for p in post.path.parent.parts[-2:]]
        post.resolved = resolve_date(gather_clues(post.path.name, folders, post.entry, post.text), calendar)
        if progress is not None:
            progress(i + 1, total * 2)
    # Month/day with no year: the year that puts it nearest its folder's dated posts.
    dated: dict[str, list[date]] = {}
    for post in posts:
        if post.resolved is not None and post.resolved.date is not None:
            dated.setdefault(post.folder, []).append(post.resolved.date)
    every = sorted(d for ds in dated.values() for d in ds)
    for post in posts:
        r = post.resolved
        if r is None or r.date is not None or r.partial is None:
            continue
        neighbours = dated.get(post.folder) or every
        d = infer_year(r.partial[0], r.partial[1], r.partial[2], neighbours, calendar)
        how = (
            "its weekday" if r.partial[2] is not None else ("neighbouring posts" if neighbours else "the course start")
        )
        more = [f"no year written; {d.year} from {how}"]
        if r.numbered is not None and r.numbered[1] != d:
            more.append(f"{r.numbered[0]} is {r.numbered[1]} by the course calendar; kept {d} from the {r.source}")
        post.resolved = Resolved(d, r.source, (*r.reasons, *more))

    results: list[ImportResult] = []
    written: dict[Path, str] = {}  # this run's targets (dry runs keep them here only)
    first_of: dict[Path, str] = {}
    for i, post in enumerate(posts):
        if progress is not None:
            progress(total + i + 1, total * 2)
        results.append(_import_one(ws, post, author, dry_run, merge, written, first_of, decode))
    return results


def _counts(ws: Workspace, text: str, entry: Entry) -> dict[str, int]:
    from daylog.issuerefs import find_refs

    try:
        refs = {r.key for r in find_refs(text, issue_repo=ws.settings.issue_repo).refs}
    except DaylogError:
        refs = set()
    return {
        "questions": len(entry.questions),
        "followups": len(entry.followups),
        "tasks": len(entry.tasks),
        "issue_links": len(refs),
        "sections": sum(1 for s in entry.sections if s.key is not None),
    }


def _import_one(
    ws: Workspace,
    post: _Post,
    author: str,
    dry_run: bool,
    merge: bool,
    written: dict[Path, str],
    first_of: dict[Path, str],
    decode: Callable[[bytes, str], str],
) -> ImportResult:
    from daylog.workspace import replace_checked, write_new

    if post.failure is not None:
        return ImportResult(post.source, None, None, None, None, post.failure.status, (str(post.failure),), None)
    assert post.entry is not None and post.resolved is not None
    reasons = list(post.resolved.reasons)
    if post.encoding not in (None, "UTF-8"):
        reasons.insert(0, f"read as {post.encoding}; written as UTF-8")
    when = post.resolved.date
    if when is None:
        reasons.append(
            "no date found (front matter, file name, headings, Day N); "
            "add `date: YYYY-MM-DD` or name the file YYYY-MM-DD-….md"
        )
        counts = _counts(ws, post.text, post.entry)
        return ImportResult(post.source, None, None, None, None, Status.SKIPPED, tuple(reasons), counts, post.encoding)
    day = ws.settings.calendar.day_number(when)
    target = ws.entry_path(author, when)
    rel = ws.rel(target)
    title = _title(ws, post, when, day, author)
    text, notes = normalised_text(post.text, post.entry, when=when, author=author, day=day, title=title)
    reasons.extend(notes)
    entry = ws.parse_text(text)
    counts = _counts(ws, text, entry)
    body = split_front_matter(text, entry)[1]

    def result(status: Status, *more: str) -> ImportResult:
        return ImportResult(
            post.source,
            rel,
            when,
            post.resolved.source if post.resolved else None,
            day,
            status,
            (*reasons, *more),
            counts,
            post.encoding,
        )

    existing = written.get(target)
    if existing is None and target.exists():
        try:
            existing = decode(target.read_bytes(), rel)
        except (OSError, DaylogError) as exc:
            return result(Status.FAILED, f"{rel} exists but cannot be read: {exc}")
    if existing is not None:
        if body.strip() and (_body_of(existing, ws.parse_text) == body or body in existing):
            return result(Status.SKIPPED, f"already imported into {rel}; nothing new")
        if not merge:
            earlier = first_of.get(target)
            why = f"same day as {earlier} (the first keeps the name)" if earlier else f"{rel} already exists"
            return result(Status.SKIPPED, f"{why}; --merge appends it to that entry as a section")
        merged = _merged(existing, body, post, title)
        if not dry_run:
            try:
                replace_checked(target, merged, existing.encode("utf-8")) if target.exists() else write_new(
                    target, merged
                )
            except (DaylogError, FileExistsError) as exc:
                return result(Status.FAILED, f"cannot merge into {rel}: {exc}")
        written[target] = merged
        return result(
            Status.IMPORTED, f"merged into {rel} as a section" + (" (dry run: not written)" if dry_run else "")
        )
    if not dry_run:
        try:
            write_new(target, text)
        except FileExistsError:
            return result(Status.SKIPPED, f"{rel} appeared meanwhile; not overwritten")
        except DaylogError as exc:
            return result(Status.FAILED, str(exc))
    written[target] = text
    first_of[target] = post.source
    return result(Status.IMPORTED, *(["dry run: not written"] if dry_run else []))


def _title(ws: Workspace, post: _Post, when: date, day: int | None, author: str) -> str:
    assert post.entry is not None
    if post.entry.title:
        return post.entry.title
    return entry_title(ws, when, day, author)


def entry_title(ws: Workspace, when: date, day: int | None, author: str) -> str:
    """The team's title format (`title`, or `title_off_day` on a day with no number)."""
    s = ws.settings
    member = s.member(author)
    fields = {
        "course": s.course,
        "day": day,
        "date": when.isoformat(),
        "author": author,
        "name": member.name if member else author,
        "week": s.calendar.week_number(when),
    }
    try:
        return (s.title if day is not None else s.title_off_day).format(**fields)
    except (KeyError, IndexError, ValueError):
        return f"{s.course} {when.isoformat()}"


def _merged(existing: str, body: str, post: _Post, title: str) -> str:
    eol = "\r\n" if "\r\n" in existing else "\n"
    out = existing if existing.endswith("\n") else existing + eol
    source = post.path.name.replace("--", "- -")
    out += f"{eol}<!-- daylog import: merged from {source} -->{eol}"
    if not body.lstrip().startswith("#"):
        out += f"## {title}{eol}{eol}"
    return out + body


# --- export -----------------------------------------------------------------------------------

EXPORT_MARK = "# exported by daylog from "


@dataclass(frozen=True, slots=True)
class ExportResult:
    source: str
    target: str
    status: str
    """`written`, `updated`, `unchanged` or `skipped`."""
    reason: str = ""

    def as_json(self) -> dict[str, str]:
        return {"source": self.source, "target": self.target, "status": self.status, "reason": self.reason}


_SLUG_DROP = re.compile(r"[^\w가-힣]+")


def slug(title: str, limit: int = 60) -> str:
    """A safe file-name part from a title: letters, digits, Hangul and `-` only (no `/`, no `..`)."""
    text = unicodedata.normalize("NFC", title).lower()
    text = _SLUG_DROP.sub("-", text).replace("_", "-")
    text = re.sub(r"-{2,}", "-", text).strip("-")[:limit].strip("-")
    return text or "entry"


def without_sections(text: str, entry: Entry, keys: Iterable[str]) -> str:
    """`text` with the sections of the given keys (heading and body) removed."""
    drop = sorted((s.start, s.stop) for s in entry.sections if s.key in set(keys))
    if not drop:
        return text
    out, pos = [], 0
    for a, b in drop:
        if b <= pos:
            continue
        out.append(text[pos : max(a, pos)])
        pos = max(pos, b)
    out.append(text[pos:])
    return "".join(out)


def _offset(ws: Workspace, when: date, time: str | None) -> str:
    if time and re.search(r"[+-]\d{2}:?\d{2}$|Z$", time):
        return f"{when.isoformat()} {time}"
    clock = time if time and re.fullmatch(r"\d{1,2}:\d{2}(?::\d{2})?", time) else "00:00:00"
    if clock.count(":") == 1:
        clock += ":00"
    hours, minutes = int(clock.split(":")[0]), int(clock.split(":")[1])
    moment = datetime(when.year, when.month, when.day, hours % 24, minutes, tzinfo=ws.settings.zone)
    return f"{when.isoformat()} {clock} {moment.strftime('%z')}"


def export_jekyll(
    ws: Workspace, outdir: Path, *, author: str | None = None, since: date | None = None
) -> tuple[list[ExportResult], list[DaylogError]]:
    """Write `outdir/_posts/YYYY-MM-DD-<slug>.md` for each entry (Chirpy front matter, no private sections).

    A post daylog exported before is updated; any other existing file is left alone.
    """
    from daylog.workspace import read_text, replace_checked, write_new

    posts = outdir / "_posts"
    results: list[ExportResult] = []
    errors: list[DaylogError] = []
    used: set[str] = set()
    for f in ws.files():
        if not f.member or (author is not None and f.member != author):
            continue
        try:
            text = read_text(f.path)
        except DaylogError as exc:
            errors.append(exc)
            continue
        if text.startswith("\ufeff"):
            text = text[1:]
        entry = ws.parse_text(text)
        when = f.date or entry.date
        if when is None or (since is not None and when < since):
            continue
        day = ws.settings.calendar.day_number(when)
        title = entry.title or entry_title(ws, when, day, f.member)
        fm_len = len("\n".join(text.split("\n")[: entry.front_matter_end])) + 1 if entry.front_matter_end else 0
        body = without_sections(text, entry, ws.settings.private_sections)[fm_len:]
        categories = list(entry.categories) or [ws.settings.course]
        lines = [
            "---",
            f"{EXPORT_MARK}{f.rel}",
            f"title: {_quote(title)}",
            f"date: {_offset(ws, when, entry.time)}",
            f"categories: [{', '.join(_quote(c) for c in categories)}]",
            f"tags: [{', '.join(_quote(t) for t in entry.tags)}]",
        ]
        if entry.has_math:
            lines.append("math: true")
        if day is not None:
            lines.append(f"day: {day}")
        lines.append("---")
        out = "\n".join(lines) + "\n" + body
        name = slug(title) + ("" if author is not None else f"-{slug(f.member)}")
        base, n = f"{when.isoformat()}-{name}", 2
        while base in used:
            base, n = f"{when.isoformat()}-{name}-{n}", n + 1
        used.add(base)
        target = posts / f"{base}.md"
        shown = str(target)
        if target.exists():
            current = target.read_bytes()
            if current == out.encode("utf-8"):
                results.append(ExportResult(f.rel, shown, "unchanged"))
                continue
            if EXPORT_MARK.encode() not in current[:400]:
                results.append(
                    ExportResult(f.rel, shown, "skipped", "exists and was not written by daylog; left alone")
                )
                continue
            replace_checked(target, out, current)
            results.append(ExportResult(f.rel, shown, "updated"))
            continue
        write_new(target, out)
        results.append(ExportResult(f.rel, shown, "written"))
    return results, errors


__all__ = [
    "Clues",
    "ExportResult",
    "ImportResult",
    "Status",
    "decode_post",
    "export_jekyll",
    "gather_clues",
    "import_posts",
    "infer_year",
    "normalised_text",
    "resolve_date",
    "slug",
]
