"""What the sign-in, reset and account pages share: the network throttle, the audit row
about a user (who may not be signed in yet, so not web.audit's signed-in user), and the steps
every way of signing in ends with."""

from __future__ import annotations

from urllib.parse import urlsplit

from flask import current_app, redirect, session, url_for
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.jobs.mail import send_soon
from schoolsafe.mail.builders import store
from schoolsafe.models import User
from schoolsafe.security import sessions
from schoolsafe.security.ratelimit import hit_for_request
from schoolsafe.services.audit import trail as audit
from schoolsafe.services.staff import passkeys
from schoolsafe.services.staff import sign_in as staff_auth
from schoolsafe.vocab import N_, AuditAction, AuditRecordType, OutboxPurpose, SignInMethod
from schoolsafe.web.home import home_for

# Tries per network address per window, whoever they are for: slows guessing across accounts
# without shutting out a whole school's staff, who may share one address.
ATTEMPT_LIMIT = 30
ATTEMPT_WINDOW = 600
TOO_MANY = N_("There have been too many tries from this network. Please wait ten minutes.")
# The session key saying how the first step was passed (a SignInMethod), until the second.
FIRST_STEP = "first_step"
# With which second step, after which first, the sign-in was made.
SECOND_STEP = {
    (SignInMethod.PASSWORD, "totp"): SignInMethod.PASSWORD_TOTP,
    (SignInMethod.SSO, "totp"): SignInMethod.SSO_TOTP,
    (SignInMethod.PASSWORD, "passkey"): SignInMethod.PASSWORD_PASSKEY,
    (SignInMethod.SSO, "passkey"): SignInMethod.SSO_PASSKEY,
}
# Sign-ins whose audit entry would otherwise not say how they were made.
AUDITED_AS = {
    SignInMethod.PASSWORD_PASSKEY: AuditAction.SIGN_IN_PASSWORD_PASSKEY,
    SignInMethod.SSO_TOTP: AuditAction.SIGN_IN_SSO_TOTP,
    SignInMethod.SSO_PASSKEY: AuditAction.SIGN_IN_SSO_PASSKEY,
}


def audit_user(action: AuditAction, user: User) -> None:
    """Record a sign-in event about a user (who and what, nothing typed)."""
    audit.record(db.session, user_id=user.id, school_id=None, action=action,
                 record_type=AuditRecordType.STAFF_USER, record_id=user.public_id)


def audit_refusal(action: AuditAction, user: User | None, school_id: int | None,
                  school_slug: str) -> None:
    """Record a refused sign-in: about the user when one was found, else about the school."""
    if user is not None:
        audit_user(action, user)
        return
    audit.record(db.session, user_id=None, school_id=school_id, action=action,
                 record_type=AuditRecordType.SCHOOL, record_id=school_slug[:40])


def throttled(purpose: str) -> bool:
    """True when this network address has used up its tries for now."""
    return not hit_for_request(purpose, ATTEMPT_LIMIT, ATTEMPT_WINDOW)


def safe_next(target: str | None, default: str) -> str:
    """Only same-site paths: never another host (no open redirect)."""
    if not target or not target.startswith("/") or target.startswith("//"):
        return default
    # Browsers drop tabs and newlines and read "\" as "/", so "/\t/evil" is "//evil" to them.
    if "\\" in target or any(ord(c) < 32 for c in target):
        return default
    parts = urlsplit(target)
    return default if parts.scheme or parts.netloc else target


def open_session(user: User, first_step: SignInMethod) -> None:
    """A fresh server-side session for the user after the first step (the caller commits)."""
    kept = session.get(sessions.KEPT_FORM)  # only a random key; kept_form() checks the user
    sessions.end()  # nothing from before sign-in carries over (no session fixation)
    sessions.login(user)
    if isinstance(kept, str):
        session[sessions.KEPT_FORM] = kept
    session[FIRST_STEP] = first_step.value


def signed_in(user: User, method: SignInMethod, action: AuditAction, target: str | None):
    """Every step passed: note it (on the account and this session), audit it, and go on to
    where the user was going."""
    session["two_factor_ok"] = True
    session.pop(FIRST_STEP, None)
    staff_auth.complete_sign_in(user, method)
    row = sessions.current_row()
    if row is not None:
        row.sign_in_method = method
    audit_user(AUDITED_AS.get(method, action), user)
    db.session.commit()
    return redirect(after_sign_in(target))


def second_step_method(second: str) -> SignInMethod:
    """How the whole sign-in was made, from its first step and this second one."""
    first = SignInMethod(session.get(FIRST_STEP, SignInMethod.PASSWORD))
    return SECOND_STEP.get((first, second), SignInMethod.PASSWORD_TOTP)


def after_sign_in(target: str | None) -> str:
    """Where to go once signed in."""
    # A form kept when the last session ended comes first: it was the work in hand.
    if session.get(sessions.KEPT_FORM):
        return url_for("auth.kept_form")
    return safe_next(target, home_for(current_user))


def passkey_site() -> passkeys.Site:
    """Passkeys belong to the host name people use for schoolsafe (from BASE_URL)."""
    base = urlsplit(current_app.config["BASE_URL"])
    return passkeys.Site(rp_id=base.hostname or "localhost", origin=f"{base.scheme}://"
                         f"{base.netloc}")


def tell_owner_two_factor_is_on(user: User) -> None:
    """Email the owner that a second factor was turned on for their account."""
    # Whoever set it up, the owner hears of it: someone who knew the password and got there
    # first would otherwise hold the account's second factor unnoticed.
    base = current_app.config["BASE_URL"]
    send_soon(store(OutboxPurpose.TWO_FACTOR_ON, user.email, "two_factor_on",
                    forgot=base + url_for("auth.forgot_password")))
