"""Every email the system sends, stored before it is sent so none is lost."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, false
from sqlalchemy.orm import Mapped, mapped_column

from schoolsafe.extensions import db
from schoolsafe.models.base import utcnow
from schoolsafe.vocab import OutboxState


class OutboxMessage(db.Model):
    """One email: its exact text and recipients, and how delivery is going."""

    __tablename__ = "outbox_message"
    __table_args__ = (Index("ix_outbox_state_next", "state", "next_attempt_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    purpose: Mapped[str] = mapped_column(String(30))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"), index=True)
    referral_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"), index=True)
    to_addresses: Mapped[str] = mapped_column(Text)
    subject: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    state: Mapped[str] = mapped_column(String(12), default=OutboxState.PENDING)
    tries: Mapped[int] = mapped_column(Integer, default=0)
    last_error: Mapped[str] = mapped_column(Text, default="")
    next_attempt_at: Mapped[datetime] = mapped_column(default=utcnow)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_at: Mapped[datetime | None]
    # Given before the first try and kept, so every copy sent carries the same Message-ID and a
    # receiving server or a reader can tell a resend from a new email.
    message_id: Mapped[str] = mapped_column(String(255), default="", server_default="")
    # Taken over from a worker that stopped while sending it: that worker may have got it out.
    maybe_sent_twice: Mapped[bool] = mapped_column(default=False, server_default=false())
