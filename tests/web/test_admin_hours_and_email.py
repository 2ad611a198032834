"""An administrator sets school hours and waiting times, and sees how email delivery is going."""

from __future__ import annotations

import html
import re
from datetime import timedelta

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.jobs.mail import deliver_outbox
from schoolsafe.models import AuditEvent, OutboxMessage, Report
from tests.factories import sign_in

HOURS = {"timezone": "Europe/Brussels", "start": "7:45", "end": "15:30", "days": ["1", "2", "4"],
         "ack_minutes_immediate": "10", "ack_minutes_high": "45"}


def text_of(response) -> str:
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(page))


def test_hours_and_waiting_times_are_saved_audited_and_shown_again(client, make):
    school = make.school("oak")
    admin = make.user(school, "admin")
    sign_in(client, admin)
    page = client.get("/staff/admin/hours").get_data(as_text=True)
    assert 'value="08:00"' in page and 'value="15"' in page  # the defaults

    assert client.post("/staff/admin/hours", data=HOURS).status_code == 302
    db.session.refresh(school)
    assert (school.timezone, school.hours_start, school.hours_end, school.open_days) == (
        "Europe/Brussels", "07:45", "15:30", [1, 2, 4])
    assert (school.ack_minutes_immediate, school.ack_minutes_high) == (10, 45)
    page = client.get("/staff/admin/hours").get_data(as_text=True)
    assert 'value="07:45"' in page and 'value="45"' in page
    assert re.search(r'<option selected value="Europe/Brussels">|'
                     r'<option value="Europe/Brussels" selected>', page)
    event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "hours_changed"))
    assert (event.user_id, event.record_type, event.record_id) == (admin.id, "school",
                                                                   str(school.id))


def test_bad_hours_are_refused_with_a_message_and_everything_typed_is_kept(client, make):
    school = make.school("oak")
    sign_in(client, make.user(school, "admin"))
    response = client.post("/staff/admin/hours", data={**HOURS, "start": "16:00",
                                                       "end": "09:00"})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    assert "The end of the day must be later than the start." in page
    assert 'value="16:00"' in page and 'value="09:00"' in page and 'value="10"' in page
    response = client.post("/staff/admin/hours", data={**HOURS, "ack_minutes_high": "soon"})
    assert response.status_code == 400
    assert 'value="soon"' in response.get_data(as_text=True)
    db.session.refresh(school)
    assert (school.hours_start, school.ack_minutes_high) == ("08:00", 60)


def test_the_waiting_time_set_here_is_the_one_escalation_uses(client, make):
    school = make.school("oak")
    make.user(school, "dsl")
    sign_in(client, make.user(school, "admin"))
    client.post("/staff/admin/hours", data=HOURS)
    client.post("/tell/oak", data={"about": "self", "choices": ["rumours"], "danger_now": "y"})
    report = db.session.scalar(select(Report))
    waits = report.next_escalation_at - report.received_at
    assert timedelta(minutes=10) <= waits < timedelta(minutes=10, seconds=5)


def test_failed_email_shows_its_state_tries_and_error_and_can_be_retried_now(client, make,
                                                                           app, tmp_path):
    school = make.school("oak")
    make.user(school, "dsl", email="lead@oak.example.org")
    admin = make.user(school, "admin")
    outbox_dir = app.config["OUTBOX_DIR"]
    (tmp_path / "not-a-folder").write_text("")
    app.config["OUTBOX_DIR"] = str(tmp_path / "not-a-folder" / "outbox")  # delivery fails
    client.post("/tell/oak", data={"about": "self", "choices": ["rumours"]})
    message = db.session.scalar(select(OutboxMessage))
    assert (message.state, message.tries) == ("pending", 1)
    sign_in(client, admin)

    overview = text_of(client.get("/staff/admin/"))
    assert "1 email not sent yet" in overview
    assert "1 has failed at least once and will be tried again. Nothing is lost." in overview
    page = text_of(client.get("/staff/admin/email"))
    assert "New report alert lead@oak.example.org Waiting to be sent 1" in page
    assert "NotADirectoryError" in page

    app.config["OUTBOX_DIR"] = outbox_dir  # the fault is fixed
    assert client.post(f"/staff/admin/email/{message.id}/send-again").status_code == 302
    db.session.refresh(message)
    assert (message.state, message.tries, message.last_error) == ("sent", 2, "")
    assert "All email has been sent." in text_of(client.get("/staff/admin/"))
    assert db.session.scalar(select(AuditEvent.action).where(
        AuditEvent.record_type == "outbox")) == "email_retry"
    assert deliver_outbox(message.id) == "nothing to do"


def test_an_admin_never_sees_another_schools_email_and_cannot_retry_it(client, make):
    oak, elm = make.school("oak"), make.school("elm")
    make.user(elm, "dsl", email="lead@elm.example.org")
    client.post("/tell/elm", data={"about": "self", "choices": ["rumours"]})
    theirs = db.session.scalar(select(OutboxMessage))
    sign_in(client, make.user(oak, "admin"))
    assert "lead@elm.example.org" not in client.get("/staff/admin/email").get_data(as_text=True)
    client.post(f"/staff/admin/email/{theirs.id}/send-again")
    assert db.session.scalar(select(AuditEvent).where(AuditEvent.record_type == "outbox")) is None
    assert client.get("/staff/admin/email?state=bogus").status_code == 404
