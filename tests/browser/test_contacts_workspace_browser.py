"""The chair of governors, who is not a safeguarding lead, in Chromium with JavaScript off and
axe on each page: signed in with their second factor they land on a queue holding only the
report naming the head, open it, and find no way to the pupil directory, register or insight."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import School
from schoolsafe.services.register.linking import Place
from schoolsafe.vocab import Role
from tests.browser.conftest import axe_check, sign_in_staff
from tests.browser.pupil import school_with_dsl


def test_the_chair_who_is_not_a_dsl_opens_the_report_naming_the_head(new_page, live_make):
    oak = school_with_dsl(live_make)
    school = db.session.scalar(select(School).where(School.slug == oak.slug))
    head = live_make.user(school, Role.CASE_MANAGER, email="head@oak.example.org")
    head.name = "Ann Whitfield"
    chair = live_make.user(school, Role.CHAIR, email="chair@oak.example.org")
    db.session.commit()
    everyday = live_make.report(school, choices=("rumours",)).report
    theirs = live_make.report(school, choices=("asked_for_nudes",),
                              factors=frozenset({"about_staff"}), accused_who="Mrs Whitfield",
                              places=(Place("snapchat", "whitfield_snap"),),
                              narrative="She sends me messages at night").report
    assert theirs.restricted_to == Role.CHAIR

    page = new_page(js=False)
    sign_in_staff(page, chair.email, chair.totp_secret)
    expect(page).to_have_url(f"{page.url.split('/staff/')[0]}/staff/triage/")
    expect(page.get_by_role("status")).to_have_text("1 not yet acknowledged")
    nav = page.get_by_role("navigation", name="Staff")
    for name in ("Reports", "Cases", "My tasks"):
        expect(nav.get_by_role("link", name=name)).to_have_count(1)
    for name in ("Pupils", "Register", "Insight", "Log a concern"):
        expect(nav.get_by_role("link", name=name)).to_have_count(0)
    assert everyday.public_id not in page.content()
    axe_check(page)

    page.locator(f'a[href$="/reports/{theirs.public_id}"]').first.click()
    expect(page.get_by_text("In their words: Mrs Whitfield")).to_be_visible()
    expect(page.get_by_text("Only the chair of governors can see this.")).to_be_visible()
    expect(page.get_by_text("whitfield_snap").first).to_be_visible()
    axe_check(page)

    response = page.goto(f"/staff/triage/reports/{everyday.public_id}")
    assert response.status == 404
    assert page.goto("/staff/triage/pupils").status == 403
