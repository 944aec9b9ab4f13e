"""Streaks on a big workspace: `daylog streak --team --json` against `git log` itself.

Generates (once, under benchmarks/.work/) the synthetic 3,000-entry workspace with a
10,000-commit history, then times, alternately in this one run:

- the baseline `git log --format=%aI | wc -l` on the same repository;
- `daylog streak --team --json` (entries and commits, warm parse cache);
- `daylog status --author minji --json`.

Prints medians and ratios to the baseline. Targets: streak within 3x of the git log,
status well under a second.

    python benchmarks/streak.py [--runs 15] [--entries 3000] [--commits 10000]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402


def timed(cmd: list[str] | str, cwd: Path, env: dict[str, str]) -> float:
    t0 = time.perf_counter()
    subprocess.run(cmd, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, shell=isinstance(cmd, str))
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=15)
    ap.add_argument("--entries", type=int, default=3000)
    ap.add_argument("--commits", type=int, default=10000)
    args = ap.parse_args()
    ws = HERE / ".work" / f"streak-{args.entries}-{args.commits}"
    if not (ws / ".git").exists():
        print(f"generating {ws} ...", flush=True)
        generate(ws, args.entries, commits=args.commits)
    daylog = str(Path(sys.executable).with_name("daylog"))
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)  # an installed daylog has its .pyc files; so should the runs
    env["DAYLOG_NOW"] = "2022-02-14T22:00:00+09:00"  # the synthetic history's last day
    env.pop("NO_COLOR", None)
    cases: dict[str, list[str] | str] = {
        "git log --format=%aI | wc -l": "git log --format=%aI | wc -l",
        "daylog streak --team --json": [daylog, "streak", "--team", "--json"],
        "daylog status --json": [daylog, "status", "--author", "minji", "--json"],
    }
    for cmd in cases.values():  # warm the OS caches, the .pyc files and the parse cache
        timed(cmd, ws, env)
        timed(cmd, ws, env)
    samples: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(args.runs):
        for name, cmd in cases.items():
            samples[name].append(timed(cmd, ws, env))
    base = statistics.median(samples["git log --format=%aI | wc -l"])
    print(f"{args.entries} entries, {args.commits} commits, {args.runs} runs each, warm cache")
    print(f"{'command':32} {'median ms':>10} {'ratio':>7}")
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"{name:32} {med * 1000:10.1f} {med / base:7.2f}x")
    ratio = statistics.median(samples["daylog streak --team --json"]) / base
    status = statistics.median(samples["daylog status --json"])
    print(f"streak / git log = {ratio:.2f}x (target <= 3x): {'OK' if ratio <= 3 else 'OVER'}")
    print(f"status = {status * 1000:.0f} ms (target well under 1 s): {'OK' if status < 0.5 else 'SLOW'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
