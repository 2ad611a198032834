"""Signing in through the pages: where each role lands, lockout and throttling messages."""

from __future__ import annotations

import re

import pyotp
import pytest
from sqlalchemy import select

from schoolsafe.auth import common as auth_common
from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Trust, TrustLead
from schoolsafe.models.base import utcnow
from tests.factories import PASSWORD, sign_in


def page(response) -> str:
    return response.get_data(as_text=True)


def post_password(client, email: str, password: str, next_path: str = ""):
    query = f"?next={next_path}" if next_path else ""
    return client.post(f"/staff/sign-in{query}", data={"email": email, "password": password})


@pytest.mark.parametrize("role, home", [("dsl", "/staff/triage/"), ("admin", "/staff/admin/"),
                                        ("staff", "/staff/concerns/")])
def test_each_role_lands_on_a_page_it_can_open(client, make, role, home):
    user = make.user(make.school(), role)
    response = sign_in(client, user)
    assert response.headers["Location"] == home
    assert client.get(home).status_code == 200


def test_a_trust_lead_lands_on_the_trust_overview_after_two_factor(client, make):
    lead = make.user(make.school(), "staff")
    trust = Trust(name="Riverside Trust")
    db.session.add(trust)
    db.session.flush()
    db.session.add(TrustLead(user_id=lead.id, trust_id=trust.id))
    lead.totp_secret, lead.totp_confirmed_at = pyotp.random_base32(), utcnow()
    db.session.commit()
    first = post_password(client, lead.email, PASSWORD)
    assert first.headers["Location"].startswith("/staff/two-factor")
    response = client.post("/staff/two-factor",
                           data={"code": pyotp.TOTP(lead.totp_secret).now()})
    assert response.headers["Location"] == "/staff/insight/trust"


def test_dsl_must_pass_the_second_step_before_any_staff_page(client, make):
    dsl = make.user(make.school(), "dsl")
    response = post_password(client, dsl.email, PASSWORD, "/staff/triage/")
    assert response.headers["Location"] == "/staff/two-factor?next=/staff/triage/"
    for path in ("/staff/triage/", "/staff/account", "/staff/concerns/"):
        assert client.get(path).headers["Location"].startswith("/staff/two-factor")
    done = client.post("/staff/two-factor?next=/staff/triage/",
                       data={"code": pyotp.TOTP(dsl.totp_secret).now()})
    assert done.headers["Location"] == "/staff/triage/"


def test_a_wrong_password_keeps_the_email_typed_and_never_echoes_the_password(client, make):
    staff = make.user(make.school(), "staff")
    response = post_password(client, staff.email, "my-secret-guess")
    text = page(response)
    assert "don&#39;t match an account" in text
    assert f'value="{staff.email}"' in text
    assert "my-secret-guess" not in text


def test_lockout_is_explained_and_the_right_password_waits_it_out(client, make):
    staff = make.user(make.school(), "staff")
    answers = [page(post_password(client, staff.email, "wrong")) for _ in range(5)]
    assert all("don&#39;t match" in a for a in answers[:4])
    assert "paused for 15" in answers[4]
    assert "paused for 15" in page(post_password(client, staff.email, PASSWORD))
    assert client.get("/staff/concerns/").status_code == 302  # still not signed in


def test_an_unknown_email_gets_the_same_answers_as_a_real_one(client, make):
    answers = [page(post_password(client, "nobody@example.org", "wrong")) for _ in range(6)]
    assert all("don&#39;t match" in a for a in answers[:4])
    assert all("paused for 15" in a for a in answers[4:])


def test_wrong_codes_lock_the_second_step_with_a_plain_message(client, make):
    dsl = make.user(make.school(), "dsl")
    post_password(client, dsl.email, PASSWORD)
    answers = [page(client.post("/staff/two-factor", data={"code": "000000"}))
               for _ in range(5)]
    assert "code didn&#39;t work" in answers[0]
    assert "paused for 15" in answers[4]
    right = client.post("/staff/two-factor", data={"code": pyotp.TOTP(dsl.totp_secret).now()})
    assert "paused for 15" in page(right)


def test_many_tries_from_one_network_are_slowed_down(client, make, monkeypatch):
    monkeypatch.setattr(auth_common, "ATTEMPT_LIMIT", 3)
    staff = make.user(make.school(), "staff")
    for _ in range(3):
        post_password(client, f"guess{_}@example.org", "wrong")
    response = post_password(client, staff.email, PASSWORD)
    assert response.status_code == 429
    assert "too many tries from this network" in page(response)
    assert f'value="{staff.email}"' in page(response)


def test_sign_in_and_sign_out_everywhere_are_audited_without_secrets(client, make):
    dsl = make.user(make.school(), "dsl")
    sign_in(client, dsl)
    client.post("/staff/sign-out-everywhere")
    rows = db.session.execute(select(AuditEvent.action, AuditEvent.record_id)
                              .order_by(AuditEvent.id)).all()
    assert rows == [("sign_in", dsl.public_id), ("sign_out_everywhere", dsl.public_id)]


@pytest.mark.parametrize("target", ["https://evil.example/", "//evil.example", "/\\evil.example",
                                    "/\t/evil.example", "javascript:alert(1)"])
def test_next_never_leaves_the_site(client, make, target):
    staff = make.user(make.school(), "staff")
    response = client.post("/staff/sign-in", query_string={"next": target},
                           data={"email": staff.email, "password": PASSWORD})
    assert response.headers["Location"] == "/staff/concerns/"


def test_sign_in_form_has_csrf_protection(app, database_url, tmp_path):
    from tests.conftest import make_app

    app = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=True)
    with app.app_context():
        client = app.test_client()
        response = client.post("/staff/sign-in", data={"email": "a@example.org",
                                                       "password": "x"})
        assert response.status_code == 400
        assert "form had expired" in page(response)
        db.session.remove()
        db.engine.dispose()


def test_the_navigation_offers_only_pages_the_user_can_open(client, make):
    trust = Trust(name="Riverside Trust")
    db.session.add(trust)
    db.session.flush()
    lead = make.user(make.school(trust_id=trust.id), "admin")
    db.session.add(TrustLead(user_id=lead.id, trust_id=trust.id))
    db.session.commit()
    sign_in(client, lead)
    nav = page(client.get("/staff/account")).split("<main", 1)[0]
    links = re.findall(r'<a href="(/staff/[^"]*)"', nav)
    assert links[0] == "/staff/admin/"  # the site name leads to their own start page
    assert {"/staff/insight/trust", "/staff/account", "/staff/concerns/"} <= set(links)
    assert "/staff/triage/" not in links
    assert {link: client.get(link).status_code for link in links} == dict.fromkeys(links, 200)
