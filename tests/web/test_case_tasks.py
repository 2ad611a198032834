"""Tasks on a case: from an entry's next step, a checklist step or the review date, for a named
colleague who sees them under "My tasks"; completing one writes to the chronology."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, CaseTask, ChecklistItem, TimelineEvent
from schoolsafe.models.base import utcnow
from schoolsafe.services import local_time
from tests.factories import sign_in
from tests.web.test_form_once import form_on

TOMORROW = (utcnow().date() + timedelta(days=2)).isoformat()


@pytest.fixture
def tutor(make, school):
    return make.user(school, "staff")


def tasks(**where) -> list[CaseTask]:
    db.session.expire_all()
    return db.session.scalars(select(CaseTask).filter_by(**where).order_by(CaseTask.id)).all()


def tasks_of(app, user) -> str:
    colleague = app.test_client()
    sign_in(colleague, user)
    return colleague.get("/staff/triage/tasks").get_data(as_text=True)


def test_an_entrys_next_step_becomes_a_colleagues_task(app, client, case_url, tutor):
    then = local_time.to_zone(utcnow() - timedelta(hours=1), "Europe/London")
    client.post(f"{case_url}/entries", data={
        "kind": "meeting", "day": then.date().isoformat(), "clock": then.strftime("%H:%M"),
        "said": "Strategy meeting: separate the two in science.",
        "task_what": "Change the science sets", "task_assignee": tutor.public_id,
        "task_due": TOMORROW})
    [task] = tasks()
    assert (task.source, task.assignee_id, task.entry_id is not None) == ("entry", tutor.id, True)
    assert "Change the science sets" in tasks_of(app, tutor)
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "set_task")) == 1


def test_a_checklist_step_becomes_a_task_in_its_own_words(app, client, case_url, tutor):
    client.post(f"{case_url}/checklist")
    step = db.session.scalar(select(ChecklistItem).order_by(ChecklistItem.id))
    client.post(f"{case_url}/tasks", data={"checklist_item": step.id, "task_what": "",
                                           "task_assignee": tutor.public_id,
                                           "task_due": TOMORROW})
    [task] = tasks()
    assert (task.source, task.what, task.checklist_item_id) == ("checklist", step.text, step.id)
    assert "From a checklist step" in tasks_of(app, tutor)


def test_the_review_date_is_a_task_that_moves_with_it(client, case_url, dsl):
    client.post(f"{case_url}/review", data={"review_on": "2031-01-09"})
    [task] = tasks(source="review")
    assert (task.due_on.isoformat(), task.assignee_id) == ("2031-01-09", dsl.id)
    client.post(f"{case_url}/review", data={"review_on": "2031-02-01"})
    [task] = tasks(source="review")
    assert task.due_on.isoformat() == "2031-02-01" and task.done_at is None
    client.post(f"{case_url}/review", data={"review_on": ""})
    assert tasks(source="review")[0].done_at is not None


def test_completing_a_task_writes_to_the_chronology(app, client, case_url, tutor):
    client.post(f"{case_url}/tasks", data={"task_what": "Speak to the bus driver",
                                           "task_assignee": tutor.public_id,
                                           "task_due": TOMORROW})
    [task] = tasks()
    colleague = app.test_client()
    sign_in(colleague, tutor)
    page = colleague.get("/staff/triage/tasks").get_data(as_text=True)
    hidden = form_on(page, f"/staff/triage/tasks/{task.public_id}/done")
    colleague.post(f"/staff/triage/tasks/{task.public_id}/done",
                   data={**hidden, "note": "He saw nothing on the bus."})
    texts = db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.kind == "task")).all()
    assert "Task done: Speak to the bus driver Note: He saw nothing on the bus." in texts
    assert "Nothing to do" in colleague.get("/staff/triage/tasks").get_data(as_text=True)
    chronology = client.get(case_url).get_data(as_text=True)
    assert "Task done: Speak to the bus driver" in chronology
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "complete_task")) == 1


def test_a_task_for_nobody_is_refused_and_keeps_what_was_typed(client, case_url):
    refused = client.post(f"{case_url}/tasks", data={"task_what": "Ring the bus company",
                                                     "task_assignee": "", "task_due": TOMORROW})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Please choose who the task is for" in page
    assert "Ring the bus company</textarea>" in page
    assert tasks() == []


def test_someone_elses_task_cannot_be_marked_done_by_a_colleague(app, client, case_url, tutor,
                                                                 make, school):
    client.post(f"{case_url}/tasks", data={"task_what": "Speak to the bus driver",
                                           "task_assignee": tutor.public_id,
                                           "task_due": TOMORROW})
    [task] = tasks()
    other = app.test_client()
    sign_in(other, make.user(school, "staff"))
    assert other.post(f"/staff/triage/tasks/{task.public_id}/done").status_code == 404
    assert tasks()[0].done_at is None
