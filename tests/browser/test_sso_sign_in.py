"""Signing in through the school's OpenID provider, in Chromium against a real provider
(oidc-provider under Node): what a member of staff sees and what the audit trail keeps."""

from __future__ import annotations

import pyotp
import pytest
from sqlalchemy import select

from schoolsafe.auth import sso as auth_sso
from schoolsafe.extensions import db
from schoolsafe.models import StaffSession
from schoolsafe.models.base import utcnow
from schoolsafe.vocab import AuditAction, SignInMethod
from tests.browser.conftest import axe_check, sign_in_staff
from tests.browser.sso_world import (
    CLIENT_ID,
    CLIENT_SECRET,
    actions,
    open_page,
    set_up_sso,
    sso_world,
    through_provider,
)
from tests.factories import Clock

QUEUE = "/staff/triage/"
REFUSED = "Sign-in didn't work"


@pytest.fixture(scope="module")
def world(tmp_path_factory):
    with sso_world(tmp_path_factory.mktemp("sso"), "sso") as made:
        yield made


@pytest.fixture
def school(world):
    made = world.make.school()
    set_up_sso(world, made)
    yield made
    world.provider.reset()


@pytest.fixture
def page(browser, world):
    page = open_page(browser, world)
    yield page
    page.context.close()


def accounts(world, **known) -> None:
    world.provider.control(accounts=known)


def refused(page) -> bool:
    return page.get_by_role("heading", name=REFUSED).is_visible()


def test_an_admin_sets_up_sso_on_the_admin_page(world, page):
    school = world.make.school()
    admin = world.make.user(school, "admin")
    sign_in_staff(page, admin.email, admin.totp_secret)
    page.goto("/staff/admin/sign-in")
    axe_check(page)
    page.get_by_label("Either: the school's sign-in service or a password").check()
    page.get_by_label("Issuer address").fill(world.provider.issuer)
    page.get_by_label("Client ID").fill(CLIENT_ID)
    page.get_by_label("Client secret").fill(CLIENT_SECRET)
    page.get_by_role("button", name="Save and check with the provider").click()
    assert page.get_by_text("Sign-in settings saved").is_visible()
    axe_check(page)
    assert CLIENT_SECRET not in page.content()
    assert page.get_by_text(f"{world.url}/staff/sign-in/return").is_visible()
    assert AuditAction.SSO_CHANGED in actions(admin)


def test_provider_mfa_claimed_takes_a_dsl_straight_to_the_queue(world, school, page):
    dsl = world.make.user(school, "dsl")
    accounts(world, ann={"email": dsl.email, "email_verified": True, "amr": ["pwd", "mfa"]})
    through_provider(page, school, "ann")
    assert page.url == world.url + QUEUE
    assert page.get_by_role("heading", name=f"Reports for {school.name}").is_visible()
    assert actions(dsl)[-1] == AuditAction.SIGN_IN_SSO_MFA
    db.session.refresh(dsl)
    assert dsl.last_sign_in_method == SignInMethod.SSO_MFA


def test_without_the_mfa_claim_a_dsl_is_asked_for_our_second_factor(world, school, page):
    dsl = world.make.user(school, "dsl")
    accounts(world, bob={"email": dsl.email, "email_verified": True, "amr": ["pwd"]})
    through_provider(page, school, "bob")
    assert page.get_by_role("heading", name="Two-factor check").is_visible()
    axe_check(page)
    page.goto(QUEUE)  # nothing about reports before the second factor
    assert page.get_by_role("heading", name="Two-factor check").is_visible()
    page.get_by_label("Code from your authenticator app").fill(pyotp.TOTP(dsl.totp_secret).now())
    page.get_by_role("button", name="Continue").click()
    assert page.get_by_role("heading", name=f"Reports for {school.name}").is_visible()
    db.session.refresh(dsl)
    assert dsl.last_sign_in_method == SignInMethod.SSO_TOTP
    assert actions(dsl)[-1] == AuditAction.SIGN_IN_SSO_TOTP  # the trail says how, too
    assert db.session.scalar(select(StaffSession.sign_in_method).where(
        StaffSession.user_id == dsl.id)) == SignInMethod.SSO_TOTP


