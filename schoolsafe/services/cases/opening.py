"""Cases: opening one from a report, adding reports to one, and finding related cases."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from schoolsafe.models import Case, CasePerson, OnlineAccount, Report, School, Sighting, User
from schoolsafe.models.base import utcnow
from schoolsafe.services import local_time
from schoolsafe.services.cases import chronology
from schoolsafe.services.errors import FieldError
from schoolsafe.services.paging import Page
from schoolsafe.services.reports import triage, urgency
from schoolsafe.services.reports.categories import CATEGORY_LABELS
from schoolsafe.vocab import N_, CaseFilter, CaseStatus, EventKind, ReportStatus, Urgency


class CaseError(FieldError):
    """A change we can't make as asked; the message is shown to the DSL."""


@dataclass(frozen=True)
class Suggestion:
    """A case that may be about the same thing as a report, and why we think so."""

    case: Case
    reasons: tuple[str, ...]


def next_reference(session: Session, school_id: int, year: int) -> str:
    """The school's next case reference, e.g. C-2026-0007 (one counter per school)."""
    # One UPDATE ... RETURNING, so two DSLs opening cases at once never get the same number.
    counter = session.execute(
        update(School).where(School.id == school_id)
        .values(case_counter=School.case_counter + 1).returning(School.case_counter),
        execution_options={"synchronize_session": False},
    ).scalar_one()
    return f"C-{year}-{counter:04d}"


def open_case(session: Session, report: Report, user_id: int,
              now: datetime | None = None) -> Case:
    """A new case from a report, with the report's categories, factors and urgency."""
    if report.case_id is not None:
        raise CaseError("report", N_("This report is already part of a case."))
    now = now or utcnow()
    case = Case(school_id=report.school_id, status=CaseStatus.NEW, opened_at=now,
                opened_by_id=user_id,
                reference=next_reference(session, report.school_id, now.year),
                categories=[], factors=[],
                # A case about a member of staff is seen by whom its report is.
                restricted_to=report.restricted_to, accused_staff_id=report.accused_staff_id,
                accused_who=report.accused_who)
    session.add(case)
    session.flush()
    _link(session, case, report, user_id)
    chronology.record_said(session, case, EventKind.ACTION,
                           N_("Opened case %(reference)s from the report received %(received)s."),
                           user_id, reference=case.reference, received=_received(session, report))
    return case


def add_report(session: Session, case: Case, report: Report, user_id: int) -> None:
    """Add a report to an existing open case; the case's facts grow to include it."""
    if report.school_id != case.school_id:
        raise ValueError("a report can only join a case of its own school")
    if report.case_id == case.id:
        raise CaseError("case", N_("This report is already part of %(reference)s."),
                        reference=case.reference)
    if report.case_id is not None:
        raise CaseError("case", N_("This report is already part of another case."))
    if (case.restricted_to, case.accused_staff_id) != (report.restricted_to,
                                                         report.accused_staff_id):
        # Either way round, someone who may see one of them would see the other.
        raise CaseError("case", N_("A report about a member of staff can only join a case about "
                        "the same person, seen by the same people. Open a new case for it."))
    if case.status == CaseStatus.CLOSED:
        raise CaseError("case", N_("%(reference)s is closed. Reopen it first, or open a new "
                        "case for this report."), reference=case.reference)
    _link(session, case, report, user_id)
    chronology.record_said(session, case, EventKind.ACTION,
                           N_("Added the report received %(received)s to this case."), user_id,
                           received=_received(session, report))


def _received(session: Session, report: Report) -> str:
    # Written into the chronology for good, so in the school's time and language (its month
    # names) as a reader expects.
    school = session.get(School, report.school_id)
    return local_time.shown(report.received_at, school.timezone if school else None,
                            language=school.language if school else None)


def _link(session: Session, case: Case, report: Report, user_id: int) -> None:
    # Working a report in a case means someone has seen it: its alerts stop.
    triage.acknowledge(report, user_id)
    report.case_id = case.id
    case.categories = [c for c in CATEGORY_LABELS
                       if c in set(case.categories) | set(report.category_codes)]
    case.factors = sorted(set(case.factors) | set(report.factors))
    session.flush()
    refresh_urgency(session, case, user_id)


def computed_urgency(session: Session, case: Case) -> str:
    """The level the case's facts and its most urgent open report call for."""
    assessed = urgency.assess(set(case.factors), set(case.categories))
    ranks = [urgency.rank(assessed.level), *session.scalars(
        select(Report.urgency_rank).where(Report.case_id == case.id,
                                          Report.status != ReportStatus.CLOSED))]
    return list(Urgency)[min(ranks)]


def refresh_urgency(session: Session, case: Case, user_id: int | None = None) -> None:
    """The case is as urgent as its facts or its most urgent open report, unless a DSL set it.

    A DSL's level stands until the reports or facts call for more than they did when it was
    set: then the case follows them again, and the chronology says so.
    """
    computed = computed_urgency(session, case)
    if case.urgency_override and urgency.rank(computed) < urgency.rank(
            case.urgency_override_from):
        chronology.record_said(session, case, EventKind.URGENCY_OVERRIDE,
                               N_("The urgency set by a safeguarding lead (%(set)s) no longer "
                                  "holds: the case now calls for %(computed)s."), user_id,
                               set=str(case.urgency_override), computed=str(computed))
        case.urgency_override = case.urgency_override_reason = case.urgency_override_from = ""
    level = case.urgency_override or computed
    case.urgency, case.urgency_rank = level, urgency.rank(level)


