"""Screenshots of a built site for the README: `python scripts/site_screenshots.py SITE_DIR assets`.

`make screenshots` builds the sample (DAYLOG_NOW fixed) and runs this.

Serves SITE_DIR on 127.0.0.1 and drives Debian's Chromium (playwright) with the network cut
off: home in light and dark, an entry, a member's calendar and Korean search results.
"""

from __future__ import annotations

import functools
import http.server
import re
import sys
import threading
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main(site: Path, out: Path, entry: str = "minji/2026-11-05/", member: str = "minji/", query: str = "분포") -> None:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-gpu"])
            pg = browser.new_page(viewport={"width": 1280, "height": 900}, device_scale_factor=1)
            pg.route(re.compile(r"^https?://(?!127\.0\.0\.1)"), lambda route: route.abort())
            pg.goto(base)
            pg.locator('svg.daylog-board rect[data-date]').nth(8 * 3 + 5).hover()  # a tip on the board
            pg.wait_for_timeout(200)
            pg.screenshot(path=str(out / "screenshot-home.png"))
            pg.locator("label.md-header__button[for^='__palette']:visible").first.click()
            pg.wait_for_timeout(300)
            pg.screenshot(path=str(out / "screenshot-home-dark.png"))
            pg.locator("label.md-header__button[for^='__palette']:visible").first.click()
            pg.goto(base + entry)
            pg.screenshot(path=str(out / "screenshot-entry.png"))
            pg.goto(base + member + "#daylog-calendar")
            pg.wait_for_timeout(300)
            pg.screenshot(path=str(out / "screenshot-calendar.png"))
            pg.goto(base)
            box = pg.locator("input.md-search__input")
            box.click()
            box.fill(query)
            for key in ("End", "Space", "Backspace"):
                box.press(key)
            pg.wait_for_selector(".md-search-result__item", timeout=10_000)
            pg.wait_for_timeout(300)
            pg.screenshot(path=str(out / "screenshot-search.png"))
            browser.close()
    finally:
        server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]), Path(sys.argv[2]))
