"""Text and queries → the tokens the full-text index holds (pure).

SQLite's FTS5 tokenizers do not fit Korean: `unicode61` splits only at spaces and
punctuation, so `균등분포는` is one token and `분포` never matches it; `trigram` matches
substrings but needs three characters, and most Korean words have two syllables. So
daylog segments the text itself and hands FTS5 (its `ascii` tokenizer, which only splits
at the spaces put between tokens) a ready-made token list:

- a run of Hangul becomes its character bigrams: `경사하강법을` →
  `경사 사하 하강 강법 법을`; a one-syllable run stays one token (`수`, `를`);
- any other run of letters and digits is one lower-cased word (`ResNet50` → `resnet50`),
  split from Hangul glued to it (`GPU를` → `gpu 를`); a second column holds each word's
  proper suffixes (`esnet50 … 50`) so that `net` finds `ResNet`;
- punctuation separates and is dropped: `(트랜스포머)` → `트랜 랜스 스포 포머`.

A query is segmented the same way and each term becomes an FTS5 phrase of its tokens, so
`하강법` (`하강 강법`) matches `경사하강법을` and `분포` matches `균등분포는`: a Hangul term
matches wherever its syllables appear in that order, inside compounds and before particles.
Whole eojeols are not indexed next to the bigrams: an extra token between two bigrams would
break the phrase a query spanning a space becomes, and the bigram phrase already matches the
whole word. What a phrase cannot express is left to a plain scan of the lines (`Term.scan`):
a one-syllable Hangul term (`분` is inside `구분`, a middle bigram), a one-character word, a
phrase starting with a lone syllable, and terms of punctuation only (`-`, `*`, `"`).

Standard library only; no clock, environment or files.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator, Sequence
from typing import NamedTuple

_RUN = re.compile(r"(?P<hangul>[\uac00-\ud7a3]+)|(?P<word>[^\W_\uac00-\ud7a3]+)")
"""A run of Hangul syllables, or of other letters and digits (Python's `\\w` minus `_`).

Only Hangul is cut into bigrams: Han and kana are rare in these logs and stay words, which
the suffix column still finds inside longer ones. (A class of all CJK ranges would also
cost 3 ms to compile on every start.)"""

MIN_SUFFIX = 2
"""Shortest word suffix kept for infix matches (`gd` in `sgd`)."""
MAX_SUFFIX_WORD = 32
"""Longer words (hashes, glued URLs) get no suffixes: they would only bloat the index."""


class Run(NamedTuple):
    """One run of letters or digits of one script, as `_RUN` found it."""

    text: str
    """Lower-cased (NFC) text of the run."""
    hangul: bool
    """Hangul (indexed as bigrams) rather than a word."""
    start: int
    end: int


def fold(text: str) -> str:
    """The form both text and queries are compared in: NFC, lower-case."""
    return unicodedata.normalize("NFC", text).lower()


def runs(text: str) -> Iterator[Run]:
    """The runs of `text` (already `fold`ed), in order."""
    for m in _RUN.finditer(text):
        yield Run(m.group(), m.group("hangul") is not None, m.start(), m.end())


def run_tokens(run: Run) -> list[str]:
    """A run's tokens: bigrams for Hangul (the syllable itself when alone), else the word."""
    s = run.text
    if not run.hangul or len(s) == 1:
        return [s]
    return [s[i : i + 2] for i in range(len(s) - 1)]


def suffixes(word: str) -> list[str]:
    """A word's proper suffixes of `MIN_SUFFIX` or more characters (`resnet` → `esnet … et`)."""
    if len(word) > MAX_SUFFIX_WORD:
        return []
    return [word[i:] for i in range(1, len(word) - MIN_SUFFIX + 1)]


def index_terms(text: str) -> tuple[str, str]:
    """(tokens, word suffixes) of one line, each space-separated, as the index's two columns take them."""
    tokens: list[str] = []
    infix: list[str] = []
    for run in runs(fold(text)):
        tokens.extend(run_tokens(run))
        if not run.hangul:
            infix.extend(suffixes(run.text))
    return " ".join(tokens), " ".join(infix)


# --- queries ---------------------------------------------------------------------------


class Term(NamedTuple):
    """One word or quoted phrase of a query, and how the index finds it."""

    text: str
    """The term as typed (NFC, lower-case)."""
    phrase: str | None
    """Its FTS5 expression: a column filter and quoted tokens only (`terms : "하강 강법"`,
    `{terms infix} : "net"*`); None when the term is matched by `scan` alone."""
    scan: str | None
    """Text a line must contain (`scan_text`) when the index cannot express the term: a
    single syllable or character, a phrase starting with one, or punctuation only."""
    pattern: str
    """A regular expression finding the term in a line, for marking the hit (case-insensitive)."""


def parse_query(words: Sequence[str]) -> tuple[Term, ...]:
    """The terms of a query given as command-line words.

    `"…"` quotes a phrase; a word holding spaces is a phrase too (the shell's quotes were
    the user's). Everything else, FTS5 syntax included (`AND`, `NEAR`, `*`, `-`, `(`), is text.
    """
    out: list[Term] = []
    for word in words:
        for chunk in _chunks(word):
            term = make_term(chunk)
            if term is not None and term not in out:
                out.append(term)
    return tuple(out)


def _chunks(word: str) -> Iterator[str]:
    """The phrases and words of one command-line word."""
    if '"' not in word:
        if word.strip():
            yield word.strip()
        return
    parts = word.split('"')
    if len(parts) % 2 == 0 or not any(p.strip() for p in parts):  # an unbalanced or bare quote is text
        yield word.strip()
        return
    for i, part in enumerate(parts):
        if i % 2:
            if part.strip():
                yield part.strip()
        else:
            yield from part.split()


def make_term(text: str) -> Term | None:
    """One term from a word or phrase as typed; None when it is empty."""
    folded = fold(text).strip()
    if not folded:
        return None
    found = list(runs(folded))
    pattern = _pattern(folded, found)
    if not found or _needs_scan(found):
        return Term(folded, None, scan_text(text), pattern)
    tokens = [t for run in found for t in run_tokens(run)]
    last = found[-1]
    star = "*" if not last.hangul or len(last.text) == 1 else ""  # `transform` finds `Transformer`
    # A lone word may also end another one (`net` in `ResNet`): the suffix column holds those.
    columns = "{terms infix}" if len(found) == 1 and not last.hangul else "terms"
    return Term(folded, f'{columns} : "{" ".join(tokens)}"{star}', None, pattern)


_ASCII_LOWER = {c: c + 32 for c in range(ord("A"), ord("Z") + 1)}


def scan_text(text: str) -> str:
    """What a scanned line must contain: the term in NFC with ASCII letters lower-cased, as
    SQLite's `lower()` folds the line (it folds nothing else)."""
    return unicodedata.normalize("NFC", text).strip().translate(_ASCII_LOWER)


def _needs_scan(found: list[Run]) -> bool:
    """True when the first token of the term cannot be looked up: it may sit inside a longer token."""
    first = found[0]
    if first.hangul:
        return len(first.text) == 1  # `분` in `구분` is no token of its own
    return len(found) == 1 and len(first.text) == 1  # `x`: too short for the suffix column


def _pattern(folded: str, found: list[Run]) -> str:
    """A regex for the term in a line: its runs in order, anything but letters between them."""
    if not found:
        return re.escape(folded)
    return r"[\W_]*".join(re.escape(r.text) for r in found)


def match_expression(terms: Iterable[Term]) -> str | None:
    """The FTS5 MATCH string of every term the index can find (AND), or None when none can."""
    phrases = [t.phrase for t in terms if t.phrase is not None]
    return " AND ".join(phrases) if phrases else None


def hit_spans(text: str, terms: Iterable[Term]) -> tuple[tuple[int, int], ...]:
    """(start, end) of every hit of the terms in `text`, sorted and merged."""
    spans = sorted(m.span() for t in terms for m in re.finditer(t.pattern, text, re.IGNORECASE) if m.end() > m.start())
    out: list[tuple[int, int]] = []
    for start, end in spans:
        if out and start <= out[-1][1]:
            out[-1] = (out[-1][0], max(out[-1][1], end))
        else:
            out.append((start, end))
    return tuple(out)
