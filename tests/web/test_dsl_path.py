"""A DSL signs in, sees their school's reports and opens one; other schools get 404."""

from __future__ import annotations

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent
from tests.factories import sign_in


def test_dsl_reads_a_pupils_report_after_signing_in(client, make):
    school = make.school("oak")
    dsl = make.user(school, "dsl")
    report = make.report(school, narrative="Someone made a fake page of me").report
    assert client.get("/staff/triage/").status_code == 302  # sign-in first
    sign_in(client, dsl)
    queue = client.get("/staff/triage/").get_data(as_text=True)
    assert f"/staff/triage/reports/{report.public_id}" in queue
    page = client.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True)
    assert "Someone made a fake page of me" in page
    viewed = db.session.scalars(select(AuditEvent).where(AuditEvent.action == "view")).all()
    assert [(e.user_id, e.record_id) for e in viewed] == [(dsl.id, report.public_id)]


def test_a_dsl_of_another_school_gets_not_found(client, make):
    oak, elm = make.school("oak"), make.school("elm")
    report = make.report(oak).report
    sign_in(client, make.user(elm, "dsl"))
    assert client.get(f"/staff/triage/reports/{report.public_id}").status_code == 404
    assert report.public_id not in client.get("/staff/triage/").get_data(as_text=True)
    assert client.post(f"/staff/triage/reports/{report.public_id}/acknowledge").status_code == 404


def test_staff_without_the_dsl_role_cannot_open_reports(client, make):
    school = make.school("oak")
    report = make.report(school).report
    sign_in(client, make.user(school, "staff"))
    assert client.get(f"/staff/triage/reports/{report.public_id}").status_code == 403


def test_sign_in_redirect_only_goes_to_our_own_pages(client, make):
    school = make.school("oak")
    staff = make.user(school, "staff")
    # A member of staff starts at "log a concern"; the triage queue is not theirs.
    for target, expected in [("/staff/account", "/staff/account"),
                             ("https://evil.example/", "/staff/concerns/"),
                             ("//evil.example/x", "/staff/concerns/"),
                             ("/\\evil.example", "/staff/concerns/")]:
        client.post("/staff/sign-out")
        response = client.post(f"/staff/sign-in?next={target}",
                               data={"email": staff.email, "password": "a long test password"})
        assert response.headers["Location"] == expected


def test_wrong_password_is_refused_with_a_plain_message(client, make):
    staff = make.user(make.school("oak"), "staff")
    response = client.post("/staff/sign-in", data={"email": staff.email, "password": "nope"})
    assert "don&#39;t match an account" in response.get_data(as_text=True)
