"""The register on report and case pages: how widely each named account is known, and
naming a further account on a case.

The report and case pages belong to triage; they include small partials that call
`register_accounts(...)`, which this module makes available to every template.
"""

from __future__ import annotations

from dataclasses import dataclass

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext
from flask_login import current_user
from werkzeug.routing import BuildError

from schoolsafe.extensions import db
from schoolsafe.models import Case, OnlineAccount, Report
from schoolsafe.register import forms
from schoolsafe.security.access import get_for_school_or_404
from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.register import entry as register_entry
from schoolsafe.services.register import linking as register
from schoolsafe.services.register import queries as register_queries
from schoolsafe.vocab import AccountKind, AccountStatus, AuditAction, Role
from schoolsafe.web.audit import audited
from schoolsafe.web.once import once_per_form
from schoolsafe.web.words import error_text

from . import bp
from .common import labels


@dataclass(frozen=True)
class LinkedAccount:
    """One account named on a report or case, with how widely it is named."""

    account: OnlineAccount
    reach: register_queries.Reach
    open_flags: list[OnlineAccount]


def register_accounts(report: Report | None = None, case: Case | None = None,
                      ) -> list[LinkedAccount]:
    """The accounts a report or case names, each with its counts and open lookalike flags."""
    if report is not None:
        accounts = register_queries.accounts_in_report(db.session, report.id)
    elif case is not None:
        accounts = register_queries.accounts_in_case(db.session, case)
    else:
        return []
    # Counts and flags for every account at once: the page costs the same few queries
    # whether the case names two accounts or forty.
    reaches = register_queries.reaches(db.session, accounts)
    flags = register_entry.open_flags_of(db.session, accounts)
    return [LinkedAccount(account, reaches[account.id], flags.get(account.id, []))
            for account in accounts]


@bp.app_context_processor
def _register_helpers() -> dict[str, object]:
    return {"register_accounts": register_accounts,
            "register_platforms": PLATFORMS, "register_kinds": AccountKind.labels(),
            "register_statuses": AccountStatus.labels(), "register_case_url": case_url}


@bp.post("/cases/<case_id>/places")
@once_per_form
def add_place(case_id: str):
    """Name an account, page or group on a case; it joins the register like a pupil's."""
    case = get_for_school_or_404(Case, case_id, Role.DSL)
    try:
        account = register.add_to_case(db.session, case, forms.place_input(request.form),
                                       current_user.id)
    except register.PlaceError as error:
        db.session.rollback()
        return render_template("register/case_place.html", case=case, problem=error_text(error),
                               typed=request.form, back=case_url(case), **labels()), 400
    audited(AuditAction.ADD_TO_CASE, account)
    audited(AuditAction.ADD_ACCOUNT, case)
    db.session.commit()
    flash(gettext("Added to the case and to the register."), "success")
    return redirect(case_url(case) or url_for("register.index"))


def case_url(case: Case) -> str | None:
    """The case's page, or None while the case pages are not installed."""
    try:
        return url_for("triage.case", public_id=case.public_id)
    except BuildError:
        return None
