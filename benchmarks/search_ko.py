"""Korean search recall in a real browser, with and without the `daylog[ko]` extra.

    python benchmarks/search_ko.py [--workspace DIR] [--show]

Builds the workspace's site twice (`DAYLOG_SEARCH_KO=0`, then with Kiwi's morphemes), serves
each on 127.0.0.1 and types every query into Material's search box in headless Chromium
(Debian's /usr/bin/chromium through Playwright), scrolling until all results are loaded.

The entries a query must find are those whose published text (front matter and private
sections left out) contains the query as written, e.g. `분포` must find the entries that
say 균등분포 or 사전분포. Recall = found / must-find, over all queries; only entry pages
(`/<member>/<YYYY-MM-DD>/`) count as found.
"""

from __future__ import annotations

import argparse
import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
import urllib.parse
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
WORK = HERE / ".work"
CHROMIUM = "/usr/bin/chromium"

# Nouns a reader types; many sit inside compounds (선형회귀, 균등분포, 오차역전파, 사전확률) or
# before particles, where Material's prefix match alone misses them.
QUERIES = (
    "회귀", "변환", "확률", "배치", "선형", "밀도", "안정", "평균", "샘플링", "벡터",
    "함수", "변수", "분포", "전파", "제곱", "차원", "추정", "파라미터", "방정식", "정규화",
    "초기화", "행렬", "미분", "가중치", "손실", "과적합", "역전파", "고유값", "이항", "우도",
    "베이즈", "세션", "로지스틱", "기댓값",
)  # fmt: skip
ENTRY_URL = re.compile(r"/([^/?#]+)/(\d{4}-\d{2}-\d{2}[^/?#]*)/")


def must_find(root: Path) -> dict[str, set[str]]:
    """Query → entry pages (`member/date`) whose public text contains it."""
    from daylog.site.model import parse_entries
    from daylog.site.source import read_sources
    from daylog.workspace.files import Workspace

    ws = Workspace.find(root)
    sources, _ = read_sources(ws)
    texts = {}
    for p in parse_entries(ws.settings, sources):
        body = "\n".join(p.public.split("\n")[p.entry.front_matter_end :])
        texts[p.source.page.removesuffix(".md")] = body
    return {q: {page for page, text in texts.items() if q in text} for q in QUERIES}


def build(root: Path, site: Path, ko: bool) -> None:
    exe = Path(sys.executable).with_name("mkdocs")
    env = {**os.environ, "NO_MKDOCS_2_WARNING": "1", "DAYLOG_SEARCH_KO": "1" if ko else "0"}
    env.setdefault("DAYLOG_NOW", "2026-11-20T22:00:00+09:00")
    subprocess.run([str(exe), "build", "--quiet", "-f", str(root / "mkdocs.yml"), "-d", str(site)], check=True, env=env)


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def found_by_browser(site: Path, queries: tuple[str, ...]) -> dict[str, set[str]]:
    """Query → entry pages listed in Material's search results (all batches loaded)."""
    from playwright.sync_api import sync_playwright

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/"
    out: dict[str, set[str]] = {}
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
            )
            pg = browser.new_page()
            pg.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
            for q in queries:
                pg.goto(url)
                box = pg.locator("input.md-search__input")
                box.click()
                box.fill(q)
                for key in ("End", "Space", "Backspace"):  # Material searches on key events
                    box.press(key)
                items = pg.locator(".md-search-result__item")
                try:
                    pg.wait_for_selector(".md-search-result__item", timeout=5000)
                except Exception:
                    out[q] = set()
                    continue
                seen, stable = -1, 0
                while stable < 3:  # results arrive in batches as the list scrolls
                    count = items.count()
                    stable = stable + 1 if count == seen else 0
                    seen = count
                    items.last.hover()
                    pg.mouse.wheel(0, -400)
                    pg.wait_for_timeout(80)
                    pg.mouse.wheel(0, 20000)
                    pg.wait_for_timeout(120)
                pages = set()
                for a in pg.locator(".md-search-result__item a").all():
                    m = ENTRY_URL.search(urllib.parse.unquote(a.get_attribute("href") or ""))
                    if m:
                        pages.add(f"{m.group(1)}/{m.group(2)}")
                out[q] = pages
            browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return out


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--workspace", type=Path, default=REPO, help="workspace to build (default: the sample)")
    ap.add_argument("--show", action="store_true", help="print every query's recall")
    args = ap.parse_args()
    if not os.path.exists(CHROMIUM):
        print(f"{CHROMIUM} is missing: apt-get install chromium fonts-noto-cjk", file=sys.stderr)
        return 1
    root = args.workspace.resolve()
    (root / "docs").mkdir(exist_ok=True)
    expected = must_find(root)
    queries = tuple(q for q in QUERIES if expected[q])
    results = {}
    for ko in (False, True):
        site = WORK / ("search-ko" if ko else "search-plain")
        if site.exists():
            shutil.rmtree(site)
        build(root, site, ko)
        results[ko] = found_by_browser(site, queries)
    total = sum(len(expected[q]) for q in queries)
    print(f"{len(queries)} Korean queries, {total} (query, entry) pairs to find, workspace {root}")
    if args.show:
        print(f"{'query':10} {'must':>5} {'plain':>6} {'+ko':>6}")
    for ko in (False, True):
        hits = sum(len(results[ko][q] & expected[q]) for q in queries)
        perfect = sum(1 for q in queries if expected[q] <= results[ko][q])
        label = "with daylog[ko] (Kiwi morphemes)" if ko else "Material alone"
        print(f"{label:34} recall {hits / total:6.1%} ({hits}/{total}); fully answered {perfect}/{len(queries)}")
    if args.show:
        for q in queries:
            e = expected[q]
            print(f"{q:10} {len(e):5} {len(results[False][q] & e):6} {len(results[True][q] & e):6}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
