"""The register: online accounts and pages seen in reports and cases."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from schoolsafe.extensions import db
from schoolsafe.models.base import public_id_column, utcnow
from schoolsafe.vocab import AccountKind, AccountStatus, LookalikeState


class OnlineAccount(db.Model):
    """A register entry: one account, page, group or link, as one school knows it."""

    __tablename__ = "online_account"
    __table_args__ = (
        UniqueConstraint("school_id", "platform", "canonical_key"),
        Index("ix_account_school_last_seen", "school_id", "last_seen"),
        Index("ix_account_school_reports", "school_id", "report_count"),
        # Trust-wide counts look an account up by its key across schools.
        Index("ix_account_key", "platform", "canonical_key"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    platform: Mapped[str] = mapped_column(String(20))
    canonical_key: Mapped[str] = mapped_column(String(300))
    display: Mapped[str] = mapped_column(String(300))
    url: Mapped[str | None] = mapped_column(String(500))
    kind: Mapped[str] = mapped_column(String(20), default=AccountKind.OTHER)
    status: Mapped[str] = mapped_column(String(16), default=AccountStatus.ACTIVE)
    # Confirmed aliases share a group id (the id of the first entry in the group).
    alias_group_id: Mapped[int | None] = mapped_column(Integer, index=True)
    report_count: Mapped[int] = mapped_column(Integer, default=0)
    first_seen: Mapped[datetime] = mapped_column(default=utcnow)
    last_seen: Mapped[datetime] = mapped_column(default=utcnow)
    removed_at: Mapped[datetime | None]


class Sighting(db.Model):
    """One mention of a register entry in a report or case, with the text as typed."""

    __tablename__ = "sighting"
    # The queue's search looks through one school's sightings, not every school's.
    __table_args__ = (Index("ix_sighting_school_id", "school_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("online_account.id"), index=True)
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    platform_chosen: Mapped[str] = mapped_column(String(20), default="")
    raw_text: Mapped[str] = mapped_column(String(500))
    seen_at: Mapped[datetime] = mapped_column(default=utcnow)

    account: Mapped[OnlineAccount] = relationship()


class LookalikeKey(db.Model):
    """A blocking key of a register entry, so lookalikes are found by index, not by scan."""

    __tablename__ = "lookalike_key"
    __table_args__ = (Index("ix_lookalike_school_key", "school_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    account_id: Mapped[int] = mapped_column(ForeignKey("online_account.id"), index=True)
    key: Mapped[str] = mapped_column(String(160))


class LookalikeFlag(db.Model):
    """"This entry may be the same as that one", and the DSL's decision about it."""

    __tablename__ = "lookalike_flag"
    __table_args__ = (UniqueConstraint("account_id", "similar_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("online_account.id"), index=True)
    similar_id: Mapped[int] = mapped_column(ForeignKey("online_account.id"), index=True)
    score: Mapped[float] = mapped_column(Float)
    reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    state: Mapped[str] = mapped_column(String(12), default=LookalikeState.OPEN)
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    decided_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class PlatformReport(db.Model):
    """A report made to the platform about a register entry, and the platform's answer."""

    __tablename__ = "platform_report"
    # Insight counts a school's platform reports in a period: by entry, then by date.
    __table_args__ = (Index("ix_platform_report_account_reported", "account_id", "reported_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    account_id: Mapped[int] = mapped_column(ForeignKey("online_account.id"), index=True)
    reported_at: Mapped[datetime]
    how: Mapped[str] = mapped_column(String(200), default="")
    reference: Mapped[str] = mapped_column(String(120), default="")
    reported_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    response: Mapped[str] = mapped_column(Text, default="")
    response_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
