"""`safe_url`: the one check between a URL from GitHub or the cache and a link daylog writes."""

from __future__ import annotations

import html
import re

import markdown
import pytest
from hypothesis import given
from hypothesis import strategies as st

from daylog.issues.link import link_line
from daylog.issues.urls import MAX_URL_LENGTH, safe_url


@pytest.mark.parametrize(
    "url",
    [
        "https://github.com/o/r/issues/1",
        "https://github.com/o/r/pull/2#issuecomment-3",
        "HTTPS://GitHub.com/o/r/discussions/8",
        "http://127.0.0.1:8123/o/r/issues/1?x=1&y=2",
        "https://ghe.example.co.kr/team/peer-session/issues/53",
        "https://[::1]:8080/o/r/issues/1",
        "https://github.com",
        "https://github.com/o/r/issues/1%20x",
    ],
)
def test_http_urls_with_a_host_pass_unchanged(url: str) -> None:
    """An http(s) URL with a host comes back as given."""
    assert safe_url(url) == url


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(40)",
        "JavaScript:alert(1)",
        " javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "vbscript:msgbox(1)",
        "file:///etc/passwd",
        "ftp://github.com/o/r",
        "//evil.example/o/r/issues/1",
        "/o/r/issues/1",
        "https:///o/r/issues/1",
        "https:evil.example",
        "https://github.com@evil.example/o/r/issues/1",
        "https://user:pass@github.com/o/r",
        "https://github.com/o/r/issues/1)[x](javascript:alert(1)",
        "https://github.com/o/r/issues/1 onmouseover=alert(1)",
        'https://github.com/o/r/issues/1"><script>alert(1)</script>',
        "https://github.com/o/r/issues/1'",
        "https://github.com/o/r/issues/1\n",
        "https://github.com/o/r/issues/\x00",
        "https://github.com/이슈/1",
        "https://-bad.example/",
        "https://github.com:99999999/",
        "https://github.com/" + "a" * MAX_URL_LENGTH,
        "",
    ],
)
def test_anything_else_is_refused(url: str) -> None:
    """Other schemes, no host, user info, characters that break out of a link, too long: None."""
    assert safe_url(url) is None


@pytest.mark.parametrize("value", [None, 40, b"https://github.com/", ["https://github.com/"]])
def test_non_strings_are_refused(value: object) -> None:
    """JSON from GitHub or the cache may hold anything: only a string can be a URL."""
    assert safe_url(value) is None


@given(st.text(alphabet=st.characters(codec="ascii"), max_size=60))
def test_whatever_passes_stays_one_link_to_its_host(tail: str) -> None:
    """Any accepted URL, written by `link` and rendered by Python-Markdown, is one link to github.com, no markup."""
    url = safe_url("https://github.com/" + tail)
    if url is None:
        return
    out = markdown.markdown(link_line("#53", url, "제목", None))
    assert re.findall(r"<(/?\w+)", out) == ["ul", "li", "a", "/a", "/li", "/ul"], out
    hrefs = re.findall(r'<a href="([^"]*)">', out)
    assert len(hrefs) == 1 and html.unescape(hrefs[0]).startswith("https://github.com/"), out
