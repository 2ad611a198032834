"""Signing in through the school's own identity provider (OpenID Connect).

A school's sign-in page (/staff/sign-in/<slug>) links to the provider; the provider sends the
browser back to one callback for every school. What the return is checked against (state,
nonce, PKCE verifier, which school) waits in the signed session cookie, never in a URL, and is
used once: a second visit to the same return address is refused.
"""

from __future__ import annotations

from dataclasses import asdict

from flask import abort, current_app, redirect, render_template, request, session, url_for
from sqlalchemy import select

from schoolsafe.auth.forms import SignInForm
from schoolsafe.extensions import db
from schoolsafe.models import School, SchoolSso
from schoolsafe.security.access import needs_two_factor
from schoolsafe.services.staff import sso
from schoolsafe.vocab import AuditAction, SignInMethod, SsoMode

from . import bp
from .common import TOO_MANY, audit_refusal, open_session, signed_in, throttled

PENDING = "sso_pending"


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
    user = None
    try:
        claims = sso.finish(settings, pending, request.args.to_dict(), redirect_uri())
        user = sso.match_member(db.session, school.id, claims)
    except sso.SsoError as error:
        audit_refusal(error.action, None, school.id, school.slug)
        db.session.commit()
        return _refused(error, school)
    open_session(user, SignInMethod.SSO)
    if sso.provider_checked_second_factor(settings, claims):
        return signed_in(user, SignInMethod.SSO_MFA, AuditAction.SIGN_IN_SSO_MFA, target)
    if needs_two_factor(user):
        db.session.commit()
        return redirect(url_for("auth.two_factor", next=target))
    return signed_in(user, SignInMethod.SSO, AuditAction.SIGN_IN_SSO, target)


def _refused(error: sso.SsoError | None, school: School | None, status: int = 403):
    message = TOO_MANY if error is None else str(error)
    return render_template("auth/sso_refused.html", message=message, school=school), status
