"""Referral notes to police, POSH, CEOP and others, kept exactly as sent."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from schoolsafe.extensions import db
from schoolsafe.models.base import public_id_column, utcnow
from schoolsafe.vocab import ReferralState


class Referral(db.Model):
    """A referral note: editable while a draft, frozen once queued."""

    __tablename__ = "referral"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    recipient_kind: Mapped[str] = mapped_column(String(30))
    to_addresses: Mapped[str] = mapped_column(Text, default="")
    subject: Mapped[str] = mapped_column(String(300), default="")
    body: Mapped[str] = mapped_column(Text, default="")
    left_out: Mapped[list[str]] = mapped_column(JSON, default=list)
    included_on_purpose: Mapped[list[str]] = mapped_column(JSON, default=list)
    warnings: Mapped[list[str]] = mapped_column(JSON, default=list)
    # Names taken out of a minimised note, each with where ({"name", "where"}), and the names
    # the DSL chose to leave in on purpose.
    names_removed: Mapped[list[dict[str, str]]] = mapped_column(JSON, default=list)
    names_kept: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(10), default=ReferralState.DRAFT)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    queued_at: Mapped[datetime | None]
    sent_at: Mapped[datetime | None]
    copied_from_id: Mapped[int | None] = mapped_column(ForeignKey("referral.id"))
