"""Who a report about a member of staff goes to: the school's allegations contacts.

The head teacher (case manager) hears first. When the person named is a case manager, or may
be - the pupil's words could be the head's name, or "the head" - it goes to the chair of
governors instead, and so it does when the school has no case manager.
"""

from __future__ import annotations

import re

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import Membership, User
from schoolsafe.vocab import Role

# Words a pupil may use for the head teacher instead of a name.
HEAD_WORDS = frozenset({"head", "headteacher", "headmaster", "headmistress", "principal",
                        "head's", "heads"})
_WORD = re.compile(r"[^\W\d_]+(?:'[^\W\d_]+)?")


def holders(session: Session, school_id: int, role: str) -> list[User]:
    """Active staff holding one allegations contact role in the school, oldest account first."""
    return list(session.scalars(
        select(User).join(Membership)
        .where(Membership.school_id == school_id, Membership.role == role,
               User.active.is_(True)).order_by(User.id)))


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def may_be(name: str, who: str) -> bool:
    """Whether the pupil's words about who it is could mean the member of staff of this name
    (any part of the name longer than two letters)."""
    said = _words(who)
    names = {w for w in _words(name) if len(w) > 2}
    return bool(said & names)


def route_for(session: Session, school_id: int, accused_staff_id: int | None,
              who: str) -> Role:
    """The contact role a report about staff is restricted to and alerted to."""
    managers = holders(session, school_id, Role.CASE_MANAGER)
    if not managers:
        return Role.CHAIR
    if any(m.id == accused_staff_id or may_be(m.name, who) for m in managers):
        return Role.CHAIR
    if _words(who) & HEAD_WORDS:
        return Role.CHAIR
    return Role.CASE_MANAGER


def addresses(session: Session, school_id: int, role: str,
              accused_staff_id: int | None) -> list[str]:
    """Where the alerts about one report about staff go: its contacts, never the accused."""
    return [u.email for u in holders(session, school_id, role) if u.id != accused_staff_id]


def named_staff(session: Session, school_id: int, user_id: int | None) -> User | None:
    """The member of staff chosen on a concern, if they work at this school."""
    if user_id is None:
        return None
    return session.scalar(select(User).join(Membership).where(
        User.id == user_id, Membership.school_id == school_id).limit(1))


def school_staff(session: Session, school_id: int) -> list[User]:
    """The school's active staff by name: whom a concern about staff may name."""
    return list(session.scalars(
        select(User).where(User.active.is_(True), User.id.in_(
            select(Membership.user_id).where(Membership.school_id == school_id)))
        .order_by(User.name, User.id)))
