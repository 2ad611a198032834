"""The browser harness itself: axe really fails on a broken page, and nothing leaves the machine."""

from __future__ import annotations

import pytest

from tests.browser.conftest import axe_check

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("js", [True, False], ids=["javascript on", "javascript off"])
def test_axe_check_fails_on_a_page_with_an_unlabelled_box(new_page, live_make, js):
    slug = live_make.school().slug  # the live database is shared: every name must be new
    page = new_page(js=js)
    page.goto(f"/tell/{slug}")
    # "Your own words" is folded away on the form as first shown: open it so axe reads the box.
    page.evaluate("() => { document.getElementById('own-words').open = true;"
                  " document.querySelector('label[for=narrative]').remove(); }")
    with pytest.raises(AssertionError, match=r"(?s)label \(critical\).*#narrative"):
        axe_check(page)


def test_requests_to_other_sites_are_answered_here_and_recorded(page, live_server):
    page.goto("https://example.org/anything")
    assert page.title() == "Weather"
    assert page.context.offsite == ["https://example.org/anything"]
    page.goto("/")
    assert page.context.visited[0] == f"{live_server.url}/"
