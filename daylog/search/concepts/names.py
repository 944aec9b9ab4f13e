"""Concept names: the key two spellings share, the file name of a note, plain-text mentions.

- `key`: NFC, blanks squeezed, case folded: `ResNet`, `resnet` and `Res Net`'s NFD twin compare
  by it (`Res Net` stays another name).
- `slug`: the note's file stem and the page's path: lower case, blanks as `-`, none of the
  characters Windows, macOS or a URL refuse (`<>:"/\\|?*%` …), no device names (`con`, `nul`),
  at most `MAX_SLUG` characters. Korean stays Korean (`레즈넷`).
- `Mentions`: where a concept's names occur in plain text. Korean is found inside compounds
  and before particles (`레즈넷은`, `잔차레즈넷`), as the team writes; Latin names case-insensitively
  on word boundaries (`resnet` in `ResNet은` but not in `ResNeXt`). A name shorter than
  `MIN_MENTION` characters is found only through wikilinks (`[[C]]`), never in plain text.

Pure: the standard library and `concepts.wikilinks`.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

from daylog.search.concepts.wikilinks import clean

MAX_SLUG = 60
"""Characters of a slug: 180 bytes of Korean, under every file system's 255."""
MIN_MENTION = 2
"""Characters a name or alias needs to be found in plain text."""

_UNSAFE = re.compile(r"[\s<>:\"/\\|?*%{}\[\]^`~$!'@&=;,\x00-\x1f\x7f]+")
_DEVICES = frozenset(
    {"con", "prn", "aux", "nul", "index", "readme"} | {f"com{i}" for i in range(10)} | {f"lpt{i}" for i in range(10)}
)
"""Stems a note may not have: Windows devices, and the concept index page (`concepts/index.md`)."""

_CJK = "\u1100-\u11ff\u2e80-\u9fff\ua960-\ua97f\uac00-\ud7ff\uf900-\ufaff\uff00-\uffef"
_WORD = re.compile(rf"[^\W{_CJK}]")
"""A letter, digit or `_` of a script written with spaces between words (not Hangul, kana or Han)."""
_BEFORE = rf"(?<![^\W{_CJK}])"
_AFTER = rf"(?![^\W{_CJK}])"


def key(name: str) -> str:
    """What two spellings of one name share."""
    return clean(name).casefold()


def slug(name: str) -> str:
    """A file stem and URL path segment safe everywhere, for `name`."""
    s = clean(name).lower().replace("#", "-sharp")
    s = _UNSAFE.sub("-", s)
    s = re.sub(r"-{2,}", "-", s).strip("-. ")[:MAX_SLUG].rstrip("-. ")
    if not s:
        return "concept-" + hashlib.sha1(key(name).encode()).hexdigest()[:8]
    if s.split(".")[0] in _DEVICES:
        s += "-"
    return s


def _term(word: str) -> str:
    """The pattern of one name: Latin ends must sit on word boundaries."""
    body = re.escape(word)
    before = _BEFORE if _WORD.match(word[0]) else ""
    after = _AFTER if _WORD.match(word[-1]) else ""
    return before + body + after


class Mentions:
    """Finds the names of one concept in lower-cased text (`str.lower`), in linear time.

    One alternation of literals with one-character look-arounds: no quantifier, so each
    position costs at most the names' length.
    """

    __slots__ = ("pattern",)

    def __init__(self, names: Iterable[str]) -> None:
        words = sorted({clean(n).lower() for n in names if len(clean(n)) >= MIN_MENTION}, key=lambda w: (-len(w), w))
        self.pattern = re.compile("|".join(_term(w) for w in words)) if words else None

    def offsets(self, lowered: str) -> list[int]:
        """Offsets in `lowered` where one of the names starts."""
        if self.pattern is None:
            return []
        return [m.start() for m in self.pattern.finditer(lowered)]
