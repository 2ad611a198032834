"""A report that follows an earlier one: a pupil who lost their code words told us again, and
the DSL links the new report to the one it follows. The link is shown on both."""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import Report
from schoolsafe.services.errors import FieldError
from schoolsafe.vocab import N_

# Enough to find a report from a few weeks back; older ones are rarely what a pupil means.
CANDIDATES = 50


class LinkError(FieldError):
    """The two reports can't be linked; the message says why."""


def link_to_earlier(session: Session, report: Report, earlier: Report) -> None:
    """Record that `report` follows `earlier`, a report of the same school received before it.

    Linking again to another report replaces the link."""
    if earlier.school_id != report.school_id:
        raise LinkError("earlier", N_("Reports of different schools can't be linked."))
    if earlier.id == report.id:
        raise LinkError("earlier", N_("A report can't follow itself. Choose the earlier report."))
    if (earlier.received_at, earlier.id) > (report.received_at, report.id):
        raise LinkError("earlier", N_("Choose a report that arrived before this one."))
    report.follows_report_id = earlier.id
    session.flush()


def earlier_candidates(session: Session, report: Report) -> list[Report]:
    """The school's reports that arrived before this one, newest first, to choose from."""
    return list(session.scalars(
        select(Report).where(Report.school_id == report.school_id, Report.id != report.id,
                             Report.received_at <= report.received_at)
        .order_by(Report.received_at.desc(), Report.id.desc()).limit(CANDIDATES)))


def follows(session: Session, report: Report) -> Report | None:
    """The earlier report this one follows, if linked and the reader may see it (found by a
    query, so a report about a member of staff stays hidden from who may not see it)."""
    if report.follows_report_id is None:
        return None
    return session.scalar(select(Report).where(Report.id == report.follows_report_id))


def followed_by(session: Session, report: Report) -> list[Report]:
    """The later reports linked to this one as following it, oldest first."""
    return list(session.scalars(
        select(Report).where(Report.follows_report_id == report.id,
                             Report.school_id == report.school_id)
        .order_by(Report.received_at, Report.id)))
