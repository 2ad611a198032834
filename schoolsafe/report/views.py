"""Pupil pages: find your school and tell someone (coming back with your code: followup.py).

No login, no cookies about the report, nothing in URLs. Every failure brings the form back
with what was typed.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from flask import (
    abort,
    current_app,
    g,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from flask_wtf.csrf import generate_csrf
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from schoolsafe.extensions import db
from schoolsafe.jobs.intake import take_in_report
from schoolsafe.jobs.queue import enqueue
from schoolsafe.models import School
from schoolsafe.models.base import utcnow
from schoolsafe.report.forms import SchoolCodeForm
from schoolsafe.security.ratelimit import hit_for_request
from schoolsafe.services.alerts import hours
from schoolsafe.services.audit import trail as audit
from schoolsafe.services.reports import codes as followup_codes
from schoolsafe.services.reports import pupil_help
from schoolsafe.services.reports import submit as reports
from schoolsafe.services.sanitize import clean_text
from schoolsafe.vocab import AuditAction, AuditRecordType
from schoolsafe.web.language import page_variant
from schoolsafe.web.report_form import ReportForm, report_form
from schoolsafe.web.report_input import mark_report_error, report_input
from schoolsafe.web.words import _l, error_text

from . import bp
from .common import cut_to_limits, use_school_country

log = logging.getLogger(__name__)

DB_DOWN = _l("Sorry - we couldn't save that just now. Nothing you typed is lost: it is still "
           "below. Please try sending it again in a minute.")
CSRF_EXPIRED = _l("For your safety, please press the button again. Everything you typed is "
                "still here.")
TOO_MANY_REPORTS = _l("A lot of reports have just been sent from this network. Please wait a few "
                    "minutes and press Send again - everything you typed is still here.")
CHECK_BELOW = _l("Please check the part marked below. Everything you typed is still here.")


@dataclass(frozen=True)
class FormSchool:
    """What the form page needs to know about the school, even if the database is down."""

    slug: str
    name: str


@dataclass(frozen=True)
class FormPage:
    """The report form as posted, the secret its page carries and the name of this showing of
    it (see services codes.py)."""

    form: ReportForm
    secret: str
    step: str = field(default_factory=followup_codes.new_form_step)


def school_or_404(slug: str) -> School:
    """The school whose report link this is."""
    school = db.session.scalar(select(School).where(School.slug == slug))
    if school is None:
        abort(404)
    return school


def forget_visitor() -> None:
    """Drop the pupil's session cookie (it only held a CSRF token), unless staff are signed in."""
    if not current_user.is_authenticated:
        session.clear()


@bp.route("/", methods=["GET", "POST"])
def home():
    """Start page: what happens when you tell us, then type your school's code."""
    form = SchoolCodeForm()
    if request.method == "POST":
        if not form.validate():
            if "csrf_token" in form.errors:
                form.code.errors = [*form.code.errors, CSRF_EXPIRED]
            return render_template("report/home.html", form=form), 400
        try:
            school = _school_by_code(form.code.data)
        except SQLAlchemyError:
            db.session.rollback()
            log.exception("a school code could not be looked up")
            form.code.errors = [gettext("Sorry - we couldn't check that just now. Please try "
                                        "again in a minute.")]
            return render_template("report/home.html", form=form), 503
        if school is not None:
            return redirect(url_for("report.tell", slug=school.slug))
        form.code.errors = [gettext("We couldn't find a school with that code. Please check it "
                                    "with a teacher or on your school's website.")]
        return render_template("report/home.html", form=form), 400
    return render_template("report/home.html", form=form)


def _school_by_code(typed: str) -> School | None:
    code = clean_text(typed, keep_newlines=False).upper()
    return db.session.scalar(select(School).where(func.upper(School.code) == code))


