"""Handing a child's file on: mark a pupil as left, send their file to a school on this
schoolsafe (it lands in that school's workspace) or elsewhere (emailed as a link and a code),
and, at the receiving school, open and accept it so a receipt goes back. Every step is
audited on both sides."""

from __future__ import annotations

from flask import (
    Response,
    abort,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import format_date, gettext
from flask_login import current_user
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.jobs.mail import send_soon
from schoolsafe.mail.builders import file_transfer_email
from schoolsafe.models import Case, FileTransfer, ReceivedFile, School
from schoolsafe.models.base import utcnow
from schoolsafe.security.access import get_for_school_or_404, school_ids
from schoolsafe.services import local_time, retention
from schoolsafe.services.cases import people as case_people
from schoolsafe.services.cases import transfer as transfers
from schoolsafe.services.cases.opening import CaseError
from schoolsafe.services.pupils import leaving
from schoolsafe.templating import display_timezone
from schoolsafe.vocab import AuditAction, AuditRecordType, Role, TransferState
from schoolsafe.web.audit import audited, audited_as
from schoolsafe.web.once import once_per_form
from schoolsafe.web.words import error_text

from . import bp
from .cases import case_page


def _person(case: Case):
    try:
        return case_people.person_on_case(db.session, case, request.values.get("person", ""))
    except case_people.PersonNotFound:
        abort(404)


@bp.post("/cases/<public_id>/people/left")
@once_per_form
def person_left(public_id: str):
    """Mark by hand that a pupil on the case has left the school."""
    case = get_for_school_or_404(Case, public_id, Role.DSL)
    person = _person(case)
    try:
        transfers.mark_left(db.session, case, person, request.form.get("left_on", ""),
                            current_user.id)
    except CaseError as error:
        db.session.rollback()
        case = get_for_school_or_404(Case, public_id, Role.DSL)
        return case_page(case, 400, problem=error_text(error), problem_field=error.field,
                         failed="person_left")
    audited(AuditAction.MARK_LEFT, case)
    db.session.commit()
    flash(gettext("%(name)s marked as left. Send their file to their new school below.",
                  name=person.label), "success")
    return redirect(url_for("triage.case", public_id=public_id, _anchor="people"))


def _form_page(case: Case, status: int = 200, error: CaseError | None = None):
    return render_template(
        "triage/transfer_form.html", case=case, person=_person(case), typed=request.form,
        schools=transfers.other_schools(db.session, case.school_id),
        problem=error_text(error) if error else None,
        problem_field=error.field if error else None), status


@bp.get("/cases/<public_id>/transfer")
def transfer_form(public_id: str):
    """Where to send a pupil's file: a school on this schoolsafe, or an address elsewhere."""
    return _form_page(get_for_school_or_404(Case, public_id, Role.DSL))


@bp.post("/cases/<public_id>/transfer")
@once_per_form
def transfer_send(public_id: str):
    """Hand the file on; the five-school-day clock starts."""
    case = get_for_school_or_404(Case, public_id, Role.DSL)
    person = _person(case)
    try:
        sent = _send(case, person)
    except CaseError as error:
        db.session.rollback()
        return _form_page(get_for_school_or_404(Case, public_id, Role.DSL), 400, error)
    audited(AuditAction.SEND_FILE, case)
    if sent.to_school_id:
        audited_as(AuditAction.SEND_FILE, AuditRecordType.FILE_TRANSFER, sent.public_id,
                   sent.to_school_id)
    db.session.commit()
    flash(gettext("%(name)s's file has been sent. Its receipt is due by %(date)s.",
                  name=person.label, date=format_date(sent.due_on, "dd MMM y")), "success")
    return redirect(url_for("triage.case", public_id=public_id, _anchor="transfers"))


def _send(case: Case, person) -> FileTransfer:
    if request.form.get("where") == "elsewhere":
        sent, code = transfers.send_elsewhere(
            db.session, case, person, request.form.get("to_address", ""), current_user.id,
            current_app.config["SECRET_KEY"])
        school = db.session.get(School, case.school_id)
        send_soon(file_transfer_email(sent, school.name, code))
        return sent
    return transfers.send_within(db.session, case, person, request.form.get("to_school", ""),
                                 current_user.id)


@bp.get("/transfers")
def transfers_received():
    """Files handed to the user's schools by other schools on this schoolsafe: those waiting
    to be accepted, then the school's own copies of those it accepted."""
    schools = school_ids(Role.DSL)
    return render_template("triage/transfers.html", received=transfers.received(
        db.session, schools), kept=transfers.kept_copies(db.session, schools),
        states=TransferState.labels(), school_names=_school_names())


@bp.get("/transfers/kept/<public_id>")
def received_file(public_id: str):
    """The school's own copy of a file it accepted, to read and print."""
    kept = db.session.scalar(select(ReceivedFile).where(
        ReceivedFile.public_id == public_id, ReceivedFile.school_id.in_(school_ids(Role.DSL))))
    if kept is None:
        abort(404)
    audited_as(AuditAction.OPEN_FILE, AuditRecordType.RECEIVED_FILE, kept.public_id,
               kept.school_id)
    keep_until = retention.for_received(kept, retention.Policy.from_config(current_app.config))
    page = render_template("triage/received_file.html", kept=kept, file=kept.export,
                           keep_until=keep_until)
    db.session.commit()
    return page


def _school_names() -> dict[int, str]:
    return dict(db.session.execute(select(School.id, School.name)).all())


def _received(public_id: str) -> FileTransfer:
    found = db.session.scalar(select(FileTransfer).where(
        FileTransfer.public_id == public_id, FileTransfer.to_school_id.in_(school_ids(Role.DSL))))
    if found is None:
        abort(404)
    return found


def _audit_both(action: AuditAction, sent: FileTransfer) -> None:
    audited_as(action, AuditRecordType.FILE_TRANSFER, sent.public_id, sent.to_school_id)
    audited_as(action, AuditRecordType.FILE_TRANSFER, sent.public_id, sent.school_id)


@bp.get("/transfers/<public_id>")
def transfer_file(public_id: str):
    """A child's file as sent, to read and print; the first opening goes back as a receipt."""
    sent = _received(public_id)
    kept = db.session.scalar(select(ReceivedFile).where(ReceivedFile.transfer_id == sent.id))
    if kept is not None:  # accepted: the school reads its own copy from now on
        return redirect(url_for("triage.received_file", public_id=kept.public_id))
    transfers.opened(db.session, sent, current_user)
    _audit_both(AuditAction.OPEN_FILE, sent)
    page = render_template("triage/transfer_file.html", sent=sent, file=sent.export,
                           states=TransferState.labels(), school_names=_school_names())
    db.session.commit()
    return page


@bp.get("/transfers/<public_id>/export.json")
def transfer_json(public_id: str):
    """The same file as JSON (schema schoolsafe.child-file.v1, described in README)."""
    sent = _received(public_id)
    _audit_both(AuditAction.OPEN_FILE, sent)
    db.session.commit()
    response = current_app.json.response(sent.export)
    response.headers["Content-Disposition"] = f'attachment; filename="child-file-{public_id}.json"'
    return response


@bp.post("/transfers/<public_id>/accept")
@once_per_form
def transfer_accept(public_id: str) -> Response:
    """Confirm the school has the file: a receipt goes back to the sending school's case."""
    sent = _received(public_id)
    try:
        kept = transfers.accept_here(db.session, sent, current_user)
    except CaseError as error:
        db.session.rollback()
        flash(error_text(error), "error")
        return redirect(url_for("triage.transfer_file", public_id=public_id))
    _audit_both(AuditAction.ACCEPT_FILE, sent)
    db.session.commit()
    flash(gettext("Accepted. The sending school has been told you have the file, and your "
                  "school keeps its own copy."), "success")
    return redirect(url_for("triage.received_file", public_id=kept.public_id))


@bp.app_context_processor
def _nav_files() -> dict[str, object]:
    # A callable, so the count is only looked up on pages that show the staff navigation.
    def nav_files_waiting() -> int | None:
        if current_user.needs_two_factor and not session.get("two_factor_ok"):
            return None  # nothing about pupils before the second factor
        schools = school_ids(Role.DSL)
        return transfers.waiting_count(db.session, schools) if schools else None

    return {"nav_files_waiting": nav_files_waiting}


@bp.context_processor
def _files_received() -> dict[str, object]:
    # The queue shows files other schools handed on that nobody here has accepted yet.
    def files_waiting() -> list[FileTransfer]:
        return transfers.received(db.session, school_ids(Role.DSL))

    # And the pupils who have left an open case here whose file has not been sent yet.
    def files_to_hand_on() -> list[leaving.FileToHandOn]:
        return leaving.files_to_hand_on(db.session, school_ids(Role.DSL))

    return {"files_waiting": files_waiting, "files_to_hand_on": files_to_hand_on,
            "case_transfers": lambda case: transfers.for_case(db.session, case),
            "transfer_states": TransferState.labels(),
            "transfer_to": lambda sent: transfers.receiver(db.session, sent),
            "transfer_today": lambda: local_time.today_in(display_timezone(), utcnow())}
