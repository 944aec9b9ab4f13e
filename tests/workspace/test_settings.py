"""Reading the daylog block of mkdocs.yml: defaults, validation with line numbers."""

from __future__ import annotations

import json
import time
from datetime import date
from pathlib import Path

import pytest

from daylog.errors import DaylogError
from daylog.workspace.config_file import load_settings
from daylog.workspace.settings import DEFAULT_TITLE, TitleFormatError, format_title
from daylog.workspace.settings_reader import parse_settings

BASE = """\
site_name: 팀
markdown_extensions:
  - pymdownx.emoji:
      emoji_index: !!python/name:material.extensions.emoji.twemoji
  - pymdownx.superfences:
      custom_fences:
        - name: mermaid
          format: !!python/name:pymdownx.superfences.fence_code_format
plugins:
  - search
  - daylog:
      course: 부스트캠프
      start_date: 2021-01-18
"""


def settings_with(extra: str) -> str:
    return BASE + "".join(f"      {line}\n" for line in extra.splitlines())


def test_defaults_and_python_tags_are_tolerated() -> None:
    """Material's !!python/name tags do not stop daylog from reading its block."""
    s = parse_settings(BASE)
    assert s.course == "부스트캠프"
    assert s.start_date == date(2021, 1, 18)
    assert (s.timezone, s.day_starts_at, s.course_days) == ("Asia/Seoul", 4, "weekdays")
    assert s.title == "[{course} / Day{day}] Today"
    assert s.api_url == "https://api.github.com"
    assert s.fetch_timeout == 60
    assert s.members == ()


def test_full_block() -> None:
    """Every documented key is read into its typed field."""
    s = parse_settings(
        settings_with(
            "timezone: America/New_York\n"
            "day_starts_at: 5\n"
            "course_days: all\n"
            "holidays: [2021-02-11..2021-02-12, 2021-03-01, {from: 2021-03-08, to: 2021-03-09}]\n"
            "title: '{course} {date} Day{day}'\n"
            "issue_repo: team/peer-session\n"
            "api_url: https://ghe.example.com/api/v3/\n"
            "fetch_timeout: 2.5\n"
            "private_sections: [remark]\n"
            "sections: {til: [배운 점]}\n"
            "members:\n"
            "  - {id: mj, name: 엠제이, github: mj-gh, emails: [MJ@Example.com]}\n"
            "  - sally\n"
        )
    )
    assert s.timezone == "America/New_York" and s.day_starts_at == 5 and s.course_days == "all"
    assert s.holidays == {date(2021, 2, 11), date(2021, 2, 12), date(2021, 3, 1), date(2021, 3, 8), date(2021, 3, 9)}
    assert s.issue_repo == "team/peer-session"
    assert s.api_url == "https://ghe.example.com/api/v3" and s.fetch_timeout == 2.5
    assert s.private_sections == ("remark",)
    assert s.sections["til"][0] == "배운 점" and "til" in s.sections["til"]
    assert s.member_by_email("mj@example.com") is not None
    assert s.member("sally") is not None and s.member("sally").name == "sally"  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("extra", "line", "fragment"),
    [
        ("tmezone: Asia/Seoul", 14, "unknown key (did you mean `timezone`?)"),
        ("timezone: Mars/Olympus", 14, "unknown time zone"),
        ("day_starts_at: 25", 14, "hour from 0 to 23"),
        ("course_days: sometimes", 14, "`weekdays` or `all`"),
        ("holidays: [2021-02-30]", 14, "cannot read value"),
        ("holidays:\n  - 2021-02-11\n  - 2021-02-12..2021-02-10", 16, "range ends before it starts"),
        ("title: 'Day{dya}'", 14, "bad format"),
        ("issue_repo: just-a-name", 14, "owner/repo"),
        ("members:\n  - id: ../evil", 15, "names a folder"),
        ("members:\n  - id: a/b", 15, "names a folder"),
        ("members:\n  - {id: mj}\n  - {id: mj}", 16, "appears twice"),
        ("members:\n  - {id: mj, mail: x}", 15, "unknown member key"),
        ("private_sections: [diary]", 14, "unknown section"),
        ("carry_over: maybe", 14, "true or false"),
    ],
)
def test_invalid_settings_name_key_and_line(extra: str, line: int, fragment: str) -> None:
    """A wrong key or value is an error naming the file, the line and the key."""
    with pytest.raises(DaylogError) as info:
        parse_settings(settings_with(extra), source="mkdocs.yml")
    err = info.value
    assert err.path == "mkdocs.yml"
    assert err.line == line, str(err)
    assert fragment in err.message


