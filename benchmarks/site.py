"""Site build cost: the daylog plugin against a plain mkdocs-material build of the same pages.

    python benchmarks/site.py [--entries 3000] [--small 300] [--runs 1]

In one run: generates the synthetic workspaces (`generate.py`), builds the N-entry one with
the plugin (`mkdocs build`, Korean search extra off, then on), copies the same N Markdown
files into `docs/` of a plain Material project with `navigation.prune` and builds that, and
builds the small workspace with the plugin, and builds `daylog site export` of the N-entry one
with Zensical (the README's zensical.yml) when it is installed. Prints medians and ratios.
Targets (#16): plugin ≤ 1.0× the plain build, ≤ 100 KB of HTML per entry page on average, no
generated page over 300 KB, small → N entries ≤ 12× time; the Zensical build succeeds.
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


ZENSICAL_YML = """\
INHERIT: mkdocs.yml
docs_dir: site-src
site_dir: site-zensical
nav:
  - 홈: index.md
  - 팀원: people/index.md
  - 주차별: weeks/index.md
  - 질문 모음: questions.md
  - Follow-ups: followups.md
  - 과제: tasks.md
  - 이슈: issues.md
  - 개념: concepts/index.md
extra_css: [assets/daylog/daylog.css]
extra_javascript: [assets/daylog/daylog.js, assets/daylog/mathjax.js]
"""


def zensical(ws: Path, env: dict[str, str]) -> tuple[float, float, Path] | None:
    """`daylog site export` then `zensical build` (README's config): (export s, build s, site), or None
    when Zensical is not installed."""
    exe = Path(sys.executable).with_name("zensical")
    if not exe.exists():
        return None
    for name in ("site-src", "site-zensical"):
        shutil.rmtree(ws / name, ignore_errors=True)
    (ws / "zensical.yml").write_text(ZENSICAL_YML, encoding="utf-8")
    full = {**os.environ, "NO_MKDOCS_2_WARNING": "1", **env}
    t0 = time.perf_counter()
    subprocess.run(
        [sys.executable, "-m", "daylog", "-w", str(ws), "site", "export", str(ws / "site-src")], check=True, env=full
    )
    t1 = time.perf_counter()
    subprocess.run([str(exe), "build", "-f", "zensical.yml"], cwd=ws, check=True, env=full, stdout=subprocess.DEVNULL)
    return t1 - t0, time.perf_counter() - t1, ws / "site-zensical"


def largest_page(site: Path) -> tuple[int, str]:
    """The largest generated HTML page (bytes, path)."""
    sizes = [(p.stat().st_size, p.relative_to(site).as_posix()) for p in site.rglob("*.html")]
    return max(sizes)


def entry_html_sizes(site: Path) -> list[int]:
    return [p.stat().st_size for p in site.glob("*/[0-9][0-9][0-9][0-9]-*/index.html")]


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--entries", type=int, default=3000)
    ap.add_argument("--small", type=int, default=300)
    ap.add_argument("--runs", type=int, default=1)
    ap.add_argument("--no-zensical", action="store_true", help="skip the Zensical build of the export")
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
    z = None
    for _ in range(args.runs):
        times["plain"].append(mkdocs(plain, WORK / "site-plain", {}))
        times["plugin"].append(mkdocs(big / "mkdocs.yml", WORK / "site-plugin", off))
        times["plugin+ko"].append(mkdocs(big / "mkdocs.yml", WORK / "site-plugin-ko", now))
        times["small"].append(mkdocs(small / "mkdocs.yml", WORK / "site-small", off))
        z = zensical(big, off) if not args.no_zensical else None
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
    size, where = largest_page(WORK / "site-plugin")
    print(
        f"largest generated page: {size / 1000:.1f} KB ({where}) (target < 300 KB): {'OK' if size < 300e3 else 'OVER'}"
    )
    if z is not None:
        z_size, z_where = largest_page(z[2])
        print(f"{'Zensical: daylog site export':34} {z[0]:9.1f}")
        build = f"{'Zensical: zensical build':34} {z[1]:9.1f} {z[1] / med['plain']:7.2f}x"
        print(f"{build}  (MkDocs with the plugin: {med['plugin']:.1f} s)")
        print(f"Zensical largest page: {z_size / 1000:.1f} KB ({z_where}): {'OK' if z_size < 300e3 else 'OVER'}")
    ratio = med["plugin"] / med["plain"]
    scale = med["plugin"] / med["small"]
    print(f"plugin / plain = {ratio:.2f}x (target <= 1.00x): {'OK' if ratio <= 1.0 else 'OVER'}")
    print(f"average entry page = {avg:.1f} KB (target <= 100 KB): {'OK' if avg <= 100 else 'OVER'}")
    verdict = "OK" if scale <= 12 else "OVER"
    print(f"{args.small} -> {args.entries} entries = {scale:.1f}x time (target <= 12x): {verdict}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
