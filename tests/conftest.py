"""Fixtures: the app on SQLite and on a real PostgreSQL, real Redis, a real SMTP server.

Web tests that take the `app` fixture run twice, once per database. Services are started once
per session; under CI=true a service that can't start fails the run (tests.support.require).
"""

from __future__ import annotations

import os

os.environ["SCHOOLSAFE_ENV"] = "testing"
os.environ.pop("DATABASE_URL", None)
os.environ.pop("MIGRATIONS_DATABASE_URL", None)
os.environ.pop("REDIS_URL", None)
os.environ.pop("MAIL_SERVER", None)

import pytest  # noqa: E402
from sqlalchemy import text  # noqa: E402

from schoolsafe import create_app  # noqa: E402
from schoolsafe.extensions import db  # noqa: E402
from schoolsafe.security.ratelimit import RateLimiter  # noqa: E402
from tests.factories import Factory  # noqa: E402
from tests.support.services import (  # noqa: E402
    PostgresServer,
    RedisServer,
    SmtpServer,
    require,
)

BACKENDS = ["sqlite", "postgresql"]


@pytest.fixture(scope="session")
def postgres(tmp_path_factory):
    """One private PostgreSQL server for the whole run."""
    require("PostgreSQL", PostgresServer.available(), "run scripts/install-system-deps.sh")
    server = PostgresServer(tmp_path_factory.mktemp("pg"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def redis_server(tmp_path_factory):
    """One private Redis server for the whole run."""
    require("Redis", RedisServer.available(), "run scripts/install-system-deps.sh")
    server = RedisServer(tmp_path_factory.mktemp("redis"))
    server.start()
    yield server
    server.stop()


@pytest.fixture
def smtp_server(tmp_path):
    """A real SMTP server (STARTTLS and login) that keeps what it receives."""
    require("SMTP server", SmtpServer.available(tls=True), "aiosmtpd and openssl are needed")
    server = SmtpServer(tmp_path, tls=True, username="mailer", password="mail-secret-123")
    server.start()
    yield server
    server.stop()


def migrated(url: str) -> str:
    """Build the schema with the real migrations, as `flask db upgrade` does."""
    from flask_migrate import upgrade

    app = create_app({"SQLALCHEMY_DATABASE_URI": url})
    with app.app_context():
        upgrade(revision="heads")
        db.engine.dispose()
    return url


_DATABASES: dict[str, str] = {}


@pytest.fixture(scope="session", params=BACKENDS)
def database_url(request, tmp_path_factory):
    """A migrated database on each backend, shared by the tests of that backend.

    pytest sets a parametrised session fixture up again whenever the run moves between its
    values (it does, file by file, under pytest-xdist), so each database is built once and
    then handed out again.
    """
    if request.param not in _DATABASES:
        if request.param == "sqlite":
            url = f"sqlite:///{tmp_path_factory.mktemp('sqlite') / 'test.db'}"
        else:
            url = request.getfixturevalue("postgres").create_database("schoolsafe_test")
        _DATABASES[request.param] = migrated(url)
    elif request.param == "postgresql":
        request.getfixturevalue("postgres")  # keep the server alive for these tests
    return _DATABASES[request.param]


def empty_tables() -> None:
    """Remove every row between tests.

    On PostgreSQL the tests' role owns the tables, so it may switch the audit trail's TRUNCATE
    guard off for this one transaction (the app's own role may not: tests/test_db_roles.py).
    """
    tables = [t.name for t in reversed(db.metadata.sorted_tables)]
    if db.engine.dialect.name == "postgresql":
        db.session.execute(text("ALTER TABLE audit_event DISABLE TRIGGER audit_event_no_truncate"))
        db.session.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        db.session.execute(text("ALTER TABLE audit_event ENABLE TRIGGER audit_event_no_truncate"))
    else:
        for name in tables:
            db.session.execute(text(f"DELETE FROM {name}"))
    db.session.commit()


def make_app(database_url: str, tmp_path, **overrides):
    """An app on the given database, mail to a temporary outbox, jobs in-process."""
    config = {
        "SQLALCHEMY_DATABASE_URI": database_url,
        "INSTANCE_PATH": str(tmp_path / "instance"),
        "OUTBOX_DIR": str(tmp_path / "outbox"),
        "SERVER_NAME": "localhost",
        "BASE_URL": "http://localhost",
    }
    config.update(overrides)
    return create_app(config)



def sending_app(database_url: str, tmp_path, smtp_server, sender: str, **overrides):
    """An app sending through the test SMTP server (STARTTLS and login) as production sends
    through its relay, inside its app context; the tables are emptied afterwards."""
    application = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=False, **overrides,
                           MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp_server.port,
                           MAIL_USE_TLS=True, MAIL_USERNAME=smtp_server.username,
                           MAIL_PASSWORD=smtp_server.password, MAIL_DEFAULT_SENDER=sender)
    with application.app_context():
        yield application
        db.session.rollback()
        empty_tables()
        db.engine.dispose()


_APPS: dict[str, object] = {}


def shared_app(database_url: str, tmp_path):
    """One app per database for the whole run: building an app compiles every route, which
    costs far more than most tests, so tests share it and get fresh per-test state instead."""
    if database_url not in _APPS:
        _APPS[database_url] = make_app(database_url, tmp_path, WTF_CSRF_ENABLED=False)
    return _APPS[database_url]


@pytest.fixture
def app(database_url, tmp_path):
    """The app with CSRF checks off (one module turns them on); empty tables after.

    Per test: its own instance and outbox folders, fresh rate-limit counters, and any config
    a test changes is put back afterwards.
    """
    application = shared_app(database_url, tmp_path)
    saved = dict(application.config)
    application.config.update(INSTANCE_PATH=str(tmp_path / "instance"),
                              OUTBOX_DIR=str(tmp_path / "outbox"))
    application.instance_path = str(tmp_path / "instance")
    application.extensions["ratelimiter"] = RateLimiter(application.config["REDIS_URL"])
    with application.app_context():
        try:
            yield application
        finally:
            db.session.rollback()
            empty_tables()
            db.session.remove()
            application.config.clear()
            application.config.update(saved)


@pytest.fixture(scope="session", autouse=True)
def _dispose_shared_apps():
    yield
    for application in _APPS.values():
        with application.app_context():
            db.engine.dispose()


@pytest.fixture
def client(app):
    """A browser-like test client."""
    return app.test_client()


@pytest.fixture
def make(app):
    """Builders for schools, staff and reports."""
    return Factory(app)
