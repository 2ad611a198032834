"""Taking in a pupil's report after it is saved: its places, its alerts, its escalation.

The pupil's POST stores the report and answers at once; this job, queued when that
transaction commits, links the places to the register and queues the content-free alerts
and the escalation. The report carries `intake_pending` until the job's own transaction
commits, so a job lost with Redis or a worker is found by the sweep (`flask send-pending`,
and a worker starting up) and run again. Running it twice is harmless: only the run that
clears the flag links places and stores alerts, and every run sends the report's alerts that
are still unsent - so RQ's retry of a job that failed after the intake committed (PostgreSQL
restarting mid-job) still sends them, without waiting for the sweep.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select, update

from schoolsafe.extensions import db
from schoolsafe.jobs.context import job
from schoolsafe.jobs.escalate import schedule_escalation
from schoolsafe.jobs.mail import deliver_outbox, send_soon
from schoolsafe.jobs.queue import enqueue, enqueue_at
from schoolsafe.mail.alerts import store_new_report_alerts
from schoolsafe.models import OutboxMessage, Report, School
from schoolsafe.models.base import utcnow
from schoolsafe.services.reports import submit as reports
from schoolsafe.vocab import OutboxPurpose, OutboxState


@job
def take_in_report(report_id: int) -> str:
    """Link a new report's places and store its alerts, once; send whichever are unsent."""
    taken_in = _take_in(report_id)
    # Sent from here rather than from jobs of their own, which would wait for their turn in
    # the queue. One that fails is queued for its next try (the sweep also finds it).
    unsent = _unsent_alerts(report_id)
    for message_id in unsent:
        _send_now(message_id)
    if taken_in:
        return "taken in"
    return f"{len(unsent)} unsent alert(s) tried again" if unsent else "nothing to do"


def _take_in(report_id: int) -> bool:
    claimed = db.session.execute(
        update(Report).where(Report.id == report_id, Report.intake_pending)
        .values(intake_pending=False))
    if claimed.rowcount != 1:
        db.session.rollback()
        return False
    report = db.session.get(Report, report_id)
    school = db.session.get(School, report.school_id)
    reports.link_waiting_places(db.session, report)
    # Routing and escalation count from when the pupil pressed Send, not from now.
    store_new_report_alerts(report, school, now=report.received_at)
    schedule_escalation(report)
    db.session.commit()
    return True


def _unsent_alerts(report_id: int) -> list[int]:
    # Due ones only: an alert backing off after an SMTP failure already has its retry queued,
    # and one being sent elsewhere is leased until its lease runs out.
    ids = list(db.session.scalars(
        select(OutboxMessage.id)
        .where(OutboxMessage.report_id == report_id,
               OutboxMessage.purpose == OutboxPurpose.ALERT,
               OutboxMessage.state.in_((OutboxState.PENDING, OutboxState.SENDING)),
               OutboxMessage.next_attempt_at <= utcnow())
        .order_by(OutboxMessage.id)))
    db.session.rollback()
    return ids


def _send_now(message_id: int) -> None:
    try:
        deliver_outbox(message_id)
    except Exception:  # noqa: BLE001 - the failure is recorded on the message
        db.session.rollback()
        retry_at = db.session.scalar(
            select(OutboxMessage.next_attempt_at).where(OutboxMessage.id == message_id))
        enqueue_at(retry_at, deliver_outbox, message_id, job_id=f"deliver-{message_id}-retry")
        db.session.commit()


def queue_new_report_alerts(report: Report, school: School,
                            now: datetime | None = None) -> list[OutboxMessage]:
    """Store a report's alerts and book its escalation, both sent once the caller commits
    (a staff concern, taken in while its author waits)."""
    alerts = store_new_report_alerts(report, school, now)
    schedule_escalation(report)
    send_soon(*alerts)
    return alerts


def waiting_reports(limit: int = 500) -> list[int]:
    """Reports whose intake has not happened yet, oldest first."""
    return list(db.session.scalars(
        select(Report.id).where(Report.intake_pending)
        .order_by(Report.received_at).limit(limit)))


def take_in_waiting() -> int:
    """Queue the intake of every report still waiting for it; returns how many.

    A report whose job is on its way may be queued twice; the second run finds nothing to do.
    """
    ids = waiting_reports()
    for report_id in ids:
        enqueue(take_in_report, report_id)
    db.session.commit()
    return len(ids)
