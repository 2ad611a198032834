"""The DSL's queue and the acknowledgement of reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import Report
from schoolsafe.models.base import utcnow
from schoolsafe.models.report import ACKNOWLEDGED, NEW

PAGE_SIZE = 50


def queue(session: Session, school_id: int, page: int = 1) -> list[Report]:
    """Open reports of one school, most urgent first, then oldest first."""
    return list(session.scalars(
        select(Report)
        .where(Report.school_id == school_id, Report.status.in_((NEW, ACKNOWLEDGED)))
        .order_by(Report.urgency_rank, Report.received_at)
        .limit(PAGE_SIZE).offset((max(page, 1) - 1) * PAGE_SIZE)
    ))


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
