"""A case's chronology: every report, message, note and action on it, in time order.

Entries are written as TimelineEvent rows by whoever changes the case (this module, the
checklist, referrals, the register); any kind is shown with who and when. Reports and the
messages of linked reports are read from their own tables, so nothing is copied.

A long chronology is shown a page at a time. The paging is done in the database over the
(time, source, id) of every entry, so a page costs the same whether the case has twenty
entries or two thousand; only the page's own rows are read in full.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy import (
    Integer,
    Row,
    Select,
    Subquery,
    and_,
    bindparam,
    func,
    literal_column,
    or_,
    select,
    union_all,
)
from sqlalchemy.orm import Session

from schoolsafe.models import Case, CaseEntry, Report, ReportMessage, School, TimelineEvent, User
from schoolsafe.services.cases import entries as typed_entries
from schoolsafe.services.errors import WordedError
from schoolsafe.services.sanitize import clean_text, contains_image_data
from schoolsafe.services.words import Words, words_in
from schoolsafe.vocab import N_, EventKind, MessageAuthor, ReportSource

NOTE_LIMIT = 5000
PAGE_SIZE = 50
# Where an entry comes from; at the same moment a report comes before its messages and those
# before the events, then typed entries (placed by when they happened), and the id keeps the
# order stable within each.
REPORT, MESSAGE, EVENT, TYPED = 0, 1, 2, 3
# Anything a browser or a reader might take for a link: a scheme, www., or a bare domain.
_LINK = re.compile(
    r"(?:https?://|www\.)\S+"
    r"|\b[a-z0-9][a-z0-9-]*(?:\.[a-z0-9-]+)*\.(?:com|net|org|uk|io|me|app|gg|tv|ly|co|link)"
    r"\b(?:/\S*)?",
    re.IGNORECASE,
)


class NoteError(WordedError):
    """A note we can't keep as written; the message says why."""


@dataclass(frozen=True)
class Entry:
    """One line of the chronology."""

    at: datetime
    kind: str
    label: str
    text: str
    who: str
    from_pupil: bool = False
    report_public_id: str | None = None
    # A typed entry (conversation, call, meeting...) with its earlier versions.
    typed: typed_entries.EntryVersion | None = None

    @property
    def has_link(self) -> bool:
        """Whether the text holds something that looks like a link."""
        return bool(_LINK.search(self.text))


@dataclass(frozen=True)
class Page:
    """One page of a chronology, oldest first, and where it sits in the whole."""

    entries: list[Entry]
    number: int
    last: int
    total: int
    size: int


def record(session: Session, case: Case, kind: str, text: str, actor_id: int | None) -> None:
    """Add one event to the case's chronology (committed with the change it describes)."""
    session.add(TimelineEvent(school_id=case.school_id, case_id=case.id, kind=kind,
                              text=text, actor_id=actor_id))


def record_said(session: Session, case: Case, kind: str, said: str, actor_id: int | None,
                **params: object) -> None:
    """Add an event in our own words (`said`, marked N_ where written, its values named).

    The chronology keeps text, not codes, so it is written in the school's language at the
    time it is written (`school.language`), whoever is reading the page that made it; a
    vocabulary term among the values reads as its label in that language.
    """
    record(session, case, kind, school_words(session, case.school_id).gettext(said, **params),
           actor_id)


def school_words(session: Session, school_id: int) -> Words:
    """The words of a school's language, for what is stored or sent on its behalf."""
    school = session.get(School, school_id)
    return words_in(school.language if school is not None else None)


def add_note(session: Session, case: Case, user_id: int, body: str) -> None:
    """A plain-text note by a member of staff."""
    text = clean_text(body)
    if not text:
        raise NoteError(N_("Please type the note first."))
    if len(text) > NOTE_LIMIT:
        raise NoteError(N_("Please keep a note under %(limit)d characters, or split it in two."),
                        limit=NOTE_LIMIT)
    if contains_image_data(text):
        raise NoteError(N_("That looks like a picture or file pasted in. Record where it is "
                        "instead - never copy images into the record."))
    record(session, case, EventKind.NOTE, text, user_id)


def segments(text: str) -> list[tuple[str, bool]]:
    """Text split into (part, is_link) so templates can show links as inert text."""
    parts: list[tuple[str, bool]] = []
    last = 0
    for match in _LINK.finditer(text):
        if match.start() > last:
            parts.append((text[last:match.start()], False))
        parts.append((match.group(0), True))
        last = match.end()
    if last < len(text):
        parts.append((text[last:], False))
    return parts


def entries(session: Session, case: Case) -> list[Entry]:
    """Everything on the case, oldest first (the printable case file shows it all)."""
    rows = session.execute(_statements().everything, {"case_id": case.id})
    return _with_typed(session, [_entry(row) for row in rows])


