"""Schools, the trusts they belong to, and who is alerted about their reports."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from schoolsafe.extensions import db
from schoolsafe.models.base import utcnow
from schoolsafe.vocab import Urgency


class Trust(db.Model):
    """A group of schools (a trust or local area) that share a register view."""

    __tablename__ = "trust"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(200))
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    schools: Mapped[list[School]] = relationship(back_populates="trust")


class School(db.Model):
    """A school: its report link, jurisdiction, hours and alert settings."""

    __tablename__ = "school"

    id: Mapped[int] = mapped_column(primary_key=True)
    slug: Mapped[str] = mapped_column(String(60), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    # Short code a pupil can type on the home page instead of following the link.
    code: Mapped[str] = mapped_column(String(12), unique=True)
    jurisdiction: Mapped[str] = mapped_column(String(40), default="england-wales")
    trust_id: Mapped[int | None] = mapped_column(ForeignKey("trust.id"), index=True)
    contact_email: Mapped[str] = mapped_column(String(254), default="")
    contact_phone: Mapped[str] = mapped_column(String(40), default="")
    # Where alerts go when no routing rule matches (a shared safeguarding inbox).
    fallback_email: Mapped[str] = mapped_column(String(254), default="")
    timezone: Mapped[str] = mapped_column(String(60), default="Europe/London")
    # The language pupil pages open in (a Language), and every language pupils may switch to;
    # the default is always among them.
    language: Mapped[str] = mapped_column(String(8), default="en", server_default="en")
    languages: Mapped[list[str]] = mapped_column(JSON, default=lambda: ["en"],
                                                 server_default='["en"]')
    hours_start: Mapped[str] = mapped_column(String(5), default="08:00")
    hours_end: Mapped[str] = mapped_column(String(5), default="16:30")
    # ISO weekday numbers (1 = Monday) on which staff read reports.
    open_days: Mapped[list[int]] = mapped_column(JSON, default=lambda: [1, 2, 3, 4, 5])
    # Dates (ISO, "2026-12-24") the school is closed on a weekday, set by an admin. For now
    # only the school-day clock of a file handed on and task reminders skip them.
    # Deferred: read only by the school-day clocks, so pages that load a school do not need
    # the column (servers keep serving while the migration that adds it runs).
    closed_days: Mapped[list[str]] = mapped_column(JSON, default=list, deferred=True)
    ack_minutes_immediate: Mapped[int] = mapped_column(Integer, default=15)
    ack_minutes_high: Mapped[int] = mapped_column(Integer, default=60)
    case_counter: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trust: Mapped[Trust | None] = relationship(back_populates="schools")


class AlertRoute(db.Model):
    """One recipient of a school's report alerts, on a tier of the escalation ladder."""

    __tablename__ = "alert_route"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    email: Mapped[str] = mapped_column(String(254), default="")
    # Tier 1 is told first; later tiers only when a report goes unacknowledged.
    tier: Mapped[int] = mapped_column(Integer, default=1)
    # The least urgent level this recipient wants ("standard" means every report).
    min_urgency: Mapped[str] = mapped_column(String(16), default=Urgency.STANDARD)
    # Empty means every category.
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    # On-call recipients are alerted about immediate reports even out of hours.
    on_call: Mapped[bool] = mapped_column(default=False)


class RecipientAddress(db.Model):
    """Where a school sends referral notes for one kind of recipient (its police, its MASH),
    in place of the jurisdiction pack's default address."""

    __tablename__ = "recipient_address"
    __table_args__ = (UniqueConstraint("school_id", "recipient_kind"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    recipient_kind: Mapped[str] = mapped_column(String(30))
    # Checked email addresses, separated by ", ", as a draft's "Send to" shows them.
    addresses: Mapped[str] = mapped_column(String(1000))
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
