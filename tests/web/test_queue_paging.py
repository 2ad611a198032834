"""Paging through the DSL's queue: every report once, in order, at any depth, with filters kept.

A page's links name the report the next (or previous) page starts beside, so a deep page is
read from that place in the queue's order; a page number typed on its own still works.
"""

from __future__ import annotations

import html
import re
from datetime import timedelta

import pytest
from sqlalchemy import select

from schoolsafe.extensions import db
from schoolsafe.models import Report
from schoolsafe.models.base import utcnow
from schoolsafe.services.register.linking import Place
from schoolsafe.services.reports import triage
from tests.factories import sign_in

# Urgency factors that give each level; reports of every level are mixed through the queue.
FACTORS = (frozenset({"danger_now"}), frozenset({"under_13"}), frozenset(), frozenset())


def report_links(page: str) -> list[str]:
    """Public ids of the reports listed, in the order shown."""
    return re.findall(r'href="/staff/triage/reports/([^"]+)"', page)


def link(page: str, text: str) -> str | None:
    """The address of the pager link with this text, if the page has one."""
    found = re.search(rf'<a href="([^"]+)">{text}</a>', page)
    return html.unescape(found.group(1)) if found else None


def walk(client, start: str, direction: str = "Next page") -> list[tuple[str, list[str]]]:
    """Follow the pager from `start` to the end: each page's position text and reports."""
    pages, address = [], start
    while address:
        page = client.get(address).get_data(as_text=True)
        pages.append((re.search(r"Page \d+ of \d+ \(\d+ in all\)", page).group(0),
                      report_links(page)))
        address = link(page, direction)
    return pages


def in_queue_order(school_id: int, *conditions) -> list[str]:
    """Every matching report of the school, most urgent first, then oldest, then first made."""
    return list(db.session.scalars(
        select(Report.public_id).where(Report.school_id == school_id, *conditions)
        .order_by(Report.urgency_rank, Report.received_at, Report.id)))


@pytest.fixture
def dsl_client(client, make, school):
    sign_in(client, make.user(school, "dsl"))
    return client


