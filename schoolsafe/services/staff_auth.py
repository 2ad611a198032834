"""Checking staff passwords and second factors, with throttling and lockout."""

from __future__ import annotations

import hashlib
import hmac
import secrets
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import RecoveryCode, User
from schoolsafe.models.base import utcnow
from schoolsafe.security.passwords import DUMMY_HASH, verify_password

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
RECOVERY_CODES = 10


class SignInError(Exception):
    """Sign-in refused; the message is safe to show (it never says which part was wrong)."""


def _locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _fail(user: User, now: datetime) -> None:
    user.failed_attempts += 1
    if user.failed_attempts >= MAX_FAILURES:
        user.locked_until = now + LOCKOUT
        user.failed_attempts = 0


def check_password(session: Session, email: str, password: str) -> User:
    """The user for these credentials, or SignInError (counting failures towards a lockout)."""
    now = utcnow()
    user = session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))
    if user is None:
        verify_password(DUMMY_HASH, password)  # same time whether or not the email exists
        raise SignInError("That email and password don't match an account.")
    if _locked(user, now):
        raise SignInError("Too many attempts. This account is locked for a few minutes.")
    if not user.active or not verify_password(user.password_hash, password):
        _fail(user, now)
        raise SignInError("That email and password don't match an account.")
    user.failed_attempts = 0
    return user


def check_second_factor(session: Session, user: User, code: str) -> None:
    """Accept a current TOTP code (once) or an unused recovery code; else SignInError."""
    now = utcnow()
    if _locked(user, now):
        raise SignInError("Too many attempts. This account is locked for a few minutes.")
    cleaned = "".join(code.split()).replace("-", "")
    if cleaned.isdigit() and len(cleaned) == 6 and _totp_ok(user, cleaned, now):
        user.failed_attempts = 0
        return
    if _use_recovery_code(session, user, cleaned, now):
        user.failed_attempts = 0
        return
    _fail(user, now)
    raise SignInError("That code didn't work. Check the time on your phone and try again.")


def _totp_ok(user: User, code: str, now: datetime) -> bool:
    if not user.totp_secret:
        return False
    totp = pyotp.TOTP(user.totp_secret)
    step = int(now.timestamp()) // 30
    for candidate in (step - 1, step, step + 1):  # allow one step of clock drift
        expected = totp.at(candidate * 30)
        if candidate > user.totp_last_step and hmac.compare_digest(expected, code):
            user.totp_last_step = candidate  # a code can't be used twice
            return True
    return False


def recovery_hash(code: str) -> str:
    """Recovery codes are long and random, so a plain SHA-256 is enough to store them."""
    return hashlib.sha256(code.lower().encode()).hexdigest()


def _use_recovery_code(session: Session, user: User, code: str, now: datetime) -> bool:
    row = session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == recovery_hash(code),
        RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = now
    return True


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Replace the user's recovery codes with fresh ones, returned once to show."""
    for old in session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        session.delete(old)
    codes = [secrets.token_hex(5) for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=recovery_hash(c)) for c in codes)
    return codes
