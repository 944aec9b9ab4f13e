"""`daylog import`: existing Jekyll/Chirpy/TIL posts brought into a workspace.

`import_posts` works out each post's date from every clue it has (`porting.dates`),
says which clue won and why, and writes `logs/<author>/<date>.md` with normalised
front matter and the body kept exactly as written. It never overwrites, so running
it twice imports nothing new.
"""

from __future__ import annotations

import contextlib
import enum
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, NamedTuple

from daylog.errors import DaylogError
from daylog.porting.dates import MonthDay, Resolved, gather_clues, infer_year, resolve_date
from daylog.workspace.files import read_entry_bytes
from daylog.workspace.settings import format_title
from daylog.workspace.writes import locked

if TYPE_CHECKING:
    from daylog.calendar import CourseCalendar
    from daylog.entries.model import Entry
    from daylog.workspace.files import Workspace


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


# --- writing the normalised entry --------------------------------------------------------

_TOP_KEY = re.compile(r"^(?P<key>[A-Za-z_][\w-]*)[ \t]*:(?P<value>.*?)(?P<eol>\r?)$")


def quote(value: str) -> str:
    """A YAML string that reads back as `value` (JSON's quoting is valid YAML)."""
    return json.dumps(value, ensure_ascii=False)


class FrontMatterSplit(NamedTuple):
    """A post's text cut at its front matter."""

    head: list[str] | None
    """The front-matter lines, both `---` delimiters included; None when there is none."""
    body: str
    problem: str | None
    """Why the front matter does not parse, when nothing could be read from it."""


def split_front_matter(text: str, entry: Entry) -> FrontMatterSplit:
    """The front matter, the body and the YAML problem of a post's text."""
    if not entry.front_matter_end:
        return FrontMatterSplit(None, text, None)
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
        return FrontMatterSplit(head, body, problem)
    return FrontMatterSplit(head, body, None)


@dataclass(frozen=True, slots=True)
class _Wanted:
    """The front-matter values the written entry must carry."""

    when: date
    stamp: str
    """`date`'s value: the date, with the post's time of day when it had one."""
    author: str
    day: int | None
    title: str

    @property
    def values(self) -> dict[str, str]:
        """The keys daylog sets (`title` is only added, never replaced)."""
        wanted = {"date": self.stamp, "author": self.author}
        if self.day is not None:
            wanted["day"] = str(self.day)
        return wanted


def normalised_text(
    text: str, entry: Entry, *, when: date, author: str, day: int | None, title: str
) -> tuple[str, list[str]]:
    """The entry to write: front matter with `date` corrected and `author`/`day` set; body unchanged."""
    eol = "\r\n" if text.split("\n", 1)[0].endswith("\r") else "\n"
    split = split_front_matter(text, entry)
    stamp = f"{when.isoformat()} {entry.time}" if entry.time else when.isoformat()
    wanted = _Wanted(when, stamp, author, day, title)
    if split.head is None or split.problem is not None:
        return _new_front_matter(split, wanted, eol)
    head = split.head
    inner = head[1:-1]
    seen, notes = _correct_keys(inner, entry, wanted)
    inner += _added_keys(entry, wanted, seen, "\r" if eol == "\r\n" else "")
    return "\n".join([head[0], *inner, head[-1]]) + "\n" + split.body, notes


def _new_front_matter(split: FrontMatterSplit, wanted: _Wanted, eol: str) -> tuple[str, list[str]]:
    """Front matter for a post without one, or whose own does not parse (kept as YAML comments)."""
    lines = ["---"]
    notes: list[str] = []
    if split.problem is not None:
        notes.append(f"front matter does not parse ({split.problem}); kept it as YAML comments")
        lines.append("# daylog import: the original front matter did not parse; kept here as comments:")
        lines.extend(f"# {raw.rstrip(chr(13))}" for raw in split.head or [])
    lines += [
        f"title: {quote(wanted.title)}",
        f"date: {wanted.stamp if split.problem is None else wanted.when.isoformat()}",
        f"author: {wanted.author}",
    ]
    if wanted.day is not None:
        lines.append(f"day: {wanted.day}")
    lines.append("---")
    return eol.join(lines) + eol + split.body, notes


def _correct_keys(inner: list[str], entry: Entry, wanted: _Wanted) -> tuple[set[str], list[str]]:
    """Rewrite, in place, the first line of each wanted key whose value differs; the keys seen and the notes.

    The old value stays as a comment, so nothing the author wrote is lost.
    """
    values = wanted.values
    seen: set[str] = set()
    notes: list[str] = []
    for i, raw in enumerate(inner):
        m = _TOP_KEY.match(raw)
        if m is None:
            continue
        key, cr = m["key"], m["eol"]
        target = "date" if key == "data" and "date" not in entry.front_matter else key
        if target in seen or target not in values:
            continue
        seen.add(target)
        shown = m["value"].strip().split(" #", 1)[0].strip().strip("\"'")
        if target == "date":
            if key != "date" or entry.date != wanted.when:
                inner[i] = f"date: {wanted.stamp}{cr}"
        elif shown != values[target]:
            inner[i] = f"{target}: {values[target]}" + (f"  # was: {shown}" if shown else "") + cr
            if shown:
                notes.append(
                    f"front matter `{target}: {shown}` replaced by `{values[target]}` (the old value kept as a comment)"
                )
    return seen, notes


