"""#16 item 3: Atom feeds of the team and of each member, read back with feedparser."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from conftest import REPO, copy_sample

feedparser = pytest.importorskip("feedparser")
pytest.importorskip("feedgen")
pytest.importorskip("mkdocs")

NOW = "2026-11-20T22:00:00+09:00"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = tmp_path_factory.mktemp("feeds")
    copy_sample(root)
    config = (root / "mkdocs.yml").read_text(encoding="utf-8")
    (root / "mkdocs.yml").write_text("site_url: https://team.example/log/\n" + config, encoding="utf-8")
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAYLOG_NOW", NOW)
        mp.setenv("DAYLOG_SEARCH_KO", "0")
        build(load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site")))
    return root / "site"


def entry_dates() -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for path in sorted((REPO / "logs").glob("*/2026-*.md")):
        out.setdefault(path.parent.name, []).append(path.stem)
    return out


def test_team_feed_lists_the_newest_entries(site: Path) -> None:
    feed = feedparser.parse((site / "feed.xml").read_bytes())
    assert not feed.bozo, feed.get("bozo_exception")
    assert feed.version == "atom10" and feed.feed.title == "AI 부트캠프 3기: 팀 기록"
    every = sorted(((d, m) for m, ds in entry_dates().items() for d in ds), reverse=True)
    assert len(feed.entries) == min(50, len(every))
    newest = feed.entries[0]
    assert newest.published.startswith(every[0][0])
    assert newest.link == f"https://team.example/log/{every[0][1]}/{every[0][0]}/"
    assert " · Day" in newest.title and newest.author in {"민지", "서현", "지우", "하윤", "도겸"}
    assert newest.summary and "<" not in newest.summary
    dates = [e.published[:10] for e in feed.entries]
    assert dates == sorted(dates, reverse=True)


def test_member_feed_holds_only_that_member(site: Path) -> None:
    feed = feedparser.parse((site / "minji" / "feed.xml").read_bytes())
    assert not feed.bozo
    mine = entry_dates()["minji"]
    assert [e.link.rsplit("/", 2)[-2] for e in feed.entries] == sorted(mine, reverse=True)[:50]
    assert {e.author for e in feed.entries} == {"민지"}
    assert feed.entries[0].title == f"민지 · Day14 · {max(mine)}"


def test_pages_link_their_feeds_in_the_head(site: Path) -> None:
    entry = (site / "minji" / "2026-11-05" / "index.html").read_text(encoding="utf-8")
    head = entry[: entry.index("</head>")]
    assert '<link rel="alternate" type="application/atom+xml" title="팀 기록 (Atom)" href="../../feed.xml">' in head
    assert 'title="민지의 기록 (Atom)" href="../feed.xml">' in head
    home = (site / "index.html").read_text(encoding="utf-8")
    assert 'href="feed.xml">' in home[: home.index("</head>")]


def test_no_private_section_reaches_a_feed(site: Path) -> None:
    from daylog.entries.parse import parse

    secrets = []
    for path in sorted((REPO / "logs").glob("*/*.md")):
        text = path.read_text(encoding="utf-8")
        lines = text.split("\n")
        for s in parse(text).sections_with("remark"):
            secrets += [ln.strip("- ").strip() for ln in lines[s.line : s.end] if len(ln.strip("- ").strip()) > 8]
    assert secrets
    feeds = "\n".join(p.read_text(encoding="utf-8") for p in site.rglob("feed.xml"))
    assert [s for s in secrets if s in feeds] == []


def test_summary_is_plain_text_from_the_til() -> None:
    from daylog.site.feeds import summary
    from daylog.site.model import EntryView

    e = EntryView(
        "mj", date(2021, 1, 18), 1, 1, "t", (), "mj/2021-01-18.md", "logs/mj/2021-01-18.md", "",
        "## TIL\n\n- body\n", "- **배운 것** [링크](x.md) `code`\n\n---\n", (), (), 0,
    )  # fmt: skip
    assert summary(e) == "배운 것 링크 code"


def test_export_writes_the_feeds_and_goes_on_without_feedgen(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`site export` needs only the core install: without feedgen it writes the pages and says why no feed."""
    import sys

    from daylog.site.export import export
    from daylog.workspace.files import Workspace

    monkeypatch.setenv("DAYLOG_NOW", NOW)
    ws = Workspace.find(REPO)
    done = export(ws, tmp_path / "with")
    assert "feed.xml" in done.files and "minji/feed.xml" in done.files
    assert not feedparser.parse((tmp_path / "with" / "feed.xml").read_bytes()).bozo
    monkeypatch.setitem(sys.modules, "feedgen", None)  # import feedgen raises ImportError
    bare = export(ws, tmp_path / "without")
    assert "feed.xml" not in bare.files and "index.md" in bare.files
    assert any("feedgen is not installed" in n for n in bare.notes)
