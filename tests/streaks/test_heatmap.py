"""The grass: grid layout, SVG structure and accessibility, terminal text, golden files.

Golden files live in tests/golden/heatmap/; rewrite them after an intended change with
`DAYLOG_UPDATE_GOLDEN=1 python -m pytest tests/streaks/test_heatmap.py` and review the diff.
"""

from __future__ import annotations

import os
import re
import xml.etree.ElementTree as ET
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path

import pytest

from daylog.streaks.heatmap import GLYPHS, PALETTES, Grid, MonthLabel, Scheme, grid, level_range, svg, text
from daylog.streaks.rules import level

GOLDEN = Path(__file__).parent.parent / "golden" / "heatmap"
SVG_NS = "{http://www.w3.org/2000/svg}"
ANSI = re.compile(r"\x1b\[[0-9;]*m")


def sample_days() -> dict[date, int]:
    """A year and a bit of made-up but fixed activity: quieter weekends, one busy 수능 day."""
    days: dict[date, int] = {}
    x = 20261102
    d = date(2025, 11, 1)
    while d <= date(2027, 1, 31):  # runs past the window on both sides on purpose
        x = (x * 1103515245 + 12345) % 2**31
        days[d] = (x >> 16) % 9 - 3 - (2 if d.weekday() >= 5 else 0)
        d += timedelta(days=1)
    days[date(2026, 11, 19)] = 8
    return days


YEAR = grid(sample_days(), date(2026, 12, 18))
NARROW = grid(sample_days(), date(2026, 11, 25), weeks=4)


def check_golden(name: str, actual: str) -> None:
    """Compare with tests/golden/heatmap/<name>, or rewrite it when DAYLOG_UPDATE_GOLDEN=1."""
    path = GOLDEN / name
    if os.environ.get("DAYLOG_UPDATE_GOLDEN") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(actual, encoding="utf-8", newline="\n")
        return
    assert path.exists(), f"{path} is missing: run with DAYLOG_UPDATE_GOLDEN=1"
    assert actual == path.read_bytes().decode("utf-8")


@pytest.mark.parametrize(
    ("name", "render"),
    [
        ("year.svg", lambda: svg(YEAR, title="민지의 잔디 & <1일 1커밋>")),
        ("year.txt", lambda: text(YEAR, color=False)),
        ("year-dark.ansi", lambda: text(YEAR, color=True)),
        ("narrow.svg", lambda: svg(NARROW, title="5조 잔디", ident="team-grass")),
        ("narrow.txt", lambda: text(NARROW, color=False)),
        ("narrow-light.ansi", lambda: text(NARROW, color=True, scheme=Scheme.LIGHT)),
    ],
)
def test_golden(name: str, render: Callable[[], str]) -> None:
    """SVG and both text modes render byte-for-byte as the reviewed golden files."""
    first = render()
    assert first == render(), "rendering must be deterministic"
    check_golden(name, first)


@pytest.mark.parametrize("end_day", range(13, 20), ids=lambda d: f"11월 {d}일")
def test_grid_shape(end_day: int) -> None:
    """Columns are Sunday-first weeks; the last column holds `end`; later days are absent."""
    end = date(2026, 12, end_day)
    g = grid({}, end, weeks=5)
    assert g.start.isoweekday() == 7 and g.end == end
    assert g.weeks == 5 and all(len(column) == 7 for column in g.columns)
    last = g.columns[-1]
    row = end.isoweekday() % 7
    cell = last[row]
    assert cell is not None and cell.date == end
    assert all(c is None for c in last[row + 1 :])
    assert [c.date for c in g.cells()] == [g.start + timedelta(days=i) for i in range((end - g.start).days + 1)]


def test_grid_counts_and_levels() -> None:
    """Levels are relative to the window's busiest day; outside days and negatives don't count."""
    days = {
        date(2026, 11, 1): 100,  # before the window
        date(2026, 11, 9): 2,
        date(2026, 11, 10): 4,
        date(2026, 11, 11): -3,
        date(2026, 11, 20): 100,  # after `end`
    }
    g = grid(days, date(2026, 11, 14), weeks=1)
    by_date = {c.date: c for c in g.cells()}
    assert (g.max_count, g.total, g.active_days) == (4, 6, 2)
    assert (by_date[date(2026, 11, 9)].level, by_date[date(2026, 11, 10)].level) == (2, 4)
    assert by_date[date(2026, 11, 11)].count == 0


