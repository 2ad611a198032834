"""Error pages speak to whoever is reading: staff keep their menu and a way back to their
work; pupils keep their layout and the quick exit."""

from __future__ import annotations

import re

import pytest

from tests.factories import sign_in


def links(page: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', page)


@pytest.mark.parametrize(("role", "url", "method", "status", "home"), [
    ("dsl", "/staff/triage/reports/no-such-report", "get", 404, "/staff/triage/"),
    ("staff", "/staff/admin/", "get", 403, "/staff/concerns/"),
    ("dsl", "/staff/triage/reports/x/acknowledge", "get", 405, "/staff/triage/"),
])
def test_a_staff_error_page_has_the_staff_menu_and_leads_to_the_staff_home(
        client, make, school, role, url, method, status, home):
    sign_in(client, make.user(school, role))
    response = getattr(client, method)(url)
    page = response.get_data(as_text=True)
    assert response.status_code == status
    assert 'aria-label="Staff"' in page and "Sign out" in page
    assert home in links(page) and "Go to your staff home page" in page
    assert "/" not in links(page)  # never the pupils' start page
    assert "quick-exit" not in page


def test_a_pupil_error_page_keeps_the_pupil_layout_and_quick_exit(client, school):
    response = client.get("/no-such-page")
    page = response.get_data(as_text=True)
    assert response.status_code == 404
    assert 'id="quick-exit"' in page and "Leave this site quickly" in page
    assert "/" in links(page) and "Go to the start page" in page
    assert "staff" not in page.lower()
