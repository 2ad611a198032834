"""Reports and cases about a member of staff, for each request: who is looking, and what a
refused look leaves behind.

The rule itself is services/allegations/visibility.py; here each staff request puts its
signed-in user on the session as the viewer, and a record found but hidden answers 404 with
an audit row, exactly as a record that does not exist would answer (without the row).
"""

from __future__ import annotations

from flask import Flask, abort
from flask_login import current_user
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Case, CaseTask, Referral, Report
from schoolsafe.services.allegations import visibility
from schoolsafe.services.audit import trail as audit
from schoolsafe.vocab import AuditAction, AuditRecordType

KINDS: dict[type, AuditRecordType] = {Report: AuditRecordType.REPORT,
                                      Case: AuditRecordType.CASE,
                                      Referral: AuditRecordType.REFERRAL}


def watch_signed_in_user() -> None:
    """Make this request's queries find only what the signed-in member of staff may see."""
    visibility.forget(db.session)
    if current_user.is_authenticated:
        held = [(m.school_id, m.role) for m in current_user.memberships]
        visibility.watch(db.session,
                         visibility.viewer_of(current_user.id, current_user.name, held))


def stop_watching(_error: BaseException | None = None) -> None:
    """Take the viewer off the session when the request ends (a test may share its context)."""
    visibility.forget(db.session)


def refuse_hidden(model: type, public_id: str, school_ids: list[int]) -> None:
    """If the record exists in these schools but is hidden from this user, audit the try."""
    if model not in KINDS:
        return
    hidden = visibility.hidden_from(db.session, model, public_id, school_ids)
    if hidden is None:
        return
    kind = KINDS[model]
    about_staff = _about_staff(hidden)
    # Committed on its own: the request ends in a 404 and whatever else it did is dropped.
    db.session.rollback()
    audit.record(db.session, user_id=current_user.id, school_id=hidden.school_id,
                 action=AuditAction.RESTRICTED_REFUSED if about_staff
                 else AuditAction.CONTACT_REFUSED, record_type=kind,
                 record_id=hidden.public_id)
    db.session.commit()
    abort(404)


def _about_staff(record: Report | Case | Referral) -> bool:
    # A referral is about staff when its case is; an everyday record hidden from someone is
    # one a contact who is not a DSL reached for.
    if isinstance(record, Referral):
        record = db.session.scalar(visibility.everything(
            select(Case).where(Case.id == record.case_id)))
    return bool(record is not None and record.restricted_to)


def refuse_hidden_task(public_id: str, school_ids: list[int]) -> None:
    """If the task exists in these schools on a case hidden from this user, audit the try on
    the case, as opening the case would be."""
    task = db.session.scalar(visibility.everything(select(CaseTask).where(
        CaseTask.public_id == public_id, CaseTask.school_id.in_(school_ids))))
    if task is None:
        return
    case = db.session.scalar(visibility.everything(select(Case).where(Case.id == task.case_id)))
    if case is not None:
        refuse_hidden(Case, case.public_id, school_ids)


def init_app(app: Flask) -> None:
    """Set the viewer on every request, after the session checks have loaded the user."""
    visibility.install()
    app.before_request(watch_signed_in_user)
    app.teardown_request(stop_watching)
