"""The DSL's queue of reports: filters, search, pages, and acknowledging a report."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import ColumnElement, ScalarSelect, Select, exists, func, select, tuple_, union
from sqlalchemy.orm import Session

from schoolsafe.models import Case, OnlineAccount, Report, ReportCategory, Sighting, User
from schoolsafe.models.base import utcnow
from schoolsafe.services.reports.categories import CATEGORY_LABELS
from schoolsafe.vocab import QueueFilter, ReportStatus, Urgency

PAGE_SIZE = 50
_NEW, _ACKNOWLEDGED, _CLOSED = ReportStatus.NEW, ReportStatus.ACKNOWLEDGED, ReportStatus.CLOSED
_STATUSES = {QueueFilter.OPEN: (_NEW, _ACKNOWLEDGED), QueueFilter.NEW: (_NEW,),
             QueueFilter.ACKNOWLEDGED: (_ACKNOWLEDGED,), QueueFilter.CLOSED: (_CLOSED,),
             QueueFilter.ALL: (_NEW, _ACKNOWLEDGED, _CLOSED)}
UNASSIGNED = "none"


@dataclass(frozen=True)
class QueueFilters:
    """What the DSL asked to see; empty values mean "any"."""

    status: str = QueueFilter.OPEN
    urgency: str = ""
    category: str = ""
    assignee: str = ""  # a DSL's public id, UNASSIGNED, or empty
    received_from: date | None = None
    received_to: date | None = None
    search: str = ""
    problems: tuple[str, ...] = field(default=(), compare=False)


@dataclass(frozen=True)
class QueueReport:
    """What the queue shows of one report."""

    id: int
    public_id: str
    urgency: str
    received_at: datetime
    about: str
    source: str
    status: str
    category_codes: tuple[str, ...]
    choices: tuple[str, ...] = ()
    restricted_to: str = ""  # set when it is about a member of staff


@dataclass(frozen=True)
class QueueRow:
    """One report in the queue, with its case and assignee when it has them."""

    report: QueueReport
    case_reference: str | None
    case_public_id: str | None
    assignee_name: str | None


@dataclass(frozen=True)
class QueuePage:
    """One page of the queue, found by its number or by the report next to it."""

    rows: list[QueueRow]
    number: int
    total: int
    size: int
    has_next: bool
    has_previous: bool
    unacknowledged: int = 0  # of all the school's reports, whatever the filters

    @property
    def last(self) -> int:
        """The number of the last page: never before this one while later pages have rows."""
        counted = max(1, -(-self.total // self.size))
        return max(counted, self.number + 1) if self.has_next else self.number

    @property
    def first_id(self) -> str:
        """The public id of the first report shown (where "Previous page" ends)."""
        return self.rows[0].report.public_id if self.rows else ""

    @property
    def last_id(self) -> str:
        """The public id of the last report shown (where "Next page" starts after)."""
        return self.rows[-1].report.public_id if self.rows else ""


def filters_from(args: Mapping[str, str]) -> QueueFilters:
    """Filters from a query string; anything not understood is dropped and named in problems."""
    problems: list[str] = []
    status = args.get("status", QueueFilter.OPEN)
    if status not in QueueFilter.values():
        status = QueueFilter.OPEN
    urgency = args.get("urgency", "")
    category = args.get("category", "")
    return QueueFilters(
        status=status, urgency=urgency if urgency in Urgency.values() else "",
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
          page: int = 1, *, timezone: str = "UTC", size: int | None = None,
          after: str = "", before: str = "") -> QueuePage:
    """One page of the school's reports, most urgent first, then oldest first.

    `after` (or `before`) names the report just before (or just after) the wanted page; the
    page then starts from that report's place in the order, so page 200 costs what page 1
    does. Without one, or when that report is not the school's, the page number decides.
    """
    size = size or PAGE_SIZE
    page = max(page, 1)
    filters = filters or QueueFilters()
    matching = _filtered(school_id, filters, timezone)
    key = _order_key(session, school_id, after or before)
    backwards = key is not None and not after
    rows, total, unacknowledged = _rows(session, school_id,
                                        _chosen(matching, key, backwards, page, size),
                                        _counts(school_id, matching))
    more = len(rows) > size  # the row beyond the page says whether there is a page beyond
    if backwards and not more:
        # Back at the start (reports moved since the link was made): show the real page 1.
        return queue(session, school_id, filters, 1, timezone=timezone, size=size)
    if backwards:
        return QueuePage(rows[1:], max(page, 2), total, size, True, True, unacknowledged)
    number = page if key is None else max(page, 2)
    return QueuePage(rows[:size], number, total, size, more, number > 1, unacknowledged)


def _chosen(matching: Select, key: tuple | None, backwards: bool, page: int,
            size: int) -> Select:
    """The ids of the page's reports and of one more beyond it, from the key or by number."""
    if key is None:
        return matching.order_by(*_ORDER).offset((page - 1) * size).limit(size + 1)
    if backwards:
        return (matching.where(tuple_(*_ORDER) < tuple(key))
                .order_by(*(column.desc() for column in _ORDER)).limit(size + 1))
    return matching.where(tuple_(*_ORDER) > tuple(key)).order_by(*_ORDER).limit(size + 1)


