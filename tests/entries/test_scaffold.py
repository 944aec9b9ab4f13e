"""Scaffolding: whatever the date, member and course, the entry parses back to what was rendered."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from conftest import REPO
from hypothesis import given, settings
from hypothesis import strategies as st

from daylog.entries.new import creation_moment
from daylog.entries.parse import parse
from daylog.entries.scaffold import Reminder, context, render
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
