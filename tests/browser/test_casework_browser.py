"""Casework in Chromium with JavaScript off, axe on every new page: a conversation recorded with
who was there and corrected, parents' contact, a task a colleague finds under "My tasks",
safety plans for two children, printed, and a directory pupil found as present and marked left
on their page."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import CasePerson, OutboxMessage, Pupil
from schoolsafe.models.base import utcnow
from schoolsafe.services import local_time
from schoolsafe.services.pupils import directory
from tests.browser.conftest import axe_check, sign_in_staff
from tests.unit.test_case_checklist_stories import SARA, SARA_BOY, sara_with_checklist

pytestmark = pytest.mark.slow


@pytest.fixture
def casework(new_page, live_make):
    """A DSL signed in with JavaScript off on Sara's case, and a colleague (a form tutor)."""
    school = live_make.school()
    dsl = live_make.user(school, "dsl")
    tutor = live_make.user(school, "staff")
    case = sara_with_checklist(school, dsl)
    db.session.commit()
    page = new_page(js=False, width=360)
    sign_in_staff(page, dsl.email, dsl.totp_secret)
    return page, case, tutor, new_page


def test_a_conversation_is_recorded_corrected_and_handed_on_without_javascript(casework):
    page, case, tutor, new_page = casework
    page.goto(f"/staff/triage/cases/{case.public_id}")
    axe_check(page)
    page.get_by_role("link", name="Record a conversation, call, meeting, contact or decision"
                     ).click()
    axe_check(page)
    then = local_time.to_zone(utcnow() - timedelta(hours=1), "Europe/London")
    page.get_by_label("What is this?").select_option("conversation")
    page.get_by_label("Date").fill(then.date().isoformat())
    page.get_by_label("Time").fill(then.strftime("%H:%M"))
    page.get_by_label(tutor.name).check()
    page.get_by_label("Anyone else there").fill("Sara")
    page.get_by_label("What was said, agreed or decided").fill("She wants her mum told today.")
    page.get_by_label("What they are to do").fill("Move Jay out of her science set")
    page.get_by_label("For", exact=True).select_option(label=tutor.name)
    page.get_by_label("Due").fill((then.date() + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Add to the chronology").click()
    entry = page.locator(".entry-entry-conversation")
    expect(entry).to_contain_text("She wants her mum told today.")
    expect(entry).to_contain_text(f"{tutor.name}; Sara")
    axe_check(page)

    entry.get_by_role("link", name="Correct this entry").click()
    axe_check(page)
    page.get_by_label("What was said, agreed or decided").fill(
        "She wants her mum told today, by me.")
    page.get_by_role("button", name="Save the correction").click()
    expect(page.locator(".entry-entry-conversation")).to_contain_text("version 2, a correction")
    page.get_by_text("Earlier version (1)").click()
    expect(page.locator(".entry-versions")).to_contain_text("She wants her mum told today.")

    page.locator("#parent-person").select_option(label=SARA)
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("If yes: who told them").fill("Ms Ahmed")
    page.get_by_label("If yes: the date they were told").fill(then.date().isoformat())
    page.get_by_role("button", name="Save", exact=True).click()
    expect(page.locator(".parents-summary")).to_contain_text(f"{SARA}:")
    expect(page.locator(".parents-summary")).to_contain_text("told by Ms Ahmed")
    axe_check(page)

    colleague = new_page(js=False, width=360)
    sign_in_staff(colleague, tutor.email, tutor.totp_secret)
    colleague.get_by_text("Menu").click()
    colleague.get_by_role("link", name="My tasks").click()
    expect(colleague.locator("td[data-label=Task]")).to_contain_text(
        "Move Jay out of her science set")
    axe_check(colleague)
    colleague.get_by_role("button", name="Mark done").click()
    expect(colleague.get_by_text("Task marked done.")).to_be_visible()
    axe_check(colleague)


def test_safety_plans_for_two_children_are_written_and_printed(casework):
    page, case, tutor, _ = casework
    page.goto(f"/staff/triage/cases/{case.public_id}/plan")
    axe_check(page)
    for who, measures in ((SARA, "Separate science sets"), (SARA_BOY, "Supervised lunch")):
        form = page.locator("section.plan", has_text=who)
        form.get_by_label("Risks").fill("They share a science set.")
        form.get_by_label("Measures").fill(measures)
        form.get_by_label("Who is responsible").fill("Head of science")
        form.get_by_role("button", name="Save the plan").click()
        expect(page.get_by_text(f"Plan for {who} saved as version 1.")).to_be_visible()
    first = page.locator("section.plan").first
    first.get_by_label("Risks").fill("")  # the form starts from the plan in force
    first.get_by_role("button", name="Save the plan").click()
    expect(page.get_by_role("alert")).to_contain_text("Please write the risks")
    axe_check(page)
    page.get_by_role("link", name="Print view of the plans").click()
    expect(page.get_by_text("Separate science sets")).to_be_visible()
    expect(page.get_by_text("Supervised lunch")).to_be_visible()
    axe_check(page)


def test_a_leaver_is_marked_their_file_sent_opened_and_accepted_without_javascript(
        casework, live_make):
    page, case, _, new_page = casework
    elm = live_make.school("elm-browser", name="Elm High")
    receiver = live_make.user(elm, "dsl")
    page.goto(f"/staff/triage/cases/{case.public_id}")
    page.locator("#left-person").select_option(label=SARA)
    page.get_by_label("The date they left").fill(utcnow().date().isoformat())
    page.get_by_role("button", name="Mark as left").click()
    page.get_by_role("link", name=f"Send {SARA}'s file to their new school").click()
    axe_check(page)
    page.get_by_label("The school", exact=True).select_option(label="Elm High")
    page.get_by_role("button", name="Send the file").click()
    expect(page.locator("#transfers")).to_contain_text("Sent")
    axe_check(page)

    there = new_page(js=False, width=360)
    sign_in_staff(there, receiver.email, receiver.totp_secret)
    there.get_by_text("Menu").click()
    there.get_by_role("link", name="Files from other schools 1 waiting to be accepted").click()
    axe_check(there)
    there.get_by_role("link", name=SARA).click()
    expect(there.get_by_role("heading", level=1)).to_have_text(f"Safeguarding file: {SARA}")
    axe_check(there)
    there.get_by_role("button", name="Accept the file").click()
    expect(there.get_by_text("Accepted. The sending school has been told")).to_be_visible()
    expect(there.get_by_text("This is your school's own copy.")).to_be_visible()
    axe_check(there)
    there.get_by_role("link", name="Back to files from other schools").click()
    expect(there.get_by_role("link", name=SARA)).to_be_visible()  # under "Accepted"
    axe_check(there)
    page.reload()
    expect(page.locator("#transfers")).to_contain_text("Accepted by the new school")


def test_a_school_elsewhere_opens_the_file_with_its_code_without_javascript(casework):
    page, case, _, new_page = casework
    page.goto(f"/staff/triage/cases/{case.public_id}")
    page.locator("#left-person").select_option(label=SARA)
    page.get_by_label("The date they left").fill(utcnow().date().isoformat())
    page.get_by_role("button", name="Mark as left").click()
    page.get_by_role("link", name=f"Send {SARA}'s file to their new school").click()
    page.get_by_label("A school elsewhere").check()
    page.get_by_label("Its safeguarding lead's email address").fill("dsl@faraway.example.org")
    page.get_by_role("button", name="Send the file").click()
    email = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.purpose == "file_transfer"))
    code = re.search(r"Code: (\S+)", email.body).group(1)
    outside = new_page(js=False, width=360)
    outside.goto("/file-receipt")
    axe_check(outside)
    outside.get_by_label("Code from the email").fill(code)
    outside.get_by_role("button", name="Open the file").click()
    expect(outside.get_by_role("heading", level=1)).to_have_text(f"Safeguarding file: {SARA}")
    axe_check(outside)
    outside.get_by_label("Your name and role").fill("Ms Faraway, DSL")
    outside.get_by_role("button", name="Confirm we have the file").click()
    expect(outside.get_by_role("status")).to_contain_text("has been told that you have the file")
    axe_check(outside)


