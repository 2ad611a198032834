"""Reading and accepting a child's file handed on from a school on schoolsafe."""

from __future__ import annotations

from flask import current_app, render_template, request

from schoolsafe.extensions import db
from schoolsafe.security.ratelimit import hit_for_request, used_up_for_request
from schoolsafe.services.audit import trail as audit
from schoolsafe.services.cases import transfer as transfers
from schoolsafe.services.cases.opening import CaseError
from schoolsafe.vocab import AuditAction, AuditRecordType, TransferState
from schoolsafe.web.words import _l, error_text

from . import bp

UNKNOWN = _l("That code wasn't recognised. Check it against the email and type it "
             "again.")
TOO_MANY = _l("There have been too many wrong codes from your network. Please wait ten minutes "
              "and type the code again.")
# Wrong codes are counted per network like pupils' follow-up codes (Redis-backed when
# REDIS_URL is set), with the same settings but a count of their own.
RECEIPT_LIMIT = ("file_receipt", "FOLLOWUP_LIMIT", "FOLLOWUP_WINDOW_SECONDS")


@bp.get("")
def file_receipt():
    """Where the emailed link lands: a box for the code."""
    return render_template("receipt/code.html", problem=None)


@bp.post("")
def file_receipt_open():
    """With the right code: the file to read and print, a JSON copy and the accept button."""
    # Checked before the lookup, so a guesser who is over the limit learns nothing.
    if used_up_for_request(*RECEIPT_LIMIT):
        return render_template("receipt/code.html", problem=TOO_MANY), 429
    sent = transfers.by_code(db.session, current_app.config["SECRET_KEY"],
                             request.form.get("code", ""))
    if sent is None:
        hit_for_request(*RECEIPT_LIMIT)
        return render_template("receipt/code.html", problem=UNKNOWN), 400
    if request.form.get("format") == "json":
        _audited(AuditAction.OPEN_FILE, sent)
        db.session.commit()
        response = current_app.json.response(sent.export)
        response.headers["Content-Disposition"] = "attachment; filename=\"child-file.json\""
        return response
    if request.form.get("accepted_by") is not None:
        return _accept(sent)
    transfers.opened(db.session, sent, None)
    _audited(AuditAction.OPEN_FILE, sent)
    page = _file_page(sent)
    db.session.commit()
    return page


def _accept(sent):
    try:
        transfers.accept(db.session, sent, request.form.get("accepted_by", ""))
    except CaseError as error:
        db.session.rollback()
        return _file_page(sent, problem=error_text(error)), 400
    _audited(AuditAction.ACCEPT_FILE, sent)
    db.session.commit()
    return _file_page(sent, done=True)


def _file_page(sent, problem: str | None = None, done: bool = False):
    return render_template("receipt/file.html", sent=sent, file=sent.export,
                           code=request.form.get("code", ""), states=TransferState.labels(),
                           problem=problem, done=done)


def _audited(action: AuditAction, sent) -> None:
    # Nobody signed in: the receiving school is named by the address it was sent to.
    audit.record(db.session, user_id=None, school_id=sent.school_id, action=action,
                 record_type=AuditRecordType.FILE_TRANSFER, record_id=sent.public_id)
