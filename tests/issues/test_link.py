"""`daylog link`'s pure parts: REF forms, the escaped title, and where the line goes."""

from __future__ import annotations

import html
import re
from collections.abc import Callable
from pathlib import Path

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st
from typer.testing import CliRunner

from daylog.entries.parse import parse
from daylog.errors import UsageError
from daylog.issues.link import escape_title, insert_line, link_line, parse_link_ref
from daylog.issues.refs import Kind

TEAM = "team/peer-session"


@pytest.mark.parametrize(
    ("value", "key", "kind"),
    [
        ("53", "team/peer-session#53", None),
        ("#53", "team/peer-session#53", None),
        (" #53 ", "team/peer-session#53", None),
        ("other/repo#53", "other/repo#53", None),
        ("https://github.com/other/repo/issues/53", "other/repo#53", Kind.ISSUE),
        ("https://github.com/team/peer-session/pull/54/", "team/peer-session#54", Kind.PULL),
        ("https://github.com/o/r/issues/53#issuecomment-123", "o/r#53", Kind.ISSUE),
        ("https://github.com/o/r/discussions/8", "o/r#8", Kind.DISCUSSION),
    ],
)
def test_ref_forms(value: str, key: str, kind: Kind | None) -> None:
    """53, #53, owner/repo#53 and full issue/pull/discussion URLs are accepted."""
    ref = parse_link_ref(value, issue_repo=TEAM)
    assert (ref.key, ref.kind) == (key, kind)


@pytest.mark.parametrize(
    ("value", "fragment"),
    [
        ("53번", "not an issue reference"),
        ("#53 #54", "not an issue reference"),
        ("https://github.com/o/r/blob/main/x.md", "not an issue reference"),
        ("https://example.com/issues/3", "not an issue reference"),
        ("o/r", "not an issue reference"),
        ("", "not an issue reference"),
    ],
)
def test_bad_refs_name_the_forms(value: str, fragment: str) -> None:
    """Anything else is a usage error listing the accepted forms."""
    with pytest.raises(UsageError, match=fragment) as info:
        parse_link_ref(value, issue_repo=TEAM)
    assert "owner/repo#53" in info.value.message


def test_bare_number_needs_issue_repo() -> None:
    """Without issue_repo, `53` says to configure it (or to write owner/repo#53)."""
    with pytest.raises(UsageError, match="needs issue_repo"):
        parse_link_ref("53", issue_repo=None)
    assert parse_link_ref("o/r#53", issue_repo=None).key == "o/r#53"


# -- the title -------------------------------------------------------------------------------

HOSTILE = [
    "<script>alert(1)</script>",
    "[클릭](javascript:alert(1))",
    "*굵게* _기울임_ `코드` ~~취소~~",
    "$x^2$ 수식과 \\(y\\)",
    "#54 와 other/repo#3 그리고 @someone",
    "<img src=x onerror=alert(1)> &amp; &lt;b&gt;",
    "줄\n바꿈\t탭 \x1b[31m빨강\x1b[0m",
    "](https://evil.example) [",
    "{: onclick=alert(1) } | 표 |",
]


def render(line: str) -> str:
    """The site's Python-Markdown with the pymdown extensions that could turn text into markup."""
    return markdown.markdown(
        line,
        extensions=["attr_list", "pymdownx.magiclink", "pymdownx.arithmatex", "pymdownx.tilde", "pymdownx.betterem"],
        extension_configs={
            "pymdownx.magiclink": {"repo_url_shorthand": True, "user": "team", "repo": "peer-session"},
            "pymdownx.arithmatex": {"generic": True},
        },
    )


