"""Retention (DESIGN 8a): how long each record is kept, and deleting what has passed its time.

Two classes. An anonymous report never linked to an identified child is kept a short, set
period after it is closed. Anything about an identified child (a case with people, a pupil
who gave a name, a staff concern) follows the child-protection file rule: until the youngest
child's date of birth plus some years, or, with no date of birth, that long after closure.
A report in a case follows its case. Open records are never due, and a legal hold on a case
stops its deletion whatever the dates say. A child's file another school handed on, kept by
the school that accepted it, follows the same rule from when it was accepted. Deleting logs
and audits ids only.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from sqlalchemy import delete, func, or_, select, update
from sqlalchemy.orm import Session

from schoolsafe.models import (
    Case,
    CaseEntry,
    CasePerson,
    CaseReader,
    CaseTask,
    ChecklistItem,
    FileTransfer,
    OutboxMessage,
    ParentContact,
    Pupil,
    ReceivedFile,
    Referral,
    Report,
    ReportCategory,
    ReportMessage,
    SafetyPlan,
    Sighting,
    TimelineEvent,
)
from schoolsafe.services.audit import trail as audit
from schoolsafe.vocab import AuditAction, AuditRecordType, CaseStatus, ReportSource, ReportStatus

log = logging.getLogger(__name__)
ANONYMOUS, CHILD = "anonymous", "child_protection"
# Every foreign key that points at a report, case or referral, and so goes with it.
DELETED_WITH = {
    ("outbox_message", "report_id"), ("outbox_message", "referral_id"),
    ("referral", "case_id"), ("referral", "copied_from_id"),
    ("report_category", "report_id"), ("report_message", "report_id"),
    ("sighting", "report_id"), ("sighting", "case_id"),
    ("timeline_event", "report_id"), ("timeline_event", "case_id"),
    ("checklist_item", "case_id"), ("case_person", "case_id"), ("report", "case_id"),
    ("case_entry", "case_id"), ("case_task", "case_id"), ("parent_contact", "case_id"),
    ("case_reader", "case_id"),
    ("safety_plan", "case_id"), ("file_transfer", "case_id"),
    ("report", "follows_report_id"),
}


@dataclass(frozen=True)
class Policy:
    """The periods, from settings (config/settings.py)."""

    anonymous_days: int = 365
    child_years: int = 25
    no_dob_years: int = 25

    @classmethod
    def from_config(cls, config: Mapping[str, object]) -> Policy:
        """Read RETENTION_ANONYMOUS_DAYS, RETENTION_CHILD_YEARS and RETENTION_NO_DOB_YEARS."""
        return cls(int(config["RETENTION_ANONYMOUS_DAYS"]), int(config["RETENTION_CHILD_YEARS"]),
                   int(config["RETENTION_NO_DOB_YEARS"]))


@dataclass(frozen=True)
class Retention:
    """A record's retention class and, once it is closed, when it may be deleted."""

    kind: str
    label: str
    delete_after: datetime | None
    legal_hold: bool = False


def _add_years(day: date | datetime, years: int) -> datetime:
    moment = day if isinstance(day, datetime) else datetime.combine(day, time.min)
    try:
        return moment.replace(year=moment.year + years)
    except ValueError:  # 29 February in a year that has none
        return moment.replace(year=moment.year + years, day=28) + timedelta(days=1)


def _identified(report: Report) -> bool:
    # A staff concern is logged about a known child; a pupil may choose to give names.
    return report.source != ReportSource.PUPIL or bool(report.reporter_name.strip()
                                           or report.friend_name.strip())


def _case_reports(session: Session, case: Case) -> list[Report]:
    return list(session.scalars(select(Report).where(Report.case_id == case.id)))


def for_case(session: Session, case: Case, policy: Policy) -> Retention:
    """The retention of a case and of every report in it."""
    closed = case.closed_at if case.status == CaseStatus.CLOSED else None
    child = bool(case.people) or any(_identified(r) for r in _case_reports(session, case))
    if not child:
        return _anonymous(closed, policy, case.legal_hold)
    births = _births(session, case)
    undated = len(births) < len(case.people) or not case.people
    return _child(closed, max(births) if births else None, undated, policy, case.legal_hold)


def _births(session: Session, case: Case) -> list[date]:
    # A person linked to the directory follows the directory's date of birth where the case
    # recorded none, so the file is kept as long as that child's record needs.
    linked = {p.pupil_id for p in case.people if p.pupil_id and not p.date_of_birth}
    known = dict(session.execute(select(Pupil.id, Pupil.date_of_birth).where(
        Pupil.id.in_(linked), Pupil.school_id == case.school_id)).all()) if linked else {}
    return [born for p in case.people
            if (born := p.date_of_birth or known.get(p.pupil_id))]


