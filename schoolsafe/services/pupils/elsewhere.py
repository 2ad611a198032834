"""The rest of a staff search: case references, register accounts and staff notes that
contain what was typed, within the school."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, OnlineAccount, TimelineEvent
from schoolsafe.vocab import EventKind

LIMIT = 20


@dataclass(frozen=True)
class Elsewhere:
    """Cases by reference, accounts by name, and cases whose notes contain the words."""

    cases: list[Case]
    accounts: list[OnlineAccount]
    noted: list[Case]


def _like(term: str) -> str:
    escaped = term.lower().replace("/", "//").replace("%", "/%").replace("_", "/_")
    return f"%{escaped}%"


def find(session: Session, school_id: int, query: str) -> Elsewhere:
    """What else in the school matches the words typed."""
    term = " ".join(query.split())[:100]
    if len(term) < 2:
        return Elsewhere([], [], [])
    pattern = _like(term.lstrip("@"))
    cases = session.scalars(select(Case).where(
        Case.school_id == school_id, func.lower(Case.reference).like(pattern, escape="/"))
        .order_by(Case.opened_at.desc()).limit(LIMIT))
    accounts = session.scalars(select(OnlineAccount).where(
        OnlineAccount.school_id == school_id,
        func.lower(OnlineAccount.display).like(pattern, escape="/"))
        .order_by(OnlineAccount.last_seen.desc()).limit(LIMIT))
    noted_ids = select(TimelineEvent.case_id).where(
        TimelineEvent.school_id == school_id, TimelineEvent.kind == EventKind.NOTE,
        func.lower(TimelineEvent.text).like(_like(term), escape="/"))
    noted = session.scalars(select(Case).where(Case.school_id == school_id,
                                               Case.id.in_(noted_ids))
                            .order_by(Case.opened_at.desc()).limit(LIMIT))
    return Elsewhere(list(cases), list(accounts), list(noted))
