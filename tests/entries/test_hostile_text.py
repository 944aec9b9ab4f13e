"""Hostile text (#12): no entry may cost more to read than its size.

Each case is a shape that took the reader before #12 its length squared (or worse): several
seconds at the size used here. Each is timed against a normal entry of the same size, read
in the same test, so a slow machine slows both alike. `benchmarks/hostile.py` has the figures
at the 2 MB an entry may have.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import date

import pytest
from conftest import REPO

from daylog.entries.lint import Checked, check_entry
from daylog.entries.parse import parse
from daylog.workspace.settings_reader import parse_settings

NORMAL = (REPO / "tests" / "fixtures" / "entries" / "reference-shape.md").read_text(encoding="utf-8")
KB64 = 64 * 1024
BLANKS = " " * KB64
SETTINGS = parse_settings(
    "plugins:\n  - daylog:\n      course: c\n      start_date: 2021-01-18\n"
    "      required_sections: [peer, tasks, til]\n      members: [{id: mj, name: 엠제이}]\n"
)


def _many(line: Callable[[int], str], count: int, head: str = "") -> str:
    return head + "".join(line(i) + "\n" for i in range(count))


HOSTILE: dict[str, str] = {
    # `_CHECKLIKE`: `[ \t]+` backed off one blank at a time before `.*` (12.9 s in `check` at 64 KB)
    "checkbox-like line of blanks": "- " + BLANKS + "x",
    "heading with trailing blanks": "## a" + BLANKS + "b",
    "heading of `<`": "# " + "<" * (2 * KB64),
    "html heading of `<`": "<h2>" + "<" * (2 * KB64) + "</h2>",
    "follow-up quote with blanks": "## 더 정리할 것\n> ▪ a" + BLANKS + "b",
    "follow-up note with blanks": "## 더 정리할 것\n> ▪ a\n> b" + BLANKS + "c",
    "placeholder with blanks": "- 추후 보완 필요 - a" + BLANKS + "b",
    "done date after blanks": "## 과제 진행 상황\n- [x] a" + BLANKS + "b ✅",
    "emoji task with blanks": "## 과제 진행 상황\n- a" + BLANKS + "b ✅ c",
    "front matter value with blanks": "---\ntitle: a" + BLANKS + "b\n---\n",
    "front matter list with blanks": "---\ntags: [a" + BLANKS + "b]\n---\n",
    "front matter date with blanks": '---\ndate: "2021-02-03' + BLANKS + 'x"\n---\n',
    "peer heading with blanks": "## 피어세션\n### a" + BLANKS + "b",
    "peer linked name with blanks": "## 피어세션\n- [[히스] " + BLANKS + "x",
    "peer question of link targets": "## 피어세션\n- 왜 " + "](" * (KB64 // 2) + "?",
    "code spans of growing runs": "".join("`" * k + "a" for k in range(1, 1000)),
    # the section pass looked back over every earlier section, links asked every section
    "20k follow-up headings": _many(lambda i: "## 더 정리할 것", 20_000),
    "15k headings with links": _many(lambda i: f"## h{i}\n[x](https://e.com/{i})", 15_000),
    "10k links and bare URLs": _many(lambda i: f"[x](https://e.com/{i}) https://b.com/{i}", 10_000),
    "conflict markers in front matter": _many(lambda i: "<<<<<<< x", 100_000, "---\n") + "---\n",
}


def _normal(size: int) -> str:
    return (NORMAL * (size // len(NORMAL) + 1))[:size]


def _seconds(read: Callable[[str], object], text: str) -> float:
    t0 = time.perf_counter()
    read(text)
    return time.perf_counter() - t0


def _assert_linear(read: Callable[[str], object], text: str) -> None:
    """`text` reads within 20 times a normal entry of its size (the quadratic readers took over 100 times)."""
    baseline = min(_seconds(read, _normal(len(text))) for _ in range(2))
    took = _seconds(read, text)
    assert took < 20 * baseline + 0.5, f"{took:.2f} s, a normal entry of its size {baseline:.3f} s"


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_text_parses_in_linear_time(name: str) -> None:
    """Each shape that once cost its length squared is parsed about as fast as a normal entry of its size."""
    _assert_linear(lambda text: parse(text, known_names=frozenset({"히스"})), HOSTILE[name])


def test_dash_line_in_a_required_section_is_checked_in_linear_time() -> None:
    """`RESIDUE` could split a run of dashes every way: 100 lines of 34 dashes and a letter took 19 s."""
    text = "## TIL\n" + "".join("-" * 34 + "x\n" for _ in range(100))
    _assert_linear(lambda t: check_entry(Checked("a.md", "mj", date(2021, 2, 3), parse(t), t), SETTINGS), text)


def test_hostile_text_is_still_read() -> None:
    """The linear readers read what the old ones read from these shapes."""
    e = parse(HOSTILE["follow-up quote with blanks"])
    assert [f.topic for f in e.followups] == ["a" + BLANKS + "b"]
    e = parse(HOSTILE["done date after blanks"])
    assert [(t.text, t.done) for t in e.tasks] == [("a" + BLANKS + "b ✅", True)]
    assert parse(HOSTILE["front matter list with blanks"]).tags == ("a" + BLANKS + "b",)
    assert parse(HOSTILE["heading with trailing blanks"]).sections[0].title == "a" + BLANKS + "b"
    assert len(parse(HOSTILE["20k follow-up headings"]).sections) == 20_000
    links = parse(HOSTILE["10k links and bare URLs"]).links
    assert len(links) == 20_000 and links[1].url == "https://b.com/0"


def test_many_links_beside_bare_urls_are_checked_in_linear_time() -> None:
    """The glued-URL check asked every link destination about every bare URL: a table of links took 20 s per MB."""
    from daylog.issues.refs import find_refs

    row = "| [링크](https://github.com/team/peer-session/issues/{i}) | https://b.com/{i} |"
    text = "## TIL\n" + _many(lambda i: row.format(i=i + 1), 8_000)
    _assert_linear(lambda t: find_refs(t, issue_repo="team/peer-session"), text)
    assert len(find_refs(text, issue_repo="team/peer-session").refs) == 8_000