def test_missing_block_and_missing_required_keys() -> None:
    """No daylog block, or no course/start_date, is a clear error."""
    with pytest.raises(DaylogError, match="no `daylog` plugin block"):
        parse_settings("site_name: x\nplugins:\n  - search\n")
    with pytest.raises(DaylogError, match="`start_date` is missing"):
        parse_settings("plugins:\n  - daylog:\n      course: x\n")


def test_invalid_yaml_reports_its_line() -> None:
    """Broken YAML in mkdocs.yml names the line."""
    with pytest.raises(DaylogError) as info:
        parse_settings("plugins:\n  - daylog:\n      course: [x\n      start_date: 2021-01-18\n")
    assert info.value.line is not None and info.value.line >= 3


def test_plugins_as_mapping() -> None:
    """`plugins:` written as a mapping works like the list form."""
    s = parse_settings("plugins:\n  search: {}\n  daylog:\n    course: x\n    start_date: 2021-01-18\n")
    assert s.course == "x"


@pytest.mark.parametrize(
    ("extra", "fragment"),
    [
        ("title_off_day: '{day:03d}'", "bad format"),
        ("title: '{course.x}'", "bad format"),
        ("holidays: [2021-01-01..2030-12-31]", "longer than a year"),
        ("holidays: [{from: 2021-02-11, too: 2021-02-12}]", "unknown key `too`"),
        ("logs_dir: ../outside", "inside the workspace"),
        ("logs_dir: /etc", "inside the workspace"),
        ("api_url: 'http://'", "not 'http://'"),
        ("fetch_timeout: 0", "from 1 to 3600, not 0"),
        ("fetch_timeout: 1e9", "from 1 to 3600"),
        ("fetch_timeout: .nan", "from 1 to 3600"),
        ("fetch_timeout: true", "from 1 to 3600, not True"),
        ("fetch_timeout: '60'", "from 1 to 3600, not '60'"),
        ("sections: {til: ['']}", "non-empty heading"),
        ("course: 다른 이름", "given twice"),
    ],
)
def test_more_invalid_settings(extra: str, fragment: str) -> None:
    """Settings that would fail later (formats, ranges, paths, duplicates) fail at load with a line."""
    with pytest.raises(DaylogError) as info:
        parse_settings(settings_with(extra))
    assert fragment in info.value.message and info.value.line is not None


def test_env_tag_reads_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs' `!ENV` works in the daylog block: the first set variable, else the default."""
    monkeypatch.setenv("TEAM_REPO", "team/from-env")
    monkeypatch.delenv("MISSING_ONE", raising=False)
    s = parse_settings(
        settings_with("issue_repo: !ENV TEAM_REPO\napi_url: !ENV [MISSING_ONE, 'https://ghe.example.com/api/v3']")
    )
    assert s.issue_repo == "team/from-env" and s.api_url == "https://ghe.example.com/api/v3"


# --- issue #12: settings are data, not code ----------------------------------------


