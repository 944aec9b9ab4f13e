"""What `daylog commit` stages, refuses and writes as the message: decisions on paths and text.

Pure: the adapter (`entries.commit`) asks git what is staged and reads the files; here it
learns which link targets belong to the entry (files under the member's own folder, as
images), which staged paths are someone else's business, where a conflict marker is, and
what the commit message says.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterable

from daylog.workspace.settings import COMMIT_FIELDS, format_fields

_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
_IMG_SRC = re.compile(r"<img\b[^>]*?\bsrc\s*=\s*(?:\"([^\"]*)\"|'([^']*)')", re.I)
_ESCAPES = re.compile(r"(?:%[0-9A-Fa-f]{2})+")
_CONFLICT = re.compile(r"^(?:<{7}(?: |$)|>{7}(?: |$))", re.M)
MAX_REFERENCED = 200
"""At most this many referenced files are staged with one entry (a runaway list is a mistake)."""


def html_sources(text: str) -> list[str]:
    """The `src` of every `<img>` in `text` (entries embed resized images that way)."""
    return [m.group(1) if m.group(1) is not None else m.group(2) for m in _IMG_SRC.finditer(text)]


def referenced_files(urls: Iterable[str], entry_rel: str, member_dir: str) -> tuple[str, ...]:
    """The local link targets of the entry at `entry_rel` that lie under `member_dir`, as
    workspace-relative POSIX paths, in first-seen order; web links, anchors, absolute paths and
    anything outside the member's folder are left out (they are not this entry's to commit)."""
    base = posixpath.dirname(entry_rel)
    folder = member_dir.rstrip("/") + "/"
    out: dict[str, None] = {}
    for url in urls:
        target = unquote(url.split("#", 1)[0].split("?", 1)[0]).strip()
        if not target or target.startswith(("/", "\\")) or _SCHEME.match(target):
            continue
        path = posixpath.normpath(posixpath.join(base, target))
        if path.startswith(folder) and path != entry_rel and "\x00" not in path:
            out.setdefault(path, None)
        if len(out) >= MAX_REFERENCED:
            break
    return tuple(out)


def unquote(url: str) -> str:
    """`%20` and other percent escapes decoded (as UTF-8), as a browser reads a link's path."""
    return _ESCAPES.sub(lambda m: bytes.fromhex(m.group(0).replace("%", "")).decode("utf-8", "replace"), url)


def conflict_line(text: str) -> int | None:
    """The line of the first merge-conflict marker (`<<<<<<<` or `>>>>>>>` opening a line), or None."""
    if "<<<<<<<" not in text and ">>>>>>>" not in text:
        return None
    m = _CONFLICT.search(text)
    return None if m is None else text.count("\n", 0, m.start()) + 1


def others_staged(staged: Iterable[str], ours: Iterable[str]) -> tuple[str, ...]:
    """The staged paths that are not the entry or its files, sorted."""
    mine = set(ours)
    return tuple(sorted(p for p in set(staged) if p not in mine))


def staged_refusal(others: tuple[str, ...], shown: int = 3) -> str | None:
    """The refusal for other staged changes: `daylog commit` commits one entry and nothing else."""
    if not others:
        return None
    listed = ", ".join(others[:shown]) + (f" and {len(others) - shown} more" if len(others) > shown else "")
    return (
        f"other changes are staged ({listed}); commit them yourself or unstage them "
        f"(`git restore --staged -- {others[0]}`) first"
    )


def commit_message(fmt: str, *, title: str, **fields: object) -> str:
    """The `commit_message` format filled in; `fmt` was checked when the settings were read.

    A newline in the entry's title would start the commit body: the title is kept to its first line."""
    first = title.strip().splitlines()[0] if title.strip() else ""
    return format_fields(fmt, COMMIT_FIELDS, {**fields, "title": first}).strip()


def off_day(fmt: str) -> str:
    """The message format for a day with no number (a weekend, after `end_date`): the date stands
    where the day number would, so `[Day{day}]` reads `[2021-02-06]`, never `[Day]`."""
    return fmt.replace("Day{day}", "{date}").replace("{day}", "{date}")
