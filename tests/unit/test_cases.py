"""Case services without a browser: references, facts, suggestions, people, work, chronology."""

from __future__ import annotations

from datetime import date, datetime

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import OnlineAccount, Report, TimelineEvent
from schoolsafe.services.audit.case_trail import action_label
from schoolsafe.services.cases import chronology
from schoolsafe.services.cases import opening as cases
from schoolsafe.services.cases import people as case_people
from schoolsafe.services.cases import work as case_work
from schoolsafe.services.register.linking import Place
from schoolsafe.services.reports import triage

NOW = datetime(2026, 3, 2, 9, 30)


@pytest.fixture
def school(make):
    return make.school("oak")


@pytest.fixture
def dsl(make, school):
    return make.user(school, "dsl")


def new_case(make, school, dsl, **report_fields):
    report = make.report(school, **report_fields).report
    case = cases.open_case(db.session, report, dsl.id, now=NOW)
    db.session.commit()
    return case, report


def events(case) -> list[tuple[str, str]]:
    return [(e.kind, e.text) for e in db.session.scalars(
        select(TimelineEvent).where(TimelineEvent.case_id == case.id).order_by(TimelineEvent.id))]


def test_references_count_up_per_school_and_carry_the_year(make, school):
    elm = make.school("elm")
    assert cases.next_reference(db.session, school.id, 2026) == "C-2026-0001"
    assert cases.next_reference(db.session, school.id, 2027) == "C-2027-0002"
    assert cases.next_reference(db.session, elm.id, 2026) == "C-2026-0001"
    db.session.commit()
    db.session.refresh(school)
    assert school.case_counter == 2


def test_a_case_takes_the_reports_facts_and_its_urgency(make, school, dsl):
    case, report = new_case(make, school, dsl, choices=("fake_profile",),
                            factors=frozenset({"known_vulnerable"}))
    assert case.reference == "C-2026-0001" and case.opened_at == NOW
    assert case.categories == ["sexualised_bullying"] and case.factors == ["known_vulnerable"]
    assert case.urgency == "high" and case.urgency_rank == 1
    assert report.status == "acknowledged" and report.acknowledged_by_id == dsl.id


def test_a_case_is_never_less_urgent_than_its_most_urgent_report(make, school, dsl):
    # "fake_profile" makes the report medium; the case's own categories alone would be standard.
    case, _ = new_case(make, school, dsl, choices=("fake_profile",))
    case_work.set_details(db.session, case, dsl.id, title="", categories=[], factors=[],
                          posted_by="")
    assert case.urgency == "medium"


def test_adding_a_report_merges_categories_and_factors(make, school, dsl):
    case, _ = new_case(make, school, dsl, choices=("rumours",))
    second = make.report(school, choices=("nude_shared",), factors=frozenset({"self_harm"})).report
    cases.add_report(db.session, case, second, dsl.id)
    assert case.categories == ["sharing_images", "sexualised_bullying"]
    assert case.factors == ["self_harm"] and case.urgency == "immediate"


def test_a_report_of_another_school_can_never_join(make, school, dsl):
    case, _ = new_case(make, school, dsl)
    stranger = make.report(make.school("elm")).report
    with pytest.raises(ValueError, match="own school"):
        cases.add_report(db.session, case, stranger, dsl.id)


def test_suggestions_by_account_alias_and_name_but_not_from_other_schools(make, school, dsl):
    by_account, _ = new_case(make, school, dsl, places=(Place("instagram", "@oak_gossip"),))
    by_alias, _ = new_case(make, school, dsl, places=(Place("instagram", "@oak_gossip_2"),))
    by_name, _ = new_case(make, school, dsl)
    case_people.add_person(db.session, by_name, dsl.id, label="Kim Lee", year_group="",
                           role="harmed")
    elm = make.school("elm")
    elm_report = make.report(elm, places=(Place("instagram", "@oak_gossip"),)).report
    cases.open_case(db.session, elm_report, dsl.id)
    accounts = {a.display: a for a in db.session.scalars(
        select(OnlineAccount).where(OnlineAccount.school_id == school.id))}
    group = accounts["@oak_gossip"].id
    accounts["@oak_gossip"].alias_group_id = accounts["@oak_gossip_2"].alias_group_id = group
    db.session.commit()
    report = make.report(school, reporter_name=" KIM  lee ",
                         places=(Place("instagram", "instagram.com/oak_gossip"),)).report
    found = {s.case.reference: s.reasons for s in cases.suggestions(db.session, report)}
    assert found == {
        by_account.reference: ("Same online account: @oak_gossip",),
        by_alias.reference: ("Same online account: @oak_gossip_2",),
        by_name.reference: ("Same name: Kim Lee",),
    }


