"""The containment checklist in Chromium with JavaScript off: "done" is one click per step and
comes back to that step; "not applicable" still takes a reason; axe finds nothing. And the
referral's address and subject boxes are wide enough to read, down to 320px."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import ChecklistItem
from schoolsafe.services.cases import checklist as case_checklist
from tests.browser.conftest import axe_check, sign_in_staff
from tests.unit.test_case_checklist_stories import EW, sara

pytestmark = pytest.mark.slow


@pytest.fixture
def case_page(new_page, live_make):
    """A DSL signed in with JavaScript off, and Sara's case with its checklist made."""
    school = live_make.school()
    dsl = live_make.user(school, "dsl")
    case = sara(school, dsl)
    case_checklist.sync(db.session, case, EW, dsl.id)
    db.session.commit()
    page = new_page(js=False, width=360)
    sign_in_staff(page, dsl.email, dsl.totp_secret)
    page.case = case
    return page


def step_id(case, rule_id: str) -> int:
    db.session.expire_all()
    return db.session.scalar(select(ChecklistItem.id).where(
        ChecklistItem.case_id == case.id, ChecklistItem.rule_id == rule_id))


def state(case, rule_id: str) -> tuple[str, str]:
    db.session.expire_all()
    found = db.session.get(ChecklistItem, step_id(case, rule_id))
    return found.state, found.reason


@pytest.mark.parametrize("where", ["/checklist", ""])
def test_one_click_marks_a_step_done_and_comes_back_to_it(case_page, where):
    page, case = case_page, case_page.case
    address = f"/staff/triage/cases/{case.public_id}{where}"
    page.goto(address)
    axe_check(page)
    iwf = step_id(case, "iwf")
    step = page.locator(f"#item-{iwf}")
    step.get_by_role("button", name="Mark done").click()
    expect(page.get_by_text("Saved: step marked done.")).to_be_visible()
    assert page.url.endswith(f"{address}#item-{iwf}")
    expect(step.locator(".state")).to_have_text("Done")
    assert state(case, "iwf") == ("done", "")
    axe_check(page)


def test_not_applicable_opens_without_javascript_and_takes_a_reason(case_page):
    page, case = case_page, case_page.case
    page.goto(f"/staff/triage/cases/{case.public_id}/checklist")
    iwf = step_id(case, "iwf")
    step = page.locator(f"#item-{iwf}")
    step.get_by_text("Does not apply to this case?").click()
    step.get_by_role("button", name="Mark not applicable").click()
    expect(page.get_by_role("alert")).to_contain_text("Say why this step does not apply")
    expect(page.locator(f"#item-{iwf}-error")).to_be_visible()  # its form is open again
    axe_check(page)
    page.locator(f"#item-{iwf}").get_by_label("Why this step does not apply").fill(
        "The police have the image")
    page.locator(f"#item-{iwf}").get_by_role("button", name="Mark not applicable").click()
    assert page.url.endswith(f"#item-{iwf}")
    expect(page.locator(f"#item-{iwf} .step-state")).to_contain_text(
        "Reason: The police have the image")
    assert state(case, "iwf") == ("not_applicable", "The police have the image")
    axe_check(page)


def test_referral_send_to_and_subject_use_the_full_width_even_at_320px(case_page):
    page = case_page
    page.set_viewport_size({"width": 320, "height": 800})
    page.goto(f"/staff/triage/cases/{page.case.public_id}/referrals/new")
    page.get_by_label("Professionals Online Safety Helpline (POSH)").check()
    page.get_by_role("button", name="Draft the note").click()
    note = page.get_by_label("The note").bounding_box()
    for label in ("Send to", "Subject"):
        box = page.get_by_label(label).bounding_box()
        assert box["width"] >= note["width"] - 1, label  # as wide as the note, not 20rem
        assert box["x"] >= 0 and box["x"] + box["width"] <= 320, label
    page.set_viewport_size({"width": 1024, "height": 800})
    assert page.get_by_label("Subject").bounding_box()["width"] > 600
    axe_check(page)
