"""Plain builders for test data, and a sign-in helper that goes through the real pages."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta

import pyotp
from flask import Flask
from flask.testing import FlaskClient

from schoolsafe.cli import make_school, make_user
from schoolsafe.extensions import db
from schoolsafe.models import School, User
from schoolsafe.models.base import utcnow
from schoolsafe.services.reports.submit import ReportInput, submit

PASSWORD = "a long test password"
_numbers = itertools.count(1)


class Factory:
    """Create records the way the app does."""

    def __init__(self, app: Flask) -> None:
        self.app = app

    def school(self, slug: str | None = None, **fields: object) -> School:
        n = next(_numbers)
        school = make_school(slug or f"school-{n}", fields.pop("name", f"School {n}"),
                             fields.pop("code", f"SC{n}"), "england-wales")
        for name, value in fields.items():
            setattr(school, name, value)
        db.session.commit()
        return school

    def user(self, school: School, role: str = "dsl", email: str | None = None) -> User:
        n = next(_numbers)
        user = make_user(school, email or f"{role}{n}@example.org", f"{role.upper()} {n}", role,
                         PASSWORD)
        if user.needs_two_factor and not user.totp_secret:
            user.totp_secret = pyotp.random_base32()
            user.totp_confirmed_at = utcnow()
            db.session.commit()
        return user

    def report(self, school: School, **fields: object):
        data = ReportInput(**{"about": "self", "choices": ("rumours",), **fields})
        submitted = submit(db.session, school, data, self.app.config["SECRET_KEY"])
        db.session.commit()
        return submitted


def sign_in(client: FlaskClient, user: User, password: str = PASSWORD):
    """Sign in through the real form, with the TOTP step when the user has one."""
    response = client.post("/staff/sign-in", data={"email": user.email, "password": password})
    if user.totp_secret:
        code = pyotp.TOTP(user.totp_secret).now()
        response = client.post("/staff/two-factor", data={"code": code})
    return response


class Clock:
    """The time a module under test sees, moved by hand (monkeypatch it over utcnow)."""

    def __init__(self, start: datetime) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)
