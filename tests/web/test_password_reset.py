"""Password reset by email: a code to type, the same answer for any email, once, and not late.

No secret is ever part of a URL: the email links to the plain reset page and carries a code.
"""

from __future__ import annotations

import re
from datetime import timedelta

import pyotp
from sqlalchemy import select

from schoolsafe.auth import reset
from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, OutboxMessage
from schoolsafe.models.base import utcnow
from schoolsafe.services.staff import password_reset
from tests.factories import PASSWORD, sign_in

NEW_PASSWORD = "three quiet lanterns by the canal"
NEW = {"password": NEW_PASSWORD, "confirm": NEW_PASSWORD}


def page(response) -> str:
    return response.get_data(as_text=True)


def ask(client, email: str):
    return client.post("/staff/forgot-password", data={"email": email})


def sent_code() -> str:
    message = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.purpose == "password_reset"))
    return re.search(r"^ +(\S{5}-\S{5})$", message.body, re.MULTILINE).group(1)


def use_code(client, email: str, code: str, new: dict | None = None):
    """Type the email and code on the reset page; with `new`, choose the new password too."""
    return client.post("/staff/reset-password", data={"email": email, "code": code, **(new or {})})


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


def test_the_emailed_link_carries_no_secret_only_the_typed_code_does(app, client, make):
    first, second = make.user(make.school(), "dsl"), make.user(make.school("elm"), "staff")
    ask(client, first.email)
    ask(client, second.email)
    bodies = db.session.scalars(select(OutboxMessage.body).order_by(OutboxMessage.id)).all()
    links = [re.findall(r"https?://\S+", body) for body in bodies]
    # The same plain link for everyone: nothing in it can reach a server's or a proxy's log.
    assert links == [["http://localhost/staff/reset-password"]] * 2
    codes = [re.search(r"^ +(\S{5}-\S{5})$", body, re.MULTILINE).group(1) for body in bodies]
    assert codes[0] != codes[1]


def test_the_code_sets_a_new_password_and_ends_every_session(app, client, make):
    dsl = make.user(make.school(), "dsl")
    other_device = app.test_client()
    sign_in(other_device, dsl)
    assert other_device.get("/staff/triage/").status_code == 200
    sent = page(ask(client, dsl.email))
    assert "Code from the email" in sent and f'value="{dsl.email}"' in sent  # typed next, there
    assert "Code from the email" in page(client.get("/staff/reset-password"))
    step = use_code(client, dsl.email, sent_code())
    assert step.status_code == 200 and "New password again" in page(step)
    done = use_code(client, dsl.email, sent_code(), NEW)
    assert done.headers["Location"] == "/staff/sign-in"
    assert other_device.get("/staff/triage/").headers["Location"].startswith("/staff/sign-in")
    old = client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    assert "don&#39;t match" in page(old)
    new = client.post("/staff/sign-in", data={"email": dsl.email, "password": NEW_PASSWORD})
    assert new.headers["Location"].startswith("/staff/two-factor")  # still needs the phone
    actions = db.session.scalars(select(AuditEvent.action).order_by(AuditEvent.id)).all()
    assert actions == ["sign_in", "password_reset_sent", "password_reset"]


def test_the_code_can_be_typed_loosely(client, make):
    staff = make.user(make.school(), "staff")
    ask(client, staff.email)
    typed = " " + sent_code().lower().replace("-", " ").replace("0", "o") + " "
    assert use_code(client, " " + staff.email.upper(), typed, NEW).status_code == 302


def test_the_code_works_once(client, make):
    staff = make.user(make.school(), "staff")
    ask(client, staff.email)
    code = sent_code()
    use_code(client, staff.email, code, NEW)
    again = use_code(client, staff.email, code)
    assert again.status_code == 400
    assert "already been used" in page(again)
    assert f'value="{code}"' in page(again)  # what was typed stays in the form
    reuse = use_code(client, staff.email, code, {"password": "another long password",
                                                 "confirm": "another long password"})
    assert reuse.status_code == 400
    assert client.post("/staff/sign-in", data={"email": staff.email, "password": NEW_PASSWORD}
                       ).headers["Location"] == "/staff/concerns/"


