"""Tasks: set one on a case (on its own or from a checklist step), "My tasks" for every member
of staff, marking one done (written to the chronology) and the overdue count in the menu."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.jobs.tasks import schedule_reminder
from schoolsafe.models import Case, CaseTask, ChecklistItem
from schoolsafe.models.base import utcnow
from schoolsafe.security.access import also_allow, get_for_school_or_404, school_ids
from schoolsafe.security.restricted import refuse_hidden_task
from schoolsafe.services import local_time
from schoolsafe.services.cases import tasks as case_tasks
from schoolsafe.services.cases.opening import CaseError
from schoolsafe.templating import display_timezone
from schoolsafe.vocab import CASEWORK_ROLES, AuditAction, Role, TaskFilter, TaskSource
from schoolsafe.web.audit import audited
from schoolsafe.web.once import once_per_form
from schoolsafe.web.words import error_text

from . import bp
from .cases import case_page

ANY_ROLE = (Role.STAFF, Role.ADMIN, *CASEWORK_ROLES)


def schedule_reminders(task: CaseTask) -> None:
    """Book the task's reminder for its due morning (cron's sweep also finds it)."""
    schedule_reminder(task)  # one name for the views; the job module owns the booking


def _today() -> date:
    return local_time.today_in(display_timezone(), utcnow())


@bp.get("/tasks")
def my_tasks():
    """The signed-in person's tasks in their schools: still to do, or done."""
    show = request.args.get("show", TaskFilter.OPEN)
    if show not in TaskFilter.values():
        show = TaskFilter.OPEN
    lines = case_tasks.for_user(db.session, current_user.id, school_ids(*ANY_ROLE),
                                show == TaskFilter.DONE, _today())
    return render_template("triage/my_tasks.html", lines=lines, show=show,
                           filters=TaskFilter.labels(), sources=TaskSource.labels())


@bp.post("/tasks/<public_id>/done")
@once_per_form
def task_done(public_id: str):
    """Mark one of your tasks done (a DSL of its school may too); it goes in the chronology."""
    task = db.session.scalar(select(CaseTask).where(CaseTask.public_id == public_id,
                                                    CaseTask.school_id.in_(school_ids(*ANY_ROLE))))
    if task is None:
        # A task on a case about a member of staff this user may not see: the try is audited.
        refuse_hidden_task(public_id, school_ids(*ANY_ROLE))
    if task is None or not (task.assignee_id == current_user.id
                            or task.school_id in school_ids(*CASEWORK_ROLES)):
        abort(404)
    try:
        case_tasks.complete(db.session, task, current_user.id, request.form.get("note", ""))
    except CaseError as error:
        db.session.rollback()
        flash(error_text(error), "error")
        return redirect(url_for("triage.my_tasks"))
    audited(AuditAction.COMPLETE_TASK, db.session.get(Case, task.case_id))
    db.session.commit()
    flash(gettext("Task marked done. It is in the case's chronology."), "success")
    back = request.form.get("back")
    if back == "case" and task.school_id in school_ids(*CASEWORK_ROLES):
        case = db.session.get(Case, task.case_id)
        return redirect(url_for("triage.case", public_id=case.public_id, _anchor="tasks"))
    return redirect(url_for("triage.my_tasks"))


@bp.post("/cases/<public_id>/tasks")
@once_per_form
def case_task(public_id: str):
    """Give a colleague a task on the case, on its own or from one of its checklist steps."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    item = _checklist_item(case, request.form.get("checklist_item", ""))
    try:
        task = case_tasks.set_task(
            db.session, case, current_user.id, what=request.form.get("task_what", "")
            or (item.text if item else ""), assignee=request.form.get("task_assignee", ""),
            due=request.form.get("task_due", ""),
            source=TaskSource.CHECKLIST if item else TaskSource.CASE,
            checklist_item_id=item.id if item else None)
    except CaseError as error:
        db.session.rollback()
        case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
        return case_page(case, 400, problem=error_text(error), problem_field=error.field,
                          failed="task")
    schedule_reminders(task)
    audited(AuditAction.SET_TASK, case)
    db.session.commit()
    flash(gettext("Task set."), "success")
    return redirect(url_for("triage.case", public_id=public_id, _anchor="tasks"))


def _checklist_item(case: Case, value: str) -> ChecklistItem | None:
    if not value:
        return None
    if not value.isdigit():
        abort(404)
    item = db.session.scalar(select(ChecklistItem).where(
        ChecklistItem.case_id == case.id, ChecklistItem.id == int(value)))
    if item is None:
        abort(404)
    return item


@bp.app_context_processor
def _nav_tasks() -> dict[str, object]:
    # A callable, so the count is only looked up on pages that show the staff navigation.
    def nav_overdue_tasks() -> int | None:
        if current_user.needs_two_factor and not session.get("two_factor_ok"):
            return None  # nothing about work before the second factor
        schools = school_ids(*ANY_ROLE)
        if not schools:
            return None
        return case_tasks.overdue_count(db.session, current_user.id, schools, _today())

    return {"nav_overdue_tasks": nav_overdue_tasks}


also_allow(["triage.my_tasks", "triage.task_done"], *ANY_ROLE)
