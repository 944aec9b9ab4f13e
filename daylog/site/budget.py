r"""Where the site build's third-party code is super-linear on hostile entries, and what daylog does (#12).

Measured on the sample workspace plus one 2 MB entry of each shape in `benchmarks/hostile.py`
(figures in benchmarks/README.md, `benchmarks/hostile_site.py`); the fixes live here, hooked
from `daylog.site.plugin` with one line each:

- **Headings in one block.** Python-Markdown's hash-header processor takes the first heading of
  a block and puts the rest of the block back; every block processor then tests the rest again,
  and admonition's `RE.search` and tables' `block.split` read all of it: a block of n heading
  lines costs n² (5,000 headings: 20 s; 100,000: hours). A preprocessor (`HeadingRuns`) puts a
  blank line after each heading line of a block that holds more than `HEADINGS_PER_BLOCK` of
  them. Python-Markdown ends a heading at its line anyway, so the page is the same; the one
  difference is a heading line right under a table without a blank line, which the tables
  extension would have read as a row. It runs after fenced code and raw HTML are stashed, so
  neither is touched, and it tests lines with the registered header processor's own pattern
  (`pymdownx.saneheaders`: `#53` is no heading).
- **Material's search and the table of contents.** For every section of a page the search
  plugin looks its id up in the page's toc by walking the toc tree from the start
  (`SearchIndex._find_toc_by_id`): n sections cost n². The item it finds only supplies the URL
  `#<id>`, the same URL the plugin writes when it finds none, so for a page with more than
  `TOC_ENTRIES` toc entries daylog hands the search plugin an empty toc while it indexes the
  page (`hide_toc`, before search's `on_page_context`) and gives the toc back right after
  (`restore_toc`): the index is byte for byte the same and the page keeps its full toc.
- **attr_list on long blank runs.** Python-Markdown expands tabs, and attr_list looks for
  `{: …}` at the end of every heading and table cell with `[ ]+\{…\}[ ]*$`, which retries
  from every blank of a run: a heading holding 64 KB of blanks costs 64 K² steps (the "long
  item lines" case: minutes). The registered treeprocessor gets `LinearHeaderPattern`, the
  same pattern tried from the start of each run only and only when the text ends in `}`:
  it finds the same match, in linear time.

Nothing here drops or rewrites what the user wrote. Imports Python-Markdown (and MkDocs' toc class).
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from markdown import Extension, Markdown  # type: ignore[import-untyped]
from markdown.preprocessors import Preprocessor  # type: ignore[import-untyped]

HEADINGS_PER_BLOCK = 32
"""More heading lines than this in one block (no blank line between) get blank lines after them."""
TOC_ENTRIES = 200
"""Pages with more toc entries than this are indexed by Material's search without the toc walk."""
BRACKETS_PER_LINE = 256
"""More `[` than this on one line (outside code) are shown as text: Python-Markdown's link
pattern looks for the closing bracket from every `[`, so a 16 KB line of `[[` took 30–44 s.
A written line holds a few links; a table row one or two."""


class HeadingRuns(Preprocessor):  # type: ignore[misc]
    """A blank line after each heading line of a block with more than `HEADINGS_PER_BLOCK` of them."""

    def run(self, lines: list[str]) -> list[str]:
        processors = self.md.parser.blockprocessors
        if "hashheader" not in processors or getattr(processors["hashheader"], "RE", None) is None:
            return lines
        pattern = processors["hashheader"].RE

        def is_heading(line: str) -> bool:
            if not line.startswith("#"):
                return False
            m = pattern.match(line)
            return m is not None and m.start("level") == 0 and m.end() == len(line)

        out: list[str] = []
        start = 0
        for end in [*(i for i, line in enumerate(lines) if not line.strip()), len(lines)]:
            block = lines[start:end]
            heads = [is_heading(line) for line in block]
            if sum(heads) > HEADINGS_PER_BLOCK:
                for line, head in zip(block, heads, strict=True):
                    out.append(line)
                    if head:
                        out.append("")
            else:
                out.extend(block)
            if end < len(lines):
                out.append(lines[end])
            start = end + 1
        return out


class LinearHeaderPattern:
    """attr_list's `HEADER_RE` (`[ ]+\\{\\:?[ ]*([^\\}\\n ][^\\n]*)\\}[ ]*$`) with the same matches.

    A match can only end at a `}` followed by blanks to the end, so without one there is none;
    the leftmost match starts where a run of blanks starts (`(?<![ ])`), and a blank run is
    never given back (`++`, `*+`: what follows it is no blank).
    """

    END = re.compile(r"\}[ ]*$")
    RE = re.compile(r"(?<![ ])[ ]++\{\:?[ ]*+([^\}\n ][^\n]*)\}[ ]*$")

    def search(self, text: str) -> re.Match[str] | None:
        return self.RE.search(text) if self.END.search(text) else None


_BRACKET = re.compile(r"[\[\]]")