def test_a_school_that_does_not_trust_the_claim_still_asks(world, page):
    school = world.make.school()
    set_up_sso(world, school, mfa_values=())
    dsl = world.make.user(school, "dsl")
    accounts(world, cat={"email": dsl.email, "email_verified": True, "amr": ["mfa"]})
    through_provider(page, school, "cat")
    assert page.get_by_role("heading", name="Two-factor check").is_visible()


def test_a_staff_member_without_a_second_factor_role_goes_straight_in(world, school, page):
    staff = world.make.user(school, "staff")
    page.goto(f"/staff/sign-in/{school.slug}")
    axe_check(page)
    accounts(world, dan={"email": staff.email, "email_verified": True})
    through_provider(page, school, "dan")
    assert page.url.startswith(world.url + "/staff/concerns")
    assert actions(staff)[-1] == AuditAction.SIGN_IN_SSO


def test_an_account_switched_off_at_the_provider_cannot_sign_in(world, school, page):
    dsl = world.make.user(school, "dsl")
    accounts(world, eve={"email": dsl.email, "email_verified": True, "amr": ["mfa"],
                         "disabled": True})
    through_provider(page, school, "eve")
    assert refused(page)
    page.goto(QUEUE)
    assert page.url.startswith(world.url + "/staff/sign-in")
    assert actions(school=school)[-1] == AuditAction.REFUSED_BY_PROVIDER


def test_an_email_on_nobodys_staff_list_is_refused(world, school, page):
    accounts(world, fay={"email": "nobody@example.org", "email_verified": True, "amr": ["mfa"]})
    through_provider(page, school, "fay")
    assert refused(page)
    axe_check(page)
    assert actions(school=school)[-1] == AuditAction.REFUSED_UNKNOWN


def test_an_unverified_email_is_not_matched(world, school, page):
    dsl = world.make.user(school, "dsl")
    accounts(world, gil={"email": dsl.email, "email_verified": False, "amr": ["mfa"]})
    through_provider(page, school, "gil")
    assert refused(page)
    assert actions(school=school)[-1] == AuditAction.REFUSED_UNKNOWN


def test_a_member_of_another_school_is_refused(world, school, page):
    elsewhere = world.make.user(world.make.school(), "dsl")
    accounts(world, hal={"email": elsewhere.email, "email_verified": True, "amr": ["mfa"]})
    through_provider(page, school, "hal")
    assert refused(page)
    assert actions(elsewhere) == []
    assert actions(school=school)[-1] == AuditAction.REFUSED_UNKNOWN


@pytest.mark.parametrize("fault", [{"tamper": "audience"}, {"tamper": "signature"},
                                   {"skew": -600}], ids=["audience", "signature", "expired"])
def test_an_id_token_failing_its_checks_is_refused(world, school, page, fault):
    dsl = world.make.user(school, "dsl")
    accounts(world, ivy={"email": dsl.email, "email_verified": True, "amr": ["mfa"]})
    world.provider.control(**fault)
    through_provider(page, school, "ivy")
    assert refused(page)
    page.goto(QUEUE)
    assert page.url.startswith(world.url + "/staff/sign-in")
    assert actions(school=school)[-1] == AuditAction.REFUSED_BAD_TOKEN
    assert actions(dsl) == []


def test_a_return_address_used_twice_is_refused(world, school, page):
    dsl = world.make.user(school, "dsl")
    accounts(world, jo={"email": dsl.email, "email_verified": True, "amr": ["mfa"]})
    returns = []
    page.on("request", lambda r: returns.append(r.url) if "/staff/sign-in/return" in r.url
            else None)
    through_provider(page, school, "jo")
    assert page.url == world.url + QUEUE
    page.goto(returns[0])
    assert refused(page)
    assert actions(school=None)[-1] == AuditAction.REFUSED_EXPIRED


