"""What the sign-in browser tests share: the app served on localhost (passkeys need a host
name, not an address) beside a real OpenID provider on 127.0.0.1, and browser contexts that
may reach those two and nothing else."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from flask import current_app
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, School, User
from schoolsafe.services.staff import sso, sso_secret, sso_settings
from schoolsafe.vocab import SsoMode, SsoPreset
from tests.browser.conftest import OFFSITE_PAGE
from tests.factories import Factory
from tests.support.oidc_provider import OidcProvider
from tests.support.served import served_app

CLIENT_ID = "schoolsafe-demo-school"
CLIENT_SECRET = "a-test-client-secret-that-is-long-enough"  # noqa: S105 - test provider only


@dataclass
class World:
    """The served app, its data builders and the provider."""

    url: str
    make: Factory
    provider: OidcProvider


@contextmanager
def sso_world(folder: Path, name: str) -> Iterator[World]:
    """The app and the provider, with the app registered as the provider's client."""
    with served_app(folder, f"{name}.db") as (url, make):
        provider = OidcProvider(folder, [{"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET,
                                          "redirect_uris": [f"{url}/staff/sign-in/return"]}])
        provider.start()
        try:
            yield World(url, make, provider)
        finally:
            provider.stop()


def open_page(browser, world: World):
    """A page in a fresh context that reaches the app and the provider only."""
    context = browser.new_context(base_url=world.url, viewport={"width": 1024, "height": 800})
    allowed = (world.url + "/", world.provider.issuer + "/")
    context.offsite = []

    def keep_local(route) -> None:
        if route.request.url.startswith(allowed):
            route.continue_()
            return
        context.offsite.append(route.request.url)
        route.fulfill(status=200, content_type="text/html", body=OFFSITE_PAGE)

    context.route("**/*", keep_local)
    context.set_default_timeout(10_000)
    return context.new_page()


def set_up_sso(world: World, school: School, mode: str = SsoMode.BOTH,
               mfa_values: tuple[str, ...] = ("mfa",)) -> None:
    """The school's settings as the admin page saves them (reading the real provider)."""
    choice = sso_settings.SsoChoice(mode, SsoPreset.OTHER, world.provider.issuer, CLIENT_ID,
                                    CLIENT_SECRET, mfa_values)
    sso_settings.save(db.session, school.id, None, choice, sso.discover,
                      sso_secret.key_from(current_app.config))
    db.session.commit()


def through_provider(page, school: School, login: str) -> None:
    """Start at the school's sign-in page and sign in at the provider as `login`."""
    page.goto(f"/staff/sign-in/{school.slug}")
    page.get_by_role("link", name=f"Sign in with your {school.name} account").click()
    page.get_by_label("Username").fill(login)
    page.get_by_role("button", name="Sign in to the provider").click()
    page.wait_for_load_state()


def actions(user: User | None = None, school: School | None = None) -> list[str]:
    """The audit trail's actions about a user, or about a school with nobody matched."""
    db.session.expire_all()
    query = select(AuditEvent.action).order_by(AuditEvent.id)
    if user is not None:
        query = query.where(AuditEvent.user_id == user.id)
    if school is not None:
        query = query.where(AuditEvent.school_id == school.id, AuditEvent.user_id.is_(None))
    return list(db.session.scalars(query))