def test_empty_grid() -> None:
    """No activity gives an all-level-0 grid with a max of 0, not a division error."""
    g = grid({}, date(2026, 11, 25))
    assert g.weeks == 53 and (g.max_count, g.total, g.active_days) == (0, 0, 0)
    assert {c.level for c in g.cells()} == {0}


def test_month_labels() -> None:
    """A month is labelled over the column of its first Sunday, like GitHub."""
    g = grid({}, date(2026, 12, 18), weeks=10)  # starts Sunday 2026-10-11
    assert g.start == date(2026, 10, 11)
    assert g.months == (MonthLabel(3, 11), MonthLabel(8, 12))
    assert [m.name for m in g.months] == ["Nov", "Dec"]


def test_grid_needs_a_week() -> None:
    """A grid of zero weeks is refused."""
    with pytest.raises(ValueError, match="week"):
        grid({}, date(2026, 11, 25), weeks=0)


@pytest.mark.parametrize("max_count", range(1, 41))
def test_level_range_matches_level(max_count: int) -> None:
    """The legend's count ranges are exactly the counts `level` puts in each bucket."""
    for k in range(1, 5):
        members = [c for c in range(1, max_count + 1) if level(c, max_count) == k]
        span = level_range(k, max_count)
        assert span == ((members[0], members[-1]) if members else None)


def _cells(root: ET.Element) -> list[ET.Element]:
    return [r for r in root.iter(f"{SVG_NS}rect") if "data-date" in r.attrib]


@pytest.mark.parametrize("g", [YEAR, NARROW], ids=["1년", "4주"])
def test_svg_structure(g: Grid) -> None:
    """The SVG parses; its day squares sit on 7 rows and each carries a <title> with its count."""
    root = ET.fromstring(svg(g, title="지우의 잔디"))
    cells = _cells(root)
    assert len(cells) == sum(1 for _ in g.cells())
    assert len({c.attrib["y"] for c in cells}) == 7
    assert len({c.attrib["x"] for c in cells}) == g.weeks
    for rect in cells:
        tip = rect.find(f"{SVG_NS}title")
        assert tip is not None and tip.text is not None
        assert tip.text.startswith(rect.attrib["data-date"] + ": ")
        assert tip.text.split(": ")[1].split()[0] == rect.attrib["data-count"]
        assert (rect.attrib["width"], rect.attrib["height"], rect.attrib["rx"]) == ("10", "10", "2")
        assert "fill" not in rect.attrib  # colours come from the l0..l4 classes
        assert f"l{rect.attrib['data-level']}" in rect.attrib["class"].split()


def test_svg_pitch() -> None:
    """Squares are 10 px on a 13 px pitch, Sunday on top."""
    cells = _cells(ET.fromstring(svg(YEAR)))
    xs = sorted({int(c.attrib["x"]) for c in cells})
    ys = sorted({int(c.attrib["y"]) for c in cells})
    assert ys == [13 * i for i in range(7)]
    assert xs == [13 * i for i in range(53)]
    first = next(c for c in cells if c.attrib["data-date"] == YEAR.start.isoformat())
    assert (first.attrib["x"], first.attrib["y"]) == ("0", "0")


def test_svg_accessibility() -> None:
    """The root is role=img, labelled by its own <title> and <desc>, which sum up the grid."""
    root = ET.fromstring(svg(YEAR, title="민지의 잔디"))
    assert root.attrib["role"] == "img"
    ids = root.attrib["aria-labelledby"].split()
    by_id = {e.attrib["id"]: e for e in root.iter() if "id" in e.attrib}
    assert [by_id[i].tag for i in ids] == [f"{SVG_NS}title", f"{SVG_NS}desc"]
    assert by_id[ids[0]].text == "민지의 잔디"
    desc = by_id[ids[1]].text or ""
    assert f"{YEAR.total} activities on {YEAR.active_days} days" in desc
    assert next(iter(root)).tag == f"{SVG_NS}title"  # first child, where screen readers look


