"""The checklist and referral pages in headless Chromium with JavaScript off, on a narrow screen:
a DSL works a step, drafts a POSH note and sends it, and axe-core finds nothing on any page."""

from __future__ import annotations

import pytest

from schoolsafe.extensions import db
from schoolsafe.services.cases import checklist as case_checklist
from tests.browser.conftest import (  # noqa: F401 - fixtures shared with the browser tests
    axe_check,
    browser,
    live_make,
    live_server,
    new_page,
    sign_in_staff,
)
from tests.unit.test_case_checklist_stories import EW, SARA, sara

pytestmark = pytest.mark.browser


@pytest.fixture
def sara_case(live_make):  # noqa: F811 - the shared fixture
    school = live_make.school(name="Kingsmead Academy")
    dsl = live_make.user(school, "dsl")
    case = sara(school, dsl)
    case_checklist.sync(db.session, case, EW, dsl.id)
    db.session.commit()
    return case, dsl


def test_a_dsl_works_the_checklist_and_sends_a_referral_without_javascript(new_page,  # noqa: F811
                                                                           sara_case):
    case, dsl = sara_case
    page = new_page(js=False, width=360)
    sign_in_staff(page, dsl.email, dsl.totp_secret)

    page.goto(f"/staff/triage/cases/{case.public_id}/checklist")
    axe_check(page)
    step = page.locator("li.step", has_text="Internet Watch Foundation")
    step.get_by_text("Does not apply to this case?").click()
    step.get_by_role("button", name="Mark not applicable").click()
    assert page.get_by_role("alert").filter(has_text="Say why this step does not apply").count()
    axe_check(page)

    page.goto(f"/staff/triage/cases/{case.public_id}")
    axe_check(page)
    page.get_by_role("link", name="Write a referral").click()
    axe_check(page)
    page.get_by_label("Professionals Online Safety Helpline (POSH)").check()
    page.get_by_role("button", name="Draft the note").click()
    assert page.get_by_role("heading", name="Check before sending").count()
    assert SARA not in page.get_by_label("The note").input_value()
    axe_check(page)

    page.get_by_role("button", name="Send now").click()
    assert "The referral is on its way" in page.content()
    assert page.locator("#referral-state").inner_text() == "Sent"
    axe_check(page)
    page.get_by_role("link", name="Print view of this note").click()
    axe_check(page)
    page.goto(f"/staff/triage/cases/{case.public_id}/checklist/print")
    axe_check(page)
    assert page.context.offsite == []
