"""Issue references in entry Markdown: forms, non-forms, boundaries, and the real corpus."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest

from daylog.errors import DaylogError
from daylog.issues.refs import IssueRef, Kind, find_refs

TEAM = "boostcamp-ai-tech-4/peer-session"
PEER = "https://github.com/boostcamp-ai-tech-4/peer-session"
CORPUS = Path("/work/shared/corpus")


def keys(text: str, issue_repo: str | None = "o/r") -> list[str]:
    return [r.key for r in find_refs(text, issue_repo=issue_repo).refs]


def only(text: str, issue_repo: str | None = "o/r") -> IssueRef:
    refs = find_refs(text, issue_repo=issue_repo).refs
    assert len(refs) == 1, refs
    return refs[0]


# -- the value -------------------------------------------------------------------------------


def test_key_and_url_per_kind() -> None:
    """key is owner/repo#N; url uses the kind's path, and /issues/ when the kind is unknown."""
    ref = IssueRef("o", "r", 5, Kind.PULL, 1, "x")
    assert ref.key == "o/r#5"
    assert ref.url == "https://github.com/o/r/pull/5"
    assert IssueRef("o", "r", 5, Kind.DISCUSSION, 1, "x").url.endswith("/o/r/discussions/5")
    assert IssueRef("o", "r", 5, Kind.ISSUE, 1, "x").url.endswith("/o/r/issues/5")
    assert IssueRef("o", "r", 5, None, 1, "#5").url == "https://github.com/o/r/issues/5"


# -- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "kind", "number", "written"),
    [
        (f"[링크]({PEER}/issues/53)", Kind.ISSUE, 53, f"{PEER}/issues/53"),
        (f"<{PEER}/issues/53>", Kind.ISSUE, 53, f"{PEER}/issues/53"),
        (f"  - {PEER}/issues/55", Kind.ISSUE, 55, f"{PEER}/issues/55"),
        (f"{PEER}/issues/55/", Kind.ISSUE, 55, f"{PEER}/issues/55/"),
        (f"{PEER}/pull/7", Kind.PULL, 7, f"{PEER}/pull/7"),
        (f"{PEER}/discussions/9", Kind.DISCUSSION, 9, f"{PEER}/discussions/9"),
        (f"{PEER}/issues/53#issuecomment-77", Kind.ISSUE, 53, f"{PEER}/issues/53#issuecomment-77"),
        (f"{PEER}/pull/32#discussion_r17", Kind.PULL, 32, f"{PEER}/pull/32#discussion_r17"),
        (
            f"{PEER}/pull/120#pullrequestreview-23",
            Kind.PULL,
            120,
            f"{PEER}/pull/120#pullrequestreview-23",
        ),
        (f"{PEER}/pull/120/files", Kind.PULL, 120, f"{PEER}/pull/120/files"),
        (f"{PEER}/pull/120/commits", Kind.PULL, 120, f"{PEER}/pull/120/commits"),
        (
            f"{PEER}/pull/120/commits/0123abc",
            Kind.PULL,
            120,
            f"{PEER}/pull/120/commits/0123abc",
        ),
        (f"{PEER}/discussions/9#discussioncomment-4", Kind.DISCUSSION, 9, None),
        ("http://www.github.com/o/r/issues/3", Kind.ISSUE, 3, None),
        (f'가능도함수의 모양 [질문]({PEER}/issues/44 "제목")', Kind.ISSUE, 44, None),
        (f"[[히스] CNN 과 GNN]({PEER}/issues/90)", Kind.ISSUE, 90, None),
        (f'<a href="{PEER}/issues/91">보기</a>', Kind.ISSUE, 91, None),
    ],
)
def test_url_forms(text: str, kind: Kind, number: int, written: str | None) -> None:
    """Issue/PR/discussion URLs count in links, autolinks, bare and in HTML, suffixes included."""
    ref = only(text, issue_repo=None)
    assert (ref.kind, ref.number, ref.line) == (kind, number, 1)
    assert ref.owner in ("boostcamp-ai-tech-4", "o")
    if written is not None:
        assert ref.written == written


def test_url_of_any_repo_keeps_its_owner_and_repo() -> None:
    """A URL names its own repository, whatever issue_repo is."""
    ref = only("https://github.com/Boost-Up-AI/Group-Activity/issues/4", issue_repo="o/r")
    assert (ref.owner, ref.repo, ref.key) == (
        "Boost-Up-AI",
        "Group-Activity",
        "Boost-Up-AI/Group-Activity#4",
    )