def test_svg_legend() -> None:
    """The legend reads Less, five squares l0..l4, More."""
    root = ET.fromstring(svg(YEAR))
    legend = next(g for g in root.iter(f"{SVG_NS}g") if g.attrib.get("class") == "legend")
    assert [t.text for t in legend.iter(f"{SVG_NS}text")] == ["Less", "More"]
    assert [r.attrib["class"] for r in legend.iter(f"{SVG_NS}rect")] == [f"l{k}" for k in range(5)]


def test_svg_palettes() -> None:
    """GitHub's light and dark greens switch by OS preference and by Material's slate scheme."""
    out = svg(YEAR)
    style = ET.fromstring(out).find(f"{SVG_NS}style")
    assert style is not None and style.text is not None
    css = style.text
    assert "@media (prefers-color-scheme:dark)" in css
    assert '[data-md-color-scheme="slate"] .daylog-grass' in css
    assert '[data-md-color-scheme="default"] .daylog-grass' in css
    for scheme in Scheme:
        for colour in PALETTES[scheme]:
            assert colour in css
    assert "fill:#" not in out.split("</style>")[1]  # no inline colours after the stylesheet


def test_svg_escapes_text() -> None:
    """Markup and XML-forbidden characters in the title cannot break the SVG."""
    title = '민지 <script>alert("잔디")</script> & \x01'
    root = ET.fromstring(svg(YEAR, title=title))
    assert root.find(f"{SVG_NS}title") is not None
    assert root.find(f"{SVG_NS}script") is None
    assert (root.findtext(f"{SVG_NS}title") or "").startswith('민지 <script>alert("잔디")')


def test_svg_ids() -> None:
    """Each grass on a page gets its own ids; a bad explicit id is refused."""
    a = ET.fromstring(svg(YEAR, title="민지의 잔디")).attrib["aria-labelledby"]
    b = ET.fromstring(svg(YEAR, title="서현의 잔디")).attrib["aria-labelledby"]
    assert a != b
    assert 'aria-labelledby="team-title team-desc"' in svg(YEAR, ident="team")
    with pytest.raises(ValueError, match="ident"):
        svg(YEAR, ident="two words")


def test_text_plain() -> None:
    """Plain grass: month line, Sun..Sat rows labelled Mon/Wed/Fri, a legend, no escape codes."""
    out = text(YEAR, color=False)
    lines = out.splitlines()
    assert "\x1b" not in out
    assert len(lines) == 9
    assert lines[0].split() == [m.name for m in YEAR.months]
    assert [line[:4] for line in lines[1:8]] == ["    ", "Mon ", "    ", "Wed ", "    ", "Fri ", "    "]
    assert lines[8].split() == ["Less", *GLYPHS, "More"]
    squares = "".join(line[4:] for line in lines[1:8]).replace(" ", "")
    assert len(squares) == sum(1 for _ in YEAR.cells())
    assert set(squares) == set(GLYPHS)  # the sample uses every level
    assert len(set(GLYPHS)) == 5


def test_text_rows_match_grid() -> None:
    """Each square's glyph is its cell's level, in the cell's row and column."""
    lines = text(NARROW, color=False).splitlines()
    for col, column in enumerate(NARROW.columns):
        for row, cell in enumerate(column):
            line = lines[1 + row]
            at = 4 + 2 * col
            if cell is None:
                assert line[at : at + 1].strip() == ""
            else:
                assert line[at] == GLYPHS[cell.level]


@pytest.mark.parametrize("scheme", list(Scheme))
def test_text_color(scheme: Scheme) -> None:
    """Colour wraps each glyph in a 24-bit SGR colour and a reset; stripped, it equals plain."""
    out = text(YEAR, color=True, scheme=scheme)
    assert ANSI.sub("", out) == text(YEAR, color=False)
    glyphs = "".join(GLYPHS)
    wrapped = re.findall(rf"\x1b\[38;2;(\d+);(\d+);(\d+)m([{glyphs}])\x1b\[0m", out)
    assert len(wrapped) == sum(1 for _ in YEAR.cells()) + 5  # squares + legend
    assert len(re.findall(f"[{glyphs}]", out)) == len(wrapped)  # nothing left bare
    colours = {f"#{int(r):02x}{int(g):02x}{int(b):02x}" for r, g, b, _ in wrapped}
    assert set(PALETTES[scheme][1:]) <= colours