@pytest.mark.parametrize(
    ("title", "fragment"),
    [
        ("{course.__class__.__mro__}", "attribute and index access are not allowed"),
        ("{course[0]}", "attribute and index access are not allowed"),
        ("{course:>500000000}", "a width above 200 is not allowed"),
        ("{day:.500000000f}", "a precision above 200 is not allowed"),
        ("{course!r}", "conversions are not allowed"),
        ("{day:{week}}", "not a plain width"),
        ("{0} {}", "unknown field `{0}`"),
        ("Day{day", "bad format"),
    ],
)
def test_issue12_title_formats_are_plain_fields_only(title: str, fragment: str) -> None:
    """A title that reaches attributes, asks for a huge width or converts is an error at load, with its line."""
    with pytest.raises(DaylogError) as info:
        parse_settings(settings_with(f"title: {json.dumps(title)}"))
    assert info.value.line == 14
    assert info.value.message.startswith("daylog setting `title`: bad format")
    assert fragment in info.value.message


def test_issue12_format_title_is_the_one_formatter() -> None:
    """`format_title` formats the documented fields like str.format and refuses anything else."""
    fields = {"course": "부스트캠프", "day": 13, "date": "2021-02-03", "author": "mj", "name": "엠제이", "week": 3}
    for fmt in (DEFAULT_TITLE, "[{course} / Day{day:03d}] {name:*^10} {{week}} {week:>3}", "{date:.4}년"):
        assert format_title(fmt, **fields) == fmt.format(**fields)
    for fmt in ("{course.__class__}", "{course:>201}", "{author!s}", "{missing}"):
        with pytest.raises(TitleFormatError):
            format_title(fmt, **fields)
    with pytest.raises(TitleFormatError):
        format_title("{day:03d}", day="")  # an off-course day has no number
    assert isinstance(TitleFormatError("x"), ValueError)  # callers that caught str.format's errors still do


def test_issue12_every_title_goes_through_format_title(tmp_path: Path) -> None:
    """`new`'s and `import`'s titles use format_title: even settings made in code cannot reach attributes."""
    from daylog.entries.scaffold import title_for
    from daylog.porting.importer import entry_title
    from daylog.workspace.files import Workspace
    from daylog.workspace.settings import Member, Settings

    good = Settings(course="부스트캠프", start_date=date(2021, 1, 18), title="[{course} / Day{day:02d}] {name}")
    mj = Member("mj", "엠제이")
    assert title_for(good, date(2021, 1, 19), 2, mj) == "[부스트캠프 / Day02] 엠제이"
    hostile = good._replace(title="{course.__class__.__mro__}", members=(mj,))
    with pytest.raises(DaylogError, match="attribute and index access are not allowed"):
        title_for(hostile, date(2021, 1, 19), 2, mj)
    ws = Workspace(tmp_path, hostile)
    assert entry_title(ws, date(2021, 1, 19), 2, "mj") == "부스트캠프 2021-01-19"  # its fallback, not class names


def test_issue12_title_off_day_is_checked_like_title() -> None:
    """`title_off_day` is validated by the same rules, naming its own key."""
    with pytest.raises(DaylogError, match="daylog setting `title_off_day`: bad format"):
        parse_settings(settings_with("title_off_day: '{date.year}'"))


def test_issue12_holidays_are_capped() -> None:
    """Thousands of holiday entries, or more than ten years of days, are refused at once with a clear error."""
    many = ", ".join(f"2021-{m:02d}-{d:02d}" for m in range(1, 13) for d in range(1, 29)) + ", 2022-01-01" * 200
    with pytest.raises(DaylogError, match="entries are too many") as info:
        parse_settings(settings_with(f"holidays: [{many}]"))
    assert info.value.line == 14
    years = "\n".join(f"  - {y}-01-01..{y}-12-31" for y in range(2021, 2032))
    with pytest.raises(DaylogError, match="more than 3,660 days in all") as info:
        parse_settings(settings_with(f"holidays:\n{years}"))
    assert info.value.line == 25  # the eleventh range, where the total goes over
    ok = parse_settings(settings_with("holidays:\n" + "\n".join(years.splitlines()[:10])))
    assert len(ok.holidays) == 3652


