"""Tasks on a case: something a named colleague is to do by a date.

A task can come from a chronology entry, a checklist step, the review date or a safety plan's
review. Setting and completing one are written to the chronology. Reminders are content-free
emails on the morning a task is due and each school morning while it is overdue; this module
says which are due, the mail and jobs layers send them.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, CaseTask, School, User
from schoolsafe.models.base import utcnow
from schoolsafe.services import local_time
from schoolsafe.services.allegations import readers
from schoolsafe.services.cases import chronology, school_days
from schoolsafe.services.cases.entries import school_staff
from schoolsafe.services.cases.opening import CaseError
from schoolsafe.services.sanitize import clean_text
from schoolsafe.vocab import N_, EventKind, TaskSource

WHAT_LIMIT = 1000
# Reminders go out from this time of the school's morning, not at midnight.
MORNING = time(7, 0)


@dataclass(frozen=True)
class TaskLine:
    """A task as the "My tasks" list shows it."""

    task: CaseTask
    case_reference: str
    case_public_id: str
    overdue: bool


def set_task(session: Session, case: Case, user_id: int, *, what: str, assignee: str,
             due: str, source: str = TaskSource.CASE, **origin: int | None) -> CaseTask:
    """Give a colleague of the case's school something to do on the case by a date."""
    text = clean_text(what)
    if not text:
        raise CaseError("task_what", N_("Please say what needs doing."))
    if len(text) > WHAT_LIMIT:
        raise CaseError("task_what", N_("Please keep the task under %(what_limit)s characters."),
                        what_limit=WHAT_LIMIT)
    person = _colleague(session, case, assignee)
    due_on = _due(due)
    task = CaseTask(school_id=case.school_id, case_id=case.id, what=text, source=source,
                    assignee_id=person.id, due_on=due_on, set_by_id=user_id, **origin)
    session.add(task)
    session.flush()
    chronology.record_said(session, case, EventKind.TASK,
                           N_("Task for %(name)s, due %(day)s: %(what)s"), user_id,
                           name=person.name, what=text,
                           day=chronology.school_words(session, case.school_id).day(due_on))
    return task


def _colleague(session: Session, case: Case, public_id: str) -> User:
    # A case about a member of staff: only someone who may see it can be given a task on it.
    staff = readers.only_those_who_may_see(session, case, school_staff(session, case.school_id))
    person = next((u for u in staff if u.public_id == public_id), None)
    if person is None and case.restricted_to:
        raise CaseError("task_assignee", N_("Please choose who the task is for, from the staff "
                        "who can see this case."))
    if person is None:
        raise CaseError("task_assignee", N_("Please choose who the task is for, from this "
                        "school's staff."))
    return person


