"""The audit trail as CSV: who, action, record type, record id and when. Never any content."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator
from datetime import date, timedelta

from sqlalchemy import Select, func, select
from sqlalchemy.orm import Session

from schoolsafe.models import AuditEvent, User
from schoolsafe.services import local_time
from schoolsafe.services.allegations import visibility
from schoolsafe.vocab import N_

HEADER = ("when_utc", "who", "action", "record_type", "record_id")
# A spreadsheet runs a cell that starts with one of these as a formula; a leading quote stops it.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
SYSTEM = "(system)"


class AuditRangeError(ValueError):
    """The dates asked for don't make a range."""


def parse_range(start: str, end: str) -> tuple[date | None, date | None]:
    """Optional YYYY-MM-DD dates, the first not after the second."""
    try:
        first = date.fromisoformat(start) if start.strip() else None
        last = date.fromisoformat(end) if end.strip() else None
    except ValueError as error:
        raise AuditRangeError(N_("Type dates like 2025-09-30 (year, month, day).")) from error
    if first and last and first > last:
        raise AuditRangeError(N_("The first date is after the last one. Swap them round."))
    return first, last


def _query(school_id: int, first: date | None, last: date | None,
           timezone: str | None = None) -> Select:
    query = (select(AuditEvent.at, User.email, AuditEvent.action, AuditEvent.record_type,
                    AuditEvent.record_id)
             .outerjoin(User, User.id == AuditEvent.user_id)
             .where(AuditEvent.school_id == school_id))
    # The dates are the school's days: a day starts at the school's midnight.
    if first:
        query = query.where(AuditEvent.at >= local_time.day_starts(first, timezone))
    if last:
        query = query.where(AuditEvent.at < local_time.day_starts(last + timedelta(days=1),
                                                                  timezone))
    return query


def _seen(session: Session, query: Select) -> Select:
    # Rows about a report or case about a member of staff are for its contacts alone.
    return visibility.leave_out_hidden(session, query, AuditEvent.record_id)


def count(session: Session, school_id: int, first: date | None, last: date | None) -> int:
    """How many events the export would hold."""
    inner = _seen(session, _query(school_id, first, last)).subquery()
    # Counted as listed: the filter inside is already applied by _seen().
    return session.scalar(visibility.everything(select(func.count()).select_from(inner))) or 0


def recent(session: Session, school_id: int, limit: int = 50) -> list[tuple]:
    """The latest events, newest first, for the page."""
    query = _seen(session, _query(school_id, None, None)).order_by(AuditEvent.at.desc(),
                                                                   AuditEvent.id.desc())
    return [tuple(row) for row in session.execute(query.limit(limit))]


def rows(session: Session, school_id: int, first: date | None, last: date | None,
         timezone: str | None = None) -> Iterator[tuple]:
    """Every event of the school in the range (the school's days), oldest first, in batches."""
    # Built now, not when the CSV is streamed: the viewer it leaves hidden rows out for is
    # known only while the request is being handled.
    query = _seen(session, _query(school_id, first, last, timezone)).order_by(AuditEvent.at,
                                                                              AuditEvent.id)
    return _formatted(session.execute(query.execution_options(yield_per=500)))


def _formatted(events: Iterable[tuple]) -> Iterator[tuple]:
    for at, email, action, record_type, record_id in events:
        yield at.strftime("%Y-%m-%dT%H:%M:%SZ"), email or SYSTEM, action, record_type, record_id


def _cell(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value


def csv_lines(events: Iterable[tuple]) -> Iterator[str]:
    """The CSV text, a line at a time, header first."""
    buffer = io.StringIO()
    writer = csv.writer(buffer)

    def line(values: Iterable[str]) -> str:
        writer.writerow(values)
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    yield line(HEADER)
    for event in events:
        yield line(_cell(str(value)) for value in event)
