"""Queue the alerts for a new report, in the same transaction as the report itself."""

from __future__ import annotations

from datetime import datetime, timedelta

from schoolsafe.extensions import db
from schoolsafe.mail.builders import new_report_alert
from schoolsafe.models import OutboxMessage, Report, School
from schoolsafe.models.base import utcnow
from schoolsafe.services.alerts import escalation, hours, routing


def queue_new_report_alerts(report: Report, school: School, now: datetime | None = None, *,
                            queue: bool = True) -> list[OutboxMessage]:
    """One content-free alert per first-tier recipient (and on call, out of hours).

    With `queue` false the alerts are stored but not queued: the caller sends them.
    """
    now = now or utcnow()
    open_now = hours.is_open(hours.for_school(school), now)
    addresses = routing.first_alert(routing.load(db.session, school), report.urgency,
                                    set(report.category_codes), open_now)
    report.alert_tier = 1
    report.next_escalation_at = escalation.due_at(report.urgency, school, now)
    schedule_escalation(report)
    return [new_report_alert(report, address, queue=queue) for address in addresses]


def schedule_escalation(report: Report) -> None:
    """Ask RQ to run the report's escalation when it is due (cron's `flask escalate` also will)."""
    from schoolsafe.jobs.queue import enqueue_at

    if report.next_escalation_at is not None:
        # RQ's scheduler works in whole seconds and may fire up to a second early; the next
        # whole second is never before the deadline, so the job never finds it "not due yet".
        when = report.next_escalation_at.replace(microsecond=0) + timedelta(seconds=1)
        enqueue_at(when, "schoolsafe.jobs.escalate.escalate_report", report.id,
                   job_id=f"escalate-{report.id}-{when:%Y%m%d%H%M%S}")
