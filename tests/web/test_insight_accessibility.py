"""Insight and the case file in a real browser without JavaScript, checked with axe-core."""

from __future__ import annotations

from datetime import timedelta

import pytest

from schoolsafe.extensions import db
from schoolsafe.models import Trust, TrustLead
from schoolsafe.models.base import utcnow
from schoolsafe.services.cases import opening as cases
from schoolsafe.services.register.linking import Place
from tests.web.test_cases_accessibility import (  # noqa: F401 - fixtures used by name
    audit_page,
    browser_page,
    sign_in,
    site,
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_insight_pages_and_the_case_file_pass_axe(site, browser_page):  # noqa: F811
    base, app, make = site
    page, browser = browser_page
    trust = Trust(name="Riverside Trust")
    db.session.add(trust)
    db.session.commit()
    school = make.school("oak", name="Oak Academy", trust_id=trust.id)
    make.school("elm", name="Elm Academy", trust_id=trust.id)
    dsl = make.user(school, "dsl", email="lead@oak.example")
    db.session.add(TrustLead(user_id=dsl.id, trust_id=trust.id))
    for n in range(7):
        report = make.report(school, choices=("bait_out_page",), reporter_year="9B",
                             places=(Place("instagram", "@oak_gossip"),)).report
        report.received_at = utcnow() - timedelta(days=20 * n)
    db.session.commit()
    case = cases.open_case(db.session, report, dsl.id)
    db.session.commit()

    sign_in(page, base, dsl)
    page.goto(base + "/staff/insight/")
    assert "Insight: Oak Academy" in page.content()
    page.select_option("#scope", f"trust-{trust.id}")
    page.click("form.filters button[type=submit]")  # a plain GET form, no script
    assert "Insight: All schools in Riverside Trust" in page.content()
    cookies = page.context.cookies()

    for path in ("/staff/insight/", "/staff/insight/?numbers=governors",
                 f"/staff/insight/?scope=trust-{trust.id}",
                 "/staff/insight/?from=2025-03-01&to=2024-01-01",
                 f"/staff/triage/cases/{case.public_id}/export"):
        assert audit_page(browser, base + path, cookies) == [], path
