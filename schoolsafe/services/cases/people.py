"""People involved in a case, each with a role on this case only.

A role belongs to one person on one case: changing it never touches anyone else on the case,
nor the same name on another case (a pupil harmed in one case may be alleged in another).
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, CasePerson, ParentContact, SafetyPlan
from schoolsafe.services.cases import chronology
from schoolsafe.services.cases.opening import CaseError
from schoolsafe.services.cases.work import parse_date
from schoolsafe.services.sanitize import clean_text
from schoolsafe.vocab import N_, EventKind, PersonRole

LABEL_LIMIT, YEAR_LIMIT = 120, 40


class PersonNotFound(LookupError):
    """No such person on this case."""


def _role(role: str) -> str:
    if role not in PersonRole.values():
        raise CaseError("role", N_("Please choose this person's role in the case."))
    return role


def add_person(session: Session, case: Case, user_id: int, *, label: str, year_group: str,
               role: str, date_of_birth: str = "") -> CasePerson:
    """Add someone to the case, described as they chose, with their role here."""
    label = clean_text(label, keep_newlines=False)
    year_group = clean_text(year_group, keep_newlines=False)
    if not label:
        raise CaseError("label", N_("Please say who this is: a name, initials or a description."))
    if len(label) > LABEL_LIMIT:
        raise CaseError("label", N_("Please keep this under %(label_limit)s characters."),
                        label_limit=LABEL_LIMIT)
    if len(year_group) > YEAR_LIMIT:
        raise CaseError("year_group",
                        N_("Please keep the year group under %(year_limit)s characters."),
                        year_limit=YEAR_LIMIT)
    born = parse_date(date_of_birth, "date_of_birth", N_(
        "The date of birth wasn't understood. Please give it as year-month-day, for example "
        "2026-03-31.")) if date_of_birth.strip() \
        else None
    person = CasePerson(case_id=case.id, label=label, year_group=year_group, role=_role(role),
                        date_of_birth=born)
    session.add(person)
    year = f" ({year_group})" if year_group else ""
    chronology.record_said(session, case, EventKind.PERSON, N_("Added %(who)s as: %(role)s."),
                           user_id, who=f"{label}{year}", role=PersonRole(role))
    return person


def person_on_case(session: Session, case: Case, person_id: str) -> CasePerson:
    """A person of this case by id; PersonNotFound for anyone else's."""
    if not person_id.isdigit():
        raise PersonNotFound(person_id)
    person = session.scalar(select(CasePerson).where(
        CasePerson.id == int(person_id), CasePerson.case_id == case.id))
    if person is None:
        raise PersonNotFound(person_id)
    return person


def _has_records(session: Session, person: CasePerson) -> bool:
    return any(session.scalar(select(model.id).where(model.person_id == person.id).limit(1))
               for model in (ParentContact, SafetyPlan))


def change_role(session: Session, case: Case, person: CasePerson, role: str,
                user_id: int) -> None:
    """Change one person's role on this case, and only theirs."""
    if _role(role) == person.role:
        raise CaseError("role", N_("%(label)s already has that role."), label=person.label)
    was = PersonRole(person.role)
    person.role = role
    chronology.record_said(session, case, EventKind.PERSON,
                           N_("%(who)s: role changed from %(was)s to %(now)s."), user_id,
                           who=person.label, was=was, now=PersonRole(role))


def remove_person(session: Session, case: Case, person: CasePerson, user_id: int) -> None:
    """Take someone off the case (the chronology keeps that they were on it)."""
    if _has_records(session, person):
        raise CaseError("remove_person", N_("%(label)s has a safety plan or a record of "
                        "telling their parents or carers on this case, so they stay on it. "
                        "Change their role instead if it was wrong."), label=person.label)
    session.delete(person)
    chronology.record_said(session, case, EventKind.PERSON, N_("Removed %(who)s (%(role)s)."),
                           user_id, who=person.label, role=PersonRole(person.role))
