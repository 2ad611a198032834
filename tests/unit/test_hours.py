"""School hours: open or closed, when staff are next reading, and the admin's settings."""

from __future__ import annotations

from datetime import datetime
from types import SimpleNamespace

import pytest

from schoolsafe.services.alerts import hours
from schoolsafe.services.alerts.hours import SchoolTimes, SettingsError

LONDON = hours.Hours.parse("Europe/London", "08:00", "16:30", [1, 2, 3, 4, 5])


@pytest.mark.parametrize(("now", "is_open"), [
    (datetime(2026, 1, 5, 7, 59), False),  # Monday before school
    (datetime(2026, 1, 5, 8, 0), True),
    (datetime(2026, 1, 5, 16, 29), True),
    (datetime(2026, 1, 5, 16, 30), False),
    (datetime(2026, 1, 10, 11, 0), False),  # Saturday
    (datetime(2026, 6, 1, 7, 30), True),  # 08:30 in London in summer
    (datetime(2026, 6, 1, 15, 45), False),  # 16:45 in London in summer
])
def test_open_is_judged_in_the_schools_own_time(now, is_open):
    assert hours.is_open(LONDON, now) is is_open


@pytest.mark.parametrize(("now", "opening", "words"), [
    (datetime(2026, 1, 5, 6, 0), datetime(2026, 1, 5, 8, 0), "today at 8:00am"),
    (datetime(2026, 1, 5, 20, 0), datetime(2026, 1, 6, 8, 0), "tomorrow at 8:00am"),
    (datetime(2026, 1, 9, 17, 0), datetime(2026, 1, 12, 8, 0), "on Monday at 8:00am"),
    (datetime(2026, 6, 5, 20, 0), datetime(2026, 6, 8, 7, 0), "on Monday at 8:00am"),
])
def test_when_staff_are_next_reading(now, opening, words):
    assert hours.next_open_utc(LONDON, now) == opening
    assert hours.staff_back_text(LONDON, now) == words


def test_during_hours_there_is_nothing_to_say_to_the_pupil():
    assert hours.staff_back_text(LONDON, datetime(2026, 1, 5, 10, 0)) is None


def times(**changes) -> SchoolTimes:
    fields = {"timezone": "Europe/London", "start": "08:00", "end": "16:30",
              "days": (1, 2, 3, 4, 5), "ack_minutes_immediate": 15, "ack_minutes_high": 60}
    return SchoolTimes(**{**fields, **changes})


def test_good_settings_are_stored_tidied():
    school = SimpleNamespace()
    hours.update_times(school, times(timezone="Europe/Brussels", start="7:45", end="15:05",
                                     days=(5, 1, 3, 3), ack_minutes_immediate=10,
                                     ack_minutes_high=45))
    assert vars(school) == {"timezone": "Europe/Brussels", "open_days": [1, 3, 5],
                            "hours_start": "07:45", "hours_end": "15:05",
                            "ack_minutes_immediate": 10, "ack_minutes_high": 45}


@pytest.mark.parametrize(("changes", "field", "message"), [
    ({"timezone": "Europe/Atlantis"}, "timezone", "Choose a time zone"),
    ({"timezone": "../etc/passwd"}, "timezone", "Choose a time zone"),
    ({"start": "8am"}, "start", "Type a time like 08:30"),
    ({"start": "24:00"}, "start", "Type a time like 08:30"),
    ({"end": "16:3"}, "end", "Type a time like 08:30"),
    ({"start": "16:30", "end": "08:00"}, "end", "must be later than the start"),
    ({"days": ()}, "days", "Tick at least one day"),
    ({"days": (0, 1)}, "days", "Tick at least one day"),
    ({"ack_minutes_immediate": 0}, "ack_minutes_immediate", "between 1 and 1440"),
    ({"ack_minutes_high": 1441}, "ack_minutes_high", "between 1 and 1440"),
    ({"ack_minutes_immediate": 90, "ack_minutes_high": 60}, "ack_minutes_immediate",
     "can't be given longer than high"),
])
def test_bad_settings_are_refused_and_nothing_is_changed(changes, field, message):
    school = SimpleNamespace()
    with pytest.raises(SettingsError) as refused:
        hours.update_times(school, times(**changes))
    assert refused.value.field == field
    assert message in refused.value.message
    assert vars(school) == {}
