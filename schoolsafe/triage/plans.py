"""Safety and support plans: one per child on a case, every version kept, printable. Viewing,
writing and printing are each audited."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models import Case
from schoolsafe.security.access import get_for_school_or_404
from schoolsafe.services.allegations import readers as allegation_readers
from schoolsafe.services.cases import entries as case_entries
from schoolsafe.services.cases import people as case_people
from schoolsafe.services.cases import safety_plan
from schoolsafe.services.cases.opening import CaseError
from schoolsafe.vocab import CASEWORK_ROLES, AuditAction, PersonRole
from schoolsafe.web.audit import audited
from schoolsafe.web.once import once_per_form
from schoolsafe.web.words import error_text

from . import bp
from .tasks import schedule_reminders


def _page(case: Case, template: str, status: int = 200, **extra: object):
    return render_template(
        template, case=case, children=safety_plan.for_case(db.session, case),
        # A review task on a case about staff goes only to someone who may see the case.
        staff=allegation_readers.only_those_who_may_see(
            db.session, case, case_entries.school_staff(db.session, case.school_id)),
        person_roles=PersonRole.labels(), typed=request.form,
        **{"failed": None, "problem": None, "problem_field": None, **extra}), status


@bp.get("/cases/<public_id>/plan")
def safety_plans(public_id: str):
    """Each child's safety and support plan, with its earlier versions and a form."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    audited(AuditAction.VIEW_SAFETY_PLAN, case)
    page = _page(case, "triage/safety_plan.html")
    db.session.commit()
    return page


@bp.get("/cases/<public_id>/plan/print")
def safety_plans_print(public_id: str):
    """The plans in force, for paper."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    audited(AuditAction.PRINT_SAFETY_PLAN, case)
    page = _page(case, "triage/safety_plan_print.html")
    db.session.commit()
    return page


@bp.post("/cases/<public_id>/plan")
@once_per_form
def safety_plan_save(public_id: str):
    """Save a new version of one child's plan."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    form = request.form
    typed = safety_plan.PlanInput(form.get("risks", ""), form.get("measures", ""),
                                  form.get("responsible", ""), form.get("review_on", ""),
                                  form.get("task_assignee", ""))
    try:
        person = case_people.person_on_case(db.session, case, form.get("person", ""))
    except case_people.PersonNotFound:
        abort(404)
    try:
        plan, task = safety_plan.write(db.session, case, person, current_user.id, typed)
    except CaseError as error:
        db.session.rollback()
        case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
        return _page(case, "triage/safety_plan.html", 400, failed=form.get("person"),
                     problem=error_text(error), problem_field=error.field)
    if task is not None:
        schedule_reminders(task)
    audited(AuditAction.SAFETY_PLAN, case)
    db.session.commit()
    flash(gettext("Plan for %(name)s saved as version %(version)d.", name=person.label,
                  version=plan.version), "success")
    return redirect(url_for("triage.safety_plans", public_id=public_id))
