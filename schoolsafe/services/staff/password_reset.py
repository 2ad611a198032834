"""Password reset codes: typed, not clicked, so no secret is ever part of a URL.

The email links to the plain reset page and carries a short code. Someone types their email
and the code; the code is an HMAC, under the app's secret key, of the user's current password
hash and session epoch and the minute it was made. Setting a new password changes both, so a
code works once; signing out everywhere also kills any code still in an inbox. Nothing about
the code is stored: checking it recomputes the codes of the last `max_age` minutes.
"""

from __future__ import annotations

import hashlib
import hmac
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from schoolsafe.models import User
from schoolsafe.models.base import utcnow
from schoolsafe.security.passwords import hash_password
from schoolsafe.services.staff.sessions import end_all
from schoolsafe.services.staff.sign_in import find_user
from schoolsafe.vocab import N_

PURPOSE = "password-reset"
# Crockford's base32: no I, L, O or U, so nothing is misread; 10 characters are 50 bits, far
# beyond online guessing at the sign-in pages' rate limits.
ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"
LENGTH = 10
# What people type for the letters left out of the alphabet.
MISREAD = str.maketrans({"O": "0", "I": "1", "L": "1"})
EPOCH = datetime(1970, 1, 1)  # naive UTC, as utcnow() returns


class ResetError(Exception):
    """The code can't be used; the message says what to do instead."""


WRONG = ("That code doesn't match that email, or it has already been used. Check both, or ask "
         "for a new code below.")


def user_to_email(session: Session, email: str) -> User | None:
    """The active user a reset code should go to, or None (the caller says the same either way)."""
    user = find_user(session, email)
    return user if user is not None and user.active else None


def _minute(now: datetime) -> int:
    return int((now - EPOCH).total_seconds() // 60)


def _code(user: User, secret_key: str, minute: int) -> str:
    message = f"{PURPOSE}|{user.public_id}|{user.password_hash}|{user.session_epoch}|{minute}"
    digest = hmac.new(secret_key.encode(), message.encode(), hashlib.sha256).digest()
    number = int.from_bytes(digest[:8]) >> (64 - 5 * LENGTH)
    return "".join(ALPHABET[(number >> (5 * n)) & 31] for n in reversed(range(LENGTH)))


def make_code(user: User, secret_key: str, now: datetime) -> str:
    """A reset code for the user as they are now, in two easy-to-read halves."""
    code = _code(user, secret_key, _minute(now))
    return f"{code[:5]}-{code[5:]}"


def normalise(code: str) -> str:
    """The code as made, whatever spaces, dashes, case or look-alike letters were typed."""
    kept = "".join(ch for ch in code.upper() if ch.isalnum())
    return kept.translate(MISREAD)


def user_for_code(session: Session, email: str, code: str, secret_key: str,
                  max_age: timedelta, now: datetime) -> User:
    """The user a still-valid code was made for; ResetError when wrong, used or expired.

    A wrong email and a wrong code get the same answer, so the page says nothing about which
    emails have accounts.
    """
    user = user_to_email(session, email)
    typed = normalise(code)
    if user is None or len(typed) != LENGTH:
        raise ResetError(WRONG)
    minutes = int(max_age.total_seconds() // 60)
    current = _minute(now)
    # Twice as far back as a code lives, only to tell "expired" from "wrong".
    for age in range(2 * minutes + 1):
        if hmac.compare_digest(_code(user, secret_key, current - age), typed):
            if age > minutes:
                raise ResetError(N_("This code has expired. Ask for a new one below."))
            return user
    raise ResetError(WRONG)



def set_new_password(session: Session, user: User, password: str, hasher: str) -> None:
    """Store the new password and end every session (WeakPasswordError if too short).

    A lockout stays in force: a reset proves the inbox, not the second factor.
    """
    user.password_hash = hash_password(password, hasher)
    end_all(session, user, utcnow())
