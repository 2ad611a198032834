"""Stored UTC times in a school's own zone, without Flask."""

from __future__ import annotations

from datetime import UTC, datetime

from schoolsafe.services.local_time import shown, to_zone

SUMMER = datetime(2025, 6, 11, 10, 0)


def test_a_summer_time_is_an_hour_on_in_london_and_two_in_stockholm():
    assert shown(SUMMER, "Europe/London") == "11 Jun 2025 11:00"
    assert shown(SUMMER, "Europe/Stockholm") == "11 Jun 2025 12:00"
    assert to_zone(SUMMER, "Europe/London").utcoffset().total_seconds() == 3600


def test_a_winter_time_in_london_is_the_utc_hour():
    assert shown(datetime(2025, 1, 15, 10, 0), "Europe/London") == "15 Jan 2025 10:00"


def test_nothing_stays_nothing_and_a_bad_zone_name_falls_back_to_utc():
    assert to_zone(None, "Europe/London") is None
    assert shown(None, "Europe/London") == ""
    for bad in ("Europe/Atlantis", "", None, "../etc/passwd"):
        assert to_zone(SUMMER, bad) == SUMMER.replace(tzinfo=UTC)
        assert shown(SUMMER, bad) == "11 Jun 2025 10:00"


def test_a_time_that_already_has_a_zone_is_converted_not_relabelled():
    aware = datetime(2025, 6, 11, 12, 0, tzinfo=to_zone(SUMMER, "Europe/Stockholm").tzinfo)
    assert shown(aware, "Europe/London") == "11 Jun 2025 11:00"
