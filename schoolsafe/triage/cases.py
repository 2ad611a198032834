"""Case pages: the list, one case with its people and chronology, and its audit trail.

Every change is one POST handled the same way: load the case within the user's schools, call
one service function, audit, commit, and on a refused change show the page again with what
was typed and why.
"""

from __future__ import annotations

from collections.abc import Callable

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.jobs.tasks import schedule_reminder
from schoolsafe.models import Case, CaseTask, ChecklistItem, Referral, School, User
from schoolsafe.models.base import utcnow
from schoolsafe.security.access import current_school_id, get_for_school_or_404
from schoolsafe.services.alerts import hours
from schoolsafe.services.allegations import clock as allegation_clock
from schoolsafe.services.allegations import readers as allegation_readers
from schoolsafe.services.audit import case_trail as case_audit
from schoolsafe.services.cases import chronology, parent_contact
from schoolsafe.services.cases import entries as case_entries
from schoolsafe.services.cases import opening as cases
from schoolsafe.services.cases import people as case_people
from schoolsafe.services.cases import tasks as case_tasks
from schoolsafe.services.cases import work as case_work
from schoolsafe.services.pupils import linking as pupil_links
from schoolsafe.services.referrals import drafts as referral_drafts
from schoolsafe.services.reports import urgency
from schoolsafe.services.reports.categories import CATEGORY_LABELS
from schoolsafe.templating import display_timezone
from schoolsafe.vocab import (
    CASEWORK_ROLES,
    N_,
    RESTRICTED_TO_WORDS,
    AuditAction,
    CaseFilter,
    CaseOutcome,
    CaseStatus,
    ChecklistDoneWhen,
    ChecklistState,
    EntryKind,
    NotReferredTo,
    PersonRole,
    TaskSource,
    Urgency,
)
from schoolsafe.web.audit import audited
from schoolsafe.web.once import once_per_form
from schoolsafe.web.paging import page_number
from schoolsafe.web.words import error_text

from . import bp
from .common import page_jurisdiction, statutory_kinds, sync_checklist, tick_checklist


def case_labels() -> dict[str, object]:
    """The words for each code the case pages show, in this page's language."""
    return {
        "statuses": CaseStatus.labels(), "outcomes": CaseOutcome.labels(),
        "person_roles": PersonRole.labels(), "categories": CATEGORY_LABELS,
        "factors": urgency.FACTORS, "not_referred_to": NotReferredTo.labels(),
        "case_urgency_levels": Urgency.labels(),
    }


@bp.get("/cases")
def cases_list():
    """The school's cases, most urgent first."""
    school = db.session.get(School, current_school_id(*CASEWORK_ROLES))
    status = request.args.get("status", CaseFilter.ACTIVE)
    result = cases.case_list(db.session, school.id, status, request.args.get("assignee", ""),
                             page_number(below_one_is_404=True))
    return render_template("triage/cases.html", school=school, result=result, status=status,
                           assignee=request.args.get("assignee", ""),
                           filters=CaseFilter.labels(),
                           dsls=case_work.school_dsls(db.session, school.id),
                           query_args={k: v for k, v in request.args.items() if k != "page"},
                           **case_labels())


def case_page(case: Case, status: int = 200, **extra: object):
    # ?chronology=N picks an earlier page; without it the newest entries are shown.
    shown = chronology.page(db.session, case, request.args.get("chronology", type=int))
    return render_template(
        "triage/case.html", case=case, reports=cases.linked_reports(db.session, case),
        pupils=pupil_links.linked_pupils(db.session, case),
        report_names=pupil_links.names_in_reports(db.session, case),
        **_matches_for(case),
        chronology=shown, dsls=case_work.case_dsls(db.session, case),
        assignee=db.session.get(User, case.assigned_to_id) if case.assigned_to_id else None,
        refer_now=case_work.refer_now_reasons(case), referred=_referred_to(case),
        typed=request.form,
        tasks=case_tasks.on_case(db.session, case), entry_kinds=EntryKind.labels(),
        staff=allegation_readers.only_those_who_may_see(
            db.session, case, case_entries.school_staff(db.session, case.school_id)),
        open_steps=_open_steps(case), **case_labels(), **_lado_clock(case),
        **{"failed": None, "problem": None, "add_matches": [], **extra}), status


