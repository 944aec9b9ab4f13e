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


def test_the_pager_links_the_landing_page_and_the_neighbours() -> None:
    both = paging.pager("tasks", "tasks/aa.md", "tasks/bb.md")
    assert both == "\n---\n\n[목록](../tasks.md) · [← 이전](aa.md) · [다음 →](bb.md)\n{: .daylog-pager }\n"
    assert "이전" not in paging.pager("tasks", None, "tasks/bb.md")
    assert "다음" not in paging.pager("tasks", "tasks/aa.md", None)


def test_a_chunk_keeps_its_address_while_its_first_item_leads_it() -> None:
    before = runs(ITEMS)
    after = runs(["새 항목", *ITEMS])  # the first chunk grows; every other keeps its first item
    old = dict(zip(before, paging.chunk_paths("tasks", [c[0] for c in before]), strict=True))
    new = dict(zip(after, paging.chunk_paths("tasks", [c[0] for c in after]), strict=True))
    assert sum(1 for c in new if old.get(c) == new[c]) >= len(new) - 2
    paths = paging.chunk_paths("tasks", ["같은 키", "같은 키", "다른 키"])
    assert len(set(paths)) == 3 and paths[1] == paths[0][:-3] + "-2.md"
    assert all(p.startswith("tasks/") and p.endswith(".md") for p in paths)
