"""`mkdocs build` of the sample workspace plus one hostile 2 MB entry, against a normal one (#12).

The sample workspace (this repository's `mkdocs.yml`, `logs/`, `templates/`, `docs/`,
`concepts/`) is copied to a temporary directory; each case adds one entry,
`logs/minji/2026-11-27.md`, built from `hostile.py`'s CASES (the normal entry is the reference
post repeated to the same size). Each build runs `python -m mkdocs build -q` in a fresh
process with this checkout first on `PYTHONPATH`; with `--export`, `daylog site export` and
a plain Material build of the exported pages are timed as well. Printed: the median seconds,
the seconds beyond the build without the entry, and that extra as a multiple of the normal
entry's extra (the target: a few times at most, and well under 10 s where possible).

    python benchmarks/hostile_site.py [--runs 3] [--only headings,table] [--export]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import hostile

REPO = hostile.REPO
SAMPLE = ("mkdocs.yml", "logs", "templates", "docs", "concepts")
ENTRY = Path("logs/minji/2026-11-27.md")
EXPORT_MKDOCS = "site_name: export\ntheme:\n  name: material\n  language: ko\nplugins:\n  - search\n"


def _env() -> dict[str, str]:
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(REPO), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep))
    env["NO_MKDOCS_2_WARNING"] = "1"
    return env


def _timed(cmd: list[str], cwd: Path) -> float:
    t0 = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, env=_env(), capture_output=True, text=True, check=False)
    took = time.perf_counter() - t0
    if done.returncode != 0:
        raise SystemExit(f"{' '.join(cmd)} failed in {cwd}:\n{done.stderr[-2000:]}")
    return took


def build(ws: Path) -> float:
    return _timed([sys.executable, "-m", "mkdocs", "build", "-q", "-d", str(ws / "site")], ws)


def export_and_build(ws: Path) -> float:
    out = ws / "exported"
    took = _timed([sys.executable, "-m", "daylog", "site", "export", str(out / "docs")], ws)
    (out / "mkdocs.yml").write_text(EXPORT_MKDOCS, encoding="utf-8")
    return took + _timed([sys.executable, "-m", "mkdocs", "build", "-q"], out)


def workspace(root: Path, text: str | None) -> Path:
    ws = Path(tempfile.mkdtemp(dir=root))
    for name in SAMPLE:
        src = REPO / name
        if src.is_dir():
            shutil.copytree(src, ws / name)
        elif src.is_file():
            shutil.copy2(src, ws / name)
    if text is not None:
        (ws / ENTRY).write_text(text, encoding="utf-8")
    return ws


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--only", default="", help="comma-separated words of the case names to run")
    ap.add_argument("--export", action="store_true", help="also time `daylog site export` and its build")
    args = ap.parse_args()
    if not hostile.REFERENCE.is_file():
        raise SystemExit(f"the reference post is missing: {hostile.REFERENCE}")
    wanted = [w for w in args.only.split(",") if w]
    cases: dict[str, str | None] = {"(no extra entry)": None}
    for name, make in hostile.CASES.items():
        if name.startswith("normal") or not wanted or any(w in name for w in wanted):
            cases[name] = make()
    timers = {"mkdocs build": build, **({"export + build": export_and_build} if args.export else {})}
    print(f"median of {args.runs} runs; seconds, seconds beyond the build without the entry, x the normal entry's")
    with tempfile.TemporaryDirectory(prefix="daylog-hostile-site-") as tmp:
        spaces = {name: workspace(Path(tmp), text) for name, text in cases.items()}
        seconds: dict[str, dict[str, float]] = {}
        for name, ws in spaces.items():
            seconds[name] = {what: statistics.median(t(ws) for _ in range(args.runs)) for what, t in timers.items()}
            base, normal = seconds["(no extra entry)"], seconds.get("normal (reference post)")
            cells = []
            for what, s in seconds[name].items():
                extra = s - base[what]
                ratio = "     "
                if normal and name != "(no extra entry)":
                    ratio = f"{extra / (normal[what] - base[what]):5.1f}x"
                cells.append(f"{what} {s:6.1f} s  +{extra:5.1f} s  {ratio}")
            print(f"{name:24s} " + "   ".join(cells), flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
