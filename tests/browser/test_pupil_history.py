"""Back, Forward and the browser's resubmit never show what a pupil typed, nor save it twice.

A sibling on the same family laptop presses Back after the pupil has gone. Each history is
walked in Chromium with JavaScript on and off; then every earlier step's POST is sent again
with the same cookies (the page's own request context), as the resubmit prompt does, and the
database must still hold each report and each message once.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import expect
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import Report, ReportMessage, School
from tests.browser.conftest import axe_check
from tests.browser.pupil import school_with_dsl, shown_code, tell, write_own_words

pytestmark = pytest.mark.browser

JS = pytest.mark.parametrize("js", [False, True], ids=["javascript off", "javascript on"])
FORM = "application/x-www-form-urlencoded"

STORY = "Marmalade wrote about my cousin on a page"
FIRST_PLACE = "@quartz_lantern_page"
SECOND_PLACE = "@velvet_harbour_group"
MESSAGE = "Periwinkle says the page is back up"


def recording_posts(page) -> list[tuple[str, str]]:
    """Every form the page posts from now on: (address, body)."""
    posts: list[tuple[str, str]] = []
    page.on("request", lambda request: posts.append((request.url, request.post_data or ""))
            if request.method == "POST" else None)
    return posts


def shows_nothing_typed(text: str, typed: tuple[str, ...]) -> bool:
    return not any(words in text for words in typed)


def walk(page, steps: tuple[str, ...], typed: tuple[str, ...]) -> None:
    """Press Back and Forward as given; after each, the page shows nothing typed."""
    for step in steps:
        try:
            page.go_back() if step == "back" else page.go_forward()
        except PlaywrightError as error:  # a resubmit the browser refused: its own error page
            assert "ERR_CACHE_MISS" in str(error), error
        page.wait_for_load_state()
        assert shows_nothing_typed(page.content(), typed), (step, page.url)


def sent_again(page, posts: list[tuple[str, str]], typed: tuple[str, ...]) -> None:
    """Each POST sent again with the page's cookies: every answer shows nothing typed."""
    assert posts
    for url, body in posts:
        response = page.request.post(url, data=body, headers={"Content-Type": FORM})
        assert shows_nothing_typed(response.text(), typed), (url, response.text())


def reports_with(make, slug: str, words: str) -> int:
    """How many of the school's reports hold these words (every test has its own school)."""
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(Report).join(School)
                             .where(School.slug == slug, Report.narrative.contains(words)))


def messages_with(make, slug: str, words: str) -> int:
    db.session.remove()
    return db.session.scalar(select(func.count()).select_from(ReportMessage).join(Report)
                             .join(School).where(School.slug == slug,
                                                 ReportMessage.body.contains(words)))


@JS
def test_back_twice_and_forward_after_adding_a_place_and_sending(new_page, live_make, js):
    school = school_with_dsl(live_make)
    page = new_page(js=js)
    posts = recording_posts(page)
    page.goto(f"/tell/{school.slug}")
    page.get_by_label("Me", exact=True).check()
    write_own_words(page, STORY)
    page.locator("#place1-text").fill(FIRST_PLACE)
    page.get_by_role("button", name="Add another place").click()
    page.locator("#place2-text").fill(SECOND_PLACE)
    page.get_by_role("button", name=f"Send to {school.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sent. Thank you.")
    # The code words too: a copy of an earlier step must not hand them to whoever pressed Back.
    typed = (STORY, FIRST_PLACE, SECOND_PLACE, shown_code(page))
    *earlier, (send_url, send_body) = posts

    walk(page, ("back", "back", "forward"), typed)

    # With JavaScript the place was added in the page; without it, the same button posts this.
    sent_again(page, [*earlier, (send_url, send_body + "&add_place=1")], typed)
    assert reports_with(live_make, school.slug, STORY) == 1


@JS
def test_back_after_sending_a_form_that_first_came_back_with_a_problem(new_page, live_make, js):
    school = school_with_dsl(live_make)
    page = new_page(js=js)
    posts = recording_posts(page)
    page.goto(f"/tell/{school.slug}")
    write_own_words(page, STORY)
    page.locator("#place1-text").fill(FIRST_PLACE)
    page.get_by_role("button", name=f"Send to {school.name}").click()
    expect(page.get_by_text("Please choose who this is about.").first).to_be_visible()
    page.get_by_label("Me", exact=True).check()
    page.get_by_role("button", name=f"Send to {school.name}").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sent. Thank you.")
    code = shown_code(page)
    typed = (STORY, FIRST_PLACE, code)
    # The form as it came back with the problem, and the one that was sent.
    earlier = posts[:-1]

    walk(page, ("back",), typed)

    sent_again(page, earlier, typed)
    assert reports_with(live_make, school.slug, STORY) == 1


@JS
def test_back_and_forward_after_leaving_the_messages_quickly(new_page, live_make, js):
    school = school_with_dsl(live_make)
    page = new_page(js=js)
    tell(page, school.slug, choices=("A fake account",), words=STORY)
    code = shown_code(page)
    posts = recording_posts(page)
    page.goto("/follow-up")
    page.get_by_label("Your code words").fill(code)
    page.get_by_role("button", name="Show my messages").click()
    page.get_by_label("Add something or reply").fill(MESSAGE)
    page.get_by_role("button", name="Send", exact=True).click()
    expect(page.get_by_text("We have added that to your messages")).to_be_visible()
    page.get_by_role("link", name="Leave this site quickly").click()
    expect(page).to_have_title("Weather")
    earlier = list(posts)
    typed = (MESSAGE, STORY, code, "<h1>Your messages</h1>")

    walk(page, ("back",), typed)
    # Chromium under automation sends the page's form again, as if the prompt were accepted.
    expect(page.get_by_role("heading", level=1)).to_have_text("This page has closed")
    axe_check(page)
    walk(page, ("forward",), typed)

    sent_again(page, earlier, typed)
    assert messages_with(live_make, school.slug, MESSAGE) == 1
