"""People on a case linked to directory pupils: only ever by a DSL's choice.

The system suggests pupils (for a person being added, for a person not yet linked, and for
the names a pupil typed in a report); a DSL confirms one. Each link and unlink is written to
the case's chronology; the view audits it.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, CasePerson, Pupil, Report
from schoolsafe.services.cases import chronology
from schoolsafe.services.cases.opening import CaseError
from schoolsafe.services.pupils import directory
from schoolsafe.services.pupils.search import search
from schoolsafe.vocab import N_, EventKind

SUGGEST = 5
# The case page looks up at most this many distinct names typed in its reports.
NAMES_LOOKED_UP = 10
# A suggestion must match every word typed at least this well (see search.score).
GOOD_ENOUGH = 0.8


@dataclass(frozen=True)
class NameInReport:
    """A name a pupil typed in a report, and the directory pupils it may be."""

    report: Report
    typed: str
    matches: tuple[Pupil, ...]


def suggestions(session: Session, school_id: int, typed: str,
                skip: frozenset[int] = frozenset()) -> list[Pupil]:
    """Directory pupils a typed name may be, best first."""
    return [f.pupil for f in search(session, school_id, typed)
            if f.score >= GOOD_ENOUGH and f.pupil.id not in skip][:SUGGEST]


def pupil_for_link(session: Session, case: Case, public_id: str) -> Pupil:
    """The case's school's pupil chosen on a form; a plain error for anything else."""
    try:
        return directory.get(session, case.school_id, public_id)
    except directory.PupilNotFound:
        raise CaseError("pupil", N_("That pupil is not in this school's directory.")) from None


def link(session: Session, case: Case, person: CasePerson, pupil: Pupil, user_id: int) -> None:
    """Link a person on the case to a directory pupil, and say so in the chronology."""
    if person.pupil_id == pupil.id:
        raise CaseError("pupil", N_("%(label)s is already linked to that pupil."),
                        label=person.label)
    if any(p.pupil_id == pupil.id for p in case.people if p.id != person.id):
        raise CaseError("pupil", N_("%(full_name)s is already on this case."),
                        full_name=pupil.full_name)
    person.pupil_id = pupil.id
    if not person.year_group and pupil.year_group:
        person.year_group = pupil.year_group
    chronology.record_said(session, case, EventKind.PERSON,
                           N_("%(who)s linked to the directory pupil %(pupil)s."), user_id,
                           who=person.label, pupil=f"{pupil.full_name}{_year(pupil)}")


def unlink(session: Session, case: Case, person: CasePerson, user_id: int) -> None:
    """Take a person's link to a directory pupil away (they stay on the case)."""
    if person.pupil_id is None:
        raise CaseError("pupil", N_("%(label)s is not linked to a pupil."), label=person.label)
    pupil = session.get(Pupil, person.pupil_id)
    person.pupil_id = None
    chronology.record_said(session, case, EventKind.PERSON,
                           N_("%(who)s is no longer linked to %(pupil)s."), user_id,
                           who=person.label, pupil=pupil.full_name)


def _year(pupil: Pupil) -> str:
    return f" ({pupil.year_group})" if pupil.year_group else ""


def linked_pupils(session: Session, case: Case) -> dict[int, Pupil]:
    """The directory pupils of the case's people, by person id."""
    pupils = directory.by_ids(session, case.school_id,
                              {p.pupil_id for p in case.people if p.pupil_id})
    return {p.id: pupils[p.pupil_id] for p in case.people if p.pupil_id in pupils}


def person_suggestions(session: Session, case: Case, person: CasePerson) -> list[Pupil]:
    """The pupils a person not yet linked may be."""
    taken = frozenset(p.pupil_id for p in case.people if p.pupil_id)
    return suggestions(session, case.school_id, person.label, taken)


def has_directory(session: Session, school_id: int) -> bool:
    """Whether the school has imported its pupils."""
    return session.scalar(select(Pupil.id).where(Pupil.school_id == school_id).limit(1)) \
        is not None


def names_in_reports(session: Session, case: Case) -> list[NameInReport]:
    """Names pupils typed in the case's reports (their own, a friend's), with the pupils they
    may be, leaving out pupils already on the case."""
    if not has_directory(session, case.school_id):
        return []
    taken = frozenset(p.pupil_id for p in case.people if p.pupil_id)
    reports = session.scalars(select(Report).where(Report.case_id == case.id)
                              .order_by(Report.received_at))
    typed = {}
    for report in reports:
        for name in (report.reporter_name.strip(), report.friend_name.strip()):
            if name and name not in typed and len(typed) < NAMES_LOOKED_UP:
                typed[name] = report
    found = [NameInReport(report, name, tuple(matches)) for name, report in typed.items()
             if (matches := suggestions(session, case.school_id, name, taken))]
    return found
