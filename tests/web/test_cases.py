"""Cases: opening from a report, joining reports, suggestions, people, details, status, closing."""

from __future__ import annotations

import re

from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Case, CasePerson, Report, TimelineEvent
from schoolsafe.models.base import utcnow
from schoolsafe.services.register.linking import Place
from tests.factories import sign_in

YEAR = utcnow().year


def open_case(client, report) -> Case:
    response = client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    assert response.status_code == 302
    public_id = response.headers["Location"].rsplit("/", 1)[1]
    return db.session.scalar(select(Case).where(Case.public_id == public_id))


def case_page(client, case) -> str:
    return client.get(f"/staff/triage/cases/{case.public_id}").get_data(as_text=True)


def chronology(session, case) -> list[tuple[str, str]]:
    return [(e.kind, e.text) for e in session.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.id))]


def test_opening_a_case_numbers_it_per_school_and_acknowledges_the_report(dsl_client, make,
                                                                          school):
    first = make.report(school, choices=("nude_shared",)).report
    second = make.report(school, factors=frozenset({"adult_involved"})).report
    case = open_case(dsl_client, first)
    assert case.reference == f"C-{YEAR}-0001"
    assert open_case(dsl_client, second).reference == f"C-{YEAR}-0002"
    assert first.status == "acknowledged" and first.acknowledged_at is not None
    assert first.case_id == case.id
    assert case.categories == ["sharing_images"] and case.urgency == "medium"
    page = case_page(dsl_client, case)
    assert f"Case C-{YEAR}-0001" in page
    assert "Opened case" in page


def test_each_school_has_its_own_case_numbers(client, make, school):
    elm = make.school("elm")
    elm_dsl = make.user(elm, "dsl")
    sign_in(client, elm_dsl)
    assert open_case(client, make.report(elm).report).reference == f"C-{YEAR}-0001"
    client.post("/staff/sign-out")
    sign_in(client, make.user(school, "dsl"))
    assert open_case(client, make.report(school).report).reference == f"C-{YEAR}-0001"


def test_a_report_already_in_a_case_cannot_open_another(dsl_client, make, school):
    report = make.report(school).report
    open_case(dsl_client, report)
    response = dsl_client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    assert response.status_code == 400
    assert "already part of a case" in response.get_data(as_text=True)
    assert len(db.session.scalars(select(Case)).all()) == 1


def test_a_report_joins_an_existing_case_and_the_case_grows_to_fit(dsl_client, make, school):
    case = open_case(dsl_client, make.report(school, choices=("rumours",)).report)
    later = make.report(school, choices=("threats",), factors=frozenset({"threats"})).report
    response = dsl_client.post(f"/staff/triage/reports/{later.public_id}/add-to-case",
                               data={"case": case.public_id})
    assert response.status_code == 302
    db.session.refresh(case)
    assert later.case_id == case.id and later.status == "acknowledged"
    assert set(case.categories) == {"sexualised_bullying", "coercion"}
    assert case.urgency == "high" and "threats" in case.factors
    page = case_page(dsl_client, case)
    assert page.count('href="/staff/triage/reports/') >= 2
    assert "Added the report received" in page


def test_adding_to_a_closed_case_is_refused_with_a_reason(dsl_client, make, school):
    case = open_case(dsl_client, make.report(school).report)
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/close",
                    data={"outcome": "resolved", "outcome_reason": "Spoken to both pupils."})
    report = make.report(school).report
    response = dsl_client.post(f"/staff/triage/reports/{report.public_id}/add-to-case",
                               data={"case": case.public_id})
    assert response.status_code == 400
    assert "is closed. Reopen it first" in response.get_data(as_text=True)
    assert report.case_id is None


def test_report_page_suggests_cases_sharing_an_account(dsl_client, make, school):
    earlier = make.report(school, places=(Place("instagram", "@oak_confessions"),)).report
    case = open_case(dsl_client, earlier)
    unrelated = open_case(dsl_client, make.report(school).report)
    newer = make.report(school, places=(
        Place("instagram", "https://instagram.com/Oak_Confessions"),)).report
    page = dsl_client.get(f"/staff/triage/reports/{newer.public_id}").get_data(as_text=True)
    suggestions = page.split("Cases that may be about the same thing")[1]
    assert case.reference in suggestions
    assert "Same online account: @oak_confessions" in suggestions
    assert unrelated.reference not in suggestions.split("Or add it to another open case")[0]