@pytest.mark.parametrize("title", HOSTILE)
def test_hostile_titles_render_as_their_own_text(title: str) -> None:
    """Rendered by the site's Markdown, an escaped title is one link whose text is exactly the title."""
    out = render(link_line("#53", "https://github.com/team/peer-session/issues/53", title, None))
    tags = re.findall(r"<(/?[a-z]+)([^>]*)>", out)
    assert sorted({name for name, _ in tags}) == ["/a", "/li", "/ul", "a", "li", "ul"], out
    assert [attrs for name, attrs in tags if name == "a"] == [' href="https://github.com/team/peer-session/issues/53"']
    text = html.unescape(re.sub(r"<[^>]+>", "", out)).strip()
    expected = "".join(ch for ch in " ".join(title.split()) if ch >= " " and ch != "\x7f")
    assert text == f"#53 {expected}"


@given(st.text(min_size=1, max_size=40))
def test_any_title_stays_one_plain_line(title: str) -> None:
    """Whatever GitHub sends, the link line is one line, one link, and no raw `<`."""
    line = link_line("#53", "https://github.com/o/r/issues/53", title, None)
    assert "\n" not in line and "\r" not in line and "<" not in line
    assert "](" in line and line.endswith("(https://github.com/o/r/issues/53)")
    out = render(line)
    assert out.count("<a ") == 1, (line, out)


@pytest.mark.parametrize("title", ["\\]:", "a]: http://x", "[x]: y", "]]:::"])
def test_title_with_bracket_colon_is_not_a_reference_definition(title: str) -> None:
    """Python-Markdown's definition scan ignores backslashes: `]` must not end the link text."""
    line = link_line("#53", "https://github.com/o/r/issues/53", title, None)
    out = render(line)
    assert out.count("<a ") == 1, (line, out)
    text = re.search(r"<a [^>]*>(.*?)</a>", out)
    assert text is not None and html.unescape(text.group(1)) == f"#53 {title}"


def test_link_line_forms() -> None:
    """Title and note are optional; the note is the author's own Markdown, kept as given."""
    url = "https://github.com/o/r/issues/53"
    assert link_line("#53", url, None, None) == f"- [#53]({url})"
    assert link_line("#53", url, "  ", None) == f"- [#53]({url})"
    line = link_line("o/r#53", url, "질문_정리", "`민지` 답변 참고")
    assert line == f"- [o/r#53 질문\\_정리]({url}) — `민지` 답변 참고"
    assert escape_title("a`b") == "a\\`b"


# -- where the line goes ---------------------------------------------------------------------


def place(text: str, line: str = "- [#53](u)") -> tuple[str, int, int]:
    entry = parse(text)
    peer = entry.section("peer")
    assert peer is not None
    done = insert_line(text, peer.line, peer.end, line)
    return done.text, done.line, done.added


LIST = "# t\n\n## 피어세션 정리\n\n- `샐리`: 질문\n  - `엠제이`: 답\n\n### 더 정리할 것\n\n- [ ] x\n"


def test_joins_the_list_right_after_its_last_line() -> None:
    """After a Q&A list the line is the list's last item; the blank line before the next heading stays."""
    text, at, added = place(LIST)
    assert text == LIST.replace("답\n\n###", "답\n- [#53](u)\n\n###")
    assert (at, added) == (7, 1)


def test_fresh_template_section_gets_exactly_one_line() -> None:
    """Right under the template's comment (a list may follow it), the blank line before the next heading kept."""
    src = "## 피어세션 정리\n\n<!-- - `이름`: 질문\n  (답은 들여써서) -->\n\n### 더 정리할 것\n\n<!-- x -->\n"
    text, at, added = place(src)
    assert text == src.replace("-->\n\n###", "-->\n- [#53](u)\n\n###")
    assert (at, added) == (5, 1)
    assert "<ul>" in markdown.markdown(text)


def test_after_a_code_block_the_line_follows_the_blank_line() -> None:
    """A closing fence is not a list: the line goes after the blank line below it."""
    src = "## 피어세션 정리\n\n```\nx\n```\n\n## TIL\n"
    assert place(src)[0] == "## 피어세션 정리\n\n```\nx\n```\n\n- [#53](u)\n## TIL\n"


