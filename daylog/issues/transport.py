"""One HTTP GET for the GitHub client, bounded in time and size, over stdlib urllib.

urllib's `timeout` bounds each socket read, not an answer: a server that sends one byte every
2 s never trips a 10 s read timeout and holds a fetch for as long as it likes. Here every read
of the status line, the headers and the body also ends at the request's deadline, and a body
is read up to `MAX_BODY_BYTES`. `GitHubClient` takes any `Transport`, so tests can answer
from a script on a fake clock instead of sleeping on sockets.
"""

from __future__ import annotations

import http.client
import io
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol

from daylog.errors import DaylogError

if TYPE_CHECKING:
    import ssl

__all__ = ["MAX_BODY_BYTES", "Answer", "Overdue", "Transport", "UrllibTransport"]

MAX_BODY_BYTES = 10 * 1024 * 1024
"""The most daylog reads of one answer (status line, headers and body; a redirect's too): a
page of 100 issues is about 0.5 MB."""


class Answer(NamedTuple):
    """What the server said: status, headers (names lower-cased, in order) and body."""

    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes


class Overdue(Exception):
    """The deadline passed while waiting for the server. Not an OSError: it is never retried."""


class _TooLarge(Exception):
    """More than `MAX_BODY_BYTES` came over one connection."""


class Transport(Protocol):
    """GET `url` with `headers`; each read waits at most `read_timeout`, the whole at most `budget` seconds.

    Answers with any status (redirects followed); raises Overdue when `budget` runs out, OSError
    or `http.client.HTTPException` when the network fails, DaylogError for a body too large.
    """

    def __call__(self, url: str, headers: Mapping[str, str], *, read_timeout: float, budget: float) -> Answer: ...


class UrllibTransport:
    """The real transport: urllib with same-host authorization on redirects and bounded reads."""

    def __init__(self) -> None:
        self._tls: ssl.SSLContext | None = None

    def __call__(self, url: str, headers: Mapping[str, str], *, read_timeout: float, budget: float) -> Answer:
        limits = _Limits(time.monotonic() + budget, read_timeout)
        opener = urllib.request.build_opener(_SameHostAuth(), _HTTPHandler(limits), _HTTPSHandler(limits, self._ssl))
        request = urllib.request.Request(url, headers=dict(headers), method="GET")
        try:
            return _open(opener, request, max(min(read_timeout, budget), 0.001))
        except _TooLarge:
            raise DaylogError(
                f"GitHub's answer from {url} is larger than {MAX_BODY_BYTES // (1024 * 1024)} MB; stopped reading it",
                hint="check api_url in the daylog settings",
            ) from None

    def _ssl(self) -> ssl.SSLContext:
        """The TLS context, made on the first https request (loading the CA store takes a while)."""
        if self._tls is None:
            import ssl

            self._tls = ssl.create_default_context()
        return self._tls


def _open(opener: urllib.request.OpenerDirector, request: urllib.request.Request, timeout: float) -> Answer:
    """The answer to `request`, whatever its status."""
    try:
        with opener.open(request, timeout=timeout) as answer:
            return Answer(answer.status, _headers(answer.headers), answer.read())
    except urllib.error.HTTPError as e:
        try:
            body = e.read() if e.fp is not None else b""
        finally:
            e.close()
        return Answer(e.code, _headers(e.headers), body)


def _headers(message: Any) -> tuple[tuple[str, str], ...]:
    if message is None:
        return ()
    return tuple((str(k).lower(), str(v)) for k, v in message.items())


class _Limits(NamedTuple):
    deadline: float
    """`time.monotonic()` by which the whole request must be done."""
    read_timeout: float
    """The longest one socket read may wait."""


_UNBOUNDED = _Limits(float("inf"), 60.0)
"""Only the signature's default: the handlers always pass their limits."""


class _DeadlineSocket:
    """A connected socket whose every read also stops at the deadline, and at `MAX_BODY_BYTES` in all.

    http.client reads an answer through `makefile("rb")`, and urllib closes the connection's
    socket as soon as the headers are in, so the file keeps the socket open until it is closed,
    as `socket.makefile` does.
    """

    def __init__(self, sock: socket.socket, limits: _Limits) -> None:
        self._sock = sock
        self._limits = limits
        self._files = 0
        self._closed = False
        self._received = 0

    def makefile(self, mode: str = "rb", *args: Any, **kwargs: Any) -> io.BufferedReader:
        if mode != "rb":  # pragma: no cover - http.client only reads, in binary
            raise ValueError(f"a deadline socket only reads bytes, not {mode!r}")
        self._files += 1
        return io.BufferedReader(_DeadlineReader(self))

    def recv_into(self, buffer: Any, nbytes: int = 0) -> int:
        deadline, read_timeout = self._limits
        left = deadline - time.monotonic()
        if left <= 0:
            raise Overdue
        self._sock.settimeout(min(read_timeout, left))
        try:
            got = self._sock.recv_into(buffer, nbytes)
        except TimeoutError:
            if time.monotonic() >= deadline:
                raise Overdue from None
            raise
        self._received += got
        if self._received > MAX_BODY_BYTES:
            raise _TooLarge
        return got

    def close(self) -> None:
        self._closed = True
        if self._files == 0:
            self._sock.close()

    def file_closed(self) -> None:
        self._files -= 1
        if self._closed and self._files == 0:
            self._sock.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._sock, name)  # sendall, settimeout, fileno, …


class _DeadlineReader(io.RawIOBase):
    """The raw stream under `_DeadlineSocket.makefile`."""

    def __init__(self, owner: _DeadlineSocket) -> None:
        super().__init__()
        self._owner = owner

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        return self._owner.recv_into(buffer)

    def close(self) -> None:
        if not self.closed:
            self._owner.file_closed()
        super().close()


class _HTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, /, *, limits: _Limits = _UNBOUNDED, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._limits = limits

    def connect(self) -> None:
        super().connect()
        self.sock = _DeadlineSocket(self.sock, self._limits)


class _HTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, /, *, limits: _Limits = _UNBOUNDED, **kwargs: Any) -> None:
        super().__init__(host, **kwargs)
        self._limits = limits

    def connect(self) -> None:
        super().connect()  # the TLS handshake: its reads are bounded by the read timeout only
        self.sock = _DeadlineSocket(self.sock, self._limits)


class _HTTPHandler(urllib.request.HTTPHandler):
    def __init__(self, limits: _Limits) -> None:
        super().__init__()
        self._limits = limits

    def http_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPConnection, req, limits=self._limits)


class _HTTPSHandler(urllib.request.HTTPSHandler):
    def __init__(self, limits: _Limits, context: Callable[[], ssl.SSLContext]) -> None:
        super().__init__()
        self._limits = limits
        self._tls = context

    def https_open(self, req: urllib.request.Request) -> http.client.HTTPResponse:
        return self.do_open(_HTTPSConnection, req, context=self._tls(), limits=self._limits)


class _SameHostAuth(urllib.request.HTTPRedirectHandler):
    """Follow redirects (a transferred issue answers 301); never carry the token to another host."""

    def redirect_request(
        self,
        req: urllib.request.Request,
        fp: Any,
        code: int,
        msg: str,
        headers: Any,
        newurl: str,
    ) -> urllib.request.Request | None:
        new = super().redirect_request(req, fp, code, msg, headers, newurl)
        if new is not None:
            old_host = urllib.parse.urlsplit(req.full_url).netloc
            if urllib.parse.urlsplit(newurl).netloc != old_host:
                new.remove_header("Authorization")
        return new
