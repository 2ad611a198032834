"""Rate limits per network address: a whole school gets through, guessers don't, nothing is kept."""

from __future__ import annotations

import time

import pytest
from redis import Redis
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import Report
from tests.conftest import make_app, migrated
from tests.factories import Factory

SCHOOL_NETWORK = {"environ_base": {"REMOTE_ADDR": "203.0.113.5"}}
MID_WINDOW = 1_800_000_300.0  # five minutes into a ten-minute window


def reports() -> int:
    return db.session.scalar(select(func.count()).select_from(Report))


@pytest.mark.slow
@pytest.mark.postgres
def test_300_pupils_behind_one_school_address_all_get_through_in_ten_minutes(
        postgres, tmp_path):
    # Once, on PostgreSQL as in production: the limit doesn't depend on the database.
    app = make_app(migrated(postgres.create_database("whole_school")), tmp_path,
                   WTF_CSRF_ENABLED=False)
    assert app.config["SUBMIT_WINDOW_SECONDS"] <= 600  # the window is at most ten minutes
    with app.app_context():
        Factory(app).school("oak")
        client = app.test_client()
        started = time.monotonic()
        for n in range(300):
            response = client.post("/tell/oak", data={"about": "self", "choices": ["rumours"],
                                                      "narrative": f"pupil {n}"},
                                   **SCHOOL_NETWORK)
            assert response.status_code == 200, (n, response.status_code)
        assert time.monotonic() - started < app.config["SUBMIT_WINDOW_SECONDS"]
        assert reports() == 300
        db.engine.dispose()


def test_over_the_limit_the_form_comes_back_with_everything_typed(client, make, app):
    make.school("oak")
    app.config["SUBMIT_LIMIT"] = 2
    answers = {"about": "self", "choices": ["rumours"], "narrative": "third one",
               "place1-text": "@page_3", "reporter_year": "Year 10"}
    for _ in range(2):
        assert client.post("/tell/oak", data=answers, **SCHOOL_NETWORK).status_code == 200
    response = client.post("/tell/oak", data=answers, **SCHOOL_NETWORK)
    page = response.get_data(as_text=True)
    assert response.status_code == 429
    assert "Please wait a few minutes and press Send again" in page
    assert "third one</textarea>" in page and 'value="@page_3"' in page
    assert 'value="Year 10"' in page
    assert reports() == 2
    other = client.post("/tell/oak", data=answers, environ_base={"REMOTE_ADDR": "198.51.100.1"})
    assert other.status_code == 200


@pytest.mark.redis
def test_with_redis_wrong_codes_count_across_app_servers_and_no_address_is_stored(
        redis_server, database_url, tmp_path, make):
    make.school("oak")
    servers = [make_app(database_url, tmp_path / str(n), WTF_CSRF_ENABLED=False,
                        REDIS_URL=redis_server.url, FOLLOWUP_LIMIT=4) for n in (1, 2)]
    for server in servers:
        # One moment for both, so a window can't end mid-test and start the count again.
        server.extensions["ratelimiter"].clock = lambda: MID_WINDOW
    wrong = {"code": "ocean ocean ocean ocean ocean ocean"}
    statuses = [servers[n % 2].test_client().post("/follow-up", data=wrong, **SCHOOL_NETWORK)
                .status_code for n in range(5)]
    assert statuses == [400, 400, 400, 400, 429]
    store = Redis.from_url(redis_server.url)
    keys = [key.decode() for key in store.keys("rl:*")]
    assert keys and all("203.0.113.5" not in key for key in keys)
    assert all(0 < store.ttl(key) <= 600 for key in keys)  # forgotten within the window
    store.flushdb()
