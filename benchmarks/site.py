"""Site build cost: the daylog plugin against a plain mkdocs-material build of the same pages.

    python benchmarks/site.py [--entries 3000] [--small 300] [--runs 1]

In one run: generates the synthetic workspaces (`generate.py`), builds the N-entry one with
the plugin (`mkdocs build`, Korean search extra off, then on), copies the same N Markdown
files into `docs/` of a plain Material project with `navigation.prune` and builds that, and
builds the small workspace with the plugin. Prints medians and ratios. Targets: plugin ≤ 1.3×
the plain build, ≤ 100 KB of HTML per entry page on average, small → N entries ≤ 12× time.
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
WORK = HERE / ".work"
sys.path.insert(0, str(HERE))

from generate import generate  # noqa: E402

PLAIN_YML = """\
site_name: 벤치마크 팀 (plain)
theme:
  name: material
  language: ko
  features:
    - navigation.prune
plugins:
  - search
markdown_extensions:
  - toc:
      permalink: true
  - pymdownx.tasklist:
      custom_checkbox: true
  - pymdownx.arithmatex:
      generic: true
"""


def mkdocs(config: Path, site: Path, env: dict[str, str]) -> float:
    exe = Path(sys.executable).with_name("mkdocs")
    t0 = time.perf_counter()
    subprocess.run(
        [str(exe), "build", "--quiet", "-f", str(config), "-d", str(site)],
        check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", **env},
    )
    return time.perf_counter() - t0


def plain_project(ws: Path, out: Path) -> Path:
    """The workspace's entries as ordinary pages of a plain Material site."""
    if out.exists():
        shutil.rmtree(out)
    docs = out / "docs"
    for src in sorted((ws / "logs").glob("*/*.md")):
        target = docs / src.parent.name / src.name
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(src, target)
    (docs / "index.md").write_text("# 벤치마크 팀\n", encoding="utf-8")
    (out / "mkdocs.yml").write_text(PLAIN_YML, encoding="utf-8")
    return out / "mkdocs.yml"


def entry_html_sizes(site: Path) -> list[int]:
    return [p.stat().st_size for p in site.glob("*/[0-9][0-9][0-9][0-9]-*/index.html")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=3000)
    ap.add_argument("--small", type=int, default=300)
    ap.add_argument("--runs", type=int, default=1)
    args = ap.parse_args()
    WORK.mkdir(exist_ok=True)
    big = generate(WORK / f"ws{args.entries}", args.entries)
    small = generate(WORK / f"ws{args.small}", args.small)
    (big / "docs").mkdir(exist_ok=True)
    (small / "docs").mkdir(exist_ok=True)
    plain = plain_project(big, WORK / f"plain{args.entries}")
    now = {"DAYLOG_NOW": "2026-11-20T22:00:00+09:00"}
    off = {**now, "DAYLOG_SEARCH_KO": "0"}
    times: dict[str, list[float]] = {"plain": [], "plugin": [], "plugin+ko": [], "small": []}
    for _ in range(args.runs):
        times["plain"].append(mkdocs(plain, WORK / "site-plain", {}))
        times["plugin"].append(mkdocs(big / "mkdocs.yml", WORK / "site-plugin", off))
        times["plugin+ko"].append(mkdocs(big / "mkdocs.yml", WORK / "site-plugin-ko", now))
        times["small"].append(mkdocs(small / "mkdocs.yml", WORK / "site-small", off))
    med = {k: statistics.median(v) for k, v in times.items()}
    sizes = entry_html_sizes(WORK / "site-plugin")
    plain_sizes = entry_html_sizes(WORK / "site-plain")
    pages = len(list((WORK / "site-plugin").rglob("index.html")))
    print(f"entries: {args.entries} (plugin site: {pages} pages), small: {args.small}; runs: {args.runs}")
    print(f"{'build':34} {'median s':>9} {'ratio':>7}")
    print(f"{'plain Material, navigation.prune':34} {med['plain']:9.1f} {1:7.2f}x")
    print(f"{'daylog plugin':34} {med['plugin']:9.1f} {med['plugin'] / med['plain']:7.2f}x")
    print(f"{'daylog plugin + Korean search':34} {med['plugin+ko']:9.1f} {med['plugin+ko'] / med['plain']:7.2f}x")
    print(f"{f'daylog plugin, {args.small} entries':34} {med['small']:9.1f}")
    avg = sum(sizes) / len(sizes) / 1000
    plain_avg = sum(plain_sizes) / len(plain_sizes) / 1000
    print(f"entry page HTML: {avg:.1f} KB on average over {len(sizes)} pages (plain build: {plain_avg:.1f} KB)")
    ratio = med["plugin"] / med["plain"]
    scale = med["plugin"] / med["small"]
    print(f"plugin / plain = {ratio:.2f}x (target <= 1.30x): {'OK' if ratio <= 1.3 else 'OVER'}")
    print(f"average entry page = {avg:.1f} KB (target <= 100 KB): {'OK' if avg <= 100 else 'OVER'}")
    verdict = "OK" if scale <= 12 else "OVER"
    print(f"{args.small} -> {args.entries} entries = {scale:.1f}x time (target <= 12x): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
