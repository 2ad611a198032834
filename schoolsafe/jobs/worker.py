"""`flask worker`: an RQ worker that runs jobs inside this app's context."""

from __future__ import annotations

import click
from flask import current_app
from rq import Queue, SimpleWorker

from schoolsafe.jobs.queue import redis_connection


def run(burst: bool = False) -> None:
    """Catch up on anything missed while no worker ran, then work the queue."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: without it jobs run inside the web "
                                   "process and no worker is needed.")
    catch_up()
    connection = redis_connection(url)
    queue = Queue(current_app.config["RQ_QUEUE"], connection=connection)
    # SimpleWorker runs jobs in this process, which already holds the app context and its
    # database pool (a forking worker would share pooled connections with its children).
    SimpleWorker([queue], connection=connection).work(burst=burst, with_scheduler=True)


def catch_up() -> None:
    """Queue unsent email and escalate overdue reports (Redis may have lost their jobs)."""
    from schoolsafe.jobs.escalate import escalate_due
    from schoolsafe.jobs.mail import send_pending

    send_pending()
    escalate_due()
