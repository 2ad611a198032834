"""Helpers for tests against the real services: a worker process and waiting for its writes."""

from __future__ import annotations

import os
import sys
from pathlib import Path

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
