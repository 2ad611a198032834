"""Linking the online places in reports and cases to register entries.

Each place a pupil or member of staff names becomes a sighting of one register entry of the
school, found by its canonical key (an indexed lookup) or created. A new entry is checked for
lookalikes through the blocking-key index; a removed entry seen again is marked resurfaced.
This runs inside the pupil's transaction, so it does a handful of indexed queries per place
(bench/register_link.py measures it on a register of a million entries).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from schoolsafe.models import Case, OnlineAccount, Report, Sighting
from schoolsafe.models.base import new_public_id, utcnow
from schoolsafe.models.report import LIMITS
from schoolsafe.services import register_history, register_lookalikes, register_status
from schoolsafe.services.accounts import AccountRef, canonicalise, platform_code
from schoolsafe.services.sanitize import contains_image_data

# What a pupil ticked, as a hint of what sort of account they named.
_PAGE_CHOICES = {"bait_out_page": "bait_out_page", "fake_profile": "fake_profile"}
_SENDER_CHOICES = frozenset({"nude_shared", "asked_for_nudes", "threats", "unwanted_messages"})


@dataclass(frozen=True)
class Place:
    """An online place as typed: the platform picked from the list and the text."""

    platform: str
    text: str


def link_places(session: Session, school_id: int, places: list[Place], *,
                report_id: int | None = None, case_id: int | None = None,
                actor_id: int | None = None, now: datetime | None = None,
                ) -> list[OnlineAccount]:
    """Record a sighting of each place and return the register entries, created or matched."""
    now = now or utcnow()
    suggested = suggested_kind(_choices(session, report_id))
    accounts: list[OnlineAccount] = []
    counted_keys: set[str] = set()  # a report counts once per entry, however often it names it
    sightings: list[dict[str, object]] = []
    # One flush at the end instead of one before every lookup: entries are inserted at once
    # (so a place named twice is found), and the rest is only written, never read back.
    with session.no_autoflush:
        for place in places:
            ref = canonicalise(place.text, place.platform or None)
            if ref is None:
                continue
            counted = report_id is not None and ref.canonical_key not in counted_keys
            account = _sighted(session, school_id, ref, suggested, actor_id, now, counted)
            sightings.append({"school_id": school_id, "account_id": account.id,
                              "report_id": report_id, "case_id": case_id,
                              "platform_chosen": place.platform[:20],
                              "raw_text": place.text[:500], "seen_at": now})
            if counted:
                counted_keys.add(ref.canonical_key)
            accounts.append(account)
    if sightings:
        session.execute(insert(Sighting), sightings)
    session.flush()
    return accounts


def suggested_kind(choices: list[str]) -> str | None:
    """The kind a report's ticked choices point to, when they point to just one."""
    pages = {_PAGE_CHOICES[c] for c in choices if c in _PAGE_CHOICES}
    if len(pages) == 1:
        return pages.pop()
    if not pages and _SENDER_CHOICES.intersection(choices):
        return "sender"
    return None


def _choices(session: Session, report_id: int | None) -> list[str]:
    """The report's ticked choices (the report is already in the session: no query)."""
    report = session.get(Report, report_id) if report_id is not None else None
    return list(report.choices or []) if report is not None else []


def _sighted(session: Session, school_id: int, ref: AccountRef, suggested: str | None,
             actor_id: int | None, now: datetime, counted: bool) -> OnlineAccount:
    """The entry for this reference, updated as seen now, or a new one checked for lookalikes.

    `counted` adds one to the entry's report count (a new entry is inserted with it).
    """
    account = _find(session, school_id, ref)
    if account is None:
        account, created = _insert(session, school_id, ref, ref.kind_hint or suggested, now,
                                   int(counted))
        if created:
            register_history.record(session, account, "account_created", "First named.",
                                    actor_id=actor_id, at=now, to_cases=False)
            register_lookalikes.check_new(session, account, now)
            return account
    if counted:
        account.report_count = (account.report_count or 0) + 1
    _seen_again(session, account, ref.kind_hint or suggested, actor_id, now)
    return account


# Statements built once: building them per place cost more than running them.
_FIND = select(OnlineAccount).where(OnlineAccount.school_id == bindparam("school_id"),
                                    OnlineAccount.platform == bindparam("platform"),
                                    OnlineAccount.canonical_key == bindparam("key"))
_INSERT = {
    dialect.__name__.rpartition(".")[2]: dialect.insert(OnlineAccount)
    .on_conflict_do_nothing(index_elements=["school_id", "platform", "canonical_key"])
    .returning(OnlineAccount)
    for dialect in (postgresql, sqlite)
}


def _find(session: Session, school_id: int, ref: AccountRef) -> OnlineAccount | None:
    return session.scalar(_FIND, {"school_id": school_id, "platform": ref.platform,
                                  "key": ref.canonical_key})


def _insert(session: Session, school_id: int, ref: AccountRef, kind: str | None,
            now: datetime, report_count: int = 0) -> tuple[OnlineAccount, bool]:
    """Insert the entry unless another report just did; (entry, whether we created it).

    Two pupils naming a new page at the same moment must both have their reports saved, so
    the insert skips a duplicate key instead of failing the second pupil's transaction.
    """
    account = session.scalar(_INSERT[session.get_bind().dialect.name], {
        "public_id": new_public_id(), "school_id": school_id, "platform": ref.platform,
        "canonical_key": ref.canonical_key, "display": ref.display[:300], "url": ref.url,
        "kind": kind or "other", "status": register_status.ACTIVE,
        "report_count": report_count, "first_seen": now, "last_seen": now})
    if account is None:
        return _find(session, school_id, ref), False
    return account, True


def _seen_again(session: Session, account: OnlineAccount, suggested: str | None,
                actor_id: int | None, now: datetime) -> None:
    """Bring last-seen forward, adopt a first suggestion of kind, and catch a comeback."""
    account.last_seen = now
    if account.kind == "other" and suggested and suggested != "other" \
            and not register_status.kind_was_set(session, account):
        account.kind = suggested
    if account.status == register_status.REMOVED:
        register_status.resurface(session, account, "It was named again.",
                                  actor_id=actor_id, now=now)
    elif account.status == register_status.ACTIVE and account.alias_group_id is not None \
            and register_lookalikes.was_removed(session, account):
        register_status.resurface(session, account, "It was named again, and an account confirmed "
                                  "as the same one was taken down.",
                                  actor_id=actor_id, now=now)


class PlaceError(ValueError):
    """An online place staff typed that can't be added; the message says why."""


def add_to_case(session: Session, case: Case, place: Place, user_id: int,
                now: datetime | None = None) -> OnlineAccount:
    """Name an online place on a case: a sighting, and a line in the case's chronology."""
    if not place.text:
        raise PlaceError("Please type the account name, link or group name.")
    if len(place.text) > LIMITS["place"]:
        raise PlaceError(f"Please keep it under {LIMITS['place']} characters.")
    if contains_image_data(place.text):
        raise PlaceError("That looks like a picture or file pasted in. Type the account name "
                         "or link instead.")
    if platform_code(place.platform) is None and place.platform:
        raise PlaceError("Please choose the app or website from the list.")
    linked = link_places(session, case.school_id, [place], case_id=case.id, actor_id=user_id,
                         now=now)
    if not linked:
        raise PlaceError("Please type the account name, link or group name.")
    account = linked[0]
    register_history.record(session, account, "account_case",
                            f"Named in case {case.reference}.", actor_id=user_id, at=now)
    return account
