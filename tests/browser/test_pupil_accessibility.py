"""axe-core in Chromium on every pupil page and every mix of help after Send: zero violations."""

from __future__ import annotations

from datetime import datetime

import pytest
from playwright.sync_api import expect

from schoolsafe.report import views
from tests.browser.conftest import axe_check, sign_in_staff
from tests.browser.pupil import latest_report_id, school_with_dsl, shown_code, tell

pytestmark = pytest.mark.browser

# Wednesday 11:00 and 21:00 in London (UTC+1 in June): in and out of school hours.
SCHOOL_DAY = datetime(2025, 6, 11, 10, 0)
EVENING = datetime(2025, 6, 11, 20, 0)


@pytest.fixture
def school(live_make):
    return school_with_dsl(live_make)


def test_start_page_form_and_follow_up_page(page, school):
    # The same HTML with JavaScript off; the tests below audit the pages that differ.
    for path in ("/", f"/tell/{school.slug}", "/follow-up"):
        page.goto(path)
        axe_check(page)


@pytest.mark.parametrize("js", [True, False], ids=["javascript on", "javascript off"])
def test_form_with_problems_and_with_an_added_place(new_page, school, js):
    page = new_page(js=js)
    tell(page, school.slug, choices=("A fake account",), words="w" * 5001)
    expect(page.get_by_text("There is a problem")).to_be_visible()
    axe_check(page)
    page.get_by_role("button", name="Add another place").click()
    expect(page.locator(".place")).to_have_count(2)
    axe_check(page)


def test_start_page_with_an_unknown_school_code(page, school):
    page.goto("/")
    page.get_by_label("School code").fill("NOPE")
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_text("We couldn't find a school with that code")).to_be_visible()
    axe_check(page)


HELP_MIXES = [
    pytest.param(SCHOOL_DAY, (), ("Someone's in danger now",),
                 "If someone is in danger right now", id="danger now"),
    pytest.param(SCHOOL_DAY, ("Threats to share a picture",), (),
                 "If someone is threatening you", id="threats"),
    pytest.param(SCHOOL_DAY, ("Someone shared a nude",), (),
                 "If a nude or private picture is being shared", id="nude shared"),
    pytest.param(SCHOOL_DAY, ("A fake account",), (),
                 "If there is a fake account or a page", id="fake account"),
    pytest.param(SCHOOL_DAY, ("Unwanted sexual messages",), (),
                 "If you got messages, pictures or comments", id="unwanted messages"),
    pytest.param(EVENING, ("Something else",), (), "When staff will see this",
                 id="out of hours"),
    pytest.param(EVENING, ("Someone shared a nude", "A fake account"),
                 ("Someone may hurt themselves",
                  "Threats, or asking for money"),
                 "If someone is in danger right now", id="everything at night"),
]


@pytest.mark.parametrize(("moment", "choices", "questions", "heading"), HELP_MIXES)
def test_confirmation_for_each_mix_of_help(page, school, monkeypatch, moment, choices,
                                           questions, heading):
    monkeypatch.setattr(views, "utcnow", lambda: moment)
    tell(page, school.slug, choices=choices, questions=questions)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    axe_check(page)


# Help written for a friend or for someone who saw it: its own headings and words.
HELP_FOR_OTHERS = [
    pytest.param("A friend",
                 ("Someone shared a nude", "Threats to share a picture"),
                 (), "If a nude or private picture of your friend is being shared",
                 id="friend: nude shared and threats"),
    pytest.param("A friend", ("Unwanted sexual messages",),
                 ("An adult is involved",),
                 "If an adult is involved with your friend", id="friend: adult involved"),
    pytest.param("Someone else", ("Someone shared a nude",),
                 (), "If you saw or were sent a nude or private picture", id="saw: nude shared"),
    pytest.param("Someone else", ("A fake account",),
                 (), "If you saw a fake account or a page about people", id="saw: fake account"),
]


@pytest.mark.parametrize(("about", "choices", "questions", "heading"), HELP_FOR_OTHERS)
def test_confirmation_with_help_for_a_friend_or_a_bystander(page, school, monkeypatch, about,
                                                            choices, questions, heading):
    monkeypatch.setattr(views, "utcnow", lambda: SCHOOL_DAY)
    tell(page, school.slug, about=about, choices=choices, questions=questions)
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    axe_check(page)


def test_thread_with_replies_and_after_adding_more(new_page, school, live_make):
    pupil = new_page()
    tell(pupil, school.slug, choices=("A fake account",))
    code = shown_code(pupil)
    staff = new_page()
    sign_in_staff(staff, school.dsl_email, school.dsl_totp)
    staff.goto(f"/staff/triage/reports/{latest_report_id(live_make)}")
    staff.get_by_label("Reply to the pupil").fill("Thanks. We have asked for it to be taken down.")
    staff.get_by_role("button", name="Send reply").click()

    pupil.goto("/follow-up")
    pupil.get_by_label("Your code words").fill("not the right words at all here")
    pupil.get_by_role("button", name="Show my messages").click()
    expect(pupil.get_by_text("We couldn't find a report with those words")).to_be_visible()
    axe_check(pupil)
    pupil.get_by_label("Your code words").fill(code)
    pupil.get_by_role("button", name="Show my messages").click()
    expect(pupil.get_by_text("We have asked for it to be taken down")).to_be_visible()
    axe_check(pupil)
    pupil.get_by_label("Add something or reply").fill("Thank you")
    pupil.get_by_role("button", name="Send", exact=True).click()
    expect(pupil.get_by_text("We have added that to your messages")).to_be_visible()
    axe_check(pupil)


def test_reloading_the_confirmation_shows_the_same_code_once_more_then_no_code(page, school,
                                                                              live_make):
    tell(page, school.slug, choices=("A fake account",))
    expect(page.get_by_role("heading", name="Your code words")).to_be_visible()
    code = page.locator(".code").inner_text()
    first = latest_report_id(live_make)
    page.reload()  # the browser sends the same form again, as after a lost answer
    expect(page.get_by_role("heading", name="We already have this report")).to_be_visible()
    expect(page.locator(".code")).to_have_text(code)
    axe_check(page)
    page.reload()
    expect(page.get_by_role("heading", name="We already have this report")).to_be_visible()
    expect(page.locator(".code")).to_have_count(0)
    assert latest_report_id(live_make) == first
    axe_check(page)
