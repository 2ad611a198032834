"""Staff forms in a real browser (Chromium, JavaScript off, CSRF on): what was typed survives
a session that ended before it was sent, and a page sent again saves nothing more.

For the note, person, platform-report, checklist and urgency forms a DSL types, the session
ends (timed out by the clock, or ended on the server), they press the button, sign in again
with password and authenticator code, and save what is offered: one entry, as typed. Then the
same page, as the browser kept it, is sent again: "Already saved", and still one entry.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest
from playwright.sync_api import expect
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import (
    AuditEvent,
    Case,
    CasePerson,
    ChecklistItem,
    PlatformReport,
    StaffSession,
    TimelineEvent,
)
from schoolsafe.models.base import utcnow
from schoolsafe.services.register.linking import Place
from tests.factories import Factory
from tests.support.served import CHROMIUM, served_app
from tests.unit.test_register_linking import SARA_OTHER, case_for, entry
from tests.web.test_cases_accessibility import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def site(tmp_path) -> Iterator[tuple[str, Factory]]:
    """The app served over HTTP on loopback, on its own SQLite database, CSRF on."""
    with served_app(tmp_path, "forms.db") as served:
        yield served


@pytest.fixture
def workspace(site):
    """A DSL with two-factor sign-in, a case naming an Instagram page, and its checklist."""
    from playwright.sync_api import sync_playwright

    base, make = site
    school = make.school("oak", name="Oak Academy")
    dsl = make.user(school, "dsl", email="lead@oak.example")
    report = make.report(school, choices=("fake_profile",),
                         places=(Place("instagram", "@brum_beef_100"),)).report
    case = case_for(school, report)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        context = chromium.new_context(java_script_enabled=False)
        page = context.new_page()
        sign_in(page, base, dsl)
        page.goto(f"{base}/staff/triage/cases/{case.public_id}/checklist")
        page.click("text=Make the checklist")
        yield base, page, dsl, case, report
        chromium.close()


def _count(model, *where) -> Callable[[], int]:
    def count() -> int:
        db.session.expire_all()
        return db.session.scalar(select(func.count()).select_from(model).where(*where))
    return count


def _first_step(case: Case) -> int:
    return db.session.scalar(select(ChecklistItem.id).where(ChecklistItem.case_id == case.id)
                             .order_by(ChecklistItem.id))


# name: (the page's path, what to type there, the button, how many entries hold the typing)
FORMS = {
    "note": (lambda case, report: f"/staff/triage/cases/{case.public_id}",
             lambda p, case: p.fill("#note-body", "Spoke to Sara's mum at 4pm."),
             "button:has-text('Add note')",
             lambda case: _count(TimelineEvent, TimelineEvent.kind == "note",
                                 TimelineEvent.text == "Spoke to Sara's mum at 4pm.")),
    "person": (lambda case, report: f"/staff/triage/cases/{case.public_id}",
               lambda p, case: (p.fill("#label", "S.K. (Year 9)"),
                                p.select_option("#role", "harmed")),
               "button:has-text('Add person')",
               lambda case: _count(CasePerson, CasePerson.label == "S.K. (Year 9)")),
    "platform report": (
        lambda case, report: f"/staff/register/entries/{entry(SARA_OTHER).public_id}",
        lambda p, case: (p.select_option("#route", "in_app"), p.fill("#reference", "IG-445")),
        "button:has-text('Save report')",
        lambda case: _count(PlatformReport, PlatformReport.reference == "IG-445")),
    "checklist": (
        lambda case, report: f"/staff/triage/cases/{case.public_id}/checklist",
        lambda p, case: (p.click(f"#item-{_first_step(case)} summary"),
                         p.fill(f"#reason-{_first_step(case)}", "Nothing was shared.")),
        "li.step >> nth=0 >> button:has-text('Mark not applicable')",
        lambda case: _count(AuditEvent, AuditEvent.action == "update_checklist")),
    "urgency": (lambda case, report: f"/staff/triage/reports/{report.public_id}",
                lambda p, case: (p.select_option("#urgency-level", "immediate"),
                                 p.fill("#urgency-reason", "She has not come home.")),
                "button:has-text('Change urgency')",
                lambda case: _count(TimelineEvent,
                                    TimelineEvent.text.contains("She has not come home."))),
}


def _end_session(how: str) -> None:
    rows = db.session.scalars(select(StaffSession).where(StaffSession.ended_at.is_(None)))
    for row in rows:
        if how == "timed out":
            row.last_seen_at = utcnow().replace(year=2000)  # idle for years
        else:
            row.ended_at = utcnow()  # ended on the server (signed out elsewhere)
    db.session.commit()


def _sign_in_again(page, base, dsl) -> None:
    dsl.totp_last_step = 0  # the same authenticator code may pass again within its 30 seconds
    db.session.commit()
    sign_in(page, base, dsl)


@pytest.mark.parametrize("name", FORMS)
def test_typed_work_survives_an_ended_session_and_is_saved_once(workspace, name):
    base, page, dsl, case, report = workspace
    path, fill, button, entries = FORMS[name]
    url, saved = base + path(case, report), entries(case)
    before = saved()
    page.goto(url)
    fill(page, case)
    _end_session("timed out" if name in ("note", "checklist", "urgency") else "ended")
    page.click(button)
    assert "/staff/sign-in" in page.url and saved() == before

    _sign_in_again(page, base, dsl)
    assert page.url == base + "/staff/unsaved"
    offer = page.content()
    assert "You were signed out before this was saved. Save it now?" in offer
    page.click("button:has-text('Save it now')")
    assert saved() == before + 1, (page.url, page.content()[-3000:], offer[-2500:])

    # The offer as the browser kept it (going back), sent again: nothing more is saved.
    offer_url = base + "/staff/unsaved"
    page.route(offer_url, lambda route: route.fulfill(body=offer, content_type="text/html"))
    page.goto(offer_url)
    page.unroute(offer_url)
    page.click("button:has-text('Save it now')")
    # The answer may still be loading (a redirect to the step, #item-1): wait for it.
    expect(page.locator("body")).to_contain_text("Already saved")
    assert saved() == before + 1


@pytest.mark.parametrize("name", FORMS)
def test_a_page_sent_twice_saves_once(workspace, name):
    base, page, dsl, case, report = workspace
    path, fill, button, entries = FORMS[name]
    url, saved = base + path(case, report), entries(case)
    before = saved()
    page.goto(url)
    kept_copy = page.content()
    fill(page, case)
    page.click(button)
    assert saved() == before + 1
    page.route(url, lambda route: route.fulfill(body=kept_copy, content_type="text/html"))
    page.goto(url)
    page.unroute(url)
    fill(page, case)
    page.click(button)
    # The answer may still be loading (a redirect to the step, #item-1): wait for it.
    expect(page.locator("body")).to_contain_text("Already saved")
    assert saved() == before + 1
