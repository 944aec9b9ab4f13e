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
from typing import TYPE_CHECKING, NamedTuple

from daylog.workspace.settings import cut

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
_DATE_LINE = re.compile(r"(?im)^[> \t]*+date\s*+[:：]\s*+(?P<v>\S.*)$")
"""`[> \\t]`, not `[>\\s]`: a blank-line run read from every line start costs the run squared."""
_HEADING_LINE = re.compile(r"^ {0,3}#{1,6}[ \t](?P<text>.+)$")
"""The text is trimmed by `_heading_text`: a lazy `.+?` before `[ \\t#]*$` is quadratic in a line of `# # # …`."""
_WEEKDAYS = "월화수목금토일"


class MonthDay(NamedTuple):
    """A date written without its year (`09/13(월)`, `0913.md`), waiting for one."""

    month: int
    day: int
    weekday: int | None
    """0 = Monday, when the text names the weekday."""


class DayClue(NamedTuple):
    """A course day number, turned into its date by the course calendar."""

    said: str
    """Where the number was read, for the reasons: `Day13 in the title`."""
    date: date


@dataclass(frozen=True, slots=True)
class Clues:
    """Everything a post says about its date."""

    front_matter: date | None = None
    front_matter_key: str | None = None
    file_name: date | None = None
    file_partial: MonthDay | None = None
    """Month and day of a file name like `0913.md` (no weekday)."""
    heading: date | None = None
    heading_partial: MonthDay | None = None
    """Month, day (and weekday) of a heading like `## 09/13(월) 피어세션`."""
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


class _DayNumber(NamedTuple):
    """`Day12`, `12일차`, `Day 12-14`: the day, and the last one when a post covers a range."""

    n: int
    to: int | None


def _day_in(text: str) -> _DayNumber | None:
    for rx in (_DAY, _DAY_KO, _DAYS_EN):
        m = rx.search(text)
        if m:
            n = int(m["n"])
            to = int(m["to"]) if m["to"] else None
            if 1 <= n <= 400:
                return _DayNumber(n, to if to and to > n else None)
    return None


def gather_clues(name: str, folders: Sequence[str], entry: Entry, text: str) -> Clues:
    """Date clues of one post: front matter, file name (and folders), title, tags, first headings."""
    stem = name.rsplit(".", 1)[0]
    body = _body_lines(text, entry)
    headings = _headings(body)
    named = _file_name_date(stem, folders)
    numbers = _course_numbers(_number_places(entry, folders, stem, headings), entry.tags)
    dated = _heading_date(headings, body)
    return Clues(
        front_matter=entry.date,
        front_matter_key=_front_matter_key(entry),
        file_name=named.full,
        file_partial=named.partial,
        heading=dated.full,
        heading_partial=dated.partial,
        heading_text=dated.text,
        day=numbers.day,
        day_to=numbers.day_to,
        day_from=numbers.day_from,
        week_day=numbers.week_day,
        week_day_from=numbers.week_day_from,
    )


def _front_matter_key(entry: Entry) -> str | None:
    """The key the front-matter date was under; `data` is a common typo of `date`."""
    if entry.date is None:
        return None
    return "data" if "date" not in entry.front_matter else "date"


def _body_lines(text: str, entry: Entry) -> list[str]:
    """The first 60 lines after the front matter: dates and numbers are written near the top."""
    fm_end = entry.front_matter_end
    return text.split("\n", fm_end + 60)[fm_end : fm_end + 60]


def _headings(body_lines: Sequence[str]) -> list[str]:
    """Heading texts without emphasis or code marks, NFC."""
    headings: list[str] = []
    for raw in body_lines:
        hm = _HEADING_LINE.match(raw.rstrip("\r"))
        if hm:
            text = _heading_text(hm["text"])
            headings.append(unicodedata.normalize("NFC", re.sub(r"\*\*|__|[*_`]", "", text)).strip())
    return headings


def _heading_text(written: str) -> str:
    """A heading's text without trailing blanks and `#`s (`## 2021.02.08 ##`), but never empty (`# #` is `#`)."""
    text = written.lstrip(" \t")
    return text.rstrip(" \t#") or text[:1]


@dataclass(frozen=True, slots=True)
class _WrittenDate:
    """A date found in one place: whole, or month/day only, and the text it was read from."""

    full: date | None = None
    partial: MonthDay | None = None
    text: str | None = None


