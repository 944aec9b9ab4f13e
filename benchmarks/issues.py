"""Listing linked issues on a big workspace: `daylog issues --json` against `daylog followups --json`.

Both read every entry through the parse cache, so warm runs should cost about the same; the
cold run (no `.daylog/cache/`) shows what scanning the raw text for references adds. Runs are
alternated in this one process; medians and ratios to the warm followups baseline are printed.

    python benchmarks/issues.py [--entries 3000] [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from generate import generate

WORK = Path(__file__).resolve().parent / ".work"


def timed(cmd: list[str], before: object = None) -> float:
    if callable(before):
        before()
    t0 = time.perf_counter()
    subprocess.run(cmd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - t0


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=3000)
    ap.add_argument("--runs", type=int, default=15)
    args = ap.parse_args()
    ws = WORK / f"issues-{args.entries}"
    if not ws.exists():
        generate(ws, args.entries)
    daylog = str(Path(sys.executable).with_name("daylog"))
    env_now = "2030-01-01T12:00:00+09:00"
    base = [daylog, "-w", str(ws)]

    def drop_issue_rows() -> None:
        (ws / ".daylog" / "cache" / "issue-refs.marshal").unlink(missing_ok=True)

    cases = {
        "followups --json (warm)": ([*base, "followups", "--json"], None),
        "issues --json (warm)": ([*base, "issues", "--json"], None),
        "issues (table, warm)": ([*base, "issues"], None),
        "issues --json (cold)": ([*base, "issues", "--json"], drop_issue_rows),
    }
    os.environ["DAYLOG_NOW"] = env_now  # inherited by the runs: the same "today" each time
    for cmd, _ in cases.values():  # fill the caches, warm the OS
        timed(cmd)
    samples: dict[str, list[float]] = {k: [] for k in cases}
    for _ in range(args.runs):
        for name, (cmd, before) in cases.items():
            samples[name].append(timed(cmd, before))
    refs = subprocess.run([*base, "issues", "--json"], check=True, capture_output=True, text=True).stdout
    print(f"{args.entries} entries, {len(json.loads(refs))} issues referenced")
    baseline = statistics.median(samples["followups --json (warm)"])
    print(f"{'command':28} {'median ms':>10} {'ratio':>7}")
    for name, values in samples.items():
        med = statistics.median(values)
        print(f"{name:28} {med * 1000:10.1f} {med / baseline:7.2f}x")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
