"""Every staff form is saved once per submission: a second copy (a double tap, two tabs, going
back and sending again) creates nothing and says it was already saved."""

from __future__ import annotations

import re
from datetime import timedelta
from html import unescape

import pytest
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import (
    AlertRoute,
    AuditEvent,
    Case,
    CaseEntry,
    CasePerson,
    CaseTask,
    ChecklistItem,
    OnlineAccount,
    PlatformReport,
    Referral,
    Report,
    ReportMessage,
    SafetyPlan,
    TimelineEvent,
    User,
)
from schoolsafe.models.base import utcnow
from tests.factories import sign_in

ALREADY = "Already saved"
# What a submission can leave behind; a copy of it must leave nothing more.
FOOTPRINTS = (AuditEvent, TimelineEvent, CasePerson, ChecklistItem, OnlineAccount,
              PlatformReport, Referral, Report, ReportMessage, AlertRoute, User, CaseEntry,
              CaseTask, SafetyPlan)


def footprint() -> tuple[int, ...]:
    db.session.expire_all()
    return tuple(db.session.scalar(select(func.count()).select_from(m)) for m in FOOTPRINTS)


def form_on(html: str, action: str) -> dict[str, str]:
    """The hidden fields of the page's form that posts to `action`."""
    forms = re.findall(r'<form method="post" action="([^"]*)"[^>]*>(.*?)</form>', html, re.S)
    for target, body in forms:
        if unescape(target) == action:
            return dict(re.findall(r'<input type="hidden" name="([^"]+)" value="([^"]*)">', body))
    raise AssertionError(f"no form posting to {action}")


@pytest.fixture
def case(dsl_client, make, school):
    report = make.report(school).report
    response = dsl_client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    public_id = response.headers["Location"].rsplit("/", 1)[1]
    return db.session.scalar(select(Case).where(Case.public_id == public_id))


def _case(case):
    return f"/staff/triage/cases/{case.public_id}"


def _report(case):
    return "/staff/triage/reports/" + db.session.scalar(
        select(Report.public_id).where(Report.case_id == case.id))


def _entry(client, case):
    client.post(f"/staff/register/cases/{case.public_id}/places",
                data={"platform": "instagram", "text": "@brum_beef_100"})
    return "/staff/register/entries/" + db.session.scalar(select(OnlineAccount.public_id))


def _checklist(client, case):
    client.post(f"{_case(case)}/checklist")
    item = db.session.scalar(select(ChecklistItem.id).where(ChecklistItem.case_id == case.id)
                             .order_by(ChecklistItem.id))
    return f"{_case(case)}/checklist", f"{_case(case)}/checklist/{item}"


def _plan(client, case):
    client.post(f"{_case(case)}/people", data={"label": "S.K.", "role": "harmed"})
    return f"{_case(case)}/plan", f"{_case(case)}/plan"


TODAY = utcnow().date().isoformat()
YESTERDAY = (utcnow().date() - timedelta(days=1)).isoformat()
# name: (page and the form's action, from the client and the case; what is typed)
FORMS = {
    "note": (lambda c, k: (_case(k), f"{_case(k)}/notes"),
             {"body": "Spoke to Sara's mum at 4pm."}),
    "person": (lambda c, k: (_case(k), f"{_case(k)}/people"),
               {"label": "S.K.", "year_group": "Year 9", "role": "harmed"}),
    "details": (lambda c, k: (_case(k), f"{_case(k)}/details"),
                {"title": "Bait-out page", "categories": "sharing_images"}),
    "status": (lambda c, k: (_case(k), f"{_case(k)}/status"), {"status": "monitoring"}),
    "review date": (lambda c, k: (_case(k), f"{_case(k)}/review"), {"review_on": "2031-01-09"}),
    "decision": (lambda c, k: (_case(k), f"{_case(k)}/decision"),
                 {"not_referred_to": "police", "decision_reason": "Parents are handling it."}),
    "close": (lambda c, k: (_case(k), f"{_case(k)}/close"),
              {"outcome": "resolved", "outcome_reason": "Page is down; pupils spoken to."}),
    "reply": (lambda c, k: (_report(k), f"{_report(k)}/reply"),
              {"body": "Thank you for telling us. We are looking into it."}),
    "urgency": (lambda c, k: (_report(k), f"{_report(k)}/urgency"),
                {"level": "immediate", "reason": "She has not come home."}),
    "checklist step": (lambda c, k: _checklist(c, k), {"state": "done", "back": "checklist"}),
    "place": (lambda c, k: (_case(k), f"/staff/register/cases/{k.public_id}/places"),
              {"platform": "snapchat", "text": "snapchat.com/add/brum.gossip"}),
    "platform report": (lambda c, k: (lambda e: (e, f"{e}/platform-reports"))(_entry(c, k)),
                        {"route": "in_app", "reported_date": TODAY, "reported_time": "00:01",
                         "reference": "IG-445"}),
    "typed entry": (lambda c, k: (f"{_case(k)}/entries/new", f"{_case(k)}/entries"),
                    {"kind": "call", "day": YESTERDAY, "clock": "16:00",
                     "said": "Rang Sara's mum; she knows about the page."}),
    "task": (lambda c, k: (_case(k), f"{_case(k)}/tasks"),
             {"task_what": "Ring the bus company", "task_due": TODAY,
              # Known once the test runs: the signed-in DSL, the school's only staff.
              "task_assignee": lambda: db.session.scalar(select(User.public_id))}),
    "safety plan": (lambda c, k: _plan(c, k),
                    {"risks": "Sits near him in science.", "measures": "Separate sets.",
                     "responsible": "Head of science"}),
    "taken down": (lambda c, k: (lambda e: (e, f"{e}/removed"))(_entry(c, k)),
                   {"removed_date": TODAY}),
}


