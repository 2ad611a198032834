"""A DSL's urgency override: refused without a real change and a reason; otherwise it moves
the queue order and the escalation clock, and leaves a line on the report's history."""

from __future__ import annotations

from datetime import datetime, timedelta
from types import SimpleNamespace

import pytest

from schoolsafe.services.reports.urgency_override import (
    MAX_REASON,
    Override,
    OverrideError,
    override,
)

MONDAY_10AM = datetime(2026, 1, 5, 10, 0)
SCHOOL = SimpleNamespace(timezone="Europe/London", hours_start="08:00", hours_end="16:30",
                         open_days=[1, 2, 3, 4, 5], ack_minutes_immediate=15,
                         ack_minutes_high=60, language="en")


class Session:
    """Collects what the service adds; the override needs nothing else from a session."""

    def __init__(self) -> None:
        self.added: list[object] = []

    def add(self, row: object) -> None:
        self.added.append(row)


def report(urgency: str = "standard", acknowledged: bool = False) -> SimpleNamespace:
    return SimpleNamespace(id=7, school_id=3, case_id=None, urgency=urgency, urgency_rank=3,
                           urgency_override_reason="", next_escalation_at=None,
                           acknowledged_at=MONDAY_10AM if acknowledged else None)


@pytest.mark.parametrize(("choice", "field", "message"), [
    (Override("urgent", "Because"), "level", "Choose an urgency level."),
    (Override("standard", "Because"), "level", "already standard"),
    (Override("high", ""), "reason", "Write down why"),
    (Override("high", " \n\t "), "reason", "Write down why"),
    (Override("high", "x" * (MAX_REASON + 1)), "reason", "under 2000 characters"),
])
def test_an_override_needs_a_real_change_and_a_reason(choice, field, message):
    target, session = report(), Session()
    with pytest.raises(OverrideError) as refused:
        override(session, target, SCHOOL, choice, user_id=1, now=MONDAY_10AM)
    assert (refused.value.field, message in refused.value.message) == (field, True)
    assert target.urgency == "standard" and session.added == []


def test_raising_starts_the_escalation_clock_and_is_noted_with_the_reason():
    target, session = report(), Session()
    event = override(session, target, SCHOOL, Override("immediate", "  Not come home.  "),
                     user_id=9, now=MONDAY_10AM)
    assert (target.urgency, target.urgency_rank) == ("immediate", 0)
    assert target.urgency_override_reason == "Not come home."
    assert target.next_escalation_at == MONDAY_10AM + timedelta(minutes=15)
    assert session.added == [event]
    assert (event.kind, event.report_id, event.school_id, event.actor_id, event.at) == (
        "urgency_override", 7, 3, 9, MONDAY_10AM)
    assert event.text == "Urgency changed from standard to immediate. Reason: Not come home."


def test_lowering_stops_escalation():
    target = report("immediate")
    target.next_escalation_at = MONDAY_10AM
    override(Session(), target, SCHOOL, Override("medium", "Resolved with the pupil."), 9,
             MONDAY_10AM)
    assert (target.urgency, target.urgency_rank, target.next_escalation_at) == ("medium", 2, None)


def test_an_acknowledged_report_does_not_start_escalating_again():
    target = report("standard", acknowledged=True)
    override(Session(), target, SCHOOL, Override("immediate", "More came out."), 9, MONDAY_10AM)
    assert target.urgency == "immediate" and target.next_escalation_at is None
