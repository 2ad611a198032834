"""The DSL's workspace: the queue of reports and each report."""

from __future__ import annotations

from flask import Blueprint, abort, flash, redirect, render_template, request, url_for
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models import Report, School
from schoolsafe.models.staff import DSL
from schoolsafe.security.access import current_school_id, gate, get_for_school_or_404
from schoolsafe.services import audit, followup, triage

bp = Blueprint("triage", __name__, url_prefix="/staff/triage")
gate(bp, DSL)


def _audit(action: str, report: Report) -> None:
    audit.record(db.session, user_id=current_user.id, school_id=report.school_id,
                 action=action, record_type="report", record_id=report.public_id)


@bp.get("/")
def queue():
    """Open reports, most urgent and oldest first."""
    school_id = current_school_id(DSL)
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(404)
    reports = triage.queue(db.session, school_id, page)
    return render_template("triage/queue.html", reports=reports, page=page,
                           school=db.session.get(School, school_id),
                           unacknowledged=triage.unacknowledged_count(db.session, school_id),
                           page_size=triage.PAGE_SIZE)


@bp.get("/reports/<public_id>")
def report(public_id: str):
    """One report as the pupil gave it; opening it is audited."""
    record = get_for_school_or_404(Report, public_id, DSL)
    _audit("view", record)
    db.session.commit()
    return render_template("triage/report.html", report=record)


@bp.post("/reports/<public_id>/acknowledge")
def acknowledge(public_id: str):
    """Say "I've seen this": alerts and escalation stop."""
    record = get_for_school_or_404(Report, public_id, DSL)
    if triage.acknowledge(record, current_user.id):
        _audit("acknowledge", record)
        db.session.commit()
        flash("Acknowledged. Alerts for this report have stopped.", "success")
    else:
        flash("Someone had already acknowledged this report.", "info")
    return redirect(url_for("triage.report", public_id=public_id))


@bp.post("/reports/<public_id>/reply")
def reply(public_id: str):
    """Reply to the pupil; they see it next time they use their code."""
    record = get_for_school_or_404(Report, public_id, DSL)
    try:
        followup.add_staff_reply(db.session, record, current_user.id, request.form.get("body", ""))
    except followup.MessageError as error:
        flash(str(error), "error")
        return render_template("triage/report.html", report=record,
                               reply_text=request.form.get("body", "")), 400
    _audit("reply", record)
    db.session.commit()
    flash("Reply saved. The pupil will see it when they next use their code.", "success")
    return redirect(url_for("triage.report", public_id=public_id))


@bp.context_processor
def _labels() -> dict[str, object]:
    from sqlalchemy import select

    from schoolsafe.models import Sighting
    from schoolsafe.services.accounts import PLATFORMS
    from schoolsafe.services.categories import CHOICES_BY_CODE

    def report_sightings(report: Report) -> list[Sighting]:
        return list(db.session.scalars(
            select(Sighting).where(Sighting.report_id == report.id).order_by(Sighting.id)))

    return {"choice_labels": {c: v.label for c, v in CHOICES_BY_CODE.items()},
            "platform_names": PLATFORMS, "report_sightings": report_sightings}
