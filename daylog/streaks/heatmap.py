"""The grass (잔디): a GitHub-style contribution calendar as a grid, an SVG and terminal text.

Pure: counts per study day and the last day to show go in, strings come out. All layout is
decided once, in `grid`; `svg` and `text` only draw it, so the site and the terminal can
never disagree about which square is which day.

Columns are weeks counted from the grid's first Sunday, never `%W`/ISO week numbers (which
put early January in "week 53"); days are stepped as `date`s, so DST cannot skip one.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from xml.sax.saxutils import escape

from daylog.streaks.rules import level

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
ROW_LABELS = ("", "Mon", "", "Wed", "", "Fri", "")
"""Row labels, Sunday first; like GitHub, only every other day is named."""
GLYPHS = ("·", "░", "▒", "▓", "█")
"""Terminal glyphs for levels 0–4: distinct without colour, so the grass survives NO_COLOR,
pipes and colour-blindness."""


class Scheme(enum.Enum):
    """Light or dark colours."""

    LIGHT = "light"
    DARK = "dark"


PALETTES: dict[Scheme, tuple[str, str, str, str, str]] = {
    Scheme.LIGHT: ("#ebedf0", "#9be9a8", "#40c463", "#30a14e", "#216e39"),
    Scheme.DARK: ("#161b22", "#0e4429", "#006d32", "#26a641", "#39d353"),
}
"""GitHub's calendar fills for levels 0–4."""
_LABEL_COLORS = {Scheme.LIGHT: "#57606a", Scheme.DARK: "#8b949e"}
_TERMINAL_L0 = {Scheme.LIGHT: "#d0d7de", Scheme.DARK: "#30363d"}
"""In a terminal, level 0 takes GitHub's border grey: its near-background fill turns a dot
into nothing."""


@dataclass(frozen=True, slots=True)
class Cell:
    """One day's square."""

    date: dt.date
    """The study day."""
    count: int
    """Activities that day (negative counts are read as 0)."""
    level: int
    """0–4, relative to the busiest day in the grid (`daylog.streaks.rules.level`)."""


@dataclass(frozen=True, slots=True)
class MonthLabel:
    """A month's name above the column of its first Sunday (GitHub's placement)."""

    column: int
    """Week column index, 0 = the grid's first week."""
    month: int
    """1–12."""

    @property
    def name(self) -> str:
        """English abbreviation, as GitHub writes it (`Nov`)."""
        return MONTHS[self.month - 1]


@dataclass(frozen=True, slots=True)
class Grid:
    """Week columns × 7 day rows (Sunday on top), the last column holding `end`."""

    start: dt.date
    """The first cell: a Sunday."""
    end: dt.date
    """The last cell; days after it in its week are absent."""
    columns: tuple[tuple[Cell | None, ...], ...]
    """One tuple of 7 per week, Sunday to Saturday; None for days after `end`."""
    months: tuple[MonthLabel, ...]
    """Month labels, left to right."""
    max_count: int
    """The busiest day's count in the window (0 when the window is empty)."""
    total: int
    """Sum of all counts in the window."""
    active_days: int
    """Days in the window with activity."""

    @property
    def weeks(self) -> int:
        """Number of columns."""
        return len(self.columns)

    def cells(self) -> Iterator[Cell]:
        """Every present cell, column by column, Sunday first."""
        for column in self.columns:
            yield from (c for c in column if c is not None)


def grid(days: Mapping[dt.date, int], end: dt.date, weeks: int = 53) -> Grid:
    """The `weeks`-column grid ending with `end`'s week (53 = GitHub's year view)."""
    if weeks < 1:
        raise ValueError(f"a grid needs at least one week, not {weeks}")
    last_sunday = end - dt.timedelta(days=end.isoweekday() % 7)
    start = last_sunday - dt.timedelta(weeks=weeks - 1)
    counts = [max(0, days.get(start + dt.timedelta(days=i), 0)) for i in range((end - start).days + 1)]
    max_count = max(counts)
    columns: list[tuple[Cell | None, ...]] = []
    months: list[MonthLabel] = []
    for col in range(weeks):
        column: list[Cell | None] = []
        for row in range(7):
            i = col * 7 + row
            if i < len(counts):
                d = start + dt.timedelta(days=i)
                column.append(Cell(d, counts[i], level(counts[i], max_count)))
            else:
                column.append(None)
        columns.append(tuple(column))
        sunday = start + dt.timedelta(weeks=col)
        if sunday.day <= 7:
            months.append(MonthLabel(col, sunday.month))
    return Grid(
        start=start,
        end=end,
        columns=tuple(columns),
        months=tuple(months),
        max_count=max_count,
        total=sum(counts),
        active_days=sum(1 for n in counts if n > 0),
    )


