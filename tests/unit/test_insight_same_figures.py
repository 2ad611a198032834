"""Insight's faster counting shows the same figures as the counting it replaced.

The earlier queries are kept here as the reference: a statement per count, one pass over
the school's register entries with the platform-report check inside it, and the median
waits ranked with window functions. Every figure insight builds (each count, hidden or not,
each median and slowest wait, the register, referrals and cases) is compared, on data made
by the bulk generator behind bench/generate.py and by the demo year, on both databases.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

import pytest
from sqlalchemy import and_, case, distinct, exists, func, literal_column, or_, select, union_all
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement

from devdata.bulk_seed import Volumes, seed
from schoolsafe.extensions import db
from schoolsafe.models import (
    Case,
    OnlineAccount,
    PlatformReport,
    Referral,
    Report,
    ReportCategory,
    School,
    Sighting,
    Trust,
)
from schoolsafe.models.base import utcnow
from schoolsafe.security.passwords import hash_password
from schoolsafe.services.insight import counts
from schoolsafe.services.insight import figures as insight
from schoolsafe.services.insight.csv_export import to_csv
from schoolsafe.services.insight.period import Period, default_period
from schoolsafe.services.insight.sql import MinutesBetween, MonthOf
from schoolsafe.vocab import (
    AccountStatus,
    CaseStatus,
    ReferralState,
    RegisterChange,
    ReportSource,
)
from tests.conftest import BACKENDS, make_app, migrated
from tests.factories import PASSWORD

GENERATED = Volumes(schools=4, reports=1600, years=3, schools_per_trust=2,
                    long_case_entries=10, seed=23)


# -- the reference: insight's counting as it was, one query per count ----------------------

def received_in(school_ids: tuple[int, ...], period: Period) -> list[ColumnElement[bool]]:
    return [Report.school_id.in_(school_ids), Report.received_at >= period.since,
            Report.received_at < period.until]


def reference_tally(session: Session, school_ids: tuple[int, ...], period: Period,
                    dimension: str) -> counts.Tally:
    month = MonthOf(Report.received_at)
    if dimension == "category":
        query = (select(ReportCategory.category, month, func.count()).select_from(Report)
                 .join(ReportCategory, ReportCategory.report_id == Report.id)
                 .group_by(ReportCategory.category, month))
    else:
        answer = func.lower(func.trim(Report.reporter_year))
        query = select(answer, month, func.count()).group_by(answer, month)
    query = query.where(*received_in(school_ids, period))
    return {("" if g is None else str(g), m): n for g, m, n in session.execute(query)}


def reference_named(session: Session, school_ids: tuple[int, ...],
                    period: Period) -> dict[str, counts.Tally]:
    named = (select(Report.id, OnlineAccount.platform, OnlineAccount.kind,
                    MonthOf(Report.received_at).label("month"))
             .join(Sighting, Sighting.report_id == Report.id)
             .join(OnlineAccount, OnlineAccount.id == Sighting.account_id)
             .where(*received_in(school_ids, period)).distinct().cte("named"))
    per = [select(literal_column(f"'{name}'"), column, named.c.month,
                  func.count(distinct(named.c.id))).group_by(column, named.c.month)
           for name, column in (("platform", named.c.platform), ("kind", named.c.kind))]
    found: dict[str, counts.Tally] = {"platform": {}, "kind": {}}
    for name, group, month, n in session.execute(union_all(*per)):
        found[name][(group, month)] = n
    return found


def reference_by_school_and_source(session: Session, school_ids: tuple[int, ...],
                                   period: Period) -> dict[tuple[int, str, str], int]:
    month = MonthOf(Report.received_at)
    rows = session.execute(select(Report.school_id, Report.source, month, func.count())
                           .where(*received_in(school_ids, period))
                           .group_by(Report.school_id, Report.source, month))
    return {(school, source, m): n for school, source, m, n in rows}


def reference_summary(session: Session, school_ids: tuple[int, ...],
                      period: Period) -> counts.ReportSummary:
    waiting = Report.acknowledged_at.is_(None)
    pupil = Report.source == ReportSource.PUPIL
    rows = session.execute(
        select(Report.urgency, waiting, func.count(),
               func.max(MinutesBetween(Report.received_at, Report.acknowledged_at)),
               func.sum(case((pupil, 1), else_=0)),
               func.sum(case((and_(pupil, Report.pupil_returns > 0), 1), else_=0)))
        .where(*received_in(school_ids, period)).group_by(Report.urgency, waiting)).all()
    done = [row for row in rows if not row[1]]
    return counts.ReportSummary(
        acknowledged={row[0]: row[2] for row in done},
        slowest={row[0]: row[3] for row in done},
        waiting=sum(row[2] for row in rows if row[1]),
        pupil_reports=sum(row[4] or 0 for row in rows),
        came_back=sum(row[5] or 0 for row in rows),
        medians=reference_medians(session, school_ids, period))


def reference_medians(session: Session, school_ids: tuple[int, ...],
                      period: Period) -> dict[str | None, float]:
    """Each acknowledged report ranked by its wait within its urgency and overall."""
    minutes = MinutesBetween(Report.received_at, Report.acknowledged_at)
    ranked = select(
        Report.urgency, minutes.label("minutes"),
        func.row_number().over(partition_by=Report.urgency, order_by=minutes).label("rank"),
        func.count().over(partition_by=Report.urgency).label("size"),
        func.row_number().over(order_by=minutes).label("rank_all"),
        func.count().over().label("size_all"),
    ).where(*received_in(school_ids, period), Report.acknowledged_at.is_not(None)).subquery()
    mid = (2 * ranked.c.rank).between(ranked.c.size, ranked.c.size + 2)
    mid_all = (2 * ranked.c.rank_all).between(ranked.c.size_all, ranked.c.size_all + 2)
    rows = session.execute(select(ranked.c.urgency, ranked.c.minutes, mid, mid_all)
                           .where(or_(mid, mid_all))).all()
    middles: dict[str | None, list[float]] = {}
    for urgency, wait, in_group, overall in rows:
        for key, wanted in ((urgency, in_group), (None, overall)):
            if wanted:
                middles.setdefault(key, []).append(wait)
    return {key: sum(values) / len(values) for key, values in middles.items()}


def reference_register(session: Session, school_ids: tuple[int, ...],
                       period: Period) -> counts.RegisterCounts:
    """Entries by status and the period's changes, the platform-report check inside one pass."""
    def during(column) -> ColumnElement[bool]:
        return and_(column >= period.since, column < period.until)

    def counted(condition: ColumnElement[bool]):
        return func.sum(case((condition, 1), else_=0))

    reported = exists().where(PlatformReport.account_id == OnlineAccount.id,
                              during(PlatformReport.reported_at))
    rows = session.execute(select(
        OnlineAccount.status, func.count(),
        counted(during(OnlineAccount.first_seen)), counted(reported),
        counted(during(OnlineAccount.removed_at)),
        counted(and_(OnlineAccount.status == AccountStatus.RESURFACED,
                     during(OnlineAccount.last_seen))),
    ).where(OnlineAccount.school_id.in_(school_ids)).group_by(OnlineAccount.status)).all()
    changes = {name: sum(row[n] or 0 for row in rows)
               for n, name in enumerate(RegisterChange.values(), start=2)}
    return counts.RegisterCounts({row[0]: row[1] for row in rows}, changes)


