"""Typed chronology entries on a case: record a conversation, call, meeting, contact or
decision, and correct one (a new version; the old one stays visible). An entry can hand its
next step to a colleague as a task. Every view and change is audited."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models import Case, Pupil
from schoolsafe.security.access import get_for_school_or_404
from schoolsafe.services.cases import entries as case_entries
from schoolsafe.services.cases import parent_contact
from schoolsafe.services.cases import tasks as case_tasks
from schoolsafe.services.errors import FieldError
from schoolsafe.services.pupils import linking as pupil_links
from schoolsafe.services.pupils import search as pupil_search
from schoolsafe.vocab import CASEWORK_ROLES, AuditAction, AuditRecordType, EntryKind, TaskSource
from schoolsafe.web.audit import audited, audited_as
from schoolsafe.web.once import once_per_form
from schoolsafe.web.words import error_text

from . import bp
from .tasks import schedule_reminders

BLANK = case_entries.EntryInput("", "", "", [], "", "", "")
QUERY_LIMIT = 100


def _typed() -> case_entries.EntryInput:
    form = request.form
    return case_entries.EntryInput(
        form.get("kind", ""), form.get("day", ""), form.get("clock", ""),
        form.getlist("present"), form.get("others", ""), form.get("said", ""),
        form.get("next_steps", ""), tuple(form.getlist("pupils")))


def _pupil_choices(case: Case, typed: case_entries.EntryInput, found: list[Pupil]
                   ) -> list[Pupil]:
    # The case's own pupils first, then anyone already ticked, then what a search found.
    chosen = case_entries.pupils_by_public_id(db.session, case.school_id, list(typed.pupils))
    shown: dict[int, Pupil] = {}
    for pupil in [*case_entries.case_pupils(db.session, case), *chosen, *found]:
        shown.setdefault(pupil.id, pupil)
    return list(shown.values())


def _form_page(case: Case, typed: case_entries.EntryInput, status: int = 200,
               entry_id: str | None = None, error: FieldError | None = None,
               found: list[Pupil] | None = None, query: str = ""):
    return render_template(
        "triage/entry_form.html", case=case, typed=typed, entry_id=entry_id,
        kinds=EntryKind.labels(), staff=case_entries.school_staff(db.session, case.school_id),
        pupils=_pupil_choices(case, typed, found or []), found=found, pupil_query=query,
        task=request.form, problem=error_text(error) if error else None,
        problem_field=error.field if error else None), status


def _search_pupils(case: Case, entry_id: str | None = None):
    # The "Find a pupil" button posts the whole form back, so nothing typed is lost and no
    # narrative goes into a URL; nothing is saved. What was searched for is not stored. The
    # form's token is not spent (rolled back), so a double-clicked search shows results twice.
    db.session.rollback()
    query = " ".join(request.form.get("pupil_query", "").split())[:QUERY_LIMIT]
    found = [f.pupil for f in pupil_search.search(db.session, case.school_id, query)] \
        if query else []
    audited_as(AuditAction.SEARCH_PUPILS, AuditRecordType.SCHOOL, case.school_id,
               case.school_id)
    page = _form_page(case, _typed(), entry_id=entry_id, found=found, query=query)
    db.session.commit()
    return page


@bp.get("/cases/<public_id>/entries/new")
def entry_new(public_id: str):
    """The form for a conversation, call, meeting, contact or decision."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    kind = request.args.get("kind", "")
    return _form_page(case, case_entries.EntryInput(
        kind if kind in EntryKind.values() else "", "", "", [], "", "", ""))


@bp.post("/cases/<public_id>/entries")
@once_per_form
def entry_add(public_id: str):
    """Record an entry, and the task it hands on if one is asked for."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    if request.form.get("find_pupils"):
        return _search_pupils(case)
    try:
        entry = case_entries.add(db.session, case, current_user.id, _typed())
        _task_from(case, entry.id)
    except FieldError as error:
        db.session.rollback()
        case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
        return _form_page(case, _typed(), 400, error=error)
    audited(AuditAction.ADD_ENTRY, case)
    db.session.commit()
    flash(gettext("Entry added to the chronology."), "success")
    return redirect(url_for("triage.case", public_id=public_id, _anchor="chronology"))


def _task_from(case: Case, entry_id: int) -> None:
    # An entry's next step becomes a colleague's task only when someone is chosen for it.
    if not request.form.get("task_assignee"):
        return
    task = case_tasks.set_task(
        db.session, case, current_user.id, what=request.form.get("task_what", ""),
        assignee=request.form.get("task_assignee", ""), due=request.form.get("task_due", ""),
        source=TaskSource.ENTRY, entry_id=entry_id)
    audited(AuditAction.SET_TASK, case)
    schedule_reminders(task)


@bp.get("/cases/<public_id>/entries/<entry_id>/correct")
def entry_correct_form(public_id: str, entry_id: str):
    """An entry's current version in its form, to correct it. Viewing it is audited."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    current = _current(case, entry_id)
    audited(AuditAction.VIEW, case)
    page = _form_page(case, case_entries.as_typed(db.session, current),
                      entry_id=current.public_id)
    db.session.commit()
    return page


@bp.post("/cases/<public_id>/entries/<entry_id>/correct")
@once_per_form
def entry_correct(public_id: str, entry_id: str):
    """Save a correction as a new version, keeping the old one."""
    case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    current = _current(case, entry_id)
    if request.form.get("find_pupils"):
        return _search_pupils(case, entry_id)
    try:
        case_entries.correct(db.session, case, current.public_id, current_user.id, _typed())
    except FieldError as error:
        db.session.rollback()
        case = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
        return _form_page(case, _typed(), 400, entry_id=entry_id, error=error)
    audited(AuditAction.CORRECT_ENTRY, case)
    db.session.commit()
    flash(gettext("Correction saved. The earlier version is kept with it."), "success")
    return redirect(url_for("triage.case", public_id=public_id, _anchor="chronology"))


def _current(case: Case, entry_id: str):
    try:
        return case_entries.current_version(db.session, case, entry_id)
    except LookupError:
        abort(404)


@bp.context_processor
def _parents() -> dict[str, object]:
    # The case page and the checklist both show whether parents or carers were told; they and
    # the safety plans link each child to their directory record, so the record follows them.
    return {"parent_contacts": lambda case: parent_contact.latest(db.session, case),
            "person_pupils": lambda case: pupil_links.linked_pupils(db.session, case)}
