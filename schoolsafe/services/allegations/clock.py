"""The one-working-day clock of an allegation about a member of staff: when the designated
officer (England's LADO) should have had the referral, counted from when the school heard."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from schoolsafe.services.alerts.hours import Hours


def referral_due(hours: Hours, heard_at: datetime) -> datetime:
    """The same time of day on the school's next open day after the one it heard on, as naive
    UTC; a school with no open days gets a day."""
    zone = ZoneInfo(hours.timezone)
    local = heard_at.replace(tzinfo=UTC).astimezone(zone)
    for offset in range(1, 8):
        day = local.date() + timedelta(days=offset)
        if day.isoweekday() in hours.days:
            due = datetime.combine(day, local.time(), tzinfo=zone)
            return due.astimezone(UTC).replace(tzinfo=None)
    return heard_at + timedelta(days=1)
