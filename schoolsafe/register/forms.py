"""Reading the register's forms: dates typed in the school's own time, and the inputs."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from schoolsafe.services.register.linking import Place
from schoolsafe.services.register.status import AnswerInput, PlatformReportInput, StatusError
from schoolsafe.vocab import N_


def local_time(value: datetime | None, timezone: str) -> datetime | None:
    """A stored UTC time as the school's wall-clock time."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC).astimezone(ZoneInfo(timezone)).replace(tzinfo=None)


def typed_time(form: Mapping[str, str], prefix: str, timezone: str) -> datetime | None:
    """`<prefix>_date` (YYYY-MM-DD) and optional `<prefix>_time` (HH:MM) as UTC, or None."""
    day_text = form.get(f"{prefix}_date", "").strip()
    if not day_text:
        return None
    try:
        day = date.fromisoformat(day_text)
        clock = time.fromisoformat(form.get(f"{prefix}_time", "").strip() or "00:00")
    except ValueError as error:
        raise StatusError(f"{prefix}_at", N_("Please give the date as day, month and year, and "
                          "the time (if you know it) as hours and minutes.")) from error
    local = datetime.combine(day, clock, tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


def platform_report_input(form: Mapping[str, str], timezone: str) -> PlatformReportInput:
    """The "we reported it" form."""
    return PlatformReportInput(route=form.get("route", ""),
                               reported_at=typed_time(form, "reported", timezone),
                               reference=form.get("reference", "").strip())


def answer_input(form: Mapping[str, str], timezone: str) -> AnswerInput:
    """The "the platform answered" form."""
    return AnswerInput(outcome=form.get("outcome", ""),
                       answered_at=typed_time(form, "answered", timezone),
                       answer=form.get("answer", "").strip())


def place_input(form: Mapping[str, str]) -> Place:
    """An online place typed by staff on a case."""
    return Place(platform=form.get("platform", "").strip(), text=form.get("text", "").strip())
