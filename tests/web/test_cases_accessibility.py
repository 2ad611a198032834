"""The workspace pages in a real browser: no JavaScript needed, and no axe-core violations.

A DSL signs in through the real forms (password and TOTP) in headless Chromium, works a report
into a case, and every page on the way is audited with axe-core, including a refused change.
CSRF checks are on here, so the forms it submits prove they carry their token.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import pyotp
import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from schoolsafe.extensions import db
from schoolsafe.models import Case, ReportMessage
from schoolsafe.services.register.linking import Place
from tests.conftest import make_app, migrated
from tests.factories import PASSWORD, Factory
from tests.support.processes import find_binary, free_port, require

pytestmark = [pytest.mark.browser, pytest.mark.slow]
CHROMIUM = find_binary("/usr/bin/chromium", "chromium", "chromium-browser")


@pytest.fixture
def site(tmp_path) -> Iterator[tuple[str, object, Factory]]:
    """The app served over HTTP on loopback, on its own SQLite database."""
    require("Chromium", CHROMIUM is not None, "run scripts/install-system-deps.sh")
    port = free_port()
    app = make_app(migrated(f"sqlite:///{tmp_path / 'axe.db'}"), tmp_path,
                   SERVER_NAME=f"localhost:{port}", BASE_URL=f"http://localhost:{port}")
    server = make_server("127.0.0.1", port, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    with app.app_context():
        yield f"http://localhost:{port}", app, Factory(app)
        db.session.remove()
        db.engine.dispose()
    server.shutdown()
    thread.join(5)


@pytest.fixture
def browser_page():
    """A page of headless Chromium with JavaScript off, as on a locked-down school device."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox"])
        context = browser.new_context(java_script_enabled=False)
        yield context.new_page(), browser
        browser.close()


def sign_in(page, base: str, user) -> None:
    """Sign a DSL in through the real pages: password, then the authenticator code."""
    page.goto(base + "/staff/sign-in")
    page.fill("input[name=email]", user.email)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.fill("input[name=code]", pyotp.TOTP(user.totp_secret).now())
    page.click("form:has(input[name=code]) button[type=submit]")


def audit_page(browser, url: str, cookies: list) -> list[str]:
    """axe-core's violations on a page (axe needs script, so it runs in a second context)."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(bypass_csp=True)
    context.add_cookies(cookies)
    page = context.new_page()
    page.goto(url)
    results = Axe().run(page)
    context.close()
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


def audit_html(browser, html: str, base: str) -> list[str]:
    """axe-core's violations on a page we already have (a response to a POST)."""
    from axe_playwright_python.sync_playwright import Axe

    context = browser.new_context(bypass_csp=True)
    page = context.new_page()
    page.goto(base + "/staff/sign-in")
    page.set_content(html)
    results = Axe().run(page)
    context.close()
    return [f"{v['id']}: {v['help']}" for v in results.response["violations"]]


def test_a_dsl_works_a_report_into_a_case_without_javascript_and_every_page_passes_axe(
        site, browser_page):
    base, app, make = site
    page, browser = browser_page
    school = make.school("oak", name="Oak Academy")
    dsl = make.user(school, "dsl", email="lead@oak.example")
    report = make.report(school, choices=("bait_out_page",), narrative="See www.bait.example.com",
                         places=(Place("instagram", "@oak_gossip"),)).report
    db.session.add(ReportMessage(report_id=report.id, author="pupil", body="Still up."))
    db.session.commit()

    sign_in(page, base, dsl)
    page.goto(base + "/staff/triage/")
    page.click(f"a[href='/staff/triage/reports/{report.public_id}']")
    page.click("text=Open a new case from this report")
    assert "/staff/triage/cases/" in page.url
    page.fill("#label", "Pupil A")
    page.select_option("#role", "harmed")
    page.click("text=Add person")
    page.fill("#note-body", "Spoke to Pupil A. They showed me instagram.com/oak_gossip.")
    page.click("text=Add note")
    assert "Note added." in page.content()
    case = db.session.scalar(select(Case))
    cookies = page.context.cookies()

    for path in ("/staff/triage/", "/staff/triage/?status=bogus&from=nonsense",
                 f"/staff/triage/reports/{report.public_id}",
                 f"/staff/triage/cases/{case.public_id}",
                 f"/staff/triage/cases/{case.public_id}/audit", "/staff/triage/cases",
                 "/staff/concerns/", "/staff/concerns/new"):
        assert audit_page(browser, base + path, cookies) == [], path

    page.click("text=Add note")  # empty: refused, and the page says why
    refused = page.content()
    assert "Please type the note first." in refused
    assert audit_html(browser, refused, base) == []
