"""Escalation: an urgent report nobody acknowledges in time goes to the next people on the list.

Immediate and high reports get a deadline from the school's acknowledgement times (defaults 15
and 60 minutes). When it passes unacknowledged, the next tier of the routing list is alerted;
when there is no next tier, everyone alerted so far is reminded. Either way a new deadline is
set, so it keeps going until someone acknowledges the report.

Immediate reports escalate at any hour: out of hours the on-call list hears about them. High
reports escalate only while the school is open, and their clock starts when staff are next
reading, so a high report sent at night goes further only if nobody acts on it in the morning.

Every function takes `now` so tests can drive the clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from schoolsafe.models import OutboxMessage, Report, School, TimelineEvent, User
from schoolsafe.services.alerts import hours, routing
from schoolsafe.services.words import ENGLISH, Words, words_in
from schoolsafe.vocab import (
    OUTBOX_STATE_HISTORY_WORDS,
    EventKind,
    OutboxPurpose,
    OutboxState,
    Urgency,
)


@dataclass(frozen=True)
class Step:
    """One escalation: the tier now alerted and who, or a reminder to everyone so far."""

    tier: int
    addresses: tuple[str, ...]
    reminder: bool = False


def wait_minutes(urgency: str, school: School) -> int | None:
    """How long a report may wait for acknowledgement; None if it never escalates."""
    return {Urgency.IMMEDIATE: school.ack_minutes_immediate,
            Urgency.HIGH: school.ack_minutes_high}.get(urgency)


def escalates_now(urgency: str, school: School, now: datetime) -> bool:
    """Whether escalation may happen at this moment (high reports wait for school hours)."""
    return urgency == Urgency.IMMEDIATE or hours.is_open(hours.for_school(school), now)


def due_at(urgency: str, school: School, now: datetime) -> datetime | None:
    """When a report of this urgency next escalates if nobody acknowledges it, from now."""
    minutes = wait_minutes(urgency, school)
    if minutes is None:
        return None
    start = now
    if not escalates_now(urgency, school, now):
        start = hours.next_open_utc(hours.for_school(school), now) or now
    return start + timedelta(minutes=minutes)


def due_report_ids(session: Session, now: datetime, limit: int = 500) -> list[int]:
    """Unacknowledged reports whose escalation time has come, longest overdue first."""
    return list(session.scalars(
        select(Report.id)
        .where(Report.next_escalation_at <= now, Report.acknowledged_at.is_(None))
        .order_by(Report.next_escalation_at).limit(limit)
    ))


def claim(session: Session, report: Report) -> bool:
    """Take this report's due escalation for this run only; False if another run took it."""
    taken = session.execute(
        update(Report)
        .where(Report.id == report.id, Report.next_escalation_at == report.next_escalation_at,
               Report.acknowledged_at.is_(None))
        .values(next_escalation_at=None)
        .execution_options(synchronize_session=False)
    )
    # The row now says None; make the object read it back so later changes are written.
    session.expire(report, ["next_escalation_at"])
    return taken.rowcount == 1


def plan(school_routing: routing.Routing, report: Report) -> Step:
    """Who to tell next: the next tier that wants this report, or a reminder to everyone."""
    categories = set(report.category_codes)
    tier = routing.next_tier(school_routing, report.alert_tier, report.urgency, categories)
    if tier is not None:
        addresses = routing.recipients(school_routing, tier, report.urgency, categories)
        return Step(tier, tuple(addresses))
    everyone = routing.everyone_up_to(school_routing, max(report.alert_tier, 1), report.urgency,
                                      categories)
    return Step(max(report.alert_tier, 1), tuple(everyone), reminder=True)


def record(session: Session, report: Report, step: Step, now: datetime,
           next_due: datetime | None) -> TimelineEvent:
    """Note the escalation on the report and its history (in the school's language at the time,
    as the history keeps text), and set the next deadline."""
    report.alert_tier = step.tier
    report.next_escalation_at = next_due
    school = session.get(School, report.school_id)
    said = describe(step, now - report.received_at,
                    words_in(school.language if school is not None else None))
    event = TimelineEvent(school_id=report.school_id, report_id=report.id, case_id=report.case_id,
                          kind=EventKind.ESCALATION, text=said, at=now)
    session.add(event)
    return event


def describe(step: Step, waited: timedelta, words: Words = ENGLISH) -> str:
    """The history line for one escalation, in plain words (in `words`' language)."""
    who, after = ", ".join(step.addresses), waited_text(waited, words)
    if not step.addresses:
        return words.gettext("Not acknowledged after %(after)s, and the routing list has nobody "
                             "to alert. An administrator needs to fix the school's routing.",
                             after=after)
    if step.reminder:
        return words.gettext("Still not acknowledged after %(after)s. Reminded: %(who)s.",
                             after=after, who=who)
    return words.gettext("Not acknowledged after %(after)s. Alerted the next people on the list "
                         "(tier %(tier)s): %(who)s.", after=after, tier=step.tier, who=who)


def waited_text(waited: timedelta, words: Words = ENGLISH) -> str:
    """A wait in words: "4 minutes", "1 hour 5 minutes", "2 days 3 hours" (in `words`'
    language)."""
    minutes = max(int(waited.total_seconds() // 60), 0)
    days, rest = divmod(minutes, 24 * 60)
    hours_part, minutes_part = divmod(rest, 60)
    said = [words.ngettext("%(num)d day", "%(num)d days", days) if days else "",
            words.ngettext("%(num)d hour", "%(num)d hours", hours_part) if hours_part else "",
            words.ngettext("%(num)d minute", "%(num)d minutes", minutes_part)
            if minutes_part and not days else ""]
    said = [part for part in said if part]
    return " ".join(said[:2]) or words.gettext("less than a minute")


@dataclass(frozen=True)
class HistoryLine:
    """One line of a report's alert history: an email, an escalation or an urgency change."""

    at: datetime
    kind: str
    text: str




def alert_history(session: Session, report: Report) -> list[HistoryLine]:
    """Every alert email, escalation and urgency change of one report, oldest first."""
    lines = [HistoryLine(m.created_at, m.purpose, _email_line(m)) for m in session.scalars(
        select(OutboxMessage).where(OutboxMessage.report_id == report.id,
                                    OutboxMessage.purpose.in_((OutboxPurpose.ALERT,
                                                               OutboxPurpose.ESCALATION))))]
    events = session.execute(
        select(TimelineEvent, User.name).outerjoin(User, TimelineEvent.actor_id == User.id)
        .where(TimelineEvent.report_id == report.id,
               TimelineEvent.kind.in_((EventKind.ESCALATION, EventKind.URGENCY_OVERRIDE)))).all()
    lines += [HistoryLine(e.at, e.kind, f"{name}: {e.text}" if name else e.text)
              for e, name in events]
    return sorted(lines, key=lambda line: (line.at, line.kind != EventKind.ESCALATION))


def _email_line(message: OutboxMessage) -> str:
    what = "Alert" if message.purpose == OutboxPurpose.ALERT else "Still-waiting alert"
    state = OUTBOX_STATE_HISTORY_WORDS.get(message.state, message.state)
    line = f"{what} to {message.to_addresses}: {state}"
    if message.state == OutboxState.PENDING and message.tries:
        times = "once" if message.tries == 1 else f"{message.tries} times"
        line += f" (tried {times}; last error: {message.last_error})"
    return line + "."
