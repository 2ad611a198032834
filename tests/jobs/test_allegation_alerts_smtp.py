"""Alerts and reminders about a report about staff reach the allegations contacts alone, at a
real SMTP server (STARTTLS and login): never the routing list, the DSLs, the on-call list or
the fallback inbox, where the person named may be. When the head may be the one named, the
chair of governors hears instead."""

from __future__ import annotations

import re
from datetime import time, timedelta

import pytest
from sqlalchemy import delete, select

from schoolsafe.extensions import db
from schoolsafe.jobs.escalate import escalate_due
from schoolsafe.jobs.queue import run_ready_jobs
from schoolsafe.jobs.tasks import remind_due_tasks
from schoolsafe.models import (
    AlertRoute,
    Case,
    CasePerson,
    CaseTask,
    Membership,
    Referral,
    Report,
    User,
)
from schoolsafe.models.base import utcnow
from schoolsafe.services import local_time
from schoolsafe.vocab import PersonRole, ReferralState, Role, Urgency
from tests.conftest import sending_app
from tests.factories import Factory, sign_in

HEAD, CHAIR = "head@oak.example.org", "chair@oak.example.org"
USUAL = {"lead@oak.example.org", "deputy@oak.example.org", "oncall@oak.example.org",
         "inbox@oak.example.org", "jones@oak.example.org"}


@pytest.fixture
def mail_app(database_url, tmp_path, smtp_server):
    yield from sending_app(database_url, tmp_path, smtp_server, "safeguarding@oak.example.org")


@pytest.fixture
def oak(mail_app):
    """Oak, open every day all day, with a full routing list and both allegations contacts."""
    make = Factory(mail_app)
    school = make.school("oak", fallback_email="inbox@oak.example.org", hours_start="00:00",
                         hours_end="23:59", open_days=[1, 2, 3, 4, 5, 6, 7])
    head = make.user(school, Role.CASE_MANAGER, email=HEAD)
    head.name = "Ann Whitfield"
    make.user(school, Role.DSL, email=HEAD)
    make.user(school, Role.CHAIR, email=CHAIR)
    make.user(school, Role.DSL, email="lead@oak.example.org")
    jones = make.user(school, Role.DSL, email="jones@oak.example.org")
    jones.name = "Sam Jones"
    db.session.add_all([
        AlertRoute(school_id=school.id, email="deputy@oak.example.org", tier=1),
        AlertRoute(school_id=school.id, email="oncall@oak.example.org", tier=2, on_call=True)])
    db.session.commit()
    return make, school, head, jones


def pupil_tells(client, who: str) -> Report:
    response = client.post("/tell/oak", data={
        "about": "self", "choices": ["asked_for_nudes"], "about_staff": "y",
        "accused_who": who, "narrative": "He sends me messages on Snapchat"})
    assert response.status_code == 200
    return db.session.scalar(select(Report).order_by(Report.id.desc()))


def escalate_at(when) -> None:
    """What cron's `flask escalate` does at that time, with its emails sent as a worker would."""
    escalate_due(when)
    run_ready_jobs()


def recipients(smtp_server) -> list[str]:
    return sorted(address for envelope in smtp_server.envelopes for address in envelope.rcpt_tos)


def test_the_alert_and_its_reminders_reach_the_head_teacher_alone(mail_app, smtp_server, oak):
    report = pupil_tells(mail_app.test_client(), "Mr Jones, my form tutor")
    smtp_server.wait_for(1)
    assert recipients(smtp_server) == [HEAD]
    [alert] = smtp_server.messages
    assert "Jones" not in alert.get_content() and "Snapchat" not in alert.get_content()
    assert report.urgency == Urgency.HIGH

    smtp_server.clear()
    escalate_at(report.received_at + timedelta(minutes=61))
    smtp_server.wait_for(1)
    escalate_at(report.received_at + timedelta(minutes=122))
    smtp_server.wait_for(2)
    assert recipients(smtp_server) == [HEAD, HEAD]
    assert not USUAL & set(recipients(smtp_server))


def test_when_the_pupil_may_mean_the_head_the_chair_of_governors_is_told(
        mail_app, smtp_server, oak):
    report = pupil_tells(mail_app.test_client(), "Mrs Whitfield")
    smtp_server.wait_for(1)
    assert recipients(smtp_server) == [CHAIR]
    smtp_server.clear()
    escalate_at(report.received_at + timedelta(minutes=61))
    smtp_server.wait_for(1)
    assert recipients(smtp_server) == [CHAIR]


