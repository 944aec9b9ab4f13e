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
- **Links in long runs of text.** Python-Markdown runs its inline patterns over a whole
  paragraph (list item, table cell, heading), not a line, and copies the whole run for each
  match it makes. Its link patterns find where a `[` closes with a table of every index of
  the run, built by a Python loop and built again after each link: 256 links in a 256 KB
  paragraph took 22 s. `LinearLinkText` (the registered link patterns' `getText`) gives the
  same answers from the run's brackets alone. A run over budget (`over_budget`: more than
  `BRACKETS_PER_BLOCK` `[` outside code spans, or `](`s whose `)` is missing, so that the
  look for it reads to the end, adding up to more than `LINK_SCANS_PER_BLOCK` times the run)
  is shown as text by `BracketBudget`, a treeprocessor between task lists and the inline
  patterns: each `[` and backslash escape outside code spans is written as Python-Markdown's
  escape pattern leaves it (`\x02` code point `\x03`), so the page reads as if each `[` were
  escaped, and no pattern matches in the run. This replaces the per-line guard of the first
  round, which wrote `\[` for each `[` of a line with over 256 of them: each such escape is a
  match, and each match copied the paragraph (`hostile.py`'s open wikilinks, 30 lines of 64 KB
  of `[[` shapes in one paragraph: 20 % of it added 140 s to the build; now the whole adds
  less than a normal 2 MB entry). The plugin warns with the entry's path and the run's first
  line (`first_line`) when a page had such a run.

