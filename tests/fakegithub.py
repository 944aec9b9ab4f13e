"""A small programmable fake of the GitHub REST API on 127.0.0.1, for client tests.

It serves `/repos/{o}/{r}/issues` (state=all, since=, per_page/page with `Link` headers),
`/repos/{o}/{r}/issues/{n}` and `/repos/{o}/{r}/discussions/{n}` from in-memory data, answers
`If-None-Match` with 304, records every request, and can be told to misbehave (`fail`).
Nothing here touches the network beyond the loopback socket it listens on.
"""

from __future__ import annotations

import hashlib
import json
import re
import threading
import time
import urllib.parse
from collections.abc import Mapping
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from daylog.issues.transport import Answer

EPOCH_DATE = "Fri, 20 Nov 2026 00:00:00 GMT"


def issue(
    number: int,
    title: str,
    *,
    repo: str = "o/r",
    state: str = "open",
    updated: str = "2026-11-19T00:00:00Z",
    pull: bool = False,
    merged: bool = False,
) -> dict[str, Any]:
    """An issue object shaped like GitHub's (only the fields daylog reads, plus a few)."""
    kind = "pull" if pull else "issues"
    data: dict[str, Any] = {
        "number": number,
        "title": title,
        "state": state,
        "html_url": f"https://github.com/{repo}/{kind}/{number}",
        "repository_url": f"https://api.github.com/repos/{repo}",
        "updated_at": updated,
        "labels": [],
        "body": "본문은 저장하지 않는다",
    }
    if pull:
        data["pull_request"] = {
            "url": f"https://api.github.com/repos/{repo}/pulls/{number}",
            "merged_at": "2026-11-18T00:00:00Z" if merged else None,
        }
    return data


def discussion(number: int, title: str, *, repo: str = "o/r", state: str = "open") -> dict[str, Any]:
    return {
        "number": number,
        "title": title,
        "state": state,
        "html_url": f"https://github.com/{repo}/discussions/{number}",
        "updated_at": "2026-11-19T00:00:00Z",
        "category": {"name": "Q&A"},
    }


@dataclass
class Seen:
    """One request the fake received."""

    path: str
    query: dict[str, str]
    headers: dict[str, str]
    """Lower-cased names."""


@dataclass
class Fault:
    """Answer requests whose path+query contains `match` this way, `times` times."""

    match: str
    status: int | None = None
    """None: only delay, then answer normally."""
    body: bytes = b""
    headers: Mapping[str, str] = field(default_factory=dict)
    delay: float = 0.0
    times: int = 1
    trickle: float = 0.0
    """Seconds between the bytes of the answer (its body, or all of it with `trickle_head`)."""
    trickle_head: bool = False


