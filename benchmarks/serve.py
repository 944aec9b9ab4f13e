"""Live preview: from saving an entry to `daylog site serve` serving the new page, beside a full build.

    python benchmarks/serve.py [--sizes 300 3000] [--edits 7]

For each size, in one run: `mkdocs build` of the workspace (`common.workspace`, Korean search
off) timed once, then `daylog site serve` started on a free port of 127.0.0.1 and, for each
edit, the time from writing an entry (a line appended to it) until the served entry page
contains the new line, polled every 20 ms; every other edit ticks a follow-up's checkbox instead
and waits for the member's page (which lists their open follow-ups) to change. Prints medians.
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
from pathlib import Path

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


def measure(ws: Path, edits: int, env: dict[str, str], name: str = "daylog") -> list[float]:
    port = free_port()
    url = f"http://127.0.0.1:{port}/"
    cmd = server(name, ws, port)
    log = (WORK / f"serve-{ws.name}-{name}.log").open("wb")
    proc = subprocess.Popen(cmd, env=env, stderr=log)
    times = []
    try:
        until(lambda: fetch(url) != b"" or proc.poll() is not None, time.perf_counter() + 900)
        if proc.poll() is not None:
            raise SystemExit(f"daylog site serve stopped: see {log.name}")
        for k, path in zip(range(edits), entries(ws), strict=False):
            member, day = path.parent.name, path.stem
            if k % 2:
                page = f"{url}{member}/"
                before = fetch(page)
                text = FOLLOWUP.sub(r"\1- [x]", path.read_text("utf-8"), count=1)
                t0 = time.perf_counter()
                path.write_text(text, "utf-8")
                t1 = until(lambda page=page, before=before: fetch(page) != before, t0 + 600)
            else:
                marker = f"벤치마크 수정 {k} {time.time_ns()}"
                page = f"{url}{member}/{day}/"
                t0 = time.perf_counter()
                with path.open("a", encoding="utf-8") as f:
                    f.write(f"\n- {marker}\n")
                t1 = until(lambda page=page, marker=marker: marker.encode() in fetch(page), t0 + 600)
            times.append(t1 - t0)
            print(
                f"  edit {k + 1}: {times[-1]:.2f} s ({'checkbox, member page' if k % 2 else 'entry page'})", flush=True
            )
    finally:
        proc.terminate()
        proc.wait(timeout=60)
        log.close()
    return times


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[300, 3000])
    ap.add_argument("--edits", type=int, default=7)
    ap.add_argument(
        "--servers",
        nargs="+",
        default=["daylog"],
        choices=["daylog", "mkdocs", "mkdocs-dirty"],
        help="also time `mkdocs serve` (a full rebuild per save) or `mkdocs serve --dirty`",
    )
    args = ap.parse_args()
    for size in args.sizes:
        source = workspace(size)
        ws = WORK / f"serve-{size}"
        shutil.rmtree(ws, ignore_errors=True)
        shutil.copytree(source, ws)
        (ws / "docs").mkdir(exist_ok=True)  # MkDocs insists on docs_dir
        env = {**ENV, "DAYLOG_NOW": last_day(ws), "DAYLOG_SEARCH_KO": "0", "NO_MKDOCS_2_WARNING": "1"}
        print(f"{size} entries: mkdocs build …", flush=True)
        build = full_build(ws, env)
        print(f"  full build {build:.1f} s", flush=True)
        for name in args.servers:
            print(f"  {name}:", flush=True)
            times = measure(ws, args.edits, env, name)
            target = 1.0 if size <= 300 else 3.0
            print(
                f"{size} entries, {name}: save → served median {statistics.median(times):.2f} s "
                f"(min {min(times):.2f}, max {max(times):.2f}; target ≤ {target:g} s), full build {build:.1f} s",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