@pytest.mark.parametrize(
    "text",
    [
        f"[피어세션 링크 date:2021.01.28. 기준 issue]({PEER}/issues)",
        f"{PEER}/issues/new",
        f"{PEER}/issues?q=is%3Aopen",
        f"{PEER}/issues/53abc",
        f"{PEER}/blob/main/README.md#L53",
        f"{PEER}/tree/S074/issues/5",
        "[pdf](https://github.com/Boost-Up-AI/Group-Activity/files/6068021/NIPS-2015.pdf)",
        "https://github.com/orgs/community/discussions/176086",
        "https://api.github.com/repos/o/r/issues/5",
        "https://gitlab.com/o/r/issues/5",
        "https://github.com/user-attachments/assets/c9d7c7ce-cf6a-44ae-8e68",
        "https://example.com/wiki/github.com/o/r/issues/5",
    ],
)
def test_urls_that_are_not_references(text: str) -> None:
    """Issue indexes, blob/tree/attachment links, org discussions and other hosts are not refs."""
    assert keys(text) == []


def test_bare_url_followed_by_korean_counts_and_warns() -> None:
    """`…/issues/10에서` is issue 10, with a problem: the site's autolinker swallows `에서`."""
    scan = find_refs("참고\nhttps://github.com/o/r/issues/10에서 논의", issue_repo=None)
    assert [r.key for r in scan.refs] == ["o/r#10"]
    assert len(scan.problems) == 1
    assert scan.problems[0][0] == 2
    assert "space after the URL" in scan.problems[0][1]


def test_link_target_with_anchor_prefix_counts_and_warns() -> None:
    """`[x](#https://…/issues/52)` (seen in real posts) is issue 52 and a broken link problem."""
    scan = find_refs(f"- [질문](#{PEER}/issues/52)", issue_repo=None)
    assert [r.key for r in scan.refs] == [f"{TEAM}#52"]
    assert scan.problems and "starts with '#'" in scan.problems[0][1]


# -- shorthands ------------------------------------------------------------------------------


def test_owner_repo_shorthand_needs_no_issue_repo() -> None:
    """`owner/repo#N` names everything itself."""
    ref = only(f"{TEAM}#8 참고", issue_repo=None)
    assert (ref.key, ref.kind, ref.written) == (f"{TEAM}#8", None, f"{TEAM}#8")


def test_repo_shorthand_takes_the_owner_from_issue_repo() -> None:
    """`repo#N` is `<issue_repo owner>/repo#N`."""
    assert keys("algo-study#7 에 정리", issue_repo=TEAM) == ["boostcamp-ai-tech-4/algo-study#7"]


def test_hash_shorthand_resolves_against_issue_repo() -> None:
    """`#N` is issue N of issue_repo, kind unknown."""
    ref = only("오늘 #53 논의", issue_repo=TEAM)
    assert (ref.key, ref.kind, ref.written, ref.url) == (
        f"{TEAM}#53",
        None,
        "#53",
        f"{PEER}/issues/53",
    )


def test_shorthands_without_issue_repo_are_problems() -> None:
    """Without issue_repo, `#N` and `repo#N` are reported with their line, not guessed."""
    scan = find_refs("첫 줄\n#53 닫힘\nalgo#2 도", issue_repo=None)
    assert scan.refs == ()
    assert [line for line, _ in scan.problems] == [2, 3]
    assert "#53" in scan.problems[0][1] and "issue_repo" in scan.problems[0][1]
    assert "algo#2" in scan.problems[1][1]


def test_bad_issue_repo_is_an_error() -> None:
    """A malformed issue_repo is a DaylogError naming it."""
    with pytest.raises(DaylogError, match="owner/repo"):
        find_refs("#1", issue_repo="just-a-name")


# What Python-Markdown + magiclink 13.1 + saneheaders link, plus the Korean-particle rule.
BOUNDARIES = [
    ("#53 is closed", ["o/r#53"]),  # saneheaders: no heading without a space
    ("# 53", []),  # a heading
    ("## #53 논의", ["o/r#53"]),  # a reference inside a heading
    ("(#53)", ["o/r#53"]),
    ("#53,", ["o/r#53"]),
    ("#53.", ["o/r#53"]),
    ("**#6** *#7*", ["o/r#6", "o/r#7"]),
    ("#15\u00a0x", ["o/r#15"]),
    ("이슈#53", ["o/r#53"]),  # magiclink only refuses an ASCII letter before `#`
    ("가#5 ㄱ#6", ["o/r#5", "o/r#6"]),
    ("x/#5 a-#4 _#3", ["o/r#5", "o/r#4", "o/r#3"]),
    ("abc#1", ["o/abc#1"]),  # the repo shorthand, never the team's #1
    ("Day#1", ["o/Day#1"]),
    ("1#2", ["o/1#2"]),
    ("C# 언어, F#", []),
    ("&#39;hi&#39; &#8220;", []),  # HTML entities
    ("\\#5", []),  # escaped
    ("#0 #053", []),
    ("＃19", []),  # full-width sign
    ("#5é #5_x #5abc", []),
    ("https://example.com/page#3", []),  # a URL fragment
    ('<img alt="#3" src="x.png">', []),  # an HTML attribute
    ("[링크 #54](https://notion.so/x)", []),  # link text (magiclink skips it too)
    ("[x](#8강-abc)", []),  # an in-page anchor
    ("#8강 #1일1커밋 #3주차 #4기", []),  # words, not references
]


