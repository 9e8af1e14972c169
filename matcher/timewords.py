"""The one way times are written, on screen and on paper: "Monday 7 December at 10am", "until 5:30pm".

Pure (the app's template filters use these too), Europe/London wall-clock time.
"""

from __future__ import annotations

from datetime import datetime

from matcher.vocabulary import LONDON


def clock(moment: datetime) -> str:
    """``9am``, ``5:30pm``, ``midnight`` in London time (a naive moment is taken as London time)."""
    local = moment.astimezone(LONDON) if moment.tzinfo else moment
    if local.hour == 0 and local.minute == 0:
        return "midnight"
    suffix = "am" if local.hour < 12 else "pm"
    hour = local.hour % 12 or 12
    return f"{hour}{suffix}" if local.minute == 0 else f"{hour}:{local.minute:02d}{suffix}"


def day_and_time(moment: datetime) -> str:
    """``Monday 7 December at 10am``."""
    local = moment.astimezone(LONDON) if moment.tzinfo else moment
    return f"{local:%A} {local.day} {local:%B} at {clock(local)}"


def until(moment: datetime, at: datetime) -> str:
    """``5:30pm`` when it is the same London day as ``at``, else ``Tuesday 8 December at 9am``."""
    if moment.astimezone(LONDON).date() == at.astimezone(LONDON).date():
        return clock(moment)
    return day_and_time(moment)
