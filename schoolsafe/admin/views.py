"""School administration: staff, routing problems, school hours and email delivery state.

Administrators see who is alerted and whether email is getting through, never what a report
says. Every change is audited with who made it and which record, like changes to reports.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from schoolsafe.admin.forms import HoursForm
from schoolsafe.extensions import db
from schoolsafe.jobs import mail as outbox
from schoolsafe.models import School
from schoolsafe.services.alerts import hours, routing
from schoolsafe.services.staff import admin as staff_admin
from schoolsafe.vocab import AuditAction, AuditRecordType, OutboxPurpose, OutboxState
from schoolsafe.web.audit import audited_as
from schoolsafe.web.once import once_per_form
from schoolsafe.web.words import error_text

from . import bp
from .common import current_school


@bp.get("/")
def overview():
    """Staff and roles, whether alerts can reach anyone, and how email delivery is going."""
    school = current_school()
    return render_template(
        "admin/overview.html", school=school, staff=staff_admin.staff_page(db.session, school.id),
        problems=routing.problems(routing.load(db.session, school))
        + routing.allegation_problems(db.session, school.id),
        delivery=outbox.delivery_summary(school.id))


@bp.route("/hours", methods=["GET", "POST"])
@once_per_form
def school_hours():
    """When staff read reports, and how long urgent reports may wait for acknowledgement."""
    school = current_school()
    form = HoursForm(data=_hours_data(school))
    if request.method == "POST":
        if form.validate():
            try:
                hours.update_times(school, _times(form))
            except hours.SettingsError as error:
                db.session.rollback()
                form[error.field].errors = [*form[error.field].errors, error_text(error)]
            else:
                audited_as(AuditAction.HOURS_CHANGED, AuditRecordType.SCHOOL, school.id, school.id)
                db.session.commit()
                flash(gettext("School hours and waiting times saved."), "success")
                return redirect(url_for("admin.school_hours"))
        return render_template("admin/hours.html", school=school, form=form), 400
    return render_template("admin/hours.html", school=school, form=form)


def _hours_data(school: School) -> dict[str, object]:
    # On a POST the typed values win over these; a GET shows what is stored.
    return {"timezone": school.timezone, "start": school.hours_start, "end": school.hours_end,
            "days": list(school.open_days), "ack_minutes_immediate": school.ack_minutes_immediate,
            "ack_minutes_high": school.ack_minutes_high}


def _times(form: HoursForm) -> hours.SchoolTimes:
    return hours.SchoolTimes(
        timezone=form.timezone.data, start=form.start.data or "", end=form.end.data or "",
        days=tuple(form.days.data or ()), ack_minutes_immediate=form.ack_minutes_immediate.data,
        ack_minutes_high=form.ack_minutes_high.data)


# Emails whose recipients the delivery page names: alerts go to the school's own routing list,
# and referral notes to the bodies the school refers to. Emails to one member of staff about
# their own account (resets, sign-in) show only "-".
RECIPIENTS_SHOWN = frozenset({OutboxPurpose.ALERT, OutboxPurpose.ESCALATION,
                              OutboxPurpose.REFERRAL})


@bp.get("/email")
def email():
    """Every email of the school with its delivery state, tries and last error."""
    school = current_school()
    state = request.args.get("state", "")
    if state and state not in OutboxState.labels():
        abort(404)
    return render_template("admin/email.html", school=school, state=state,
                           messages=outbox.school_messages(school.id, state),
                           states=OutboxState.labels(), purposes=OutboxPurpose.labels(),
                           recipients_shown=RECIPIENTS_SHOWN,
                           delivery=outbox.delivery_summary(school.id))


@bp.post("/email/<int:message_id>/send-again")
@once_per_form
def send_again(message_id: int):
    """Try an unsent email again now instead of waiting for its next turn."""
    school = current_school()
    if not outbox.send_again(message_id, school.id):
        flash(gettext("That email has already been sent or stopped, so there is nothing to retry."),
              "info")
        return redirect(url_for("admin.email"))
    audited_as(AuditAction.EMAIL_RETRY, AuditRecordType.OUTBOX, message_id, school.id)
    db.session.commit()
    flash(gettext("The email will be tried again in a moment."), "success")
    return redirect(url_for("admin.email"))

