"""Front matter: where it ends, what it says, and what is wrong with it.

The block is read by the bounded YAML loader (`bounded_yaml`: libyaml's parser, no alias
bombs, no deep nesting), except plain `key: value` lines, which `_plain_values` reads
without it (the parser's one optimisation). Problems become diagnostics on the line they
are on, quoting at most `cut`'s 80 characters of a value. Pure: standard library and yaml only.
"""

from __future__ import annotations

import re
from datetime import date, datetime
from typing import Any, NamedTuple

from daylog.entries.markdown import trim_line_end
from daylog.entries.model import Diagnostic, Severity
from daylog.workspace.settings import cut, cut_repr

_CLOSE = re.compile(r"\n(?:---|\.\.\.)[ \t]*\r?$", re.M)
"""The closing line, after its newline: a literal first character lets `re` skip ahead."""
_DATE = re.compile(
    r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[ T]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
    r"\s*+(Z|[+-]\d{2}:?\d{2}|[+-]\d{1,2})?\s*$"
)
"""`\\s*+`: two blank runs around an absent zone would split a long run of blanks every way."""
_TITLE_DAY = re.compile(r"(?i)\bday\s*0*(\d{1,3})\b|(\d{1,3})\s*일차")


class FrontMatter(NamedTuple):
    """What the front matter says (its values are read only when asked for)."""

    values: dict[str, Any]
    end: int
    """Line of the closing `---` (0 when there is no front matter)."""
    body_start: int
    """Offset of the line after it."""
    title: str | None = None
    date: date | None = None
    date_line: int | None = None
    time: str | None = None
    day: int | None = None
    title_day: int | None = None
    author: str | None = None
    categories: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()
    diagnostics: tuple[Diagnostic, ...] = ()


def read_front_matter(text: str, lines: list[str], *, values: bool = True) -> FrontMatter:
    """The front matter of `text` (split into `lines`); without `values` only its extent is found."""
    end, body_start, problems = _extent(text, lines)
    if not values or not end:
        return FrontMatter({}, end, body_start, diagnostics=tuple(problems))
    block = lines[1 : end - 1]
    data = _plain_values(block)
    if data is None:
        data, problems = _load("\n".join(block), 2)
    title = None if data.get("title") is None else str(data["title"])
    the_date, time, date_line, date_problems = _date(data, lines, end)
    day, day_problems = _day(data, lines, end)
    title_day = _TITLE_DAY.search(title) if title else None
    return FrontMatter(
        values=data,
        end=end,
        body_start=body_start,
        title=title,
        date=the_date,
        date_line=date_line,
        time=time,
        day=day,
        title_day=int(title_day.group(1) or title_day.group(2)) if title_day else None,
        author=None if data.get("author") is None else str(data["author"]),
        categories=_as_strings(data.get("categories")),
        tags=_as_strings(data.get("tags")),
        diagnostics=(*problems, *date_problems, *day_problems),
    )


def _extent(text: str, lines: list[str]) -> tuple[int, int, list[Diagnostic]]:
    """(line of the closing `---`, offset of the body, problems); (0, 0, …) without front matter."""
    if lines[0].rstrip() != "---":
        return 0, 0, []
    close = _CLOSE.search(text, len(lines[0])) if len(lines) > 1 else None
    if close is None:
        return 0, 0, [_problem(1, "front matter has no closing `---` line")]
    end = text.count("\n", 0, close.start()) + 2  # the newline before the closing line counts too
    return end, (close.end() + 1 if end < len(lines) else len(text)), []  # close.end() is at its newline


def _problem(line: int, message: str, severity: Severity = Severity.ERROR) -> Diagnostic:
    return Diagnostic(line, severity, message, "front-matter")


# --- values --------------------------------------------------------------------------


def _load(block: str, first_line: int) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The block's keys and values (empty when it cannot be read, with the reason)."""
    import yaml  # here: a listing that skips the values never loads it

    from daylog.entries import bounded_yaml

    try:
        data = bounded_yaml.load(block)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = min(first_line + (mark.line if mark is not None else 0), first_line + block.count("\n"))
        problem = getattr(exc, "problem", None) or "cannot be read"
        return {}, [_problem(line, f"invalid front matter: {cut(str(problem))}")]
    except Exception as exc:  # yaml can raise other errors on odd input (e.g. bad timestamps)
        return {}, [_problem(first_line, f"invalid front matter: {cut(str(exc))}")]
    if data is None:
        return {}, []
    if not isinstance(data, dict):
        return {}, [_problem(first_line, "front matter is not a mapping of keys")]
    return {str(k): v for k, v in data.items()}, []


# --- plain front matter, read without YAML -------------------------------------------

_PAIR = re.compile(r"^([A-Za-z_][\w-]*)[ \t]*+:(?:[ \t]++(.*)|\r?)$", re.M)
"""`key: value`; the value's trailing blanks are trimmed after (a lazy value before them is quadratic)."""
_FLOW_ITEM = re.compile(r'\s*+("[^"\\]*+"|\'[^\']*+\'|[^,"\']++)\s*+(?:,|$)')
_INT = re.compile(r"[-+]?\d+")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_NOT_YAML = re.compile("[^\t\n\r\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")
"""What YAML refuses (NUL and other control characters): such a block is left to YAML to refuse
(the pattern is `bounded_yaml`'s, here so that a plain block is read without importing yaml)."""
_NULLS = frozenset(("", "~", "null", "Null", "NULL"))
_BOOLS = {"true": True, "True": True, "false": False, "False": False}


class _NotPlain(Exception):
    """A value `_plain_values` leaves to YAML."""