def page(session: Session, case: Case, number: int | None = None,
         size: int = PAGE_SIZE) -> Page:
    """One page of the chronology; the newest page unless a number is given.

    Pages are counted from the oldest, but cut from the newest end, so the page a DSL opens
    on always holds the latest `size` entries. A number past either end gives the nearest
    page, so an old link still shows something.
    """
    sql = _statements()
    total = session.scalar(sql.count, {"case_id": case.id}) or 0
    last = max(1, -(-total // size))
    number = last if number is None else min(max(number, 1), last)
    end = total - (last - number) * size
    start = max(0, end - size)
    rows = session.execute(sql.page, {"case_id": case.id, "skip": start,
                                      "take": end - start}) if total else []
    return Page(_with_typed(session, [_entry(row) for row in rows]), number, last, total, size)


def _with_typed(session: Session, shown: list[Entry]) -> list[Entry]:
    # Typed entries are read in full with their versions, in one query for the page.
    ids = [entry.typed_id for entry in shown if isinstance(entry, _TypedKey)]
    found = typed_entries.versions(session, ids)
    return [_from_typed(entry, found[entry.typed_id]) if isinstance(entry, _TypedKey)
            else entry for entry in shown]


@dataclass(frozen=True)
class _TypedKey:
    at: datetime
    typed_id: int


def _from_typed(key: _TypedKey, typed: typed_entries.EntryVersion) -> Entry:
    text = typed.said + (f"\nNext: {typed.next_steps}" if typed.next_steps else "")
    return Entry(key.at, "entry-" + typed.kind, typed.label, text, typed.recorded_by,
                 typed=typed)


@dataclass(frozen=True)
class _Statements:
    count: Select
    page: Select
    everything: Select


@cache
def _statements() -> _Statements:
    """The chronology's queries, built once: building them costs more than running them."""
    keys = _keys(bindparam("case_id", type_=Integer))
    order = (keys.c.at, keys.c.source, keys.c.id)
    wanted = (select(keys).order_by(*order).offset(bindparam("skip", type_=Integer))
              .limit(bindparam("take", type_=Integer)).subquery("wanted"))
    return _Statements(select(func.count()).select_from(keys), _full_rows(wanted),
                       _full_rows(select(keys).subquery("wanted")))


def _keys(case_id) -> Subquery:
    """(at, source, id) of every entry on the case, each read through an index."""
    report, message, event = Report.__table__, ReportMessage.__table__, TimelineEvent.__table__
    in_case = report.c.case_id == case_id
    reports = select(report.c.received_at.label("at"), _source(REPORT),
                     report.c.id.label("id")).where(in_case)
    messages = (select(message.c.created_at, _source(MESSAGE), message.c.id)
                .join(report, report.c.id == message.c.report_id).where(in_case))
    events = select(event.c.at, _source(EVENT), event.c.id).where(event.c.case_id == case_id)
    typed = CaseEntry.__table__
    current = (select(typed.c.happened_at, _source(TYPED), typed.c.id)
               .where(typed.c.case_id == case_id, typed.c.replaced_at.is_(None)))
    # Events written on a linked report rather than the case, each only once.
    report_events = (select(event.c.at, _source(EVENT), event.c.id)
                     .join(report, report.c.id == event.c.report_id)
                     .where(in_case, or_(event.c.case_id.is_(None), event.c.case_id != case_id)))
    return union_all(reports, messages, events, report_events, current).subquery("entry_keys")


def _source(value: int):
    return literal_column(str(value), Integer).label("source")


def _full_rows(wanted: Subquery) -> Select:
    """Each wanted key joined to its report, message or event, its report and its author."""
    report, thread = Report.__table__.alias("entry_report"), Report.__table__.alias("thread")
    message = ReportMessage.__table__.alias("message")
    event, author = TimelineEvent.__table__.alias("event"), User.__table__.alias("author")
    return (
        select(wanted.c.at, wanted.c.source, wanted.c.id.label("key_id"),
               report.c.source.label("report_source"),
               report.c.narrative, message.c.author, message.c.body, event.c.kind,
               event.c.text, event.c.actor_id, author.c.name.label("author_name"),
               func.coalesce(report.c.public_id, thread.c.public_id).label("report_public_id"))
        .select_from(wanted)
        .outerjoin(report, and_(wanted.c.source == REPORT, report.c.id == wanted.c.id))
        .outerjoin(message, and_(wanted.c.source == MESSAGE, message.c.id == wanted.c.id))
        .outerjoin(thread, thread.c.id == message.c.report_id)
        .outerjoin(event, and_(wanted.c.source == EVENT, event.c.id == wanted.c.id))
        .outerjoin(author, author.c.id == func.coalesce(
            report.c.logged_by_id, message.c.staff_user_id, event.c.actor_id))
        .order_by(wanted.c.at, wanted.c.source, wanted.c.id))


# Looked up once per entry shown (50 a page): made once, not rebuilt from the enum each time.
_EVENT_LABELS = EventKind.labels()


def _entry(row: Row) -> Entry | _TypedKey:
    if row.source == TYPED:
        return _TypedKey(row.at, row.key_id)
    if row.source == REPORT:
        return _from_report(row)
    if row.source == MESSAGE:
        return _from_message(row)
    label = _EVENT_LABELS[row.kind] if row.kind in _EVENT_LABELS \
        else row.kind.replace("_", " ").capitalize()
    who = (row.author_name or "Staff") if row.actor_id else "schoolsafe"
    return Entry(row.at, row.kind, label, row.text, who)


def _from_report(row: Row) -> Entry:
    if row.report_source == ReportSource.STAFF_CONCERN:
        who, label = row.author_name or "A member of staff", "Concern logged by staff"
    else:
        who, label = "Pupil", "Report received"
    return Entry(row.at, EventKind.REPORT, label, row.narrative or "(nothing written)", who,
                 from_pupil=True, report_public_id=row.report_public_id)


def _from_message(row: Row) -> Entry:
    if row.author == MessageAuthor.STAFF:
        return Entry(row.at, EventKind.MESSAGE, "Reply to the pupil", row.body,
                     row.author_name or "Staff", report_public_id=row.report_public_id)
    return Entry(row.at, EventKind.MESSAGE, "Message from the pupil", row.body, "Pupil",
                 from_pupil=True, report_public_id=row.report_public_id)
