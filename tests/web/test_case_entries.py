"""Typed chronology entries as a DSL records them: a conversation an hour ago with who was
there, placed by when it happened and showing when it was recorded; corrections keep the old
version; parents' and carers' contact per child; nothing lost or doubled."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import func, select

from schoolsafe.auth import views as auth_views
from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Case, CaseEntry, ParentContact
from schoolsafe.models.base import utcnow
from schoolsafe.security import sessions
from schoolsafe.services import local_time
from tests.factories import Clock, sign_in
from tests.web.test_form_once import form_on
from tests.web.test_kept_forms import START, sign_in_again

SAID = "She said the page was made by a boy in Year 10. We agreed she tells me if it comes back."


def london(moment):
    return local_time.to_zone(moment, "Europe/London")


def entry_form(client, case_url, **typed):
    hidden = form_on(client.get(f"{case_url}/entries/new").get_data(as_text=True),
                     f"{case_url}/entries")
    return {**hidden, **typed}


def an_hour_ago(colleague, **more):
    then = london(utcnow() - timedelta(hours=1))
    return {"kind": "conversation", "day": then.date().isoformat(),
            "clock": then.strftime("%H:%M"), "present": colleague.public_id,
            "others": "The pupil", "said": SAID, "next_steps": "Check in on Friday.", **more}


def chronology_html(client, case_url):
    page = client.get(case_url).get_data(as_text=True)
    return page[page.index('id="chronology"'):]


def test_a_conversation_an_hour_ago_sits_where_it_happened_with_both_times(
        client, case_url, colleague):
    client.post(f"{case_url}/notes", data={"body": "Typed before the entry below."})
    then = london(utcnow() - timedelta(hours=1))
    saved = client.post(f"{case_url}/entries",
                        data=entry_form(client, case_url, **an_hour_ago(colleague)))
    assert saved.headers["Location"].startswith(case_url)
    chronology = chronology_html(client, case_url)
    assert chronology.index("Conversation with a pupil") < chronology.index("Typed before")
    entry = chronology[chronology.index("Conversation with a pupil"):]
    happened = re.search(r"<dt>Happened</dt><dd><time[^>]*>([^<]+)<", entry).group(1)
    recorded = re.search(r"<dt>Recorded</dt><dd>[^<]*<time[^>]*>([^<]+)<", entry).group(1)
    assert happened == then.strftime("%d %b %Y %H:%M")
    assert recorded == london(utcnow()).strftime("%d %b %Y %H:%M") != happened
    assert f"{colleague.name}; The pupil" in entry
    assert "She said the page was made by a boy in Year 10" in entry
    assert "Check in on Friday." in entry


def test_recording_an_entry_is_audited(client, case_url, colleague):
    client.post(f"{case_url}/entries", data=entry_form(client, case_url, **an_hour_ago(colleague)))
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "add_entry")) == 1


def test_a_correction_is_a_new_version_and_the_old_one_stays_visible(
        client, case_url, colleague):
    client.post(f"{case_url}/entries", data=entry_form(client, case_url, **an_hour_ago(colleague)))
    first = db.session.scalar(select(CaseEntry))
    url = f"{case_url}/entries/{first.public_id}/correct"
    page = client.get(url).get_data(as_text=True)
    assert SAID in page  # the form starts from what was recorded
    hidden = form_on(page, url)
    fixed = an_hour_ago(colleague, said="She said the page was made by a boy in Year 11.")
    assert client.post(url, data={**hidden, **fixed}).status_code == 302
    chronology = chronology_html(client, case_url)
    assert "a boy in Year 11" in chronology and "a boy in Year 10" in chronology
    assert "Earlier version (1)" in chronology and "version 2, a correction" in chronology
    assert db.session.scalar(select(func.count()).select_from(CaseEntry)) == 2
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "correct_entry")) == 1


def test_an_entry_without_what_was_said_comes_back_with_everything_typed(
        client, case_url, colleague):
    typed = an_hour_ago(colleague, said="", others="Mrs Khan, the pupil's aunt")
    refused = client.post(f"{case_url}/entries", data=entry_form(client, case_url, **typed))
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400
    assert "Please write what was said, agreed or decided." in page
    assert "Mrs Khan, the pupil&#39;s aunt" in page and "Check in on Friday." in page
    assert db.session.scalar(select(func.count()).select_from(CaseEntry)) == 0


def test_a_time_still_to_come_is_refused_plainly(client, case_url, colleague):
    later = london(utcnow() + timedelta(days=2))
    refused = client.post(f"{case_url}/entries", data=entry_form(
        client, case_url, **an_hour_ago(colleague, day=later.date().isoformat())))
    assert refused.status_code == 400
    assert "That time is still to come." in refused.get_data(as_text=True)


def test_staff_of_another_school_cannot_be_named_as_present(client, case_url, make):
    outsider = make.user(make.school("elm"), "staff")
    refused = client.post(f"{case_url}/entries", data=entry_form(
        client, case_url, **an_hour_ago(outsider)))
    assert refused.status_code == 400
    assert "Only staff of this school can be picked." in refused.get_data(as_text=True)


def test_an_entry_sent_twice_is_recorded_once(client, case_url, colleague):
    data = entry_form(client, case_url, **an_hour_ago(colleague))
    client.post(f"{case_url}/entries", data=data)
    again = client.post(f"{case_url}/entries", data=data, follow_redirects=True)
    assert "Already saved" in again.get_data(as_text=True)
    assert db.session.scalar(select(func.count()).select_from(CaseEntry)) == 1


def test_parents_told_and_not_told_are_shown_at_the_top_and_on_the_checklist(
        client, case_url):
    case = db.session.scalar(select(Case))
    for label in ("S.K.", "J.B."):
        client.post(f"{case_url}/people", data={"label": label, "role": "harmed"})
    db.session.refresh(case)
    sara, jay = case.people
    client.post(f"{case_url}/parents", data={"person": sara.id, "told": "yes",
                                             "told_by": "Ms Ahmed (DSL)", "told_on": "2025-03-03"})
    client.post(f"{case_url}/parents", data={
        "person": jay.id, "told": "no", "why_not": "He asked us not to; we agreed to wait."})
    page = client.get(case_url).get_data(as_text=True)
    top = page[:page.index('id="work-heading"')]
    assert "S.K.</strong>:\n      told by Ms Ahmed (DSL) on 03 Mar 2025." in top
    assert "J.B.</strong>:\n      not told. Why: He asked us not to; we agreed to wait." in top
    checklist = client.get(f"{case_url}/checklist").get_data(as_text=True)
    assert "told by Ms Ahmed (DSL) on 03 Mar 2025" in checklist
    assert "not told. Why: He asked us not to" in checklist
    assert db.session.scalar(select(func.count()).select_from(AuditEvent).where(
        AuditEvent.action == "parent_contact")) == 2


def test_parents_told_needs_who_and_when_and_keeps_what_was_typed(client, case_url):
    client.post(f"{case_url}/people", data={"label": "S.K.", "role": "harmed"})
    person = db.session.scalar(select(Case)).people[0]
    refused = client.post(f"{case_url}/parents", data={"person": person.id, "told": "yes",
                                                       "told_by": "Ms Ahmed", "told_on": ""})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 400 and "Please give the date they were told" in page
    assert 'value="Ms Ahmed"' in page
    assert db.session.scalar(select(func.count()).select_from(ParentContact)) == 0


@pytest.fixture
def clock(monkeypatch):
    clock = Clock(START)
    monkeypatch.setattr(sessions, "utcnow", clock)
    monkeypatch.setattr(auth_views, "utcnow", clock)
    return clock


def test_an_entry_typed_as_the_session_timed_out_is_saved_once_after_signing_in(
        clock, client, make, school, dsl, colleague):
    sign_in(client, dsl)
    report = make.report(school).report
    url = client.post(f"/staff/triage/reports/{report.public_id}/open-case").headers["Location"]
    typed = entry_form(client, url, **an_hour_ago(colleague))
    clock.advance(minutes=31)
    assert client.post(f"{url}/entries", data=typed).headers["Location"] == "/staff/sign-in"
    assert sign_in_again(client, dsl).headers["Location"] == "/staff/unsaved"
    offer = client.get("/staff/unsaved").get_data(as_text=True)
    assert "She said the page was made by a boy in Year 10." in offer
    kept = {**form_on(offer, f"{url}/entries"), **an_hour_ago(colleague)}
    assert client.post(f"{url}/entries", data=kept).headers["Location"].startswith(url)
    client.post(f"{url}/entries", data=kept)
    assert db.session.scalars(select(CaseEntry.said)).all() == [SAID]


def test_parents_contact_sent_twice_is_recorded_once(client, case_url):
    client.post(f"{case_url}/people", data={"label": "S.K.", "role": "harmed"})
    person = db.session.scalar(select(Case)).people[0]
    hidden = form_on(client.get(case_url).get_data(as_text=True), f"{case_url}/parents")
    typed = {**hidden, "person": person.id, "told": "no", "why_not": "She asked us to wait."}
    client.post(f"{case_url}/parents", data=typed)
    client.post(f"{case_url}/parents", data=typed)
    assert db.session.scalar(select(func.count()).select_from(ParentContact)) == 1
