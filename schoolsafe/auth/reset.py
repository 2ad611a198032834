"""Password reset by email: the same answer whether or not the email has an account."""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, url_for

from schoolsafe.auth.forms import ForgotPasswordForm, NewPasswordForm
from schoolsafe.extensions import db
from schoolsafe.jobs.mail import send_soon
from schoolsafe.mail.builders import store
from schoolsafe.security import sessions
from schoolsafe.security.passwords import WeakPasswordError
from schoolsafe.services.staff import password_reset
from schoolsafe.vocab import AuditAction, OutboxPurpose

from . import bp
from .common import TOO_MANY, audit_user, throttled

# Links sent to one email per window, so nobody can fill a colleague's inbox.
EMAILS_PER_ADDRESS = 3
EMAIL_WINDOW = 3600
SENT = ("If that email belongs to a schoolsafe account, we have sent it a link to choose a new "
        "password. The link works once, within {minutes} minutes. It can take a few minutes to "
        "arrive; check the spam folder too.")


def _minutes() -> int:
    return int(current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds() // 60)


@bp.route("/forgot-password", methods=["GET", "POST"])
def forgot_password():
    """Ask for a reset link; the answer never says whether the email has an account."""
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        if throttled("password-reset"):
            form.email.errors.append(TOO_MANY)
            return render_template("auth/forgot_password.html", form=form), 429
        _send_link(form.email.data)
        db.session.commit()
        return render_template("auth/forgot_password.html", form=None,
                               sent=SENT.format(minutes=_minutes()))
    return render_template("auth/forgot_password.html", form=form)


def _send_link(email: str) -> None:
    user = password_reset.user_to_email(db.session, email)
    limiter = current_app.extensions["ratelimiter"]
    if user is None or not limiter.hit("reset-email", user.email, EMAILS_PER_ADDRESS,
                                       EMAIL_WINDOW):
        return
    token = password_reset.make_token(user, current_app.config["SECRET_KEY"])
    link = current_app.config["BASE_URL"] + url_for("auth.reset_password", token=token)
    send_soon(store(OutboxPurpose.PASSWORD_RESET, user.email, "password_reset", link=link,
                    minutes=_minutes()))
    audit_user(AuditAction.PASSWORD_RESET_SENT, user)


@bp.route("/reset-password/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    """Choose a new password with a link from the email; every session then ends."""
    try:
        user = password_reset.user_for_token(db.session, token,
                                             current_app.config["SECRET_KEY"],
                                             current_app.config["PASSWORD_RESET_MAX_AGE"])
    except password_reset.ResetError as error:
        return render_template("auth/forgot_password.html", form=ForgotPasswordForm(),
                               problem=str(error)), 400
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            password_reset.set_new_password(db.session, user, form.password.data,
                                            current_app.config["PASSWORD_HASHER"])
        except WeakPasswordError as error:
            form.password.errors.append(str(error))
        else:
            audit_user(AuditAction.PASSWORD_RESET, user)
            sessions.end()
            db.session.commit()
            flash("Your password has been changed and you have been signed out everywhere. "
                  "Sign in with your new password.", "success")
            return redirect(url_for("auth.sign_in"))
    return render_template("auth/reset_password.html", form=form)
