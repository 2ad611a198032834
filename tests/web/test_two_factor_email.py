"""The email saying two-factor sign-in was set up reaches a real SMTP server (STARTTLS and
login), as production sends through its relay."""

from __future__ import annotations

import re

import pyotp
import pytest

from schoolsafe.extensions import db
from tests.conftest import sending_app
from tests.factories import PASSWORD, Factory


@pytest.fixture
def mail_app(database_url, tmp_path, smtp_server):
    yield from sending_app(database_url, tmp_path, smtp_server, "safeguarding@oak.example.org")


def test_the_owner_gets_an_email_when_two_factor_sign_in_is_set_up(mail_app, smtp_server):
    make = Factory(mail_app)
    dsl = make.user(make.school(), "dsl", email="lead@oak.example.org")
    dsl.totp_secret, dsl.totp_confirmed_at = None, None
    db.session.commit()
    client = mail_app.test_client()
    client.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD})
    setup = client.get("/staff/two-factor").get_data(as_text=True)
    secret = re.search(r'<code class="secret">([A-Z2-7]+)</code>', setup).group(1)
    client.post("/staff/two-factor", data={"code": pyotp.TOTP(secret).now()})

    [message] = smtp_server.wait_for(1)
    assert message["To"] == "lead@oak.example.org"
    assert message["Subject"] == "schoolsafe: two-factor sign-in was set up on your account"
    body = message.get_content()
    assert "Two-factor sign-in has just been set up" in body and secret not in body
