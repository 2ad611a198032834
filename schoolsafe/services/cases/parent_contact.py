"""Whether each child's parents or carers have been told: by whom and when, or why not.

Guidance: decide with the pupil, unless telling would put them at risk. Each answer is a new
row, so what was recorded before stays; the case shows the latest per child.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, CasePerson, ParentContact
from schoolsafe.models.base import utcnow
from schoolsafe.services.cases import chronology
from schoolsafe.services.cases.opening import CaseError
from schoolsafe.services.sanitize import clean_text
from schoolsafe.services.words import Words
from schoolsafe.vocab import N_, EventKind

TOLD = {"yes": True, "no": False}
BY_LIMIT, WHY_LIMIT = 200, 2000


def record(session: Session, case: Case, person: CasePerson, user_id: int, *, told: str,
           told_by: str, told_on: str, why_not: str) -> ParentContact:
    """Record that this child's parents or carers were told (by whom, when) or why not."""
    if told not in TOLD:
        raise CaseError("told", N_("Please say whether %(label)s's parents or carers have "
                        "been told."), label=person.label)
    row = (_told(case, person, told_by, told_on) if TOLD[told]
           else _not_told(case, person, why_not))
    row.recorded_by_id = user_id
    session.add(row)
    chronology.record(session, case, EventKind.PARENT_CONTACT,
                      _summary(chronology.school_words(session, case.school_id), person, row),
                      user_id)
    return row


def _told(case: Case, person: CasePerson, told_by: str, told_on: str) -> ParentContact:
    by = clean_text(told_by, keep_newlines=False)
    if not by or len(by) > BY_LIMIT:
        raise CaseError("told_by", N_("Please say who told them (under 200 characters)."))
    try:
        day = date.fromisoformat(told_on.strip())
    except ValueError:
        raise CaseError("told_on", N_("Please give the date they were told, for example "
                        "2026-03-31.")) from None
    if day > utcnow().date():
        raise CaseError("told_on", N_("That date is still to come."))
    return ParentContact(case_id=case.id, person_id=person.id, told=True, told_by=by,
                         told_on=day)


def _not_told(case: Case, person: CasePerson, why_not: str) -> ParentContact:
    why = clean_text(why_not)
    if not why:
        raise CaseError("why_not", N_("Please say why they have not been told."))
    if len(why) > WHY_LIMIT:
        raise CaseError("why_not", N_("Please keep the reason under %(limit)s characters."),
                        limit=WHY_LIMIT)
    return ParentContact(case_id=case.id, person_id=person.id, told=False, why_not=why)


def _summary(words: Words, person: CasePerson, row: ParentContact) -> str:
    """The chronology line, in `words`' language (the school's)."""
    if row.told:
        return words.gettext(N_("%(who)s: parents or carers told by %(by)s on %(day)s."),
                             who=person.label, by=row.told_by, day=words.day(row.told_on))
    return words.gettext(N_("%(who)s: parents or carers not told. Why: %(why)s"),
                         who=person.label, why=row.why_not)


def latest(session: Session, case: Case) -> dict[int, ParentContact]:
    """The latest answer for each child on the case, by person id."""
    rows = session.scalars(select(ParentContact).where(ParentContact.case_id == case.id)
                           .order_by(ParentContact.id))
    return {row.person_id: row for row in rows}
