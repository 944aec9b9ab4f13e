"""The entry parser: front matter, sections by alias, questions, follow-ups, tasks, links."""

from __future__ import annotations

import re
import unicodedata
from datetime import date
from pathlib import Path

import pytest
from conftest import CORPUS, REFERENCE
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from daylog.entries.items import ITEM as _ITEM
from daylog.entries.markdown import LineIndex, mask_code, trim_line_end
from daylog.entries.model import FollowUpForm, Severity
from daylog.entries.parse import _atx_headings, _shown, parse, section_is_filled

FIXTURES = Path(__file__).parent.parent / "fixtures" / "entries"


@pytest.fixture(scope="module")
def shaped() -> str:
    return (FIXTURES / "reference-shape.md").read_text(encoding="utf-8")


def test_front_matter_of_the_reference_shape(shaped: str) -> None:
    """Chirpy front matter with a comment and an offset date is read."""
    e = parse(shaped)
    assert e.title == "[부스트캠프 AI Tech / Day13] Today"
    assert e.date == date(2021, 2, 3)
    assert e.time == "21:47:00 +0900"
    assert e.title_day == 13
    assert e.categories == ("부스트캠프 AI Tech", "Today")
    assert e.tags == ("today", "cnn")
    assert e.diagnostics == ()


def test_sections_found_by_alias_at_any_level(shaped: str) -> None:
    """Bold headings and an h5 `ETC) 더 정리할 것` inside the peer section are found."""
    e = parse(shaped)
    keys = [s.key for s in e.sections]
    assert keys == ["peer", "followups", "tasks", "results", "til", "remark"]
    peer, fu = e.section("peer"), e.section("followups")
    assert peer is not None and fu is not None
    assert fu.level == 5 and fu.title == "ETC) 더 정리할 것"
    assert peer.end < fu.line  # the follow-up block is not part of the peer Q&A


def test_questions_askers_and_answers(shaped: str) -> None:
    """Askers in backticks (one or several), answers as nested bullets, arrows and quotes."""
    qs = parse(shaped).questions
    assert [q.askers for q in qs] == [("엠제이",), ("샐리", "히스"), (), ("히스",)]
    first = qs[0]
    assert first.text == "배치 크기를 키우면 왜 학습률도 키우나?"
    assert [(a.answerer, a.text) for a in first.answers] == [
        (None, "그래디언트 추정의 분산이 줄어서 더 큰 보폭을 감당할 수 있음"),
        ("샐리", "linear scaling rule 논문 참고"),
    ]
    assert any("downsampling" in a.text for a in qs[1].answers)
    assert qs[2].answers[0].text == "⭕ 요즘 구조는 그렇게 많이 함"
    assert qs[3].answers[0].text.startswith("[링크](")


def test_quote_form_followups(shaped: str) -> None:
    """`> ▪ **topic**` items are open follow-ups with their note lines."""
    fus = parse(shaped).followups
    assert [(f.topic, f.form, f.done) for f in fus] == [
        ("receptive field 계산", FollowUpForm.QUOTE, False),
        ("BatchNorm과 Dropout 순서", FollowUpForm.QUOTE, False),
    ]
    assert fus[0].note == "층이 쌓일 때 어떻게 커지는지 식으로 정리\ndilation까지 포함해서"
    assert (fus[0].line, fus[0].end) == (29, 31)


def test_tasks_nested_mixed_case_and_done_date(shaped: str) -> None:
    """Checklist items under a label, `[X]` and `[x]`, and a `✅ date` are read."""
    tasks = parse(shaped).tasks
    assert [(t.text, t.done, t.done_on, t.depth) for t in tasks] == [
        ("CNN 기본 과제", True, None, 1),
        ("CNN 심화 과제", False, None, 1),
        ("퀴즈 5강", True, date(2021, 2, 3), 1),
    ]


def test_links_outside_code_with_their_section(shaped: str) -> None:
    """Links keep line and section; `#12` in a code block is not a link and `# …` is not a heading."""
    e = parse(shaped)
    assert [(link.url, link.section) for link in e.links] == [
        ("https://github.com/team/peer-session/issues/41", "peer")
    ]
    assert e.has_math
    assert not any("주석" in s.title for s in e.sections)


CHECKBOX_ENTRY = """\
## 피어세션
- `민지`: 질문?
### 더 정리할 것
- [ ] attention 복잡도: O(n^2) 이유
- [x] softmax 안정화 ✅ 2026-11-05
- [ ]
- layer norm 위치
  - pre-LN vs post-LN
"""


