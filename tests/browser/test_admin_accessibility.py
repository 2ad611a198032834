"""The admin pages in headless Chromium with CSRF on: forms work without JavaScript, and
axe-core finds nothing on any page, including each page showing a problem."""

from __future__ import annotations

from datetime import timedelta

import pytest
from playwright.sync_api import expect

from schoolsafe.extensions import db
from schoolsafe.models import OutboxMessage
from schoolsafe.models.base import utcnow
from tests.browser.conftest import axe_check, sign_in_staff

pytestmark = pytest.mark.slow


@pytest.fixture
def admin_page(new_page, live_make):
    """An administrator of a school with no safeguarding lead yet, signed in, JS off."""
    school = live_make.school()
    admin = live_make.user(school, "admin")
    page = new_page(js=False)
    sign_in_staff(page, admin.email, admin.totp_secret)
    page.school = school
    return page


def test_overview_and_routing_pages_with_their_warnings(admin_page):
    page = admin_page
    page.goto("/staff/admin/")
    expect(page.get_by_text("Nobody will be alerted about new reports.")).to_be_visible()
    axe_check(page)
    page.get_by_role("link", name="Fix who is alerted").click()
    axe_check(page)

    page.get_by_label("Or an email address").fill("deputy at school")
    page.get_by_role("button", name="Add to the list").click()
    expect(page.get_by_text("doesn't look like an email address")).to_be_visible()
    axe_check(page)

    page.get_by_label("Or an email address").fill("deputy@school.example.org")
    page.get_by_label("When they are told").select_option("2")
    page.get_by_label("Sexualised bullying").check()
    page.get_by_label("On call").check()
    page.get_by_role("button", name="Add to the list").click()
    expect(page.get_by_text("Added to the routing list.")).to_be_visible()
    expect(page.get_by_role("cell", name="deputy@school.example.org", exact=True)).to_be_visible()
    axe_check(page)


def test_hours_page_saved_and_refused(admin_page):
    page = admin_page
    page.goto("/staff/admin/hours")
    axe_check(page)
    page.get_by_label("and stop at").fill("07:00")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The end of the day must be later than the start.")).to_be_visible()
    axe_check(page)
    page.get_by_label("and stop at").fill("15:15")
    page.get_by_label("Saturday").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("School hours and waiting times saved.")).to_be_visible()
    expect(page.get_by_label("and stop at")).to_have_value("15:15")


def test_closed_days_page_refused_and_saved(admin_page):
    page = admin_page
    page.goto("/staff/admin/hours")
    page.get_by_role("link", name="Closed days").click()
    axe_check(page)
    page.get_by_label("Closed dates, one a line").fill("2026-12-24\nChristmas")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("\"Christmas\" isn't a date.")
    expect(page.get_by_label("Closed dates, one a line")).to_have_value("2026-12-24\nChristmas")
    axe_check(page)
    page.get_by_label("Closed dates, one a line").fill("2026-12-24\n2026-12-23")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Closed days saved.")).to_be_visible()
    expect(page.get_by_label("Closed dates, one a line")).to_have_value("2026-12-23\n2026-12-24")
    axe_check(page)


def test_email_page_with_a_failing_email_and_trying_it_again(admin_page):
    page = admin_page
    db.session.add(OutboxMessage(
        school_id=page.school.id, purpose="alert", to_addresses="lead@school.example.org",
        subject="schoolsafe: a new report is waiting", body="A new report is waiting.\n",
        tries=2, last_error="ConnectionRefusedError: [Errno 111] Connection refused"))
    db.session.commit()
    page.goto("/staff/admin/email")
    expect(page.get_by_text("ConnectionRefusedError").first).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Try again now").click()
    expect(page.get_by_text("The email will be tried again in a moment.")).to_be_visible()
    expect(page.get_by_text("All email has been sent.")).to_be_visible()
    axe_check(page)


