"""Insight through the service layer: who may see which schools, the trust view, and SQL-only
counting (the number of queries does not grow with the number of reports)."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import event

from schoolsafe.extensions import db
from schoolsafe.models import Trust
from schoolsafe.services.insight import figures as insight
from schoolsafe.services.insight.csv_export import to_csv
from schoolsafe.services.insight.period import Period
from schoolsafe.services.insight.scope import ScopeError, choose, scopes_for

PERIOD = Period(date(2025, 1, 1), date(2025, 3, 31))
NOW = datetime(2025, 4, 1)
SECRETS = ("Amara Quist", "Tobias Wren", "posted it on Friday", "9Q Mrs Finch")


@pytest.fixture
def trust_world(make):
    riverside, hillside = Trust(name="Riverside Trust"), Trust(name="Hillside Trust")
    db.session.add_all([riverside, hillside])
    db.session.commit()
    schools = {
        "oak": make.school("oak", name="Oak School", trust_id=riverside.id),
        "elm": make.school("elm", name="Elm School", trust_id=riverside.id),
        "ash": make.school("ash", name="Ash School", trust_id=hillside.id),
        "yew": make.school("yew", name="Yew School"),
    }
    return {"riverside": riverside, "hillside": hillside, **schools}


def add_reports(make, school, count: int, when: datetime = datetime(2025, 2, 3)) -> None:
    for n in range(count):
        report = make.report(school, choices=("nude_shared",), reporter_name="Amara Quist",
                             friend_name="Tobias Wren", narrative="posted it on Friday",
                             reporter_year="9Q Mrs Finch").report
        report.received_at = when + timedelta(hours=n)
    db.session.commit()


def texts(value) -> list[str]:
    """Every string inside an Insight, however deeply nested."""
    if isinstance(value, str):
        return [value]
    if dataclasses.is_dataclass(value):
        return [t for f in dataclasses.fields(value) for t in texts(getattr(value, f.name))]
    if isinstance(value, dict):
        return [t for pair in value.items() for item in pair for t in texts(item)]
    if isinstance(value, list | tuple):
        return [t for item in value for t in texts(item)]
    return []


def test_a_dsl_sees_only_their_schools_with_exact_numbers(trust_world):
    oak, yew = trust_world["oak"], trust_world["yew"]
    scopes = scopes_for(db.session, [yew.id, oak.id], [])
    assert [(s.label, s.school_ids, s.exact_allowed) for s in scopes] == [
        ("Oak School", (oak.id,), True), ("Yew School", (yew.id,), True)]
    assert choose(scopes, None).label == "Oak School"
    with pytest.raises(ScopeError):
        choose(scopes, f"school-{trust_world['elm'].id}")


def test_a_trust_lead_sees_the_trust_and_its_schools_never_exactly(trust_world):
    oak, elm = trust_world["oak"], trust_world["elm"]
    scopes = scopes_for(db.session, [], [trust_world["riverside"].id])
    assert [(s.label, s.exact_allowed) for s in scopes] == [
        ("All schools in Riverside Trust", False), ("Elm School (Riverside Trust)", False),
        ("Oak School (Riverside Trust)", False)]
    whole = scopes[0]
    assert set(whole.school_ids) == {oak.id, elm.id}
    assert whole.school_names == {oak.id: "Oak School", elm.id: "Elm School"}
    assert (whole.audit_type, whole.audit_id) == ("trust", str(trust_world["riverside"].id))
    assert all(trust_world["ash"].id not in s.school_ids for s in scopes)


def test_a_dsl_who_leads_the_trust_keeps_exact_numbers_for_their_own_school_only(trust_world):
    oak = trust_world["oak"]
    scopes = scopes_for(db.session, [oak.id], [trust_world["riverside"].id])
    exact = {s.label: s.exact_allowed for s in scopes}
    assert exact == {"Oak School": True, "All schools in Riverside Trust": False,
                     "Elm School (Riverside Trust)": False}


def test_the_trust_view_hides_small_numbers_and_holds_no_pupil_text(make, trust_world):
    add_reports(make, trust_world["oak"], 7)
    add_reports(make, trust_world["elm"], 2)
    add_reports(make, trust_world["ash"], 3)  # another trust: not counted
    trust = scopes_for(db.session, [], [trust_world["riverside"].id])[0]
    result = insight.build(db.session, trust.school_ids, PERIOD, now=NOW, hide_below=5,
                           school_names=trust.school_names)
    month = result.over_time[0]
    assert [c.text for c in month.rows[0].months] == ["0", "9", "0"]
    by_school = {row.label: row.total.text for row in result.over_time[-1].rows}
    assert by_school == {"Elm School": "fewer than 5", "Oak School": "not shown"}
    years = {row.label: row.total.text for row in result.over_time[3].rows}
    assert years == {"Year 9": "9"}  # the typed "9Q Mrs Finch" is only ever "Year 9"
    everything = texts(result) + [to_csv(result, trust.label, NOW)]
    for secret in SECRETS:
        assert not any(secret in text for text in everything)


def count_queries(make, school, reports: int) -> int:
    return len(insight_statements(make, school, reports))


def insight_statements(make, school, reports: int) -> list[str]:
    add_reports(make, school, reports)
    statements: list[str] = []

    def seen(conn, cursor, statement, *args):
        statements.append(statement)

    event.listen(db.engine, "before_cursor_execute", seen)
    try:
        insight.build(db.session, (school.id,), PERIOD, now=NOW, hide_below=5)
    finally:
        event.remove(db.engine, "before_cursor_execute", seen)
    return statements


def test_the_number_of_queries_does_not_grow_with_the_number_of_reports(make, trust_world):
    few = count_queries(make, trust_world["oak"], 2)
    many = count_queries(make, trust_world["yew"], 40)
    assert few == many < 30


def test_every_figure_is_counted_in_two_statements(make, trust_world):
    """Each statement waits for its turn on a busy database server: the page's counts go as
    one statement of every grouped count, and one that reads the middle waits."""
    for school, reports in ((trust_world["oak"], 3), (trust_world["yew"], 30)):
        statements = insight_statements(make, school, reports)
        queries = [s for s in statements if not s.startswith("SET LOCAL")]
        assert len(queries) == 2, queries
        assert len(statements) <= 3  # PostgreSQL: plus SET LOCAL, which plans without workers


def test_the_demo_year_fills_every_figure_once(app, make):
    from sqlalchemy import func, select

    from schoolsafe.models import Case, OnlineAccount, Report

    school = make.school("demo", name="Demo Academy")
    make.user(school, "dsl")
    runner = app.test_cli_runner()
    result = runner.invoke(args=["insight", "demo-data"])
    assert result.exit_code == 0, result.output
    assert "Added 140 made-up reports to Demo Academy" in result.output
    assert db.session.scalar(select(func.count()).select_from(Report)) == 140
    assert db.session.scalar(select(func.count()).select_from(Case)) > 5
    statuses = set(db.session.scalars(select(OnlineAccount.status)))
    assert {"removed", "resurfaced"} <= statuses
    now = datetime.now()
    year = Period((now - timedelta(days=500)).date(), now.date())  # August ones move back
    shown = insight.build(db.session, (school.id,), year, now=now, hide_below=None)
    assert shown.over_time[0].rows[0].total.value == 140
    assert shown.acknowledgement[-1].acknowledged.value > 100
    assert sum(row.total.value for row in shown.referrals.rows) > 0
    again = runner.invoke(args=["insight", "demo-data"])
    assert again.exit_code != 0 and "already has reports" in again.output
    assert db.session.scalar(select(func.count()).select_from(Report)) == 140


def test_medians_of_an_even_and_an_odd_number_of_waits(make, trust_world):
    from schoolsafe.services.insight import counts as insight_counts

    oak = trust_world["oak"]
    waits = {"rumours": [10, 20, 30, 40], "threats": [5, 7, 600]}  # standard; high urgency
    for choice, minutes in waits.items():
        for wait in minutes:
            report = make.report(oak, choices=(choice,)).report
            report.received_at = datetime(2025, 2, 3, 9)
            report.acknowledged_at = report.received_at + timedelta(minutes=wait)
    db.session.commit()
    middles = insight_counts.count(db.session, (oak.id,), PERIOD, NOW).summary.medians
    assert middles["standard"] == pytest.approx(25)
    assert middles["high"] == pytest.approx(7)
    assert middles[None] == pytest.approx(20)  # 5 7 10 [20] 30 40 600


def test_a_report_naming_two_pages_on_one_platform_counts_once_there(make, trust_world):
    from schoolsafe.services.insight import counts as insight_counts
    from schoolsafe.services.register.linking import Place

    oak = trust_world["oak"]
    for places in ((Place("instagram", "@page_one"), Place("instagram", "@page_two"),
                    Place("snapchat", "snap: sender_9")), (Place("instagram", "@page_one"),)):
        report = make.report(oak, places=places).report
        report.received_at = datetime(2025, 2, 3, 9)
    db.session.commit()
    named = insight_counts.count(db.session, (oak.id,), PERIOD, NOW).tallies
    assert named["platform"] == {("instagram", "2025-02"): 2, ("snapchat", "2025-02"): 1}
    assert sum(named["kind"].values()) >= 2  # both reports name at least one kind
