"""Two app servers behind one address share one PostgreSQL and one Redis, and nothing else.

Each server is a real gunicorn process running wsgi:app with the deployment's settings. A
pupil's requests may land on either server, so a rate limit must count across both, a form
fetched from one must post to the other, and one worker must deliver the alerts of reports
taken in by both. The last test runs the same servers without Redis to show that the limit
test would catch per-process counters.
"""

from __future__ import annotations

import http.client
import os
import re
import sys
from pathlib import Path
from urllib.parse import urlencode

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Report
from tests.factories import Factory
from tests.support.processes import ChildProcess, free_port, log_tail, wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
WRONG_CODE = "ankle brisk cedar dwell eagle fable"
REPORT = {"about": "friend", "choices": ["bait_out_page"], "threats": "y",
          "place1-platform": "instagram", "place1-text": "@oakfield_exposed"}


class AppServer:
    """gunicorn serving the app on its own loopback port, with one worker process."""

    def __init__(self, name: str, settings: dict[str, str], log_dir: Path) -> None:
        self.name = name
        self.port = free_port()
        self.log_path = log_dir / f"{name}.log"
        self.env = {**settings, "BIND": f"127.0.0.1:{self.port}", "WEB_CONCURRENCY": "1",
                    "GUNICORN_THREADS": "2"}
        self.process = ChildProcess(f"gunicorn {name}", self.log_path)

    def start(self) -> AppServer:
        self.process.start([str(GUNICORN), "-c", "config/gunicorn.conf.py", "wsgi:app"],
                           cwd=ROOT, env={**os.environ, **self.env})
        if not wait_until(self._answers, timeout=60, interval=0.2):
            raise self.process.failure("not serving after 60 s")
        return self

    def _answers(self) -> bool:
        if not self.process.running:
            raise self.process.failure("exited during start-up")
        try:
            return self.request("GET", "/")[0] == 200
        except OSError:
            return False

    def request(self, method: str, path: str, form: dict | None = None,
                cookie: str = "") -> tuple[int, str, str]:
        """One request on a fresh connection: status, body and any session cookie set."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        headers = {"Cookie": cookie} if cookie else {}
        body = None
        if form is not None:
            body = urlencode(form, doseq=True)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            page = response.read().decode()
            set_cookie = response.getheader("Set-Cookie") or ""
        finally:
            connection.close()
        return response.status, page, set_cookie.split(";", 1)[0]

    def log(self) -> str:
        """The end of the server's log, for failure messages."""
        return log_tail(self.log_path, 40)


def post_form(fetch_from: AppServer, post_to: AppServer, path: str, form: dict) -> tuple[int,
                                                                                          str]:
    """Fetch a form (its CSRF token and cookie) from one server and send it to another."""
    status, page, cookie = fetch_from.request("GET", path)
    assert status == 200, fetch_from.log()
    token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
    status, page, _ = post_to.request("POST", path, {**form, "csrf_token": token}, cookie)
    return status, page


@pytest.fixture
def servers(live_settings, live_app, tmp_path):
    """Two app servers with the deployment's settings (Redis included), stopped after."""
    started = []

    def start(**overrides: str) -> tuple[AppServer, AppServer]:
        settings = {**live_settings, "FOLLOWUP_LIMIT": "3", **overrides}
        for name in ("one", "two"):
            started.append(AppServer(name, settings, tmp_path).start())
        return started[-2], started[-1]

    yield start
    for server in started:
        server.process.stop()


def wrong_code_statuses(one: AppServer, two: AppServer, tries: int) -> list[int]:
    """Statuses of `tries` wrong follow-up codes, sent to the two servers in turn."""
    return [post_form(server, server, "/follow-up", {"code": WRONG_CODE})[0]
            for server in [one, two] * (tries // 2)]


def test_wrong_codes_are_counted_across_both_servers(servers):
    one, two = servers()
    # The third wrong code in total uses the network's allowance, whichever server took it.
    assert wrong_code_statuses(one, two, 6) == [400, 400, 400, 429, 429, 429]


def test_reports_to_either_server_are_alerted_by_one_worker(live_app, servers, worker,
                                                            smtp_server):
    school = Factory(live_app).school("oak")
    Factory(live_app).user(school, "dsl", email="lead@oak.example")
    one, two = servers()
    # A form fetched from one server is accepted by the other: no session lives in a process.
    for fetch_from, post_to in ((one, one), (two, two), (one, two)):
        status, page = post_form(fetch_from, post_to, "/tell/oak", REPORT)
        assert status == 200 and 'class="code"' in page, post_to.log()
    assert smtp_server.messages == []  # the web servers queue alerts; they send none

    worker.start("--burst")
    assert worker.wait_for_exit(60) == 0, worker.log()
    messages = smtp_server.wait_for(3, timeout=10)
    reports = db.session.scalars(select(Report.public_id)).all()
    assert len(reports) == 3
    linked = {public_id for public_id in reports
              for message in messages if public_id in message.get_content()}
    assert linked == set(reports)
    assert {e.rcpt_tos for e in smtp_server.envelopes} == {("lead@oak.example",)}


def test_without_redis_each_server_would_count_on_its_own(servers):
    # What the shared counter prevents: each process keeps its own, so six tries get through.
    one, two = servers(REDIS_URL="")
    assert wrong_code_statuses(one, two, 6) == [400] * 6
