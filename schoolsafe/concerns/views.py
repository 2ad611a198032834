"""Any member of staff logs a concern; they see whether it was acknowledged, not the case."""

from __future__ import annotations

import logging

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy.exc import SQLAlchemyError

from schoolsafe.concerns.forms import ConcernForm
from schoolsafe.extensions import db
from schoolsafe.jobs.intake import queue_new_report_alerts
from schoolsafe.models import School
from schoolsafe.security.access import current_school_id
from schoolsafe.services.allegations import contacts
from schoolsafe.services.reports import concerns
from schoolsafe.services.reports.categories import CHOICES_BY_CODE
from schoolsafe.services.reports.submit import ReportError
from schoolsafe.vocab import N_, AuditAction, Role
from schoolsafe.web.audit import audited
from schoolsafe.web.forms import options
from schoolsafe.web.once import once_per_form
from schoolsafe.web.packs import packs
from schoolsafe.web.paging import page_number
from schoolsafe.web.report_input import mark_report_error, report_input
from schoolsafe.web.words import _l, error_text

from . import bp

log = logging.getLogger(__name__)

ALL_ROLES = (Role.STAFF, Role.DSL, Role.ADMIN)
SENT = N_("Thank you. Your concern has been sent to the safeguarding team.")
SENT_TO_CONTACTS = N_("Thank you. Your concern about a member of staff has been sent to the "
                      "allegations contacts only. Don't tell the person named or look into it "
                      "yourself.")
DB_DOWN = _l("Sorry - the concern couldn't be saved just now. Nothing you typed is lost: it is "
             "still below. Please try again in a minute.")


@bp.get("/")
def index():
    """The concerns this member of staff has logged, and whether each was acknowledged."""
    return render_template("concerns/index.html",
                           result=concerns.logged_by(db.session, current_user.id,
                                                     page_number(below_one_is_404=True)),
                           choice_labels={c: gettext(v.label) for c, v in CHOICES_BY_CODE.items()})


@bp.route("/new", methods=["GET", "POST"])
@once_per_form
def new():
    """Log a concern: the same facts as a pupil report, from a named member of staff."""
    school = db.session.get(School, current_school_id(*ALL_ROLES))
    form = ConcernForm()
    form.accused_staff.choices = options([("", "Nobody chosen"), *(
        (str(u.id), u.name) for u in contacts.school_staff(db.session, school.id))])
    if request.method == "GET":
        return _form_page(school, form)
    if not form.validate():
        return _form_page(school, form, gettext("Please check the parts marked below."), 400)
    try:
        report = concerns.log_concern(db.session, school, current_user.id, report_input(form),
                                      current_app.config["SECRET_KEY"])
        queue_new_report_alerts(report, school)
        audited(AuditAction.LOG_CONCERN, report)
        db.session.commit()
    except ReportError as error:
        db.session.rollback()
        mark_report_error(form, error)
        return _form_page(school, form, error_text(error), 400)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("a staff concern could not be saved")
        return _form_page(school, form, DB_DOWN, 503)
    flash(gettext(SENT_TO_CONTACTS if report.restricted_to else SENT), "success")
    return redirect(url_for("concerns.index"))


def _form_page(school: School, form: ConcernForm, problem: str | None = None,
               status: int = 200):
    return render_template("concerns/new.html", school=school, form=form, problem=problem,
                           emergency_number=packs()[school.jurisdiction].emergency_number), status
