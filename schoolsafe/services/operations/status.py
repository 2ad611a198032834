"""What `flask status` shows an operator: is the work keeping up?

Read from the database (reports not yet taken in, email waiting or failing) and, when Redis is
used, from RQ (the queue, failed jobs, workers and the scheduler seen) and from the one key this
module writes: when the escalation sweep last ran. Counts and ages only: no school, report or
address is ever printed.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

from redis import Redis
from rq import Queue, Worker
from rq.registry import FailedJobRegistry
from rq.scheduler import RQScheduler
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import OutboxMessage, Report
from schoolsafe.vocab import OutboxState

# The time of the last escalation sweep (`flask escalate`, a worker's catch-up), ISO format UTC.
SWEEP_KEY = "schoolsafe:last_escalation_sweep"
# A sweep runs every minute from cron: older than this and something has stopped it.
SWEEP_LATE = timedelta(minutes=5)


@dataclass(frozen=True)
class Backlog:
    """How many are waiting, and since when (naive UTC)."""

    count: int
    oldest: datetime | None


@dataclass
class Status:
    """The state of the deployment's background work, at `now`."""

    now: datetime
    intake_pending: Backlog
    emails_pending: Backlog
    emails_failing: Backlog
    queue: Backlog | None = None  # None: no Redis, jobs run in the web process
    failed_jobs: int = 0
    workers: list[tuple[str, datetime | None]] = field(default_factory=list)
    scheduler_seen: bool = False
    last_sweep: datetime | None = None

    def problems(self) -> list[str]:
        """What an operator should look at; empty when all is keeping up."""
        found = []
        if self.queue is not None and not self.workers:
            found.append("no worker is running")
        if self.queue is not None and self.workers and not self.scheduler_seen:
            found.append("no scheduler is running (escalations wait for cron)")
        if self.emails_failing.count:
            found.append(f"{self.emails_failing.count} email(s) failing")
        if self.queue is not None and (self.last_sweep is None
                                       or self.now - self.last_sweep > SWEEP_LATE):
            found.append("the escalation sweep has not run in the last 5 minutes")
        return found


def _naive_utc(moment: datetime | None) -> datetime | None:
    if moment is None or moment.tzinfo is None:
        return moment
    return moment.astimezone(UTC).replace(tzinfo=None)


def _backlog(session: Session, column, *where) -> Backlog:
    count, oldest = session.execute(select(func.count(), func.min(column)).where(*where)).one()
    return Backlog(count, oldest)


def database_status(session: Session, now: datetime) -> Status:
    """The part read from the database: reports waiting for intake, email waiting or failing."""
    waiting = OutboxMessage.state.in_((OutboxState.PENDING, OutboxState.SENDING))
    return Status(
        now=now,
        intake_pending=_backlog(session, Report.received_at, Report.intake_pending),
        emails_pending=_backlog(session, OutboxMessage.created_at, waiting),
        emails_failing=_backlog(session, OutboxMessage.created_at, waiting,
                                OutboxMessage.tries > 0, OutboxMessage.last_error != ""),
    )


def add_queue_status(status: Status, redis: Redis, queue_name: str) -> None:
    """Add RQ's side: the queue, failed jobs, workers' last heartbeats, the scheduler's lock."""
    queue = Queue(queue_name, connection=redis)
    first = queue.get_jobs(0, 0)
    status.queue = Backlog(queue.count, _naive_utc(first[0].enqueued_at) if first else None)
    status.failed_jobs = FailedJobRegistry(queue=queue).count
    status.workers = sorted((worker.name, _naive_utc(worker.last_heartbeat))
                            for worker in Worker.all(connection=redis, queue=queue))
    status.scheduler_seen = bool(redis.exists(RQScheduler.get_locking_key(queue_name)))
    status.last_sweep = last_sweep(redis)


def record_sweep(redis: Redis, at: datetime) -> None:
    """Note that the escalation sweep ran at `at` (naive UTC)."""
    redis.set(SWEEP_KEY, at.isoformat())


def last_sweep(redis: Redis) -> datetime | None:
    """When the escalation sweep last ran, if Redis has heard."""
    value = redis.get(SWEEP_KEY)
    return datetime.fromisoformat(value.decode()) if value else None


def age(now: datetime, moment: datetime | None) -> str:
    """'3 min ago' style, for a person reading a terminal."""
    if moment is None:
        return "-"
    seconds = max(0, int((now - moment).total_seconds()))
    if seconds < 120:
        return f"{seconds} s ago"
    if seconds < 7200:
        return f"{seconds // 60} min ago"
    return f"{seconds // 3600} h ago"


def lines(status: Status) -> list[str]:
    """The report `flask status` prints."""
    now = status.now

    def backlog(label: str, item: Backlog) -> str:
        oldest = f", oldest {age(now, item.oldest)}" if item.count else ""
        return f"{label:<28} {item.count}{oldest}"

    out = [backlog("reports not yet taken in", status.intake_pending),
           backlog("emails pending", status.emails_pending),
           backlog("emails failing", status.emails_failing)]
    if status.queue is None:
        out.append("queue                        none (no REDIS_URL: jobs run in the web process)")
    else:
        out += [backlog("jobs queued", status.queue),
                f"{'jobs failed (RQ)':<28} {status.failed_jobs}",
                f"{'workers':<28} {len(status.workers)}"]
        out += [f"  {name}  last heartbeat {age(now, beat)}" for name, beat in status.workers]
        out += [f"{'scheduler':<28} {'seen' if status.scheduler_seen else 'not seen'}",
                f"{'last escalation sweep':<28} {age(now, status.last_sweep)}"]
    problems = status.problems()
    out.append("all keeping up" if not problems else "LOOK AT: " + "; ".join(problems))
    return out
