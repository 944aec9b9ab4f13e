"""`daylog site serve`: the site on a local address, brought up to date page by page on each save.

MkDocs' development server (`mkdocs.livereload.LiveReloadServer`: the file watching, the
browser's live reload, no page served half built) around `daylog.site.live.LiveSite`
instead of MkDocs' full rebuild: saving one entry of 3,000 shows in a second or two rather
than a minute.
"""

from __future__ import annotations

import errno
import logging
import socket
import tempfile
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from daylog.errors import DaylogError

log = logging.getLogger("mkdocs.plugins.daylog.serve")


def listen_problem(host: str, port: int) -> str | None:
    """Why `host:port` cannot be listened on now (the port in use, an unknown address), or None."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((host, port))
        except OSError as exc:
            return "the port is in use" if exc.errno == errno.EADDRINUSE else (exc.strerror or str(exc))
    return None


def _logging() -> None:
    """MkDocs' INFO lines on stderr, as `mkdocs serve` prints them."""
    logger = logging.getLogger("mkdocs")
    if not logger.handlers:
        handler = logging.StreamHandler()
        handler.setFormatter(logging.Formatter("%(levelname)-7s -  %(message)s"))
        logger.addHandler(handler)
    logger.setLevel(logging.INFO)


def _observer() -> Any:
    """The platform's file-change notifications (inotify on Linux) rather than MkDocs' polling
    every half second: a save is seen at once, and 3,000 entries are not stat-ed twice a second."""
    from watchdog.observers import Observer

    return Observer()


def serve(config_file: Path, *, host: str, port: int, site_dir: Path | None) -> None:
    """Build the site once, serve it, and update it on every change until interrupted."""
    from mkdocs.exceptions import MkDocsException
    from mkdocs.livereload import LiveReloadServer

    from daylog.site.live import LiveSite

    if not config_file.is_file():
        raise DaylogError("no mkdocs.yml in the workspace", path=str(config_file))
    root = config_file.resolve().parent
    if site_dir is not None and root.is_relative_to(site_dir.resolve()):
        raise DaylogError("--site-dir is emptied before the build: it must not hold the workspace", path=str(site_dir))
    problem = listen_problem(host, port)
    if problem is not None:
        raise DaylogError(f"cannot listen on {host}:{port}: {problem}", hint="choose another --port or --host")
    _logging()
    with tempfile.TemporaryDirectory(prefix="daylog-site-") as tmp:
        site = LiveSite(config_file, site_dir or Path(tmp))
        try:
            site.full()
        except (MkDocsException, OSError, ValueError, LookupError, TypeError) as exc:  # a theme's, a plugin's
            raise DaylogError(f"the site does not build: {exc}", path=str(config_file)) from None
        assert site.build is not None
        mount = urlsplit(site.build.config.site_url or "/").path

        def rebuild() -> None:
            t0 = time.perf_counter()
            try:
                outcome = site.update()
            except Exception as exc:  # keep serving the last good site; the next change builds it all again
                log.error(f"the site does not build: {exc}")
                return
            log.info(f"{outcome.describe()} in {time.perf_counter() - t0:.2f} s")

        server = LiveReloadServer(builder=rebuild, host=host, port=port, root=str(site.site_dir), mount_path=mount)
        server.observer = _observer()
        for path in site.watched():
            server.watch(str(path))
        try:
            server.serve()  # type: ignore[no-untyped-call]
        except KeyboardInterrupt:
            log.info("Shutting down...")
        except OSError as exc:  # the port taken since the check
            raise DaylogError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
        finally:
            server.shutdown()
            if site.build is not None:
                site.build.config.plugins.on_shutdown()
