"""The DSL's queue: ranking, filters, search, pages, the unacknowledged count, and query cost."""

from __future__ import annotations

import re
from contextlib import contextmanager
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event

from schoolsafe.extensions import db
from schoolsafe.models.base import utcnow
from schoolsafe.services.register.linking import Place
from schoolsafe.services.reports import triage
from tests.factories import sign_in


def report_links(page: str) -> list[str]:
    """Public ids of the reports listed, in the order shown."""
    return re.findall(r'href="/staff/triage/reports/([^"]+)"', page)


def received(report, when: datetime) -> None:
    report.received_at = when
    db.session.commit()


@pytest.fixture
def dsl_client(client, make, school):
    sign_in(client, make.user(school, "dsl"))
    return client


def test_most_urgent_first_then_oldest_first(dsl_client, make, school):
    now = utcnow()
    old_standard = make.report(school).report
    new_immediate = make.report(school, factors=frozenset({"danger_now"})).report
    old_high = make.report(school, factors=frozenset({"adult_involved"})).report
    new_high = make.report(school, factors=frozenset({"under_13"})).report
    received(old_standard, now - timedelta(days=3))
    received(new_immediate, now - timedelta(minutes=5))
    received(old_high, now - timedelta(hours=5))
    received(new_high, now - timedelta(hours=1))
    page = dsl_client.get("/staff/triage/").get_data(as_text=True)
    assert report_links(page) == [new_immediate.public_id, old_high.public_id,
                                  new_high.public_id, old_standard.public_id]


def test_unacknowledged_count_shows_on_every_staff_page_and_drops_on_acknowledge(
        dsl_client, make, school):
    first = make.report(school).report
    make.report(school)
    for path in ("/staff/triage/", "/staff/concerns/", "/staff/triage/cases"):
        page = dsl_client.get(path).get_data(as_text=True)
        assert re.search(r'class="nav-count">2 new', page), path
    dsl_client.post(f"/staff/triage/reports/{first.public_id}/acknowledge")
    page = dsl_client.get("/staff/concerns/").get_data(as_text=True)
    assert re.search(r'class="nav-count">1 new', page)
    assert "<strong>1</strong> not yet acknowledged" in dsl_client.get(
        "/staff/triage/").get_data(as_text=True)


def test_a_filter_that_matches_nothing_still_shows_the_count_of_new_reports(
        dsl_client, make, school):
    make.report(school)
    make.report(school)
    page = dsl_client.get("/staff/triage/?urgency=immediate").get_data(as_text=True)
    assert "No reports match these filters." in page
    assert "<strong>2</strong> not yet acknowledged" in page
    assert re.search(r'class="nav-count">2 new', page)


def test_staff_without_the_dsl_role_see_no_count(client, make, school):
    make.report(school)
    sign_in(client, make.user(school, "staff"))
    page = client.get("/staff/concerns/").get_data(as_text=True)
    assert "nav-count" not in page
    assert client.get("/staff/triage/").status_code == 403


def test_closed_reports_leave_the_default_view_but_a_filter_finds_them(dsl_client, make, school):
    open_one = make.report(school).report
    closed = make.report(school).report
    closed.status = "closed"
    db.session.commit()
    assert report_links(dsl_client.get("/staff/triage/").get_data(as_text=True)) == [
        open_one.public_id]
    assert report_links(dsl_client.get("/staff/triage/?status=closed").get_data(
        as_text=True)) == [closed.public_id]
    assert len(report_links(dsl_client.get("/staff/triage/?status=all").get_data(
        as_text=True))) == 2


def test_filter_by_urgency_and_category(dsl_client, make, school):
    rumours = make.report(school, choices=("rumours",)).report
    nude = make.report(school, choices=("nude_shared",)).report
    urgent = make.report(school, choices=("rumours",), factors=frozenset({"self_harm"})).report
    assert report_links(dsl_client.get("/staff/triage/?urgency=immediate").get_data(
        as_text=True)) == [urgent.public_id]
    page = dsl_client.get("/staff/triage/?category=sexualised_bullying").get_data(as_text=True)
    assert set(report_links(page)) == {rumours.public_id, urgent.public_id}
    assert report_links(dsl_client.get("/staff/triage/?category=sharing_images").get_data(
        as_text=True)) == [nude.public_id]


def test_filter_by_case_assignee(dsl_client, make, school):
    lead = make.user(school, "dsl")
    mine = make.report(school).report
    loose = make.report(school).report
    dsl_client.post(f"/staff/triage/reports/{mine.public_id}/open-case")
    case_id = re.search(r'href="/staff/triage/cases/([^"/]+)"', dsl_client.get(
        f"/staff/triage/reports/{mine.public_id}").get_data(as_text=True)).group(1)
    dsl_client.post(f"/staff/triage/cases/{case_id}/assign", data={"assignee": lead.public_id})
    assert report_links(dsl_client.get(f"/staff/triage/?assignee={lead.public_id}").get_data(
        as_text=True)) == [mine.public_id]
    assert report_links(dsl_client.get("/staff/triage/?assignee=none").get_data(
        as_text=True)) == [loose.public_id]


