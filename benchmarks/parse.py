"""Cold parse cost: `entries.parse.parse` over every entry of a workspace, against a baseline revision.

The baseline is the parser as committed at REV (`daylog/entries/parse.py` with the model, section
and Markdown helpers it imports, or `daylog/entry.py` before the wings; default: where this branch
left main, `git merge-base HEAD main`), loaded from git into this same process, so both run
alternately on the same machine load. Medians and the ratio are printed; the parser is on the
path of every listing, so the target is at most 1.10x.

    python benchmarks/generate.py /tmp/b3k --entries 3000
    python benchmarks/parse.py /tmp/b3k [--rev REV] [--runs 7] [--parts followups]

`--parts` times what a listing asks for (`followups` is the cold `daylog followups` path);
by default the whole entry is read.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import time
import types
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


HELPERS = ("model", "sections", "markdown")
"""Modules of `daylog/entries/` the baseline parser imports: taken from REV too, so that a change to
them counts (and the current checkout's copies are left as they are)."""


def git_show(rev: str, path: str) -> str | None:
    shown = subprocess.run(["git", "show", f"{rev}:{path}"], cwd=REPO, capture_output=True, text=True, check=False)
    return shown.stdout if shown.returncode == 0 else None


def load_module(name: str, source: str, origin: str) -> types.ModuleType:
    module = types.ModuleType(name)
    sys.modules[name] = module  # dataclasses look their module up
    exec(compile(source, origin, "exec"), module.__dict__)
    return module


def baseline_parse(rev: str) -> Callable[..., Any]:
    for path in ("daylog/entries/parse.py", "daylog/entry.py"):
        source = git_show(rev, path)
        if source is not None:
            break
    else:
        raise SystemExit(f"no parser at {rev}")
    import daylog.entries.parse  # noqa: F401  (the current modules, put back below)

    current = {name: sys.modules[f"daylog.entries.{name}"] for name in HELPERS}
    try:
        for name in HELPERS if path == "daylog/entries/parse.py" else ():
            helper = git_show(rev, f"daylog/entries/{name}.py")
            if helper is not None:  # the baseline's `from daylog.entries.<name> import …` binds these
                load_module(f"daylog.entries.{name}", helper, f"{rev}:daylog/entries/{name}.py")
        module = load_module("daylog._entry_baseline", source, f"{rev}:{path}")
    finally:
        sys.modules.update({f"daylog.entries.{name}": m for name, m in current.items()})
    parse: Callable[..., Any] = module.parse
    return parse


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("workspace", type=Path)
    ap.add_argument("--rev", default=None, help="baseline revision (default: merge-base of HEAD and main)")
    ap.add_argument("--runs", type=int, default=7)
    ap.add_argument("--parts", default=None, help="comma-separated parts to read (default: all)")
    args = ap.parse_args()
    from daylog.entries.parse import ALL_PARTS, parse

    texts = [p.read_text(encoding="utf-8") for p in sorted((args.workspace / "logs").glob("*/*.md"))]
    known = frozenset({"민지", "서현", "지우", "하윤", "도겸", "예린", "minji", "seohyun"})
    if args.rev is None:
        args.rev = subprocess.run(
            ["git", "merge-base", "HEAD", "main"], cwd=REPO, check=True, capture_output=True, text=True
        ).stdout.strip()[:10]
    old = baseline_parse(args.rev)
    parts = frozenset(args.parts.split(",")) if args.parts else ALL_PARTS
    times: dict[str, list[float]] = {"baseline": [], "current": []}
    chunks = [texts[i : i + 50] for i in range(0, len(texts), 50)]
    for run in range(args.runs):
        total = {"baseline": 0.0, "current": 0.0}
        pair = [("baseline", old), ("current", parse)]
        for k, chunk in enumerate(chunks):  # alternate in small chunks: load changes hit both alike
            for name, fn in pair if (k + run) % 2 else pair[::-1]:
                t0 = time.perf_counter()
                for text in chunk:
                    fn(text, known_names=known, parts=parts)
                total[name] += time.perf_counter() - t0
        for name, value in total.items():
            times[name].append(value)
    base, cur = statistics.median(times["baseline"]), statistics.median(times["current"])
    print(f"{len(texts)} entries, parts {','.join(sorted(parts))}, {args.runs} runs each, alternating in chunks of 50")
    print(f"baseline ({args.rev}): median {base * 1000:.0f} ms")
    print(f"current:            median {cur * 1000:.0f} ms")
    print(f"ratio current/baseline: {cur / base:.2f}x (target <= 1.10x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
