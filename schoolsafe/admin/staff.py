"""The staff pages: who works at this school, in which roles, and help for the locked out.

An administrator sees and changes only this school's memberships. Adding an email that already
has an account (at another school of the trust, say) adds a role here and nothing else, and
the pages never say where else the account works.
"""

from __future__ import annotations

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from sqlalchemy.exc import IntegrityError
from wtforms import BooleanField, EmailField, StringField
from wtforms.validators import DataRequired, Length

from schoolsafe.admin.forms import Checkboxes
from schoolsafe.extensions import db
from schoolsafe.jobs.mail import send_soon
from schoolsafe.mail.builders import store
from schoolsafe.models import School, User
from schoolsafe.models.base import utcnow
from schoolsafe.services.staff import admin as staff_admin
from schoolsafe.services.staff import password_reset
from schoolsafe.services.staff.admin import Member, NewMember, StaffAdminError
from schoolsafe.vocab import AuditAction, AuditRecordType, OutboxPurpose, Role, SignInMethod
from schoolsafe.web.audit import audited_as
from schoolsafe.web.forms import term_options
from schoolsafe.web.home import home_for
from schoolsafe.web.once import once_per_form
from schoolsafe.web.paging import page_number
from schoolsafe.web.words import _l, error_text

from . import bp
from .common import current_school

REFER_LABEL = _l("May send referrals (safeguarding leads always may)")


class MemberForm(FlaskForm):
    """What a member of staff may do at this school."""

    # Unknown values reach the service, which refuses them in plain words.
    roles = Checkboxes(_l("Roles at this school"), choices=term_options(Role),
                       validate_choice=False)
    can_refer = BooleanField(REFER_LABEL)


class NewMemberForm(MemberForm):
    """Someone to add to this school's staff."""

    name = StringField(_l("Name"), validators=[DataRequired(_l("Type their name.")),
                                           Length(max=staff_admin.NAME_LENGTH)],
                       render_kw={"autocomplete": "off"})
    email = EmailField(_l("Email"), validators=[DataRequired(_l("Type their email address.")),
                                            Length(max=254)],
                       render_kw={"autocomplete": "off", "spellcheck": "false"})


def _member_or_404(school: School, public_id: str) -> Member:
    member = staff_admin.find_member(db.session, school.id, public_id)
    if member is None:
        abort(404)
    return member


def _show_error(form: FlaskForm, error: StaffAdminError) -> None:
    field = form[error.field] if error.field in form else form.roles
    field.errors = [*field.errors, error_text(error)]


@bp.get("/staff")
def staff_list():
    """The school's staff, a page at a time, with their roles and sign-in state."""
    school = current_school()
    page = staff_admin.staff_page(db.session, school.id, page_number())
    return render_template("admin/staff.html", school=school, page=page, now=utcnow(),
                           sign_in_methods=SignInMethod.labels())


@bp.route("/staff/new", methods=["GET", "POST"])
@once_per_form
def staff_new():
    """Add someone to the school's staff; a new account is emailed a link to set a password."""
    school = current_school()
    form = NewMemberForm()
    if request.method == "GET":
        return render_template("admin/staff_new.html", school=school, form=form)
    if form.validate():
        data = NewMember(form.name.data or "", form.email.data or "",
                         tuple(form.roles.data or ()), form.can_refer.data)
        try:
            user, created = staff_admin.add_member(db.session, school.id, data,
                                                   current_app.config["PASSWORD_HASHER"])
        except StaffAdminError as error:
            db.session.rollback()
            _show_error(form, error)
        except IntegrityError:
            db.session.rollback()  # someone else added the same person a moment ago
            form.email.errors = [*form.email.errors, gettext(
                "That person was added a moment ago. Look for them in the staff list.")]
        else:
            _tell_new_member(school, user, created)
            audited_as(AuditAction.STAFF_ADDED, AuditRecordType.STAFF_USER, user.public_id,
                       school.id)
            db.session.commit()
            flash(gettext("%(name)s is now on the staff of %(school)s. We have emailed them how "
                          "to sign in.", name=user.name, school=school.name), "success")
            return redirect(url_for("admin.staff_member", public_id=user.public_id))
    return render_template("admin/staff_new.html", school=school, form=form), 400


