"""The register pages in a real browser: usable without JavaScript, and no axe-core violations.

A DSL signs in through the real forms in headless Chromium (JavaScript off, CSRF on), records
a platform report on an entry, and confirms a lookalike; every register page on the way, the
report and case pages with their register blocks, and a refused form are checked by axe-core.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from schoolsafe.extensions import db
from schoolsafe.models import Trust, TrustLead
from schoolsafe.services.register import status as register_status
from schoolsafe.services.register.linking import Place
from tests.factories import Factory
from tests.support.served import CHROMIUM, served_app
from tests.unit.test_register_linking import SARA_OTHER, case_for, entry
from tests.web.test_cases_accessibility import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture
def site(tmp_path) -> Iterator[tuple[str, Factory]]:
    """The app served over HTTP on loopback, on its own SQLite database, CSRF on."""
    with served_app(tmp_path, "register.db") as served:
        yield served


@pytest.fixture
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


def violations(browser, url: str | None, cookies: list, html: str | None = None) -> list[str]:
    """axe-core's violations on a page (axe needs script, so it runs in its own context)."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(bypass_csp=True)
    context.add_cookies(cookies)
    page = context.new_page()
    if html is None:
        page.goto(url)
    else:
        page.goto(url)
        page.set_content(html)
    found = Axe().run(page).response["violations"]
    context.close()
    return [f"{v['id']}: {v['help']} {[n['target'] for n in v['nodes']]}" for v in found]


def test_the_register_works_without_javascript_and_every_page_passes_axe(site, browser):
    base, make = site
    trust = Trust(name="Brum Learning Trust", contact_email="safeguarding@trust.example")
    db.session.add(trust)
    db.session.flush()
    school = make.school("oak", name="Oak Academy", trust_id=trust.id)
    other = make.school("elm", name="Elm School", trust_id=trust.id)
    dsl = make.user(school, "dsl", email="lead@oak.example")
    db.session.add(TrustLead(user_id=dsl.id, trust_id=trust.id))
    first = make.report(school, choices=("fake_profile",),
                        places=(Place("instagram", "@owen_bums_mr_crane"),
                                Place("", "https://www.instagram.com/brum_beef_100/"))).report
    make.report(other, places=(Place("instagram", "@brum_beef_100"),))
    case = case_for(school, first)
    old = entry("instagram:owen_bums_mr_crane")
    register_status.mark_removed(db.session, old, old.first_seen, dsl.id)
    db.session.commit()
    again = make.report(school, choices=("fake_profile",),
                        places=(Place("instagram", "@owen_bums_mr_crane2"),)).report
    new = entry("instagram:owen_bums_mr_crane2")
    shared = entry(SARA_OTHER, school)

    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    sign_in(page, base, dsl)

    page.goto(f"{base}/staff/register/entries/{shared.public_id}")
    page.select_option("#route", "in_app")
    page.fill("#reference", "IG-445")
    page.click("text=Save report")
    assert "Report recorded." in page.content()
    page.goto(f"{base}/staff/register/entries/{new.public_id}")
    page.click("text=Yes, the same account")
    assert "Saved: they are the same account." in page.content()
    cookies = context.cookies()

    for path in ("/staff/register/", "/staff/register/?platform=instagram&sort=reports",
                 f"/staff/register/entries/{shared.public_id}",
                 f"/staff/register/entries/{new.public_id}",
                 f"/staff/register/entries/{old.public_id}",
                 f"/staff/triage/reports/{again.public_id}",
                 f"/staff/triage/cases/{case.public_id}",
                 "/staff/register/trust", f"/staff/register/trust/entries/{shared.public_id}"):
        assert violations(browser, base + path, cookies) == [], path

    page.goto(f"{base}/staff/register/entries/{shared.public_id}")
    page.fill("#report-reported-date", "")
    page.fill("#reference", "kept ref")
    page.click("text=Save report")
    refused = page.content()
    assert "Please choose how it was reported." in refused and 'value="kept ref"' in refused
    assert violations(browser, base + "/staff/register/", cookies, html=refused) == []
    context.close()
