"""Listing pages cut where their items say, so that one item changes one page (#16, #17)."""

from __future__ import annotations

import pytest

from daylog.site import paging

SIZE = 40
ITEMS = [f"항목 {i}" for i in range(3_000)]


def runs(items: list[str]) -> list[tuple[str, ...]]:
    return [tuple(c) for c in paging.chunks(items, SIZE, str)]


def test_every_item_is_kept_in_order_and_runs_stay_within_bounds() -> None:
    out = runs(ITEMS)
    assert [x for c in out for x in c] == ITEMS
    assert all(SIZE // 4 <= len(c) <= SIZE for c in out[:-1]) and 1 <= len(out[-1]) <= SIZE
    assert 3_000 / SIZE < len(out) < 3_000 / (SIZE // 4)


@pytest.mark.parametrize("where", [0, 1, 7, 1_000, 1_501, 2_999])
def test_one_item_added_or_removed_changes_few_runs(where: int) -> None:
    """Counted runs would shift every run after the item; these change around it only."""
    before = set(runs(ITEMS))
    added = set(runs([*ITEMS[:where], "새 항목", *ITEMS[where:]]))
    removed = set(runs(ITEMS[:where] + ITEMS[where + 1 :]))
    assert len(added - before) <= 3 and len(removed - before) <= 3
    assert len(before - added) <= 3 and len(before - removed) <= 3


def test_an_item_moved_to_the_end_changes_two_places() -> None:
    """A ticked follow-up leaves the open part for the resolved one."""
    before = set(runs(ITEMS))
    moved = set(runs([*ITEMS[:500], *ITEMS[501:], ITEMS[500]]))
    assert len(moved - before) <= 5


def test_no_items_is_one_empty_page() -> None:
    assert paging.chunks([], SIZE, str) == [[]]


def test_the_pager_links_the_landing_page_and_every_chunk() -> None:
    second = paging.pager("tasks", 2, 3)
    assert "[목록](../tasks.md) · 페이지 [1](1.md) · **2** · [3](3.md)" in second
    assert "전체" not in second
    assert paging.path("tasks", 2) == "tasks/2.md" and paging.landing("tasks") == "tasks.md"
