"""Typed chronology entries: a conversation, call, meeting, contact or decision, recorded with
when it happened, who was there, what was said or agreed and what happens next.

An entry takes its place in the chronology by when it happened, not when it was typed, and
shows both. A correction is a new version; the earlier versions stay and are shown with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from schoolsafe.models import (
    Case,
    CaseEntry,
    CaseEntryPupil,
    CasePerson,
    Membership,
    Pupil,
    School,
    User,
)
from schoolsafe.models.base import utcnow
from schoolsafe.services import local_time
from schoolsafe.services.errors import FieldError
from schoolsafe.services.sanitize import clean_text, contains_image_data
from schoolsafe.vocab import N_, EntryKind

TEXT_LIMIT, OTHERS_LIMIT = 5000, 1000


class EntryError(FieldError):
    """An entry we can't record as typed; the message says why."""


@dataclass(frozen=True)
class EntryInput:
    """What a DSL typed for an entry, as the form sent it."""

    kind: str
    day: str
    clock: str
    present: list[str]
    others: str
    said: str
    next_steps: str
    # Pupils from the school's directory who were there, by public id.
    pupils: tuple[str, ...] = ()


@dataclass(frozen=True)
class PresentPupil:
    """A pupil from the directory who was at an entry, as the chronology names them."""

    public_id: str
    name: str


@dataclass(frozen=True)
class EntryVersion:
    """One version of an entry as the chronology shows it."""

    public_id: str
    kind: str
    label: str
    happened_at: datetime
    recorded_at: datetime
    recorded_by: str
    present: list[str]
    others: str
    said: str
    next_steps: str
    version: int
    earlier: tuple[EntryVersion, ...] = ()
    pupils: tuple[PresentPupil, ...] = ()


def school_staff(session: Session, school_id: int) -> list[User]:
    """Active staff of the school in any role: who can be present or be given a task."""
    return list(session.scalars(
        select(User).where(User.active.is_(True), User.id.in_(
            select(Membership.user_id).where(Membership.school_id == school_id)))
        .order_by(User.name)))


def case_pupils(session: Session, case: Case) -> list[Pupil]:
    """The directory pupils linked to people on the case: offered first as who was there."""
    return list(session.scalars(select(Pupil).where(Pupil.id.in_(
        select(CasePerson.pupil_id).where(CasePerson.case_id == case.id)))
        .order_by(Pupil.legal_last, Pupil.legal_first)))


def pupils_by_public_id(session: Session, school_id: int, public_ids: list[str]) -> list[Pupil]:
    """Pupils of this school with these public ids (anyone else's are left out)."""
    if not public_ids:
        return []
    return list(session.scalars(select(Pupil).where(
        Pupil.school_id == school_id, Pupil.public_id.in_(public_ids))
        .order_by(Pupil.legal_last, Pupil.legal_first)))


def add(session: Session, case: Case, user_id: int, typed: EntryInput,
        now: datetime | None = None) -> CaseEntry:
    """Record a new entry on the case."""
    pupils = _present_pupils(session, case, typed.pupils)
    entry = CaseEntry(school_id=case.school_id, case_id=case.id, recorded_by_id=user_id,
                      recorded_at=now or utcnow(), **_checked(session, case, typed, now))
    session.add(entry)
    session.flush()
    _link_pupils(session, entry, pupils)
    return entry


def correct(session: Session, case: Case, public_id: str, user_id: int, typed: EntryInput,
            now: datetime | None = None) -> CaseEntry:
    """Save a corrected version of an entry; the version it replaces is kept and shown."""
    old = current_version(session, case, public_id)
    values = _checked(session, case, typed, now)
    pupils = _present_pupils(session, case, typed.pupils)
    if all(getattr(old, name) == value for name, value in values.items()) and \
            set(pupils) == set(_pupil_ids(session, [old.id]).get(old.id, [])):
        raise EntryError("said",
                         N_("Nothing was changed. Change what needs correcting, then save."))
    now = now or utcnow()
    old.replaced_at = now
    entry = CaseEntry(school_id=case.school_id, case_id=case.id, recorded_by_id=user_id,
                      recorded_at=now, first_id=old.first_id or old.id,
                      version=old.version + 1, **values)
    session.add(entry)
    session.flush()
    _link_pupils(session, entry, pupils)
    return entry


def _link_pupils(session: Session, entry: CaseEntry, pupil_ids: list[int]) -> None:
    session.add_all([CaseEntryPupil(entry_id=entry.id, pupil_id=i) for i in pupil_ids])
    session.flush()


def _pupil_ids(session: Session, entry_ids: list[int]) -> dict[int, list[int]]:
    found: dict[int, list[int]] = {}
    for entry_id, pupil_id in session.execute(select(
            CaseEntryPupil.entry_id, CaseEntryPupil.pupil_id).where(
            CaseEntryPupil.entry_id.in_(entry_ids))):
        found.setdefault(entry_id, []).append(pupil_id)
    return found


def current_version(session: Session, case: Case, public_id: str) -> CaseEntry:
    """The latest version of the entry whose any version has this public id."""
    found = session.scalar(select(CaseEntry).where(CaseEntry.public_id == public_id,
                                                   CaseEntry.case_id == case.id))
    if found is None:
        raise LookupError(public_id)
    first = found.first_id or found.id
    return session.scalar(select(CaseEntry).where(
        or_(CaseEntry.id == first, CaseEntry.first_id == first),
        CaseEntry.replaced_at.is_(None)))


