"""The raw numbers behind insight, counted by the database with GROUP BY.

Nothing here loads reports into Python: every part returns a handful of grouped counts, so
the page costs the same few statements at ten reports or a million. All the parts go to the
database as ONE statement (their grouped rows joined with UNION ALL, each row tagged with
its part), and the median waits, which need the acknowledged counts, as a second: each
statement is a round trip that waits for the database's turn on a busy machine. Inside the
first, the period's reports are read once (a materialised CTE) for every count of reports.

No part returns a name, a narrative or anything else a pupil typed, except the "year"
tally, whose free-text answers are folded into fixed year-group labels before anyone sees
them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from functools import cache

from sqlalchemy import (
    BigInteger,
    DateTime,
    Float,
    String,
    and_,
    bindparam,
    case,
    cast,
    distinct,
    exists,
    func,
    literal,
    literal_column,
    null,
    select,
    text,
    union_all,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import ColumnElement, Select
from sqlalchemy.sql.selectable import CTE, CompoundSelect

from schoolsafe.models import (
    Case,
    OnlineAccount,
    PlatformReport,
    Referral,
    Report,
    ReportCategory,
    Sighting,
)
from schoolsafe.services.insight.period import Period
from schoolsafe.services.insight.sql import MinutesBetween, MonthOf
from schoolsafe.vocab import AccountStatus, CaseStatus, ReferralState, RegisterChange, ReportSource

# (group, "YYYY-MM") -> number of reports
Tally = dict[tuple[str, str], int]

CASE_AGES = {"week": 7, "month": 28, "term": 91}


@dataclass(frozen=True)
class ReportSummary:
    """Acknowledgement and follow-up counts of the period's reports, and the median waits."""

    acknowledged: dict[str, int]
    slowest: dict[str, float]
    waiting: int
    pupil_reports: int
    came_back: int
    # Median minutes to acknowledgement per urgency, and (key None) over all reports.
    medians: dict[str | None, float]


@dataclass(frozen=True)
class RegisterCounts:
    """The register's entries by status today, and what changed in the period."""

    status: dict[str, int]
    changes: dict[str, int]


@dataclass(frozen=True)
class Counts:
    """Every number insight shows, before it is protected and arranged."""

    # (school id, pupil or staff, month) -> reports: the monthly totals and two partitions.
    by_school_and_source: dict[tuple[int, str, str], int]
    # category, year (the answers as typed, trimmed and lower-cased), platform, kind.
    tallies: dict[str, Tally]
    summary: ReportSummary
    register: RegisterCounts
    referrals: dict[str, int]
    open_cases: dict[str, int]


def count(session: Session, school_ids: tuple[int, ...], period: Period,
          now: datetime) -> Counts:
    """Count everything for these schools and this period: two statements."""
    without_parallel_workers(session)
    asked = {"school_ids": list(school_ids), "since": period.since, "until": period.until,
             **{f"opened_{name}": now - timedelta(days=days) for name, days in CASE_AGES.items()}}
    rows: dict[str, list] = {name: [] for name in _READERS}
    for row in session.execute(_statement(), asked):
        rows[row.part].append(row)
    found = {name: read(rows[name]) for name, read in _READERS.items()}
    waits = found["acknowledgement"]
    summary = ReportSummary(**waits, medians=_medians(session, school_ids, period,
                                                      waits["acknowledged"]))
    changes = {**found["status"]["changes"], **found["reported"]}
    return Counts(
        by_school_and_source=found["source"],
        tallies={name: found[name] for name in ("category", "year", "platform", "kind")},
        summary=summary,
        register=RegisterCounts(found["status"]["status"],
                                {name: changes[name] for name in RegisterChange.values()}),
        referrals=found["recipient"], open_cases=found["age"])


