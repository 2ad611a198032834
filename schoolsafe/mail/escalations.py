"""Escalate unacknowledged urgent reports: alert the next tier, note it, set the next deadline."""

from __future__ import annotations

import logging
from datetime import datetime

from schoolsafe.extensions import db
from schoolsafe.mail.alerts import schedule_escalation
from schoolsafe.mail.builders import escalation_alert
from schoolsafe.models import Report, School
from schoolsafe.services.alerts import escalation, routing

log = logging.getLogger(__name__)


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
    step = _alert_next(report, school, now)
    # Scheduled before the commit: jobs wait for the commit that writes what they read.
    schedule_escalation(report)
    db.session.commit()
    return step


def _alert_next(report: Report, school: School, now: datetime) -> escalation.Step:
    step = escalation.plan(routing.load(db.session, school), report)
    waited = escalation.waited_text(now - report.received_at)
    for address in step.addresses:
        escalation_alert(report, address, waited=waited, reminder=step.reminder)
    escalation.record(db.session, report, step, now,
                      escalation.due_at(report.urgency, school, now))
    log.info("report %s escalated to tier %s (%s recipients)", report.id, step.tier,
             len(step.addresses))
    return step


def escalate_due(now: datetime) -> int:
    """Escalate every report whose time has come; returns how many were escalated."""
    done = 0
    for report_id in escalation.due_report_ids(db.session, now):
        done += escalate(report_id, now) is not None
    return done
