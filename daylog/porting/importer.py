"""`daylog import`: existing Jekyll/Chirpy/TIL posts brought into a workspace.

`import_posts` works out each post's date from every clue it has (`porting.dates`),
says which clue won and why, and writes `logs/<author>/<date>.md` with normalised
front matter and the body kept exactly as written. It never overwrites, so running
it twice imports nothing new.
"""

from __future__ import annotations

import enum
import json
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from daylog.errors import DaylogError
from daylog.porting.dates import Resolved, gather_clues, infer_year, resolve_date
from daylog.workspace.settings import format_title

if TYPE_CHECKING:
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
            f"title: {quote(title)}",
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
        inner.append(f"title: {quote(title)}{cr}")
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
    from daylog.workspace.files import decode

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
    from daylog.workspace.writes import replace_checked, write_new

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
