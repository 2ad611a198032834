"""Which schools an insight view may cover, and whether its numbers may be exact.

A DSL sees their own school with exact numbers. A trust lead sees the whole trust, or one
school of it, always with small numbers hidden, including schools where they are also a DSL
when the view covers the trust.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from schoolsafe.models import School, Trust
from schoolsafe.vocab import N_, AuditRecordType


class ScopeError(LookupError):
    """The view asked for schools this user may not see."""


@dataclass(frozen=True)
class Scope:
    """One choice in the "schools" filter."""

    key: str
    label: str
    school_ids: tuple[int, ...]
    exact_allowed: bool
    # Set for a trust: the page then also shows reports by school.
    school_names: dict[int, str] | None
    audit_type: AuditRecordType
    audit_id: str
    audit_school_id: int | None


def scopes_for(session: Session, dsl_school_ids: list[int],
               lead_trust_ids: list[int]) -> list[Scope]:
    """The views a user may open: their own schools first, then each trust they lead."""
    schools = list(session.scalars(select(School).where(or_(
        School.id.in_(dsl_school_ids), School.trust_id.in_(lead_trust_ids)))
        .order_by(School.name)))
    scopes = [_school(s, exact=True) for s in schools if s.id in dsl_school_ids]
    trusts = session.scalars(select(Trust).where(Trust.id.in_(lead_trust_ids))
                             .order_by(Trust.name)) if lead_trust_ids else []
    for trust in trusts:
        members = [s for s in schools if s.trust_id == trust.id]
        if members:
            scopes.append(_trust(trust, members))
            scopes += [_school(s, exact=False, trust=trust) for s in members
                       if s.id not in dsl_school_ids]
    return scopes


def choose(scopes: list[Scope], key: str | None) -> Scope:
    """The scope named in the filter, or the first; ScopeError for one not on the list."""
    if not scopes:
        raise ScopeError(N_("no schools to show"))
    if not key:
        return scopes[0]
    for scope in scopes:
        if scope.key == key:
            return scope
    raise ScopeError(key)


def _school(school: School, *, exact: bool, trust: Trust | None = None) -> Scope:
    label = school.name if trust is None else f"{school.name} ({trust.name})"
    return Scope(f"school-{school.id}", label, (school.id,), exact, None, AuditRecordType.SCHOOL,
                 school.slug, school.id)


def _trust(trust: Trust, members: list[School]) -> Scope:
    return Scope(f"trust-{trust.id}", f"All schools in {trust.name}",
                 tuple(s.id for s in members), False, {s.id: s.name for s in members},
                 AuditRecordType.TRUST, str(trust.id), None)