def _plain_values(lines: list[str]) -> dict[str, Any] | None:
    """The values of a block of plain `key: value` lines, or None when it needs YAML.

    The parser's one optimisation. The template writes front matter of this shape, and
    this reads it in 18 us where YAML's C loader takes 61 us (PyYAML builds its values
    in Python). `benchmarks/parse.py`, cold full parse of 3,000 entries: 1.13x the
    hand-optimised parser of before with this reader, 1.44x (+210 ms) with YAML for
    every block. It also keeps the values daylog has always read (`day: 08` is 8, see
    tests/entries/test_frontmatter.py). Anything it is not sure of goes to YAML:
    comments, nesting, a key twice, escapes, `: ` or ` #` inside a value, control characters.
    """
    block = "\n".join(lines)
    if _NOT_YAML.search(block):
        return None
    pairs = [(m.group(1), trim_line_end(m.group(2) or "")) for m in _PAIR.finditer(block)]
    if len(pairs) != sum(1 for line in lines if line.strip()) or len(dict(pairs)) != len(pairs):
        return None
    try:
        return {key: _plain_value(raw) for key, raw in pairs}
    except _NotPlain:
        return None


def _plain_value(raw: str) -> Any:
    if raw.startswith("[") and raw.endswith("]") and raw.count("[") == raw.count("]") == 1:
        if "#" in raw:
            raise _NotPlain
        return _flow_list(raw)
    return _scalar(raw)


def _flow_list(raw: str) -> list[Any]:
    """`[a, "b c", 3]`, with no nesting."""
    inner = raw[1:-1].strip()
    out: list[Any] = []
    pos = 0
    while pos < len(inner):
        m = _FLOW_ITEM.match(inner, pos)
        item = m.group(1).rstrip() if m is not None else ""
        if m is None or not item:  # `[a, , b]`: left to YAML
            raise _NotPlain
        out.append(_scalar(item))
        pos = m.end()
    return out


def _scalar(raw: str) -> Any:
    """A scalar as YAML reads it: null, a string, an int, true/false or a date."""
    if raw in _NULLS:
        return None
    if raw[0] in "\"'":
        return _quoted(raw)
    if raw[0] in "[{>|&*!%@`" or " #" in raw or ": " in raw or raw.endswith(":"):
        raise _NotPlain  # flow collections, block scalars, anchors, tags, comments, nested keys
    if _INT.fullmatch(raw):
        return int(raw)
    return _BOOLS[raw] if raw in _BOOLS else _date_or_text(raw)


def _date_or_text(raw: str) -> date | str:
    if len(raw) == 10 and _ISO_DATE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            return raw
    return raw


def _quoted(raw: str) -> str:
    quote = raw[0]
    if len(raw) < 2 or not raw.endswith(quote) or quote in raw[1:-1] or "\\" in raw:
        raise _NotPlain
    return raw[1:-1]


def _as_strings(value: Any) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return tuple(p.strip() for p in value.split(",") if p.strip())
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if v is not None and str(v).strip() and v != [])
    return (str(value),)


# --- date and day ----------------------------------------------------------------------


def _date(
    data: dict[str, Any], lines: list[str], end: int
) -> tuple[date | None, str | None, int | None, list[Diagnostic]]:
    """(date, time, line, problems) of `date:`, or of the common `data:` typo."""
    key = "date" if "date" in data else ("data" if "data" in data else None)
    if key is None:
        return None, None, None, []
    value = data[key]
    the_date, time = parse_date_value(value)
    line = front_matter_line(lines, key, end)
    if the_date is None and value is not None:
        return None, None, line, [_problem(line or 1, f"front matter `{key}` is not a date: {cut_repr(value)}")]
    if key == "data":
        typo = _problem(line or 1, "front matter has `data:` where `date:` is meant", Severity.WARNING)
        return the_date, time, line, [typo]
    return the_date, time, line, []


def _day(data: dict[str, Any], lines: list[str], end: int) -> tuple[int | None, list[Diagnostic]]:
    value = data.get("day")
    if value is None:
        return None, []
    if isinstance(value, int) and not isinstance(value, bool):
        return value, []
    line = front_matter_line(lines, "day", end) or 1
    return None, [_problem(line, f"front matter `day` is not a number: {cut_repr(value)}")]


def parse_date_value(value: Any) -> tuple[date | None, str | None]:
    """A front-matter date (date, datetime or text) → (date, time-and-offset text)."""
    if isinstance(value, datetime):  # YAML read it (no `+0900`-style offset); keep any offset it had
        return value.date(), value.strftime("%H:%M:%S %z").strip()
    if isinstance(value, date):
        return value, None
    m = _DATE.match(value) if isinstance(value, str) else None
    try:
        d = date(int(m.group(1)), int(m.group(2)), int(m.group(3))) if m is not None else None
    except ValueError:
        d = None
    if m is None or d is None:
        return None, None
    return d, _clock(m)


def _clock(m: re.Match[str]) -> str | None:
    """The time of day and offset a date was written with (`22:31:00 +0900`), if any."""
    if m.group(4) is None:
        return None
    clock = f"{int(m.group(4)):02d}:{m.group(5)}:{m.group(6) or '00'}"
    zone = m.group(7)
    if not zone:
        return clock
    zone = "+0000" if zone == "Z" else zone.replace(":", "")  # one spelling whatever was written: +0900
    return f"{clock} {zone if len(zone) == 5 else f'{zone[0]}{int(zone[1:]):02d}00'}"


def front_matter_line(lines: list[str], key: str, fm_end: int) -> int | None:
    """1-based line of `key:` in the front matter (which ends on line `fm_end`), if present."""
    prefix = key + ":"
    for i in range(1, max(fm_end - 1, 0)):
        if lines[i].startswith(prefix):
            return i + 1
    return None
