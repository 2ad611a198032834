"""Outages of the real services, caused inside the test: nothing a pupil sends is lost.

Redis down when a pupil submits: the report is saved, the pupil sees the usual confirmation,
the report waits to be taken in (its places linked, its alert queued) and the alert goes out
once Redis is back (the worker's start-up sweep, or
`flask send-pending` from cron for a worker that kept running). SMTP down: the worker records
each failure, RQ retries with backoff, the admin page shows the state, and the alert goes out
once, when the server is back.
"""

from __future__ import annotations

import re
import time

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import OutboxMessage, Report
from tests.factories import Factory, sign_in
from tests.jobs.live import eventually, submit

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

IMMEDIATE = {"about": "friend", "choices": ["threats"], "danger_now": "y",
             "narrative": "They said they will send it to everyone at 9"}


def outbox_row() -> OutboxMessage:
    return db.session.scalar(select(OutboxMessage).order_by(OutboxMessage.id))


def test_redis_down_at_submit_saves_the_report_and_the_alert_goes_once_redis_is_back(
        live_app, worker, redis_server, smtp_server):
    school = Factory(live_app).school("oak")
    Factory(live_app).user(school, "dsl", email="lead@oak.example.org")
    redis_server.stop()

    started = time.monotonic()
    page = submit(live_app, "oak", IMMEDIATE)
    assert time.monotonic() - started < 10, "a dead Redis must not keep the pupil waiting"
    assert "We have your message" in page and "couldn&#39;t save" not in page
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1
    assert db.session.scalar(select(Report.intake_pending)) is True
    assert outbox_row() is None  # nothing sent, nothing lost: the saved report is the record

    redis_server.start()  # empty: whatever was queued before is gone, as after a crash
    worker.start()  # its start-up sweep finds the report waiting in the database
    try:
        smtp_server.wait_for(1, timeout=30)
    except TimeoutError:
        pytest.fail(f"the alert never went out after Redis came back\n{worker.log()}")
    assert smtp_server.envelopes[0].rcpt_tos == ("lead@oak.example.org",)
    eventually(lambda: outbox_row().state == "sent", 10, worker.log())


def test_a_running_worker_survives_a_redis_restart_and_cron_sends_what_was_missed(
        live_app, worker, redis_server, smtp_server):
    school = Factory(live_app).school("elm")
    Factory(live_app).user(school, "dsl", email="lead@elm.example.org")
    worker.start()
    submit(live_app, "elm", IMMEDIATE)
    smtp_server.wait_for(1, timeout=30)

    redis_server.stop()
    submit(live_app, "elm", IMMEDIATE)  # this alert never reaches Redis
    redis_server.start()
    assert worker.run("send-pending") == 0  # what cron runs every minute
    try:
        smtp_server.wait_for(2, timeout=60)
    except TimeoutError:
        pytest.fail(f"the worker did not pick up again after Redis came back\n{worker.log()}")
    eventually(lambda: set(db.session.scalars(select(OutboxMessage.state))) == {"sent"}, 10)
    assert len(smtp_server.messages) == 2
    assert worker.process.running, "the same worker process carried on after the outage"


def test_smtp_down_is_retried_with_backoff_shown_to_admins_and_nothing_is_lost(
        live_app, worker, smtp_server):
    school = Factory(live_app).school("ash")
    Factory(live_app).user(school, "dsl", email="lead@ash.example.org")
    admin = Factory(live_app).user(school, "admin")
    smtp_server.stop()
    worker.start()
    submit(live_app, "ash", IMMEDIATE)

    eventually(lambda: (row := outbox_row()) is not None and row.tries >= 1, 30, worker.log())
    row = outbox_row()
    assert row.state == "pending"
    assert "Connection refused" in row.last_error or "ConnectionRefusedError" in row.last_error
    assert row.next_attempt_at > row.created_at  # backed off, not hammering the server

    browser = live_app.test_client()
    sign_in(browser, admin)
    page = browser.get("/staff/admin/email").get_data(as_text=True)
    assert "Waiting to be sent" in page and "ConnectionRefusedError" in page
    overview = re.sub(r"\s+", " ", browser.get("/staff/admin/").get_data(as_text=True))
    assert "1 email not sent yet" in overview

    smtp_server.start()  # same port; RQ's next retry (10 seconds after the failure) sends it
    try:
        smtp_server.wait_for(1, timeout=45)
    except TimeoutError:
        pytest.fail(f"the alert was not retried once SMTP came back\n{worker.log()}")
    eventually(lambda: outbox_row().state == "sent", 10, worker.log())
    time.sleep(1)
    assert len(smtp_server.messages) == 1  # sent once, however many retries were queued
    assert outbox_row().last_error == ""
