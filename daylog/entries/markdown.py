"""Just enough Markdown structure for daylog: line index, code and comment masking, headings.

Entries are scanned with regexes over the whole text; this module tells those scans
which characters are prose. Every pattern here and in the other readers takes time
linear in the text: no quantifier may overlap what follows it (`.*?` before `[ \t]*$`,
`\\s*` before `\\s+`), or a long line costs its length squared (#12). Where a pattern
would need one, it stops possessively (`*+`) or Python trims the match instead.
Pure, standard library only.
"""

from __future__ import annotations

import bisect
import itertools
import operator
import re

# A fence may be indented (inside list items) and may follow a list marker (`* ```python`).
_FENCE = re.compile(r"^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$", re.M)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.S)
_TICKS = re.compile(r"`+")


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


def code_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) of inline code spans: a run of backticks closed by the next run of its length on its line.

    Paired by a scan over the runs, not by a regex: `(`+)(.+?)\1` tries the rest of the line
    from every run left open, which for runs of ever more backticks costs the line's length
    times their number.
    """
    runs: list[tuple[int, int, int]] = []  # (start, end, line)
    line, last = 0, 0
    for m in _TICKS.finditer(text):
        line += text.count("\n", last, m.start())
        last = m.start()
        runs.append((m.start(), m.end(), line))
    closer: list[int | None] = [None] * len(runs)
    seen: dict[tuple[int, int], int] = {}
    for i in range(len(runs) - 1, -1, -1):  # the next run of the same length on the same line
        start, end, ln = runs[i]
        closer[i] = seen.get((ln, end - start))
        seen[(ln, end - start)] = i
    spans = []
    i = 0
    while i < len(runs):
        j = closer[i]
        if j is None:
            i += 1
        else:
            spans.append((runs[i][0], runs[j][1]))
            i = j + 1
    return spans


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
        masked = _blank_spans(masked, code_spans(masked))
    return masked


def _blank_spans(text: str, spans: list[tuple[int, int]]) -> str:
    """`text` with the (start, end) spans, which hold no newline, blanked."""
    if not spans:
        return text
    pieces: list[str] = []
    done = 0
    for a, b in spans:
        pieces += (text[done:a], " " * (b - a))
        done = b
    pieces.append(text[done:])
    return "".join(pieces)


RESIDUE = re.compile(r"^(?:[-*+> \t]|\d++[.)]|\[[ xX]\]|_{3,}+)*+$")
"""A line that says nothing: blanks, rules, bare list markers and checkboxes (after masking).

Each alternative starts with its own characters and every repeat is possessive: the
pattern it replaces (`(?:[-*+>]|-{3,}|…)*`) could split a run of dashes in exponentially
many ways before failing on a dash line ending in a letter."""


def is_residue(masked_line: str) -> bool:
    """True for a line that says nothing: blank, a rule, a bare list marker or checkbox."""
    return RESIDUE.match(masked_line) is not None


def trim_line_end(text: str) -> str:
    """`text` without trailing blanks and a final `\r`: what `(.*?)[ \t]*\r?$` captured, in linear time."""
    return (text[:-1] if text.endswith("\r") else text).rstrip(" \t")


_ATX = re.compile(r" {0,3}(#{1,6})(?:[ \t](.*)|\r?)$")


def atx_heading(line: str) -> tuple[int, str] | None:
    """(level, text) of an ATX heading line (`## text ##`), without its closing `#`s; None for other lines."""
    m = _ATX.match(line)
    if m is None:
        return None
    rest = trim_line_end(m.group(2) or "")
    bare = rest.rstrip("#")
    if len(bare) < len(rest) and (not bare or bare[-1] in " \t"):
        rest = bare  # a closing sequence: blanks, then only `#`s
    return len(m.group(1)), rest.strip()
