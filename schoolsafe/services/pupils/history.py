"""A child's chronology: everything known about them across cases, newest first.

It is built from the cases the child is on (through case people a DSL linked to them): each
case and the child's role on it, the reports in those cases (marked as theirs when the
reporter gave the child's name), the referrals and the staff notes - and the typed entries
(conversations, calls, meetings) a DSL recorded them as present at, on any case.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import (
    Case,
    CaseEntry,
    CaseEntryPupil,
    CasePerson,
    Pupil,
    Referral,
    Report,
    TimelineEvent,
)
from schoolsafe.services import paging
from schoolsafe.services.pupils.directory import parts_of
from schoolsafe.services.pupils.names import any_folded_in, variants
from schoolsafe.vocab import EntryKind, EventKind, PersonRole, PupilHistoryKind, ReferralState

PAGE_SIZE = 25


@dataclass(frozen=True)
class Entry:
    """One line of a child's chronology."""

    at: datetime
    kind: str
    text: str
    case: Case


@dataclass(frozen=True)
class CaseRole:
    """A case the child is on, and their role on it."""

    case: Case
    role: str


def cases_of(session: Session, pupil: Pupil) -> list[CaseRole]:
    """The cases the child is on, newest first, with their role on each."""
    rows = session.execute(select(Case, CasePerson.role).join(
        CasePerson, CasePerson.case_id == Case.id).where(
        CasePerson.pupil_id == pupil.id, Case.school_id == pupil.school_id)
        .order_by(Case.opened_at.desc(), Case.id.desc())).all()
    return [CaseRole(case, role) for case, role in rows]


def entries(session: Session, pupil: Pupil, recipients: dict[str, str]) -> list[Entry]:
    """Every entry of the child's chronology, newest first (recipients: kind to name)."""
    on = cases_of(session, pupil)
    by_id = {c.case.id: c.case for c in on}
    found = [Entry(c.case.opened_at, PupilHistoryKind.NAMED,
                   f"Case {c.case.reference} opened; their role: {PersonRole(c.role).label}.",
                   c.case) for c in on]
    if by_id:
        found += _reports(session, pupil, by_id) + _referrals(session, by_id, recipients)
        found += _notes(session, by_id)
    found += _present_at(session, pupil)
    return sorted(found, key=lambda e: (e.at, e.kind), reverse=True)


def _reports(session: Session, pupil: Pupil, cases: dict[int, Case]) -> list[Entry]:
    names = variants(parts_of(pupil))
    found = []
    for report in session.scalars(select(Report).where(Report.case_id.in_(cases))):
        theirs = bool(report.reporter_name.strip()) and any_folded_in(
            [n for n in names if " " in n] + [pupil.legal_first, pupil.preferred_first],
            report.reporter_name)
        kind = PupilHistoryKind.REPORT_MADE if theirs else PupilHistoryKind.NAMED
        text = ("They made a report" if theirs else "A report was received") + \
            f" (case {cases[report.case_id].reference})."
        found.append(Entry(report.received_at, kind, text, cases[report.case_id]))
    return found


def _referrals(session: Session, cases: dict[int, Case],
               recipients: dict[str, str]) -> list[Entry]:
    return [Entry(r.queued_at or r.created_at, PupilHistoryKind.REFERRAL,
                  f"Referral to {recipients.get(r.recipient_kind, r.recipient_kind)} "
                  f"({ReferralState(r.state).label.lower()}), case {cases[r.case_id].reference}.",
                  cases[r.case_id])
            for r in session.scalars(select(Referral).where(Referral.case_id.in_(cases)))]


def _notes(session: Session, cases: dict[int, Case]) -> list[Entry]:
    return [Entry(n.at, PupilHistoryKind.NOTE, n.text, cases[n.case_id])
            for n in session.scalars(select(TimelineEvent).where(
                TimelineEvent.case_id.in_(cases), TimelineEvent.kind == EventKind.NOTE))]


def _present_at(session: Session, pupil: Pupil) -> list[Entry]:
    # The version in force of each entry they were at; a corrected-away presence drops out.
    rows = session.execute(select(CaseEntry, Case).join(
        CaseEntryPupil, CaseEntryPupil.entry_id == CaseEntry.id).join(
        Case, Case.id == CaseEntry.case_id).where(
        CaseEntryPupil.pupil_id == pupil.id, CaseEntry.replaced_at.is_(None),
        Case.school_id == pupil.school_id))
    return [Entry(entry.happened_at, PupilHistoryKind.PRESENT,
                  f"{EntryKind(entry.kind).label} (they were there): {entry.said}", case)
            for entry, case in rows]


def page(session: Session, pupil: Pupil, number: int,
         recipients: dict[str, str]) -> paging.Page:
    """One page of the child's chronology (the last page when the number is past it)."""
    every = entries(session, pupil, recipients)
    shown = paging.nearest(number, len(every), PAGE_SIZE)
    return replace(shown, rows=every[shown.offset:shown.offset + PAGE_SIZE])
