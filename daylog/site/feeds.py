"""Atom feeds of the team's entries and of each member's: the newest 50, written with feedgen.

Pure (feedgen and the standard library): the model and a function giving each page's URL go
in, `{virtual path: bytes}` comes out. A feed is made only from what the entry pages show
(`EntryView.body` and `til` have private sections blanked already, #12), so no private
section can reach a feed. feedgen escapes every string it writes; characters XML cannot
hold are replaced first, so a stray control character in an entry cannot break the feed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from datetime import UTC, datetime, time, tzinfo

from daylog.site.model import EntryView, SiteModel

NEWEST = 50
SUMMARY_CHARS = 280
TEAM_FEED = "feed.xml"
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
_MARKUP = re.compile(
    r"<[^>\n]*>|!?\[([^\]\n]*)\]\([^)\n]*\)|^\s*(?:-{3,}|\*{3,})\s*$|[`*_#>~|]+|^\s*[-+]\s+(?:\[[ xX]\]\s*)?", re.M
)


def _iri(link: str) -> str:
    """An Atom id must be an IRI: the absolute address, or a tag URI when the site has no `site_url`."""
    return link if re.match(r"^[a-z][a-z0-9+.-]*:", link) else "tag:daylog,2026:" + link.lstrip("/")


def member_feed(member_id: str) -> str:
    return f"{member_id}/feed.xml"


def summary(e: EntryView) -> str:
    """A few plain-text lines: the TIL when there is one, else the start of the public body."""
    # Only the start can show: cut before the patterns run, so a 2 MB line of `[` or `<` costs
    # what its first kilobytes cost (each `[` would otherwise look for its `]` to the end, #12).
    source = (e.til or e.body)[: SUMMARY_CHARS * 8]
    plain = _MARKUP.sub(lambda m: m.group(1) or " ", source)
    plain = re.sub(r"\s+", " ", _NOT_XML.sub("\ufffd", plain)).strip()
    return plain if len(plain) <= SUMMARY_CHARS else plain[: SUMMARY_CHARS - 1].rstrip() + "…"


def _clean(value: str) -> str:
    return _NOT_XML.sub("\ufffd", value)


def atom(
    title: str,
    entries: Sequence[EntryView],
    *,
    names: Callable[[str], str],
    page_title: Callable[[EntryView], str],
    url: Callable[[str], str],
    self_path: str,
    home_path: str,
    tz: tzinfo = UTC,
) -> bytes:
    """One Atom feed of the newest `NEWEST` of `entries` (by date, then member)."""
    from feedgen.feed import FeedGenerator  # type: ignore[import-untyped]

    newest = sorted(entries, key=lambda e: (e.date, e.member), reverse=True)[:NEWEST]
    fg = FeedGenerator()
    fg.id(_iri(url(self_path)))
    fg.title(_clean(title))
    fg.link(href=url(home_path), rel="alternate")
    fg.link(href=url(self_path), rel="self")
    fg.generator("daylog")
    stamp = datetime.combine(newest[0].date, time(0), tz) if newest else datetime(1970, 1, 1, tzinfo=UTC)
    fg.updated(stamp)
    for e in reversed(newest):  # feedgen puts each added entry first
        fe = fg.add_entry()
        link = url(e.page)
        fe.id(_iri(link))
        fe.title(_clean(page_title(e)))
        fe.author(name=_clean(names(e.member)))
        fe.link(href=link, rel="alternate")
        when = datetime.combine(e.date, time(0), tz)
        fe.published(when)
        fe.updated(when)
        fe.summary(summary(e) or _clean(e.title))
    out: bytes = fg.atom_str(pretty=True)
    return out


def feeds(
    model: SiteModel, url: Callable[[str], str], page_title: Callable[[EntryView], str], tz: tzinfo = UTC
) -> dict[str, bytes]:
    """The team's feed (`feed.xml`) and one per member (`<member>/feed.xml`); an entry is dated
    at the start of its study day in the team's zone `tz`."""
    out = {
        TEAM_FEED: atom(
            f"{model.course}: 팀 기록",
            model.entries,
            names=model.name,
            page_title=page_title,
            url=url,
            self_path=TEAM_FEED,
            home_path="index.md",
            tz=tz,
        )
    }
    for m in model.members:
        out[member_feed(m.id)] = atom(
            f"{model.course}: {m.name}의 기록",
            m.entries,
            names=model.name,
            page_title=page_title,
            url=url,
            self_path=member_feed(m.id),
            home_path=f"{m.id}/index.md",
            tz=tz,
        )
    return out


def page_url(site_url: str | None, directory_urls: bool = True) -> Callable[[str], str]:
    """A page's address from its virtual path, as MkDocs and Zensical publish it."""
    base = (site_url or "/").rstrip("/") + "/"

    def url(path: str) -> str:
        if not path.endswith(".md"):
            return base + path
        stem = path[:-3]
        if stem == "index" or stem.endswith("/index"):
            return base + stem[: -len("index")]
        return base + (stem + "/" if directory_urls else stem + ".html")

    return url