def test_checkbox_and_bullet_followups_and_empty_checkbox_warning() -> None:
    """Checkbox follow-ups split topic and note; an empty box is skipped with a warning."""
    e = parse(CHECKBOX_ENTRY)
    assert [(f.topic, f.note, f.done, f.done_on, f.form) for f in e.followups] == [
        ("attention 복잡도", "O(n^2) 이유", False, None, FollowUpForm.CHECKBOX),
        ("softmax 안정화", "", True, date(2026, 11, 5), FollowUpForm.CHECKBOX),
        ("layer norm 위치", "pre-LN vs post-LN", False, None, FollowUpForm.BULLET),
    ]
    assert [(d.line, d.severity, d.code) for d in e.diagnostics] == [(6, Severity.WARNING, "empty-item")]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("- `서폿` : 질문이요", ("서폿",)),
        ("- `샐리` 최대가능도 함수는?", ("샐리",)),
        ("- [펭귄] global 키워드는?", ("펭귄",)),
        ("- '엠제이' \"딥러닝에서?\"", ("엠제이",)),
        ("- 동현님: numpy 질문", ("동현",)),
        ("- 민지: 알려진 이름", ("민지",)),
        ("- ResNet: 모르는 이름은 질문자가 아님?", ()),
        ("- [링크](http://x)에 대한 질문?", ()),
    ],
)
def test_asker_forms(text: str, expected: tuple[str, ...]) -> None:
    """The asker spellings real posts use are recognised, unknown `X:` prefixes are not."""
    e = parse("## 피어세션\n" + text + "\n", known_names=frozenset({"민지"}))
    assert e.questions[0].askers == expected


def test_front_matter_variants() -> None:
    """`data:` typo, trailing spaces on `---`, blank line before it, no front matter."""
    e = parse("---\ntitle: x\ndata: 2021-02-04 22:31:00 +0900\n\n---   \n## TIL\n- a\n")
    assert e.date == date(2021, 2, 4)
    assert [d.code for d in e.diagnostics] == ["front-matter"]
    assert e.diagnostics[0].severity == Severity.WARNING and e.diagnostics[0].line == 3
    assert e.section("til") is not None
    bare = parse("# 7.17\n## 피어세션\n- `a`: b?\n")
    assert bare.front_matter == {} and bare.date is None and len(bare.questions) == 1


def test_broken_front_matter_is_a_diagnostic_with_a_line() -> None:
    """Unparseable YAML and a missing closing line are errors, not exceptions."""
    e = parse("---\ntitle: [oops\ndate: 2021-02-03\n---\n## TIL\n")
    assert e.diagnostics[0].severity == Severity.ERROR and e.diagnostics[0].line >= 2
    e2 = parse("---\ntitle: x\n## TIL\n")
    assert "no closing" in e2.diagnostics[0].message


def test_conflict_markers_are_errors() -> None:
    """Unresolved merge-conflict markers are reported at their line."""
    e = parse("## TIL\n<<<<<<< HEAD\n- a\n=======\n- b\n>>>>>>> other\n")
    assert [(d.line, d.code) for d in e.diagnostics] == [(2, "conflict")]


def test_nfd_headings_crlf_and_no_final_newline() -> None:
    """Decomposed Hangul headings still match; CRLF and a missing last newline are fine."""
    text = unicodedata.normalize("NFD", "## 피어세션 정리\r\n- `샐리`: 질문?\r\n## 오늘의 한마디\r\n- 끝")
    e = parse(text)
    assert [s.key for s in e.sections] == ["peer", "remark"]
    assert e.questions[0].askers == ("샐리",)


def _has_content(text: str) -> bool:
    masked = mask_code(text, inline=False).split("\n")
    return any(section_is_filled(masked, s) for s in parse(text).sections)


def test_empty_template_has_no_content_and_filled_one_does() -> None:
    """Comments, bare bullets and rules are not content; a written line is (`section_is_filled`)."""
    empty = "## TIL\n\n<!-- 적어주세요 -->\n- \n---\n## 오늘의 한마디\n"
    assert not _has_content(empty)
    filled = empty + "- 오늘은 끝\n"
    assert _has_content(filled)


@settings(max_examples=300, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.text(alphabet=st.sampled_from(list("-*>#`[]()x ✅▪:\n\t가나다abc0123!?~$<!->=")) | st.characters(), max_size=400)
)
def test_parse_never_raises(text: str) -> None:
    """Any text parses; problems are diagnostics."""
    e = parse(text)
    for d in e.diagnostics:
        assert d.line >= 1


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is not present")
@pytest.mark.parametrize("name", sorted(p.name for p in CORPUS.glob("*.md")) if CORPUS.is_dir() else [])
def test_real_posts_parse(name: str) -> None:
    """Every real post of the corpus parses without an exception."""
    text = (CORPUS / name).read_text(encoding="utf-8")
    e = parse(text)
    assert e.line_count >= 1


@pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared/reference is not present")
def test_reference_post_items() -> None:
    """The real reference post: 4 quote-form follow-ups, 1 task, issue links 53 and 52."""
    e = parse(REFERENCE.read_text(encoding="utf-8"))
    assert len(e.followups) == 4 and all(f.form is FollowUpForm.QUOTE for f in e.followups)
    assert [t.text for t in e.tasks] == ["CNN assignment"]
    assert [link.url.rsplit("/", 1)[1] for link in e.links if "/issues/" in link.url] == ["53", "52"]
    assert e.questions[3].askers == ("샐리", "후미", "엠제이")


