"""`daylog export jekyll`: entries as Jekyll/Chirpy posts, private sections left out."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING

from daylog.errors import DaylogError
from daylog.porting.importer import entry_title, quote

if TYPE_CHECKING:
    from daylog.entries.model import Entry
    from daylog.workspace.files import EntryFile, Workspace

EXPORT_MARK = "# exported by daylog from "


class UnmappedLink(DaylogError):
    """A link to an entry this export does not write: kept as written, and reported."""


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

    Links between exported entries (`[어제](2021-02-08.md)`) become Jekyll's
    `{% post_url … %}`, which resolves under any permalink setting; a link to an entry
    that is not exported stays as written and is reported. A post daylog exported before
    is updated; any other existing file is left alone.
    """
    posts = outdir / "_posts"
    planned, errors = _plan(ws, author, since)
    names = {rel: name for rel, (_, name) in planned.items()}
    results: list[ExportResult] = []
    for rel, (post, name) in planned.items():
        text, unmapped = rewrite_links(post.text, rel, names)
        errors.extend(
            UnmappedLink(f"link to {target} left as written: that entry is not in this export", path=rel, line=line)
            for line, target in unmapped
        )
        results.append(_write_post(posts / f"{name}.md", text, rel, outdir))
    return results, errors


def _plan(
    ws: Workspace, author: str | None, since: date | None
) -> tuple[dict[str, tuple[_ChirpyPost, str]], list[DaylogError]]:
    """rel → (post, its `_posts/` name without `.md`) for every entry to export."""
    from daylog.workspace.files import read_text

    planned: dict[str, tuple[_ChirpyPost, str]] = {}
    errors: list[DaylogError] = []
    used: set[str] = set()
    for f in ws.files():
        if not f.member or (author is not None and f.member != author):
            continue
        try:
            text = read_text(f.path, f.rel)
        except DaylogError as exc:
            errors.append(exc)
            continue
        post = _chirpy_post(ws, f, text, since)
        if post is None:
            continue
        name = slug(post.title) + ("" if author is not None else f"-{slug(f.member)}")
        planned[f.rel] = (post, _free_name(post.when, name, used))
    return planned, errors


_MD_LINK = re.compile(r"(\]\()(?P<target>[^()\s#]+\.md)(?P<anchor>#[^()\s]*)?(?P<title>\s+\"[^\"\n]*\")?\)")


def rewrite_links(text: str, rel: str, names: dict[str, str]) -> tuple[str, list[tuple[int, str]]]:
    """`text` with relative links to exported entries as `{% post_url NAME %}`; and the
    (line, target) of the `.md` links it could not map. Code is left alone."""
    from daylog.entries.markdown import mask_code

    masked = mask_code(text, comments=False)
    here = PurePosixPath(rel).parent
    out: list[str] = []
    unmapped: list[tuple[int, str]] = []
    pos = 0
    for m in _MD_LINK.finditer(masked):
        target = m.group("target")
        if "://" in target or target.startswith("/"):
            continue
        name = names.get(_normal(here / target))
        if name is None:
            unmapped.append((text.count("\n", 0, m.start()) + 1, target))
            continue
        out.append(text[pos : m.start()])
        out.append(f"]({{% post_url {name} %}}{m.group('anchor') or ''}{m.group('title') or ''})")
        pos = m.end()
    out.append(text[pos:])
    return "".join(out), unmapped


def _normal(path: PurePosixPath) -> str:
    """`logs/mj/../sally/x.md` → `logs/sally/x.md` (lexically, like a browser resolves a link)."""
    parts: list[str] = []
    for part in path.parts:
        if part == "..":
            if parts:
                parts.pop()
        elif part != ".":
            parts.append(part)
    return "/".join(parts)


@dataclass(frozen=True, slots=True)
class _ChirpyPost:
    """An entry as a Jekyll/Chirpy post."""

    when: date
    title: str
    text: str


def _chirpy_post(ws: Workspace, f: EntryFile, text: str, since: date | None) -> _ChirpyPost | None:
    """The post of one entry; None when it has no date or is older than `since`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    entry = ws.parse_text(text)
    when = f.date or entry.date
    if when is None or (since is not None and when < since):
        return None
    day = ws.settings.calendar.day_number(when)
    title = entry.title or entry_title(ws, when, day, f.member)
    fm_len = len("\n".join(text.split("\n")[: entry.front_matter_end])) + 1 if entry.front_matter_end else 0
    body = without_sections(text, entry, ws.settings.private_sections)[fm_len:]
    author = entry.author or f.member
    return _ChirpyPost(when, title, _front_matter(ws, f.rel, entry, when, day, title, author) + "\n" + body)


def _front_matter(
    ws: Workspace, rel: str, entry: Entry, when: date, day: int | None, title: str, author: str
) -> str:
    categories = list(entry.categories) or [ws.settings.course]
    lines = [
        "---",
        f"{EXPORT_MARK}{rel}",
        f"title: {quote(title)}",
        f"date: {_offset(ws, when, entry.time)}",
        f"categories: [{', '.join(quote(c) for c in categories)}]",
        f"tags: [{', '.join(quote(t) for t in entry.tags)}]",
    ]
    if author:
        lines.append(f"author: {quote(author)}")
    if entry.has_math:
        lines.append("math: true")
    if day is not None:
        lines.append(f"day: {day}")
    lines.append("---")
    return "\n".join(lines)


def _free_name(when: date, name: str, used: set[str]) -> str:
    """`YYYY-MM-DD-<name>`, numbered `-2`, `-3`, … when this export already used it; marked used."""
    base, n = f"{when.isoformat()}-{name}", 2
    while base in used:
        base, n = f"{when.isoformat()}-{name}-{n}", n + 1
    used.add(base)
    return base


def _write_post(target: Path, out: str, rel: str, outdir: Path) -> ExportResult:
    """Write a new post or update one daylog wrote; a file of anyone else is left alone."""
    from daylog.workspace.writes import replace_checked, write_new

    shown = str(target)
    if not target.exists():
        write_new(target, out, root=outdir)
        return ExportResult(rel, shown, "written")
    current = target.read_bytes()
    if current == out.encode("utf-8"):
        return ExportResult(rel, shown, "unchanged")
    if EXPORT_MARK.encode() not in current[:400]:
        return ExportResult(rel, shown, "skipped", "exists and was not written by daylog; left alone")
    replace_checked(target, out, current, root=outdir)
    return ExportResult(rel, shown, "updated")
