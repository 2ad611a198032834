"""The audit trail: who viewed or changed which record. Never what the record says."""

from __future__ import annotations

from sqlalchemy.orm import Session

from schoolsafe.models import AuditEvent
from schoolsafe.vocab import AuditAction, AuditRecordType


def record(session: Session, *, user_id: int | None, school_id: int | None,
           action: AuditAction, record_type: AuditRecordType, record_id: str) -> AuditEvent:
    """Append one audit row to the session (committed with the change it describes)."""
    event = AuditEvent(user_id=user_id, school_id=school_id, action=action,
                       record_type=record_type, record_id=record_id)
    session.add(event)
    return event