def _open_steps(case: Case) -> list[ChecklistItem]:
    # Checklist steps still open: any of them can be handed to a colleague as a task.
    return list(db.session.scalars(select(ChecklistItem).where(
        ChecklistItem.case_id == case.id, ChecklistItem.state == ChecklistState.OPEN)
        .order_by(ChecklistItem.id)))


def _lado_clock(case: Case) -> dict[str, object]:
    # A case about a member of staff: the designated officer within one working day of the
    # school hearing of it (its first report).
    if not case.restricted_to:
        return {"lado_due": None, "lado_overdue": False, "restricted_words": {},
                "readers": [], "reader_choices": []}
    reports = cases.linked_reports(db.session, case)
    school = db.session.get(School, case.school_id)
    heard = min((r.received_at for r in reports), default=case.opened_at)
    due = allegation_clock.referral_due(hours.for_school(school), heard)
    return {"lado_due": due, "lado_overdue": due < utcnow(),
            "restricted_words": RESTRICTED_TO_WORDS,
            "readers": allegation_readers.readers(db.session, case),
            "reader_choices": allegation_readers.candidates(db.session, case)}


def _referred_to(case: Case) -> list[tuple[Referral, str]]:
    # The refer-now prompt follows the case: once a statutory referral has gone, it says so.
    recipients = page_jurisdiction(case.school_id).recipients
    return [(referral, recipients[referral.recipient_kind].name)
            for referral in referral_drafts.statutory_referrals(
                db.session, case, statutory_kinds(case.school_id))]


@bp.get("/cases/<public_id>")
def case(public_id: str):
    """One case: summary, people, reports and a page of the chronology. Viewing it is audited."""
    record = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    audited(AuditAction.VIEW, record)
    # Shown before the commit, so the case and the signed-in user are not read again after
    # it; the view is still recorded before anything is sent.
    page = case_page(record)
    db.session.commit()
    return page


@bp.get("/cases/<public_id>/audit")
def case_audit_trail(public_id: str):
    """Who viewed or changed this case and its reports, newest first."""
    record = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    page = page_number(below_one_is_404=True)
    lines, total = case_audit.trail(db.session, record, page, timezone=display_timezone())
    audited(AuditAction.VIEW_AUDIT, record)
    db.session.commit()
    return render_template("triage/case_audit.html", case=record, lines=lines, total=total,
                           page=page, page_size=case_audit.PAGE_SIZE)


# Changes to what a case is about can call for more containment steps.
CHECKLIST_CHANGES = {AuditAction.DETAILS, AuditAction.STATUS, AuditAction.URGENCY_OVERRIDE}


def _change(public_id: str, action: AuditAction, change: Callable[[Case], object], done: str):
    """Apply one change to a case, audit it, and go back to the case (or show why not)."""
    record = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
    try:
        change(record)
    except (cases.CaseError, chronology.NoteError) as error:
        db.session.rollback()
        record = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
        field = getattr(error, "field", "body")
        return case_page(record, 400, problem=error_text(error),
                          problem_field=field, failed=action)
    if action in CHECKLIST_CHANGES:
        sync_checklist(record)
    if action == AuditAction.REVIEW_DATE:
        _review_task(record)
    audited(action, record)
    db.session.commit()
    flash(gettext(done), "success")
    return redirect(url_for("triage.case", public_id=public_id))


def _review_task(case: Case) -> None:
    # The review date is a task, with the same reminders as any other.
    if case.review_on:
        tick_checklist(case, ChecklistDoneWhen.REVIEW_DATE_SET)
    case_tasks.follow_review_date(db.session, case, current_user.id)
    db.session.flush()
    task = db.session.scalar(select(CaseTask).where(
        CaseTask.case_id == case.id, CaseTask.source == TaskSource.REVIEW,
        CaseTask.done_at.is_(None)))
    if task is not None:
        schedule_reminder(task)


