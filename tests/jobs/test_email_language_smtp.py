"""Emails and referral notes reach a real SMTP server (STARTTLS and login) in their reader's
language: the school's, or a member of staff's own when they chose one.

No catalogue is translated yet, so these tests compile a pretend one in which every marked
string reads as "SV:" (Swedish) or "FR:" (French) + the English: a line still in English is a
line that did not go through the catalogue."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import babel, db
from schoolsafe.jobs.escalate import escalate_due
from schoolsafe.jobs.queue import run_ready_jobs
from schoolsafe.models import Case, Report, TimelineEvent
from schoolsafe.services import words
from schoolsafe.services.jurisdictions.packs import JURISDICTIONS_DIR, load_jurisdictions
from schoolsafe.vocab import EventKind, Role
from tests.conftest import sending_app
from tests.factories import Factory, sign_in
from tests.jobs.test_referral_smtp import content, draft_and_send, received_for
from tests.support.pretend_catalogue import write_pretend_catalogue

LINK = re.compile(r"^https?://\S+$")
PUPIL_WORDS = "He keeps sending me messages on Snapchat"


@pytest.fixture(scope="module")
def pretend_catalogues(tmp_path_factory):
    directory = tmp_path_factory.mktemp("catalogues")
    write_pretend_catalogue(directory, "sv", "SV:")
    write_pretend_catalogue(directory, "fr", "FR:")
    return directory


@pytest.fixture
def mail_app(database_url, tmp_path, smtp_server, pretend_catalogues):
    """The app sending through the SMTP server, its pages and services reading the pretend
    catalogues; the real ones again afterwards."""
    running = sending_app(database_url, tmp_path, smtp_server, "safeguarding@ek.example.se",
                          BABEL_TRANSLATION_DIRECTORIES=str(pretend_catalogues))
    application = next(running)
    # Flask-Babel keeps catalogues once read, by language, for every app in the process.
    babel.domain_instance.cache.clear()
    try:
        yield application
    finally:
        babel.domain_instance.cache.clear()
        words.read_catalogues_from(words.CATALOGUES)
        next(running, None)


def school_open_all_day(make: Factory, slug: str, language: str):
    return make.school(slug, name=f"{slug.title()} School", language=language,
                       languages=[language, "en"], hours_start="00:00", hours_end="23:59",
                       open_days=[1, 2, 3, 4, 5, 6, 7])


def pupil_tells(client, slug: str) -> Report:
    # The pupil reads the page in English: the staff's email is still in the school's language.
    response = client.post(f"/tell/{slug}?lang=en", data={
        "about": "self", "choices": ["asked_for_nudes"], "narrative": PUPIL_WORDS})
    assert response.status_code == 200
    return db.session.scalar(select(Report).order_by(Report.id.desc()))


def untranslated(text: str, prefix: str) -> list[str]:
    """The lines of an email that did not come through the catalogue (links aside)."""
    return [line for line in text.splitlines() if line.strip()
            and not line.strip().startswith(prefix) and not LINK.match(line.strip())]


def test_a_swedish_schools_alerts_are_in_swedish_and_a_dsl_who_chose_french_reads_french(
        mail_app, smtp_server):
    make = Factory(mail_app)
    school = school_open_all_day(make, "ek", "sv")
    make.user(school, Role.DSL, email="lead@ek.example.se")
    make.user(school, Role.DSL, email="deputy@ek.example.se").language = "fr"
    db.session.commit()

    report = pupil_tells(mail_app.test_client(), "ek")
    alerts = {message["To"]: message for message in smtp_server.wait_for(2)}
    swedish, french = alerts["lead@ek.example.se"], alerts["deputy@ek.example.se"]
    assert swedish["Subject"] == "SV:schoolsafe: a new report is waiting"
    assert untranslated(swedish.get_content(), "SV:") == []
    assert f"SV:Urgency: SV:{report.urgency.title()}" in swedish.get_content()
    assert french["Subject"] == "FR:schoolsafe: a new report is waiting"
    assert untranslated(french.get_content(), "FR:") == []

    smtp_server.clear()
    escalate_due(report.received_at + timedelta(minutes=61))  # as cron's `flask escalate`
    run_ready_jobs()
    [still_waiting, *_] = smtp_server.wait_for(1)
    assert still_waiting["Subject"].startswith("SV:schoolsafe: a report is still waiting")
    assert untranslated(still_waiting.get_content(), "SV:") == []
    assert "SV:1 hour SV:1 minute" in still_waiting.get_content()
    # The report's history keeps the escalation in the school's language too.
    [history] = db.session.scalars(select(TimelineEvent.text).where(
        TimelineEvent.kind == EventKind.ESCALATION)).all()
    assert history.startswith("SV:") and "SV:1 hour SV:1 minute" in history


def test_a_password_reset_email_is_in_the_language_the_staff_member_chose(mail_app, smtp_server):
    make = Factory(mail_app)
    english_school = make.school("oak")
    teacher = make.user(english_school, Role.STAFF, email="teacher@oak.example.org")
    teacher.language = "sv"
    db.session.commit()

    mail_app.test_client().post("/staff/forgot-password", data={"email": teacher.email})
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "SV:schoolsafe: choose a new password"
    assert untranslated(message.get_content().replace(" " * 4, "SV:"), "SV:") == []


def test_a_french_schools_referral_note_reaches_the_police_in_french(mail_app, smtp_server):
    make = Factory(mail_app)
    school = school_open_all_day(make, "chene", "fr")
    dsl = make.user(school, Role.DSL, email="dsl@chene.example.be")
    report = pupil_tells(mail_app.test_client(), "chene")
    smtp_server.wait_for(1)
    smtp_server.clear()
    client = mail_app.test_client()
    sign_in(client, dsl)
    client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    case = db.session.scalar(select(Case))

    referral, seen = draft_and_send(client, case, "police", to="referrals@police.example.be")
    run_ready_jobs()
    smtp_server.wait_for(1)
    message, envelope = received_for(smtp_server, referral)
    assert list(envelope.rcpt_tos) == ["referrals@police.example.be"]
    assert re.fullmatch(r"FR:(Urgent r|R)eferral from Chene School: case \S+", message["Subject"])
    body = content(message)
    assert body == seen
    # Every line is the catalogue's, a heading's underline, the pupil's own words or what the
    # jurisdiction pack asks of the police (the pack's own texts carry their languages).
    asks = load_jurisdictions(JURISDICTIONS_DIR)["england-wales"].recipients["police"].asks
    left = [line for line in untranslated(body, "FR:")
            if not re.fullmatch(r"-+", line) and line.lstrip("- ").strip() != PUPIL_WORDS
            and not line.lstrip("- ").startswith("FR:") and line != asks.strip()]
    assert left == []
    assert "FR:Summary" in body.splitlines() and "FR:Contact" in body.splitlines()
