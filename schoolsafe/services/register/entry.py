"""Everything the entry page shows about one register entry, gathered in one place.

The lists that grow each time the entry is named or worked on - reports and cases naming it,
its sightings, its history and the reports made to the platform - come a page at a time,
newest first, with exact totals counted in SQL. The page then costs the same few queries,
and renders the same few rows, for an entry named twice or two hundred times.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from sqlalchemy import bindparam, case, distinct, exists, func, or_, select
from sqlalchemy.orm import Session, aliased

from schoolsafe.models import (
    Case,
    LookalikeFlag,
    OnlineAccount,
    PlatformReport,
    Report,
    School,
    Sighting,
    TimelineEvent,
    User,
)
from schoolsafe.services.jurisdictions.packs import Jurisdiction
from schoolsafe.services.paging import Page, nearest
from schoolsafe.services.register import lookalikes as register_lookalikes
from schoolsafe.services.register import status as register_status
from schoolsafe.services.register.history import case_ids_naming, own_events
from schoolsafe.services.register.next_steps import NextStep, next_steps
from schoolsafe.services.register.queries import Elsewhere, elsewhere
from schoolsafe.vocab import AccountEventKind, AccountStatus, LookalikeState, Urgency

PAGE_SIZE = 20
# The paged lists, each with its own page number.
LISTS = ("reports", "cases", "sightings", "history", "platform_reports")


@dataclass(frozen=True)
class FlagView:
    """A lookalike flag seen from this entry: the other entry and the decision."""

    flag: LookalikeFlag
    other: OnlineAccount
    raised_on_this: bool


@dataclass(frozen=True)
class EntryPage:
    """The entry with its aliases, flags, a page of each list, next steps and trust reach.

    `reports` and `cases` cover the confirmed aliases too; `sightings`, `history` and
    `platform_reports` are this entry's own. Platform reports keep their numbers (1 is the
    first made) while being shown newest first.
    """

    account: OnlineAccount
    kind_was_set: bool
    aliases: list[OnlineAccount]
    flags: list[FlagView]
    reports: Page
    cases: Page
    sightings: Page
    history: Page
    platform_reports: Page
    elsewhere: list[Elsewhere]
    next_steps: list[NextStep]
    names: dict[int, str]


def entry_page(session: Session, account: OnlineAccount, packs: Mapping[str, Jurisdiction], *,
               in_trust: bool, pages: Mapping[str, int] | None = None,
               size: int = PAGE_SIZE) -> EntryPage:
    """Gather the entry page; reports and cases are the entry's own school's only.

    `packs` are the jurisdiction packs by code; the school's own says which escalations the
    next steps offer. `in_trust` says whether the school belongs to a trust whose other
    schools may have the entry too. `pages` asks for a page of each list by name (see
    LISTS); a page past the end shows the last one.
    """
    pages = pages or {}
    aliases = register_lookalikes.aliases(session, account)
    ids = {"account_id": account.id, "group_ids": [account.id, *(a.id for a in aliases)]}
    counts = session.execute(_COUNTS, ids).one()
    paged = {name: _fill(session, name, ids,
                         nearest(pages.get(name, 1), getattr(counts, name), size))
             for name in LISTS}
    platform = paged["platform_reports"]
    return EntryPage(
        account=account, kind_was_set=counts.kind_was_set, aliases=aliases,
        flags=_flags(session, account), **paged,
        elsewhere=elsewhere(session, account) if in_trust else [],
        next_steps=next_steps(account, _current_reports(session, account, platform),
                              packs[counts.jurisdiction], concern=counts.concern,
                              platform_name=register_status.platform_name(account)),
        names=_names(session, {e.actor_id for e in paged["history"].rows}
                     | {r.reported_by_id for r in platform.rows}),
    )


# The statements behind the lists, built once: every entry page runs them with its own
# entry's id and the ids of its confirmed aliases ("group").
_ACCOUNT = bindparam("account_id")
_IN_GROUP = Sighting.account_id.in_(bindparam("group_ids", expanding=True))
_REPORT_IDS = select(Sighting.report_id).where(_IN_GROUP, Sighting.report_id.is_not(None))
_CASE_IDS = case_ids_naming(bindparam("group_ids", expanding=True))
_SERIOUS = Urgency.HIGH.rank

# Every list's size, whether staff chose the kind, whether anything naming it is serious
# enough to escalate at once, and the school's jurisdiction - in one round trip.
_COUNTS = select(
    select(func.count(distinct(Sighting.report_id))).where(_IN_GROUP)
    .scalar_subquery().label("reports"),
    select(func.count()).select_from(_CASE_IDS.subquery()).scalar_subquery().label("cases"),
    select(func.count()).select_from(Sighting).where(Sighting.account_id == _ACCOUNT)
    .scalar_subquery().label("sightings"),
    select(func.count()).select_from(TimelineEvent).where(own_events(_ACCOUNT))
    .scalar_subquery().label("history"),
    select(func.count()).select_from(PlatformReport).where(PlatformReport.account_id == _ACCOUNT)
    .scalar_subquery().label("platform_reports"),
    exists().where(own_events(_ACCOUNT), TimelineEvent.kind == AccountEventKind.ACCOUNT_KIND)
    .label("kind_was_set"),
    or_(exists().where(Report.id.in_(_REPORT_IDS), Report.urgency_rank <= _SERIOUS),
        exists().where(Case.id.in_(_CASE_IDS), Case.urgency_rank <= _SERIOUS)).label("concern"),
    select(School.jurisdiction).join(OnlineAccount, OnlineAccount.school_id == School.id)
    .where(OnlineAccount.id == _ACCOUNT).scalar_subquery().label("jurisdiction"),
)

# One page of each list, newest first, with only what the page shows - except platform
# reports, which come whole because their answer forms need them.
_NEWEST_FIRST = {
    "reports": select(Report.public_id, Report.source, Report.received_at, Report.urgency)
    .where(Report.id.in_(_REPORT_IDS)).order_by(Report.received_at.desc(), Report.id.desc()),
    "cases": select(Case.public_id, Case.reference, Case.title, Case.status)
    .where(Case.id.in_(_CASE_IDS)).order_by(Case.opened_at.desc(), Case.id.desc()),
    "sightings": select(Sighting.seen_at, Sighting.raw_text, Sighting.platform_chosen,
                        Sighting.report_id)
    .where(Sighting.account_id == _ACCOUNT).order_by(Sighting.seen_at.desc(), Sighting.id.desc()),
    "history": select(TimelineEvent.at, TimelineEvent.kind, TimelineEvent.text,
                      TimelineEvent.actor_id)
    .where(own_events(_ACCOUNT)).order_by(TimelineEvent.at.desc(), TimelineEvent.id.desc()),
    "platform_reports": select(PlatformReport).where(PlatformReport.account_id == _ACCOUNT)
    .order_by(PlatformReport.reported_at.desc(), PlatformReport.id.desc()),
}
_PAGE = {name: query.limit(bindparam("size")).offset(bindparam("skip"))
         for name, query in _NEWEST_FIRST.items()}


def _fill(session: Session, name: str, ids: dict[str, object], page: Page) -> Page:
    """The page of one list with its rows (no query at all for an empty list)."""
    if not page.total:
        return page
    rows = session.execute(_PAGE[name], {**ids, "size": page.size, "skip": page.offset})
    return replace(page, rows=list(rows.scalars() if name == "platform_reports" else rows))


def _current_reports(session: Session, account: OnlineAccount,
                     shown: Page) -> list[PlatformReport]:
    """The platform reports the next steps depend on, oldest first: none once it is taken
    down, and no second query when the page already holds every report."""
    if account.status == AccountStatus.REMOVED or not shown.total:
        return []
    if shown.total <= shown.size:
        return [r for r in reversed(shown.rows)
                if account.removed_at is None or r.reported_at >= account.removed_at]
    return register_status.current_platform_reports(session, account)


# Every flag involving the entry, either side, newest first, each with the other entry.
_OTHER = aliased(OnlineAccount)
_FLAGS = (
    select(LookalikeFlag, _OTHER)
    .join(_OTHER, _OTHER.id == case((LookalikeFlag.account_id == _ACCOUNT,
                                     LookalikeFlag.similar_id), else_=LookalikeFlag.account_id))
    .where(or_(LookalikeFlag.account_id == _ACCOUNT, LookalikeFlag.similar_id == _ACCOUNT))
    .order_by(LookalikeFlag.created_at.desc(), LookalikeFlag.id.desc())
)


def _flags(session: Session, account: OnlineAccount) -> list[FlagView]:
    return [FlagView(flag, other, flag.account_id == account.id)
            for flag, other in session.execute(_FLAGS, {"account_id": account.id})]


def _accounts(session: Session, ids: set[int]) -> dict[int, OnlineAccount]:
    """Entries by id in one query (a page with many flags must not load them one by one)."""
    if not ids:
        return {}
    return {a.id: a for a in session.scalars(select(OnlineAccount)
                                             .where(OnlineAccount.id.in_(ids)))}


def _names(session: Session, ids: set[int | None]) -> dict[int, str]:
    wanted = [i for i in ids if i is not None]
    if not wanted:
        return {}
    return dict(session.execute(select(User.id, User.name).where(User.id.in_(wanted))).all())


@dataclass(frozen=True)
class OpenFlag:
    """An undecided flag: the new entry and the known one it looks like."""

    flag: LookalikeFlag
    new: OnlineAccount
    old: OnlineAccount


# Built once: aliasing the entries table afresh costs more than running the query.
_NEW, _OLD = aliased(OnlineAccount), aliased(OnlineAccount)
_OPEN_FLAGS = (
    select(LookalikeFlag, _NEW, _OLD)
    .join(_NEW, _NEW.id == LookalikeFlag.account_id)
    .join(_OLD, _OLD.id == LookalikeFlag.similar_id)
    .where(LookalikeFlag.school_id.in_(bindparam("school_ids", expanding=True)),
           LookalikeFlag.state == LookalikeState.OPEN)
    .order_by(LookalikeFlag.created_at.desc(), LookalikeFlag.id.desc())
    .limit(bindparam("limit"))
)


def open_flags(session: Session, school_ids: list[int], limit: int = 20) -> list[OpenFlag]:
    """Undecided lookalike flags of the schools, newest first, for the register's front page."""
    rows = session.execute(_OPEN_FLAGS, {"school_ids": school_ids, "limit": limit})
    return [OpenFlag(flag, new, old) for flag, new, old in rows]


def open_flags_of(session: Session, accounts: list[OnlineAccount],
                  ) -> dict[int, list[OnlineAccount]]:
    """For each entry, the entries it may be the same as while nobody has decided, newest
    flag first - for all the entries in two queries."""
    ids = [a.id for a in accounts]
    if not ids:
        return {}
    flags = session.scalars(
        select(LookalikeFlag)
        .where(or_(LookalikeFlag.account_id.in_(ids), LookalikeFlag.similar_id.in_(ids)),
               LookalikeFlag.state == LookalikeState.OPEN)
        .order_by(LookalikeFlag.created_at.desc(), LookalikeFlag.id.desc())).all()
    entries = _accounts(session, {f.account_id for f in flags} | {f.similar_id for f in flags})
    found: dict[int, list[OnlineAccount]] = {}
    wanted = set(ids)
    for flag in flags:
        for this, other in ((flag.account_id, flag.similar_id),
                            (flag.similar_id, flag.account_id)):
            if this in wanted:
                found.setdefault(this, []).append(entries[other])
    return found
