"""Parse time per MB of hostile entries against a normal one: no input may cost more than its size (#12).

Each hostile entry is just under the 2 MB an entry may have (`workspace.files.MAX_ENTRY_BYTES`):
64 KB lines of `- x` noise with long blank runs, 64 KB lines of every item shape the readers
know, 100,000 headings, deeply nested lists, a long table, many links and many checkboxes.
The normal entry is the reference post (`../shared/reference/day13-reference-post.md`)
repeated to the same size. Each is read by `entries.parse.parse` (everything) and, with
`--check`, also linted as `daylog check` does (`entries.lint.check_entry`, issue references
included). Medians of the time per MB and their ratio to the normal entry's are printed;
the target is at most 3x.

    python benchmarks/hostile.py [--runs 5] [--check] [--only headings,links]
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
REFERENCE = REPO.parent / "shared" / "reference" / "day13-reference-post.md"
SIZE = 2 * 1024 * 1024 - 64 * 1024
"""Bytes of each entry: under the limit, with room for the last line."""
LINE = 64 * 1024
TARGET = 3.0
KNOWN = frozenset({"엠제이", "샐리", "후미", "히스", "제리"})
MKDOCS = """\
site_name: t
plugins:
  - daylog:
      course: c
      start_date: 2021-01-18
      issue_repo: team/peer-session
      required_sections: [peer, tasks, til]
      members: [{id: mj, name: 엠제이}]