def test_report_page_suggests_cases_naming_the_same_person_without_their_role(dsl_client, make,
                                                                             school):
    case = open_case(dsl_client, make.report(school).report)
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/people",
                    data={"label": "Sam Jones", "role": "alleged", "year_group": "Year 9"})
    newer = make.report(school, about="friend", friend_name="sam JONES").report
    page = dsl_client.get(f"/staff/triage/reports/{newer.public_id}").get_data(as_text=True)
    suggestions = page.split("Cases that may be about the same thing")[1]
    assert "Same name: Sam Jones" in suggestions and case.reference in suggestions
    assert "Alleged" not in suggestions  # a role on one case never follows the name elsewhere


def test_people_have_a_role_on_this_case_only(dsl_client, make, school):
    first = open_case(dsl_client, make.report(school).report)
    second = open_case(dsl_client, make.report(school).report)
    for case, role in ((first, "harmed"), (second, "alleged")):
        dsl_client.post(f"/staff/triage/cases/{case.public_id}/people",
                        data={"label": "Alex", "role": role})
    dsl_client.post(f"/staff/triage/cases/{first.public_id}/people",
                    data={"label": "Jo", "role": "harmed", "year_group": "Year 8"})
    alex = db.session.scalar(select(CasePerson).where(CasePerson.case_id == first.id,
                                                      CasePerson.label == "Alex"))
    response = dsl_client.post(f"/staff/triage/cases/{first.public_id}/people/role",
                               data={"person": str(alex.id), "role": "bystander"})
    assert response.status_code == 302
    roles = {(p.case_id, p.label): p.role for p in db.session.scalars(select(CasePerson))}
    assert roles == {(first.id, "Alex"): "bystander", (first.id, "Jo"): "harmed",
                     (second.id, "Alex"): "alleged"}
    assert ("person", "Alex: role changed from Harmed to Bystander.") in chronology(
        db.session, first)


def test_a_person_of_another_case_cannot_be_changed_through_this_one(dsl_client, make, school):
    first = open_case(dsl_client, make.report(school).report)
    second = open_case(dsl_client, make.report(school).report)
    dsl_client.post(f"/staff/triage/cases/{second.public_id}/people",
                    data={"label": "Alex", "role": "harmed"})
    alex = db.session.scalar(select(CasePerson))
    for action, data in (("role", {"role": "alleged"}), ("remove", {})):
        response = dsl_client.post(f"/staff/triage/cases/{first.public_id}/people/{action}",
                                   data={"person": str(alex.id), **data})
        assert response.status_code == 404
    db.session.refresh(alex)
    assert alex.role == "harmed"


def test_adding_a_person_without_a_role_keeps_what_was_typed(dsl_client, make, school):
    case = open_case(dsl_client, make.report(school).report)
    response = dsl_client.post(f"/staff/triage/cases/{case.public_id}/people",
                               data={"label": "Chris P", "year_group": "10B", "role": ""})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Please choose this person&#39;s role" in page
    assert 'value="Chris P"' in page and 'value="10B"' in page
    assert db.session.scalars(select(CasePerson)).all() == []


def test_removing_a_person_keeps_them_in_the_chronology(dsl_client, make, school):
    case = open_case(dsl_client, make.report(school).report)
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/people",
                    data={"label": "Robin", "role": "shared"})
    robin = db.session.scalar(select(CasePerson))
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/people/remove",
                    data={"person": str(robin.id)})
    assert db.session.scalars(select(CasePerson)).all() == []
    assert "Removed Robin (Shared it)." in case_page(dsl_client, case)


def test_details_set_categories_factors_urgency_and_whether_the_poster_is_known(dsl_client,
                                                                              make, school):
    case = open_case(dsl_client, make.report(school, choices=("rumours",)).report)
    assert case.urgency == "standard"
    response = dsl_client.post(f"/staff/triage/cases/{case.public_id}/details", data={
        "title": "Bait-out page", "categories": ["sexualised_bullying", "sharing_images"],
        "factors": ["known_vulnerable"], "posted_by": "no"})
    assert response.status_code == 302
    db.session.refresh(case)
    assert case.title == "Bait-out page" and case.posted_by_known is False
    assert case.categories == ["sharing_images", "sexualised_bullying"]
    assert case.urgency == "high"
    page = case_page(dsl_client, case)
    assert "Who posted it: not known." in page and "Urgency now high." in page
    assert "Guidance says to refer to the police or children's social care now" not in page


