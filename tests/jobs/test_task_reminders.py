"""A task set for a colleague reaches them: under "My tasks", counted in the menu when overdue,
and as a content-free email at a real SMTP server on the morning it is due and each school morning
while it is overdue, sent by the cron command as the clock is moved on by hand."""

from __future__ import annotations

import re
from datetime import date, time, timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.jobs import tasks as task_jobs
from schoolsafe.jobs.queue import run_ready_jobs
from schoolsafe.models import Case, CaseTask, School
from schoolsafe.models.base import utcnow
from schoolsafe.services import local_time
from schoolsafe.triage import tasks as task_views
from tests.conftest import sending_app
from tests.factories import Clock, Factory, sign_in

WHAT = "Ask Sara's form tutor whether Jay has moved seats."


@pytest.fixture
def mail_app(database_url, tmp_path, smtp_server):
    yield from sending_app(database_url, tmp_path, smtp_server, "safeguarding@oak.example.org")


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(utcnow())
    monkeypatch.setattr(task_jobs, "utcnow", clock)
    monkeypatch.setattr(task_views, "utcnow", clock)
    return clock


@pytest.fixture
def people(mail_app):
    make = Factory(mail_app)
    school = make.school("oak", name="Oak Academy")
    dsl, tutor = make.user(school, "dsl"), make.user(school, "staff",
                                                     email="tutor@oak.example.org")
    client = mail_app.test_client()
    sign_in(client, dsl)
    report = make.report(school).report
    case_url = client.post(f"/staff/triage/reports/{report.public_id}/open-case"
                           ).headers["Location"]
    return client, case_url, tutor


def local_morning(days: int, at: time):
    today = local_time.today_in("Europe/London", utcnow())
    return local_time.from_zone(today + timedelta(days=days), at, "Europe/London")


def run_cron(mail_app) -> str:
    """`flask escalate` as cron runs it. Its own process would send the stored email as its
    app context ends; here the test's app context is still open, so that step is run."""
    output = mail_app.test_cli_runner().invoke(args=["escalate"]).output
    run_ready_jobs()
    return output


def test_a_task_for_tomorrow_is_listed_reminded_on_the_morning_and_when_overdue(
        mail_app, smtp_server, clock, people):
    client, case_url, tutor = people
    tomorrow = (local_time.today_in("Europe/London", utcnow()) + timedelta(days=1)).isoformat()
    client.post(f"{case_url}/tasks", data={"task_what": WHAT, "task_assignee": tutor.public_id,
                                           "task_due": tomorrow})
    colleague = mail_app.test_client()
    sign_in(colleague, tutor)
    listed = colleague.get("/staff/triage/tasks").get_data(as_text=True)
    assert "Ask Sara&#39;s form tutor whether Jay has moved seats." in listed
    assert "overdue" not in listed

    clock.now = local_morning(1, time(6, 30))
    assert "0 task reminder(s) sent" in run_cron(mail_app)  # not before the school's morning
    clock.now = local_morning(1, time(7, 5))
    assert "1 task reminder(s) sent" in run_cron(mail_app)
    [due] = smtp_server.wait_for(1)
    assert due["To"] == "tutor@oak.example.org"
    assert due["Subject"] == "schoolsafe: a task is due today"
    body = due.get_content()
    assert re.search(r"https?://\S+/staff/triage/tasks\s", body)
    case = db.session.scalar(select(Case))
    for private in ("Sara", "Jay", "seats", tutor.name, case.reference, case.public_id):
        assert private not in body and private not in due["Subject"]
    assert "0 task reminder(s) sent" in run_cron(mail_app)  # a second run sends nothing more

    clock.now = local_morning(2, time(8, 0))
    assert "1 task reminder(s) sent" in run_cron(mail_app)
    overdue = smtp_server.wait_for(2)[1]
    assert overdue["Subject"] == "schoolsafe: a task is overdue"
    assert "Jay" not in overdue.get_content()
    menu = colleague.get("/staff/triage/tasks").get_data(as_text=True)
    assert "1 overdue" in menu and "Overdue</strong>" in menu


def test_a_task_done_before_its_morning_sends_no_reminder(mail_app, smtp_server, clock, people):
    client, case_url, tutor = people
    tomorrow = (local_time.today_in("Europe/London", utcnow()) + timedelta(days=1)).isoformat()
    client.post(f"{case_url}/tasks", data={"task_what": WHAT, "task_assignee": tutor.public_id,
                                           "task_due": tomorrow})
    task = db.session.scalar(select(CaseTask))
    colleague = mail_app.test_client()
    sign_in(colleague, tutor)
    colleague.post(f"/staff/triage/tasks/{task.public_id}/done", data={"note": "Moved."})
    clock.now = local_morning(2, time(9, 0))
    assert "0 task reminder(s) sent" in run_cron(mail_app)
    assert smtp_server.messages == []


def london(day: date, at: time = time(8, 0)):
    return local_time.from_zone(day, at, "Europe/London")


def test_an_overdue_task_is_reminded_each_school_morning_until_it_is_done(
        mail_app, smtp_server, clock, people):
    client, case_url, tutor = people
    clock.now = london(date(2026, 3, 2), time(10, 0))  # a Monday
    client.post(f"{case_url}/tasks", data={"task_what": WHAT, "task_assignee": tutor.public_id,
                                           "task_due": "2026-03-03"})
    school = db.session.scalar(select(School))
    school.closed_days = ["2026-03-09"]  # a training day, set by the school's admin
    db.session.commit()
    sent = []
    for day in range(3, 12):  # Tuesday 3 March (due) to Wednesday 11 March
        if day == 11:
            task = db.session.scalar(select(CaseTask))
            colleague = mail_app.test_client()
            sign_in(colleague, tutor)
            colleague.post(f"/staff/triage/tasks/{task.public_id}/done", data={"note": "Done."})
        clock.now = london(date(2026, 3, day))
        sent.append(run_cron(mail_app).count("1 task reminder(s) sent"))
        assert "0 task reminder(s) sent" in run_cron(mail_app)  # once a morning, however often
    #       Tu We Th Fr Sa Su Mo(closed) Tu We(done)
    assert sent == [1, 1, 1, 1, 0, 0, 0, 1, 0]
    emails = smtp_server.wait_for(5)
    assert [e["Subject"] for e in emails] == (["schoolsafe: a task is due today"]
                                              + ["schoolsafe: a task is overdue"] * 4)
    case = db.session.scalar(select(Case))
    for email in emails:
        assert email["To"] == "tutor@oak.example.org"
        for private in ("Sara", "Jay", "seats", tutor.name, case.reference):
            assert private not in email.get_content()
