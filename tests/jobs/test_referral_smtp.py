"""Sara's and Owen's referrals sent from their cases to a real SMTP server (STARTTLS and login):
the right recipients get exactly the note shown on the case, and a failed try shows its error
until a retry gets it through."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.jobs.mail import deliver_outbox
from schoolsafe.models import OutboxMessage, Referral
from tests.conftest import sending_app
from tests.factories import Factory, sign_in
from tests.jobs.live import eventually
from tests.unit.test_case_checklist_stories import (
    OWEN_SECRETS,
    SARA_SECRETS,
    owen,
    sara,
)

POLICE_ADDRESSES = "referrals@force.example.org, duty.officer@force.example.org"


@pytest.fixture
def mail_app(database_url, tmp_path, smtp_server):
    """The app sending through the test SMTP server as production sends through its relay."""
    yield from sending_app(database_url, tmp_path, smtp_server,
                           "safeguarding@kingsmead.example.org")


@pytest.fixture
def dsl_client(mail_app):
    make = Factory(mail_app)
    school = make.school(name="Kingsmead Academy")
    dsl = make.user(school, "dsl")
    client = mail_app.test_client()
    sign_in(client, dsl)
    return client, school, dsl


def shown(client, referral: Referral, element_id: str) -> str:
    html = client.get(f"/staff/triage/referrals/{referral.public_id}").get_data(as_text=True)
    found = re.search(rf'id="{element_id}">(.*?)</', html, re.S)
    return unescape(found.group(1))


def shown_draft(client, referral: Referral) -> str:
    html = client.get(f"/staff/triage/referrals/{referral.public_id}").get_data(as_text=True)
    return unescape(re.search(r'<textarea[^>]*name="body"[^>]*>(.*?)</textarea>', html,
                              re.S).group(1))


def draft_and_send(client, case, kind: str, to: str | None = None) -> tuple[Referral, str]:
    """Draft a note on the case, read it as the DSL sees it, and send it unchanged."""
    client.post(f"/staff/triage/cases/{case.public_id}/referrals", data={"kind": kind})
    referral = db.session.scalar(select(Referral).order_by(Referral.id.desc()))
    seen = shown_draft(client, referral)
    response = client.post(f"/staff/triage/referrals/{referral.public_id}", data={
        "subject": referral.subject, "body": seen, "to": to or referral.to_addresses,
        "action": "send"})
    assert response.status_code == 302
    db.session.refresh(referral)
    return referral, seen


def received_for(smtp_server, referral: Referral):
    message_id = db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.referral_id == referral.id))
    for message, envelope in zip(smtp_server.messages, smtp_server.envelopes, strict=True):
        if message["X-Schoolsafe-Message"] == str(message_id):
            return message, envelope
    raise AssertionError(f"no email arrived for referral {referral.id}")


def content(message) -> str:
    # SMTP carries CRLF line ends on the wire; the note itself uses plain newlines.
    return message.get_content().replace("\r\n", "\n")


STORIES = [
    pytest.param(sara, SARA_SECRETS,
                 ["Slags_of_Birmingham_xx", "https://www.instagram.com/brum_beef_100",
                  "IG-77120", "IG-77121", "The account broke our rules and has been removed.",
                  "Instagram in-app report"],
                 ["A child may hurt themselves (self-harm or thoughts of suicide)",
                  "Sara Ahmed", "Jayden Cole", "still on Sara Ahmed's phone"], id="Sara"),
    pytest.param(owen, OWEN_SECRETS,
                 ["owen_bums_mr_crane", "owen_bums_mr_crane_2", "IG-88410", "IG-88502",
                  "We didn't find a breach of our guidelines.", "came back after being removed"],
                 ["A large number of children are involved", "Owen Pryce", "Harry Lloyd"],
                 id="Owen"),
]


@pytest.mark.parametrize("story, secrets, posh_needs, police_needs", STORIES)
def test_story_referrals_reach_a_real_smtp_server_exactly_as_shown(
        dsl_client, smtp_server, story, secrets, posh_needs, police_needs):
    client, school, dsl = dsl_client
    case = story(school, dsl)
    posh, posh_seen = draft_and_send(client, case, "posh")
    police, police_seen = draft_and_send(client, case, "police", POLICE_ADDRESSES)
    smtp_server.wait_for(2)

    for referral, seen in ((posh, posh_seen), (police, police_seen)):
        message, envelope = received_for(smtp_server, referral)
        assert referral.state == "sent" and referral.sent_at is not None
        # Flask-Mail hands the server the recipients as a set, so their order varies.
        assert sorted(envelope.rcpt_tos) == sorted(referral.to_addresses.split(", "))
        assert message["Subject"] == shown(client, referral, "sent-subject")
        assert content(message) == shown(client, referral, "sent-text") == seen.strip() + "\n"
        assert not message.is_multipart()  # one plain-text part: nothing attached

    assert sorted(envelope.rcpt_tos) == sorted(POLICE_ADDRESSES.split(", "))
    posh_text = content(received_for(smtp_server, posh)[0])
    assert received_for(smtp_server, posh)[1].rcpt_tos == ("helpline@saferinternet.org.uk",)
    for needed in posh_needs:
        assert needed in posh_text
    for secret in secrets:
        assert secret.lower() not in posh_text.lower()
    police_text = content(received_for(smtp_server, police)[0])
    assert "Aggravating factors" in police_text
    for needed in police_needs:
        assert needed in police_text


def test_a_failed_send_shows_its_error_and_a_retry_gets_it_through(dsl_client, smtp_server):
    client, school, dsl = dsl_client
    case = sara(school, dsl)
    smtp_server.stop()
    posh, seen = draft_and_send(client, case, "posh")
    assert shown(client, posh, "referral-state") == "Not sent yet - failed, will retry"
    assert "The last try failed:" in shown(client, posh, "delivery-error")
    smtp_server.start()
    message_id = db.session.scalar(select(OutboxMessage.id).where(
        OutboxMessage.referral_id == posh.id))
    assert deliver_outbox(message_id) == "sent"
    [received] = smtp_server.wait_for(1)
    db.session.refresh(posh)
    assert posh.state == "sent"
    assert shown(client, posh, "referral-state") == "Sent"
    assert content(received) == seen.strip() + "\n"


@pytest.mark.postgres
@pytest.mark.redis
@pytest.mark.slow
def test_a_referral_goes_through_redis_and_the_worker_as_in_production(live_app, worker,
                                                                        smtp_server):
    make = Factory(live_app)
    school = make.school(name="Kingsmead Academy")
    dsl = make.user(school, "dsl")
    client = live_app.test_client()
    sign_in(client, dsl)
    posh, seen = draft_and_send(client, owen(school, dsl), "posh")
    # Queued in Redis; nobody is working the queue yet.
    assert shown(client, posh, "referral-state") == "Queued for sending"
    assert smtp_server.messages == []

    worker.start("--burst")
    assert worker.wait_for_exit(60) == 0, worker.log()
    [received] = smtp_server.wait_for(1, timeout=5)
    eventually(lambda: db.session.get(Referral, posh.id).state == "sent", 10, worker.log())
    assert content(received) == shown(client, posh, "sent-text") == seen.strip() + "\n"
    assert smtp_server.envelopes[0].rcpt_tos == ("helpline@saferinternet.org.uk",)
