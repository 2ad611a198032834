"""Concerns logged by staff: stored and routed like a pupil report, tracked by who logged them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import Report, School
from schoolsafe.services.allegations.visibility import everything
from schoolsafe.services.paging import Page
from schoolsafe.services.reports import submit as reports
from schoolsafe.services.reports import triage
from schoolsafe.vocab import ReportSource


@dataclass(frozen=True)
class LoggedConcern:
    """What the member of staff may see of their concern: when, and whether it was picked up."""

    public_id: str
    received_at: datetime
    school_name: str
    choices: tuple[str, ...]
    acknowledged_at: datetime | None


def log_concern(session: Session, school: School, user_id: int, data: reports.ReportInput,
                code_key: str) -> Report:
    """Store a staff member's concern as a report from them (raises reports.ReportError)."""
    # No follow-up code is shown: staff hear back in person, and see acknowledgement here.
    submitted = reports.submit(session, school, data, code_key, source=ReportSource.STAFF_CONCERN,
                               logged_by_id=user_id)
    return submitted.report


def logged_by(session: Session, user_id: int, page: int = 1,
              size: int | None = None) -> Page:
    """One page of the concerns this person logged, newest first - never the case they
    became part of."""
    size = size or triage.PAGE_SIZE
    theirs = (Report.logged_by_id == user_id, Report.source == ReportSource.STAFF_CONCERN)
    # Their own concerns, even one about a member of staff that they may not open: this list
    # shows only when it was logged and whether it was picked up.
    total = session.scalar(everything(
        select(func.count()).select_from(Report).where(*theirs))) or 0
    rows = session.execute(everything(
        select(Report.public_id, Report.received_at, School.name, Report.choices,
               Report.acknowledged_at)
        .join(School, Report.school_id == School.id).where(*theirs)
        # The id settles reports logged in the same instant, so pages never overlap.
        .order_by(Report.received_at.desc(), Report.id.desc())
        .limit(size).offset((max(page, 1) - 1) * size))).all()
    return Page([LoggedConcern(r[0], r[1], r[2], tuple(r[3] or ()), r[4]) for r in rows],
                       max(page, 1), total, size)
