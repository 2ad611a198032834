"""Health checks a load balancer can ask: live, and ready only when the database is migrated."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import make_app
from tests.support.processes import free_port


def test_live_answers_without_sign_in_and_says_nothing_about_schools(client, make):
    make.school("oak", name="Oak Academy")
    response = client.get("/health/live")
    assert response.status_code == 200
    assert response.get_data(as_text=True) == "live\n"
    assert response.headers["Cache-Control"] == "no-store"


def test_ready_when_the_database_is_at_the_newest_migration(client, make):
    make.school("oak", name="Oak Academy")
    response = client.get("/health/ready")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.get_data(as_text=True) == "ready\n"
    assert response.headers["Cache-Control"] == "no-store"


@pytest.fixture
def behind_url(database_url, request, tmp_path):
    """A database one migration behind the code."""
    from flask_migrate import downgrade, upgrade

    if database_url.startswith("sqlite"):
        url = f"sqlite:///{tmp_path / 'behind.db'}"
    else:
        url = request.getfixturevalue("postgres").create_database(
            f"behind_{free_port()}")
    application = make_app(url, tmp_path)
    with application.app_context():
        upgrade(revision="heads")
        downgrade(revision="-1")
    return url


def test_not_ready_when_the_database_is_behind_the_migrations(behind_url, tmp_path):
    response = make_app(behind_url, tmp_path).test_client().get("/health/ready")
    assert response.status_code == 503
    text = response.get_data(as_text=True)
    assert text.startswith("not ready: the database is at ") and "flask db upgrade" in text


def test_not_ready_when_redis_is_configured_but_down(database_url, tmp_path):
    application = make_app(database_url, tmp_path,
                           REDIS_URL=f"redis://127.0.0.1:{free_port()}/0")
    response = application.test_client().get("/health/ready")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "not ready: Redis does not answer\n"


def test_not_ready_when_the_database_does_not_answer(tmp_path):
    url = f"postgresql+psycopg://nobody@127.0.0.1:{free_port()}/gone?connect_timeout=2"
    response = make_app(url, tmp_path).test_client().get("/health/ready")
    assert response.status_code == 503
    assert response.get_data(as_text=True) == "not ready: the database does not answer\n"


def test_probes_stay_out_of_the_access_log_and_pupil_pages_do_not(app, caplog):
    # The development server logs each request on "werkzeug" as gunicorn does on its access
    # logger; both get the same filter. (The real gunicorn log: tests/jobs/test_upgrade*.)
    caplog.set_level(logging.INFO)
    for name in ("werkzeug", "gunicorn.access"):
        logger = logging.getLogger(name)
        logger.info('"GET /health/ready HTTP/1.1" 200 6 1ms')
        logger.info('"GET /tell/oak HTTP/1.1" 200 812 3ms')
    logged = [record.getMessage() for record in caplog.records]
    assert not [line for line in logged if "/health/" in line]
    assert len([line for line in logged if "/tell/oak" in line]) == 2
