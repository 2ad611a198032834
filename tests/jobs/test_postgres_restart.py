"""PostgreSQL restarting in the middle of a report's intake: the alerts still go, by RQ's retry
of the intake job, without waiting for cron's sweep.

The test has a PostgreSQL server of its own, so stopping it disturbs no other test.
"""

from __future__ import annotations

import pytest

from tests.conftest import migrated
from tests.factories import Factory
from tests.jobs.live import on_first_message, submit
from tests.support.processes import wait_until
from tests.support.services import PostgresServer, require

pytestmark = [pytest.mark.postgres, pytest.mark.redis, pytest.mark.slow]

IMMEDIATE = {"about": "self", "choices": ["threats"], "danger_now": "y"}


@pytest.fixture(scope="module")
def own_postgres(tmp_path_factory):
    """A PostgreSQL server this module may stop and start."""
    require("PostgreSQL", PostgresServer.available(), "run scripts/install-system-deps.sh")
    server = PostgresServer(tmp_path_factory.mktemp("pg-restart"))
    server.start()
    yield server
    server.remove()


@pytest.fixture(scope="module")
def jobs_database_url(own_postgres) -> str:
    """The database the app and the worker share, on the server this module restarts."""
    return migrated(own_postgres.create_database("schoolsafe_restart"))


def test_a_postgres_restart_just_after_intake_commits_still_sends_every_alert(
        live_app, worker, smtp_server, own_postgres):
    school = Factory(live_app).school("oak")
    Factory(live_app).user(school, "dsl", email="lead@oak.example.org")
    Factory(live_app).user(school, "dsl", email="deputy@oak.example.org")
    # The intake has committed the report's two alerts and is sending the first when the
    # database goes: the worker can record nothing, the job fails, the second alert waits.
    on_first_message(smtp_server, own_postgres.stop)
    worker.start()
    submit(live_app, "oak", IMMEDIATE)
    smtp_server.wait_for(1, timeout=30)
    assert wait_until(lambda: "OperationalError" in worker.log(), 15), worker.log()
    own_postgres.start()

    try:
        smtp_server.wait_for(2, timeout=40)  # RQ retries the failed job 10 seconds later
    except TimeoutError:
        pytest.fail(f"the second alert waits for cron's sweep\n{worker.log()}")
    assert sorted(e.rcpt_tos[0] for e in smtp_server.envelopes) == [
        "deputy@oak.example.org", "lead@oak.example.org"]
