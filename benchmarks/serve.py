"""Live preview: from saving an entry to `daylog site serve` serving the new page, beside a full build.

    python benchmarks/serve.py [--sizes 300 3000] [--edits 12]

For each size, in one run: `mkdocs build` of the workspace (`common.workspace`, Korean search
off unless `--ko`) timed once, then `daylog site serve` started on a free port of 127.0.0.1 and, for each
edit, the time from writing an entry (a line appended to it) until the served entry page
shows the change, polled every 20 ms. The edits take turns (`KINDS`): a line appended, a
follow-up ticked, an entry added, an entry deleted. Prints medians, overall and by kind.
Targets (#17): ≤ 1 s at 300 entries, ≤ 3 s at 3,000.
"""

from __future__ import annotations

import argparse
import re
import shutil
import socket
import statistics
import subprocess
import sys
import time
import urllib.error
import urllib.request
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from common import ENV, WORK, last_day, workspace

LIVERELOAD = re.compile(rb"<script>[^<]*livereload[^<]*</script>(?=</body>)")
"""The server's live-reload script: it differs on every request."""


def fetch(url: str) -> bytes:
    try:
        with urllib.request.urlopen(url, timeout=120) as r:
            return LIVERELOAD.sub(b"", r.read())
    except (urllib.error.URLError, OSError):
        return b""


def until(check: object, deadline: float) -> float:
    """Poll `check()` every 20 ms; the moment it first held."""
    while not check():  # type: ignore[operator]
        if time.perf_counter() > deadline:
            raise SystemExit("timed out waiting for the served page")
        time.sleep(0.02)
    return time.perf_counter()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def full_build(ws: Path, env: dict[str, str]) -> float:
    exe = Path(sys.executable).with_name("mkdocs")
    t0 = time.perf_counter()
    subprocess.run([str(exe), "build", "-q", "-f", str(ws / "mkdocs.yml"), "-d", str(ws / "site")], check=True, env=env)
    return time.perf_counter() - t0


FOLLOWUP = re.compile(r"^(### 더 정리할 것\n(?:(?!#).*\n)*?)- \[ \]", re.M)
"""The first open follow-up of an entry (an open item under its follow-up heading)."""


def entries(ws: Path) -> list[Path]:
    """The newest entries that have an open follow-up."""
    out = [p for p in sorted((ws / "logs").rglob("*.md"), reverse=True) if FOLLOWUP.search(p.read_text("utf-8"))]
    return out[:40]


def server(name: str, ws: Path, port: int) -> list[str]:
    """The command line of `daylog site serve`, `mkdocs serve` or `mkdocs serve --dirty`."""
    if name == "daylog":
        return [sys.executable, "-m", "daylog", "-w", str(ws), "site", "serve", "--port", str(port)]
    mkdocs = [str(Path(sys.executable).with_name("mkdocs")), "serve", "-f", str(ws / "mkdocs.yml")]
    return [*mkdocs, "-a", f"127.0.0.1:{port}", *(["--dirty"] if name == "mkdocs-dirty" else [])]


KINDS = ("line", "tick", "add", "delete")
"""What each edit does, in turn: a line appended to an entry (its page polled until it shows
the line), a follow-up's checkbox ticked (the member's page polled until it changes), an entry
added the day after the workspace's last one (polled until it is served) and one entry from the
middle of the member's history deleted (polled until it is gone)."""


def new_day(folder: Path, last: str) -> str:
    """A day with no entry in `folder` after the workspace's `last` one, in its week while one is
    left (a new week changes the navigation of every page: a full build, once a week)."""
    d = date.fromisoformat(last)
    while (folder / f"{d.isoformat()}.md").exists():
        d += timedelta(days=1)
    return d.isoformat()


