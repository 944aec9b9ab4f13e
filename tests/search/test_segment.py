"""Segmenting text and queries: Korean bigrams, lower-cased words, FTS syntax kept as text."""

from __future__ import annotations

import re

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from daylog.search import index
from daylog.search.index import Doc, Filters, Line
from daylog.search.segment import hit_spans, index_terms, match_expression, parse_query, runs

SAFE_PHRASE = re.compile(r'^(?:terms|\{terms infix\}) : "[0-9a-z가-힣 ]+"\*?$')
"""What every FTS5 phrase daylog builds looks like: a column filter and one quoted token list."""


def lines_matching(texts: list[str], words: list[str]) -> list[str]:
    """Index `texts` as the lines of one entry in memory, query `words`, return the matching lines."""
    conn = index.connect(None)
    with index.writing(conn):
        index.reset(conn, "test")
        lines = tuple(Line(i + 1, None, t) for i, t in enumerate(texts))
        index.add(conn, [Doc("logs/mj/2021-02-03.md", "mj", "2021-02-03", None, None, lines)])
    hits = index.query(conn, parse_query(words), Filters(), None)
    conn.close()
    return [h.text for h in hits]


def test_hangul_runs_become_bigrams_words_are_lower_cased() -> None:
    """Hangul → character bigrams (one syllable alone stays itself); other runs → lower-cased words with suffixes."""
    assert index_terms("균등분포는") == ("균등 등분 분포 포는", "")
    assert index_terms("(트랜스포머)") == ("트랜 랜스 스포 포머", "")
    assert index_terms("GPU를 쓸 수 있다") == ("gpu 를 쓸 수 있다", "pu")
    assert index_terms("ResNet50") == ("resnet50", "esnet50 snet50 net50 et50 t50 50")
    assert index_terms("self-attention_x") == ("self attention x", "elf lf ttention tention ention ntion tion ion on")


def test_korean_words_inside_compounds_and_before_particles() -> None:
    """`분포` in 균등분포는, `하강법` in 경사하강법을, `트랜스포머` in (트랜스포머); a neighbour is no hit."""
    texts = ["- 균등분포는 평균이 가운데", "경사하강법을 손으로 구현", "어텐션 (트랜스포머) 정리", "분산과 포아송"]
    assert lines_matching(texts, ["분포"]) == [texts[0]]
    assert lines_matching(texts, ["하강법"]) == [texts[1]]
    assert lines_matching(texts, ["트랜스포머"]) == [texts[2]]
    assert lines_matching(texts, ["(트랜스포머)"]) == [texts[2]]
    assert lines_matching(texts, ["분포", "평균"]) == [texts[0]]
    assert lines_matching(texts, ["분포", "구현"]) == []


def test_english_words_any_case_prefix_and_inside_words() -> None:
    """English terms ignore case, match word starts (`transform`) and insides of words (`norm` in LayerNorm)."""
    texts = ["Transformer 구조", "LayerNorm과 BatchNorm", "norm", "GPU를 샀다"]
    assert lines_matching(texts, ["transformer"]) == [texts[0]]
    assert lines_matching(texts, ["TRANSFORM"]) == [texts[0]]
    assert sorted(lines_matching(texts, ["Norm"])) == sorted(texts[1:3])
    assert lines_matching(texts, ["gpu를"]) == [texts[3]]


def test_phrases_need_their_words_in_order() -> None:
    """A quoted phrase (or one argument with spaces) matches only its words in that order, adjacent."""
    texts = ["경사 하강법 정리", "하강법 경사 정리", "gradient descent는 빠르다", "descent gradient"]
    assert lines_matching(texts, ["경사 하강법"]) == [texts[0]]
    assert lines_matching(texts, ['"경사 하강법"']) == [texts[0]]
    assert sorted(lines_matching(texts, ["경사", "하강법"])) == sorted(texts[:2])
    assert lines_matching(texts, ['"gradient descent"']) == [texts[2]]
    assert lines_matching(texts, ['"gradient desc"']) == [texts[2]]


