"""A member of staff's own account: two-factor status, recovery codes, schools, sessions."""

from __future__ import annotations

from flask import flash, redirect, render_template, request, session, url_for
from flask_babel import gettext, refresh
from flask_login import current_user
from sqlalchemy import select

from schoolsafe.auth.forms import ConfirmForm, LanguageForm
from schoolsafe.extensions import db
from schoolsafe.models import School, Trust
from schoolsafe.security import sessions
from schoolsafe.security.access import lead_trust_ids, require
from schoolsafe.services.errors import FieldError
from schoolsafe.services.languages import set_staff_language
from schoolsafe.services.staff import sign_in as staff_auth
from schoolsafe.vocab import N_, AuditAction, Role, SignInMethod
from schoolsafe.web.home import home_for
from schoolsafe.web.words import error_text

from . import bp
from .common import audit_user


def _schools() -> list[tuple[School, list[str]]]:
    ids = sorted({m.school_id for m in current_user.memberships})
    schools = db.session.scalars(select(School).where(School.id.in_(ids)).order_by(School.name))
    return [(s, sorted(Role(r).label for r in current_user.roles_in(s.id))) for s in schools]


@bp.get("/account")
@require()
def account():
    """What the user can check and change about their own sign-in."""
    trusts = db.session.scalars(select(Trust).where(Trust.id.in_(lead_trust_ids(current_user)))
                                .order_by(Trust.name)).all()
    row = sessions.current_row()
    method = row.sign_in_method if row is not None else None
    return render_template(
        "auth/account.html", form=ConfirmForm(), schools=_schools(), trusts=trusts,
        language_form=LanguageForm(data={"language": current_user.language or ""}),
        codes_left=staff_auth.recovery_codes_left(db.session, current_user),
        working_in=session.get("school_id"),
        this_session=SignInMethod(method).label if method in SignInMethod.values() else None)


@bp.post("/account/recovery-codes")
@require()
def new_recovery_codes():
    """Replace every recovery code with new ones, shown once in this response."""
    if current_user.totp_confirmed_at is None:
        flash(gettext("Set up two-factor sign-in first; recovery codes come with it."), "error")
        return redirect(url_for("auth.account"))
    codes = staff_auth.new_recovery_codes(db.session, current_user)
    audit_user(AuditAction.RECOVERY_CODES_NEW, current_user)
    db.session.commit()
    return render_template("auth/recovery_codes.html", codes=codes, replaced=True,
                           next=url_for("auth.account"))


@bp.post("/account/language")
@require()
def language():
    """Show this member of staff their pages in the language they chose."""
    form = LanguageForm()
    try:
        if not form.validate():
            raise FieldError("language", N_("Choose a language from the list."))
        set_staff_language(db.session, current_user, form.language.data or None)
    except FieldError as error:
        db.session.rollback()
        flash(error_text(error), "error")
        return redirect(url_for("auth.account"))
    audit_user(AuditAction.LANGUAGE_CHOSEN, current_user)
    db.session.commit()
    refresh()  # say so in the language just chosen
    flash(gettext("Your language is saved."), "success")
    return redirect(url_for("auth.account"))


@bp.post("/account/school")
@require()
def choose_school():
    """Work in another of the user's schools (pages that show one school show this one)."""
    school = db.session.scalar(select(School).where(School.slug == request.form.get("school")))
    if school is None or not current_user.roles_in(school.id):
        flash(gettext("You don't have a role in that school."), "error")
        return redirect(url_for("auth.account"))
    session["school_id"] = school.id
    flash(gettext("You are now working in %(school)s.", school=school.name), "success")
    return redirect(home_for(current_user))
