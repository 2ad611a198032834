"""Escalation from a new report to acknowledgement, driven by a controlled clock.

Each `escalate_due(now)` is what `flask escalate` (cron) or a scheduled RQ job runs at that
moment. Jobs run in-process here, so each alert is "sent" into the outbox folder at once.
5 January 2026 is a Monday; London is on UTC in January.
"""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.jobs.escalate import escalate, escalate_due
from schoolsafe.jobs.intake import queue_new_report_alerts
from schoolsafe.jobs.mail import deliver_outbox
from schoolsafe.models import AlertRoute, OutboxMessage, TimelineEvent, User
from schoolsafe.services.reports import triage

MONDAY_10AM = datetime(2026, 1, 5, 10, 0)
IMMEDIATE = {"factors": frozenset({"danger_now"})}
HIGH = {"factors": frozenset({"adult_involved"})}


@pytest.fixture
def school(make):
    """A school with a DSL on tier 1, a deputy on tier 2, the head (immediate only) on 3."""
    school = make.school()
    make.user(school, "dsl", email="lead@oak.example.org")
    deputy = make.user(school, "dsl", email="deputy@oak.example.org")
    db.session.add_all([
        AlertRoute(school_id=school.id, user_id=deputy.id, tier=2, min_urgency="high"),
        AlertRoute(school_id=school.id, email="head@oak.example.org", tier=3,
                   min_urgency="immediate"),
        AlertRoute(school_id=school.id, email="oncall@oak.example.org", tier=2, on_call=True,
                   min_urgency="immediate"),
    ])
    db.session.commit()
    return school


def new_report(make, school, now, **fields):
    report = make.report(school, **fields).report
    report.received_at = now
    queue_new_report_alerts(report, school, now=now)
    db.session.commit()
    return report


def told(since_id: int = 0) -> list[tuple[str, str]]:
    """(purpose, address) of every email after since_id, in order."""
    return [(m.purpose, m.to_addresses) for m in db.session.scalars(
        select(OutboxMessage).where(OutboxMessage.id > since_id).order_by(OutboxMessage.id))]


def last_id() -> int:
    return db.session.scalar(select(OutboxMessage.id).order_by(OutboxMessage.id.desc())) or 0


def history(report) -> list[str]:
    return list(db.session.scalars(
        select(TimelineEvent.text).where(TimelineEvent.report_id == report.id,
                                         TimelineEvent.kind == "escalation")
        .order_by(TimelineEvent.id)))


def test_an_unacknowledged_immediate_report_climbs_the_ladder_then_keeps_reminding(
        make, school):
    report = new_report(make, school, MONDAY_10AM, **IMMEDIATE)
    assert told() == [("alert", "lead@oak.example.org")]
    assert report.next_escalation_at == MONDAY_10AM + timedelta(minutes=15)

    assert escalate_due(MONDAY_10AM + timedelta(minutes=14, seconds=59)) == 0
    mark = last_id()
    assert escalate_due(MONDAY_10AM + timedelta(minutes=15)) == 1
    assert told(mark) == [("escalation", "deputy@oak.example.org"),
                          ("escalation", "oncall@oak.example.org")]
    mark = last_id()
    escalate_due(MONDAY_10AM + timedelta(minutes=30))
    assert told(mark) == [("escalation", "head@oak.example.org")]
    mark = last_id()
    escalate_due(MONDAY_10AM + timedelta(minutes=45))
    assert sorted(a for _, a in told(mark)) == [
        "deputy@oak.example.org", "head@oak.example.org", "lead@oak.example.org",
        "oncall@oak.example.org"]
    assert history(report) == [
        "Not acknowledged after 15 minutes. Alerted the next people on the list (tier 2): "
        "deputy@oak.example.org, oncall@oak.example.org.",
        "Not acknowledged after 30 minutes. Alerted the next people on the list (tier 3): "
        "head@oak.example.org.",
        "Still not acknowledged after 45 minutes. Reminded: lead@oak.example.org, "
        "deputy@oak.example.org, oncall@oak.example.org, head@oak.example.org.",
    ]
    assert report.next_escalation_at == MONDAY_10AM + timedelta(minutes=60)


