"""The job path against real services: PostgreSQL, Redis, an SMTP server and `flask worker`.

The app in these tests is configured as production is (REDIS_URL, MAIL_SERVER with STARTTLS and
login), and the worker is the real command run as a child process with the same settings, so
the only thing shared between the two is what production shares: the database and Redis.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis

from schoolsafe.extensions import db
from tests.conftest import empty_tables, make_app, migrated
from tests.support.processes import ChildProcess, log_tail, wait_until

ROOT = Path(__file__).resolve().parents[2]
FLASK = Path(sys.executable).with_name("flask")

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


@pytest.fixture(scope="session")
def jobs_database_url(postgres) -> str:
    """A migrated PostgreSQL database that the test and the worker process both use."""
    return migrated(postgres.create_database("schoolsafe_jobs"))


@pytest.fixture
def live_settings(jobs_database_url, redis_server, smtp_server, tmp_path) -> dict[str, str]:
    """Environment variables of a production-like deployment on loopback."""
    return {
        "SCHOOLSAFE_ENV": "testing",
        "FLASK_APP": "wsgi.py",
        "DATABASE_URL": jobs_database_url,
        "REDIS_URL": redis_server.url,
        "RQ_QUEUE": "schoolsafe-test",
        "MAIL_SERVER": smtp_server.host,
        "MAIL_PORT": str(smtp_server.port),
        "MAIL_USE_TLS": "true",
        "MAIL_USERNAME": smtp_server.username,
        "MAIL_PASSWORD": smtp_server.password,
        "MAIL_DEFAULT_SENDER": "alerts@schoolsafe.test",
        "SCHOOLSAFE_INSTANCE_PATH": str(tmp_path / "instance"),
        "BASE_URL": "http://localhost",
    }


@pytest.fixture
def live_app(live_settings, redis_server, tmp_path):
    """The web app with the same settings the worker gets; tables and Redis emptied after."""
    application = make_app(
        live_settings["DATABASE_URL"], tmp_path, WTF_CSRF_ENABLED=False,
        REDIS_URL=live_settings["REDIS_URL"], RQ_QUEUE=live_settings["RQ_QUEUE"],
        MAIL_SERVER=live_settings["MAIL_SERVER"], MAIL_PORT=int(live_settings["MAIL_PORT"]),
        MAIL_USE_TLS=True, MAIL_USERNAME=live_settings["MAIL_USERNAME"],
        MAIL_PASSWORD=live_settings["MAIL_PASSWORD"],
        MAIL_DEFAULT_SENDER=live_settings["MAIL_DEFAULT_SENDER"],
    )
    with application.app_context():
        yield application
        db.session.rollback()
        empty_tables()
        db.engine.dispose()
    if not redis_server.running:
        redis_server.start()
    redis.Redis.from_url(redis_server.url).flushall()


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


@pytest.fixture
def worker(live_settings, live_app, tmp_path) -> Iterator[Worker]:
    """A worker that is not yet started; stopped at the end of the test whatever happens."""
    process = Worker(live_settings, tmp_path / "worker.log")
    yield process
    process.stop()
