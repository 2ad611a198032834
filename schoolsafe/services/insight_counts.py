"""The raw numbers behind insight, each counted by the database with GROUP BY.

Nothing here loads reports into Python: every function returns a handful of grouped counts,
so the page costs the same few queries at ten reports or a million. No function returns a
name, a narrative or anything else a pupil typed, except `year_answers`, whose free-text
answers are folded into fixed year-group labels before anyone sees them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, distinct, func, select
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
from schoolsafe.models.report import PUPIL
from schoolsafe.services.insight_period import Period
from schoolsafe.services.insight_sql import MinutesBetween, MonthOf

# (group, "YYYY-MM") -> number of reports
Tally = dict[tuple[str, str], int]

CASE_AGES = {"week": 7, "month": 28, "term": 91}


@dataclass(frozen=True)
class AckTimes:
    """How quickly reports of one urgency (or all) were acknowledged, in minutes."""

    acknowledged: int
    median: float | None
    slowest: float | None


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


def _source():
    return Report.source, (), func.count()


def _category():
    return ReportCategory.category, ((ReportCategory, ReportCategory.report_id == Report.id),), \
        func.count()


def _year():
    # Grouping the trimmed, lower-cased answer keeps the rows few before they are folded.
    return func.lower(func.trim(Report.reporter_year)), (), func.count()


def _through_accounts(column):
    joins = ((Sighting, Sighting.report_id == Report.id),
             (OnlineAccount, OnlineAccount.id == Sighting.account_id))
    # A report naming two pages of the same kind still counts once for that kind.
    return column, joins, func.count(distinct(Report.id))


def _school():
    return Report.school_id, (), func.count()


_DIMENSIONS = {
    "source": _source, "category": _category, "year": _year, "school": _school,
    "platform": lambda: _through_accounts(OnlineAccount.platform),
    "kind": lambda: _through_accounts(OnlineAccount.kind),
}


def waiting(session: Session, school_ids: tuple[int, ...], period: Period) -> int:
    """Reports received in the period that nobody has acknowledged yet."""
    return session.scalar(select(func.count()).select_from(Report).where(
        *received_in(school_ids, period), Report.acknowledged_at.is_(None))) or 0


def ack_times(session: Session, school_ids: tuple[int, ...],
              period: Period) -> dict[str | None, AckTimes]:
    """Median and slowest time from arrival to acknowledgement, per urgency and (None) for all."""
    where = [*received_in(school_ids, period), Report.acknowledged_at.is_not(None)]
    minutes = MinutesBetween(Report.received_at, Report.acknowledged_at)
    rows = session.execute(select(Report.urgency, func.count(), func.max(minutes))
                           .where(*where).group_by(Report.urgency)).all()
    found: dict[str | None, AckTimes] = {
        urgency: AckTimes(count, _median(session, [*where, Report.urgency == urgency], count),
                          slowest) for urgency, count, slowest in rows}
    count = sum(t.acknowledged for t in found.values())
    slowest = max((t.slowest for t in found.values()), default=None)
    found[None] = AckTimes(count, _median(session, where, count), slowest)
    return found


def _median(session: Session, where: list[ColumnElement[bool]], count: int) -> float | None:
    # The middle row (or the mean of the middle two) in time order: the database sorts,
    # Python reads at most two values.
    if not count:
        return None
    minutes = MinutesBetween(Report.received_at, Report.acknowledged_at)
    middle = session.scalars(select(minutes).where(*where).order_by(minutes)
                             .offset((count - 1) // 2).limit(2 - count % 2)).all()
    return sum(middle) / len(middle)


def returns(session: Session, school_ids: tuple[int, ...], period: Period) -> tuple[int, int]:
    """Pupil reports in the period, and how many of those pupils came back with their code."""
    came_back = func.sum(case((Report.pupil_returns > 0, 1), else_=0))
    total, back = session.execute(select(func.count(), came_back).where(
        *received_in(school_ids, period), Report.source == PUPIL)).one()
    return total or 0, back or 0


def register_changes(session: Session, school_ids: tuple[int, ...],
                     period: Period) -> dict[str, int]:
    """Register entries newly seen, reported to a platform, removed and resurfaced."""
    in_schools = OnlineAccount.school_id.in_(school_ids)

    def entries(*where: ColumnElement[bool]) -> int:
        return session.scalar(select(func.count()).select_from(OnlineAccount)
                              .where(in_schools, *where)) or 0

    reported = session.scalar(
        select(func.count(distinct(PlatformReport.account_id)))
        .join(OnlineAccount, OnlineAccount.id == PlatformReport.account_id)
        .where(in_schools, PlatformReport.reported_at >= period.since,
               PlatformReport.reported_at < period.until)) or 0
    return {
        "new": entries(OnlineAccount.first_seen >= period.since,
                       OnlineAccount.first_seen < period.until),
        "reported": reported,
        "removed": entries(OnlineAccount.removed_at >= period.since,
                           OnlineAccount.removed_at < period.until),
        # A resurfaced entry's last sighting is when it came back.
        "resurfaced": entries(OnlineAccount.status == "resurfaced",
                              OnlineAccount.last_seen >= period.since,
                              OnlineAccount.last_seen < period.until),
    }


def register_status(session: Session, school_ids: tuple[int, ...]) -> dict[str, int]:
    """Every register entry of these schools by its status today."""
    rows = session.execute(select(OnlineAccount.status, func.count())
                           .where(OnlineAccount.school_id.in_(school_ids))
                           .group_by(OnlineAccount.status))
    return {status: count for status, count in rows}


def referrals(session: Session, school_ids: tuple[int, ...], period: Period) -> dict[str, int]:
    """Referrals sent (or queued to send) in the period, by kind of recipient."""
    sent_at = func.coalesce(Referral.queued_at, Referral.sent_at, Referral.created_at)
    rows = session.execute(
        select(Referral.recipient_kind, func.count())
        .where(Referral.school_id.in_(school_ids), Referral.state != "draft",
               sent_at >= period.since, sent_at < period.until)
        .group_by(Referral.recipient_kind))
    return {kind: count for kind, count in rows}


def open_cases_by_age(session: Session, school_ids: tuple[int, ...],
                      now: datetime) -> dict[str, int]:
    """Cases not yet closed, by how long ago they were opened."""
    age = case(*((Case.opened_at >= now - timedelta(days=days), name)
                 for name, days in CASE_AGES.items()), else_="older").label("age")
    # Grouping an outer query by the inner label keeps the cut-off dates out of GROUP BY.
    inner = select(age).where(Case.school_id.in_(school_ids), Case.status != "closed").subquery()
    rows = session.execute(select(inner.c.age, func.count()).group_by(inner.c.age))
    return {name: count for name, count in rows}
