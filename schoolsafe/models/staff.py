"""Staff users and their roles in each school."""

from __future__ import annotations

from datetime import datetime

from flask_login import UserMixin
from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from schoolsafe.extensions import db
from schoolsafe.models.base import public_id_column, utcnow
from schoolsafe.vocab import Role


class User(UserMixin, db.Model):
    """A member of staff who signs in."""

    __tablename__ = "staff_user"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    email: Mapped[str] = mapped_column(String(254), unique=True)
    name: Mapped[str] = mapped_column(String(120))
    phone: Mapped[str] = mapped_column(String(40), default="")
    # The language they chose for their pages (a Language); None follows their school's.
    language: Mapped[str | None] = mapped_column(String(8))
    password_hash: Mapped[str] = mapped_column(String(255))
    # Only ever a confirmed key: one being set up waits on its own session (staff_session).
    totp_secret: Mapped[str | None] = mapped_column(String(64))
    totp_confirmed_at: Mapped[datetime | None]
    # Last accepted TOTP time step, so a code can't be replayed.
    totp_last_step: Mapped[int] = mapped_column(Integer, default=0)
    failed_attempts: Mapped[int] = mapped_column(Integer, default=0)
    locked_until: Mapped[datetime | None]
    # Bumped whenever all sessions end (sign out everywhere, password or two-factor reset);
    # each staff_session row keeps the epoch it began in, and reset links are signed with it.
    session_epoch: Mapped[int] = mapped_column(Integer, default=0)
    active: Mapped[bool] = mapped_column(default=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]
    # How that last sign-in was made (a SignInMethod), for the admin's staff list.
    last_sign_in_method: Mapped[str | None] = mapped_column(String(20))

    memberships: Mapped[list[Membership]] = relationship(
        back_populates="user", cascade="all, delete-orphan"
    )
    passkeys: Mapped[list[Passkey]] = relationship(  # noqa: F821 - models/sign_in.py
        back_populates="user", cascade="all, delete-orphan", order_by="Passkey.created_at"
    )

    @property
    def is_active(self) -> bool:  # noqa: D401 - Flask-Login's name
        return self.active

    def roles_in(self, school_id: int) -> set[str]:
        """The roles this user holds in one school."""
        return {m.role for m in self.memberships if m.school_id == school_id}

    def school_ids_with(self, *roles: str) -> list[int]:
        """Schools where this user holds any of the given roles."""
        return sorted({m.school_id for m in self.memberships if m.role in roles})

    @property
    def needs_two_factor(self) -> bool:
        """Whether any of this user's roles require TOTP."""
        return any(Role(m.role).needs_two_factor for m in self.memberships)


class Membership(db.Model):
    """One role held by a user in a school."""

    __tablename__ = "membership"
    __table_args__ = (UniqueConstraint("user_id", "school_id", "role"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    role: Mapped[str] = mapped_column(String(16))
    # Staff (not only DSLs) may be allowed to draft and send referrals.
    can_refer: Mapped[bool] = mapped_column(default=False)

    user: Mapped[User] = relationship(back_populates="memberships")


class TrustLead(db.Model):
    """A user who sees a trust's shared register and counts."""

    __tablename__ = "trust_lead"
    __table_args__ = (UniqueConstraint("user_id", "trust_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    trust_id: Mapped[int] = mapped_column(ForeignKey("trust.id"), index=True)


class RecoveryCode(db.Model):
    """A single-use two-factor recovery code, stored hashed."""

    __tablename__ = "recovery_code"

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    code_hash: Mapped[str] = mapped_column(String(255))
    used_at: Mapped[datetime | None]
