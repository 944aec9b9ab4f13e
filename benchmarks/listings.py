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
    with_cold = "cold" in TARGETS.get(size, {})  # 30,000 cold runs take minutes and have no target
    cold = {f"{name} (cold)": [daylog, *args] for name, args in COMMANDS.items()} if with_cold else {}
    samples: dict[str, list[float]] = {name: [] for name in [*cases, *cold, "--version (cold phase)"]}
    for cmd in cases.values():  # warm the OS page cache and the parse cache
        timed(cmd, ws, env)
    for _ in range(runs):  # warm: nothing changed since the last run of the same view
        for name, cmd in cases.items():
            samples[name].append(timed(cmd, ws, env))
    for _ in range(runs):  # cold: no cache at all, `--version` timed alongside
        samples["--version (cold phase)"].append(timed(cases["--version"], ws, env))
        for name, cmd in cold.items():
            shutil.rmtree(cache, ignore_errors=True)
            samples[name].append(timed(cmd, ws, env))
    # Each phase is divided by the `--version` runs timed among it: a shared machine's load
    # moves between phases, and a ratio is only fair to runs made under the same load.
    base = {"warm": statistics.median(samples["--version"])}
    base["cold"] = statistics.median(samples["--version (cold phase)"] or samples["--version"])
    warm_ms, cold_ms = base["warm"] * 1000, base["cold"] * 1000
    print(f"\n{size} entries, 10,000 commits (median of {runs}; daylog --version = "
          f"{warm_ms:.1f} ms among the warm runs, {cold_ms:.1f} ms among the cold)")  # fmt: skip
    ratios = {}
    for name, values in samples.items():
        med = statistics.median(values) if values else float("nan")
        kind = "cold" if name.endswith(("(cold)", "(cold phase)")) else "warm"
        ratios[name] = ratio = med / base[kind]
        listed = name.endswith(")") and not name.startswith(("check", "--version"))  # #18's six commands
        target = TARGETS.get(size, {}).get(kind) if listed else None
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