class LinearLinkText:
    """A link pattern's `getText(data, index)`: what Python-Markdown's returns, in linear time.

    Python-Markdown finds where the `[` before `index` closes by walking `data` from there (up
    to 3.10: from every `[`, to the end when it never closes) or by a table of every index of
    `data`, built by a Python loop over all of it (3.11), again after each link it finds, since
    each changes `data`: n links in a run of length L cost n·L loop steps (256 links in a
    256 KB paragraph: 22 s). This one lists the brackets of `data` once with a regex; the
    indexes between two brackets share their answer, found by a stack over the brackets alone,
    and an index's gap is found by bisection.
    """

    def __init__(self) -> None:
        self._data: str | None = None
        self._brackets: list[int] = []
        self._ends: list[int | None] = []

    def __call__(self, data: str, index: int) -> tuple[str, int, bool]:
        if self._data is not data:
            self._data = data
            self._brackets = [m.start() for m in _BRACKET.finditer(data)]
            self._ends = _gap_ends(data, self._brackets)
        end = self._ends[bisect.bisect_left(self._brackets, index)]
        if end is None:
            return data[index:], len(data), False
        return data[index : end - 1], end, True


def _gap_ends(data: str, brackets: list[int]) -> list[int | None]:
    """For the indexes up to each bracket (and after the last): one past the `]` that takes the
    depth below theirs, or None."""
    ends: list[int | None] = [None] * (len(brackets) + 1)
    stack: list[tuple[int, int]] = []  # (gap, depth before it), depths never decreasing
    depth = 0
    for gap, at in enumerate(brackets):
        stack.append((gap, depth))
        if data[at] == "[":
            depth += 1
            continue
        depth -= 1
        while stack and depth < stack[-1][1]:
            ends[stack.pop()[0]] = at + 1
    return ends


def _linear_link_text(md: Markdown) -> None:
    """Every registered link and reference pattern gets its own `LinearLinkText`."""
    from markdown.inlinepatterns import LinkInlineProcessor  # type: ignore[import-untyped]

    for pattern in md.inlinePatterns:
        if isinstance(pattern, LinkInlineProcessor) and callable(getattr(pattern, "getText", None)):
            pattern.getText = LinearLinkText()


class BudgetExtension(Extension):  # type: ignore[misc]
    """Registers `HeadingRuns` after fenced code (25) and raw HTML (20) are stashed, gives the link
    patterns `LinearLinkText` and attr_list (when present: it is registered before this
    extension) `LinearHeaderPattern`."""

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(HeadingRuns(md), "daylog_heading_runs", 10)
        _linear_link_text(md)
        if "attr_list" in md.treeprocessors:
            attr_list = md.treeprocessors["attr_list"]
            if getattr(attr_list, "HEADER_RE", None) is not None:
                attr_list.HEADER_RE = LinearHeaderPattern()


def _toc_size(toc: Any) -> int:
    count, stack = 0, list(toc or ())
    while stack:
        item = stack.pop()
        count += 1
        stack.extend(getattr(item, "children", ()) or ())
    return count


_HIDDEN = "_daylog_toc"


def hide_toc(page: Any) -> None:
    """Before Material's search indexes `page`: an empty toc if the page's has over `TOC_ENTRIES` entries."""
    toc = getattr(page, "toc", None)
    if toc is not None and _toc_size(toc) > TOC_ENTRIES:
        from mkdocs.structure.toc import TableOfContents

        setattr(page, _HIDDEN, toc)
        page.toc = TableOfContents([])


def restore_toc(page: Any) -> None:
    """After the search plugin: the page's own toc again, for the theme to render."""
    toc = getattr(page, _HIDDEN, None)
    if toc is not None:
        page.toc = toc
        delattr(page, _HIDDEN)


def escape_bracket_runs(markdown: str) -> tuple[str, list[int]]:
    """`markdown` with every `[` of an over-bracketed line (outside code) escaped, and those lines' numbers.

    `\\[` renders as `[`, so the text reads as written; only the links on such a line are lost,
    and the plugin warns about the line."""
    if markdown.count("[") <= BRACKETS_PER_LINE:
        return markdown, []
    from daylog.entries.markdown import mask_code

    lines, masked = markdown.split("\n"), mask_code(markdown).split("\n")
    escaped: list[int] = []
    for i, m in enumerate(masked):
        if m.count("[") > BRACKETS_PER_LINE:
            lines[i] = _escaped(lines[i], m)
            escaped.append(i + 1)
    return "\n".join(lines), escaped


def _escaped(line: str, masked: str) -> str:
    """`[` → `\\[` where `masked` (code blanked) still has it and no backslash escapes it already."""
    out: list[str] = []
    done = 0
    for at in (i for i, c in enumerate(masked) if c == "["):
        if at > 0 and line[at - 1] == "\\":
            continue
        out += (line[done:at], "\\[")
        done = at + 1
    out.append(line[done:])
    return "".join(out)
