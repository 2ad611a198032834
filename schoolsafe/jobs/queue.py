"""The one seam through which the app runs background jobs.

With REDIS_URL set, jobs go to an RQ queue and a worker (`flask worker`) runs them. Without it
they run in this process at the end of the request (or app context). Either way a job is
dispatched only after the database transaction that created its rows has committed, so a job
never looks for a row that isn't there yet, and a rolled-back request sends nothing.

Jobs for later (`enqueue_at`) need RQ's scheduler, which `flask worker` runs. Without Redis
they are not kept anywhere: the periodic commands (`flask escalate`, `flask send-pending`) find
the work from the database instead, so a scheduled job is only ever a way to be on time.
"""

from __future__ import annotations

import importlib
import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime

from flask import Flask, current_app
from redis import Redis
from redis.exceptions import RedisError
from rq import Queue, Retry
from sqlalchemy import event
from sqlalchemy.orm import Session

from schoolsafe.extensions import db

log = logging.getLogger(__name__)
PENDING_KEY = "schoolsafe_pending_jobs"
READY_KEY = "schoolsafe_ready_jobs"
# Seconds between RQ's retries of a failed job; after these the sweep takes over.
RETRY_INTERVALS = [10, 30, 60, 120, 300]


@dataclass(frozen=True)
class PendingJob:
    """A job waiting for its transaction to commit."""

    function: Callable[..., object]
    args: tuple[int, ...]
    at: datetime | None = None  # naive UTC; None means now
    job_id: str | None = None  # the same id twice is one job, so repeats collapse

    @property
    def path(self) -> str:
        """The dotted name RQ stores and a worker imports."""
        return job_path(self.function)


def enqueue(function: Callable[..., object], *ids: int) -> None:
    """Run the job `function` with these ids once the current transaction commits."""
    _hold_or_dispatch(PendingJob(_checked(function), ids))


def enqueue_at(when: datetime, function: Callable[..., object], *ids: int,
               job_id: str | None = None) -> None:
    """Run the job at `when` (naive UTC) once the current transaction commits, if RQ is used."""
    _hold_or_dispatch(PendingJob(_checked(function), ids, at=when, job_id=job_id))


def _hold_or_dispatch(job: PendingJob) -> None:
    session = db.session()
    if session.in_transaction():
        session.info.setdefault(PENDING_KEY, []).append(job)
    else:
        dispatch(job)


def job_path(function: Callable[..., object]) -> str:
    """The dotted name of a job function, as RQ stores it."""
    return f"{function.__module__}.{function.__qualname__}"


def _checked(function: Callable[..., object]) -> Callable[..., object]:
    # A worker finds the job by its dotted name, so refuse at once (even without Redis) a
    # function it could not import: a lambda, a nested function, one renamed by a decorator.
    if resolve(job_path(function)) is not function:
        raise ValueError(f"{job_path(function)} is not a job a worker can import")
    return function


def dispatch(job: PendingJob) -> None:
    """Send one job to RQ, or run it here when no Redis is configured."""
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        _to_rq(job, redis_url)
    elif job.at is None:
        _run_inline(job)


def run_ready_jobs() -> None:
    """Run in-process jobs whose transaction has committed (no-op with Redis)."""
    session = db.session()
    while session.info.get(READY_KEY):
        _run_inline(session.info[READY_KEY].pop(0))


def _to_rq(job: PendingJob, redis_url: str) -> None:
    queue = Queue(current_app.config["RQ_QUEUE"], connection=redis_connection(redis_url))
    retry = Retry(max=len(RETRY_INTERVALS), interval=RETRY_INTERVALS)
    try:
        if job.at is None:
            queue.enqueue(job.path, *job.args, retry=retry, job_id=job.job_id)
        else:
            # RQ reads a naive time as the server's local time; ours are UTC.
            queue.enqueue_at(job.at.replace(tzinfo=UTC), job.path, *job.args, retry=retry,
                             job_id=job.job_id)
    except RedisError as error:
        # The rows stay pending in the database; the sweep enqueues them when Redis is back.
        log.warning("queue unavailable, %s left for the sweep: %s", job.path, error)


def _run_inline(job: PendingJob) -> None:
    try:
        job.function(*job.args)
    except Exception:  # noqa: BLE001 - the job recorded its failure; the sweep retries it
        # Drop the job's half-done changes so the request's session can't commit them later.
        db.session.rollback()
        log.exception("in-process job %s failed; it stays pending for the sweep", job.path)


def resolve(path: str) -> object:
    """Import what a dotted path names (a module-level function, or None if there is none)."""
    module, _, name = path.rpartition(".")
    try:
        return getattr(importlib.import_module(module), name, None)
    except ImportError:
        return None


_connections: dict[str, Redis] = {}


def redis_connection(url: str) -> Redis:
    """One Redis client per URL per process, with short timeouts so a dead Redis fails fast."""
    if url not in _connections:
        _connections[url] = Redis.from_url(url, socket_connect_timeout=2, socket_timeout=5)
    return _connections[url]


def _after_commit(session: Session) -> None:
    jobs = session.info.pop(PENDING_KEY, [])
    if not jobs:
        return
    redis_url = current_app.config.get("REDIS_URL")
    if redis_url:
        for job in jobs:
            _to_rq(job, redis_url)
    else:
        # The session can't run SQL inside its own commit event; run these right after.
        # Jobs for later are left to the periodic commands (see the module docstring).
        session.info.setdefault(READY_KEY, []).extend(j for j in jobs if j.at is None)


def _after_rollback(session: Session) -> None:
    session.info.pop(PENDING_KEY, None)


def register_job_dispatch(app: Flask) -> None:
    """Hook dispatch to the session's commit and rollback, and run in-process jobs."""
    if not event.contains(Session, "after_commit", _after_commit):
        event.listen(Session, "after_commit", _after_commit)
        event.listen(Session, "after_soft_rollback", _after_soft_rollback)

    @app.after_request
    def _run_after_request(response):
        run_ready_jobs()
        return response

    @app.teardown_appcontext
    def _run_at_teardown(error: BaseException | None) -> None:
        if error is None:
            run_ready_jobs()


def _after_soft_rollback(session: Session, previous_transaction: object) -> None:
    _after_rollback(session)
