"""Referral notes from a case: draft for a recipient, edit, send by email, copy, print.

Open to the school's DSLs and to staff given permission to refer (Membership.can_refer);
anyone else, and anyone from another school, gets a 404.
"""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.jobs.mail import send_soon
from schoolsafe.mail import builders
from schoolsafe.models import Case, Referral
from schoolsafe.security.access import also_allow, get_for_school_or_404
from schoolsafe.services.jurisdictions.packs import Recipient
from schoolsafe.services.referrals import addresses as school_addresses
from schoolsafe.services.referrals import drafts as referral_drafts
from schoolsafe.services.referrals.rules import OMITTABLE, ReferralError, is_minimised
from schoolsafe.vocab import (
    CASEWORK_ROLES,
    AuditAction,
    ChecklistDoneWhen,
    OutboxPurpose,
    ReferralState,
    Role,
)
from schoolsafe.web.audit import audited
from schoolsafe.web.once import once_per_form
from schoolsafe.web.words import error_text

from . import bp
from .common import case_page_url, jurisdiction_for, page_jurisdiction, tick_checklist


def _allowed(record: Case | Referral) -> Case | Referral:
    if not referral_drafts.may_refer(current_user, record.school_id):
        abort(404)
    return record


def _case(public_id: str) -> Case:
    return _allowed(get_for_school_or_404(Case, public_id, *CASEWORK_ROLES, Role.STAFF))


def _referral(public_id: str) -> Referral:
    return _allowed(get_for_school_or_404(Referral, public_id, *CASEWORK_ROLES, Role.STAFF))


def _recipients(school_id: int) -> dict[str, Recipient]:
    # The pack's recipients, with the addresses the school's administrator has set.
    return school_addresses.for_school(db.session, school_id,
                                       jurisdiction_for(school_id).recipients)


def _recipient(referral: Referral) -> Recipient:
    recipient = _recipients(referral.school_id).get(referral.recipient_kind)
    return recipient or abort(404)


def _omittable() -> dict[str, str]:
    """What a note may leave out, in this page's language."""
    return {code: gettext(words) for code, words in OMITTABLE.items()}


def _new_page(case: Case, status: int = 200, **context: object):
    # Listed in the reader's language; the note itself is drafted in the school's.
    recipients = list(school_addresses.for_school(
        db.session, case.school_id, page_jurisdiction(case.school_id).recipients).values())
    return render_template("triage/referral_new.html", case=case, recipients=recipients,
                           omittable=_omittable(), is_minimised=is_minimised,
                           evidence=referral_drafts.evidence_places(db.session, case),
                           **context), status


@bp.get("/cases/<public_id>/referrals/new")
def referral_new(public_id: str):
    """Choose who the referral is for, and anything to include on purpose."""
    case = _case(public_id)
    audited(AuditAction.START_REFERRAL, case)
    db.session.commit()
    return _new_page(case)


@bp.post("/cases/<public_id>/referrals")
@once_per_form
def referral_create(public_id: str):
    """Draft the note from the case for the chosen recipient."""
    case = _case(public_id)
    kind, include = request.form.get("kind", ""), frozenset(request.form.getlist("include"))
    recipient = _recipients(case.school_id).get(kind)
    if recipient is None:
        return _new_page(case, 400, error=gettext("Choose who the referral is for."),
                         include=include)
    try:
        referral = referral_drafts.create(db.session, case, recipient, current_user, include)
    except ReferralError as error:
        db.session.rollback()
        return _new_page(case, 400, error=str(error), kind=kind, include=include)
    audited(AuditAction.CREATE, referral)
    if referral.included_on_purpose:
        audited(AuditAction.INCLUDE_ON_PURPOSE, referral)
    db.session.commit()
    return redirect(url_for("triage.referral", public_id=referral.public_id))


def _page(referral: Referral, status: int = 200, **context: object):
    case = db.session.get(Case, referral.case_id)
    return render_template(
        "triage/referral.html", referral=referral, recipient=_recipient(referral), case=case,
        omittable=_omittable(), evidence=referral_drafts.evidence_places(db.session, case),
        delivery=referral_drafts.delivery(db.session, referral),
        state_labels=ReferralState.labels(), **context), status


@bp.get("/referrals/<public_id>")
def referral(public_id: str):
    """A draft to edit and send, or the referral exactly as it was sent."""
    record = _referral(public_id)
    audited(AuditAction.VIEW, record)
    db.session.commit()
    return _page(record)


@bp.post("/referrals/<public_id>")
@once_per_form
def referral_save(public_id: str):
    """Save the edits; with action=send, also freeze the note and queue its email."""
    record = _referral(public_id)
    typed = {name: request.form.get(name, "") for name in ("subject", "body", "to")}
    try:
        referral_drafts.save(db.session, record, typed["subject"], typed["body"], typed["to"])
    except referral_drafts.NotADraftError as error:
        return _already_sent(record, error)
    except ReferralError as error:
        db.session.rollback()
        return _page(record, 400, error=str(error), typed=typed)
    audited(AuditAction.EDIT, record)
    db.session.commit()
    if request.form.get("action") == "send":
        return _send(record)
    flash(gettext("Draft saved. It has not been sent."), "success")
    return redirect(url_for("triage.referral", public_id=public_id))


