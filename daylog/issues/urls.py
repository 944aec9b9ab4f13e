"""Which URLs from GitHub (or from the committed issue cache) daylog may store, write or publish. Pure.

An issue's `html_url` ends up as a Markdown link destination (`daylog link`) and as an
`<a href>` on the site, so a `javascript:` or `data:` URL there would run in a reader's
browser. `safe_url` is the one check every path applies; whatever fails it is dropped by the
caller, with a warning saying where it came from.
"""

from __future__ import annotations

import re

__all__ = ["MAX_URL_LENGTH", "safe_url"]

MAX_URL_LENGTH = 2048
"""Longer is no github.com page; a hostile answer could be megabytes."""

# `http(s)://host[:port]` and then a path, query or fragment of characters RFC 3986 allows,
# minus those that could end a Markdown link or its destination, or an HTML attribute
# (`[`, `]`, `(`, `)`, `'`).
# No spaces, no controls, ASCII only; the host is a DNS name or a bracketed IPv6 address, so
# user info (`https://github.com@evil.example/` reads as github.com) cannot match.
_SAFE = re.compile(
    r"""(?i:https?)://
    (?:[A-Za-z0-9](?:[A-Za-z0-9.-]*[A-Za-z0-9])?|\[[0-9A-Fa-f:.]+\])
    (?::[0-9]{1,5})?
    (?:[/?#][A-Za-z0-9\-._~:/?#@!$&*+,;=%]*)?""",
    re.X,
)


def safe_url(text: object) -> str | None:
    """`text` if it is an http(s) URL with a host, no user info and only plain URL characters,
    at most `MAX_URL_LENGTH` long; else None.

    Plain characters keep it inert both inside `(…)` in Markdown and in a quoted HTML attribute.
    """
    if not isinstance(text, str) or len(text) > MAX_URL_LENGTH or not _SAFE.fullmatch(text):
        return None
    return text
