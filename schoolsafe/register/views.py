"""The register of online accounts, pages and groups seen in reports and cases.

Each change is one POST handled the same way: load the entry within the user's schools, call
one service function, audit, commit, and on a refused change show the entry again with what
was typed and why.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from urllib.parse import urlencode

from flask import current_app, flash, redirect, render_template, request, url_for
from flask.blueprints import BlueprintSetupState
from flask_babel import gettext
from flask_login import current_user
from sqlalchemy import select
from werkzeug.routing import BuildError

from schoolsafe.extensions import db
from schoolsafe.models import OnlineAccount, School
from schoolsafe.models.base import utcnow
from schoolsafe.register import forms
from schoolsafe.security.access import get_for_school_or_404, lead_trust_ids, school_ids
from schoolsafe.services.accounts.platform_help import DEFAULT_PATH, load_platforms
from schoolsafe.services.register import lookalikes as register_lookalikes
from schoolsafe.services.register import status as register_status
from schoolsafe.services.register.entry import LISTS, EntryPage, entry_page, open_flags
from schoolsafe.services.register.lookalikes import LookalikeError
from schoolsafe.services.register.queries import RegisterFilter, list_entries, school_names
from schoolsafe.services.register.status import StatusError
from schoolsafe.templating import page_time
from schoolsafe.vocab import N_, AuditAction, AuditRecordType, Role
from schoolsafe.web.audit import audited, audited_as
from schoolsafe.web.once import once_per_form
from schoolsafe.web.packs import page_packs
from schoolsafe.web.paging import page_number
from schoolsafe.web.words import error_text

from . import bp
from .common import labels

DECISIONS = {"confirm": register_lookalikes.confirm, "dismiss": register_lookalikes.dismiss}
# What the audit trail calls each decision.
LOOKALIKE_ACTIONS = {"confirm": AuditAction.LOOKALIKE_CONFIRM,
                     "dismiss": AuditAction.LOOKALIKE_DISMISS}

# Each paged list on the entry page has its own page number in the address.
PAGE_ARGS = {name: f"{name}_page" for name in LISTS}
# Stands in for a public id while an address is built once for a whole list of rows.
_ID_SLOT = "PUBLIC-ID"


@bp.record_once
def _load_platform_help(state: BlueprintSetupState) -> None:
    """Read the platform help at start-up, so a broken file stops the app, not a page."""
    path = state.app.config.get("PLATFORMS_FILE") or DEFAULT_PATH
    state.app.extensions["platforms"] = load_platforms(path)


@bp.get("/")
def index():
    """The register: entries of the user's schools, filtered and sorted, a page at a time."""
    ids = school_ids(Role.DSL)
    if not ids:
        return redirect(url_for("register.trust_index"))
    wanted = RegisterFilter.from_args(request.args.to_dict(), ids)
    audited_as(AuditAction.VIEW_LIST, AuditRecordType.ACCOUNT, "register",
               wanted.school_id or ids[0])
    html = render_template(
        "register/index.html", page=list_entries(db.session, ids, wanted), wanted=wanted,
        flags=open_flags(db.session, ids),
        # One school needs no names: the school column and filter only show for several.
        schools=school_names(db.session, ids) if len(ids) > 1 else {},
        leads_trust=bool(lead_trust_ids(current_user)), entry_url=_url_start("register.entry"),
        query_args={k: v for k, v in request.args.items() if k != "page"}, **labels())
    # Committed once the page is rendered: a commit expires every loaded row (and the
    # signed-in user), which the page would otherwise fetch again one by one.
    db.session.commit()
    return html


@bp.get("/entries/<public_id>")
def entry(public_id: str):
    """One entry: aliases, lookalikes, sightings, reports, cases, history, next steps."""
    account = get_for_school_or_404(OnlineAccount, public_id, Role.DSL)
    audited(AuditAction.VIEW, account)
    page = _entry_page(account)
    db.session.commit()  # after rendering, as for the list
    return page


def _entry_page(account: OnlineAccount, status: int = 200, **extra: object):
    # Only the two facts the page needs, not the whole school row.
    timezone, trust_id = db.session.execute(select(School.timezone, School.trust_id)
                                            .where(School.id == account.school_id)).one()
    wanted = {name: page_number(arg) for name, arg in PAGE_ARGS.items()}
    page = entry_page(db.session, account, page_packs(),
                      in_trust=trust_id is not None, pages=wanted)
    return render_template(
        "register/entry.html", page=page,
        help=current_app.extensions["platforms"].get(account.platform),
        local=lambda value: forms.local_time(value, timezone),
        when=lambda value: _shown_time(value, timezone), now=utcnow(),
        page_link=_page_links(account.public_id, page), page_args=_page_args(page),
        report_url=_url_start("triage.report"), case_url=_url_start("triage.case"),
        entry_url=_url_start("register.entry"), typed=request.form,
        **labels(), **{"failed": None, "problem": None, **extra}), status


def _shown_time(value: datetime | None, timezone: str) -> str:
    """A stored time as the school reads it, e.g. "07 Mar 2026, 14:05" ("" for none)."""
    return page_time(forms.local_time(value, timezone)).strftime("%d %b %Y, %H:%M") \
        if value else ""


