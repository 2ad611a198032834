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

HEADER = ("Figure", "Group", "Period", "Count")
WHOLE = "Whole period"
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(insight: Insight, covering: str, made_at: datetime) -> str:
    """The CSV text of one insight view."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(HEADER)
    for row in _rows(insight, covering, made_at):
        writer.writerow([_safe(value) for value in row])
    return out.getvalue()


def _rows(insight: Insight, covering: str, made_at: datetime) -> Iterator[tuple[str, ...]]:
    yield from _about(insight, covering, made_at)
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


def _about(insight: Insight, covering: str, made_at: datetime) -> Iterator[tuple[str, ...]]:
    period = insight.period
    yield ("About this export", "Schools", "", covering)
    yield ("About this export", "Dates", "", f"{period.start:%Y-%m-%d} to {period.end:%Y-%m-%d}")
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
