"""A pupil coming back with their code: finding the report and adding to its thread."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import Report, ReportMessage
from schoolsafe.models.report import LIMITS
from schoolsafe.services.errors import FieldError
from schoolsafe.services.reports import codes as followup_codes
from schoolsafe.services.sanitize import clean_text, contains_image_data
from schoolsafe.vocab import N_, MessageAuthor, ReportSource


class MessageError(FieldError):
    """A message we can't accept as it stands; the text is shown to the person who typed it."""

    def __init__(self, message: str, **params: object) -> None:
        super().__init__("body", message, **params)


def find_report(session: Session, typed_code: str, key: str) -> Report | None:
    """The report whose code this is, or None (same answer for every wrong code).

    The code may be in any language, whatever the page's: each language whose words it is
    made of gives a hash to look for (rarely more than one)."""
    if not followup_codes.looks_like_code(typed_code):
        return None
    digests = followup_codes.code_hashes(typed_code, key)
    if not digests:
        return None
    return session.scalars(select(Report).where(Report.followup_hash.in_(digests))
                           .order_by(Report.id)).first()


def add_pupil_message(session: Session, report: Report, body: str) -> ReportMessage:
    """Add the pupil's words to the thread."""
    text = clean_text(body)
    if not text:
        raise MessageError(N_("Please type a message first."))
    if len(text) > LIMITS["message"]:
        raise MessageError(N_("Please keep your message under %(limit)d characters."),
                           limit=LIMITS["message"])
    if contains_image_data(text):
        raise MessageError(N_("It looks like a picture or file was pasted in. Please don't "
                              "send pictures - just tell us where they are."))
    message = ReportMessage(report_id=report.id, author=MessageAuthor.PUPIL, body=text)
    session.add(message)
    return message


def add_staff_reply(session: Session, report: Report, user_id: int, body: str) -> ReportMessage:
    """A DSL's reply, which the pupil sees next time they use their code."""
    if report.source == ReportSource.STAFF_CONCERN:
        # Staff logged it: no pupil holds a code, so a reply would be read by nobody.
        raise MessageError("A member of staff logged this concern, so there is no pupil to "
                           "reply to here. Please speak to them instead.")
    text = clean_text(body)
    if not text:
        raise MessageError("Please type a reply first.")
    if len(text) > LIMITS["message"]:
        raise MessageError(f"Please keep the reply under {LIMITS['message']} characters.")
    message = ReportMessage(report_id=report.id, author=MessageAuthor.STAFF, staff_user_id=user_id,
                            body=text)
    session.add(message)
    return message