def _page_args(page: EntryPage) -> dict[str, int]:
    """The page number of each list that isn't on its first page, as query arguments."""
    return {arg: getattr(page, name).number for name, arg in PAGE_ARGS.items()
            if getattr(page, name).number > 1}


def _page_links(public_id: str, page: EntryPage) -> Callable[[str, int, str], str]:
    """Builds the address of another page of one list, keeping the others where they are."""
    base = url_for("register.entry", public_id=public_id)
    kept = _page_args(page)

    def link(name: str, number: int, anchor: str) -> str:
        args = {**kept, PAGE_ARGS[name]: number}
        if number == 1:
            del args[PAGE_ARGS[name]]
        return f"{base}?{urlencode(args)}#{anchor}" if args else f"{base}#{anchor}"

    return link


def _url_start(endpoint: str) -> str | None:
    """The address of `endpoint` up to its public id, built once so a list of rows only
    appends each row's id (None when that page isn't installed)."""
    try:
        address = url_for(endpoint, public_id=_ID_SLOT)
    except BuildError:
        return None
    if not address.endswith(_ID_SLOT):
        raise ValueError(f"{endpoint} does not end with its public id")
    return address[:-len(_ID_SLOT)]


def _change(public_id: str, action: AuditAction, form_name: str,
            change: Callable[[OnlineAccount, str], object], done: str):
    """Apply one change to an entry, audit it, and go back to it (or show why not)."""
    account = get_for_school_or_404(OnlineAccount, public_id, Role.DSL)
    timezone = db.session.get(School, account.school_id).timezone
    try:
        change(account, timezone)
    except (StatusError, LookalikeError) as error:
        db.session.rollback()
        return _entry_page(account, 400, failed=form_name, problem=error_text(error),
                           problem_field=getattr(error, "field", None))
    audited(action, account)
    db.session.commit()
    flash(gettext(done), "success")
    # Back to the same page of each list, so an answer recorded on page 3 stays in view.
    pages = {arg: page_number(arg) for arg in PAGE_ARGS.values() if arg in request.args}
    return redirect(url_for("register.entry", public_id=public_id, **pages))


@bp.post("/entries/<public_id>/kind")
@once_per_form
def set_kind(public_id: str):
    """Say what sort of account this is."""
    return _change(public_id, AuditAction.SET_KIND, "kind", lambda account, _tz:
                   register_status.set_kind(db.session, account, request.form.get("kind", ""),
                                            current_user.id), N_("Kind saved."))


@bp.post("/entries/<public_id>/platform-reports")
@once_per_form
def report_to_platform(public_id: str):
    """Record that it was reported to the platform (or escalated to POSH and others)."""
    return _change(public_id, AuditAction.PLATFORM_REPORT, "report", lambda account, tz:
                   register_status.report_to_platform(
                       db.session, account, forms.platform_report_input(request.form, tz),
                       current_user.id), N_("Report recorded."))


@bp.post("/entries/<public_id>/platform-reports/<int:number>/answer")
@once_per_form
def record_answer(public_id: str, number: int):
    """Record the platform's answer to one of the reports (numbered from 1, oldest first)."""
    def change(account: OnlineAccount, timezone: str) -> None:
        report = register_status.platform_report(db.session, account.id, number)
        if report is None:
            raise StatusError("outcome", N_("That report couldn't be found. Please try again."))
        register_status.record_answer(db.session, account, report,
                                      forms.answer_input(request.form, timezone),
                                      current_user.id)

    return _change(public_id, AuditAction.PLATFORM_ANSWER, f"answer-{number}", change,
                   N_("Answer recorded."))


@bp.post("/entries/<public_id>/removed")
@once_per_form
def mark_removed(public_id: str):
    """Record that the account or page has been taken down."""
    return _change(public_id, AuditAction.REMOVED, "removed", lambda account, tz:
                   register_status.mark_removed(db.session, account,
                                                forms.typed_time(request.form, "removed", tz),
                                                current_user.id),
                   N_("Marked as taken down. It will be flagged if it comes back."))


@bp.post("/entries/<public_id>/seen-again")
@once_per_form
def seen_again(public_id: str):
    """Record that a taken-down account is back."""
    return _change(public_id, AuditAction.SEEN_AGAIN, "seen-again", lambda account, _tz:
                   register_status.mark_seen_again(db.session, account, current_user.id),
                   N_("Marked as back up. Report it again."))


@bp.post("/entries/<public_id>/lookalikes/<other_id>/<decision>")
@once_per_form
def decide_lookalike(public_id: str, other_id: str, decision: str):
    """Confirm two entries are the same account, or say they are not."""
    other = get_for_school_or_404(OnlineAccount, other_id, Role.DSL)
    # Any other decision is refused inside change(), before anything is audited.
    action = LOOKALIKE_ACTIONS.get(decision, AuditAction.LOOKALIKE_DISMISS)

    def change(account: OnlineAccount, _tz: str) -> None:
        flag = register_lookalikes.flag_between(db.session, account, other)
        if flag is None or decision not in DECISIONS:
            raise LookalikeError("These two entries were never flagged as alike.")
        DECISIONS[decision](db.session, flag, current_user.id)
        audited(action, other)

    done = (N_("Saved: they are the same account.") if decision == "confirm"
            else N_("Saved: they are different accounts. They won't be flagged again."))
    return _change(public_id, action, f"flag-{other_id}", change, done)

