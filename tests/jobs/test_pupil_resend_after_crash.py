"""The outside tester's case: gunicorn's worker dies after saving a pupil's report.

The pupil's browser gets no answer, so it never shows the code words; the pupil (or the
browser) sends the same form again to the new worker. That resend must show the code, the
code must open the pupil's messages, and a further copy must not show it again.
"""

from __future__ import annotations

import http.client
import os
import re

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import Report
from tests.factories import Factory
from tests.jobs.test_two_app_servers import GUNICORN, ROOT, AppServer
from tests.support.processes import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

CONFIG = ROOT / "tests" / "jobs" / "gunicorn_dies_after_report.py"
ANSWERS = {"about": "self", "choices": ["rumours"], "narrative": "They made a page about me",
           "place1-platform": "instagram", "place1-text": "@about_me_page"}


class DyingServer(AppServer):
    """gunicorn with production's settings whose worker dies right after saving a report."""

    def start(self) -> DyingServer:
        self.process.start([str(GUNICORN), "-c", str(CONFIG), "wsgi:app"],
                           cwd=ROOT, env={**os.environ, **self.env})
        if not wait_until(self._answers, timeout=60, interval=0.2):
            raise self.process.failure("not serving after 60 s")
        return self


def hidden_fields(page: str) -> dict[str, str]:
    """Every hidden field of the page, by name: what a browser sends with the typed answers."""
    fields = {}
    for tag in re.findall(r'<input[^>]*type="hidden"[^>]*>', page):
        fields[re.search(r'name="([^"]+)"', tag)[1]] = re.search(r'value="([^"]*)"', tag)[1]
    return fields


def reports_saved() -> int:
    db.session.rollback()  # another process writes them
    return db.session.scalar(select(func.count()).select_from(Report))


@pytest.fixture
def dying_server(live_settings, live_app, tmp_path):
    marker = tmp_path / "die-after-report"
    marker.touch()
    server = DyingServer("dying", {**live_settings, "DIE_AFTER_REPORT": str(marker)}, tmp_path)
    server.marker = marker
    yield server.start()
    server.process.stop()


def test_the_resend_after_a_worker_died_past_the_commit_shows_the_code_once(live_app,
                                                                            dying_server):
    Factory(live_app).school("oak")
    server = dying_server
    status, form, cookie = server.request("GET", "/tell/oak")
    assert status == 200, server.log()
    sent = {**ANSWERS, **hidden_fields(form)}

    with pytest.raises((http.client.HTTPException, OSError)):
        server.request("POST", "/tell/oak", sent, cookie)  # no answer ever comes
    assert not server.marker.exists(), server.log()
    assert reports_saved() == 1

    # gunicorn's master starts a new worker; the browser sends the same form again.
    status, page, _ = server.request("POST", "/tell/oak", sent, cookie)
    assert status == 200, server.log()
    assert "We already have this report" in page
    code = re.search(r'class="code" id="code">([^<]+)<', page)[1]

    status, follow, follow_cookie = server.request("GET", "/follow-up")
    status, thread, _ = server.request("POST", "/follow-up", {
        "code": code, "csrf_token": hidden_fields(follow)["csrf_token"]}, follow_cookie)
    assert status == 200 and "Your messages" in thread, server.log()

    status, third, _ = server.request("POST", "/tell/oak", sent, cookie)
    assert status == 200 and "We already have this report" in third
    assert 'class="code"' not in third and code not in third
    assert reports_saved() == 1