def test_review_edge_cases() -> None:
    """Deep nesting, English plurals, NFD topics, `[ ]topic` and YAML datetimes with offsets."""
    deep = "## 과제 진행 상황\n" + "".join("  " * i + f"- [ ] 단계 {i}\n" for i in range(1500))
    e = parse(deep)
    assert len(e.tasks) >= 20 and e.diagnostics == ()
    e = parse("## Follow-ups\n- [ ] a\n## Further Questions\n- b\n## Peer Sessions\n- `x`: y?\n## Reflections\n- z\n")
    assert [s.key for s in e.sections] == ["followups", "followups", "peer", "remark"]
    nfd = unicodedata.normalize("NFD", "## 더 정리할 것\n- [ ] 행렬식: 의미\n## 과제 진행 상황\n- [ ] 과제 하나\n")
    e = parse(nfd)
    assert e.followups[0].topic == "행렬식" and e.followups[0].note == "의미" and e.tasks[0].text == "과제 하나"
    e = parse("## 더 정리할 것\n* [ ]별표토픽\n")
    assert e.followups[0].topic == "별표토픽" and e.followups[0].form is FollowUpForm.CHECKBOX
    e = parse("---\ndate: 2021-02-04 01:30:00+09:00\ntitle: [x, y]\n---\n")
    assert e.date == date(2021, 2, 4) and e.time == "01:30:00 +0900"


_OLD_HEADING = re.compile(r"^ {0,3}(?P<hashes>#{1,6})(?:[ \t]+(?P<text>.*?))?(?:[ \t]+#+)?[ \t]*\r?$", re.M)
"""The heading pattern before #12: right, but quadratic in a line's trailing blanks."""


def _closed(m: re.Match[str]) -> str:
    """The old pattern's text, but empty when all after the marker is one closing run (`## ##`)."""
    text = (m.group("text") or "").strip()
    after = trim_line_end(m.group(0)[m.end("hashes") - m.start() :]).strip(" \t")
    return "" if text and not after.strip("#") else text


_HEADINGISH = st.lists(
    st.sampled_from(
        ["#", "##", "###", "#######", " ", "   ", "    ", "\t", "a", "가", "**", "\r", "C#", "\u3000", "<b>", ""]
    )
    | st.text(alphabet=st.sampled_from(list("# \t\ra가*:_`~<>")), max_size=6),
    max_size=8,
).map("".join)


@settings(max_examples=400)
@given(st.lists(_HEADINGISH, min_size=1, max_size=12).map("\n".join), st.data())
def test_atx_headings_are_what_the_heading_regex_finds(text: str, data: st.DataObject) -> None:
    """The heading finder (a line regex, then a linear read of each line) equals the old quadratic regex,
    except that a heading of only `#`s after the marker (`## ##`) is empty, as in CommonMark."""
    starts = [0] + [i + 1 for i, c in enumerate(text) if c == "\n"]
    first = data.draw(st.integers(1, len(starts)))
    index = LineIndex.of(text)
    expected = [
        (index.line_of(m.start()), len(m.group("hashes")), _closed(m), m.start())
        for m in _OLD_HEADING.finditer(text, starts[first - 1])
    ]
    for _ in range(2):  # read, then from the memo
        found = _atx_headings(text, starts[first - 1], first)
        assert [h[:4] for h in found] == expected
        assert [h[4] for h in found] == [_shown(h[2]) for h in found]


_LAZY_ITEM = re.compile(r"^(?P<indent>[ \t]*)(?P<marker>[-*+]|\d{1,3}[.)])(?:[ \t]+(?P<text>.*?)|[ \t]*)\r?$")


@settings(max_examples=400)
@given(st.text(alphabet=st.sampled_from(list(" \t\r-*+1234.)x가 [✅")), max_size=14))
def test_item_regex_reads_as_the_lazy_one(line: str) -> None:
    """`_ITEM` reads its text greedily: the same items, the text with at most one `\\r` more."""
    lazy, greedy = _LAZY_ITEM.match(line), _ITEM.match(line)
    assert (lazy is None) == (greedy is None)
    if lazy is not None and greedy is not None:
        assert lazy.group("indent", "marker") == greedy.group("indent", "marker")
        text = greedy.group("text")
        assert lazy.group("text") == (text.removesuffix("\r") if text is not None else None)


_LINE_START_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$", re.M)


@settings(max_examples=300)
@given(
    st.lists(st.sampled_from(["---", "...", "--- \t", "---\r", "...\r", "----", " ---", "a: b", "", "x"]), max_size=8)
)
def test_front_matter_close_is_the_first_closing_line(rest: list[str]) -> None:
    """The newline-prefixed closing-line regex ends the front matter where the `^` regex did."""
    text = "\n".join(["---", *rest])
    close = _LINE_START_CLOSE.search(text, 4) if rest else None
    expected = text.count("\n", 0, close.start()) + 1 if close else 0
    assert parse(text, parts=frozenset()).front_matter_end == expected
