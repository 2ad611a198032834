"""Staff sign-in, the two-factor step (and enrolment), and signing out."""

from __future__ import annotations

import base64
import io

import pyotp
import segno
from flask import current_app, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user, login_required

from schoolsafe.auth.forms import SignInForm, TwoFactorForm
from schoolsafe.auth.kept import field_label
from schoolsafe.extensions import db
from schoolsafe.models import User
from schoolsafe.models.base import utcnow
from schoolsafe.security import sessions
from schoolsafe.security.access import lead_trust_ids, needs_two_factor, require
from schoolsafe.services.staff import forms as staff_forms
from schoolsafe.services.staff import sign_in as staff_auth
from schoolsafe.services.staff import sso
from schoolsafe.vocab import N_, AuditAction, SignInMethod
from schoolsafe.web.home import home_for
from schoolsafe.web.once import FIELD as FORM_TOKEN
from schoolsafe.web.words import error_text

from . import bp
from .common import (
    TOO_MANY,
    after_sign_in,
    audit_user,
    open_session,
    second_step_method,
    signed_in,
    tell_owner_two_factor_is_on,
    throttled,
)


@bp.app_template_global()
def staff_home() -> str:
    """Where the site name leads: the signed-in user's start page, or signing in."""
    return home_for(current_user) if current_user.is_authenticated else url_for("auth.sign_in")


@bp.app_template_global()
def leads_a_trust() -> bool:
    """Whether the signed-in user leads a trust (for the navigation)."""
    return current_user.is_authenticated and bool(lead_trust_ids(current_user))


def _unknown_email_ok(email: str) -> bool:
    # An email with no account "locks" after as many tries as a real one, so the lockout
    # message can't be used to find out which emails have accounts.
    limiter = current_app.extensions["ratelimiter"]
    return limiter.hit("sign-in-unknown", email, staff_auth.MAX_FAILURES - 1,
                       int(staff_auth.LOCKOUT.total_seconds()))


SSO_ONLY = N_("Your school signs its staff in through its own sign-in service, so passwords "
                  "are switched off. Use the sign-in link your school gave you.")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Email and password; then the second factor for roles that need it."""
    form = SignInForm()
    if form.validate_on_submit():
        if throttled("sign-in"):
            form.password.errors.append(gettext(TOO_MANY))
            return render_template("auth/sign_in.html", form=form), 429
        try:
            user = staff_auth.check_password(db.session, form.email.data, form.password.data,
                                             _unknown_email_ok)
        except staff_auth.SignInError as error:
            db.session.commit()  # keep the failure count
            form.password.errors.append(error_text(error))
        else:
            if sso.password_allowed(db.session, user):
                return _start_session(user)
            # Only said to someone who knew the password: it tells nothing to a guesser.
            audit_user(AuditAction.REFUSED_PASSWORD_OFF, user)
            db.session.commit()
            form.password.errors.append(gettext(SSO_ONLY))
    return render_template("auth/sign_in.html", form=form)


def _start_session(user: User):
    open_session(user, SignInMethod.PASSWORD)
    target = request.args.get("next")
    if needs_two_factor(user):
        db.session.commit()
        return redirect(url_for("auth.two_factor", next=target))
    return signed_in(user, SignInMethod.PASSWORD, AuditAction.SIGN_IN, target)


@bp.get("/unsaved")
@require()
def kept_form():
    """A form sent after its session had ended, offered to be sent again - once, and only to
    the user whose session it was; anyone else gets nothing and it is removed."""
    key = session.pop(sessions.KEPT_FORM, None)
    kept = (staff_forms.take(db.session, key, current_user.id, utcnow())
            if isinstance(key, str) else None)
    db.session.commit()
    if kept is None:
        return redirect(home_for(current_user))
    return render_template("auth/kept_form.html", kept=kept, token_field=FORM_TOKEN,
                           field_label=field_label)


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    """Check the TOTP code or a recovery code, or enrol first if the user has no TOTP yet."""
    target = request.args.get("next")
    if session.get("two_factor_ok"):
        return redirect(after_sign_in(target))
    if current_user.totp_confirmed_at is None and not current_user.passkeys:
        return _enrol(target)
    form = TwoFactorForm()
    if form.validate_on_submit() and current_user.totp_confirmed_at is not None:
        if throttled("two-factor"):
            form.code.errors.append(gettext(TOO_MANY))
            return render_template("auth/two_factor.html", form=form), 429
        try:
            result = staff_auth.check_second_factor(db.session, current_user, form.code.data)
        except staff_auth.SignInError as error:
            db.session.commit()  # keep the failure count
            form.code.errors.append(error_text(error))
        else:
            return _passed_second_factor(result, target)
    return render_template("auth/two_factor.html", form=form)


def _passed_second_factor(result: staff_auth.SecondFactor, target: str | None):
    if result.used_recovery_code:
        flash(ngettext("You signed in with a recovery code. That code is now used up. You "
                       "have %(num)d left - make new ones on your account page if you are "
                       "running low or have lost your phone.",
                       "You signed in with a recovery code. That code is now used up. You "
                       "have %(num)d left - make new ones on your account page if you are "
                       "running low or have lost your phone.", result.recovery_codes_left),
              "warning")
        return signed_in(current_user, SignInMethod.RECOVERY_CODE,
                         AuditAction.SIGN_IN_RECOVERY_CODE, target)
    return signed_in(current_user, second_step_method("totp"), AuditAction.SIGN_IN, target)


def _enrol(target: str | None):
    form = TwoFactorForm()
    # The key belongs to this session: kept on its server-side row, never in the cookie or on
    # the account, until the app proves it has it.
    row = sessions.current_row()
    secret = staff_auth.enrolment_secret(row)
    db.session.commit()
    if form.validate_on_submit():
        try:
            codes = staff_auth.confirm_enrolment(db.session, row, form.code.data)
        except staff_auth.SignInError as error:
            form.code.errors.append(error_text(error))
        else:
            session["two_factor_ok"] = True
            row.sign_in_method = second_step_method("totp")
            staff_auth.complete_sign_in(current_user, row.sign_in_method)
            audit_user(AuditAction.TWO_FACTOR_ON, current_user)
            tell_owner_two_factor_is_on(current_user)
            db.session.commit()
            return render_template("auth/recovery_codes.html", codes=codes,
                                   next=after_sign_in(target))
    uri = pyotp.TOTP(secret).provisioning_uri(name=current_user.email,
                                               issuer_name="schoolsafe")
    return render_template("auth/enrol.html", form=form, secret=secret, qr=qr_data_uri(uri),
                           next=target)


def qr_data_uri(uri: str) -> str:
    """The QR code as an inline SVG image: drawn here, never by a third-party service."""
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, xmldecl=False,
                                    svgns=True, title="Two-factor set-up code")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@bp.post("/sign-out")
def sign_out():
    """End this session for good: a copy of its cookie signs nobody in afterwards."""
    sessions.end()
    db.session.commit()
    flash(gettext("You have signed out."), "info")
    return redirect(url_for("auth.sign_in"))


@bp.post("/sign-out-everywhere")
@require()
def sign_out_everywhere():
    """End every session of this user, on every device."""
    audit_user(AuditAction.SIGN_OUT_EVERYWHERE, current_user)
    sessions.end_everywhere(current_user)
    db.session.commit()
    flash(gettext("You have been signed out on every device, including this one."), "info")
    return redirect(url_for("auth.sign_in"))
