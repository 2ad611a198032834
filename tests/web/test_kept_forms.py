"""A staff form sent after the session ended keeps what was typed through signing in again
(password and two-factor), for that user only, and is then saved once."""

from __future__ import annotations

import json
from datetime import datetime

import pytest
from sqlalchemy import func, select

from schoolsafe.auth import views as auth_views
from schoolsafe.extensions import db
from schoolsafe.models import PendingForm, StaffSession, TimelineEvent
from schoolsafe.security import sessions
from tests.factories import Clock, sign_in
from tests.web.test_form_once import form_on

START = datetime(2025, 3, 3, 8, 0, 0)
NOTE = "Spoke to Sara's mum at 4pm: the page is still up."


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(START)
    monkeypatch.setattr(sessions, "utcnow", clock)
    monkeypatch.setattr(auth_views, "utcnow", clock)
    return clock


@pytest.fixture
def case_url(client, dsl, make, school, clock):
    sign_in(client, dsl)
    report = make.report(school).report
    response = client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    return response.headers["Location"]


def notes() -> list[str]:
    return db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.kind == "note")).all()


def typed_then_session_ends(client, case_url, clock):
    """Show the case, let the session time out, then press Add note."""
    hidden = form_on(client.get(case_url).get_data(as_text=True), f"{case_url}/notes")
    clock.advance(minutes=31)
    return client.post(f"{case_url}/notes", data={**hidden, "body": NOTE})


def sign_in_again(client, user):
    user.totp_last_step = 0  # the same code may pass again within this second
    db.session.commit()
    return sign_in(client, user)


def test_a_note_sent_after_the_session_timed_out_is_saved_once_after_signing_in(
        client, case_url, dsl, clock):
    refused = typed_then_session_ends(client, case_url, clock)
    assert refused.headers["Location"] == "/staff/sign-in"  # not next= a POST-only address
    assert notes() == []
    page = client.get("/staff/sign-in").get_data(as_text=True)
    assert "signed out because the session timed out" in page and "it is kept" in page

    landed = sign_in_again(client, dsl)
    assert landed.headers["Location"] == "/staff/unsaved"
    offer = client.get("/staff/unsaved").get_data(as_text=True)
    assert "You were signed out before this was saved. Save it now?" in offer
    assert "Spoke to Sara&#39;s mum at 4pm: the page is still up." in offer
    assert ">What you wrote</label>" in offer  # the field's label, not its name ("Body")
    kept = form_on(offer, f"{case_url}/notes")
    assert kept["csrf_token"] and kept["form_token"]

    saved = client.post(f"{case_url}/notes", data={**kept, "body": NOTE})
    assert saved.headers["Location"] == case_url
    assert notes() == [NOTE]
    client.post(f"{case_url}/notes", data={**kept, "body": NOTE})  # sent twice: still one
    assert notes() == [NOTE]
    assert client.get("/staff/unsaved").headers["Location"] == "/staff/triage/"  # offered once


def test_nothing_typed_goes_into_the_cookie_or_an_address(client, case_url, clock):
    refused = typed_then_session_ends(client, case_url, clock)
    assert "Sara" not in refused.headers["Location"]
    with client.session_transaction() as stored:
        assert "Sara" not in json.dumps(dict(stored), default=str)
        key = stored[sessions.KEPT_FORM]
    row = db.session.scalar(select(PendingForm))
    assert row.key == key and ["body", NOTE] in row.fields
    assert not any(name == "csrf_token" for name, _ in row.fields)


def test_a_form_sent_after_signing_out_elsewhere_is_kept_too(app, client, case_url, dsl, clock):
    hidden = form_on(client.get(case_url).get_data(as_text=True), f"{case_url}/notes")
    for row in db.session.scalars(select(StaffSession)):
        row.ended_at = clock.now  # ended on another device (sign out everywhere)
    db.session.commit()
    client.post(f"{case_url}/notes", data={**hidden, "body": NOTE})
    assert sign_in_again(client, dsl).headers["Location"] == "/staff/unsaved"
    assert NOTE.split(":")[1].strip() in client.get("/staff/unsaved").get_data(as_text=True)


def test_someone_else_signing_in_on_that_browser_gets_nothing(client, case_url, make, school,
                                                               clock):
    typed_then_session_ends(client, case_url, clock)
    colleague = make.user(school, "dsl")
    assert sign_in(client, colleague).headers["Location"] == "/staff/unsaved"
    assert client.get("/staff/unsaved").headers["Location"] == "/staff/triage/"
    assert db.session.scalar(select(func.count()).select_from(PendingForm)) == 0
    assert notes() == []


def test_a_kept_form_expires_after_half_an_hour(client, case_url, dsl, clock):
    typed_then_session_ends(client, case_url, clock)
    clock.advance(minutes=31)
    sign_in_again(client, dsl)
    assert client.get("/staff/unsaved").headers["Location"] == "/staff/triage/"
    assert notes() == []
