"""Take the README's screenshots of the sample team site (headless Chromium via Playwright).

    make demo && python scripts/screenshots.py   # writes assets/screenshot-home.png, -entry.png

Needs Debian's chromium (/usr/bin/chromium) and fonts-noto-cjk for Hangul.
"""

from __future__ import annotations

import functools
import http.server
import threading
from pathlib import Path

from playwright.sync_api import sync_playwright

REPO = Path(__file__).resolve().parent.parent
SITE = REPO / ".demo" / "site"
SHOTS = {"screenshot-home.png": "", "screenshot-entry.png": "minji/2026-11-16/"}


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def main() -> int:
    if not (SITE / "index.html").is_file():
        raise SystemExit("build the sample site first: make demo")
    handler = functools.partial(_Quiet, directory=str(SITE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(
                executable_path="/usr/bin/chromium",
                args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            )
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            for name, path in SHOTS.items():
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                page.screenshot(path=str(REPO / "assets" / name))
                print(f"assets/{name}")
            browser.close()
    finally:
        server.shutdown()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
