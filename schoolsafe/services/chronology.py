"""A case's chronology: every report, message, note and action on it, in time order.

Entries are written as TimelineEvent rows by whoever changes the case (this module, the
checklist, referrals, the register); any kind is shown with who and when. Reports and the
messages of linked reports are read from their own tables, so nothing is copied.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, Report, ReportMessage, TimelineEvent, User
from schoolsafe.services.sanitize import clean_text, contains_image_data

NOTE_LIMIT = 5000
KIND_LABELS = {
    "report": "Report",
    "message": "Message",
    "note": "Note",
    "action": "Action",
    "status": "Status",
    "person": "People",
    "assign": "Assigned",
    "review": "Review date",
    "facts": "Details",
    "decision": "Decision",
    "checklist": "Checklist",
    "referral": "Referral",
}
# Anything a browser or a reader might take for a link: a scheme, www., or a bare domain.
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|uk|io|me|app|gg|tv|ly|co|link)"
    r"\b(?:/\S*)?",
    re.IGNORECASE,
)


class NoteError(ValueError):
    """A note we can't keep as written; the message says why."""


@dataclass(frozen=True)
class Entry:
    """One line of the chronology."""

    at: datetime
    kind: str
    label: str
    text: str
    who: str
    from_pupil: bool = False
    report_public_id: str | None = None

    @property
    def has_link(self) -> bool:
        """Whether the text holds something that looks like a link."""
        return bool(_LINK.search(self.text))


def record(session: Session, case: Case, kind: str, text: str, actor_id: int | None) -> None:
    """Add one event to the case's chronology (committed with the change it describes)."""
    session.add(TimelineEvent(school_id=case.school_id, case_id=case.id, kind=kind,
                              text=text, actor_id=actor_id))


def add_note(session: Session, case: Case, user_id: int, body: str) -> None:
    """A plain-text note by a member of staff."""
    text = clean_text(body)
    if not text:
        raise NoteError("Please type the note first.")
    if len(text) > NOTE_LIMIT:
        raise NoteError(f"Please keep a note under {NOTE_LIMIT} characters, or split it in two.")
    if contains_image_data(text):
        raise NoteError("That looks like a picture or file pasted in. Record where it is "
                        "instead - never copy images into the record.")
    record(session, case, "note", text, user_id)


def segments(text: str) -> list[tuple[str, bool]]:
    """Text split into (part, is_link) so templates can show links as inert text."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in _LINK.finditer(text):
        if match.start() > last:
            parts.append((text[last:match.start()], False))
        parts.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        parts.append((text[last:], False))
    return parts


def entries(session: Session, case: Case) -> list[Entry]:
    """Everything on the case, oldest first."""
    reports = list(session.scalars(select(Report).where(Report.case_id == case.id)))
    report_ids = [r.id for r in reports]
    messages = list(session.scalars(
        select(ReportMessage).where(ReportMessage.report_id.in_(report_ids))))
    events = list(session.scalars(select(TimelineEvent).where(or_(
        TimelineEvent.case_id == case.id, TimelineEvent.report_id.in_(report_ids)))))
    names = _names(session, {e.actor_id for e in events} | {m.staff_user_id for m in messages}
                   | {r.logged_by_id for r in reports})
    by_id = {r.id: r for r in reports}
    found = ([_from_report(r, names) for r in reports]
             + [_from_message(m, by_id[m.report_id], names) for m in messages]
             + [_from_event(e, names) for e in events])
    return sorted(found, key=lambda entry: entry.at)


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


def _from_report(report: Report, names: dict[int, str]) -> Entry:
    if report.source == "staff":
        who = names.get(report.logged_by_id or 0, "A member of staff")
        label = "Concern logged by staff"
    else:
        who, label = "Pupil", "Report received"
    return Entry(report.received_at, "report", label, report.narrative or "(nothing written)",
                 who, from_pupil=True, report_public_id=report.public_id)


def _from_message(message: ReportMessage, report: Report, names: dict[int, str]) -> Entry:
    if message.author == "staff":
        return Entry(message.created_at, "message", "Reply to the pupil", message.body,
                     names.get(message.staff_user_id or 0, "Staff"),
                     report_public_id=report.public_id)
    return Entry(message.created_at, "message", "Message from the pupil", message.body, "Pupil",
                 from_pupil=True, report_public_id=report.public_id)


def _from_event(event: TimelineEvent, names: dict[int, str]) -> Entry:
    label = KIND_LABELS.get(event.kind, event.kind.replace("_", " ").capitalize())
    who = names.get(event.actor_id, "Staff") if event.actor_id else "schoolsafe"
    return Entry(event.at, event.kind, label, event.text, who)
