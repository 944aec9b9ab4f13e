"""Korean morphemes in Material's search index (optional: `pip install 'daylog[ko]'`).

Material's search (lunr, theme language `ko`) matches a query word as the *prefix* of a
whitespace-separated token: `회의` finds `회의에서`, but `검색` misses `전문검색` and
`분석기` misses `형태소분석기를`. After the search plugin has written
`search/search_index.json`, every document gets an extra field `ko` holding the nouns,
roots and foreign words Kiwi finds in its title and text (`전문 검색 형태소 분석기 …`),
and the index config gains that field, so the browser's unchanged search matches them.

Without kiwipiepy nothing happens and the site searches as Material does.
`DAYLOG_SEARCH_KO=0` turns it off (for measuring the difference).
"""

from __future__ import annotations

import functools
import html
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any

FIELD = "ko"
BOOST = 0.5
"""Below the text field's 1.0: a morpheme hit ranks after a hit on what was written."""
KEEP_TAGS = frozenset({"NNG", "NNP", "NR", "XR", "SL", "SH", "SN"})
"""Common and proper nouns, numerals, roots, foreign words, Hanja and numbers."""
STEM_TAGS = frozenset({"VV", "VA"})
"""Verb and adjective stems, kept when they have two or more syllables (`정리`, `설명`)."""
_TAG = re.compile(r"<[^>]+>")
_HANGUL = re.compile(r"[가-힣]")
_ALL_HANGUL = re.compile(r"^[가-힣]+$")

Analyzer = Callable[[Sequence[str]], Iterable[Sequence[tuple[str, str]]]]
"""Texts → for each text, its (form, tag) morphemes."""


class Unavailable(Exception):
    """kiwipiepy (or its model) is not installed."""


def enabled() -> bool:
    return os.environ.get("DAYLOG_SEARCH_KO", "1").strip().lower() not in ("0", "false", "no", "off")


def kiwi_analyzer() -> Analyzer:
    """Kiwi's tokenizer, batch mode (it uses both cores on a big index)."""
    return _analyzer(_kiwi())


@functools.cache
def _kiwi() -> Any:
    """Kiwi, loaded once per process (about a second), so `mkdocs serve` rebuilds reuse it.

    A failure is not cached: installing the extra helps the next build."""
    try:
        from kiwipiepy import Kiwi  # type: ignore[import-untyped]
    except ImportError as exc:
        raise Unavailable("kiwipiepy is not installed (pip install 'daylog[ko]')") from exc
    try:
        kiwi = Kiwi(num_workers=-1)
    except Exception as exc:  # the model package missing or broken
        raise Unavailable(f"Kiwi cannot start: {exc}") from exc
    return kiwi


_MORPHEMES: dict[str, list[tuple[str, str]]] = {}
"""Each word's morphemes, kept for the process: `daylog site serve` indexes again after every
save, and only the words it has not seen yet go to Kiwi."""


def _analyzer(kiwi: Any) -> Analyzer:
    def analyze(texts: Sequence[str]) -> Iterable[Sequence[tuple[str, str]]]:
        new = [t for t in dict.fromkeys(texts) if t not in _MORPHEMES]
        if new:
            for word, tokens in zip(new, kiwi.tokenize(new), strict=True):
                _MORPHEMES[word] = [(t.form, t.tag) for t in tokens]
        return [_MORPHEMES[t] for t in texts]

    return analyze


def plain(text: str) -> str:
    """Index text without markup."""
    return html.unescape(_TAG.sub(" ", text))


def terms(morphemes: Iterable[tuple[str, str]]) -> list[str]:
    """The morphemes worth matching, lower-cased, each once, in order.

    Kiwi keeps some compounds whole (`역전파`, `최대우도`); their tails of two or more
    syllables (`전파`, `우도`) are added too, so a noun is found wherever it ends a word.
    """
    seen: dict[str, None] = {}
    for form, full_tag in morphemes:
        tag = full_tag.split("-")[0]  # Kiwi marks irregular stems as `VV-R`, `VA-I`
        if tag in KEEP_TAGS or (tag in STEM_TAGS and len(form) >= 2):
            word = form.strip().lower()
            if word:
                seen.setdefault(word, None)
            if tag in ("NNG", "NNP") and len(word) >= 3 and _ALL_HANGUL.match(word):
                for i in range(1, len(word) - 1):
                    seen.setdefault(word[i:], None)
    return list(seen)


FIELDS: dict[str, str] = {}
"""Each document's `ko` field by its title and text, from the process's last index: `daylog
site serve` writes the whole index after every save, and only the documents of the pages
rendered again are analysed (at 3,000 entries this and `write_index` took the Korean
search's part of an update from 1.1–1.4 s to about 0.3 s)."""


def augment(index: dict[str, Any], analyze: Analyzer, cache: dict[str, str] | None = None) -> int:
    """Add the `ko` field to every document with Hangul; return how many got one.

    Words are analysed once each, however many documents hold them: the team pages repeat
    the entries' text, and a team's vocabulary grows far slower than its text. With a
    `cache` (`FIELDS`), documents whose title and text it holds take their field from it,
    and it is left holding this index's documents only.
    """
    docs = index.get("docs")
    if not isinstance(docs, list):
        return 0
    known = cache if cache is not None else {}
    keyed = [(d, f"{d.get('title', '')} {d.get('text', '')}") for d in docs if isinstance(d, dict)]
    todo = [k for k in dict.fromkeys(k for _, k in keyed) if k not in known and _HANGUL.search(k)]
    words_of = [plain(k).split() for k in todo]
    vocabulary = list(dict.fromkeys(w for words in words_of for w in words if _HANGUL.search(w)))
    terms_of = {w: terms(m) for w, m in zip(vocabulary, analyze(vocabulary), strict=True)}
    fields = {k: known[k] for _, k in keyed if k in known}
    for key, words in zip(todo, words_of, strict=True):
        found: dict[str, None] = {}
        for w in words:
            for t in terms_of.get(w, ()):
                found.setdefault(t, None)
        fields[key] = " ".join(found)
    count = 0
    for doc, key in keyed:
        if fields.get(key):
            doc[FIELD] = fields[key]
            count += 1
    if cache is not None:
        cache.clear()
        cache.update(fields)
    config = index.setdefault("config", {})
    fields_config = config.setdefault("fields", {})
    fields_config.setdefault(FIELD, {"boost": BOOST})
    return count


def augment_file(path: Path, analyze: Analyzer | None = None) -> int:
    """Augment `search_index.json` in place (atomically)."""
    analyze = analyze or kiwi_analyzer()
    index = json.loads(path.read_text(encoding="utf-8"))
    count = augment(index, analyze)
    _write(path, index)
    return count


def write_index(
    path: Path,
    config: dict[str, Any],
    docs: Sequence[dict[str, Any]],
    analyze: Analyzer,
    cache: dict[str, str] | None = None,
) -> int:
    """Write `search_index.json` from the search plugin's own `config` and `docs`, with the `ko`
    field: what `augment_file` makes of the file Material just wrote (`{"config", "docs"}`,
    `default=str`), without reading those 24 MB (at 3,000 entries) back. Neither is changed."""
    fields = config.get("fields")
    index = {
        "config": {**config, "fields": dict(fields) if isinstance(fields, dict) else fields},
        "docs": [dict(d) for d in docs],
    }
    count = augment(index, analyze, cache)
    _write(path, index)
    return count


def _write(path: Path, index: dict[str, Any]) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".search_index.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(index, ensure_ascii=False, separators=(",", ":"), default=str))  # one C call
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
