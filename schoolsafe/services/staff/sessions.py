"""Server-side staff sessions: opened at sign-in, ended by signing out, by the timeouts, or
everywhere at once.

The browser's cookie holds only a random id; this table holds its SHA-256, the user, and the
times. A session is usable while it has not ended, has not been idle or open too long, its
user is active and the user's session_epoch has not moved on. Nothing about the network or
the browser is stored.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import datetime, timedelta

from sqlalchemy import delete, or_, select, update
from sqlalchemy.orm import Session

from schoolsafe.models import StaffSession, User

# last_seen_at is written at most this often, so reading pages doesn't write on every request;
# the idle limit is counted in minutes, so a minute's rounding is harmless.
TOUCH_EVERY = timedelta(minutes=1)


def token_hash(token: str) -> str:
    """What is stored for a session id (the id itself is random, 256 bits)."""
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User, now: datetime,
                 absolute: timedelta) -> tuple[str, StaffSession]:
    """Start a session for the user; return the id for the cookie, and the row.

    The user's sessions that can never be used again are removed, so the table holds
    only recent ones.
    """
    session.execute(delete(StaffSession).where(
        StaffSession.user_id == user.id,
        or_(StaffSession.ended_at.is_not(None), StaffSession.created_at < now - absolute)))
    token = secrets.token_urlsafe(32)
    row = StaffSession(token_hash=token_hash(token), user=user, epoch=user.session_epoch,
                       created_at=now, last_seen_at=now)
    session.add(row)
    session.flush()
    return token, row


def find(session: Session, token: str) -> StaffSession | None:
    """The session with this id, whatever its state (its user is loaded with it)."""
    return session.scalar(select(StaffSession).where(
        StaffSession.token_hash == token_hash(token)))


def timed_out(row: StaffSession, now: datetime, idle: timedelta, absolute: timedelta) -> bool:
    """Whether the session has been idle too long or open too long."""
    return now - row.last_seen_at > idle or now - row.created_at > absolute


def usable(row: StaffSession, now: datetime, idle: timedelta, absolute: timedelta) -> bool:
    """Whether the session still signs its user in."""
    return (row.ended_at is None and row.user.active and row.epoch == row.user.session_epoch
            and not timed_out(row, now, idle, absolute))


def touch(row: StaffSession, now: datetime) -> bool:
    """Note activity for the idle timeout; True when that changed the row."""
    if now - row.last_seen_at < TOUCH_EVERY:
        return False
    row.last_seen_at = now
    return True


def end(row: StaffSession, now: datetime) -> None:
    """End one session for good; a key it was offering for enrolment goes with it."""
    if row.ended_at is None:
        row.ended_at = now
    row.enrolment_secret = None


def end_all(session: Session, user: User, now: datetime) -> None:
    """End every session of the user, on every device.

    The epoch moves on too: password-reset links are signed with it, so a link still in an
    inbox dies with the sessions.
    """
    user.session_epoch += 1
    session.execute(update(StaffSession).where(
        StaffSession.user_id == user.id, StaffSession.ended_at.is_(None))
        .values(ended_at=now, enrolment_secret=None).execution_options(
            synchronize_session="fetch"))
