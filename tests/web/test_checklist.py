"""The checklist pages: a DSL works each step, sees who changed what, prints the list; nobody
from another school gets near it."""

from __future__ import annotations

import re
from html import unescape

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, ChecklistItem, TimelineEvent
from schoolsafe.services.cases import checklist as case_checklist
from tests.factories import sign_in
from tests.unit.test_case_checklist_stories import EW, add_case, sara


@pytest.fixture
def school(make):
    return make.school()


@pytest.fixture
def dsl(make, school):
    return make.user(school, "dsl")


@pytest.fixture
def case(school, dsl):
    made = sara(school, dsl)
    case_checklist.sync(db.session, made, EW, dsl.id)
    db.session.commit()
    return made


@pytest.fixture
def signed_in(client, dsl):
    sign_in(client, dsl)
    return client


def page_text(response) -> str:
    return unescape(re.sub(r"<[^>]+>", " ", response.get_data(as_text=True)))


def item(case, rule_id) -> ChecklistItem:
    return db.session.scalar(select(ChecklistItem).where(ChecklistItem.case_id == case.id,
                                                         ChecklistItem.rule_id == rule_id))


def audit_actions(case) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(
        AuditEvent.record_id == case.public_id).order_by(AuditEvent.id)))


def url(case, tail="") -> str:
    return f"/staff/triage/cases/{case.public_id}/checklist{tail}"


def test_the_checklist_page_lists_refer_now_first_and_is_audited(signed_in, case):
    response = signed_in.get(url(case))
    assert response.status_code == 200
    text = page_text(response)
    assert text.index("Refer now.") < text.index("Do not view, copy, print")
    assert "Report Remove" in text and "CEOP" in text
    assert "0 done, 0 not applicable" in text
    assert audit_actions(case) == ["view_checklist"]


def test_marking_a_step_done_shows_who_and_when_and_goes_in_the_chronology(signed_in, case,
                                                                              dsl):
    step = item(case, "report-remove")
    response = signed_in.post(url(case, f"/{step.id}"), data={"state": "done"})
    assert response.status_code == 302 and response.location.endswith(f"#item-{step.id}")
    text = page_text(signed_in.get(url(case)))
    assert re.search(rf"Done\s+-\s+{dsl.name},\s+\d\d \w+ \d{{4}} \d\d:\d\d", text)
    assert "1 done" in text
    event = db.session.scalars(select(TimelineEvent).where(
        TimelineEvent.case_id == case.id).order_by(TimelineEvent.id.desc())).first()
    assert event.kind == "checklist" and event.actor_id == dsl.id
    assert "update_checklist" in audit_actions(case)


def test_not_applicable_without_a_reason_is_refused_and_nothing_changes(signed_in, case):
    step = item(case, "iwf")
    response = signed_in.post(url(case, f"/{step.id}"), data={"state": "not_applicable",
                                                               "reason": " "})
    assert response.status_code == 400
    assert "Say why this step does not apply" in page_text(response)
    db.session.refresh(step)
    assert step.state == "open"


def test_a_refused_reason_comes_back_as_typed(signed_in, case):
    step = item(case, "iwf")
    typed = "Nothing illegal was seen " + "and more " * 130
    response = signed_in.post(url(case, f"/{step.id}"), data={"state": "not_applicable",
                                                               "reason": typed})
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert f'value="{typed}"' in html
    assert re.search(rf'id="state-{step.id}-not_applicable"[^>]*checked', html)


def test_a_reason_is_shown_with_the_step(signed_in, case):
    step = item(case, "iwf")
    signed_in.post(url(case, f"/{step.id}"), data={"state": "not_applicable",
                                                    "reason": "Police have it in hand"})
    assert "Not applicable" in page_text(signed_in.get(url(case)))
    assert "Reason: Police have it in hand" in page_text(signed_in.get(url(case)))


def test_making_the_checklist_for_a_case_without_one(signed_in, school, dsl):
    case = add_case(school, dsl, categories=["unwanted_sexualisation"], urgency="standard")
    db.session.commit()
    assert "Make the checklist" in page_text(signed_in.get(url(case)))
    response = signed_in.post(url(case), follow_redirects=True)
    text = page_text(response)
    added = len(case_checklist.items(db.session, case))
    assert f"{added} new steps added." in text and "True Vision" in text
    again = signed_in.post(url(case), follow_redirects=True)
    assert "already has every step" in page_text(again)


def test_the_print_view_has_every_step_and_state_but_no_forms(signed_in, case, dsl):
    step = item(case, "ceop")
    signed_in.post(url(case, f"/{step.id}"), data={"state": "done"})
    response = signed_in.get(url(case, "/print"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "<form" not in html.split('id="main"')[1]
    assert 'class="staff-header"' not in html
    text = page_text(response)
    assert f"Containment checklist: case {case.reference}" in text
    assert len(re.findall(r"To do", text)) == len(case_checklist.items(db.session, case)) - 1
    ceop_row = next(row for row in html.split("<tr") if "report to CEOP" in row)
    assert "<td>Done</td>" in ceop_row and f"<td>{dsl.name}, " in ceop_row
    assert "print_checklist" in audit_actions(case)


def test_the_case_page_shows_the_checklist_with_forms_that_come_back_to_it(signed_in, case):
    response = signed_in.get(f"/staff/triage/cases/{case.public_id}")
    text = page_text(response)
    assert "Containment checklist" in text and "Report Remove" in text
    step = item(case, "iwf")
    saved = signed_in.post(url(case, f"/{step.id}"), data={"state": "done", "back": "case"})
    assert saved.location.endswith(f"/staff/triage/cases/{case.public_id}#item-{step.id}")


@pytest.mark.parametrize("method, tail", [("get", ""), ("get", "/print"), ("post", ""),
                                          ("post", "/ITEM")])
def test_a_dsl_of_another_school_gets_404(client, make, case, method, tail):
    outsider = make.user(make.school(), "dsl")
    sign_in(client, outsider)
    tail = tail.replace("ITEM", str(item(case, "iwf").id))
    response = getattr(client, method)(url(case, tail), data={"state": "done"})
    assert response.status_code == 404
    assert item(case, "iwf").state == "open"


def test_an_item_of_another_case_is_404(signed_in, school, dsl, case):
    other = add_case(school, dsl)
    db.session.commit()
    response = signed_in.post(url(other, f"/{item(case, 'iwf').id}"), data={"state": "done"})
    assert response.status_code == 404


@pytest.mark.parametrize("role", ["staff", "admin"])
def test_staff_and_admins_cannot_open_a_checklist(client, make, school, case, role):
    sign_in(client, make.user(school, role))
    assert client.get(url(case)).status_code == 403
