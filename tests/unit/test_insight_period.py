"""The insight date filter and the year-group folding of what pupils typed."""

from __future__ import annotations

from datetime import date, datetime

import pytest

from schoolsafe.services.insight.figures import duration
from schoolsafe.services.insight.labels import label, year_label
from schoolsafe.services.insight.period import Period, PeriodError, default_period, parse_period

TODAY = date(2025, 3, 14)


def test_empty_dates_mean_the_last_twelve_months_including_this_one():
    period = parse_period("", "  ", TODAY)
    assert period == Period(date(2024, 4, 1), TODAY) == default_period(TODAY)
    assert [m.key for m in period.months()][::11] == ["2024-04", "2025-03"]
    assert period.months()[0].label == "Apr 2024"


def test_the_end_date_is_included_up_to_midnight():
    period = parse_period("2025-01-31", "2025-02-01", TODAY)
    assert period.since == datetime(2025, 1, 31)
    assert period.until == datetime(2025, 2, 2)
    assert [m.key for m in period.months()] == ["2025-01", "2025-02"]


@pytest.mark.parametrize(("start", "end", "message"), [
    ("31/01/2025", "", "The start date isn't a date we recognise"),
    ("", "2025-02-30", "The end date isn't a date we recognise"),
    ("2025-03-01", "2025-02-01", "The start date is after the end date"),
    ("2023-01-01", "2025-01-01", "Please choose up to 24 months at a time"),
])
def test_dates_we_cannot_show_get_a_plain_message(start, end, message):
    with pytest.raises(PeriodError, match=message):
        parse_period(start, end, TODAY)


def test_twenty_four_months_is_allowed():
    assert len(parse_period("2023-04-01", "2025-03-31", TODAY).months()) == 24


@pytest.mark.parametrize(("typed", "shown"), [
    ("9B", "Year 9"), ("yr 10", "Year 10"), ("Y11", "Year 11"), ("year7", "Year 7"),
    ("Year 7 Mr Ash's form", "Year 7"), ("10X", "Year 10"), ("form 8", "Year 8"),
    ("Reception", "Reception"), ("sixth form", "Sixth form"), ("L6", "Sixth form"),
    ("grade 9", "Grade 9"), ("", "Not given"), ("   ", "Not given"),
    ("Mr Smith", "Another answer"), ("year 14", "Another answer"), ("99", "Another answer"),
    ("Amara Quist 9Q", "Another answer"),
])
def test_typed_year_answers_fold_into_fixed_labels(typed, shown):
    assert year_label(typed) == shown


def test_unknown_codes_are_tidied_rather_than_dropped():
    assert label("category", "coercion") == "Exploitation, coercion and threats"
    assert label("recipient", "youth_service") == "Youth service"


@pytest.mark.parametrize(("minutes", "text"), [
    (0.2, "under a minute"), (1, "1 minute"), (45, "45 minutes"), (60, "1 hour"),
    (61, "1 hour 1 minute"), (185, "3 hours 5 minutes"), (1440, "1 day"),
    (1440 * 2 + 250, "2 days 4 hours"),
])
def test_durations_read_as_words(minutes, text):
    assert duration(minutes) == text


def test_whole_months_run_from_the_first_to_the_last_day():
    assert Period(date(2025, 1, 5), date(2025, 2, 10)).whole_months() == Period(
        date(2025, 1, 1), date(2025, 2, 28))
    assert Period(date(2024, 12, 31), date(2024, 12, 31)).whole_months() == Period(
        date(2024, 12, 1), date(2024, 12, 31))