def test_the_code_expires_after_an_hour(client, make, monkeypatch):
    staff = make.user(make.school(), "staff")
    ask(client, staff.email)
    code, sent_at = sent_code(), utcnow()
    monkeypatch.setattr(reset, "utcnow", lambda: sent_at + timedelta(minutes=59))
    assert use_code(client, staff.email, code).status_code == 200
    monkeypatch.setattr(reset, "utcnow", lambda: sent_at + timedelta(minutes=61))
    late = use_code(client, staff.email, code)
    assert late.status_code == 400 and "This code has expired" in page(late)


def test_signing_out_everywhere_kills_a_code_still_in_the_inbox(client, make):
    staff = make.user(make.school(), "staff")
    ask(client, staff.email)
    code = sent_code()
    sign_in(client, staff)
    client.post("/staff/sign-out-everywhere")
    assert "already been used" in page(use_code(client, staff.email, code))


def test_a_code_for_someone_else_or_from_another_key_is_refused(app, client, make):
    school = make.school()
    staff, other = make.user(school, "staff"), make.user(school, "staff")
    foreign = password_reset.make_code(staff, "some-other-secret-key-" + "y" * 20, utcnow())
    assert use_code(client, staff.email, foreign, NEW).status_code == 400
    assert use_code(client, staff.email, "not-a-code", NEW).status_code == 400
    ask(client, other.email)
    wrong_email = use_code(client, staff.email, sent_code(), NEW)
    unknown = use_code(client, "nobody@example.org", sent_code(), NEW)
    assert wrong_email.status_code == unknown.status_code == 400
    assert page(wrong_email).replace(staff.email, "") == page(unknown).replace(
        "nobody@example.org", "")  # says nothing about which emails have accounts
    assert staff.password_hash == db.session.get(type(staff), staff.id).password_hash


def test_wrong_codes_for_one_email_stop_after_ten_from_any_network(client, make):
    staff = make.user(make.school(), "staff")
    ask(client, staff.email)
    for n in range(10):
        network = {"environ_base": {"REMOTE_ADDR": f"198.51.100.{n}"}}
        assert client.post("/staff/reset-password", data={"email": staff.email,
                                                          "code": f"AAAAA-AAAA{n}"},
                           **network).status_code == 400
    blocked = use_code(client, staff.email, sent_code(), NEW)
    assert blocked.status_code == 429 and "too many wrong codes for this email" in page(blocked)
    assert use_code(client, "someone.else@example.org", "AAAAA-AAAAA").status_code == 400


def test_a_short_or_mismatched_new_password_is_explained(client, make):
    staff = make.user(make.school(), "staff")
    ask(client, staff.email)
    code = sent_code()
    short = page(use_code(client, staff.email, code, {"password": "short", "confirm": "short"}))
    assert "at least 12 characters" in short
    assert f'name="code" value="{code}"' in short  # the code is carried on, not typed again
    different = page(use_code(client, staff.email, code, {"password": NEW_PASSWORD,
                                                           "confirm": "x" * 20}))
    assert "The two passwords are different" in different
    # Nothing changed: the code still works.
    assert use_code(client, staff.email, code, NEW).status_code == 302


def test_one_inbox_gets_at_most_three_links_an_hour(client, make):
    staff = make.user(make.school(), "staff")
    answers = [page(ask(client, staff.email)) for _ in range(5)]
    assert len(set(answers)) == 1
    assert len(db.session.scalars(select(OutboxMessage)).all()) == 3


def test_reset_keeps_the_second_factor(client, make):
    dsl = make.user(make.school(), "dsl")
    ask(client, dsl.email)
    use_code(client, dsl.email, sent_code(), NEW)
    client.post("/staff/sign-in", data={"email": dsl.email, "password": NEW_PASSWORD})
    assert client.get("/staff/triage/").headers["Location"].startswith("/staff/two-factor")
    code = pyotp.TOTP(dsl.totp_secret).now()
    assert client.post("/staff/two-factor", data={"code": code}).status_code == 302
    assert client.get("/staff/triage/").status_code == 200