def _form(name: str) -> str:
    return request.form.get(name, "")


def _matches_for(case: Case) -> dict[str, object]:
    # ?match=<person> asks which directory pupils one person on the case may be.
    wanted = request.args.get("match", "")
    person = next((p for p in case.people if str(p.id) == wanted and p.pupil_id is None), None)
    if person is None:
        return {"match_person": None, "person_matches": []}
    return {"match_person": person,
            "person_matches": pupil_links.person_suggestions(db.session, case, person)}


@bp.post("/cases/<public_id>/people")
@once_per_form
def add_person(public_id: str):
    """Add someone involved, with their role on this case; directory pupils they may be are
    offered first, and the DSL chooses one or keeps them unlinked."""
    choice = _form("pupil")
    if not choice:
        record = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
        found = pupil_links.suggestions(db.session, record.school_id, _form("label"))
        if found and _form("label").strip():
            # Nothing is saved yet; the same form comes back with the choice to make.
            db.session.rollback()
            record = get_for_school_or_404(Case, public_id, *CASEWORK_ROLES)
            return case_page(record, failed=AuditAction.ADD_PERSON, add_matches=found)
    return _change(public_id, AuditAction.ADD_PERSON, lambda c: _add_person(c, choice),
                   N_("Person added."))


def _add_person(case: Case, choice: str) -> None:
    pupil = pupil_links.pupil_for_link(db.session, case, choice) \
        if choice not in ("", "none") else None
    person = case_people.add_person(
        db.session, case, current_user.id, label=_form("label"), year_group=_form("year_group"),
        role=_form("role"), date_of_birth=_form("date_of_birth"))
    if pupil is not None:
        db.session.flush()
        pupil_links.link(db.session, case, person, pupil, current_user.id)
        audited(AuditAction.LINK_PUPIL, case)


def _person(case: Case):
    try:
        return case_people.person_on_case(db.session, case, _form("person"))
    except case_people.PersonNotFound:
        abort(404)


@bp.post("/cases/<public_id>/people/role")
@once_per_form
def person_role(public_id: str):
    """Change one person's role on this case."""
    return _change(public_id, AuditAction.PERSON_ROLE, lambda c: case_people.change_role(
        db.session, c, _person(c), _form("role"), current_user.id), N_("Role changed."))


@bp.post("/cases/<public_id>/people/remove")
@once_per_form
def remove_person(public_id: str):
    """Take someone off this case."""
    return _change(public_id, AuditAction.REMOVE_PERSON, lambda c: case_people.remove_person(
        db.session, c, _person(c), current_user.id), N_("Person removed from the case."))


@bp.post("/cases/<public_id>/details")
@once_per_form
def details(public_id: str):
    """Title, categories, factors (and so urgency), and whether the poster is known."""
    return _change(public_id, AuditAction.DETAILS, lambda c: case_work.set_details(
        db.session, c, current_user.id, title=_form("title"),
        categories=request.form.getlist("categories"), factors=request.form.getlist("factors"),
        posted_by=_form("posted_by")), N_("Details saved."))


@bp.post("/cases/<public_id>/readers")
@once_per_form
def add_reader(public_id: str):
    """An allegations contact lets one more safeguarding lead see a case about staff."""
    return _change(public_id, AuditAction.ADD_READER, lambda c: allegation_readers.add_reader(
        db.session, c, _form("reader"), current_user.id), N_("They can now see this case."))


@bp.post("/cases/<public_id>/notes")
@once_per_form
def note(public_id: str):
    """Add a plain-text note to the chronology."""
    return _change(public_id, AuditAction.NOTE, lambda c: chronology.add_note(
        db.session, c, current_user.id, _form("body")), N_("Note added."))