def for_report(session: Session, report: Report, policy: Policy) -> Retention:
    """The retention of a report: its case's, or its own when it has no case."""
    if report.case_id is not None:
        return for_case(session, session.get(Case, report.case_id), policy)
    closed = last_activity(session, report) if report.status == ReportStatus.CLOSED else None
    if _identified(report):
        return _child(closed, None, True, policy, False)
    return _anonymous(closed, policy, False)


def retention_class(session: Session, record: Report | Case, policy: Policy) -> Retention:
    """The retention of a report or a case."""
    if isinstance(record, Case):
        return for_case(session, record, policy)
    return for_report(session, record, policy)


def last_activity(session: Session, report: Report) -> datetime:
    """When a report was last touched: it has no closing time of its own, so this stands in
    for it (never earlier than the real closing, so deletion is never early)."""
    moments = [report.received_at, report.acknowledged_at,
               session.scalar(select(func.max(ReportMessage.created_at))
                              .where(ReportMessage.report_id == report.id)),
               session.scalar(select(func.max(TimelineEvent.at))
                              .where(TimelineEvent.report_id == report.id))]
    return max(m for m in moments if m is not None)


def for_received(kept: ReceivedFile, policy: Policy) -> datetime:
    """When a school's copy of a child's file handed to it may be deleted: the child's date of
    birth plus the child-protection years, or, with no date of birth, that long after it was
    accepted (the file came because the child is on the school's roll)."""
    born = (kept.export.get("child") or {}).get("date_of_birth")
    if born:
        return _add_years(date.fromisoformat(born), policy.child_years)
    return _add_years(kept.accepted_at, policy.no_dob_years)


def _when(moment: datetime | None) -> str:
    return f" (on or after {moment.day} {moment:%B %Y})" if moment else ""


def _anonymous(closed: datetime | None, policy: Policy, hold: bool) -> Retention:
    after = closed + timedelta(days=policy.anonymous_days) if closed else None
    label = (f"Anonymous, no child identified: deleted {policy.anonymous_days} days after it is "
             f"closed{_when(after)}.")
    return _held(Retention(ANONYMOUS, label, after, hold))


def _child(closed: datetime | None, youngest: date | None, undated: bool, policy: Policy,
           hold: bool) -> Retention:
    ends = []
    if youngest:
        ends.append(_add_years(youngest, policy.child_years))
    if undated and closed:
        ends.append(_add_years(closed, policy.no_dob_years))
    after = max([*ends, closed]) if closed else None
    if youngest and not undated:
        rule = f"kept until the youngest child's date of birth plus {policy.child_years} years"
    else:
        rule = (f"kept {policy.no_dob_years} years after it is closed, as not every child's "
                f"date of birth is recorded")
    return _held(Retention(CHILD, f"Child-protection record: {rule}{_when(after)}.", after,
                           hold))


def _held(retention: Retention) -> Retention:
    if not retention.legal_hold:
        return retention
    return Retention(retention.kind, "On legal hold: will not be deleted. " + retention.label,
                     retention.delete_after, True)


@dataclass(frozen=True)
class Item:
    """A record named in a plan: ids only, so a plan can be shown after the rows are gone."""

    id: int
    public_id: str
    school_id: int

    @classmethod
    def of(cls, record: Case | Report | ReceivedFile) -> Item:
        """The ids of a case, report or received file."""
        return cls(record.id, record.public_id, record.school_id)


@dataclass
class Plan:
    """What a run deletes, and what it would delete but for a legal hold."""

    cases: list[Item] = field(default_factory=list)
    reports: list[Item] = field(default_factory=list)
    held: list[Item] = field(default_factory=list)
    received: list[Item] = field(default_factory=list)

    def summary(self) -> str:
        """Counts and public ids only."""
        def ids(items: list[Item]) -> str:
            return ", ".join(i.public_id for i in items) or "none"

        return (f"cases: {len(self.cases)} ({ids(self.cases)}); "
                f"reports without a case: {len(self.reports)} ({ids(self.reports)}); "
                f"kept for legal hold: {len(self.held)} ({ids(self.held)}); "
                f"files received from other schools: {len(self.received)} "
                f"({ids(self.received)})")


def _due(retention: Retention, now: datetime) -> bool:
    return retention.delete_after is not None and retention.delete_after <= now


