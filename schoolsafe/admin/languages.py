"""The languages a school's pupils can read their pages in, set by its administrator."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext

from schoolsafe.admin.forms import LanguagesForm
from schoolsafe.extensions import db
from schoolsafe.services.errors import FieldError
from schoolsafe.services.languages import set_school_languages
from schoolsafe.vocab import AuditAction, AuditRecordType
from schoolsafe.web.audit import audited_as
from schoolsafe.web.once import once_per_form
from schoolsafe.web.packs import packs
from schoolsafe.web.words import error_text

from . import bp
from .common import current_school


@bp.route("/languages", methods=["GET", "POST"])
@once_per_form
def school_languages():
    """Choose the languages pupils can switch to, and the one pupil pages open in."""
    school = current_school()
    form = LanguagesForm(data={"language": school.language, "languages": school.languages})
    if request.method == "GET":
        return render_template("admin/languages.html", school=school, form=form)
    if form.validate():
        try:
            set_school_languages(db.session, school, form.language.data or "",
                                 form.languages.data or [], packs()[school.jurisdiction].languages)
        except FieldError as error:
            db.session.rollback()
            form[error.field].errors = [*form[error.field].errors, error_text(error)]
        else:
            audited_as(AuditAction.LANGUAGES_CHANGED, AuditRecordType.SCHOOL, school.id,
                       school.id)
            db.session.commit()
            flash(gettext("Languages saved."), "success")
            return redirect(url_for("admin.school_languages"))
    return render_template("admin/languages.html", school=school, form=form), 400
