"""The linear readers of #12 read what the quadratic patterns before them read.

Each old pattern is kept here as the oracle, run on short texts (where it is fast) made of
the characters that matter to it; its linear replacement must agree.
"""

from __future__ import annotations

import contextlib
import re
from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from daylog.entries import checklists, frontmatter, markdown, peer
from daylog.entries.markdown import mask_code, trim_line_end
from daylog.entries.model import Section
from daylog.entries.parse import _KeyRuns, parse
from daylog.porting import dates


def _texts(*pieces: str, size: int = 10) -> st.SearchStrategy[str]:
    return st.lists(st.sampled_from(pieces), max_size=size).map("".join)


_BLANKISH = (" ", "\t", "\r", "a", "가", "-", ":", "#")


@settings(max_examples=300)
@given(_texts(*_BLANKISH, "> ", "▪", "▪️", "•", ">"))
def test_quote_items_read_as_before(text: str) -> None:
    """`> ▪ topic` and `> note` lines: the same text as the lazy patterns, trailing blanks dropped."""
    old_item = re.compile(r"^[ \t]*>[ \t]*(?:▪️?|■|•|◾|◼️?)[ \t]*(?P<text>.*?)[ \t]*\r?$")
    old_line = re.compile(r"^[ \t]*>[ \t]?(?P<text>.*?)[ \t]*\r?$")
    for old, new in ((old_item, checklists._QUOTE_ITEM), (old_line, checklists._QUOTE_LINE)):
        o, n = old.match(text), new.match(text)
        assert (o and o.group("text")) == (n and trim_line_end(n.group("text")))


@settings(max_examples=300)
@given(_texts(*_BLANKISH, "- ", "1. ", "[ ] ", "[x] ", "추후 보완 필요", "보완필요", "—", "：", "필요함", size=8))
def test_placeholders_read_as_before(text: str) -> None:
    """`- 추후 보완 필요 - topic`: the same placeholders as the lazy pattern."""
    old = re.compile(
        r"^[ \t]*(?:[-*+]|\d{1,3}[.)])[ \t]+(?:\[(?P<mark>[ xX])\][ \t]+)?"
        r"(?P<marker>추후[ \t]*보완[ \t]*필요|추가[ \t]*필요|보완[ \t]*필요)"
        r"(?P<rest>(?:[ \t]*[-:：—–][ \t]*|[ \t]+).*?|)[ \t]*\r?$"
    )
    m = old.match(text)
    topic = checklists._clean_topic(checklists._done_date(m.group("rest").strip(" \t-:：—–"))[0]) if m else ""
    assert [f.topic for f in checklists.marker_followups([text])] == ([topic] if topic else [])


@settings(max_examples=500)
@given(_texts(" ", "\t", "a", "가", "✅", "☑", "\ufe0f", "2021-02-05", "2021", "-", "1", "x "))
def test_emoji_tasks_read_as_before(text: str) -> None:
    """`토픽 ✅` and `✅ 토픽 2021-02-05`: the same text and date as the lazy pattern (empty texts are no task)."""
    old = re.compile(
        r"^(?:(?:✅|☑\ufe0f?)[ \t]*(?P<text>.+?)|(?P<text2>.+?)[ \t]*(?:✅|☑\ufe0f?))"
        r"(?P<tail>[ \t]*\d{4}-\d{2}-\d{2})?[ \t]*$"
    )
    m = old.match(text)
    expected = None
    if m is not None:
        tail = m.group("tail")
        expected = ((m.group("text") or m.group("text2")).strip().rstrip(" ✅☑\ufe0f"), tail.strip() if tail else None)
    found = checklists.emoji_done(text)
    got = (found[0].strip().rstrip(" ✅☑\ufe0f"), found[1]) if found is not None else None
    if not (expected and expected[0]) and not (got and got[0]):
        return
    assert got == expected


@settings(max_examples=300)
@given(_texts(" ", "\t", "\r", "a", "✅", "2021-02-05", "2021-13-45", size=6))
def test_done_dates_read_as_before(text: str) -> None:
    """`text ✅ 2021-02-05`: the same text and date as the pattern with `\\s*` before the ✅."""
    old = re.compile(r"\s*✅\s*(\d{4}-\d{2}-\d{2})\s*$")
    m = old.search(text)
    expected: tuple[str, date | None] = (text, None)
    if m is not None:
        with contextlib.suppress(ValueError):
            expected = (text[: m.start()].rstrip(), date.fromisoformat(m.group(1)))
    assert checklists._done_date(text) == expected


@settings(max_examples=300)
@given(_texts(" ", "\t", "\r", "a", "[[", "[", "]", "(", ")", "히스", "](x)", size=8))
def test_linked_names_read_as_before(text: str) -> None:
    """`[[히스] title](url)`: the same name, title, link and rest."""
    old = re.compile(
        r"^\[\[(?P<name>[^\]\[\n\s()]{1,20})\]\s*(?P<title>[^\[\]\n]*)\]\((?P<url>[^()\s]+)\)(?P<rest>.*)$"
    )
    o, n = old.match(text), peer._LINKED_NAME.match(text)
    assert (o is None) == (n is None)
    if o is not None and n is not None:
        for key in ("name", "url", "rest"):
            assert o[key] == n[key]
        assert o["title"].strip() == n["title"].strip()


