"""Containment checklist items on a case."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from schoolsafe.extensions import db
from schoolsafe.models.base import utcnow
from schoolsafe.vocab import ChecklistState


class ChecklistItem(db.Model):
    """One containment step generated for a case from the jurisdiction's rules."""

    __tablename__ = "checklist_item"
    __table_args__ = (UniqueConstraint("case_id", "rule_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    rule_id: Mapped[str] = mapped_column(String(60))
    text: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer, default=0)
    refer_now: Mapped[bool] = mapped_column(default=False)
    state: Mapped[str] = mapped_column(String(16), default=ChecklistState.OPEN)
    reason: Mapped[str] = mapped_column(Text, default="")
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    changed_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
