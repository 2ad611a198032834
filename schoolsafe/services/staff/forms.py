"""Staff forms saved once each, and forms kept across a session that ended before they
arrived.

Each staff form carries a random token made when the page was shown. The request that saves
it claims the token (a row under a unique index) in the same transaction as its change, so a
second copy of the submission finds it taken and changes nothing.

A form posted after its session ended is kept here, for the user whose session it was, until
they sign in again (or it expires); the browser holds only the random key.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from schoolsafe.models import FormSubmission, PendingForm

# A copy sent later than this (a page left open for weeks, then sent twice) is saved again.
CLAIMS_KEPT = timedelta(days=30)
# Long enough to sign in again with a second factor; not so long that typed text lingers.
KEPT_FOR = timedelta(minutes=30)
TOKEN_LENGTH = 64


def new_token() -> str:
    """A fresh token for one showing of a form (random, 128 bits)."""
    return secrets.token_urlsafe(16)


def usable_token(token: str) -> bool:
    """Whether a posted token has the shape new_token() gives (anything else is ignored)."""
    return 0 < len(token) <= TOKEN_LENGTH and token.replace("-", "").replace("_", "").isalnum()


def claim(session: Session, user_id: int, token: str, now: datetime) -> bool:
    """Claim the token for this submission; False when it was claimed before.

    Call it before the change, with nothing else pending in the session: on False the
    session has been rolled back. The claim is committed with the change.
    """
    session.execute(delete(FormSubmission).where(FormSubmission.user_id == user_id,
                                                 FormSubmission.created_at < now - CLAIMS_KEPT))
    session.add(FormSubmission(user_id=user_id, token=token, created_at=now))
    try:
        session.flush()
    except IntegrityError:
        session.rollback()
        return False
    return True


def record_result(session: Session, user_id: int, token: str, path: str) -> None:
    """Note where the saved submission led (the caller commits)."""
    session.execute(update(FormSubmission).where(
        FormSubmission.user_id == user_id, FormSubmission.token == token)
        .values(result_path=path[:500]))


def result_path(session: Session, user_id: int, token: str) -> str | None:
    """Where the first copy of this submission led, once it has finished."""
    return session.scalar(select(FormSubmission.result_path).where(
        FormSubmission.user_id == user_id, FormSubmission.token == token))


@dataclass(frozen=True)
class KeptForm:
    """A form to offer again: where it was going and what it held."""

    path: str
    method: str
    fields: list[tuple[str, str]]


def keep(session: Session, user_id: int, path: str, method: str,
         fields: list[tuple[str, str]], now: datetime) -> str:
    """Keep a form for its user until they sign in again; return its key (the caller commits).

    Expired forms of anyone are removed first, so the table holds only recent ones.
    """
    session.execute(delete(PendingForm).where(PendingForm.expires_at < now))
    key = secrets.token_urlsafe(32)
    session.add(PendingForm(key=key, user_id=user_id, path=path[:500], method=method,
                            fields=[list(pair) for pair in fields], created_at=now,
                            expires_at=now + KEPT_FOR))
    session.flush()
    return key


def take(session: Session, key: str, user_id: int, now: datetime) -> KeptForm | None:
    """The kept form for this key, if it is this user's and unexpired; it is removed whatever
    the answer, so a form is offered once and never to anyone else (the caller commits)."""
    row = session.scalar(select(PendingForm).where(PendingForm.key == key))
    if row is None:
        return None
    session.delete(row)
    if row.user_id != user_id or row.expires_at < now:
        return None
    return KeptForm(row.path, row.method, [(name, value) for name, value in row.fields])
