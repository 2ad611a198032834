"""Passkeys: adding, naming and removing them, and signing in with one.

The browser side needs JavaScript (static/js/passkey.js): it asks these JSON endpoints for
options, lets the device make or use the passkey, and sends the result back. Every page that
offers a passkey says so and offers the other way. A challenge waits in the signed session and
on the server (passkey_challenge), and is used once: the server's copy goes with its first use,
so a copy of an old cookie sent with the same answer is refused.
"""

from __future__ import annotations

import base64

from flask import Response, flash, jsonify, redirect, request, session, url_for
from flask_babel import gettext
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models.base import utcnow
from schoolsafe.security.access import needs_two_factor, require
from schoolsafe.services.staff import passkeys, sso
from schoolsafe.vocab import N_, AuditAction, SignInMethod
from schoolsafe.web.words import error_text

from . import bp
from .common import (
    TOO_MANY,
    after_sign_in,
    audit_user,
    open_session,
    passkey_site,
    second_step_method,
    signed_in,
    tell_owner_two_factor_is_on,
    throttled,
)

CHALLENGE = "passkey_challenge"
NOT_NOW = N_("Please sign in again, then add the passkey from your account page.")


def _options(made: tuple[str, bytes]) -> Response:
    options, challenge = made
    session[CHALLENGE] = base64.urlsafe_b64encode(challenge).decode()
    passkeys.hold_challenge(db.session, challenge, utcnow())
    db.session.commit()
    return Response(options, mimetype="application/json")


def _challenge() -> bytes:
    kept = session.pop(CHALLENGE, None)  # used once, whatever the outcome
    if not isinstance(kept, str):
        raise passkeys.PasskeyError(passkeys.NOT_CHECKED)
    try:
        challenge = base64.urlsafe_b64decode(kept)
    except ValueError as error:
        raise passkeys.PasskeyError(passkeys.NOT_CHECKED) from error
    return passkeys.take_challenge(db.session, challenge, utcnow())


def _problem(message: str, status: int = 400) -> tuple[Response, int]:
    return jsonify(error=message), status


def _fully_signed_in() -> bool:
    return current_user.is_authenticated and (
        bool(session.get("two_factor_ok")) or not needs_two_factor(current_user))


def _setting_up() -> bool:
    """Past the first step with no second factor yet: they may add one, as with an app."""
    return (current_user.is_authenticated and not session.get("two_factor_ok")
            and current_user.totp_confirmed_at is None and not current_user.passkeys)


@bp.post("/passkeys/new/options")
def passkey_new_options():
    """Options for the device to make a new passkey for the signed-in user."""
    if not (_fully_signed_in() or _setting_up()):
        return _problem(gettext(NOT_NOW), 403)
    return _options(passkeys.registration_options(passkey_site(), current_user))


@bp.post("/passkeys/new")
def passkey_new():
    """Keep the new passkey the device made, under the name the user gave it."""
    if not (_fully_signed_in() or _setting_up()):
        return _problem(gettext(NOT_NOW), 403)
    first_one = _setting_up()
    body = request.get_json(silent=True) or {}
    try:
        passkey = passkeys.register(db.session, passkey_site(), current_user, _challenge(),
                                    str(body.get("name", "")), body.get("credential") or {})
    except passkeys.PasskeyError as error:
        db.session.commit()  # the challenge stays used up
        return _problem(error_text(error))
    audit_user(AuditAction.PASSKEY_ADDED, current_user)
    if not first_one:
        db.session.commit()
        flash(gettext("Passkey \u201c%(name)s\u201d added.", name=passkey.name), "success")
        return jsonify(next=url_for("auth.account"))
    audit_user(AuditAction.TWO_FACTOR_ON, current_user)
    tell_owner_two_factor_is_on(current_user)
    signed_in(current_user, second_step_method("passkey"), AuditAction.SIGN_IN,
              request.args.get("next"))
    return jsonify(next=after_sign_in(request.args.get("next")))


@bp.post("/passkeys/sign-in/options")
def passkey_sign_in_options():
    """Options for using a passkey: the user's own as a second step, or any for this site."""
    user = current_user if current_user.is_authenticated else None
    return _options(passkeys.sign_in_options(passkey_site(), user))


@bp.post("/passkeys/sign-in")
def passkey_sign_in():
    """Check the passkey: the second step after a password or the school's service, or the
    whole sign-in on its own."""
    if throttled("sign-in"):
        return _problem(gettext(TOO_MANY), 429)
    second_step = current_user.is_authenticated
    if second_step and session.get("two_factor_ok"):
        return jsonify(next=after_sign_in(request.args.get("next")))
    body = request.get_json(silent=True) or {}
    try:
        passkey = passkeys.check(db.session, passkey_site(), _challenge(),
                                 body.get("credential") or {},
                                 current_user if second_step else None)
    except passkeys.PasskeyError as error:
        if error.user is not None:
            audit_user(AuditAction.REFUSED_PASSKEY, error.user)
        elif second_step:
            audit_user(AuditAction.REFUSED_PASSKEY, current_user)
        db.session.commit()  # the challenge used up, and the failure counted
        return _problem(error_text(error))
    user = passkey.user
    target = request.args.get("next")
    if second_step:
        signed_in(user, second_step_method("passkey"), AuditAction.SIGN_IN_PASSKEY, target)
    elif not user.active or not sso.password_allowed(db.session, user):
        audit_user(AuditAction.REFUSED_SWITCHED_OFF if not user.active
                   else AuditAction.REFUSED_PASSWORD_OFF, user)
        db.session.commit()
        return _problem(passkeys.ONLY_SCHOOL_SERVICE if user.active else passkeys.NOT_CHECKED)
    else:
        open_session(user, SignInMethod.PASSKEY)
        signed_in(user, SignInMethod.PASSKEY, AuditAction.SIGN_IN_PASSKEY, target)
    return jsonify(next=after_sign_in(target))


@bp.post("/passkeys/<public_id>/remove")
@require()
def passkey_remove(public_id: str):
    """Remove one of the user's passkeys (works without JavaScript)."""
    passkey = passkeys.remove(db.session, current_user, public_id)
    if passkey is None:
        flash(gettext("That passkey has already been removed."), "info")
        return redirect(url_for("auth.account"))
    audit_user(AuditAction.PASSKEY_REMOVED, current_user)
    db.session.commit()
    flash(gettext("Passkey \u201c%(name)s\u201d removed. It can't be used to sign in any "
                  "more.", name=passkey.name),
          "success")
    return redirect(url_for("auth.account"))
