"""Fixtures shared by the casework web tests: a school, its DSL, a colleague, and a case the
DSL has opened (signed in)."""

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
def colleague(make, school):
    return make.user(school, "staff")


@pytest.fixture
def case_url(client, dsl, make, school):
    sign_in(client, dsl)
    report = make.report(school).report
    return client.post(f"/staff/triage/reports/{report.public_id}/open-case").headers["Location"]
