"""A safety and support plan per child on a case (KCSIE Part 5): for the child harmed, the
child alleged to have done it and others affected - the risks, the measures (separate
classes, timetable changes, supervised times, who the child can go to), who is responsible
and when it is reviewed. Every save is a new version; the review date becomes a task.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, CasePerson, CaseTask, Pupil, SafetyPlan, User
from schoolsafe.services.cases import chronology, tasks
from schoolsafe.services.cases.opening import CaseError
from schoolsafe.services.sanitize import clean_text
from schoolsafe.vocab import N_, EventKind, TaskSource

TEXT_LIMIT = 5000


@dataclass(frozen=True)
class PlanInput:
    """What was typed for one child's plan."""

    risks: str
    measures: str
    responsible: str
    review_on: str
    reviewer: str


@dataclass(frozen=True)
class ChildPlans:
    """One child on the case with their plan's versions, newest first."""

    person: CasePerson
    versions: list[tuple[SafetyPlan, str]]

    @property
    def current(self) -> SafetyPlan | None:
        """The plan in force: its latest version."""
        return self.versions[0][0] if self.versions else None


def write(session: Session, case: Case, person: CasePerson, user_id: int,
          typed: PlanInput) -> tuple[SafetyPlan, CaseTask | None]:
    """Save a new version of the child's plan; a review date becomes a task."""
    risks = _text(typed.risks, "risks", N_("Please write the risks to or from this child."))
    measures = _text(typed.measures, "measures", N_("Please write the measures in place."))
    responsible = _text(typed.responsible, "responsible", N_("Please say who is responsible."))
    review = _review(typed.review_on)
    earlier = session.scalar(select(SafetyPlan.version).where(
        SafetyPlan.case_id == case.id, SafetyPlan.person_id == person.id)
        .order_by(SafetyPlan.version.desc()).limit(1)) or 0
    plan = SafetyPlan(case_id=case.id, person_id=person.id, version=earlier + 1, risks=risks,
                      measures=measures, responsible=responsible, review_on=review,
                      written_by_id=user_id)
    session.add(plan)
    session.flush()
    words = chronology.school_words(session, case.school_id)  # the chronology's language
    if review:
        said = words.gettext(N_("Safety and support plan for %(who)s, version %(version)s, "
                                "review on %(day)s."), who=person.label, version=plan.version,
                             day=words.day(review))
    else:
        said = words.gettext(N_("Safety and support plan for %(who)s, version %(version)s."),
                             who=person.label, version=plan.version)
    chronology.record(session, case, EventKind.SAFETY_PLAN, said, user_id)
    if not review:
        return plan, None
    return plan, tasks.set_task(
        session, case, user_id, what=words.gettext(
            N_("Review the safety and support plan for %(who)s."), who=person.label),
        assignee=typed.reviewer, due=review.isoformat(), source=TaskSource.SAFETY_PLAN,
        plan_id=plan.id)


def _text(value: str, field: str, asked: str) -> str:
    text = clean_text(value)
    if not text:
        raise CaseError(field, asked)
    if len(text) > TEXT_LIMIT:
        raise CaseError(field, N_("Please keep this under %(limit)s characters."), limit=TEXT_LIMIT)
    return text


def _review(value: str) -> date | None:
    if not value.strip():
        return None
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CaseError("review_on", N_("The review date wasn't understood. Please give it as "
                        "year-month-day, for example 2026-03-31.")) from None


def for_case(session: Session, case: Case) -> list[ChildPlans]:
    """Every child on the case with their plan's versions (and who wrote each)."""
    rows = session.execute(
        select(SafetyPlan, User.name).outerjoin(User, User.id == SafetyPlan.written_by_id)
        .where(SafetyPlan.case_id == case.id).order_by(SafetyPlan.version.desc()))
    by_person: dict[int, list[tuple[SafetyPlan, str]]] = {}
    for plan, name in rows:
        by_person.setdefault(plan.person_id, []).append((plan, name or "Staff"))
    return [ChildPlans(person, by_person.get(person.id, [])) for person in case.people]


@dataclass(frozen=True)
class PupilPlan:
    """The plan in force for a directory pupil on one case, and its open tasks."""

    case: Case
    person: CasePerson
    plan: SafetyPlan
    open_tasks: int


def for_pupil(session: Session, pupil: Pupil) -> list[PupilPlan]:
    """The latest plan on each case where a person linked to this pupil is the plan's child,
    newest first, with how many of that plan's tasks are still open."""
    latest = select(SafetyPlan.person_id, func.max(SafetyPlan.version).label("version")) \
        .group_by(SafetyPlan.person_id).subquery()
    rows = session.execute(
        select(SafetyPlan, CasePerson, Case)
        .join(latest, (latest.c.person_id == SafetyPlan.person_id)
              & (latest.c.version == SafetyPlan.version))
        .join(CasePerson, CasePerson.id == SafetyPlan.person_id)
        .join(Case, Case.id == SafetyPlan.case_id)
        .where(CasePerson.pupil_id == pupil.id, Case.school_id == pupil.school_id)
        .order_by(SafetyPlan.written_at.desc(), SafetyPlan.id.desc())).all()
    return [PupilPlan(case, person, plan, _open_tasks(session, person)) for plan, person, case
            in rows]


def _open_tasks(session: Session, person: CasePerson) -> int:
    return session.scalar(select(func.count()).select_from(CaseTask).where(
        CaseTask.done_at.is_(None), CaseTask.plan_id.in_(
            select(SafetyPlan.id).where(SafetyPlan.person_id == person.id)))) or 0
