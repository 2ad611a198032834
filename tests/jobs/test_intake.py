"""A pupil's report is saved first and taken in straight after by a job: its places linked
to the register, its alert queued. Until then the DSL sees the places as typed, and nothing
is lost if the job is: the report itself says it is waiting."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.jobs.intake import take_in_report
from schoolsafe.models import OnlineAccount, OutboxMessage, Report, Sighting
from tests.factories import Factory, sign_in
from tests.jobs.live import eventually, submit

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

REPORT = {"about": "self", "choices": ["bait_out_page"], "danger_now": "y",
          "narrative": "There is a page posting about girls in my year",
          "place1-platform": "instagram", "place1-text": "@oak.exposed.2026"}


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def test_the_report_is_saved_at_once_and_the_worker_links_its_places_and_alerts(
        live_app, worker, smtp_server):
    school = Factory(live_app).school("oak")
    dsl = Factory(live_app).user(school, "dsl", email="lead@oak.example.org")
    page = submit(live_app, "oak", REPORT)  # no worker yet: the job waits in Redis
    assert "We have your message" in page

    report = db.session.scalar(select(Report))
    assert report.intake_pending is True
    assert (count(Sighting), count(OutboxMessage)) == (0, 0)
    browser = live_app.test_client()
    sign_in(browser, dsl)
    waiting = browser.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True)
    assert '<span class="inert-url">@oak.exposed.2026</span>' in waiting
    assert "being added to the register" in waiting

    worker.start()
    try:
        smtp_server.wait_for(1, timeout=30)
    except TimeoutError:
        pytest.fail(f"the report was not taken in\n{worker.log()}")
    assert smtp_server.envelopes[0].rcpt_tos == ("lead@oak.example.org",)
    eventually(lambda: not db.session.get(Report, report.id).intake_pending, 10, worker.log())
    entry = db.session.scalar(select(OnlineAccount))
    assert (entry.platform, entry.report_count) == ("instagram", 1)
    assert db.session.get(Report, report.id).places_waiting is None
    linked = browser.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True)
    assert "@oak.exposed.2026" in linked and "being added to the register" not in linked


def test_taking_in_a_report_twice_links_and_alerts_once(live_app):
    school = Factory(live_app).school("elm")
    Factory(live_app).user(school, "dsl", email="lead@elm.example.org")
    submit(live_app, "elm", REPORT)
    report_id = db.session.scalar(select(Report.id))

    assert take_in_report(report_id) == "taken in"
    assert take_in_report(report_id) == "nothing to do"  # the sweep's copy, or RQ's retry
    assert (count(Sighting), count(OutboxMessage)) == (1, 1)
    assert db.session.scalar(select(OnlineAccount.report_count)) == 1
