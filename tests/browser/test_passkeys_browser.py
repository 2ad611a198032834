"""Passkeys in Chromium with a virtual authenticator (the DevTools WebAuthn domain): adding
several, naming and removing them, signing in with one alone, and using one as the second
step after a password or the school's sign-in service."""

from __future__ import annotations

import pytest

from schoolsafe.extensions import db
from schoolsafe.vocab import AuditAction, SignInMethod, SsoMode
from tests.browser.conftest import axe_check, sign_in_staff
from tests.browser.sso_world import actions, open_page, set_up_sso, sso_world, through_provider
from tests.factories import PASSWORD

QUEUE = "/staff/triage/"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with sso_world(tmp_path_factory.mktemp("passkeys"), "passkeys") as made:
        yield made


@pytest.fixture
def page(browser, world):
    page = open_page(browser, world)
    yield page
    page.context.close()


def authenticator(page) -> tuple[object, str]:
    """A platform authenticator that holds passkeys and checks its user (like a fingerprint)."""
    cdp = page.context.new_cdp_session(page)
    cdp.send("WebAuthn.enable")
    made = cdp.send("WebAuthn.addVirtualAuthenticator", {"options": {
        "protocol": "ctap2", "transport": "internal", "hasResidentKey": True,
        "hasUserVerification": True, "isUserVerified": True,
        "automaticPresenceSimulation": True}})
    return cdp, made["authenticatorId"]


def add_passkey(page, name: str) -> None:
    page.goto("/staff/account")
    page.get_by_label("Name for this passkey").fill(name)
    page.get_by_role("button", name="Add a passkey").click()
    page.get_by_text(f"Passkey \u201c{name}\u201d added.").wait_for()


def sign_out(page) -> None:
    page.goto("/staff/account")
    page.get_by_role("button", name="Sign out", exact=True).click()


def test_a_member_adds_named_passkeys_and_removes_one(world, page):
    school = world.make.school()
    staff = world.make.user(school, "staff")
    cdp, first = authenticator(page)
    sign_in_staff(page, staff.email, None)
    add_passkey(page, "Work laptop")
    # A second device: the first already holds a passkey for this account.
    cdp.send("WebAuthn.removeVirtualAuthenticator", {"authenticatorId": first})
    authenticator(page)
    add_passkey(page, "Blue security key")
    table = page.get_by_role("table", name="Your passkeys")
    assert table.get_by_role("cell", name="Work laptop", exact=True).is_visible()
    assert table.get_by_role("cell", name="Blue security key", exact=True).is_visible()
    page.get_by_role("button", name="Remove Work laptop").click()
    assert page.get_by_text("Passkey \u201cWork laptop\u201d removed.").is_visible()
    assert page.get_by_role("cell", name="Work laptop", exact=True).count() == 0
    assert page.get_by_role("cell", name="Blue security key", exact=True).is_visible()
    axe_check(page)
    assert actions(staff).count(AuditAction.PASSKEY_ADDED) == 2
    assert AuditAction.PASSKEY_REMOVED in actions(staff)


def test_a_passkey_alone_signs_a_dsl_in_to_the_queue(world, page):
    school = world.make.school()
    dsl = world.make.user(school, "dsl")
    authenticator(page)
    sign_in_staff(page, dsl.email, dsl.totp_secret)
    add_passkey(page, "Office PC")
    sign_out(page)
    page.goto("/staff/sign-in")
    page.get_by_role("button", name="Use a passkey").click()
    page.wait_for_url(world.url + QUEUE)
    assert page.get_by_role("heading", name=f"Reports for {school.name}").is_visible()
    assert actions(dsl)[-1] == AuditAction.SIGN_IN_PASSKEY
    db.session.refresh(dsl)
    assert dsl.last_sign_in_method == SignInMethod.PASSKEY


def test_without_the_mfa_claim_a_dsl_is_asked_for_their_passkey(world, page):
    school = world.make.school()
    set_up_sso(world, school)
    dsl = world.make.user(school, "dsl")
    authenticator(page)
    sign_in_staff(page, dsl.email, dsl.totp_secret)
    add_passkey(page, "Office PC")
    sign_out(page)
    world.provider.control(accounts={"lee": {"email": dsl.email, "email_verified": True,
                                             "amr": ["pwd"]}})
    through_provider(page, school, "lee")
    assert page.get_by_role("heading", name="Two-factor check").is_visible()
    axe_check(page)
    page.get_by_role("button", name="Use my passkey").click()
    page.wait_for_url(world.url + QUEUE)
    db.session.refresh(dsl)
    assert dsl.last_sign_in_method == SignInMethod.SSO_PASSKEY
    assert actions(dsl)[-1] == AuditAction.SIGN_IN_SSO_PASSKEY


def test_a_new_dsl_can_set_up_a_passkey_instead_of_an_app(world, page):
    school = world.make.school()
    dsl = world.make.user(school, "dsl")
    dsl.totp_secret, dsl.totp_confirmed_at = None, None
    db.session.commit()
    authenticator(page)
    sign_in_staff(page, dsl.email, None)
    assert page.get_by_role("heading", name="Set up two-factor sign-in").is_visible()
    axe_check(page)
    page.get_by_label("Name for this passkey").fill("My phone")
    page.get_by_role("button", name="Add a passkey").click()
    page.wait_for_url(world.url + QUEUE)
    assert {AuditAction.PASSKEY_ADDED, AuditAction.TWO_FACTOR_ON} <= set(actions(dsl))
    sign_out(page)
    sign_in_staff(page, dsl.email, None)
    assert page.get_by_role("heading", name="Two-factor check").is_visible()
    page.get_by_role("button", name="Use my passkey").click()
    page.wait_for_url(world.url + QUEUE)
    db.session.refresh(dsl)
    assert dsl.last_sign_in_method == SignInMethod.PASSWORD_PASSKEY


def test_without_javascript_the_page_says_so_and_the_password_still_works(world, browser):
    school = world.make.school()
    staff = world.make.user(school, "staff")
    context = browser.new_context(base_url=world.url, java_script_enabled=False)
    page = context.new_page()
    page.goto("/staff/sign-in")
    assert page.get_by_text("Passkeys need JavaScript").is_visible()
    assert page.get_by_role("button", name="Use a passkey").count() == 0
    page.get_by_label("Email").fill(staff.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in", exact=True).click()
    assert page.url.startswith(world.url + "/staff/concerns")
    context.close()


def test_a_passkey_alone_is_refused_when_the_school_requires_its_sign_in_service(world, page):
    school = world.make.school()
    staff = world.make.user(school, "staff")
    authenticator(page)
    sign_in_staff(page, staff.email, None)
    add_passkey(page, "Laptop")
    sign_out(page)
    set_up_sso(world, school, mode=SsoMode.REQUIRED)
    page.goto("/staff/sign-in")
    page.get_by_role("button", name="Use a passkey").click()
    page.get_by_text("signs its staff in through its own sign-in service only").wait_for()
    page.goto("/staff/account")
    assert page.url.startswith(world.url + "/staff/sign-in")
    assert actions(staff)[-1] == AuditAction.REFUSED_PASSWORD_OFF
