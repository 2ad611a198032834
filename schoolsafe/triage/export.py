"""The case file export: a printable record of one case for a child-protection transfer.

Only a DSL of the case's school can make it (it names pupils), and making it is audited.
"""

from __future__ import annotations

from flask import render_template
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models import Case, School
from schoolsafe.models.base import utcnow
from schoolsafe.security.access import get_for_school_or_404
from schoolsafe.services.cases.case_file import case_file
from schoolsafe.services.reports import urgency
from schoolsafe.services.reports.categories import CATEGORY_LABELS
from schoolsafe.vocab import (
    CASEWORK_ROLES,
    AuditAction,
    CaseOutcome,
    CaseStatus,
    ChecklistState,
    PersonRole,
    ReferralState,
)
from schoolsafe.web.audit import audited
from schoolsafe.web.packs import page_pack

from . import bp


@bp.get("/cases/<public_id>/export")
def case_export(public_id: str):
    """The whole case as one document to print or save as PDF; making it is audited."""
    record = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    school = db.session.get(School, record.school_id)
    pack = page_pack(school.jurisdiction)
    document = case_file(db.session, record, made_by=current_user, made_at=utcnow(),
                         recipient_names={k: r.name for k, r in pack.recipients.items()})
    audited(AuditAction.EXPORT, record)
    db.session.commit()
    return render_template(
        "triage/case_export.html", doc=document,
        statuses=CaseStatus.labels(), outcomes=CaseOutcome.labels(), roles=PersonRole.labels(),
        categories=CATEGORY_LABELS, factors=urgency.FACTORS, item_states=ChecklistState.labels(),
        referral_states=ReferralState.labels())
