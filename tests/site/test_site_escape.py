"""What daylog lifts onto its own pages is inert (#12): `daylog.site.escape`, rendered by Python-Markdown."""

from __future__ import annotations

import functools
from html.parser import HTMLParser
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from daylog.site.escape import block, http_url, link_target, text, yaml_str

markdown = pytest.importorskip("markdown")
pytest.importorskip("pymdownx")

SITE_EXTENSIONS = [
    "toc", "tables", "attr_list", "md_in_html", "admonition", "pymdownx.saneheaders", "pymdownx.magiclink",
    "pymdownx.tasklist", "pymdownx.arithmatex", "pymdownx.superfences", "pymdownx.highlight",
]  # fmt: skip
"""The sample site's extensions (`mkdocs.yml`), emoji aside."""
BARE_EXTENSIONS = ["attr_list", "md_in_html", "tables"]
"""A site that reads neither fences nor math: lifted text must not rely on them to stay inert."""


@functools.cache
def _converter(extensions: tuple[str, ...]) -> Any:
    return markdown.Markdown(extensions=extensions, extension_configs={"pymdownx.arithmatex": {"generic": True}})


def render(md: str, extensions: list[str] = SITE_EXTENSIONS) -> str:
    """Python-Markdown's HTML for `md` (one converter per extension set: loading them is the slow part)."""
    return str(_converter(tuple(extensions)).reset().convert(md))


BAD_SCHEMES = ("javascript:", "data:", "vbscript:")


