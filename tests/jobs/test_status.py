"""`flask status` tells an operator whether the work is keeping up, from Redis and the database."""

from __future__ import annotations

import subprocess

import pytest

from tests.factories import Factory
from tests.jobs.live import FLASK, ROOT, submit
from tests.jobs.test_two_app_servers import REPORT
from tests.support.processes import wait_until

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]


def status(worker) -> str:
    result = subprocess.run([str(FLASK), "status"], cwd=ROOT, env=worker.env,  # noqa: S603
                            capture_output=True, text=True, timeout=60, check=False)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_status_shows_a_waiting_report_then_a_worker_catching_up(live_app, worker, smtp_server):
    school = Factory(live_app).school("oak")
    Factory(live_app).user(school, "dsl", email="lead@oak.example")
    submit(live_app, "oak", REPORT)
    before = status(worker)
    assert "reports not yet taken in     1, oldest" in before
    assert "jobs queued                  1, oldest" in before
    assert "workers                      0" in before
    assert "LOOK AT: no worker is running" in before

    worker.start()
    assert wait_until(lambda: "all keeping up" in status(worker), timeout=40), status(worker)
    after = status(worker)
    assert "reports not yet taken in     0" in after and "jobs queued                  0" in after
    assert "scheduler                    seen" in after
    assert "last escalation sweep" in after and "s ago" in after