def without_parallel_workers(session: Session) -> None:
    """Plan the rest of this transaction without PostgreSQL's parallel workers.

    Each count reads one school's (or trust's) rows for a period through an index: a few
    milliseconds of work, which PostgreSQL's planner still splits over parallel workers
    past a few thousand rows. Starting them costs more than the work saves, most of all on
    a busy server. SET LOCAL ends with the transaction, so no other page is affected.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(text("SET LOCAL max_parallel_workers_per_gather = 0"))


def received_in(school_ids: tuple[int, ...], period: Period) -> list[ColumnElement[bool]]:
    """Reports of these schools received in the period."""
    return [Report.school_id.in_(school_ids), Report.received_at >= period.since,
            Report.received_at < period.until]


# -- the statement of every grouped count, built once -----------------------------------------
# The schools, the period and the cut-offs for the cases' ages are bound when the statement
# runs, so it is built (and its SQL looked up) once per process rather than on every view.
SCHOOLS = bindparam("school_ids", expanding=True)
SINCE, UNTIL = bindparam("since", type_=DateTime), bindparam("until", type_=DateTime)
OPENED_AFTER = {name: bindparam(f"opened_{name}", type_=DateTime) for name in CASE_AGES}


@cache
def _statement() -> CompoundSelect:
    reports = _period_reports()
    return union_all(_by_school_and_source(reports), _category(reports), _year(reports),
                     *_named(reports), _summary(reports), _register(), _reported(),
                     _referrals(), _open_cases())


# Each part: a grouped SELECT of these columns -----------------------------------------------
# part (which count the row belongs to), a and b (its groups, as text), month, n1-n4
# (counts) and wait (minutes). Columns a part does not use are NULL.
NUMBERS = ("n1", "n2", "n3", "n4")
_KINDS = {"a": String, "b": String, "month": String, "wait": Float}


def _shaped(part: str, *, a=None, b=None, month=None, n: tuple = (), wait=None) -> list:
    given = {"a": a, "b": b, "month": month, **dict(zip(NUMBERS, n, strict=False)), "wait": wait}
    columns = [literal_column(f"'{part}'").label("part")]
    for name in ("a", "b", "month", *NUMBERS, "wait"):
        column, kind = given.get(name), _KINDS.get(name, BigInteger)
        # A typed NULL: PostgreSQL matches a UNION's column types branch by branch.
        columns.append(cast(null() if column is None else column, kind).label(name))
    return columns


def _counted(condition: ColumnElement[bool]):
    return func.sum(case((condition, 1), else_=0))


def _period_reports() -> CTE:
    """The period's reports, read once: every count of reports groups these rows."""
    return (select(Report.id, Report.school_id, Report.source,
                   MonthOf(Report.received_at).label("month"),
                   # Grouping the trimmed, lower-cased year answer keeps the rows few before
                   # they are folded into year groups.
                   func.lower(func.trim(Report.reporter_year)).label("answer"),
                   Report.urgency, Report.acknowledged_at, Report.pupil_returns,
                   MinutesBetween(Report.received_at, Report.acknowledged_at).label("minutes"))
            .where(Report.school_id.in_(SCHOOLS), Report.received_at >= SINCE,
                   Report.received_at < UNTIL)
            .cte("period_reports").prefix_with("MATERIALIZED"))


def _by_school_and_source(reports: CTE) -> Select:
    return (select(*_shaped("source", a=reports.c.school_id, b=reports.c.source,
                            month=reports.c.month, n=(func.count(),)))
            .group_by(reports.c.school_id, reports.c.source, reports.c.month))


def _category(reports: CTE) -> Select:
    """Reports per category per month (a report can count in several categories)."""
    return (select(*_shaped("category", a=ReportCategory.category, month=reports.c.month,
                            n=(func.count(),)))
            .join(ReportCategory, ReportCategory.report_id == reports.c.id)
            .group_by(ReportCategory.category, reports.c.month))


def _year(reports: CTE) -> Select:
    return (select(*_shaped("year", a=reports.c.answer, month=reports.c.month,
                            n=(func.count(),)))
            .group_by(reports.c.answer, reports.c.month))


def _named(reports: CTE) -> list[Select]:
    """Reports naming each platform, and each kind of account, per month.

    Both come from one join of reports to their register entries; a report naming two pages
    on one platform (or of one kind) still counts once there.
    """
    named = (select(reports.c.id, OnlineAccount.platform, OnlineAccount.kind, reports.c.month)
             .join(Sighting, Sighting.report_id == reports.c.id)
             .join(OnlineAccount, OnlineAccount.id == Sighting.account_id)
             .distinct().cte("named"))
    return [select(*_shaped(name, a=column, month=named.c.month,
                            n=(func.count(distinct(named.c.id)),)))
            .group_by(column, named.c.month)
            for name, column in (("platform", named.c.platform), ("kind", named.c.kind))]


def _summary(reports: CTE) -> Select:
    """Per urgency: acknowledged, waiting, pupils' reports, pupils who came back; slowest."""
    pupil = reports.c.source == ReportSource.PUPIL
    acknowledged = func.count(reports.c.acknowledged_at)
    return (select(*_shaped(
        "acknowledgement", a=reports.c.urgency,
        n=(acknowledged, func.count() - acknowledged, _counted(pupil),
           _counted(and_(pupil, reports.c.pupil_returns > 0))),
        # Only acknowledged reports have a wait, so the largest is the slowest of those.
        wait=func.max(reports.c.minutes)))
        .group_by(reports.c.urgency))


def _during(column) -> ColumnElement[bool]:
    return and_(column >= SINCE, column < UNTIL)


def _register() -> Select:
    """Entries by status; and entries newly seen, removed and resurfaced in the period."""
    return (select(*_shaped(
        "status", a=OnlineAccount.status,
        n=(func.count(), _counted(_during(OnlineAccount.first_seen)),
           _counted(_during(OnlineAccount.removed_at)),
           # A resurfaced entry's last sighting is when it came back.
           _counted(and_(OnlineAccount.status == AccountStatus.RESURFACED,
                         _during(OnlineAccount.last_seen))))))
        .where(OnlineAccount.school_id.in_(SCHOOLS)).group_by(OnlineAccount.status))


