"""The DSL's workspace: the queue of reports and each report.

Case pages live in triage/cases.py on the same blueprint.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from flask import abort, flash, redirect, render_template, request, session, url_for
from flask_babel import get_locale, gettext
from flask_login import current_user

from schoolsafe.extensions import db
from schoolsafe.models import Case, Report, School
from schoolsafe.security.access import current_school_id, get_for_school_or_404
from schoolsafe.services.allegations import visibility
from schoolsafe.services.cases import opening as cases
from schoolsafe.services.cases.work import school_dsls
from schoolsafe.services.local_time import month_name, to_zone
from schoolsafe.services.reports import earlier as earlier_reports
from schoolsafe.services.reports import followup, triage
from schoolsafe.services.reports.categories import CATEGORY_LABELS, WANTS_TO_TALK
from schoolsafe.vocab import (
    ABOUT_QUEUE_LABELS,
    CASEWORK_ROLES,
    AuditAction,
    EarlierWhen,
    QueueFilter,
    ReportSource,
    ReportStatus,
    Urgency,
)
from schoolsafe.web.audit import audited
from schoolsafe.web.once import once_per_form
from schoolsafe.web.paging import page_number
from schoolsafe.web.words import error_text

from . import bp
from .common import report_page, sync_checklist


@bp.get("/")
def queue():
    """Open reports, most urgent and oldest first, with filters and search."""
    school = db.session.get(School, current_school_id(*CASEWORK_ROLES))
    filters = triage.filters_from(request.args)
    result = triage.queue(db.session, school.id, filters, page_number(below_one_is_404=True),
                          timezone=school.timezone, after=request.args.get("after", "")[:40],
                          before=request.args.get("before", "")[:40])
    query_args = {k: v for k, v in request.args.items() if k not in PLACE_ARGS}
    return render_template(
        "triage/queue.html", school=school, result=result, filters=filters,
        lines=queue_lines(result.rows, school.timezone), pages=queue_pages(result, query_args),
        # The navigation shows the same count: given here, it is not counted twice.
        unacknowledged=result.unacknowledged,
        nav_unacknowledged=lambda: result.unacknowledged,
        restricted_elsewhere=visibility.restricted_elsewhere(db.session, school.id),
        dsls=school_dsls(db.session, school.id), levels=Urgency.values(),
        categories=CATEGORY_LABELS, status_filters=QueueFilter.labels())


# Where a page of the queue starts: its number, and the report just before or after it.
PLACE_ARGS = ("page", "after", "before")


@dataclass(frozen=True, slots=True)
class QueueLine:
    """One row of the queue as shown, each cell's text worked out once (a page has fifty)."""

    urgency: str
    urgency_label: str
    received: str
    about: str
    what: str
    status: str
    report_url: str
    case_reference: str | None
    case_url: str
    assignee: str | None


def queue_lines(rows: list[triage.QueueRow], timezone: str) -> list[QueueLine]:
    """The queue's rows in words (times in the school's zone), with addresses built from one
    prefix per page."""
    report_url, case_url = url_prefix("triage.report"), url_prefix("triage.case")
    lines = []
    urgencies, statuses = Urgency.labels(), ReportStatus.labels()
    for row in rows:
        report = row.report
        about = ABOUT_QUEUE_LABELS.get(report.about, report.about)
        if report.source == ReportSource.STAFF_CONCERN:
            about = gettext("%(about)s (staff concern)", about=about)
        if report.restricted_to:
            about = gettext("%(about)s - about a member of staff", about=about)
        what = "; ".join(gettext(CATEGORY_LABELS.get(c, c)) for c in report.category_codes)
        if report.choices == (WANTS_TO_TALK.code,):
            what = gettext(WANTS_TO_TALK.label)
        lines.append(QueueLine(
            report.urgency, urgencies.get(report.urgency, report.urgency),
            received_text(to_zone(report.received_at, timezone)),
            about, what or gettext("Not said"), statuses.get(report.status, report.status),
            report_url + report.public_id, row.case_reference,
            case_url + (row.case_public_id or ""), row.assignee_name))
    return lines


def queue_pages(result: triage.QueuePage, query_args: dict[str, str]) -> dict[str, str]:
    """The previous and next page links; each names the report its page starts beside."""
    links = {}
    if result.has_previous:
        place = {} if result.number == 2 else {"before": result.first_id}  # page 1 is plain
        links["previous"] = url_for("triage.queue", page=result.number - 1, **place,
                                    **query_args)
    if result.has_next:
        links["next"] = url_for("triage.queue", page=result.number + 1, after=result.last_id,
                                **query_args)
    return links


def url_prefix(endpoint: str) -> str:
    """An endpoint's address up to its public id, built once rather than once per row."""
    return url_for(endpoint, public_id="~")[:-1]


def received_text(when: datetime) -> str:
    """A date and time as '05 Mar 2026 14:07', like strftime('%d %b %Y %H:%M') but faster;
    the month's short name in the page's language."""
    return (f"{when.day:02d} {month_name(when.month, str(get_locale()))} {when.year} "
            f"{when.hour:02d}:{when.minute:02d}")


