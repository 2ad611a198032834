"""Where the school's referral notes go: its own addresses for police, children's social care
and the other recipients, in place of the jurisdiction pack's defaults."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models import School
from schoolsafe.services.jurisdictions.recipients import Recipient
from schoolsafe.services.referrals import addresses
from schoolsafe.vocab import AuditAction, AuditRecordType
from schoolsafe.web.audit import audited_as
from schoolsafe.web.once import once_per_form
from schoolsafe.web.packs import page_pack

from . import bp
from .common import current_school

FIELD = "address-"  # each recipient's box is named FIELD + its kind


def _pack_recipients(school: School) -> dict[str, Recipient]:
    return dict(page_pack(school.jurisdiction).recipients)


@bp.get("/recipients")
def recipients_page():
    """The school's address for each referral recipient, and the pack's default beside it."""
    school = current_school()
    return _page(school, addresses.school_addresses(db.session, school.id))


@bp.post("/recipients")
@once_per_form
def recipients_save():
    """Save the addresses; a blank box goes back to the pack's default. Bad ones are refused."""
    school = current_school()
    pack = _pack_recipients(school)
    typed = {kind: request.form.get(FIELD + kind, "") for kind in pack}
    try:
        tidy = addresses.checked(pack, typed)
    except addresses.AddressError as error:
        return _page(school, typed, error.problems, 400)
    if addresses.save(db.session, school.id, tidy, current_user.id):
        audited_as(AuditAction.RECIPIENT_ADDRESSES_CHANGED, AuditRecordType.SCHOOL, school.id,
                   school.id)
        db.session.commit()
        flash(gettext("Referral addresses saved. New drafts will use them."), "success")
    else:
        flash(gettext("Nothing had changed, so nothing was saved."), "info")
    return redirect(url_for("admin.recipients_page"))


def _page(school: School, values: dict[str, str], problems: dict[str, str] | None = None,
          status: int = 200):
    return render_template("admin/recipients.html", school=school,
                           recipients=_pack_recipients(school).values(), values=values,
                           problems=problems or {}, field=FIELD), status