def change(kind: str, k: int, path: Path, url: str, last: str) -> tuple[Any, str]:
    """Make change `kind` with entry `path`; returns the check that it is served, and what was polled."""
    member, day = path.parent.name, path.stem
    if kind == "tick":
        page = f"{url}{member}/"
        before = fetch(page)
        path.write_text(FOLLOWUP.sub(r"\1- [x]", path.read_text("utf-8"), count=1), "utf-8")
        return (lambda: fetch(page) != before), "member page"
    if kind == "add":
        new = path.with_name(f"{new_day(path.parent, last)}.md")
        marker = f"벤치마크 새 기록 {k} {time.time_ns()}"
        new.write_text(path.read_text("utf-8").replace(day, new.stem) + f"\n- {marker}\n", "utf-8")
        page = f"{url}{member}/{new.stem}/"
        return (lambda: marker.encode() in fetch(page)), "added entry's page"
    if kind == "delete":
        victims = sorted(path.parent.glob("*.md"))
        victim = victims[len(victims) // 2 - k]
        page = f"{url}{member}/{victim.stem}/"
        victim.unlink()
        return (lambda: fetch(page) == b""), "deleted entry's page gone"
    marker = f"벤치마크 수정 {k} {time.time_ns()}"
    page = f"{url}{member}/{day}/"
    with path.open("a", encoding="utf-8") as f:
        f.write(f"\n- {marker}\n")
    return (lambda: marker.encode() in fetch(page)), "entry page"


def measure(ws: Path, edits: int, env: dict[str, str], name: str = "daylog") -> dict[str, list[float]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    cmd = server(name, ws, port)
    log = (WORK / f"serve-{ws.name}-{name}.log").open("wb")
    proc = subprocess.Popen(cmd, env=env, stderr=log)
    times: dict[str, list[float]] = {kind: [] for kind in KINDS}
    try:
        until(lambda: fetch(url) != b"" or proc.poll() is not None, time.perf_counter() + 900)
        if proc.poll() is not None:
            raise SystemExit(f"daylog site serve stopped: see {log.name}")
        for k, path in zip(range(edits), entries(ws), strict=False):
            kind = KINDS[k % len(KINDS)]
            t0 = time.perf_counter()
            served, what = change(kind, k, path, url, last_day(ws)[:10])
            t1 = until(served, t0 + 600)
            times[kind].append(t1 - t0)
            print(f"  edit {k + 1}: {t1 - t0:.2f} s ({kind}: {what})", flush=True)
            time.sleep(0.5)  # let the server settle before the next save
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    ap.add_argument("--edits", type=int, default=12)
    ap.add_argument(
        "--servers",
        nargs="+",
        default=["daylog"],
        choices=["daylog", "mkdocs", "mkdocs-dirty"],
        help="also time `mkdocs serve` (a full rebuild per save) or `mkdocs serve --dirty`",
    )
    ap.add_argument("--ko", action="store_true", help="with daylog[ko]'s Korean search index on (off by default)")
    args = ap.parse_args()
    for size in args.sizes:
        source = workspace(size)
        ws = WORK / f"serve-{size}"
        shutil.rmtree(ws, ignore_errors=True)
        shutil.copytree(source, ws)
        (ws / "docs").mkdir(exist_ok=True)  # MkDocs insists on docs_dir
        ko = "1" if args.ko else "0"
        env = {**ENV, "DAYLOG_NOW": last_day(ws), "DAYLOG_SEARCH_KO": ko, "NO_MKDOCS_2_WARNING": "1"}
        print(f"{size} entries: mkdocs build …", flush=True)
        build = full_build(ws, env)
        print(f"  full build {build:.1f} s", flush=True)
        for name in args.servers:
            print(f"  {name}:", flush=True)
            times = measure(ws, args.edits, env, name)
            target = 1.0 if size <= 300 else 3.0
            every = [t for ts in times.values() for t in ts]
            kinds = ", ".join(f"{kind} {statistics.median(ts):.2f}" for kind, ts in times.items() if ts)
            print(
                f"{size} entries, {name}: save → served median {statistics.median(every):.2f} s "
                f"(max {max(every):.2f}; by change: {kinds}; target ≤ {target:g} s), full build {build:.1f} s",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
