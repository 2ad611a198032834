"""With CSRF checks on, as in production: the send and checklist forms carry a token, and a
forged post changes nothing."""

from __future__ import annotations

import re

import pytest
from flask import g
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import ChecklistItem, OutboxMessage, Referral
from schoolsafe.services.cases import checklist as case_checklist
from schoolsafe.services.referrals import drafts as referral_drafts
from tests.conftest import empty_tables, make_app
from tests.factories import PASSWORD, Factory
from tests.unit.test_case_checklist_stories import EW, sara


@pytest.fixture
def csrf_app(database_url, tmp_path):
    application = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    with application.app_context():
        yield application
        db.session.rollback()
        empty_tables()
        db.engine.dispose()


def page(client, url: str) -> str:
    """GET a page as a browser would, with a token made for this session."""
    # Requests here share the test's app context, so Flask-WTF's per-request cache in `g`
    # would hand back the token of a session that sign-in has since cleared.
    g.pop("csrf_token", None)
    return client.get(url).get_data(as_text=True)


def token(html: str) -> str:
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


@pytest.fixture
def signed_in(csrf_app):
    import pyotp

    make = Factory(csrf_app)
    school = make.school()
    dsl = make.user(school, "dsl")
    client = csrf_app.test_client()
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD,
                                        "csrf_token": token(page(client, "/staff/sign-in"))})
    client.post("/staff/two-factor", data={"code": pyotp.TOTP(dsl.totp_secret).now(),
                                           "csrf_token": token(page(client,
                                                                    "/staff/two-factor"))})
    case = sara(school, dsl)
    case_checklist.sync(db.session, case, EW, dsl.id)
    referral = referral_drafts.create(db.session, case, EW.recipients["posh"], dsl)
    db.session.commit()
    return client, case, referral


def sent_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage))


def test_a_send_without_the_token_is_refused_and_nothing_is_queued(signed_in):
    client, _, referral = signed_in
    form = {"subject": referral.subject, "body": referral.body,
            "to": referral.to_addresses, "action": "send"}
    forged = client.post(f"/staff/triage/referrals/{referral.public_id}", data=form)
    assert forged.status_code == 400 and sent_count() == 0
    html = page(client, f"/staff/triage/referrals/{referral.public_id}")
    sent = client.post(f"/staff/triage/referrals/{referral.public_id}",
                       data={**form, "csrf_token": token(html)})
    assert sent.status_code == 302 and sent_count() == 1
    assert db.session.get(Referral, referral.id).state == "sent"


def test_a_checklist_change_without_the_token_is_refused(signed_in):
    client, case, _ = signed_in
    item = db.session.scalar(select(ChecklistItem).where(ChecklistItem.case_id == case.id))
    url = f"/staff/triage/cases/{case.public_id}/checklist/{item.id}"
    assert client.post(url, data={"state": "done"}).status_code == 400
    html = page(client, f"/staff/triage/cases/{case.public_id}/checklist")
    assert client.post(url, data={"state": "done", "csrf_token": token(html)}).status_code == 302
    db.session.refresh(item)
    assert item.state == "done"
