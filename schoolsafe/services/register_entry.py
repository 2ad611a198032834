"""Everything the entry page shows about one register entry, gathered in one place."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from schoolsafe.models import (
    Case,
    LookalikeFlag,
    OnlineAccount,
    PlatformReport,
    Report,
    Sighting,
    TimelineEvent,
    User,
)
from schoolsafe.services import register_history, register_lookalikes, register_status
from schoolsafe.services.register_next_steps import NextStep, next_steps
from schoolsafe.services.register_queries import Reach, has_concern, reach


@dataclass(frozen=True)
class FlagView:
    """A lookalike flag seen from this entry: the other entry and the decision."""

    flag: LookalikeFlag
    other: OnlineAccount
    raised_on_this: bool


@dataclass(frozen=True)
class EntryPage:
    """The entry with its aliases, flags, sightings, links, history and next steps."""

    account: OnlineAccount
    kind_was_set: bool
    aliases: list[OnlineAccount]
    flags: list[FlagView]
    sightings: list[Sighting]
    reports: list[Report]
    cases: list[Case]
    reach: Reach
    history: list[TimelineEvent]
    platform_reports: list[PlatformReport]
    next_steps: list[NextStep]
    names: dict[int, str]


def entry_page(session: Session, account: OnlineAccount) -> EntryPage:
    """Gather the entry page; reports and cases are the entry's own school's only."""
    found = reach(session, account)
    reports = register_status.platform_reports(session, account.id)
    history = register_history.history(session, account.id)
    return EntryPage(
        account=account, kind_was_set=register_status.kind_was_set(session, account),
        aliases=register_lookalikes.aliases(session, account),
        flags=_flags(session, account), sightings=_sightings(session, account),
        reports=_by_ids(session, Report, found.report_ids, Report.received_at),
        cases=_by_ids(session, Case, found.case_ids, Case.opened_at), reach=found,
        history=history, platform_reports=reports,
        next_steps=next_steps(account, reports, concern=has_concern(session, found),
                              platform_name=register_status.platform_name(account)),
        names=_names(session, {e.actor_id for e in history}
                     | {r.reported_by_id for r in reports}),
    )


def _flags(session: Session, account: OnlineAccount) -> list[FlagView]:
    flags = register_lookalikes.flags_for(session, account.id)
    others = _accounts(session, {f.similar_id if f.account_id == account.id else f.account_id
                                 for f in flags})
    return [FlagView(flag, others[flag.similar_id if flag.account_id == account.id
                                  else flag.account_id], flag.account_id == account.id)
            for flag in flags]


def _accounts(session: Session, ids: set[int]) -> dict[int, OnlineAccount]:
    """Entries by id in one query (a page with many flags must not load them one by one)."""
    if not ids:
        return {}
    return {a.id: a for a in session.scalars(select(OnlineAccount)
                                             .where(OnlineAccount.id.in_(ids)))}


def _sightings(session: Session, account: OnlineAccount) -> list[Sighting]:
    return list(session.scalars(select(Sighting).where(Sighting.account_id == account.id)
                                .order_by(Sighting.seen_at.desc(), Sighting.id.desc())))


def _by_ids(session: Session, model: type, ids: set[int], order) -> list:
    if not ids:
        return []
    return list(session.scalars(select(model).where(model.id.in_(ids)).order_by(order)))


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


def open_flags(session: Session, school_ids: list[int], limit: int = 20) -> list[OpenFlag]:
    """Undecided lookalike flags of the schools, newest first, for the register's front page."""
    flags = list(session.scalars(select(LookalikeFlag)
                                 .where(LookalikeFlag.school_id.in_(school_ids),
                                        LookalikeFlag.state == register_lookalikes.OPEN)
                                 .order_by(LookalikeFlag.created_at.desc()).limit(limit)))
    entries = _accounts(session, {f.account_id for f in flags} | {f.similar_id for f in flags})
    return [OpenFlag(flag, entries[flag.account_id], entries[flag.similar_id]) for flag in flags]


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
               LookalikeFlag.state == register_lookalikes.OPEN)
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
