"""An item's identity on hostile text (#12): linear however long its blank runs."""

from __future__ import annotations

import time

from daylog.followups.lifecycle import normalize_text


def test_the_done_mark_comes_off_as_before() -> None:
    assert normalize_text("과제 1  ✅ 2021-02-05") == "과제 1"
    assert normalize_text("과제 1 ✅") == "과제 1"
    assert normalize_text("✅ 과제 1") == "✅ 과제 1"
    assert normalize_text("a ✅ b ✅  ") == "a ✅ b"


def test_a_long_blank_run_before_a_done_mark_costs_its_length() -> None:
    text = "a" + " \t" * 50_000 + "b ✅ x"
    t0 = time.perf_counter()
    assert normalize_text(text) == "a b ✅ x"
    assert time.perf_counter() - t0 < 0.5  # the old pattern took about 15 s here
