"""Staff an allegations contact adds by name to a case about a member of staff (a deputy, the
person who will support the pupil): they see it as the contact does; nobody else does."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, CaseReader, Membership, User
from schoolsafe.services.allegations import contacts
from schoolsafe.services.cases import chronology
from schoolsafe.services.cases.opening import CaseError
from schoolsafe.vocab import ALLEGATIONS_CONTACTS, N_, EventKind, Role


def readers(session: Session, case: Case) -> list[User]:
    """Who was added to the case by name, by name."""
    return list(session.scalars(select(User).join(CaseReader, CaseReader.user_id == User.id)
                                .where(CaseReader.case_id == case.id).order_by(User.name)))


def candidates(session: Session, case: Case) -> list[User]:
    """Safeguarding leads of the school who could be added: not the person named, not already
    added, and not anyone the pupil's words could mean."""
    added = {u.id for u in readers(session, case)}
    return [u for u in session.scalars(
        select(User).join(Membership).where(Membership.school_id == case.school_id,
                                            Membership.role == Role.DSL, User.active.is_(True))
        .order_by(User.name))
        if u.id not in added and u.id != case.accused_staff_id
        and not contacts.may_be(u.name, case.accused_who)]


def add_reader(session: Session, case: Case, user_public_id: str, added_by: int) -> User:
    """Let one more safeguarding lead see the case; refused with a plain reason otherwise."""
    if not case.restricted_to:
        raise CaseError("reader", N_("Everyone with the safeguarding lead role already sees this "
                        "case."))
    chosen = next((u for u in candidates(session, case) if u.public_id == user_public_id), None)
    if chosen is None:
        raise CaseError("reader", N_("Choose a safeguarding lead from the list. The person named, "
                        "or anyone the pupil's words could mean, can't be added."))
    session.add(CaseReader(case_id=case.id, user_id=chosen.id, added_by_id=added_by))
    chronology.record_said(session, case, EventKind.ACTION,
                           N_("%(name)s can now see this case and its reports."), added_by,
                           name=chosen.name)
    return chosen


def may_see(session: Session, case: Case) -> set[int] | None:
    """Ids of the staff who may see a case about a member of staff: holders of its contact
    role at its school and those added by name, never the person named. Any other case: all
    its school's staff but an allegations contact who is not a DSL (None: everyone may)."""
    if not case.restricted_to:
        return _all_but_contacts_only(session, case.school_id)
    allowed = set(session.scalars(select(Membership.user_id).where(
        Membership.school_id == case.school_id, Membership.role == case.restricted_to)))
    allowed |= set(session.scalars(select(CaseReader.user_id)
                                   .where(CaseReader.case_id == case.id)))
    allowed.discard(case.accused_staff_id)
    return allowed


def _all_but_contacts_only(session: Session, school_id: int) -> set[int] | None:
    # A head teacher or chair who is not a DSL sees only what is routed to them
    # (visibility.py), so no task on an everyday case is given to them.
    held = session.execute(select(Membership.user_id, Membership.role)
                           .where(Membership.school_id == school_id)).all()
    limited = ({user for user, role in held if role in ALLEGATIONS_CONTACTS}
               - {user for user, role in held if role == Role.DSL})
    return {user for user, _role in held} - limited if limited else None


def only_those_who_may_see(session: Session, case: Case, staff: list[User]) -> list[User]:
    """The staff in this list who may see the case (a task or entry names only them)."""
    allowed = may_see(session, case)
    return staff if allowed is None else [u for u in staff if u.id in allowed]
