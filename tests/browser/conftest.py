"""Browser tests: the app behind a real HTTP server in a thread, driven by headless Chromium.

Reusable by any page's tests:

- `live_server`: the app on 127.0.0.1 and a free port, on its own SQLite file, CSRF on,
  jobs in-process, mail to a temporary outbox. `live_server.url` is its address.
- `live_make`: the test-data builders (tests/factories.py) working on that database.
- `browser`: Debian's Chromium (never a downloaded one), one per test module.
- `page`: a fresh context and page (JavaScript on, 1024px wide) for one test;
  `new_page(js=False, width=360)` opens more, each in its own context (own cookies).
- `axe_check(page)`: runs axe-core in the page and fails with a readable list of violations.
- `sign_in_staff(page, email, totp_secret)`: real sign-in, password then TOTP code.

Every request that leaves the live server is answered by a stub page and recorded in
`page.context.offsite`, so nothing reaches the network and tests can prove no page asked;
the live server's own URLs are listed in `page.context.visited`.
Under CI=true a missing Chromium fails the run instead of skipping.
"""

from __future__ import annotations

import re
import sqlite3
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import axe_playwright_python
import pyotp
import pytest
from flask import Flask
from werkzeug.serving import BaseWSGIServer, make_server

from schoolsafe.extensions import db
from tests.conftest import make_app, migrated
from tests.factories import PASSWORD, Factory
from tests.support.services import find_binary, require

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
AXE_TAGS = ["wcag2a", "wcag2aa", "wcag21aa", "wcag22aa", "best-practice"]
AXE_SOURCE = (Path(axe_playwright_python.__file__).parent / "axe.min.js").read_text()
OFFSITE_PAGE = "<!doctype html><title>Weather</title><h1>Weather</h1>"


def pytest_collection_modifyitems(items):
    """Mark every test in this folder as a browser test, so `-m "not browser"` skips them."""
    here = Path(__file__).parent
    for item in items:
        if Path(item.fspath).is_relative_to(here):
            item.add_marker(pytest.mark.browser)


@dataclass
class LiveServer:
    """The app served over real HTTP, in a thread of this process."""

    app: Flask
    url: str
    server: BaseWSGIServer


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[LiveServer]:
    """One live server for the browser tests; each test makes its own schools and users."""
    folder = tmp_path_factory.mktemp("live")
    database = folder / "live.db"
    url = migrated(f"sqlite:///{database}")
    # Readers never block the server's writes while a test reads what a page stored.
    with sqlite3.connect(database) as connection:
        connection.execute("PRAGMA journal_mode=WAL")
    app = make_app(url, folder, WTF_CSRF_ENABLED=True, SERVER_NAME=None)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    address = f"http://127.0.0.1:{server.server_port}"
    app.config["BASE_URL"] = address
    thread = threading.Thread(target=server.serve_forever, name="live-server", daemon=True)
    thread.start()
    yield LiveServer(app=app, url=address, server=server)
    server.shutdown()
    thread.join(timeout=10)
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def live_make(live_server) -> Iterator[Factory]:
    """Builders for the live server's database (schools, users, reports)."""
    with live_server.app.app_context():
        yield Factory(live_server.app)
        db.session.remove()


