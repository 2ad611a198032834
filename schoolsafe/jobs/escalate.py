"""Escalate unacknowledged urgent reports: alert the next tier, note it, set the next deadline.

RQ's scheduler runs `escalate_report` when a report's deadline comes; `flask escalate` (cron)
and a worker starting up run `escalate_due` for any deadline Redis never heard of.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from flask import current_app
from redis.exceptions import RedisError

from schoolsafe.extensions import db
from schoolsafe.jobs.context import job
from schoolsafe.jobs.mail import send_soon
from schoolsafe.jobs.queue import enqueue_at, redis_connection
from schoolsafe.mail.alerts import store_escalation_alerts, store_referral_due_alerts
from schoolsafe.models import Report, School
from schoolsafe.models.base import utcnow
from schoolsafe.services.alerts import escalation
from schoolsafe.services.allegations import clock as allegation_clock
from schoolsafe.services.operations.status import record_sweep


@job
def escalate_report(report_id: int) -> str:
    """Escalate one report if it is still unacknowledged and due."""
    step = escalate(report_id, utcnow())
    return "not due" if step is None else f"tier {step.tier}, {len(step.addresses)} alerted"


def escalate_due(now: datetime | None = None) -> int:
    """Escalate every report whose time has come (by now, unless told); returns how many."""
    now = utcnow() if now is None else now
    done = 0
    for report_id in escalation.due_report_ids(db.session, now):
        done += escalate(report_id, now) is not None
    remind_overdue_referrals(now)
    _note_sweep()
    return done


def remind_overdue_referrals(now: datetime) -> int:
    """Remind the allegations contacts of each case about staff whose one working day for the
    designated officer's referral has passed; returns how many cases."""
    packs = current_app.extensions["jurisdictions"]

    def statutory(code: str) -> frozenset[str]:
        return frozenset(kind for kind, recipient in packs[code].recipients.items()
                         if recipient.statutory)

    cases = allegation_clock.due_reminders(db.session, now, statutory)
    for case in cases:
        send_soon(*store_referral_due_alerts(case, now))
        db.session.commit()
    return len(cases)


def _note_sweep() -> None:
    # For `flask status`: a sweep that stops running leaves urgent reports unescalated.
    url = current_app.config.get("REDIS_URL")
    if url:
        try:
            record_sweep(redis_connection(url), utcnow())
        except RedisError:
            pass  # Redis down: the worker's catch-up sweeps again when it is back


def escalate(report_id: int, now: datetime) -> escalation.Step | None:
    """Escalate one report if its time has come; safe to run twice or from two processes."""
    report = db.session.get(Report, report_id)
    if report is None or report.next_escalation_at is None or report.next_escalation_at > now:
        return None
    if report.acknowledged_at is not None or not escalation.claim(db.session, report):
        db.session.rollback()
        return None
    school = db.session.get(School, report.school_id)
    if not escalation.escalates_now(report.urgency, school, now):
        # A high report out of hours: its clock restarts when staff are next reading.
        report.next_escalation_at = escalation.due_at(report.urgency, school, now)
        schedule_escalation(report)
        db.session.commit()
        return None
    step, alerts = store_escalation_alerts(report, school, now)
    send_soon(*alerts)
    # Scheduled before the commit: jobs wait for the commit that writes what they read.
    schedule_escalation(report)
    db.session.commit()
    return step


def schedule_escalation(report: Report) -> None:
    """Ask RQ to run the report's escalation when it is due (cron's `flask escalate` also will)."""
    if report.next_escalation_at is not None:
        # RQ's scheduler works in whole seconds and may fire up to a second early; the next
        # whole second is never before the deadline, so the job never finds it "not due yet".
        when = report.next_escalation_at.replace(microsecond=0) + timedelta(seconds=1)
        enqueue_at(when, escalate_report, report.id,
                   job_id=f"escalate-{report.id}-{when:%Y%m%d%H%M%S}")
