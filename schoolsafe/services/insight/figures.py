"""Insight: the trends a DSL shows governors, from grouped counts and never a pupil's words.

`build` counts everything with `counts.count` (two statements of GROUP BY queries, whatever
the number of reports), puts every count into one `Protector` with the sums that link them,
and returns figures ready for a page, a chart or a CSV. With `hide_below=None` the numbers
are exact (a DSL looking at their own school); with a threshold, small counts are hidden
everywhere the figures could be seen together.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from schoolsafe.services.insight import counts
from schoolsafe.services.insight.labels import (
    ALWAYS_LISTED,
    CASE_AGES,
    ORDERS,
    RECIPIENTS,
    label,
    year_label,
)
from schoolsafe.services.insight.period import Month, Period
from schoolsafe.services.insight.suppress import Cell, Protector
from schoolsafe.vocab import N_, AccountStatus, RegisterChange, ReportSource, Urgency

ALL, WHOLE = "*", ""
TITLES = {
    "month": N_("Reports each month"),
    "source": N_("Who told us"),
    "category": N_("What happened"),
    "year": N_("Year group the pupil gave"),
    "platform": N_("Platform named in the report"),
    "kind": N_("Kind of online account named"),
    "school": N_("Reports by school"),
}
# In these, each report is in exactly one group, so the groups add up to the total. Where
# small numbers are hidden they are shown for the whole period only: month by month, their
# many small counts and the sums between them would give each other away.
PARTITIONS = ("source", "year", "school")
DIMENSIONS = ("source", "category", "year", "platform", "kind")
# The first column's heading in each table.
HEADINGS = {
    "month": N_("Month"), "source": N_("Told by"), "category": N_("What happened"),
    "year": N_("Year group"), "platform": N_("Platform"), "kind": N_("Kind of account"),
    "school": N_("School"), "change": N_("Change"), "status": N_("Status"),
    "recipient": N_("Recipient"), "age": N_("Age"),
}


@dataclass(frozen=True)
class Row:
    """One group: its count for the whole period and, in a table over time, for each month."""

    label: str
    total: Cell
    months: tuple[Cell, ...] = ()


@dataclass(frozen=True)
class Figure:
    """One chart and its table."""

    key: str
    title: str
    rows: tuple[Row, ...]
    months: tuple[Month, ...] = ()
    heading: str = ""
    when: str = N_("Whole period")


@dataclass(frozen=True)
class AckRow:
    """How fast reports of one urgency were acknowledged."""

    label: str
    acknowledged: Cell
    median: str
    slowest: str
    median_minutes: float | None = None


@dataclass(frozen=True)
class FollowUp:
    """How many pupils came back with their follow-up code."""

    pupil_reports: Cell
    came_back: Cell
    percent: int | None


@dataclass(frozen=True)
class Insight:
    """Everything on the insight page and in its CSV."""

    period: Period
    hidden_below: int | None
    over_time: tuple[Figure, ...]
    acknowledgement: tuple[AckRow, ...]
    waiting: Cell
    register_changes: Figure
    register_status: Figure
    referrals: Figure
    open_cases: Figure
    followup: FollowUp


def build(session: Session, school_ids: tuple[int, ...], period: Period, *, now: datetime,
          hide_below: int | None, school_names: dict[int, str] | None = None) -> Insight:
    """Count, protect and arrange every figure for these schools and this period."""
    guard = Protector(hide_below)
    found = counts.count(session, school_ids, period, now)
    dimensions = [*DIMENSIONS, *(["school"] if school_names else [])]
    tallies = {d: _tally(d, found) for d in dimensions}
    groups = {d: _groups(d, tallies[d], school_names) for d in dimensions}
    months = period.months()
    shown_months = {d: months if hide_below is None or d not in PARTITIONS else []
                    for d in dimensions}
    _add_month_totals(guard, tallies["source"], months)
    for dimension in dimensions:
        _add_groups(guard, dimension, groups[dimension], tallies[dimension],
                    shown_months[dimension])
    summary = found.summary
    times = _add_acknowledgement(guard, summary)
    _add_followup(guard, summary.pupil_reports, summary.came_back)
    simple = {
        "change": (found.register.changes, list(RegisterChange.values())),
        "status": (found.register.status, list(AccountStatus.values())),
        "recipient": (found.referrals, list(RECIPIENTS)),
        "age": (found.open_cases, list(CASE_AGES)),
    }
    for kind, (numbers, order) in simple.items():
        for code in _ordered(order, numbers):
            guard.add((kind, code, WHOLE), numbers.get(code, 0))
    names = school_names or {}
    return Insight(
        period=period, hidden_below=hide_below,
        over_time=(_month_figure(guard, months), *(
            _figure(guard, d, groups[d], shown_months[d], names) for d in dimensions)),
        acknowledgement=_ack_rows(guard, times), waiting=guard.cell(("ack", "waiting", WHOLE)),
        register_changes=_simple(guard, "change", N_("Register entries in this period"), simple),
        register_status=_simple(guard, "status", N_("Register entries by status today"), simple,
                                N_("Today")),
        referrals=_simple(guard, "recipient", N_("Referrals sent, by recipient"), simple),
        open_cases=_simple(guard, "age", N_("Open cases by age today"), simple, N_("Today")),
        followup=_followup(guard),
    )


def _tally(dimension: str, numbers: counts.Counts) -> counts.Tally:
    if dimension in ("source", "school"):
        return _regrouped(numbers.by_school_and_source,
                          lambda school, source: school if dimension == "school" else source)
    found = numbers.tallies[dimension]
    if dimension != "year":
        return found
    labels = {answer: year_label(answer) for answer in {a for a, _ in found}}  # read once each
    return _regrouped({(answer, "", month): n for (answer, month), n in found.items()},
                      lambda answer, _: labels[answer])


def _regrouped(rows: dict[tuple, int], group) -> counts.Tally:
    """(a, b, month) counts summed into (group(a, b), month): a loop over groups, not reports."""
    summed: counts.Tally = {}
    for (first, second, month), n in rows.items():
        key = (str(group(first, second)), month)
        summed[key] = summed.get(key, 0) + n
    return summed


def _groups(dimension: str, tally: counts.Tally, school_names: dict[int, str] | None) -> list:
    if dimension == "school":
        return [str(i) for i in sorted(school_names or {}, key=lambda i: school_names[i])]
    present = {group for (group, _), n in tally.items() if n}
    always = dimension in ALWAYS_LISTED
    return [g for g in ORDERS[dimension] if always or g in present] + sorted(
        present - set(ORDERS[dimension]))


def _ordered(order: list[str], found: dict[str, int]) -> list[str]:
    return order + sorted(set(found) - set(order))


def _add_month_totals(guard: Protector, by_source: counts.Tally, months: list[Month]) -> None:
    for month in months:
        guard.add(("all", ALL, month.key),
                  sum(n for (_, key), n in by_source.items() if key == month.key))
    guard.add(("all", ALL, WHOLE), sum(by_source.values()))
    guard.adds_up([("all", ALL, month.key) for month in months], ("all", ALL, WHOLE))


def _add_groups(guard: Protector, dimension: str, groups: list[str], tally: counts.Tally,
                months: list[Month]) -> None:
    """Each group's count per month shown, and for the whole period."""
    for group in groups:
        parts = [(dimension, group, month.key) for month in months]
        for part in parts:
            guard.add(part, tally.get(part[1:], 0))
        guard.add((dimension, group, WHOLE), sum(n for (g, _), n in tally.items() if g == group))
        if parts:
            guard.adds_up(parts, (dimension, group, WHOLE))
    if dimension in PARTITIONS:
        guard.adds_up([(dimension, g, WHOLE) for g in groups], ("all", ALL, WHOLE))


