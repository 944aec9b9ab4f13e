"""The one YAML loader for what users write: entry front matter and mkdocs.yml (#12).

PyYAML's safe loader is safe from code, not from size: 400 bytes of nested aliases (a
"billion laughs") expand to 3 GB once something walks the value, 20,000 nested `[` exhaust
the recursion of whatever reads it, and a NUL byte is a reader error with no line. This
loader composes the document as PyYAML does (libyaml's parser when it has one), then walks
the nodes once, without recursion, before anything is built from them, and refuses:

- control characters (NUL and the like), naming their line;
- nesting deeper than `MAX_DEPTH`;
- aliases that expand to more than `ALIAS_BUDGET` (a node counts one, a text its length);
- an alias inside its own anchor (a value that contains itself).

Each refusal is a `yaml.MarkedYAMLError` (a `BoundedYAMLError`) whose mark gives the line,
so callers that already catch YAML errors report these too. Pure: yaml and the standard
library only.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import yaml

try:
    from yaml import CSafeLoader as _SafeLoader
except ImportError:  # PyYAML built without libyaml: the pure-Python parser, 5-10x slower
    from yaml import SafeLoader as _SafeLoader  # type: ignore[assignment]

MAX_DEPTH = 50
"""Collections nested deeper than this are refused: settings and front matter nest two or three deep."""
ALIAS_BUDGET = 100_000
"""What aliases may add to a document, in nodes plus characters of text."""

_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""A character YAML does not allow in a document (its printable set), e.g. NUL."""


class BoundedYAMLError(yaml.MarkedYAMLError):
    """A document refused for its size or shape rather than its syntax."""


class BoundedLoader(_SafeLoader):
    """The safe loader, refusing control characters, deep nesting and alias bombs before building values."""

    def __init__(self, stream: str) -> None:
        self._text = stream
        super().__init__(stream)

    def get_single_node(self) -> yaml.Node | None:
        return compose_bounded(super().get_single_node, self._text)


def compose_bounded(compose: Callable[[], yaml.Node | None], text: str) -> yaml.Node | None:
    """The node `compose` makes of `text`, refused as the module says (for any PyYAML loader)."""
    _check_characters(text)
    try:
        node = compose()
    except RecursionError:  # the pure-Python composer recurses per level; libyaml stops at 1000
        raise _error("collections are nested too deeply", None) from None
    if node is not None:
        check_node(node)
    return node


def load(text: str) -> Any:
    """The value of a YAML document, within the bounds above; a `yaml.YAMLError` otherwise."""
    loader = BoundedLoader(text)
    try:
        return loader.get_single_data()
    finally:
        loader.dispose()


def _error(problem: str, mark: yaml.Mark | None) -> BoundedYAMLError:
    return BoundedYAMLError(problem=problem, problem_mark=mark)


def _check_characters(text: str) -> None:
    bad = _NOT_YAML.search(text)
    if bad is None:
        return
    line = text.count("\n", 0, bad.start())
    column = bad.start() - (text.rfind("\n", 0, bad.start()) + 1)
    mark = yaml.Mark("<text>", bad.start(), line, column, None, 0)  # no buffer: no snippet
    raise _error(f"control character U+{ord(bad.group()):04X} is not allowed (delete it)", mark)


class _Walk:
    """One pass over a composed document: how far each node expands, how deep it nests."""

    def __init__(self) -> None:
        self.size: dict[int, int] = {}
        self.depth: dict[int, int] = {}
        self.open: set[int] = set()
        self.expanded = 0

    def finish(self, node: yaml.Node, children: list[yaml.Node]) -> None:
        key = id(node)
        self.open.discard(key)
        if isinstance(node, yaml.ScalarNode):
            self.size[key], self.depth[key] = 1 + len(str(node.value)), 0
            return
        self.size[key] = 1 + sum(self.size[id(c)] for c in children)
        self.depth[key] = 1 + max((self.depth[id(c)] for c in children), default=0)
        if self.depth[key] > MAX_DEPTH:
            raise _error(f"collections are nested more than {MAX_DEPTH} deep", node.start_mark)

    def reuse(self, parent: yaml.Node, child: yaml.Node) -> None:
        """`child` is met again (an alias): what it expands to counts against the budget."""
        if id(child) in self.open:
            raise _error("an alias refers to the value that contains it", parent.start_mark)
        self.expanded += self.size[id(child)]
        if self.expanded > ALIAS_BUDGET:
            raise _error(f"aliases expand to more than {ALIAS_BUDGET:,} values and characters", parent.start_mark)


def _children(node: yaml.Node) -> list[yaml.Node]:
    if isinstance(node, yaml.SequenceNode):
        return list(node.value)
    if isinstance(node, yaml.MappingNode):
        return [n for pair in node.value for n in pair]
    return []


def check_node(root: yaml.Node) -> None:
    """Refuse a composed document that nests too deep or whose aliases expand too far (iteratively)."""
    walk = _Walk()
    stack: list[tuple[yaml.Node, list[yaml.Node], int]] = [(root, _children(root), 0)]
    walk.open.add(id(root))
    while stack:
        node, children, i = stack[-1]
        if i == len(children):
            stack.pop()
            walk.finish(node, children)
            continue
        stack[-1] = (node, children, i + 1)
        child = children[i]
        if id(child) in walk.size or id(child) in walk.open:
            walk.reuse(node, child)
        elif len(stack) > MAX_DEPTH:
            raise _error(f"collections are nested more than {MAX_DEPTH} deep", child.start_mark)
        else:
            walk.open.add(id(child))
            stack.append((child, _children(child), 0))
