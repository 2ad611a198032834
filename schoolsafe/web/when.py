"""Times a pupil reads, in the page's language: Babel's day names and clock, in the school's
own time zone (services/alerts/hours.py works the times out, in that zone)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from flask_babel import format_date, format_time, get_locale, gettext

from schoolsafe.services.alerts import hours


def staff_back_words(school_hours: hours.Hours, now_utc: datetime) -> str | None:
    """When staff will see a report sent now ("tomorrow at 8:00am"); None during school hours
    or when the school has no days."""
    if hours.is_open(school_hours, now_utc):
        return None
    opening = hours.next_open(school_hours, now_utc)
    if opening is None:
        return None
    today = now_utc.replace(tzinfo=UTC).astimezone(opening.tzinfo).date()
    clock = _clock(opening)
    if opening.date() == today:
        return gettext("today at %(time)s", time=clock)
    if opening.date() == today + timedelta(days=1):
        return gettext("tomorrow at %(time)s", time=clock)
    return gettext("on %(day)s at %(time)s", day=format_date(opening, "EEEE", rebase=False),
                   time=clock)


def _clock(moment: datetime) -> str:
    # The English pupils read stays word for word as it was ("8:00am", bench/pupil_time.py);
    # every other language has its own way of writing the time (Welsh, Swedish: 08:00).
    if str(get_locale()) == "en":
        return format_time(moment, "h:mma", rebase=False).lower()
    return format_time(moment, "short", rebase=False)
