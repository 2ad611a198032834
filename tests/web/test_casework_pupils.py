"""Casework that follows the child through the pupil directory: pupils picked as present at an
entry, their plans' measures and entries on their page, a leaver's file prompted from every
open case, and the parents' and plans' rows linked to the child's record."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import func, select

from schoolsafe.auth import views as auth_views
from schoolsafe.extensions import db
from schoolsafe.models import (
    AuditEvent,
    Case,
    CaseEntry,
    CaseEntryPupil,
    CasePerson,
    CaseTask,
    FileTransfer,
    Pupil,
    TimelineEvent,
)
from schoolsafe.models.base import utcnow
from schoolsafe.security import sessions
from schoolsafe.vocab import CaseStatus
from tests.factories import Clock, sign_in
from tests.web.test_case_entries import SAID, an_hour_ago, entry_form
from tests.web.test_form_once import form_on
from tests.web.test_kept_forms import START, sign_in_again
from tests.web.test_pupils import HEAD, PUPILS, import_file, open_case_for, text_of

TODAY = utcnow().date().isoformat()


@pytest.fixture
def dsl_client(client, dsl):
    sign_in(client, dsl)
    import_file(client)
    return client


def pupil(upn: str) -> Pupil:
    return db.session.scalar(select(Pupil).where(Pupil.upn == upn))


def case_with(client, make, school, **people: str) -> str:
    """A case with these people (label: upn, or '' for someone not in the directory)."""
    case = open_case_for(client, make, school)
    url = f"/staff/triage/cases/{case.public_id}"
    for label, upn in people.items():
        client.post(f"{url}/people", data={"label": label, "role": "harmed",
                                           "pupil": pupil(upn).public_id if upn else "none"})
    return url


def test_pupils_present_are_picked_from_the_case_first_found_by_name_and_shown_by_name(
        dsl_client, make, school, colleague):
    url = case_with(dsl_client, make, school, Mai="A1")
    form = dsl_client.get(f"{url}/entries/new").get_data(as_text=True)
    assert f'name="pupils" value="{pupil("A1").public_id}"' in form  # the case's own pupil
    assert pupil("A3").public_id not in form
    typed = entry_form(dsl_client, url, **an_hour_ago(colleague), pupils=pupil("A1").public_id,
                       pupil_query="toby", find_pupils="1")
    dsl_client.post(f"{url}/entries", data=typed)  # a double click on Find pupil
    found = dsl_client.post(f"{url}/entries", data=typed)
    assert found.status_code == 200 and db.session.scalar(select(CaseEntry.id)) is None
    said = text_of(found)
    assert "1 found for \"toby\"" in said and "Tobias Lindqvist-Ward" in said
    assert SAID in found.get_data(as_text=True)  # nothing typed is lost by searching
    assert f'value="{pupil("A1").public_id}" checked' in found.get_data(as_text=True)
    saved = dsl_client.post(f"{url}/entries", data={
        **form_on(found.get_data(as_text=True), f"{url}/entries"), **an_hour_ago(colleague),
        "pupils": [pupil("A1").public_id, pupil("A3").public_id]})
    assert saved.status_code == 302
    assert sorted(db.session.scalars(select(CaseEntryPupil.pupil_id))) == sorted(
        [pupil("A1").id, pupil("A3").id])
    chronology = dsl_client.get(url).get_data(as_text=True)
    chronology = chronology[chronology.index('id="chronology"'):]
    assert f'<a href="/staff/triage/pupils/{pupil("A3").public_id}">Tobias Lindqvist-Ward</a>' \
        in chronology
    assert "Maisie Adebayo-Clarke" in chronology and "The pupil" in chronology
    toby = text_of(dsl_client.get(f"/staff/triage/pupils/{pupil('A3').public_id}"))
    assert f"Conversation with a pupil (they were there): {SAID}" in toby
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "search_pupils")) == 2  # one per search


def test_another_schools_pupil_is_refused_as_present_and_nothing_typed_is_lost(
        dsl_client, make, school, colleague):
    other = Pupil(school_id=make.school("elm").id, upn="E1", legal_first="Maisie",
                  legal_last="Other")
    db.session.add(other)
    db.session.commit()
    url = case_with(dsl_client, make, school, Mai="A1")
    refused = dsl_client.post(f"{url}/entries", data=entry_form(
        dsl_client, url, **an_hour_ago(colleague), pupils=other.public_id))
    assert refused.status_code == 400
    assert "Only pupils of this school's directory can be picked." in text_of(refused)
    assert SAID in refused.get_data(as_text=True)
    assert db.session.scalar(select(CaseEntry.id)) is None
    found = dsl_client.post(f"{url}/entries", data=entry_form(
        dsl_client, url, **an_hour_ago(colleague), pupil_query="Maisie Other",
        find_pupils="1"))
    assert other.public_id not in found.get_data(as_text=True)
    assert 'No pupil found for "Maisie Other"' in text_of(found)


def test_a_correction_that_drops_a_pupil_takes_it_off_their_page(
        dsl_client, make, school, colleague):
    url = case_with(dsl_client, make, school, Mai="A1")
    dsl_client.post(f"{url}/entries", data=entry_form(
        dsl_client, url, **an_hour_ago(colleague), pupils=pupil("A1").public_id))
    entry = db.session.scalar(select(CaseEntry))
    again = f"{url}/entries/{entry.public_id}/correct"
    page = dsl_client.get(again).get_data(as_text=True)
    assert f'value="{pupil("A1").public_id}" checked' in page
    found = dsl_client.post(again, data={**form_on(page, again), **an_hour_ago(colleague),
                                         "pupil_query": "kwame", "find_pupils": "1"})
    assert "Kwame Adebayo-Clarke" in text_of(found) and "Save the correction" in found.text
    dsl_client.post(again, data={**form_on(page, again), **an_hour_ago(colleague)})
    assert db.session.scalar(select(func.count()).select_from(CaseEntry)) == 2
    mai = text_of(dsl_client.get(f"/staff/triage/pupils/{pupil('A1').public_id}"))
    assert "(they were there)" not in mai


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(START)
    monkeypatch.setattr(sessions, "utcnow", clock)
    monkeypatch.setattr(auth_views, "utcnow", clock)
    return clock


def test_pupils_ticked_as_the_session_timed_out_are_kept_through_signing_in_again(
        clock, dsl_client, make, school, dsl, colleague):
    url = case_with(dsl_client, make, school, Mai="A1")
    typed = entry_form(dsl_client, url, **an_hour_ago(colleague),
                       pupils=[pupil("A1").public_id, pupil("A3").public_id])
    clock.advance(minutes=31)
    assert dsl_client.post(f"{url}/entries", data=typed).headers["Location"] == \
        "/staff/sign-in"
    sign_in_again(dsl_client, dsl)
    offer = dsl_client.get("/staff/unsaved").get_data(as_text=True)
    kept = {**form_on(offer, f"{url}/entries"), **an_hour_ago(colleague),
            "pupils": [pupil("A1").public_id, pupil("A3").public_id]}
    dsl_client.post(f"{url}/entries", data=kept)
    dsl_client.post(f"{url}/entries", data=kept)
    assert db.session.scalar(select(func.count()).select_from(CaseEntry)) == 1
    assert db.session.scalar(select(func.count()).select_from(CaseEntryPupil)) == 2


def write_plan(client, url, person_id, measures, **more):
    return client.post(f"{url}/plan", data={"person": person_id, "risks": "Same class.",
                                            "measures": measures, "responsible": "Mr Lee",
                                            **more})


def test_the_childs_page_lists_the_measures_in_force_and_their_open_tasks(
        dsl_client, make, school, dsl):
    url = case_with(dsl_client, make, school, Mai="A1", Jay="")
    mai, jay = db.session.scalar(select(Case)).people
    write_plan(dsl_client, url, mai.id, "Separate science sets.")
    write_plan(dsl_client, url, mai.id, "Separate science sets and lunch times.",
               review_on="2031-01-09", task_assignee=dsl.public_id)
    write_plan(dsl_client, url, jay.id, "Supervised break times.")
    page = text_of(dsl_client.get(f"/staff/triage/pupils/{pupil('A1').public_id}"))
    assert "plan for Mai, version 2" in page
    assert "Measures Separate science sets and lunch times." in page
    assert "Measures Separate science sets. " not in page  # the earlier version is not in force
    assert "Supervised break times." not in page  # another child's plan
    assert "Review 09 Jan 2031 Open tasks 1" in page
    printed = text_of(dsl_client.get(f"/staff/triage/pupils/{pupil('A1').public_id}/print"))
    assert "Measures Separate science sets and lunch times." in printed
    db.session.scalar(select(CaseTask)).done_at = utcnow()
    db.session.commit()
    assert "Open tasks 0" in text_of(
        dsl_client.get(f"/staff/triage/pupils/{pupil('A1').public_id}"))


def hand_on_prompt(label: str) -> str:
    return f"Send {label}'s file to their new school"


def test_a_pupil_marked_left_on_their_page_is_prompted_on_every_open_case_and_the_queue(
        dsl_client, make, school):
    first = case_with(dsl_client, make, school, Mai="A1")
    second = case_with(dsl_client, make, school, Maisie="A1")
    closed = case_with(dsl_client, make, school, M="A1")
    db.session.scalar(select(Case).where(Case.public_id == closed.rsplit("/", 1)[1])).status = \
        CaseStatus.CLOSED
    db.session.commit()
    page_url = f"/staff/triage/pupils/{pupil('A1').public_id}"
    page = dsl_client.get(page_url).get_data(as_text=True)
    assert "Mark as left" in page
    dsl_client.post(f"{page_url}/left", data={**form_on(page, f"{page_url}/left"),
                                              "left_on": TODAY})
    assert not pupil("A1").on_roll and pupil("A1").left_on.isoformat() == TODAY
    assert hand_on_prompt("Mai") in dsl_client.get(first).get_data(as_text=True)
    assert hand_on_prompt("Maisie") in dsl_client.get(second).get_data(as_text=True)
    assert hand_on_prompt("M") not in dsl_client.get(closed).get_data(as_text=True)
    queue = dsl_client.get("/staff/triage/").get_data(as_text=True)
    assert hand_on_prompt("Mai") in queue and hand_on_prompt("Maisie") in queue
    assert db.session.scalar(select(func.count()).select_from(CaseTask)) == 0  # no clock yet
    marked = db.session.scalars(select(AuditEvent.record_type).where(
        AuditEvent.action == "mark_left")).all()
    assert sorted(marked) == ["case", "case", "pupil"]
    mai = db.session.scalar(select(CasePerson).where(CasePerson.label == "Mai"))
    dsl_client.post(f"{first}/transfer", data={"person": mai.id, "where": "here",
                                               "to_school": make.school("elm").slug})
    sent = db.session.scalar(select(FileTransfer))
    assert sent.sent_at.date().isoformat() == TODAY and sent.due_on > sent.sent_at.date()
    queue = dsl_client.get("/staff/triage/").get_data(as_text=True)
    assert hand_on_prompt("Mai") not in queue and hand_on_prompt("Maisie") in queue


def test_marking_left_needs_a_date_that_has_come_and_is_saved_once(dsl_client, make, school):
    url = case_with(dsl_client, make, school, Mai="A1")
    page_url = f"/staff/triage/pupils/{pupil('A1').public_id}"
    hidden = form_on(dsl_client.get(page_url).get_data(as_text=True), f"{page_url}/left")
    refused = dsl_client.post(f"{page_url}/left", data={**hidden, "left_on": "last week"})
    assert refused.status_code == 400 and pupil("A1").on_roll
    assert "Please give the date they left, for example 2026-03-31." in text_of(refused)
    assert 'value="last week"' in refused.get_data(as_text=True)
    future = dsl_client.post(f"{page_url}/left", data={**hidden, "left_on": "2999-01-01"})
    assert future.status_code == 400 and "That date is still to come." in text_of(future)
    hidden = form_on(dsl_client.get(page_url).get_data(as_text=True), f"{page_url}/left")
    dsl_client.post(f"{page_url}/left", data={**hidden, "left_on": TODAY})
    dsl_client.post(f"{page_url}/left", data={**hidden, "left_on": TODAY})
    case = db.session.scalar(select(Case).where(Case.public_id == url.rsplit("/", 1)[1]))
    assert sum("left the school" in e.text for e in case_events(case)) == 1


def case_events(case: Case):
    return db.session.scalars(select(TimelineEvent).where(TimelineEvent.case_id == case.id))


def test_a_reimport_that_leaves_a_pupil_out_prompts_their_file_to_be_handed_on(
        dsl_client, make, school):
    url = case_with(dsl_client, make, school, Toby="A3")
    without_toby = HEAD + "".join(line + "\n" for line in PUPILS.splitlines()[1:]
                                  if not line.startswith("A3,"))
    summary = text_of(import_file(dsl_client, without_toby))
    assert "1 open case with a pupil who has left" in summary
    assert hand_on_prompt("Toby") in dsl_client.get(url).get_data(as_text=True)
    assert hand_on_prompt("Toby") in dsl_client.get("/staff/triage/").get_data(as_text=True)
    assert "Toby left the school on" in text_of(dsl_client.get(url))


def test_parents_and_plan_rows_link_to_the_childs_record_where_linked(
        dsl_client, make, school):
    url = case_with(dsl_client, make, school, Mai="A1", Jay="")
    mai_link = f'<a href="/staff/triage/pupils/{pupil("A1").public_id}">Mai</a>'
    summary = re.search(r'class="parents-summary">(.*?)</section>',
                        dsl_client.get(url).get_data(as_text=True), re.S).group(1)
    assert mai_link in summary and "<strong>Jay</strong>" in summary
    checklist = dsl_client.get(f"{url}/checklist").get_data(as_text=True)
    assert mai_link in checklist
    plans = dsl_client.get(f"{url}/plan").get_data(as_text=True)
    assert re.search(r'<h2 id="child-\d+">' + re.escape(mai_link), plans)
    assert re.search(r'<h2 id="child-\d+">Jay <span', plans)
