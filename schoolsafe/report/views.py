"""Pupil pages: find your school, tell someone, come back with your code.

No login, no cookies about the report, nothing in URLs. Every failure brings the form back
with what was typed.
"""

from __future__ import annotations

import logging

from flask import (
    Blueprint,
    current_app,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user
from sqlalchemy import func, select
from sqlalchemy.exc import SQLAlchemyError

from schoolsafe.extensions import csrf, db
from schoolsafe.mail.alerts import queue_new_report_alerts
from schoolsafe.models import School
from schoolsafe.report.forms import FollowUpForm, ReportForm, SchoolCodeForm
from schoolsafe.report.input import report_input
from schoolsafe.services import pupil_help, reports
from schoolsafe.services.sanitize import clean_text

log = logging.getLogger(__name__)
bp = Blueprint("report", __name__)
# Pupil forms carry their own CSRF token and, on failure, come back with what was typed
# instead of the generic error page.
csrf.exempt(bp)

DB_DOWN = ("Sorry - we couldn't save that just now. Nothing you typed is lost: it is still "
           "below. Please try sending it again in a minute.")
CSRF_EXPIRED = ("This page was open for a long time, so we need you to press Send again. "
                "Everything you typed is still here.")


def school_or_404(slug: str) -> School:
    """The school whose report link this is."""
    school = db.session.scalar(select(School).where(School.slug == slug))
    if school is None:
        from flask import abort

        abort(404)
    return school


def jurisdiction_for(school: School):
    """The helplines and help text of the school's country."""
    return current_app.extensions["jurisdictions"][school.jurisdiction]


def forget_visitor() -> None:
    """Drop the pupil's session cookie (it only held a CSRF token), unless staff are signed in."""
    if not current_user.is_authenticated:
        session.clear()


@bp.route("/", methods=["GET", "POST"])
def home():
    """Start page: type your school's code."""
    form = SchoolCodeForm()
    if form.validate_on_submit():
        code = clean_text(form.code.data, keep_newlines=False).upper()
        school = db.session.scalar(select(School).where(func.upper(School.code) == code))
        if school is not None:
            return redirect(url_for("report.tell", slug=school.slug))
        form.code.errors.append("We couldn't find a school with that code. Please check it "
                                "with a teacher or on your school's website.")
    return render_template("report/home.html", form=form)


@bp.route("/tell/<slug>", methods=["GET", "POST"])
def tell(slug: str):
    """The report form, and on a good POST the confirmation with the follow-up code."""
    school = school_or_404(slug)
    form = ReportForm()
    if request.method == "POST":
        return _submit(school, form)
    return render_template("report/tell.html", school=school, form=form, problem=None)


def _submit(school: School, form: ReportForm):
    problem = None
    if not form.validate():
        problem = CSRF_EXPIRED if "csrf_token" in form.errors else None
        return _form_again(school, form, problem)
    limiter = current_app.extensions["ratelimiter"]
    # The address is used for this check only: hashed with a rotating key, never stored.
    if not limiter.hit("submit", request.remote_addr or "", current_app.config["SUBMIT_LIMIT"],
                       current_app.config["SUBMIT_WINDOW_SECONDS"]):
        return _form_again(school, form, "A lot of reports have just been sent from this "
                           "network. Please wait a few minutes and press Send again - "
                           "everything you typed is still here.", status=429)
    data = report_input(form)
    try:
        submitted = reports.submit(db.session, school, data, current_app.config["SECRET_KEY"])
        queue_new_report_alerts(submitted.report, school)
        db.session.commit()
    except reports.ReportError as error:
        db.session.rollback()
        return _form_again(school, form, error.message, field=error.field)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("a report could not be saved")
        return _form_again(school, form, DB_DOWN, status=503)
    forget_visitor()
    return _received(school, submitted)


def _form_again(school: School, form: ReportForm, problem: str | None, *,
                field: str | None = None, status: int = 400):
    if field and field in form:
        form[field].errors = [*form[field].errors, problem]
    return render_template("report/tell.html", school=school, form=form,
                           problem=problem or "Please check the part marked below."), status


def _received(school: School, submitted: reports.Submitted):
    report = submitted.report
    help_sections = pupil_help.help_for(jurisdiction_for(school), set(report.factors),
                                        set(report.choices))
    return render_template("report/received.html", school=school, code=submitted.code,
                           help_sections=help_sections,
                           jurisdiction=jurisdiction_for(school))


@bp.route("/follow-up", methods=["GET", "POST"])
def follow_up():
    """Come back with your code words to read replies and add more."""
    from schoolsafe.report.followup import handle_follow_up

    return handle_follow_up(FollowUpForm())


@bp.context_processor
def _quick_exit() -> dict[str, str]:
    # Every pupil page carries the "leave this site quickly" link to a neutral site.
    packs = current_app.extensions["jurisdictions"]
    pack = packs.get("england-wales") or next(iter(packs.values()))
    return {"quick_exit_url": pack.quick_exit_url}