@settings(max_examples=500)
@given(_texts("-", "*", "+", ">", "_", " ", "\t", "1", ".", ")", "[ ]", "[x]", "[", "a", size=12))
def test_residue_lines_as_before(text: str) -> None:
    """A line that says nothing is the same set of lines as before the possessive rewrite."""
    old = re.compile(r"^[ \t]*(?:[-*+>]|\d+[.)]|\[[ xX]\]|-{3,}|\*{3,}|_{3,}|[ \t])*$")
    assert (old.match(text) is None) == (markdown.RESIDUE.match(text) is None)


@settings(max_examples=500)
@given(_texts("`", "``", "```", "a", " ", "\n", size=14))
def test_code_spans_are_masked_as_before(text: str) -> None:
    """Inline code is the same spans the backreference pattern found (fences aside: none here)."""
    if "```" in text or "~~~" in text:
        return
    old = re.compile(r"(?<!`)(`+)(?!`)(.+?)(?<!`)\1(?!`)")
    expected = old.sub(lambda m: " " * len(m.group(0)), text)
    assert mask_code(text, comments=False) == expected


@settings(max_examples=300)
@given(_texts(" ", "\t", "\r", "a", ":", "key", "-", "#", size=8))
def test_plain_pairs_read_as_before(text: str) -> None:
    """`key: value` lines: the same keys and values as the lazy pattern."""
    old = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*:(?:[ \t]+(.*?))?[ \t]*\r?$", re.M)
    new = [(m.group(1), trim_line_end(m.group(2) or "")) for m in frontmatter._PAIR.finditer(text)]
    assert new == old.findall(text)


@settings(max_examples=300)
@given(_texts(" ", "\t", "a", "1", ",", '"', "'", "b c", size=8))
def test_plain_lists_read_as_before_or_go_to_yaml(text: str) -> None:
    """`[a, "b c"]`: the same items as the lazy pattern, or left to YAML (which decides empty items)."""
    old = re.compile(r'\s*("[^"\\]*"|\'[^\']*\'|[^,"\']+?)\s*(?:,|$)')
    try:
        new = frontmatter._flow_list(f"[{text}]")
    except frontmatter._NotPlain:
        return
    inner, pos, expected = text.strip(), 0, []
    while pos < len(inner):
        m = old.match(inner, pos)
        assert m is not None and m.end() > pos
        expected.append(frontmatter._scalar(m.group(1)))
        pos = m.end()
    assert new == expected


@settings(max_examples=300)
@given(_texts(" ", "\t", "2021-02-03", "T", "22:31:00", "+0900", "Z", "x", size=6))
def test_front_matter_dates_read_as_before(text: str) -> None:
    """A front-matter date string: the same groups with the possessive blank run."""
    old = re.compile(
        r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
        r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
        r"\s*(Z|[+-]\d{2}:?\d{2}|[+-]\d{1,2})?\s*$"
    )
    o, n = old.match(text), frontmatter._DATE.match(text)
    assert (o and o.groups()) == (n and n.groups())


@settings(max_examples=300)
@given(_texts("#", "##", " ", "\t", "a", "2021.02.08", "**", "#a", size=8))
def test_import_headings_read_as_before(text: str) -> None:
    """The import's heading texts are those of the lazy pattern."""
    old = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.+?)[ \t#]*$")
    m = old.match(text.rstrip("\r"))
    expected = [re.sub(r"\*\*|__|[*_`]", "", m["text"]).strip()] if m else []
    assert dates._headings([text]) == expected


_HEADING_LINES = st.lists(
    st.tuples(st.integers(1, 4), st.sampled_from(["더 정리할 것", "피어세션", "TIL", "기타", "과제 진행 상황"])),
    max_size=12,
)


@settings(max_examples=300)
@given(_HEADING_LINES, st.integers(0, 3))
def test_section_keys_of_lines_as_before(heads: list[tuple[int, str]], gap: int) -> None:
    """The key of the innermost named section of each line, from runs, equals asking every section."""
    text = "".join("#" * level + f" {title}\n" + "본문\n" * gap for level, title in heads)
    sections = parse(text).sections
    runs = _KeyRuns(sections)
    for line in range(1, text.count("\n") + 2):
        assert runs.at(line) == _key_at(sections, line)


def _key_at(sections: tuple[Section, ...], line: int) -> str | None:
    key = None
    for s in sections:
        if s.line <= line <= s.end:
            key = s.key if s.key is not None else key
    return key



@settings(max_examples=500)
@given(_texts("[[", "]]", "[", "]", "a", "가", " ", "|", "(", "x_", "\\", "\n", size=12))
def test_wikilinks_read_as_the_backtracking_pattern(text: str) -> None:
    """`[[name|label]]`: the linear scan finds the links the plain pattern finds, wherever it reports no problem."""
    from daylog.search.concepts.wikilinks import clean, scan

    links, bad = scan(text)
    if bad:
        return
    old = re.compile(r"(?<![A-Za-z0-9_)\]\\])\[\[([^\[\]\n]*)\]\](?!\()")
    expected = []
    for m in old.finditer(text):
        name, bar, label = m.group(1).partition("|")
        expected.append((clean(name), (clean(label) or None) if bar else None))
    assert [(w.name, w.label) for w in links] == expected