@bp.route("/tell/<slug>", methods=["GET", "POST"])
def tell(slug: str):
    """The report form; "add another place" shows it again; Send shows the code and help."""
    if request.method == "GET":
        school = school_or_404(slug)
        use_school_country(school)
        return _blank_form(FormSchool(slug, school.name), school.jurisdiction)
    adding = "add_place" in request.form
    form = report_form(request.form, add_place=adding)
    # The form page's secret comes back with every copy of it; a page without one (or with a
    # mangled one) is given a new one when it is shown again.
    posted = followup_codes.form_secret(request.form.get(PAGE_KEY_FIELD))
    page = FormPage(form, posted or followup_codes.new_form_secret())
    try:
        school = school_or_404(slug)
        use_school_country(school)
        shown = FormSchool(school.slug, school.name)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("a school could not be loaded for a report")
        return _show(FormSchool(slug, gettext("your school")), page, DB_DOWN, status=503)
    # A copy of the same form is known by its secret (by its CSRF token if it has none).
    submission = reports.submission_hash(posted or request.form.get("csrf_token", ""),
                                         current_app.config["SECRET_KEY"])
    if _already_received(school, submission):
        # Once the form is sent, every showing of it - the "add another place" step, a form
        # that came back with a problem, reached again by Back, Forward or a resubmit - gets
        # a page with nothing typed on it and saves nothing.
        return _already_sent(school, shown, submission, None if adding else posted,
                             _posted_step())
    if adding:
        return _show(shown, page, new_place=form.place_rows)
    return _submit(school, shown, page, posted, submission)


def _posted_step() -> str | None:
    return followup_codes.form_step(request.form.get(STEP_FIELD))


def tell_too_long(slug: str, problem: str):
    """The form again after a post over the size limit, holding the first part of what was
    typed (request.form holds only that part now). Nothing is saved; the CSRF token is new."""
    form = report_form(request.form)
    cut_to_limits(form)
    posted = followup_codes.form_secret(request.form.get(PAGE_KEY_FIELD))
    page = FormPage(form, posted or followup_codes.new_form_secret())
    try:
        school = school_or_404(slug)
        use_school_country(school)
        shown = FormSchool(school.slug, school.name)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("a school could not be loaded for an over-long report")
        shown = FormSchool(slug, gettext("your school"))
    else:
        submission = reports.submission_hash(posted or "", current_app.config["SECRET_KEY"])
        if _already_received(school, submission):
            return _already_sent(school, shown, submission, None, None)
    return _show(shown, page, problem, status=413)


def _submit(school: School, shown: FormSchool, page: FormPage, posted: str | None,
            submission: str | None):
    key = current_app.config["SECRET_KEY"]
    form = page.form
    if not form.validate():
        return _show(shown, page, CSRF_EXPIRED if "csrf_token" in form.errors else CHECK_BELOW)
    if not _submission_allowed():
        return _show(shown, page, TOO_MANY_REPORTS, status=429)
    data = report_input(form)
    # Worked out before saving, so the confirmation needs nothing more from the database.
    after = _help_after(school, data.about, data.factors, data.choices)
    try:
        submitted = reports.submit(db.session, school, data, key, link_later=True,
                                   submission=submission, form_secret=posted,
                                   form_step=_posted_step())
        # Register linking and alerts run straight after the commit, outside the pupil's wait.
        enqueue(take_in_report, submitted.report.id)
        audit.record(db.session, user_id=None, school_id=school.id,
                     action=AuditAction.PUPIL_SUBMITTED, record_type=AuditRecordType.REPORT,
                     record_id=submitted.report.public_id)
        db.session.commit()
    except reports.ReportError as error:
        db.session.rollback()
        mark_report_error(form, error)
        return _show(shown, page, error_text(error))
    except SQLAlchemyError as error:
        db.session.rollback()
        if isinstance(error, IntegrityError) and _already_received(school, submission):
            # The same form again, sent at the same moment.
            return _already_sent(school, shown, submission, posted, _posted_step())
        log.exception("a report could not be saved")
        return _show(shown, page, DB_DOWN, status=503)
    forget_visitor()
    return render_template("report/received.html", school=shown, code=submitted.code, **after)


def _already_received(school: School, submission: str | None) -> bool:
    try:
        return reports.already_received(db.session, school.id, submission)
    except SQLAlchemyError:
        db.session.rollback()
        return False