@pytest.fixture
def busy(make, school, monkeypatch):
    """Seventeen reports of mixed urgency and status, some received at the very same moment,
    shown three to a page (six pages)."""
    monkeypatch.setattr(triage, "PAGE_SIZE", 3)
    start = utcnow() - timedelta(days=30)
    for n in range(17):
        report = make.report(school, factors=FACTORS[n % 4], places=(
            Place("instagram", f"@{'oak_gossip' if n % 3 == 0 else 'year9_chat'}_{n}"),)).report
        # Pairs share a timestamp, so the order within a tie must be kept across pages too.
        report.received_at = start + timedelta(hours=n // 2)
        report.status = "closed" if n % 5 == 0 else report.status
    db.session.commit()


def test_following_next_shows_every_report_once_in_queue_order(dsl_client, school, busy):
    pages = walk(dsl_client, "/staff/triage/?status=all")
    assert [position for position, _ in pages] == [
        f"Page {n} of 6 (17 in all)" for n in range(1, 7)]
    shown = [public_id for _, rows in pages for public_id in rows]
    assert shown == in_queue_order(school.id)
    assert all(len(rows) == 3 for _, rows in pages[:-1])


def test_previous_walks_back_through_the_same_pages(dsl_client, school, busy):
    forward = walk(dsl_client, "/staff/triage/?status=all")
    last_page = dsl_client.get("/staff/triage/?status=all&page=6").get_data(as_text=True)
    assert report_links(last_page) == forward[-1][1]
    backward = walk(dsl_client, "/staff/triage/?status=all&page=6", "Previous page")
    assert backward == forward[::-1]
    # The way back ends on the plain first page, not on an address that names a report.
    page_two = dsl_client.get(walk_to(dsl_client, "/staff/triage/?status=all", 2))
    assert link(page_two.get_data(as_text=True), "Previous page") == (
        "/staff/triage/?page=1&status=all")


def walk_to(client, start: str, number: int) -> str:
    """The address "Next page" leads to after `number - 1` clicks."""
    address = start
    for _ in range(number - 1):
        address = link(client.get(address).get_data(as_text=True), "Next page")
    return address


def test_a_page_number_typed_alone_shows_the_same_reports_as_the_links(dsl_client, school,
                                                                       busy):
    forward = walk(dsl_client, "/staff/triage/?status=all")
    for number, (position, rows) in enumerate(forward, start=1):
        page = dsl_client.get(f"/staff/triage/?status=all&page={number}").get_data(
            as_text=True)
        assert report_links(page) == rows and position in page


def test_filters_and_search_stay_on_every_page(dsl_client, school, busy):
    pages = walk(dsl_client, "/staff/triage/?status=all&q=oak_gossip")
    shown = [public_id for _, rows in pages for public_id in rows]
    gossip = [r for r in in_queue_order(school.id) if r in set(shown)]
    assert shown == gossip and len(shown) == 6  # reports 0, 3, 6, 9, 12, 15
    assert [position for position, _ in pages] == ["Page 1 of 2 (6 in all)",
                                                   "Page 2 of 2 (6 in all)"]
    pages = walk(dsl_client, "/staff/triage/?urgency=standard")
    shown = [public_id for _, rows in pages for public_id in rows]
    assert shown == in_queue_order(school.id, Report.urgency == "standard",
                                   Report.status != "closed")


def test_a_report_arriving_meanwhile_does_not_repeat_a_row_on_the_next_page(
        dsl_client, make, school, busy):
    first = dsl_client.get("/staff/triage/?status=all").get_data(as_text=True)
    order_then = in_queue_order(school.id)
    arrived = make.report(school, factors=frozenset({"danger_now"})).report
    received_first = db.session.scalar(select(Report.received_at).order_by(Report.received_at))
    arrived.received_at = received_first - timedelta(hours=1)  # now first in the whole queue
    db.session.commit()
    second = dsl_client.get(link(first, "Next page")).get_data(as_text=True)
    # Page 2 carries on straight after the last report page 1 showed: nothing shown twice.
    assert report_links(second) == order_then[3:6]
    assert in_queue_order(school.id)[0] == arrived.public_id


def test_a_link_naming_another_schools_report_falls_back_to_the_page_number(
        dsl_client, make, school, busy):
    elm = make.school("elm")
    theirs = make.report(elm).report
    page = dsl_client.get(f"/staff/triage/?status=all&page=2&after={theirs.public_id}")
    assert page.status_code == 200
    assert report_links(page.get_data(as_text=True)) == in_queue_order(school.id)[3:6]


def test_previous_that_reaches_the_start_early_shows_the_real_first_page(
        dsl_client, school, busy):
    third = dsl_client.get(walk_to(dsl_client, "/staff/triage/?status=all", 3)).get_data(
        as_text=True)
    # Meanwhile four of the reports before it are re-graded and move to the end of the queue.
    for public_id in in_queue_order(school.id)[:4]:
        report = db.session.scalar(select(Report).where(Report.public_id == public_id))
        report.urgency, report.urgency_rank, report.received_at = "standard", 3, utcnow()
    db.session.commit()
    page = dsl_client.get(link(third, "Previous page")).get_data(as_text=True)
    assert report_links(page) == in_queue_order(school.id)[:3]
    assert "Page 1 of 6 (17 in all)" in page and "Previous page" not in page


@pytest.mark.parametrize("path", ["/staff/triage/", "/staff/triage/cases", "/staff/concerns/"])
def test_a_page_number_too_long_to_be_a_page_shows_a_page_not_an_error(client, make, path):
    school = make.school()
    sign_in(client, make.user(school, "dsl"))
    assert client.get(f"{path}?page=99999999999999999999").status_code == 200
