"""The site's pictures: the grass board (one row per member under the team row), month
calendars and avatars, as HTML/SVG strings in Markdown.

Pure (the standard library, markupsafe and `daylog.streaks.rules`). Nothing here needs the
network to build: an avatar is the member's initials, with their GitHub picture laid over it
by the browser when it loads. Everything drawn from settings (names, logins) is escaped.

The board is sized for reading, not for a year at a glance: one column per day over the
last 6–13 weeks, scaled to the content width (`width="100%"` on a fixed `viewBox`), every
square with a tooltip (`<title>`, and `data-tip` for daylog's hover box) naming the day,
the entries and the commits.
"""

from __future__ import annotations

import calendar as _calendar
import hashlib
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from html import escape

from markupsafe import Markup

from daylog.streaks.rules import level

WEEKDAYS = ("월", "화", "수", "목", "금", "토", "일")
MIN_WEEKS = 6
MAX_WEEKS = 13
CELL = 14
PITCH = 17
LEFT = 70
TOP = 36
_GITHUB_LOGIN = re.compile(r"^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$")


@dataclass(frozen=True, slots=True)
class Row:
    """One row of the board."""

    label: str
    days: Mapping[date, int]
    """Activity per day (entries with writing plus commits)."""
    entries: Mapping[date, int]
    """Entries per day (for the tooltip's split)."""
    members: Mapping[date, int] | None = None
    """For the team row: how many members were active each day."""
    team_size: int = 0


def window(today: date, first: date | None) -> tuple[date, date]:
    """Monday of the first week shown and the last day shown: the last `MAX_WEEKS` weeks
    through today, at least `MIN_WEEKS` (the rest drawn as days to come)."""
    monday = today - timedelta(days=today.weekday())
    earliest = monday - timedelta(weeks=MAX_WEEKS - 1)
    start = earliest if first is None or first < earliest else first - timedelta(days=first.weekday())
    start = min(start, monday)
    end = max(today, start + timedelta(weeks=MIN_WEEKS) - timedelta(days=1))
    return start, end


def _tip(d: date, row: Row) -> str:
    count = max(0, row.days.get(d, 0))
    entries = row.entries.get(d, 0)
    commits = max(0, count - entries)
    head = f"{d.isoformat()} ({WEEKDAYS[d.weekday()]}) · {row.label}"
    if row.members is not None:
        return f"{head} · 기록 {entries} · 커밋 {commits} · 활동 {row.members.get(d, 0)}/{row.team_size}명"
    return f"{head} · 기록 {entries} · 커밋 {commits}"


def board(
    rows: Sequence[Row],
    *,
    today: date,
    is_off: Callable[[date], bool],
    title: str,
    ident: str,
    since: date | None = None,
) -> Markup:
    """The grass of every row over one window of days, as one SVG block excluded from search.

    The window starts at the first activity or at `since` (the course start), whichever is
    earlier, within the last `MAX_WEEKS` weeks."""
    firsts = [d for r in rows for d, n in r.days.items() if n > 0]
    if since is not None and since <= today:
        firsts.append(since)
    start, end = window(today, min(firsts) if firsts else None)
    n_days = (end - start).days + 1
    width = LEFT + n_days * PITCH + 40  # room for a month name over the last columns
    height = TOP + len(rows) * PITCH + 24
    label = escape(title)
    out = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="daylog-grass daylog-board" width="100%" '
        f'viewBox="0 0 {width} {height}" role="img" aria-labelledby="{ident}-title">',
        f'<title id="{ident}-title">{label}</title>',
    ]
    out += _axis(start, n_days, today)
    for y, row in enumerate(rows):
        out += _row(row, y, start, n_days, today, is_off)
    out.append(_legend(height - 10))
    out.append("</svg>")
    body = "\n".join(out)
    return Markup(f'<div class="daylog-grass-box" data-search-exclude markdown="0">\n{body}\n</div>')


def _month_label(d: date, first: bool) -> str:
    return f"{d.year}년 {d.month}월" if first or d.month == 1 else f"{d.month}월"


def _axis(start: date, n_days: int, today: date) -> list[str]:
    """Month names over their first day (and over the first column unless a month begins
    within its first two weeks), day numbers on Mondays."""
    out = []
    labelled = False
    for i in range(n_days):
        d = start + timedelta(days=i)
        x = LEFT + i * PITCH
        if d.day == 1 or (i == 0 and d.day < 20):
            out.append(f'<text class="month" x="{x}" y="12">{_month_label(d, not labelled)}</text>')
            labelled = True
        if d.weekday() == 0:
            out.append(f'<text class="dom" x="{x}" y="28">{d.day}</text>')
        if d == today:
            out.append(f'<rect class="today" x="{x - 1}" y="{TOP - 3}" width="{CELL + 2}" height="2" rx="1"/>')
    return out