def _activities(n: int) -> str:
    return f"{n} activity" if n == 1 else f"{n} activities"


def level_range(k: int, max_count: int) -> tuple[int, int] | None:
    """The counts that get level `k` (1–4) against `max_count`, or None when there are none.

    What the legend's squares mean; with a small max some levels are empty (max 1 → only 4).
    """
    lo = (k - 1) * max_count // 4 + 1
    hi = k * max_count // 4
    return (lo, hi) if lo <= hi else None


def _legend_tip(k: int, max_count: int) -> str:
    """What legend square `k` stands for in this grid."""
    if k == 0:
        return "no activity"
    span = level_range(k, max_count)
    if span is None:
        return "no day at this level"
    lo, hi = span
    return _activities(lo) if lo == hi else f"{lo}–{_activities(hi)}"


# SVG geometry, after GitHub's 2021 markup: 10 px squares on a 13 px pitch.
CELL = 10
PITCH = 13
_LEFT = 30  # room for Mon/Wed/Fri
_TOP = 20  # room for month names
_RIGHT = 14  # a month name over the last column runs past the grid
_LEGEND_GAP = 8
_WORD = 26  # "Less"/"More" plus a gap at 9 px; SVG has no text metrics, so estimate once
_IDENT = re.compile(r"^[A-Za-z][A-Za-z0-9_.-]*$")
_NOT_XML = re.compile("[^\t\n\r\x20-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def _xml_text(value: str) -> str:
    """`value` as XML character data: markup escaped, characters XML forbids replaced."""
    return escape(_NOT_XML.sub("\ufffd", value))


def _css() -> str:
    """Colours as custom properties on the root, switched by OS preference or Material's scheme.

    Material's explicit `slate`/`default` scheme beats the OS preference (higher
    specificity), and a team can restyle `--daylog-l1`… in its extra CSS.
    """

    def props(scheme: Scheme) -> str:
        fills = ";".join(f"--daylog-l{i}:{c}" for i, c in enumerate(PALETTES[scheme]))
        return f"{fills};--daylog-label:{_LABEL_COLORS[scheme]}"

    light, dark = props(Scheme.LIGHT), props(Scheme.DARK)
    rules = [
        ".daylog-grass{" + light + "}",
        "@media (prefers-color-scheme:dark){.daylog-grass{" + dark + "}}",
        '[data-md-color-scheme="slate"] .daylog-grass{' + dark + "}",
        '[data-md-color-scheme="default"] .daylog-grass{' + light + "}",
        ".daylog-grass text{fill:var(--daylog-label);font-size:9px;"
        'font-family:-apple-system,BlinkMacSystemFont,"Segoe UI","Noto Sans KR",'
        "Helvetica,Arial,sans-serif}",
        *(f".daylog-grass .l{i}{{fill:var(--daylog-l{i})}}" for i in range(5)),
    ]
    return "\n".join(rules)


def svg(grid: Grid, *, title: str = "Daily activity", ident: str | None = None) -> str:
    """A standalone, accessible SVG of the grid: the same bytes for the same input.

    `ident` prefixes the element ids that `aria-labelledby` points at; give each SVG on a
    page its own (the default is derived from the title and the window, so one grass per
    member on a page gets distinct ids as long as the titles differ).
    """
    if ident is None:
        digest = hashlib.sha1(f"{title}|{grid.start}|{grid.end}".encode()).hexdigest()
        ident = f"daylog-grass-{digest[:8]}"
    elif not _IDENT.match(ident):
        raise ValueError(f"ident {ident!r} is not a usable XML id")
    grid_w = grid.weeks * PITCH - (PITCH - CELL)
    grid_h = 7 * PITCH - (PITCH - CELL)
    legend_w = _WORD + 5 * PITCH + _WORD
    legend_x = max(0, grid_w - legend_w)  # right-aligned under the grid, if it fits
    legend_y = grid_h + _LEGEND_GAP
    width = _LEFT + max(grid_w + _RIGHT, legend_x + legend_w)
    height = _TOP + legend_y + CELL + 4
    summary = (
        f"{_activities(grid.total)} on {grid.active_days} "
        f"{'day' if grid.active_days == 1 else 'days'}, {grid.start} to {grid.end}. "
        "Each square is a day, Sunday at the top of each week column; "
        "darker squares mean more activity."
    )
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="daylog-grass" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" '
        f'role="img" aria-labelledby="{ident}-title {ident}-desc">',
        f'<title id="{ident}-title">{_xml_text(title)}</title>',
        f'<desc id="{ident}-desc">{_xml_text(summary)}</desc>',
        f"<style>\n{_css()}\n</style>",
        f'<g transform="translate({_LEFT}, {_TOP})">',
    ]
    for label in grid.months:
        out.append(f'<text x="{label.column * PITCH}" y="-7">{label.name}</text>')
    for row, name in enumerate(ROW_LABELS):
        if name:
            y = row * PITCH + CELL - 1
            out.append(f'<text x="-6" y="{y}" text-anchor="end">{name}</text>')
    for col, column in enumerate(grid.columns):
        for row, cell in enumerate(column):
            if cell is None:
                continue
            tip = f"{cell.date.isoformat()}: {_activities(cell.count)}"
            out.append(
                f'<rect x="{col * PITCH}" y="{row * PITCH}" width="{CELL}" height="{CELL}" '
                f'rx="2" ry="2" class="day l{cell.level}" data-date="{cell.date.isoformat()}" '
                f'data-count="{cell.count}" data-level="{cell.level}">'
                f"<title>{_xml_text(tip)}</title></rect>"
            )
    out.append(f'<g class="legend" transform="translate({legend_x}, {legend_y})">')
    out.append(f'<text x="0" y="{CELL - 1}">Less</text>')
    for k in range(5):
        out.append(
            f'<rect x="{_WORD + k * PITCH}" y="0" width="{CELL}" height="{CELL}" rx="2" ry="2" '
            f'class="l{k}"><title>level {k}: {_legend_tip(k, grid.max_count)}</title></rect>'
        )
    out.append(f'<text x="{_WORD + 5 * PITCH + 4}" y="{CELL - 1}">More</text>')
    out.append("</g>")
    out.append("</g>")
    out.append("</svg>")
    return "\n".join(out) + "\n"


