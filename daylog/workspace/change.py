"""One digest of every entry's path and `stat`: whole-team caches compare one value, not thousands.

A replayed listing (`cli.replay`) and the search index (`search.service`) only need to know
whether anything under `logs/` changed since they last matched it. `Workspace.scan` answers
more (which files are entries, which are refused and why) and at 30,000 entries building its
`EntryFile`s and sorting them cost more than the `stat` calls themselves (#18); this walk
takes the same folders and files and leaves the judging to whoever reads them on a change.
An unchanged folder lists in the same order every time and a changed one changes the digest
either way, so nothing is sorted: at worst a reordering costs one needless rebuild.

Where links lead counts too: the scan refuses an entry whose real path is outside the
workspace, and a folder moved out and linked back keeps every file's `stat`. So the digest
also holds the real paths of the workspace, `logs/`, each linked member folder, each linked
entry and each `also` folder (a `realpath` per link: a team has few).
"""

from __future__ import annotations

import hashlib
import marshal
import os
from collections.abc import Iterable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from daylog.workspace.files import Workspace

Row = tuple[str, int, int, int, int, int]
"""(path, size, mtime, ctime, mode, inode) of one `*.md`; -1s where `stat` fails (a broken link)."""


def change_digest(ws: Workspace, also: Iterable[str] = ()) -> tuple[str, int]:
    """The digest of every `*.md` under `logs/` (member folders, links to them, their
    subfolders) and directly in each `also` folder of the workspace, and the newest mtime among them."""
    rows: list[Row] = []
    links = [os.path.realpath(ws.root), os.path.realpath(ws.logs)]
    try:
        with os.scandir(ws.logs) as found:
            members = [e for e in found if e.name[0] != "." and _is_folder(e, follow=True)]
    except OSError:
        members = []
    for e in members:
        if _is_link(e):
            links.append(f"{e.name} -> {os.path.realpath(e.path)}")
        _walk(e.path, f"{e.name}/", rows, links)
    for folder in also:
        path = str(ws.root / folder)
        links.append(f"../{folder} -> {os.path.realpath(path)}")
        _walk(path, f"../{folder}/", rows, links, deep=False)
    newest = max((row[2] for row in rows), default=0)
    # marshal version 2 writes no back-references, so equal rows give equal bytes; it is
    # several times faster than repr() on 30,000 tuples.
    return hashlib.sha1(marshal.dumps((rows, links), 2)).hexdigest(), newest


def _walk(folder: str, rel: str, rows: list[Row], links: list[str], *, deep: bool = True) -> None:
    """The loop is the walk's cost at 30,000 entries: one `stat` per entry, and a tuple."""
    try:
        with os.scandir(folder) as found:
            entries = list(found)
    except OSError:
        return
    add = rows.append
    for e in entries:
        name = e.name
        if name[0] == ".":
            continue
        if name.endswith(".md"):
            try:
                st = e.stat()
                add((rel + name, st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_mode, st.st_ino))
            except OSError:
                add((rel + name, -1, -1, -1, -1, -1))
            if _is_link(e):
                links.append(f"{rel}{name} -> {os.path.realpath(e.path)}")
        elif deep and _is_folder(e, follow=False):
            _walk(e.path, f"{rel}{name}/", rows, links)


def _is_folder(e: os.DirEntry[str], *, follow: bool) -> bool:
    try:
        return e.is_dir(follow_symlinks=follow)
    except OSError:
        return False


def _is_link(e: os.DirEntry[str]) -> bool:
    try:
        return e.is_symlink()
    except OSError:
        return True  # cannot tell: its real path is in the digest either way
