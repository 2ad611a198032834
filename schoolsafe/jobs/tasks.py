"""Task reminders: a content-free email to the colleague on the morning a task is due, and
each school morning while it is overdue, until it is done.

Each task's morning is booked on RQ's scheduler when the task is set; `flask escalate` (cron)
and a worker catching up run `remind_due_tasks` for any Redis never heard of. Storing a
reminder and marking it stored are one commit, so two runs send it once.
"""

from __future__ import annotations

from datetime import datetime

from schoolsafe.extensions import db
from schoolsafe.jobs.context import job
from schoolsafe.jobs.mail import send_soon
from schoolsafe.jobs.queue import enqueue_at
from schoolsafe.mail.builders import task_reminder
from schoolsafe.models import CaseTask, School, User
from schoolsafe.models.base import utcnow
from schoolsafe.services import local_time
from schoolsafe.services.cases import tasks


@job
def remind_task(task_id: int) -> str:
    """Send a task's reminder if it is due now (booked for its morning)."""
    return f"{remind_due_tasks(only=task_id)} reminder(s)"


def remind_due_tasks(now: datetime | None = None, only: int | None = None) -> int:
    """Store and send every task reminder whose time has come; returns how many."""
    now = utcnow() if now is None else now
    sent = 0
    for reminder in tasks.reminders_due(db.session, now):
        task = reminder.task
        if only is not None and task.id != only:
            continue
        user = db.session.get(User, task.assignee_id)
        if user is None or not user.active:
            continue
        send_soon(task_reminder(task, user.email, overdue=reminder.overdue))
        tasks.mark_reminded(reminder)
        schedule_reminder(task, tasks.next_morning(reminder))
        sent += 1
    db.session.commit()
    return sent


def schedule_reminder(task: CaseTask, day=None) -> None:
    """Book the task's reminder for its school's morning on `day` (its due date unless told)."""
    school = db.session.get(School, task.school_id)
    when = local_time.from_zone(day or task.due_on, tasks.MORNING, school.timezone)
    enqueue_at(when, remind_task, task.id, job_id=f"task-{task.id}-{when:%Y%m%d}")
