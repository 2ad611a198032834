"""Escalation jobs: one report when RQ's scheduler says it is due, or every due report."""

from __future__ import annotations

from schoolsafe.jobs.context import job
from schoolsafe.mail import escalations
from schoolsafe.models.base import utcnow


@job
def escalate_report(report_id: int) -> str:
    """Escalate one report if it is still unacknowledged and due."""
    step = escalations.escalate(report_id, utcnow())
    return "not due" if step is None else f"tier {step.tier}, {len(step.addresses)} alerted"


@job
def escalate_due() -> int:
    """Escalate every report that is due (what `flask escalate` and the worker run)."""
    return escalations.escalate_due(utcnow())