@pytest.fixture(scope="module")
def browser():
    """Debian's headless Chromium, driven by Playwright; one per test module.

    Per module, not per run: a sync Playwright refuses to start while another is running in
    the same thread, so each module's must be gone before the next module starts its own.
    """
    require("Chromium", find_binary(CHROMIUM) is not None, "apt-get install chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def new_page(browser, live_server) -> Iterator[Callable[..., object]]:
    """Open a page in a fresh context: `new_page(js=True, width=1024, height=800)`."""
    contexts = []

    def open_page(js: bool = True, width: int = 1024, height: int = 800):
        context = browser.new_context(base_url=live_server.url, java_script_enabled=js,
                                      viewport={"width": width, "height": height})
        context.offsite, context.visited = [], []
        context.scripts_on = js
        context.route("**/*", lambda route: _keep_local(route, live_server.url, context))
        context.set_default_timeout(10_000)
        contexts.append(context)
        return context.new_page()

    yield open_page
    for context in contexts:
        context.close()


@pytest.fixture
def page(new_page):
    """A page with JavaScript on, 1024px wide."""
    return new_page()


def _keep_local(route, local: str, context) -> None:
    if route.request.url.startswith(local + "/"):
        context.visited.append(route.request.url)
        route.continue_()
        return
    context.offsite.append(route.request.url)
    route.fulfill(status=200, content_type="text/html", body=OFFSITE_PAGE)


def axe_check(page, disabled_rules: tuple[str, ...] = ()) -> None:
    """Run axe-core on the page as it is now; fail listing every violation found."""
    # A click that navigates returns before the new page's stylesheet has loaded; audited
    # unstyled, a page's layout (touch-target spacing, contrast) is not the one people see.
    page.wait_for_load_state("load")
    if getattr(page.context, "scripts_on", True):
        result = _run_axe(page, disabled_rules)
    else:
        # axe waits on timers, which never fire in a page with JavaScript off: audit the same
        # HTML, minus its scripts, in a scripted page of the same site and size.
        result = _run_axe_on_copy(page, disabled_rules)
    problems = [
        f"{v['id']} ({v['impact']}): {v['help']}\n" + "\n".join(
            f"    {node['target']}: {node['failureSummary']}" for node in v["nodes"])
        for v in result["violations"]
    ]
    assert not problems, f"axe found problems on {page.url}:\n" + "\n".join(problems)


def _run_axe(page, disabled_rules: tuple[str, ...]) -> dict:
    if not page.evaluate("() => typeof window.axe === 'object'"):
        # Through the debugging protocol, so the page's own no-inline-script policy still holds;
        # later pages of this context get it before they load, which is quicker.
        page.evaluate(AXE_SOURCE)
        if not getattr(page.context, "axe_preloaded", False):
            page.context.add_init_script(AXE_SOURCE)
            page.context.axe_preloaded = True
    return page.evaluate(
        "async ([tags, off]) => await axe.run(document, {runOnly: {type: 'tag', values: tags},"
        " rules: Object.fromEntries(off.map(id => [id, {enabled: false}])),"
        " resultTypes: ['violations']})", [AXE_TAGS, list(disabled_rules)])


def _run_axe_on_copy(page, disabled_rules: tuple[str, ...]) -> dict:
    html = re.sub(r"<script\b[^>]*>.*?</script>", "", page.content(), flags=re.S)
    copy = _auditor(page)
    copy.set_content(html)
    return _run_axe(copy, disabled_rules)


def _auditor(page):
    """A scripted page on the same site and at the same size, kept for the whole run."""
    origin = re.match(r"https?://[^/]+", page.url).group(0)
    browser = page.context.browser
    if not hasattr(browser, "auditors"):
        browser.auditors = {}
    auditors = browser.auditors
    key = (origin, page.viewport_size["width"], page.viewport_size["height"])
    if key not in auditors:
        context = browser.new_context(viewport=page.viewport_size)
        context.offsite, context.visited = [], []
        context.route("**/*", lambda route: _keep_local(route, origin, context))
        auditors[key] = context.new_page()
        auditors[key].goto(origin + "/static/css/site.css")  # same origin, same CSP
    return auditors[key]


def sign_in_staff(page, email: str, totp_secret: str | None, password: str = PASSWORD) -> None:
    """Sign a member of staff in through the real pages, with the TOTP step if they have one."""
    page.goto("/staff/sign-in")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
    if totp_secret:
        page.get_by_label("Code from your authenticator app").fill(
            pyotp.TOTP(totp_secret).now())
        page.get_by_role("button", name="Continue").click()