@bp.post("/cases/<public_id>/parents")
@once_per_form
def parents(public_id: str):
    """Record whether one child's parents or carers were told, by whom and when, or why not."""
    return _change(public_id, AuditAction.PARENT_CONTACT, lambda c: parent_contact.record(
        db.session, c, _person(c), current_user.id, told=_form("told"),
        told_by=_form("told_by"), told_on=_form("told_on"), why_not=_form("why_not")),
        N_("Saved."))


@bp.post("/cases/<public_id>/status")
@once_per_form
def status(public_id: str):
    """Move the case between new, open, referred and monitoring (or reopen it)."""
    return _change(public_id, AuditAction.STATUS, lambda c: case_work.set_status(
        db.session, c, _form("status"), current_user.id), N_("Status changed."))


@bp.post("/cases/<public_id>/urgency")
@once_per_form
def urgency_level(public_id: str):
    """Set the case's urgency with a reason, or let its most urgent report set it again."""
    return _change(public_id, AuditAction.URGENCY_OVERRIDE, lambda c: case_work.override_urgency(
        db.session, c, current_user.id, _form("urgency_level"), _form("urgency_reason")),
        N_("Urgency saved."))


@bp.post("/cases/<public_id>/assign")
@once_per_form
def assign(public_id: str):
    """Assign the case to a DSL of the school."""
    return _change(public_id, AuditAction.ASSIGN, lambda c: case_work.assign(
        db.session, c, _form("assignee"), current_user.id), N_("Assignment saved."))


@bp.post("/cases/<public_id>/review")
@once_per_form
def review(public_id: str):
    """Set or clear the review date."""
    return _change(public_id, AuditAction.REVIEW_DATE, lambda c: case_work.set_review_date(
        db.session, c, _form("review_on"), current_user.id), N_("Review date saved."))


@bp.post("/cases/<public_id>/decision")
@once_per_form
def decision(public_id: str):
    """Record a decision not to refer, with the reason."""
    return _change(public_id, AuditAction.DECISION, lambda c:
                   case_work.record_decision_not_to_refer(
                       db.session, c, current_user.id, _form("not_referred_to"),
                       _form("decision_reason")),
                   N_("Decision recorded."))


@bp.post("/cases/<public_id>/close")
@once_per_form
def close(public_id: str):
    """Close the case with its outcome and reason."""
    return _change(public_id, AuditAction.CLOSE, lambda c: case_work.close(
        db.session, c, current_user.id, _form("outcome"), _form("outcome_reason")),
        N_("Case closed."))


@bp.post("/cases/<public_id>/people/link")
@once_per_form
def person_link(public_id: str):
    """Link a person on this case to the directory pupil the DSL chose."""
    return _change(public_id, AuditAction.LINK_PUPIL, lambda c: pupil_links.link(
        db.session, c, _person(c), pupil_links.pupil_for_link(db.session, c, _form("pupil")),
        current_user.id), N_("Linked to the pupil."))


@bp.post("/cases/<public_id>/people/unlink")
@once_per_form
def person_unlink(public_id: str):
    """Take away a person's link to a directory pupil; they stay on the case."""
    return _change(public_id, AuditAction.UNLINK_PUPIL, lambda c: pupil_links.unlink(
        db.session, c, _person(c), current_user.id), N_("No longer linked to the pupil."))


@bp.post("/cases/<public_id>/people/from-report")
@once_per_form
def person_from_report(public_id: str):
    """Add a pupil named in a report to the case, as the DSL confirmed, with a role."""
    return _change(public_id, AuditAction.ADD_PERSON, _add_named_pupil, N_("Person added."))


def _add_named_pupil(case: Case) -> None:
    pupil = pupil_links.pupil_for_link(db.session, case, _form("pupil"))
    person = case_people.add_person(db.session, case, current_user.id, label=pupil.full_name,
                                    year_group=pupil.year_group, role=_form("role"))
    db.session.flush()
    pupil_links.link(db.session, case, person, pupil, current_user.id)
    audited(AuditAction.LINK_PUPIL, case)
