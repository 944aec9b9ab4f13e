"""Scaffolding: whatever the date, member and course, the entry parses back to what was rendered."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from daylog.entries.new import creation_moment
from daylog.entries.parse import parse
from daylog.entries.scaffold import Reminder, context, render
from daylog.errors import DaylogError
from daylog.workspace.settings import Member
from daylog.workspace.settings_reader import parse_settings

TEMPLATE = (REPO / "templates" / "entry.md.j2").read_text(encoding="utf-8")
SEOUL = ZoneInfo("Asia/Seoul")
NAMES = st.text(alphabet=st.sampled_from(list("가나다라마바사 abcXYZ-_.'\"[]/:#&")), min_size=1, max_size=15).filter(
    lambda s: s.strip() != ""
)


@settings(max_examples=150, deadline=None)
@given(
    st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)),
    NAMES,
    NAMES,
    st.lists(NAMES, max_size=3),
)
def test_scaffold_then_parse_round_trips(d: date, course: str, name: str, carried: list[str]) -> None:
    """The front matter date, day, author, title and every section survive rendering and parsing."""
    text_settings = parse_settings(
        "plugins:\n  - daylog:\n      course: x\n      start_date: 2020-01-06\n      members: [{id: mj, name: x}]\n"
    )
    s = text_settings._replace(course=course.strip())
    member = Member("mj", name)
    now = datetime(2026, 1, 1, 22, 5, tzinfo=SEOUL)
    reminders = [Reminder("abc123", "캡슐넷", d - timedelta(days=1), 3, "2020-01-01.md")]
    out = render(
        TEMPLATE,
        context(
            s, member, d, creation_moment(d, now, 4), carried_tasks=[c.strip() for c in carried], reminders=reminders
        ),
    )
    e = parse(out)
    assert e.diagnostics == ()
    assert e.date == d
    assert e.author == "mj"
    assert e.day == s.calendar.day_number(d)
    assert e.title is not None and course.strip() in e.title
    keys = [sec.key for sec in e.sections]
    assert keys == ["peer", "followups", "reminders", "tasks", "results", "til", "remark"]
    assert e.followups == ()
    assert [t.text for t in e.tasks] == [c.strip() for c in carried if c.strip()]


@pytest.mark.parametrize(
    ("template", "says"),
    [
        ("{{ ''.__class__.__mro__[1].__subclasses__() }}", "access to attribute '__class__' of 'str' object is unsafe"),
        ("{{ cycler.__init__.__globals__ }}", "is unsafe"),
        ("{{ 'x' * 1000000000 }}", "a repeated text would be too long"),
        ("{{ [1] * 100000000 }}", "a repeated text would be too long"),
        ("{{ 2 ** 100000000 }}", "the power 100000000 is too large"),
        ("{% for i in range(10**9) %}x{% endfor %}", "Range too big"),
        ("{% for i in range(99999) %}{{ 'y' * 99 }}{% endfor %}", "over the 1,048,576 an entry may start with"),
    ],
)
def test_a_template_is_text_not_code(template: str, says: str) -> None:
    """A teammate's template cannot reach Python's internals or exhaust memory: one error naming the file."""
    with pytest.raises(DaylogError) as caught:
        render(template, {}, name="templates/entry.md.j2")
    assert caught.value.path == "templates/entry.md.j2" and says in caught.value.message