def test_a_directory_pupil_is_found_as_present_then_marked_left_from_their_page(casework):
    page, case, _, _ = casework
    sara_person = case.people[0]
    sara_pupil = Pupil(school_id=case.school_id, upn="B1", legal_first="Sara",
                       legal_last="Okafor", year_group="Year 8")
    jay = Pupil(school_id=case.school_id, upn="B2", legal_first="Jayden", legal_last="Brook",
                year_group="Year 8")
    db.session.add_all([sara_pupil, jay])
    db.session.flush()
    directory.reindex(db.session, [sara_pupil, jay])
    db.session.get(CasePerson, sara_person.id).pupil_id = sara_pupil.id
    db.session.commit()
    page.goto(f"/staff/triage/cases/{case.public_id}/entries/new")
    then = local_time.to_zone(utcnow() - timedelta(hours=1), "Europe/London")
    page.get_by_label("What is this?").select_option("meeting")
    page.get_by_label("Date").fill(then.date().isoformat())
    page.get_by_label("Time").fill(then.strftime("%H:%M"))
    page.get_by_label("What was said, agreed or decided").fill("Both agreed to separate sets.")
    page.get_by_label("Sara Okafor, Year 8").check()  # the case's own pupil, offered first
    page.get_by_label("Find another pupil by name").fill("jaden brook")
    page.get_by_role("button", name="Find pupil").click()
    expect(page.get_by_role("status")).to_contain_text('1 found for "jaden brook"')
    axe_check(page)
    expect(page.get_by_label("What was said, agreed or decided")).to_have_value(
        "Both agreed to separate sets.")
    expect(page.get_by_label("Sara Okafor, Year 8")).to_be_checked()
    page.get_by_label("Jayden Brook, Year 8").check()
    page.get_by_role("button", name="Add to the chronology").click()
    entry = page.locator(".entry-entry-meeting")
    expect(entry).to_contain_text("Jayden Brook; Sara Okafor")
    expect(page.locator(".parents-summary").get_by_role("link", name=SARA)).to_be_visible()

    entry.get_by_role("link", name="Sara Okafor").click()
    expect(page.get_by_text("(they were there): Both agreed to separate sets.")).to_be_visible()
    axe_check(page)
    page.get_by_label("The date they left").fill(utcnow().date().isoformat())
    page.get_by_role("button", name="Mark as left").click()
    expect(page.get_by_text("Sara Okafor marked as left.")).to_be_visible()
    axe_check(page)
    page.goto("/staff/triage/")
    expect(page.locator("#hand-on")).to_contain_text(f"{SARA} left on")
    axe_check(page)
    page.locator("#hand-on").get_by_role(
        "link", name=f"Send {SARA}'s file to their new school").click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(SARA)
