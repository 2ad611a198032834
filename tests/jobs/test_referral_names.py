"""The names test: a minimised referral (POSH, another school) and the email the SMTP server
receives carry no variant of any child's name - legal, preferred, first name alone, surname,
hyphenated part - even where staff typed them in notes, unless the DSL left one in on
purpose; the police note carries both children's full names and dates of birth."""

from __future__ import annotations

import re
from datetime import date

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import AuditEvent, Pupil, Referral, TimelineEvent
from schoolsafe.services.cases import chronology
from schoolsafe.services.cases import opening as cases
from schoolsafe.services.cases import people as case_people
from schoolsafe.services.pupils import directory
from schoolsafe.services.pupils import linking as pupil_links
from schoolsafe.services.referrals import drafts
from tests.conftest import sending_app
from tests.factories import Factory, sign_in
from tests.jobs.test_referral_smtp import content, draft_and_send, received_for

NAMES = ("Maisie", "Mai", "Tobias", "Toby", "Adebayo", "Clarke", "Adebayo-Clarke", "Lindqvist",
         "Ward", "Lindqvist-Ward", "Kwame")
NOTES = ("Maisie says the page started after Mai fell out with Tobias.",
         "Spoke to Mrs Adebayo-Clarke; Mr Lindqvist-Ward is coming in on Monday.",
         "MAI and tobias were both upset at break.")
OTHER_SCHOOL_ADDRESS = "dsl@elm-school.example.org"
POLICE_ADDRESS = "referrals@force.example.org"


@pytest.fixture
def mail_app(database_url, tmp_path, smtp_server):
    yield from sending_app(database_url, tmp_path, smtp_server, "safeguarding@oak.example.org")


def add_pupil(school, upn: str, first: str, last: str, born: date, **fields) -> Pupil:
    pupil = Pupil(school_id=school.id, upn=upn, legal_first=first, legal_last=last,
                  date_of_birth=born, **fields)
    db.session.add(pupil)
    db.session.flush()
    directory.reindex(db.session, [pupil])
    return pupil


@pytest.fixture
def story(mail_app):
    make = Factory(mail_app)
    school = make.school(name="Oak Academy")
    dsl = make.user(school, "dsl")
    mai = add_pupil(school, "A1", "Maisie", "Adebayo-Clarke", date(2013, 3, 4),
                    preferred_first="Mai", year_group="Year 8", family_id="F1")
    tobias = add_pupil(school, "A2", "Tobias", "Lindqvist-Ward", date(2012, 12, 12),
                       other_names=["Toby"], year_group="Year 8")
    add_pupil(school, "A3", "Kwame", "Adebayo-Clarke", date(2011, 5, 6), family_id="F1")
    report = make.report(school, narrative="Someone made a page about Mai and Kwame.").report
    case = cases.open_case(db.session, report, dsl.id)
    for label, pupil, role in (("Maisie Adebayo-Clarke", mai, "harmed"),
                               ("Tobias Lindqvist-Ward", tobias, "alleged")):
        person = case_people.add_person(db.session, case, dsl.id, label=label,
                                        year_group="Year 8", role=role)
        db.session.flush()
        pupil_links.link(db.session, case, person, pupil, dsl.id)
    for note in NOTES:
        chronology.add_note(db.session, case, dsl.id, note)
    drafts.record_evidence(db.session, case, dsl.id, "Still on Mai's phone.")
    db.session.commit()
    client = mail_app.test_client()
    sign_in(client, dsl)
    return client, case


def named(text: str) -> list[str]:
    return [n for n in NAMES if re.search(rf"(?<![\w-]){re.escape(n)}(?![\w-])", text, re.I)]


def draft_with_notes(client, case, kind: str) -> Referral:
    """A minimised draft with the written account (reports and staff notes) put back."""
    client.post(f"/staff/triage/cases/{case.public_id}/referrals",
                data={"kind": kind, "include": "narrative"})
    return db.session.scalar(select(Referral).order_by(Referral.id.desc()))


