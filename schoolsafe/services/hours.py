"""School hours: whether staff are reading reports now, and when they next will be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo


@dataclass(frozen=True)
class Hours:
    """When a school's staff read reports, in the school's own time zone."""

    timezone: str
    start: time
    end: time
    days: frozenset[int]  # ISO weekdays, 1 = Monday

    @classmethod
    def parse(cls, timezone: str, start: str, end: str, days: list[int]) -> Hours:
        """Build from the strings and list stored on a school."""
        return cls(timezone, time.fromisoformat(start), time.fromisoformat(end), frozenset(days))


def _local(hours: Hours, now_utc: datetime) -> datetime:
    aware = now_utc if now_utc.tzinfo else now_utc.replace(tzinfo=UTC)
    return aware.astimezone(ZoneInfo(hours.timezone))


def is_open(hours: Hours, now_utc: datetime) -> bool:
    """Whether now falls inside the school's hours."""
    local = _local(hours, now_utc)
    return local.isoweekday() in hours.days and hours.start <= local.time() < hours.end


def next_open(hours: Hours, now_utc: datetime) -> datetime | None:
    """The next time staff start reading, in local time (None if the school has no days)."""
    local = _local(hours, now_utc)
    for offset in range(0, 8):
        day = (local + timedelta(days=offset)).date()
        opening = datetime.combine(day, hours.start, tzinfo=local.tzinfo)
        if day.isoweekday() in hours.days and opening > local:
            return opening
    return None


def staff_back_text(hours: Hours, now_utc: datetime) -> str | None:
    """Plain words for when staff will see a report sent now; None during school hours."""
    if is_open(hours, now_utc):
        return None
    opening = next_open(hours, now_utc)
    if opening is None:
        return None
    local = _local(hours, now_utc)
    if opening.date() == local.date():
        day = "today"
    elif opening.date() == (local + timedelta(days=1)).date():
        day = "tomorrow"
    else:
        day = opening.strftime("on %A")
    return f"{day} at {opening.strftime('%-I:%M%p').lower()}"
