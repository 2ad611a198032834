"""Escalation rules with a controlled clock: deadlines, school hours, the ladder and its words.

Times are UTC in January, when London is on UTC too; 5 January 2026 is a Monday.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from schoolsafe.services.alerts.escalation import Step, describe, due_at, plan, waited_text
from schoolsafe.services.alerts.routing import Route, Routing

MONDAY = datetime(2026, 1, 5)


def school(**changes):
    """The stored school fields escalation reads, with the model's defaults."""
    fields = {"timezone": "Europe/London", "hours_start": "08:00", "hours_end": "16:30",
              "open_days": [1, 2, 3, 4, 5], "ack_minutes_immediate": 15, "ack_minutes_high": 60}
    return SimpleNamespace(**{**fields, **changes})


def at(day: int, hour: int, minute: int = 0) -> datetime:
    """A time in the week of MONDAY (day 0 = Monday)."""
    return MONDAY + timedelta(days=day, hours=hour, minutes=minute)


@pytest.mark.parametrize(("urgency", "now", "expected"), [
    ("immediate", at(0, 10), at(0, 10, 15)),
    ("immediate", at(0, 22), at(0, 22, 15)),  # any hour: on call is told out of hours
    ("immediate", at(5, 3), at(5, 3, 15)),  # Saturday night too
    ("high", at(0, 10), at(0, 11)),
    ("high", at(0, 16), at(0, 17)),  # due after closing: escalate() defers it then
    ("high", at(0, 22), at(1, 9)),  # at night the hour starts when staff start, 08:00
    ("high", at(0, 7, 59), at(0, 9)),
    ("high", at(4, 17), at(7, 9)),  # Friday evening waits for Monday
    ("medium", at(0, 10), None),
    ("standard", at(0, 10), None),
])
def test_each_urgency_gets_its_deadline(urgency, now, expected):
    assert due_at(urgency, school(), now) == expected


def test_the_schools_own_waiting_times_and_hours_are_used():
    custom = school(ack_minutes_immediate=5, ack_minutes_high=30, hours_start="07:30",
                    open_days=[1, 2, 3, 4, 5, 6])
    assert due_at("immediate", custom, at(0, 10)) == at(0, 10, 5)
    assert due_at("high", custom, at(4, 20)) == at(5, 8)  # open on Saturday from 07:30


def test_hours_are_read_in_the_schools_time_zone():
    # 16:00 UTC in June is 17:00 in London: closed, so a high report waits for 08:00 BST.
    june_monday = datetime(2026, 6, 1, 16)
    assert due_at("high", school(), june_monday) == datetime(2026, 6, 2, 8)


ROUTING = Routing((Route("lead@s.org", 1), Route("deputy@s.org", 2, min_urgency="high"),
                   Route("head@s.org", 3, min_urgency="immediate")), ("lead@s.org",))


def report(urgency: str, tier: int, categories=("coercion",)):
    return SimpleNamespace(urgency=urgency, alert_tier=tier,
                           category_codes=list(categories))


@pytest.mark.parametrize(("urgency", "tier", "expected"), [
    ("immediate", 1, Step(2, ("deputy@s.org",))),
    ("immediate", 2, Step(3, ("head@s.org",))),
    ("immediate", 3, Step(3, ("lead@s.org", "deputy@s.org", "head@s.org"), reminder=True)),
    ("high", 1, Step(2, ("deputy@s.org",))),
    ("high", 2, Step(2, ("lead@s.org", "deputy@s.org"), reminder=True)),
])
def test_the_next_step_climbs_the_ladder_then_reminds_everyone(urgency, tier, expected):
    assert plan(ROUTING, report(urgency, tier)) == expected


def test_with_nobody_above_tier_one_the_dsls_are_reminded():
    assert plan(Routing((), ("lead@s.org",)), report("immediate", 1)) == Step(
        1, ("lead@s.org",), reminder=True)


@pytest.mark.parametrize(("step", "waited", "text"), [
    (Step(2, ("deputy@s.org", "head@s.org")), timedelta(minutes=15),
     "Not acknowledged after 15 minutes. Alerted the next people on the list (tier 2): "
     "deputy@s.org, head@s.org."),
    (Step(2, ("lead@s.org",), reminder=True), timedelta(minutes=75),
     "Still not acknowledged after 1 hour 15 minutes. Reminded: lead@s.org."),
    (Step(1, (), reminder=True), timedelta(minutes=30),
     "Not acknowledged after 30 minutes, and the routing list has nobody to alert. An "
     "administrator needs to fix the school's routing."),
])
def test_each_escalation_is_described_in_plain_words(step, waited, text):
    assert describe(step, waited) == text


@pytest.mark.parametrize(("waited", "text"), [
    (timedelta(seconds=40), "less than a minute"),
    (timedelta(minutes=1), "1 minute"),
    (timedelta(minutes=15, seconds=59), "15 minutes"),
    (timedelta(hours=1), "1 hour"),
    (timedelta(hours=2, minutes=1), "2 hours 1 minute"),
    (timedelta(days=1, hours=3, minutes=20), "1 day 3 hours"),
    (timedelta(days=3), "3 days"),
    (timedelta(seconds=-5), "less than a minute"),
])
def test_waits_read_naturally(waited, text):
    assert waited_text(waited) == text