"""


def fill(head: str, line: Callable[[int], str]) -> str:
    """`head`, then lines `line(0)`, `line(1)`, … up to `SIZE` bytes of UTF-8."""
    parts, size, i = [head], len(head.encode()), 0
    while True:
        piece = line(i) + "\n"
        size += len(piece.encode())
        if size > SIZE:
            return "".join(parts)
        parts.append(piece)
        i += 1


def normal() -> str:
    post = REFERENCE.read_text(encoding="utf-8")
    return fill("", lambda i: post)


def noise() -> str:
    """64 KB lines of `-`, blanks and `x`: list markers, rules and checkbox-likes that never close."""
    rng = random.Random(12)

    def line(i: int) -> str:
        out, n = ["- "], 2
        while n < LINE:
            piece = rng.choice([" " * rng.randint(1, 4000), "-", "x", "- x", "- [", "-" * rng.randint(3, 80)])
            out.append(piece)
            n += len(piece)
        return "".join(out)[:LINE]

    return fill("", line)


_SHAPES = (
    "## a{}b",
    "> ▪ a{}b",
    "> a{}b",
    "- 추후 보완 필요 - a{}b",
    "- [x] a{}b ✅",
    "- a{}b ✅ x",
    "- [[히스] {}x",
    "- 질문 ](" + "](" * 64 + "{}?",
    "<h2>{}</h2>" + "<" * 1000,
    "# # # # {}x",
    "`" + "a``a```" * 100 + "{}",
)
"""Item shapes whose readers once tried the rest of the line from every blank (`{}`: 64 KB of them)."""


def long_lines() -> str:
    heads = "---\ntitle: x{}y\ntags: [a{}b]\ndate: 2021-02-03{}x\n---\n".format(*[" " * LINE] * 3)
    blanks = " \t" * (LINE // 2)
    sections = ("## 피어세션\n", "## 더 정리할 것\n", "## 과제 진행 상황\n")
    return fill(heads, lambda i: sections[i % 3] + _SHAPES[i % len(_SHAPES)].format(blanks))


def headings() -> str:
    """100,000 headings: follow-up blocks nested three deep, each inside the one before."""
    return fill("", lambda i: "#" * (2 + i % 3) + " follow-up")


def nested() -> str:
    """Lists nested 100 deep (deeper than the readers follow), under an assignment heading."""
    return fill("## 과제 진행 상황\n", lambda i: "  " * (i % 100) + f"- [ ] 과제 {i}")


def table() -> str:
    row = "| {i} | `코드 {i}` | [링크](https://github.com/team/peer-session/issues/{i}) | ✅ | $x_{i}$ |"
    return fill("## TIL\n\n| a | b | c | d | e |\n|---|---|---|---|---|\n", lambda i: row.format(i=i + 1))


def links() -> str:
    """Inline links, autolinks and bare URLs, with a named heading every 20 lines."""

    def line(i: int) -> str:
        text = f"[글 {i}](https://e.com/{i}) <https://a.com/{i}> https://b.com/{i} #{i % 90 + 1}"
        return f"## {'더 정리할 것' if i % 2 else 'TIL'}\n{text}" if i % 20 == 0 else text

    return fill("", line)


def checkboxes() -> str:
    def line(i: int) -> str:
        return f"- [x] 과제 {i} ✅ 2021-02-05" if i % 2 else f"- [ ] 과제 {i}"

    return fill("## 과제 진행 상황\n", line)


def wikilinks() -> str:
    """64 KB lines of wikilinks that never close, nest, or name paths (`[[a [[`, `[[../x]]`, `a[[`)."""
    shapes = ("[[a [[", "[[", "a[[", "[[../x]] ", "[[x]](", "[[ResNet|레즈넷]] ", "[[8강] x](#y) ")
    return fill("", lambda i: (shapes[i % len(shapes)] * (LINE // len(shapes[i % len(shapes)])))[:LINE])


CASES: dict[str, Callable[[], str]] = {
    "normal (reference post)": normal,
    "noise lines": noise,
    "long item lines": long_lines,
    "100k headings": headings,
    "nested lists": nested,
    "long table": table,
    "many links": links,
    "many checkboxes": checkboxes,
    "open wikilinks": wikilinks,
}


Timer = Callable[[str], float]


def timers(check: bool) -> dict[str, Timer]:
    """What is timed: the parse, and with `check` the lint and, on its own, its issue-reference scan."""
    from daylog.entries.lint import Checked, check_entry
    from daylog.entries.parse import parse
    from daylog.issues.refs import find_refs
    from daylog.workspace.settings_reader import parse_settings

    settings = parse_settings(MKDOCS)

    def parse_only(text: str) -> float:
        t0 = time.perf_counter()
        parse(text, known_names=KNOWN)
        return time.perf_counter() - t0

    def parse_and_check(text: str) -> float:
        t0 = time.perf_counter()
        entry = parse(text, known_names=KNOWN)
        check_entry(Checked("logs/mj/2021-02-03.md", "mj", None, entry, text), settings)
        return time.perf_counter() - t0

    def refs(text: str) -> float:  # the issues wing's part of `check`
        t0 = time.perf_counter()
        find_refs(text, issue_repo=settings.issue_repo)
        return time.perf_counter() - t0

    return {"parse": parse_only, "check": parse_and_check, "refs": refs} if check else {"parse": parse_only}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--runs", type=int, default=5)
    ap.add_argument("--check", action="store_true", help="lint each entry too, as `daylog check` does")
    ap.add_argument("--only", default="", help="comma-separated words of the case names to run")
    args = ap.parse_args()
    if not REFERENCE.is_file():
        raise SystemExit(f"the reference post is missing: {REFERENCE}")
    timed = timers(args.check)
    wanted = [w for w in args.only.split(",") if w]
    cases = {n: b for n, b in CASES.items() if n.startswith("normal") or not wanted or any(w in n for w in wanted)}
    per_mb: dict[str, dict[str, float]] = {}
    print(f"median of {args.runs} runs, each entry just under 2 MB; ms per MB and the ratio to the normal entry")
    print(f"{'':24s} {'MB':>5s}  " + "  ".join(f"{what:>15s}" for what in timed))
    for name, build in cases.items():
        text = build()
        mb = len(text.encode()) / 1048576
        per_mb[name] = {what: statistics.median(t(text) for _ in range(args.runs)) / mb for what, t in timed.items()}
        base = per_mb["normal (reference post)"]
        cells = [f"{per_mb[name][w] * 1000:6.0f} {per_mb[name][w] / base[w]:6.2f}x" for w in timed]
        print(f"{name:24s} {mb:5.2f}  " + "  ".join(cells), flush=True)
    base = per_mb["normal (reference post)"]
    worst = {w: max(v[w] for v in per_mb.values()) / base[w] for w in timed}
    print("worst ratio: " + ", ".join(f"{w} {r:.2f}x" for w, r in worst.items()) + f" (target <= {TARGET:g}x)")
    return 0 if all(r <= TARGET for w, r in worst.items() if w != "refs") else 1


if __name__ == "__main__":
    raise SystemExit(main())