def test_refer_now_factors_warn_and_a_decision_not_to_refer_needs_a_reason(dsl_client, make,
                                                                          school):
    case = open_case(dsl_client, make.report(school, factors=frozenset({"under_13"})).report)
    page = case_page(dsl_client, case)
    assert "Guidance says to refer to the police or children's social care now" in page
    response = dsl_client.post(f"/staff/triage/cases/{case.public_id}/decision",
                               data={"not_referred_to": "police", "decision_reason": " "})
    assert response.status_code == 400
    assert "Please give the reason for not referring." in response.get_data(as_text=True)
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/decision", data={
        "not_referred_to": "police", "decision_reason": "Both pupils 13; no coercion found."})
    assert ("decision", "Decided not to refer to the police. Reason: Both pupils 13; no "
            "coercion found.") in chronology(db.session, case)


def test_status_moves_and_closing_needs_an_outcome_and_reason(dsl_client, make, school):
    report = make.report(school).report
    case = open_case(dsl_client, report)
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/status", data={"status": "monitoring"})
    db.session.refresh(case)
    assert case.status == "monitoring"
    response = dsl_client.post(f"/staff/triage/cases/{case.public_id}/close",
                               data={"outcome": "resolved", "outcome_reason": ""})
    assert response.status_code == 400
    assert "Please say why the case is being closed." in response.get_data(as_text=True)
    response = dsl_client.post(f"/staff/triage/cases/{case.public_id}/close",
                               data={"outcome": "", "outcome_reason": "Page taken down."})
    page = response.get_data(as_text=True)
    assert "Please choose the outcome." in page and "Page taken down." in page
    db.session.refresh(case)
    assert case.status == "monitoring"
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/close",
                    data={"outcome": "resolved", "outcome_reason": "Page taken down."})
    db.session.refresh(case)
    db.session.refresh(report)
    assert case.status == "closed" and case.closed_at and case.outcome == "resolved"
    assert report.status == "closed"
    assert report.public_id not in dsl_client.get("/staff/triage/").get_data(as_text=True)


def test_closed_cannot_be_chosen_as_a_plain_status_and_reopening_reopens_reports(dsl_client,
                                                                               make, school):
    report = make.report(school).report
    case = open_case(dsl_client, report)
    response = dsl_client.post(f"/staff/triage/cases/{case.public_id}/status",
                               data={"status": "closed"})
    assert response.status_code == 400
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/close",
                    data={"outcome": "no_further_action", "outcome_reason": "Resolved."})
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/status", data={"status": "open"})
    db.session.refresh(case)
    db.session.refresh(report)
    assert case.status == "open" and case.closed_at is None and case.outcome == ""
    assert report.status == "acknowledged"
    texts = [text for _, text in chronology(db.session, case)]
    assert any(t.startswith("Closed. Outcome: No further action needed.") for t in texts)
    assert "Status changed from Closed to Open." in texts


def test_cases_are_assigned_only_to_dsls_of_the_same_school(dsl_client, make, school):
    case = open_case(dsl_client, make.report(school).report)
    deputy = make.user(school, "dsl")
    teacher = make.user(school, "staff")
    outsider = make.user(make.school("elm"), "dsl")
    for person in (teacher, outsider):
        response = dsl_client.post(f"/staff/triage/cases/{case.public_id}/assign",
                                   data={"assignee": person.public_id})
        assert response.status_code == 400
        assert "only be assigned to a safeguarding lead of this school" in response.get_data(
            as_text=True)
    page = case_page(dsl_client, case)
    assert outsider.name not in page
    # Any colleague can be given a task on the case, but only DSLs can be assigned it.
    choices = page[page.index('id="assignee"'):]
    assert teacher.name not in choices[:choices.index("</select>")]
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/assign",
                    data={"assignee": deputy.public_id})
    db.session.refresh(case)
    assert case.assigned_to_id == deputy.id
    assert f"Assigned to {deputy.name}." in case_page(dsl_client, case)


