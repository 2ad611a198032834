"""Signing staff in through their school's own OpenID Connect provider.

The authorization code flow with PKCE, `state` and `nonce`: begin() makes the address to send
the browser to and what to keep for its return; finish() checks the return, exchanges the code
and verifies the ID token (signature against the provider's published keys, issuer, audience,
expiry, nonce; a token signed with a key we haven't seen makes us re-read the provider's keys,
at most once a minute). match_member() then finds an existing member of that school only - by the
subject id noted at an earlier sign-in, or by an email the provider says it verified. Sign-in
never creates an account and never crosses schools.

A session made this way is confirmed with the provider again after the school's period (a
silent request, prompt=none, with the same checks): a member whose provider session has ended
or whose account was switched off there is signed out everywhere.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

import requests
from authlib.integrations.requests_client import OAuth2Session
from joserfc import jws, jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import Membership, SchoolSso, SsoLink, User
from schoolsafe.models.base import utcnow
from schoolsafe.vocab import N_, AuditAction, SsoMode, SsoPreset

SCOPES = "openid email profile"
TIMEOUT = 10  # seconds for each call to the provider
# Clocks differ a little between servers; a minute either side is the usual allowance.
LEEWAY = 60
# A token naming a key we don't hold makes us re-read the provider's keys, no more often than
# this per school (the provider rotates keys rarely; bad tokens can come often).
KEYS_REREAD_EVERY = timedelta(minutes=1)
ALGORITHMS = ["RS256", "RS384", "RS512", "PS256", "ES256", "ES384", "EdDSA"]
# What each preset fills in. Entra ID puts "mfa" in amr after a second factor; Google Workspace
# does not say, so its staff with dsl or admin roles are always asked for ours.
PRESETS: dict[str, dict[str, Any]] = {
    SsoPreset.ENTRA: {"issuer": "https://login.microsoftonline.com/TENANT-ID/v2.0",
                      "mfa_values": ["mfa"]},
    SsoPreset.GOOGLE: {"issuer": "https://accounts.google.com", "mfa_values": []},
    SsoPreset.OTHER: {"issuer": "", "mfa_values": ["mfa"]},
}
FAILED = ("Signing in through your school's account didn't work. Please try again, or sign in "
          "with your email and password if your school allows it.")


class SsoError(Exception):
    """Sign-in through the provider refused: a plain message, and the audit action saying why."""

    def __init__(self, action: AuditAction, message: str = FAILED) -> None:
        super().__init__(message)
        self.action = action


class SsoSetupError(Exception):
    """The settings can't be used (the provider could not be read); the message says why."""


@dataclass(frozen=True)
class Pending:
    """What is kept (in the signed session, never in a URL) while the browser is away."""

    school_id: int
    state: str
    nonce: str
    verifier: str
    # Set when confirming a signed-in member's provider session again: who it must be.
    user_id: int | None = None


def settings_for(session: Session, school_id: int) -> SchoolSso | None:
    """The school's single sign-on settings, if it has any."""
    return session.scalar(select(SchoolSso).where(SchoolSso.school_id == school_id))


def discover(issuer: str) -> dict[str, Any]:
    """Read the provider's discovery document and signing keys (at set-up, then cached)."""
    issuer = issuer.strip().rstrip("/")
    try:
        document = _get_json(issuer + "/.well-known/openid-configuration")
        if document.get("issuer", "").rstrip("/") != issuer:
            raise SsoSetupError("The provider at that address gives a different issuer: "
                                f"{document.get('issuer', 'none')}. Use that one.")
        wanted = ("authorization_endpoint", "token_endpoint", "jwks_uri")
        if not all(isinstance(document.get(key), str) for key in wanted):
            raise SsoSetupError(N_("That address doesn't describe an OpenID Connect provider."))
        found = {key: document[key] for key in wanted}
        found["issuer"] = document["issuer"]
        found["jwks"] = _get_json(document["jwks_uri"])
    except (requests.RequestException, ValueError) as error:
        raise SsoSetupError(N_("We couldn't read the provider's settings from that address. "
                            "Check the issuer address and try again.")) from error
    return found


