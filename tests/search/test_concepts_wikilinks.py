"""Reading `[[ResNet]]` out of Markdown: what is a wikilink, what is wrong, and in linear time."""

from __future__ import annotations

import time

import pytest

from daylog.search.concepts.names import Mentions, key, slug
from daylog.search.concepts.wikilinks import MAX_NAME, rewrite, scan


def names(text: str) -> list[tuple[str, str | None]]:
    return [(w.name, w.label) for w in scan(text)[0]]


def kinds(text: str) -> list[str]:
    return [b.kind for b in scan(text)[1]]


def test_names_and_labels() -> None:
    """`[[ResNet]]` names ResNet; `[[ResNet|레즈넷]]` shows 레즈넷; blanks around are dropped."""
    assert names("[[ResNet]]은 좋다, [[ ResNet | 레즈넷 ]]도") == [("ResNet", None), ("ResNet", "레즈넷")]
    links = scan("앞\n- 둘째 줄 [[역전파]]는")[0]
    assert [(w.line, w.start) for w in links] == [(2, 7)]


@pytest.mark.parametrize(
    "text",
    [
        "- [[8강] Multi-GPU 학습](#8강-multi-gpu-학습)",  # a Markdown link whose text starts with a bracket
        "- [[히스] CNN 과 GNN](https://github.com/x/y/issues/90)",
        "참고: [[1]](https://example.com)",  # a link whose text is [1]
        "a[[0]] 와 x_[[1]]",  # indexing
        "\\[[escaped]]",
        "`[[code]]` 와\n```\n[[fenced]]\n```",
        "<!-- [[comment]] -->",
        "[[1, 2], [3, 4]]",
    ],
)
def test_what_is_not_a_wikilink(text: str) -> None:
    """Brackets of Markdown links, indexes, escapes, code and comments are neither links nor problems."""
    assert scan(text) == ([], [])


def test_front_matter_lines_are_skipped() -> None:
    """`first_line` leaves the front matter out."""
    assert names("---\nrelated: '[[X]]'\n---\n[[Y]]") == [("X", None), ("Y", None)]
    assert [w.name for w in scan("---\nrelated: '[[X]]'\n---\n[[Y]]", first_line=4)[0]] == ["Y"]


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("[[ResNet 을 배웠다", "unclosed"),
        ("[[a [[b]] c]]", "nested"),
        ("[[a [b] c]]", "nested"),
        ("[[../x]]", "name"),
        ("[[logs/minji]]", "name"),
        ("[[a\\b]]", "name"),
        ("[[ ]]", "name"),
        ("[[|label]]", "name"),
        ("[[a\x01b]]", "name"),
        ("[[" + "가" * (MAX_NAME + 1) + "]]", "name"),
    ],
)
def test_bad_wikilinks_are_named_and_never_links(text: str, kind: str) -> None:
    """Unclosed, nested, path-like, empty, control-character and overlong names are problems, not links."""
    links, bad = scan(text)
    assert links == [] and [b.kind for b in bad] == [kind]
    assert "\x01" not in bad[0].message  # shown as an escape, never raw


def test_a_problem_does_not_hide_the_next_link() -> None:
    """After a malformed one, the rest of the line is still read."""
    assert kinds("[[../x]] 그리고 [[ResNet]]") == ["name"]
    assert names("[[../x]] 그리고 [[ResNet]]") == [("ResNet", None)]


def test_rewrite_replaces_links_only_outside_code() -> None:
    """The page's Markdown gets links; code and malformed links stay as written."""
    text = "[[ResNet|레즈넷]]과 `[[ResNet]]` 그리고 [[../x]]"
    out = rewrite(text, lambda w: f"<{w.shown}>")
    assert out == "<레즈넷>과 `[[ResNet]]` 그리고 [[../x]]"
    assert rewrite("[[A]] [[B]]", lambda w: None if w.name == "A" else "b") == "[[A]] b"


@pytest.mark.parametrize(
    "hostile",
    [
        "[[" * 200_000,
        "[[a" * 200_000,
        "[[a]" * 150_000,
        "[[" + "a" * 400_000,
        "[[a [[" * 100_000,
        "a[[" * 200_000,
        "[[x]](" * 100_000,
    ],
)
def test_scan_is_linear(hostile: str) -> None:
    """400 KB lines of open brackets cost about what 40 KB do, times ten (not a hundred)."""
    small = hostile[: len(hostile) // 10]
    t0 = time.perf_counter()
    scan(small)
    t_small = time.perf_counter() - t0
    t0 = time.perf_counter()
    scan(hostile)
    t_big = time.perf_counter() - t0
    assert t_big < max(0.05, t_small * 30)


def test_slugs_are_safe_file_names() -> None:
    """Lower case, `-` for blanks, no path or reserved marks, no device names, bounded length."""
    assert slug("ResNet") == "resnet"
    assert slug("Batch  Norm") == "batch-norm"
    assert slug("레즈넷") == "레즈넷"
    assert slug("C#") == "c-sharp"
    assert slug('a<b>:"c"|d?*') == "a-b-c-d"
    assert slug("CON") == "con-" and slug("index") == "index-" and slug("nul.txt") == "nul.txt-"
    assert slug("???").startswith("concept-")
    assert len(slug("가" * 300)) <= 60
    assert slug("Re\u0301sume\u0301") == slug("Résumé")  # NFD and NFC are one name


def test_keys_fold_case_and_normal_form() -> None:
    """`ResNet`, `resnet` and an NFD spelling share a key."""
    assert key("ResNet") == key("resnet") == key(" RESNET ")
    assert key("e\u0301") == key("é")


def test_mentions_korean_inside_compounds_english_on_word_boundaries() -> None:
    """레즈넷은 mentions 레즈넷; ResNet은 and RESNET mention ResNet; ResNeXt and preresnet do not."""
    m = Mentions(["ResNet", "레즈넷"])
    text = "레즈넷은 좋다\nresnet은 좋다\n(resnet)\nresnext와 preresnet\n잔차레즈넷구조".lower()
    hits = m.offsets(text)
    lines = sorted({text.count("\n", 0, o) + 1 for o in hits})
    assert lines == [1, 2, 3, 5]


def test_short_names_are_never_found_in_plain_text() -> None:
    """A one-character name (`C`) counts only through wikilinks."""
    assert Mentions(["C"]).offsets("c 언어와 c++") == []


def test_mentions_are_linear() -> None:
    """A 1 MB line of near-misses costs about ten times a 100 KB one."""
    m = Mentions(["aab", "resnet", "레즈넷"])
    big = "aaaa 레즈 resne " * 60_000
    t0 = time.perf_counter()
    m.offsets(big[: len(big) // 10])
    small = time.perf_counter() - t0
    t0 = time.perf_counter()
    m.offsets(big)
    assert time.perf_counter() - t0 < max(0.05, small * 30)


def test_real_posts_hold_no_false_wikilinks() -> None:
    """The corpus's `[[8강] 제목](#…)` and `[[히스] CNN](…)` forms are neither links nor problems."""
    from conftest import CORPUS

    posts = sorted(CORPUS.glob("*.md")) if CORPUS.is_dir() else []
    if not posts:
        pytest.skip("the corpus of real posts is not here")
    assert any("[[" in p.read_text(encoding="utf-8") for p in posts)
    for p in posts:
        assert scan(p.read_text(encoding="utf-8")) == ([], []), p.name
