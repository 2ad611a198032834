"""Staff concerns: any member of staff logs one; it is routed like a report; they see only
whether it was acknowledged."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Case, OnlineAccount, OutboxMessage, Report
from schoolsafe.models.base import utcnow
from schoolsafe.services.reports import concerns, triage
from schoolsafe.services.reports.submit import ReportInput
from tests.factories import sign_in

CONCERN = {
    "about": "witnessed", "choices": ["nude_shared"], "adult_involved": "y",
    "place1-platform": "snapchat", "place1-text": "@year10_leaks",
    "narrative": "Overheard pupils in 10B saying a photo of a Year 9 girl is going round.",
    "reporter_name": "Jo", "reporter_year": "Year 9",
}


@pytest.fixture
def teacher(make, school):
    return make.user(school, "staff", email="teacher@oak.example")


def test_a_teacher_logs_a_concern_that_reaches_the_dsl_as_a_report_from_them(
        client, make, school, dsl, teacher):
    sign_in(client, teacher)
    response = client.post("/staff/concerns/new", data=CONCERN)
    assert response.status_code == 302
    report = db.session.scalar(select(Report))
    assert report.source == "staff" and report.logged_by_id == teacher.id
    assert report.school_id == school.id and report.urgency == "high"
    assert report.narrative == CONCERN["narrative"] and report.reporter_name == "Jo"
    assert db.session.scalar(select(OnlineAccount.display)) == "@year10_leaks"
    alert = db.session.scalar(select(OutboxMessage))
    assert alert.to_addresses == dsl.email
    assert "Jo" not in alert.subject + alert.body and "10B" not in alert.body
    audit = db.session.scalar(select(AuditEvent).where(AuditEvent.record_type == "report"))
    assert (audit.action, audit.record_id, audit.user_id) == (
        "log_concern", report.public_id, teacher.id)


def test_the_dsl_sees_who_logged_it(client, make, school, dsl, teacher):
    sign_in(client, teacher)
    client.post("/staff/concerns/new", data=CONCERN)
    client.post("/staff/sign-out")
    sign_in(client, dsl)
    report = db.session.scalar(select(Report))
    queue = client.get("/staff/triage/").get_data(as_text=True)
    assert "(staff concern)" in queue
    page = client.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True)
    assert "Concern logged by" in page and "teacher@oak.example" in page


def test_staff_see_whether_their_concern_was_acknowledged_but_never_the_case(
        client, make, school, dsl, teacher):
    sign_in(client, teacher)
    client.post("/staff/concerns/new", data=CONCERN)
    page = client.get("/staff/concerns/").get_data(as_text=True)
    assert "Not yet" in page and "shared or showed a nude" in page
    report = db.session.scalar(select(Report))
    client.post("/staff/sign-out")
    sign_in(client, dsl)
    client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    client.post("/staff/sign-out")
    sign_in(client, teacher)
    db.session.refresh(report)
    page = client.get("/staff/concerns/").get_data(as_text=True)
    assert f"Yes, {report.acknowledged_at:%d %b %Y %H:%M}" in page
    case_reference = db.session.scalar(select(Case.reference))
    assert case_reference not in page
    assert "/staff/triage/cases" not in page and "/staff/triage/reports" not in page
    assert report.public_id not in page
    assert client.get(f"/staff/triage/reports/{report.public_id}").status_code == 403


def test_staff_only_see_concerns_they_logged(client, make, school, teacher):
    other = make.user(school, "staff")
    sign_in(client, other)
    client.post("/staff/concerns/new", data={**CONCERN, "narrative": "Other teacher's note"})
    assert "Not yet" in client.get("/staff/concerns/").get_data(as_text=True)
    client.post("/staff/sign-out")
    sign_in(client, teacher)
    page = client.get("/staff/concerns/").get_data(as_text=True)
    assert "You haven't logged any concerns yet." in page and "Not yet" not in page


def test_a_concern_that_cannot_be_taken_comes_back_with_everything_typed(client, make, school,
                                                                         teacher):
    sign_in(client, teacher)
    response = client.post("/staff/concerns/new", data={**CONCERN, "about": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please choose who this is about." in page
    assert CONCERN["narrative"] in page and 'value="@year10_leaks"' in page
    response = client.post("/staff/concerns/new", data={
        "about": "self", "place2-text": "x" * 501})
    assert response.status_code == 400
    assert "under 500 characters" in response.get_data(as_text=True)
    assert db.session.scalars(select(Report)).all() == []


def test_the_concern_form_speaks_to_staff(client, make, school, teacher):
    sign_in(client, teacher)
    page = client.get("/staff/concerns/new").get_data(as_text=True)
    assert "I saw or found it myself" in page and "Pupil&#39;s name (if known)" in page
    assert "Never view, copy, save, print or forward an image." in page
    assert "Your name" not in page


@pytest.mark.parametrize("role", ["dsl", "admin"])
def test_every_role_can_log_a_concern(client, make, school, role):
    make.user(school, "dsl")
    sign_in(client, make.user(school, role))
    assert client.post("/staff/concerns/new", data=CONCERN).status_code == 302
    assert db.session.scalar(select(Report.source)) == "staff"


def test_signed_out_visitors_are_sent_to_sign_in(client, make, school):
    for path in ("/staff/concerns/", "/staff/concerns/new"):
        response = client.get(path)
        assert response.status_code == 302 and "/staff/sign-in" in response.headers["Location"]
    assert client.post("/staff/concerns/new", data=CONCERN).status_code == 302
    assert db.session.scalars(select(Report)).all() == []


def test_a_long_list_of_concerns_comes_in_pages_newest_first(client, make, school, teacher,
                                                             monkeypatch):
    monkeypatch.setattr(triage, "PAGE_SIZE", 2)
    key = make.app.config["SECRET_KEY"]
    start = utcnow() - timedelta(days=10)
    for day in range(5):
        report = concerns.log_concern(db.session, school, teacher.id, ReportInput(
            about="friend", choices=("rumours",)), key)
        report.received_at = start + timedelta(days=day)
    db.session.commit()
    sign_in(client, teacher)
    shown = []
    for number in (1, 2, 3):
        page = client.get(f"/staff/concerns/?page={number}").get_data(as_text=True)
        assert f"Page {number} of 3 (5 in all)" in page
        shown += re.findall(r"<td>(\d\d \w\w\w \d{4} \d\d:\d\d)</td>", page)
        assert ('href="/staff/concerns/?page=' + str(number + 1) + '"' in page) == (number < 3)
    assert shown == [f"{start + timedelta(days=day):%d %b %Y %H:%M}" for day in range(4, -1, -1)]
    past_the_end = client.get("/staff/concerns/?page=4").get_data(as_text=True)
    assert "There is nothing on page 4: you have logged 5 concerns." in past_the_end
    assert client.get("/staff/concerns/?page=0").status_code == 404


def test_a_staff_concern_page_speaks_of_the_staff_member_not_an_anonymous_pupil(
        client, make, school, dsl, teacher):
    sign_in(client, teacher)
    client.post("/staff/concerns/new", data={**CONCERN, "reporter_name": ""})
    client.post("/staff/sign-out")
    sign_in(client, dsl)
    report = db.session.scalar(select(Report))
    page = client.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True)
    assert "Anonymous" not in page and "Name given" not in page
    assert "Pupil's name" in page and "Not given" in page
    assert "Reply to the pupil" not in page and "use their code" not in page
    assert "no pupil to reply to" in page
    # A reply posted anyway is refused with a plain message, and nothing is stored.
    refused = client.post(f"/staff/triage/reports/{report.public_id}/reply",
                          data={"body": "Thanks for telling us"})
    assert refused.status_code == 400
    assert "no pupil to reply to" in refused.get_data(as_text=True)
    assert db.session.scalar(select(Report)).messages == []
