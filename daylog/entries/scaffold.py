"""A new day's entry: the template context, and rendering it with Jinja2.

Pure: the date, the moment of creation and the carried-over items are parameters.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

import jinja2
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

from daylog.calendar import WEEKDAY_NAMES_KO
from daylog.errors import DaylogError
from daylog.workspace.settings import Member, Settings, cut, cut_repr, format_title


@dataclass(frozen=True, slots=True)
class Reminder:
    """An open follow-up from an earlier entry, listed in the new one (not a new item)."""

    id: str
    topic: str
    raised_on: date
    day: int | None
    link: str
    """Relative link from the new entry to the entry that raised it."""


def title_for(settings: Settings, d: date, day: int | None, member: Member) -> str:
    """The entry title from the team's format; off-course days use `title_off_day`."""
    fmt = settings.title if day is not None else settings.title_off_day
    values = {
        "course": settings.course,
        "day": day if day is not None else "",
        "date": d.isoformat(),
        "author": member.id,
        "name": member.name,
        "week": settings.calendar.week_number(d) or "",
    }
    try:
        return format_title(fmt, **values)
    except Exception as exc:
        key = "title" if day is not None else "title_off_day"
        message = f"daylog setting `{key}`: cannot format {cut_repr(fmt)}: {cut(str(exc))}"
        raise DaylogError(message, path=settings.source) from None


def context(
    settings: Settings,
    member: Member,
    d: date,
    created: datetime,
    *,
    carried_tasks: Sequence[str] = (),
    reminders: Sequence[Reminder] = (),
) -> dict[str, Any]:
    """Everything a template may use."""
    cal = settings.calendar
    day = cal.day_number(d)
    return {
        "date": d,
        "date_iso": d.isoformat(),
        "weekday": WEEKDAY_NAMES_KO[d.weekday()],
        "day": day,
        "is_course_day": day is not None,
        "week": cal.week_number(d),
        "title": title_for(settings, d, day, member),
        "created": created.strftime("%Y-%m-%d %H:%M:%S %z"),
        "course": settings.course,
        "author": member,
        "members": settings.members,
        "settings": settings,
        "carried_tasks": list(carried_tasks),
        "reminders": list(reminders),
    }


def _yaml_str(value: object) -> str:
    """A double-quoted YAML scalar (JSON strings are valid YAML)."""
    return json.dumps(str(value), ensure_ascii=False)


def _yaml_value(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return str(value)
    return _yaml_str(value)


class _Sandbox(ImmutableSandboxedEnvironment):
    """The entry template is the team's text, not code: no attribute tricks (`__class__`), no
    unbounded `range` (Jinja's sandbox), and no `'x' * 10**9` (the operators checked here)."""

    intercepted_binops = frozenset({"*", "**"})

    def call_binop(self, context: Any, operator: str, left: Any, right: Any) -> Any:
        if operator == "**" and isinstance(right, int) and abs(right) > 64:
            raise SecurityError(f"the power {right} is too large")
        if operator == "*":
            sizes = [len(x) for x in (left, right) if isinstance(x, str | list | tuple)]
            counts = [x for x in (left, right) if isinstance(x, int)]
            if sizes and counts and sizes[0] * max(counts[0], 0) > _MAX_RENDERED:
                raise SecurityError("a repeated text would be too long")
        return super().call_binop(context, operator, left, right)


_MAX_RENDERED = 1024 * 1024
"""Characters a rendered entry may have: a day's scaffold is a few hundred."""


def render(template_text: str, ctx: dict[str, Any], *, name: str = "entry.md.j2") -> str:
    """Render the entry template; template mistakes become a DaylogError naming the line."""
    env = _Sandbox(
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=True,
        lstrip_blocks=True,
        autoescape=False,
    )
    env.filters["yaml_str"] = _yaml_str
    env.filters["yaml_value"] = _yaml_value
    try:
        template = env.from_string(template_text)
        template.name = name
        text = template.render(ctx)
    except SecurityError as exc:
        raise DaylogError(
            f"the template does what an entry template may not: {str(exc)[:80]}",
            path=name,
            line=_template_line(exc),
            hint="templates fill in the documented variables; see the README",
        ) from None
    except jinja2.TemplateSyntaxError as exc:
        raise DaylogError(
            f"template syntax error: {exc.message}",
            path=name,
            line=exc.lineno,
            hint="fix the template or delete it to use the default",
        ) from None
    except jinja2.UndefinedError as exc:
        raise DaylogError(
            f"template uses an undefined variable: {exc.message}",
            path=name,
            line=_template_line(exc),
            hint="see the README for the variables a template can use",
        ) from None
    except jinja2.TemplateError as exc:  # e.g. {% include %}: templates are rendered standalone
        raise DaylogError(f"template error: {exc.message or exc}", path=name, line=_template_line(exc)) from None
    except Exception as exc:
        raise DaylogError(
            f"template failed: {type(exc).__name__}: {str(exc)[:80]}", path=name, line=_template_line(exc)
        ) from None
    if len(text) > _MAX_RENDERED:
        raise DaylogError(
            f"the template renders {len(text):,} characters, over the {_MAX_RENDERED:,} an entry may start with",
            path=name,
            hint="a template fills in a day's scaffold; shorten its loops",
        )
    return text


def _template_line(exc: BaseException) -> int | None:
    """The template line a render-time error came from (Jinja2 marks its frames)."""
    tb = exc.__traceback__
    line = None
    while tb is not None:
        if tb.tb_frame.f_code.co_filename == "<template>":
            line = tb.tb_lineno
        tb = tb.tb_next
    return line
