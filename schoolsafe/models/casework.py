"""Casework on a case: typed chronology entries, parent and carer contact, tasks and safety
and support plans. Nothing here is overwritten: a correction or a new plan is a new row."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from schoolsafe.extensions import db
from schoolsafe.models.base import public_id_column, utcnow


class CaseEntry(db.Model):
    """One version of a typed chronology entry: a conversation, call, meeting and so on."""

    __tablename__ = "case_entry"
    __table_args__ = (Index("ix_case_entry_case_happened", "case_id", "happened_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"))
    kind: Mapped[str] = mapped_column(String(20))
    happened_at: Mapped[datetime]
    # Staff of the school who were there (their user ids) and anyone else, as typed. Pupils
    # from the directory who were there are rows of CaseEntryPupil, so a child's page finds them.
    present_staff: Mapped[list[int]] = mapped_column(JSON, default=list)
    present_others: Mapped[str] = mapped_column(Text, default="")
    said: Mapped[str] = mapped_column(Text, default="")
    next_steps: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)
    # Versions: every correction is a new row pointing at the first; the old row is kept
    # and marked replaced.
    first_id: Mapped[int | None] = mapped_column(ForeignKey("case_entry.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    replaced_at: Mapped[datetime | None]


class CaseEntryPupil(db.Model):
    """A pupil from the school's directory who was present at one version of an entry."""

    __tablename__ = "case_entry_pupil"

    entry_id: Mapped[int] = mapped_column(ForeignKey("case_entry.id"), primary_key=True)
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), primary_key=True, index=True)


class ParentContact(db.Model):
    """Whether one child's parents or carers were told, by whom and when, or why not."""

    __tablename__ = "parent_contact"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("case_person.id"), index=True)
    told: Mapped[bool]
    told_by: Mapped[str] = mapped_column(String(200), default="")
    told_on: Mapped[date | None]
    why_not: Mapped[str] = mapped_column(Text, default="")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)


class CaseTask(db.Model):
    """Something a named colleague is to do on a case by a date."""

    __tablename__ = "case_task"
    __table_args__ = (Index("ix_case_task_assignee_open", "assignee_id", "done_at", "due_on"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    what: Mapped[str] = mapped_column(Text)
    source: Mapped[str] = mapped_column(String(20))
    entry_id: Mapped[int | None] = mapped_column(ForeignKey("case_entry.id"))
    checklist_item_id: Mapped[int | None] = mapped_column(ForeignKey("checklist_item.id"))
    plan_id: Mapped[int | None] = mapped_column(ForeignKey("safety_plan.id"))
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("file_transfer.id"))
    assignee_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    due_on: Mapped[date]
    set_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    set_at: Mapped[datetime] = mapped_column(default=utcnow)
    done_at: Mapped[datetime | None]
    done_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    # The reminders already stored, so a sweep that runs twice sends each once.
    reminded_due: Mapped[bool] = mapped_column(default=False)
    # The school day of the last overdue reminder: one each school morning until it is done.
    reminded_overdue_on: Mapped[date | None]


class SafetyPlan(db.Model):
    """One version of the safety and support plan for one child on a case."""

    __tablename__ = "safety_plan"

    id: Mapped[int] = mapped_column(primary_key=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("case_person.id"), index=True)
    version: Mapped[int] = mapped_column(Integer, default=1)
    risks: Mapped[str] = mapped_column(Text, default="")
    measures: Mapped[str] = mapped_column(Text, default="")
    responsible: Mapped[str] = mapped_column(Text, default="")
    review_on: Mapped[date | None]
    written_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    written_at: Mapped[datetime] = mapped_column(default=utcnow)


class FileTransfer(db.Model):
    """A child's file handed on to the school they moved to, and how far it has got.

    To a school on this deployment it lands in that school's workspace; to a school elsewhere
    it is emailed as a link and a single-use code (only its keyed hash is kept here). The
    export is the file exactly as sent; the sending school keeps its own case as it was.
    """

    __tablename__ = "file_transfer"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    case_id: Mapped[int] = mapped_column(ForeignKey("case_file.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("case_person.id"))
    to_school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"), index=True)
    to_address: Mapped[str] = mapped_column(String(254), default="")
    state: Mapped[str] = mapped_column(String(16))
    export: Mapped[dict] = mapped_column(JSON)
    code_hash: Mapped[str] = mapped_column(String(128), default="")
    sent_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    sent_at: Mapped[datetime] = mapped_column(default=utcnow)
    due_on: Mapped[date]
    opened_at: Mapped[datetime | None]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    accepted_at: Mapped[datetime | None]
    accepted_by: Mapped[str] = mapped_column(String(200), default="")


class ReceivedFile(db.Model):
    """The receiving school's own copy of a child's file, kept from the moment it accepts it.

    It belongs to the receiving school alone: the sending school's retention or deletion of
    its case (and of the transfer row) leaves it as it is, the link back simply cleared.
    """

    __tablename__ = "received_file"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    from_school: Mapped[str] = mapped_column(String(200))
    transfer_id: Mapped[int | None] = mapped_column(ForeignKey("file_transfer.id"), index=True)
    export: Mapped[dict] = mapped_column(JSON)
    sent_at: Mapped[datetime]
    accepted_at: Mapped[datetime] = mapped_column(default=utcnow)
    accepted_by: Mapped[str] = mapped_column(String(200))
    accepted_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