def _file_name_date(stem: str, folders: Sequence[str]) -> _WrittenDate:
    """`2021-02-03-…`, `210203` (in the name or a folder), else a month/day token like `0913`."""
    full = _full_date_in(stem)
    if full is None:
        m = _YYMMDD.search(stem) or next((_YYMMDD.search(f) for f in reversed(folders) if _YYMMDD.search(f)), None)
        if m:
            full = _valid(2000 + int(m["y"]), int(m["m"]), int(m["d"]))
    if full is not None:
        return _WrittenDate(full)
    m = _MMDD_TOKEN.search(stem)
    if m and _valid(2000, int(m["m"]), int(m["d"])):
        return _WrittenDate(partial=MonthDay(int(m["m"]), int(m["d"]), None))
    return _WrittenDate()


class _Place(NamedTuple):
    """A text that may name the course day, and what to call it in the reasons."""

    label: str
    text: str


def _number_places(entry: Entry, folders: Sequence[str], stem: str, headings: Sequence[str]) -> list[_Place]:
    """Where day and week numbers are looked for, in order: title, file name, the first headings."""
    places: list[_Place] = []
    if entry.title:
        places.append(_Place("title", unicodedata.normalize("NFC", entry.title)))
    places.append(_Place("file name", unicodedata.normalize("NFC", "/".join([*folders[-1:], stem]))))
    places.extend(_Place("heading", h) for h in headings[:5])
    return places


@dataclass(frozen=True, slots=True)
class _CourseNumbers:
    """The day and week numbers a post names, each with the place it was read from."""

    day: int | None = None
    day_to: int | None = None
    day_from: str | None = None
    week_day: tuple[int, int] | None = None
    week_day_from: str | None = None


def _course_numbers(places: Sequence[_Place], tags: Sequence[str]) -> _CourseNumbers:
    """The first WeekW-DayD and the first Day N of the places, else a tag such as `12days`.

    A place that gave the week and day is not read for a Day N as well.
    """
    week_day: tuple[int, int] | None = None
    week_from: str | None = None
    day: _DayNumber | None = None
    day_from: str | None = None
    for place in places:
        wm = _WEEK_DAY.search(place.text)
        if wm and week_day is None:
            week_day, week_from = (int(wm["w"]), int(wm["d"])), place.label
            continue
        found = _day_in(place.text) if day is None else None
        if found is not None:
            day, day_from = found, place.label
    if day is None:
        day = _tag_day(tags)
        day_from = "tags" if day is not None else None
    if day is None:
        return _CourseNumbers(week_day=week_day, week_day_from=week_from)
    return _CourseNumbers(day.n, day.to, day_from, week_day, week_from)


def _tag_day(tags: Sequence[str]) -> _DayNumber | None:
    for tag in tags:
        tm = _TAG_DAY.match(tag.strip())
        if tm:
            return _DayNumber(int(tm["n"]), None)
    return None


def _heading_date(headings: Sequence[str], body_lines: Sequence[str]) -> _WrittenDate:
    """A date in the first headings (`## 2021.02.08`, `## 09/13(월)`), else a `Date : 22.01.18` line."""
    for h in headings[:8]:
        full = _full_date_in(h, _SEP_DATE)
        if full is not None:
            return _WrittenDate(full, text=h)
        pm = _PARTIAL.match(h)
        if pm and _valid(2000, int(pm["m"]), int(pm["d"])):
            w = pm["w"] or pm["w2"]
            return _WrittenDate(partial=MonthDay(int(pm["m"]), int(pm["d"]), _WEEKDAYS.index(w) if w else None), text=h)
    return _date_line(body_lines[:30])


def _date_line(lines: Sequence[str]) -> _WrittenDate:
    """A `Date : 2022-01-18` or `Date : 22.01.18` line (some templates put the date there, not in a heading)."""
    dm = _DATE_LINE.search("\n".join(lines))
    if not dm:
        return _WrittenDate()
    v = dm["v"].strip()
    full = _full_date_in(v, _SEP_DATE)
    if full is None:
        sm = _SHORT_YEAR.search(v)
        full = _valid(2000 + int(sm["y"]), int(sm["m"]), int(sm["d"])) if sm else None
    if full is None:
        return _WrittenDate()
    return _WrittenDate(full, text=dm.group(0).strip())


@dataclass(frozen=True, slots=True)
class Resolved:
    date: date | None
    source: str | None
    reasons: tuple[str, ...]
    partial: MonthDay | None = None
    """Month/day (weekday) still waiting for a year from neighbouring posts."""
    numbered: DayClue | None = None
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


@dataclass(frozen=True, slots=True)
class _Choice:
    """The date picked from the written clues, and the contradiction it settled (if any)."""

    date: date
    source: str
    notes: tuple[str, ...] = ()