def _due(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CaseError("task_due", N_("Please give the date it is due, for example "
                        "2026-03-31.")) from None


def complete(session: Session, task: CaseTask, user_id: int, note: str = "",
             now: datetime | None = None) -> None:
    """Mark a task done and write that, with anything the person adds, to the chronology."""
    if task.done_at is not None:
        raise CaseError("task", N_("That task is already done."))
    note = clean_text(note)
    if len(note) > WHAT_LIMIT:
        raise CaseError("note", N_("Please keep this under %(what_limit)s characters."),
                        what_limit=WHAT_LIMIT)
    task.done_at, task.done_by_id = now or utcnow(), user_id
    case = session.get(Case, task.case_id)
    if note:
        chronology.record_said(session, case, EventKind.TASK,
                               N_("Task done: %(what)s Note: %(note)s"), user_id, what=task.what,
                               note=note)
    else:
        chronology.record_said(session, case, EventKind.TASK, N_("Task done: %(what)s"), user_id,
                               what=task.what)


def follow_review_date(session: Session, case: Case, user_id: int) -> None:
    """Keep the case's review task in step with its review date (set, moved or removed)."""
    task = session.scalar(select(CaseTask).where(
        CaseTask.case_id == case.id, CaseTask.source == TaskSource.REVIEW,
        CaseTask.done_at.is_(None)))
    if task is None and case.review_on is not None:
        session.add(CaseTask(school_id=case.school_id, case_id=case.id, source=TaskSource.REVIEW,
                             what="Review the case.", due_on=case.review_on, set_by_id=user_id,
                             assignee_id=case.assigned_to_id or user_id))
    elif task is not None and case.review_on is None:
        task.done_at, task.done_by_id = utcnow(), user_id  # no review date, nothing to do
    elif task is not None:
        task.due_on, task.reminded_due, task.reminded_overdue_on = case.review_on, False, None


def for_user(session: Session, user_id: int, school_ids: list[int], done: bool,
             today: date) -> list[TaskLine]:
    """A person's tasks in their schools: open ones by due date, or done ones newest first."""
    query = (select(CaseTask, Case.reference, Case.public_id)
             .join(Case, Case.id == CaseTask.case_id)
             .where(CaseTask.assignee_id == user_id, CaseTask.school_id.in_(school_ids)))
    query = (query.where(CaseTask.done_at.is_not(None)).order_by(CaseTask.done_at.desc())
             if done else query.where(CaseTask.done_at.is_(None)).order_by(CaseTask.due_on))
    return [TaskLine(task, ref, public_id, not done and task.due_on < today)
            for task, ref, public_id in session.execute(query.limit(200))]


def overdue_count(session: Session, user_id: int, school_ids: list[int], today: date) -> int:
    """How many of a person's open tasks are past their due date."""
    return session.scalar(select(func.count()).select_from(CaseTask).where(
        CaseTask.assignee_id == user_id, CaseTask.school_id.in_(school_ids),
        CaseTask.done_at.is_(None), CaseTask.due_on < today)) or 0


def on_case(session: Session, case: Case) -> list[tuple[CaseTask, str]]:
    """The case's tasks with who each is for: open ones first, by due date."""
    return list(session.execute(
        select(CaseTask, User.name).join(User, User.id == CaseTask.assignee_id)
        .where(CaseTask.case_id == case.id)
        .order_by(CaseTask.done_at.is_not(None), CaseTask.due_on)))


@dataclass(frozen=True)
class Reminder:
    """A task whose reminder is due now: on its due morning, or a school morning it is late."""

    task: CaseTask
    overdue_on: date | None  # the school day of an overdue reminder; None on the due day
    closed: tuple[str, ...] = ()  # the school's closed dates, to find its next morning

    @property
    def overdue(self) -> bool:
        """Whether this is an overdue reminder."""
        return self.overdue_on is not None


def reminders_due(session: Session, now: datetime) -> list[Reminder]:
    """Open tasks whose reminder is due now: the due morning once, then every school morning
    (not weekends, not the school's closed dates) while the task is overdue."""
    found = []
    candidates = session.execute(
        select(CaseTask, School.timezone, School.closed_days)
        .join(School, School.id == CaseTask.school_id)
        .where(CaseTask.done_at.is_(None), CaseTask.due_on <= now.date() + timedelta(days=1)))
    for task, zone, closed in candidates:
        if not _may_still_see(session, task):
            continue  # no longer allowed to see the case (a role taken away): not reminded
        local = local_time.to_zone(now, zone)
        today, closed = local.date(), tuple(closed or ())
        if local.time() < MORNING:
            continue  # reminders wait for the school's morning
        if today > task.due_on and task.reminded_overdue_on != today:
            if school_days.is_school_day(today, closed):
                found.append(Reminder(task, today, closed))
        elif today == task.due_on and not task.reminded_due:
            found.append(Reminder(task, None, closed))
    return found


def _may_still_see(session: Session, task: CaseTask) -> bool:
    case = session.get(Case, task.case_id)
    allowed = readers.may_see(session, case) if case is not None else None
    return allowed is None or task.assignee_id in allowed


def mark_reminded(reminder: Reminder) -> None:
    """Note that this reminder is stored, so it is never sent twice on one day."""
    reminder.task.reminded_due = True
    if reminder.overdue_on is not None:
        reminder.task.reminded_overdue_on = reminder.overdue_on


def next_morning(reminder: Reminder) -> date:
    """The day of the task's next reminder, if it is still not done by then."""
    return school_days.after(reminder.overdue_on or reminder.task.due_on, 1, reminder.closed)
