"""An entry's Markdown made presentable for its page: no bare headings, done dates as badges.

Pure (the standard library and `daylog.entries.markdown`). The entry file keeps its shape
(the template writes every heading, and `daylog check` reads them); only the page leaves
out a section the member left empty, which would otherwise print as a lone heading.
Everything is decided on the text with code blocks, code spans and HTML comments masked,
so nothing inside code changes.
"""

from __future__ import annotations

import re

from daylog.entries.markdown import atx_heading, is_residue, mask_code

_DONE = re.compile(r"✅[ \t]*+(?P<date>\d{4}-\d{2}-\d{2})\b")
"""An Obsidian Tasks done date (`✅ 2021-02-05`). The blanks before it and the character they
follow (the one it is glued to) are found by a step back from the `✅` (`_glued`): a pattern
that starts with them (`[^\\s(\\[]?[ \\t]*✅`) is tried from every blank of a run, so a 64 KB
run cost 64 K² steps (the "long item lines" entry: minutes)."""


def drop_empty_sections(markdown: str) -> str:
    """`markdown` without the sections that hold nothing but blank lines, rules, comments,
    bare list markers or empty sub-sections (the heading goes with them).

    Linear: a section's scan stops at its first line with content or at its end.
    """
    lines = markdown.split("\n")
    no_code = mask_code(markdown, inline=False, comments=False).split("\n")
    masked = mask_code(markdown, inline=False, comments=True).split("\n")
    levels = [_level(m) for m in masked]
    # a code line is content however it looks: mark it so that it is no residue
    masked = [m if c == ln else "code" for m, c, ln in zip(masked, no_code, lines, strict=True)]
    out: list[str] = []
    i = 0
    while i < len(lines):
        level = levels[i]
        if level:
            end = _empty_until(masked, levels, i, level)
            if end is not None:
                i = end
                continue
        out.append(lines[i])
        i += 1
    return "\n".join(out)


def _level(masked_line: str) -> int:
    h = atx_heading(masked_line)
    return h[0] if h else 0


def _empty_until(masked: list[str], levels: list[int], start: int, level: int) -> int | None:
    """Where the empty section opened at `start` ends, or None when it has content."""
    j = start + 1
    while j < len(masked):
        if levels[j]:
            if levels[j] <= level:
                return j
        elif not is_residue(masked[j]):
            return None
        j += 1
    return j


def done_badges(markdown: str) -> str:
    """Each `✅ YYYY-MM-DD` outside code as a small badge, set apart from the text it was glued to."""
    if "✅" not in markdown:
        return markdown
    masked = mask_code(markdown, inline=True, comments=True)
    pieces: list[str] = []
    done = 0
    for m in _DONE.finditer(masked):
        start, glue = _glued(masked, m.start(), done)
        pieces.append(markdown[done:start])
        space = " " if glue or masked[start] in " \t" else ""
        pieces.append(f'{glue}{space}<span class="daylog-done" title="완료한 날">✅ {m.group("date")}</span>')
        done = m.end()
    pieces.append(markdown[done:])
    return "".join(pieces)


def _glued(masked: str, at: int, done: int) -> tuple[int, str]:
    """Where the badge of the `✅` at `at` starts: at the blanks before it, or at the character
    they follow unless that is a blank, `(` or `[` (then it is returned as the glue); never before `done`.

    The blanks before one `✅` end at the one before it, so all the steps back cost the text once."""
    start = at
    while start > done and masked[start - 1] in " \t":
        start -= 1
    if start > done and not masked[start - 1].isspace() and masked[start - 1] not in "([":
        return start - 1, masked[start - 1]
    return start, ""


def tidy(markdown: str) -> str:
    """What an entry's page shows of its body."""
    return done_badges(drop_empty_sections(markdown))
