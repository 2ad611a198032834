"""A school's sign-in service as its administrator sets it up, what that means for passwords,
and provider codes kept out of the logs. The whole sign-in is tested in Chromium against a
real provider in tests/browser/test_sso_sign_in.py."""

from __future__ import annotations

import logging

import pytest
from flask import current_app
from sqlalchemy import select
from sqlalchemy import text as sql

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, SchoolSso
from schoolsafe.security.privacy import ScrubAddresses
from schoolsafe.services.staff import sso_secret
from schoolsafe.vocab import AuditAction, SsoMode, SsoPreset
from tests.factories import PASSWORD, sign_in
from tests.support.oidc_provider import OidcProvider
from tests.support.processes import free_port

SECRET = "client-secret-typed-by-the-admin"  # noqa: S105 - test provider only


@pytest.fixture(scope="module")
def provider(tmp_path_factory):
    made = OidcProvider(tmp_path_factory.mktemp("oidc"), [
        {"client_id": "schoolsafe", "client_secret": SECRET,
         "redirect_uris": ["http://localhost/staff/sign-in/return"]}])
    made.start()
    yield made
    made.stop()


def text(response) -> str:
    return response.get_data(as_text=True)


def stored_secret(school_id: int) -> str:
    """The client secret as the app reads it back with its own key."""
    raw = db.session.execute(sql("SELECT client_secret FROM school_sso WHERE school_id = :id"),
                             {"id": school_id}).scalar_one()
    return sso_secret.reveal(raw, sso_secret.key_from(current_app.config))


def admin_client(client, make):
    school = make.school()
    admin = make.user(school, "admin")
    sign_in(client, admin)
    return school, admin


def settings_form(issuer: str, secret: str = SECRET, mode: str = SsoMode.BOTH) -> dict:
    return {"mode": mode, "preset": SsoPreset.OTHER, "issuer": issuer,
            "client_id": "schoolsafe", "client_secret": secret, "mfa_values": "mfa"}


def test_settings_are_saved_after_reading_the_provider_and_the_secret_is_never_shown(
        client, make, provider):
    school, admin = admin_client(client, make)
    response = client.post("/staff/admin/sign-in", data=settings_form(provider.issuer))
    assert response.status_code == 302
    saved = db.session.scalar(select(SchoolSso).where(SchoolSso.school_id == school.id))
    assert saved.provider["issuer"] == provider.issuer
    assert saved.provider["jwks"]["keys"]  # the signing keys, read and kept
    page = text(client.get("/staff/admin/sign-in"))
    assert SECRET not in page
    assert "A secret is stored. It is never shown again" in page
    assert "http://localhost/staff/sign-in/return" in page
    # Saving again with the box empty keeps the stored secret.
    client.post("/staff/admin/sign-in",
                data={**settings_form(provider.issuer, secret=""), "mode": SsoMode.REQUIRED})
    db.session.refresh(saved)
    assert (stored_secret(school.id), saved.mode) == (SECRET, SsoMode.REQUIRED)
    assert db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.user_id == admin.id)).all().count(AuditAction.SSO_CHANGED) == 2


def test_the_client_secret_is_stored_encrypted(client, make, provider):
    school, _ = admin_client(client, make)
    client.post("/staff/admin/sign-in", data=settings_form(provider.issuer))
    raw = db.session.execute(sql("SELECT client_secret FROM school_sso WHERE school_id = :id"),
                             {"id": school.id}).scalar_one()
    assert SECRET not in raw
    assert stored_secret(school.id) == SECRET


def test_a_secret_the_servers_key_cannot_read_is_said_plainly_and_typed_again(
        app, client, make, provider, monkeypatch):
    school, _ = admin_client(client, make)
    client.post("/staff/admin/sign-in", data=settings_form(provider.issuer))
    monkeypatch.setitem(app.config, "SSO_SECRET_KEY", "a-different-key-" + "k" * 30)
    page = text(client.get("/staff/admin/sign-in"))
    assert "The stored client secret can&#39;t be read with this server&#39;s key" in page
    response = client.post("/staff/admin/sign-in", data=settings_form(provider.issuer, ""))
    assert response.status_code == 400
    assert "Type the client secret again" in text(response)
    client.post("/staff/admin/sign-in", data=settings_form(provider.issuer))
    assert "can&#39;t be read" not in text(client.get("/staff/admin/sign-in"))
    assert stored_secret(school.id) == SECRET