class Hazards(HTMLParser):
    """Script elements, event-handler attributes and `javascript:` targets in a page (entities decoded)."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "iframe", "object", "embed"):
            self.found.append(f"<{tag}>")
        for name, value in attrs:
            target = "".join((value or "").split()).lower()
            is_url = name in ("href", "src", "action", "formaction", "xlink:href", "data")
            if name.startswith("on") or name == "style" or (is_url and target.startswith(BAD_SCHEMES)):
                self.found.append(f"<{tag} {name}={value!r}>")

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def hazards(html: str) -> list[str]:
    parser = Hazards()
    parser.feed(html)
    return parser.found


def shown(html: str) -> str:
    """The text a reader sees."""
    parser = Hazards()
    parser.feed(html)
    return "".join(parser.text)


SCRIPT, IMG = "<script>alert(1)</script>", "<img src=x onerror=alert(2)>"


def test_text_shows_markup_as_text_and_keeps_inline_markdown() -> None:
    """Tags read as text; emphasis, http links, code and math still work on one line."""
    html = render(f"- {text(f'{SCRIPT} **굵게** [링크](https://x.org) `a<b` $i<l$ {IMG} 끝')}")
    assert hazards(html) == []
    assert f"{SCRIPT} 굵게 링크 a<b" in shown(html) and f"{IMG} 끝" in shown(html)
    assert "<strong>굵게</strong>" in html and '<a href="https://x.org">링크</a>' in html
    assert "<code>a&#60;b</code>" in html and '<span class="arithmatex">\\(i\\lt l\\)</span>' in html


@pytest.mark.parametrize(
    "target",
    ["javascript:alert(3)", "JavaScript:alert(3)", " javascript:alert(3)", "<javascript:alert(3)>",
     "java&#115;cript:alert(3)", "javascript&#58;alert(3)", "java\\script:alert(3)", "data:text/html,x"],
)  # fmt: skip
def test_a_link_that_is_no_web_link_loses_its_link(target: str) -> None:
    """Inline links, images and reference definitions keep their text but no such target."""
    for md in (f"[x]({target})", f"![x]({target})", f"[x][a] [a]: {target}"):
        html = render(f"- {text(md)}\n- {text('[a]')}\n\n{block(md)}\n")
        assert hazards(html) == [], md
        assert "x" in shown(html)


def test_web_and_relative_links_stay_links() -> None:
    """https, mailto, relative paths and fragments are links as written."""
    md = "[a](https://x.org/p?q=1&r=2) [b](mailto:t@x.org) [c](../mj/2021-01-18.md) [d](#til) ![e](img/a.png)"
    html = render(text(md))
    assert 'href="https://x.org/p?q=1&amp;r=2"' in html and 'href="mailto:t@x.org"' in html
    assert 'href="../mj/2021-01-18.md"' in html and 'href="#til"' in html and 'src="img/a.png"' in html


def test_attribute_lists_comments_and_block_marks_are_text() -> None:
    """`{onclick=…}` is no attribute list, comments (even `<!-->`) are dropped, a leading `#` is no heading."""
    html = render(f"{text('*x*{onclick=alert(1)} `c`{: onmouseover=alert(1) }')}\n\n{text('<!-->' + SCRIPT + '-->')}")
    assert hazards(html) == [] and "{onclick=alert(1)}" in shown(html)
    for line in ("# 제목 아님", "1. 목록 아님", "--- 줄 아님"):
        html = render(text(line))
        assert html.startswith("<p>") and shown(html) == line
    assert render("- a\n  " + text("~~~") + "\n- b").count("<li>") == 2


def test_block_keeps_lists_quotes_tables_and_math() -> None:
    """A TIL excerpt keeps its Markdown structure; raw HTML in it is text, fenced code an inert `<pre>`."""
    til = (
        f"- {SCRIPT} 배운 것\n    - 중첩 $\\prod_{{i<l}} s_i$\n\n> 인용 {IMG}\n\n"
        "| a | b |\n| --- | --- |\n| 1 | 2 |\n\n"
        "```python\nif a < b:  # <- 이게 dot\n    print(`x`)\n```\n\n<div onclick=alert(1)>x</div>\n"
    )
    for extensions in (SITE_EXTENSIONS, BARE_EXTENSIONS):
        html = render(block(til), extensions)
        assert hazards(html) == [], extensions
        assert "<blockquote>" in html and "<table>" in html and html.count("<li>") == 2
        assert "if a < b:  # <- 이게 dot\n    print(`x`)" in shown(html)
    assert "\\prod_{i\\lt l} s_i" in render(block(til))


_PIECES = st.sampled_from(
    ["`", "``", "$", "$$", "\\", "\\(", "\\)", "\\[", "\\]", SCRIPT, IMG, "<", ">", "<!--", "-->", "<!-->", "{", "}",
     "{onclick=alert(1)}", "{: onclick=alert(1) }", "[x](javascript:alert(3))", "[a]: javascript:alert(3)",
     "[a]", "](", "(", ")", "<https://x.org>", "*", "_", "\n", "\n\n", "    ", "- ", "> ", "```", "~~~",
     "```python\n", "x", "가", "&#60;", "&lt;", "|", "#", "=", '"', "'", " ", "&", ";", "!", "[", "]", "]:",
     "javascript:", "![", "[x]", "<a href=", " onerror=alert(1)", "&#x3C;", "\\`", "* ```\n", "<div markdown=1>"]
)  # fmt: skip


@settings(max_examples=500, deadline=None)
@given(st.lists(_PIECES, max_size=24).map("".join), st.lists(_PIECES, max_size=12).map("".join))
@example("", "]([x](javascript:alert(3))")  # a refused target hid the link inside it
@example("", "[[a]: javascript:alert(3)")  # refusing the inner `[` made the outer one a definition
@example("javascript:[x](javascript:alert(3))", "![](")  # a target left open, completed by the next line
@example("", "$]*{{: onclick=alert(1) }$")  # attr_list reads `{…}` from the first of two braces in math
def test_no_lifted_text_renders_markup(one: str, other: str) -> None:
    """Whatever pieces a lifted string is made of, next to another one, as a list item, a continuation
    line or a TIL: Python-Markdown, with or without fences and math, writes no script, handler or
    `javascript:` target."""
    page = f"- [{text(other)}](a.md) · {text(one)}{text(other)}  \n  {text(one)}\n"
    page += f"    - **{text(other)}**: {text(one)}\n"
    page += f"\n| {text(one)} | {text(other)} |\n| --- | --- |\n\n{block(one + other)}\n\n{block(one)}\n"
    for extensions in (SITE_EXTENSIONS, BARE_EXTENSIONS):
        assert hazards(render(page, extensions)) == [], (one, other, extensions)


def test_http_url_takes_only_web_urls() -> None:
    """Issue URLs from the cache link only when http(s); marks that would end a Markdown target are encoded."""
    issue = "https://github.com/team/peer-session/issues/53"
    assert http_url(issue) == issue
    assert http_url(" HTTP://x.org/a b)<c>") == "HTTP://x.org/a%20b%29%3Cc%3E"
    for bad in ("javascript:alert(3)", "data:text/html,x", "//x.org", "https:/x.org", "https://", "/issues/1", ""):
        assert http_url(bad) == "", bad
    assert link_target("a)<b>/한글 c.md") == "a%29%3Cb%3E/한글%20c.md"


def test_yaml_str_is_html_escaped_text() -> None:
    """Front-matter titles and tags are HTML (MkDocs and Material print them unescaped)."""
    expected = '"&lt;script&gt;alert(1)&lt;/script&gt; &quot;따옴표&quot; 둘째 줄"'
    assert yaml_str(f'{SCRIPT} "따옴표"\n둘째 줄') == expected
