"""`[[ResNet]]` and `[[ResNet|레즈넷]]` in Markdown: where they are, what they name, what is wrong.

A wikilink lies on one line: `[[`, a name, optionally `|` and a label, `]]`. Code (fences, inline
spans) and HTML comments are masked first, so `` `[[x]]` `` is no link. Not a wikilink either:

- `[[8강] 제목](url)` and `[[히스] CNN](…)`, a Markdown link whose text starts with a bracket
  (the first `]` comes alone), and `[[1]](url)`, a link whose text is `[1]`;
- `a[[0]]` (an index, glued to a letter, digit, `_`, `)` or `]`) and `\\[[x]]` (escaped).

What is wrong (`check` reports it): `[[` with no `]]` on its line (`unclosed`), a bracket inside
the name (`nested`), and a name that is empty, names a path (`/`, `\\`, `..`), holds a control
character or is longer than `MAX_NAME` (`name`): such a link is never resolved nor published
as a link. The scan is linear in the text: `str.find` and one bracket class per step, each
step starting past where the last one stopped, so no input is read twice (#12).
Pure: the standard library and `daylog.entries.markdown`.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterator
from typing import NamedTuple

from daylog.entries.markdown import mask_code

MAX_NAME = 100
"""Characters a concept name may have."""

_STOP = re.compile(r"[\[\]]")
"""The next bracket after `[[`: where the name ends (a lone `]`, `]]`, or a nested `[`)."""
_GLUE = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_)]\\")
"""A character right before `[[` that makes it an index (`a[[0]]`) or escaped (`\\[[`)."""


class Wikilink(NamedTuple):
    """One well-formed wikilink."""

    line: int
    """1-based line of the text it was found in."""
    start: int
    """Column of its `[[` (0-based, in characters)."""
    end: int
    """Column just past its `]]`."""
    name: str
    """The concept's name as written (NFC, outer blanks dropped)."""
    label: str | None
    """The text after `|`, when there is one."""

    @property
    def shown(self) -> str:
        """What a reader sees: the label, else the name."""
        return self.label or self.name


class Malformed(NamedTuple):
    """A wikilink that cannot be read or may not be followed."""

    line: int
    start: int
    kind: str
    """`unclosed`, `nested` or `name`."""
    message: str


def name_problem(name: str) -> str | None:
    """Why `name` cannot be a concept's name (None when it can)."""
    if not name:
        return "is empty; write a concept name inside"
    if "/" in name or "\\" in name or ".." in name:
        return "names a path; a concept name may not contain `/`, `\\` or `..`"
    if any(unicodedata.category(c) == "Cc" for c in name):
        return "holds a control character; delete it"
    if len(name) > MAX_NAME:
        return f"is {len(name)} characters long, over the {MAX_NAME} a concept name may have"
    return None


def clean(name: str) -> str:
    """A name as written, in the form daylog compares and shows: NFC, blanks squeezed."""
    return " ".join(unicodedata.normalize("NFC", name).split())


def _quote(raw: str) -> str:
    """The link as written, short enough for a one-line message, control characters shown as escapes."""
    raw = raw if len(raw) <= 60 else raw[:57] + "…"
    return "".join(f"\\x{ord(c):02x}" if unicodedata.category(c) == "Cc" else c for c in raw)


def _line(masked: str, original: str, n: int) -> Iterator[Wikilink | Malformed]:
    """The wikilinks of one line (masked for code) and what is wrong with the others."""
    pos = 0
    while (i := masked.find("[[", pos)) >= 0:
        if i and masked[i - 1] in _GLUE:
            pos = i + 1  # `][[[x]]`: the next bracket may open a link
            continue
        stop = _STOP.search(masked, i + 2)
        if stop is None:
            yield Malformed(n, i, "unclosed", f"wikilink `{_quote(original[i:].rstrip())}` has no closing `]]`")
            return
        j = stop.start()
        if masked[j] == "[":
            close = masked.find("]]", j)
            end = len(masked) if close < 0 else close + 2
            yield Malformed(
                n, i, "nested", f"wikilink `{_quote(original[i:end])}` holds a bracket; a concept name may not"
            )
            pos = end
            continue
        if not masked.startswith("]]", j):
            pos = j + 1  # `[[8강] 제목](url)`: a Markdown link whose text starts with a bracket
            continue
        pos = j + 2
        if masked.startswith("(", pos):
            continue  # `[[1]](url)`: a link whose text is `[1]`
        raw_name, bar, raw_label = original[i + 2 : j].partition("|")
        name = clean(raw_name)
        problem = name_problem(name)
        if problem is not None:
            yield Malformed(n, i, "name", f"wikilink `{_quote(original[i:pos])}` {problem}")
            continue
        yield Wikilink(n, i, pos, name, (clean(raw_label) or None) if bar else None)


def scan(text: str, *, first_line: int = 1) -> tuple[list[Wikilink], list[Malformed]]:
    """Every wikilink of `text` and every malformed one, in order; lines before `first_line`
    (the front matter) are skipped."""
    if "[[" not in text:
        return [], []
    masked = mask_code(text)
    links: list[Wikilink] = []
    bad: list[Malformed] = []
    originals = text.split("\n")
    for n, line in enumerate(masked.split("\n"), start=1):
        if n < first_line or "[[" not in line:
            continue
        for found in _line(line, originals[n - 1], n):
            if isinstance(found, Wikilink):
                links.append(found)
            else:
                bad.append(found)
    return links, bad


def rewrite(markdown: str, link: Callable[[Wikilink], str | None]) -> str:
    """`markdown` with each wikilink replaced by `link(wikilink)` (kept as written when it says None).

    For pages: `[[ResNet|레즈넷]]` becomes a Markdown link to the concept's page; code is left alone.
    """
    if "[[" not in markdown:
        return markdown
    links, _ = scan(markdown)
    if not links:
        return markdown
    lines = markdown.split("\n")
    by_line: dict[int, list[Wikilink]] = {}
    for w in links:
        by_line.setdefault(w.line, []).append(w)
    for n, found in by_line.items():
        original = lines[n - 1]
        pieces: list[str] = []
        done = 0
        for w in found:
            replacement = link(w)
            if replacement is not None:
                pieces += (original[done : w.start], replacement)
                done = w.end
        lines[n - 1] = "".join(pieces) + original[done:]
    return "\n".join(lines)