# The queue's order; ix_report_school_order holds it for each school, so a page is read
# straight from the index from wherever it starts.
_ORDER = (Report.urgency_rank, Report.received_at, Report.id)


def _order_key(session: Session, school_id: int, public_id: str) -> tuple | None:
    """Where the named report of this school sits in the queue's order (None if it doesn't)."""
    if not public_id:
        return None
    return session.execute(select(*_ORDER).where(
        Report.public_id == public_id, Report.school_id == school_id)).first()


def _counts(school_id: int, matching: Select) -> tuple[ScalarSelect, ScalarSelect]:
    """How many reports match, and how many of all the school's are still new."""
    return (select(func.count()).select_from(matching.subquery()).scalar_subquery(),
            _unacknowledged(school_id).scalar_subquery())


def _rows(session: Session, school_id: int, chosen: Select,
          counts: tuple[ScalarSelect, ScalarSelect]) -> tuple[list[QueueRow], int, int]:
    """The rows shown for the chosen report ids, in the queue's order, and the two counts.

    The counts ride along on every row: one round trip for the whole page, and a search's
    matches are worked out once for both the rows and the count.
    """
    picked = chosen.subquery()
    codes = (select(func.aggregate_strings(ReportCategory.category, ","))
             .where(ReportCategory.report_id == Report.id).scalar_subquery())
    query = (select(Report.id, Report.public_id, Report.urgency, Report.received_at,
                    Report.about, Report.source, Report.status, codes, Report.choices,
                    Report.restricted_to, Case.reference, Case.public_id, User.name, *counts)
             .join(picked, picked.c.id == Report.id)
             .outerjoin(Case, (Report.case_id == Case.id) & (Case.school_id == school_id))
             .outerjoin(User, Case.assigned_to_id == User.id)
             .order_by(*_ORDER))
    found = session.execute(query).all()
    total, unacknowledged = (found[0][-2:] if found
                             else session.execute(select(*counts)).one())
    return ([QueueRow(QueueReport(*row[:7], tuple(sorted(row[7].split(","))) if row[7] else (),
                                  tuple(row[8] or ()), row[9] or ""),
                      *row[10:13]) for row in found], total, unacknowledged)


def _filtered(school_id: int, filters: QueueFilters, timezone: str) -> Select:
    """The ids of the school's reports that match the filters (order and page come later)."""
    query = select(Report.id).where(Report.school_id == school_id)
    if filters.status != QueueFilter.ALL:  # ALL is every status: no condition lets the index answer
        query = query.where(Report.status.in_(_STATUSES[filters.status]))
    if filters.assignee:
        # The school condition is redundant but lets the database read only this school's
        # cases, not every school's.
        query = (query.outerjoin(Case, (Report.case_id == Case.id) & (Case.school_id == school_id))
                 .outerjoin(User, Case.assigned_to_id == User.id))
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
    pattern = _contains(term)
    # Only this school's sightings, accounts and cases (indexed columns). Each kind of name is
    # matched over its own table and the matches combine into one set of report ids, so the
    # database looks up the few matching reports instead of reading every report to test it.
    named = select(Sighting.report_id).join(
        OnlineAccount, (Sighting.account_id == OnlineAccount.id)
        & (OnlineAccount.school_id == school_id)).where(Sighting.school_id == school_id)
    in_case = select(Report.id).join(Case, Report.case_id == Case.id).where(
        Case.school_id == school_id, Report.school_id == school_id,
        _lower_like(Case.reference, pattern))
    # A named set (WITH), so the page's rows and its count share one working-out of it.
    matched = union(named.where(_lower_like(Sighting.raw_text, pattern)),
                    named.where(_lower_like(OnlineAccount.display, pattern)),
                    in_case).cte("matched")
    return query.where(Report.id.in_(select(matched.c.report_id)))


def _contains(term: str) -> str:
    """A LIKE pattern for text containing the term, with its own % and _ taken literally."""
    escaped = term.replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def _lower_like(column: ColumnElement[str], pattern: str) -> ColumnElement[bool]:
    # lower() on both sides, not ILIKE: the same matches, at under half PostgreSQL's cost.
    return func.lower(column).like(func.lower(pattern), escape="/")


def unacknowledged_count(session: Session, school_id: int) -> int:
    """How many reports nobody has acknowledged yet."""
    return session.scalar(_unacknowledged(school_id)) or 0


def _unacknowledged(school_id: int) -> Select:
    return select(func.count()).select_from(Report).where(
        Report.school_id == school_id, Report.status == ReportStatus.NEW)


def acknowledge(report: Report, user_id: int, now: datetime | None = None) -> bool:
    """Mark the report seen by a DSL; False if someone already had. Stops further alerts."""
    if report.acknowledged_at is not None:
        return False
    report.acknowledged_at = now or utcnow()
    report.acknowledged_by_id = user_id
    report.status = ReportStatus.ACKNOWLEDGED
    report.next_escalation_at = None
    return True
