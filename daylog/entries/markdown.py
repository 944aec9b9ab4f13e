"""Just enough Markdown structure for daylog: line index, code and comment masking.

Entries are scanned with regexes over the whole text; this module tells those scans
which characters are prose. Pure, standard library only.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re

# A fence may be indented (inside list items) and may follow a list marker (`* ```python`).
_FENCE = re.compile(r"^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$", re.M)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_INLINE_CODE = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")


class LineIndex:
    """Maps character offsets to 1-based line numbers and back."""

    __slots__ = ("length", "starts")

    def __init__(self, starts: tuple[int, ...], length: int) -> None:
        self.starts = starts  # offset of the first character of each line
        self.length = length

    @classmethod
    def of(cls, text: str, lines: list[str] | None = None) -> LineIndex:
        """Index `text` (pass `text.split("\\n")` as `lines` when it is already at hand)."""
        lines = text.split("\n") if lines is None else lines
        # start of line i+1 = length of lines 0..i + (i+1) newlines; all in C (map, accumulate)
        sums = itertools.accumulate(map(len, lines))
        return cls((0, *map(operator.add, sums, range(1, len(lines)))), len(text))

    def line_of(self, offset: int) -> int:
        """1-based line holding `offset`."""
        return bisect.bisect_right(self.starts, offset)

    def start_of(self, line: int) -> int:
        """Offset where 1-based `line` starts."""
        return self.starts[line - 1]

    def end_of(self, line: int) -> int:
        """Offset just past the end of 1-based `line`, newline included."""
        return self.starts[line] if line < len(self.starts) else self.length

    @property
    def count(self) -> int:
        return len(self.starts)


def fenced_ranges(text: str) -> list[tuple[int, int]]:
    """(start, end) offsets of fenced code blocks, fences included; an unclosed one runs to the end."""
    ranges: list[tuple[int, int]] = []
    opened: re.Match[str] | None = None
    for m in _FENCE.finditer(text):
        fence = m.group("fence")
        if opened is None:
            if fence[0] == "`" and "`" in m.group("info"):
                continue  # ```` ``x`` ```` is inline code, not a fence
            opened = m
        else:
            want = opened.group("fence")
            if fence[0] == want[0] and len(fence) >= len(want) and not m.group("info").strip():
                ranges.append((opened.start(), m.end()))
                opened = None
    if opened is not None:
        ranges.append((opened.start(), len(text)))
    return ranges


def _blank(match_text: str) -> str:
    """Same length, newlines kept, everything else a space (built per line: no regex per character)."""
    if "\n" not in match_text:
        return " " * len(match_text)
    return "\n".join([" " * len(line) for line in match_text.split("\n")])


def mask_code(text: str, *, inline: bool = True, comments: bool = True) -> str:
    """`text` with code fences (and inline code spans, HTML comments) blanked out.

    Offsets and line numbers are unchanged, so matches in the result point into `text`.
    """
    masked = text
    if "```" in text or "~~~" in text:
        pieces: list[str] = []
        done = 0
        for a, b in fenced_ranges(text):  # slices, not a list of characters: a fence costs its size once
            pieces += (text[done:a], _blank(text[a:b]))
            done = b
        pieces.append(text[done:])
        masked = "".join(pieces)
    if comments and "<!--" in masked:
        masked = _COMMENT.sub(lambda m: _blank(m.group(0)), masked)
    if inline and "`" in masked:
        masked = _INLINE_CODE.sub(lambda m: _blank(m.group(0)), masked)
    return masked


RESIDUE = re.compile(r"^[ \t]*(?:[-*+>]|\d+[.)]|\[[ xX]\]|-{3,}|\*{3,}|_{3,}|[ \t])*$")
"""A line that says nothing: blanks, rules, bare list markers and checkboxes (after masking)."""


def is_residue(masked_line: str) -> bool:
    """True for a line that says nothing: blank, a rule, a bare list marker or checkbox."""
    return RESIDUE.match(masked_line) is not None