def test_review_date_is_set_and_a_bad_date_is_explained(dsl_client, make, school):
    case = open_case(dsl_client, make.report(school).report)
    response = dsl_client.post(f"/staff/triage/cases/{case.public_id}/review",
                               data={"review_on": "next tuesday"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "The review date wasn&#39;t understood" in page and 'value="next tuesday"' in page
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/review",
                    data={"review_on": "2026-09-14"})
    db.session.refresh(case)
    assert case.review_on.isoformat() == "2026-09-14"
    assert "Review date set to 14 Sep 2026." in case_page(dsl_client, case)


def test_case_list_shows_open_cases_with_filters(dsl_client, make, school, dsl):
    kept = open_case(dsl_client, make.report(school, factors=frozenset({"danger_now"})).report)
    closed = open_case(dsl_client, make.report(school).report)
    dsl_client.post(f"/staff/triage/cases/{closed.public_id}/close",
                    data={"outcome": "resolved", "outcome_reason": "Done."})
    dsl_client.post(f"/staff/triage/cases/{kept.public_id}/assign",
                    data={"assignee": dsl.public_id})
    page = dsl_client.get("/staff/triage/cases").get_data(as_text=True)
    assert listed(page) == [kept.public_id]
    assert f">{kept.reference}</a>" in page
    assert listed(dsl_client.get("/staff/triage/cases?status=closed").get_data(
        as_text=True)) == [closed.public_id]
    assert listed(dsl_client.get("/staff/triage/cases?status=all&assignee=none").get_data(
        as_text=True)) == [closed.public_id]


def listed(page: str) -> list[str]:
    """Public ids of the cases a list page links to, in order."""
    return re.findall(r'href="/staff/triage/cases/([^"/]+)"', page)


def test_every_change_is_audited_with_the_case_id_and_no_content(dsl_client, make, school, dsl):
    case = open_case(dsl_client, make.report(school).report)
    steps = [("people", {"label": "Secret Name", "role": "harmed"}),
             ("notes", {"body": "Secret note text"}),
             ("status", {"status": "open"}),
             ("assign", {"assignee": dsl.public_id}),
             ("review", {"review_on": "2026-10-01"}),
             ("details", {"title": "Secret title", "posted_by": "yes"}),
             ("decision", {"not_referred_to": "police", "decision_reason": "Secret reason"}),
             ("close", {"outcome": "resolved", "outcome_reason": "Secret outcome"})]
    for path, data in steps:
        assert dsl_client.post(f"/staff/triage/cases/{case.public_id}/{path}",
                               data=data).status_code == 302, path
    rows = db.session.scalars(select(AuditEvent).where(AuditEvent.record_type == "case")
                              .order_by(AuditEvent.id)).all()
    assert [r.action for r in rows] == ["open_case", "add_person", "note", "status", "assign",
                                        "review_date", "details", "decision", "close"]
    assert {(r.record_id, r.user_id, r.school_id) for r in rows} == {
        (case.public_id, dsl.id, school.id)}
    report = db.session.scalar(select(Report))
    assert [r.action for r in db.session.scalars(select(AuditEvent).where(
        AuditEvent.record_id == report.public_id).order_by(AuditEvent.id))] == ["add_report"]


def test_a_refused_change_is_not_audited(dsl_client, make, school):
    case = open_case(dsl_client, make.report(school).report)
    dsl_client.post(f"/staff/triage/cases/{case.public_id}/notes", data={"body": ""})
    actions = db.session.scalars(select(AuditEvent.action)).all()
    assert "note" not in actions


def test_opening_a_case_makes_its_checklist_and_new_facts_extend_it(client, make):
    from schoolsafe.models import Case, ChecklistItem
    from tests.factories import sign_in as real_sign_in

    school = make.school("oak")
    dsl = make.user(school, "dsl")
    report = make.report(school, choices=("rumours",)).report
    real_sign_in(client, dsl)
    client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    case = db.session.scalar(select(Case))
    first = set(db.session.scalars(select(ChecklistItem.rule_id).where(
        ChecklistItem.case_id == case.id)))
    assert first and "refer-now" not in " ".join(first)
    report2 = make.report(school, choices=("threats",), factors=frozenset({"threats"})).report
    client.post(f"/staff/triage/reports/{report2.public_id}/add-to-case",
                data={"case": case.public_id})
    items = db.session.scalars(select(ChecklistItem).where(ChecklistItem.case_id == case.id)).all()
    assert first < {i.rule_id for i in items}
    assert any(i.refer_now for i in items)
