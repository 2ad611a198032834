"""The worker recovers by itself, without cron: from a Redis restart (it catches up and its
scheduler runs again), and from being SIGKILLed (its scheduler goes with it, the next worker
starts one, and an email it may already have handed to SMTP goes again with the same
Message-ID, marked on the delivery page as maybe sent twice).

No test here runs `flask send-pending` or `flask escalate`: those stay as cron's safety net.
"""

from __future__ import annotations

import os
import re
import signal
import time
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from schoolsafe.extensions import db
from schoolsafe.jobs.escalate import schedule_escalation
from schoolsafe.models import AlertRoute, OutboxMessage, Report
from schoolsafe.models.base import utcnow
from tests.factories import Factory, sign_in
from tests.jobs.live import (
    Worker,
    eventually,
    on_first_message,
    process_state,
    scheduler_pid,
    submit,
)
from tests.support.processes import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

IMMEDIATE = {"about": "friend", "choices": ["threats"], "danger_now": "y",
             "narrative": "They said they will send it to everyone at 9"}


@pytest.fixture
def school(live_app):
    school = Factory(live_app).school("oak")
    Factory(live_app).user(school, "dsl", email="lead@oak.example.org")
    db.session.add(AlertRoute(school_id=school.id, email="deputy@oak.example.org", tier=2))
    db.session.commit()
    return school


@pytest.fixture
def second_worker(live_settings, tmp_path):
    """Another `flask worker`, as systemd would start after the first one died."""
    process = Worker(live_settings, tmp_path / "worker-2.log")
    yield process
    process.stop()


def running_scheduler(live_settings, timeout: float = 15) -> int:
    """The pid of the scheduler process holding the queue's lock, once there is one."""
    found: list[int] = []

    def held() -> bool:
        pid = scheduler_pid(live_settings["REDIS_URL"], live_settings["RQ_QUEUE"])
        found[:] = [pid] if pid and process_state(pid) else []
        return bool(found)

    assert wait_until(held, timeout, interval=0.2), "no scheduler process holds the lock"
    return found[0]


def escalation_due_in(seconds: float) -> None:
    """Bring the report's escalation forward and book it with RQ's scheduler only."""
    report = db.session.scalar(select(Report))
    report.next_escalation_at = utcnow() + timedelta(seconds=seconds)
    schedule_escalation(report)
    db.session.commit()


def recipients(smtp_server) -> list[str]:
    return [e.rcpt_tos[0] for e in smtp_server.envelopes]


def test_after_a_redis_restart_the_worker_sends_what_was_missed_and_schedules_again(
        live_app, worker, redis_server, smtp_server, live_settings, school):
    worker.start()
    running_scheduler(live_settings)

    redis_server.stop()
    submit(live_app, "oak", IMMEDIATE)  # its intake job never reaches Redis
    time.sleep(2)  # long enough for RQ's scheduler process to give up on Redis and exit
    redis_server.start()  # empty, as after a crash: nothing queued or scheduled survived
    back = time.monotonic()
    try:
        smtp_server.wait_for(1, timeout=30)
    except TimeoutError:
        pytest.fail(f"the worker did not catch up when Redis came back\n{worker.log()}")
    assert time.monotonic() - back < 30
    assert recipients(smtp_server) == ["lead@oak.example.org"]

    escalation_due_in(2)  # RQ itself would restart its scheduler only ten minutes later
    try:
        smtp_server.wait_for(2, timeout=20)
    except TimeoutError:
        pytest.fail(f"the scheduler did not run again after the outage\n{worker.log()}")
    assert recipients(smtp_server) == ["lead@oak.example.org", "deputy@oak.example.org"]
    assert worker.process.running, "the same worker process carried on"


def test_a_sigkilled_workers_scheduler_goes_with_it_and_the_next_worker_schedules(
        live_app, worker, second_worker, smtp_server, live_settings, school):
    worker.start()
    orphan = running_scheduler(live_settings)
    os.kill(worker.process.process.pid, signal.SIGKILL)  # no warm shutdown, no cleanup

    assert wait_until(lambda: process_state(orphan) is None, 10), \
        "the scheduler outlived its worker and keeps the lock from the next one"
    second_worker.start()
    scheduler = running_scheduler(live_settings)
    assert process_state(scheduler)[1] == second_worker.process.process.pid

    submit(live_app, "oak", IMMEDIATE)
    smtp_server.wait_for(1, timeout=30)
    escalation_due_in(2)
    try:
        smtp_server.wait_for(2, timeout=20)
    except TimeoutError:
        pytest.fail(f"the new worker's scheduler did not fire\n{second_worker.log()}")
    assert recipients(smtp_server)[1] == "deputy@oak.example.org"


def test_an_alert_whose_worker_died_in_the_send_goes_again_with_the_same_message_id(
        live_app, worker, second_worker, smtp_server, school):
    admin = Factory(live_app).user(school, "admin")
    worker.start()
    pid = worker.process.process.pid
    # The server has the whole alert when the worker dies, before it can record it as sent.
    on_first_message(smtp_server, lambda: os.kill(pid, signal.SIGKILL))
    submit(live_app, "oak", IMMEDIATE)
    [first] = smtp_server.wait_for(1, timeout=30)
    assert wait_until(lambda: worker.process.process.poll() is not None, 10)

    db.session.rollback()
    row = db.session.scalar(select(OutboxMessage))
    assert row.state == "sending"
    # The lease runs out in minutes, well before the 15 minutes after which the report would
    # be escalated to the next tier as unanswered.
    assert row.next_attempt_at - utcnow() <= timedelta(minutes=2)
    db.session.execute(update(OutboxMessage).values(
        next_attempt_at=utcnow() - timedelta(seconds=1)))  # as if those minutes had passed
    db.session.commit()

    second_worker.start()  # its start-up sweep finds the alert whose lease ran out
    try:
        [_, again] = smtp_server.wait_for(2, timeout=30)
    except TimeoutError:
        pytest.fail(f"the alert was not sent again\n{second_worker.log()}")
    assert first["Message-ID"] and again["Message-ID"] == first["Message-ID"]
    eventually(lambda: db.session.scalar(select(OutboxMessage.state)) == "sent", 10)

    browser = live_app.test_client()
    sign_in(browser, admin)
    page = re.sub(r"\s+", " ", browser.get("/staff/admin/email").get_data(as_text=True))
    assert "may have been sent twice" in page
    assert first["Message-ID"].strip("<>") in page