def _already_sent(school: School, shown: FormSchool, submission: str | None,
                  posted: str | None, step: str | None):
    """The same form came back (a refresh, a second click, Back to an earlier step, or a
    resend after the first answer was lost): add nothing; show its code to a copy of the
    showing that was sent, the first time only, else just say we have it."""
    forget_visitor()
    again = _code_again(school, submission, posted, step)
    if again is not None:
        report = again.report
        after = _help_after(school, report.about, frozenset(report.factors),
                            tuple(report.choices))
        return render_template("report/received.html", school=shown, code=again.code,
                               again=True, **after)
    pack = current_app.extensions["jurisdictions"][school.jurisdiction]
    return render_template("report/already_sent.html", school=shown,
                           crisis_line=pack.crisis_line)


def _code_again(school: School, submission: str | None, posted: str | None,
                step: str | None) -> reports.Submitted | None:
    try:
        again = reports.code_again(db.session, school.id, submission, posted,
                                   current_app.config["SECRET_KEY"], step)
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("a resent report's code could not be shown again")
        return None
    return again


def _submission_allowed() -> bool:
    return hit_for_request("submit", "SUBMIT_LIMIT", "SUBMIT_WINDOW_SECONDS")


def _show(school: FormSchool, page: FormPage, problem: str | None = None, *,
          status: int | None = None, new_place: int | None = None):
    code = status or (400 if problem else 200)
    return render_template("report/tell.html", school=school, form=page.form, problem=problem,
                           form_secret=page.secret, form_secret_field=PAGE_KEY_FIELD,
                           form_step=page.step, form_step_field=STEP_FIELD,
                           new_place=new_place, max_places=reports.MAX_PLACES), code


PAGE_KEY_FIELD = "form_secret"
STEP_FIELD = "form_step"
# The empty form is the same for every pupil of a school but for its CSRF token, its secret
# and its step's name, so each app process renders it once per school and fills those in.
_CSRF_SLOT = "\x00csrf\x00"
_PAGE_KEY_SLOT = "\x00page-key\x00"
_STEP_SLOT = "\x00step\x00"
BLANK_FORMS_KEY = "schoolsafe.blank_report_forms"
_BLANK_FORMS_KEPT = 2000


def _blank_form(school: FormSchool, jurisdiction: str):
    token = generate_csrf()
    blank = FormPage(report_form({}), followup_codes.new_form_secret())
    if session.get("_flashes"):
        return _show(school, blank)
    kept: dict[tuple[object, ...], str] = current_app.extensions.setdefault(BLANK_FORMS_KEY, {})
    # One kept page per language shown and set of language links.
    key = (school.slug, school.name, jurisdiction, page_variant())
    page = kept.get(key)
    if page is None:
        page, status = _show(school, blank)
        if len(kept) >= _BLANK_FORMS_KEPT:
            kept.clear()
        kept[key] = (page.replace(token, _CSRF_SLOT).replace(blank.secret, _PAGE_KEY_SLOT)
                     .replace(blank.step, _STEP_SLOT))
        return page, status
    return (page.replace(_CSRF_SLOT, token).replace(_PAGE_KEY_SLOT, blank.secret)
            .replace(_STEP_SLOT, blank.step)), 200


def _help_after(school: School, about: str, factors: frozenset[str],
                choices: tuple[str, ...]) -> dict[str, object]:
    """The help that fits who it is about and what happened, and whether staff are in now."""
    pack = current_app.extensions["jurisdictions"][school.jurisdiction]
    school_hours = hours.for_school(school)
    now = utcnow()
    closed = not hours.is_open(school_hours, now)
    sections = pupil_help.help_for(pack, about, set(factors), set(choices),
                                   out_of_hours=closed,
                                   staff_back=hours.staff_back_text(school_hours, now))
    return {"help_sections": sections, "crisis_line": pack.crisis_line, "out_of_hours": closed}


@bp.context_processor
def _quick_exit() -> dict[str, object]:
    # Every pupil page carries the "leave this site quickly" link to a neutral site, and the
    # pack's emergency number and crisis line for the pages that show help before Send.
    packs = current_app.extensions["jurisdictions"]
    pack = (packs.get(g.get("pupil_jurisdiction", "")) or packs.get("england-wales")
            or next(iter(packs.values())))
    return {"quick_exit_url": pack.quick_exit_url, "help_pack": pack}