def _sgr(hex_color: str, glyph: str) -> str:
    """`glyph` in a 24-bit foreground colour, reset after."""
    r, g, b = (int(hex_color[i : i + 2], 16) for i in (1, 3, 5))
    return f"\x1b[38;2;{r};{g};{b}m{glyph}\x1b[0m"


def text(grid: Grid, *, color: bool, scheme: Scheme = Scheme.DARK) -> str:
    """Terminal grass: a month line, 7 day rows, a legend; two columns per week.

    Without `color` it is plain text (five distinct glyphs, no escape codes) for pipes, tests
    and NO_COLOR; the caller decides, this module never looks at the terminal. With `color`
    each glyph is wrapped in a 24-bit SGR colour from GitHub's palette for `scheme`.
    """
    palette = (_TERMINAL_L0[scheme], *PALETTES[scheme][1:])

    def glyph(k: int) -> str:
        return _sgr(palette[k], GLYPHS[k]) if color else GLYPHS[k]

    pad = max(len(name) for name in ROW_LABELS) + 1
    month_line: list[str] = [" "] * (pad + 2 * grid.weeks)
    free = 0  # first position a label may start at without touching the previous one
    for label in grid.months:
        at = pad + 2 * label.column
        if at < free:
            continue
        month_line[at : at + len(label.name)] = label.name
        free = at + len(label.name) + 1
    lines = ["".join(month_line).rstrip()]
    for row, name in enumerate(ROW_LABELS):
        squares = []
        for column in grid.columns:
            cell = column[row]
            squares.append("  " if cell is None else glyph(cell.level) + " ")
        lines.append((name.ljust(pad) + "".join(squares)).rstrip())
    legend = " ".join(glyph(k) for k in range(5))
    lines.append(f"{' ' * pad}Less {legend} More")
    return "\n".join(lines) + "\n"
