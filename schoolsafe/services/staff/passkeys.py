"""Passkeys (WebAuthn): registering several, naming and removing them, and checking one.

Every passkey asks the person to unlock it (a PIN, fingerprint or face: user verification),
so one passkey is both something they have and something they know or are - which is why it
counts as the two-factor requirement for dsl and admin users, and can sign in on its own.
Only each credential's public key is kept; challenges are random, held on the server until
their answer comes back, and used once. A passkey that fails its check counts towards the
account's sign-in lockout, as a wrong password does.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, NoReturn

from sqlalchemy import delete, select
from sqlalchemy.orm import Session
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from schoolsafe.models import Passkey, PasskeyChallenge, User
from schoolsafe.models.base import utcnow
from schoolsafe.services.staff import sign_in as staff_auth
from schoolsafe.vocab import N_

NAME_LENGTH = 60
ONLY_SCHOOL_SERVICE = ("Your school signs its staff in through its own sign-in service only. "
                       "Use the sign-in link your school gave you.")
NOT_CHECKED = ("That passkey couldn't be checked. Try again, or use your other way of "
               "signing in.")


# How long a browser has to answer a challenge (the person unlocks their device meanwhile).
CHALLENGE_LIFETIME = timedelta(minutes=5)


class PasskeyError(Exception):
    """A passkey refused; the message is safe to show. `user` is whose account the try was
    for, when that is known (so the refusal can be audited against it)."""

    def __init__(self, message: str, user: User | None = None) -> None:
        super().__init__(message)
        self.user = user


def hold_challenge(session: Session, challenge: bytes, now: datetime) -> None:
    """Keep a challenge on the server until its answer comes back (old ones are cleared)."""
    session.execute(delete(PasskeyChallenge).where(
        PasskeyChallenge.created_at < now - CHALLENGE_LIFETIME))
    session.add(PasskeyChallenge(challenge=challenge, created_at=now))


def take_challenge(session: Session, challenge: bytes, now: datetime) -> bytes:
    """The challenge, used up: PasskeyError if it was never handed out, has been answered
    already (an old cookie replayed) or has expired."""
    taken = session.execute(delete(PasskeyChallenge).where(
        PasskeyChallenge.challenge == challenge,
        PasskeyChallenge.created_at >= now - CHALLENGE_LIFETIME)).rowcount
    if taken != 1:
        raise PasskeyError(NOT_CHECKED)
    return challenge


@dataclass(frozen=True)
class Site:
    """Who the passkeys are for: the site's host name (the relying party) and origin."""

    rp_id: str
    origin: str


def registration_options(site: Site, user: User) -> tuple[str, bytes]:
    """Options for the browser to make a new passkey (JSON), and their challenge to keep."""
    options = generate_registration_options(
        rp_id=site.rp_id, rp_name="schoolsafe", user_id=user.public_id.encode(),
        user_name=user.email, user_display_name=user.name,
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED,
            user_verification=UserVerificationRequirement.REQUIRED),
        exclude_credentials=[PublicKeyCredentialDescriptor(id=p.credential_id)
                             for p in user.passkeys])
    return options_to_json(options), options.challenge


def register(session: Session, site: Site, user: User, challenge: bytes, name: str,
             credential: dict[str, Any]) -> Passkey:
    """Check a new passkey the browser made and keep its public key under the name given."""
    name = " ".join(name.split())
    if not name:
        raise PasskeyError(N_("Give the passkey a name, so you can tell it from others later."))
    if len(name) > NAME_LENGTH:
        raise PasskeyError(f"Use a name of up to {NAME_LENGTH} characters.")
    try:
        verified = verify_registration_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=site.rp_id,
            expected_origin=site.origin, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        raise PasskeyError(N_("That passkey couldn't be added. Please try again.")) from error
    if session.scalar(select(Passkey).where(
            Passkey.credential_id == verified.credential_id)) is not None:
        raise PasskeyError(N_("That passkey has been added already."))
    passkey = Passkey(user=user, credential_id=verified.credential_id, name=name,
                      public_key=verified.credential_public_key,
                      sign_count=verified.sign_count, created_at=utcnow())
    session.add(passkey)
    return passkey


def sign_in_options(site: Site, user: User | None) -> tuple[str, bytes]:
    """Options for the browser to use a passkey: the user's own ones, or (signing in with a
    passkey alone) whichever the device holds for this site; and the challenge to keep."""
    allowed = ([PublicKeyCredentialDescriptor(id=p.credential_id) for p in user.passkeys]
               if user is not None else [])
    options = generate_authentication_options(
        rp_id=site.rp_id, allow_credentials=allowed,
        user_verification=UserVerificationRequirement.REQUIRED)
    return options_to_json(options), options.challenge


def check(session: Session, site: Site, challenge: bytes, credential: dict[str, Any],
          user: User | None) -> Passkey:
    """The passkey that answered the challenge (it must be `user`'s when one is given)."""
    try:
        credential_id = base64url_to_bytes(credential["rawId"])
    except (KeyError, TypeError, ValueError) as error:
        raise PasskeyError(NOT_CHECKED) from error
    passkey = session.scalar(select(Passkey).where(Passkey.credential_id == credential_id))
    if passkey is None or (user is not None and passkey.user_id != user.id):
        _refuse(user)
    owner = passkey.user
    if staff_auth.is_locked(owner):
        raise PasskeyError(staff_auth.LOCKED, owner)
    try:
        verified = verify_authentication_response(
            credential=credential, expected_challenge=challenge, expected_rp_id=site.rp_id,
            expected_origin=site.origin, credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count, require_user_verification=True)
    except (WebAuthnException, ValueError, KeyError, TypeError) as error:
        _refuse(owner, error)
    passkey.sign_count = verified.new_sign_count
    passkey.last_used_at = utcnow()
    return passkey


def _refuse(user: User | None, cause: Exception | None = None) -> NoReturn:
    """Refuse the passkey, counting the try against the account when we know whose it is."""
    if user is None:
        raise PasskeyError(NOT_CHECKED) from cause
    try:
        staff_auth.count_failure(user)
    except staff_auth.SignInError as locked:
        raise PasskeyError(str(locked), user) from cause
    raise PasskeyError(NOT_CHECKED, user) from cause


def parse(body: str) -> dict[str, Any]:
    """A credential the browser sent, as JSON; PasskeyError if it isn't one."""
    try:
        value = json.loads(body)
    except ValueError as error:
        raise PasskeyError(NOT_CHECKED) from error
    if not isinstance(value, dict):
        raise PasskeyError(NOT_CHECKED)
    return value


def remove(session: Session, user: User, public_id: str) -> Passkey | None:
    """Remove one of the user's passkeys; None when they have no such passkey."""
    passkey = session.scalar(select(Passkey).where(Passkey.public_id == public_id,
                                                   Passkey.user_id == user.id))
    if passkey is not None:
        user.passkeys.remove(passkey)
        session.delete(passkey)
    return passkey
