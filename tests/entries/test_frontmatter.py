"""Front matter: the plain-block reader answers as YAML does, or leaves the block to YAML."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from daylog.entries.frontmatter import _plain_values, read_front_matter

_WORD = st.sampled_from(["today", "Today", "cnn", "민지", "부스트캠프", "AI", "Tech", "피어세션", "x1", "a-b"])
_PLAIN = st.lists(_WORD, min_size=1, max_size=3).map(" ".join)
_SCALAR = st.one_of(
    _PLAIN,
    _PLAIN.map(lambda s: f'"[{s} / Day13] Today"'),
    st.integers(0, 5000).map(str),
    st.dates(date(2000, 1, 1), date(2099, 12, 31)).map(str),
    st.dates(date(2000, 1, 1), date(2099, 12, 31)).map(lambda d: f"{d} 22:31:00 +0900"),
    st.sampled_from(["", "~", "null", "true", "False"]),
)
_ITEMS = st.lists(st.one_of(_PLAIN, _PLAIN.map(lambda s: f'"{s}"')), max_size=3)
_VALUE = st.one_of(_SCALAR, _ITEMS.map(", ".join).map("[{}]".format))
_KEYS = st.sampled_from(["title", "date", "author", "day", "categories", "tags", "math", "use_math"])


def _yaml(lines: list[str]) -> Any:
    return yaml.load("\n".join(lines), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))


@settings(max_examples=300)
@given(st.dictionaries(_KEYS, _VALUE, min_size=1))
def test_template_shaped_front_matter_reads_as_yaml(block: dict[str, str]) -> None:
    """What the template writes is read without YAML, to the values YAML gives."""
    lines = [f"{key}: {value}".rstrip() for key, value in block.items()]
    assert _plain_values(lines) == _yaml(lines)


@pytest.mark.parametrize(
    "lines",
    [
        ["title: x  # 메모"],
        ["# 메모", "title: x"],
        ["tags:", "  - a"],
        ["title: x", "title: y"],
        ['title: "a \\" b"'],
        ["title: 딥러닝: 기초"],
        ["tags: [a, [b]]"],
        ["title: &anchor x"],
    ],
)
def test_anything_else_is_left_to_yaml(lines: list[str]) -> None:
    """Comments, nesting, a key twice, escapes, `: ` in a value, anchors: the plain reader declines."""
    assert _plain_values(lines) is None


@pytest.mark.parametrize(
    ("line", "plain", "as_yaml"),
    [
        ("day: 08", {"day": 8}, {"day": "08"}),
        ("day: 010", {"day": 10}, {"day": 8}),
        ("math: no", {"math": "no"}, {"math": False}),
        ("date: 2021-02-04 22:31:00", {"date": "2021-02-04 22:31:00"}, {"date": datetime(2021, 2, 4, 22, 31)}),
    ],
)
def test_where_the_plain_reader_and_yaml_differ(line: str, plain: dict[str, Any], as_yaml: dict[str, Any]) -> None:
    """Kept as daylog has always read them (YAML 1.1 octal, `no`, timestamps); a comment in the block gives YAML's."""
    assert _plain_values([line]) == plain
    assert _yaml([line]) == as_yaml
    assert _plain_values([line, "# 메모"]) is None


def test_the_values_are_read_only_when_asked_for() -> None:
    """Without values (a dated file in a listing) only the extent is found, and nothing is checked."""
    text = "---\ntitle: x\nday: 일\n---\n## TIL\n"
    lines = text.split("\n")
    skipped = read_front_matter(text, lines, values=False)
    assert (skipped.values, skipped.end, skipped.day, skipped.diagnostics) == ({}, 4, None, ())
    read = read_front_matter(text, lines)
    assert read.values == {"title": "x", "day": "일"} and [d.line for d in read.diagnostics] == [3]
