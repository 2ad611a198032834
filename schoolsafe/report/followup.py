"""The follow-up pages: the code is only ever in a POST body, never in a URL or cookie."""

from __future__ import annotations

import logging

from flask import current_app, render_template, request
from sqlalchemy.exc import SQLAlchemyError

from schoolsafe.extensions import db
from schoolsafe.models import Report, School
from schoolsafe.report.forms import AddMessageForm, FollowUpForm
from schoolsafe.security.ratelimit import hit_for_request, used_up_for_request
from schoolsafe.services.audit import trail as audit
from schoolsafe.services.reports import followup, page_tokens
from schoolsafe.vocab import AuditAction, AuditRecordType
from schoolsafe.web.words import _l, error_text

from . import bp
from .common import cut_to_limits, switching_language, use_school_country

log = logging.getLogger(__name__)

WRONG_CODE = _l("We couldn't find a report with those words. Please check them and try again. "
              "If you've lost your code, you can always tell us again.")
TOO_MANY = _l("There have been too many tries from this network. Please wait ten minutes and try "
            "again.")
PRESS_AGAIN = _l("For your safety, please press the button again.")
CANT_CHECK = _l("Sorry - we couldn't check your code just now. Please try again in a minute.")
CANT_SAVE = _l("Sorry - we couldn't save that just now. Your message is still here; please try "
             "again in a minute.")


class CodeProblem(Exception):
    """The code can't open a report right now; the message says why, with the status."""

    def __init__(self, message: str, status: int) -> None:
        super().__init__(message)
        self.message = message
        self.status = status


PAGE_ONCE_FIELD = "once"
# Sent with the thread's message form, so a language switch knows to show the thread again.
THREAD_FIELD = "thread"
FOLLOWUP_LIMIT = ("followup", "FOLLOWUP_LIMIT", "FOLLOWUP_WINDOW_SECONDS")


def open_report(code: str) -> Report:
    """The report for a typed code; once a network has used up its wrong tries, none opens."""
    # Checked before the lookup, so a guesser who is over the limit learns nothing.
    if used_up_for_request(*FOLLOWUP_LIMIT):
        raise CodeProblem(TOO_MANY, 429)
    try:
        report = followup.find_report(db.session, code, current_app.config["SECRET_KEY"])
    except SQLAlchemyError as error:
        db.session.rollback()
        log.exception("a follow-up code could not be checked")
        raise CodeProblem(CANT_CHECK, 503) from error
    if report is None:
        hit_for_request(*FOLLOWUP_LIMIT)
        raise CodeProblem(WRONG_CODE, 400)
    return report


@bp.route("/follow-up", methods=["GET", "POST"])
def follow_up():
    """Come back with your code words to read replies and add more."""
    return handle_follow_up(FollowUpForm())


def handle_follow_up(form: FollowUpForm):
    """GET: the code form. POST: check the code, show the thread, or add a message to it."""
    if request.method == "GET":
        return render_template("report/follow_up.html", form=form)
    if switching_language():
        return _switched(form)
    if not page_unused():
        return page_gone()
    if "body" in request.form:
        return _add_message(AddMessageForm())
    if not form.validate():
        if "csrf_token" in form.errors:
            form.code.errors = [*form.code.errors, PRESS_AGAIN]
        return render_template("report/follow_up.html", form=form), 400
    try:
        report = open_report(form.code.data)
    except CodeProblem as problem:
        form.code.errors = [*form.code.errors, problem.message]
        return render_template("report/follow_up.html", form=form), problem.status
    report.pupil_returns += 1
    _audit(AuditAction.PUPIL_VIEWED, report)
    db.session.commit()
    return _thread(report, AddMessageForm(code=form.code.data, formdata=None))


