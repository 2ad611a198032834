"""List pages cost the same number of queries with two rows or twelve: no N+1 anywhere.

Each page is loaded once over a small school, then the school grows (more reports naming more
places, lookalike pages, cases with notes and people, staff concerns, replies) and the page is
loaded again. The queries are counted with a `before_cursor_execute` listener on the engine,
so every statement the request sends is seen, whichever code sent it.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass

import pytest
from sqlalchemy import event

from schoolsafe.extensions import db
from schoolsafe.models import Case, OnlineAccount, School, User
from schoolsafe.services.cases import chronology
from schoolsafe.services.cases import opening as cases
from schoolsafe.services.cases import people as case_people
from schoolsafe.services.register.linking import Place
from schoolsafe.services.reports import concerns, followup, triage
from schoolsafe.services.reports.submit import ReportInput
from tests.factories import sign_in


@contextmanager
def counted() -> Iterator[list[str]]:
    """Collect every SQL statement sent while the block runs."""
    statements: list[str] = []

    def listen(conn, cursor, statement, parameters, context, executemany) -> None:
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", listen)
    try:
        yield statements
    finally:
        event.remove(db.engine, "before_cursor_execute", listen)


@dataclass
class World:
    """A school whose records grow round by round, through the real services."""

    make: object
    school: School
    dsl: User
    staff: User
    case: Case | None = None
    rounds: int = 0

    def grow(self, rounds: int) -> None:
        """Add `rounds` of pupil reports, cases, notes, replies and staff concerns."""
        key = self.make.app.config["SECRET_KEY"]
        for _ in range(rounds):
            n = self.rounds = self.rounds + 1
            report = self.make.report(self.school, choices=("bait_out_page", "rumours"), places=(
                Place("instagram", "@oakfield_exposed"),
                Place("instagram", f"@oakfield_exposed{n}"),   # a lookalike of the first
                Place("snapchat", f"yr10_gossip_page_{n}"),
            ), narrative=f"Report {n}").report
            self._work(report, n)
            concerns.log_concern(db.session, self.school, self.staff.id, ReportInput(
                about="friend", choices=("unwanted_messages",),
                places=(Place("tiktok", f"@sender_{n}"),)), key)
            db.session.commit()

    def _work(self, report, n: int) -> None:
        # Every report is replied to and acknowledged; all join one case, which fills up.
        followup.add_staff_reply(db.session, report, self.dsl.id, f"Thank you ({n}).")
        triage.acknowledge(report, self.dsl.id)
        if self.case is None:
            self.case = cases.open_case(db.session, report, self.dsl.id)
        else:
            cases.add_report(db.session, self.case, report, self.dsl.id)
        other = cases.open_case(db.session, self.make.report(self.school).report, self.dsl.id)
        chronology.add_note(db.session, self.case, self.dsl.id, f"Spoke to pupil {n}.")
        chronology.add_note(db.session, other, self.dsl.id, f"Checked with year head {n}.")
        case_people.add_person(db.session, self.case, self.dsl.id, label=f"Pupil {n}",
                               year_group="Year 10", role="harmed", date_of_birth="")


@pytest.fixture
def world(make) -> World:
    school = make.school("oak", name="Oak Academy")
    found = World(make, school, make.user(school, "dsl"), make.user(school, "staff"))
    found.grow(2)
    return found


def shared_entry(world: World) -> OnlineAccount:
    return db.session.scalars(db.select(OnlineAccount).where(
        OnlineAccount.school_id == world.school.id,
        OnlineAccount.canonical_key == "instagram:oakfield_exposed")).one()


# (page, who looks at it, how to find its address)
PAGES = {
    "queue": ("dsl", lambda w: "/staff/triage/"),
    "queue, all reports": ("dsl", lambda w: "/staff/triage/?status=all"),
    "case list": ("dsl", lambda w: "/staff/triage/cases"),
    "case page": ("dsl", lambda w: f"/staff/triage/cases/{w.case.public_id}"),
    "case audit trail": ("dsl", lambda w: f"/staff/triage/cases/{w.case.public_id}/audit"),
    "register list": ("dsl", lambda w: "/staff/register/"),
    "register entry": ("dsl", lambda w: f"/staff/register/entries/{shared_entry(w).public_id}"),
    "concerns list": ("staff", lambda w: "/staff/concerns/"),
    "insight": ("dsl", lambda w: "/staff/insight/"),
}


def queries_for(client, path: str) -> list[str]:
    """The statements one GET of the page sends (after a first, warming GET)."""
    assert client.get(path).status_code == 200
    with counted() as statements:
        response = client.get(path)
    assert response.status_code == 200, path
    return statements


@pytest.mark.parametrize("page", PAGES)
def test_a_page_sends_as_many_queries_for_twelve_rows_as_for_two(client, world, page):
    who, address = PAGES[page]
    sign_in(client, world.dsl if who == "dsl" else world.staff)
    few = queries_for(client, address(world))
    world.grow(10)
    many = queries_for(client, address(world))
    assert len(many) == len(few), (
        f"{page}: {len(few)} queries with 2 rounds, {len(many)} with 12:\n  "
        + "\n  ".join(s[:160].replace("\n", " ") for s in many))


def test_the_counter_sees_a_query_per_row_when_there_is_one(app, make):
    # The listener itself: loading rows one at a time is counted one query each.
    ids = [make.school().id for _ in range(3)]
    db.session.expunge_all()
    with counted() as statements:
        for school_id in ids:
            db.session.get(School, school_id)
    assert len(statements) == 3
