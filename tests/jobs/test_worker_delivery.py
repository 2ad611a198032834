"""The job path end to end: a pupil submits, RQ carries the job, `flask worker` sends it to a real
SMTP server over STARTTLS with a login. Nothing here is faked or run in-process."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import OutboxMessage, Report
from tests.factories import Factory
from tests.jobs.live import eventually, submit

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

IMMEDIATE = {"about": "self", "choices": ["nude_shared"], "danger_now": "y",
             "narrative": "Jordan says he will post it tonight", "reporter_name": "Alex Smith"}


def test_an_immediate_alert_goes_from_the_form_through_redis_and_the_worker_to_smtp(
        live_app, worker, smtp_server):
    school = Factory(live_app).school("oak")
    dsl = Factory(live_app).user(school, "dsl", email="lead@oak.example")
    worker.start()
    started = time.monotonic()
    submit(live_app, "oak", IMMEDIATE)

    try:
        [message] = smtp_server.wait_for(1, timeout=30)
    except TimeoutError:
        pytest.fail(f"no alert reached the SMTP server\n{worker.log()}")
    assert time.monotonic() - started < 15, "an immediate alert must arrive within seconds"
    assert smtp_server.envelopes[0].rcpt_tos == (dsl.email,)
    assert smtp_server.envelopes[0].mail_from == "alerts@schoolsafe.test"
    report = db.session.scalar(select(Report))
    body = message.get_content()
    assert f"http://localhost/staff/triage/reports/{report.public_id}" in body
    assert "Immediate" in body
    for private in ("Jordan", "Alex", "tonight", "nude", "Oak"):
        assert private not in message["Subject"] + body
    # The server has the message before the worker records it as sent.
    eventually(lambda: db.session.scalar(select(OutboxMessage.state)) == "sent", 10, worker.log())
    row = db.session.scalar(select(OutboxMessage))
    assert (row.tries, row.last_error) == (1, "")
    assert row.sent_at is not None


def test_a_burst_worker_sends_everything_queued_while_no_worker_ran(live_app, worker,
                                                                    smtp_server):
    school = Factory(live_app).school("elm")
    Factory(live_app).user(school, "dsl", email="lead@elm.example")
    Factory(live_app).user(school, "dsl", email="deputy@elm.example")
    for _ in range(3):
        submit(live_app, "elm", IMMEDIATE)
    assert smtp_server.messages == []  # queued in Redis, nobody working the queue yet

    worker.start("--burst")
    assert worker.wait_for_exit(60) == 0, worker.log()
    smtp_server.wait_for(6, timeout=5)
    assert sorted(e.rcpt_tos[0] for e in smtp_server.envelopes) == (
        ["deputy@elm.example"] * 3 + ["lead@elm.example"] * 3)
    eventually(lambda: set(db.session.scalars(select(OutboxMessage.state))) == {"sent"}, 10)


def test_a_job_run_twice_sends_the_email_once(live_app, worker, smtp_server):
    school = Factory(live_app).school("ash")
    Factory(live_app).user(school, "dsl", email="lead@ash.example")
    submit(live_app, "ash", IMMEDIATE)
    message_id = db.session.scalar(select(OutboxMessage.id))
    from schoolsafe.jobs.mail import deliver_outbox
    from schoolsafe.jobs.queue import enqueue

    enqueue(deliver_outbox, message_id)  # a duplicate, as a sweep may add

    worker.start("--burst")
    assert worker.wait_for_exit(60) == 0, worker.log()
    smtp_server.wait_for(1, timeout=5)
    time.sleep(0.5)
    assert len(smtp_server.messages) == 1