def send(client, referral: Referral, to: str) -> None:
    client.post(f"/staff/triage/referrals/{referral.public_id}", data={
        "subject": referral.subject, "body": referral.body, "to": to, "action": "send"})


def test_minimised_notes_and_their_emails_carry_no_variant_of_any_name(story, smtp_server):
    client, case = story
    posh, posh_seen = draft_and_send(client, case, "posh")
    other = draft_with_notes(client, case, "other_school")
    send(client, other, OTHER_SCHOOL_ADDRESS)
    police, police_seen = draft_and_send(client, case, "police", POLICE_ADDRESS)
    smtp_server.wait_for(3)
    for referral, seen in ((posh, posh_seen), (other, other.body)):
        sent = content(received_for(smtp_server, referral)[0])
        assert named(seen) == [] and named(sent) == [], sent
    sent = content(received_for(smtp_server, other)[0])
    assert "[name left out] says the page started after [name left out] fell out" in sent
    assert "Spoke to Mrs [name left out]; Mr [name left out] is coming in" in sent
    assert "a page about [name left out] and [name left out]." in sent
    police_sent = content(received_for(smtp_server, police)[0])
    assert "Maisie Adebayo-Clarke (known as Mai), Year 8, born 4 March 2013" in police_sent
    assert "Tobias Lindqvist-Ward, Year 8, born 12 December 2012" in police_sent


def test_the_draft_shows_what_it_took_out_and_where(story):
    client, case = story
    referral = draft_with_notes(client, case, "posh")
    removed = {(r["name"], r["where"]) for r in referral.names_removed}
    assert ("Mai", "Where the evidence is") in removed
    assert ("Lindqvist-Ward", "What happened and when") in removed
    assert ("Kwame", "What happened and when") in removed  # a sibling named by the pupil
    page = client.get(f"/staff/triage/referrals/{referral.public_id}")
    assert "Names taken out" in page.text and "Where the evidence is" in page.text


def test_a_name_left_in_on_purpose_reaches_the_email_and_is_recorded(story, smtp_server):
    client, case = story
    referral = draft_with_notes(client, case, "other_school")
    kept = client.post(f"/staff/triage/referrals/{referral.public_id}/keep-name",
                       data={"name": "Tobias"})
    assert kept.status_code == 302
    db.session.refresh(referral)
    assert referral.names_kept == ["Tobias"]
    assert "fell out with Tobias" in referral.body and named(referral.body) == ["Tobias"]
    assert db.session.scalar(select(TimelineEvent.text).where(TimelineEvent.text.like(
        '%Chose to leave the name "Tobias" in the referral%')))
    assert db.session.scalar(select(AuditEvent.id).where(AuditEvent.action == "keep_name"))
    send(client, referral, OTHER_SCHOOL_ADDRESS)
    smtp_server.wait_for(1)
    sent = content(received_for(smtp_server, referral)[0])
    assert named(sent) == ["Tobias"]


def test_a_name_the_note_did_not_take_out_cannot_be_put_back(story):
    client, case = story
    client.post(f"/staff/triage/cases/{case.public_id}/referrals", data={"kind": "posh"})
    referral = db.session.scalar(select(Referral))
    refused = client.post(f"/staff/triage/referrals/{referral.public_id}/keep-name",
                          data={"name": "Somebody Else"})
    assert refused.status_code == 400 and "not one this note left out" in refused.text


def test_report_harmful_content_gets_no_name_either(story):
    client, case = story
    referral = draft_with_notes(client, case, "report_harmful_content")
    assert named(referral.body) == [] and "[name left out] says the page" in referral.body


@pytest.mark.parametrize("kind", ["police", "ceop", "social_care"])
def test_notes_that_get_names_give_each_childs_date_of_birth_and_year_group(story, kind):
    client, case = story
    client.post(f"/staff/triage/cases/{case.public_id}/referrals", data={"kind": kind})
    body = db.session.scalar(select(Referral.body).order_by(Referral.id.desc()))
    assert "Maisie Adebayo-Clarke (known as Mai), Year 8, born 4 March 2013" in body
    assert "Tobias Lindqvist-Ward, Year 8, born 12 December 2012" in body
