"""Hours an administrator sets decide what happens out of hours: the pupil is told when staff
will read the report, with the 24-hour help, and an immediate report reaches on call at once."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import OutboxMessage
from schoolsafe.models.base import utcnow
from tests.factories import sign_in


def closed_today(client) -> str:
    """Open only tomorrow (school time), so the school is closed now; return that day's name."""
    tomorrow = (utcnow().replace(tzinfo=ZoneInfo("UTC")).astimezone(ZoneInfo("Europe/London"))
                + timedelta(days=1))
    response = client.post("/staff/admin/hours", data={
        "timezone": "Europe/London", "start": "08:00", "end": "16:30",
        "days": [str(tomorrow.isoweekday())], "ack_minutes_immediate": "15",
        "ack_minutes_high": "60"})
    assert response.status_code == 302
    return tomorrow.strftime("%A")


def test_out_of_hours_the_pupil_hears_when_staff_are_back_and_on_call_is_alerted(client, make):
    school = make.school("oak")
    make.user(school, "dsl", email="lead@oak.example.org")
    sign_in(client, make.user(school, "admin"))
    client.post("/staff/admin/routing/add", data={
        "email": "oncall@oak.example.org", "tier": "2", "min_urgency": "immediate",
        "on_call": "y"})
    closed_today(client)
    client.post("/staff/sign-out")

    page = client.post("/tell/oak", data={"about": "self", "choices": ["threats"],
                                          "danger_now": "y"}).get_data(as_text=True)
    assert "The staff who read these are not at school right now." in page
    assert "They will read what you told us tomorrow at 8:00am." in page
    assert "0800 1111" in page  # Childline, day and night
    told = list(db.session.scalars(select(OutboxMessage.to_addresses)
                                   .order_by(OutboxMessage.id)))
    assert told == ["lead@oak.example.org", "oncall@oak.example.org"]

    client.post("/tell/oak", data={"about": "self", "choices": ["rumours"]})
    told = list(db.session.scalars(select(OutboxMessage.to_addresses)
                                   .order_by(OutboxMessage.id)))
    assert told[2:] == ["lead@oak.example.org"]  # not urgent: nobody is called out