def _added_keys(entry: Entry, wanted: _Wanted, seen: set[str], cr: str) -> list[str]:
    """Lines for the keys the front matter lacks: `title` when it has none, then date, author, day."""
    values = wanted.values
    added = [f"title: {quote(wanted.title)}{cr}"] if "title" not in entry.front_matter else []
    added += [f"{key}: {values[key]}{cr}" for key in ("date", "author", "day") if key in values and key not in seen]
    return added


def _body_of(text: str, parse: Callable[[str], Entry]) -> str:
    entry = parse(text)
    return split_front_matter(text, entry).body


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
    posts = [_Post(name, p) for name, p in find_posts(paths)]
    total = len(posts)
    calendar = ws.settings.calendar
    for i, post in enumerate(posts):
        if _read_post(ws, post, calendar) and progress is not None:
            progress(i + 1, total * 2)
    _infer_years(posts, calendar)
    run = _Run(ws, author, dry_run=dry_run, merge=merge)
    results: list[ImportResult] = []
    with contextlib.nullcontext() if dry_run else locked(ws.root):
        for i, post in enumerate(posts):
            if progress is not None:
                progress(total + i + 1, total * 2)
            results.append(run.import_one(post))
    return results


def _read_post(ws: Workspace, post: _Post, calendar: CourseCalendar) -> bool:
    """Read, decode and parse one post and resolve its date; False (and `post.failure`) when unreadable."""
    post.folder = str(post.path.parent)
    try:
        data = read_entry_bytes(post.path, limit=ws.settings.max_entry_bytes)
    except DaylogError as exc:
        post.failure = _Unreadable(exc.message)
        return False
    try:
        post.text, post.encoding = decode_post(data)
    except _Unreadable as exc:
        post.failure = exc
        return False
    if post.text.startswith("\ufeff"):
        post.text = post.text[1:]
    post.entry = ws.parse_text(post.text)
    folders = [unicodedata.normalize("NFC", p) for p in post.path.parent.parts[-2:]]
    post.resolved = resolve_date(gather_clues(post.path.name, folders, post.entry, post.text), calendar)
    return True


def _infer_years(posts: Sequence[_Post], calendar: CourseCalendar) -> None:
    """Month/day with no year: the year that puts it nearest its folder's dated posts."""
    dated: dict[str, list[date]] = {}
    for post in posts:
        if post.resolved is not None and post.resolved.date is not None:
            dated.setdefault(post.folder, []).append(post.resolved.date)
    every = sorted(d for ds in dated.values() for d in ds)
    for post in posts:
        r = post.resolved
        if r is not None and r.date is None and r.partial is not None:
            post.resolved = _with_year(r, r.partial, dated.get(post.folder) or every, calendar)


def _with_year(r: Resolved, partial: MonthDay, neighbours: Sequence[date], calendar: CourseCalendar) -> Resolved:
    """`r` dated in the inferred year, saying where the year came from and naming a day number that disagrees."""
    d = infer_year(partial.month, partial.day, partial.weekday, neighbours, calendar)
    if partial.weekday is not None:
        how = "its weekday"
    else:
        how = "neighbouring posts" if neighbours else "the course start"
    more = [f"no year written; {d.year} from {how}"]
    if r.numbered is not None and r.numbered.date != d:
        more.append(f"{r.numbered.said} is {r.numbered.date} by the course calendar; kept {d} from the {r.source}")
    return Resolved(d, r.source, (*r.reasons, *more))


def _counts(ws: Workspace, text: str, entry: Entry) -> dict[str, int]:
    from daylog.issues.refs import find_refs

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


@dataclass(frozen=True, slots=True)
class _Normalised:
    """A dated post as it would be written, and what its result says so far."""

    post: _Post
    when: date
    day: int | None
    target: Path
    rel: str
    title: str
    text: str
    """The entry to write (front matter normalised)."""
    body: str
    """Its body, to compare with what the target already holds."""
    reasons: tuple[str, ...]
    counts: dict[str, int]

    def result(self, status: Status, *more: str) -> ImportResult:
        source = self.post.resolved.source if self.post.resolved else None
        return ImportResult(
            self.post.source,
            self.rel,
            self.when,
            source,
            self.day,
            status,
            (*self.reasons, *more),
            self.counts,
            self.post.encoding,
        )


