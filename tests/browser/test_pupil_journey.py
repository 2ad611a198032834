"""A pupil's whole journey in headless Chromium: with and without JavaScript, at 360px, by keyboard.

Tell the school, keep the code, come back later, read the DSL's reply and add more.
"""

from __future__ import annotations

import re
import time

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import sign_in_staff
from tests.browser.pupil import (
    latest_report_id,
    no_sideways_scroll,
    school_with_dsl,
    shown_code,
    tell,
    write_own_words,
)

pytestmark = pytest.mark.browser

PLACES = [("instagram", "@oak_year9_rates"), ("snapchat", "sender.acc22"),
          ("whatsapp", "Year 9 banter group"), ("tiktok", "https://www.tiktok.com/@oak.exposed")]
REPLY = "Thank you for telling us. Can you come to the library at break tomorrow?"


def fill_the_report(page, school) -> None:
    """From the start page to the confirmation, the way a pupil would fill it in."""
    page.goto("/")
    page.get_by_label("School code").fill(school.code.lower())
    page.get_by_role("button", name="Next").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(f"Tell {school.name}")
    page.get_by_label("A friend", exact=True).check()
    page.get_by_label("A page or group about pupils").check()
    page.get_by_label("A fake account").check()
    page.get_by_label("Threats, or asking for money").check()
    write_own_words(page, "They post about girls in our year.")
    for number, (platform, text) in enumerate(PLACES, start=1):
        if number > 1:
            page.get_by_role("button", name="Add another place").click()
        page.locator(f"#place{number}-platform").select_option(platform)
        page.locator(f"#place{number}-text").fill(text)
    # The optional parts open with a click on their summary, JavaScript or not.
    page.get_by_text("When it happened", exact=True).click()
    page.get_by_label("When did it start?").fill("after half term")
    page.get_by_text("Who you are", exact=True).click()
    page.get_by_label("Your friend's name").fill("Jess")
    # Everything typed before each "Add another place" is still there.
    expect(page.get_by_label("Tell us in your own words")).to_have_value(
        "They post about girls in our year.")
    expect(page.locator("#place1-text")).to_have_value(PLACES[0][1])
    page.get_by_role("button", name=f"Send to {school.name}").click()


def dsl_replies(new_page, school, live_make) -> None:
    staff = new_page()
    sign_in_staff(staff, school.dsl_email, school.dsl_totp)
    staff.goto(f"/staff/triage/reports/{latest_report_id(live_make)}")
    expect(staff.get_by_text("They post about girls in our year.")).to_be_visible()
    staff.get_by_label("Reply to the pupil").fill(REPLY)
    staff.get_by_role("button", name="Send reply").click()
    expect(staff.get_by_text("Reply saved")).to_be_visible()


def come_back_later(new_page, code: str, *, js: bool) -> None:
    later = new_page(js=js)
    later.goto("/")
    later.get_by_role("link", name="I have code words").click()
    later.get_by_label("Your code words").fill(code.upper())
    later.get_by_role("button", name="Show my messages").click()
    expect(later.get_by_text(REPLY)).to_be_visible()
    later.get_by_label("Add something or reply").fill("OK, I will come.")
    later.get_by_role("button", name="Send", exact=True).click()
    expect(later.get_by_text("We have added that to your messages")).to_be_visible()
    expect(later.locator(".message-pupil .message-body")).to_have_text("OK, I will come.")


@pytest.mark.parametrize("js", [False, True], ids=["javascript off", "javascript on"])
def test_the_whole_journey(new_page, live_make, js):
    school = school_with_dsl(live_make)
    page = new_page(js=js)
    started = time.monotonic()
    fill_the_report(page, school)
    expect(page.get_by_role("heading", level=1)).to_have_text("Sent. Thank you.")
    code = shown_code(page)
    assert len(code.split()) == 6
    assert time.monotonic() - started < 60  # the two-minute promise, with room to read
    # The report is about a friend, so the help speaks about helping the friend.
    expect(page.get_by_text("Tell your friend not to pay and not to send any more pictures")
           ).to_be_visible()
    expect(page.get_by_text("Report the account or page on the app")).to_be_visible()
    # Shared-device safety: nothing left behind, nothing in any address, nothing off-site.
    assert page.context.cookies() == []
    # Any two of the code's words side by side, however joined, would give the code away; a
    # single word on its own may also be part of the site's own addresses ("exit", "report").
    words = code.split()
    pairs = [re.compile(rf"{a}\W*{b}", re.I) for a, b in zip(words, words[1:], strict=False)]
    assert not any(pair.search(url) for url in page.context.visited for pair in pairs)
    assert not any("?" in url for url in page.context.visited)
    assert page.context.offsite == []
    assert page.title() == "Help and support"

    dsl_replies(new_page, school, live_make)
    come_back_later(new_page, code, js=js)


