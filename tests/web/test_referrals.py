"""Referral pages: draft for a recipient, edit, send once, keep the sent note exactly, copy,
print; other schools and staff without permission get nothing."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Membership, OutboxMessage, Referral, TimelineEvent
from tests.factories import sign_in
from tests.unit.test_case_checklist_stories import SARA, SARA_SECRETS, sara

POSH_ADDRESS = "helpline@saferinternet.org.uk"


@pytest.fixture
def school(make):
    return make.school(name="Kingsmead Academy")


@pytest.fixture
def case(school, dsl):
    return sara(school, dsl)


@pytest.fixture
def signed_in(client, dsl):
    sign_in(client, dsl)
    return client


def page_text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def textarea(response, name: str) -> str:
    found = re.search(rf'<textarea[^>]*name="{name}"[^>]*>(.*?)</textarea>',
                      response.get_data(as_text=True), re.S)
    return unescape(found.group(1))


def field(response, name: str) -> str:
    found = re.search(rf'<input[^>]*name="{name}"[^>]*value="([^"]*)"',
                      response.get_data(as_text=True))
    return unescape(found.group(1))


def sent_text(response) -> str:
    found = re.search(r'<pre class="referral-text" id="sent-text">(.*?)</pre>',
                      response.get_data(as_text=True), re.S)
    return unescape(found.group(1))


def draft(client, case, kind: str = "posh", include: tuple[str, ...] = ()) -> Referral:
    response = client.post(f"/staff/triage/cases/{case.public_id}/referrals",
                           data={"kind": kind, "include": list(include)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return db.session.scalar(select(Referral).order_by(Referral.id.desc()))


def url(referral: Referral, tail: str = "") -> str:
    return f"/staff/triage/referrals/{referral.public_id}{tail}"


def send(client, referral: Referral, **changes: str):
    form = {"subject": referral.subject, "body": referral.body, "to": referral.to_addresses,
            "action": "send", **changes}
    return client.post(url(referral), data=form)


def outbox_count() -> int:
    return db.session.scalar(select(func.count()).select_from(OutboxMessage)
                             .where(OutboxMessage.referral_id.is_not(None)))


def test_the_new_referral_page_offers_every_recipient_of_the_jurisdiction(signed_in, case):
    text = page_text(signed_in.get(f"/staff/triage/cases/{case.public_id}/referrals/new"))
    for name in ("Local police", "(POSH)", "CEOP", "Children's social care / MASH",
                 "Report Harmful Content", "Another school"):
        assert name in text
    assert "Gets no pupil names or identifying details" in text


def test_a_posh_draft_has_its_address_warnings_and_what_was_left_out_but_no_names(signed_in,
                                                                                 case):
    referral = draft(signed_in, case)
    response = signed_in.get(url(referral))
    assert field(response, "to") == POSH_ADDRESS
    body = textarea(response, "body")
    assert "Slags_of_Birmingham_xx" in body and "IG-77121" in body
    assert not any(secret.lower() in body.lower() for secret in SARA_SECRETS)
    text = page_text(response)
    assert "Check before sending" in text and "48 hours" in text
    assert "Left out to protect the pupils" in text
    assert "Pupils' names or labels, and their roles in the case" in text


def test_an_unknown_recipient_is_refused_with_a_message(signed_in, case):
    response = signed_in.post(f"/staff/triage/cases/{case.public_id}/referrals",
                              data={"kind": "newspaper", "include": ["people"]})
    assert response.status_code == 400
    assert "Choose who the referral is for." in page_text(response)
    assert re.search(r'id="include-people"[^>]*checked', response.get_data(as_text=True))
    assert db.session.scalar(select(func.count()).select_from(Referral)) == 0


def test_including_names_on_purpose_is_recorded(signed_in, case):
    referral = draft(signed_in, case, include=("people",))
    assert SARA in textarea(signed_in.get(url(referral)), "body")
    assert "Included on purpose" in page_text(signed_in.get(url(referral)))
    actions = db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.record_id == referral.public_id))
    assert "include_on_purpose" in list(actions)
    texts = db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.case_id == case.id, TimelineEvent.kind == "referral"))
    assert any(t.startswith("Chose to include") for t in texts)


def test_putting_an_item_back_later_redrafts_the_note(signed_in, case):
    referral = draft(signed_in, case)
    response = signed_in.post(url(referral, "/include"), data={"include": ["year_groups"]},
                              follow_redirects=True)
    assert "Year 8" in textarea(response, "body")
    assert SARA not in textarea(response, "body")


def test_an_invalid_address_is_refused_and_everything_typed_comes_back(signed_in, case):
    referral = draft(signed_in, case)
    typed = {"subject": "My edited subject", "body": "My edited note\nwith two lines",
             "to": "dsl@kingsmead.example.org, not an address", "action": "save"}
    response = signed_in.post(url(referral), data=typed)
    assert response.status_code == 400
    assert '"not an address" is not a valid email address' in page_text(response)
    assert field(response, "subject") == typed["subject"]
    assert field(response, "to") == typed["to"]
    assert textarea(response, "body").strip() == typed["body"]
    db.session.refresh(referral)
    assert referral.subject != typed["subject"]


def test_saving_keeps_the_edits_and_sends_nothing(signed_in, case):
    referral = draft(signed_in, case)
    response = signed_in.post(url(referral), data={
        "subject": "Referral: case check", "body": "Edited note", "to": POSH_ADDRESS,
        "action": "save"}, follow_redirects=True)
    assert "Draft saved. It has not been sent." in page_text(response)
    assert textarea(response, "body").strip() == "Edited note"
    assert outbox_count() == 0


def test_sending_queues_the_exact_text_and_shows_what_was_sent(signed_in, case):
    referral = draft(signed_in, case)
    response = send(signed_in, referral, body="Our note,\r\nexactly as typed.\r\n")
    assert response.status_code == 302
    db.session.refresh(referral)
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.referral_id == referral.id))
    assert (message.to_addresses, message.subject) == (POSH_ADDRESS, referral.subject)
    assert message.body == referral.body == "Our note,\nexactly as typed.\n"
    # No SMTP server in this app: the in-process job writes it to the outbox folder.
    assert referral.state == "sent"
    page = signed_in.get(url(referral))
    assert sent_text(page) == message.body
    assert unescape(re.search(r'id="sent-to">(.*?)<', page.get_data(as_text=True)).group(1)) == (
        POSH_ADDRESS)
    assert "Sent" in page_text(page) and "textarea" not in page.get_data(as_text=True)
    db.session.refresh(case)
    assert case.status == "open"  # POSH is not a statutory referral
    texts = list(db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.case_id == case.id, TimelineEvent.kind == "referral")))
    assert any("queued to send by email to helpline@" in t for t in texts)


def test_a_double_click_sends_once(signed_in, case):
    referral = draft(signed_in, case)
    first, second = send(signed_in, referral), send(signed_in, referral)
    assert first.status_code == 302 and second.status_code == 303
    assert outbox_count() == 1
    followed = signed_in.get(second.location)
    assert "already been sent" in page_text(followed)


def test_sending_without_an_address_is_refused_and_the_draft_stays(signed_in, case):
    referral = draft(signed_in, case, kind="police")
    response = send(signed_in, referral, to="")
    assert response.status_code == 400
    assert "Add at least one email address." in page_text(response)
    db.session.refresh(referral)
    assert referral.state == "draft" and outbox_count() == 0


def test_a_sent_referral_cannot_be_changed_but_can_be_copied(signed_in, case):
    referral = draft(signed_in, case)
    send(signed_in, referral)
    db.session.refresh(referral)
    body = referral.body
    refused = signed_in.post(url(referral), data={"subject": "x", "body": "changed", "to": "",
                                                  "action": "save"}, follow_redirects=True)
    assert "cannot be changed" in page_text(refused)
    signed_in.post(url(referral, "/include"), data={"include": ["people"]})
    db.session.refresh(referral)
    assert referral.body == body and referral.included_on_purpose == []
    copied = signed_in.post(url(referral, "/copy"))
    new = db.session.scalar(select(Referral).where(Referral.copied_from_id == referral.id))
    assert copied.location.endswith(url(new))
    assert new.state == "draft" and textarea(signed_in.get(url(new)), "body") == body


def test_the_print_view_shows_the_note_and_whether_it_was_sent(signed_in, case):
    referral = draft(signed_in, case)
    printed = signed_in.get(url(referral, "/print"))
    assert "Draft - not sent" in page_text(printed)
    assert "<form" not in printed.get_data(as_text=True).split('id="main"')[1]
    send(signed_in, referral)
    printed = page_text(signed_in.get(url(referral, "/print")))
    assert "Draft - not sent" not in printed and "Sent by" in printed
    assert "Slags_of_Birmingham_xx" in printed


def test_evidence_places_are_added_from_the_draft_and_reach_a_new_draft(signed_in, case):
    referral = draft(signed_in, case)
    refused = signed_in.post(f"/staff/triage/cases/{case.public_id}/evidence",
                             data={"place": "   ", "referral": referral.public_id})
    assert refused.status_code == 400 and "Say where the evidence is" in page_text(refused)
    signed_in.post(f"/staff/triage/cases/{case.public_id}/evidence",
                   data={"place": "The tutor's notes of the page name, in the safe",
                         "referral": referral.public_id})
    redrafted = signed_in.post(url(referral, "/include"), data={}, follow_redirects=True)
    assert "The tutor's notes of the page name, in the safe" in textarea(redrafted, "body")


def test_the_case_page_lists_referrals_with_their_state(signed_in, case):
    referral = draft(signed_in, case)
    send(signed_in, referral)
    text = page_text(signed_in.get(f"/staff/triage/cases/{case.public_id}"))
    assert "Professionals Online Safety Helpline (POSH)" in text and "Sent" in text
    assert "Write a referral" in text


@pytest.fixture
def referral(case, dsl, app):
    from schoolsafe.services.referrals import drafts as referral_drafts
    from tests.unit.test_case_checklist_stories import EW

    made = referral_drafts.create(db.session, case, EW.recipients["posh"], dsl)
    db.session.commit()
    return made


PAGES = [("get", "/staff/triage/referrals/R"), ("get", "/staff/triage/referrals/R/print"),
         ("post", "/staff/triage/referrals/R"), ("post", "/staff/triage/referrals/R/copy"),
         ("post", "/staff/triage/referrals/R/include"),
         ("get", "/staff/triage/cases/C/referrals/new"),
         ("post", "/staff/triage/cases/C/referrals"), ("post", "/staff/triage/cases/C/evidence")]


def _hit(client, method, path, case, referral):
    path = path.replace("/R", f"/{referral.public_id}").replace("/C/", f"/{case.public_id}/")
    return getattr(client, method)(path, data={"kind": "posh", "subject": "s", "body": "b",
                                               "to": "x@example.org", "action": "send",
                                               "place": "somewhere"})


@pytest.mark.parametrize("method, path", PAGES)
def test_a_dsl_of_another_school_gets_404_everywhere(client, make, case, referral, method, path):
    sign_in(client, make.user(make.school(), "dsl"))
    assert _hit(client, method, path, case, referral).status_code == 404
    assert outbox_count() == 0


@pytest.mark.parametrize("can_refer, status", [(True, 200), (False, 404)])
def test_staff_given_permission_to_refer_may_refer(client, make, school, case, referral,
                                                   can_refer, status):
    # A DSL of another school who is staff here: only permission to refer lets them in.
    user = make.user(make.school(), "dsl")
    db.session.add(Membership(user_id=user.id, school_id=school.id, role="staff",
                              can_refer=can_refer))
    db.session.commit()
    sign_in(client, user)
    assert client.get(url(referral)).status_code == status
    response = _hit(client, "post", "/staff/triage/referrals/R", case, referral)
    assert response.status_code == (302 if can_refer else 404)
    assert outbox_count() == (1 if can_refer else 0)


@pytest.mark.parametrize("role, status", [("staff", 404), ("admin", 403)])
def test_staff_and_admins_without_permission_to_refer_are_turned_away(client, make, school,
                                                                      referral, role, status):
    # Staff pass the gate only to be checked for permission to refer: without it, not found.
    sign_in(client, make.user(school, role))
    assert client.get(url(referral)).status_code == status


def test_staff_given_permission_to_refer_can_draft_but_other_staff_cannot(client, make):
    from schoolsafe.models import Case, Membership
    from tests.factories import sign_in as real_sign_in

    school = make.school("oak")
    referrer, other = make.user(school, "staff"), make.user(school, "staff")
    membership = db.session.scalar(select(Membership).where(Membership.user_id == referrer.id))
    membership.can_refer = True
    case = Case(school_id=school.id, reference="C-2026-0001", categories=["coercion"],
                factors=["threats"], urgency="high", urgency_rank=1)
    db.session.add(case)
    db.session.commit()
    real_sign_in(client, referrer)
    assert client.get(f"/staff/triage/cases/{case.public_id}/referrals/new").status_code == 200
    assert client.get("/staff/triage/").status_code == 403  # still no queue for plain staff
    client.post("/staff/sign-out")
    real_sign_in(client, other)
    assert client.get(f"/staff/triage/cases/{case.public_id}/referrals/new").status_code == 404