def due_for_deletion(session: Session, now: datetime, policy: Policy | None = None) -> Plan:
    """Closed cases and closed case-less reports whose period has passed."""
    policy = policy or Policy()
    plan = Plan()
    closed_cases = select(Case).where(Case.status == CaseStatus.CLOSED).order_by(Case.id)
    for case in session.scalars(closed_cases):
        if _due(for_case(session, case, policy), now):
            (plan.held if case.legal_hold else plan.cases).append(Item.of(case))
    loose = select(Report).where(Report.case_id.is_(None), Report.status == ReportStatus.CLOSED)
    for report in session.scalars(loose.order_by(Report.id)):
        if _due(for_report(session, report, policy), now):
            plan.reports.append(Item.of(report))
    for kept in session.scalars(select(ReceivedFile).order_by(ReceivedFile.id)):
        if for_received(kept, policy) <= now:
            plan.received.append(Item.of(kept))
    return plan


def delete_due(session: Session, now: datetime, policy: Policy | None = None) -> Plan:
    """Delete what is due (not what is held), audit each deletion, and log counts and ids."""
    plan = due_for_deletion(session, now, policy)
    case_ids = [c.id for c in plan.cases]
    in_cases = [Item.of(r) for r in session.scalars(select(Report).where(
        Report.case_id.in_(case_ids)))]
    for record_type, items in ((AuditRecordType.CASE, plan.cases),
                              (AuditRecordType.REPORT, plan.reports + in_cases),
                              (AuditRecordType.RECEIVED_FILE, plan.received)):
        for item in items:
            audit.record(session, user_id=None, school_id=item.school_id,
                         action=AuditAction.RETENTION_DELETE, record_type=record_type,
                         record_id=item.public_id)
    session.execute(delete(ReceivedFile).where(ReceivedFile.id.in_(
        [k.id for k in plan.received])).execution_options(synchronize_session=False))
    _delete(session, [r.id for r in plan.reports + in_cases], case_ids)
    log.info("retention deleted %s; reports inside those cases: %d", plan.summary(),
             len(in_cases))
    return plan


def _delete(session: Session, report_ids: list[int], case_ids: list[int]) -> None:
    referrals = select(Referral.id).where(Referral.case_id.in_(case_ids)).scalar_subquery()
    steps = [
        delete(OutboxMessage).where(or_(OutboxMessage.report_id.in_(report_ids),
                                        OutboxMessage.referral_id.in_(referrals))),
        # A note copied into a case that stays keeps its text, just not the link back.
        update(Referral).where(Referral.copied_from_id.in_(referrals))
        .values(copied_from_id=None),
        delete(Referral).where(Referral.case_id.in_(case_ids)),
        delete(ReportCategory).where(ReportCategory.report_id.in_(report_ids)),
        delete(ReportMessage).where(ReportMessage.report_id.in_(report_ids)),
        delete(Sighting).where(or_(Sighting.report_id.in_(report_ids),
                                   Sighting.case_id.in_(case_ids))),
        delete(TimelineEvent).where(or_(TimelineEvent.report_id.in_(report_ids),
                                        TimelineEvent.case_id.in_(case_ids))),
        # Casework: tasks first (they point at entries, steps, plans and transfers).
        delete(CaseTask).where(CaseTask.case_id.in_(case_ids)),
        delete(CaseReader).where(CaseReader.case_id.in_(case_ids)),
        delete(CaseEntry).where(CaseEntry.case_id.in_(case_ids)),
        delete(ParentContact).where(ParentContact.case_id.in_(case_ids)),
        delete(SafetyPlan).where(SafetyPlan.case_id.in_(case_ids)),
        # The receiving school's own copy of a file handed on is its record, not this
        # school's: it stays, only its link back to the transfer goes.
        update(ReceivedFile).where(ReceivedFile.transfer_id.in_(
            select(FileTransfer.id).where(FileTransfer.case_id.in_(case_ids))
            .scalar_subquery())).values(transfer_id=None),
        delete(FileTransfer).where(FileTransfer.case_id.in_(case_ids)),
        delete(ChecklistItem).where(ChecklistItem.case_id.in_(case_ids)),
        delete(CasePerson).where(CasePerson.case_id.in_(case_ids)),
        # A later report linked to a deleted one stays, without the link.
        update(Report).where(Report.follows_report_id.in_(report_ids))
        .values(follows_report_id=None),
        delete(Report).where(Report.id.in_(report_ids)),
        delete(Case).where(Case.id.in_(case_ids)),
    ]
    for statement in steps:
        session.execute(statement.execution_options(synchronize_session=False))
    session.expire_all()
