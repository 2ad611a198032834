"""A long chronology is shown a page at a time: the newest page first, with links to earlier
and later entries, and nothing lost or shown twice at a page boundary."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Case, ReportMessage, TimelineEvent
from schoolsafe.models.base import utcnow
from schoolsafe.services.cases import chronology

NOTES = 54


@pytest.fixture
def dsl(make, school):
    return make.user(school, "dsl", email="lead@oak.example")


@pytest.fixture
def long_case(dsl_client, make, school, dsl) -> Case:
    """A report, two pupil messages, an event on the report and 54 notes, interleaved in time.

    Opening the case adds its own two entries after all of these (they happen now): 60 in all,
    so the oldest page holds ten.
    """
    base = utcnow() - timedelta(days=10)
    report = make.report(school, narrative="They made a page about me.").report
    report.received_at = base
    db.session.add_all([
        ReportMessage(report_id=report.id, author="pupil", body="It is still up.",
                      created_at=base + timedelta(hours=2, minutes=30)),
        ReportMessage(report_id=report.id, author="pupil", body="Now there are two pages.",
                      created_at=base + timedelta(hours=7, minutes=30)),
        TimelineEvent(school_id=school.id, report_id=report.id, kind="action",
                      text="Read the report.", actor_id=dsl.id,
                      at=base + timedelta(hours=8, minutes=30)),
    ])
    db.session.commit()
    response = dsl_client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    case = db.session.scalar(select(Case).where(
        Case.public_id == response.headers["Location"].rsplit("/", 1)[1]))
    db.session.add_all([
        TimelineEvent(school_id=school.id, case_id=case.id, kind="note", text=f"Note {n}.",
                      actor_id=dsl.id, at=base + timedelta(hours=n))
        for n in range(1, NOTES + 1)])
    db.session.commit()
    return case


def expected_start() -> list[str]:
    """The texts of the entries written before the case was opened, oldest first."""
    texts = ["They made a page about me."]
    for n in range(1, NOTES + 1):
        texts.append(f"Note {n}.")
        if n == 2:
            texts.append("It is still up.")
        if n == 7:
            texts.append("Now there are two pages.")
        if n == 8:
            texts.append("Read the report.")
    return texts


def case_page(client, case: Case, query: str = "") -> str:
    response = client.get(f"/staff/triage/cases/{case.public_id}{query}")
    assert response.status_code == 200
    return response.get_data(as_text=True)


def shown(page: str) -> list[str]:
    """The text of each chronology entry on the page, in the order shown."""
    listing = page.split('<ol class="chronology">')[1].split("</ol>")[0]
    return [re.sub(r"<[^>]+>", "", text)
            for text in re.findall(r'<p class="entry-text">(.*?)</p>', listing, re.S)]


def pager(page: str) -> str:
    return page.split('<nav class="pager" aria-label="Chronology pages">')[1].split("</nav>")[0]


def links(page: str) -> dict[str, str]:
    """The pager's links by their words."""
    return {words: href.replace("&amp;", "&")
            for href, words in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)</a>', pager(page))}


def test_a_long_chronology_opens_on_its_newest_page(dsl_client, long_case):
    total = len(chronology.entries(db.session, long_case))
    page = case_page(dsl_client, long_case)
    entries = shown(page)
    assert len(entries) == 50
    # The newest entries, oldest first within the page, ending with what just happened.
    everything = [e.text for e in chronology.entries(db.session, long_case)]
    assert entries == everything[-50:]
    assert f"Page 2 of 2 ({total} entries)" in pager(page)
    assert "A long chronology is shown 50 entries at a time, starting with the newest." in page
    assert links(page) == {
        "Earlier entries": f"/staff/triage/cases/{long_case.public_id}?chronology=1#chronology"}


def test_earlier_entries_are_a_link_away_and_nothing_is_lost_between_pages(dsl_client,
                                                                        long_case):
    newest = case_page(dsl_client, long_case)
    earlier = case_page(dsl_client, long_case, "?chronology=1")
    assert "Page 1 of 2" in pager(earlier)
    assert links(earlier) == {
        "Later entries": f"/staff/triage/cases/{long_case.public_id}?chronology=2#chronology"}
    # Reports, pupil messages and events stay in time order across the boundary.
    together = shown(earlier) + shown(newest)
    assert together[:len(expected_start())] == expected_start()
    assert len(together) == len(set(together)) == len(chronology.entries(db.session, long_case))
    assert shown(earlier)[-2:] == ["Note 7.", "Now there are two pages."]
    assert shown(newest)[:3] == ["Note 8.", "Read the report.", "Note 9."]


