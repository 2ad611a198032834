"""School days: Monday to Friday, less the weekdays a school has set as closed (an INSET day,
a holiday). The five-school-day clock of a file handed on and the mornings an overdue task is
reminded count these; nothing else does yet (alert hours keep their own open days).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, timedelta

from schoolsafe.models import School

# Enough for every holiday and training day of a few years; more is almost certainly a paste.
CLOSED_LIMIT = 400


class ClosedDaysError(Exception):
    """A list of closed dates that can't be stored, with a message for the person typing it."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def is_school_day(day: date, closed: Iterable[str] = ()) -> bool:
    """Whether the school is open that day: a weekday not in its closed dates."""
    return day.weekday() < 5 and day.isoformat() not in set(closed)


def after(start: date, days: int, closed: Iterable[str] = ()) -> date:
    """The day `days` school days after `start`."""
    closed, day = set(closed), start
    while days:
        day += timedelta(days=1)
        days -= is_school_day(day, closed)
    return day


def parse(text: str) -> list[str]:
    """Dates typed one a line (or with commas) as sorted ISO dates, each once."""
    found = set()
    for line in text.replace(",", "\n").splitlines():
        if not line.strip():
            continue
        try:
            found.add(date.fromisoformat(line.strip()).isoformat())
        except ValueError:
            raise ClosedDaysError(f"\"{line.strip()[:40]}\" isn't a date. Type one date a "
                                  "line, like 2026-12-24.") from None
    if len(found) > CLOSED_LIMIT:
        raise ClosedDaysError(f"Please list at most {CLOSED_LIMIT} dates.")
    return sorted(found)


def set_closed(school: School, text: str) -> None:
    """Store the dates the school is closed, replacing the list it had."""
    school.closed_days = parse(text)