def page_unused() -> bool:
    """Use up the one-time token of the page this post came from; False if it was used before
    (a copy sent again by Back, Forward or a resubmit) or is not one of ours.

    A post without a token (from a page shown before tokens existed) passes: whoever sends one
    has typed the code, which opens the thread anyway."""
    token = request.form.get(PAGE_ONCE_FIELD)
    if token is None:
        return True
    try:
        unused = page_tokens.spend(db.session, token, current_app.config["SECRET_KEY"])
        db.session.commit()
    except SQLAlchemyError:
        db.session.rollback()
        # The code can't be checked either: the pupil is told so and keeps what they typed.
        log.exception("a follow-up page's token could not be checked")
        return True
    return unused


def page_gone():
    """The answer to a used page sent again: nothing typed, nothing from the thread."""
    return render_template("report/page_gone.html")


@bp.context_processor
def _page_token() -> dict[str, object]:
    # Each showing of a follow-up page gets its own one-time token (page_tokens.py).
    return {"page_token_field": PAGE_ONCE_FIELD, "thread_field": THREAD_FIELD,
            "page_token": lambda: page_tokens.new_token(current_app.config["SECRET_KEY"])}


def message_too_long(problem: str):
    """A message over the size limit: the thread again with its first part in the box, or the
    code form holding it if the code can't open a report. Nothing is saved."""
    if not page_unused():
        return page_gone()
    form = AddMessageForm()
    cut_to_limits(form)
    try:
        report = open_report(form.code.data or "")
    except CodeProblem as problem_with_code:
        again = FollowUpForm(formdata=None, code=form.code.data)
        again.code.errors = [problem_with_code.message, problem]
        return render_template("report/follow_up.html", form=again,
                               kept=form.body.data or ""), 413
    form.body.errors = [problem]
    return _thread(report, form, status=413)


def _switched(form: FollowUpForm):
    """The page again in the language the pupil switched to, holding what they typed: the
    code form, the code form keeping a message, or the thread with the message box filled in.
    Nothing is sent, and the page's one-time token is not spent."""
    if THREAD_FIELD not in request.form:
        kept = {"kept": request.form["body"]} if "body" in request.form else {}
        return render_template("report/follow_up.html", form=form, **kept)
    message = AddMessageForm()
    try:
        report = open_report(message.code.data or "")
    except CodeProblem as problem:
        again = FollowUpForm(formdata=None, code=message.code.data)
        again.code.errors = [problem.message]
        return render_template("report/follow_up.html", form=again,
                               kept=message.body.data or ""), problem.status
    # The thread is shown again: a view like any other.
    _audit(AuditAction.PUPIL_VIEWED, report)
    db.session.commit()
    return _thread(report, message)


def _audit(action: AuditAction, report: Report) -> None:
    audit.record(db.session, user_id=None, school_id=report.school_id, action=action,
                 record_type=AuditRecordType.REPORT, record_id=report.public_id)


def _add_message(form: AddMessageForm):
    try:
        report = open_report(form.code.data or "")
    except CodeProblem as problem:
        # The code form comes back holding the message, so trying again sends it.
        again = FollowUpForm(formdata=None, code=form.code.data)
        again.code.errors = [problem.message]
        return render_template("report/follow_up.html", form=again,
                               kept=form.body.data or ""), problem.status
    if not form.validate():
        if "csrf_token" in form.errors:
            form.body.errors = [*form.body.errors, PRESS_AGAIN]
        return _thread(report, form, status=400)
    try:
        followup.add_pupil_message(db.session, report, form.body.data)
        _audit(AuditAction.PUPIL_ADDED, report)
        db.session.commit()
    except followup.MessageError as error:
        db.session.rollback()
        form.body.errors = [error_text(error)]
        return _thread(report, form, status=400)
    except SQLAlchemyError:
        db.session.rollback()
        log.exception("a pupil's message could not be saved")
        form.body.errors = [CANT_SAVE]
        return _thread(report, form, status=503)
    return _thread(report, AddMessageForm(code=form.code.data, formdata=None), added=True)


def _thread(report: Report, form: AddMessageForm, status: int = 200, added: bool = False):
    school = db.session.get(School, report.school_id)
    use_school_country(school)
    # use_school_country also has the thread's times shown in the school's own time.
    return render_template("report/thread.html", report=report, form=form,
                           added=added), status
