"""The pupil directory: finding a child by any spelling, the child's page, and importing the
directory from the school's management information system.

Only DSLs (the blueprint's gate) see it; every search, every child's page and every import
is audited.
"""

from __future__ import annotations

import csv
import io

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models import Pupil, School
from schoolsafe.security.access import current_school_id, get_for_school_or_404
from schoolsafe.services.cases import safety_plan
from schoolsafe.services.pupils import directory, elsewhere, history, importing, leaving
from schoolsafe.services.pupils import search as pupil_search
from schoolsafe.vocab import N_, AuditAction, AuditRecordType, PersonRole, PupilField, Role
from schoolsafe.web.audit import audited, audited_as
from schoolsafe.web.once import once_per_form
from schoolsafe.web.paging import page_number
from schoolsafe.web.words import error_text

from . import bp
from .common import page_jurisdiction

QUERY_LIMIT = 100


@bp.get("/pupils")
def pupils_index():
    """Search the school's pupils (and its cases, accounts and notes), or list them."""
    school = db.session.get(School, current_school_id(Role.DSL))
    query = " ".join(request.args.get("q", "").split())[:QUERY_LIMIT]
    on_roll, left = directory.counts(db.session, school.id)
    if not query:
        rows, total = directory.listing(db.session, school.id, page_number())
        return render_template("triage/pupils.html", school=school, query="", rows=rows,
                               total=total, page=page_number(), page_size=directory.PAGE_SIZE,
                               on_roll=on_roll, left=left)
    found = pupil_search.search(db.session, school.id, query)
    also = elsewhere.find(db.session, school.id, query)
    # What was typed is not stored: a name in the audit trail would outlive the record.
    audited_as(AuditAction.SEARCH_PUPILS, AuditRecordType.SCHOOL, school.id, school.id)
    page = render_template("triage/pupils.html", school=school, query=query, found=found,
                           also=also, on_roll=on_roll, left=left)
    db.session.commit()
    return page


def _pupil(public_id: str) -> Pupil:
    return get_for_school_or_404(Pupil, public_id, Role.DSL)


def _recipient_names(school_id: int) -> dict[str, str]:
    return {kind: r.name for kind, r in page_jurisdiction(school_id).recipients.items()}


@bp.get("/pupils/<public_id>")
def pupil_page(public_id: str):
    """The child's page: who they are, their siblings, their safety plans' measures, and one
    chronology across cases."""
    pupil = _pupil(public_id)
    audited_as(AuditAction.VIEW_PUPIL, AuditRecordType.PUPIL, pupil.public_id, pupil.school_id)
    page = _pupil_page(pupil)
    db.session.commit()
    return page


def _pupil_page(pupil: Pupil, status: int = 200, problem: str | None = None):
    shown = history.page(db.session, pupil, page_number(), _recipient_names(pupil.school_id))
    return render_template("triage/pupil.html", pupil=pupil, chronology=shown,
                           siblings=directory.siblings(db.session, pupil),
                           cases=history.cases_of(db.session, pupil),
                           plans=safety_plan.for_pupil(db.session, pupil),
                           roles=PersonRole.labels(), problem=problem,
                           typed=request.form), status


@bp.post("/pupils/<public_id>/left")
@once_per_form
def pupil_left(public_id: str):
    """Mark a child as left by hand: their open cases prompt the DSL to hand the file on."""
    pupil = _pupil(public_id)
    try:
        cases = leaving.mark_left(db.session, pupil, request.form.get("left_on", ""),
                                  current_user.id)
    except leaving.LeavingError as error:
        db.session.rollback()
        return _pupil_page(_pupil(public_id), 400, error_text(error))
    audited_as(AuditAction.MARK_LEFT, AuditRecordType.PUPIL, pupil.public_id, pupil.school_id)
    for case in cases:
        audited(AuditAction.MARK_LEFT, case)
    db.session.commit()
    flash(gettext("%(name)s marked as left. Their file is waiting to be handed on from each "
                  "open case they are on.", name=pupil.full_name) if cases else
          gettext("%(name)s marked as left.", name=pupil.full_name), "success")
    return redirect(url_for("triage.pupil_page", public_id=public_id))


