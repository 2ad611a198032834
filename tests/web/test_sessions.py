"""Staff sessions end when idle, when too old, everywhere at once, and when an account stops."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import StaffSession
from schoolsafe.security import sessions
from schoolsafe.vocab import SignInMethod
from tests.factories import Clock, sign_in

START = datetime(2025, 3, 3, 8, 0, 0)
COOKIE = "s"


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(START)
    monkeypatch.setattr(sessions, "utcnow", clock)
    return clock


@pytest.fixture
def staff_client(client, make, clock):
    """A signed-in member of staff (no second factor, so only the session clock matters)."""
    sign_in(client, make.user(make.school(), "staff"))
    return client


def signed_in(client) -> bool:
    return client.get("/staff/concerns/").status_code == 200


def test_thirty_idle_minutes_end_the_session_with_a_message(staff_client, clock):
    clock.advance(minutes=29)
    assert signed_in(staff_client)
    clock.advance(minutes=29)  # active a minute ago resets the idle clock
    assert signed_in(staff_client)
    clock.advance(minutes=30, seconds=1)
    response = staff_client.get("/staff/concerns/", follow_redirects=True)
    assert "signed out because the session timed out" in response.get_data(as_text=True)
    assert not signed_in(staff_client)


def test_the_idle_limit_is_a_setting(app, staff_client, clock):
    app.config["IDLE_TIMEOUT"] = timedelta(minutes=5)
    clock.advance(minutes=5, seconds=1)
    assert not signed_in(staff_client)


def test_a_busy_session_still_ends_at_the_absolute_limit(app, staff_client, clock):
    assert app.config["ABSOLUTE_TIMEOUT"] == timedelta(hours=10)
    for _ in range(29):
        clock.advance(minutes=20)  # 9 hours 40 minutes of steady use
        assert signed_in(staff_client)
    clock.advance(minutes=20, seconds=1)
    assert not signed_in(staff_client)


def test_sign_out_everywhere_ends_the_other_devices_sessions_too(app, make):
    dsl = make.user(make.school(), "dsl")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, dsl)
    dsl.totp_last_step = 0  # let the same code pass again in this second, as a second device
    db.session.commit()
    sign_in(phone, dsl)
    assert laptop.get("/staff/triage/").status_code == 200
    assert phone.get("/staff/triage/").status_code == 200
    laptop_cookie = laptop.get_cookie(COOKIE).value
    phone.post("/staff/sign-out-everywhere")
    assert laptop.get("/staff/triage/").headers["Location"].startswith("/staff/sign-in")
    assert phone.get("/staff/triage/").headers["Location"].startswith("/staff/sign-in")
    # Both are ended on the server, so even the laptop's cookie, copied, is worth nothing.
    assert all(row.ended_at for row in db.session.scalars(select(StaffSession)))
    copy = app.test_client()
    copy.set_cookie(COOKIE, laptop_cookie)
    assert copy.get("/staff/triage/").headers["Location"].startswith("/staff/sign-in")


def test_signing_out_ends_only_this_session(app, make):
    staff = make.user(make.school(), "staff")
    laptop, phone = app.test_client(), app.test_client()
    sign_in(laptop, staff)
    sign_in(phone, staff)
    phone.post("/staff/sign-out")
    assert signed_in(laptop) and not signed_in(phone)


def test_a_deactivated_account_loses_its_open_session(staff_client, make):
    from schoolsafe.models import User

    user = db.session.scalars(db.select(User)).one()
    user.active = False
    db.session.commit()
    assert not signed_in(staff_client)


def test_the_session_keeps_no_trace_of_address_or_browser(app, make):
    client = app.test_client()
    client.get("/staff/two-factor")  # refused before sign-in: that path stores nothing either
    sign_in(client, make.user(make.school(), "staff"))
    with client.session_transaction() as stored:
        keys = set(stored.keys())
    assert "_id" not in keys  # Flask-Login's hash of address and user agent
    assert keys <= {"_user_id", "_fresh", "two_factor_ok", "csrf_token", "_flashes",
                    "school_id"}


def test_a_timed_out_session_is_ended_on_the_server_and_its_copy_stays_dead(app, staff_client,
                                                                            clock):
    copied = staff_client.get_cookie(COOKIE).value
    clock.advance(minutes=31)
    assert not signed_in(staff_client)
    assert db.session.scalar(select(StaffSession.ended_at)) == clock.now
    copy = app.test_client()
    copy.set_cookie(COOKIE, copied)
    assert not signed_in(copy)


def test_the_idle_clock_is_the_sessions_not_the_cookies(app, staff_client, clock):
    # An old copy of the cookie can't be used to dodge or to reset the idle clock: the
    # session's last activity is kept on the server, whichever copy made it.
    copied = staff_client.get_cookie(COOKIE).value
    clock.advance(minutes=20)
    assert signed_in(staff_client)
    clock.advance(minutes=20)
    copy = app.test_client()
    copy.set_cookie(COOKIE, copied)
    assert signed_in(copy)  # same session, active 20 minutes ago
    staff_client.post("/staff/sign-out")
    copy.set_cookie(COOKIE, copied)
    assert not signed_in(copy)


def test_signing_in_again_starts_a_new_session_and_clears_away_ended_ones(app, make, clock):
    staff = make.user(make.school(), "staff")
    browser = app.test_client()
    for _ in range(3):
        sign_in(browser, staff)
        browser.post("/staff/sign-out")
    sign_in(browser, staff)
    rows = db.session.scalars(select(StaffSession)).all()
    assert len(rows) == 1 and rows[0].ended_at is None


def test_the_session_id_in_the_cookie_is_stored_only_as_a_hash(app, make):
    from flask.sessions import SecureCookieSessionInterface

    client = app.test_client()
    sign_in(client, make.user(make.school(), "staff"))
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    session_id = serializer.loads(client.get_cookie(COOKIE).value)["_user_id"]
    row = db.session.scalar(select(StaffSession))
    assert len(session_id) >= 40 and session_id not in repr(
        [getattr(row, c.key) for c in StaffSession.__table__.columns])


def test_each_session_notes_how_it_was_signed_in(app, make):
    school = make.school()
    staff, dsl = make.user(school, "staff"), make.user(school, "dsl")
    sign_in(app.test_client(), staff)
    sign_in(app.test_client(), dsl)
    methods = dict(db.session.execute(
        select(StaffSession.user_id, StaffSession.sign_in_method)).all())
    assert methods == {staff.id: SignInMethod.PASSWORD, dsl.id: SignInMethod.PASSWORD_TOTP}


def test_the_account_page_says_how_this_session_was_signed_in(client, make):
    sign_in(client, make.user(make.school(), "dsl"))
    page = client.get("/staff/account").get_data(as_text=True)
    assert "This session was signed in with</dt><dd>Password and authenticator app" in page
