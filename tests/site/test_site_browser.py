"""The built sample site in a real headless browser: home → entry, and a Korean search."""

from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import threading
import urllib.parse
from collections.abc import Iterator

import pytest
from conftest import REPO

CHROMIUM = "/usr/bin/chromium"
playwright_api = pytest.importorskip(
    "playwright.sync_api", reason="playwright is not installed (pip install playwright)"
)
if not os.path.exists(CHROMIUM):
    pytest.skip(f"{CHROMIUM} is missing (apt-get install chromium)", allow_module_level=True)
pytest.importorskip("mkdocs")


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The sample site built (Korean search extra on when installed) and served on 127.0.0.1."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    root = tmp_path_factory.mktemp("browser")
    for name in ("mkdocs.yml", "templates", "logs", "concepts", "docs", ".daylog"):
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, root / name, ignore=shutil.ignore_patterns("cache"))
        else:
            shutil.copy(src, root / name)
    with pytest.MonkeyPatch.context() as mp:
        mp.setenv("DAYLOG_NOW", "2026-11-20T22:00:00+09:00")
        build(load_config(str(root / "mkdocs.yml"), strict=True, site_dir=str(root / "site")))
    handler = functools.partial(_Quiet, directory=str(root / "site"))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@pytest.fixture(scope="module")
def page(served: str) -> Iterator[object]:
    with playwright_api.sync_playwright() as p:
        browser = p.chromium.launch(
            executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
        )
        pg = browser.new_page()
        pg.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())  # no internet in tests
        yield pg
        browser.close()


def search(page: object, query: str) -> list[str]:
    """Type into Material's search box as a person does and return the result links."""
    pg: playwright_api.Page = page  # type: ignore[assignment]
    box = pg.locator("input.md-search__input")
    box.click()
    box.fill(query)
    for key in ("End", "Space", "Backspace"):  # Material searches on key events, not on fill
        box.press(key)
    pg.wait_for_selector(".md-search-result__item", timeout=10_000)
    items = pg.locator(".md-search-result__item")
    seen, stable = -1, 0
    while stable < 3:  # results arrive in batches as the list scrolls
        count = items.count()
        stable = stable + 1 if count == seen else 0
        seen = count
        items.last.hover()
        pg.mouse.wheel(0, -400)  # Material loads the next batch when the bottom comes back into view
        pg.wait_for_timeout(100)
        pg.mouse.wheel(0, 20000)
        pg.wait_for_timeout(150)
    hrefs = [a.get_attribute("href") or "" for a in pg.locator(".md-search-result__item a").all()]
    return [urllib.parse.unquote(h) for h in hrefs]


def test_home_to_entry_and_korean_search(served: str, page: object) -> None:
    """Open the home page, follow a link to an entry, then search in Korean and land on entries."""
    pg: playwright_api.Page = page  # type: ignore[assignment]
    pg.goto(served)
    assert "AI 부트캠프 3기" in pg.title()
    assert pg.locator("svg.daylog-grass").count() == 1
    pg.locator("a", has_text="민지: [AI 부트캠프 3기 / Day14] Today").first.click()
    pg.wait_for_url(re.compile(r"/minji/2026-11-20/$"))
    assert "Day14" in pg.locator("h1").first.inner_text()
    assert pg.locator(".daylog-meta a", has_text="민지").count() == 1
    try:
        import kiwipiepy  # noqa: F401

        query, expected = "분포", "/minji/2026-11-05/"  # only inside 균등분포: needs the Korean extra
    except ImportError:
        query, expected = "균등분포", "/minji/2026-11-05/"
    links = search(pg, query)
    pages = sorted({h.split("?")[0] for h in links})
    assert any(expected in p for p in pages), "\n".join(pages)


def test_palette_toggle_switches_to_dark(served: str, page: object) -> None:
    """#16: the header's palette toggle turns the page dark (Material's `slate` scheme) and back."""
    pg: playwright_api.Page = page  # type: ignore[assignment]
    pg.goto(served)
    assert pg.locator("body").get_attribute("data-md-color-scheme") == "default"
    pg.locator("label.md-header__button[for^='__palette']:visible").first.click()
    pg.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'slate'")
    pg.locator("label.md-header__button[for^='__palette']:visible").first.click()
    pg.wait_for_function("document.body.getAttribute('data-md-color-scheme') === 'default'")


def test_grass_has_a_row_per_member_and_a_tooltip(served: str, page: object) -> None:
    """#16: the home grass spans the content, one row per member under the team's, a tip on hover."""
    pg: playwright_api.Page = page  # type: ignore[assignment]
    pg.goto(served)
    board = pg.locator("svg.daylog-board")
    assert board.count() == 1
    width = board.bounding_box()["width"]  # type: ignore[index]
    content = pg.locator("article.md-content__inner").bounding_box()["width"]  # type: ignore[index]
    assert width > 0.9 * content - 40, (width, content)
    assert pg.locator("svg.daylog-board text.who").all_text_contents() == ["팀", "민지", "서현", "지우", "하윤", "도겸"]
    pg.locator('svg.daylog-board rect[data-date="2026-11-05"]').nth(1).hover()
    tip = pg.locator(".daylog-tip")
    tip.wait_for(state="visible")
    assert tip.inner_text().startswith("2026-11-05 (목) · 민지 · 기록 1")


def test_a_korean_query_leads_to_an_entry_naming_its_author(served: str, page: object) -> None:
    """#16: entries rank above the summary pages that repeat their words; the result names author and day."""
    pg: playwright_api.Page = page  # type: ignore[assignment]
    pg.goto(served)
    box = pg.locator("input.md-search__input")
    box.click()
    box.fill("균등분포")
    for key in ("End", "Space", "Backspace"):
        box.press(key)
    pg.wait_for_selector(".md-search-result__item", timeout=10_000)
    first = pg.locator(".md-search-result__item").first
    href = urllib.parse.unquote(first.locator("a").first.get_attribute("href") or "")
    assert re.search(r"/[a-z]+/2026-\d\d-\d\d/", href), href
    assert re.match(r"^\S+ · Day\d+ · 2026-\d\d-\d\d", first.locator("h1").first.inner_text())


def test_questions_filter_shows_only_unanswered(served: str, page: object) -> None:
    """Ticking "답변 없는 질문만" on the Questions page leaves only the unanswered question; unticking: all."""
    pg: playwright_api.Page = page  # type: ignore[assignment]
    pg.goto(served)
    pg.locator("a", has_text="질문 모음").first.click()  # instant navigation: the script must still work
    pg.wait_for_url("**/questions/")
    items = pg.locator("article li:has(.daylog-q-answered), article li:has(.daylog-q-unanswered)")
    total = items.count()
    assert total > 10
    visible = pg.locator("article li:has(.daylog-q-unanswered):visible, article li:has(.daylog-q-answered):visible")
    assert visible.count() == total
    pg.get_by_label("답변 없는 질문만").check()
    assert visible.count() == 1 and "1x1 conv" in visible.first.inner_text()
    pg.get_by_label("답변 없는 질문만").uncheck()
    assert visible.count() == total
