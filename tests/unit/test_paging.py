"""Which page an address asks for: every list reads ?page= the same way."""

from __future__ import annotations

import pytest

from schoolsafe.services.paging import MAX_PAGE, below_first_page, page_number


@pytest.mark.parametrize(("text", "page"), [
    (None, 1), ("", 1), ("3", 3), (" 3 ", 3), ("007", 7), ("0", 1), ("-2", 1), ("abc", 1),
    ("²", 1), ("1.5", 1), ("9" * 20, MAX_PAGE), ("9" * 5000, MAX_PAGE),
])
def test_anything_not_a_page_is_page_one_and_a_huge_number_is_the_end(text, page):
    assert page_number(text) == page


@pytest.mark.parametrize(("text", "below"), [
    ("0", True), ("000", True), ("-2", True), (" -0 ", True), ("1", False), ("", False),
    (None, False), ("abc", False), ("-", False), ("--2", False), ("²", False),
])
def test_only_a_whole_number_below_one_is_below_the_first_page(text, below):
    assert below_first_page(text) is below
