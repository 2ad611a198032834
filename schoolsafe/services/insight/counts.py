"""The raw numbers behind insight, each counted by the database with GROUP BY.

Nothing here loads reports into Python: every function returns a handful of grouped counts,
so the page costs the same few queries at ten reports or a million. No function returns a
name, a narrative or anything else a pupil typed, except the "year" tally, whose free-text
answers are folded into fixed year-group labels before anyone sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import (
    and_,
    case,
    distinct,
    exists,
    func,
    literal,
    literal_column,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from schoolsafe.models import (
    Case,
    OnlineAccount,
    PlatformReport,
    Referral,
    Report,
    ReportCategory,
    Sighting,
)
from schoolsafe.services.insight.period import Period
from schoolsafe.services.insight.sql import MinutesBetween, MonthOf
from schoolsafe.vocab import AccountStatus, CaseStatus, ReferralState, RegisterChange, ReportSource

# (group, "YYYY-MM") -> number of reports
Tally = dict[tuple[str, str], int]

CASE_AGES = {"week": 7, "month": 28, "term": 91}


@dataclass(frozen=True)
class ReportSummary:
    """Acknowledgement and follow-up counts of the period's reports, and the median waits."""

    acknowledged: dict[str, int]
    slowest: dict[str, float]
    waiting: int
    pupil_reports: int
    came_back: int
    # Median minutes to acknowledgement per urgency, and (key None) over all reports.
    medians: dict[str | None, float]


def without_parallel_workers(session: Session) -> None:
    """Plan the rest of this transaction without PostgreSQL's parallel workers.

    Each count reads one school's (or trust's) rows for a period through an index: a few
    milliseconds of work, which PostgreSQL's planner still splits over parallel workers
    past a few thousand rows. Starting them costs more than the work saves, most of all on
    a busy server. SET LOCAL ends with the transaction, so no other page is affected.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def received_in(school_ids: tuple[int, ...], period: Period) -> list[ColumnElement[bool]]:
    """Reports of these schools received in the period."""
    return [Report.school_id.in_(school_ids), Report.received_at >= period.since,
            Report.received_at < period.until]


def tally(session: Session, school_ids: tuple[int, ...], period: Period, dimension: str) -> Tally:
    """Reports per group of one dimension per month (a report can count in several groups)."""
    group, joins, counted = _DIMENSIONS[dimension]()
    month = MonthOf(Report.received_at)
    query = select(group, month, counted).select_from(Report)
    for target, on in joins:
        query = query.join(target, on)
    query = query.where(*received_in(school_ids, period)).group_by(group, month)
    return {("" if g is None else str(g), m): n for g, m, n in session.execute(query)}


def _category():
    return ReportCategory.category, ((ReportCategory, ReportCategory.report_id == Report.id),), \
        func.count()


def _year():
    # Grouping the trimmed, lower-cased answer keeps the rows few before they are folded.
    return func.lower(func.trim(Report.reporter_year)), (), func.count()


_DIMENSIONS = {"category": _category, "year": _year}


def named_accounts(session: Session, school_ids: tuple[int, ...],
                   period: Period) -> dict[str, Tally]:
    """Reports naming each platform, and each kind of account, per month.

    Both come from one join of reports to their register entries; a report naming two pages
    on one platform (or of one kind) still counts once there.
    """
    named = (select(Report.id, OnlineAccount.platform, OnlineAccount.kind,
                    MonthOf(Report.received_at).label("month"))
             .join(Sighting, Sighting.report_id == Report.id)
             .join(OnlineAccount, OnlineAccount.id == Sighting.account_id)
             .where(*received_in(school_ids, period)).distinct().cte("named"))
    per = [select(literal_column(f"'{name}'"), column, named.c.month,
                  func.count(distinct(named.c.id))).group_by(column, named.c.month)
           for name, column in (("platform", named.c.platform), ("kind", named.c.kind))]
    found: dict[str, Tally] = {"platform": {}, "kind": {}}
    for name, group, month, count in session.execute(union_all(*per)):
        found[name][(group, month)] = count
    return found


def by_school_and_source(session: Session, school_ids: tuple[int, ...],
                         period: Period) -> dict[tuple[int, str, str], int]:
    """Reports per (school, pupil or staff, month): the monthly totals and two partitions."""
    month = MonthOf(Report.received_at)
    rows = session.execute(select(Report.school_id, Report.source, month, func.count())
                           .where(*received_in(school_ids, period))
                           .group_by(Report.school_id, Report.source, month))
    return {(school, source, m): n for school, source, m, n in rows}


def report_summary(session: Session, school_ids: tuple[int, ...],
                   period: Period) -> ReportSummary:
    """Acknowledged reports, the median and slowest wait per urgency, those waiting, and
    returns: one grouped query, then one that reads only the middle waits."""
    waiting = Report.acknowledged_at.is_(None)
    pupil = Report.source == ReportSource.PUPIL
    rows = session.execute(
        select(Report.urgency, waiting, func.count(),
               func.max(MinutesBetween(Report.received_at, Report.acknowledged_at)),
               func.sum(case((pupil, 1), else_=0)),
               func.sum(case((and_(pupil, Report.pupil_returns > 0), 1), else_=0)))
        .where(*received_in(school_ids, period)).group_by(Report.urgency, waiting)).all()
    done = [row for row in rows if not row[1]]
    acknowledged = {row[0]: row[2] for row in done}
    return ReportSummary(
        acknowledged=acknowledged,
        slowest={row[0]: row[3] for row in done},
        waiting=sum(row[2] for row in rows if row[1]),
        pupil_reports=sum(row[4] or 0 for row in rows),
        came_back=sum(row[5] or 0 for row in rows),
        medians=_medians(session, school_ids, period, acknowledged))


def _medians(session: Session, school_ids: tuple[int, ...], period: Period,
             acknowledged: dict[str, int]) -> dict[str | None, float]:
    """Median minutes to acknowledgement per urgency, and (key None) over all reports.

    The counts are known, so the middle one or two waits of each urgency (and of all) are
    read with ORDER BY ... LIMIT/OFFSET in one statement over the waits read once: the
    database sorts each group and stops at the middle, instead of ranking every wait twice
    with window functions.
    """
    counted = [(key, n) for key, n in [*acknowledged.items(),
                                       (None, sum(acknowledged.values()))] if n]
    if not counted:
        return {}
    waits = (select(Report.urgency,
                    MinutesBetween(Report.received_at, Report.acknowledged_at).label("minutes"))
             .where(*received_in(school_ids, period), Report.acknowledged_at.is_not(None))
             .cte("waits").prefix_with("MATERIALIZED"))
    picks = []
    for number, (key, n) in enumerate(counted):
        group = select(waits.c.minutes)
        if key is not None:
            group = group.where(waits.c.urgency == key)
        # Of n waits in order the middle is the ((n + 1) / 2)th when n is odd, the (n / 2)th
        # and the next when it is even.
        middle = (group.order_by(waits.c.minutes)
                  .limit(2 - n % 2).offset((n - 1) // 2).subquery())
        picks.append(select(literal(number).label("pick"), middle.c.minutes))
    middles: dict[int, list[float]] = {}
    for number, wait in session.execute(union_all(*picks)):
        middles.setdefault(number, []).append(wait)
    return {counted[number][0]: sum(values) / len(values)
            for number, values in middles.items()}


@dataclass(frozen=True)
class RegisterCounts:
    """The register's entries by status today, and what changed in the period."""

    status: dict[str, int]
    changes: dict[str, int]


