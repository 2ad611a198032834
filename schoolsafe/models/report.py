"""Reports from pupils (anonymous) and concerns logged by staff, and their message threads."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from schoolsafe.extensions import db
from schoolsafe.models.base import public_id_column, utcnow
from schoolsafe.vocab import ReportSource, ReportStatus, Urgency

# Longest text we accept in each field; the forms say so before refusing.
LIMITS = {
    "narrative": 5000,
    "when": 100,
    "name": 100,
    "year_group": 40,
    "place": 500,
    "message": 3000,
    "accused_who": 120,
    "earlier_about": 300,
}


class Report(db.Model):
    """What a pupil told us (or a member of staff logged), exactly as given."""

    __tablename__ = "report"
    __table_args__ = (
        # The triage queue: one school's open reports, most urgent then oldest first.
        Index("ix_report_queue", "school_id", "status", "urgency_rank", "received_at"),
        Index("ix_report_school_received", "school_id", "received_at"),
        # The queue over every status (or closed ones): already in page order, so a page of a
        # school's ten years of reports reads fifty index entries instead of sorting them all.
        Index("ix_report_school_order", "school_id", "urgency_rank", "received_at", "id"),
        # The sweep's look for pupil reports whose intake job never ran: a handful of rows.
        Index("ix_report_intake_pending", "received_at",
              postgresql_where=text("intake_pending"), sqlite_where=text("intake_pending = 1")),
        # Reports about a member of staff (a few in thousands): the DSL's "N reports you can't
        # open" line and the audit trail's hidden rows look only at these.
        Index("ix_report_restricted", "school_id", postgresql_where=text("restricted_to <> ''"),
              sqlite_where=text("restricted_to <> ''")),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    source: Mapped[str] = mapped_column(String(10), default=ReportSource.PUPIL)
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"), index=True)
    about: Mapped[str] = mapped_column(String(12))
    choices: Mapped[list[str]] = mapped_column(JSON, default=list)
    factors: Mapped[list[str]] = mapped_column(JSON, default=list)
    narrative: Mapped[str] = mapped_column(Text, default="")
    started: Mapped[str] = mapped_column(String(100), default="")
    last_happened: Mapped[str] = mapped_column(String(100), default="")
    reporter_name: Mapped[str] = mapped_column(String(100), default="")
    reporter_year: Mapped[str] = mapped_column(String(40), default="")
    friend_name: Mapped[str] = mapped_column(String(100), default="")
    urgency: Mapped[str] = mapped_column(String(16), default=Urgency.STANDARD)
    # 0 = immediate ... 3 = standard, so SQL can order by urgency.
    urgency_rank: Mapped[int] = mapped_column(Integer, default=Urgency.STANDARD.rank)
    urgency_reasons: Mapped[list[str]] = mapped_column(JSON, default=list)
    urgency_override_reason: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[str] = mapped_column(String(16), default=ReportStatus.NEW)
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    acknowledged_at: Mapped[datetime | None]
    acknowledged_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    case_id: Mapped[int | None] = mapped_column(ForeignKey("case_file.id"), index=True)
    # Keyed hash of the follow-up code; the code itself is never stored.
    followup_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Keyed hash of the form's CSRF token: the same form sent twice (a refresh, a second
    # click) is recognised instead of making a second report.
    submission_hash: Mapped[str | None] = mapped_column(String(64), unique=True, index=True)
    # When the code was shown a second time, to a copy of the same form whose first answer
    # may never have arrived; only once, so later copies get no code. The code is not stored.
    code_reshown_at: Mapped[datetime | None]
    pupil_returns: Mapped[int] = mapped_column(Integer, default=0)
    # A pupil who lost their code can say this report follows one they made before, with
    # roughly when (an EarlierWhen) and what it was about, as they remember it.
    follows_earlier: Mapped[bool] = mapped_column(default=False, server_default=false())
    earlier_when: Mapped[str] = mapped_column(String(12), default="", server_default="")
    earlier_about: Mapped[str] = mapped_column(String(300), default="", server_default="")
    # The earlier report of the same school the DSL linked this one to (shown on both).
    follows_report_id: Mapped[int | None] = mapped_column(ForeignKey("report.id"), index=True)
    # Escalation: the highest tier alerted so far, and when the next tier is due.
    alert_tier: Mapped[int] = mapped_column(Integer, default=0)
    next_escalation_at: Mapped[datetime | None] = mapped_column(index=True)
    # A pupil's report is saved at once and taken in by a job straight after (its places
    # linked to the register, its alerts queued). Until then the places wait here as typed
    # and intake_pending stays true, so the sweep finds a report whose job was lost.
    intake_pending: Mapped[bool] = mapped_column(default=False, server_default=false())
    places_waiting: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    # Places typed that name no account ("@", "http://"): kept as typed for staff to read,
    # never made into register entries.
    places_unrecognised: Mapped[list[dict[str, str]] | None] = mapped_column(JSON)
    # About a member of staff: the allegations contact role (a Role) it is restricted to,
    # "" for every other report (services/allegations/visibility.py reads this), the person
    # named when staff chose them, and who the pupil said it is, as typed.
    restricted_to: Mapped[str] = mapped_column(String(16), default="")
    accused_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    accused_who: Mapped[str] = mapped_column(String(120), default="")

    categories: Mapped[list[ReportCategory]] = relationship(
        cascade="all, delete-orphan", lazy="selectin"
    )
    messages: Mapped[list[ReportMessage]] = relationship(
        cascade="all, delete-orphan", order_by="ReportMessage.created_at"
    )

    @property
    def category_codes(self) -> list[str]:
        """This report's category codes."""
        return [c.category for c in self.categories]


class ReportCategory(db.Model):
    """One category of a report (a table, so the queue can filter by it with an index)."""

    __tablename__ = "report_category"

    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), primary_key=True)
    category: Mapped[str] = mapped_column(String(30), primary_key=True, index=True)


class ReportMessage(db.Model):
    """One message in the thread between the pupil and staff."""

    __tablename__ = "report_message"

    id: Mapped[int] = mapped_column(primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("report.id"), index=True)
    author: Mapped[str] = mapped_column(String(10))  # a MessageAuthor
    staff_user_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