def test_acknowledging_stops_escalation_and_alerts_not_yet_sent(make, school, app):
    report = new_report(make, school, MONDAY_10AM, **IMMEDIATE)
    app.config["OUTBOX_DIR"] = "/nonexistent/outbox"  # sending fails: alerts stay pending
    escalate_due(MONDAY_10AM + timedelta(minutes=15))
    waiting = db.session.scalars(select(OutboxMessage).where(
        OutboxMessage.purpose == "escalation")).all()
    assert {m.state for m in waiting} == {"pending"}

    lead = db.session.scalar(select(User).where(User.email == "lead@oak.example.org"))
    assert triage.acknowledge(report, lead.id, MONDAY_10AM + timedelta(minutes=20))
    db.session.commit()
    mark = last_id()
    assert escalate_due(MONDAY_10AM + timedelta(hours=5)) == 0
    assert told(mark) == []
    for message in waiting:
        assert deliver_outbox(message.id) == "cancelled"
    assert {m.state for m in waiting} == {"cancelled"}


def test_running_twice_at_the_same_moment_escalates_once(make, school):
    report = new_report(make, school, MONDAY_10AM, **IMMEDIATE)
    due = MONDAY_10AM + timedelta(minutes=15)
    mark = last_id()
    assert escalate(report.id, due) is not None
    assert escalate(report.id, due) is None
    assert escalate_due(due) == 0
    assert len(told(mark)) == 2
    assert len(history(report)) == 1


def test_a_high_report_escalates_after_an_hour_to_those_who_asked_for_high(make, school):
    new_report(make, school, MONDAY_10AM, **HIGH)
    mark = last_id()
    escalate_due(MONDAY_10AM + timedelta(minutes=59))
    assert told(mark) == []
    escalate_due(MONDAY_10AM + timedelta(hours=1))
    assert told(mark) == [("escalation", "deputy@oak.example.org")]  # head: immediate only


def test_a_high_report_after_school_waits_for_the_morning(make, school):
    late = new_report(make, school, datetime(2026, 1, 5, 16, 0), **HIGH)
    mark = last_id()
    assert escalate_due(datetime(2026, 1, 5, 17, 0)) == 0  # school has closed
    assert told(mark) == []
    assert late.next_escalation_at == datetime(2026, 1, 6, 9, 0)  # 08:00 start + 60 minutes
    assert escalate_due(datetime(2026, 1, 6, 8, 59)) == 0
    escalate_due(datetime(2026, 1, 6, 9, 0))
    assert told(mark) == [("escalation", "deputy@oak.example.org")]


def test_out_of_hours_an_immediate_report_reaches_on_call_at_once(make, school):
    saturday_night = datetime(2026, 1, 10, 23, 30)
    new_report(make, school, saturday_night, **IMMEDIATE)
    assert told() == [("alert", "lead@oak.example.org"), ("alert", "oncall@oak.example.org")]
    mark = last_id()
    new_report(make, school, saturday_night, **HIGH)
    assert told(mark) == [("alert", "lead@oak.example.org")]  # high: no on-call call-out


def test_medium_and_standard_reports_never_escalate(make, school):
    report = new_report(make, school, MONDAY_10AM, choices=("nude_shared",))
    assert report.urgency == "medium" and report.next_escalation_at is None
    mark = last_id()
    assert escalate_due(MONDAY_10AM + timedelta(days=3)) == 0
    assert told(mark) == []


def test_an_escalation_email_says_how_long_and_how_urgent_and_nothing_else(make, school):
    report = new_report(make, school, MONDAY_10AM, **IMMEDIATE, reporter_name="Alex Smith",
                        narrative="Jordan has the video and says he will post it at nine")
    escalate_due(MONDAY_10AM + timedelta(minutes=15))
    email = db.session.scalar(select(OutboxMessage).where(
        OutboxMessage.purpose == "escalation", OutboxMessage.to_addresses ==
        "deputy@oak.example.org"))
    assert email.subject == "schoolsafe: a report is still waiting"
    assert "has not been acknowledged by anyone, 15 minutes after it arrived" in email.body
    assert "Urgency: Immediate" in email.body
    assert f"/staff/triage/reports/{report.public_id}" in email.body
    for private in ("Alex", "Smith", "Jordan", "video", "nine", school.name):
        assert private not in email.subject + email.body
