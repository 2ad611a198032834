"""Finding a child by any spelling: a name in any case, with or without accents or hyphens,
a preferred or former name, part of a name, a small slip, or their UPN.

The stored words (pupil_name) make the first step an index lookup on both databases: each
word typed picks the pupils with a word starting with it, or with its first three letters
when nothing starts with the whole word (a slip later in the word). Those few candidates are
then ranked by how well every typed word matches one of their words.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import and_, or_, select
from sqlalchemy.orm import Session

from schoolsafe.models import Pupil, PupilName
from schoolsafe.services.pupils.names import fold, words

LIMIT, MAX_WORDS, CANDIDATES = 20, 6, 2000
# How close a typed word must be to a pupil's word to count as a slip ("maisy" for "maisie").
SLIP = 0.75


@dataclass(frozen=True)
class Found:
    """A pupil found, with how well they matched (1 is every word exactly)."""

    pupil: Pupil
    score: float


def _prefix(column, start: str):
    # A range rather than LIKE, so an ordinary index serves it on both databases.
    return and_(column >= start, column < start[:-1] + chr(ord(start[-1]) + 1))


def _candidates(session: Session, school_id: int, typed: list[str]) -> dict[int, set[str]]:
    conditions = [_prefix(PupilName.token, w) for w in typed]
    rows = session.execute(select(PupilName.pupil_id, PupilName.token).where(
        PupilName.school_id == school_id, or_(*conditions)).limit(CANDIDATES * 4)).all()
    slips = [w for w in typed if len(w) >= 4 and not any(t.startswith(w) for _, t in rows)]
    if slips:
        rows += session.execute(select(PupilName.pupil_id, PupilName.token).where(
            PupilName.school_id == school_id,
            or_(*[_prefix(PupilName.token, w[:3]) for w in slips])).limit(CANDIDATES * 4)).all()
    found: dict[int, set[str]] = {}
    for pupil_id, _ in rows:
        found.setdefault(pupil_id, set())
    if not found:
        return found
    ids = list(found)[:CANDIDATES]
    for pupil_id, token in session.execute(select(PupilName.pupil_id, PupilName.token).where(
            PupilName.pupil_id.in_(ids))):
        found[pupil_id].add(token)
    return {k: v for k, v in found.items() if v}


def _word_score(typed: str, theirs: set[str]) -> float:
    if typed in theirs:
        return 1.0
    if any(t.startswith(typed) for t in theirs):
        return 0.85 if len(typed) >= 3 else 0.6
    best = max((SequenceMatcher(None, typed, t).ratio() for t in theirs), default=0.0)
    return best * 0.8 if best >= SLIP else 0.0


def score(typed: list[str], theirs: set[str]) -> float:
    """How well the typed words match a pupil's words: every word must match something."""
    joined = "".join(typed)
    if len(typed) > 1 and joined in theirs:  # "adebayo clarke" typed for "Adebayo-Clarke"
        return 1.0
    scores = [_word_score(w, theirs) for w in typed]
    if min(scores) == 0.0:
        return 0.0
    return sum(scores) / len(scores)


def search(session: Session, school_id: int, query: str) -> list[Found]:
    """The school's pupils matching what was typed, best first (on roll before left)."""
    typed = [w for w in words(query) if len(w) >= 2][:MAX_WORDS]
    if not typed:
        return []
    upn = fold(query.strip())
    candidates = _candidates(session, school_id, typed)
    scored = {pid: (1.5 if upn in theirs else score(typed, theirs))
              for pid, theirs in candidates.items()}
    keep = [pid for pid, value in scored.items() if value > 0]
    if not keep:
        return []
    pupils = {p.id: p for p in session.scalars(select(Pupil).where(
        Pupil.school_id == school_id, Pupil.id.in_(keep)))}
    ranked = sorted(pupils.values(), key=lambda p: (-scored[p.id], not p.on_roll,
                                                    p.legal_last, p.legal_first, p.id))
    return [Found(p, round(scored[p.id], 3)) for p in ranked[:LIMIT]]
