"""A case's audit trail for its DSL, and tenancy: another school's DSL reaches none of it."""

from __future__ import annotations

import re

from flask import current_app
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Case, CasePerson, Report
from tests.factories import sign_in


def open_case(client, report) -> Case:
    response = client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    public_id = response.headers["Location"].rsplit("/", 1)[1]
    return db.session.scalar(select(Case).where(Case.public_id == public_id))


def audit_rows(page: str) -> list[list[str]]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [[re.sub(r"\s+", " ", cell).strip() for cell in re.findall(r"<td>(.*?)</td>", row)]
            for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)]


def test_the_dsl_sees_who_did_what_and_when_on_the_case_and_its_reports(client, make, school,
                                                                         dsl):
    deputy = make.user(school, "dsl")
    report = make.report(school, narrative="Private words").report
    sign_in(client, dsl)
    client.get(f"/staff/triage/reports/{report.public_id}")
    case = open_case(client, report)
    client.post(f"/staff/triage/cases/{case.public_id}/notes", data={"body": "Private note"})
    client.post("/staff/sign-out")
    sign_in(client, deputy)
    client.get(f"/staff/triage/cases/{case.public_id}")
    page = client.get(f"/staff/triage/cases/{case.public_id}/audit").get_data(as_text=True)
    rows = audit_rows(page)
    received = f"Report received {report.received_at:%d %b %Y %H:%M}"
    assert [row[1:] for row in rows] == [
        [deputy.name, "Viewed", f"Case {case.reference}"],
        [dsl.name, "Added a note", f"Case {case.reference}"],
        [dsl.name, "Added a report", received],
        [dsl.name, "Opened the case", f"Case {case.reference}"],
        [dsl.name, "Viewed", received],
    ]
    assert all(re.fullmatch(r"\d\d \w{3} \d{4} \d\d:\d\d", row[0]) for row in rows)
    assert "Private note" not in page and "Private words" not in page


def test_opening_the_audit_trail_is_itself_audited(client, make, school, dsl):
    sign_in(client, dsl)
    case = open_case(client, make.report(school).report)
    client.get(f"/staff/triage/cases/{case.public_id}/audit")
    page = client.get(f"/staff/triage/cases/{case.public_id}/audit").get_data(as_text=True)
    assert audit_rows(page)[0][2] == "Viewed the audit trail"


def test_audit_rows_hold_ids_never_content(client, make, school, dsl):
    sign_in(client, dsl)
    case = open_case(client, make.report(school, narrative="Sensitive narrative").report)
    client.post(f"/staff/triage/cases/{case.public_id}/people",
                data={"label": "Sensitive Person", "role": "harmed"})
    rows = db.session.scalars(select(AuditEvent).where(
        AuditEvent.record_type.in_(("case", "report")))).all()
    assert {r.action for r in rows} == {"open_case", "add_report", "add_person"}
    report_id = db.session.scalar(select(Report.public_id))
    assert {(r.record_type, r.record_id) for r in rows} == {
        ("case", case.public_id), ("report", report_id)}


# Every workspace route that takes a report or case id, with the form it would be sent.
REPORT_ROUTES = [("GET", "report", {}), ("POST", "acknowledge", {}),
                 ("POST", "reply", {"body": "hello"}), ("POST", "open_case", {}),
                 ("POST", "add_to_case", {"case": "{own_case}"}),
                 ("POST", "link_earlier", {"earlier": "{own_report}"})]
CASE_ROUTES = [("GET", "case", {}), ("GET", "case_audit_trail", {}),
               ("POST", "add_person", {"label": "X", "role": "harmed"}),
               ("POST", "add_reader", {"reader": "x"}),
               ("POST", "person_role", {"person": "{person}", "role": "alleged"}),
               ("POST", "remove_person", {"person": "{person}"}),
               ("POST", "details", {"title": "x", "posted_by": "yes"}),
               ("POST", "note", {"body": "x"}), ("POST", "status", {"status": "open"}),
               ("POST", "assign", {"assignee": ""}), ("POST", "review", {"review_on": ""}),
               ("POST", "urgency_level", {"urgency_level": ""}),
               ("POST", "decision", {"not_referred_to": "police", "decision_reason": "x"}),
               ("POST", "close", {"outcome": "resolved", "outcome_reason": "x"}),
               ("POST", "parents", {"person": "{person}", "told": "no", "why_not": "x"}),
               ("POST", "person_link", {"person": "{person}", "pupil": "x"}),
               ("POST", "person_unlink", {"person": "{person}"}),
               ("POST", "person_from_report", {"pupil": "x", "role": "harmed"})]


