"""The staff pages' queries read one school's rows by index, never every case in the authority.

A query-count test cannot see this: the case page sent as many statements when each of its
casework queries (people, tasks, entries, safety plans, files) first listed every case the
viewer may see in the whole database, and that page took 180 ms at a million reports on
SQLite. Here each statement the queue and the case page send is asked for its plan, and no
plan may read a whole table of cases, people or reports. SQLite only: its plans do not depend
on table statistics, so a small test database gives the plan the big one gets (PostgreSQL
chooses from statistics; bench/pages.py measures it at scale).
"""

from __future__ import annotations

import pytest
from sqlalchemy import event

from schoolsafe.extensions import db
from tests.factories import sign_in
from tests.web.test_query_counts import World

# Tables whose whole-table scan grows with the authority rather than with the page.
BIG = ("case_file", "seen_case", "case_person", "report", "case_task", "case_entry")


@pytest.fixture
def world(app, make) -> World:
    school = make.school("oak", name="Oak Academy")
    found = World(make, school, make.user(school, "dsl"), make.user(school, "staff"))
    found.grow(2)
    return found


def whole_table_reads(client, path: str) -> list[str]:
    """The plan lines, with their statement, that scan a big table on one GET of the page."""
    assert client.get(path).status_code == 200
    sent: list[tuple[str, object]] = []

    def listen(conn, cursor, statement, parameters, context, executemany) -> None:
        if statement.lstrip().upper().startswith(("SELECT", "WITH")):
            sent.append((statement, parameters))

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)
    found = []
    raw = db.engine.raw_connection()
    try:
        for statement, parameters in sent:
            for row in raw.cursor().execute("EXPLAIN QUERY PLAN " + statement, parameters):
                detail = row[3]
                if any(detail.startswith(f"SCAN {table}") and "USING" not in detail
                       for table in BIG):
                    found.append(f"{detail}  <-  {' '.join(statement.split())[:300]}")
    finally:
        raw.close()
    return found


# SQLite only: PostgreSQL plans come from table statistics, which a small test database
# does not have; bench/pages.py measures PostgreSQL at a million reports.
@pytest.mark.parametrize("database_url", ["sqlite"], indirect=True)
@pytest.mark.parametrize("page", ["queue", "queue, all reports", "case page"])
def test_a_staff_page_reads_no_whole_table_of_cases_or_reports(client, world, page):
    sign_in(client, world.dsl)
    path = {"queue": "/staff/triage/", "queue, all reports": "/staff/triage/?status=all",
            "case page": f"/staff/triage/cases/{world.case.public_id}"}[page]
    scans = whole_table_reads(client, path)
    assert not scans, f"{page} reads a whole table:\n  " + "\n  ".join(scans)