def _tell_new_member(school: School, user: User, created: bool) -> None:
    """Email them how to sign in: a new account gets a single-use code to choose a password."""
    base = current_app.config["BASE_URL"]
    context = {"school_name": school.name, "sign_in": base + url_for("auth.sign_in"),
               "forgot": base + url_for("auth.forgot_password")}
    if created:
        # A code to type, not a token in the link: no secret may be part of a URL.
        code = password_reset.make_code(user, current_app.config["SECRET_KEY"], utcnow())
        minutes = int(current_app.config["PASSWORD_RESET_MAX_AGE"].total_seconds() // 60)
        send_soon(store(OutboxPurpose.STAFF_ADDED, user.email, "staff_welcome", school_id=school.id,
                        link=base + url_for("auth.reset_password"), code=code,
                        minutes=minutes, **context))
    else:
        send_soon(store(OutboxPurpose.STAFF_ADDED, user.email, "staff_added",
                        school_id=school.id, **context))


def _member_page(school: School, member: Member, form: MemberForm | None = None,
                 status: int = 200):
    form = form or MemberForm(data={"roles": list(member.roles), "can_refer": member.can_refer})
    return render_template("admin/staff_member.html", school=school, member=member, form=form,
                           is_me=member.user.id == current_user.id,
                           paused_until=member.paused_until(utcnow())), status


@bp.get("/staff/<public_id>")
def staff_member(public_id: str):
    """One member of staff: their roles here, and the buttons for when they are stuck."""
    school = current_school()
    return _member_page(school, _member_or_404(school, public_id))


@bp.post("/staff/<public_id>")
@once_per_form
def staff_change(public_id: str):
    """Change a member's roles and permission to refer at this school."""
    school = current_school()
    member = _member_or_404(school, public_id)
    form = MemberForm()
    try:
        changed = staff_admin.change_member(db.session, school.id, member, current_user.id,
                                            form.roles.data or [], form.can_refer.data)
    except StaffAdminError as error:
        db.session.rollback()
        _show_error(form, error)
        return _member_page(school, member, form, 400)
    if not changed:
        flash(gettext("Nothing has changed."), "info")
        return redirect(url_for("admin.staff_member", public_id=public_id))
    audited_as(AuditAction.STAFF_ROLES_CHANGED, AuditRecordType.STAFF_USER, member.user.public_id,
               school.id)
    db.session.commit()
    flash(gettext("Saved what %(name)s can do at %(school)s.", name=member.user.name,
                  school=school.name), "success")
    return _after_own_change(school, member, url_for("admin.staff_member", public_id=public_id))


def _after_own_change(school: School, member: Member, then: str):
    """On to `then`, or to the user's start page if they have just left the staff pages."""
    if member.user.id == current_user.id \
            and school.id not in current_user.school_ids_with(Role.ADMIN):
        return redirect(home_for(current_user))
    return redirect(then)


@bp.post("/staff/<public_id>/remove")
@once_per_form
def staff_remove(public_id: str):
    """Ask to be sure, then take a member off this school's staff (and its routing list)."""
    school = current_school()
    member = _member_or_404(school, public_id)
    if request.form.get("confirm") != "yes":
        problem = staff_admin.removal_problem(db.session, school.id, member, current_user.id)
        if problem:
            flash(error_text(problem), "error")
            return redirect(url_for("admin.staff_member", public_id=public_id))
        return render_template("admin/staff_remove.html", school=school, member=member,
                               is_me=member.user.id == current_user.id)
    try:
        routes = staff_admin.remove_member(db.session, school.id, member, current_user.id)
    except StaffAdminError as error:
        db.session.rollback()
        flash(error_text(error), "error")
        return redirect(url_for("admin.staff_member", public_id=public_id))
    audited_as(AuditAction.STAFF_REMOVED, AuditRecordType.STAFF_USER, member.user.public_id,
               school.id)
    for route_id in routes:
        audited_as(AuditAction.ROUTING_REMOVED, AuditRecordType.ALERT_ROUTE, route_id, school.id)
    db.session.commit()
    if routes:
        done = gettext("%(name)s is no longer on the staff of %(school)s or its routing list. "
                       "Their account is still there, so you can add them again at any time.",
                       name=member.user.name, school=school.name)
    else:
        done = gettext("%(name)s is no longer on the staff of %(school)s. Their account is "
                       "still there, so you can add them again at any time.",
                       name=member.user.name, school=school.name)
    flash(done, "success")
    return _after_own_change(school, member, url_for("admin.staff_list"))


@bp.post("/staff/<public_id>/reset-two-factor")
@once_per_form
def staff_reset_two_factor(public_id: str):
    """Forget a member's authenticator (a lost phone) and sign them out everywhere."""
    school = current_school()
    member = _member_or_404(school, public_id)
    try:
        staff_admin.reset_two_factor(db.session, member, current_user.id)
    except StaffAdminError as error:
        flash(error_text(error), "error")
        return redirect(url_for("admin.staff_member", public_id=public_id))
    send_soon(store(OutboxPurpose.TWO_FACTOR_RESET, member.user.email, "two_factor_reset",
                    school_id=school.id, school_name=school.name,
                    sign_in=current_app.config["BASE_URL"] + url_for("auth.sign_in")))
    audited_as(AuditAction.TWO_FACTOR_RESET, AuditRecordType.STAFF_USER, member.user.public_id,
               school.id)
    db.session.commit()
    flash(gettext("Two-factor sign-in for %(name)s has been reset and they have been signed "
                  "out everywhere. Next time they sign in they will set it up again with their "
                  "new phone.", name=member.user.name), "success")
    return redirect(url_for("admin.staff_member", public_id=public_id))


@bp.post("/staff/<public_id>/unpause")
@once_per_form
def staff_unpause(public_id: str):
    """Let a member whose sign-in was paused after wrong tries try again now."""
    school = current_school()
    member = _member_or_404(school, public_id)
    if not staff_admin.unpause(member):
        db.session.rollback()
        flash(gettext("Signing in isn't paused for %(name)s, so there was nothing to do.",
                      name=member.user.name), "info")
        return redirect(url_for("admin.staff_member", public_id=public_id))
    audited_as(AuditAction.STAFF_UNPAUSED, AuditRecordType.STAFF_USER, member.user.public_id,
               school.id)
    db.session.commit()
    flash(gettext("%(name)s can try signing in again now.", name=member.user.name), "success")
    return redirect(url_for("admin.staff_member", public_id=public_id))
