"""A post's date from its clues: front matter, file name, a dated heading, a day number.

Pure: takes a post's name, folders, parsed entry and text, and the course calendar;
returns which date wins and why. `daylog import` and its tests call it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from daylog.calendar import CourseCalendar
    from daylog.entries.model import Entry

_FULL_DATE = re.compile(r"(?<!\d)(?P<y>20\d{2}|19\d{2})[-._/ ]?(?P<m>\d{1,2})[-._/ ]?(?P<d>\d{1,2})(?!\d)")
_SEP_DATE = re.compile(r"(?<!\d)(?P<y>20\d{2}|19\d{2})\s*[-._/년]\s*(?P<m>\d{1,2})\s*[-._/월]\s*(?P<d>\d{1,2})(?!\d)")
_SHORT_YEAR = re.compile(r"(?<!\d)(?P<y>\d{2})[-._](?P<m>\d{1,2})[-._](?P<d>\d{1,2})(?!\d)")
_YYMMDD = re.compile(r"(?<![\d])(?P<y>[2-3]\d)(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_MMDD_TOKEN = re.compile(r"(?<![\dA-Za-z])(?P<m>[01]\d)(?P<d>[0-3]\d)(?!\d)")
_PARTIAL = re.compile(
    r"^(?P<m>\d{1,2})\s*(?:[./]|월\s*)\s*(?P<d>\d{1,2})(?:\s*일)?\.?\s*(?:[(（]\s*(?P<w>[월화수목금토일])\s*(?:요일)?\s*[)）])?"
    r"(?:\s*(?P<w2>[월화수목금토일])요일)?(?![\d.])"
)
_WEEK_DAY = re.compile(
    r"(?i)week\s*0*(?P<w>[1-9]\d?)(?:st|nd|rd|th)?(?:\s*[-_ ]+\s*(?:day\s*)?|\s*day\s*)0*(?P<d>[1-7])(?!\d)"
)
_DAY = re.compile(r"(?i)(?<![a-z])(?:day|d)[-_ ]?0*(?P<n>\d{1,3})(?:\s*[-~]\s*0*(?P<to>\d{1,3}))?(?!\d)")
_DAY_KO = re.compile(r"(?<!\d)0*(?P<n>\d{1,3})(?:\s*[,~-]\s*0*(?P<to>\d{1,3}))?\s*일차")
_DAYS_EN = re.compile(r"(?i)(?<!\d)0*(?P<n>\d{1,3})(?:\s*[~-]\s*0*(?P<to>\d{1,3}))?\s*days?\b")
_TAG_DAY = re.compile(r"(?i)^0*(?P<n>\d{1,3})\s*days?$")
_DATE_LINE = re.compile(r"(?im)^[>\s]*date\s*[:：]\s*(?P<v>\S.*)$")
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}[ \t]+(?P<text>.+?)[ \t#]*$")
_WEEKDAYS = "월화수목금토일"


@dataclass(frozen=True, slots=True)
class Clues:
    """Everything a post says about its date."""

    front_matter: date | None = None
    front_matter_key: str | None = None
    file_name: date | None = None
    file_partial: tuple[int, int] | None = None
    heading: date | None = None
    heading_partial: tuple[int, int, int | None] | None = None
    """(month, day, weekday 0=Monday or None) of a heading like `## 09/13(월) 피어세션`."""
    heading_text: str | None = None
    day: int | None = None
    day_to: int | None = None
    day_from: str | None = None
    week_day: tuple[int, int] | None = None
    week_day_from: str | None = None


def _valid(y: int, m: int, d: int) -> date | None:
    try:
        return date(y, m, d)
    except ValueError:
        return None


def _full_date_in(text: str, rx: re.Pattern[str] = _FULL_DATE) -> date | None:
    for m in rx.finditer(text):
        found = _valid(int(m["y"]), int(m["m"]), int(m["d"]))
        if found is not None:
            return found
    return None


def _day_in(text: str) -> tuple[int, int | None] | None:
    for rx in (_DAY, _DAY_KO, _DAYS_EN):
        m = rx.search(text)
        if m:
            n = int(m["n"])
            to = int(m["to"]) if m["to"] else None
            if 1 <= n <= 400:
                return n, (to if to and to > n else None)
    return None


def gather_clues(name: str, folders: Sequence[str], entry: Entry, text: str) -> Clues:
    """Date clues of one post: front matter, file name (and folders), title, tags, first headings."""
    values: dict[str, Any] = {}
    if entry.date is not None:
        values["front_matter"] = entry.date
        values["front_matter_key"] = "data" if "date" not in entry.front_matter else "date"
    stem = name.rsplit(".", 1)[0]
    full = _full_date_in(stem)
    if full is None:
        m = _YYMMDD.search(stem) or next((_YYMMDD.search(f) for f in reversed(folders) if _YYMMDD.search(f)), None)
        if m:
            full = _valid(2000 + int(m["y"]), int(m["m"]), int(m["d"]))
    if full is not None:
        values["file_name"] = full
    else:
        m = _MMDD_TOKEN.search(stem)
        if m and _valid(2000, int(m["m"]), int(m["d"])):
            values["file_partial"] = (int(m["m"]), int(m["d"]))
    # Day and week numbers: title, then file name, then tags, then headings.
    where: list[tuple[str, str]] = []
    if entry.title:
        where.append(("title", unicodedata.normalize("NFC", entry.title)))
    where.append(("file name", unicodedata.normalize("NFC", "/".join([*folders[-1:], stem]))))
    body_lines = text.split("\n", entry.front_matter_end + 60)[entry.front_matter_end : entry.front_matter_end + 60]
    headings: list[str] = []
    for raw in body_lines:
        hm = _HEADING_LINE.match(raw.rstrip("\r"))
        if hm:
            headings.append(unicodedata.normalize("NFC", re.sub(r"\*\*|__|[*_`]", "", hm["text"])).strip())
    for label, value in where + [("heading", h) for h in headings[:5]]:
        wm = _WEEK_DAY.search(value)
        if wm and "week_day" not in values:
            values["week_day"] = (int(wm["w"]), int(wm["d"]))
            values["week_day_from"] = label
            continue
        found = _day_in(value) if "day" not in values else None
        if found is not None:
            values["day"], values["day_to"] = found
            values["day_from"] = label
    if "day" not in values:
        for tag in entry.tags:
            tm = _TAG_DAY.match(tag.strip())
            if tm:
                values["day"], values["day_from"] = int(tm["n"]), "tags"
                break
    # A date in the first headings (or a `Date : 22.01.18` line).
    for h in headings[:8]:
        full = _full_date_in(h, _SEP_DATE)
        if full is not None:
            values["heading"], values["heading_text"] = full, h
            break
        pm = _PARTIAL.match(h)
        if pm and _valid(2000, int(pm["m"]), int(pm["d"])):
            w = pm["w"] or pm["w2"]
            values["heading_partial"] = (int(pm["m"]), int(pm["d"]), _WEEKDAYS.index(w) if w else None)
            values["heading_text"] = h
            break
    if "heading" not in values and "heading_partial" not in values:
        dm = _DATE_LINE.search("\n".join(body_lines[:30]))
        if dm:
            v = dm["v"].strip()
            full = _full_date_in(v, _SEP_DATE)
            if full is None:
                sm = _SHORT_YEAR.search(v)
                full = _valid(2000 + int(sm["y"]), int(sm["m"]), int(sm["d"])) if sm else None
            if full is not None:
                values["heading"], values["heading_text"] = full, dm.group(0).strip()
    return Clues(**values)


_Date = date


@dataclass(frozen=True, slots=True)
class Resolved:
    date: date | None
    source: str | None
    reasons: tuple[str, ...]
    partial: tuple[int, int, int | None] | None = None
    """Month/day (weekday) still waiting for a year from neighbouring posts."""
    numbered: tuple[str, _Date] | None = None
    """The day number's clue and date, to compare with once the year is known."""


