"""Stored times in a school's own time zone.

Every timestamp is stored as naive UTC (models/base.py utcnow). People read them in their
school's time: a chronology that goes to the police must not be an hour off in summer.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, tzinfo
from functools import cache
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from babel import Locale, UnknownLocaleError

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


def shown(moment: datetime | None, name: str | None, pattern: str = SHOWN,
          language: str | None = None) -> str:
    """A stored time written in the named zone, e.g. '11 Jun 2025 11:00' ("" for none).

    Given a `language` (text stored in a school's language, such as a chronology line), `%b`
    is that language's abbreviated month name from Babel's locale data ("11 juni 2025 11:00"
    in Swedish); English, or no language, is as strftime writes it.
    """
    local = to_zone(moment, name)
    if not local:
        return ""
    if language and language != "en":
        pattern = pattern.replace("%b", month_name(local.month, language).replace("%", "%%"))
    return local.strftime(pattern)


# Written out, so English dates read the same whatever the machine's locale.
ENGLISH_MONTHS = {"abbreviated": ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep",
                                  "Oct", "Nov", "Dec"),
                  "wide": ("January", "February", "March", "April", "May", "June", "July",
                           "August", "September", "October", "November", "December")}


@cache
def month_name(month: int, language: str | None, width: str = "abbreviated") -> str:
    """A month's (1-12) name as a date in `language` writes it ("abbreviated" or "wide"), from
    Babel's locale data; English for English, no language or one Babel does not know."""
    if language and language != "en":
        try:
            return Locale.parse(language).months["format"][width][month]
        except (UnknownLocaleError, ValueError, KeyError):
            pass
    return ENGLISH_MONTHS[width][month - 1]


def day_starts(day: date, name: str | None) -> datetime:
    """When a day of the named zone begins, as a stored (naive UTC) time."""
    return datetime.combine(day, time.min, zone(name)).astimezone(UTC).replace(tzinfo=None)


def from_zone(day: date, clock: time, name: str | None) -> datetime:
    """A day and time read on a clock of the named zone, as a stored (naive UTC) time."""
    return datetime.combine(day, clock, zone(name)).astimezone(UTC).replace(tzinfo=None)


def today_in(name: str | None, now: datetime) -> date:
    """The date it is in the named zone at the stored time `now`."""
    return to_zone(now, name).date()