def test_filter_by_date_range_uses_the_schools_days(dsl_client, make, school):
    early = make.report(school).report
    late = make.report(school).report
    # 23:30 UTC on 30 June is already 1 July in London (summer time).
    received(early, datetime(2026, 6, 29, 12, 0))
    received(late, datetime(2026, 6, 30, 23, 30))
    page = dsl_client.get("/staff/triage/?from=2026-07-01&to=2026-07-01").get_data(as_text=True)
    assert report_links(page) == [late.public_id]
    page = dsl_client.get("/staff/triage/?from=2026-06-29&to=2026-06-30").get_data(as_text=True)
    assert report_links(page) == [early.public_id]


def test_a_date_not_understood_is_named_and_the_other_filters_still_apply(dsl_client, make,
                                                                         school):
    make.report(school)
    urgent = make.report(school, factors=frozenset({"danger_now"})).report
    response = dsl_client.get("/staff/triage/?from=31/02/2026&urgency=immediate")
    page = response.get_data(as_text=True)
    assert response.status_code == 200
    assert "The &#39;From&#39; date wasn&#39;t understood" in page
    assert report_links(page) == [urgent.public_id]
    assert 'value="31/02/2026"' in page  # what was typed stays in the box


def test_search_by_handle_as_typed_or_as_registered(dsl_client, make, school):
    page_report = make.report(school, places=(
        Place("instagram", "https://www.instagram.com/Slags_Of_Oak_XX/"),)).report
    other = make.report(school, places=(Place("tiktok", "@someone_else"),)).report
    for term in ("slags_of_oak", "@Slags_of_oak_xx", "instagram.com/slags"):
        found = report_links(dsl_client.get(f"/staff/triage/?q={term}").get_data(as_text=True))
        assert found == [page_report.public_id], term
    assert report_links(dsl_client.get("/staff/triage/?q=someone").get_data(
        as_text=True)) == [other.public_id]
    assert report_links(dsl_client.get("/staff/triage/?q=%25").get_data(as_text=True)) == []


def test_search_by_case_reference(dsl_client, make, school):
    in_case = make.report(school).report
    make.report(school)
    dsl_client.post(f"/staff/triage/reports/{in_case.public_id}/open-case")
    year = utcnow().year
    page = dsl_client.get(f"/staff/triage/?q=C-{year}-0001").get_data(as_text=True)
    assert report_links(page) == [in_case.public_id]
    assert f"C-{year}-0001" in page


def test_pages_split_the_queue_and_keep_the_filters(dsl_client, make, school, monkeypatch):
    monkeypatch.setattr(triage, "PAGE_SIZE", 2)
    made = [make.report(school, factors=frozenset({"under_13"})).report for _ in range(5)]
    for n, report in enumerate(made):
        received(report, utcnow() - timedelta(hours=10 - n))
    make.report(school)  # standard: filtered out below
    first = dsl_client.get("/staff/triage/?urgency=high").get_data(as_text=True)
    assert report_links(first) == [r.public_id for r in made[:2]]
    assert "Page 1 of 3 (5 in all)" in first
    # The next page starts after the last report shown, and keeps the filter.
    assert (f'href="/staff/triage/?page=2&amp;after={made[1].public_id}&amp;urgency=high"'
            in first)
    third = dsl_client.get("/staff/triage/?urgency=high&page=3").get_data(as_text=True)
    assert report_links(third) == [made[4].public_id]
    assert "Page 3 of 3 (5 in all)" in third
    assert "Next page" not in third
    assert dsl_client.get("/staff/triage/?page=0").status_code == 404


def test_another_schools_reports_never_appear(dsl_client, make, school):
    elm = make.school("elm")
    theirs = make.report(elm, places=(Place("instagram", "@shared_page"),)).report
    ours = make.report(school, places=(Place("instagram", "@shared_page"),)).report
    page = dsl_client.get("/staff/triage/?status=all&q=shared_page").get_data(as_text=True)
    assert report_links(page) == [ours.public_id]
    assert theirs.public_id not in page


@contextmanager
def counted_queries():
    statements: list[str] = []

    def count(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", count)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", count)


def _busy_school(make, dsl_client, school, n: int) -> None:
    lead = make.user(school, "dsl")
    for i in range(n):
        report = make.report(school, choices=("rumours", "nude_shared"),
                             places=(Place("instagram", f"@page_{i}"),)).report
        if i % 2:
            dsl_client.post(f"/staff/triage/reports/{report.public_id}/open-case")
    for row in triage.queue(db.session, school.id, size=100).rows:
        if row.case_public_id:
            dsl_client.post(f"/staff/triage/cases/{row.case_public_id}/assign",
                            data={"assignee": lead.public_id})


@pytest.mark.parametrize("path", ["/staff/triage/", "/staff/triage/cases"])
def test_list_pages_cost_the_same_queries_for_few_or_many_rows(dsl_client, make, school, path):
    _busy_school(make, dsl_client, school, 2)
    with counted_queries() as few:
        assert dsl_client.get(path).status_code == 200
    _busy_school(make, dsl_client, school, 10)
    with counted_queries() as many:
        page = dsl_client.get(path).get_data(as_text=True)
    assert page.count("<tr") >= 7  # the rows really are there
    assert len(many) == len(few), "\n".join(many)
