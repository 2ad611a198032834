"""A register entry named again and again: each long list on its page comes a page at a time,
newest first, with exact totals, its own page number in the address, and a pager a screen
reader can find."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import PlatformReport, Sighting
from schoolsafe.models.base import utcnow
from schoolsafe.services.register import status as register_status
from schoolsafe.services.register.status import PlatformReportInput
from tests.factories import sign_in
from tests.unit.test_register_linking import SARA_OTHER, case_for, entry, named

NAMED = 23  # reports naming the entry: one full page of 20 and three more
SENT = 22  # reports made to the platform


@pytest.fixture
def oak(make):
    return make.school("oak", name="Oak Academy")


@pytest.fixture
def dsl(client, make, oak):
    user = make.user(oak, "dsl")
    sign_in(client, user)
    return user


@pytest.fixture
def busy(make, oak, dsl):
    """Sara's account named in 23 pupils' reports a day apart, each typed a little differently
    and each report in a case of its own; oldest first."""
    start = utcnow() - timedelta(days=60)
    reports = []
    for day in range(NAMED):
        report = named(make, oak, ("", f"instagram.com/brum_beef_100/?igsh=day{day}"))
        report.received_at = start + timedelta(days=day)
        for sighting in db.session.scalars(select(Sighting).where(Sighting.report_id == report.id)):
            sighting.seen_at = report.received_at
        reports.append(report)
    db.session.commit()
    cases = [case_for(oak, report) for report in reports]
    for day, case in enumerate(cases):
        case.opened_at = start + timedelta(days=day)
    db.session.commit()
    return entry(SARA_OTHER), reports, cases


def page_of(client, address: str) -> str:
    response = client.get(address)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def section(page: str, heading_id: str) -> str:
    """The part of the page from a heading up to the next heading of the same or higher level."""
    after = page.split(f'id="{heading_id}"', 1)[1]
    return re.split(r"<h[23][ >]", after, maxsplit=1)[0]


def links_to(text: str, records, prefix: str) -> list[bool]:
    return [f'href="{prefix}{record.public_id}"' in text for record in records]


def test_the_reports_and_cases_naming_a_busy_entry_come_newest_first_a_page_at_a_time(
        client, busy):
    account, reports, cases = busy
    address = f"/staff/register/entries/{account.public_id}"
    page = page_of(client, address)
    assert "Named in</dt><dd>23 reports and 23 cases at this school" in page

    listed = section(page, "reports-heading")
    assert links_to(listed, reports, "/staff/triage/reports/") == [False] * 3 + [True] * 20
    assert listed.index(reports[-1].public_id) < listed.index(reports[3].public_id)
    assert '<nav class="pager" aria-label="Pages of reports naming it">' in listed
    assert "Page 1 of 2 (23 in all)" in listed and "Previous page" not in listed
    assert f'href="{address}?reports_page=2#reports-heading">Next page' in listed

    older = section(page_of(client, f"{address}?reports_page=2"), "reports-heading")
    assert links_to(older, reports, "/staff/triage/reports/") == [True] * 3 + [False] * 20
    assert "Page 2 of 2 (23 in all)" in older and "Next page" not in older
    assert f'href="{address}#reports-heading">Previous page' in older

    listed = section(page, "cases-heading")
    assert links_to(listed, cases, "/staff/triage/cases/") == [False] * 3 + [True] * 20
    assert "Page 1 of 2 (23 in all)" in listed
    older = section(page_of(client, f"{address}?cases_page=2"), "cases-heading")
    assert links_to(older, cases, "/staff/triage/cases/") == [True] * 3 + [False] * 20


def test_a_page_number_past_either_end_or_not_a_number_shows_the_nearest_page(client, busy):
    account, reports, _cases = busy
    address = f"/staff/register/entries/{account.public_id}"
    for asked, oldest_shown in (("99", True), ("9" * 5000, True), ("0", False), ("-3", False),
                                ("two", False), ("²", False)):
        listed = section(page_of(client, f"{address}?reports_page={asked}"), "reports-heading")
        assert (f"/staff/triage/reports/{reports[0].public_id}" in listed) is oldest_shown, asked
        assert ("Page 2 of 2" if oldest_shown else "Page 1 of 2") in listed, asked


def test_each_list_pages_on_its_own_and_its_links_keep_the_others_in_place(client, busy):
    account, _reports, _cases = busy
    address = f"/staff/register/entries/{account.public_id}"
    page = page_of(client, f"{address}?reports_page=2")
    named_at = section(page, "sightings-heading")
    assert "?igsh=day22" in named_at and "?igsh=day2<" not in named_at  # newest first
    assert "Page 1 of 2 (23 in all)" in named_at
    assert (f'href="{address}?reports_page=2&amp;sightings_page=2#sightings-heading">'
            "Next page") in named_at
    named_at = section(page_of(client, f"{address}?reports_page=2&sightings_page=2"),
                       "sightings-heading")
    assert all(f"?igsh=day{day}<" in named_at for day in range(3))
    assert "?igsh=day3<" not in named_at


def test_reports_to_the_platform_and_the_history_page_and_answers_keep_their_numbers(
        client, busy, dsl):
    account = busy[0]
    start = utcnow() - timedelta(days=40)
    for n in range(1, SENT + 1):
        register_status.report_to_platform(
            db.session, account, PlatformReportInput("web_form", start + timedelta(days=n),
                                                     f"IG-{n}"), dsl.id)
    db.session.commit()
    address = f"/staff/register/entries/{account.public_id}"

    page = page_of(client, address)
    sent = section(page, "reports-to-platform-heading")
    assert '<ol class="platform-reports" reversed start="22">' in sent
    assert "IG-22" in sent and "IG-3<" in sent and "IG-2<" not in sent
    assert "Page 1 of 2 (22 in all)" in sent
    history = section(page, "history-heading")
    assert "Page 1 of 2 (23 in all)" in history  # first named, then 22 reports
    assert "reference IG-22." in history and "First named" not in history

    older = page_of(client, f"{address}?platform_reports_page=2&history_page=2")
    assert "First named" in section(older, "history-heading")
    sent = section(older, "reports-to-platform-heading")
    assert '<ol class="platform-reports" reversed start="2">' in sent
    answer = f"/staff/register/entries/{account.public_id}/platform-reports/1/answer"
    assert f'action="{answer}?history_page=2&amp;platform_reports_page=2"' in sent

    # A refused answer comes back on the same page, with the form open and the text kept.
    response = client.post(f"{answer}?history_page=2&platform_reports_page=2",
                           data={"outcome": "", "answer": "Still checking"})
    assert response.status_code == 400
    refused = section(response.get_data(as_text=True), "reports-to-platform-heading")
    assert "Please choose what the platform did." in refused
    assert '<details class="answer" open>' in refused and "Still checking</textarea>" in refused

    response = client.post(f"{answer}?history_page=2&platform_reports_page=2",
                           data={"outcome": "still_up", "answered_date": utcnow().date()
                                 .isoformat(), "answer": "They said no"})
    assert response.status_code == 302
    assert response.headers["Location"].endswith(
        f"{address}?history_page=2&platform_reports_page=2")
    first = db.session.scalars(select(PlatformReport).order_by(PlatformReport.reported_at)).first()
    assert first.reference == "IG-1" and "They said no" in first.response
    assert "They said no" in section(page_of(client, response.headers["Location"]),
                                     "reports-to-platform-heading")


def test_an_entry_named_once_has_no_pagers(client, make, oak, dsl):
    named(make, oak, ("instagram", "@brum_beef_100"))
    page = page_of(client, f"/staff/register/entries/{entry(SARA_OTHER).public_id}")
    assert "Named in</dt><dd>1 report and 0 cases at this school" in page
    assert 'class="pager"' not in page and "Newest first." not in page
