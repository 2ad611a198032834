"""A pupil leaving the school, as the directory records it: by a re-import that no longer
lists them, or by a DSL on the child's page.

Every open case where a person is linked to the pupil then has that person marked as left
on the same date, so the case shows the prompt to hand their file on, as marking them left
on the case does. The five-school-day clock still starts only when the file is sent.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, CasePerson, FileTransfer, Pupil
from schoolsafe.models.base import utcnow
from schoolsafe.services.cases import chronology
from schoolsafe.services.errors import FieldError
from schoolsafe.vocab import N_, CaseStatus, EventKind


class LeavingError(FieldError):
    """A leaving date we can't record as typed; the message says why."""


@dataclass(frozen=True)
class FileToHandOn:
    """A person on an open case who has left, whose file has not been sent yet."""

    case: Case
    person: CasePerson


def mark_left(session: Session, pupil: Pupil, left_on: str, user_id: int,
              today: date | None = None) -> list[Case]:
    """Mark a pupil as left by hand; returns the open cases that now prompt a hand-on."""
    try:
        day = date.fromisoformat(left_on.strip())
    except ValueError:
        raise LeavingError("left_on", N_("Please give the date they left, for example "
                           "2026-03-31.")) from None
    if day > (today or utcnow().date()):
        raise LeavingError("left_on", N_("That date is still to come. Mark them as left on or "
                           "after the day they go."))
    if not pupil.on_roll:
        raise LeavingError("left_on", N_("They are already marked as left."))
    pupil.on_roll, pupil.left_on, pupil.updated_at = False, day, utcnow()
    return prompt_hand_on(session, [pupil], user_id)


def prompt_hand_on(session: Session, pupils: list[Pupil], user_id: int | None) -> list[Case]:
    """Mark as left every person linked to these (left) pupils on an open case; the cases."""
    by_id = {p.id: p for p in pupils if p.left_on is not None}
    if not by_id:
        return []
    rows = session.execute(select(CasePerson, Case).join(Case, Case.id == CasePerson.case_id)
                           .where(CasePerson.pupil_id.in_(by_id), CasePerson.left_on.is_(None),
                                  Case.status != CaseStatus.CLOSED)).all()
    for person, case in rows:
        person.left_on = by_id[person.pupil_id].left_on
        chronology.record_said(session, case, EventKind.PERSON,
                               N_("%(who)s left the school on %(day)s, as the pupil directory "
                                  "records."), user_id, who=person.label,
                               day=chronology.school_words(session, case.school_id)
                               .day(person.left_on))
    return list({case.id: case for _, case in rows}.values())


def files_to_hand_on(session: Session, school_ids: list[int]) -> list[FileToHandOn]:
    """People who have left, on these schools' open cases, whose file was never sent."""
    sent = select(FileTransfer.person_id)
    rows = session.execute(select(Case, CasePerson).join(
        CasePerson, CasePerson.case_id == Case.id).where(
        Case.school_id.in_(school_ids), Case.status != CaseStatus.CLOSED,
        CasePerson.left_on.is_not(None), CasePerson.id.not_in(sent))
        .order_by(CasePerson.left_on, Case.id).limit(200)).all()
    return [FileToHandOn(case, person) for case, person in rows]