def test_a_report_is_not_suggested_its_own_case(make, school, dsl):
    case, report = new_case(make, school, dsl, places=(Place("tiktok", "@someone"),))
    assert cases.suggestions(db.session, report) == []


def test_a_role_change_touches_one_person_on_one_case(make, school, dsl):
    first, _ = new_case(make, school, dsl)
    second, _ = new_case(make, school, dsl)
    sam = case_people.add_person(db.session, first, dsl.id, label="Sam", year_group="9",
                                 role="alleged")
    jo = case_people.add_person(db.session, first, dsl.id, label="Jo", year_group="",
                                role="alleged")
    other_sam = case_people.add_person(db.session, second, dsl.id, label="Sam", year_group="9",
                                       role="alleged")
    db.session.flush()
    case_people.change_role(db.session, first, sam, "harmed", dsl.id)
    assert (sam.role, jo.role, other_sam.role) == ("harmed", "alleged", "alleged")
    with pytest.raises(case_people.PersonNotFound):
        case_people.person_on_case(db.session, first, str(other_sam.id))
    with pytest.raises(case_people.PersonNotFound):
        case_people.person_on_case(db.session, first, "1 OR 1=1")


@pytest.mark.parametrize(("fields", "field", "message"), [
    ({"label": " ", "role": "harmed"}, "label", "Please say who this is"),
    ({"label": "A", "role": "victim"}, "role", "choose this person's role"),
    ({"label": "A" * 121, "role": "harmed"}, "label", "under 120"),
    ({"label": "A", "role": "harmed", "date_of_birth": "2012-02-30"}, "date_of_birth",
     "date of birth wasn't understood"),
])
def test_a_person_needs_a_description_and_a_known_role(make, school, dsl, fields, field, message):
    case, _ = new_case(make, school, dsl)
    with pytest.raises(cases.CaseError, match=message) as raised:
        case_people.add_person(db.session, case, dsl.id, year_group="", **fields)
    assert raised.value.field == field


def test_a_date_of_birth_is_kept(make, school, dsl):
    case, _ = new_case(make, school, dsl)
    person = case_people.add_person(db.session, case, dsl.id, label="A", year_group="Year 7",
                                    role="harmed", date_of_birth="2013-05-01")
    assert person.date_of_birth == date(2013, 5, 1)
    assert events(case)[-1] == ("person", "Added A (Year 7) as: Harmed.")


def test_closing_needs_a_known_outcome_and_a_reason_and_closes_reports(make, school, dsl):
    case, report = new_case(make, school, dsl)
    with pytest.raises(cases.CaseError, match="choose the outcome"):
        case_work.close(db.session, case, dsl.id, "sorted", "Because.")
    with pytest.raises(cases.CaseError, match="say why"):
        case_work.close(db.session, case, dsl.id, "resolved", "  \n ")
    case_work.close(db.session, case, dsl.id, "duplicate", "Same as C-2026-0003.", now=NOW)
    assert (case.status, case.outcome, case.closed_at) == ("closed", "duplicate", NOW)
    assert report.status == "closed"
    with pytest.raises(cases.CaseError, match="already closed"):
        case_work.close(db.session, case, dsl.id, "resolved", "Again.")


def test_status_refuses_unknown_repeated_and_closed(make, school, dsl):
    case, _ = new_case(make, school, dsl)
    for status, message in (("archived", "from the list"), ("new", "already new"),
                            ("closed", "give the outcome")):
        with pytest.raises(cases.CaseError, match=message):
            case_work.set_status(db.session, case, status, dsl.id)
    case_work.set_status(db.session, case, "referred", dsl.id)
    assert events(case)[-1] == ("status", "Status changed from New to Referred.")