def _week_day_date(calendar: CourseCalendar, week: int, n: int) -> date | None:
    if week < 1:
        return None
    monday, sunday = calendar.week_bounds(week)
    d, count = monday, 0
    while d <= sunday:
        if d >= calendar.start and calendar.is_course_day(d):
            count += 1
            if count == n:
                return d
        d += timedelta(days=1)
    return None


def _same_day(a: date, b: date) -> bool:
    return (a.month, a.day) == (b.month, b.day) and a.year != b.year


def _year_typo(fm: date, numbered: date, calendar: CourseCalendar) -> bool:
    """The front-matter date cannot be the course day the post is numbered as (`2020-02-03` for Day13 of 2021)."""
    return _same_day(fm, numbered) or fm < calendar.start


def resolve_date(clues: Clues, calendar: CourseCalendar) -> Resolved:
    """Pick the post's date from its clues and explain contradictions.

    Order: front matter, file name, dated heading, day number. When the front matter
    and the file name disagree, the file name wins (front-matter dates are often
    template boilerplate) unless the day number agrees with the front matter.
    """
    reasons: list[str] = []
    numbered: tuple[str, date] | None = None
    if clues.week_day is not None:
        wd = _week_day_date(calendar, *clues.week_day)
        if wd is not None:
            numbered = (f"Week{clues.week_day[0]}-Day{clues.week_day[1]} in the {clues.week_day_from}", wd)
    elif clues.day is not None:
        numbered = (f"Day{clues.day} in the {clues.day_from}", calendar.date_of_day(clues.day))
        if clues.day_to:
            reasons.append(f"covers Day{clues.day}–{clues.day_to}; filed under Day{clues.day}")
    fm, fn = clues.front_matter, clues.file_name
    key = clues.front_matter_key or "date"
    chosen: tuple[date, str] | None = None
    if clues.front_matter_key == "data":
        reasons.append("front matter has `data:` (a typo for `date:`); renamed to `date:`")
    if fm is not None and fn is not None and fm != fn:
        if numbered is not None and numbered[1] == fm:
            chosen = (fm, "front matter")
            reasons.append(f"file name says {fn} but front matter `{key}` says {fm}; used {fm} ({numbered[0]} agrees)")
        else:
            chosen = (fn, "file name")
            why = f"{numbered[0]} agrees" if numbered and numbered[1] == fn else "the file name is more reliable"
            reasons.append(f"front matter `{key}` says {fm} but the file name says {fn}; used {fn} ({why})")
    elif fm is not None and fn is None and numbered and numbered[1] != fm and _year_typo(fm, numbered[1], calendar):
        chosen = (numbered[1], "day number")
        why = "the same day in another year: a year typo" if _same_day(fm, numbered[1]) else "before the course start"
        reasons.append(f"front matter `{key}` says {fm} ({why}); used {numbered[1]}, {numbered[0]}")
    elif fm is not None:
        chosen = (fm, "front matter")
    elif fn is not None:
        chosen = (fn, "file name")
    elif clues.heading is not None:
        chosen = (clues.heading, "heading")
    if chosen is None and (clues.heading_partial is not None or clues.file_partial is not None):
        partial = clues.heading_partial or (*clues.file_partial, None)  # type: ignore[misc]
        source = "heading" if clues.heading_partial else "file name"
        if numbered is not None and (numbered[1].month, numbered[1].day) == partial[:2]:
            reasons.append(f"no year written; {numbered[1].year} from {numbered[0]}")
            return Resolved(numbered[1], source, tuple(reasons))
        return Resolved(None, source, tuple(reasons), partial, numbered)
    if chosen is None and numbered is not None:
        chosen = (numbered[1], "day number")
        reasons.append(f"no date written; {numbered[0]} is {numbered[1]} by the course calendar")
    if chosen is None:
        return Resolved(None, None, tuple(reasons))
    d, source = chosen
    if clues.heading is not None and clues.heading != d and source != "heading":
        reasons.append(f"heading `{clues.heading_text}` says {clues.heading}; kept {d} from the {source}")
    if numbered is not None and numbered[1] != d and source != "day number":
        reasons.append(f"{numbered[0]} is {numbered[1]} by the course calendar; kept {d} from the {source}")
    return Resolved(d, source, tuple(reasons))


def infer_year(month: int, day: int, weekday: int | None, neighbours: Sequence[date], calendar: CourseCalendar) -> date:
    """A date for `month/day` (no year): the weekday decides when given, else the nearest to the neighbours."""
    anchor = sorted(neighbours)[len(neighbours) // 2] if neighbours else calendar.start
    options = [c for y in range(anchor.year - 1, anchor.year + 2) if (c := _valid(y, month, day)) is not None]
    if weekday is not None:
        matching = [c for c in options if c.weekday() == weekday]
        if matching:
            options = matching
        else:  # search further for the year whose weekday fits (`09/13(월)` → 2021)
            for delta in range(2, 12):
                for y in (anchor.year - delta, anchor.year + delta):
                    c = _valid(y, month, day)
                    if c is not None and c.weekday() == weekday:
                        return c
    options = [c for c in options if c >= calendar.start] or options  # posts of a course follow its start
    return min(options, key=lambda c: abs((c - anchor).days))