def _row(row: Row, y: int, start: date, n_days: int, today: date, is_off: Callable[[date], bool]) -> list[str]:
    top = TOP + y * PITCH
    most = max([n for d, n in row.days.items() if start <= d <= today] + [0])
    name = escape(row.label if len(row.label) <= 8 else row.label[:7] + "…")
    out = [f'<text class="who" x="{LEFT - 6}" y="{top + CELL - 2}" text-anchor="end">{name}</text>']
    for i in range(n_days):
        d = start + timedelta(days=i)
        x = LEFT + i * PITCH
        if d > today:
            out.append(f'<rect class="day future" x="{x}" y="{top}" width="{CELL}" height="{CELL}" rx="2"/>')
            continue
        count = max(0, row.days.get(d, 0))
        lv = level(count, most) if most else 0
        off = " off" if is_off(d) else ""
        tip = escape(_tip(d, row))
        out.append(
            f'<rect class="day l{lv}{off}" x="{x}" y="{top}" width="{CELL}" height="{CELL}" rx="2" '
            f'data-date="{d.isoformat()}" data-count="{count}"><title>{tip}</title></rect>'
        )
    return out


def _legend(y: int) -> str:
    parts = [f'<g class="legend" transform="translate({LEFT}, {y - CELL + 2})">']
    parts.append(f'<text x="0" y="{CELL - 2}">적음</text>')
    for k in range(5):
        parts.append(f'<rect class="l{k}" x="{28 + k * PITCH}" y="0" width="{CELL}" height="{CELL}" rx="2"/>')
    parts.append(f'<text x="{28 + 5 * PITCH + 4}" y="{CELL - 2}">많음</text>')
    parts.append(f'<rect class="off" x="{28 + 5 * PITCH + 44}" y="0" width="{CELL}" height="{CELL}" rx="2"/>')
    parts.append(f'<text x="{28 + 6 * PITCH + 48}" y="{CELL - 2}">주말·휴일</text>')
    parts.append("</g>")
    return "".join(parts)


def initials(name: str) -> str:
    """One Hangul syllable (`민지` → `민`), or the first letters of up to two words (`Jane Doe` → `JD`)."""
    words = [w for w in re.split(r"\s+", name.strip()) if w]
    if not words:
        return "?"
    if len(words) == 1 or not words[0][0].isascii():
        return words[0][0].upper()
    return (words[0][0] + words[1][0]).upper()


def avatar(name: str, github: str | None, *, size: int = 24) -> Markup:
    """The member's initials on a colour of their own, the GitHub picture over it when it loads.

    A picture that cannot load (no network) is an empty box over the initials (`alt=""`), and
    daylog.js removes it; no inline event handler (pages carry none, #12)."""
    hue = int(hashlib.sha1(name.encode("utf-8")).hexdigest()[:4], 16) % 360
    inner = f"<span>{escape(initials(name))}</span>"
    if github and _GITHUB_LOGIN.match(github):
        src = f"https://github.com/{github}.png?size={size * 2}"
        inner += f'<img src="{src}" alt="" width="{size}" height="{size}" loading="lazy" referrerpolicy="no-referrer">'
    return Markup(
        f'<span class="daylog-avatar" style="--daylog-hue:{hue};--daylog-size:{size}px" '
        f'title="{escape(name)}" aria-hidden="true">{inner}</span>'
    )


@dataclass(frozen=True, slots=True)
class CalendarDay:
    """What the calendar needs of a day with an entry."""

    link: str
    """The entry page's Markdown link target (relative)."""
    tip: str


def month_calendars(
    entries: Mapping[date, CalendarDay], *, today: date, first: date, is_holiday: Callable[[date], bool]
) -> Markup:
    """One month table per month from `first`'s month through `today`'s, newest first; days with
    an entry link to it, weekends and holidays marked.

    Markdown tables inside `md_in_html` blocks, so the links are the generator's to resolve.
    """
    months = []
    y, m = first.year, first.month
    while (y, m) <= (today.year, today.month):
        months.append((y, m))
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    out = ['<div class="daylog-calendars" data-search-exclude markdown="1">', ""]
    for y, m in reversed(months):
        out.append(_month(y, m, entries, today, is_holiday))
    out.append("</div>")
    return Markup("\n".join(out))


def _attr(value: str) -> str:
    """An HTML attribute value that a Markdown table cell cannot split."""
    return escape(value).replace("|", "&#124;")


def _cell(d: date, entries: Mapping[date, CalendarDay], today: date, is_holiday: Callable[[date], bool]) -> str:
    classes = []
    if d.weekday() >= 5:
        classes.append("weekend")
    holiday = is_holiday(d)
    if holiday:
        classes.append("holiday")
    if d == today:
        classes.append("today")
    day = entries.get(d)
    if day is not None:
        classes.append("entry")
        tip = f"{day.tip} (휴일)" if holiday else day.tip
        return f'<span class="{" ".join(classes)}" title="{_attr(tip)}">[{d.day}]({day.link})</span>'
    title = ' title="휴일"' if holiday else ""
    return f'<span class="{" ".join(classes)}"{title}>{d.day}</span>'


def _month(y: int, m: int, entries: Mapping[date, CalendarDay], today: date, is_holiday: Callable[[date], bool]) -> str:
    written = sum(1 for d in entries if d.year == y and d.month == m)
    out = [
        '<div class="daylog-cal" markdown="1">',
        "",
        f"**{y}년 {m}월** · 기록 {written}편",
        "",
        "| " + " | ".join(WEEKDAYS) + " |",
        "|" + ":-:|" * 7,
    ]
    for week in _calendar.Calendar(firstweekday=0).monthdatescalendar(y, m):
        cells = [_cell(d, entries, today, is_holiday) if d.month == m else " " for d in week]
        out.append("| " + " | ".join(cells) + " |")
    out += ["", "</div>", ""]
    return "\n".join(out)