def resolve_date(clues: Clues, calendar: CourseCalendar) -> Resolved:
    """Pick the post's date from its clues and explain contradictions.

    Order: front matter, file name, dated heading, day number. When the front matter
    and the file name disagree, the file name wins (front-matter dates are often
    template boilerplate) unless the day number agrees with the front matter.
    """
    numbered = _day_clue(clues, calendar)
    reasons = _clue_notes(clues)
    chosen = _written_choice(clues, numbered, calendar)
    partial = clues.heading_partial or clues.file_partial
    if chosen is None and partial is not None:
        return _yearless(clues, partial, numbered, reasons)
    if chosen is None and numbered is not None:
        why = f"no date written; {numbered.said} is {numbered.date} by the course calendar"
        chosen = _Choice(numbered.date, "day number", (why,))
    if chosen is None:
        return Resolved(None, None, reasons)
    return Resolved(chosen.date, chosen.source, (*reasons, *chosen.notes, *_overruled(clues, numbered, chosen)))


def _day_clue(clues: Clues, calendar: CourseCalendar) -> DayClue | None:
    """The date the post's WeekW-DayD (else its Day N) stands for."""
    if clues.week_day is not None:
        wd = _week_day_date(calendar, *clues.week_day)
        if wd is None:
            return None
        return DayClue(f"Week{clues.week_day[0]}-Day{clues.week_day[1]} in the {clues.week_day_from}", wd)
    if clues.day is not None:
        return DayClue(f"Day{clues.day} in the {clues.day_from}", calendar.date_of_day(clues.day))
    return None


def _clue_notes(clues: Clues) -> tuple[str, ...]:
    """What the clues themselves call for: a post covering several days, the `data:` typo."""
    notes: list[str] = []
    if clues.week_day is None and clues.day is not None and clues.day_to:
        notes.append(f"covers Day{clues.day}–{clues.day_to}; filed under Day{clues.day}")
    if clues.front_matter_key == "data":
        notes.append("front matter has `data:` (a typo for `date:`); renamed to `date:`")
    return tuple(notes)


def _written_choice(clues: Clues, numbered: DayClue | None, calendar: CourseCalendar) -> _Choice | None:
    """The first written date of front matter, file name and heading, after settling contradictions."""
    fm, fn = clues.front_matter, clues.file_name
    key = clues.front_matter_key or "date"
    if fm is not None and fn is not None and fm != fn:
        return _front_matter_or_file_name(fm, fn, key, numbered)
    if fm is not None and fn is None and numbered and numbered.date != fm and _year_typo(fm, numbered.date, calendar):
        why = "the same day in another year: a year typo" if _same_day(fm, numbered.date) else "before the course start"
        note = f"front matter `{key}` says {fm} ({why}); used {numbered.date}, {numbered.said}"
        return _Choice(numbered.date, "day number", (note,))
    for source, written in (("front matter", fm), ("file name", fn), ("heading", clues.heading)):
        if written is not None:
            return _Choice(written, source)
    return None


def _front_matter_or_file_name(fm: date, fn: date, key: str, numbered: DayClue | None) -> _Choice:
    """The file name wins unless the day number agrees with the front matter."""
    if numbered is not None and numbered.date == fm:
        note = f"file name says {fn} but front matter `{key}` says {fm}; used {fm} ({numbered.said} agrees)"
        return _Choice(fm, "front matter", (note,))
    why = f"{numbered.said} agrees" if numbered and numbered.date == fn else "the file name is more reliable"
    return _Choice(fn, "file name", (f"front matter `{key}` says {fm} but the file name says {fn}; used {fn} ({why})",))


def _yearless(clues: Clues, partial: MonthDay, numbered: DayClue | None, reasons: tuple[str, ...]) -> Resolved:
    """Month/day only: the day number's year when it is the same day, else left to neighbouring posts."""
    source = "heading" if clues.heading_partial else "file name"
    if numbered is not None and (numbered.date.month, numbered.date.day) == (partial.month, partial.day):
        note = f"no year written; {numbered.date.year} from {numbered.said}"
        return Resolved(numbered.date, source, (*reasons, note))
    return Resolved(None, source, reasons, partial, numbered)


def _overruled(clues: Clues, numbered: DayClue | None, chosen: _Choice) -> list[str]:
    """A dated heading or a day number that disagrees with the date kept."""
    d, source = chosen.date, chosen.source
    notes: list[str] = []
    if clues.heading is not None and clues.heading != d and source != "heading":
        notes.append(f"heading `{cut(clues.heading_text or '')}` says {clues.heading}; kept {d} from the {source}")
    if numbered is not None and numbered.date != d and source != "day number":
        notes.append(f"{numbered.said} is {numbered.date} by the course calendar; kept {d} from the {source}")
    return notes


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
