"""The pupil directory: a school's children as its management information system knows them."""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from schoolsafe.extensions import db
from schoolsafe.models.base import public_id_column, utcnow


class Pupil(db.Model):
    """One child on (or once on) a school's roll; never deleted, only marked as left."""

    __tablename__ = "pupil"
    __table_args__ = (
        UniqueConstraint("school_id", "upn"),
        Index("ix_pupil_school_family", "school_id", "family_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    public_id: Mapped[str] = public_id_column()
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), index=True)
    # The unique pupil number, or the school's own id when it has none.
    upn: Mapped[str] = mapped_column(String(40))
    legal_first: Mapped[str] = mapped_column(String(80))
    legal_last: Mapped[str] = mapped_column(String(80))
    preferred_first: Mapped[str] = mapped_column(String(80), default="")
    # Nicknames and former names, as the school recorded them.
    other_names: Mapped[list[str]] = mapped_column(JSON, default=list)
    date_of_birth: Mapped[date | None]
    year_group: Mapped[str] = mapped_column(String(40), default="")
    reg_group: Mapped[str] = mapped_column(String(40), default="")
    family_id: Mapped[str] = mapped_column(String(40), default="")
    on_roll: Mapped[bool] = mapped_column(default=True)
    left_on: Mapped[date | None]
    added_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow)

    @property
    def full_name(self) -> str:
        """Legal first and last name."""
        return f"{self.legal_first} {self.legal_last}".strip()


class PupilName(db.Model):
    """One normalised word of a pupil's names (or their UPN), so search is an index lookup
    on both databases."""

    __tablename__ = "pupil_name"
    __table_args__ = (Index("ix_pupil_name_school_token", "school_id", "token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"))
    pupil_id: Mapped[int] = mapped_column(ForeignKey("pupil.id"), index=True)
    token: Mapped[str] = mapped_column(String(80))


class PupilImportMapping(db.Model):
    """Which column of the school's export holds which field, remembered for next time, and
    the file being previewed until it is imported (so the page need not carry it back)."""

    __tablename__ = "pupil_import_mapping"

    id: Mapped[int] = mapped_column(primary_key=True)
    school_id: Mapped[int] = mapped_column(ForeignKey("school.id"), unique=True)
    columns: Mapped[dict[str, str]] = mapped_column(JSON, default=dict)
    pending_text: Mapped[str] = mapped_column(Text, default="")
    changed_at: Mapped[datetime] = mapped_column(default=utcnow)
