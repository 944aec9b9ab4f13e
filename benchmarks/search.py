"""`daylog search` against grep: warm searches as ratios to `grep -rl WORD logs/`, and the cold index build.

    python benchmarks/search.py [--size 3000] [--runs 9] [--builds 3]

Generates (or reuses) the workspace of that size (six members; thirty at 30,000) under benchmarks/.work/, then in
this one process times, alternating, `daylog search WORD --json` on a warm index (nothing
changed since the last run) and `grep -rl WORD logs/` for each word, plus `daylog --version`
for scale; then the cold build: `daylog search WORD --json` with `.daylog/cache/search.sqlite`
deleted first. Medians are printed. Targets (issue #14): warm <= 5x grep and build <= 10 s at
3,000 entries; warm <= 2x grep at 30,000 (`--size 30000 --builds 1`: a cold build there takes a minute).
daylog runs as a user installs it (benchmarks/common.py: a regular install).
"""

from __future__ import annotations

import argparse
import statistics

from common import ENV, installed_daylog, last_day, timed, workspace

WORDS = {
    "하강법": "inside 경사하강법 in about 90% of the entries (thousands of lines to rank)",
    "양자역학": "in no entry (the floor: start-up, stat of every file, one lookup)",
}
WARM_TARGET = 5.0
WARM_TARGET_30K = 2.0
BUILD_TARGET = 10.0


def bench(size: int, runs: int, builds: int, daylog: str) -> None:
    ws = workspace(size)
    db = ws / ".daylog" / "cache" / "search.sqlite"
    env = {**ENV, "DAYLOG_NOW": last_day(ws)}
    word = next(iter(WORDS))
    build = []
    for _ in range(builds):
        db.unlink(missing_ok=True)
        build.append(timed([daylog, "search", word, "--json"], ws, env))
    cases: dict[str, list[str] | str] = {"daylog --version": [daylog, "--version"]}
    for w in WORDS:
        cases[f"grep -rl {w}"] = f"grep -rl {w} logs/ || true"  # grep exits 1 when nothing matches
        cases[f"search {w} --json"] = [daylog, "search", w, "--json"]
    for cmd in cases.values():  # warm the page cache and bring the index up to date
        timed(cmd, ws, env)
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):
        for name, cmd in cases.items():
            samples[name].append(timed(cmd, ws, env))
    med = {name: statistics.median(v) for name, v in samples.items()}
    target = WARM_TARGET_30K if size >= 30000 else WARM_TARGET
    print(f"\n{size} entries (median of {runs}); index {db.stat().st_size / 1048576:.1f} MB")
    cold = statistics.median(build)
    verdict = "OK" if cold <= BUILD_TARGET else "OVER"
    if size > 3000:
        verdict = f"(the target is for 3,000 entries: {verdict})"
    print(f"  cold build (search {word} --json, no index): {cold:.2f} s  target <= {BUILD_TARGET:g} s: {verdict}")
    print(f"  daylog --version                {med['daylog --version'] * 1000:8.1f} ms")
    for w, why in WORDS.items():
        grep, search = med[f"grep -rl {w}"], med[f"search {w} --json"]
        ratio = search / grep
        verdict = "OK" if ratio <= target else "OVER"
        print(f"  {w}: {why}")
        print(f"    grep -rl {w} logs/          {grep * 1000:8.1f} ms")
        scale = search / med["daylog --version"]
        print(f"    daylog search {w} --json    {search * 1000:8.1f} ms  {ratio:5.2f}x grep  ", end="")
        print(f"target <= {target:g}x: {verdict}  ({scale:.2f}x --version)")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--size", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=9)
    ap.add_argument("--builds", type=int, default=3)
    args = ap.parse_args()
    bench(args.size, args.runs, args.builds, installed_daylog())
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
