"""Escalation through the real services: RQ's scheduler fires the report's deadline, the worker
alerts the next tier over SMTP, and acknowledging stops it. `flask escalate` (cron) does the
same for deadlines Redis never heard of.

Deadlines are moved a few seconds ahead instead of waiting 15 minutes; the rules that set them
are tested with a controlled clock in tests/unit/test_escalation*.py.
"""

from __future__ import annotations

import time
from datetime import timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.jobs.escalate import schedule_escalation
from schoolsafe.models import AlertRoute, Report, TimelineEvent
from schoolsafe.models.base import utcnow
from tests.factories import Factory, sign_in
from tests.jobs.live import eventually, submit

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

IMMEDIATE = {"about": "self", "choices": ["threats"], "danger_now": "y"}


@pytest.fixture
def school(live_app):
    school = Factory(live_app).school("oak")
    lead = Factory(live_app).user(school, "dsl", email="lead@oak.example.org")
    db.session.add(AlertRoute(school_id=school.id, email="deputy@oak.example.org", tier=2))
    db.session.commit()
    school.lead = lead
    return school


def due_in(report: Report, seconds: float, schedule: bool = True) -> None:
    """Bring the report's escalation deadline forward, as if the minutes had passed."""
    report = db.session.get(Report, report.id)
    report.next_escalation_at = utcnow() + timedelta(seconds=seconds)
    if schedule:
        schedule_escalation(report)
    db.session.commit()


def recipients(smtp_server) -> list[str]:
    return [e.rcpt_tos[0] for e in smtp_server.envelopes]


def test_rq_fires_the_deadline_and_the_next_tier_is_alerted_until_someone_acknowledges(
        live_app, worker, smtp_server, school):
    worker.start()
    submit(live_app, "oak", IMMEDIATE)
    smtp_server.wait_for(1, timeout=30)
    report = db.session.scalar(select(Report))

    due_in(report, 2)
    try:
        smtp_server.wait_for(2, timeout=30)
    except TimeoutError:
        pytest.fail(f"the scheduled escalation never ran\n{worker.log()}")
    assert recipients(smtp_server) == ["lead@oak.example.org", "deputy@oak.example.org"]
    escalation = smtp_server.messages[1]
    assert escalation["Subject"] == "schoolsafe: a report is still waiting"
    assert f"/staff/triage/reports/{report.public_id}" in escalation.get_content()
    eventually(lambda: db.session.scalar(select(TimelineEvent.text).where(
        TimelineEvent.kind == "escalation")) is not None, 10)

    due_in(report, 3)  # the next round is due, but the lead acknowledges first
    browser = live_app.test_client()
    sign_in(browser, school.lead)
    browser.post(f"/staff/triage/reports/{report.public_id}/acknowledge")
    time.sleep(6)
    assert len(smtp_server.messages) == 2, "no alert after acknowledgement"
    db.session.rollback()
    assert db.session.scalar(select(Report.next_escalation_at)) is None


def test_flask_escalate_from_cron_escalates_what_redis_never_scheduled(
        live_app, worker, smtp_server, school):
    worker.start()
    submit(live_app, "oak", IMMEDIATE)
    smtp_server.wait_for(1, timeout=30)
    report = db.session.scalar(select(Report))
    due_in(report, -1, schedule=False)

    assert worker.run("escalate") == 0
    try:
        smtp_server.wait_for(2, timeout=30)
    except TimeoutError:
        pytest.fail(f"flask escalate queued nothing the worker sent\n{worker.log()}")
    assert recipients(smtp_server)[1] == "deputy@oak.example.org"
    assert worker.run("escalate") == 0  # nothing more is due: running it again sends nothing
    time.sleep(2)
    assert len(smtp_server.messages) == 2
