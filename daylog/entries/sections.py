"""The sections daylog understands, and the heading spellings that name them.

Matching is by containment after normalisation (see `SectionMatcher` below), so
`## **ETC) 더 정리할 것**` names `followups`. Teams add spellings in settings.

Only spellings people write as *headings* are here: `### 🤷‍♀️Further Question🤷‍♀️` and
`### 지난주에 해결 안된 질문들` open follow-up blocks. Placeholders written as items
(`- 추후 보완 필요 - topic`) are read by `parse` wherever they stand; next-day lists
(`# 🚩 내일 할 일`) and `Further Reading` link lists are deliberately not follow-ups.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Iterable, Mapping

DEFAULT_SECTIONS: dict[str, tuple[str, ...]] = {
    "followups": (
        "더 정리할 것",
        "더 찾아볼 것",
        "더 찾아서 공부할 것",
        "더 공부할 것",
        "추가로 공부할 것",
        "더 알아볼 것",
        "추가로 알아볼 것",
        "지난주에 해결 안된 질문",
        "해결 안된 질문",
        "해결 못한 질문",
        "미해결 질문",
        "further question",
        "further questions",
        "follow-up",
        "follow up",
        "followups",
        "to look into",
    ),
    "reminders": ("지난 follow-up", "열린 follow-up", "open follow-ups"),
    "peer": ("피어세션", "피어 세션", "peer session", "peersession", "peer-session", "회의록"),
    "tasks": ("과제 진행 상황", "과제 진행", "오늘 일정 정리", "assignment progress", "assignments"),
    "results": ("과제 결과물", "과제 수행 과정", "과제 리뷰", "assignment results"),
    "til": ("til", "today i learned", "학습한 내용", "학습 내용", "강의 내용 정리", "오늘 배운 것", "오늘 한 일"),
    "remark": ("오늘의 한마디", "학습 회고", "회고", "today i felt", "reflection", "one-liner"),
}
"""Section key → heading spellings (Korean first, then English)."""

SECTION_LABELS: dict[str, str] = {
    "peer": "피어세션 정리",
    "followups": "더 정리할 것",
    "reminders": "지난 follow-up",
    "tasks": "과제 진행 상황",
    "results": "과제 결과물에 대한 정리",
    "til": "TIL (Today I Learned)",
    "remark": "오늘의 한마디",
}
"""How each key is shown to people."""


# --- heading aliases ---------------------------------------------------------------

MARKUP_CHARS = frozenset("<*_`~:")
MARKUP = re.compile(r"<[^<>]*>|\*\*|__|[*_`~]|:[a-z0-9_+-]+:")
"""Tags, emphasis, code marks and `:emoji:` codes; a tag stops at the next `<` (a run of `<` costs its length)."""


def normalize_heading(text: str) -> str:
    """Heading text for matching: NFC, no markup or emoji, lower case, single spaces."""
    text = unicodedata.normalize("NFC", text)
    text = MARKUP.sub(" ", text)
    text = "".join(" " if unicodedata.category(c)[0] in "SCP" else c for c in text)
    return " ".join(text.lower().split())


class SectionMatcher:
    """Decides which section key (if any) a heading names.

    Korean spellings match ignoring spaces (`피어 세션` = `피어세션`); ASCII spellings
    match as whole words (`til` does not match `until`). When several keys match,
    the one whose spelling starts earliest in the heading wins, then the longest.
    """

    def __init__(self, aliases: Mapping[str, Iterable[str]]) -> None:
        self._rules: list[tuple[str, str, re.Pattern[str] | None]] = []
        for key, names in aliases.items():
            for name in names:
                norm = normalize_heading(name)
                compact = norm.replace(" ", "")
                if not compact:
                    continue
                word = None
                if norm.isascii():
                    words = r"\s*".join(map(re.escape, norm.split()))  # plurals too: Follow-ups, Reflections
                    word = re.compile(r"(?<![a-z0-9])" + words + r"(?:e?s)?(?![a-z0-9])")
                self._rules.append((key, compact, word))
        # Per matcher (a team's aliases), bounded: a long-running `mkdocs serve` reads many headings.
        self._key_of = functools.lru_cache(maxsize=4096)(self._match)

    def key_of(self, heading: str) -> str | None:
        """The key of the section `heading` names, if any (cached: template headings recur in every entry)."""
        return self._key_of(heading)

    def _match(self, heading: str) -> str | None:
        norm = normalize_heading(heading)
        compact = norm.replace(" ", "")
        best: tuple[int, int, str] | None = None
        for key, alias, word in self._rules:
            pos = compact.find(alias)
            if pos < 0 or (word is not None and not word.search(norm)):
                continue
            cand = (pos, -len(alias), key)
            if best is None or cand < best:
                best = cand
        return best[2] if best else None
