"""Password reset by email: the same answer whether or not the email has an account.

The email carries a short code and a link to the plain reset page; the person types the code.
No secret is ever part of a URL, so none can reach gunicorn's access log, a proxy's log or a
browser's history (a link with a token in it would be in all three).
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext

from schoolsafe.auth.forms import ForgotPasswordForm, NewPasswordForm, ResetCodeForm
from schoolsafe.extensions import db
from schoolsafe.jobs.mail import send_soon
from schoolsafe.mail.builders import store
from schoolsafe.models.base import utcnow
from schoolsafe.security import sessions
from schoolsafe.security.passwords import WeakPasswordError
from schoolsafe.services.staff import password_reset
from schoolsafe.vocab import N_, AuditAction, OutboxPurpose
from schoolsafe.web.words import error_text

from . import bp
from .common import TOO_MANY, audit_user, throttled

# Codes sent to one email per window, so nobody can fill a colleague's inbox.
EMAILS_PER_ADDRESS = 3
EMAIL_WINDOW = 3600
# Wrong codes typed for one email per window, whatever network they come from. With 50-bit
# codes this makes guessing hopeless even from many addresses.
WRONG_CODES_PER_EMAIL = 10
WRONG_CODE_WINDOW = 3600
TOO_MANY_CODES = N_("There have been too many wrong codes for this email. Please wait an "
                    "hour, then ask for a new code.")
SENT = N_("If that email belongs to a schoolsafe account, we have sent it a code for choosing "
          "a new password. The code works once, within %(minutes)d minutes. It can take a few "
          "minutes to arrive; check the spam folder too.")


def _minutes() -> int:
    return int(current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds() // 60)


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset code; the answer never says whether the email has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if throttled("password-reset"):
            form.email.errors.append(gettext(TOO_MANY))
            return render_template("auth/forgot_password.html", form=form), 429
        _send_code(form.email.data)
        db.session.commit()
        # The code form comes next, with the email already filled in.
        code_form = ResetCodeForm(formdata=None, email=form.email.data)
        return render_template("auth/forgot_password.html", form=None, code_form=code_form,
                               sent=gettext(SENT, minutes=_minutes()))
    return render_template("auth/forgot_password.html", form=form)


def _send_code(email: str) -> None:
    user = password_reset.user_to_email(db.session, email)
    limiter = current_app.extensions["ratelimiter"]
    if user is None or not limiter.hit("reset-email", user.email, EMAILS_PER_ADDRESS,
                                       EMAIL_WINDOW):
        return
    code = password_reset.make_code(user, current_app.config["SECRET_KEY"], utcnow())
    send_soon(store(OutboxPurpose.PASSWORD_RESET, user.email, "password_reset",
                    link=current_app.config["BASE_URL"] + url_for("auth.reset_password"),
                    code=code, minutes=_minutes()))
    audit_user(AuditAction.PASSWORD_RESET_SENT, user)


@bp.route("/reset-password", methods=["GET", "POST"])
def reset_password():
    """Type the emailed code, then choose a new password; every session then ends.

    The second step posts the email and code again (hidden), so nothing is kept in between.
    """
    form = ResetCodeForm()
    if not form.validate_on_submit():
        return render_template("auth/reset_password.html", form=form), (
            400 if form.is_submitted() else 200)
    user, status = _user_for_code(form)
    if user is None:
        return render_template("auth/reset_password.html", form=form), status
    new = NewPasswordForm() if "password" in request.form else NewPasswordForm(formdata=None)
    if "password" in request.form and new.validate():
        try:
            password_reset.set_new_password(db.session, user, new.password.data,
                                            current_app.config["PASSWORD_HASHER"])
        except WeakPasswordError as error:
            new.password.errors.append(error_text(error))
        else:
            return _done(user)
    return render_template("auth/new_password.html", code_form=form, form=new), (
        400 if new.errors else 200)


def _user_for_code(form: ResetCodeForm):
    """The user the typed code is for, or None and the status, with the reason on the form."""
    limiter = current_app.extensions["ratelimiter"]
    email = form.email.data.strip().lower()
    if throttled("reset-code"):
        form.code.errors.append(gettext(TOO_MANY))
        return None, 429
    if limiter.used_up("reset-code-email", email, WRONG_CODES_PER_EMAIL, WRONG_CODE_WINDOW):
        form.code.errors.append(gettext(TOO_MANY_CODES))
        return None, 429
    try:
        return password_reset.user_for_code(
            db.session, form.email.data, form.code.data, current_app.config["SECRET_KEY"],
            current_app.config["PASSWORD_RESET_MAX_AGE"], utcnow()), 200
    except password_reset.ResetError as error:
        limiter.hit("reset-code-email", email, WRONG_CODES_PER_EMAIL, WRONG_CODE_WINDOW)
        form.code.errors.append(error_text(error))
        return None, 400


def _done(user):
    audit_user(AuditAction.PASSWORD_RESET, user)
    sessions.end()
    db.session.commit()
    flash(gettext("Your password has been changed and you have been signed out everywhere. "
                  "Sign in with your new password."), "success")
    return redirect(url_for("auth.sign_in"))