def test_one_syllable_one_letter_and_punctuation_are_scanned_as_text() -> None:
    """Terms the token index cannot express become a plain scan: `분` inside 구분, `x`, `->`."""
    texts = ["구분이 필요", "f(x) = x^2", "a -> b", "분포"]
    assert sorted(lines_matching(texts, ["분"])) == sorted([texts[0], texts[3]])
    assert lines_matching(texts, ["X"]) == [texts[1]]
    assert lines_matching(texts, ["->"]) == [texts[2]]
    assert lines_matching(texts, ["^"]) == [texts[1]]
    (term,) = parse_query(["분"])
    assert term.phrase is None and term.scan == "분"


def test_fts_syntax_is_never_syntax() -> None:
    """Quotes, `*`, `NEAR`, `AND`, `-`, `(` in a query are text: phrases hold quoted tokens only."""
    hostile = ['"', '""', '"a', "*", "NEAR", "NEAR(a b)", "-x", "AND", "a OR b", "(", ")", "{terms}:", "^a", "'; DROP"]
    for word in hostile:
        for term in parse_query([word]):
            assert term.phrase is None or SAFE_PHRASE.match(term.phrase), (word, term)
        lines_matching(["NEAR(a b) AND -x \"q\" 'x' {terms}"], [word])  # no FTS5 or SQL error
    assert lines_matching(["a AND b", "a b"], ["AND"]) == ["a AND b"]
    assert lines_matching(["x NEAR y"], ["NEAR"]) == ["x NEAR y"]


def test_query_parsing() -> None:
    """Quotes group a phrase; duplicates collapse; a bare or unbalanced quote is text; blank is nothing."""
    assert [t.text for t in parse_query(['"a b" c', "c"])] == ["a b", "c"]
    assert [t.text for t in parse_query(['"a b'])] == ['"a b']
    assert [t.text for t in parse_query(["  ", ""])] == []
    assert match_expression(parse_query(["분포", "x"])) == 'terms : "분포"'
    assert match_expression(parse_query(["x"])) is None


def test_hit_spans_mark_what_was_typed() -> None:
    """Spans cover each term's text in the line, case aside, merged when they touch."""
    text = "균등분포는 Transformer의 분포"
    assert hit_spans(text, parse_query(["분포"])) == ((2, 4), (19, 21))
    assert hit_spans(text, parse_query(["transform"])) == ((6, 15),)
    assert hit_spans("경사하강법", parse_query(["경사", "하강법"])) == ((0, 5),)


HANGUL = "가나다라분포평균하강법을는수"
ALPHABET = st.sampled_from([*HANGUL, *"abcXYZ019", " ", " ", "(", ")", "-", ".", ","])


@settings(max_examples=300, deadline=None)
@given(st.text(ALPHABET, min_size=1, max_size=40), st.data())
def test_any_piece_of_a_line_finds_the_line(line: str, data: st.DataObject) -> None:
    """Any substring of a line with a letter or digit in it finds the line (a phrase may start mid-word
    only in Hangul, or when it is a single word)."""
    line = line.strip()
    assume(line)
    start = data.draw(st.integers(0, len(line) - 1))
    end = data.draw(st.integers(start + 1, len(line)))
    piece = line[start:end]
    assume(piece.strip() and not piece.startswith(" ") and not piece.endswith(" "))
    pieces = list(runs(piece.lower()))
    assume(pieces)
    mid_word = start > 0 and line[start - 1].isalnum() and line[start].isalnum()
    assume(not (mid_word and not pieces[0].hangul and len(pieces) > 1))
    assert lines_matching([line], [piece]) == [line], (line, piece, parse_query([piece]))


def test_fts5_missing_is_reported(monkeypatch: pytest.MonkeyPatch) -> None:
    """An SQLite without the FTS module makes creating the index raise FtsMissing, not a generic error."""
    monkeypatch.setattr(index, "FTS_MODULE", "fts5_missing_here")
    conn = index.connect(None)
    with pytest.raises(index.FtsMissing), index.writing(conn):
        index.reset(conn, "x")
    conn.close()