def test_issue12_eight_thousand_year_long_ranges_fail_fast() -> None:
    """The 8,099-range block that made every command take 13-20 s is an error in well under a second."""
    ranges = ", ".join(["2021-01-01..2021-12-31"] * 8099)
    started = time.perf_counter()
    with pytest.raises(DaylogError, match="holidays"):
        parse_settings(settings_with(f"holidays: [{ranges}]"))
    assert time.perf_counter() - started < 2


@pytest.mark.parametrize("zone", ["Asia", "Asia/", "../../etc/passwd", "Asia/Seoul\\0", "x" * 300])
def test_issue12_timezone_that_is_a_folder_or_no_name_is_an_error(zone: str) -> None:
    """`timezone: Asia` (a folder of zones) and other non-zones name the setting and its line."""
    with pytest.raises(DaylogError) as info:
        parse_settings(settings_with(f'timezone: "{zone}"'))
    assert info.value.line == 14
    assert info.value.message.startswith("daylog setting `timezone`: unknown time zone")


@pytest.mark.parametrize(
    ("typo", "meant"), [("folowups", "followups"), ("followup", "followups"), ("remakr", "remark"), ("task", "tasks")]
)
def test_issue12_section_key_one_typo_from_a_builtin_is_an_error(typo: str, meant: str) -> None:
    """A section key one letter off a built-in key is most likely a typo: the error suggests the key."""
    with pytest.raises(DaylogError) as info:
        parse_settings(settings_with(f"sections:\n  til: [배운 점]\n  {typo}: [더 볼 것]"))
    assert info.value.line == 16  # the line of the misspelt key, not of `sections:`
    assert f"did you mean `{meant}`?" in info.value.message


def test_issue12_teams_may_add_their_own_section_keys() -> None:
    """A new section key (not a near-typo) is a new section, and the section lists may name it."""
    extra = "sections: {retro: [회고록], til2: [더 배운 것]}\nprivate_sections: [retro]\nrequired_sections: [til2]"
    s = parse_settings(settings_with(extra))
    assert s.sections["retro"] == ("회고록",) and s.private_sections == ("retro",)
    assert s.required_sections == ("til2",)
    with pytest.raises(DaylogError, match="lower-case ascii"):
        parse_settings(settings_with("sections: {회고: [회고]}"))


@pytest.mark.parametrize(
    "extra",
    [
        "course: ['{}']".format("가" * 500),
        "timezone: {}".format("x" * 500),
        "day_starts_at: '{}'".format("9" * 500),
        "issue_repo: {}".format("a" * 500),
        "title: '{}{{dya}}'".format("가" * 500),
        "members:\n  - id: '../{}'".format("y" * 500),
        "private_sections: [{}]".format("z" * 500),
        "holidays: ['{}']".format("2" * 500),
    ],
)
def test_issue12_error_messages_cut_long_values(extra: str) -> None:
    """An error shows at most about 80 characters of a user's value, never the whole of a long one."""
    if extra.startswith("course"):
        text = BASE.replace("course: 부스트캠프", extra)
    else:
        text = settings_with(extra)
    with pytest.raises(DaylogError) as info:
        parse_settings(text)
    assert len(info.value.message) < 300 and "…" in info.value.message


def test_settings_file_is_read_every_time_without_a_cache(tmp_path: Path) -> None:
    """load_settings reads mkdocs.yml itself each time: an edit is seen at once and nothing is cached."""
    config = tmp_path / "mkdocs.yml"
    config.write_text(BASE, encoding="utf-8")
    assert load_settings(config).course == "부스트캠프"
    config.write_text(BASE.replace("부스트캠프", "다른 과정"), encoding="utf-8")
    assert load_settings(config).course == "다른 과정"
    assert load_settings(config).source == str(config)
    assert not (tmp_path / ".daylog").exists()
