"""Signing in through the school's own identity provider (OpenID Connect).

A school's sign-in page (/staff/sign-in/<slug>) links to the provider; the provider sends the
browser back to one callback for every school. What the return is checked against (state,
nonce, PKCE verifier, which school) waits in the signed session cookie, never in a URL, and is
used once: a second visit to the same return address is refused.

A session signed in this way is confirmed with the provider again once the school's period
has passed: the next page asked for sends the browser to the provider with prompt=none, which
answers at once. If the provider no longer vouches for the member (signed out there, account
switched off), every session of theirs ends, and they see the sign-in page with a plain
message.
"""

from __future__ import annotations

import logging
from dataclasses import asdict

from flask import (
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from schoolsafe.auth.forms import SignInForm
from schoolsafe.extensions import db
from schoolsafe.models import School, SchoolSso, User
from schoolsafe.models.base import utcnow
from schoolsafe.security import sessions
from schoolsafe.security.access import needs_two_factor
from schoolsafe.services.staff import sso, sso_secret
from schoolsafe.vocab import N_, AuditAction, SignInMethod, SsoMode

from . import bp
from .common import (
    TOO_MANY,
    audit_refusal,
    audit_user,
    open_session,
    safe_next,
    signed_in,
    throttled,
)

PENDING = "sso_pending"
NOT_CONFIRMED = N_("Your school's sign-in service no longer confirms that you are signed in "
                   "there, so you have been signed out of schoolsafe on every device. Please "
                   "sign in again.")
log = logging.getLogger(__name__)


def _school_and_settings(slug: str) -> tuple[School, SchoolSso]:
    school = db.session.scalar(select(School).where(School.slug == slug))
    settings = sso.settings_for(db.session, school.id) if school else None
    if school is None or settings is None or settings.mode == SsoMode.OFF:
        abort(404)
    return school, settings


def redirect_uri() -> str:
    """The one return address every school registers with its provider."""
    return current_app.config["BASE_URL"] + url_for("auth.sso_callback")


@bp.get("/sign-in/<slug>")
def school_sign_in(slug: str):
    """A school's own sign-in page: its sign-in service, and passwords if it allows them."""
    school, settings = _school_and_settings(slug)
    return render_template("auth/sign_in.html", form=SignInForm(), school=school,
                           settings=settings, passwords=settings.mode != SsoMode.REQUIRED)


@bp.get("/sign-in/<slug>/go")
def sso_start(slug: str):
    """Send the browser to the school's provider.

    A GET, as the protocol expects (a link works without JavaScript and a form's redirect to
    another site would be blocked by our form-action policy); it changes nothing but this
    browser's own pending sign-in.
    """
    school, settings = _school_and_settings(slug)
    url, pending = sso.begin(settings, redirect_uri())
    session[PENDING] = {**asdict(pending), "next": request.args.get("next")}
    return redirect(url)


@bp.before_app_request
def confirm_with_provider():
    """Send a session made through a school's provider back to it, silently, once the school's
    period has passed; only on a page load (a GET), so nothing being sent is lost."""
    if request.method != "GET" or request.endpoint in {"auth.sso_callback", "static"}:
        return None
    row = sessions.current_row()
    if row is None or row.sso_school_id is None or row.ended_at is not None:
        return None
    if not current_user.is_authenticated:
        return None
    settings = sso.settings_for(db.session, row.sso_school_id)
    if settings is None or not sso.confirmation_due(settings, row.sso_confirmed_at, utcnow()):
        return None
    url, pending = sso.begin_confirming(settings, redirect_uri(), current_user.id)
    session[PENDING] = {**asdict(pending), "next": request.full_path.rstrip("?")}
    return redirect(url)


@bp.get("/sign-in/return")
def sso_callback():
    """The provider's answer: check it, find the member, then their second step if needed."""
    kept = session.pop(PENDING, None)
    if throttled("sign-in"):
        return _refused(None, None, 429)
    if not isinstance(kept, dict):
        # Used already, or from another browser: nothing says which school it was for.
        audit_refusal(AuditAction.REFUSED_EXPIRED, None, None, "")
        db.session.commit()
        return _refused(sso.SsoError(AuditAction.REFUSED_EXPIRED), None)
    target = kept.pop("next", None)
    pending = sso.Pending(**kept)
    school = db.session.get(School, pending.school_id)
    settings = sso.settings_for(db.session, pending.school_id)
    if school is None or settings is None or settings.mode == SsoMode.OFF:
        abort(404)
    if pending.user_id is not None:
        return _confirmed(settings, school, pending, target)
    user = None
    try:
        claims = sso.finish(settings, pending, request.args.to_dict(), redirect_uri(),
                            _secret(settings), utcnow())
        user = sso.match_member(db.session, school.id, claims)
    except sso.SsoError as error:
        audit_refusal(error.action, None, school.id, school.slug)
        db.session.commit()
        return _refused(error, school)
    open_session(user, SignInMethod.SSO)
    row = sessions.current_row()
    row.sso_school_id, row.sso_confirmed_at = school.id, utcnow()
    if sso.provider_checked_second_factor(settings, claims):
        return signed_in(user, SignInMethod.SSO_MFA, AuditAction.SIGN_IN_SSO_MFA, target)
    if needs_two_factor(user):
        db.session.commit()
        return redirect(url_for("auth.two_factor", next=target))
    return signed_in(user, SignInMethod.SSO, AuditAction.SIGN_IN_SSO, target)


def _refused(error: sso.SsoError | None, school: School | None, status: int = 403):
    message = gettext(TOO_MANY) if error is None else str(error)
    return render_template("auth/sso_refused.html", message=message, school=school), status


def _secret(settings: SchoolSso) -> str:
    try:
        return sso_secret.reveal(settings.client_secret, sso_secret.key_from(current_app.config))
    except sso_secret.SecretUnreadable:
        # The operator's problem, not the member's: said plainly in the log and on the admin's
        # settings page; the member is refused as for any failed exchange.
        log.error("School %s: %s", settings.school_id, sso_secret.UNREADABLE)
        return ""


def _confirmed(settings: SchoolSso, school: School, pending: sso.Pending, target: str | None):
    """The provider's answer to a silent check: carry on, or sign the member out everywhere."""
    user = db.session.get(User, pending.user_id)
    row = sessions.current_row()
    if user is None or row is None or row.user_id != user.id:
        return redirect(url_for("auth.sign_in"))  # that session has ended meanwhile
    try:
        claims = sso.finish(settings, pending, request.args.to_dict(), redirect_uri(),
                            _secret(settings), utcnow())
        confirmed = sso.confirms(db.session, school.id, claims, user)
    except sso.SsoError:
        confirmed = False
    if confirmed:
        row.sso_confirmed_at = utcnow()
        audit_user(AuditAction.SSO_CONFIRMED, user)
        db.session.commit()
        return redirect(safe_next(target, url_for("auth.sign_in")))
    audit_user(AuditAction.SSO_NOT_CONFIRMED, user)
    sessions.end_everywhere(user)
    db.session.commit()
    flash(gettext(NOT_CONFIRMED), "warning")
    return redirect(url_for("auth.school_sign_in", slug=school.slug))
