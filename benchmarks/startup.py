"""Start-up cost of the CLI: `daylog --version` against `python -c "import typer"`.

Both are run alternately in this one process, many times; medians and their ratio
are printed. Target: at most 1.3x (daylog adds little to Typer's own import).

    python benchmarks/startup.py [--runs 40]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

# Installed packages run from compiled bytecode; this sandbox sets PYTHONDONTWRITEBYTECODE,
# which would make every run recompile daylog (and not Typer, compiled at install time).
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, env=ENV)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=40)
    args = ap.parse_args()
    py = sys.executable
    daylog = str(Path(py).with_name("daylog"))
    cases = {
        "python -c 'import typer'": [py, "-c", "import typer"],
        "daylog --version": [daylog, "--version"],
        "daylog --help": [daylog, "--help"],
    }
    for cmd in cases.values():  # warm the OS caches
        timed(cmd)
    samples: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(args.runs):
        for name, cmd in cases.items():
            samples[name].append(timed(cmd))
    base = statistics.median(samples["python -c 'import typer'"])
    print(f"{'command':28} {'median ms':>10} {'ratio':>7}")
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"{name:28} {med * 1000:10.1f} {med / base:7.2f}x")
    ratio = statistics.median(samples["daylog --version"]) / base
    print(f"daylog --version / import typer = {ratio:.2f}x (target <= 1.30x): {'OK' if ratio <= 1.3 else 'OVER'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
