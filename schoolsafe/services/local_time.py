"""Stored times in a school's own time zone.

Every timestamp is stored as naive UTC (models/base.py utcnow). People read them in their
school's time: a chronology that goes to the police must not be an hour off in summer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

DEFAULT_TIMEZONE = "Europe/London"
SHOWN = "%d %b %Y %H:%M"


@cache
def zone(name: str | None) -> tzinfo:
    """The named IANA zone; UTC when the name is empty or not a zone we know."""
    try:
        return ZoneInfo(name) if name else UTC
    except (ZoneInfoNotFoundError, ValueError):
        # A mistyped zone must not break a page; UTC is at least honest about what it is.
        return UTC


def to_zone(moment: datetime | None, name: str | None) -> datetime | None:
    """A stored time (naive means UTC) as an aware time in the named zone; None stays None."""
    if moment is None:
        return None
    aware = moment if moment.tzinfo else moment.replace(tzinfo=UTC)
    return aware.astimezone(zone(name))


def shown(moment: datetime | None, name: str | None, pattern: str = SHOWN) -> str:
    """A stored time written in the named zone, e.g. '11 Jun 2025 11:00' ("" for none)."""
    local = to_zone(moment, name)
    return local.strftime(pattern) if local else ""


def day_starts(day: date, name: str | None) -> datetime:
    """When a day of the named zone begins, as a stored (naive UTC) time."""
    return datetime.combine(day, time.min, zone(name)).astimezone(UTC).replace(tzinfo=None)


def from_zone(day: date, clock: time, name: str | None) -> datetime:
    """A day and time read on a clock of the named zone, as a stored (naive UTC) time."""
    return datetime.combine(day, clock, zone(name)).astimezone(UTC).replace(tzinfo=None)


def today_in(name: str | None, now: datetime) -> date:
    """The date it is in the named zone at the stored time `now`."""
    return to_zone(now, name).date()
