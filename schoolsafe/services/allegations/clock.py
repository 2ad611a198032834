"""The one-working-day clock of an allegation about a member of staff: when the designated
officer (England's LADO) should have had the referral, counted from when the school heard."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, Referral, Report, School, TimelineEvent
from schoolsafe.services.alerts import hours
from schoolsafe.services.alerts.hours import Hours
from schoolsafe.services.cases.chronology import school_words
from schoolsafe.vocab import N_, CaseStatus, EventKind, ReferralState


def referral_due(hours: Hours, heard_at: datetime) -> datetime:
    """The same time of day on the school's next open day after the one it heard on, as naive
    UTC; a school with no open days gets a day."""
    zone = ZoneInfo(hours.timezone)
    local = heard_at.replace(tzinfo=UTC).astimezone(zone)
    for offset in range(1, 8):
        day = local.date() + timedelta(days=offset)
        if day.isoweekday() in hours.days:
            due = datetime.combine(day, local.time(), tzinfo=zone)
            return due.astimezone(UTC).replace(tzinfo=None)
    return heard_at + timedelta(days=1)


# The designated officer's day has passed without a referral: the contacts are reminded once
# when it passes, then once a day until a statutory referral is on its way.
REMIND_EVERY = timedelta(days=1)


def heard_at(session: Session, case: Case) -> datetime:
    """When the school heard of the allegation: the case's first report (or its opening)."""
    first = session.scalar(select(func.min(Report.received_at)).where(Report.case_id == case.id))
    return first or case.opened_at


def due_reminders(session: Session, now: datetime,
                  statutory_kinds: Callable[[str], frozenset[str]]) -> list[Case]:
    """Open cases about staff whose referral is overdue, not yet on its way, and whose
    contacts were not reminded in the last day. `statutory_kinds` maps a jurisdiction code to
    its pack's statutory recipient kinds."""
    found = []
    for case, school in session.execute(
            select(Case, School).join(School, School.id == Case.school_id)
            .where(Case.restricted_to != "", Case.status != CaseStatus.CLOSED)):
        due = referral_due(hours.for_school(school), heard_at(session, case))
        if due <= now and not _referred(session, case, statutory_kinds(school.jurisdiction)) \
                and not _reminded_since(session, case, now - REMIND_EVERY):
            found.append(case)
    return found


def _referred(session: Session, case: Case, kinds: frozenset[str]) -> bool:
    return session.scalar(select(Referral.id).where(
        Referral.case_id == case.id, Referral.recipient_kind.in_(kinds),
        Referral.state.in_((ReferralState.QUEUED, ReferralState.SENT))).limit(1)) is not None


def _reminded_since(session: Session, case: Case, since: datetime) -> bool:
    return session.scalar(select(TimelineEvent.id).where(
        TimelineEvent.case_id == case.id, TimelineEvent.report_id.is_(None),
        TimelineEvent.kind == EventKind.ESCALATION, TimelineEvent.at > since).limit(1)) is not None


def record_reminder(session: Session, case: Case, addresses: list[str],
                    now: datetime) -> TimelineEvent:
    """Note on the case's chronology that its contacts were reminded (or that nobody could be)."""
    # The chronology keeps text, so it is written in the school's language.
    words = school_words(session, case.school_id)
    if addresses:
        text = words.gettext(N_("The referral to the designated officer is overdue. Reminded: "
                                "%(addresses)s."), addresses=", ".join(addresses))
    else:
        text = words.gettext(N_("The referral to the designated officer is overdue, and nobody "
                                "holds the allegations contact role to remind. An administrator "
                                "needs to set one."))
    event = TimelineEvent(school_id=case.school_id, case_id=case.id, kind=EventKind.ESCALATION,
                          text=text, at=now)
    session.add(event)
    return event
