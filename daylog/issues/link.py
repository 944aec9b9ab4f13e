"""`daylog link`: the reference line and where it goes in an entry. Pure.

The line is `- [#53 <title>](url) — note`. The title comes from GitHub and is untrusted, so it
is escaped to stay plain text through Python-Markdown (with the site's pymdown extensions) and
GitHub's renderer: no HTML, no nested link, no emphasis, no math, no other issue link. The URL
is one `urls.safe_url` accepts (http or https, with a host), never `javascript:`.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import NamedTuple

from daylog.errors import UsageError
from daylog.issues.refs import IssueRef, find_refs
from daylog.issues.urls import safe_url

__all__ = ["Insertion", "escape_title", "insert_line", "link_line", "parse_link_ref"]

_FORMS = "53, #53, owner/repo#53 or a github.com issue/pull/discussion URL"


def parse_link_ref(value: str, *, issue_repo: str | None) -> IssueRef:
    """REF as `daylog link` takes it → the reference (UsageError naming the accepted forms)."""
    text = value.strip()
    if text.isdigit():
        text = "#" + text
    scan = find_refs(text, issue_repo=issue_repo)
    if not scan.refs and scan.problems:
        raise UsageError(f"REF {value!r}: {scan.problems[0].message}")
    if len(scan.refs) != 1 or scan.refs[0].written.rstrip("/") != text.rstrip("/"):
        raise UsageError(f"REF {value!r} is not an issue reference: use {_FORMS}")
    return scan.refs[0]


# Backslash escapes Python-Markdown and CommonMark both honour; the rest become entities
# (Python-Markdown cannot escape `<`, and `$`/`~` would start math or strike-through).
# Parentheses stay: harmless in link text, and `\(` would start arithmatex's inline math.
# `]` is an entity: Python-Markdown's reference-definition scan ignores backslashes, so a
# title such as `\]: x` would turn the whole line into a definition `[#53 \\\]: x`.
_BACKSLASH = frozenset("\\`*_[{}#!")
_ENTITIES = {
    "&": "&amp;",
    "<": "&lt;",
    ">": "&gt;",
    "]": "&#93;",
    "$": "&#36;",
    "~": "&#126;",
    "|": "&#124;",
    "@": "&#64;",
}


def escape_title(title: str) -> str:
    """An issue title as inert Markdown link text, on one line."""
    out: list[str] = []
    for ch in " ".join(title.split()):
        if ch in _BACKSLASH:
            out.append("\\" + ch)
        elif ch in _ENTITIES:
            out.append(_ENTITIES[ch])
        elif unicodedata.category(ch) in ("Cc", "Cs") or ch in "\u2028\u2029":
            continue  # control characters (terminal escapes) carry no meaning in a title
        else:
            out.append(ch)
    return "".join(out)


def link_line(ref_text: str, url: str, title: str | None, note: str | None) -> str:
    """`- [#53 <title>](url) — note`, the title escaped (omitted when unknown).

    `url` must pass `safe_url` (ValueError otherwise): the last guard before a file is written.
    """
    if safe_url(url) is None:
        raise ValueError(f"not a safe http(s) URL: {url!r}")
    text = ref_text + (f" {escape_title(title)}" if title and title.strip() else "")
    line = f"- [{text}]({url})"
    if note:
        line += f" — {note}"
    return line


@dataclass(frozen=True, slots=True)
class Insertion:
    """Where the line went."""

    text: str
    """The whole new file text."""
    line: int
    """1-based line number of the inserted reference line."""
    added: int
    """Lines added: 1, or 2 when a blank line had to separate it from a paragraph."""


_LIST_ITEM = re.compile(r"^[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)")


def insert_line(text: str, heading_line: int, end_line: int, line: str) -> Insertion:
    """Add `line` as the last item of the section whose heading is on `heading_line`.

    The section's own body is `heading_line + 1 .. end_line`. When the body's last block is a
    list (or an HTML comment, such as the template's hint) the line goes right after it. After
    anything else (a paragraph, a code block) it goes after the blank line that follows, so it
    starts a list of its own; only when no blank line is there is one added too. Every other byte is unchanged and
    the file's line ending (LF or CRLF) is kept.
    """
    ends_with_newline = text.endswith("\n")
    lines = text.split("\n")
    if ends_with_newline:
        lines.pop()  # the empty string after the final newline is no line
    spot = _spot(lines, heading_line, min(end_line, len(lines)))
    eol = "\r" if "\r\n" in text else ""
    new = [n + eol for n in ([""] if spot.gap else []) + [line]]
    if spot.at > len(lines) and not ends_with_newline and lines:
        lines[-1] += eol  # it gets the newline; the new last line goes without one, as before
        new[-1] = new[-1].removesuffix("\r")
    lines[spot.at - 1 : spot.at - 1] = new
    out = "\n".join(lines) + ("\n" if ends_with_newline else "")
    return Insertion(out, spot.at + len(new) - 1, len(new))


class _Spot(NamedTuple):
    at: int
    """1-based line the new lines go before."""
    gap: bool
    """A blank line must come first, to end the paragraph above."""


def _spot(lines: list[str], heading_line: int, end_line: int) -> _Spot:
    """Where the line goes in the body `heading_line + 1 .. end_line` (see `insert_line`)."""
    last = _last_written(lines, heading_line, end_line)
    if last == heading_line:
        at = heading_line + 1  # empty body: right below the heading
        if at <= end_line and not lines[at - 1].strip():
            at += 1  # below the blank line under the heading
        return _Spot(at, False)
    first = last
    while first - 1 > heading_line and lines[first - 2].strip():
        first -= 1
    while first < last and _one_line_comment(lines[first - 1]):
        first += 1  # the template's hint above a list: the list is the block (a second `link` joins it)
    head, tail = lines[first - 1], lines[last - 1].rstrip()
    comment = head.lstrip().startswith("<!--") and tail.endswith("-->")
    if _LIST_ITEM.match(head) or head[:1] in (" ", "\t") or comment:
        return _Spot(last + 1, False)
    if last + 1 <= end_line and not lines[last].strip():
        return _Spot(last + 2, False)
    return _Spot(last + 1, True)


def _one_line_comment(line: str) -> bool:
    stripped = line.strip()
    return stripped.startswith("<!--") and stripped.endswith("-->")


def _last_written(lines: list[str], heading_line: int, end_line: int) -> int:
    """The body's last non-blank line, or the heading's when the body is empty."""
    for n in range(end_line, heading_line, -1):
        if lines[n - 1].strip():
            return n
    return heading_line