@pytest.mark.parametrize(("text", "expected"), BOUNDARIES)
def test_hash_boundaries(text: str, expected: list[str]) -> None:
    """`#N` counts where the site links it: not after an ASCII letter, `&` or `\\`."""
    assert keys(text) == expected


# Stricter than magiclink, which links `com/page#3` here and `abc#1` inside `이슈abc#1`: a
# repository shorthand must start a token.
STRICTER = ["example.com/page#3", "이슈abc#1", "a.b/c#1"]


@pytest.mark.parametrize("text", STRICTER)
def test_repo_shorthand_must_start_a_token(text: str) -> None:
    """`repo#N` glued to a word or path is not a reference (magiclink's regex finds one inside)."""
    assert keys(text) == []


# The deliberate departure from magiclink: a particle glued to the number.
PARTICLES = [
    "#53에서 논의",
    "#53의 답",
    "#52를 보면",
    "#53을",
    "#53은",
    "#52는",
    "#53이랑",
    "#52와",
    "#53과",
    "#53으로",
    "#52로",
    "#53도",
    "#53까지",
    "#53번 이슈",
]


@pytest.mark.parametrize("text", PARTICLES)
def test_korean_particle_after_number(text: str) -> None:
    """Korean particles attach without a space: `#53에서` is issue 53 (magiclink would not link)."""
    assert keys(text) == [keys("#" + re.sub(r"\D", "", text.split()[0]))[0]]


def test_korean_particle_in_nfd_text() -> None:
    """Decomposed (NFD) Hangul after the number is compared in composed form."""
    assert keys(unicodedata.normalize("NFD", "#53에서 논의")) == ["o/r#53"]
    assert keys(unicodedata.normalize("NFD", "#8강")) == []


def test_owner_repo_with_particle() -> None:
    """The particle rule applies to the repository forms too."""
    assert keys(f"{TEAM}#8에서") == [f"{TEAM}#8"]


# -- code, comments, links -------------------------------------------------------------------


def test_code_and_comments_are_not_references() -> None:
    """Fenced and inline code and HTML comments are masked; offsets and lines stay right."""
    text = (
        "`#1` 그리고 ``o/r#2``\n"
        "```python\n"
        "x = 1  # 3\n"
        "#4\n"
        f"{PEER}/issues/5\n"
        "```\n"
        "~~~\n#6\n~~~\n"
        "<!-- #7\nhttps://github.com/o/r/issues/8 -->\n"
        "- 항목\n"
        "  ```\n"
        "  #9\n"
        "  ```\n"
        "끝 #10\n"
    )
    scan = find_refs(text, issue_repo="o/r")
    assert [(r.key, r.line) for r in scan.refs] == [("o/r#10", 16)]


def test_link_to_issue_with_shorthand_text_is_one_reference() -> None:
    """`[#53](…/issues/53)` is one occurrence: the destination counts, the link text does not."""
    scan = find_refs(f"[#53]({PEER}/issues/53) and [{PEER}/issues/54]({PEER}/issues/54)", issue_repo=TEAM)
    assert [(r.key, r.kind) for r in scan.refs] == [
        (f"{TEAM}#53", Kind.ISSUE),
        (f"{TEAM}#54", Kind.ISSUE),
    ]


def test_duplicates_are_kept_in_order_with_their_lines() -> None:
    """Each occurrence is its own reference, ordered by position."""
    text = f"#53 먼저\n\n다시 #53, 그리고 {PEER}/issues/53\n#52"
    scan = find_refs(text, issue_repo=TEAM)
    assert [(r.number, r.line, r.kind) for r in scan.refs] == [
        (53, 1, None),
        (53, 3, None),
        (53, 3, Kind.ISSUE),
        (52, 4, None),
    ]


def test_text_without_references() -> None:
    """Plain Korean prose yields nothing, and no problems."""
    scan = find_refs("## 피어세션 정리\n- `샐리`: ResNet 이 잘 이해가 안됨\n", issue_repo=None)
    assert scan.refs == () and scan.problems == ()