def as_typed(session: Session, entry: CaseEntry) -> EntryInput:
    """An entry as its form shows it, for correcting."""
    school = session.get(School, entry.school_id)
    local = local_time.to_zone(entry.happened_at, school.timezone)
    ids = {u.id: u.public_id for u in school_staff(session, entry.school_id)}
    pupils = session.scalars(select(Pupil.public_id).where(Pupil.id.in_(
        _pupil_ids(session, [entry.id]).get(entry.id, [])))).all()
    return EntryInput(entry.kind, local.date().isoformat(), local.strftime("%H:%M"),
                      [ids[i] for i in entry.present_staff if i in ids], entry.present_others,
                      entry.said, entry.next_steps, tuple(pupils))


def versions(session: Session, entry_ids: list[int]) -> dict[int, EntryVersion]:
    """The current entries with these ids, each with its earlier versions, by id."""
    if not entry_ids:
        return {}
    current = session.scalars(select(CaseEntry).where(CaseEntry.id.in_(entry_ids))).all()
    firsts = {e.first_id or e.id for e in current}
    rows = session.scalars(select(CaseEntry).where(
        or_(CaseEntry.id.in_(firsts), CaseEntry.first_id.in_(firsts)))
        .order_by(CaseEntry.version.desc())).all()
    names = _names(session, rows)
    present = _present_names(session, rows)
    shown = {}
    for entry in current:
        group = entry.first_id or entry.id
        earlier = tuple(_version(e, names, present.get(e.id, ())) for e in rows
                        if (e.first_id or e.id) == group and e.id != entry.id)
        shown[entry.id] = _version(entry, names, present.get(entry.id, ()), earlier)
    return shown


def _present_names(session: Session, rows: list[CaseEntry]
                   ) -> dict[int, tuple[PresentPupil, ...]]:
    found: dict[int, list[PresentPupil]] = {}
    for entry_id, pupil in session.execute(select(CaseEntryPupil.entry_id, Pupil).join(
            Pupil, Pupil.id == CaseEntryPupil.pupil_id).where(
            CaseEntryPupil.entry_id.in_([e.id for e in rows]))
            .order_by(Pupil.legal_last, Pupil.legal_first)):
        found.setdefault(entry_id, []).append(PresentPupil(pupil.public_id, pupil.full_name))
    return {entry_id: tuple(pupils) for entry_id, pupils in found.items()}


def _names(session: Session, rows: list[CaseEntry]) -> dict[int, str]:
    ids = {i for e in rows for i in e.present_staff} | {e.recorded_by_id for e in rows}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(ids))).all())


def _version(entry: CaseEntry, names: dict[int, str], pupils: tuple[PresentPupil, ...],
             earlier: tuple[EntryVersion, ...] = ()) -> EntryVersion:
    return EntryVersion(
        entry.public_id, entry.kind, EntryKind(entry.kind).label, entry.happened_at,
        entry.recorded_at, names.get(entry.recorded_by_id, "Staff"),
        [names.get(i, "A former member of staff") for i in entry.present_staff],
        entry.present_others, entry.said, entry.next_steps, entry.version, earlier, pupils)


def _checked(session: Session, case: Case, typed: EntryInput,
             now: datetime | None) -> dict[str, object]:
    if typed.kind not in EntryKind.values():
        raise EntryError("kind", N_("Please choose what kind of entry this is."))
    happened = _when(session, case, typed.day, typed.clock, now or utcnow())
    said = _text(typed.said, "said", N_("Please write what was said, agreed or decided."))
    others = clean_text(typed.others)
    if len(others) > OTHERS_LIMIT:
        raise EntryError("others", N_("Please keep this under %(limit)s characters."),
                         limit=OTHERS_LIMIT)
    return {"kind": typed.kind, "happened_at": happened, "said": said,
            "present_staff": _present(session, case, typed.present), "present_others": others,
            "next_steps": _text(typed.next_steps, "next_steps", "")}


def _when(session: Session, case: Case, day: str, clock: str, now: datetime) -> datetime:
    try:
        on = date.fromisoformat(day.strip())
    except ValueError:
        raise EntryError("day", N_("Please give the date it happened, for example "
                        "2026-03-31.")) from None
    try:
        at = time.fromisoformat(clock.strip())
    except ValueError:
        raise EntryError("clock", N_("Please give the time it happened, for example 07:30.")) \
            from None
    happened = local_time.from_zone(on, at, session.get(School, case.school_id).timezone)
    if happened > now:
        raise EntryError("day", N_("That time is still to come. Record what has happened; "
                        "set a task for what is planned."))
    return happened


def _text(value: str, field: str, asked: str) -> str:
    text = clean_text(value)
    if asked and not text:
        raise EntryError(field, asked)
    if len(text) > TEXT_LIMIT:
        raise EntryError(field, N_("Please keep this under %(limit)s characters, or write "
                        "two entries."), limit=TEXT_LIMIT)
    if contains_image_data(text):
        raise EntryError(field, N_("That looks like a picture or file pasted in. Record where it "
                        "is instead - never copy images into the record."))
    return text


def _present(session: Session, case: Case, public_ids: list[str]) -> list[int]:
    staff = {u.public_id: u.id for u in school_staff(session, case.school_id)}
    if any(p not in staff for p in public_ids):
        raise EntryError("present", N_("Only staff of this school can be picked. Write anyone "
                        "else in the box below."))
    return [staff[p] for p in dict.fromkeys(public_ids)]


def _present_pupils(session: Session, case: Case, public_ids: tuple[str, ...]) -> list[int]:
    wanted = list(dict.fromkeys(public_ids))
    found = {p.public_id: p.id for p in pupils_by_public_id(session, case.school_id, wanted)}
    if any(p not in found for p in wanted):
        raise EntryError("pupils", N_("Only pupils of this school's directory can be picked. "
                        "Write anyone else in the box below."))
    return [found[p] for p in wanted]