Nothing here drops what the user wrote (a run over budget loses its links, not its text).
Imports Python-Markdown (and MkDocs' toc class).
"""

from __future__ import annotations

import bisect
import re
from typing import Any

from markdown import Extension, Markdown  # type: ignore[import-untyped]
from markdown.preprocessors import Preprocessor  # type: ignore[import-untyped]
from markdown.treeprocessors import Treeprocessor  # type: ignore[import-untyped]

HEADINGS_PER_BLOCK = 32
"""More heading lines than this in one block (no blank line between) get blank lines after them."""
TOC_ENTRIES = 200
"""Pages with more toc entries than this are indexed by Material's search without the toc walk."""
BRACKETS_PER_BLOCK = 256
"""More `[` than this in one run of inline text (a paragraph, list item, table cell or heading:
what Python-Markdown's inline patterns run over), outside code spans, and the run's brackets are
shown as text. Python-Markdown copies the whole run for each link or escape it finds, so n of them
in a run of length L cost n·L; a written paragraph holds a few links, a table row one or two."""
LINK_SCANS_PER_BLOCK = 16
"""Python-Markdown looks for the `)` of every `[…](` up to the end of the run when it does not close
(or a quote opens a title in it): when those scans add up to more than this many times the run's
length, its brackets are shown as text too. A closed link costs its own length."""


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


_LINK_OPEN = re.compile(r"\]\(")
_PAREN = re.compile(r"[()]")
_QUOTE = re.compile(r"['\"]")
_TITLE_END = re.compile(r"['\"] *\)")
_ESCAPE = re.compile(r"\\(.)|\[", re.DOTALL)


def link_scans(text: str) -> int:
    """About how many characters Python-Markdown's link pattern reads after the `](`s of `text`
    whose `]` closes a `[` (it reads no other): up to the `)` that closes each, or when a quote
    comes first (a title) up to the next quote and `)`; to the end when there is none."""
    closing: set[int] = set()
    depth = 0
    for m in _BRACKET.finditer(text):
        if m.group() == "[":
            depth += 1
        elif depth:
            depth -= 1
            closing.add(m.start())
    sites = [m.start() + 1 for m in _LINK_OPEN.finditer(text) if m.start() in closing]
    if not sites:
        return 0
    closes: dict[int, int] = {}
    stack: list[int] = []
    for m in _PAREN.finditer(text):
        if m.group() == "(":
            stack.append(m.start())
        elif stack:
            closes[stack.pop()] = m.start()
    quotes = [m.start() for m in _QUOTE.finditer(text)]
    titles = [m.end() for m in _TITLE_END.finditer(text)]
    total = 0
    for at in sites:
        close = closes.get(at)
        quote = bisect.bisect_left(quotes, at)
        if close is not None and (quote == len(quotes) or quotes[quote] > close):
            total += close - at
            continue
        title = bisect.bisect_left(titles, at)  # in a title: about to the next quote and `)`
        total += (titles[title] if title < len(titles) else len(text)) - at
    return total


def over_budget(text: str) -> bool:
    """`text`, a run of inline Markdown, holds more links than its patterns can afford (code spans aside)."""
    if text.count("[") <= BRACKETS_PER_BLOCK and ("](" not in text or "[" not in text):
        return False
    from daylog.entries.markdown import mask_code

    masked = mask_code(text, comments=False)
    return masked.count("[") > BRACKETS_PER_BLOCK or link_scans(masked) > LINK_SCANS_PER_BLOCK * len(text)


def as_text(text: str, escaped: frozenset[str]) -> str:
    """`text` with its `[` and backslash escapes outside code spans as Python-Markdown's escape
    pattern leaves them (STX, the code point, ETX: turned back into the character at the end), so
    no inline pattern finds a link, or a match to copy the run for, in them."""
    from daylog.entries.markdown import code_spans

    def plain(m: re.Match[str]) -> str:
        char = m.group(1)
        if char is None:
            return "\x0291\x03"
        return f"\x02{ord(char)}\x03" if char in escaped else m.group(0)

    out: list[str] = []
    done = 0
    for a, b in [*code_spans(text), (len(text), len(text))]:
        out += (_ESCAPE.sub(plain, text[done:a]), text[a:b])
        done = b
    return "".join(out)


class BracketBudget(Treeprocessor):  # type: ignore[misc]
    """Before the inline patterns: each run of text over budget (`over_budget`) is shown as text
    (`as_text`), and kept in `shown` for the plugin's warning."""

    def __init__(self, md: Markdown, shown: list[str]) -> None:
        super().__init__(md)
        self.shown = shown

    def run(self, root: Any) -> None:
        from markdown.util import AtomicString  # type: ignore[import-untyped]

        escaped = frozenset(self.md.ESCAPED_CHARS)
        for el in root.iter():
            for side in ("text", "tail"):
                text = getattr(el, side)
                if isinstance(text, str) and not isinstance(text, AtomicString) and over_budget(text):
                    setattr(el, side, as_text(text, escaped))
                    self.shown.append(text[:1000])


def first_line(source: str, shown: str) -> int | None:
    """The line of `source` where the run `shown` starts (its first line, without block markers), if found."""
    head = next((line.strip() for line in shown.split("\n") if line.strip()), "")[:200]
    at = source.find(head) if head else -1
    return source.count("\n", 0, at) + 1 if at >= 0 else None


class BudgetExtension(Extension):  # type: ignore[misc]
    """Registers `HeadingRuns` after fenced code (25) and raw HTML (20) are stashed and
    `BracketBudget` after task lists (25) and before the inline patterns (20), gives the link
    patterns `LinearLinkText` and attr_list (when present: it is registered before this
    extension) `LinearHeaderPattern`."""

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.shown: list[str] = []
        """The start of each run of text shown as text since `take_shown` last ran."""

    def take_shown(self) -> list[str]:
        """The runs shown as text since the last call (the plugin asks after each page)."""
        shown, self.shown[:] = list(self.shown), []
        return shown

    def extendMarkdown(self, md: Markdown) -> None:
        md.preprocessors.register(HeadingRuns(md), "daylog_heading_runs", 10)
        md.treeprocessors.register(BracketBudget(md, self.shown), "daylog_bracket_budget", 22)
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
