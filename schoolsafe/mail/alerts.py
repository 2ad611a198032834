"""Store the alerts about a report, in the same transaction as the report itself.

Who is alerted comes from services.alerts (routing, hours, escalation); sending the stored
alerts and booking the next escalation are left to the caller, which owns the transaction.
"""

from __future__ import annotations

import logging
from datetime import datetime

from schoolsafe.extensions import db
from schoolsafe.mail.builders import escalation_alert, new_report_alert, referral_due_alert
from schoolsafe.models import Case, OutboxMessage, Report, School
from schoolsafe.models.base import utcnow
from schoolsafe.services.alerts import escalation, hours, routing
from schoolsafe.services.allegations import clock as allegation_clock
from schoolsafe.services.allegations import contacts

log = logging.getLogger(__name__)


def store_new_report_alerts(report: Report, school: School,
                            now: datetime | None = None) -> list[OutboxMessage]:
    """One content-free alert per first-tier recipient (and on call, out of hours), unsent;
    the report's escalation clock starts."""
    now = now or utcnow()
    open_now = hours.is_open(hours.for_school(school), now)
    addresses = routing.first_alert(routing.for_report(db.session, school, report), report.urgency,
                                    set(report.category_codes), open_now)
    report.alert_tier = 1
    report.next_escalation_at = escalation.due_at(report.urgency, school, now)
    return [new_report_alert(report, address) for address in addresses]


def store_escalation_alerts(report: Report, school: School,
                            now: datetime) -> tuple[escalation.Step, list[OutboxMessage]]:
    """Alerts to the report's next tier, unsent, with the step noted and the next deadline set."""
    step = escalation.plan(routing.for_report(db.session, school, report), report)
    waited = now - report.received_at
    messages = [escalation_alert(report, address, waited=waited, reminder=step.reminder)
                for address in step.addresses]
    escalation.record(db.session, report, step, now,
                      escalation.due_at(report.urgency, school, now))
    log.info("report %s escalated to tier %s (%s recipients)", report.id, step.tier,
             len(step.addresses))
    return step, messages


def store_referral_due_alerts(case: Case, now: datetime) -> list[OutboxMessage]:
    """Reminders to a case's allegations contacts that its referral is overdue, unsent, with
    the reminder noted on the case."""
    addresses = contacts.addresses(db.session, case.school_id, case.restricted_to,
                                   case.accused_staff_id)
    allegation_clock.record_reminder(db.session, case, addresses, now)
    return [referral_due_alert(case, address) for address in addresses]
