"""Handing a child's file on when they leave: to a school on this schoolsafe, or elsewhere.

Statutory guidance expects the child-protection file to reach the new school within five
school days, with confirmation of receipt. The file goes as an export (EXPORT_SCHEMA below,
documented in README) frozen when sent; the sending school keeps its case as it was. A
transfer is sent, then opened, then accepted; each step goes in the sending case's
chronology, and the sender holds a task due on the fifth school day that closes itself on
acceptance - so an overdue receipt is reminded like any overdue task.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Iterable
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import (
    Case,
    CasePerson,
    CaseTask,
    FileTransfer,
    ReceivedFile,
    School,
    User,
)
from schoolsafe.models.base import utcnow
from schoolsafe.services.cases import chronology, parent_contact, safety_plan, school_days
from schoolsafe.services.cases.opening import CaseError
from schoolsafe.services.sanitize import clean_text
from schoolsafe.vocab import N_, EventKind, PersonRole, TaskSource, TransferState

EXPORT_SCHEMA = "schoolsafe.child-file.v1"
SCHOOL_DAYS = 5


def mark_left(session: Session, case: Case, person: CasePerson, left_on: str,
              user_id: int) -> None:
    """Mark by hand that a pupil on the case has left the school (or clear it)."""
    if not left_on.strip():
        raise CaseError("left_on", N_("Please give the date they left."))
    try:
        day = date.fromisoformat(left_on.strip())
    except ValueError:
        raise CaseError("left_on", N_("Please give the date they left, for example "
                        "2026-03-31.")) from None
    person.left_on = day
    chronology.record_said(session, case, EventKind.PERSON,
                           N_("%(who)s left the school on %(day)s."), user_id, who=person.label,
                           day=chronology.school_words(session, case.school_id).day(day))


def due_after(sent: date, days: int = SCHOOL_DAYS, closed: Iterable[str] = ()) -> date:
    """The day `days` school days after `sent`: Monday to Friday, less closed dates."""
    return school_days.after(sent, days, closed)


def other_schools(session: Session, school_id: int) -> list[School]:
    """The schools on this schoolsafe a file can be handed to."""
    return list(session.scalars(select(School).where(School.id != school_id)
                                .order_by(School.name)))


def send_within(session: Session, case: Case, person: CasePerson, to_school: str,
                user_id: int, now: datetime | None = None) -> FileTransfer:
    """Hand the child's file to a school on this schoolsafe, into its DSLs' workspace."""
    school = next((s for s in other_schools(session, case.school_id)
                   if s.slug == to_school), None)
    if school is None:
        raise CaseError("to_school", N_("Please choose the school they moved to."))
    return _send(session, case, person, user_id, now or utcnow(), to_school_id=school.id,
                 to_name=school.name)


def send_elsewhere(session: Session, case: Case, person: CasePerson, address: str,
                   user_id: int, key: str, now: datetime | None = None
                   ) -> tuple[FileTransfer, str]:
    """Hand the file to a school elsewhere: a single-use code to read it, emailed by the
    caller with a link that holds no secret. Returns the transfer and the code."""
    address = clean_text(address, keep_newlines=False)
    if "@" not in address or " " in address or len(address) > 254:
        raise CaseError("to_address", N_("Please give the receiving safeguarding lead's email "
                        "address, for example dsl@newschool.example.org."))
    code = "-".join(secrets.token_hex(3) for _ in range(4))
    transfer = _send(session, case, person, user_id, now or utcnow(), to_address=address,
                     to_name=address, code_hash=code_hash(key, code))
    return transfer, code


def code_hash(key: str, code: str) -> str:
    """The keyed hash kept for a receipt code; the code itself is never stored."""
    return hmac.new(key.encode(), code.strip().lower().encode(), hashlib.sha256).hexdigest()


def _send(session: Session, case: Case, person: CasePerson, user_id: int, now: datetime, *,
          to_name: str, **where: object) -> FileTransfer:
    if person.left_on is None:
        raise CaseError("person", N_("Mark %(label)s as left first, with the date."),
                        label=person.label)
    transfer = FileTransfer(school_id=case.school_id, case_id=case.id, person_id=person.id,
                            state=TransferState.SENT, sent_by_id=user_id, sent_at=now,
                            due_on=due_after(now.date(), closed=_closed(session, case)),
                            export=export(session, case, person, now), **where)
    session.add(transfer)
    session.flush()
    session.add(CaseTask(school_id=case.school_id, case_id=case.id, source=TaskSource.TRANSFER,
                         what=f"Check that {to_name} has received {person.label}'s file.",
                         assignee_id=user_id, due_on=transfer.due_on, set_by_id=user_id,
                         transfer_id=transfer.id))
    chronology.record_said(session, case, EventKind.TRANSFER,
                           N_("%(who)s's file handed on to %(to)s; receipt due by %(day)s."),
                           user_id, who=person.label, to=to_name,
                           day=chronology.school_words(session, case.school_id)
                           .day(transfer.due_on))
    return transfer


def _closed(session: Session, case: Case) -> list[str]:
    # The sending school's own closed days: the clock is the sender's to keep.
    return session.get(School, case.school_id).closed_days or []


def export(session: Session, case: Case, person: CasePerson, now: datetime) -> dict:
    """The child's file as sent (EXPORT_SCHEMA): who, the case, its chronology, their plan."""
    school = session.get(School, case.school_id)
    plans = next((c for c in safety_plan.for_case(session, case) if c.person.id == person.id),
                 None)
    told = parent_contact.latest(session, case).get(person.id)
    return {
        "schema": EXPORT_SCHEMA, "sent_at": _iso(now),
        "from_school": {"name": school.name, "slug": school.slug},
        "child": {"name": person.label, "year_group": person.year_group,
                  "date_of_birth": _iso(person.date_of_birth), "left_on": _iso(person.left_on),
                  "role_on_case": PersonRole(person.role).label},
        "case": {"reference": case.reference, "title": case.title, "status": case.status,
                 "categories": list(case.categories), "opened_at": _iso(case.opened_at)},
        "parents_told": None if told is None else {
            "told": told.told, "by": told.told_by, "on": _iso(told.told_on),
            "why_not": told.why_not},
        "safety_plan": None if plans is None or plans.current is None else {
            "version": plans.current.version, "risks": plans.current.risks,
            "measures": plans.current.measures, "responsible": plans.current.responsible,
            "review_on": _iso(plans.current.review_on)},
        "chronology": [{"at": _iso(e.at), "kind": e.label, "by": e.who, "text": e.text}
                       for e in chronology.entries(session, case)],
    }


