"""Any member of staff logs a concern; they see whether it was acknowledged, not the case."""

from __future__ import annotations

import logging

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from schoolsafe.concerns.forms import ConcernForm
from schoolsafe.extensions import db
from schoolsafe.mail.alerts import queue_new_report_alerts
from schoolsafe.models import School
from schoolsafe.report.input import report_input
from schoolsafe.security.access import current_school_id, gate
from schoolsafe.services.audit import trail as audit
from schoolsafe.services.reports import concerns
from schoolsafe.services.reports.categories import CHOICES_BY_CODE
from schoolsafe.services.reports.submit import ReportError
from schoolsafe.triage.views import page_number
from schoolsafe.vocab import Role

log = logging.getLogger(__name__)
bp = Blueprint("concerns", __name__, url_prefix="/staff/concerns")
gate(bp, Role.STAFF, Role.DSL, Role.ADMIN)

ALL_ROLES = (Role.STAFF, Role.DSL, Role.ADMIN)
DB_DOWN = ("Sorry - the concern couldn't be saved just now. Nothing you typed is lost: it is "
           "still below. Please try again in a minute.")


@bp.get("/")
def index():
    """The concerns this member of staff has logged, and whether each was acknowledged."""
    return render_template("concerns/index.html",
                           result=concerns.logged_by(db.session, current_user.id, page_number()),
                           choice_labels={c: v.label for c, v in CHOICES_BY_CODE.items()})


@bp.route("/new", methods=["GET", "POST"])
def new():
    """Log a concern: the same facts as a pupil report, from a named member of staff."""
    school = db.session.get(School, current_school_id(*ALL_ROLES))
    form = ConcernForm()
    if request.method == "GET":
        return _form_page(school, form)
    if not form.validate():
        return _form_page(school, form, "Please check the parts marked below.", 400)
    try:
        report = concerns.log_concern(db.session, school, current_user.id, report_input(form),
                                      current_app.config["SECRET_KEY"])
        queue_new_report_alerts(report, school)
        audit.record(db.session, user_id=current_user.id, school_id=school.id,
                     action="log_concern", record_type="report", record_id=report.public_id)
        db.session.commit()
    except ReportError as error:
        db.session.rollback()
        _mark(form, error)
        return _form_page(school, form, error.message, 400)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("a staff concern could not be saved")
        return _form_page(school, form, DB_DOWN, 503)
    flash("Thank you. Your concern has been sent to the safeguarding team.", "success")
    return redirect(url_for("concerns.index"))


def _mark(form: ConcernForm, error: ReportError) -> None:
    """Put the service's message next to the answer it is about."""
    position = getattr(error, "position", None)
    if error.field == "places" and position is not None:
        # The service counts only the rows with something typed in them.
        filled = [p.form for p in form.place_forms() if (p.form.text.data or "").strip()]
        field = filled[position].text
    elif error.field in form:
        field = form[error.field]
    else:
        return
    field.errors = [*field.errors, error.message]


def _form_page(school: School, form: ConcernForm, problem: str | None = None,
               status: int = 200):
    return render_template("concerns/new.html", school=school, form=form,
                           problem=problem), status