# -- the real corpus -------------------------------------------------------------------------

# Verified by reading each file (grep for "github.com" and "#<digit>", then the lines around).
CORPUS_REFS: dict[str, list[tuple[str, Kind, int]]] = {
    # `- [링크](…/peer-session/issues/53)` and `/52` under 히스's questions.
    "01_bsm8734-day13-today.md": [(f"{TEAM}#53", Kind.ISSUE, 35), (f"{TEAM}#52", Kind.ISSUE, 37)],
    # Only the issue index `…/peer-session/issues` with a date in the link text: no reference.
    "05_bsm8734-day10-today.md": [],
    # Two blob links (lines 14, 15, 46) are not references; a PR review and a PR review comment are.
    "31_kyxxn-webmobile9-week5-day5-peersession.md": [
        ("boostcampwm-2024/swift-p3-issue-tracker#120", Kind.PULL, 32),
        ("boostcampwm-2024/swift-p3-issue-tracker#32", Kind.PULL, 99),
    ],
    # Bare issue URLs as nested bullets.
    "37_bsm8734-day14-today-custom-section.md": [
        (f"{TEAM}#55", Kind.ISSUE, 21),
        (f"{TEAM}#56", Kind.ISSUE, 23),
    ],
    # A `/files/6068021/…pdf` attachment of Boost-Up-AI/Group-Activity: not a reference.
    "42_ebbunnim-day27-pipe-headings.md": [],
    # `[[8강] Multi-GPU 학습](#8강-multi-gpu-학습)`: in-page anchors, not references.
    "43_kimjy-level1-day14-nested-checklist.md": [],
    # A repository link (no issue) and `resolve #이슈번호` (no number).
    "27_dudskrla-2022-04-14-date-in-filename.md": [],
}


def corpus_files() -> list[Path]:
    return sorted(CORPUS.glob("[0-9]*.md")) if CORPUS.is_dir() else []


@pytest.mark.parametrize("name", sorted(CORPUS_REFS))
@pytest.mark.parametrize("issue_repo", [None, TEAM])
def test_corpus_file_refs(name: str, issue_repo: str | None) -> None:
    """The references read by hand from each corpus post, with kind and line, and no problems."""
    path = CORPUS / name
    if not path.is_file():
        pytest.skip(f"corpus not available: {path}")
    scan = find_refs(path.read_text(encoding="utf-8"), issue_repo=issue_repo)
    assert [(r.key, r.kind, r.line) for r in scan.refs] == CORPUS_REFS[name]
    assert scan.problems == ()


def test_rest_of_corpus_has_no_refs() -> None:
    """The other corpus posts (code with `# comments`, headings, math) contain no references."""
    files = [p for p in corpus_files() if p.name not in CORPUS_REFS]
    if not files:
        pytest.skip("corpus not available")
    for path in files:
        scan = find_refs(path.read_text(encoding="utf-8"), issue_repo=TEAM)
        assert (path.name, scan.refs, scan.problems) == (path.name, (), ())


# -- agreement with the site's renderer ------------------------------------------------------

_HREF = re.compile(r'href="https://github\.com/([^/"]+)/([^/"]+)/(?:issues|pull|discussions)/(\d+)')


def _site_keys(text: str) -> list[str]:
    markdown = pytest.importorskip("markdown")
    pytest.importorskip("pymdownx")
    html = markdown.markdown(
        text,
        extensions=["pymdownx.saneheaders", "pymdownx.magiclink"],
        extension_configs={"pymdownx.magiclink": {"repo_url_shorthand": True, "user": "o", "repo": "r"}},
    )
    return [f"{o}/{r}#{n}" for o, r, n in _HREF.findall(html)]


@pytest.mark.parametrize(("text", "expected"), BOUNDARIES)
def test_boundaries_match_magiclink(text: str, expected: list[str]) -> None:
    """Where Python-Markdown + magiclink + saneheaders are installed, they link the same refs."""
    assert _site_keys(text) == expected


@pytest.mark.parametrize("text", PARTICLES[:3])
def test_particles_are_the_documented_departure(text: str) -> None:
    """magiclink leaves `#53에서` unlinked; daylog counts it on purpose (see find_refs)."""
    assert _site_keys(text) == []
    assert len(keys(text)) == 1


@pytest.mark.parametrize("text", STRICTER)
def test_stricter_cases_are_the_documented_departure(text: str) -> None:
    """magiclink finds a repository shorthand inside these; daylog does not (see find_refs)."""
    assert _site_keys(text) != []
