"""The list-item tree of a block of Markdown lines: what every section reader walks.

Pure, standard library only. Items nest by indentation; a non-item line continues the
item above it when it is indented, follows it directly, or is a `>` quote.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator

ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,3}[.)])(?:[ \t]+(?P<text>.*)|[ \t]*\r?)$")
"""A list item line; `text` keeps a final `\r` (a lazy `.*?` before `\r?$` costs ~1 us an item)."""

MAX_DEPTH = 24
"""List nesting deeper than this is kept as text (the tree walkers recurse)."""


def nfc(s: str) -> str:
    """`s` composed (NFC): macOS writes decomposed Hangul, every reader compares composed."""
    return s if s.isascii() or unicodedata.is_normalized("NFC", s) else unicodedata.normalize("NFC", s)


class Item:
    """A list item while reading a section (a mutable builder, so not one of the model's values)."""

    __slots__ = ("children", "end", "extra", "indent", "line", "text")

    def __init__(self, line: int, indent: int, text: str) -> None:
        self.line = line
        self.end = line
        self.indent = indent
        self.text = text
        self.children: list[Item] = []
        self.extra: list[tuple[int, str]] = []
        """Continuation lines: (line, text without indentation)."""

    def flatten(self) -> list[tuple[int, str]]:
        """(line, text) of the item, its continuation lines and everything nested in it, in order."""
        out = [(self.line, self.text), *self.extra]
        for child in self.children:
            out.extend(child.flatten())
        return out


def items(lines: list[str], first: int) -> list[Item]:
    """The top-level items of a block of lines (`first` is the 1-based number of lines[0])."""
    roots: list[Item] = []
    path: list[Item] = []  # the open items, from a top-level one to the last one read
    last_top: Item | None = None  # which a `>` line after a blank line still continues
    blank_run = 0
    for n, raw in enumerate(lines, first):
        text = raw.strip()
        if not text:
            blank_run += 1
            continue
        m = ITEM.match(raw)
        if m and len(path) < MAX_DEPTH and not _is_rule(m):  # deeper lists are text of the deepest item
            _open(path, n, m)
            if len(path) == 1:
                roots.append(path[0])
                last_top = path[0]
        elif path and (blank_run == 0 or text[0] == ">" or _width(raw[: len(raw) - len(raw.lstrip())]) > 0):
            path[-1].extra.append((n, text))
            _extend(path, n)
        elif last_top is not None and text[0] == ">":
            last_top.extra.append((n, text))
            last_top.end = n
        else:
            path.clear()
            last_top = None
        blank_run = 0
    return roots


def _open(path: list[Item], n: int, m: re.Match[str]) -> None:
    """Add the item of line `n` under the last open item indented less, and open it."""
    text = m.group("text")
    item = Item(n, _width(m.group("indent")), text.strip() if text else "")
    while path and path[-1].indent >= item.indent:
        path.pop()
    if path:
        path[-1].children.append(item)
        _extend(path, n)
    path.append(item)


def _extend(path: list[Item], n: int) -> None:
    """The open items reach line `n` (lines come in order, so it is their last so far)."""
    for it in path:
        it.end = n


def walk(roots: list[Item]) -> Iterator[tuple[Item, int]]:
    """(item, depth) of every item of the trees `roots`, each before what is nested in it."""
    stack = [(it, 0) for it in reversed(roots)]
    while stack:
        it, depth = stack.pop()
        yield it, depth
        stack += [(child, depth + 1) for child in reversed(it.children)]


def _width(indent: str) -> int:
    return len(indent.expandtabs(4))


def _is_rule(m: re.Match[str]) -> bool:
    """`- - -` / `* * *`: the item regex matched a thematic break (its text is only the marks)."""
    text = m.group("text")
    if not text or text[0] not in "-*" or m.group("marker") not in "-*":
        return False
    marks = text.removesuffix("\r").replace(" ", "")
    return len(marks) >= 2 and len(set(marks)) == 1
