"""Listings against daylog's own start-up: each command warm and cold, as ratios to `daylog --version`.

    python benchmarks/listings.py [--sizes 3000 30000] [--runs 7]

For each size it generates a workspace (six members; thirty at 30,000 entries) with
10,000 commits (benchmarks/.work/, reused when present) and runs, in this one process,
each listing warm (nothing changed since the last run), then each cold (`.daylog/cache/`
deleted first), with `daylog --version` timed alongside both. Medians and ratios to
`daylog --version` are printed. Targets (issue #18): at 3,000 entries warm <= 2x and
cold <= 10x; at 30,000 entries warm <= 5x; and a warm `check` within 3x a warm
`followups --json` (#12).
daylog runs as a user installs it (benchmarks/common.py: a regular install of this checkout).
"""

from __future__ import annotations

import argparse
import shutil
import statistics

from common import ENV, installed_daylog, last_day, timed, workspace

COMMANDS = {
    "followups": ["followups"],
    "followups --json": ["followups", "--json"],
    "tasks --json": ["tasks", "--json"],
    "questions --json": ["questions", "--json"],
    "status": ["status", "--author", "minji"],
    "streak --team": ["streak", "--team"],
    "check": ["check"],
}
TARGETS = {3000: {"warm": 2.0, "cold": 10.0}, 30000: {"warm": 5.0}}


def bench(size: int, runs: int, daylog: str) -> dict[str, float]:
    ws = workspace(size, 10_000)
    cache = ws / ".daylog" / "cache"
    env = {**ENV, "DAYLOG_NOW": last_day(ws), "COLUMNS": "120"}
    cases: dict[str, list[str]] = {"--version": [daylog, "--version"]}
    for name, args in COMMANDS.items():
        cases[f"{name} (warm)"] = [daylog, *args]
    cold = {f"{name} (cold)": [daylog, *args] for name, args in COMMANDS.items()} if size in TARGETS else {}
    samples: dict[str, list[float]] = {name: [] for name in [*cases, *cold]}
    for cmd in cases.values():  # warm the OS page cache and the parse cache
        timed(cmd, ws, env)
    for _ in range(runs):  # warm: nothing changed since the last run of the same view
        for name, cmd in cases.items():
            samples[name].append(timed(cmd, ws, env))
    for _ in range(runs):  # cold: no cache at all, `--version` timed alongside
        samples["--version"].append(timed(cases["--version"], ws, env))
        for name, cmd in cold.items():
            shutil.rmtree(cache, ignore_errors=True)
            samples[name].append(timed(cmd, ws, env))
    base = statistics.median(samples["--version"])
    print(f"\n{size} entries, 10,000 commits (median of {runs}; daylog --version = {base * 1000:.1f} ms)")
    ratios = {}
    for name, values in samples.items():
        med = statistics.median(values)
        ratios[name] = ratio = med / base
        kind = "warm" if name.endswith("(warm)") else "cold" if name.endswith("(cold)") else None
        target = TARGETS.get(size, {}).get(kind or "")
        verdict = "" if target is None else f"  target <= {target:g}x: {'OK' if ratio <= target else 'OVER'}"
        print(f"  {name:26} {med * 1000:8.1f} ms  {ratio:6.2f}x{verdict}")
    check = ratios["check (warm)"] / ratios["followups --json (warm)"]
    print(f"  warm check / warm followups --json: {check:.2f}x  target <= 3x: {'OK' if check <= 3 else 'OVER'}")
    return ratios


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
