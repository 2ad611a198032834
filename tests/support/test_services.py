"""Smoke tests for the real test services: each one starts, works, stops and comes back."""

from __future__ import annotations

import smtplib
import socket
from email.message import EmailMessage

import pytest

from tests.support.services import (
    PostgresServer,
    RedisServer,
    SmtpServer,
    find_binary,
    free_port,
    require,
)

USER, PASSWORD = "mailer", "correct horse"


def _refuses_connections(port: int) -> bool:
    try:
        socket.create_connection(("127.0.0.1", port), timeout=1).close()
    except OSError:
        return True
    return False


def _mail(subject: str, to: str = "dsl@school.example") -> EmailMessage:
    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "app@school.example", to, subject
    message.set_content(f"Body of {subject}")
    return message


@pytest.fixture(scope="module")
def postgres(tmp_path_factory):
    require("PostgreSQL", PostgresServer.available(), "run scripts/install-system-deps.sh")
    server = PostgresServer(tmp_path_factory.mktemp("pg"))
    server.start()
    yield server
    server.remove()


@pytest.fixture
def redis_server(tmp_path):
    require("Redis", RedisServer.available(), "run scripts/install-system-deps.sh")
    server = RedisServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def smtp_tls(tmp_path_factory):
    require("SMTP with TLS", SmtpServer.available(tls=True), "needs aiosmtpd and openssl")
    server = SmtpServer(tmp_path_factory.mktemp("smtp"), tls=True, username=USER,
                        password=PASSWORD)
    server.start()
    yield server
    server.stop()


# --- PostgreSQL -------------------------------------------------------------------------------

def test_postgres_app_role_can_create_tables_and_databases(postgres):
    import psycopg
    import sqlalchemy as sa

    engine = sa.create_engine(postgres.url)
    with engine.begin() as conn:
        conn.execute(sa.text("CREATE TABLE note (body text)"))
        conn.execute(sa.text("INSERT INTO note VALUES ('kept')"))
        assert conn.execute(sa.text("SELECT current_user")).scalar() == "schoolsafe"
    engine.dispose()
    fresh_url = postgres.create_database("smoke_fresh")
    with psycopg.connect(postgres.conninfo("smoke_fresh")) as conn:
        tables = conn.execute("SELECT count(*) FROM pg_tables WHERE tablename = 'note'")
        assert tables.fetchone() == (0,)
    assert fresh_url.endswith(f":{postgres.port}/smoke_fresh")


@pytest.mark.parametrize(
    ("attribute", "expected"),
    [
        ("rolsuper", False),  # audit-row protections only mean something for a non-superuser
        ("rolcreatedb", True),  # tests make a database per run
        ("rolcreaterole", False),
    ],
)
def test_postgres_app_role_privileges(postgres, attribute, expected):
    import psycopg

    with psycopg.connect(postgres.conninfo()) as conn:
        query = f"SELECT {attribute} FROM pg_roles WHERE rolname = current_user"
        assert conn.execute(query).fetchone() == (expected,)


def test_postgres_restart_keeps_port_and_data(postgres):
    import psycopg

    with psycopg.connect(postgres.conninfo(), autocommit=True) as conn:
        conn.execute("CREATE TABLE IF NOT EXISTS survivor (n int)")
        conn.execute("INSERT INTO survivor VALUES (7)")
    postgres.stop()
    assert _refuses_connections(postgres.port)
    postgres.start()
    with psycopg.connect(postgres.conninfo()) as conn:
        assert conn.execute("SELECT n FROM survivor").fetchall() == [(7,)]


@pytest.mark.parametrize("name", ["Robert'); DROP", "has space", ""])
def test_postgres_rejects_unsafe_database_names(postgres, name):
    with pytest.raises(ValueError):
        postgres.create_database(name)


# --- Redis ------------------------------------------------------------------------------------

def test_redis_set_get(redis_server):
    import redis

    client = redis.Redis.from_url(redis_server.url)
    client.set("greeting", "hello")
    assert client.get("greeting") == b"hello"
    client.close()


def test_redis_stop_then_start_on_same_port(redis_server):
    import redis

    port = redis_server.port
    redis_server.stop()
    assert _refuses_connections(port)
    redis_server.start()
    client = redis.Redis.from_url(redis_server.url)
    assert redis_server.port == port and client.ping()
    client.close()


