"""YAML bombs and deep nesting in front matter (#12): refused on their line, quickly, in little memory."""

from __future__ import annotations

import time
import tracemalloc
from collections.abc import Callable

import pytest
import yaml

from daylog.entries import bounded_yaml, frontmatter
from daylog.entries.bounded_yaml import ALIAS_BUDGET, MAX_DEPTH, BoundedYAMLError, compose_bounded
from daylog.entries.model import Severity
from daylog.entries.parse import parse

LAUGHS = """\
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
tags: [*h,*h,*h,*h,*h,*h,*h,*h,*h]
"""
"""The 397-byte "billion laughs" of #12: 9^9 strings once something walks the tags."""


class _PurePython(yaml.SafeLoader):
    """The bounded loader over PyYAML's pure-Python parser (what runs where libyaml is missing)."""

    def __init__(self, stream: str) -> None:
        self._text = stream
        super().__init__(stream)

    def get_single_node(self) -> yaml.Node | None:
        return compose_bounded(super().get_single_node, self._text)


LOADERS: dict[str, Callable[[str], object]] = {
    "libyaml": bounded_yaml.load,
    "pure python": lambda text: yaml.load(text, Loader=_PurePython),
}


def _front_matter_problems(block: str) -> list[tuple[int, str]]:
    entry = parse(f"---\n{block}---\n\n## TIL\n- 본문\n")
    return [(d.line, d.message) for d in entry.diagnostics if d.severity is Severity.ERROR]


def test_billion_laughs_in_front_matter_is_one_finding_in_little_memory() -> None:
    """The alias bomb is an error on a line of its block, found in well under a second and 20 MB."""
    tracemalloc.start()
    t0 = time.perf_counter()
    problems = _front_matter_problems(LAUGHS)
    took = time.perf_counter() - t0
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    assert took < 1 and peak < 20 * 1024 * 1024
    [(line, message)] = problems
    assert 2 <= line <= 10
    assert message == f"invalid front matter: aliases expand to more than {ALIAS_BUDGET:,} values and characters"


@pytest.mark.parametrize("loader", LOADERS)
def test_nesting_deeper_than_the_limit_is_refused(loader: str) -> None:
    """20,000 `[` (a RecursionError before #12) and 51 levels are refused; 50 levels still read."""
    load = LOADERS[loader]
    for depth in (20_000, MAX_DEPTH + 1):
        with pytest.raises(yaml.YAMLError, match="nest"):
            load("tags: " + "[" * depth + "]" * depth)
    assert load("tags: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1)) is not None


@pytest.mark.parametrize("loader", LOADERS)
def test_aliases_that_nest_too_deep_or_contain_themselves_are_refused(loader: str) -> None:
    """Depth gained through aliases counts, and `&a [*a]` (a list holding itself) is refused."""
    load = LOADERS[loader]
    chain = "a0: &a0 [x]\n" + "".join(f"a{i}: &a{i} [[[[[*a{i - 1}]]]]]\n" for i in range(1, 12))
    with pytest.raises(BoundedYAMLError, match=f"nested more than {MAX_DEPTH} deep"):
        load(chain)
    with pytest.raises(BoundedYAMLError, match="refers to the value that contains it"):
        load("tags: &a [*a]\n")
    with pytest.raises(BoundedYAMLError, match="aliases expand"):
        load(LAUGHS)


def test_aliases_within_the_budget_still_read() -> None:
    """Anchors, aliases and merge keys people do write keep working."""
    data = bounded_yaml.load("base: &b {tags: [a, b]}\nentry:\n  <<: *b\n  title: x\nagain: *b\n")
    base = {"tags": ["a", "b"]}
    assert data == {"base": base, "entry": {**base, "title": "x"}, "again": base}


@pytest.mark.parametrize("block", ["title: a\x00b\n", "title: a\nnote: |\n  x\x01y\n"])
def test_a_control_character_is_an_error_on_its_line(block: str) -> None:
    """NUL (a ReaderError with no line before #12), read by the plain reader or by YAML: its line, its code."""
    [(line, message)] = _front_matter_problems(block)
    assert line == block.count("\n", 0, max(block.find("\x00"), block.find("\x01"))) + 2
    assert message.startswith("invalid front matter: control character U+000") and "delete it" in message


def test_a_long_value_is_quoted_cut() -> None:
    """A finding quotes at most about 80 characters of a value, never the whole of it."""
    [(_, message)] = _front_matter_problems("date: [" + "x, " * 100_000 + "]\n")
    assert message.startswith("front matter `date` is not a date: ['x', ") and len(message) < 130


def test_the_plain_reader_refuses_what_yaml_refuses() -> None:
    """The plain reader's control characters are the bounded loader's (kept apart to skip importing yaml)."""
    assert frontmatter._NOT_YAML.pattern == bounded_yaml._NOT_YAML.pattern
