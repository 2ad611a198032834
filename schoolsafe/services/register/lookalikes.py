"""Flagging new register entries that look like known ones, and the DSL's decisions on them.

A new entry's blocking keys are looked up in the indexed `lookalike_key` table, so only the
few entries that share a key are compared - never every entry of the school. The DSL then
confirms a flag (the two become aliases of one another) or dismisses it; either way the
decision stays on the flag and the pair is never flagged again.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import bindparam, insert, or_, select, update
from sqlalchemy.orm import Session

from schoolsafe.models import LookalikeFlag, LookalikeKey, OnlineAccount
from schoolsafe.models.base import utcnow
from schoolsafe.services.accounts.lookalike import (
    Matcher,
    blocking_keys,
    compare,
    score,
    search_keys,
)
from schoolsafe.services.register import history as register_history
from schoolsafe.services.register import status as register_status
from schoolsafe.vocab import N_, AccountEventKind, AccountStatus, LookalikeState

# Entries compared per new entry at most; a key shared by more is a common word, not a name.
CANDIDATE_LIMIT = 200
# Only the closest few are flagged: a name like twenty known ones is a common stem, and a
# DSL can judge five suggestions but not fifty. Removal adds to the score, so comebacks lead.
MAX_FLAGS = 5


class LookalikeError(ValueError):
    """A decision that can't be made; the message is shown to staff."""


def check_new(session: Session, accounts: list[OnlineAccount],
              now: datetime | None = None) -> list[LookalikeFlag]:
    """Store new entries' blocking keys and flag the known entries each looks like.

    All the entries of one report share one insert and one lookup. Their own keys go in
    first, so two new names in the same report can be flagged as each other (once, the later
    one against the earlier).
    """
    keys = {account.id: blocking_keys(account.platform, account.canonical_key)
            for account in accounts}
    rows = [{"school_id": a.school_id, "account_id": a.id, "key": key}
            for a in accounts for key in keys[a.id]]
    if not rows:
        return []
    session.execute(insert(LookalikeKey), rows)
    # A name with no app is looked for on every app, and a name on an app among those.
    keys = {account.id: search_keys(account.platform, account.canonical_key)
            for account in accounts}
    candidates = _candidates(session, accounts[0].school_id,
                             sorted({key for found in keys.values() for key in found}),
                             CANDIDATE_LIMIT * len(accounts))
    new_ids = {a.id for a in accounts}
    flags = []
    for account in accounts:
        sharing = {row.id: row for key in keys[account.id] for row in candidates.get(key, ())
                   if row.id < account.id or row.id not in new_ids}
        flags += _flag_closest(session, account, list(sharing.values()), now)
    return flags


# Built once, as it runs for every report naming a new entry: entries sharing its keys.
_CANDIDATES = (
    select(LookalikeKey.key, OnlineAccount.id, OnlineAccount.school_id, OnlineAccount.platform,
           OnlineAccount.canonical_key, OnlineAccount.display, OnlineAccount.status,
           OnlineAccount.removed_at, OnlineAccount.alias_group_id)
    .join(OnlineAccount, OnlineAccount.id == LookalikeKey.account_id)
    .where(LookalikeKey.school_id == bindparam("school_id"),
           LookalikeKey.key.in_(bindparam("keys", expanding=True)))
)


def _candidates(session: Session, school_id: int, keys: list[str], limit: int,
                ) -> dict[str, list]:
    """Entries sharing any of the keys, as plain rows grouped by key (not loaded entries:
    a common stem can bring a couple of hundred, and only a few are flagged)."""
    found: dict[str, list] = {}
    for row in session.execute(_CANDIDATES.limit(limit),
                               {"school_id": school_id, "keys": keys}):
        found.setdefault(row.key, []).append(row)
    return found


def _flag_closest(session: Session, account: OnlineAccount, candidates: list,
                  now: datetime | None) -> list[LookalikeFlag]:
    """Flag the few candidates closest to the entry, and say so in its history."""
    matcher = Matcher(account.canonical_key)
    close = []
    for other in candidates:
        edits = matcher.edits(other.canonical_key) if other.id != account.id else None
        if edits is not None:
            removed = was_removed(session, other)
            close.append((other, score(edits, removed), removed))
    closest = sorted(close, key=lambda item: (-item[1], item[0].id))[:MAX_FLAGS]
    if closest:
        words = register_history.school_words(session, account)
        named = "; ".join(
            words.gettext(N_("%(entry)s (taken down - it may have come back)"),
                          entry=register_history.label(other))
            if removed else register_history.label(other)
            for other, _score, removed in closest)
        register_history.record(session, account, AccountEventKind.ACCOUNT_LOOKALIKE,
                                words.gettext(N_("May be the same as %(entries)s."),
                                              entries=named),
                                at=now, to_cases=False)
    return [_flag(session, account, other, removed, now) for other, _score, removed in closest]


