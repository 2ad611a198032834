"""The queue and the concerns list across several pages, in a real browser without JavaScript:
the pager's links work as plain links, and every page passes axe-core."""

from __future__ import annotations

import pytest

from schoolsafe.extensions import db
from schoolsafe.services.reports import concerns, triage
from schoolsafe.services.reports.submit import ReportInput
from tests.web.test_cases_accessibility import (  # noqa: F401 - fixtures used by name
    audit_page,
    browser_page,
    sign_in,
    site,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_paged_queue_and_concerns_work_without_script_and_pass_axe(site, browser_page,  # noqa: F811
                                                                    monkeypatch):
    base, app, make = site
    page, browser = browser_page
    monkeypatch.setattr(triage, "PAGE_SIZE", 2)
    school = make.school("oak", name="Oak Academy")
    dsl = make.user(school, "dsl", email="lead@oak.example")
    for n in range(5):
        make.report(school, factors=frozenset({"under_13"}) if n % 2 else frozenset())
        concerns.log_concern(db.session, school, dsl.id,
                             ReportInput(about="friend", choices=("rumours",)),
                             app.config["SECRET_KEY"])
    db.session.commit()

    sign_in(page, base, dsl)
    page.goto(base + "/staff/triage/?status=all")
    visited = [page.url]
    for number in (2, 3):
        page.click("nav.pager >> text=Next page")
        assert f"Page {number} of 5 (10 in all)" in page.content()
        visited.append(page.url)
    page.click("nav.pager >> text=Previous page")
    assert "Page 2 of 5 (10 in all)" in page.content()
    page.goto(base + "/staff/concerns/?page=2")
    assert "Page 2 of 3 (5 in all)" in page.content()
    cookies = page.context.cookies()
    for url in (*visited, page.url):
        assert audit_page(browser, url, cookies) == [], url

