"""A private PostgreSQL 15 server for tests, in a temporary directory on a free loopback port."""

from __future__ import annotations

import os
import pwd
import re
import shutil
import signal
import tempfile
from pathlib import Path
from typing import Any

from tests.support.processes import (
    LOOPBACK,
    ChildProcess,
    find_binary,
    forget_cleanup,
    free_port,
    port_is_free,
    register_cleanup,
    wait_until,
)

PG_BIN = Path("/usr/lib/postgresql/15/bin")
APP_ROLE = "schoolsafe"
SUPERUSER = "postgres"
START_TIMEOUT = 30.0
# Durability is worthless for throw-away test data; turning it off makes commits much faster.
SPEED_SETTINGS = {"fsync": "off", "full_page_writes": "off", "synchronous_commit": "off"}
# Only this client may connect, only over TCP on the loopback address, without a password.
HBA_RULES = f"host all all {LOOPBACK}/32 trust\n"
_SAFE_NAME = re.compile(r"^[a-z_][a-z0-9_]{0,62}$")


def _run_as() -> dict[str, Any]:
    """Popen arguments that drop root to the postgres user, which PostgreSQL insists on."""
    if os.geteuid() != 0:
        return {}
    user = pwd.getpwnam(SUPERUSER)
    return {"user": user.pw_uid, "group": user.pw_gid, "extra_groups": []}


class PostgresServer:
    """initdb + postgres, started and stopped on demand, keeping the same port and data."""

    def __init__(self, base_dir: Path, port: int | None = None) -> None:
        self.base_dir = Path(base_dir)
        self.port = port or free_port()
        self.data_dir = self._make_data_dir()
        self.log_path = self.base_dir / "postgres.log"
        # SIGINT is PostgreSQL's "fast" shutdown: roll back open sessions and exit cleanly.
        self._process = ChildProcess("PostgreSQL", self.log_path, signal.SIGINT)
        self.url = self.url_for(APP_ROLE)
        # The data dir may live outside base_dir (see _make_data_dir), so remove it at exit too.
        register_cleanup(self, self.remove)

    @staticmethod
    def available() -> bool:
        """Tell whether the PostgreSQL 15 server binaries are installed."""
        return find_binary(PG_BIN / "initdb") is not None and (PG_BIN / "postgres").exists()

    def url_for(self, dbname: str, user: str = APP_ROLE) -> str:
        """Return a SQLAlchemy URL for a database on this server."""
        return f"postgresql+psycopg://{user}@{LOOPBACK}:{self.port}/{dbname}"

    def conninfo(self, dbname: str = APP_ROLE, user: str = APP_ROLE) -> str:
        """Return a libpq connection string for psycopg.connect()."""
        return f"host={LOOPBACK} port={self.port} dbname={dbname} user={user} connect_timeout=2"

    @property
    def superuser_url(self) -> str:
        """SQLAlchemy URL as the superuser, for setup the app role must not be able to do."""
        return self.url_for(SUPERUSER, SUPERUSER)

    @property
    def running(self) -> bool:
        """Tell whether the server process is alive."""
        return self._process.running

    def start(self) -> None:
        """Initialise the cluster on first use, start the server and wait for connections."""
        if self.running:
            return
        first_start = not (self.data_dir / "PG_VERSION").exists()
        if first_start:
            self._initdb()
        if not wait_until(lambda: port_is_free(self.port), timeout=10):
            raise self._process.failure(f"port {self.port} is still taken")
        self._process.start(self._server_command(), **_run_as())
        self._wait_for_connections()
        if first_start:
            self._create_app_role()

    def stop(self) -> None:
        """Stop the server (fast shutdown), keeping its data for a later start()."""
        self._process.stop()

    def restart(self) -> None:
        """Stop and start again on the same port and data."""
        self.stop()
        self.start()

    def remove(self) -> None:
        """Stop the server and delete its data directory."""
        self._process.stop()
        shutil.rmtree(self.data_dir, ignore_errors=True)
        forget_cleanup(self)

    def create_database(self, name: str) -> str:
        """Create a fresh database owned by the app role and return its SQLAlchemy URL."""
        import psycopg
        from psycopg import sql

        if not _SAFE_NAME.match(name):
            raise ValueError(f"not a plain lower-case database name: {name!r}")
        # Created as the app role itself, which also proves the role may create databases.
        with psycopg.connect(self.conninfo(), autocommit=True) as conn:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
        return self.url_for(name)

    def _make_data_dir(self) -> Path:
        self.base_dir.mkdir(parents=True, exist_ok=True)
        if os.geteuid() != 0:
            return self.base_dir / "pgdata"
        # As root, base_dir is often private (mode 0700, e.g. pytest's tmp_path), so the
        # postgres user could not reach a data dir inside it. Use one of its own instead.
        data_dir = Path(tempfile.mkdtemp(prefix="schoolsafe-pg-"))
        user = pwd.getpwnam(SUPERUSER)
        os.chown(data_dir, user.pw_uid, user.pw_gid)
        return data_dir

    def _initdb(self) -> None:
        command = [
            str(PG_BIN / "initdb"), "--pgdata", str(self.data_dir), "--username", SUPERUSER,
            "--auth", "trust", "--encoding", "UTF8", "--no-locale", "--no-sync",
        ]
        initdb = ChildProcess("initdb", self.base_dir / "initdb.log")
        initdb.start(command, **_run_as())
        if initdb.process is not None and initdb.process.wait(timeout=120) != 0:
            raise initdb.failure("initdb failed")
        initdb.kill()
        self._write_hba()

    def _write_hba(self) -> None:
        hba = self.data_dir / "pg_hba.conf"
        hba.write_text(HBA_RULES)
        if os.geteuid() == 0:
            user = pwd.getpwnam(SUPERUSER)
            os.chown(hba, user.pw_uid, user.pw_gid)

    def _server_command(self) -> list[str]:
        settings = {
            "listen_addresses": LOOPBACK,
            "port": str(self.port),
            # TCP only: no Unix socket, so nothing is written to /var/run/postgresql.
            "unix_socket_directories": "",
            **SPEED_SETTINGS,
        }
        options = [f"--{key}={value}" for key, value in settings.items()]
        return [str(PG_BIN / "postgres"), "-D", str(self.data_dir), *options]

    def _wait_for_connections(self) -> None:
        import psycopg

        def accepts() -> bool:
            if not self._process.running:
                raise self._process.failure("exited during start-up")
            try:
                psycopg.connect(self.conninfo(SUPERUSER, SUPERUSER)).close()
            except psycopg.OperationalError:
                return False
            return True

        if not wait_until(accepts, timeout=START_TIMEOUT, interval=0.2):
            self._process.kill()
            raise self._process.failure(f"not accepting connections after {START_TIMEOUT}s")

    def _create_app_role(self) -> None:
        import psycopg

        # Not a superuser, so tests can prove that grants and triggers really bind the app.
        with psycopg.connect(self.conninfo(SUPERUSER, SUPERUSER), autocommit=True) as conn:
            conn.execute(f"CREATE ROLE {APP_ROLE} LOGIN CREATEDB NOSUPERUSER NOCREATEROLE")
            conn.execute(f"CREATE DATABASE {APP_ROLE} OWNER {APP_ROLE}")
