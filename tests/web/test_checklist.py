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
from tests.unit.test_case_checklist_stories import add_case, sara_with_checklist


@pytest.fixture
def school(make):
    return make.school()


@pytest.fixture
def case(school, dsl):
    return sara_with_checklist(school, dsl)


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
    step_html = html.split(f'id="item-{step.id}"')[1].split("</li>")[0]
    assert '<details class="step-change" open>' in step_html


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


def step_forms(html: str, item_id: int) -> list[dict[str, str]]:
    """The forms of one step as a browser would send them: hidden fields and button text."""
    step = html.split(f'id="item-{item_id}"')[1].split("</li>")[0]
    forms = []
    for form in re.findall(r"<form.*?</form>", step, re.DOTALL):
        fields = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
        fields["button"] = " ".join(re.findall(r"<button[^>]*>([^<]+)</button>", form))
        fields["action"] = re.search(r'action="([^"]+)"', form).group(1)
        forms.append(fields)
    return forms


@pytest.mark.parametrize("page", ["checklist", "case"])
def test_done_is_one_button_per_step_that_comes_back_to_the_step(signed_in, case, page):
    address = url(case) if page == "checklist" else f"/staff/triage/cases/{case.public_id}"
    step = item(case, "iwf")
    forms = step_forms(signed_in.get(address).get_data(as_text=True), step.id)
    done = next(form for form in forms if form["button"] == "Mark done")
    assert done["state"] == "done"  # nothing to choose or expand first: the button is it
    response = signed_in.post(done.pop("action"), data=done)
    assert response.status_code == 302
    assert response.location.endswith(f"{address}#item-{step.id}")
    db.session.refresh(step)
    assert step.state == "done"
    # A done step offers the way back to "to do", again as one button.
    again = step_forms(signed_in.get(address).get_data(as_text=True), step.id)
    assert "Mark done" not in [form["button"] for form in again]
    assert {"state": "open", "button": "Mark to do again"}.items() <= next(
        form for form in again if form["state"] == "open").items()


def test_not_applicable_still_takes_a_reason_in_its_own_form(signed_in, case):
    step = item(case, "iwf")
    forms = step_forms(signed_in.get(url(case)).get_data(as_text=True), step.id)
    skip = next(form for form in forms if form["state"] == "not_applicable")
    assert skip["button"] == "Mark not applicable"
    response = signed_in.post(skip.pop("action"), data={**skip, "reason": "Police have it"})
    assert response.location.endswith(f"#item-{step.id}")
    db.session.refresh(step)
    assert (step.state, step.reason) == ("not_applicable", "Police have it")
