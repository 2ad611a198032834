"""Tenancy across a trust: which schools a trust lead oversees, and counts that name no pupil.

A trust lead sees numbers per school and nothing else: no report, case, person or text of a
school where they hold no role. Per-school pages stay behind the school-scoped lookups of
security/access.py, which a trust lead does not pass on the strength of leading a trust.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, OnlineAccount, Report, School, Trust


@dataclass(frozen=True)
class SchoolCounts:
    """One school's totals for the trust overview; None means "fewer than the threshold"."""

    school: str
    reports: int | None
    cases: int | None
    register_entries: int


def trusts(session: Session, trust_ids: list[int]) -> list[Trust]:
    """The trusts, by name."""
    return list(session.scalars(select(Trust).where(Trust.id.in_(trust_ids))
                                .order_by(Trust.name)))


def trust_school_ids(session: Session, trust_ids: list[int]) -> list[int]:
    """Ids of every school in the trusts."""
    return list(session.scalars(select(School.id).where(School.trust_id.in_(trust_ids))))


def _per_school(session: Session, model: type, school_ids: list[int]) -> dict[int, int]:
    rows = session.execute(select(model.school_id, func.count())
                           .where(model.school_id.in_(school_ids)).group_by(model.school_id))
    return {school_id: total for school_id, total in rows}


def hidden_if_small(count: int, hide_below: int) -> int | None:
    """The count, or None when it is small enough to help pick out a pupil (zero is shown)."""
    return None if 0 < count < hide_below else count


def trust_counts(session: Session, trust_ids: list[int], hide_below: int) -> list[SchoolCounts]:
    """Reports, cases and register entries per school of the trusts.

    Report and case counts below `hide_below` are hidden, as insight does for trust leads, and
    no other figure is given that they could be worked out from. Register entries are accounts
    and pages, not pupils, so they are shown exactly.
    """
    schools = list(session.scalars(select(School).where(School.trust_id.in_(trust_ids))
                                   .order_by(School.name)))
    ids = [s.id for s in schools]
    reports, cases = _per_school(session, Report, ids), _per_school(session, Case, ids)
    entries = _per_school(session, OnlineAccount, ids)
    return [SchoolCounts(s.name, hidden_if_small(reports.get(s.id, 0), hide_below),
                         hidden_if_small(cases.get(s.id, 0), hide_below), entries.get(s.id, 0))
            for s in schools]