# --- SMTP -------------------------------------------------------------------------------------

def test_smtp_receives_over_starttls_with_login(smtp_tls):
    smtp_tls.clear()
    with smtplib.SMTP(smtp_tls.host, smtp_tls.port, timeout=10) as client:
        client.starttls(context=smtp_tls.client_tls_context())
        client.login(USER, PASSWORD)
        client.send_message(_mail("over tls"), to_addrs=["dsl@school.example", "bcc@x.example"])
    [received] = smtp_tls.wait_for(1)
    assert received["Subject"] == "over tls"
    assert received.get_content().strip() == "Body of over tls"
    assert smtp_tls.envelopes[0].rcpt_tos == ("dsl@school.example", "bcc@x.example")


def _login_without_tls(server):
    with smtplib.SMTP(server.host, server.port, timeout=10) as client:
        client.login(USER, PASSWORD)


def _wrong_password(server):
    with smtplib.SMTP(server.host, server.port, timeout=10) as client:
        client.starttls(context=server.client_tls_context())
        client.login(USER, "wrong")


def _send_without_login(server):
    with smtplib.SMTP(server.host, server.port, timeout=10) as client:
        client.starttls(context=server.client_tls_context())
        client.send_message(_mail("anonymous"))


def _send_without_tls(server):
    with smtplib.SMTP(server.host, server.port, timeout=10) as client:
        client.send_message(_mail("plain text"))


@pytest.mark.parametrize(
    ("attempt", "error"),
    [
        (_login_without_tls, smtplib.SMTPNotSupportedError),  # AUTH only offered after TLS
        (_wrong_password, smtplib.SMTPAuthenticationError),
        (_send_without_login, smtplib.SMTPSenderRefused),
        (_send_without_tls, smtplib.SMTPSenderRefused),
    ],
)
def test_smtp_refuses_what_production_would(smtp_tls, attempt, error):
    smtp_tls.clear()
    with pytest.raises(error):
        attempt(smtp_tls)
    assert smtp_tls.messages == []


def test_smtp_stop_then_start_on_same_port(tmp_path):
    require("SMTP", SmtpServer.available(), "needs aiosmtpd")
    server = SmtpServer(tmp_path)
    server.start()
    port = server.port
    server.stop()
    assert _refuses_connections(port)
    server.start()
    try:
        with smtplib.SMTP(server.host, port, timeout=10) as client:
            client.send_message(_mail("after restart"))
        assert [m["Subject"] for m in server.wait_for(1)] == ["after restart"]
    finally:
        server.stop()


def test_smtp_wait_for_times_out_when_nothing_arrives(tmp_path):
    server = SmtpServer(tmp_path)
    with pytest.raises(TimeoutError):
        server.wait_for(1, timeout=0.2)


# --- helpers ----------------------------------------------------------------------------------

@pytest.mark.parametrize(
    ("ci", "outcome"),
    [
        ("true", RuntimeError),  # CI must fail loudly when a service is missing
        ("", pytest.skip.Exception),  # a developer without the package just skips
    ],
)
def test_require_when_missing(monkeypatch, ci, outcome):
    monkeypatch.setenv("CI", ci)
    with pytest.raises(outcome, match="Redis"):
        require("Redis", False, "not installed")


@pytest.mark.parametrize("ci", ["true", ""])
def test_require_when_available_does_nothing(monkeypatch, ci):
    monkeypatch.setenv("CI", ci)
    assert require("Redis", True, "installed") is None


@pytest.mark.parametrize(
    ("candidates", "found"),
    [
        (("no-such-binary-here", "sh"), True),  # falls through to the next candidate
        (("/no/such/path/sh",), False),
        (("no-such-binary-here",), False),
    ],
)
def test_find_binary(candidates, found):
    assert (find_binary(*candidates) is not None) == found


def test_free_port_can_be_bound():
    port = free_port()
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", port))


def test_start_failures_carry_the_log_tail(tmp_path):
    from tests.support.processes import ChildProcess

    child = ChildProcess("demo", tmp_path / "demo.log")
    child.start(["sh", "-c", "echo first line; echo the real reason; exit 3"])
    child.process.wait(timeout=10)
    message = str(child.failure("exited during start-up"))
    child.kill()
    assert "the real reason" in message and "exited during start-up" in message
