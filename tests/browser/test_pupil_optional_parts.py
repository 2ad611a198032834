"""The report form as first shown: what is needed to send is in view, everything optional is
folded away and opens on a click with JavaScript on or off, and what is typed there is sent."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Report
from tests.browser.conftest import axe_check
from tests.browser.pupil import school_with_dsl, shown_code

pytestmark = pytest.mark.browser

# Each folded part: its summary, and an answer or sentence inside it.
FOLDED = (("Your own words", "Tell us in your own words"),
          ("When it happened", "When did it start?"),
          ("Who you are", "Your year group or form"),
          ("How it works", None))
IN_VIEW = ("Me", "A fake account", "Someone's in danger now", "Someone's under 13",
           "App or website")


@pytest.mark.parametrize("js", [True, False], ids=["javascript on", "javascript off"])
def test_optional_parts_start_closed_open_on_request_and_what_is_typed_in_them_is_sent(
        new_page, live_make, js):
    school = school_with_dsl(live_make)
    page = new_page(js=js)
    page.goto(f"/tell/{school.slug}")
    for label in IN_VIEW:
        expect(page.get_by_label(label, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name=f"Send to {school.name}")).to_be_visible()
    expect(page.get_by_text("Only the first question is needed.")).to_be_visible()
    for summary, inside in FOLDED:
        expect(page.get_by_text(summary, exact=True)).to_be_visible()
        if inside:
            expect(page.get_by_label(inside)).to_be_hidden()
    expect(page.get_by_text("whose job is to keep pupils safe reads it")).to_be_hidden()

    for summary, _ in FOLDED:
        page.get_by_text(summary, exact=True).click()
    expect(page.get_by_text("whose job is to keep pupils safe reads it")).to_be_visible()
    axe_check(page)  # every part open
    page.get_by_label("Me", exact=True).check()
    page.get_by_label("Tell us in your own words").fill("They made a page about me.")
    page.get_by_label("When did it start?").fill("after half term")
    page.get_by_label("When did it last happen?").fill("yesterday")
    page.get_by_label("Your name", exact=True).fill("Sam")
    page.get_by_label("Your year group or form").fill("9B")
    page.get_by_role("button", name=f"Send to {school.name}").click()

    assert len(shown_code(page).split()) == 6
    db.session.remove()
    report = db.session.scalar(select(Report).order_by(Report.id.desc()).limit(1))
    assert (report.narrative, report.started, report.last_happened, report.reporter_name,
            report.reporter_year) == ("They made a page about me.", "after half term",
                                      "yesterday", "Sam", "9B")
