"""The follow-up pages: the code is only ever in a POST body, never in a URL or cookie."""

from __future__ import annotations

from flask import current_app, render_template, request
from sqlalchemy.exc import SQLAlchemyError

from schoolsafe.extensions import db
from schoolsafe.models import Report
from schoolsafe.report.forms import AddMessageForm, FollowUpForm
from schoolsafe.services import followup

WRONG_CODE = ("We couldn't find a report with those words. Please check them and try again. "
              "If you've lost your code, you can always tell us again.")
TOO_MANY = ("There have been too many tries from this network. Please wait ten minutes and try "
            "again.")


def _allowed() -> bool:
    limiter = current_app.extensions["ratelimiter"]
    # The address is hashed with a rotating key for this check only and never stored.
    return limiter.hit("followup", request.remote_addr or "",
                       current_app.config["FOLLOWUP_LIMIT"],
                       current_app.config["FOLLOWUP_WINDOW_SECONDS"])


def handle_follow_up(form: FollowUpForm):
    """GET: the code form. POST: check the code, show the thread, or add a message to it."""
    if request.method == "GET":
        return render_template("report/follow_up.html", form=form)
    if "body" in request.form:
        return _add_message(AddMessageForm())
    if not form.validate():
        return render_template("report/follow_up.html", form=form), 400
    report = _lookup(form.code.data)
    if isinstance(report, str):
        form.code.errors.append(report)
        return render_template("report/follow_up.html", form=form), 400
    report.pupil_returns += 1
    db.session.commit()
    return _thread(report, AddMessageForm(code=form.code.data, formdata=None))


def _lookup(code: str) -> Report | str:
    report = followup.find_report(db.session, code, current_app.config["SECRET_KEY"])
    if report is None and not _allowed():
        return TOO_MANY
    return report or WRONG_CODE


def _add_message(form: AddMessageForm):
    code_ok = form.code.data and not isinstance(report := _lookup(form.code.data), str)
    if not code_ok:
        return render_template("report/follow_up.html", form=FollowUpForm(formdata=None),
                               problem=WRONG_CODE), 400
    if not form.validate():
        return _thread(report, form, status=400)
    try:
        followup.add_pupil_message(db.session, report, form.body.data)
        db.session.commit()
    except followup.MessageError as error:
        db.session.rollback()
        form.body.errors = [str(error)]
        return _thread(report, form, status=400)
    except SQLAlchemyError:
        db.session.rollback()
        form.body.errors = ["Sorry - we couldn't save that just now. Your message is still "
                            "here; please try again in a minute."]
        return _thread(report, form, status=503)
    return _thread(report, AddMessageForm(code=form.code.data, formdata=None), added=True)


def _thread(report: Report, form: AddMessageForm, status: int = 200, added: bool = False):
    return render_template("report/thread.html", report=report, form=form,
                           added=added), status
