"""Tenancy across a trust: which schools a trust lead oversees, and counts that name no pupil.

A trust lead sees numbers per school and nothing else: no report, case, person or text of a
school where they hold no role. Per-school pages stay behind the school-scoped lookups of
security/access.py, which a trust lead does not pass on the strength of leading a trust.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import case, func, select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, OnlineAccount, Report, School, Trust
from schoolsafe.models.report import CLOSED


@dataclass(frozen=True)
class SchoolCounts:
    """One school's totals for the trust overview."""

    school: str
    open_reports: int
    reports: int
    open_cases: int
    cases: int
    register_entries: int


def trusts(session: Session, trust_ids: list[int]) -> list[Trust]:
    """The trusts, by name."""
    return list(session.scalars(select(Trust).where(Trust.id.in_(trust_ids))
                                .order_by(Trust.name)))


def trust_school_ids(session: Session, trust_ids: list[int]) -> list[int]:
    """Ids of every school in the trusts."""
    return list(session.scalars(select(School.id).where(School.trust_id.in_(trust_ids))))


def _open_and_all(session: Session, model: type, school_ids: list[int]) -> dict[int, tuple]:
    still_open = func.sum(case((model.status != CLOSED, 1), else_=0))
    rows = session.execute(select(model.school_id, still_open, func.count())
                           .where(model.school_id.in_(school_ids)).group_by(model.school_id))
    return {school_id: (int(open_ or 0), int(total)) for school_id, open_, total in rows}


def _register_entries(session: Session, school_ids: list[int]) -> dict[int, int]:
    rows = session.execute(select(OnlineAccount.school_id, func.count())
                           .where(OnlineAccount.school_id.in_(school_ids))
                           .group_by(OnlineAccount.school_id))
    return dict(rows.tuples())


def trust_counts(session: Session, trust_ids: list[int]) -> list[SchoolCounts]:
    """Reports, cases and register entries per school of the trusts: counts only."""
    schools = list(session.scalars(select(School).where(School.trust_id.in_(trust_ids))
                                   .order_by(School.name)))
    ids = [s.id for s in schools]
    reports = _open_and_all(session, Report, ids)
    cases = _open_and_all(session, Case, ids)
    entries = _register_entries(session, ids)
    return [SchoolCounts(s.name, *reports.get(s.id, (0, 0)), *cases.get(s.id, (0, 0)),
                         entries.get(s.id, 0)) for s in schools]
