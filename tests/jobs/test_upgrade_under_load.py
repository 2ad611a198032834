"""An upgrade while pupils are reporting loses no report (README "Upgrading").

Two real gunicorn servers on one PostgreSQL and Redis. The database is taken one migration back,
then pupils submit reports without pause while the newest migration is applied (`flask db
upgrade`) and the servers are restarted one at a time, as the README's upgrade order says.
Every report a pupil was told was received must be in the database and, after a worker run,
taken in; the readiness check turns ready when the migration is done; the probes never reach
the access log.
"""

from __future__ import annotations

import os
import re
import subprocess
import threading
import time

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import Report
from tests.conftest import make_app, migrated
from tests.factories import Factory
from tests.jobs.live import FLASK, ROOT, Worker
from tests.jobs.test_two_app_servers import REPORT, AppServer
from tests.support.processes import free_port

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


class Pupils(threading.Thread):
    """Submits reports one after another, to either server, until told to stop."""

    def __init__(self, servers: list[AppServer]) -> None:
        super().__init__(daemon=True)
        self.servers, self.stopping = servers, threading.Event()
        self.received = 0  # answers showing a follow-up code
        self.other: list[str] = []  # anything else a pupil saw

    def run(self) -> None:
        turn = 0
        while not self.stopping.is_set():
            turn += 1
            self.submit(self.servers[turn % 2], self.servers[(turn + 1) % 2])

    def submit(self, first: AppServer, second: AppServer) -> None:
        # A load balancer sends the request to the other server when one refuses connections.
        for server in (first, second):
            try:
                status, page, cookie = server.request("GET", "/tell/oak")
                token = re.search(r'name="csrf_token"[^>]*value="([^"]+)"', page)[1]
                status, page, _ = server.request("POST", "/tell/oak",
                                                 {**REPORT, "csrf_token": token}, cookie)
            except (OSError, TypeError):
                continue
            if status == 200 and 'class="code"' in page:
                self.received += 1
            else:
                self.other.append(f"{server.name}: {status}")
            return
        self.other.append("neither server answered")


def flask(settings: dict[str, str], *args: str) -> str:
    result = subprocess.run([str(FLASK), *args], cwd=ROOT, env=settings,  # noqa: S603
                            capture_output=True, text=True, timeout=120, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_reports_sent_during_an_upgrade_are_all_kept_and_taken_in(postgres, live_settings,
                                                                  tmp_path):
    url = migrated(postgres.create_database(f"upgrade_{free_port()}"))
    settings = {**os.environ, **live_settings, "DATABASE_URL": url}
    application = make_app(url, tmp_path)
    with application.app_context():
        school = Factory(application).school("oak")
        Factory(application).user(school, "dsl", email="lead@oak.example")
    flask(settings, "db", "downgrade", "--", "-1")
    servers = [AppServer(name, settings, tmp_path).start() for name in ("one", "two")]
    try:
        assert servers[0].request("GET", "/health/ready")[0] == 503
        pupils = Pupils(servers)
        pupils.start()
        time.sleep(1)
        flask(settings, "db", "upgrade")
        assert servers[0].request("GET", "/health/ready")[:2] == (200, "ready\n")
        for server in servers:  # one at a time: the other keeps serving
            server.process.stop()
            server.start()
        pupils.stopping.set()
        pupils.join(30)
    finally:
        for server in servers:
            server.process.stop()

    worker = Worker(live_settings | {"DATABASE_URL": url}, tmp_path / "worker.log")
    assert worker.run("worker", "--burst") == 0, worker.log()
    with application.app_context():
        stored = db.session.scalar(select(func.count()).select_from(Report))
        waiting = db.session.scalar(select(func.count()).select_from(Report)
                                    .where(Report.intake_pending))
        db.engine.dispose()
    assert pupils.received > 10
    assert pupils.other == []
    assert (stored, waiting) == (pupils.received, 0)
    logs = "".join(server.log_path.read_text() for server in servers)
    assert "POST /tell/oak" in logs and "/health/" not in logs
