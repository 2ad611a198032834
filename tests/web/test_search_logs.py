"""A search's words - a child's name typed by a DSL - reach no access log: gunicorn's and the
development server's request lines keep the path and leave out the query string."""

from __future__ import annotations

import logging

import pytest

from schoolsafe.security.privacy import ScrubAddresses
from tests.web.test_reset_logs import Browser, start_gunicorn

pytestmark = pytest.mark.slow
SEARCH = "/staff/triage/pupils?q=Maisie+Adebayo-Clarke"


def test_a_search_through_gunicorn_leaves_the_name_out_of_the_access_log(tmp_path):
    server, port, _ = start_gunicorn(tmp_path)
    try:
        status, _, landed = Browser(port).get(SEARCH)
        assert landed.endswith("/staff/sign-in") or "/staff/sign-in?" in landed
    finally:
        server.stop()
    access = (tmp_path / "access.log").read_text()
    assert '"GET /staff/triage/pupils HTTP/1.1" 302' in access  # the request is logged...
    assert "Maisie" not in access and "Adebayo" not in access  # ...without its words


def test_the_development_servers_request_line_loses_its_query_string():
    record = logging.LogRecord(
        "werkzeug", logging.INFO, __file__, 1,
        '127.0.0.1 - - [05/Dec/2026 12:00:00] "GET %s HTTP/1.1" 302 -', (SEARCH,), None)
    ScrubAddresses().filter(record)
    assert record.getMessage() == '"GET /staff/triage/pupils HTTP/1.1" 302 -'
