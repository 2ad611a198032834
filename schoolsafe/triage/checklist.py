"""A case's containment checklist: work each step, add the steps a change brings, print it."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext, ngettext
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models import Case, School, User
from schoolsafe.security.access import get_for_school_or_404
from schoolsafe.services.cases import checklist as case_checklist
from schoolsafe.vocab import CASEWORK_ROLES, AuditAction, ChecklistState
from schoolsafe.web.audit import audited
from schoolsafe.web.once import once_per_form

from . import bp
from .common import case_page_url, jurisdiction_for, step_text


def _page(case: Case, status: int = 200, **context: object):
    return render_template("triage/checklist.html", case=case, item_states=ChecklistState.labels(),
                           rows=case_checklist.rows(db.session, case), **context), status


@bp.get("/cases/<public_id>/checklist")
def checklist(public_id: str):
    """Every containment step of the case, with who changed it and when."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    audited(AuditAction.VIEW_CHECKLIST, case)
    db.session.commit()
    return _page(case)


@bp.post("/cases/<public_id>/checklist")
@once_per_form
def checklist_sync(public_id: str):
    """Add the steps the case needs now (or make the checklist); nothing is taken away."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    before = len(case_checklist.items(db.session, case))
    added = len(case_checklist.sync(db.session, case, jurisdiction_for(case.school_id),
                                    current_user.id)) - before
    if added:
        audited(AuditAction.UPDATE_CHECKLIST, case)
    db.session.commit()
    flash(ngettext("%(num)d new step added.", "%(num)d new steps added.", added) if added else
          gettext("The checklist already has every step this case needs."), "success")
    return redirect(url_for("triage.checklist", public_id=public_id))


@bp.post("/cases/<public_id>/checklist/<int:item_id>")
@once_per_form
def checklist_item(public_id: str, item_id: int):
    """Mark one step to do, done, or not applicable with a reason."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    item = case_checklist.item_for_case(db.session, case, item_id) or abort(404)
    state, reason = request.form.get("state", ""), request.form.get("reason", "")
    try:
        changed = case_checklist.mark(db.session, item, state, reason, current_user.id)
    except case_checklist.ChecklistError as error:
        return _page(case, 400, checklist_errors={item.id: str(error)},
                     checklist_typed={item.id: (state, reason)})
    if changed:
        audited(AuditAction.UPDATE_CHECKLIST, case)
        db.session.commit()
        flash(gettext("Saved: step marked %(state)s.",
                      state=ChecklistState(item.state).label.lower()), "success")
    back = case_page_url(case) if request.form.get("back") == "case" else None
    return redirect(f"{back or url_for('triage.checklist', public_id=public_id)}#item-{item.id}")


@bp.get("/cases/<public_id>/checklist/print")
def checklist_print(public_id: str):
    """The checklist on paper: each step, its state, who changed it and when."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    audited(AuditAction.PRINT_CHECKLIST, case)
    db.session.commit()
    return render_template("triage/checklist_print.html", case=case,
                           school=db.session.get(School, case.school_id),
                           rows=case_checklist.rows(db.session, case))


# A global, not a context value: the step macro is imported without the page's context.
bp.add_app_template_global(step_text, "step_text")


@bp.context_processor
def _checklist_helpers() -> dict[str, object]:
    # The case page includes the checklist and referral partials; these give them their data.
    def staff_name(user_id: int | None) -> str:
        user = db.session.get(User, user_id) if user_id else None
        return user.name if user else ""

    return {"checklist_rows": lambda case: case_checklist.rows(db.session, case),
            "case_page_url": case_page_url, "staff_name": staff_name,
            "item_states": ChecklistState.labels()}
