"""Cases: the DSL's record of an incident, its people and its chronology."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, UniqueConstraint, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from schoolsafe.extensions import db
from schoolsafe.models.base import public_id_column, utcnow
from schoolsafe.vocab import CaseStatus, Urgency


class Case(db.Model):
    """An incident the DSL is working on; one or more reports feed it."""

    __tablename__ = "case_file"
    __table_args__ = (
        UniqueConstraint("school_id", "reference"),
        Index("ix_case_school_status", "school_id", "status", "urgency_rank"),
        # Cases about a member of staff (a few in thousands), for the audit trail's hidden rows
        # and the allegations clock.
        Index("ix_case_restricted", "school_id", postgresql_where=text("restricted_to <> ''"),
              sqlite_where=text("restricted_to <> ''")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    reference: Mapped[str] = mapped_column(String(20))
    title: Mapped[str] = mapped_column(String(200), default="")
    status: Mapped[str] = mapped_column(String(16), default=CaseStatus.NEW)
    categories: Mapped[list[str]] = mapped_column(JSON, default=list)
    factors: Mapped[list[str]] = mapped_column(JSON, default=list)
    urgency: Mapped[str] = mapped_column(String(16), default=Urgency.STANDARD)
    urgency_rank: Mapped[int] = mapped_column(Integer, default=Urgency.STANDARD.rank)
    # A DSL's own level for the case, with why, and the level its reports and facts called for
    # then; "" when the case simply follows its most urgent report.
    urgency_override: Mapped[str] = mapped_column(String(16), default="")
    urgency_override_reason: Mapped[str] = mapped_column(Text, default="")
    urgency_override_from: Mapped[str] = mapped_column(String(16), default="")
    # Whether the person who posted is known (None: not yet known either way).
    posted_by_known: Mapped[bool | None]
    assigned_to_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    review_on: Mapped[date | None]
    outcome: Mapped[str] = mapped_column(String(60), default="")
    outcome_reason: Mapped[str] = mapped_column(Text, default="")
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    closed_at: Mapped[datetime | None]
    # A legal hold stops scheduled deletion whatever the retention period says.
    legal_hold: Mapped[bool] = mapped_column(default=False)
    # About a member of staff: as on its reports (models/report.py), copied when it opens.
    restricted_to: Mapped[str] = mapped_column(String(16), default="")
    accused_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    accused_who: Mapped[str] = mapped_column(String(120), default="")

    people: Mapped[list[CasePerson]] = relationship(
        cascade="all, delete-orphan", order_by="CasePerson.id"
    )


class CasePerson(db.Model):
    """A person involved in a case, with their role on this case only."""

    __tablename__ = "case_person"
    __table_args__ = (
        # People who have left, for the queue's "files to hand on" (a few per school).
        Index("ix_case_person_left", "case_id", postgresql_where=text("left_on IS NOT NULL"),
              sqlite_where=text("left_on IS NOT NULL")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    label: Mapped[str] = mapped_column(String(120))
    year_group: Mapped[str] = mapped_column(String(40), default="")
    role: Mapped[str] = mapped_column(String(16))
    date_of_birth: Mapped[date | None]
    # Marked by hand when the pupil leaves the school, so their file is handed on.
    left_on: Mapped[date | None]
    # The directory pupil this person is, once a DSL has confirmed it; None stays possible
    # (an adult, a child of another school, someone not known).
    pupil_id: Mapped[int | None] = mapped_column(ForeignKey("pupil.id"), index=True)


class TimelineEvent(db.Model):
    """One entry in the chronology of a report, case or register entry."""

    __tablename__ = "timeline_event"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"))
    report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"))
    account_id: Mapped[int | None] = mapped_column(ForeignKey("online_account.id"))
    kind: Mapped[str] = mapped_column(String(30))
    text: Mapped[str] = mapped_column(Text, default="")
    actor_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    at: Mapped[datetime] = mapped_column(default=utcnow)

    __table_args__ = (
        Index("ix_timeline_case_at", "case_id", "at"),
        Index("ix_timeline_report_at", "report_id", "at"),
        Index("ix_timeline_account_at", "account_id", "at"),
    )


class CaseReader(db.Model):
    """A member of staff an allegations contact added by name to a case about a member of
    staff: they may see it and its reports as the contact does."""

    __tablename__ = "case_reader"
    __table_args__ = (UniqueConstraint("case_id", "user_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