def reference_referrals(session: Session, school_ids: tuple[int, ...],
                        period: Period) -> dict[str, int]:
    sent_at = func.coalesce(Referral.queued_at, Referral.sent_at, Referral.created_at)
    rows = session.execute(
        select(Referral.recipient_kind, func.count())
        .where(Referral.school_id.in_(school_ids), Referral.state != ReferralState.DRAFT,
               sent_at >= period.since, sent_at < period.until)
        .group_by(Referral.recipient_kind))
    return {kind: n for kind, n in rows}


def reference_open_cases(session: Session, school_ids: tuple[int, ...],
                         now: datetime) -> dict[str, int]:
    age = case(*((Case.opened_at >= now - timedelta(days=days), name)
                 for name, days in counts.CASE_AGES.items()), else_="older").label("age")
    inner = select(age).where(Case.school_id.in_(school_ids),
                              Case.status != CaseStatus.CLOSED).subquery()
    rows = session.execute(select(inner.c.age, func.count()).group_by(inner.c.age))
    return {name: n for name, n in rows}


def reference_count(session: Session, school_ids: tuple[int, ...], period: Period,
                    now: datetime) -> counts.Counts:
    """All of the above, in the shape insight arranges into figures."""
    return counts.Counts(
        by_school_and_source=reference_by_school_and_source(session, school_ids, period),
        tallies={"category": reference_tally(session, school_ids, period, "category"),
                 "year": reference_tally(session, school_ids, period, "year"),
                 **reference_named(session, school_ids, period)},
        summary=reference_summary(session, school_ids, period),
        register=reference_register(session, school_ids, period),
        referrals=reference_referrals(session, school_ids, period),
        open_cases=reference_open_cases(session, school_ids, now))