def register(session: Session, school_ids: tuple[int, ...], period: Period) -> RegisterCounts:
    """Entries by status; and entries newly seen, reported to a platform, removed and
    resurfaced in the period. One pass over the schools' entries answers all but the
    reported ones, which a second query finds through the platform reports' index."""
    def during(column) -> ColumnElement[bool]:
        return and_(column >= period.since, column < period.until)

    def counted(condition: ColumnElement[bool]):
        return func.sum(case((condition, 1), else_=0))

    rows = session.execute(select(
        OnlineAccount.status, func.count(),
        counted(during(OnlineAccount.first_seen)),
        counted(during(OnlineAccount.removed_at)),
        # A resurfaced entry's last sighting is when it came back.
        counted(and_(OnlineAccount.status == AccountStatus.RESURFACED,
                     during(OnlineAccount.last_seen))),
    ).where(OnlineAccount.school_id.in_(school_ids)).group_by(OnlineAccount.status)).all()
    # Asked apart from the pass above: inside its sum, SQLite runs the EXISTS for every
    # entry without its semi-join plan, several times slower.
    reported = session.scalar(
        select(func.count()).select_from(OnlineAccount)
        .where(OnlineAccount.school_id.in_(school_ids),
               exists().where(PlatformReport.account_id == OnlineAccount.id,
                              during(PlatformReport.reported_at))))
    found = {RegisterChange.NEW: sum(row[2] or 0 for row in rows),
             RegisterChange.REPORTED: reported or 0,
             RegisterChange.REMOVED: sum(row[3] or 0 for row in rows),
             RegisterChange.RESURFACED: sum(row[4] or 0 for row in rows)}
    changes = {name: found[name] for name in RegisterChange.values()}
    return RegisterCounts({row[0]: row[1] for row in rows}, changes)


def referrals(session: Session, school_ids: tuple[int, ...], period: Period) -> dict[str, int]:
    """Referrals sent (or queued to send) in the period, by kind of recipient."""
    sent_at = func.coalesce(Referral.queued_at, Referral.sent_at, Referral.created_at)
    rows = session.execute(
        select(Referral.recipient_kind, func.count())
        .where(Referral.school_id.in_(school_ids), Referral.state != ReferralState.DRAFT,
               sent_at >= period.since, sent_at < period.until)
        .group_by(Referral.recipient_kind))
    return {kind: count for kind, count in rows}


def open_cases_by_age(session: Session, school_ids: tuple[int, ...],
                      now: datetime) -> dict[str, int]:
    """Cases not yet closed, by how long ago they were opened."""
    age = case(*((Case.opened_at >= now - timedelta(days=days), name)
                 for name, days in CASE_AGES.items()), else_="older").label("age")
    # Grouping an outer query by the inner label keeps the cut-off dates out of GROUP BY.
    inner = select(age).where(Case.school_id.in_(school_ids),
                              Case.status != CaseStatus.CLOSED).subquery()
    rows = session.execute(select(inner.c.age, func.count()).group_by(inner.c.age))
    return {name: count for name, count in rows}
