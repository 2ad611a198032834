"""A busy register entry in headless Chromium with JavaScript off: its pagers are links a DSL
can follow and a screen reader can tell apart, an answer recorded on a later page stays on
that page, and axe-core finds nothing on either page."""

from __future__ import annotations

from datetime import timedelta

import pytest

from schoolsafe.extensions import db
from schoolsafe.models.base import utcnow
from schoolsafe.services.register import status as register_status
from schoolsafe.services.register.status import PlatformReportInput
from tests.browser.conftest import (  # noqa: F401 - fixtures shared with the browser tests
    axe_check,
    browser,
    live_make,
    live_server,
    new_page,
    sign_in_staff,
)
from tests.unit.test_register_linking import SARA_OTHER, entry, named

pytestmark = pytest.mark.browser


@pytest.fixture
def busy_entry(live_make):  # noqa: F811 - the shared fixture
    """An entry named in 23 reports and reported to the platform 22 times, and its DSL."""
    school = live_make.school(name="Kingsmead Academy")
    dsl = live_make.user(school, "dsl")
    for day in range(23):
        named(live_make, school, ("", f"instagram.com/brum_beef_100/?igsh=day{day}"))
    account = entry(SARA_OTHER, school)
    start = utcnow() - timedelta(days=30)
    for n in range(1, 23):
        register_status.report_to_platform(db.session, account, PlatformReportInput(
            "in_app", start + timedelta(days=n), f"IG-{n}"), dsl.id)
    db.session.commit()
    return account, dsl


@pytest.mark.parametrize("width", [1024, 360])
def test_a_dsl_pages_through_a_busy_entry_without_javascript(new_page,  # noqa: F811
                                                            busy_entry, width):
    account, dsl = busy_entry
    page = new_page(js=False, width=width)
    sign_in_staff(page, dsl.email, dsl.totp_secret)
    page.goto(f"/staff/register/entries/{account.public_id}")
    assert "23 reports and 0 cases at this school" in page.content()
    axe_check(page)

    reports = page.get_by_role("navigation", name="Pages of reports naming it")
    assert reports.get_by_text("Page 1 of 2 (23 in all)").is_visible()
    reports.get_by_role("link", name="Next page of reports").click()
    assert page.url.endswith("?reports_page=2#reports-heading")
    assert page.get_by_role("navigation", name="Pages of reports naming it") \
        .get_by_text("Page 2 of 2 (23 in all)").is_visible()
    axe_check(page)

    page.get_by_role("navigation", name="Pages of reports to the platform") \
        .get_by_role("link", name="Next page of reports to the platform").click()
    assert "reports_page=2" in page.url and "platform_reports_page=2" in page.url
    oldest = page.locator("ol.platform-reports > li").last
    assert "reference IG-1," in oldest.inner_text()
    oldest.get_by_text("Record the answer").click()
    oldest.get_by_label("Taken down").check()
    oldest.get_by_role("button", name="Save answer").click()
    assert page.get_by_text("Answer recorded.").is_visible()
    assert "platform_reports_page=2" in page.url
    assert "Answer" in page.locator("ol.platform-reports > li").last.inner_text()
    axe_check(page)