def built_both_ways(monkeypatch, school_ids: tuple[int, ...], period: Period, *,
                    hide_below: int | None, school_names: dict[int, str] | None = None):
    """(the figures as insight builds them now, the figures from the reference counting)."""
    now = utcnow()

    def build() -> insight.Insight:
        return insight.build(db.session, school_ids, period, now=now, hide_below=hide_below,
                             school_names=school_names)

    current = build()
    with monkeypatch.context() as patched:
        patched.setattr(counts, "count", reference_count)
        reference = build()
    return current, reference


def assert_same_figures(current: insight.Insight, reference: insight.Insight) -> None:
    """Every figure, table by table (so a difference says where), then the whole and its CSV."""
    for name in ("over_time", "acknowledgement", "waiting", "register_changes",
                 "register_status", "referrals", "open_cases", "followup"):
        assert getattr(current, name) == getattr(reference, name), name
    assert current == reference
    made_at = datetime(2026, 1, 1)
    assert to_csv(current, "Scope", made_at) == to_csv(reference, "Scope", made_at)


def periods(today: date) -> dict[str, Period]:
    """The default year, two whole years, days cut mid-month, and a period with no reports."""
    default = default_period(today)
    return {
        "last twelve months": default,
        "two school years": Period(default.start.replace(year=default.start.year - 1),
                                   today),
        "mid-month days": Period(today - timedelta(days=400), today - timedelta(days=95)),
        "before any report": Period(date(2001, 1, 1), date(2001, 12, 31)),
    }


# -- data from the bulk generator (bench/generate.py at small scale) -------------------------

@pytest.fixture(scope="module", params=BACKENDS)
def generated(request, tmp_path_factory):
    """A fresh database of each kind, filled once by the benchmark's generator."""
    tmp_path = tmp_path_factory.mktemp("insight-figures")
    if request.param == "sqlite":
        url = migrated(f"sqlite:///{tmp_path / 'generated.db'}")
    else:
        url = migrated(request.getfixturevalue("postgres")
                       .create_database("schoolsafe_insight_figures"))
    app = make_app(url, tmp_path)
    with app.app_context():
        seed(db.engine, GENERATED, app.extensions["jurisdictions"]["england-wales"],
             hash_password(PASSWORD, "fast-test"))
        yield app
        db.session.rollback()
        db.engine.dispose()


@pytest.mark.parametrize("period_name", ["last twelve months", "two school years",
                                         "mid-month days", "before any report"])
def test_a_dsl_sees_the_same_exact_figures_for_each_school(generated, monkeypatch, period_name):
    period = periods(utcnow().date())[period_name]
    schools = db.session.scalars(select(School).order_by(School.id)).all()
    assert len(schools) == GENERATED.schools
    for school in schools:
        current, reference = built_both_ways(monkeypatch, (school.id,), period, hide_below=None)
        assert_same_figures(current, reference)
    if period_name != "before any report":
        # The data fills what is compared: waits of several urgencies, changes to the register.
        assert len([row for row in current.acknowledgement if row.median_minutes]) >= 3
        assert sum(row.total.value for row in current.register_changes.rows) > 0


@pytest.mark.parametrize("period_name", ["last twelve months", "two school years"])
def test_a_trust_lead_sees_the_same_figures_with_small_numbers_hidden(generated, monkeypatch,
                                                                     period_name):
    period = periods(utcnow().date())[period_name].whole_months()
    trust = db.session.scalars(select(Trust).order_by(Trust.id)).first()
    members = db.session.scalars(select(School).where(School.trust_id == trust.id)).all()
    names = {school.id: school.name for school in members}
    current, reference = built_both_ways(monkeypatch, tuple(names), period, hide_below=5,
                                         school_names=names)
    assert_same_figures(current, reference)
    assert any(cell.hidden for figure in current.over_time for row in figure.rows
               for cell in (row.total, *row.months))


# -- data from the demo year (`flask insight demo-data`) -------------------------------------

def test_the_demo_year_shows_the_same_figures(app, make, monkeypatch):
    school = make.school("demo", name="Demo Academy")
    make.user(school, "dsl")
    result = app.test_cli_runner().invoke(args=["insight", "demo-data"])
    assert result.exit_code == 0, result.output
    for period in periods(utcnow().date()).values():
        for hide_below in (None, 5):
            current, reference = built_both_ways(monkeypatch, (school.id,), period,
                                                 hide_below=hide_below)
            assert_same_figures(current, reference)
