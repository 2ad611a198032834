"""The insight figures as CSV: one row per count, the same words the page shows.

Long rather than wide (figure, group, period, count), so a governor's spreadsheet can filter
and pivot it. It carries only what the page shows: counts, hidden counts as their words, and
group labels from fixed lists, never text a pupil or member of staff typed.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from datetime import datetime

from schoolsafe.services.insight.figures import Figure, Insight
from schoolsafe.services.insight.period import Period

HEADER = ("Figure", "Group", "Period", "Count")
WHOLE = "Whole period"
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(insight: Insight, covering: str, made_at: datetime,
           asked_for: Period | None = None) -> str:
    """The CSV text of one insight view; asked_for is the dates typed, before whole months."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in _rows(insight, covering, made_at, asked_for or insight.period):
        writer.writerow([_safe(value) for value in row])
    return out.getvalue()


def _rows(insight: Insight, covering: str, made_at: datetime,
          asked_for: Period) -> Iterator[tuple[str, ...]]:
    yield from _about(insight, covering, made_at, asked_for)
    for figure in insight.over_time:
        yield from _over_time(figure)
    for row in insight.acknowledgement:
        yield ("Reports acknowledged", row.label, WHOLE, row.acknowledged.text)
        yield ("Median time to acknowledge", row.label, WHOLE, row.median)
        yield ("Slowest time to acknowledge", row.label, WHOLE, row.slowest)
    yield ("Reports not yet acknowledged", "All reports", WHOLE, insight.waiting.text)
    for figure in (insight.register_changes, insight.register_status, insight.referrals,
                   insight.open_cases):
        yield from _simple(figure)
    followup = insight.followup
    title = "Pupils who came back with their follow-up code"
    yield (title, "Reports from pupils", WHOLE, followup.pupil_reports.text)
    yield (title, "Came back at least once", WHOLE, followup.came_back.text)
    if followup.percent is not None:
        yield (title, "Share that came back", WHOLE, f"{followup.percent}%")


def _about(insight: Insight, covering: str, made_at: datetime,
           asked_for: Period) -> Iterator[tuple[str, ...]]:
    period = insight.period
    yield ("About this export", "Schools", "", covering)
    if insight.hidden_below is None:
        yield ("About this export", "Dates", "", _dates(period))
    else:
        yield from _months_covered(period, asked_for, made_at)
    yield ("About this export", "Made at (UTC)", "", f"{made_at:%Y-%m-%d %H:%M}")
    if insight.hidden_below is None:
        yield ("About this export", "Small numbers", "",
               "Exact numbers, for the school's own records. Don't share this file outside "
               "the safeguarding team; use the governors' export instead.")
    else:
        yield ("About this export", "Small numbers", "",
               f"Counts from 1 to {insight.hidden_below - 1} read 'fewer than "
               f"{insight.hidden_below}'. 'not shown' hides a count that would let a small "
               "one be worked out from the totals.")


def _dates(period: Period) -> str:
    return f"{period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}"


def _months_covered(period: Period, asked_for: Period,
                    made_at: datetime) -> Iterator[tuple[str, ...]]:
    months = period.months()
    covered = (f"{period.month_span()}: {len(months)} whole calendar "
               f"month{'s' if len(months) != 1 else ''}, {_dates(period)}")
    if period.end > made_at.date():
        covered += f" ({months[-1].label} only up to {made_at:%Y-%m-%d}, when this was made)"
    yield ("About this export", "Months covered", "", covered)
    yield ("About this export", "Dates asked for", "", _dates(asked_for))
    yield ("About this export", "Why whole months", "",
           "With small numbers hidden, counts cover whole calendar months only. Two exports "
           "a few days apart could otherwise be compared to work out the small count of the "
           "days between them.")


def _over_time(figure: Figure) -> Iterator[tuple[str, ...]]:
    for row in figure.rows:
        for month, cell in zip(figure.months, row.months, strict=True):
            yield (figure.title, row.label, month.key, cell.text)
        yield (figure.title, row.label, WHOLE, row.total.text)


def _simple(figure: Figure) -> Iterator[tuple[str, ...]]:
    for row in figure.rows:
        yield (figure.title, row.label, figure.when, row.total.text)


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value
