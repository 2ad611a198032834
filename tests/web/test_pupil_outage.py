"""The database goes away mid-report (a real PostgreSQL, really stopped): nothing typed is lost."""

from __future__ import annotations

import itertools
import re

import pytest

from schoolsafe.extensions import db
from tests.conftest import make_app, migrated
from tests.factories import Factory
from tests.support.services import PostgresServer, require

pytestmark = pytest.mark.postgres
_databases = itertools.count(1)

ANSWERS = {"about": "friend", "choices": ["nude_shared"], "place1-platform": "snapchat",
           "place1-text": "@sender_acc", "narrative": "A video of my friend is going round",
           "reporter_name": "Kai", "friend_name": "Mo"}


@pytest.fixture(scope="module")
def private_server(tmp_path_factory):
    """A private PostgreSQL these tests may stop and start without touching anyone else's."""
    require("PostgreSQL", PostgresServer.available(), "run scripts/install-system-deps.sh")
    pg = PostgresServer(tmp_path_factory.mktemp("pg-outage"))
    yield pg
    pg.remove()


@pytest.fixture
def server(private_server):
    """The private server, running (an earlier test may have left it stopped)."""
    private_server.start()
    return private_server


@pytest.fixture
def app(server, tmp_path):
    name = f"outage_{next(_databases)}"
    application = make_app(migrated(server.create_database(name)), tmp_path,
                           WTF_CSRF_ENABLED=False)
    with application.app_context():
        Factory(application).school("oak", code="OAK")
        db.session.remove()
    yield application
    with application.app_context():
        db.engine.dispose()


def test_a_report_sent_while_the_database_is_down_comes_back_whole_and_goes_once_it_is_up(
        app, server):
    client = app.test_client()
    assert client.get("/tell/oak").status_code == 200
    server.stop()

    response = client.post("/tell/oak", data=ANSWERS)
    page = response.get_data(as_text=True)
    assert response.status_code == 503
    assert "we couldn&#39;t save that just now. Nothing you typed is lost" in page
    for value in ("@sender_acc", "A video of my friend is going round", "Kai", "Mo"):
        assert value in page
    assert '<option selected value="snapchat">' in page
    assert re.search(r'<input checked[^>]*value="nude_shared"', page)

    server.start()
    again = client.post("/tell/oak", data=ANSWERS)
    assert again.status_code == 200
    assert re.search(r'<p class="code" id="code">(\w+ ){5}\w+</p>', again.get_data(as_text=True))


def test_the_code_pages_say_try_again_and_keep_what_was_typed_while_the_database_is_down(
        app, server):
    client = app.test_client()
    server.stop()
    home = client.post("/", data={"code": "OAK"})
    assert home.status_code == 503
    assert 'value="OAK"' in home.get_data(as_text=True)
    code = "gauge pizza fortune fix round unlock"
    follow = client.post("/follow-up", data={"code": code})
    assert follow.status_code == 503
    assert "couldn&#39;t check your code just now" in follow.get_data(as_text=True)
    added = client.post("/follow-up", data={"code": code, "body": "It happened again"})
    assert added.status_code == 503
    assert "It happened again</textarea>" in added.get_data(as_text=True)
    server.start()
    assert client.post("/", data={"code": "OAK"}).status_code == 302
