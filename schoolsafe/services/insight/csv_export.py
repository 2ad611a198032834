"""The insight figures as CSV: one row per count, the same words the page shows.

Long rather than wide (figure, group, period, count), so a governor's spreadsheet can filter
and pivot it. It carries only what the page shows: counts, hidden counts as their words, and
group labels from fixed lists, never text a pupil or member of staff typed. Its own words
(the header, "Whole period", the notes about the export) are in the language it is given: the
page's, passed by the view.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterator
from datetime import datetime

from schoolsafe.services.insight.figures import Figure, Insight
from schoolsafe.services.insight.period import Period
from schoolsafe.services.words import ENGLISH, Words
from schoolsafe.vocab import N_

HEADER = (N_("Figure"), N_("Group"), N_("Period"), N_("Count"))
WHOLE = N_("Whole period")
# Spreadsheets run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def to_csv(insight: Insight, covering: str, made_at: datetime,
           asked_for: Period | None = None, words: Words = ENGLISH) -> str:
    """The CSV text of one insight view, its own words in `words`' language; asked_for is the
    dates typed, before whole months."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow([words.gettext(name) for name in HEADER])
    for row in _rows(insight, covering, made_at, asked_for or insight.period, words):
        writer.writerow([_safe(value) for value in row])
    return out.getvalue()


def _rows(insight: Insight, covering: str, made_at: datetime, asked_for: Period,
          words: Words) -> Iterator[tuple[str, ...]]:
    _ = words.gettext
    whole = _(WHOLE)
    yield from _about(insight, covering, made_at, asked_for, words)
    for figure in insight.over_time:
        yield from _over_time(figure, whole, _)
    for row in insight.acknowledgement:
        yield (_("Reports acknowledged"), row.label, whole, row.acknowledged.said_in(_))
        yield (_("Median time to acknowledge"), row.label, whole, row.median)
        yield (_("Slowest time to acknowledge"), row.label, whole, row.slowest)
    yield (_("Reports not yet acknowledged"), _("All reports"), whole, insight.waiting.said_in(_))
    for figure in (insight.register_changes, insight.register_status, insight.referrals,
                   insight.open_cases):
        yield from _simple(figure, _)
    followup = insight.followup
    title = _("Pupils who came back with their follow-up code")
    yield (title, _("Reports from pupils"), whole, followup.pupil_reports.said_in(_))
    yield (title, _("Came back at least once"), whole, followup.came_back.said_in(_))
    if followup.percent is not None:
        yield (title, _("Share that came back"), whole, f"{followup.percent}%")


def _about(insight: Insight, covering: str, made_at: datetime, asked_for: Period,
           words: Words) -> Iterator[tuple[str, ...]]:
    _ = words.gettext
    about, period = _("About this export"), insight.period
    yield (about, _("Schools"), "", covering)
    if insight.hidden_below is None:
        yield (about, _("Dates"), "", _dates(period, words))
    else:
        yield from _months_covered(period, asked_for, made_at, words)
    yield (about, _("Made at (UTC)"), "", f"{made_at:%Y-%m-%d %H:%M}")
    if insight.hidden_below is None:
        yield (about, _("Small numbers"), "",
               _("Exact numbers, for the school's own records. Don't share this file outside "
                 "the safeguarding team; use the governors' export instead."))
    else:
        yield (about, _("Small numbers"), "",
               _("Counts from 1 to %(most)s read 'fewer than %(below)s'. 'not shown' hides a "
                 "count that would let a small one be worked out from the totals.",
                 most=insight.hidden_below - 1, below=insight.hidden_below))


def _dates(period: Period, words: Words) -> str:
    start, end = period.start.isoformat(), period.end.isoformat()
    return words.gettext("%(start)s to %(end)s", start=start, end=end)


def _months_covered(period: Period, asked_for: Period, made_at: datetime,
                    words: Words) -> Iterator[tuple[str, ...]]:
    _ = words.gettext
    months = period.months()
    covered = words.ngettext("%(span)s: %(num)d whole calendar month, %(dates)s",
                             "%(span)s: %(num)d whole calendar months, %(dates)s", len(months),
                             span=period.month_span(), dates=_dates(period, words))
    if period.end > made_at.date():
        day = made_at.date().isoformat()
        covered += " " + _("(%(month)s only up to %(day)s, when this was made)",
                           month=months[-1].label, day=day)
    about = _("About this export")
    yield (about, _("Months covered"), "", covered)
    yield (about, _("Dates asked for"), "", _dates(asked_for, words))
    yield (about, _("Why whole months"), "",
           _("With small numbers hidden, counts cover whole calendar months only. Two exports "
             "a few days apart could otherwise be compared to work out the small count of the "
             "days between them."))


def _over_time(figure: Figure, whole: str, _: Callable[..., str]
               ) -> Iterator[tuple[str, ...]]:
    for row in figure.rows:
        for month, cell in zip(figure.months, row.months, strict=True):
            yield (_(figure.title), _(row.label), month.key, cell.said_in(_))
        yield (_(figure.title), _(row.label), whole, row.total.said_in(_))


def _simple(figure: Figure, _: Callable[..., str]) -> Iterator[tuple[str, ...]]:
    for row in figure.rows:
        yield (_(figure.title), _(row.label), _(figure.when), row.total.said_in(_))


def _safe(value: str) -> str:
    return "'" + value if value.startswith(FORMULA_STARTS) else value
