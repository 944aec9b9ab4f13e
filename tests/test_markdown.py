"""The masking helpers keep offsets: checked against the plain per-character versions they replace."""

from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from daylog.markdown import _blank, fenced_ranges, mask_code

_LINE = st.sampled_from(
    ["```", "```py", "~~~", "````", "  - ```", "``` x", "```a`b", "", "text", "가 나", "\r"]
) | st.text(
    alphabet=st.sampled_from(list("`~ \t-*1.)>#<!a가é\r")) | st.characters(blacklist_characters="\n"), max_size=12
)
_MARKDOWNISH = st.lists(_LINE, max_size=20).map("\n".join)


def _reference_mask(text: str) -> str:
    """Fences blanked character by character, as `mask_code(text, inline=False, comments=False)` did."""
    out = list(text)
    for a, b in fenced_ranges(text):
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
