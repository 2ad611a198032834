"""The report page's alert section: changing urgency with a reason, and the alert history."""

from __future__ import annotations

from flask import flash, redirect, request, url_for
from flask_babel import gettext
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.jobs.escalate import schedule_escalation
from schoolsafe.models import Case, Report, School
from schoolsafe.models.base import utcnow
from schoolsafe.security.access import get_for_school_or_404
from schoolsafe.services.alerts import escalation
from schoolsafe.services.cases import opening as cases
from schoolsafe.services.reports import urgency_override
from schoolsafe.vocab import CASEWORK_ROLES, AuditAction, Urgency
from schoolsafe.web.audit import audited
from schoolsafe.web.once import once_per_form

from . import bp
from .common import report_page, sync_checklist


@bp.post("/reports/<public_id>/urgency")
@once_per_form
def change_urgency(public_id: str):
    """Set the report's urgency as the DSL decided, with the reason on its history."""
    record = get_for_school_or_404(Report, public_id, *CASEWORK_ROLES)
    choice = urgency_override.Override(level=request.form.get("level", ""),
                                       reason=request.form.get("reason", ""))
    school = db.session.get(School, record.school_id)
    try:
        urgency_override.override(db.session, record, school, choice, current_user.id, utcnow())
    except urgency_override.OverrideError as error:
        db.session.rollback()
        return report_page(record, 400, override_choice=choice, override_error=error)
    audited(AuditAction.URGENCY_OVERRIDE, record)
    _case_follows(record)
    schedule_escalation(record)  # before the commit, which is what releases the job
    db.session.commit()
    flash(gettext("Urgency changed to %(level)s. The reason is on the report's history.",
                  level=Urgency(choice.level).label), "success")
    return redirect(url_for("triage.report", public_id=public_id))


def _case_follows(record: Report) -> None:
    # A case is at least as urgent as its most urgent open report (unless a DSL set it).
    case = db.session.get(Case, record.case_id) if record.case_id else None
    if case is None:
        return
    before = case.urgency
    cases.refresh_urgency(db.session, case, current_user.id)
    if case.urgency != before:
        sync_checklist(case)  # an immediate case needs its refer-now step
        audited(AuditAction.URGENCY_OVERRIDE, case)


@bp.context_processor
def _alert_section() -> dict[str, object]:
    def report_alerts(report: Report) -> list[escalation.HistoryLine]:
        return escalation.alert_history(db.session, report)

    return {"report_alerts": report_alerts, "urgency_levels": Urgency.values(),
            "waited_text": escalation.waited_text}