def linked_reports(session: Session, case: Case) -> list[Report]:
    """The case's reports, oldest first."""
    return list(session.scalars(
        select(Report).where(Report.case_id == case.id).order_by(Report.received_at)))


def open_cases(session: Session, school_id: int, limit: int = 200) -> list[Case]:
    """The school's cases that are not closed, newest first (to add a report to)."""
    return list(session.scalars(
        select(Case).where(Case.school_id == school_id, Case.status != CaseStatus.CLOSED)
        .order_by(Case.opened_at.desc()).limit(limit)))


def suggestions(session: Session, report: Report) -> list[Suggestion]:
    """Cases of the school that share an online account or a named person with the report."""
    reasons: dict[int, list[str]] = {}
    for case_id, display in _sharing_accounts(session, report):
        reasons.setdefault(case_id, []).append(f"Same online account: {display}")
    for case_id, label in _sharing_names(session, report):
        reasons.setdefault(case_id, []).append(f"Same name: {label}")
    reasons.pop(report.case_id or 0, None)
    if not reasons:
        return []
    cases = session.scalars(select(Case).where(Case.id.in_(reasons))).all()
    ordered = sorted(cases, key=lambda c: (c.status == CaseStatus.CLOSED, -c.opened_at.timestamp()))
    return [Suggestion(c, tuple(dict.fromkeys(reasons[c.id]))) for c in ordered]


def _account_ids(session: Session, report: Report) -> set[int]:
    # Entries the DSL confirmed as aliases of one another count as the same account.
    ids = set(session.scalars(select(Sighting.account_id).where(Sighting.report_id == report.id)))
    groups = set(session.scalars(select(OnlineAccount.alias_group_id).where(
        OnlineAccount.id.in_(ids), OnlineAccount.alias_group_id.is_not(None))))
    if groups:
        ids |= set(session.scalars(select(OnlineAccount.id).where(
            OnlineAccount.alias_group_id.in_(groups))))
    return ids


def _sharing_accounts(session: Session, report: Report) -> list[tuple[int, str]]:
    ids = _account_ids(session, report)
    if not ids:
        return []
    direct = (select(Sighting.case_id, OnlineAccount.display)
              .join(OnlineAccount, Sighting.account_id == OnlineAccount.id)
              .where(Sighting.account_id.in_(ids), Sighting.case_id.is_not(None),
                     Sighting.school_id == report.school_id))
    via_reports = (select(Report.case_id, OnlineAccount.display)
                   .join(Sighting, Sighting.report_id == Report.id)
                   .join(OnlineAccount, Sighting.account_id == OnlineAccount.id)
                   .where(Sighting.account_id.in_(ids), Report.case_id.is_not(None),
                          Report.school_id == report.school_id, Report.id != report.id))
    rows = [*session.execute(direct).all(), *session.execute(via_reports).all()]
    return [(case_id, display) for case_id, display in rows]


def _sharing_names(session: Session, report: Report) -> list[tuple[int, str]]:
    names = {" ".join(n.split()).lower() for n in (report.reporter_name, report.friend_name)
             if n.strip()}
    if not names:
        return []
    return [tuple(row) for row in session.execute(
        select(CasePerson.case_id, CasePerson.label).join(Case, CasePerson.case_id == Case.id)
        .where(Case.school_id == report.school_id, func.lower(CasePerson.label).in_(names)))]


def close_reports(session: Session, case: Case) -> None:
    """Closing a case closes its reports, so they leave the open queue."""
    for report in linked_reports(session, case):
        report.status = ReportStatus.CLOSED


@dataclass(frozen=True)
class CaseRow:
    """One case in the list, with its assignee's name and how many reports it holds."""

    case: Case
    assignee_name: str | None
    report_count: int


def case_list(session: Session, school_id: int, status: str = CaseFilter.ACTIVE, assignee: str = "",
              page: int = 1, size: int | None = None) -> Page:
    """The school's cases, most urgent first, then those due for review soonest."""
    size = size or triage.PAGE_SIZE
    reports = (select(func.count(Report.id)).where(Report.case_id == Case.id)
               .correlate(Case).scalar_subquery())
    query = (select(Case, User.name, reports).outerjoin(User, Case.assigned_to_id == User.id)
             .where(Case.school_id == school_id))
    if status == CaseFilter.ACTIVE:
        query = query.where(Case.status != CaseStatus.CLOSED)
    elif status in CaseFilter.values() and status != CaseFilter.ALL:
        query = query.where(Case.status == status)
    if assignee == triage.UNASSIGNED:
        query = query.where(Case.assigned_to_id.is_(None))
    elif assignee:
        query = query.where(User.public_id == assignee)
    total = session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = session.execute(query.order_by(
        Case.urgency_rank, Case.review_on.is_(None), Case.review_on, Case.opened_at)
        .limit(size).offset((max(page, 1) - 1) * size)).all()
    return Page([CaseRow(*row) for row in rows], max(page, 1), total, size)