def test_staff_pages_adding_changing_unpausing_and_removing(admin_page, live_make):
    page = admin_page
    jo = live_make.user(page.school, "dsl", email="jo@school.example.org")
    jo.locked_until = utcnow() + timedelta(minutes=10)
    db.session.commit()
    page.goto("/staff/admin/")
    page.get_by_role("navigation", name="Administration").get_by_role("link", name="Staff").click()
    expect(page.get_by_role("cell", name="jo@school.example.org")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Add a member of staff").click()
    axe_check(page)
    page.get_by_label("Name").fill("Sam Patel")
    page.get_by_label("Email").fill("sam at school")
    page.get_by_label("Safeguarding lead", exact=True).check()
    page.get_by_role("button", name="Add to the staff").click()
    expect(page.get_by_text("doesn't look like an email address")).to_be_visible()
    expect(page.get_by_label("Safeguarding lead", exact=True)).to_be_checked()
    axe_check(page)
    page.get_by_label("Email").fill("sam@school.example.org")
    page.get_by_role("button", name="Add to the staff").click()
    expect(page.get_by_text("Sam Patel is now on the staff")).to_be_visible()
    expect(page.get_by_role("heading", name="Sam Patel")).to_be_visible()
    axe_check(page)

    page.get_by_role("link", name="Back to the staff list").click()
    page.get_by_role("link", name=jo.name).click()
    expect(page.get_by_text("Paused until")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name=f"Reset two-factor sign-in for {jo.name}").click()
    expect(page.get_by_text("they have been signed out everywhere")).to_be_visible()
    page.get_by_role("button", name=f"Unpause signing in for {jo.name}").click()
    expect(page.get_by_text(f"{jo.name} can try signing in again now.")).to_be_visible()
    page.get_by_label("Administrator", exact=True).check()
    page.get_by_label("Safeguarding lead", exact=True).uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text(f"Saved what {jo.name} can do")).to_be_visible()

    page.get_by_label("Administrator", exact=True).uncheck()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Choose at least one role")).to_be_visible()
    axe_check(page)

    page.get_by_role("button", name=f"Remove {jo.name} from").click()
    axe_check(page)
    page.get_by_role("button", name=f"Yes, remove {jo.name}").click()
    expect(page.get_by_text(f"{jo.name} is no longer on the staff")).to_be_visible()
    expect(page.get_by_role("cell", name="jo@school.example.org")).to_have_count(0)


def test_where_referrals_go_saved_and_refused(admin_page):
    page = admin_page
    page.goto("/staff/admin/recipients")
    axe_check(page)
    page.get_by_label("Local police").fill("pps at westmids")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_role("alert")).to_contain_text("is not a valid email address")
    axe_check(page)
    page.get_by_label("Local police").fill("pps@westmids.police.example.uk")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Referral addresses saved.")).to_be_visible()
    expect(page.get_by_label("Local police")).to_have_value("pps@westmids.police.example.uk")


def test_a_staff_error_page_keeps_the_staff_menu(admin_page):
    page = admin_page
    page.goto("/staff/admin/no-such-page")
    expect(page.get_by_role("navigation", name="Staff")).to_be_visible()
    expect(page.get_by_role("link", name="Go to your staff home page")).to_have_attribute(
        "href", "/staff/admin/")
    axe_check(page)


def test_languages_page_refused_and_saved_and_pupils_switch_with_plain_links(new_page,
                                                                             live_make):
    # A school in Wales, whose pack is written in Welsh; its admin reads their own pages in
    # English whatever the pupils' pages open in.
    school = live_make.school(jurisdiction="wales", language="en", languages=["en"])
    admin = live_make.user(school, "admin")
    admin.language = "en"
    db.session.commit()
    page = new_page(js=False)
    sign_in_staff(page, admin.email, admin.totp_secret)
    page.school = school
    page.goto("/staff/admin/languages")
    axe_check(page)
    page.get_by_label("Pupil pages open in").select_option("cy")
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("The language pages open in must be one pupils can use.")
           ).to_be_visible()
    axe_check(page)
    page.get_by_label("Cymraeg").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Languages saved.")).to_be_visible()
    expect(page.get_by_label("Pupil pages open in")).to_have_value("cy")

    pupil = new_page(js=False)
    pupil.goto(f"/tell/{page.school.slug}")
    expect(pupil.locator("html")).to_have_attribute("lang", "cy")
    axe_check(pupil)
    pupil.get_by_role("navigation", name="Iaith").get_by_role("button", name="English").click()
    expect(pupil.locator("html")).to_have_attribute("lang", "en")
    pupil.get_by_role("button", name=f"Send to {page.school.name}").click()
    expect(pupil.get_by_text("Please choose who this is about.").first).to_be_visible()
    expect(pupil.locator("html")).to_have_attribute("lang", "en")
    assert "lang=en" in pupil.url
    axe_check(pupil)
