"""How the school's staff sign in: its own OpenID Connect provider (Microsoft 365, Google
Workspace or another), required, allowed beside passwords, or off.

The client secret is never shown again once saved; leaving its box empty keeps it. Saving
reads the provider's discovery document and keys, so a mistyped issuer is caught here rather
than at a member of staff's next sign-in.
"""

from __future__ import annotations

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import IntegerField, PasswordField, RadioField, SelectField, StringField
from wtforms.validators import Length, NumberRange

from schoolsafe.extensions import db
from schoolsafe.models import School, SchoolSso
from schoolsafe.services.errors import FieldError
from schoolsafe.services.staff import sso, sso_secret, sso_settings
from schoolsafe.vocab import AuditAction, AuditRecordType, SsoMode, SsoPreset
from schoolsafe.web.audit import audited_as
from schoolsafe.web.forms import term_options
from schoolsafe.web.once import once_per_form
from schoolsafe.web.words import _l, error_text

from . import bp
from .common import current_school


class SsoForm(FlaskForm):
    """The school's sign-in settings."""

    mode = RadioField(_l("How staff sign in"), choices=term_options(SsoMode),
                      default=SsoMode.OFF, validate_choice=False)
    preset = SelectField(_l("Kind of provider"), choices=term_options(SsoPreset),
                         default=SsoPreset.OTHER, validate_choice=False)
    issuer = StringField(_l("Issuer address"), validators=[Length(max=300)],
                         render_kw={"spellcheck": "false", "autocomplete": "off"})
    client_id = StringField(_l("Client ID"), validators=[Length(max=300)],
                            render_kw={"spellcheck": "false", "autocomplete": "off"})
    client_secret = PasswordField(_l("Client secret"), validators=[Length(max=500)],
                                  render_kw={"autocomplete": "new-password"})
    mfa_values = StringField(_l("Provider sign-in values that mean a second factor was checked"),
                             validators=[Length(max=300)],
                             render_kw={"spellcheck": "false", "autocomplete": "off"})
    reconfirm_hours = IntegerField(
        _l("Hours before checking with the provider again"), default=sso_settings.RECONFIRM_HOURS,
        validators=[NumberRange(min=1, max=24, message=_l("Type a number of hours from 1 to 24."))],
        render_kw={"inputmode": "numeric"})


def _form_for(settings: SchoolSso | None, preset: str | None) -> SsoForm:
    if preset in SsoPreset.values():
        filled = sso_settings.preset_values(preset)
        return SsoForm(data={"preset": preset, "issuer": filled["issuer"],
                             "mode": settings.mode if settings else SsoMode.BOTH,
                             "client_id": settings.client_id if settings else "",
                             "mfa_values": " ".join(filled["mfa_values"]),
                             "reconfirm_hours": (settings.reconfirm_hours if settings
                                                 else sso_settings.RECONFIRM_HOURS)})
    if settings is None:
        return SsoForm(data={"mfa_values": "mfa", "reconfirm_hours": sso_settings.RECONFIRM_HOURS})
    return SsoForm(data={"mode": settings.mode, "preset": settings.preset,
                         "issuer": settings.issuer, "client_id": settings.client_id,
                         "mfa_values": " ".join(settings.mfa_values),
                         "reconfirm_hours": settings.reconfirm_hours})


@bp.get("/sign-in")
def sso_page():
    """The school's sign-in settings; `?preset=` fills in a provider's usual values."""
    school = current_school()
    settings = sso.settings_for(db.session, school.id)
    return _page(school, settings, _form_for(settings, request.args.get("preset")))


@bp.post("/sign-in")
@once_per_form
def sso_save():
    """Save the settings after reading the provider; a problem keeps what was typed."""
    school = current_school()
    form = SsoForm()
    settings = sso.settings_for(db.session, school.id)
    if not form.validate():
        return _page(school, settings, form, 400)
    choice = sso_settings.SsoChoice(
        mode=form.mode.data or "", preset=form.preset.data or "",
        issuer=form.issuer.data or "", client_id=form.client_id.data or "",
        client_secret=form.client_secret.data or "",
        mfa_values=sso_settings.mfa_values_from(form.mfa_values.data or ""),
        reconfirm_hours=form.reconfirm_hours.data or sso_settings.RECONFIRM_HOURS)
    try:
        _, changed = sso_settings.save(db.session, school.id, current_user.id, choice,
                                       sso.discover, sso_secret.key_from(current_app.config))
    except FieldError as error:
        db.session.rollback()
        form[error.field].errors = [*form[error.field].errors, error_text(error)]
        return _page(school, settings, form, 400)
    if not changed:
        db.session.rollback()
        flash(gettext("Nothing had changed, so nothing was saved."), "info")
        return redirect(url_for("admin.sso_page"))
    audited_as(AuditAction.SSO_CHANGED, AuditRecordType.SCHOOL, school.id, school.id)
    db.session.commit()
    flash(gettext("Sign-in settings saved. The provider's details were read and kept."), "success")
    return redirect(url_for("admin.sso_page"))


def _page(school: School, settings: SchoolSso | None, form: SsoForm, status: int = 200):
    base = current_app.config["BASE_URL"]
    unreadable = bool(settings and settings.client_secret) and not sso_secret.readable(
        settings.client_secret, sso_secret.key_from(current_app.config))
    return render_template(
        "admin/sso.html", school=school, settings=settings, form=form,
        secret_unreadable=sso_secret.UNREADABLE if unreadable else None,
        redirect_uri=base + url_for("auth.sso_callback"),
        sign_in_link=base + url_for("auth.school_sign_in", slug=school.slug),
        presets=SsoPreset), status
