"""Which names a minimised referral note must leave out, from the directory.

Every variant of every child linked to the case (legal, preferred and other names, first
names alone, surnames and each part of a hyphenated surname) is taken out wherever it is
written, in any case. So is every directory pupil of the school whose name appears in the
note's free text: their full names always, a first name alone and a surname alone when
written as a name (with a capital), and a surname alone only when few pupils share it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import Case, Pupil, PupilName
from schoolsafe.services.pupils import directory
from schoolsafe.services.pupils.names import (
    NameParts,
    fold,
    plain_letters,
    surname_parts,
    variants,
    words,
)

# A surname held by more pupils than this is too common to take out on its own ("Smith").
DISTINCTIVE_AT_MOST = 5
# Words that are names for some pupils and ordinary words in every note: only a linked child's
# own name of this kind is taken out, never a name found by looking through the directory.
CALENDAR = frozenset(fold(w) for w in (
    "January February March April May June July August September October November December "
    "Monday Tuesday Wednesday Thursday Friday Saturday Sunday").split())
NAME_LIKE = re.compile(r"^[^\W\d_]+(?:['-][^\W\d_]+)*$")


@dataclass(frozen=True)
class NameToHide:
    """A name to leave out, and whether it is taken out only when written as a name."""

    name: str
    capitalised_only: bool = False


def label_parts(label: str) -> NameParts | None:
    """A person's label read as a name when it looks like one ("Sara Jones", "Mai")."""
    parts = label.split()
    if not 1 <= len(parts) <= 4 or not all(NAME_LIKE.match(p) and p[0].isupper()
                                           for p in parts):
        return None
    return NameParts(parts[0], " ".join(parts[1:]))


def for_case(session: Session, case: Case, free_text: Iterable[str]) -> list[NameToHide]:
    """The names to leave out of a minimised note about this case."""
    linked = directory.by_ids(session, case.school_id,
                              {p.pupil_id for p in case.people if p.pupil_id})
    hide = {v: NameToHide(v) for pupil in linked.values()
            for v in variants(directory.parts_of(pupil))}
    for person in case.people:
        parts = label_parts(person.label)
        if person.pupil_id is None and parts:
            hide.update({v: NameToHide(v) for v in variants(parts) if v not in hide})
    for found in in_text(session, case.school_id, " ".join(free_text), set(linked)):
        hide.setdefault(found.name, found)
    return sorted(hide.values(), key=lambda n: (-len(n.name), n.name))


def _distinctive(session: Session, school_id: int, surnames: set[str]) -> set[str]:
    if not surnames:
        return set()
    counts = dict(session.execute(select(PupilName.token, func.count()).where(
        PupilName.school_id == school_id, PupilName.token.in_(surnames))
        .group_by(PupilName.token)).all())
    return {s for s in surnames if counts.get(s, 0) <= DISTINCTIVE_AT_MOST}


def in_text(session: Session, school_id: int, text: str,
            skip: set[int] = frozenset()) -> list[NameToHide]:
    """Names of directory pupils written in the text, as they are written there."""
    written = set(words(text))
    if not written:
        return []
    ids = set(session.scalars(select(PupilName.pupil_id).where(
        PupilName.school_id == school_id, PupilName.token.in_(sorted(written)))))
    pupils = directory.by_ids(session, school_id, ids - set(skip))
    surnames = {fold(p) for pupil in pupils.values() for p in surname_parts(pupil.legal_last)
                if " " not in p and "-" not in p}
    rare = _distinctive(session, school_id, surnames)
    found = []
    for pupil in pupils.values():
        found += _pupil_in_text(pupil, text, rare)
    return found


def _pupil_in_text(pupil: Pupil, text: str, rare: set[str]) -> list[NameToHide]:
    parts = directory.parts_of(pupil)
    firsts = [n for n in (parts.first, parts.preferred, *parts.others) if n.strip()]
    lasts = surname_parts(parts.last)
    full = [v for v in variants(parts) if " " in v and _written(v, text, re.IGNORECASE)]
    alone = [n for n in firsts if fold(n) not in CALENDAR and _written(n, text)]
    alone += [n for n in lasts if (fold(n) in rare or "-" in n) and _written(n, text)]
    found = [NameToHide(v) for v in full]
    if full or alone:
        # Once the pupil is plainly named here, each of their names goes wherever it is.
        found += [NameToHide(n, capitalised_only=True) for n in firsts + lasts]
    return found


def _written(name: str, text: str, flags: int = 0) -> bool:
    """Whether the name is in the text as whole words, accents typed or not."""
    for spelling in {name, plain_letters(name)}:
        pattern = r"[\s-]+".join(re.escape(w) for w in re.split(r"[\s-]+", spelling) if w)
        if pattern and re.search(rf"(?<!\w){pattern}(?!\w)", text, flags):
            return True
        if pattern and re.search(rf"(?<!\w){pattern}(?!\w)", plain_letters(text), flags):
            return True
    return False
