"""`flask worker`: an RQ worker that runs jobs inside this app's context, and outlives Redis.

When Redis goes away (a restart, a failover) RQ's worker keeps retrying the connection inside
its own loop. Jobs queued meanwhile never reached Redis, and a Redis restarted without its data
lost the ones it had, so the moment Redis answers again the worker catches up itself - takes
in waiting reports, queues unsent email, escalates overdue reports - and starts its scheduler
again (RQ's scheduler process dies with the connection, and RQ would restart it only ten
minutes later). `flask send-pending` and `flask escalate` from cron do the same work from the
database as a safety net, for the cases no worker sees (no worker running, a lost job).

The scheduler process stops when the worker that started it dies, even by SIGKILL, releasing
its lock so the next worker starts one at once instead of finding the lock held by an orphan.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import logging
import os
import signal
import sys
import time

import click
from flask import current_app
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError
from redis.exceptions import TimeoutError as RedisTimeoutError
from rq import Queue, SimpleWorker
from rq.exceptions import StopRequested
from rq.scheduler import RQScheduler

from schoolsafe.extensions import db
from schoolsafe.jobs.escalate import escalate_due
from schoolsafe.jobs.intake import take_in_waiting
from schoolsafe.jobs.mail import send_pending
from schoolsafe.jobs.queue import redis_connection
from schoolsafe.jobs.tasks import remind_due_tasks

log = logging.getLogger(__name__)
RESTART_DELAY = 3.0
# An idle worker hears back from Redis (and checks its scheduler) this often; RQ's default
# worker TTL of 420 s would leave it blocked for almost seven minutes at a time.
WORKER_TTL = 35
PR_SET_PDEATHSIG = 1  # linux/prctl.h


class _Outage:
    """Whether this process lost its connection to Redis since it last caught up."""

    lost = False


class WatchedQueue(Queue):
    """RQ's queue, noting when waiting for a job fails because Redis went away."""

    @classmethod
    def dequeue_any(cls, *args, **kwargs):
        """Wait for a job as RQ does; a broken connection is noted before RQ retries it."""
        try:
            return super().dequeue_any(*args, **kwargs)
        except (RedisConnectionError, RedisTimeoutError):
            _Outage.lost = True
            raise


class AppScheduler(RQScheduler):
    """RQ's scheduler process, which stops when the worker that started it is gone."""

    parent_pid = 0

    def start(self):
        """Fork the scheduler process, remembering which process is its parent."""
        self.parent_pid = os.getpid()
        return super().start()

    def _install_signal_handlers(self) -> None:
        super()._install_signal_handlers()
        # SIGTERM, which stops the scheduler cleanly, as soon as the parent dies (Linux).
        _ask_for_signal_when_parent_dies(signal.SIGTERM)

    def heartbeat(self) -> None:
        """Refresh the locks, unless the worker died (the check for systems without prctl)."""
        if os.getppid() != self.parent_pid:
            self.log.warning("Scheduler: the worker that started it is gone; stopping")
            self.request_stop()
        super().heartbeat()


def _ask_for_signal_when_parent_dies(signum: int) -> None:
    if not sys.platform.startswith("linux"):
        return
    libc = ctypes.CDLL(ctypes.util.find_library("c"), use_errno=True)
    libc.prctl(PR_SET_PDEATHSIG, signum, 0, 0, 0)


class AppWorker(SimpleWorker):
    """SimpleWorker that catches up as soon as Redis is back and keeps its scheduler alive."""

    stop_asked = False
    queue_class = WatchedQueue
    # Seconds between tries to reach a Redis that went away (RQ doubles up to 60).
    max_connection_wait_time = 2.0
    burst = False

    def request_stop(self, signum, frame) -> None:
        """Note the request (SIGTERM or Ctrl+C), then stop as RQ does."""
        AppWorker.stop_asked = True
        super().request_stop(signum, frame)

    def work(self, burst: bool = False, **options) -> bool:
        """Work the queue as RQ does (a burst worker starts no scheduler process)."""
        self.burst = burst
        return super().work(burst=burst, **options)

    def execute_job(self, job, queue) -> None:
        """Run one job with a session of its own."""
        try:
            super().execute_job(job, queue)
        finally:
            # Every job in this process shares the app context; a failed job's half-done work
            # (an escalation claimed but not sent) must be rolled back, not seen by the next.
            db.session.remove()

    def heartbeat(self, timeout=None, pipeline=None) -> None:
        """RQ's heartbeat; the first one that reaches Redis after an outage catches up."""
        if pipeline is not None:
            super().heartbeat(timeout, pipeline)
            return
        try:
            super().heartbeat(timeout)
        except RedisError:
            _Outage.lost = True
            raise
        self.keep_scheduler()
        if _Outage.lost:
            self.log.warning("Redis is back: catching up on what was missed")
            _Outage.lost = not _catch_up_safely()

    def keep_scheduler(self) -> None:
        """Start the scheduler process again if it died (with Redis) and its lock is free."""
        if self.burst or self.scheduler is None or self._stop_requested:
            return
        process = self.scheduler._process  # noqa: SLF001 - RQ keeps the process here
        if process is None or not process.is_alive():
            self.scheduler.acquire_locks(auto_start=True)

    def _start_scheduler(self, burst=False, logging_level="INFO", date_format=None,
                         log_format=None, **_options) -> None:
        # RQ's own, with our scheduler class: the same lock, birth and burst behaviour.
        formats = {k: v for k, v in (("date_format", date_format), ("log_format", log_format))
                   if v is not None}
        self.scheduler = AppScheduler(
            self.queues, connection=self.connection,
            logging_level=logging_level if logging_level is not None else self.log.level,
            serializer=self.serializer, **formats)
        self.scheduler.acquire_locks()
        if not self.scheduler.acquired_locks:
            return  # another worker's scheduler holds it; keep_scheduler tries again later
        if not burst:
            self.scheduler.start()
            return
        try:
            self.scheduler.register_birth()
            self.scheduler.enqueue_scheduled_jobs()
        finally:
            self.scheduler.release_locks()
            self.scheduler.register_death()


def _catch_up_safely() -> bool:
    try:
        catch_up()
    except Exception:  # noqa: BLE001 - the worker keeps working; the next heartbeat tries again
        db.session.remove()
        log.exception("catching up after the Redis outage failed; trying again shortly")
        return False
    return True


def run(burst: bool = False) -> None:
    """Catch up on anything missed while no worker ran, then work the queue until stopped."""
    url = current_app.config.get("REDIS_URL")
    if not url:
        raise click.ClickException("REDIS_URL is not set: without it jobs run inside the web "
                                   "process and no worker is needed.")
    connection = redis_connection(url)
    queue = WatchedQueue(current_app.config["RQ_QUEUE"], connection=connection)
    while not AppWorker.stop_asked:
        catch_up()
        _Outage.lost = False
        try:
            # SimpleWorker runs jobs in this process, which already holds the app context and
            # its database pool (a forking worker would share pooled connections with children).
            AppWorker([queue], connection=connection, worker_ttl=WORKER_TTL).work(
                burst=burst, with_scheduler=True)
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
    """Take in waiting reports, queue unsent email, escalate overdue reports and send due task
    reminders (Redis may have lost their jobs)."""
    take_in_waiting()
    send_pending()
    escalate_due()
    remind_due_tasks()
    db.session.remove()
