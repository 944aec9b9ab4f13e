"""The digest of daylog's own source that every cache key carries: nothing made by other code is reused."""

from __future__ import annotations

import functools
import os


@functools.cache
def code_digest() -> str:
    """A digest of daylog's source files: rows made by other code are never reused.

    A version number alone would trust rows across an edit of the parser in a checkout.
    Each file's path and `stat` stamp, as for the entries: an edit, a reinstall or a
    checkout changes them, and reading the source instead cost 3.5 ms of every warm run.
    The stamps themselves, a few kilobytes, not a hash of them: hashlib (OpenSSL) costs a
    listing 2 ms to import.
    """
    return source_digest(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))


def source_digest(root: str) -> str:
    """`code_digest` of the Python files below `root`."""
    stamps = []
    for folder, subfolders, names in os.walk(root):
        subfolders.sort()
        for name in sorted(names):
            if name.endswith(".py"):
                st = os.stat(os.path.join(folder, name))
                stamps.append(f"{os.path.relpath(folder, root)}/{name} {st.st_size} {st.st_mtime_ns} {st.st_ctime_ns}")
    return "\n".join(stamps)
