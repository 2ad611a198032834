"""A case is at least as urgent as its most urgent open report, unless a DSL sets its level
with a reason; the report's urgency form starts at the report's level and says what went wrong
at the top."""

from __future__ import annotations

import re

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Case, ChecklistItem, TimelineEvent
from tests.factories import sign_in
from tests.web.test_report_alerts import pupil_reports, text_of


def high_case(client, make):
    """A pupil's report (high: an adult is involved) opened as a case by a signed-in DSL."""
    school = make.school("oak")
    lead = make.user(school, "dsl")
    report = pupil_reports(client, "oak", adult_involved="y")
    sign_in(client, lead)
    client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    db.session.refresh(report)
    case = db.session.get(Case, report.case_id)
    return report, case, lead


def raise_report(client, report, level="immediate"):
    return client.post(f"/staff/triage/reports/{report.public_id}/urgency",
                       data={"level": level, "reason": "She has not come home tonight."})


def test_a_report_raised_to_immediate_raises_its_case(client, make):
    report, case, _ = high_case(client, make)
    assert case.urgency == "high"
    assert raise_report(client, report).status_code == 302
    db.session.refresh(case)
    assert (case.urgency, case.urgency_rank) == ("immediate", 0)
    # An immediate case needs its refer-now step.
    assert db.session.scalar(select(ChecklistItem).where(
        ChecklistItem.case_id == case.id, ChecklistItem.refer_now.is_(True))) is not None
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "urgency_override", AuditEvent.record_id == case.public_id))


def test_a_dsl_sets_the_case_level_with_a_reason_and_it_is_shown_audited_and_recorded(client,
                                                                                    make):
    report, case, lead = high_case(client, make)
    url = f"/staff/triage/cases/{case.public_id}"
    refused = client.post(f"{url}/urgency", data={"urgency_level": "medium",
                                                  "urgency_reason": " "})
    assert refused.status_code == 400
    assert "Write down why you are setting the case's urgency." in text_of(refused)
    client.post(f"{url}/urgency", data={"urgency_level": "medium",
                                        "urgency_reason": "The adult is her older cousin, 18."})
    db.session.refresh(case)
    assert case.urgency == "medium"
    page = text_of(client.get(url))
    assert ("Set by a safeguarding lead; its reports and facts called for high when it was "
            "set. Reason: The adult is her older cousin, 18.") in page
    assert db.session.scalar(select(AuditEvent).where(
        AuditEvent.action == "urgency_override", AuditEvent.record_id == case.public_id,
        AuditEvent.user_id == lead.id))
    # A report raised above what the reports called for ends the DSL's lower level.
    raise_report(client, report)
    db.session.refresh(case)
    assert (case.urgency, case.urgency_override) == ("immediate", "")
    texts = list(db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.case_id == case.id)))
    assert any("no longer holds: the case now calls for immediate" in t for t in texts)


def test_the_case_can_follow_its_reports_again(client, make):
    _, case, _ = high_case(client, make)
    url = f"/staff/triage/cases/{case.public_id}/urgency"
    client.post(url, data={"urgency_level": "standard", "urgency_reason": "Dealt with."})
    client.post(url, data={"urgency_level": ""})
    db.session.refresh(case)
    assert (case.urgency, case.urgency_override) == ("high", "")


def test_the_report_urgency_form_starts_at_the_reports_level(client, make):
    report, _, _ = high_case(client, make)
    page = client.get(f"/staff/triage/reports/{report.public_id}").get_data(as_text=True)
    form = page[page.index('id="urgency-level"'):]
    assert re.search(r'<option value="high" selected>', form)
    assert '<option value="immediate" selected>' not in form


def test_a_refused_urgency_change_is_summarised_at_the_top_of_the_page(client, make):
    report, _, _ = high_case(client, make)
    response = client.post(f"/staff/triage/reports/{report.public_id}/urgency",
                           data={"level": "medium", "reason": ""})
    assert response.status_code == 400
    page = response.get_data(as_text=True)
    summary = re.search(r'<div class="problem" role="alert" id="urgency-problem">(.*?)</div>',
                        page, re.S)
    assert summary and "Write down why you are changing the urgency." in summary.group(1)
    assert 'href="#urgency-reason"' in summary.group(1)
    assert page.index("urgency-problem") < page.index('id="urgency-level"')
    # At the top of the page, as every other form's summary is: straight after the heading.
    assert page.index("<h1>") < page.index("urgency-problem") < page.index("<h2")
