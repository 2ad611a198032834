"""Checking staff passwords and second factors, with throttling and lockout.

Failures of the password and of the second factor count together towards one lockout, and the
count is only cleared when a whole sign-in succeeds (complete_sign_in), so knowing the password
does not buy unlimited guesses at the code.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import pyotp
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from schoolsafe.models import RecoveryCode, StaffSession, User
from schoolsafe.models.base import utcnow
from schoolsafe.security.passwords import DUMMY_HASH, verify_password
from schoolsafe.vocab import N_, SignInMethod

MAX_FAILURES = 5
LOCKOUT = timedelta(minutes=15)
RECOVERY_CODES = 10
# No 0/O or 1/I/L, so a code copied onto paper can be typed back without guessing.
RECOVERY_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
RECOVERY_LENGTH = 12  # about 59 bits each

NO_MATCH = "That email and password don't match an account. Check them and try again."
LOCKED = ("There have been too many tries, so signing in to this account is paused for 15 "
          "minutes. Please wait, then try again.")
BAD_CODE = ("That code didn't work. Type the six-digit code your app shows now, or one of your "
            "recovery codes. If codes keep failing, check the time on your phone is right.")


class SignInError(Exception):
    """Sign-in refused; the message is safe to show (it never says which part was wrong)."""


@dataclass(frozen=True)
class SecondFactor:
    """How the second step was passed, so a used recovery code can be pointed out."""

    used_recovery_code: bool
    recovery_codes_left: int


def _locked(user: User, now: datetime) -> bool:
    return user.locked_until is not None and user.locked_until > now


def _fail(user: User, now: datetime) -> None:
    user.failed_attempts += 1
    if user.failed_attempts >= MAX_FAILURES:
        user.locked_until = now + LOCKOUT
        user.failed_attempts = 0
        raise SignInError(LOCKED)


def is_locked(user: User) -> bool:
    """Whether signing in to this account is paused after too many failed tries."""
    return _locked(user, utcnow())


def count_failure(user: User) -> None:
    """Count a failed try of any kind (password, code, passkey) towards the lockout; raises
    SignInError(LOCKED) when this one pauses the account."""
    _fail(user, utcnow())


def find_user(session: Session, email: str) -> User | None:
    """The user with this email, ignoring case and surrounding spaces."""
    return session.scalar(select(User).where(func.lower(User.email) == email.strip().lower()))


def check_password(session: Session, email: str, password: str,
                   unknown_email_ok: Callable[[str], bool] = lambda email: True) -> User:
    """The user for these credentials, or SignInError (counting failures towards a lockout).

    `unknown_email_ok` counts a try at an email with no account; when it says no, the answer
    is the lockout message, so that message does not tell which emails have accounts.
    """
    now = utcnow()
    user = find_user(session, email)
    if user is None:
        verify_password(DUMMY_HASH, password)  # same time whether or not the email exists
        raise SignInError(NO_MATCH if unknown_email_ok(email.strip().lower()) else LOCKED)
    if _locked(user, now):
        raise SignInError(LOCKED)
    if not user.active or not verify_password(user.password_hash, password):
        _fail(user, now)
        raise SignInError(NO_MATCH)
    return user


def complete_sign_in(user: User, method: SignInMethod) -> None:
    """Both steps passed: clear the failure count, note the time and how it was done."""
    user.failed_attempts = 0
    user.last_login_at = utcnow()
    user.last_sign_in_method = method


def check_second_factor(session: Session, user: User, code: str) -> SecondFactor:
    """Accept a current TOTP code (once) or an unused recovery code; else SignInError."""
    now = utcnow()
    if _locked(user, now):
        raise SignInError(LOCKED)
    cleaned = "".join(code.split()).replace("-", "").lower()
    if cleaned.isdigit() and len(cleaned) == 6:
        step = matching_step(user.totp_secret, cleaned, now, after=user.totp_last_step)
        if step is not None:
            user.totp_last_step = step  # a code can't be used twice
            return SecondFactor(False, recovery_codes_left(session, user))
    elif _use_recovery_code(session, user, cleaned, now):
        return SecondFactor(True, recovery_codes_left(session, user))
    _fail(user, now)
    raise SignInError(BAD_CODE)


def matching_step(secret: str | None, code: str, now: datetime, after: int = 0) -> int | None:
    """The 30-second step (one either side allowed for clock drift) whose code this is."""
    if not secret:
        return None
    totp = pyotp.TOTP(secret)
    step = int(now.timestamp()) // 30
    for candidate in (step - 1, step, step + 1):
        if candidate > after and hmac.compare_digest(totp.at(candidate * 30), code):
            return candidate
    return None


def enrolment_secret(row: StaffSession) -> str:
    """The key offered to this session's user to set up, made for this session alone.

    It waits on the session row (never in the cookie, never on the account) until a code
    proves the user's app holds it, so a key read by someone else in another session, or in
    an earlier one, is never the key that gets turned on. The same key is shown again on
    every visit within the session, so a reload doesn't undo a scan.
    """
    if row.user.totp_confirmed_at is not None:
        raise ValueError("two-factor sign-in is already on")
    if not row.enrolment_secret:
        row.enrolment_secret = pyotp.random_base32()
    return row.enrolment_secret


def confirm_enrolment(session: Session, row: StaffSession, code: str) -> list[str]:
    """Turn on TOTP with this session's key once the app proves it holds it; recovery codes.

    Keys offered to the user's other sessions are dropped: only the confirmed one is kept.
    """
    now = utcnow()
    step = matching_step(row.enrolment_secret, "".join(code.split()), now)
    if step is None:
        raise SignInError(N_("That code didn't match. Check the time on your phone is right, "
                          "then type the code the app shows now."))
    user = row.user
    user.totp_secret = row.enrolment_secret
    user.totp_confirmed_at = now
    user.totp_last_step = step
    session.execute(update(StaffSession).where(StaffSession.user_id == user.id)
                    .values(enrolment_secret=None)
                    .execution_options(synchronize_session="fetch"))
    return new_recovery_codes(session, user)


def recovery_hash(code: str) -> str:
    """Recovery codes are random (about 59 bits), so a plain SHA-256 is enough to store them."""
    cleaned = "".join(code.split()).replace("-", "").lower()
    return hashlib.sha256(cleaned.encode()).hexdigest()


def _use_recovery_code(session: Session, user: User, code: str, now: datetime) -> bool:
    row = session.scalar(select(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.code_hash == recovery_hash(code),
        RecoveryCode.used_at.is_(None)))
    if row is None:
        return False
    row.used_at = now
    return True


def recovery_codes_left(session: Session, user: User) -> int:
    """How many unused recovery codes the user has."""
    return session.scalar(select(func.count()).select_from(RecoveryCode).where(
        RecoveryCode.user_id == user.id, RecoveryCode.used_at.is_(None))) or 0


def _new_code() -> str:
    raw = "".join(secrets.choice(RECOVERY_ALPHABET) for _ in range(RECOVERY_LENGTH))
    return "-".join(raw[i:i + 4] for i in range(0, RECOVERY_LENGTH, 4))


def new_recovery_codes(session: Session, user: User) -> list[str]:
    """Replace the user's recovery codes with fresh ones, returned once to show."""
    for old in session.scalars(select(RecoveryCode).where(RecoveryCode.user_id == user.id)):
        session.delete(old)
    codes = [_new_code() for _ in range(RECOVERY_CODES)]
    session.add_all(RecoveryCode(user_id=user.id, code_hash=recovery_hash(c)) for c in codes)
    return codes
