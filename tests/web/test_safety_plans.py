"""A safety and support plan per child on a case: written for two children, printed, every
version kept, the review date a task, and nothing typed lost when something is missing."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Case, CaseTask, SafetyPlan
from tests.factories import sign_in


@pytest.fixture
def case_url(client, dsl, make, school):
    sign_in(client, dsl)
    report = make.report(school).report
    url = client.post(f"/staff/triage/reports/{report.public_id}/open-case").headers["Location"]
    client.post(f"{url}/people", data={"label": "Sara K.", "role": "harmed"})
    client.post(f"{url}/people", data={"label": "Jay B.", "role": "alleged"})
    return url


def children():
    return db.session.scalar(select(Case)).people


def audits(action: str) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == action))


def test_plans_for_two_children_are_printed_together(client, case_url, dsl):
    sara, jay = children()
    client.post(f"{case_url}/plan", data={
        "person": sara.id, "risks": "Jay is in her science set.",
        "measures": "Separate science sets; she can go to Ms Ahmed at any break.",
        "responsible": "Head of science; Ms Ahmed"})
    client.post(f"{case_url}/plan", data={
        "person": jay.id, "risks": "Harmful sexual behaviour: may repeat it online.",
        "measures": "Supervised lunch times; weekly check-in.", "responsible": "Mr Lee",
        "review_on": "2031-01-09", "task_assignee": dsl.public_id})
    printed = client.get(f"{case_url}/plan/print").get_data(as_text=True)
    assert "Sara K. (Harmed)" in printed and "Jay B. (Alleged to have done it)" in printed
    assert "Separate science sets; she can go to Ms Ahmed at any break." in printed
    assert "Supervised lunch times; weekly check-in." in printed and "09 Jan 2031" in printed
    assert "Confidential: safeguarding record." in printed
    assert (audits("safety_plan"), audits("print_safety_plan")) == (2, 1)
    [review] = db.session.scalars(select(CaseTask)).all()
    assert (review.source, review.due_on.isoformat(), review.assignee_id) == (
        "safety_plan", "2031-01-09", dsl.id)


def test_a_new_version_keeps_the_old_one_visible(client, case_url):
    sara = children()[0]
    for measures in ("Separate science sets.", "Separate science sets and lunch times."):
        client.post(f"{case_url}/plan", data={"person": sara.id, "risks": "Same set.",
                                              "measures": measures, "responsible": "Mr Lee"})
    page = client.get(f"{case_url}/plan").get_data(as_text=True)
    assert "Version 2, written by" in page and "Earlier versions (1)" in page
    assert "Separate science sets.</dd>" in page
    assert "Separate science sets and lunch times.</dd>" in page
    assert db.session.scalar(select(func.count()).select_from(SafetyPlan)) == 2
    assert audits("view_safety_plan") == 1


def test_a_plan_missing_its_measures_comes_back_with_what_was_typed(client, case_url):
    jay = children()[1]
    refused = client.post(f"{case_url}/plan", data={
        "person": jay.id, "risks": "May message her again at night.", "measures": "",
        "responsible": "Mr Lee"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Please write the measures in place." in page
    assert "May message her again at night.</textarea>" in page
    assert db.session.scalar(select(func.count()).select_from(SafetyPlan)) == 0


def test_a_child_with_a_plan_stays_on_the_case(client, case_url):
    sara = children()[0]
    client.post(f"{case_url}/plan", data={"person": sara.id, "risks": "Same set.",
                                          "measures": "Separate sets.", "responsible": "Mr Lee"})
    refused = client.post(f"{case_url}/people/remove", data={"person": sara.id})
    assert refused.status_code == 400
    assert "has a safety plan" in refused.get_data(as_text=True)
    assert len(children()) == 2
