"""All terminal output formatting: width-aware tables, JSON, messages.

Korean (wide) characters take two columns, so columns are padded by display
width, not by `len`.
"""

from __future__ import annotations

import sys
import unicodedata
from collections.abc import Sequence
from typing import Any, TextIO


def width(text: str) -> int:
    """Columns `text` takes in a terminal (wide East Asian characters count 2)."""
    total = 0
    for ch in text:
        if unicodedata.combining(ch) or ch in "\u200b\u200d\ufe0f":
            continue
        total += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return total


def truncate(text: str, columns: int) -> str:
    """Cut `text` to at most `columns` display columns, marking the cut with `…`."""
    if width(text) <= columns:
        return text
    out, used = [], 0
    for ch in text:
        w = width(ch)
        if used + w > columns - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"


def pad(text: str, columns: int) -> str:
    return text + " " * max(0, columns - width(text))


def table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, max_width: int | None = None) -> str:
    """A plain aligned table; the last column is cut to fit `max_width` when given."""
    cells = [[" ".join(str(c).split()) for c in row] for row in rows]
    widths = [width(h) for h in headers]
    for row in cells:
        for i, c in enumerate(row):
            widths[i] = max(widths[i], width(c))
    if max_width is not None and len(widths) > 1:
        fixed = sum(widths[:-1]) + 2 * (len(widths) - 1)
        widths[-1] = max(10, min(widths[-1], max_width - fixed))
    lines = []
    for row in [list(headers), *cells]:
        parts = [
            pad(truncate(c, widths[i]), widths[i]) if i < len(row) - 1 else truncate(c, widths[i])
            for i, c in enumerate(row)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)


def print_json(data: Any, out: TextIO | None = None) -> None:
    """JSON for scripts: UTF-8 (not \\u escapes), keys in a stable order.

    Indented for a person at a terminal; compact (and several times faster, the C
    encoder) when piped. The shape is the same either way.
    """
    stream = out or sys.stdout
    write(json_text(data, pretty=stream.isatty()), stream)


def write(text: str, stream: TextIO | None = None) -> None:
    """Write `text` whole; a lone surrogate (a file name that is not UTF-8) becomes U+FFFD."""
    stream = stream or sys.stdout
    try:
        stream.write(text)  # encodes the whole text before writing any of it
    except UnicodeEncodeError:
        stream.write(text.encode("utf-8", "surrogateescape").decode("utf-8", "replace"))


def json_text(data: Any, *, pretty: bool) -> str:
    """`print_json`'s text, newline included."""
    import json  # not at start-up: only the commands that print JSON need it

    if pretty:
        return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"), default=str) + "\n"


def note(message: str) -> None:
    """A remark for the user on stderr (stdout stays clean for paths and JSON)."""
    sys.stderr.write(note_text(message))


def note_text(message: str) -> str:
    """`note`'s line, newline included."""
    return f"daylog: {message}\n"


def terminal_columns() -> int | None:
    """Width to fit tables into, or None when output goes to a pipe or file (never cut)."""
    if not sys.stdout.isatty():
        return None
    import shutil

    return shutil.get_terminal_size((100, 24)).columns


def use_color(forced: bool | None, stream: TextIO | None = None) -> bool:
    """Colour when forced (`--color`/`--no-color`), else only on a terminal with NO_COLOR unset."""
    if forced is not None:
        return forced
    import os

    out = stream or sys.stdout
    return out.isatty() and not os.environ.get("NO_COLOR")


_UNSAFE = {cp: None for cp in (*range(0x20), *range(0x7F, 0xA0), *range(0x202A, 0x202F), *range(0x2066, 0x206A))}


def plain(text: str) -> str:
    """Untrusted text (an issue title) made safe to print: no control characters, terminal
    escape sequences or bidi overrides; line breaks and tabs become spaces."""
    return text.translate({**_UNSAFE, 9: " ", 10: " ", 13: " "})


def marked(
    text: str, spans: Sequence[tuple[int, int]], *, on: str = "", off: str = "", columns: int | None = None
) -> str:
    """`text` made safe to print (`plain`) with each (start, end) span wrapped in `on`…`off`
    (e.g. bold); with `columns`, cut to that many display columns around the first span, each
    cut marked with `…`."""
    start, end = 0, len(text)
    if columns is not None and width(text) > columns:
        start, end = _window(text, spans[0][0] if spans else 0, max(columns, 10) - 2)
    out = ["…" if start > 0 else ""]
    pos = start
    for span in spans:
        a, b = max(span[0], pos), min(span[1], end)
        if a >= b:
            continue
        out += [plain(text[pos:a]), on, plain(text[a:b]), off]
        pos = b
    out += [plain(text[pos:end]), "…" if end < len(text) else ""]
    return "".join(out)


def _window(text: str, hit: int, columns: int) -> tuple[int, int]:
    """(start, end) of a slice of `text` at most `columns` wide, the offset `hit` a third of the way in."""
    start = hit
    used = 0
    while start > 0 and used + width(text[start - 1]) <= columns // 3:
        start -= 1
        used += width(text[start])
    end = start
    used = 0
    while end < len(text) and used + width(text[end]) <= columns:
        used += width(text[end])
        end += 1
    return start, end


class Progress:
    """`label: done/total` on stderr for work that takes a while (a fetch of many pages).

    Silent for the first `after` seconds, so quick runs print nothing; then, in a terminal, one
    line rewritten in place, and elsewhere (CI logs) a line at most every `every` seconds.
    """

    def __init__(
        self,
        label: str,
        *,
        after: float = 1.0,
        every: float = 5.0,
        stream: TextIO | None = None,
        clock: Any = None,
    ) -> None:
        import time

        self.label = label
        self.after = after
        self.every = every
        self.stream = stream or sys.stderr
        self.clock = clock or time.monotonic
        self.start = self.clock()
        self.shown_at: float | None = None
        self.tty = self.stream.isatty()

    def __call__(self, done: int, total: int) -> None:
        t = self.clock()
        if t - self.start < self.after:
            return
        if self.tty:
            self.stream.write(f"\rdaylog: {self.label}: {done}/{total}\x1b[K")
            self.stream.flush()
            self.shown_at = t
        elif self.shown_at is None or t - self.shown_at >= self.every:
            self.stream.write(f"daylog: {self.label}: {done}/{total}\n")
            self.shown_at = t

    def close(self) -> None:
        """End the in-place line (call once the work is over, also after an error)."""
        if self.tty and self.shown_at is not None:
            self.stream.write("\n")
            self.stream.flush()