def _reported() -> Select:
    """Entries reported to a platform in the period.

    Apart from the pass by status: inside its sums, SQLite would run the EXISTS for every
    entry without its semi-join plan, several times slower.
    """
    return select(*_shaped("reported", n=(func.count(),))).where(
        OnlineAccount.school_id.in_(SCHOOLS),
        exists().where(PlatformReport.account_id == OnlineAccount.id,
                       _during(PlatformReport.reported_at)))


def _referrals() -> Select:
    """Referrals sent (or queued to send) in the period, by kind of recipient."""
    sent_at = func.coalesce(Referral.queued_at, Referral.sent_at, Referral.created_at)
    return (select(*_shaped("recipient", a=Referral.recipient_kind, n=(func.count(),)))
            .where(Referral.school_id.in_(SCHOOLS), Referral.state != ReferralState.DRAFT,
                   sent_at >= SINCE, sent_at < UNTIL)
            .group_by(Referral.recipient_kind))


def _open_cases() -> Select:
    """Cases not yet closed, by how long ago they were opened."""
    age = case(*((Case.opened_at >= OPENED_AFTER[name], name) for name in CASE_AGES),
               else_="older").label("age")
    # Grouping an outer query by the inner label keeps the cut-off dates out of GROUP BY.
    inner = select(age).where(Case.school_id.in_(SCHOOLS),
                              Case.status != CaseStatus.CLOSED).subquery()
    return select(*_shaped("age", a=inner.c.age, n=(func.count(),))).group_by(inner.c.age)


# -- reading the tagged rows back ------------------------------------------------------------

def _tally(rows: list) -> Tally:
    return {("" if row.a is None else row.a, row.month): row.n1 for row in rows}


def _acknowledgement(rows: list) -> dict:
    done = [row for row in rows if row.n1]
    return {"acknowledged": {row.a: row.n1 for row in done},
            # Decimal on PostgreSQL; a float, as the Float column type gave before.
            "slowest": {row.a: float(row.wait) for row in done},
            "waiting": sum(row.n2 for row in rows),
            "pupil_reports": sum(row.n3 or 0 for row in rows),
            "came_back": sum(row.n4 or 0 for row in rows)}


def _status(rows: list) -> dict:
    return {"status": {row.a: row.n1 for row in rows},
            "changes": {RegisterChange.NEW: sum(row.n2 or 0 for row in rows),
                        RegisterChange.REMOVED: sum(row.n3 or 0 for row in rows),
                        RegisterChange.RESURFACED: sum(row.n4 or 0 for row in rows)}}


_READERS: dict[str, Callable[[list], object]] = {
    "source": lambda rows: {(int(row.a), row.b, row.month): row.n1 for row in rows},
    "category": _tally, "year": _tally, "platform": _tally, "kind": _tally,
    "acknowledgement": _acknowledgement,
    "status": _status,
    "reported": lambda rows: {RegisterChange.REPORTED: sum(row.n1 for row in rows)},
    "recipient": lambda rows: {row.a: row.n1 for row in rows},
    "age": lambda rows: {row.a: row.n1 for row in rows},
}


def _medians(session: Session, school_ids: tuple[int, ...], period: Period,
             acknowledged: dict[str, int]) -> dict[str | None, float]:
    """Median minutes to acknowledgement per urgency, and (key None) over all reports.

    The counts are known, so the middle one or two waits of each urgency (and of all) are
    read with ORDER BY ... LIMIT/OFFSET in one statement over the waits read once: the
    database sorts each group and stops at the middle, instead of ranking every wait twice
    with window functions.
    """
    counted = [(key, n) for key, n in [*acknowledged.items(),
                                       (None, sum(acknowledged.values()))] if n]
    if not counted:
        return {}
    waits = (select(Report.urgency,
                    MinutesBetween(Report.received_at, Report.acknowledged_at).label("minutes"))
             .where(*received_in(school_ids, period), Report.acknowledged_at.is_not(None))
             .cte("waits").prefix_with("MATERIALIZED"))
    picks = []
    for number, (key, n) in enumerate(counted):
        group = select(waits.c.minutes)
        if key is not None:
            group = group.where(waits.c.urgency == key)
        # Of n waits in order the middle is the ((n + 1) / 2)th when n is odd, the (n / 2)th
        # and the next when it is even.
        middle = (group.order_by(waits.c.minutes)
                  .limit(2 - n % 2).offset((n - 1) // 2).subquery())
        picks.append(select(literal(number).label("pick"), middle.c.minutes))
    middles: dict[int, list[float]] = {}
    for number, wait in session.execute(union_all(*picks)):
        middles.setdefault(number, []).append(wait)
    return {counted[number][0]: sum(values) / len(values)
            for number, values in middles.items()}
