"""The one place daylog reads the clock (the CLI and the site call it; the core never does).

`DAYLOG_NOW` (an ISO 8601 date-time) pretends another moment: scripts, tests and the demo
use it to make "today" reproducible.
"""

from __future__ import annotations

import os
from datetime import date, datetime
from typing import TYPE_CHECKING

from daylog.errors import DaylogError

if TYPE_CHECKING:
    from daylog.workspace.settings import Settings


def now(settings: Settings) -> datetime:
    """The current moment in the team's zone."""
    zone = settings.zone
    fake = os.environ.get("DAYLOG_NOW")
    if not fake:
        return datetime.now(zone)
    try:
        moment = datetime.fromisoformat(fake)
    except ValueError:
        raise DaylogError(
            f"DAYLOG_NOW={fake!r} is not an ISO 8601 date-time (e.g. 2026-11-20T22:00:00+09:00)"
        ) from None
    return moment.astimezone(zone) if moment.tzinfo else moment.replace(tzinfo=zone)


def today(settings: Settings) -> date:
    """Today's study day: the date in the team's zone, before `day_starts_at` still yesterday."""
    from daylog.calendar import study_day

    return study_day(now(settings), settings.zone, settings.day_starts_at)
