"""Column helpers shared by every model."""

import secrets
from datetime import UTC, datetime

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column


def utcnow() -> datetime:
    """The current time in UTC, naive, as every timestamp is stored (SQLite keeps no zone)."""
    return datetime.now(UTC).replace(tzinfo=None)


def new_public_id() -> str:
    """An unguessable identifier for URLs, so ids never reveal counts or invite guessing."""
    # Never starting with "-": a spreadsheet would read an exported id as a formula.
    while (public_id := secrets.token_urlsafe(12)).startswith("-"):
        pass
    return public_id


def public_id_column() -> Mapped[str]:
    """A unique public id, generated per row."""
    return mapped_column(String(32), unique=True, default=new_public_id)
