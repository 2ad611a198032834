"""A case's prompts and state follow what the DSL does: a statutory referral answers the
refer-now banner and step and makes the case "Referred"; a note to POSH or another school does
neither; setting a review date ticks its step."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import ChecklistItem, TimelineEvent
from schoolsafe.services.cases import checklist as case_checklist
from tests.factories import sign_in
from tests.unit.test_case_checklist_stories import sara_with_checklist
from tests.unit.test_register_linking import case_for, named
from tests.web.test_referrals import draft, send

BANNER = "Guidance says to refer to the police or children's social care now"


@pytest.fixture
def school(make):
    return make.school(name="Kingsmead Academy")


@pytest.fixture
def case(school, dsl):
    return sara_with_checklist(school, dsl)


@pytest.fixture
def signed_in(client, dsl):
    sign_in(client, dsl)
    return client


def page_text(response) -> str:
    return " ".join(unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True))).split())


def step(case, rule_id: str) -> ChecklistItem:
    found = db.session.scalar(select(ChecklistItem).where(ChecklistItem.case_id == case.id,
                                                          ChecklistItem.rule_id == rule_id))
    db.session.refresh(found)
    return found


def chronology(case) -> list[str]:
    return list(db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.case_id == case.id).order_by(TimelineEvent.id)))


def case_page(client, case) -> str:
    return page_text(client.get(f"/staff/triage/cases/{case.public_id}"))


def test_a_police_referral_answers_the_refer_now_banner_and_ticks_the_refer_step(signed_in,
                                                                                 case):
    assert BANNER in case_page(signed_in, case)
    assert step(case, "refer-now").state == "open"
    referral = draft(signed_in, case, kind="police")
    assert send(signed_in, referral, to="cyber@police.example.org").status_code == 302
    text = case_page(signed_in, case)
    assert BANNER not in text
    assert "Referred: Local police on" in text
    refer = step(case, "refer-now")
    assert refer.state == "done"
    assert any(line.startswith("Checklist step marked done") and "statutory referral" in line
               for line in chronology(case))
    db.session.refresh(case)
    assert case.status == "referred"


def test_a_posh_note_leaves_the_case_status_and_the_refer_now_prompt_alone(signed_in, case):
    referral = draft(signed_in, case, kind="posh")
    assert send(signed_in, referral).status_code == 302
    db.session.refresh(case)
    assert case.status == "open"
    assert BANNER in case_page(signed_in, case)
    assert step(case, "refer-now").state == "open"
    sent = chronology(case)[-1]
    assert f'Subject: "{referral.subject}"' in sent
    assert "Left out: Pupils' names or labels" in sent
    assert "not a statutory referral, so the case stays open" in sent


def test_a_note_to_another_school_does_not_make_the_case_referred(signed_in, case):
    referral = draft(signed_in, case, kind="other_school")
    assert send(signed_in, referral, to="dsl@other-school.example.org").status_code == 302
    db.session.refresh(case)
    assert case.status == "open"


def test_setting_a_review_date_ticks_the_review_step(signed_in, case):
    assert step(case, "review-date").state == "open"
    response = signed_in.post(f"/staff/triage/cases/{case.public_id}/review",
                              data={"review_on": "2031-05-01"})
    assert response.status_code == 302
    assert step(case, "review-date").state == "done"
    assert "Ticked by itself: a review date was set." in chronology(case)[-1]


def test_a_review_step_marked_not_applicable_keeps_that_decision(signed_in, case, dsl):
    case_checklist.mark(db.session, step(case, "review-date"), "not_applicable",
                        "Reviewed by the trust instead.", dsl.id)
    db.session.commit()
    signed_in.post(f"/staff/triage/cases/{case.public_id}/review",
                   data={"review_on": "2031-05-01"})
    assert step(case, "review-date").state == "not_applicable"


def test_the_case_page_counts_only_reports_outside_the_case(make, client, school, dsl):
    reports = [named(make, school, ("instagram", "@slags_of_birmingham_xx")) for _ in range(4)]
    case = case_for(school, *reports)
    sign_in(client, dsl)
    text = case_page(client, case)
    assert "Also named in" not in text
    assert "Not named anywhere else at this school yet." in text
    named(make, school, ("instagram", "@slags_of_birmingham_xx"))
    text = case_page(client, case)
    assert "Also named in 1 other report outside this case and 0 other cases" in text


@pytest.mark.parametrize("kind", ["police", "ceop", "social_care"])
def test_a_statutory_draft_carries_the_date_of_birth_recorded_on_the_case(signed_in, case,
                                                                          kind):
    added = signed_in.post(f"/staff/triage/cases/{case.public_id}/people",
                           data={"label": "Mia Patel", "year_group": "Year 7",
                                 "role": "harmed", "date_of_birth": "2013-03-04"})
    assert added.status_code == 302
    assert "- Mia Patel, Year 7, born 4 March 2013: " in draft(signed_in, case, kind=kind).body


def test_a_posh_draft_leaves_the_date_of_birth_out(signed_in, case):
    signed_in.post(f"/staff/triage/cases/{case.public_id}/people",
                   data={"label": "Mia Patel", "year_group": "Year 7", "role": "harmed",
                         "date_of_birth": "2013-03-04"})
    body = draft(signed_in, case, kind="posh").body
    assert "2013" not in body and "Mia Patel" not in body
