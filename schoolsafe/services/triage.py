"""The DSL's queue of reports: filters, search, pages, and acknowledging a report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Select, exists, func, or_, select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, OnlineAccount, Report, ReportCategory, Sighting, User
from schoolsafe.models.base import utcnow
from schoolsafe.models.report import ACKNOWLEDGED, CLOSED, NEW
from schoolsafe.services.categories import CATEGORY_LABELS
from schoolsafe.services.urgency import LEVELS

PAGE_SIZE = 50
STATUS_FILTERS = {
    "open": "New and acknowledged",
    "new": "New (not yet acknowledged)",
    "acknowledged": "Acknowledged",
    "closed": "Closed",
    "all": "All",
}
_STATUSES = {"open": (NEW, ACKNOWLEDGED), "new": (NEW,), "acknowledged": (ACKNOWLEDGED,),
             "closed": (CLOSED,), "all": (NEW, ACKNOWLEDGED, CLOSED)}
UNASSIGNED = "none"


@dataclass(frozen=True)
class QueueFilters:
    """What the DSL asked to see; empty values mean "any"."""

    status: str = "open"
    urgency: str = ""
    category: str = ""
    assignee: str = ""  # a DSL's public id, UNASSIGNED, or empty
    received_from: date | None = None
    received_to: date | None = None
    search: str = ""
    problems: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class QueueRow:
    """One report in the queue, with its case and assignee when it has them."""

    report: Report
    case_reference: str | None
    case_public_id: str | None
    assignee_name: str | None


@dataclass(frozen=True)
class Page:
    """One page of rows and what the pager needs."""

    rows: list
    number: int
    total: int
    size: int

    @property
    def has_next(self) -> bool:
        """Whether a later page has rows."""
        return self.number * self.size < self.total

    @property
    def last(self) -> int:
        """The number of the last page (1 when empty)."""
        return max(1, -(-self.total // self.size))


def filters_from(args: Mapping[str, str]) -> QueueFilters:
    """Filters from a query string; anything not understood is dropped and named in problems."""
    problems: list[str] = []
    status = args.get("status", "open")
    if status not in STATUS_FILTERS:
        status = "open"
    urgency = args.get("urgency", "")
    category = args.get("category", "")
    return QueueFilters(
        status=status, urgency=urgency if urgency in LEVELS else "",
        category=category if category in CATEGORY_LABELS else "",
        assignee=args.get("assignee", "")[:40],
        received_from=_date(args.get("from", ""), "From", problems),
        received_to=_date(args.get("to", ""), "To", problems),
        search=" ".join(args.get("q", "").split())[:100], problems=tuple(problems))


def _date(value: str, name: str, problems: list[str]) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        problems.append(f"The '{name}' date wasn't understood, so it was left out. "
                        "Please use the form 2026-03-31.")
        return None


def queue(session: Session, school_id: int, filters: QueueFilters | None = None,
          page: int = 1, *, timezone: str = "UTC", size: int | None = None) -> Page:
    """One page of the school's reports, most urgent first, then oldest first."""
    size = size or PAGE_SIZE
    query = _filtered(school_id, filters or QueueFilters(), timezone)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(
        query.order_by(Report.urgency_rank, Report.received_at, Report.id)
        .limit(size).offset((max(page, 1) - 1) * size)
    ).all()
    return Page([QueueRow(*row) for row in rows], max(page, 1), total, size)


def _filtered(school_id: int, filters: QueueFilters, timezone: str) -> Select:
    # Case and assignee come in the same query, so a page costs the same few queries at any size.
    query = (select(Report, Case.reference, Case.public_id, User.name)
             # The school condition is redundant but lets the database read only this
             # school's cases when a filter or search needs them, not every school's.
             .outerjoin(Case, (Report.case_id == Case.id) & (Case.school_id == school_id))
             .outerjoin(User, Case.assigned_to_id == User.id)
             .where(Report.school_id == school_id,
                    Report.status.in_(_STATUSES[filters.status])))
    if filters.urgency:
        query = query.where(Report.urgency == filters.urgency)
    if filters.category:
        query = query.where(exists().where(ReportCategory.report_id == Report.id,
                                           ReportCategory.category == filters.category))
    query = _by_assignee(query, filters.assignee)
    query = _by_dates(query, filters, timezone)
    return _by_search(query, filters.search, school_id)


def _by_assignee(query: Select, assignee: str) -> Select:
    if assignee == UNASSIGNED:
        return query.where(Case.assigned_to_id.is_(None))
    if assignee:
        return query.where(User.public_id == assignee)
    return query


def _by_dates(query: Select, filters: QueueFilters, timezone: str) -> Select:
    # The DSL thinks in the school's days; received_at is stored in UTC.
    if filters.received_from:
        query = query.where(Report.received_at >= _utc_start(filters.received_from, timezone))
    if filters.received_to:
        next_day = filters.received_to + timedelta(days=1)
        query = query.where(Report.received_at < _utc_start(next_day, timezone))
    return query


def _utc_start(day: date, timezone: str) -> datetime:
    local = datetime.combine(day, time.min, tzinfo=ZoneInfo(timezone))
    return local.astimezone(UTC).replace(tzinfo=None)


def _by_search(query: Select, term: str, school_id: int) -> Select:
    """Match an account handle as typed or as registered, or a case reference."""
    term = term.lstrip("@").strip()
    if not term:
        return query
    # Only this school's sightings (an indexed column): the database may work out the matching
    # reports once for the whole page, and must not scan every school's sightings to do it.
    named = (exists().where(Sighting.report_id == Report.id, Sighting.school_id == school_id)
             .where(Sighting.account_id == OnlineAccount.id, OnlineAccount.school_id == school_id)
             .where(or_(Sighting.raw_text.icontains(term, autoescape=True),
                        OnlineAccount.display.icontains(term, autoescape=True))))
    return query.where(or_(named, Case.reference.icontains(term, autoescape=True)))


def unacknowledged_count(session: Session, school_id: int) -> int:
    """How many reports nobody has acknowledged yet."""
    return session.scalar(select(func.count()).select_from(Report).where(
        Report.school_id == school_id, Report.status == NEW)) or 0


def acknowledge(report: Report, user_id: int, now: datetime | None = None) -> bool:
    """Mark the report seen by a DSL; False if someone already had. Stops further alerts."""
    if report.acknowledged_at is not None:
        return False
    report.acknowledged_at = now or utcnow()
    report.acknowledged_by_id = user_id
    report.status = ACKNOWLEDGED
    report.next_escalation_at = None
    return True
