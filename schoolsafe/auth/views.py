"""Staff sign-in, two-factor enrolment and check, and sign-out."""

from __future__ import annotations

import base64
import io

import pyotp
import segno
from flask import Blueprint, flash, redirect, render_template, request, session, url_for
from flask_login import current_user, login_required, login_user, logout_user

from schoolsafe.auth.forms import SignInForm, TwoFactorForm
from schoolsafe.extensions import db
from schoolsafe.models.base import utcnow
from schoolsafe.security import sessions
from schoolsafe.services import staff_auth

bp = Blueprint("auth", __name__, url_prefix="/staff")


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: never another host (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return default
    return target


def _home() -> str:
    return url_for("triage.queue")


@bp.route("/sign-in", methods=["GET", "POST"])
def sign_in():
    """Email and password; then the second factor for roles that need it."""
    form = SignInForm()
    if form.validate_on_submit():
        try:
            user = staff_auth.check_password(db.session, form.email.data, form.password.data)
        except staff_auth.SignInError as error:
            db.session.commit()  # keep the failure count
            form.password.errors.append(str(error))
        else:
            session.clear()
            login_user(user)
            sessions.start(user)
            user.last_login_at = utcnow()
            db.session.commit()
            return redirect(url_for("auth.two_factor", next=request.args.get("next"))
                            if user.needs_two_factor
                            else safe_next(request.args.get("next"), _home()))
    return render_template("auth/sign_in.html", form=form)


@bp.route("/two-factor", methods=["GET", "POST"])
@login_required
def two_factor():
    """Check the TOTP code, or enrol first if the user has none yet."""
    if current_user.totp_confirmed_at is None:
        return _enrol()
    form = TwoFactorForm()
    if form.validate_on_submit():
        try:
            staff_auth.check_second_factor(db.session, current_user, form.code.data)
        except staff_auth.SignInError as error:
            form.code.errors.append(str(error))
        else:
            session["two_factor_ok"] = True
            db.session.commit()
            return redirect(safe_next(request.args.get("next"), _home()))
        db.session.commit()
    return render_template("auth/two_factor.html", form=form)


def _enrol():
    form = TwoFactorForm()
    secret = session.setdefault("enrol_secret", pyotp.random_base32())
    if form.validate_on_submit():
        if pyotp.TOTP(secret).verify(form.code.data.replace(" ", ""), valid_window=1):
            current_user.totp_secret = secret
            current_user.totp_confirmed_at = utcnow()
            codes = staff_auth.new_recovery_codes(db.session, current_user)
            db.session.commit()
            session.pop("enrol_secret", None)
            session["two_factor_ok"] = True
            return render_template("auth/recovery_codes.html", codes=codes,
                                   next=safe_next(request.args.get("next"), _home()))
        form.code.errors.append("That code didn't match. Check the time on your phone and try "
                                "again.")
    uri = pyotp.TOTP(secret).provisioning_uri(current_user.email, issuer_name="schoolsafe")
    return render_template("auth/enrol.html", form=form, secret=secret, qr=_qr_data_uri(uri))


def _qr_data_uri(uri: str) -> str:
    # Drawn on our server: the secret never goes to a third-party QR service.
    buffer = io.BytesIO()
    segno.make(uri, error="m").save(buffer, kind="svg", scale=5, xmldecl=False,
                                    svgns=True, title="Two-factor set-up code")
    return "data:image/svg+xml;base64," + base64.b64encode(buffer.getvalue()).decode()


@bp.post("/sign-out")
def sign_out():
    """End this session."""
    logout_user()
    session.clear()
    flash("You have signed out.", "info")
    return redirect(url_for("auth.sign_in"))


@bp.post("/sign-out-everywhere")
@login_required
def sign_out_everywhere():
    """End every session of this user, on every device."""
    current_user.session_epoch += 1
    db.session.commit()
    logout_user()
    session.clear()
    flash("You have been signed out on every device.", "info")
    return redirect(url_for("auth.sign_in"))
