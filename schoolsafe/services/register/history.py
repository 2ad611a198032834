"""The history of a register entry, copied into the chronology of every case it is linked to.

An event on the entry itself has `account_id` set and no `case_id`; its copy in a case's
chronology has both, so a case shows what happened to its accounts and the entry's own
history never counts an event twice.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BindParameter, ColumnElement, CompoundSelect, select, union
from sqlalchemy.orm import Session

from schoolsafe.models import OnlineAccount, Report, School, Sighting, TimelineEvent
from schoolsafe.models.base import utcnow
from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.words import Words, words_in


def label(account: OnlineAccount) -> str:
    """How an entry is named in a case's chronology: platform and handle or link."""
    return f"{PLATFORMS.get(account.platform, account.platform)} {account.display}"


def linked_case_ids(session: Session, account_ids: list[int]) -> list[int]:
    """Cases naming any of these entries, directly or through one of their reports."""
    if not account_ids:
        return []
    return sorted(session.scalars(case_ids_naming(account_ids)))


def case_ids_naming(account_ids: list[int] | BindParameter) -> CompoundSelect:
    """The query for ids of cases naming any of these entries, directly or via a report."""
    direct = select(Sighting.case_id).where(Sighting.account_id.in_(account_ids),
                                            Sighting.case_id.is_not(None))
    via_report = (select(Report.case_id).join(Sighting, Sighting.report_id == Report.id)
                  .where(Sighting.account_id.in_(account_ids), Report.case_id.is_not(None)))
    return union(direct, via_report)


def school_words(session: Session, account: OnlineAccount) -> Words:
    """The words of the entry's school's language: its history keeps text, written in the
    school's language at the time it is written."""
    school = session.get(School, account.school_id)
    return words_in(school.language if school is not None else None)


def record(session: Session, account: OnlineAccount, kind: str, text: str, *,
           actor_id: int | None = None, at: datetime | None = None,
           to_cases: bool = True) -> TimelineEvent:
    """Add an event to the entry's history and, unless told not to, to its cases' chronology."""
    at = at or utcnow()
    event = TimelineEvent(school_id=account.school_id, account_id=account.id, kind=kind,
                          text=text, actor_id=actor_id, at=at)
    session.add(event)
    if to_cases:
        for case_id in linked_case_ids(session, [account.id]):
            session.add(TimelineEvent(school_id=account.school_id, account_id=account.id,
                                      case_id=case_id, kind=kind, actor_id=actor_id, at=at,
                                      text=f"{label(account)}: {text}"))
    return event


def own_events(account_id: int | BindParameter) -> ColumnElement[bool]:
    """Events on the entry itself, not their copies in its cases' chronologies."""
    return (TimelineEvent.account_id == account_id) & TimelineEvent.case_id.is_(None)


def has_event(session: Session, account_id: int, kind: str) -> bool:
    """Whether the entry's history holds an event of this kind."""
    return session.scalar(select(TimelineEvent.id).where(
        own_events(account_id), TimelineEvent.kind == kind).limit(1)) is not None