@pytest.mark.parametrize(("asked", "shows"), [("?chronology=99", "Page 2 of 2"),
                                              ("?chronology=0", "Page 1 of 2"),
                                              ("?chronology=-4", "Page 1 of 2"),
                                              ("?chronology=soon", "Page 2 of 2"),
                                              ("?chronology=%C2%B2", "Page 2 of 2"),
                                              ("?chronology=" + "9" * 5000, "Page 2 of 2")])
def test_a_page_number_out_of_range_shows_the_nearest_page(dsl_client, long_case, asked,
                                                           shows):
    assert shows in pager(case_page(dsl_client, long_case, asked))


def test_a_middle_page_links_both_ways_and_to_either_end(app, dsl_client, long_case, school,
                                                         dsl):
    db.session.add_all([TimelineEvent(school_id=school.id, case_id=long_case.id, kind="note",
                                      text=f"Later note {n}.", actor_id=dsl.id)
                        for n in range(60)])
    db.session.commit()
    page = case_page(dsl_client, long_case, "?chronology=2")
    total = len(chronology.entries(db.session, long_case))
    assert f"Page 2 of 3 ({total} entries)" in pager(page)
    address = f"/staff/triage/cases/{long_case.public_id}"
    assert links(page) == {"Earlier entries": f"{address}?chronology=1#chronology",
                           "Later entries": f"{address}?chronology=3#chronology"}
    first = case_page(dsl_client, long_case, "?chronology=1")
    assert links(first)["Newest entries"] == f"{address}#chronology"
    last = case_page(dsl_client, long_case)
    assert links(last)["Oldest entries"] == f"{address}?chronology=1#chronology"


def test_a_short_chronology_is_shown_whole_without_pages(dsl_client, make, school):
    report = make.report(school, narrative="Someone posted my photo.").report
    response = dsl_client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    page = dsl_client.get(response.headers["Location"]).get_data(as_text=True)
    assert 'aria-label="Chronology pages"' not in page
    assert "50 entries at a time" not in page
    assert shown(page)[0] == "Someone posted my photo."
    assert len(shown(page)) == 3  # the report, opening the case and its checklist


def test_a_note_added_to_a_long_case_is_on_the_page_you_land_on(dsl_client, long_case):
    response = dsl_client.post(f"/staff/triage/cases/{long_case.public_id}/notes",
                               data={"body": "Called the parent back."},
                               follow_redirects=True)
    assert "Note added." in response.get_data(as_text=True)
    assert shown(response.get_data(as_text=True))[-1] == "Called the parent back."


def test_a_refused_note_keeps_the_newest_page_and_what_was_typed(dsl_client, long_case):
    response = dsl_client.post(f"/staff/triage/cases/{long_case.public_id}/notes",
                               data={"body": "data:image/png;base64,iVBORw0KGgo"})
    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Page 2 of 2" in pager(page)
    assert ">data:image/png;base64,iVBORw0KGgo</textarea>" in page


def test_the_printable_case_file_still_has_every_entry(dsl_client, long_case):
    page = dsl_client.get(f"/staff/triage/cases/{long_case.public_id}/export"
                          ).get_data(as_text=True)
    printed = shown(page)
    assert printed[:len(expected_start())] == expected_start()
    assert printed == [e.text for e in chronology.entries(db.session, long_case)]


def test_pages_of_the_service_join_up_to_the_whole_chronology(long_case):
    whole = chronology.entries(db.session, long_case)
    first = chronology.page(db.session, long_case, 1, size=7)
    pieces = [chronology.page(db.session, long_case, n, size=7).entries
              for n in range(1, first.last + 1)]
    assert first.total == len(whole) and first.last == -(-len(whole) // 7)
    assert [e for piece in pieces for e in piece] == whole
    # The newest page is the full one; the oldest holds what is left over.
    assert len(pieces[-1]) == 7 and 1 <= len(pieces[0]) <= 7