@bp.get("/reports/<public_id>")
def report(public_id: str):
    """One report as the pupil gave it; opening it is audited."""
    record = get_for_school_or_404(Report, public_id, *CASEWORK_ROLES)
    audited(AuditAction.VIEW, record)
    db.session.commit()
    return report_page(record)


@bp.post("/reports/<public_id>/acknowledge")
@once_per_form
def acknowledge(public_id: str):
    """Say "I've seen this": alerts and escalation stop."""
    record = get_for_school_or_404(Report, public_id, *CASEWORK_ROLES)
    if triage.acknowledge(record, current_user.id):
        audited(AuditAction.ACKNOWLEDGE, record)
        db.session.commit()
        flash(gettext("Acknowledged. Alerts for this report have stopped."), "success")
    else:
        flash(gettext("Someone had already acknowledged this report."), "info")
    return redirect(url_for("triage.report", public_id=public_id))


@bp.post("/reports/<public_id>/reply")
@once_per_form
def reply(public_id: str):
    """Reply to the pupil; they see it next time they use their code."""
    record = get_for_school_or_404(Report, public_id, *CASEWORK_ROLES)
    try:
        followup.add_staff_reply(db.session, record, current_user.id, request.form.get("body", ""))
    except followup.MessageError as error:
        flash(error_text(error), "error")
        return report_page(record, 400, reply_text=request.form.get("body", ""))
    audited(AuditAction.REPLY, record)
    db.session.commit()
    flash(gettext("Reply saved. The pupil will see it when they next use their code."), "success")
    return redirect(url_for("triage.report", public_id=public_id))


@bp.post("/reports/<public_id>/open-case")
@once_per_form
def open_case(public_id: str):
    """Start a new case from this report."""
    record = get_for_school_or_404(Report, public_id, *CASEWORK_ROLES)
    try:
        case = cases.open_case(db.session, record, current_user.id)
    except cases.CaseError as error:
        flash(error_text(error), "error")
        return report_page(record, 400)
    db.session.flush()
    sync_checklist(case)
    audited(AuditAction.OPEN_CASE, case)
    audited(AuditAction.ADD_REPORT, record)
    db.session.commit()
    flash(gettext("Case %(reference)s opened.", reference=case.reference), "success")
    return redirect(url_for("triage.case", public_id=case.public_id))


@bp.post("/reports/<public_id>/add-to-case")
@once_per_form
def add_to_case(public_id: str):
    """Add this report to a case the DSL chose (only a case of the same school)."""
    record = get_for_school_or_404(Report, public_id, *CASEWORK_ROLES)
    case = get_for_school_or_404(Case, request.form.get("case", ""), *CASEWORK_ROLES)
    if case.school_id != record.school_id:
        abort(404)
    try:
        cases.add_report(db.session, case, record, current_user.id)
    except cases.CaseError as error:
        flash(error_text(error), "error")
        return report_page(record, 400)
    sync_checklist(case)
    audited(AuditAction.ADD_REPORT, case)
    audited(AuditAction.ADD_REPORT, record)
    db.session.commit()
    flash(gettext("Report added to case %(reference)s.", reference=case.reference), "success")
    return redirect(url_for("triage.case", public_id=case.public_id))


@bp.post("/reports/<public_id>/link-earlier")
@once_per_form
def link_earlier(public_id: str):
    """Link a report to the earlier report of the same school it follows (a lost code)."""
    record = get_for_school_or_404(Report, public_id, *CASEWORK_ROLES)
    chosen = request.form.get("earlier", "")
    if not chosen:
        flash(gettext("Choose the earlier report this one follows."), "error")
        return report_page(record, 400)
    earlier = get_for_school_or_404(Report, chosen, *CASEWORK_ROLES)
    if earlier.school_id != record.school_id:
        abort(404)
    try:
        earlier_reports.link_to_earlier(db.session, record, earlier)
    except earlier_reports.LinkError as error:
        flash(error_text(error), "error")
        return report_page(record, 400)
    audited(AuditAction.LINK_EARLIER, record)
    audited(AuditAction.LINK_EARLIER, earlier)
    db.session.commit()
    flash(gettext("Linked. Both reports now show the link."), "success")
    return redirect(url_for("triage.report", public_id=public_id))


@bp.app_context_processor
def _nav_count() -> dict[str, object]:
    # A callable, so the count is only looked up on pages that show the staff navigation.
    def nav_unacknowledged() -> int | None:
        if current_user.needs_two_factor and not session.get("two_factor_ok"):
            return None  # nothing about reports before the second factor
        return triage.unacknowledged_count(db.session, current_school_id(*CASEWORK_ROLES))

    return {"nav_unacknowledged": nav_unacknowledged}


@bp.context_processor
def _labels() -> dict[str, object]:
    from schoolsafe.services.accounts.canonical import PLATFORMS
    from schoolsafe.services.register.report_places import report_places
    from schoolsafe.services.reports.categories import CHOICES_BY_CODE

    return {"choice_labels": {c: gettext(v.label) for c, v in CHOICES_BY_CODE.items()},
            "earlier_when_labels": EarlierWhen.labels(),
            "platform_names": PLATFORMS,
            "report_places": lambda report: report_places(db.session, report)}

