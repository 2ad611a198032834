"""The job that sends a stored email, queueing it for after the commit, and the sweep that
re-queues anything unsent."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import case, func, or_, select, true, update

from schoolsafe.extensions import db
from schoolsafe.jobs.context import job
from schoolsafe.jobs.queue import enqueue
from schoolsafe.mail import sender
from schoolsafe.models import OutboxMessage, Report
from schoolsafe.models.base import utcnow
from schoolsafe.services.referrals.state import mark_sent
from schoolsafe.vocab import OutboxPurpose, OutboxState

log = logging.getLogger(__name__)
# A message claimed for sending longer ago than this is assumed lost with its worker, and sent
# again (with the same Message-ID, marked as maybe sent twice). Short, so an alert lost with a
# worker goes well before the shortest escalation clock (15 minutes for an immediate report);
# long enough for one SMTP conversation with a slow relay.
LEASE = timedelta(minutes=2)
BACKOFF = [timedelta(seconds=s) for s in (10, 30, 60, 120, 300, 900, 1800, 3600)]


@job
def deliver_outbox(message_id: int) -> str:
    """Send one outbox message. Safe to run twice: only the run that claims it sends."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.state in (OutboxState.SENT, OutboxState.CANCELLED):
        return "nothing to do"
    if _alert_no_longer_needed(message):
        message.state = OutboxState.CANCELLED
        db.session.commit()
        return OutboxState.CANCELLED
    if not _claim(message_id):
        return "claimed elsewhere"
    return _send(message)


def send_soon(*messages: OutboxMessage) -> None:
    """Queue the sending of stored messages, for once the current transaction commits."""
    for message in messages:
        enqueue(deliver_outbox, message.id)


def _alert_no_longer_needed(message: OutboxMessage) -> bool:
    # Alerts stop once someone has acknowledged the report.
    if message.purpose not in (OutboxPurpose.ALERT, OutboxPurpose.ESCALATION) \
            or message.report_id is None:
        return False
    report = db.session.get(Report, message.report_id)
    return report is not None and report.acknowledged_at is not None


def _claim(message_id: int) -> bool:
    now = utcnow()
    taken_over = OutboxMessage.state == OutboxState.SENDING
    claimed = db.session.execute(
        update(OutboxMessage)
        .where(OutboxMessage.id == message_id,
               or_(OutboxMessage.state == OutboxState.PENDING,
                   taken_over & (OutboxMessage.next_attempt_at <= now)))
        .values(state=OutboxState.SENDING, next_attempt_at=now + LEASE,
                # Stored before the first try, so a resend carries the same Message-ID.
                message_id=case((OutboxMessage.message_id == "", sender.new_message_id()),
                                else_=OutboxMessage.message_id),
                maybe_sent_twice=case((taken_over, true()),
                                      else_=OutboxMessage.maybe_sent_twice))
    )
    db.session.commit()
    return claimed.rowcount == 1


def _send(message: OutboxMessage) -> str:
    db.session.refresh(message)
    try:
        sender.deliver(message)
    except Exception as error:
        _record_failure(message, error)
        raise  # RQ retries with backoff; the sweep catches anything left after that
    message.state = OutboxState.SENT
    message.sent_at = utcnow()
    message.tries += 1
    message.last_error = ""
    db.session.commit()
    _after_sent(message)
    return OutboxState.SENT


def _record_failure(message: OutboxMessage, error: Exception) -> None:
    message.tries += 1
    message.state = OutboxState.PENDING
    message.last_error = f"{type(error).__name__}: {error}"[:500]
    message.next_attempt_at = utcnow() + BACKOFF[min(message.tries, len(BACKOFF)) - 1]
    db.session.commit()
    log.warning("email %s not sent (try %s): %s", message.id, message.tries, message.last_error)


def _after_sent(message: OutboxMessage) -> None:
    # Referrals mirror the state of the email that carries them.
    if message.referral_id is not None:
        mark_sent(db.session, message.referral_id, message.sent_at)
        db.session.commit()


def due_messages(limit: int = 500) -> list[int]:
    """Ids of messages waiting to be (re)sent whose time has come."""
    now = utcnow()
    return list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.state.in_((OutboxState.PENDING, OutboxState.SENDING)),
               OutboxMessage.next_attempt_at <= now)
        .order_by(OutboxMessage.next_attempt_at)
        .limit(limit)
    ))


def send_pending() -> int:
    """Queue every due message again; returns how many."""
    ids = due_messages()
    for message_id in ids:
        enqueue(deliver_outbox, message_id)
    # The query opened a transaction, and jobs queued inside one wait for its commit.
    db.session.commit()
    return len(ids)




@dataclass(frozen=True)
class DeliverySummary:
    """How a school's email is getting on, for the admin pages."""

    waiting: int
    failing: int
    oldest_waiting: datetime | None
    last_error: str


def delivery_summary(school_id: int) -> DeliverySummary:
    """Unsent email of one school: how many, how many have failed, since when, and why."""
    unsent = (OutboxMessage.school_id == school_id) \
        & OutboxMessage.state.in_((OutboxState.PENDING, OutboxState.SENDING))
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(OutboxMessage.created_at)).where(unsent)).one()
    failing = db.session.scalar(select(func.count()).where(unsent, OutboxMessage.tries > 0))
    last_error = db.session.scalar(
        select(OutboxMessage.last_error).where(unsent, OutboxMessage.last_error != "")
        .order_by(OutboxMessage.id.desc()).limit(1))
    return DeliverySummary(waiting, failing or 0, oldest, last_error or "")


def school_messages(school_id: int, state: str = "", limit: int = 200) -> list[OutboxMessage]:
    """A school's most recent email, optionally only in one state."""
    query = select(OutboxMessage).where(OutboxMessage.school_id == school_id)
    if state:
        query = query.where(OutboxMessage.state == state)
    return list(db.session.scalars(query.order_by(OutboxMessage.id.desc()).limit(limit)))


def send_again(message_id: int, school_id: int) -> bool:
    """Make an unsent email of this school due now and queue it; False if nothing to retry."""
    message = db.session.get(OutboxMessage, message_id)
    if message is None or message.school_id != school_id or message.state != OutboxState.PENDING:
        return False
    message.next_attempt_at = utcnow()
    enqueue(deliver_outbox, message.id)
    return True
