"""Ways to sign in besides a password: a school's own identity provider, and passkeys."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Integer, LargeBinary, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from schoolsafe.extensions import db
from schoolsafe.models.base import public_id_column, utcnow
from schoolsafe.models.staff import User
from schoolsafe.vocab import SsoMode, SsoPreset


class SchoolSso(db.Model):
    """A school's OpenID Connect settings, set by its administrator."""

    __tablename__ = "school_sso"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), unique=True)
    mode: Mapped[str] = mapped_column(String(16), default=SsoMode.OFF)
    preset: Mapped[str] = mapped_column(String(16), default=SsoPreset.OTHER)
    issuer: Mapped[str] = mapped_column(String(300))
    client_id: Mapped[str] = mapped_column(String(300))
    # Needed to exchange codes with the provider; written once from the form, never shown,
    # and kept encrypted (services/staff/sso_secret.py): a copy of the database doesn't give it.
    client_secret: Mapped[str] = mapped_column(String(1000))
    # The discovery document and signing keys, read when the settings were saved.
    provider: Mapped[dict] = mapped_column(JSON, default=dict)
    # amr or acr values that mean the provider itself checked a second factor; empty means
    # never trust it, so dsl and admin users are always asked for ours.
    mfa_values: Mapped[list[str]] = mapped_column(JSON, default=list)
    # After how many hours a session made through the provider is confirmed with it again.
    reconfirm_hours: Mapped[int] = mapped_column(Integer, default=8)
    # When the signing keys were last re-read because a token named a key we didn't have:
    # at most once a minute, so a stream of bad tokens can't make us hammer the provider.
    keys_read_at: Mapped[datetime | None]
    changed_by_id: Mapped[int | None] = mapped_column(ForeignKey("staff_user.id"))
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)


class SsoLink(db.Model):
    """A member of staff's subject id at their school's provider, noted at first sign-in so
    later sign-ins match it even if the email changes."""

    __tablename__ = "sso_link"
    __table_args__ = (UniqueConstraint("school_id", "subject"),
                      UniqueConstraint("school_id", "user_id"))

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    subject: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class Passkey(db.Model):
    """A WebAuthn credential a member of staff registered: only its public key is kept."""

    __tablename__ = "passkey"

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    credential_id: Mapped[bytes] = mapped_column(LargeBinary(1024), unique=True)
    public_key: Mapped[bytes] = mapped_column(LargeBinary(2048))
    sign_count: Mapped[int] = mapped_column(Integer, default=0)
    name: Mapped[str] = mapped_column(String(60))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_used_at: Mapped[datetime | None]

    user: Mapped[User] = relationship(back_populates="passkeys")


class PasskeyChallenge(db.Model):
    """A challenge handed to a browser for a passkey, held here until its answer comes back:
    the answer is accepted once, so an old cookie replayed with the same answer gets nothing."""

    __tablename__ = "passkey_challenge"

    id: Mapped[int] = mapped_column(primary_key=True)
    challenge: Mapped[bytes] = mapped_column(LargeBinary(64), unique=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