@pytest.mark.parametrize("name", FORMS)
def test_the_same_submission_sent_twice_is_saved_once(dsl_client, case, name):
    where, typed = FORMS[name]
    typed = {field: value() if callable(value) else value for field, value in typed.items()}
    page, action = where(dsl_client, case)
    hidden = form_on(dsl_client.get(page).get_data(as_text=True), action)
    assert hidden.get("form_token"), "the form carries its own token"
    before = footprint()
    first = dsl_client.post(action, data={**hidden, **typed})
    assert first.status_code == 302, first.get_data(as_text=True)[:2000]
    saved = footprint()
    assert saved != before
    again = dsl_client.post(action, data={**hidden, **typed})
    assert again.status_code == 302 and again.headers["Location"] == first.headers["Location"]
    assert footprint() == saved
    assert ALREADY in dsl_client.get(again.headers["Location"]).get_data(as_text=True)


def test_a_form_shown_again_gets_a_new_token_so_a_second_note_is_saved(dsl_client, case):
    for body in ("First call with the parent.", "Second call with the parent."):
        hidden = form_on(dsl_client.get(_case(case)).get_data(as_text=True),
                         f"{_case(case)}/notes")
        assert hidden["form_token"]
        dsl_client.post(f"{_case(case)}/notes", data={**hidden, "body": body})
    notes = db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.case_id == case.id, TimelineEvent.kind == "note")).all()
    assert notes == ["First call with the parent.", "Second call with the parent."]


def test_a_refused_submission_can_be_corrected_and_sent_with_the_same_token(dsl_client, case):
    hidden = form_on(dsl_client.get(_case(case)).get_data(as_text=True), f"{_case(case)}/people")
    assert hidden["form_token"]
    refused = dsl_client.post(f"{_case(case)}/people", data={**hidden, "label": "S.K."})
    assert refused.status_code == 400
    saved = dsl_client.post(f"{_case(case)}/people",
                            data={**hidden, "label": "S.K.", "role": "harmed"})
    assert saved.status_code == 302
    assert db.session.scalar(select(func.count()).select_from(CasePerson)) == 1


def test_another_user_sending_the_same_token_is_not_refused(app, dsl_client, case, make,
                                                            school):
    hidden = form_on(dsl_client.get(_case(case)).get_data(as_text=True), f"{_case(case)}/notes")
    assert hidden["form_token"]
    dsl_client.post(f"{_case(case)}/notes", data={**hidden, "body": "Mine."})
    colleague = app.test_client()
    sign_in(colleague, make.user(school, "dsl"))
    colleague.post(f"{_case(case)}/notes", data={**hidden, "body": "Theirs."})
    assert db.session.scalar(select(func.count()).select_from(TimelineEvent).where(
        TimelineEvent.kind == "note")) == 2


def test_a_concern_sent_twice_is_logged_once(client, make, school):
    sign_in(client, make.user(school, "staff"))
    hidden = form_on(client.get("/staff/concerns/new").get_data(as_text=True),
                     "/staff/concerns/new")
    concern = {**hidden, "about": "witnessed", "choices": ["nude_shared"],
               "narrative": "Overheard pupils in 10B saying a photo is going round."}
    assert client.post("/staff/concerns/new", data=concern).status_code == 302
    assert client.post("/staff/concerns/new", data=concern).status_code == 302
    assert db.session.scalar(select(func.count()).select_from(Report)) == 1


def test_every_staff_form_view_saves_once(app):
    staff = ("triage", "register", "admin", "concerns", "insight")
    posts = [rule.endpoint for rule in app.url_map.iter_rules()
             if "POST" in rule.methods and rule.endpoint.split(".")[0] in staff]
    assert len(posts) > 35
    missing = [e for e in posts if not getattr(app.view_functions[e], "saves_once", False)]
    assert missing == []


def test_each_form_on_the_case_page_has_its_own_single_token(dsl_client, case):
    # Two forms sharing a token would make the second one a "copy" of the first: a status
    # change after a note, from the same page, would be refused as already saved.
    html = dsl_client.get(_case(case)).get_data(as_text=True)
    forms = re.findall(r'<form method="post"[^>]*>(.*?)</form>', html, re.S)
    tokens = [re.findall(r'name="form_token" value="([^"]+)"', body) for body in forms]
    staff_forms = [found for found in tokens if found]
    assert len(staff_forms) >= 8
    assert all(len(found) == 1 for found in staff_forms)
    assert len({found[0] for found in staff_forms}) == len(staff_forms)


def test_a_note_then_a_status_change_from_one_showing_of_the_case_page_both_save(
        dsl_client, case):
    html = dsl_client.get(_case(case)).get_data(as_text=True)
    note = form_on(html, f"{_case(case)}/notes")
    status = form_on(html, f"{_case(case)}/status")
    dsl_client.post(f"{_case(case)}/notes", data={**note, "body": "Spoke to her."})
    page = dsl_client.post(f"{_case(case)}/status", data={**status, "status": "monitoring"},
                           follow_redirects=True).get_data(as_text=True)
    assert ALREADY not in page
    db.session.refresh(case)
    assert case.status == "monitoring"
