"""Password reset links: signed, expiring, and dead once used.

The token is signed with the app's secret key and salted with the user's current password hash
and session epoch. Setting a new password changes both, so a link works once; signing out
everywhere also kills any link still in an inbox. Nothing about the token is stored.
"""

from __future__ import annotations

from datetime import timedelta

from itsdangerous import BadSignature, SignatureExpired, URLSafeTimedSerializer
from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import User
from schoolsafe.models.base import utcnow
from schoolsafe.security.passwords import hash_password
from schoolsafe.services.staff.sessions import end_all
from schoolsafe.services.staff.sign_in import find_user

PURPOSE = "password-reset"


class ResetError(Exception):
    """The link can't be used; the message says what to do instead."""


def _serializer(secret_key: str, user: User | None = None) -> URLSafeTimedSerializer:
    salt = PURPOSE if user is None else f"{PURPOSE}|{user.password_hash}|{user.session_epoch}"
    return URLSafeTimedSerializer(secret_key, salt=salt)


def user_to_email(session: Session, email: str) -> User | None:
    """The active user a reset link should go to, or None (the caller says the same either way)."""
    user = find_user(session, email)
    return user if user is not None and user.active else None


def make_token(user: User, secret_key: str) -> str:
    """A reset token for the user as they are now."""
    return _serializer(secret_key, user).dumps(user.public_id)


def user_for_token(session: Session, token: str, secret_key: str, max_age: timedelta) -> User:
    """The user a still-valid token was made for; ResetError when it has expired or been used."""
    _, claimed = _serializer(secret_key).loads_unsafe(token)
    user = (session.scalar(select(User).where(User.public_id == claimed))
            if isinstance(claimed, str) else None)
    if user is None or not user.active:
        raise ResetError("This link isn't valid. Ask for a new one below.")
    try:
        _serializer(secret_key, user).loads(token, max_age=int(max_age.total_seconds()))
    except SignatureExpired as error:
        raise ResetError("This link has expired. Ask for a new one below.") from error
    except BadSignature as error:
        raise ResetError("This link has already been used or isn't valid. Ask for a new one "
                         "below.") from error
    return user


def set_new_password(session: Session, user: User, password: str, hasher: str) -> None:
    """Store the new password and end every session (WeakPasswordError if too short).

    A lockout stays in force: a reset proves the inbox, not the second factor.
    """
    user.password_hash = hash_password(password, hasher)
    end_all(session, user, utcnow())
