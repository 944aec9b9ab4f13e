"""#16 item 4: `daylog site export` built with Zensical (Material's successor) has the same
pages and links as the MkDocs build, with the configuration the README gives."""

from __future__ import annotations

import os
import posixpath
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote

import pytest
from conftest import REPO, copy_sample

pytest.importorskip("zensical", reason="zensical is not installed (pip install 'daylog[test]')")
pytest.importorskip("mkdocs")

NOW = "2026-11-20T22:00:00+09:00"
IGNORED = ("404.html", "search/", "assets/", "sitemap", "feed.xml")


def readme_config() -> str:
    """The zensical.yml the README's "Moving to Zensical" section tells a team to write."""
    text = (REPO / "README.md").read_text(encoding="utf-8")
    m = re.search(r"<!-- zensical-config -->\s*```yaml\n(.*?)```", text, re.S)
    assert m, "README has no zensical-config block"
    return m.group(1)


class Links(HTMLParser):
    """The internal links inside a page's article."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.hrefs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "article":
            self.depth += 1
        elif tag == "a" and self.depth:
            href = dict(attrs).get("href") or ""
            if href and not re.match(r"^[a-z]+:|^#|^//", href):
                self.hrefs.append(unquote(href.split("#")[0]))  # MkDocs escapes Hangul in URLs, Zensical not

    def handle_endtag(self, tag: str) -> None:
        if tag == "article":
            self.depth -= 1


def pages_and_links(site: Path) -> tuple[set[str], set[tuple[str, str]]]:
    pages = set()
    links = set()
    for path in site.rglob("*.html"):
        rel = path.relative_to(site).as_posix()
        if rel.startswith(IGNORED):
            continue
        pages.add(rel)
        parser = Links()
        parser.feed(path.read_text(encoding="utf-8"))
        for href in parser.hrefs:
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), href))
            if href.endswith("/") or href in ("", "."):
                target = posixpath.join(target, "index.html") if target != "." else "index.html"
            links.add((rel, target))
    return pages, links


@pytest.fixture(scope="module")
def workspace(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("zensical")
    copy_sample(root)
    return root


def test_zensical_builds_the_export_with_the_same_pages_and_links(workspace: Path) -> None:
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    env = {**os.environ, "DAYLOG_NOW": NOW, "DAYLOG_SEARCH_KO": "0", "PYTHONPATH": str(REPO)}
    exported = subprocess.run(
        [sys.executable, "-m", "daylog", "-w", str(workspace), "site", "export", str(workspace / "site-src")],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    assert exported.returncode == 0, exported.stderr
    (workspace / "zensical.yml").write_text(readme_config(), encoding="utf-8")
    zensical = Path(sys.executable).with_name("zensical")
    done = subprocess.run(
        [str(zensical), "build", "-f", "zensical.yml"],
        cwd=workspace,
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )
    assert done.returncode == 0, done.stdout + done.stderr
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAYLOG_NOW", NOW)
        mp.setenv("DAYLOG_SEARCH_KO", "0")
        build(load_config(str(workspace / "mkdocs.yml"), strict=True, site_dir=str(workspace / "mkdocs-site")))
    z_pages, z_links = pages_and_links(workspace / "site")
    m_pages, m_links = pages_and_links(workspace / "mkdocs-site")
    assert len(m_pages) > 70
    assert z_pages == m_pages
    assert z_links == m_links
    assert all(target in z_pages for _, target in z_links)
    assert (workspace / "site" / "feed.xml").is_file() and (workspace / "site" / "minji" / "feed.xml").is_file()
    home = (workspace / "site" / "index.html").read_text(encoding="utf-8")
    assert "daylog-board" in home and "assets/daylog/daylog.css" in home
