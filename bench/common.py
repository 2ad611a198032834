"""What every benchmark shares: the database to run on, the app, and a note of the machine.

Each benchmark takes `--backend sqlite|postgresql`. SQLite is a file in the work folder;
PostgreSQL is DATABASE_URL when set, otherwise a private server (the test suite's
PostgresServer) whose data is kept in the work folder, so a million generated reports are
made once and measured many times. The work folder defaults to /var/tmp/schoolsafe-bench.
"""

from __future__ import annotations

import argparse
import os
import platform
import pwd
import statistics
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tests.support.postgres import SUPERUSER, PostgresServer  # noqa: E402
from tests.support.processes import forget_cleanup  # noqa: E402

WORK = Path(os.environ.get("BENCH_DIR", "/var/tmp/schoolsafe-bench"))
BENCH_DB = "schoolsafe_bench"
PG_PORT = 55432  # fixed, so a kept server comes back where its URL says


class KeptPostgres(PostgresServer):
    """A private PostgreSQL whose data outlives the process (the test one deletes it)."""

    def __init__(self, base_dir: Path) -> None:
        super().__init__(base_dir, port=PG_PORT)
        forget_cleanup(self)  # stop at exit (ChildProcess does that), but keep the data

    def start(self) -> None:
        """Start the server unless another benchmark process already has it running."""
        if self.answers():
            return
        super().start()

    def answers(self) -> bool:
        """Whether a server is accepting connections on our port."""
        import psycopg

        try:
            psycopg.connect(self.conninfo(SUPERUSER, SUPERUSER)).close()
        except psycopg.OperationalError:
            return False
        return True

    def _make_data_dir(self) -> Path:
        data_dir = self.base_dir / "pgdata"
        data_dir.mkdir(parents=True, exist_ok=True)
        data_dir.chmod(0o700)
        if os.geteuid() == 0:
            user = pwd.getpwnam(SUPERUSER)
            for path in (self.base_dir, data_dir):
                os.chown(path, user.pw_uid, user.pw_gid)
        return data_dir


def add_backend_argument(parser: argparse.ArgumentParser) -> None:
    """--backend, shared by every benchmark."""
    parser.add_argument("--backend", choices=("sqlite", "postgresql"), default="sqlite")


def database_url(backend: str, name: str = BENCH_DB) -> str:
    """The benchmark database's URL, starting the kept PostgreSQL server if needed."""
    WORK.mkdir(parents=True, exist_ok=True)
    if backend == "sqlite":
        return f"sqlite:///{WORK / (name + '.db')}"
    if os.environ.get("DATABASE_URL"):
        return os.environ["DATABASE_URL"].replace("postgresql://", "postgresql+psycopg://", 1)
    server = KeptPostgres(WORK / "postgres")
    server.start()
    return server.url_for(name)


def create_database(backend: str, name: str = BENCH_DB) -> str:
    """A fresh, empty benchmark database (any earlier one of that name is dropped)."""
    url = database_url(backend, name)
    if backend == "sqlite":
        Path(url.removeprefix("sqlite:///")).unlink(missing_ok=True)
        return url
    import psycopg

    server_url = url.rsplit("/", 1)[0] + "/postgres"
    conninfo = server_url.replace("postgresql+psycopg://", "postgresql://")
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')
    return url


def make_app(url: str, **overrides: object):
    """The real app on the benchmark database, with production-like settings."""
    os.environ.setdefault("SCHOOLSAFE_ENV", "development")
    from schoolsafe import create_app

    config = {"SQLALCHEMY_DATABASE_URI": url, "INSTANCE_PATH": str(WORK / "instance"),
              "OUTBOX_DIR": str(WORK / "outbox"), "SERVER_NAME": "localhost",
              "BASE_URL": "http://localhost"}
    config.update(overrides)
    return create_app(config)


def percentile(values: list[float], fraction: float) -> float:
    """The value below which `fraction` of the values lie (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * len(ordered)) - 1))]


def summary_ms(values: list[float]) -> str:
    """p50 / p95 / max of durations in seconds, as milliseconds."""
    return (f"p50 {statistics.median(values) * 1000:6.1f} ms   "
            f"p95 {percentile(values, 0.95) * 1000:6.1f} ms   "
            f"max {max(values) * 1000:6.1f} ms")


def machine() -> str:
    """Date, CPU, cores and memory, for the figures' heading."""
    cpu = next((line.split(":", 1)[1].strip() for line in
                Path("/proc/cpuinfo").read_text().splitlines()
                if line.startswith("model name")), platform.processor())
    memory = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.split("\n")[1]
    return (f"{datetime.now(UTC):%Y-%m-%d %H:%M} UTC | {cpu} | {os.cpu_count()} cores | "
            f"memory {memory.split()[1]} | Python {platform.python_version()}")
