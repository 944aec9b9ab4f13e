"""`daylog status`: the one screen a member looks at in the evening.

Today's entry, the streak and what today still needs, and the open follow-ups and tasks,
all from the cached views: it answers in a fraction of a second on years of entries.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from daylog.calendar import day_end
from daylog.errors import DaylogError
from daylog.followups.lifecycle import FollowUpRecord, TaskRecord
from daylog.followups.service import list_followups, list_tasks
from daylog.streaks.activity import (
    DEFAULT_MODE,
    DEFAULT_SOURCE,
    Activity,
    Collector,
    Source,
    StreakReport,
    streak_report,
)
from daylog.streaks.rules import Mode, TodayStatus, today_status
from daylog.workspace.files import Workspace


@dataclass(frozen=True, slots=True)
class MemberStatus:
    """Where one member stands today."""

    member: str
    today: date
    """The study day (team zone, `day_starts_at` applied)."""
    day: int | None
    """Its course day number; None on a weekend, holiday or before the course."""
    entry_path: str
    """Today's entry, relative to the workspace."""
    entry_exists: bool
    entry_committed: bool | None
    """Whether git has today's entry as it is; None when it does not exist or there is no repository."""
    next_command: str
    """The command to type next (`daylog edit`, `daylog commit --push`)."""
    next_reason: str
    """Why that command, in a few words."""
    report: StreakReport
    today_status: TodayStatus
    """DONE, AT_RISK (a running streak ends unless today gets activity), START or REST."""
    day_ends_at: datetime
    """When the study day ends: the next day's `day_starts_at` o'clock."""
    hours_left: float
    """Hours from now until `day_ends_at` (0 when past)."""
    followups_open: int
    oldest_followup: FollowUpRecord | None
    tasks_open: int
    oldest_task: TaskRecord | None

    @property
    def needs_activity(self) -> bool:
        """Whether today still needs activity to keep the current streak."""
        return self.today_status is TodayStatus.AT_RISK

    def as_json(self) -> dict[str, object]:
        """The documented `daylog status --json` object."""
        s = self.report.streak
        fu, task = self.oldest_followup, self.oldest_task
        return {
            "member": self.member,
            "date": self.today.isoformat(),
            "day": self.day,
            "entry": {"path": self.entry_path, "exists": self.entry_exists, "committed": self.entry_committed},
            "next": {"command": self.next_command, "reason": self.next_reason},
            "streak": {
                "source": self.report.source.value,
                "mode": self.report.mode.value,
                "current": s.current,
                "current_since": s.current_since.isoformat() if s.current_since else None,
                "longest": s.longest,
                "today": self.today_status.value,
                "needs_activity": self.needs_activity,
                "day_ends_at": self.day_ends_at.isoformat(),
                "hours_left": self.hours_left,
            },
            "followups": {
                "open": self.followups_open,
                "oldest": None
                if fu is None
                else {
                    "id": fu.id,
                    "topic": fu.topic,
                    "raised_on": fu.raised_on.isoformat(),
                    "path": fu.path,
                    "line": fu.line,
                },
            },
            "tasks": {
                "open": self.tasks_open,
                "oldest": None
                if task is None
                else {"text": task.text, "first_on": task.first_on.isoformat(), "path": task.path, "line": task.line},
            },
        }


def member_status(
    ws: Workspace,
    member: str,
    now: datetime,
    today: date,
    *,
    source: Source = DEFAULT_SOURCE,
    mode: Mode = DEFAULT_MODE,
) -> tuple[MemberStatus, Activity, list[DaylogError]]:
    """The member's status as of `now` (study day `today`), the activity read and unreadable files."""
    settings = ws.settings
    collector = Collector(ws, source, member)  # git runs while the follow-ups and tasks are read
    path = ws.entry_path(member, today)
    exists = path.is_file()
    in_git = _InGit(ws, path) if exists else None  # so does the entry's git status
    followups, fu_errors = list_followups(ws, today, author=member)
    tasks, task_errors = list_tasks(ws, today, author=member)
    activity = collector.finish()
    calendar = settings.calendar
    days = activity.days.get(member, {})
    report = streak_report(member, days, today, source, mode, calendar)
    ends = day_end(today, settings.zone, settings.day_starts_at)
    left = max(0.0, (ends - now).total_seconds() / 3600)
    committed, remote = in_git.result() if in_git is not None else (None, False)
    today_is = today_status(days, today, mode=mode, is_course_day=calendar.is_course_day)
    command, reason = next_step(exists, committed, remote, today_is, report.streak.current)
    status = MemberStatus(
        member=member,
        today=today,
        day=calendar.day_number(today),
        entry_path=ws.rel(path),
        entry_exists=exists,
        entry_committed=committed,
        next_command=command,
        next_reason=reason,
        report=report,
        today_status=today_is,
        day_ends_at=ends,
        hours_left=math.floor(left * 10) / 10,  # never promise more time than there is
        followups_open=len(followups),
        oldest_followup=followups[0] if followups else None,
        tasks_open=len(tasks),
        oldest_task=min(tasks, key=lambda t: (t.first_on, t.path, t.line)) if tasks else None,
    )
    errors = list({str(e): e for e in (*fu_errors, *task_errors, *activity.errors)}.values())
    return status, activity, errors


def next_step(
    exists: bool, committed: bool | None, has_remote: bool, today: TodayStatus, streak: int
) -> tuple[str, str]:
    """The command to type next and why: write the entry, commit it, or keep writing."""
    if not exists:
        keeps = f"; it keeps your {streak}-day streak" if today is TodayStatus.AT_RISK else ""
        return "daylog edit", f"write today's entry{keeps}"
    if committed is False:
        return ("daylog commit --push" if has_remote else "daylog commit"), "today's entry has changes not committed"
    return "daylog edit", "today's entry is written" + (" and committed" if committed else "") + "; add to it"


class _InGit:
    """Whether git has the entry committed as it is (None outside a repository), and whether
    there is a remote: asked in a thread started at construction, like `Collector`'s git log."""

    def __init__(self, ws: Workspace, path: Path) -> None:
        import threading

        self._answer: tuple[bool | None, bool] = (None, False)
        self._error: Exception | None = None
        self._thread = threading.Thread(target=self._ask, args=(ws, path), daemon=True)
        self._thread.start()

    def _ask(self, ws: Workspace, path: Path) -> None:
        from daylog.entries.commit import CommitRefused, Git

        git = Git(ws.root)
        try:
            changed = git.run("status", "--porcelain", "-z", "--", str(path), timeout=10)
            if changed.returncode != 0:
                return
            remote = git.run("remote", timeout=10)
        except CommitRefused:  # no git, or it took too long: the status goes on without it
            return
        except Exception as exc:  # a bug: raised again in `result`, where the CLI reports it
            self._error = exc
            return
        self._answer = (not changed.stdout.strip(), bool(remote.stdout.strip()))

    def result(self) -> tuple[bool | None, bool]:
        self._thread.join()
        if self._error is not None:
            raise self._error
        return self._answer