def test_hours_before_checking_again_must_be_a_sensible_number(client, make, provider):
    school, _ = admin_client(client, make)
    response = client.post("/staff/admin/sign-in",
                           data={**settings_form(provider.issuer), "reconfirm_hours": "0"})
    assert response.status_code == 400
    assert "Type a number of hours from 1 to 24." in text(response)
    client.post("/staff/admin/sign-in",
                data={**settings_form(provider.issuer), "reconfirm_hours": "4"})
    saved = db.session.scalar(select(SchoolSso).where(SchoolSso.school_id == school.id))
    assert saved.reconfirm_hours == 4


def test_an_issuer_that_does_not_answer_is_refused_plainly_and_keeps_what_was_typed(
        client, make):
    school, _ = admin_client(client, make)
    issuer = f"http://127.0.0.1:{free_port()}"
    response = client.post("/staff/admin/sign-in", data=settings_form(issuer))
    assert response.status_code == 400
    page = text(response)
    assert "We couldn&#39;t read the provider&#39;s settings from that address" in page
    assert issuer in page and 'value="schoolsafe"' in page
    assert db.session.scalar(select(SchoolSso).where(SchoolSso.school_id == school.id)) is None


def test_the_entra_preset_fills_in_the_issuer_to_complete(client, make):
    admin_client(client, make)
    page = text(client.get("/staff/admin/sign-in?preset=entra"))
    assert "https://login.microsoftonline.com/TENANT-ID/v2.0" in page
    response = client.post("/staff/admin/sign-in", data={
        **settings_form("https://login.microsoftonline.com/TENANT-ID/v2.0"),
        "preset": SsoPreset.ENTRA})
    assert response.status_code == 400
    assert "in place of TENANT-ID" in text(response)


def _sso(school_id: int, mode: str) -> None:
    db.session.add(SchoolSso(school_id=school_id, mode=mode, issuer="https://idp.example.org",
                             client_id="c", client_secret="s", provider={}, mfa_values=[]))
    db.session.commit()


def test_a_school_requiring_its_sign_in_service_turns_passwords_off(client, make):
    school = make.school()
    staff = make.user(school, "staff")
    _sso(school.id, SsoMode.REQUIRED)
    response = client.post("/staff/sign-in", data={"email": staff.email, "password": PASSWORD})
    assert "passwords are switched off" in text(response)
    assert client.get("/staff/account").status_code == 302  # not signed in
    assert db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.user_id == staff.id)).all() == [AuditAction.REFUSED_PASSWORD_OFF]


def test_a_wrong_password_still_gets_the_usual_answer_when_passwords_are_off(client, make):
    school = make.school()
    staff = make.user(school, "staff")
    _sso(school.id, SsoMode.REQUIRED)
    response = client.post("/staff/sign-in", data={"email": staff.email, "password": "wrong"})
    assert "passwords are switched off" not in text(response)  # tells a guesser nothing new


def test_a_school_allowing_both_keeps_passwords_working(client, make):
    school = make.school()
    staff = make.user(school, "staff")
    _sso(school.id, SsoMode.BOTH)
    response = client.post("/staff/sign-in", data={"email": staff.email, "password": PASSWORD})
    assert response.status_code == 302
    assert client.get("/staff/account").status_code == 200


def test_the_school_sign_in_page_is_there_only_while_its_service_is_on(client, make):
    school = make.school()
    assert client.get(f"/staff/sign-in/{school.slug}").status_code == 404
    _sso(school.id, SsoMode.REQUIRED)
    page = text(client.get(f"/staff/sign-in/{school.slug}"))
    assert f"Sign in with your {school.name} account" in page
    assert 'name="password"' not in page  # required: no password form to try


def test_a_return_with_no_sign_in_started_is_refused_and_audited(client, make):
    response = client.get("/staff/sign-in/return?code=abc&state=xyz")
    assert response.status_code == 403
    assert "<h1>Sign-in didn't work</h1>" in text(response)
    assert db.session.scalars(select(AuditEvent.action)).all() == [AuditAction.REFUSED_EXPIRED]


def test_the_access_log_hides_the_providers_code_and_our_state():
    line = ('"GET /staff/sign-in/return?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj'
            '&session_state=abc HTTP/1.1" 302 189 3ms')
    record = logging.LogRecord("gunicorn.access", logging.INFO, __file__, 1, line, None, None)
    ScrubAddresses().filter(record)
    assert record.getMessage() == '"GET /staff/sign-in/return HTTP/1.1" 302 189 3ms'
    # Any other log line that quotes the return address keeps its shape, not the values.
    record = logging.LogRecord("flask.app", logging.WARNING, __file__, 1,
                               "Refused /staff/sign-in/return?code=Splx&state=af0i", None, None)
    ScrubAddresses().filter(record)
    assert record.getMessage() == "Refused /staff/sign-in/return?code=-&state=-"
