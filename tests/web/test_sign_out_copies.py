"""With CSRF checks on, as in production: a session cookie copied before signing out is worth
nothing afterwards - it reads no report, acknowledges nothing, and is not renewed."""

from __future__ import annotations

import re

import pyotp
import pytest
from flask import g
from flask.sessions import SecureCookieSessionInterface
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Report, StaffSession
from tests.conftest import empty_tables, make_app
from tests.factories import PASSWORD, Factory

COOKIE = "s"


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
    g.pop("csrf_token", None)  # Flask-WTF caches the token in `g`, shared by these requests
    return client.get(url).get_data(as_text=True)


def token(html: str) -> str:
    tag = re.search(r'<input[^>]*name="csrf_token"[^>]*>', html).group(0)
    return re.search(r'value="([^"]+)"', tag).group(1)


@pytest.fixture
def scene(csrf_app):
    """A DSL signed in on their own browser, a report waiting, and the report page open."""
    make = Factory(csrf_app)
    school = make.school()
    dsl = make.user(school, "dsl")
    report = make.report(school).report
    browser = csrf_app.test_client()
    browser.post("/staff/sign-in", data={"email": dsl.email, "password": PASSWORD,
                                         "csrf_token": token(page(browser, "/staff/sign-in"))})
    browser.post("/staff/two-factor", data={"code": pyotp.TOTP(dsl.totp_secret).now(),
                                            "csrf_token": token(page(browser,
                                                                     "/staff/two-factor"))})
    html = page(browser, f"/staff/triage/reports/{report.public_id}")
    assert "Acknowledge" in html
    return csrf_app, browser, report, token(html)


def holding(app, cookie: str):
    """Another client holding exactly this session cookie, as someone who copied it would,
    whatever the server sent back since."""
    thief = app.test_client()
    thief.set_cookie(COOKIE, cookie)
    return thief


def sign_out(browser, form_token: str) -> None:
    response = browser.post("/staff/sign-out", data={"csrf_token": form_token})
    assert response.headers["Location"].startswith("/staff/sign-in")


def acknowledged(report: Report) -> bool:
    db.session.expire_all()
    return db.session.get(Report, report.id).acknowledged_at is not None


def test_a_copied_cookie_reads_and_acknowledges_nothing_after_sign_out(scene):
    app, browser, report, form_token = scene
    copied = browser.get_cookie(COOKIE).value
    assert holding(app, copied).get(f"/staff/triage/reports/{report.public_id}").status_code \
        == 200  # the copy is as good as the browser's own until then
    sign_out(browser, form_token)

    read = holding(app, copied).get(f"/staff/triage/reports/{report.public_id}")
    assert read.headers["Location"].startswith("/staff/sign-in")
    for _ in range(2):  # refused every time, not only the first
        ack = holding(app, copied).post(f"/staff/triage/reports/{report.public_id}/acknowledge",
                                        data={"csrf_token": form_token})
        assert ack.status_code == 302 and ack.headers["Location"].startswith("/staff/sign-in")
    assert not acknowledged(report)


def test_the_copy_is_not_renewed(scene):
    app, browser, report, form_token = scene
    copied = browser.get_cookie(COOKIE).value
    sign_out(browser, form_token)
    row = db.session.scalar(select(StaffSession))
    ended, last_seen = row.ended_at, row.last_seen_at
    assert ended is not None

    response = holding(app, copied).get(f"/staff/triage/reports/{report.public_id}")
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    for header in response.headers.getlist("Set-Cookie"):
        name, _, rest = header.partition("=")
        value = rest.split(";", 1)[0]
        if name == COOKIE and value:
            assert "_user_id" not in serializer.loads(value)  # no session comes back
    db.session.expire_all()
    row = db.session.scalar(select(StaffSession))
    assert (row.ended_at, row.last_seen_at) == (ended, last_seen)
