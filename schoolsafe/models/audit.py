"""The audit trail: who viewed or changed which record, and when. Never the content."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from schoolsafe.extensions import db
from schoolsafe.models.base import utcnow


class AuditEvent(db.Model):
    """One append-only audit row. On PostgreSQL a trigger refuses UPDATE and DELETE."""

    __tablename__ = "audit_event"
    __table_args__ = (
        Index("ix_audit_school_at", "school_id", "at"),
        Index("ix_audit_record", "record_type", "record_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(default=utcnow)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    action: Mapped[str] = mapped_column(String(40))
    record_type: Mapped[str] = mapped_column(String(20))
    record_id: Mapped[str] = mapped_column(String(40))