def test_the_tenancy_table_covers_every_id_route_of_the_workspace(app):
    ours = {rule.endpoint.split(".", 1)[1] for rule in current_app.url_map.iter_rules()
            if rule.endpoint.startswith("triage.") and "public_id" in rule.arguments
            and current_app.view_functions[rule.endpoint].__module__ in (
                "schoolsafe.triage.views", "schoolsafe.triage.cases")}
    assert ours == {name for _, name, _ in REPORT_ROUTES + CASE_ROUTES}


def _fill(data: dict, values: dict) -> dict:
    return {k: v.format(**values) for k, v in data.items()}


def _call(client, method: str, endpoint: str, public_id: str, data: dict):
    from flask import url_for

    with current_app.test_request_context():
        path = url_for(f"triage.{endpoint}", public_id=public_id)
    return client.get(path) if method == "GET" else client.post(path, data=data)


def test_a_dsl_of_another_school_gets_not_found_on_every_report_and_case_route(client, make,
                                                                               school, dsl):
    sign_in(client, dsl)
    report = make.report(school, narrative="Oak's own words").report
    case = open_case(client, report)
    client.post(f"/staff/triage/cases/{case.public_id}/people",
                data={"label": "Oak pupil", "role": "harmed"})
    loose_report = make.report(school).report
    client.post("/staff/sign-out")
    elm = make.school("elm")
    sign_in(client, make.user(elm, "dsl"))
    own_report = make.report(elm).report
    own_case = open_case(client, own_report)
    values = {"own_case": own_case.public_id, "own_report": own_report.public_id,
              "person": str(db.session.scalar(select(CasePerson.id)))}
    before = db.session.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()))
    for method, endpoint, data in REPORT_ROUTES:
        response = _call(client, method, endpoint, loose_report.public_id, _fill(data, values))
        assert response.status_code == 404, endpoint
        assert "Oak" not in response.get_data(as_text=True)
    for method, endpoint, data in CASE_ROUTES:
        response = _call(client, method, endpoint, case.public_id, _fill(data, values))
        assert response.status_code == 404, endpoint
        assert "Oak" not in response.get_data(as_text=True)
    # Their own report cannot be pushed into our case either.
    theirs = make.report(elm).report
    assert client.post(f"/staff/triage/reports/{theirs.public_id}/add-to-case",
                       data={"case": case.public_id}).status_code == 404
    db.session.expire_all()
    assert loose_report.status == "new" and loose_report.case_id is None
    assert case.status == "new" and [p.label for p in case.people] == ["Oak pupil"]
    assert theirs.case_id is None
    assert db.session.scalars(select(AuditEvent).where(AuditEvent.id > before)).all() == []


def test_a_dsl_of_two_schools_cannot_mix_their_records(client, make, school, dsl):
    elm = make.school("elm")
    both = make.user(school, "dsl", email="both@example.org")
    make.user(elm, "dsl", email="both@example.org")
    sign_in(client, both)
    oak_case = open_case(client, make.report(school).report)
    elm_report = make.report(elm).report
    response = client.post(f"/staff/triage/reports/{elm_report.public_id}/add-to-case",
                           data={"case": oak_case.public_id})
    assert response.status_code == 404
    assert elm_report.case_id is None
    elm_dsl = make.user(elm, "dsl")
    response = client.post(f"/staff/triage/cases/{oak_case.public_id}/assign",
                           data={"assignee": elm_dsl.public_id})
    assert response.status_code == 400