class FakeGitHub:
    """Programmable fake; `url` is its base (use `url + "/api/v3"` with `prefix` for GHE)."""

    def __init__(self, prefix: str = "") -> None:
        self.prefix = prefix
        self.issues: dict[str, dict[int, dict[str, Any]]] = {}
        self.discussions: dict[str, dict[int, dict[str, Any]]] = {}
        self.gone: set[tuple[str, int]] = set()
        self.page_size = 100
        self.endless = False
        """When set, every list page links a next page (and no last one), forever."""
        self.token: str | None = None
        """When set, any other bearer token gets 401."""
        self.date = EPOCH_DATE
        self.requests: list[Seen] = []
        self.faults: list[Fault] = []
        self._lock = threading.Lock()
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                fake._handle(self)

            def date_time_string(self, timestamp: float | None = None) -> str:
                return fake.date

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self._server.server_address[1]}"
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)

    def start(self) -> FakeGitHub:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._server.shutdown()
        self._server.server_close()

    def add(self, *items: dict[str, Any], repo: str = "o/r") -> None:
        for item in items:
            self.issues.setdefault(repo, {})[item["number"]] = item

    def fail(self, match: str, status: int | None = None, **kwargs: Any) -> None:
        self.faults.append(Fault(match, status, **kwargs))

    def paths(self) -> list[str]:
        return [s.path for s in self.requests]

    # -- serving --

    def _handle(self, h: BaseHTTPRequestHandler) -> None:
        parts = urllib.parse.urlsplit(h.path)
        query = dict(urllib.parse.parse_qsl(parts.query))
        seen = Seen(parts.path, query, {k.lower(): v for k, v in h.headers.items()})
        with self._lock:
            self.requests.append(seen)
            fault = next((f for f in self.faults if f.match in h.path and f.times > 0), None)
            if fault is not None:
                fault.times -= 1
        try:
            if fault is not None:
                time.sleep(fault.delay)
                if fault.trickle:
                    self._trickle(h, fault)
                    return
                if fault.status is not None:
                    self._send(h, fault.status, fault.body, fault.headers)
                    return
            self._route(h, seen)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (timeout tests)

    def _trickle(self, h: BaseHTTPRequestHandler, fault: Fault) -> None:
        """Write the answer a byte at a time, `fault.trickle` seconds apart, until the client hangs up."""
        head = f"HTTP/1.1 {fault.status or 200} OK\r\nContent-Length: {len(fault.body)}\r\n"
        head += "".join(f"{name}: {value}\r\n" for name, value in fault.headers.items()) + "\r\n"
        raw = head.encode() + fault.body
        start = 0 if fault.trickle_head else len(head)
        h.wfile.write(raw[:start])
        for i in range(start, len(raw)):
            h.wfile.write(raw[i : i + 1])
            h.wfile.flush()
            time.sleep(fault.trickle)
        h.close_connection = True

    def _send(
        self,
        h: BaseHTTPRequestHandler,
        status: int,
        body: bytes = b"",
        headers: Mapping[str, str] | None = None,
    ) -> None:
        h.send_response(status)
        for name, value in (headers or {}).items():
            h.send_header(name, value)
        if status != 304:
            h.send_header("Content-Length", str(len(body)))
        h.end_headers()
        if status != 304:
            h.wfile.write(body)

    def _json(self, h: BaseHTTPRequestHandler, seen: Seen, data: Any, **headers: str) -> None:
        body = json.dumps(data, ensure_ascii=False).encode("utf-8")
        etag = 'W/"' + hashlib.sha1(body).hexdigest() + '"'
        if seen.headers.get("if-none-match") == etag:
            self._send(h, 304, headers={"ETag": etag})
            return
        self._send(
            h,
            200,
            body,
            {"Content-Type": "application/json; charset=utf-8", "ETag": etag, **headers},
        )

    def _error(self, h: BaseHTTPRequestHandler, status: int, message: str) -> None:
        self._send(h, status, json.dumps({"message": message}).encode())

    def _route(self, h: BaseHTTPRequestHandler, seen: Seen) -> None:
        if self.token is not None and seen.headers.get("authorization") != f"Bearer {self.token}":
            self._error(h, 401, "Bad credentials")
            return
        path = seen.path
        if self.prefix and path.startswith(self.prefix):
            path = path[len(self.prefix) :]
        m = re.fullmatch(r"/repos/([^/]+/[^/]+)/(issues|discussions)(?:/(\d+))?", path)
        if m is None:
            self._error(h, 404, "Not Found")
            return
        repo, what, number = m[1], m[2], m[3]
        if what == "issues" and number is None:
            self._list(h, seen, repo)
            return
        if number is None:
            self._error(h, 404, "Not Found")
            return
        n = int(number)
        if (repo, n) in self.gone:
            self._error(h, 410, "This issue was deleted")
            return
        store = self.issues if what == "issues" else self.discussions
        item = store.get(repo, {}).get(n)
        if item is None:
            self._error(h, 404, "Not Found")
            return
        self._json(h, seen, item)

    def _list(self, h: BaseHTTPRequestHandler, seen: Seen, repo: str) -> None:
        if repo not in self.issues:
            self._error(h, 404, "Not Found")
            return
        items = sorted(self.issues[repo].values(), key=lambda i: -i["number"])  # newest first
        since = seen.query.get("since")
        if since:
            items = [i for i in items if i["updated_at"] >= since]
        size = min(int(seen.query.get("per_page", "30")), self.page_size)
        page = int(seen.query.get("page", "1"))
        pages = max(1, -(-len(items) // size))
        chunk = items[(page - 1) * size : page * size]
        links = []

        def page_url(p: int) -> str:
            q = dict(seen.query, page=str(p))
            return f"{self.url}{seen.path}?{urllib.parse.urlencode(q)}"

        if self.endless:
            links.append(f'<{page_url(page + 1)}>; rel="next"')
        elif page < pages:
            links.append(f'<{page_url(page + 1)}>; rel="next"')
            links.append(f'<{page_url(pages)}>; rel="last"')
        if page > 1:
            links.append(f'<{page_url(1)}>; rel="first"')
        extra = {"Link": ", ".join(links)} if links else {}
        self._json(h, seen, chunk, **extra)


class Scripted:
    """A transport for `GitHubClient` that answers from a script on a fake clock: no socket, no sleep.

    Each call takes `cost` seconds of `clock`; the last step repeats. Steps that are exceptions
    are raised, as a socket would (`TimeoutError`, `ConnectionResetError`, …).
    """

    def __init__(self, *steps: Answer | BaseException, cost: float = 0.0) -> None:
        self.steps = list(steps)
        self.cost = cost
        self.now = 0.0
        self.calls: list[tuple[str, float]] = []
        """(url, budget) of every call."""

    def clock(self) -> float:
        return self.now

    def __call__(self, url: str, headers: Mapping[str, str], *, read_timeout: float, budget: float) -> Answer:
        self.calls.append((url, budget))
        self.now += self.cost
        step = self.steps.pop(0) if len(self.steps) > 1 else self.steps[0]
        if isinstance(step, BaseException):
            raise step
        return step


def page(items: list[dict[str, Any]], next_url: str | None = None) -> Answer:
    """A 200 list answer, linking `next_url` when given."""
    headers = (("link", f'<{next_url}>; rel="next"'),) if next_url else ()
    return Answer(200, headers, json.dumps(items).encode())