@dataclass(frozen=True)
class _Waits:
    acknowledged: int
    median: float | None
    slowest: float | None


def _add_acknowledgement(guard: Protector, summary: counts.ReportSummary) -> dict[str, _Waits]:
    middles = summary.medians
    times = {u: _Waits(summary.acknowledged.get(u, 0), middles.get(u), summary.slowest.get(u))
             for u in Urgency.values()}
    times[ALL] = _Waits(sum(summary.acknowledged.values()), middles.get(None),
                        max(summary.slowest.values(), default=None))
    for urgency, found in times.items():
        guard.add(("ack", urgency, WHOLE), found.acknowledged)
    guard.add(("ack", "waiting", WHOLE), summary.waiting)
    guard.adds_up([("ack", u, WHOLE) for u in Urgency.values()], ("ack", ALL, WHOLE))
    guard.adds_up([("ack", ALL, WHOLE), ("ack", "waiting", WHOLE)], ("all", ALL, WHOLE))
    return times


def _add_followup(guard: Protector, pupil_reports: int, came_back: int) -> None:
    guard.add(("followup", "back", WHOLE), came_back)
    # Never shown, but a reader could subtract it from the pupil reports shown above.
    guard.add(("followup", "not", WHOLE), pupil_reports - came_back, shown=False)
    guard.adds_up([("followup", "back", WHOLE), ("followup", "not", WHOLE)],
                  ("source", ReportSource.PUPIL, WHOLE))


