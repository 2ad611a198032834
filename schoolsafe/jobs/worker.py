"""`flask worker`: an RQ worker that runs jobs inside this app's context, and outlives Redis.

RQ's worker gives up when Redis goes away in the middle of a command (a restart, a failover).
Alerts must keep flowing after that without anyone restarting the service, so `run` starts a
fresh worker once Redis answers again, catching up first on anything missed meanwhile.
"""

from __future__ import annotations

import logging
import time

import click
from flask import current_app
from redis.exceptions import RedisError
from rq import Queue, SimpleWorker
from rq.exceptions import StopRequested

from schoolsafe.extensions import db
from schoolsafe.jobs.escalate import escalate_due
from schoolsafe.jobs.intake import take_in_waiting
from schoolsafe.jobs.mail import send_pending
from schoolsafe.jobs.queue import redis_connection

log = logging.getLogger(__name__)
RESTART_DELAY = 3.0


class AppWorker(SimpleWorker):
    """SimpleWorker that remembers being asked to stop, so it is not started again."""

    stop_asked = False

    def request_stop(self, signum, frame) -> None:
        """Note the request (SIGTERM or Ctrl+C), then stop as RQ does."""
        AppWorker.stop_asked = True
        super().request_stop(signum, frame)

    def execute_job(self, job, queue) -> None:
        """Run one job with a session of its own."""
        try:
            super().execute_job(job, queue)
        finally:
            # Every job in this process shares the app context; a failed job's half-done work
            # (an escalation claimed but not sent) must be rolled back, not seen by the next.
            db.session.remove()


def run(burst: bool = False) -> None:
    """Catch up on anything missed while no worker ran, then work the queue until stopped."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: without it jobs run inside the web "
                                   "process and no worker is needed.")
    connection = redis_connection(url)
    queue = Queue(current_app.config["RQ_QUEUE"], connection=connection)
    while not AppWorker.stop_asked:
        catch_up()
        try:
            # SimpleWorker runs jobs in this process, which already holds the app context and
            # its database pool (a forking worker would share pooled connections with children).
            AppWorker([queue], connection=connection).work(burst=burst, with_scheduler=True)
        except RedisError as error:
            log.warning("lost Redis: %s", error)
        if burst or AppWorker.stop_asked:
            return
        log.warning("the worker stopped without being asked; starting again in %ss",
                    RESTART_DELAY)
        try:
            time.sleep(RESTART_DELAY)
        except StopRequested:
            return


def catch_up() -> None:
    """Take in waiting reports, queue unsent email and escalate overdue reports (Redis may
    have lost their jobs)."""
    take_in_waiting()
    send_pending()
    escalate_due()
    db.session.remove()