def _iso(value: date | datetime | None) -> str | None:
    return None if value is None else value.isoformat() + ("Z" if isinstance(value, datetime)
                                                            else "")


def opened(session: Session, transfer: FileTransfer, user: User | None,
           now: datetime | None = None) -> bool:
    """Note that the receiving school opened the file (the first time only)."""
    if transfer.state != TransferState.SENT:
        return False
    transfer.state, transfer.opened_at = TransferState.OPENED, now or utcnow()
    transfer.opened_by_id = user.id if user else None
    _receipt(session, transfer, N_("%(child)s's file was opened by %(school)s."),
             child=_child(session, transfer), school=receiver(session, transfer))
    return True


def accept(session: Session, transfer: FileTransfer, by: str,
           now: datetime | None = None) -> None:
    """The receiving school confirms it has the file: the receipt goes back to the sender."""
    if transfer.state == TransferState.ACCEPTED:
        raise CaseError("accept", N_("This file has already been accepted."))
    by = clean_text(by, keep_newlines=False)
    if not by or len(by) > 200:
        raise CaseError("accepted_by", N_("Please give your name, so the sending school knows "
                        "who has the file."))
    now = now or utcnow()
    if transfer.opened_at is None:
        transfer.opened_at = now
    transfer.state, transfer.accepted_at, transfer.accepted_by = TransferState.ACCEPTED, now, by
    day = chronology.school_words(session, transfer.school_id).day(now.date())
    _receipt(session, transfer, N_("Receipt: %(child)s's file was accepted by %(by)s at "
                                   "%(school)s on %(day)s."),
             child=_child(session, transfer), by=by, school=receiver(session, transfer), day=day)
    for task in session.scalars(select(CaseTask).where(CaseTask.transfer_id == transfer.id,
                                                       CaseTask.done_at.is_(None))):
        task.done_at = now