@bp.get("/pupils/<public_id>/print")
def pupil_print(public_id: str):
    """The child's page on paper: the whole chronology, no navigation."""
    pupil = _pupil(public_id)
    audited_as(AuditAction.PRINT_PUPIL, AuditRecordType.PUPIL, pupil.public_id, pupil.school_id)
    page = render_template("triage/pupil_print.html", pupil=pupil,
                           entries=history.entries(db.session, pupil,
                                                   _recipient_names(pupil.school_id)),
                           siblings=directory.siblings(db.session, pupil),
                           cases=history.cases_of(db.session, pupil),
                           plans=safety_plan.for_pupil(db.session, pupil),
                           roles=PersonRole.labels())
    db.session.commit()
    return page


@bp.get("/pupils/import")
def pupils_import():
    """Choose the export file to import."""
    school = db.session.get(School, current_school_id(Role.DSL))
    return render_template("triage/pupils_import.html", school=school, problem=None)


@bp.post("/pupils/import/preview")
@once_per_form
def pupils_preview():
    """Read the file and show its columns matched to our fields, to check before importing."""
    school = db.session.get(School, current_school_id(Role.DSL))
    upload = request.files.get("file")
    try:
        if upload is None or not upload.filename:
            raise importing.ImportFileError(N_("Choose the CSV file exported from your system."))
        sheet = importing.read_csv(upload.read())
    except importing.ImportFileError as error:
        db.session.rollback()
        return render_template("triage/pupils_import.html", school=school,
                               problem=error_text(error)), 400
    record = importing.remembered(db.session, school.id)
    record.pending_text = _as_text(sheet)
    db.session.commit()
    return _preview(school, sheet, importing.guess_mapping(sheet.headings, record.columns))


def _as_text(sheet: importing.SheetFile) -> str:
    out = io.StringIO()
    csv.writer(out).writerows([sheet.headings, *sheet.rows])
    return out.getvalue()


def _preview(school: School, sheet: importing.SheetFile, mapping: dict[str, str],
             problem: str | None = None, status: int = 200):
    return render_template("triage/pupils_preview.html", school=school, sheet=sheet,
                           mapping=mapping, fields=PupilField.labels(),
                           required=importing.REQUIRED, sample=sheet.rows[:5],
                           problem=problem), status


@bp.post("/pupils/import")
@once_per_form
def pupils_import_run():
    """Import the previewed file with the columns as mapped; one transaction, then a summary."""
    school = db.session.get(School, current_school_id(Role.DSL))
    record = importing.remembered(db.session, school.id)
    if not record.pending_text:
        db.session.rollback()
        return render_template("triage/pupils_import.html", school=school,
                               problem=gettext("Choose the file again: there is no file "
                                               "waiting to be imported.")), 400
    sheet = importing.read_text(record.pending_text)
    mapping = {name: request.form.get(name, "") for name in PupilField.values()}
    try:
        summary = importing.apply(db.session, school.id, sheet, mapping)
    except importing.ImportFileError as error:
        db.session.rollback()
        return _preview(school, sheet, mapping, error_text(error), 400)
    audited_as(AuditAction.PUPILS_IMPORTED, AuditRecordType.SCHOOL, school.id, school.id)
    for case in summary.cases_to_hand_on:
        audited(AuditAction.MARK_LEFT, case)
    db.session.commit()
    return render_template("triage/pupils_imported.html", school=school, summary=summary,
                           by=current_user)


@bp.app_template_global()
def works_directory(school_id: int) -> bool:
    """Whether the signed-in user may use the school's pupil directory and files handed on:
    its DSLs, not a head teacher or chair of governors working a case about staff."""
    return school_id in current_user.school_ids_with(Role.DSL)