def test_assignment_only_to_active_dsls_of_the_school(make, school, dsl):
    case, _ = new_case(make, school, dsl)
    gone = make.user(school, "dsl")
    gone.active = False
    db.session.commit()
    with pytest.raises(cases.CaseError, match="safeguarding lead of this school"):
        case_work.assign(db.session, case, gone.public_id, dsl.id)
    with pytest.raises(cases.CaseError, match="not assigned to anyone"):
        case_work.assign(db.session, case, "", dsl.id)
    case_work.assign(db.session, case, dsl.public_id, dsl.id)
    with pytest.raises(cases.CaseError, match="already assigned"):
        case_work.assign(db.session, case, dsl.public_id, dsl.id)
    case_work.assign(db.session, case, "", dsl.id)
    assert case.assigned_to_id is None
    assert [t for k, t in events(case) if k == "assign"] == [
        f"Assigned to {dsl.name}.", "No longer assigned to anyone."]


def test_details_record_only_what_changed(make, school, dsl):
    case, _ = new_case(make, school, dsl, choices=("rumours",))
    with pytest.raises(cases.CaseError, match="Nothing was changed"):
        case_work.set_details(db.session, case, dsl.id, title="", posted_by="",
                              categories=["sexualised_bullying"], factors=[])
    with pytest.raises(cases.CaseError, match="wasn't recognised"):
        case_work.set_details(db.session, case, dsl.id, title="", posted_by="",
                              categories=["gossip"], factors=[])
    case_work.set_details(db.session, case, dsl.id, title="", posted_by="yes",
                          categories=["sexualised_bullying"], factors=[])
    assert case.posted_by_known is True
    assert events(case)[-1] == ("facts", "Who posted it: known. Urgency now standard.")


def test_decisions_not_to_refer_need_a_recipient_and_a_reason(make, school, dsl):
    case, _ = new_case(make, school, dsl, factors=frozenset({"under_13"}))
    assert case_work.refer_now_reasons(case) == ["A child under 13 is involved"]
    with pytest.raises(cases.CaseError, match="not being referred to"):
        case_work.record_decision_not_to_refer(db.session, case, dsl.id, "mum", "x")
    case_work.record_decision_not_to_refer(db.session, case, dsl.id, "social_care",
                                           "Family already supported.")
    assert events(case)[-1] == ("decision", "Decided not to refer to children's social care. "
                                "Reason: Family already supported.")


def test_chronology_merges_reports_messages_and_events_in_time_order(make, school, dsl):
    case, report = new_case(make, school, dsl)
    report.received_at = datetime(2026, 3, 1, 8, 0)
    chronology.add_note(db.session, case, dsl.id, "First note")
    db.session.commit()
    found = chronology.entries(db.session, case)
    assert [e.kind for e in found] == ["report", "action", "note"]
    assert found[0].who == "Pupil" and found[0].from_pupil
    assert found[2].who == dsl.name and not found[2].from_pupil


@pytest.mark.parametrize(("text", "parts"), [
    ("no links here", [("no links here", False)]),
    ("see https://x.example/a?b=1 now", [("see ", False), ("https://x.example/a?b=1", True),
                                         (" now", False)]),
    ("www.example.org", [("www.example.org", True)]),
    ("on instagram.com/@page_x.", [("on ", False), ("instagram.com/@page_x.", True)]),
    ("@just_a_handle", [("@just_a_handle", False)]),
])
def test_link_segments(text, parts):
    assert chronology.segments(text) == parts
    assert "".join(part for part, _ in parts) == text


def test_queue_filters_from_a_query_string():
    filters = triage.filters_from({"status": "bogus", "urgency": "high", "category": "nope",
                                   "from": "2026-02-30", "to": "2026-03-01", "q": "  a   b "})
    assert (filters.status, filters.urgency, filters.category) == ("open", "high", "")
    assert filters.received_from is None and filters.received_to == date(2026, 3, 1)
    assert filters.search == "a b" and len(filters.problems) == 1


def test_unknown_audit_actions_still_read_as_words():
    assert action_label("open_case") == "Opened the case"
    assert action_label("export_csv") == "Export csv"


def test_queue_rows_carry_the_case_and_assignee(make, school, dsl):
    case, report = new_case(make, school, dsl)
    case_work.assign(db.session, case, dsl.public_id, dsl.id)
    db.session.commit()
    page = triage.queue(db.session, school.id)
    assert [(r.report.id, r.case_reference, r.assignee_name) for r in page.rows] == [
        (report.id, case.reference, dsl.name)]
    assert db.session.get(Report, report.id).case_id == case.id
