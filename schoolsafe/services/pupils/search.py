"""Finding a child by any spelling: a name in any case, with or without accents or hyphens,
a preferred or former name, part of a name, a small slip, or their UPN.

The stored words (pupil_name) make the first step index lookups on both databases: each word
typed picks the pupils with a word starting with it (or with its first three letters when no
word does: a slip later in the word), and the candidates are the pupils every typed word
picked. Those few are then ranked by how well every typed word matches one of their words.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from sqlalchemy import and_, select
from sqlalchemy.orm import Session

from schoolsafe.models import Pupil, PupilName
from schoolsafe.services.pupils.names import fold, words

LIMIT, MAX_WORDS, CANDIDATES = 20, 6, 1000
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


def _with_prefix(session: Session, school_id: int, start: str) -> set[int]:
    return set(session.scalars(select(PupilName.pupil_id).where(
        PupilName.school_id == school_id, _prefix(PupilName.token, start)).limit(CANDIDATES)))


def _candidate_ids(session: Session, school_id: int, typed: list[str], whole: str) -> set[int]:
    # A UPN typed whole names one pupil: nothing else needs looking at.
    exact = set(session.scalars(select(PupilName.pupil_id).where(
        PupilName.school_id == school_id, PupilName.token == whole)))
    if exact and any(c.isdigit() for c in whole):
        return exact
    # Pupils with a word starting with every typed word; a typed word nobody's word starts
    # with (a slip: "maisy") is looked for by its first three letters instead.
    sets = [_with_prefix(session, school_id, w) or
            (_with_prefix(session, school_id, w[:3]) if len(w) >= 4 else set()) for w in typed]
    found = [ids for ids in sets if ids]
    if not found:
        return set()
    both = set.intersection(*found)
    return both or set().union(*found)


def _candidates(session: Session, school_id: int, typed: list[str],
                whole: str) -> dict[int, set[str]]:
    ids = sorted(_candidate_ids(session, school_id, typed, whole))[:CANDIDATES]
    found: dict[int, set[str]] = {pupil_id: set() for pupil_id in ids}
    for start in range(0, len(ids), 500):
        for pupil_id, token in session.execute(select(PupilName.pupil_id, PupilName.token)
                                               .where(PupilName.pupil_id.in_(
                                                   ids[start:start + 500]))):
            found[pupil_id].add(token)
    return found


def _word_score(typed: str, theirs: set[str]) -> float:
    if typed in theirs:
        return 1.0
    if any(t.startswith(typed) for t in theirs):
        return 0.85 if len(typed) >= 3 else 0.6
    # Only words starting alike are compared for a slip: a slip is rarely in the first letter.
    best = max((SequenceMatcher(None, typed, t).ratio() for t in theirs if t[:1] == typed[:1]),
               default=0.0)
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
    candidates = _candidates(session, school_id, typed, upn)
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
