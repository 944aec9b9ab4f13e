"""The masking helpers keep offsets: checked against the plain per-character versions they replace."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from daylog.entries.markdown import _blank, fenced_ranges, mask_code

_LINE = st.sampled_from(
    ["```", "```py", "~~~", "````", "  - ```", "``` x", "```a`b", "", "text", "가 나", "\r"]
) | st.text(
    alphabet=st.sampled_from(list("`~ \t-*1.)>#<!a가é\r")) | st.characters(blacklist_characters="\n"), max_size=12
)
_MARKDOWNISH = st.lists(_LINE, max_size=20).map("\n".join)


_LINE_START_FENCE = re.compile(r"^[ \t]*(?:(?:[-*+]|\d+[.)])[ \t]+)?(?P<fence>`{3,}|~{3,})(?P<info>[^\n]*)$", re.M)


def _reference_ranges(text: str) -> list[tuple[int, int]]:
    """`fenced_ranges` as it was, with a `^` regex tried at every character."""
    ranges: list[tuple[int, int]] = []
    opened: re.Match[str] | None = None
    for m in _LINE_START_FENCE.finditer(text):
        fence = m.group("fence")
        if opened is None:
            if fence[0] == "`" and "`" in m.group("info"):
                continue
            opened = m
        else:
            want = opened.group("fence")
            if fence[0] == want[0] and len(fence) >= len(want) and not m.group("info").strip():
                ranges.append((opened.start(), m.end()))
                opened = None
    if opened is not None:
        ranges.append((opened.start(), len(text)))
    return ranges


def _reference_mask(text: str) -> str:
    """Fences blanked character by character, as `mask_code(text, inline=False, comments=False)` did."""
    out = list(text)
    for a, b in _reference_ranges(text):
        out[a:b] = re.sub(r"[^\n]", " ", text[a:b])
    return "".join(out)


@settings(max_examples=300)
@given(_MARKDOWNISH)
def test_blank_keeps_newlines_only(text: str) -> None:
    assert _blank(text) == re.sub(r"[^\n]", " ", text)


@settings(max_examples=300)
@given(_MARKDOWNISH)
def test_fences_are_blanked_in_place(text: str) -> None:
    masked = mask_code(text, inline=False, comments=False)
    assert masked == _reference_mask(text)
    assert len(masked) == len(text)


@settings(max_examples=400)
@given(_MARKDOWNISH)
def test_fenced_ranges_are_found_from_line_to_line(text: str) -> None:
    assert fenced_ranges(text) == _reference_ranges(text)
