"""`daylog streak` (numbers and grass) and `daylog status` (the evening screen)."""

# No `from __future__ import annotations`: Typer would eval every annotation string at
# start-up (get_type_hints), about 9 ms; plain annotations cost nothing.

from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

import typer

from daylog.cli import completion
from daylog.cli.options import AuthorOption, member_for, now, today, workspace
from daylog.errors import UsageError

if TYPE_CHECKING:
    from daylog.cli.replay import Answer
    from daylog.streaks.activity import StreakReport
    from daylog.workspace.files import Workspace

SourceOpt = Annotated[
    str,
    typer.Option(
        "--source",
        metavar="entries|commits|both",
        help="What counts as activity: written entries, commits, or both (a day's count is their sum).",
    ),
]
ModeOpt = Annotated[
    str,
    typer.Option(
        "--mode",
        metavar="calendar|course",
        help="calendar: every day counts (GitHub's rule); course: weekends and holidays neither count nor break.",
    ),
]
JsonOpt = Annotated[bool, typer.Option("--json", help="Print JSON (see the README for the keys).")]


def _choice(kind: type[Any], value: str, option: str) -> Any:
    try:
        return kind(value)
    except ValueError:
        allowed = "|".join(m.value for m in kind)
        raise UsageError(f"{option} {value!r}: use one of {allowed}") from None


def _notes(activity: Any, errors: Any = ()) -> None:
    from daylog.terminal import note

    for message in activity.notes:
        note(message)
    for err in errors or activity.errors:
        note(f"skipped {err}")