def _figure(guard: Protector, dimension: str, groups: list[str], months: list[Month],
            names: dict[int, str]) -> Figure:
    def row(kind: str, group: str, text: str) -> Row:
        return Row(text, guard.cell((kind, group, WHOLE)),
                   tuple(guard.cell((kind, group, m.key)) for m in months))

    rows = tuple(row(dimension, g, names.get(int(g), "") if dimension == "school"
                     else label(dimension, g)) for g in groups)
    return Figure(dimension, TITLES[dimension], rows, tuple(months), HEADINGS[dimension])


def _month_figure(guard: Protector, months: list[Month]) -> Figure:
    row = Row(N_("All reports"), guard.cell(("all", ALL, WHOLE)),
              tuple(guard.cell(("all", ALL, m.key)) for m in months))
    return Figure("month", TITLES["month"], (row,), tuple(months), HEADINGS["month"])


def _simple(guard: Protector, kind: str, title: str, simple: dict,
            when: str = N_("Whole period")) -> Figure:
    found, order = simple[kind]
    rows = tuple(Row(label(kind, code), guard.cell((kind, code, WHOLE)))
                 for code in _ordered(order, found))
    return Figure(kind, title, rows, heading=HEADINGS[kind], when=when)


def _ack_rows(guard: Protector, times: dict[str, _Waits]) -> tuple[AckRow, ...]:
    rows = []
    for urgency, text in [*Urgency.labels().items(), (ALL, N_("All reports"))]:
        cell, found = guard.cell(("ack", urgency, WHOLE)), times[urgency]
        if cell.hidden or not found.acknowledged:
            blank = "not shown" if cell.hidden else "none acknowledged"
            rows.append(AckRow(text, cell, blank, blank))
        else:
            rows.append(AckRow(text, cell, duration(found.median), duration(found.slowest),
                               found.median))
    return tuple(rows)


def _followup(guard: Protector) -> FollowUp:
    total = guard.cell(("source", ReportSource.PUPIL, WHOLE))
    back = guard.cell(("followup", "back", WHOLE))
    percent = None
    if total.value and back.value is not None:
        # Half up, as people round (Python's round() would make 12.5% into 12%).
        percent = (200 * back.value + total.value) // (2 * total.value)
    return FollowUp(total, back, percent)


def duration(minutes: float | None) -> str:
    """A length of time in words: "40 minutes", "3 hours 5 minutes", "2 days 4 hours"."""
    whole = round(minutes or 0)
    days, hours, mins = whole // 1440, whole % 1440 // 60, whole % 60
    parts = [(days, "day"), (hours, "hour")] if days else [(hours, "hour"), (mins, "minute")]
    words = [f"{n} {unit}{'' if n == 1 else 's'}" for n, unit in parts if n]
    return " ".join(words) or "under a minute"
