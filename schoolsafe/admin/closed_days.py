"""The dates a school is closed on a weekday (holidays, training days), which the five-school-
day clock of a file handed on and overdue task reminders skip."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext

from schoolsafe.extensions import db
from schoolsafe.services.cases import school_days
from schoolsafe.vocab import AuditAction, AuditRecordType
from schoolsafe.web.audit import audited_as
from schoolsafe.web.once import once_per_form
from schoolsafe.web.words import error_text

from . import bp
from .common import current_school


@bp.get("/closed-days")
def closed_days():
    """The school's closed dates, one a line, to change."""
    school = current_school()
    return render_template("admin/closed_days.html", school=school,
                           typed="\n".join(school.closed_days or []), problem=None)


@bp.post("/closed-days")
@once_per_form
def closed_days_save():
    """Store the typed list; a bad line keeps everything typed and says which line."""
    school = current_school()
    typed = request.form.get("closed_days", "")
    try:
        school_days.set_closed(school, typed)
    except school_days.ClosedDaysError as error:
        db.session.rollback()
        return render_template("admin/closed_days.html", school=current_school(), typed=typed,
                               problem=error_text(error)), 400
    audited_as(AuditAction.CLOSED_DAYS_CHANGED, AuditRecordType.SCHOOL, school.id, school.id)
    db.session.commit()
    flash(gettext("Closed days saved."), "success")
    return redirect(url_for("admin.closed_days"))
