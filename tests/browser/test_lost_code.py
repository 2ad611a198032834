"""A pupil who lost their code words, with JavaScript off: from the code page to a new report
that says it follows an earlier one; then the DSL sees what they remembered and links them."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import axe_check, sign_in_staff
from tests.browser.pupil import latest_report_id, school_with_dsl, tell, write_own_words

pytestmark = pytest.mark.browser

REMEMBERED = "the page copying my netball photos"


def test_a_pupil_who_lost_their_code_tells_us_again_and_the_dsl_links_the_reports(
        new_page, live_make):
    school = school_with_dsl(live_make)
    first = new_page(js=False)
    tell(first, school.slug, choices=("A fake account",),
         words="A page is copying my photos")
    earlier_id = latest_report_id(live_make)

    pupil = new_page(js=False)
    pupil.goto("/follow-up")
    expect(pupil.get_by_role("heading", name="Lost your code words?")).to_be_visible()
    axe_check(pupil)
    pupil.get_by_role("link", name="Go to your school's form").click()
    pupil.get_by_label("School code").fill(school.code)
    pupil.get_by_role("button", name="Next").click()
    pupil.get_by_label("Me", exact=True).check()
    write_own_words(pupil, "It is back up with a new name")
    pupil.get_by_text("Told us before?", exact=True).click()
    pupil.get_by_label("I told you about this before, but I lost my code words").check()
    pupil.get_by_label("This week", exact=True).check()
    pupil.get_by_label("What was it about?").fill(REMEMBERED)
    axe_check(pupil)
    pupil.get_by_role("button", name=f"Send to {school.name}").click()
    expect(pupil.get_by_role("heading", level=1)).to_have_text("Sent. Thank you.")
    later_id = latest_report_id(live_make)
    assert later_id != earlier_id

    staff = new_page(js=False)
    sign_in_staff(staff, school.dsl_email, school.dsl_totp)
    staff.goto(f"/staff/triage/reports/{later_id}")
    expect(staff.get_by_text("The pupil says this follows a report they made before")
           ).to_be_visible()
    expect(staff.get_by_text(REMEMBERED)).to_be_visible()
    axe_check(staff)
    staff.get_by_label("Which earlier report does it follow?").select_option(earlier_id)
    staff.get_by_role("button", name="Link to the earlier report").click()
    expect(staff.get_by_text("Linked. Both reports now show the link.")).to_be_visible()
    staff.get_by_role("link", name="received").first.click()
    assert staff.url.endswith(f"/staff/triage/reports/{earlier_id}")
    expect(staff.get_by_text("A later report follows this one")).to_be_visible()
