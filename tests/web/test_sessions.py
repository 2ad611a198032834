"""Staff sessions end when idle, when too old, everywhere at once, and when an account stops."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest

from schoolsafe.extensions import db
from schoolsafe.security import sessions
from tests.factories import Clock, sign_in

START = datetime(2025, 3, 3, 8, 0, 0)


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
    phone.post("/staff/sign-out-everywhere")
    assert laptop.get("/staff/triage/").headers["Location"].startswith("/staff/sign-in")
    assert phone.get("/staff/triage/").headers["Location"].startswith("/staff/sign-in")


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
    assert keys <= {"_user_id", "_fresh", "signed_in_at", "last_seen", "two_factor_ok",
                    "csrf_token", "_flashes", "school_id"}
