"""The dates an insight page covers: read from the filter form and split into months."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from schoolsafe.vocab import N_

# Two school years side by side is the longest comparison a governors' report needs, and it
# keeps the month-by-month tables readable.
MAX_MONTHS = 24


class PeriodError(ValueError):
    """Dates we can't show; the message is for the person who typed them."""


@dataclass(frozen=True)
class Month:
    """One calendar month: its key as the database groups by it, and its label."""

    key: str
    label: str


@dataclass(frozen=True)
class Period:
    """From the first day to the last day, both included."""

    start: date
    end: date

    @property
    def since(self) -> datetime:
        """The first moment in the period (timestamps are stored in UTC)."""
        return datetime.combine(self.start, time.min)

    @property
    def until(self) -> datetime:
        """The first moment after the period."""
        return datetime.combine(self.end + timedelta(days=1), time.min)

    def whole_months(self) -> Period:
        """From the first of the start month to the last day of the end month."""
        return Period(self.start.replace(day=1),
                      _add_months(self.end.replace(day=1), 1) - timedelta(days=1))

    def month_span(self) -> str:
        """The months it covers in words, such as "Dec 2025 to Nov 2026" or "Jan 2025"."""
        months = self.months()
        if len(months) == 1:
            return months[0].label
        return f"{months[0].label} to {months[-1].label}"

    def months(self) -> list[Month]:
        """Every calendar month the period touches, oldest first."""
        first = self.start.replace(day=1)
        count = _month_index(self.end) - _month_index(first) + 1
        return [_month(_add_months(first, n)) for n in range(count)]


def default_period(today: date) -> Period:
    """The last twelve months, this one included."""
    return Period(_add_months(today.replace(day=1), -11), today)


def parse_period(start_text: str, end_text: str, today: date) -> Period:
    """The period typed in the filter form; empty fields fall back to the last twelve months."""
    default = default_period(today)
    start = _parse(start_text, "The start date", default.start)
    end = _parse(end_text, "The end date", default.end)
    if start > end:
        raise PeriodError(N_("The start date is after the end date. Please swap them round."))
    if _month_index(end) - _month_index(start) + 1 > MAX_MONTHS:
        raise PeriodError(f"Please choose up to {MAX_MONTHS} months at a time.")
    return Period(start, end)


def _parse(text: str, name: str, default: date) -> date:
    text = (text or "").strip()
    if not text:
        return default
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise PeriodError(f"{name} isn't a date we recognise. Please use the form "
                          "year-month-day, for example 2025-09-01.") from None


def _month_index(day: date) -> int:
    return day.year * 12 + day.month - 1


def _add_months(first_of_month: date, months: int) -> date:
    index = _month_index(first_of_month) + months
    return date(index // 12, index % 12 + 1, 1)


def _month(first_of_month: date) -> Month:
    return Month(first_of_month.strftime("%Y-%m"), first_of_month.strftime("%b %Y"))
