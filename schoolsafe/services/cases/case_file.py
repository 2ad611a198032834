"""The case file: one case's whole record as a single document, for a child-protection transfer.

When a pupil moves school their child-protection file goes with them. This gathers what the
receiving DSL needs from one case - summary, people and roles, the chronology, the
containment checklist and the referrals as sent - in time order and with who did what.
It is for the DSL of the case's school only: it names pupils.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, CasePerson, Referral, School, User
from schoolsafe.services.cases import checklist as case_checklist
from schoolsafe.services.cases import chronology
from schoolsafe.services.referrals import drafts as referral_drafts
from schoolsafe.vocab import ReferralState


@dataclass(frozen=True)
class SentReferral:
    """A referral as it left the school, with its recipient and sender named."""

    referral: Referral
    recipient: str
    sent_by: str


@dataclass(frozen=True)
class CaseFile:
    """Everything the printable case file shows."""

    case: Case
    school: School
    assignee: str
    people: list[CasePerson]
    entries: list[chronology.Entry]
    checklist: list[case_checklist.ChecklistRow]
    referrals: list[SentReferral]
    unsent_drafts: int
    made_by: str
    made_at: datetime


def case_file(session: Session, case: Case, *, made_by: User, made_at: datetime,
              recipient_names: Mapping[str, str]) -> CaseFile:
    """Gather one case's record; drafts never sent are counted but left out."""
    referrals = referral_drafts.for_case(session, case)
    sent = [r for r in referrals if r.state != ReferralState.DRAFT]
    names = _names(session, {case.assigned_to_id} | {r.sent_by_id or r.created_by_id
                                                     for r in sent})
    return CaseFile(
        case=case, school=session.get(School, case.school_id),
        assignee=names.get(case.assigned_to_id or 0, "No one"), people=list(case.people),
        entries=chronology.entries(session, case),
        checklist=case_checklist.rows(session, case),
        referrals=[SentReferral(r, recipient_names.get(r.recipient_kind, r.recipient_kind),
                                names.get(r.sent_by_id or r.created_by_id or 0, ""))
                   for r in reversed(sent)],
        unsent_drafts=len(referrals) - len(sent), made_by=made_by.name, made_at=made_at)


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())