def test_a_concern_naming_the_head_goes_to_the_chair_and_the_head_cannot_open_it(
        mail_app, smtp_server, oak):
    make, school, head, _jones = oak
    teacher = make.user(school, Role.STAFF, email="teacher@oak.example.org")
    client = mail_app.test_client()
    sign_in(client, teacher)
    page = client.get("/staff/concerns/new").get_data(as_text=True)
    assert f'<option value="{head.id}">Ann Whitfield</option>' in page
    response = client.post("/staff/concerns/new", data={
        "about": "friend", "choices": ["asked_for_nudes"], "about_staff": "y",
        "accused_staff": str(head.id), "narrative": "A pupil told me about messages"})
    assert response.status_code == 302
    smtp_server.wait_for(1)
    assert recipients(smtp_server) == [CHAIR]
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    head_client = mail_app.test_client()
    sign_in(head_client, head)
    assert head_client.get(f"/staff/triage/reports/{report.public_id}").status_code == 404


def test_an_overdue_lado_referral_reminds_the_head_daily_until_it_is_sent(
        mail_app, smtp_server, oak):
    make, school, head, _jones = oak
    report = pupil_tells(mail_app.test_client(), "Mr Jones")
    smtp_server.wait_for(1)
    head_client = mail_app.test_client()
    sign_in(head_client, head)
    head_client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    case = db.session.scalar(select(Case))
    smtp_server.clear()

    # Oak is open every day: the officer should have the referral by the same time tomorrow.
    escalate_at(report.received_at + timedelta(hours=23))
    assert smtp_server.messages == []
    escalate_at(report.received_at + timedelta(hours=24, minutes=1))
    [reminder] = smtp_server.wait_for(1)
    assert recipients(smtp_server) == [HEAD]
    assert reminder["Subject"] == "schoolsafe: a referral is overdue"
    assert "Jones" not in reminder.get_content()
    escalate_at(report.received_at + timedelta(hours=30))  # reminded already today
    escalate_at(report.received_at + timedelta(hours=48, minutes=2))
    smtp_server.wait_for(2)
    assert recipients(smtp_server) == [HEAD, HEAD]

    page = head_client.get(f"/staff/triage/cases/{case.public_id}").get_data(as_text=True)
    assert "The referral to the designated officer is overdue. Reminded: head@" in page
    db.session.add(Referral(school_id=school.id, case_id=case.id, recipient_kind="lado",
                            state=ReferralState.SENT))
    db.session.commit()
    smtp_server.clear()
    escalate_at(report.received_at + timedelta(hours=72, minutes=3))
    assert smtp_server.messages == []


def test_a_task_on_a_case_about_staff_goes_and_is_reminded_only_to_who_may_see_the_case(
        mail_app, smtp_server, oak):
    make, school, head, jones = oak
    report = pupil_tells(mail_app.test_client(), "Mr Jones")
    smtp_server.wait_for(1)
    head_client = mail_app.test_client()
    sign_in(head_client, head)
    head_client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    case = db.session.scalar(select(Case))
    smtp_server.clear()
    due = local_time.today_in("Europe/London", utcnow()).isoformat()
    lead = db.session.scalar(select(User).where(User.email == "lead@oak.example.org"))
    # Neither the teacher the pupil may mean nor a lead the head has not added can be given it.
    for colleague in (jones, lead):
        refused = head_client.post(f"/staff/triage/cases/{case.public_id}/tasks", data={
            "task_what": "Keep the screenshots", "task_assignee": colleague.public_id,
            "task_due": due})
        assert refused.status_code == 400
        assert "from the staff who can see this case" in refused.get_data(as_text=True)
    # Nor is either offered, for a task or a safety plan's review.
    case.people.append(CasePerson(label="Pupil A", role=PersonRole.HARMED))
    db.session.commit()
    for path in ("", "/plan"):
        page = "".join(re.findall(r'<select[^>]*name="task_assignee".*?</select>', head_client.get(
            f"/staff/triage/cases/{case.public_id}{path}").get_data(as_text=True), re.S))
        assert f'<option value="{jones.public_id}"' not in page, path
        assert f'<option value="{lead.public_id}"' not in page, path
        assert f'<option value="{head.public_id}"' in page, path
    head_client.post(f"/staff/triage/cases/{case.public_id}/tasks", data={
        "task_what": "Keep the screenshots", "task_assignee": head.public_id, "task_due": due})
    assert db.session.scalar(select(CaseTask.assignee_id)) == head.id

    # A new head takes over: the old one is no longer the case manager, so may not see the case
    # and is not reminded of a task on it.
    db.session.execute(delete(Membership).where(Membership.user_id == head.id,
                                                Membership.role == Role.CASE_MANAGER))
    db.session.commit()
    morning = local_time.from_zone(local_time.today_in("Europe/London", utcnow()), time(9, 0),
                                   "Europe/London")
    assert remind_due_tasks(morning) == 0
    run_ready_jobs()
    assert smtp_server.messages == []