def test_the_admin_staff_list_shows_how_each_member_last_signed_in(world, school, page):
    dsl = world.make.user(school, "dsl")
    admin = world.make.user(school, "admin")
    accounts(world, kit={"email": dsl.email, "email_verified": True, "amr": ["mfa"]})
    through_provider(page, school, "kit")
    page.context.clear_cookies()
    sign_in_staff(page, admin.email, admin.totp_secret)
    page.goto("/staff/admin/staff")
    row = page.get_by_role("row").filter(has_text=dsl.email)
    assert row.get_by_text("School sign-in service with its second check").is_visible()


@pytest.fixture
def clock(monkeypatch):
    """The time the sign-in service's pages see, moved by hand."""
    made = Clock(utcnow())
    monkeypatch.setattr(auth_sso, "utcnow", made)
    return made


def test_sign_in_keeps_working_when_the_provider_rotates_its_keys(world, school, browser,
                                                                   clock):
    staff = world.make.user(school, "staff")
    known = {"ola": {"email": staff.email, "email_verified": True}}
    world.provider.rotate_keys()  # a new key under a new key id; nobody saves the settings
    accounts(world, **known)
    first = open_page(browser, world)
    through_provider(first, school, "ola")
    assert first.url.startswith(world.url + "/staff/concerns")
    assert actions(staff)[-1] == AuditAction.SIGN_IN_SSO
    # Rotated again within the minute: the keys aren't re-read yet, so this one is refused...
    world.provider.rotate_keys()
    accounts(world, **known)
    second = open_page(browser, world)
    through_provider(second, school, "ola")
    assert refused(second)
    assert actions(school=school)[-1] == AuditAction.REFUSED_BAD_TOKEN
    # ...and a minute later they are, and it works.
    clock.advance(seconds=61)
    third = open_page(browser, world)
    through_provider(third, school, "ola")
    assert third.url.startswith(world.url + "/staff/concerns")
    for made in (first, second, third):
        made.context.close()


def test_a_session_is_confirmed_with_the_provider_again_after_eight_hours(world, school, page,
                                                                          clock):
    staff = world.make.user(school, "staff")
    accounts(world, pat={"email": staff.email, "email_verified": True})
    through_provider(page, school, "pat")
    clock.advance(hours=7, minutes=59)
    page.goto("/staff/concerns/")
    assert actions(staff)[-1] == AuditAction.SIGN_IN_SSO  # not due yet
    clock.advance(minutes=2)
    page.goto("/staff/concerns/")  # to the provider and back, without a word to the person
    assert page.url == world.url + "/staff/concerns/"
    assert actions(staff)[-1] == AuditAction.SSO_CONFIRMED


def test_a_member_switched_off_at_the_provider_is_signed_out_everywhere_at_the_next_check(
        world, school, browser, page, clock):
    staff = world.make.user(school, "staff")
    known = {"email": staff.email, "email_verified": True}
    accounts(world, quin=known)
    through_provider(page, school, "quin")
    laptop = open_page(browser, world)  # the same member on a second device
    through_provider(laptop, school, "quin")
    assert laptop.url.startswith(world.url + "/staff/concerns")
    accounts(world, quin={**known, "disabled": True})
    clock.advance(hours=8, minutes=1)
    page.goto("/staff/concerns/")
    assert page.url.startswith(world.url + f"/staff/sign-in/{school.slug}")
    assert page.get_by_text("no longer confirms that you are signed in there").is_visible()
    axe_check(page)
    laptop.goto("/staff/concerns/")
    assert laptop.url.startswith(world.url + "/staff/sign-in")
    assert AuditAction.SSO_NOT_CONFIRMED in actions(staff)
    laptop.context.close()