def _send(record: Referral):
    try:
        referral_drafts.queue_for_sending(db.session, record, _recipient(record), current_user.id)
    except referral_drafts.NotADraftError as error:
        return _already_sent(record, error)
    except ReferralError as error:
        db.session.rollback()
        return _page(record, 400, error=str(error))
    if _recipient(record).statutory:
        tick_checklist(db.session.get(Case, record.case_id),
                       ChecklistDoneWhen.STATUTORY_REFERRAL_SENT)
    send_soon(builders.store(OutboxPurpose.REFERRAL, record.to_addresses, "referral",
                             school_id=record.school_id, referral_id=record.id,
                             subject=record.subject, body=record.body))
    audited(AuditAction.SEND, record)
    db.session.commit()
    flash(gettext("The referral is on its way. Its delivery is shown below."), "success")
    return redirect(url_for("triage.referral", public_id=record.public_id))


def _already_sent(record: Referral, error: ReferralError):
    db.session.rollback()
    flash(error_text(error), "error")
    return redirect(url_for("triage.referral", public_id=record.public_id)), 303


@bp.post("/cases/<public_id>/evidence")
@once_per_form
def evidence_add(public_id: str):
    """Record where evidence is held, from the referral pages, for the notes to carry."""
    case = _case(public_id)
    draft = request.form.get("referral", "")
    record = _referral(draft) if draft else None
    if record is not None and record.case_id != case.id:
        abort(404)
    try:
        referral_drafts.record_evidence(db.session, case, current_user.id,
                                        request.form.get("place", ""))
    except referral_drafts.EvidenceError as error:
        typed = {"evidence_error": error_text(error),
                 "evidence_typed": request.form.get("place", "")}
        return _page(record, 400, **typed) if record else _new_page(case, 400, **typed)
    audited(AuditAction.ADD_EVIDENCE, case)
    db.session.commit()
    flash(gettext("Recorded where the evidence is held."), "success")
    if record is None:
        return redirect(url_for("triage.referral_new", public_id=public_id))
    return redirect(url_for("triage.referral", public_id=record.public_id) + "#evidence")


@bp.post("/referrals/<public_id>/include")
@once_per_form
def referral_include(public_id: str):
    """Write the draft again, with the chosen items put back in on purpose."""
    record = _referral(public_id)
    include = frozenset(request.form.getlist("include"))
    before = list(record.included_on_purpose or ())
    try:
        referral_drafts.redraft(db.session, record, _recipient(record), current_user, include)
    except referral_drafts.NotADraftError as error:
        return _already_sent(record, error)
    except ReferralError as error:
        db.session.rollback()
        return _page(record, 400, error=str(error))
    audited(AuditAction.INCLUDE_ON_PURPOSE if record.included_on_purpose != before
            else AuditAction.REDRAFT, record)
    db.session.commit()
    flash(gettext("The note was drafted again from the case."), "success")
    return redirect(url_for("triage.referral", public_id=public_id))


@bp.post("/referrals/<public_id>/keep-name")
@once_per_form
def referral_keep_name(public_id: str):
    """Leave one name the note took out in it, on purpose (recorded on the case)."""
    record = _referral(public_id)
    try:
        referral_drafts.keep_name(db.session, record, _recipient(record), current_user,
                                  request.form.get("name", ""))
    except referral_drafts.NotADraftError as error:
        return _already_sent(record, error)
    except ReferralError as error:
        db.session.rollback()
        return _page(record, 400, error=str(error))
    audited(AuditAction.KEEP_NAME, record)
    db.session.commit()
    flash(gettext("The note was drafted again with that name left in."), "success")
    return redirect(url_for("triage.referral", public_id=public_id) + "#names")


@bp.post("/referrals/<public_id>/copy")
@once_per_form
def referral_copy(public_id: str):
    """Start a new draft from this referral; the original is kept exactly as it was."""
    record = _referral(public_id)
    copied = referral_drafts.copy_to_draft(db.session, record, _recipient(record),
                                           current_user.id)
    audited(AuditAction.COPY, record)
    audited(AuditAction.CREATE, copied)
    db.session.commit()
    flash(gettext("This is a new draft copied from the earlier referral. Nothing has been "
                  "sent yet."), "success")
    return redirect(url_for("triage.referral", public_id=copied.public_id))


@bp.get("/referrals/<public_id>/print")
def referral_print(public_id: str):
    """The note on paper, marked as a draft or with when and to whom it was sent."""
    record = _referral(public_id)
    audited(AuditAction.PRINT, record)
    db.session.commit()
    return render_template("triage/referral_print.html", referral=record,
                           recipient=_recipient(record),
                           case=db.session.get(Case, record.case_id),
                           delivery=referral_drafts.delivery(db.session, record),
                           state_labels=ReferralState.labels())


@bp.context_processor
def _referral_helpers() -> dict[str, object]:
    # For the referral list the case page includes.
    def case_referrals(case: Case) -> list[tuple[Referral, referral_drafts.Delivery, str]]:
        recipients = page_jurisdiction(case.school_id).recipients
        return [(r, referral_drafts.delivery(db.session, r),
                 recipients[r.recipient_kind].name if r.recipient_kind in recipients
                 else r.recipient_kind)
                for r in referral_drafts.for_case(db.session, case)]

    return {"case_referrals": case_referrals,
            "may_refer": lambda case: referral_drafts.may_refer(current_user, case.school_id),
            "referral_state_labels": ReferralState.labels(),
            "case_page_url": case_page_url}


# Staff given permission to refer (Membership.can_refer) pass the DSL-only gate for these
# pages; _allowed() then admits only DSLs and such staff of the record's own school.
also_allow([f"triage.{view.__name__}" for view in (
    referral_new, referral_create, referral, referral_save, evidence_add, referral_include,
    referral_keep_name, referral_copy, referral_print)], *CASEWORK_ROLES, Role.STAFF)