def accept_here(session: Session, transfer: FileTransfer, user: User,
                now: datetime | None = None) -> ReceivedFile:
    """A school on this schoolsafe accepts a file handed to it, and keeps its own copy: the
    file as sent and the receipt, owned by the receiving school, so nothing the sending
    school later deletes takes it away."""
    if transfer.to_school_id is None:
        raise CaseError("accept", N_("This file was sent to a school elsewhere."))
    accept(session, transfer, user.name, now)
    kept = ReceivedFile(school_id=transfer.to_school_id,
                        from_school=transfer.export["from_school"]["name"],
                        transfer_id=transfer.id, export=transfer.export,
                        sent_at=transfer.sent_at, accepted_at=transfer.accepted_at,
                        accepted_by=transfer.accepted_by, accepted_by_id=user.id)
    session.add(kept)
    session.flush()
    return kept


def kept_copies(session: Session, school_ids: list[int]) -> list[ReceivedFile]:
    """The files these schools accepted and keep as their own, newest first."""
    return list(session.scalars(select(ReceivedFile).where(
        ReceivedFile.school_id.in_(school_ids)).order_by(ReceivedFile.accepted_at.desc())
        .limit(200)))


def _receipt(session: Session, transfer: FileTransfer, said: str, **params: object) -> None:
    # In the sending school's chronology, so in the sending school's language.
    chronology.record_said(session, session.get(Case, transfer.case_id), EventKind.TRANSFER,
                           said, None, **params)


def _child(session: Session, transfer: FileTransfer) -> str:
    return transfer.export["child"]["name"]


def receiver(session: Session, transfer: FileTransfer) -> str:
    """Who the file went to: the school's name, or the address elsewhere."""
    if transfer.to_school_id:
        return session.get(School, transfer.to_school_id).name
    return transfer.to_address


def for_case(session: Session, case: Case) -> list[FileTransfer]:
    """The files handed on from this case, newest first."""
    return list(session.scalars(select(FileTransfer).where(FileTransfer.case_id == case.id)
                                .order_by(FileTransfer.sent_at.desc())))


def received(session: Session, school_ids: list[int]) -> list[FileTransfer]:
    """Files handed to these schools and not yet accepted, newest first (an accepted one is
    the school's own copy: see kept_copies)."""
    return list(session.scalars(select(FileTransfer).where(
        FileTransfer.to_school_id.in_(school_ids), FileTransfer.accepted_at.is_(None))
        .order_by(FileTransfer.sent_at.desc()).limit(200)))


def waiting_count(session: Session, school_ids: list[int]) -> int:
    """How many files handed to these schools wait to be accepted."""
    return session.scalar(select(func.count()).select_from(FileTransfer).where(
        FileTransfer.to_school_id.in_(school_ids), FileTransfer.accepted_at.is_(None))) or 0


def by_code(session: Session, key: str, code: str) -> FileTransfer | None:
    """The transfer elsewhere whose receipt code this is."""
    if not code.strip():
        return None
    return session.scalar(select(FileTransfer).where(
        FileTransfer.code_hash == code_hash(key, code), FileTransfer.to_school_id.is_(None)))