@dataclass(slots=True)
class _Run:
    """One import's settings and the targets it has written so far (dry runs keep them here only)."""

    ws: Workspace
    author: str
    dry_run: bool
    merge: bool
    written: dict[Path, str] = field(default_factory=dict)
    first_of: dict[Path, str] = field(default_factory=dict)
    """Target → the post that took its name."""

    def import_one(self, post: _Post) -> ImportResult:
        if post.failure is not None:
            return ImportResult(post.source, None, None, None, None, post.failure.status, (str(post.failure),), None)
        assert post.entry is not None and post.resolved is not None
        reasons = list(post.resolved.reasons)
        if post.encoding not in (None, "UTF-8"):
            reasons.insert(0, f"read as {post.encoding}; written as UTF-8")
        if post.resolved.date is None:
            return self._undated(post, reasons)
        problem = self.ws.settings.calendar.range_problem(post.resolved.date)
        if problem is not None:
            return self._out_of_range(post, reasons, problem)
        new = self._normalised(post, post.resolved.date, reasons)
        try:
            existing = self._existing(new.target, new.rel)
        except (OSError, DaylogError) as exc:
            return new.result(Status.FAILED, f"{new.rel} exists but cannot be read: {exc}")
        if existing is None:
            return self._write(new)
        return self._into_existing(new, existing)

    def _out_of_range(self, post: _Post, reasons: list[str], problem: str) -> ImportResult:
        """`9999-12-31`: this post fails, before any date arithmetic; the others go on."""
        assert post.resolved is not None
        r = post.resolved
        reasons.append(f"{r.source} date {r.date} is {problem}; fix the post's date")
        failed = Status.FAILED
        return ImportResult(post.source, None, r.date, r.source, None, failed, tuple(reasons), None, post.encoding)

    def _undated(self, post: _Post, reasons: list[str]) -> ImportResult:
        assert post.entry is not None
        reasons.append(
            "no date found (front matter, file name, headings, Day N); "
            "add `date: YYYY-MM-DD` or name the file YYYY-MM-DD-….md"
        )
        counts = _counts(self.ws, post.text, post.entry)
        return ImportResult(post.source, None, None, None, None, Status.SKIPPED, tuple(reasons), counts, post.encoding)

    def _normalised(self, post: _Post, when: date, reasons: list[str]) -> _Normalised:
        assert post.entry is not None
        ws = self.ws
        day = ws.settings.calendar.day_number(when)
        target = ws.entry_path(self.author, when)
        title = _title(ws, post, when, day, self.author)
        text, notes = normalised_text(post.text, post.entry, when=when, author=self.author, day=day, title=title)
        entry = ws.parse_text(text)
        counts = _counts(ws, text, entry)
        body = split_front_matter(text, entry).body
        return _Normalised(post, when, day, target, ws.rel(target), title, text, body, (*reasons, *notes), counts)

    def _existing(self, target: Path, rel: str) -> str | None:
        """The target's text: as this run wrote it, else from disk; None when there is none."""
        from daylog.workspace.files import decode

        existing = self.written.get(target)
        if existing is None and target.exists():
            existing = decode(target.read_bytes(), rel)
        return existing

    def _into_existing(self, new: _Normalised, existing: str) -> ImportResult:
        """A day that already has an entry: skipped when it holds the post, merged only with --merge."""
        body = new.body
        if body.strip() and (_body_of(existing, self.ws.parse_text) == body or body in existing):
            return new.result(Status.SKIPPED, f"already imported into {new.rel}; nothing new")
        if not self.merge:
            earlier = self.first_of.get(new.target)
            why = f"same day as {earlier} (the first keeps the name)" if earlier else f"{new.rel} already exists"
            return new.result(Status.SKIPPED, f"{why}; --merge appends it to that entry as a section")
        return self._merge(new, existing)

    def _merge(self, new: _Normalised, existing: str) -> ImportResult:
        from daylog.workspace.writes import replace_checked, write_new

        merged = _merged(existing, new.body, new.post, new.title)
        if not self.dry_run:
            try:
                if new.target.exists():
                    replace_checked(new.target, merged, existing.encode("utf-8"), root=self.ws.root)
                else:
                    write_new(new.target, merged, root=self.ws.root)
            except (DaylogError, FileExistsError) as exc:
                return new.result(Status.FAILED, f"cannot merge into {new.rel}: {exc}")
        self.written[new.target] = merged
        dry = " (dry run: not written)" if self.dry_run else ""
        return new.result(Status.IMPORTED, f"merged into {new.rel} as a section{dry}")

    def _write(self, new: _Normalised) -> ImportResult:
        from daylog.workspace.writes import write_new

        if not self.dry_run:
            try:
                write_new(new.target, new.text, root=self.ws.root)
            except FileExistsError:
                return new.result(Status.SKIPPED, f"{new.rel} appeared meanwhile; not overwritten")
            except DaylogError as exc:
                return new.result(Status.FAILED, str(exc))
        self.written[new.target] = new.text
        self.first_of[new.target] = new.post.source
        return new.result(Status.IMPORTED, *(["dry run: not written"] if self.dry_run else []))


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
        return format_title(s.title if day is not None else s.title_off_day, **fields)
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
