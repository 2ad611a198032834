"""A case's audit trail as its DSL sees it: who did what to the case and its reports, when."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from schoolsafe.models import AuditEvent, Case, Report, User
from schoolsafe.services.local_time import shown
from schoolsafe.vocab import AuditAction, AuditRecordType

PAGE_SIZE = 100


@dataclass(frozen=True)
class AuditLine:
    """One audit row in words: when, who, what, and which record."""

    at: datetime
    who: str
    action: str
    record: str


def action_label(action: str) -> str:
    """The plain name of an audit action; codes no longer in the vocabulary (stored by older
    versions) are shown tidied up, so old rows still read as words."""
    try:
        return AuditAction(action).label
    except ValueError:
        return action.replace("_", " ").capitalize()


def trail(session: Session, case: Case, page: int = 1, size: int = PAGE_SIZE,
          timezone: str = "UTC") -> tuple[list[AuditLine], int]:
    """Newest first: audit rows of the case and of its reports, and how many there are
    (reports are named by when they arrived, in the given zone)."""
    reports = dict(session.execute(
        select(Report.public_id, Report.received_at).where(Report.case_id == case.id)).all())
    which = or_(and_(AuditEvent.record_type == AuditRecordType.CASE,
                     AuditEvent.record_id == case.public_id),
                and_(AuditEvent.record_type == AuditRecordType.REPORT,
                     AuditEvent.record_id.in_(reports)))
    where = (AuditEvent.school_id == case.school_id, which)
    total = session.scalar(select(func.count()).select_from(AuditEvent).where(*where)) or 0
    rows = session.execute(
        select(AuditEvent, User.name).outerjoin(User, AuditEvent.user_id == User.id)
        .where(*where).order_by(AuditEvent.at.desc(), AuditEvent.id.desc())
        .limit(size).offset((max(page, 1) - 1) * size)).all()
    return [_line(event, name, case, reports, timezone) for event, name in rows], total


def _line(event: AuditEvent, name: str | None, case: Case,
          reports: dict[str, datetime], timezone: str) -> AuditLine:
    if event.record_type == AuditRecordType.CASE:
        record = f"Case {case.reference}"
    else:
        record = f"Report received {shown(reports[event.record_id], timezone)}"
    return AuditLine(event.at, name or "Unknown user", action_label(event.action), record)