def was_removed(session: Session, account) -> bool:
    """True when the entry, or one confirmed as the same account, was ever taken down."""
    if account.removed_at is not None or account.status == AccountStatus.REMOVED:
        return True
    if account.alias_group_id is None:
        return False
    return session.scalar(select(OnlineAccount.id).where(
        OnlineAccount.alias_group_id == account.alias_group_id,
        OnlineAccount.removed_at.is_not(None)).limit(1)) is not None


def _flag(session: Session, account: OnlineAccount, other, removed: bool,
          now: datetime | None) -> LookalikeFlag:
    """Store one flag, with the reasons in words; tell the removed original's cases."""
    found = compare(account.canonical_key, other.canonical_key, removed)
    flag = LookalikeFlag(school_id=account.school_id, account_id=account.id,
                         similar_id=other.id, score=found.score, reasons=list(found.reasons),
                         state=LookalikeState.OPEN, created_at=now or utcnow())
    session.add(flag)
    if removed:
        # The cases about the removed page are the ones that need to hear it may be back.
        original = session.get(OnlineAccount, other.id)
        said = register_history.school_words(session, original).gettext(
            N_("A new entry, %(entry)s, may be this one come back."), entry=account.display)
        register_history.record(session, original, AccountEventKind.ACCOUNT_LOOKALIKE, said,
                                at=now)
    return flag


def flag_between(session: Session, one: OnlineAccount, other: OnlineAccount,
                 ) -> LookalikeFlag | None:
    """The flag between two entries, whichever way round it was raised."""
    return session.scalar(select(LookalikeFlag).where(or_(
        (LookalikeFlag.account_id == one.id) & (LookalikeFlag.similar_id == other.id),
        (LookalikeFlag.account_id == other.id) & (LookalikeFlag.similar_id == one.id))))


def confirm(session: Session, flag: LookalikeFlag, user_id: int,
            now: datetime | None = None) -> OnlineAccount:
    """The two entries are one account: join their alias groups; returns the newer entry."""
    now = _decide(flag, LookalikeState.CONFIRMED, user_id, now)
    new = session.get(OnlineAccount, flag.account_id)
    old = session.get(OnlineAccount, flag.similar_id)
    _join_groups(session, new, old)
    for one, other in ((new, old), (old, new)):
        said = register_history.school_words(session, one).gettext(
            N_("Confirmed as the same account as %(entry)s."),
            entry=register_history.label(other))
        register_history.record(session, one, AccountEventKind.ACCOUNT_ALIAS, said,
                                actor_id=user_id, at=now)
    if new.status == AccountStatus.ACTIVE and was_removed(session, old):
        register_status.resurface(session, new, N_("It is the same account as one that was "
                                                    "taken down."), actor_id=user_id, now=now)
    return new


def dismiss(session: Session, flag: LookalikeFlag, user_id: int,
            now: datetime | None = None) -> None:
    """The two entries are different accounts; the flag stays, marked dismissed."""
    now = _decide(flag, LookalikeState.DISMISSED, user_id, now)
    new = session.get(OnlineAccount, flag.account_id)
    old = session.get(OnlineAccount, flag.similar_id)
    said = register_history.school_words(session, new).gettext(
        N_("Checked: not the same account as %(entry)s."), entry=register_history.label(old))
    register_history.record(session, new, AccountEventKind.ACCOUNT_NOT_ALIAS, said,
                            actor_id=user_id, at=now)


def _decide(flag: LookalikeFlag, state: str, user_id: int, now: datetime | None) -> datetime:
    """Record who decided and when; a decided flag can't be decided again."""
    if flag.state != LookalikeState.OPEN:
        raise LookalikeError(N_("Someone has already decided about these two entries."))
    flag.state, flag.decided_by_id, flag.decided_at = state, user_id, now or utcnow()
    return flag.decided_at


def _join_groups(session: Session, one: OnlineAccount, other: OnlineAccount) -> None:
    """Both entries and all their aliases take the lowest entry id as their group id."""
    groups = {g for g in (one.alias_group_id, other.alias_group_id) if g is not None}
    members = {one.id, other.id}
    target = min(groups | members)
    condition = OnlineAccount.id.in_(members)
    if groups:
        condition = condition | OnlineAccount.alias_group_id.in_(groups)
    session.execute(update(OnlineAccount).where(condition).values(alias_group_id=target)
                    .execution_options(synchronize_session="fetch"))


def aliases(session: Session, account: OnlineAccount) -> list[OnlineAccount]:
    """The other entries confirmed as the same account."""
    if account.alias_group_id is None:
        return []
    return list(session.scalars(select(OnlineAccount).where(
        OnlineAccount.alias_group_id == account.alias_group_id,
        OnlineAccount.id != account.id).order_by(OnlineAccount.first_seen)))


def group_ids(session: Session, account: OnlineAccount) -> list[int]:
    """The entry's id and its aliases' ids."""
    return [account.id, *(a.id for a in aliases(session, account))]
