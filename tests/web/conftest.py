"""Fixtures shared by the web tests: a school, its DSL (and a client signed in as them), a
colleague, and a case the DSL has opened (signed in)."""

from __future__ import annotations

import pytest

from tests.factories import sign_in


@pytest.fixture
def school(make):
    return make.school("oak")


@pytest.fixture
def dsl(make, school):
    return make.user(school, "dsl")


@pytest.fixture
def dsl_client(client, dsl):
    """The test client, signed in as the DSL."""
    sign_in(client, dsl)
    return client


@pytest.fixture
def colleague(make, school):
    return make.user(school, "staff")


@pytest.fixture
def case_url(client, dsl, make, school):
    sign_in(client, dsl)
    report = make.report(school).report
    return client.post(f"/staff/triage/reports/{report.public_id}/open-case").headers["Location"]
