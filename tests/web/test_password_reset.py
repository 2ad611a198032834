"""Password reset by email: a link only, the same answer for any email, once, and not late."""

from __future__ import annotations

import re

import pyotp
from itsdangerous import TimestampSigner
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, OutboxMessage
from schoolsafe.services.staff import password_reset
from tests.factories import PASSWORD, sign_in

NEW_PASSWORD = "three quiet lanterns by the canal"


def page(response) -> str:
    return response.get_data(as_text=True)


def ask(client, email: str):
    return client.post("/staff/forgot-password", data={"email": email})


def sent_link() -> str:
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.purpose == "password_reset"))
    return re.search(r"http://localhost(/staff/reset-password/\S+)", message.body).group(1)


def test_the_email_holds_a_link_and_nothing_about_the_account(client, make):
    school = make.school(name="Oak School")
    dsl = make.user(school, "dsl")
    ask(client, dsl.email)
    message = db.session.scalar(select(OutboxMessage))
    assert message.to_addresses == dsl.email and message.state == "sent"
    assert message.subject == "schoolsafe: choose a new password"
    text = message.subject + message.body
    for detail in (dsl.name, "Oak School", dsl.email, "dsl"):
        assert detail not in text
    assert len(re.findall(r"https?://", message.body)) == 1


def test_an_unknown_email_gets_the_same_page_and_no_email(client, make):
    dsl = make.user(make.school(), "dsl")
    known, unknown = page(ask(client, dsl.email)), page(ask(client, "nobody@example.org"))
    strip = lambda text: text.replace(dsl.email, "").replace("nobody@example.org", "")  # noqa: E731
    assert strip(known) == strip(unknown)
    assert "If that email belongs to a schoolsafe account" in unknown
    assert db.session.scalars(select(OutboxMessage.to_addresses)).all() == [dsl.email]


def test_a_deactivated_account_gets_no_email(client, make):
    staff = make.user(make.school(), "staff")
    staff.active = False
    db.session.commit()
    ask(client, staff.email)
    assert db.session.scalar(select(OutboxMessage)) is None


def test_the_link_sets_a_new_password_and_ends_every_session(app, client, make):
    dsl = make.user(make.school(), "dsl")
    other_device = app.test_client()
    sign_in(other_device, dsl)
    assert other_device.get("/staff/triage/").status_code == 200
    ask(client, dsl.email)
    link = sent_link()
    assert "Choose a new password" in page(client.get(link))
    done = client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    assert done.headers["Location"] == "/staff/sign-in"
    assert other_device.get("/staff/triage/").headers["Location"].startswith("/staff/sign-in")
    old = client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    assert "don&#39;t match" in page(old)
    new = client.post("/staff/sign-in", data={"email": dsl.email, "password": NEW_PASSWORD})
    assert new.headers["Location"].startswith("/staff/two-factor")  # still needs the phone
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["sign_in", "password_reset_sent", "password_reset"]


def test_the_link_works_once(client, make):
    staff = make.user(make.school(), "staff")
    ask(client, staff.email)
    link = sent_link()
    client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    again = client.get(link)
    assert again.status_code == 400
    assert "already been used" in page(again)
    reuse = client.post(link, data={"password": "another long password", "confirm":
                                    "another long password"})
    assert reuse.status_code == 400
    assert client.post("/staff/sign-in", data={"email": staff.email, "password": NEW_PASSWORD}
                       ).headers["Location"] == "/staff/concerns/"


def test_the_link_expires_after_an_hour(client, make, monkeypatch):
    staff = make.user(make.school(), "staff")
    ask(client, staff.email)
    link = sent_link()
    sent_at = TimestampSigner.get_timestamp
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: sent_at(self) + 59 * 60)
    assert client.get(link).status_code == 200
    monkeypatch.setattr(TimestampSigner, "get_timestamp", lambda self: sent_at(self) + 61 * 60)
    late = client.get(link)
    assert late.status_code == 400 and "This link has expired" in page(late)


def test_signing_out_everywhere_kills_a_link_still_in_the_inbox(client, make):
    staff = make.user(make.school(), "staff")
    ask(client, staff.email)
    link = sent_link()
    sign_in(client, staff)
    client.post("/staff/sign-out-everywhere")
    assert "already been used" in page(client.get(link))


def test_a_tampered_or_foreign_link_is_refused(app, client, make):
    staff = make.user(make.school(), "staff")
    forged = password_reset.make_token(staff, "some-other-secret-key-" + "y" * 20)
    assert client.get(f"/staff/reset-password/{forged}").status_code == 400
    assert client.get("/staff/reset-password/not-a-token").status_code == 400
    assert staff.password_hash == db.session.get(type(staff), staff.id).password_hash


def test_a_short_or_mismatched_new_password_is_explained(client, make):
    staff = make.user(make.school(), "staff")
    ask(client, staff.email)
    link = sent_link()
    short = page(client.post(link, data={"password": "short", "confirm": "short"}))
    assert "at least 12 characters" in short
    different = page(client.post(link, data={"password": NEW_PASSWORD, "confirm": "x" * 20}))
    assert "The two passwords are different" in different
    # Nothing changed: the link still works.
    assert client.post(link, data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}
                       ).status_code == 302


def test_one_inbox_gets_at_most_three_links_an_hour(client, make):
    staff = make.user(make.school(), "staff")
    answers = [page(ask(client, staff.email)) for _ in range(5)]
    assert len(set(answers)) == 1
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 3


def test_reset_keeps_the_second_factor(client, make):
    dsl = make.user(make.school(), "dsl")
    ask(client, dsl.email)
    client.post(sent_link(), data={"password": NEW_PASSWORD, "confirm": NEW_PASSWORD})
    client.post("/staff/sign-in", data={"email": dsl.email, "password": NEW_PASSWORD})
    assert client.get("/staff/triage/").headers["Location"].startswith("/staff/two-factor")
    code = pyotp.TOTP(dsl.totp_secret).now()
    assert client.post("/staff/two-factor", data={"code": code}).status_code == 302
    assert client.get("/staff/triage/").status_code == 200
