"""School hours: whether staff are reading reports now, and when they next will be."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from schoolsafe.services.errors import FieldError
from schoolsafe.vocab import N_

if TYPE_CHECKING:
    from schoolsafe.models import School


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


def next_open_utc(hours: Hours, now_utc: datetime) -> datetime | None:
    """When staff next start reading, as naive UTC like every stored timestamp."""
    opening = next_open(hours, now_utc)
    return opening.astimezone(UTC).replace(tzinfo=None) if opening else None


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


def for_school(school: School) -> Hours:
    """A school's hours as stored on it."""
    return Hours.parse(school.timezone, school.hours_start, school.hours_end, school.open_days)


class SettingsError(FieldError):
    """School hours or acknowledgement times we can't accept; the message is shown."""


@dataclass(frozen=True)
class SchoolTimes:
    """Hours and acknowledgement times as an administrator typed them."""

    timezone: str
    start: str
    end: str
    days: tuple[int, ...]
    ack_minutes_immediate: int
    ack_minutes_high: int


# A whole school day is the longest sensible wait; anything longer is almost certainly a typo.
MAX_ACK_MINUTES = 24 * 60


def update_times(school: School, times: SchoolTimes) -> None:
    """Check and store a school's hours and how long urgent reports may wait."""
    try:
        ZoneInfo(times.timezone)
    except (ZoneInfoNotFoundError, ValueError) as error:
        raise SettingsError("timezone", N_("Choose a time zone from the list.")) from error
    start, end = _clock(times.start, "start"), _clock(times.end, "end")
    if end <= start:
        raise SettingsError("end", N_("The end of the day must be later than the start."))
    if not times.days or not set(times.days) <= set(range(1, 8)):
        raise SettingsError("days", N_("Tick at least one day when staff read reports."))
    _check_minutes(times.ack_minutes_immediate, "ack_minutes_immediate")
    _check_minutes(times.ack_minutes_high, "ack_minutes_high")
    if times.ack_minutes_immediate > times.ack_minutes_high:
        raise SettingsError("ack_minutes_immediate", N_("Immediate reports can't be given longer "
                            "than high ones."))
    school.timezone, school.open_days = times.timezone, sorted(set(times.days))
    school.hours_start, school.hours_end = start.strftime("%H:%M"), end.strftime("%H:%M")
    school.ack_minutes_immediate = times.ack_minutes_immediate
    school.ack_minutes_high = times.ack_minutes_high


def _clock(value: str, field_name: str) -> time:
    # "8:30" is as clear as "08:30" to a person, so accept both.
    hour, _, minute = value.strip().partition(":")
    if hour.isdigit() and minute.isdigit() and len(minute) == 2:
        if int(hour) < 24 and int(minute) < 60:
            return time(int(hour), int(minute))
    raise SettingsError(field_name, N_("Type a time like 08:30 or 16:00."))


def _check_minutes(minutes: int, field_name: str) -> None:
    if not 1 <= minutes <= MAX_ACK_MINUTES:
        raise SettingsError(field_name, N_("Choose between 1 and %(most)s minutes."),
                            most=MAX_ACK_MINUTES)