def _get_json(url: str) -> dict[str, Any]:
    response = requests.get(url, timeout=TIMEOUT)
    response.raise_for_status()
    body = response.json()
    if not isinstance(body, dict):
        raise ValueError("not a JSON object")
    return body


def _client(settings: SchoolSso, redirect_uri: str, secret: str | None) -> OAuth2Session:
    return OAuth2Session(settings.client_id, secret, scope=SCOPES,
                         redirect_uri=redirect_uri, code_challenge_method="S256")


def begin(settings: SchoolSso, redirect_uri: str) -> tuple[str, Pending]:
    """The provider's address to send the browser to, and what to keep until it returns."""
    pending = Pending(settings.school_id, secrets.token_urlsafe(32), secrets.token_urlsafe(32),
                      secrets.token_urlsafe(48))
    return _authorization_url(settings, redirect_uri, pending), pending


def begin_confirming(settings: SchoolSso, redirect_uri: str,
                     user_id: int) -> tuple[str, Pending]:
    """A silent request (prompt=none) asking the provider whether the member is still signed
    in there; the provider answers at once, without showing the person anything."""
    pending = Pending(settings.school_id, secrets.token_urlsafe(32), secrets.token_urlsafe(32),
                      secrets.token_urlsafe(48), user_id)
    return _authorization_url(settings, redirect_uri, pending, prompt="none"), pending


def _authorization_url(settings: SchoolSso, redirect_uri: str, pending: Pending,
                       **extra: str) -> str:
    url, _ = _client(settings, redirect_uri, None).create_authorization_url(
        settings.provider["authorization_endpoint"], state=pending.state, nonce=pending.nonce,
        code_verifier=pending.verifier, **extra)
    return url


def confirmation_due(settings: SchoolSso, confirmed_at: datetime | None, now: datetime) -> bool:
    """Whether a session made through the provider should be confirmed with it again."""
    if settings.mode == SsoMode.OFF:
        return False
    return confirmed_at is None or now - confirmed_at >= timedelta(hours=settings.reconfirm_hours)


def confirms(session: Session, school_id: int, claims: dict[str, Any], user: User) -> bool:
    """Whether the claims are about the member whose session is being confirmed."""
    link = session.scalar(select(SsoLink).where(SsoLink.school_id == school_id,
                                                SsoLink.user_id == user.id))
    return link is not None and link.subject == str(claims["sub"]) and user.active


def finish(settings: SchoolSso, pending: Pending, answer: dict[str, str],
           redirect_uri: str, secret: str, now: datetime) -> dict[str, Any]:
    """The verified ID token claims for the provider's answer, or SsoError."""
    if not secrets.compare_digest(answer.get("state", ""), pending.state):
        raise SsoError(AuditAction.REFUSED_EXPIRED)
    if "error" in answer or not answer.get("code"):
        raise SsoError(AuditAction.REFUSED_BY_PROVIDER)
    try:
        token = _client(settings, redirect_uri, secret).fetch_token(
            settings.provider["token_endpoint"], grant_type="authorization_code",
            code=answer["code"], code_verifier=pending.verifier, timeout=TIMEOUT)
    except Exception as error:  # noqa: BLE001 - any failure of the exchange is a refusal
        raise SsoError(AuditAction.REFUSED_BY_PROVIDER) from error
    id_token = token.get("id_token")
    if not isinstance(id_token, str):
        raise SsoError(AuditAction.REFUSED_BAD_TOKEN)
    return verify_id_token(settings, id_token, pending.nonce, now)


def _refresh_keys_for(settings: SchoolSso, id_token: str, now: datetime) -> None:
    """Re-read the provider's keys when the token names one we don't hold (the provider has
    rotated its keys), unless they were re-read less than a minute ago."""
    try:
        kid = jws.extract_compact(id_token.encode()).headers().get("kid")
    except (JoseError, ValueError):
        return
    known = {key.get("kid") for key in settings.provider.get("jwks", {}).get("keys", [])}
    if kid is None or kid in known:
        return
    if settings.keys_read_at is not None and now - settings.keys_read_at < KEYS_REREAD_EVERY:
        return
    settings.keys_read_at = now
    try:
        keys = _get_json(settings.provider["jwks_uri"])
    except (requests.RequestException, ValueError, KeyError):
        return  # the token fails its check against the keys we have
    settings.provider = {**settings.provider, "jwks": keys}  # a new dict, so it is saved


