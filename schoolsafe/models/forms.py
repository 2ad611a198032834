"""What forms leave behind: each staff submission's one-time token, a staff form kept when its
session ended before it arrived, and the pupil follow-up pages already used."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from schoolsafe.extensions import db


class FormSubmission(db.Model):
    """A staff form's token, claimed by the request that saved it.

    Every staff form carries a random token made when the page was shown; the change and the
    claim are committed together, so a second copy of the same submission (a double tap, a
    second tab, the back button) finds the token taken and creates nothing.
    """

    __tablename__ = "form_submission"
    __table_args__ = (UniqueConstraint("user_id", "token"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"))
    token: Mapped[str] = mapped_column(String(64))
    # Where the saved submission led, so its copy is sent to the same page.
    result_path: Mapped[str | None] = mapped_column(String(500))
    created_at: Mapped[datetime] = mapped_column(index=True)


class PendingForm(db.Model):
    """A staff form posted after its session had ended, kept until its user signs in again.

    Only the random id goes to the browser (in the signed session cookie), never what was
    typed; only the user whose session it was can see or send it, and it expires soon.
    """

    __tablename__ = "pending_form"

    id: Mapped[int] = mapped_column(primary_key=True)
    # Random (256 bits): the browser's cookie names the kept form by this alone.
    key: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(ForeignKey("staff_user.id"), index=True)
    path: Mapped[str] = mapped_column(String(500))
    method: Mapped[str] = mapped_column(String(8))
    # The form's fields as [name, value] pairs in their order, the CSRF token left out.
    fields: Mapped[list] = mapped_column(JSON)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)


class SpentPupilPage(db.Model):
    """A showing of a pupil's follow-up page (the code form or the messages) that was used.

    Each showing carries a one-time token; once its form has been sent, any copy of it (Back,
    Forward, the browser's resubmit) finds the token here and is shown nothing. Only a keyed
    hash of the token and when it was used are kept - nothing about the pupil or the report -
    and only as long as a token can be used at all (services/reports/page_tokens.py).
    """

    __tablename__ = "spent_pupil_page"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    spent_at: Mapped[datetime] = mapped_column(index=True)