def test_paragraph_without_blank_line_gets_one() -> None:
    """A paragraph running into the next heading: a blank line is added so the item is a list."""
    src = "## 피어세션 정리\n오늘은 결석이 많았다.\n## TIL\n- a\n"
    text, at, added = place(src)
    assert text == "## 피어세션 정리\n오늘은 결석이 많았다.\n\n- [#53](u)\n## TIL\n- a\n"
    assert (at, added) == (4, 2)


def test_empty_section_and_end_of_file() -> None:
    """An empty section gets the line under its heading; a file without final newline keeps none."""
    assert place("## 피어세션 정리\n\n## TIL\n")[0] == "## 피어세션 정리\n\n- [#53](u)\n## TIL\n"
    assert place("## 피어세션 정리\n## TIL\n")[0] == "## 피어세션 정리\n- [#53](u)\n## TIL\n"
    assert place("## 피어세션 정리")[0] == "## 피어세션 정리\n- [#53](u)"
    assert place("## 피어세션 정리\n- q")[0] == "## 피어세션 정리\n- q\n- [#53](u)"
    assert place("## 피어세션 정리\n- q\n")[0] == "## 피어세션 정리\n- q\n- [#53](u)\n"


def test_crlf_files_stay_crlf() -> None:
    """A Windows-edited entry gets a CRLF line, every other byte unchanged."""
    src = LIST.replace("\n", "\r\n")
    text, _, _ = place(src)
    assert text == src.replace("답\r\n\r\n###", "답\r\n- [#53](u)\r\n\r\n###")
    assert place("## 피어세션 정리\r\n- q")[0] == "## 피어세션 정리\r\n- q\r\n- [#53](u)"


@given(st.lists(st.sampled_from(["", "- q", "  - a", "문단", "<!-- c -->", "```", "## TIL", "### 더 정리할 것"])))
def test_only_lines_are_inserted(body: list[str]) -> None:
    """Whatever the section holds, the result is the original with 1–2 lines inserted, in the peer section."""
    src = "\n".join(["## 피어세션 정리", *body]) + "\n"
    text, at, added = place(src)
    old, new = src.split("\n"), text.split("\n")
    assert new[at - 1] == "- [#53](u)" and added in (1, 2)
    assert new[: at - added] + new[at:] == old
    assert all(line == "" for line in new[at - added : at - 1])
    peer = parse(text).section("peer")
    assert peer is not None and peer.line < at <= peer.end


@pytest.mark.parametrize("url", ["javascript:alert(40)", "https://x.example/)[y](javascript:alert(1)"])
def test_link_line_refuses_an_unsafe_url(url: str) -> None:
    """The pure line builder is the last guard: a URL `safe_url` refuses is a programming error."""
    with pytest.raises(ValueError, match="not a safe http"):
        link_line("#53", url, "제목", None)


def test_a_second_link_into_a_fresh_entry_joins_the_first(make_ws: Callable[..., Path], runner: CliRunner) -> None:
    """`new` then `link 1` and `link 2`: the second goes under the first, not on top of `### 더 정리할 것`."""
    from daylog.cli.app import app

    ws = make_ws()
    env = {"DAYLOG_NOW": "2021-02-03T21:00:00+09:00"}
    assert runner.invoke(app, ["-w", str(ws), "new", "-a", "mj", "--no-edit"], env=env).exit_code == 0
    for n in ("1", "2", "3"):
        r = runner.invoke(app, ["-w", str(ws), "link", n, "-a", "mj", "--offline"], env=env)
        assert r.exit_code == 0, r.output
    lines = (ws / "logs" / "mj" / "2021-02-03.md").read_text(encoding="utf-8").split("\n")
    first = next(i for i, line in enumerate(lines) if line.startswith("- [#1]"))
    assert [line[:6] for line in lines[first : first + 3]] == ["- [#1]", "- [#2]", "- [#3]"]
    assert lines[first + 3] == "" and lines[first + 4].startswith("### ")
    html_out = markdown.markdown("\n".join(lines))
    assert html_out.count("<li><a href") == 3 and html_out.count("<ul>") >= 1
