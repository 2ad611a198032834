"""The job path against real services: PostgreSQL, Redis, an SMTP server and `flask worker`.

The app in these tests is configured as production is (REDIS_URL, MAIL_SERVER with STARTTLS and
login), and the worker is the real command run as a child process with the same settings, so
the only thing shared between the two is what production shares: the database and Redis.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from schoolsafe.extensions import db
from tests.conftest import empty_tables, make_app, migrated
from tests.jobs.live import Worker


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


@pytest.fixture
def worker(live_settings, live_app, tmp_path) -> Iterator[Worker]:
    """A worker that is not yet started; stopped at the end of the test whatever happens."""
    process = Worker(live_settings, tmp_path / "worker.log")
    yield process
    process.stop()
