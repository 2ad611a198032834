"""The audit trail: who viewed or changed which record. Never what the record says."""

from __future__ import annotations

from sqlalchemy.orm import Session

from schoolsafe.models import AuditEvent


def record(session: Session, *, user_id: int | None, school_id: int | None, action: str,
           record_type: str, record_id: str) -> AuditEvent:
    """Append one audit row to the session (committed with the change it describes)."""
    event = AuditEvent(user_id=user_id, school_id=school_id, action=action,
                       record_type=record_type, record_id=record_id)
    session.add(event)
    return event
