"""A school's pupils: reading them within the school, keeping their search words in step."""

from __future__ import annotations

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from schoolsafe.models import Pupil, PupilName
from schoolsafe.services.pupils.names import NameParts, tokens

PAGE_SIZE = 50


class PupilNotFound(LookupError):
    """No such pupil in this school."""


def parts_of(pupil: Pupil) -> NameParts:
    """The names a pupil is known by."""
    return NameParts(pupil.legal_first, pupil.legal_last, pupil.preferred_first or "",
                     tuple(pupil.other_names or ()))


def name_rows(pupil: Pupil) -> list[PupilName]:
    """The search words of a pupil, as rows to store (the pupil must have an id)."""
    return [PupilName(school_id=pupil.school_id, pupil_id=pupil.id, token=token)
            for token in sorted(tokens(parts_of(pupil), pupil.upn))]


def reindex(session: Session, pupils: list[Pupil]) -> None:
    """Store the search words of these pupils again, after their names changed."""
    if not pupils:
        return
    ids = [p.id for p in pupils]
    for start in range(0, len(ids), 500):
        session.execute(delete(PupilName).where(PupilName.pupil_id.in_(ids[start:start + 500])))
    session.add_all([row for pupil in pupils for row in name_rows(pupil)])


def get(session: Session, school_id: int, public_id: str) -> Pupil:
    """A pupil of this school by public id; PupilNotFound for any other."""
    pupil = session.scalar(select(Pupil).where(Pupil.school_id == school_id,
                                               Pupil.public_id == public_id))
    if pupil is None:
        raise PupilNotFound(public_id)
    return pupil


def by_ids(session: Session, school_id: int, ids: set[int]) -> dict[int, Pupil]:
    """Pupils of this school by id."""
    if not ids:
        return {}
    return {p.id: p for p in session.scalars(select(Pupil).where(
        Pupil.school_id == school_id, Pupil.id.in_(ids)))}


def siblings(session: Session, pupil: Pupil) -> list[Pupil]:
    """Other pupils of the school with the same family id (none without one)."""
    if not pupil.family_id:
        return []
    return list(session.scalars(select(Pupil).where(
        Pupil.school_id == pupil.school_id, Pupil.family_id == pupil.family_id,
        Pupil.id != pupil.id).order_by(Pupil.date_of_birth, Pupil.legal_last)))


def listing(session: Session, school_id: int, page: int) -> tuple[list[Pupil], int]:
    """A page of the school's pupils on roll, by year group and surname, and how many."""
    on_roll = select(Pupil).where(Pupil.school_id == school_id, Pupil.on_roll.is_(True))
    total = session.scalar(select(func.count()).select_from(on_roll.subquery())) or 0
    rows = session.scalars(on_roll.order_by(Pupil.year_group, Pupil.legal_last,
                                            Pupil.legal_first, Pupil.id)
                           .offset((page - 1) * PAGE_SIZE).limit(PAGE_SIZE))
    return list(rows), total


def counts(session: Session, school_id: int) -> tuple[int, int]:
    """How many pupils are on roll, and how many have left."""
    rows = dict(session.execute(select(Pupil.on_roll, func.count()).where(
        Pupil.school_id == school_id).group_by(Pupil.on_roll)).all())
    return rows.get(True, 0), rows.get(False, 0)