def test_with_javascript_another_place_is_added_without_reloading(new_page, live_make):
    school = school_with_dsl(live_make)
    page = new_page(js=True)
    page.goto(f"/tell/{school.slug}")
    write_own_words(page, "typed before")
    # One place: the question names it, its title is for screen readers only.
    expect(page.locator("#place1-title")).to_have_class(re.compile(r"\bvisually-hidden\b"))
    posts_before = len(page.context.visited)
    for _ in range(3):
        page.get_by_role("button", name="Add another place").click()
    assert len(page.context.visited) == posts_before  # no round trip to the server
    expect(page.locator(".place")).to_have_count(4)
    expect(page.locator("#place4-platform")).to_be_focused()
    expect(page.locator("#place4-title")).to_have_text("Place 4")
    for number in range(1, 5):  # more than one: each shows its title
        expect(page.locator(f"#place{number}-title")).not_to_have_class(
            re.compile(r"\bvisually-hidden\b"))
    for _ in range(6):
        page.get_by_role("button", name="Add another place").click()
    expect(page.locator(".place")).to_have_count(10)
    expect(page.get_by_role("button", name="Add another place")).to_have_count(0)
    expect(page.get_by_text("That's the most places we can take here")).to_be_visible()


def tab_to(page, selector: str, limit: int = 120) -> None:
    """Press Tab until the element matching the selector has the focus."""
    for _ in range(limit):
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return
        page.keyboard.press("Tab")
    raise AssertionError(f"Tab never reached {selector}")


def test_at_360px_wide_with_only_the_keyboard(new_page, live_make):
    school = school_with_dsl(live_make)
    page = new_page(js=True, width=360, height=740)
    page.goto("/")
    assert no_sideways_scroll(page)
    tab_to(page, "#code")
    page.keyboard.type(school.code)
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", level=1)).to_contain_text(f"Tell {school.name}")
    assert no_sideways_scroll(page)

    tab_to(page, "#about-0")
    page.keyboard.press("ArrowDown")  # radios move and choose with the arrow keys
    expect(page.get_by_label("A friend", exact=True)).to_be_checked()
    tab_to(page, "input[value=nude_shared]")
    page.keyboard.press("Space")
    tab_to(page, "#danger_now")
    page.keyboard.press("Space")
    tab_to(page, "#place1-text")
    page.keyboard.type("@sharer_account")
    tab_to(page, "#own-words summary")
    page.keyboard.press("Enter")  # the optional parts open from the keyboard too
    tab_to(page, "#narrative")
    page.keyboard.type("A picture of my friend is going round.")
    tab_to(page, "button.send")
    outline = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
    assert outline != "none"  # the focus can be seen
    page.keyboard.press("Enter")

    expect(page.get_by_role("heading", level=1)).to_have_text("If someone is in danger right now")
    assert len(shown_code(page).split()) == 6
    assert no_sideways_scroll(page)
    page.goto("/follow-up")
    assert no_sideways_scroll(page)


def test_leave_quickly_replaces_the_page_so_back_does_not_return_to_it(new_page, live_make):
    school = school_with_dsl(live_make)
    page = new_page(js=True)
    page.goto("/")
    page.goto(f"/tell/{school.slug}")
    write_own_words(page, "private words")
    page.get_by_role("link", name="Leave this site quickly").click()
    expect(page).to_have_title("Weather")
    page.go_back()
    assert page.url.endswith("/")  # the form is gone from the history
    assert page.context.offsite[-1].startswith("https://")


def test_leave_quickly_with_escape_twice_and_as_a_plain_link_without_javascript(
        new_page, live_make):
    school = school_with_dsl(live_make)
    page = new_page(js=True)
    page.goto(f"/tell/{school.slug}")
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    expect(page).to_have_title("Weather")
    plain = new_page(js=False)
    plain.goto(f"/tell/{school.slug}")
    plain.get_by_role("link", name="Leave this site quickly").click()
    expect(plain).to_have_title("Weather")


def test_a_problem_keeps_the_words_and_takes_keyboard_users_to_the_summary(new_page, live_make):
    school = school_with_dsl(live_make)
    page = new_page(js=True)
    tell(page, school.slug, choices=("Someone asks for nudes",),
         words="x" * 5001)
    expect(page.locator("#problem")).to_be_focused()
    page.get_by_role("link", name="Please keep this under 5000 characters.").click()
    expect(page.locator("#narrative")).to_be_focused()
    expect(page.get_by_label("Someone asks for nudes")).to_be_checked()
