"""`daylog followups --json` against `grep -rc "더 정리할 것" logs/` on synthetic workspaces.

    python benchmarks/followups.py [--sizes 3000 30000] [--runs 7]

For each size it generates a 6-member workspace (benchmarks/.work/, reused when
present), then runs, alternately in one process: grep, daylog cold (the parse cache
deleted first) and daylog warm (nothing changed since the last run). Medians and
ratios to grep are printed. Targets (issue #3): cold <= 25x grep; warm <= 5x grep
at 3,000 entries and <= 2x grep at 30,000. `python -c "import typer"` is printed
too: the floor under any command that loads Typer (the JSON listings do not, see
daylog/cli/fast.py).

daylog runs as a user installs it: a regular (not editable) install of this checkout
into benchmarks/.work/venv, which borrows the dependencies of the running venv. An
editable install adds an import hook to every start-up that users never pay.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

TARGETS = {"cold": 25.0, "warm": {3000: 5.0, 30000: 2.0}}


# Installed packages run from compiled bytecode; this sandbox sets PYTHONDONTWRITEBYTECODE,
# which would make every run recompile daylog (and not Typer, compiled at install time).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], cwd: Path, before: object = None) -> float:
    if callable(before):
        before()
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - t0


def bench(size: int, runs: int, daylog: str) -> None:
    ws = HERE / ".work" / f"ws{size}"
    if not (ws / "logs").is_dir() or len(list((ws / "logs").rglob("*.md"))) != size:
        print(f"generating {size} entries in {ws} …", flush=True)
        generate(ws, size, 6)
    cache = ws / ".daylog" / "cache"

    def drop_cache() -> None:
        shutil.rmtree(cache, ignore_errors=True)

    grep = ["grep", "-rc", "더 정리할 것", "logs/"]
    cmd = [daylog, "followups", "--json"]
    env_cmd = cmd
    timed(grep, ws)
    timed(env_cmd, ws)  # warm the OS page cache and the parse cache
    typer = [sys.executable, "-c", "import typer"]
    samples: dict[str, list[float]] = {"grep": [], "import typer": [], "cold": [], "warm": []}
    for _ in range(runs):
        samples["grep"].append(timed(grep, ws))
        samples["import typer"].append(timed(typer, ws))
        samples["cold"].append(timed(env_cmd, ws, drop_cache))
        samples["warm"].append(timed(env_cmd, ws))
    base = statistics.median(samples["grep"])
    print(f"\n{size} entries (median of {runs})")
    for name, values in samples.items():
        med = statistics.median(values)
        ratio = med / base
        target = TARGETS["cold"] if name == "cold" else TARGETS["warm"].get(size) if name == "warm" else None
        verdict = "" if target is None else f"  target <= {target:g}x: {'OK' if ratio <= target else 'OVER'}"
        print(f"  {name:12} {med * 1000:8.1f} ms  {ratio:6.2f}x grep{verdict}")


def installed_daylog() -> str:
    """`daylog` from a fresh regular install of this checkout (dependencies borrowed)."""
    venv = HERE / ".work" / "venv"
    python = venv / "bin" / "python"
    if not python.exists():
        subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    site = subprocess.run(
        [str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    ours = subprocess.run(
        [sys.executable, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout.strip()
    Path(site, "_borrowed_dependencies.pth").write_text(ours + "\n", encoding="utf-8")
    print("installing this checkout into benchmarks/.work/venv …", flush=True)
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(python), "install", "--quiet", "--no-deps",
         "--force-reinstall", str(HERE.parent)],
        check=True, env=ENV,
    )  # fmt: skip
    return str(venv / "bin" / "daylog")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[3000])
    ap.add_argument("--runs", type=int, default=7)
    args = ap.parse_args()
    daylog = installed_daylog()
    for size in args.sizes:
        bench(size, args.runs, daylog)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
