"""Reports about a member of staff: only the allegations contacts find them.

The table: for each kind of staff user, and for the member of staff named in each role they
might hold, every report, case, checklist, referral and person URL of a restricted report
answers 404 (or the gate's 403 for a role that never reaches the workspace) and leaves an
audit row; and every list, count, search, register and insight page and export shows
nothing of it. The head teacher, who is the allegations contact, opens the same pages.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from datetime import timedelta

import pytest
from flask import url_for
from sqlalchemy import func, select

from schoolsafe.extensions import db
from schoolsafe.models import (
    AuditEvent,
    Case,
    CaseEntry,
    CaseEntryPupil,
    CasePerson,
    CaseTask,
    ChecklistItem,
    Pupil,
    Referral,
    Report,
    School,
    User,
)
from schoolsafe.models.base import utcnow
from schoolsafe.services.cases.opening import open_case
from schoolsafe.services.reports.concerns import log_concern
from schoolsafe.services.reports.submit import ReportInput
from schoolsafe.triage import CONTACT_AREAS
from schoolsafe.vocab import AuditAction, Role
from tests.factories import sign_in
from tests.web.test_access_table import NF, NO, OK, TABLE, outcome

# The route kinds of the access table whose paths name a report or case (or a part of one).
RECORD_KINDS = ("report", "case", "item", "referral", "person", "report+case", "case_entry",
                "task", "child", "child_page")
ENDPOINTS = sorted(e for e, row in TABLE.items() if row[0] in RECORD_KINDS)
TASK_WHAT = "Keep the screenshots from the night messages"
SECRET_WORDS = ("mr_jones_snap", "sends me messages at night", "Mr Jones", TASK_WHAT)


@dataclass
class Restricted:
    """One restricted report with its case, referral, checklist step and person."""

    report: Report
    paths: dict[str, tuple[dict[str, object], dict[str, object]]]
    reference: str


def staff(make, school: School, name: str, *roles: str) -> User:
    first = make.user(school, roles[0])
    for role in roles[1:]:
        make.user(school, role, email=first.email)
    first.name = name
    db.session.commit()
    return first


def work_it(report: Report, head: User, dsl: User) -> Restricted:
    """What the contact does with it: a case, two people, a checklist step, a referral, a
    chronology entry, and a task (stored for a DSL who is no contact, as it would be for an
    old head teacher after a new one took over)."""
    case = open_case(db.session, report, head.id)
    case.people.append(CasePerson(label="Pupil A", role="harmed"))
    case.people.append(CasePerson(label="Pupil B", role="alleged"))
    item = ChecklistItem(case_id=case.id, rule_id="record-facts", text="Record the facts")
    referral = Referral(school_id=report.school_id, case_id=case.id, recipient_kind="police")
    entry = CaseEntry(school_id=case.school_id, case_id=case.id, kind="call",
                      happened_at=utcnow(), said="Rang the parent.")
    task = CaseTask(school_id=case.school_id, case_id=case.id, what=TASK_WHAT, source="case",
                    assignee_id=dsl.id, due_on=utcnow().date() - timedelta(days=3))
    db.session.add_all([item, referral, entry, task])
    db.session.commit()
    on_case = {"public_id": case.public_id}
    child = case.people[1].id
    paths = {"report": ({"public_id": report.public_id}, {}), "case": (on_case, {}),
             "item": ({**on_case, "item_id": item.id}, {}),
             "referral": ({"public_id": referral.public_id}, {}),
             "person": (on_case, {"person": str(case.people[0].id)}),
             "report+case": ({"public_id": report.public_id}, {"case": case.public_id}),
             "case_entry": ({**on_case, "entry_id": entry.public_id}, {}),
             "task": ({"public_id": task.public_id}, {}),
             "child": (on_case, {"person": str(child)}),
             "child_page": ({**on_case, "person": child}, {})}
    return Restricted(report, paths, case.reference)


@pytest.fixture
def world(app, make, client):
    school = make.school("alpha")
    people = {
        "head": staff(make, school, "Ann Head", Role.DSL, Role.CASE_MANAGER),
        "chair": staff(make, school, "Cal Chair", Role.DSL, Role.CHAIR),
        "dsl": staff(make, school, "Dee Lead", Role.DSL),
        "admin": staff(make, school, "Ade Admin", Role.ADMIN),
        "staff": staff(make, school, "Stu Staff", Role.STAFF),
        # The teacher the pupil names, given the safeguarding lead role.
        "jones": staff(make, school, "Sam Jones", Role.DSL),
        "named_staff": staff(make, school, "Nat Staff", Role.STAFF),
        "named_dsl": staff(make, school, "Nia Lead", Role.DSL),
        "named_admin": staff(make, school, "Ned Admin", Role.ADMIN),
        # A second head teacher and a chair who hold only their contact roles, not the DSL's.
        "head_only": staff(make, school, "Hal Brook", Role.CASE_MANAGER),
        "chair_only": staff(make, school, "Cy Ward", Role.CHAIR),
    }
    make.report(school, choices=("rumours",))  # an everyday report the DSLs do see
    response = client.post("/tell/alpha", data={
        "about": "self", "choices": ["asked_for_nudes"], "about_staff": "y",
        "accused_who": "Mr Jones", "place1-platform": "snapchat",
        "place1-text": "mr_jones_snap", "narrative": "He sends me messages at night"})
    assert response.status_code == 200
    pupil_report = db.session.scalar(select(Report).where(Report.restricted_to != ""))
    restricted = {"pupil": work_it(pupil_report, people["head"], people["dsl"])}
    for role in ("staff", "dsl", "admin"):
        concern = log_concern(db.session, school, people["staff"].id, ReportInput(
            about="self", choices=("asked_for_nudes",), factors=frozenset({"about_staff"}),
            narrative="He sends me messages at night",
            accused_staff_id=people[f"named_{role}"].id), app.config["SECRET_KEY"])
        db.session.commit()
        restricted[role] = work_it(concern, people["head"], people["dsl"])
    return school, people, restricted


def answers(app, user: User, record: Restricted) -> dict[str, str]:
    client = signed_in(app, user)
    found = {}
    for endpoint in ENDPOINTS:
        path_args, form = record.paths[TABLE[endpoint][0]]
        rule = next(r for r in app.url_map.iter_rules() if r.endpoint == endpoint)
        with app.test_request_context():
            url = url_for(endpoint, **path_args)
        response = client.get(url) if "GET" in rule.methods else client.post(url, data=form)
        found[endpoint] = outcome(response)
    return found


def signed_in(app, user: User):
    """A client signed in as the user (the same TOTP code may be typed again this half-minute)."""
    user.totp_last_step = 0
    db.session.commit()
    client = app.test_client()
    sign_in(client, user)
    return client


def refusals(user: User) -> int:
    return db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.user_id == user.id, AuditEvent.action == AuditAction.RESTRICTED_REFUSED))


# Who looks, and at which restricted report: everyone who is not its contact, and the member
# of staff it names in each role they may hold.
LOOKERS = [("dsl", "pupil"), ("admin", "pupil"), ("staff", "pupil"), ("chair", "pupil"),
           ("jones", "pupil"), ("dsl", "staff"), ("named_staff", "staff"),
           ("named_dsl", "dsl"), ("named_admin", "admin"), ("chair_only", "pupil"),
           ("chair_only", "staff")]


@pytest.mark.parametrize(("who", "which"), LOOKERS)
def test_every_url_of_a_report_about_staff_is_404_for_everyone_but_its_contact(
        app, world, who, which):
    _school, people, restricted = world
    record = restricted[which]
    found = answers(app, people[who], record)
    assert {e: o for e, o in found.items() if o not in (NF, NO)} == {}
    if Role.DSL in people[who].roles_in(record.report.school_id):
        # A safeguarding lead gets past the gate, so every refusal is the record's 404.
        assert set(found.values()) == {NF}
    assert refusals(people[who]) == list(found.values()).count(NF)


def test_the_head_teacher_opens_what_everyone_else_is_refused(app, world):
    _school, people, restricted = world
    client = signed_in(app, people["head"])
    record = restricted["pupil"]
    for endpoint in ("triage.report", "triage.case", "triage.checklist", "triage.referral"):
        path_args, _ = record.paths[TABLE[endpoint][0]]
        with app.test_request_context():
            url = url_for(endpoint, **path_args)
        assert outcome(client.get(url)) == OK, endpoint
    page = client.get(f"/staff/triage/reports/{record.report.public_id}").get_data(as_text=True)
    assert "In their words: Mr Jones" in page and "mr_jones_snap" in page
    assert "Only the head teacher (the case manager) can see this." in page
    assert "Kept off the register" in page
    queue = client.get("/staff/triage/?status=all").get_data(as_text=True)
    assert record.report.public_id in queue
    assert "Themselves - about a member of staff" in queue


@pytest.mark.parametrize("which", ["pupil", "staff"])
def test_a_head_who_is_not_a_dsl_opens_it_in_the_workspace_and_is_kept_out_of_the_rest(
        app, world, which):
    _school, people, restricted = world
    found = answers(app, people["head_only"], restricted[which])
    # The pupil directory and files handed on stay the DSLs' (403), even for their own case.
    expected = {e: OK if app.view_functions[e].__module__.rsplit(".", 1)[1] in CONTACT_AREAS
                else NO for e in ENDPOINTS}
    assert found == expected
    assert refusals(people["head_only"]) == 0


LIST_PAGES = ("/staff/triage/?status=all", "/staff/triage/?status=all&q=Jones",
              "/staff/triage/cases?status=all", "/staff/register/",
              "/staff/register/?q=mr_jones_snap", "/staff/insight/",
              "/staff/insight/export.csv?numbers=exact", "/staff/concerns/",
              "/staff/triage/tasks", "/staff/triage/tasks?show=done", "/staff/triage/transfers")


@pytest.mark.parametrize("who", ["dsl", "jones", "named_dsl", "chair"])
def test_lists_counts_search_register_and_insight_show_nothing_of_it(app, world, who):
    _school, people, restricted = world
    client = signed_in(app, people[who])
    hidden = [r.report.public_id for r in restricted.values()]
    hidden += [r.reference for r in restricted.values()]
    for path in LIST_PAGES:
        response = client.get(path)
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        for secret in (*hidden, *SECRET_WORDS):
            assert secret not in text, (path, secret)
    queue = client.get("/staff/triage/").get_data(as_text=True)
    # Only the everyday report is waiting for them.
    assert '<strong>1</strong> not yet acknowledged' in queue
    insight = client.get("/staff/insight/export.csv?numbers=exact").get_data(as_text=True)
    assert "Reports not yet acknowledged,All reports,Whole period,1" in insight


def test_a_dsl_who_is_not_a_contact_is_told_one_exists_and_the_person_named_is_not(
        app, world):
    _school, people, _restricted = world
    # Four exist; Dee Lead is named in none, Sam Jones may be the pupil's "Mr Jones", and
    # Nia Lead is the one chosen on a concern: neither is told of the one about them.
    assert "4 reports are about a member of staff" in _queue_text(app, people["dsl"])
    assert "3 reports are about a member of staff" in _queue_text(app, people["jones"])
    assert "3 reports are about a member of staff" in _queue_text(app, people["named_dsl"])


def _queue_text(app, user: User) -> str:
    client = signed_in(app, user)
    return client.get("/staff/triage/").get_data(as_text=True)


def test_the_head_drafts_the_lado_note_from_the_case(app, world):
    _school, people, restricted = world
    client = signed_in(app, people["head"])
    record = restricted["pupil"]
    case_id = record.paths["case"][0]["public_id"]
    response = client.post(f"/staff/triage/cases/{case_id}/referrals", data={"kind": "lado"})
    referral = db.session.scalar(select(Referral).where(Referral.recipient_kind == "lado"))
    assert response.status_code == 302
    note = html.unescape(client.get(f"/staff/triage/referrals/{referral.public_id}")
                         .get_data(as_text=True))
    assert "The allegation about a member of staff" in note
    assert 'The adult named works at the school: "Mr Jones" in their words.' in note
    assert "Reported anonymously by a pupil through the school's reporting page" in note
    assert "- Snapchat: mr_jones_snap" in note
    assert "He sends me messages at night" in note
    assert "The school has not investigated" in note
    assert "within one working day" in note


def test_the_case_shows_the_one_working_day_clock_and_the_allegation_steps(app, world):
    _school, people, restricted = world
    client = signed_in(app, people["head"])
    case_id = restricted["pupil"].paths["case"][0]["public_id"]
    client.post(f"/staff/triage/cases/{case_id}/checklist")
    page = html.unescape(client.get(f"/staff/triage/cases/{case_id}").get_data(as_text=True))
    assert "Refer to the local authority's designated officer by" in page
    assert "Named in the pupil's words: Mr Jones." in page
    checklist = html.unescape(client.get(f"/staff/triage/cases/{case_id}/checklist")
                              .get_data(as_text=True))
    assert "refer to the LADO within one working day" in checklist
    assert "Do not tell the person named" in checklist
    assert "Do not investigate" in checklist



def test_the_admin_names_the_allegations_contacts_on_the_staff_pages(app, make, client):
    school = make.school("oak")
    admin = make.user(school, "admin")
    head = make.user(school, "dsl", email="head@oak.example.org")
    sign_in(client, admin)
    overview = html.unescape(client.get("/staff/admin/").get_data(as_text=True))
    assert "Nobody is set as head teacher (case manager)." in overview
    assert "Nobody is set as chair of governors." in overview
    page = html.unescape(client.get(f"/staff/admin/staff/{head.public_id}")
                         .get_data(as_text=True))
    assert "Head teacher (case manager for allegations about staff)" in page
    client.post(f"/staff/admin/staff/{head.public_id}", data={"roles": ["dsl", "case_manager"]})
    client.post("/staff/admin/staff/new", data={
        "name": "Cal Chair", "email": "chair@oak.example.org", "roles": ["chair"]})
    db.session.expire_all()
    assert head.roles_in(school.id) == {"dsl", "case_manager"}
    chair = db.session.scalar(select(User).where(User.email == "chair@oak.example.org"))
    assert chair.roles_in(school.id) == {"chair"}
    overview = html.unescape(client.get("/staff/admin/").get_data(as_text=True))
    assert "Nobody is set as" not in overview
    # A chair who is not a safeguarding lead opens what they are sent (test_contacts_workspace),
    # so nothing asks the administrator to make them one.
    assert "not a safeguarding lead" not in overview


def test_the_audit_trail_shows_its_rows_to_the_head_and_not_to_the_administrator(
        app, world, client):
    school, people, restricted = world
    record = restricted["pupil"]
    answers(app, people["dsl"], record)  # refused, and audited
    # A report not yet in any case, opened by nobody but refused to the DSL.
    loose = log_concern(db.session, school, people["staff"].id, ReportInput(
        about="self", choices=("rumours",), factors=frozenset({"about_staff"})),
        app.config["SECRET_KEY"])
    db.session.commit()
    dsl = signed_in(app, people["dsl"])
    assert dsl.get(f"/staff/triage/reports/{loose.public_id}").status_code == 404
    admin = signed_in(app, people["admin"])
    for path in ("/staff/admin/audit", "/staff/admin/audit.csv"):
        text = admin.get(path).get_data(as_text=True)
        assert record.report.public_id not in text and record.reference not in text, path
        assert loose.public_id not in text, path
    head = signed_in(app, people["head"])
    case_id = record.paths["case"][0]["public_id"]
    trail = html.unescape(head.get(f"/staff/triage/cases/{case_id}/audit")
                          .get_data(as_text=True))
    assert "Tried to open a report or case about a member of staff" in trail
    assert "Dee Lead" in trail or people["dsl"].email in trail


def test_the_head_adds_a_safeguarding_lead_by_name_and_only_they_then_see_it(app, world):
    _school, people, restricted = world
    record = restricted["pupil"]
    case_id = record.paths["case"][0]["public_id"]
    head = signed_in(app, people["head"])
    page = html.unescape(head.get(f"/staff/triage/cases/{case_id}").get_data(as_text=True))
    assert f'<option value="{people["dsl"].public_id}">Dee Lead</option>' in page
    # Sam Jones may be the pupil's "Mr Jones": never offered (not even to assign the case
    # to), and refused if sent anyway.
    assert "Sam Jones</option>" not in page
    refused = head.post(f"/staff/triage/cases/{case_id}/readers",
                        data={"reader": people["jones"].public_id})
    assert refused.status_code == 400
    assert "can't be added" in html.unescape(refused.get_data(as_text=True))
    added = head.post(f"/staff/triage/cases/{case_id}/readers",
                      data={"reader": people["dsl"].public_id})
    assert added.status_code == 302

    assert set(answers(app, people["dsl"], record).values()) == {OK}
    assert set(answers(app, people["named_dsl"], record).values()) == {NF}
    dsl = signed_in(app, people["dsl"])
    assert record.report.public_id in dsl.get("/staff/triage/?status=all").get_data(as_text=True)
    trail = html.unescape(head.get(f"/staff/triage/cases/{case_id}").get_data(as_text=True))
    assert "Dee Lead can now see this case and its reports." in trail


def test_a_name_typed_without_the_tick_comes_back_with_a_plain_message_and_nothing_lost(
        app, make, client):
    make.school("oak")
    typed = {"about": "self", "choices": ["asked_for_nudes"], "accused_who": "Mr Jones",
             "narrative": "He keeps messaging me"}
    response = client.post("/tell/oak", data=typed)
    page = html.unescape(response.get_data(as_text=True))
    assert response.status_code == 400
    assert "If this adult works at your school, please tick the box above." in page
    assert 'value="Mr Jones"' in page and "He keeps messaging me" in page
    assert db.session.scalar(select(func.count()).select_from(Report)) == 0


def test_my_tasks_and_the_overdue_count_leave_out_a_task_on_a_case_about_staff(app, world):
    _school, people, restricted = world
    dsl = signed_in(app, people["dsl"])
    # Four restricted cases each hold an overdue task for Dee Lead: none is hers to see.
    page = html.unescape(dsl.get("/staff/triage/tasks").get_data(as_text=True))
    assert TASK_WHAT not in page and "overdue</span>" not in page
    task = db.session.scalar(select(CaseTask).limit(1))
    assert dsl.post(f"/staff/triage/tasks/{task.public_id}/done").status_code == 404
    db.session.refresh(task)
    assert task.done_at is None
    # The head sees the tasks on the case.
    case_id = restricted["pupil"].paths["case"][0]["public_id"]
    head = signed_in(app, people["head"])
    assert TASK_WHAT in html.unescape(head.get(f"/staff/triage/cases/{case_id}")
                                      .get_data(as_text=True))


def test_the_child_and_the_pupil_search_show_nothing_of_a_case_about_staff(app, world):
    school, people, restricted = world
    record = restricted["pupil"]
    pupil = Pupil(school_id=school.id, upn="A1", legal_first="Maisie", legal_last="Adebayo")
    db.session.add(pupil)
    db.session.flush()
    # A second child, on no case, was present when the head rang the parent.
    present = Pupil(school_id=school.id, upn="A2", legal_first="Jay", legal_last="Okafor")
    db.session.add(present)
    db.session.flush()
    case = db.session.scalar(select(Case).where(Case.reference == record.reference))
    case.people[0].pupil_id = pupil.id
    entry = db.session.scalar(select(CaseEntry).where(CaseEntry.case_id == case.id))
    db.session.add(CaseEntryPupil(entry_id=entry.id, pupil_id=present.id))
    db.session.commit()
    pages = ("/staff/triage/pupils?q=Maisie", f"/staff/triage/pupils?q={record.reference}",
             *(f"/staff/triage/pupils/{child.public_id}{end}"
               for child in (pupil, present) for end in ("", "/print")))
    for who in ("dsl", "jones"):
        client = signed_in(app, people[who])
        for path in pages:
            response = client.get(path)
            text = html.unescape(response.get_data(as_text=True))
            assert response.status_code == 200, path
            # A search shows back what was typed: there, no link may lead to the case.
            typed = (record.reference,) if record.reference not in path else ()
            for secret in (*typed, case.public_id, record.report.public_id, *SECRET_WORDS,
                           "Rang the parent."):
                assert secret not in text, (who, path, secret)
        assert "Maisie" in client.get("/staff/triage/pupils?q=Maisie").get_data(as_text=True)
    head = signed_in(app, people["head"])
    assert record.reference in head.get(f"/staff/triage/pupils/{pupil.public_id}").get_data(
        as_text=True)
    assert "Rang the parent." in html.unescape(
        head.get(f"/staff/triage/pupils/{present.public_id}").get_data(as_text=True))


def test_a_report_following_one_about_staff_names_no_link_and_offers_no_other(
        app, make, world):
    school, people, restricted = world
    earlier = restricted["pupil"].report
    later = make_following(make, school)
    head = signed_in(app, people["head"])
    linked = head.post(f"/staff/triage/reports/{later.public_id}/link-earlier",
                       data={"earlier": earlier.public_id})
    assert linked.status_code == 302
    assert earlier.public_id in head.get(f"/staff/triage/reports/{later.public_id}").get_data(
        as_text=True)
    dsl = signed_in(app, people["dsl"])
    page = html.unescape(dsl.get(f"/staff/triage/reports/{later.public_id}")
                         .get_data(as_text=True))
    assert "lost their code words" in page
    assert earlier.public_id not in page
    # Linked already: not offered to be linked again, by someone who cannot see the link.
    assert "Which earlier report does it follow?" not in page


def make_following(make, school: School) -> Report:
    """An everyday report from a pupil who lost their code words."""
    report = make.report(school, choices=("rumours",)).report
    report.follows_earlier, report.earlier_about = True, "the messages at night"
    db.session.commit()
    return report