def verify_id_token(settings: SchoolSso, id_token: str, nonce: str,
                    now: datetime) -> dict[str, Any]:
    """Check signature, issuer, audience, expiry and nonce; the claims, or SsoError."""
    _refresh_keys_for(settings, id_token, now)
    registry = jwt.JWTClaimsRegistry(
        leeway=LEEWAY, iss={"essential": True, "value": settings.provider["issuer"]},
        aud={"essential": True, "value": settings.client_id}, sub={"essential": True},
        exp={"essential": True}, nonce={"essential": True, "value": nonce})
    try:
        decoded = jwt.decode(id_token, KeySet.import_key_set(settings.provider["jwks"]),
                             algorithms=ALGORITHMS)
        registry.validate(decoded.claims)
    except (JoseError, ValueError, KeyError) as error:
        raise SsoError(AuditAction.REFUSED_BAD_TOKEN) from error
    claims = decoded.claims
    audiences = claims["aud"] if isinstance(claims["aud"], list) else [claims["aud"]]
    # A token for several audiences must name us as the party it was issued to.
    if len(audiences) > 1 and claims.get("azp") != settings.client_id:
        raise SsoError(AuditAction.REFUSED_BAD_TOKEN)
    return claims


def _verified_email(claims: dict[str, Any]) -> str | None:
    # Entra ID says a domain's owner verified the address with the optional xms_edov claim.
    verified = claims.get("email_verified") is True or claims.get("xms_edov") is True
    email = claims.get("email")
    return email.strip().lower() if verified and isinstance(email, str) else None


def match_member(session: Session, school_id: int, claims: dict[str, Any]) -> User:
    """The member of this school the claims are about; never a new account, never another
    school's member (SsoError otherwise)."""
    subject = str(claims["sub"])
    link = session.scalar(select(SsoLink).where(SsoLink.school_id == school_id,
                                                SsoLink.subject == subject))
    user = session.get(User, link.user_id) if link else _by_email(session, school_id, claims)
    if user is None or school_id not in {m.school_id for m in user.memberships}:
        raise SsoError(AuditAction.REFUSED_UNKNOWN)
    if not user.active:
        raise SsoError(AuditAction.REFUSED_SWITCHED_OFF)
    if link is None:
        _link(session, school_id, user, subject)
    return user


def _by_email(session: Session, school_id: int, claims: dict[str, Any]) -> User | None:
    email = _verified_email(claims)
    if email is None:
        return None
    return session.scalar(select(User).join(Membership).where(
        func.lower(User.email) == email, Membership.school_id == school_id).limit(1))


def _link(session: Session, school_id: int, user: User, subject: str) -> None:
    taken = session.scalar(select(SsoLink).where(SsoLink.school_id == school_id,
                                                 SsoLink.user_id == user.id))
    if taken is not None:
        # The address now belongs to a different provider account (a reused mailbox): the
        # member stays with the account first seen, and this one is refused.
        raise SsoError(AuditAction.REFUSED_UNKNOWN)
    session.add(SsoLink(school_id=school_id, user_id=user.id, subject=subject,
                        created_at=utcnow()))


def provider_checked_second_factor(settings: SchoolSso, claims: dict[str, Any]) -> bool:
    """Whether the token says the provider checked a second factor this school accepts."""
    amr = claims.get("amr") if isinstance(claims.get("amr"), list) else []
    said = {str(value) for value in amr} | {str(claims.get("acr", ""))}
    return bool(set(settings.mfa_values) & said)


def password_allowed(session: Session, user: User) -> bool:
    """False when one of the user's schools signs its staff in only through its provider."""
    schools = {m.school_id for m in user.memberships}
    return not schools or session.scalar(select(func.count()).select_from(SchoolSso).where(
        SchoolSso.school_id.in_(schools), SchoolSso.mode == SsoMode.REQUIRED)) == 0
