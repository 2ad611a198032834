"""A pupil says the person is an adult who works at the school, without JavaScript: the help
page says the person named won't read it, and only the head teacher is alerted."""

from __future__ import annotations

from playwright.sync_api import expect
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import OutboxMessage, Report, School
from schoolsafe.vocab import Role
from tests.browser.conftest import sign_in_staff
from tests.browser.pupil import school_with_dsl


def test_a_pupil_ticks_that_the_adult_works_at_the_school_without_javascript(
        new_page, live_make):
    school = school_with_dsl(live_make)
    record = db.session.scalar(select(School).where(School.slug == school.slug))
    live_make.user(record, Role.CASE_MANAGER, email="head@oak.example.org")
    live_make.user(record, Role.DSL, email="head@oak.example.org")

    page = new_page(js=False)
    page.goto(f"/tell/{school.slug}")
    page.get_by_label("Me", exact=True).check()
    page.get_by_label("Someone asks for nudes").check()
    # Asked under "Your own words", folded away on the form as first shown.
    expect(page.get_by_label("The adult works at my school")).to_be_hidden()
    page.get_by_text("Your own words", exact=True).click()
    page.get_by_label("The adult works at my school").check()
    page.get_by_label("Who is it? (if you want to say)").fill("Mr Jones, the PE teacher")
    page.get_by_role("button", name="Send to").click()

    expect(page.get_by_role("heading", level=1)).to_have_text("Sent. Thank you.")
    expect(page.get_by_text("If it is an adult who works at your school")).to_be_visible()
    expect(page.get_by_text("The person you told us about will not read this.")).to_be_visible()
    expect(page.get_by_text("is always in the wrong")).to_be_visible()

    db.session.remove()
    report = db.session.scalar(select(Report).order_by(Report.id.desc()))
    assert (report.restricted_to, report.accused_who) == (Role.CASE_MANAGER,
                                                          "Mr Jones, the PE teacher")
    alerted = db.session.scalars(select(OutboxMessage.to_addresses)
                                 .where(OutboxMessage.report_id == report.id)).all()
    assert alerted == ["head@oak.example.org"]

    # The school's DSL, who is not the head, finds nothing of it in the queue.
    staff = new_page(js=False)
    sign_in_staff(staff, school.dsl_email, school.dsl_totp)
    staff.goto("/staff/triage/?status=all")
    expect(staff.get_by_text("1 report is about a member of staff")).to_be_visible()
    assert report.public_id not in staff.content()

