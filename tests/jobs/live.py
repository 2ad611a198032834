"""Helpers for tests against the real services: a worker process and waiting for its writes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

import redis

from schoolsafe.extensions import db
from tests.support.processes import ChildProcess, log_tail, wait_until

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).with_name("flask")


def submit(app, slug: str, form: dict) -> str:
    """Submit a report through the pupil form; return the confirmation page."""
    response = app.test_client().post(f"/tell/{slug}", data=form)
    page = response.get_data(as_text=True)
    assert response.status_code == 200, page
    assert 'class="code"' in page
    return page


def eventually(check, timeout: float = 20, message: str = "") -> None:
    """Wait until check() is true, reading fresh rows each time (another process writes them)."""

    def fresh() -> bool:
        db.session.rollback()
        return bool(check())

    assert wait_until(fresh, timeout, interval=0.2), message or "gave up waiting"


class Worker:
    """`flask worker` as a child process, with its log kept for failure messages."""

    def __init__(self, settings: dict[str, str], log_path: Path) -> None:
        self.env = {**os.environ, **settings}
        self.log_path = log_path
        self.process = ChildProcess("flask worker", log_path)

    def start(self, *args: str) -> Worker:
        """Start the worker (it sweeps unsent mail first, then works the queue)."""
        self.process.start([str(FLASK), "worker", *args], cwd=ROOT, env=self.env)
        return self

    def stop(self) -> None:
        """Ask for a warm shutdown (SIGTERM), then make sure the process group is gone."""
        self.process.stop(timeout=20)

    def run(self, *args: str, timeout: float = 60) -> int:
        """Run another flask command with the worker's settings; return its exit code."""
        command = ChildProcess(f"flask {args[0]}", self.log_path)
        command.start([str(FLASK), *args], cwd=ROOT, env=self.env)
        assert command.process is not None
        code = command.process.wait(timeout)
        command.kill()
        return code

    def log(self) -> str:
        """The last lines the worker wrote."""
        return log_tail(self.log_path, 60)

    def wait_for_exit(self, timeout: float) -> int | None:
        """Wait for a --burst worker to finish; return its exit code."""
        process = self.process.process
        assert process is not None
        wait_until(lambda: process.poll() is not None, timeout)
        return process.poll()


def on_first_message(smtp_server, action) -> None:
    """Run action inside the SMTP server when the first message has arrived whole, before the
    server answers 250: the server has the email, the sender has not yet heard so."""
    record = smtp_server._record
    waiting = [action]

    def run_then_record(message, envelope) -> None:
        if waiting:
            waiting.pop()()
        record(message, envelope)

    smtp_server._record = run_then_record


def scheduler_pid(redis_url: str, queue: str) -> int | None:
    """The pid of the RQ scheduler process holding the queue's lock, if any."""
    client = redis.Redis.from_url(redis_url)
    try:
        name = client.get(f"rq:scheduler-lock:{queue}")
        pid = client.hget(f"rq:scheduler:{name.decode()}", "pid") if name else None
    finally:
        client.close()
    return int(pid) if pid else None


def process_state(pid: int) -> tuple[str, int] | None:
    """(state letter, parent pid) of a process that still runs; None once it is gone."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return None
    state, parent = stat.rpartition(")")[2].split()[:2]
    return None if state in ("Z", "X") else (state, int(parent))