def streak(
    author: Annotated[
        str | None,
        typer.Option(
            "--author",
            "-a",
            help="Only this member (id, name, alias or GitHub login).",
            autocompletion=completion.members,
        ),
    ] = None,
    mine: Annotated[bool, typer.Option("--mine", help="Only you (the member with your git user.email).")] = False,
    team: Annotated[bool, typer.Option("--team", help="The team: days on which every member was active.")] = False,
    source: SourceOpt = "both",
    mode: ModeOpt = "calendar",
    weeks: Annotated[
        int | None,
        typer.Option("--weeks", min=1, help="Week columns of grass. Default: what fits the terminal, at most 53."),
    ] = None,
    json_: JsonOpt = False,
    color: Annotated[
        bool | None,
        typer.Option("--color/--no-color", help="Colour the grass. Default: on a terminal, unless NO_COLOR is set."),
    ] = None,
) -> None:
    """Current and longest streaks with GitHub-style grass, for each member or the team.

    The current streak counts back from today; a today without activity yet does not
    break it. A study day runs from `day_starts_at` to `day_starts_at`, in the team's zone.
    """
    from daylog.cli.replay import emit, replayed
    from daylog.streaks.activity import Source, history_keys
    from daylog.streaks.rules import Mode
    from daylog.terminal import use_color

    if sum((author is not None, mine, team)) > 1:
        raise UsageError("use one of --author, --mine, --team")
    src = _choice(Source, source, "--source")
    how = _choice(Mode, mode, "--mode")
    ws = workspace()
    chosen = [member_for(ws.settings, author, ws.root).id] if author is not None or mine else []
    day = today(ws.settings)
    color = use_color(color)
    if weeks is None:
        import shutil

        weeks = max(1, min(53, (shutil.get_terminal_size((80, 24)).columns - 5) // 2))
    shown = (chosen, team, weeks, json_, color)

    unread: list[str] = []  # repositories git log failed on: not kept, their HEAD may stay while that passes

    def make() -> "Answer":
        return _streak(ws, src, how, day, shown, unread)

    histories = history_keys(ws) if src.commits else ()
    if histories is None:  # a repository daylog cannot key (no HEAD, a mailmap.file): read it every time
        emit(make())
        return
    _, template = ws.template()  # what counts as written in an entry (`activity.template_baseline`)
    options = (src.value, how.value, day, shown, template, histories)
    def still() -> bool:
        return not unread and (not src.commits or history_keys(ws) == histories)

    emit(replayed(ws, "streak", options, make, still=still))


def _streak(
    ws: "Workspace",
    src: Any,
    how: Any,
    day: date,
    shown: tuple[list[str], bool, int, bool, bool],
    unread: list[str] | None = None,
) -> "Answer":
    """`streak`'s output; `shown` is (members chosen, --team, weeks, --json, colour); the
    repositories whose commits could not be read go to `unread`."""
    from daylog.cli.replay import Answer
    from daylog.streaks.activity import collect, reported_members, streak_report, team_report

    chosen, team, weeks, json_, color = shown
    settings = ws.settings
    activity = collect(ws, src)
    if unread is not None:
        unread.extend(activity.unread)
    notes = (*activity.notes, *(f"skipped {err}" for err in activity.errors))
    calendar = settings.calendar
    members = reported_members(settings, activity)
    if team:
        reports = [team_report(activity, members, day, src, how, calendar)]
    else:
        reports = [streak_report(m, activity.days.get(m, {}), day, src, how, calendar) for m in chosen or members]
    if json_:
        objects = [r.as_json() for r in reports]
        data = objects if not (chosen or team) else objects[0]
        return Answer.of_json(data, notes)
    names = {m.id: m.name for m in settings.members}
    blocks = [_block(r, names.get(r.member), day, weeks, color) for r in reports]
    return Answer("\n".join(blocks), notes, color=color)  # each block ends with a newline: one blank line between


def _days(n: int) -> str:
    return f"{n} day" if n == 1 else f"{n} days"


def _block(report: "StreakReport", name: str | None, day: Any, weeks: int, color: bool) -> str:
    """Heading, figures and grass of one report."""
    from daylog.streaks.heatmap import grid, text

    s = report.streak
    who = "team (every member active)" if report.member == "team" and name is None else report.member
    heading = f"{who}" + (f" {name}" if name else "") + f" · source {report.source.value} · {report.mode.value} mode"
    current = _days(s.current) + (f" since {s.current_since}" if s.current_since else "")
    longest = _days(s.longest) + (f", {s.longest_from} – {s.longest_to}" if s.longest_from else "")
    last = f", last {s.last_active}" if s.last_active else ""
    figures = f"current {current} · longest {longest} · {_days(s.active_days)} active{last}"
    return f"{heading}\n{figures}\n{text(grid(report.days, day, weeks), color=color)}"


def status(
    author: AuthorOption = None,
    source: SourceOpt = "both",
    mode: ModeOpt = "calendar",
    json_: JsonOpt = False,
) -> None:
    """Today at a glance: your entry, your streak and what today still needs, open follow-ups and tasks."""
    from daylog.streaks.activity import Source
    from daylog.streaks.rules import Mode, TodayStatus
    from daylog.streaks.status import member_status
    from daylog.terminal import print_json

    src = _choice(Source, source, "--source")
    how = _choice(Mode, mode, "--mode")
    ws = workspace()
    settings = ws.settings
    who = member_for(settings, author, ws.root)
    st, activity, errors = member_status(ws, who.id, now(settings), today(settings), source=src, mode=how)
    _notes(activity, errors)
    if json_:
        print_json(st.as_json())
        return
    s = st.report.streak
    day = f"Day{st.day}" if st.day is not None else "no course day"
    left = f"{st.hours_left:g}h left (ends {st.day_ends_at:%Y-%m-%d %H:%M})"
    lines = [f"{who.id} {who.name} · {st.today} {day} · {left}"]
    if not st.entry_exists:
        entry = f"none yet ({st.entry_path})"
    else:
        entry = st.entry_path + {True: " (committed)", False: " (not committed)", None: ""}[st.entry_committed]
    lines.append(f"entry      {entry}")
    since = f" since {s.current_since}" if s.current_since else ""
    today_says = {
        TodayStatus.DONE: "today done",
        TodayStatus.AT_RISK: f"needs {_needed(st.report.source.value)} today to continue ({st.hours_left:g}h left)",
        TodayStatus.START: "activity today starts one",
        TodayStatus.REST: "today is a rest day",
    }[st.today_status]
    lines.append(f"streak     {_days(s.current)}{since} (longest {_days(s.longest)}) · {today_says}")
    fu = st.oldest_followup
    lines.append(
        f"follow-ups {st.followups_open} open"
        + (f", oldest {fu.raised_on} {fu.topic} ({fu.id}, {fu.path}:{fu.line})" if fu else "")
    )
    task = st.oldest_task
    lines.append(
        f"tasks      {st.tasks_open} open"
        + (f", oldest since {task.first_on} {task.text} ({task.path}:{task.line})" if task else "")
    )
    lines.append(f"next       {st.next_command}  ({st.next_reason})")
    typer.echo("\n".join(lines))


def _needed(source: str) -> str:
    """What counts as today's activity, in words."""
    return {"entries": "an entry", "commits": "a commit"}.get(source, "an entry or a commit")


def register(app: typer.Typer) -> None:
    app.command()(streak)
    app.command()(status)
