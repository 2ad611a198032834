"""One signed-in staff session, held on the server so that signing out really ends it."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from schoolsafe.extensions import db
from schoolsafe.models.staff import User


class StaffSession(db.Model):
    """A browser's signed-in session: the cookie carries a random id, only its hash is kept.

    No network address or browser is recorded: a session is its id, its user and its times.
    """

    __tablename__ = "staff_session"

    id: Mapped[int] = mapped_column(primary_key=True)
    # SHA-256 of the random id in the cookie, so a copy of this table signs nobody in.
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    # The user's session_epoch when this session began; a later bump ends it too.
    epoch: Mapped[int] = mapped_column(Integer)
    # A two-factor key offered during this session's enrolment, until a code confirms it;
    # never shown to another session and dropped when this one ends.
    enrolment_secret: Mapped[str | None] = mapped_column(String(64))
    created_at: Mapped[datetime]
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    # How this session was signed in (a SignInMethod), once every step has passed.
    sign_in_method: Mapped[str | None] = mapped_column(String(20))
    # Signed in through a school's provider: which school, and when the provider last
    # confirmed the member's own session there (re-asked silently after the school's period).
    sso_school_id: Mapped[int | None] = mapped_column(ForeignKey("school.id"))
    sso_confirmed_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(lazy="joined", innerjoin=True)
