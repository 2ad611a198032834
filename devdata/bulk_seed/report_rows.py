"""Rows for one generated report: the report, its categories, places, thread, history and the
audit trail of everyone who opened or changed it."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from devdata.bulk_seed import words
from devdata.bulk_seed.plan import Case, Context, Report, SchoolPlan
from schoolsafe.services.reports import urgency
from schoolsafe.vocab import AuditAction, AuditRecordType, ReportSource, ReportStatus

OPEN_FOR = timedelta(days=30)     # reports outside a case are closed after about a month
UNREAD_FOR = timedelta(days=2)    # some of the last two days' reports are not yet acknowledged


def write_report(ctx: Context, plan: SchoolPlan, report: Report,
                 case_closed: dict[int, datetime | None]) -> None:
    """The report row and everything hanging off it."""
    rng = ctx.rng
    status = _status(ctx, report, case_closed)
    acked_at = None if status == ReportStatus.NEW else min(
        report.at + timedelta(minutes=rng.randrange(5, 300)), ctx.now)
    acked_by = rng.choice(plan.dsls) if acked_at else None
    ctx.sink.add(
        "report", id=report.id, public_id=report.public_id, school_id=plan.id,
        source=report.source, logged_by_id=report.logged_by, about=_about(ctx),
        choices=report.choices, factors=report.factors, narrative=words.narrative(rng),
        started=rng.choice(("last week", "a few days ago", "about a month ago", "")),
        last_happened=rng.choice(("today", "yesterday", "last night", "")),
        reporter_name=rng.choice(words.FIRST_NAMES).title() if rng.random() < 0.2 else "",
        reporter_year=rng.choice(words.YEAR_GROUPS) if rng.random() < 0.4 else "",
        urgency=report.urgency, urgency_rank=urgency.rank(report.urgency),
        urgency_reasons=report.reasons, status=status, received_at=report.at,
        acknowledged_at=acked_at, acknowledged_by_id=acked_by,
        case_id=report.case.id if report.case else None,
        followup_hash=secrets.token_hex(32) if report.source == ReportSource.PUPIL else None,
        pupil_returns=report.messages // 2, alert_tier=1 + report.escalations,
        next_escalation_at=report.at + timedelta(hours=1) if status == ReportStatus.NEW else None)
    for category in report.categories:
        ctx.sink.add("report_category", report_id=report.id, category=category)
    for sighting in report.sightings:
        ctx.sink.add("sighting", id=ctx.sink.new_id("sighting"), school_id=plan.id,
                     account_id=sighting.account.id, report_id=report.id, case_id=None,
                     platform_chosen=sighting.platform, raw_text=sighting.text[:500],
                     seen_at=report.at)
    _thread(ctx, plan, report)
    _escalations(ctx, plan, report)
    _audit(ctx, plan, report, acked_at, acked_by)


def _status(ctx: Context, report: Report, case_closed: dict[int, datetime | None]) -> str:
    if report.case is not None:
        return ReportStatus.CLOSED if case_closed[report.case.id] else ReportStatus.ACKNOWLEDGED
    age = ctx.now - report.at
    if age > OPEN_FOR:
        return ReportStatus.CLOSED
    if age < UNREAD_FOR and ctx.rng.random() < 0.6:
        return ReportStatus.NEW
    return ReportStatus.ACKNOWLEDGED


def _about(ctx: Context) -> str:
    return ctx.rng.choices(("self", "friend", "witnessed"), (55, 30, 15))[0]


def _thread(ctx: Context, plan: SchoolPlan, report: Report) -> None:
    for n in range(report.messages):
        staff = n % 2 == 0
        ctx.sink.add("report_message", id=ctx.sink.new_id("report_message"),
                     report_id=report.id, author="staff" if staff else "pupil",
                     staff_user_id=ctx.rng.choice(plan.dsls) if staff else None,
                     body=ctx.rng.choice(words.REPLIES if staff else words.PUPIL_MESSAGES),
                     created_at=min(report.at + timedelta(hours=6 * (n + 1)), ctx.now))


def _escalations(ctx: Context, plan: SchoolPlan, report: Report) -> None:
    for tier in range(2, 2 + report.escalations):
        ctx.sink.add("timeline_event", id=ctx.sink.new_id("timeline_event"), school_id=plan.id,
                     case_id=None, report_id=report.id, account_id=None, kind="escalation",
                     text=f"Not acknowledged after 1 hour. Alerted the next people on the list "
                          f"(tier {tier}).", actor_id=None, at=report.at + timedelta(hours=1))


def _audit(ctx: Context, plan: SchoolPlan, report: Report, acked_at: datetime | None,
           acked_by: int | None) -> None:
    """Submitted, opened, acknowledged, opened again: several audit rows per report."""
    def audit(at: datetime, user: int | None, action: AuditAction,
              kind: AuditRecordType = AuditRecordType.REPORT,
              record: str = report.public_id) -> None:
        ctx.sink.add("audit_event", id=ctx.sink.new_id("audit_event"), at=min(at, ctx.now),
                     user_id=user, school_id=plan.id, action=action, record_type=kind,
                     record_id=record)

    if report.source == ReportSource.PUPIL:
        audit(report.at, None, AuditAction.PUPIL_SUBMITTED)
    else:
        audit(report.at, report.logged_by, AuditAction.LOG_CONCERN)
    if acked_at is None:
        return
    audit(acked_at, acked_by, AuditAction.VIEW)
    audit(acked_at, acked_by, AuditAction.ACKNOWLEDGE)
    for n in range(ctx.rng.randrange(0, 4)):
        audit(acked_at + timedelta(days=n + 1), ctx.rng.choice(plan.dsls), AuditAction.VIEW)
    if report.case is not None:
        _case_audit(report.case, report, audit, acked_at)


def _case_audit(case: Case, report: Report, audit, at: datetime) -> None:
    if report is case.reports[0]:
        audit(case.opened_at, case.opened_by, AuditAction.OPEN_CASE, AuditRecordType.CASE,
              case.public_id)
        for n in range(3):
            audit(case.opened_at + timedelta(days=n), case.assigned_to, AuditAction.VIEW,
                  AuditRecordType.CASE, case.public_id)
    audit(max(at, case.opened_at), case.assigned_to, AuditAction.ADD_REPORT)
