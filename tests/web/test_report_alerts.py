"""On the report page: who was alerted, escalations, time to acknowledge, and the DSL's own
urgency decision with its reason, audited and on the report's history."""

from __future__ import annotations

import html
import re

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.jobs.escalate import escalate_due
from schoolsafe.models import AlertRoute, AuditEvent, Report, TimelineEvent
from tests.factories import sign_in


def text_of(response) -> str:
    """The page as a reader sees it: tags removed, entities decoded, spaces collapsed."""
    page = re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))
    return re.sub(r"\s+", " ", html.unescape(page))


def pupil_reports(client, slug: str, **answers) -> Report:
    response = client.post(f"/tell/{slug}", data={"about": "self", "choices": ["rumours"],
                                                  **answers})
    assert response.status_code == 200
    return db.session.scalar(select(Report).order_by(Report.id.desc()))


def test_the_page_shows_the_alerts_the_escalation_and_then_the_time_to_acknowledge(
        client, make):
    school = make.school("oak")
    lead = make.user(school, "dsl", email="lead@oak.example.org")
    db.session.add(AlertRoute(school_id=school.id, email="deputy@oak.example.org", tier=2))
    db.session.commit()
    report = pupil_reports(client, "oak", danger_now="y")
    escalate_due(report.next_escalation_at)
    sign_in(client, lead)

    page = text_of(client.get(f"/staff/triage/reports/{report.public_id}"))
    assert "Alert to lead@oak.example.org: sent." in page
    assert ("Not acknowledged after 15 minutes. Alerted the next people on the list (tier 2): "
            "deputy@oak.example.org.") in page
    assert "Still-waiting alert to deputy@oak.example.org: sent." in page
    assert "Unless someone acknowledges it, the next people" in page

    client.post(f"/staff/triage/reports/{report.public_id}/acknowledge")
    page = text_of(client.get(f"/staff/triage/reports/{report.public_id}"))
    assert re.search(r"Time to acknowledge: (less than a minute|\d+ minutes?) ?\.", page)
    assert "Unless someone acknowledges it" not in page


def test_a_dsl_raises_the_urgency_with_a_reason_and_it_is_audited_and_shown(client, make):
    school = make.school("oak")
    lead = make.user(school, "dsl")
    report = pupil_reports(client, "oak")
    assert (report.urgency, report.next_escalation_at) == ("standard", None)
    sign_in(client, lead)

    response = client.post(f"/staff/triage/reports/{report.public_id}/urgency", data={
        "level": "immediate", "reason": "The pupil's form tutor says she has not come home."})
    assert response.status_code == 302
    db.session.refresh(report)
    assert (report.urgency, report.urgency_rank) == ("immediate", 0)
    assert report.next_escalation_at is not None  # now on the 15-minute clock
    page = text_of(client.get(f"/staff/triage/reports/{report.public_id}"))
    assert "Reason: The pupil's form tutor says she has not come home." in page
    assert (f"{lead.name}: Urgency changed from standard to immediate. Reason: The pupil's "
            f"form tutor says she has not come home.") in page
    event = db.session.scalar(select(TimelineEvent).where(
        TimelineEvent.kind == "urgency_override"))
    assert (event.report_id, event.actor_id) == (report.id, lead.id)
    audited = db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "urgency_override"))
    assert (audited.user_id, audited.record_id) == (lead.id, report.public_id)
    assert "form tutor" not in audited.record_id + audited.action  # never the content


def test_lowering_the_urgency_stops_escalation(client, make):
    school = make.school("oak")
    lead = make.user(school, "dsl")
    report = pupil_reports(client, "oak", danger_now="y")
    assert report.next_escalation_at is not None
    sign_in(client, lead)
    client.post(f"/staff/triage/reports/{report.public_id}/urgency", data={
        "level": "medium", "reason": "Spoke to the pupil: the danger was last month."})
    db.session.refresh(report)
    assert (report.urgency, report.next_escalation_at) == ("medium", None)


def test_an_override_without_a_reason_is_refused_and_keeps_the_choice(client, make):
    school = make.school("oak")
    lead = make.user(school, "dsl")
    report = pupil_reports(client, "oak")
    sign_in(client, lead)
    response = client.post(f"/staff/triage/reports/{report.public_id}/urgency",
                           data={"level": "high", "reason": "   "})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Write down why you are changing the urgency." in page
    assert '<option value="high" selected>' in page
    db.session.refresh(report)
    assert report.urgency == "standard"
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "urgency_override")) is None


def test_another_schools_dsl_cannot_change_the_urgency(client, make):
    oak, elm = make.school("oak"), make.school("elm")
    make.user(oak, "dsl")
    report = pupil_reports(client, "oak")
    sign_in(client, make.user(elm, "dsl"))
    response = client.post(f"/staff/triage/reports/{report.public_id}/urgency",
                           data={"level": "immediate", "reason": "x"})
    assert response.status_code == 404
    db.session.refresh(report)
    assert report.urgency == "standard"
