"""Results a long-lived process keeps from one build of the pages to the next, keyed by their whole input.

`daylog site serve` makes every page's Markdown again after each save; with a `Memo` the
entries that did not change are not parsed, viewed or tidied again. A build without one
(`mkdocs build`, `site export`) computes everything, as before. Pure: no clock, no files.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable
from typing import TypeVar

V = TypeVar("V")


class Memo:
    """Named tables of results; what a build did not ask for is dropped by `sweep`."""

    def __init__(self) -> None:
        self._old: dict[str, dict[Hashable, object]] = {}
        self._new: dict[str, dict[Hashable, object]] = {}

    def get(self, table: str, key: Hashable, compute: Callable[[], V]) -> V:
        """The result for `key`, computed once while it keeps being asked for."""
        new = self._new.setdefault(table, {})
        if key in new:
            return new[key]  # type: ignore[return-value]
        old = self._old.get(table, {})
        value = old[key] if key in old else compute()
        new[key] = value
        return value  # type: ignore[return-value]

    def sweep(self) -> None:
        """Keep only what the latest build used (an edited entry's old results go)."""
        self._old, self._new = self._new, {}


def memoized(memo: Memo | None, table: str, key: Hashable, compute: Callable[[], V]) -> V:
    """`compute()`, through `memo` when there is one."""
    return compute() if memo is None else memo.get(table, key, compute)
