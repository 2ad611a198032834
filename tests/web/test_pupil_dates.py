"""Dates and times a pupil reads are in the page's language (Babel's day and month names and
its way of writing the time), in the school's own time zone."""

from __future__ import annotations

import re
from datetime import datetime

import pytest
from sqlalchemy import update

from schoolsafe.extensions import db
from schoolsafe.models import School
from schoolsafe.report import views
from schoolsafe.services.reports import followup
from tests.web.test_languages import PUPIL

# Monday 5 January 2026, 15:30 in London (UTC in winter); the reply on Wednesday at 09:05.
TOLD = datetime(2026, 1, 5, 15, 30)
REPLIED = datetime(2026, 1, 7, 9, 5)
# Saturday 14 June 2025, 10:00 in London: staff are back on Monday at 8:00.
WEEKEND = datetime(2025, 6, 14, 9, 0)
ALL = {"language": "en", "languages": ["en", "cy", "nl", "fr", "sv", "es"]}


@pytest.fixture
def thread(client, make):
    """Open the thread of a report told on TOLD with a reply on REPLIED, in a language."""
    school = make.school("oak", **ALL)
    submitted = make.report(school)
    report = submitted.report
    report.received_at = TOLD
    dsl = make.user(school, "dsl")
    followup.add_staff_reply(db.session, report, dsl.id, "Thank you.").created_at = REPLIED
    db.session.commit()

    def shown_in(language: str) -> str:
        page = client.post(f"/follow-up?lang={language}", data={"code": submitted.code}, **PUPIL)
        assert page.status_code == 200
        return page.get_data(as_text=True)

    return shown_in


def meta(page: str) -> str:
    return re.search(r'<p class="message-meta">[^,]+, ([^<]+)</p>', page).group(1)


@pytest.mark.parametrize(("language", "day", "reply"), [
    ("en", "Monday 5 January", "7 January, 09:05"),
    ("cy", "Dydd Llun 5 Ionawr", "7 Ionawr, 09:05"),
    ("sv", "måndag 5 januari", "7 januari, 09:05"),
    ("fr", "lundi 5 janvier", "7 janvier, 09:05"),
])
def test_the_thread_names_the_day_and_month_in_the_page_language(thread, language, day, reply):
    page = thread(language)
    assert f"{day}." in page
    assert meta(page) == reply


def test_the_thread_shows_times_in_the_school_time_zone(client, make, thread):
    db.session.execute(update(School).values(timezone="Europe/Stockholm"))
    db.session.commit()
    assert meta(thread("sv")) == "7 januari, 10:05"


@pytest.mark.parametrize(("language", "back"), [
    ("en", "on Monday at 8:00am"),
    ("sv", "måndag"),
    ("cy", "Dydd Llun"),
])
def test_the_confirmation_says_when_staff_are_back_in_the_page_language(
        client, make, monkeypatch, language, back):
    make.school("oak", **ALL)
    monkeypatch.setattr(views, "utcnow", lambda: WEEKEND)
    page = client.post(f"/tell/oak?lang={language}", data={"about": "self",
                                                            "choices": ["rumours"]}, **PUPIL)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and back in html
    if language != "en":
        assert "Monday" not in html and "8:00am" not in html and "08:00" in html
