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

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from schoolsafe.models import Case, OnlineAccount, Report, Sighting
from schoolsafe.models.base import new_public_id, utcnow
from schoolsafe.models.report import LIMITS
from schoolsafe.services.accounts.canonical import (
    AccountRef,
    canonicalise,
    handle_keys,
    platform_code,
)
from schoolsafe.services.register import history as register_history
from schoolsafe.services.register import lookalikes as register_lookalikes
from schoolsafe.services.register import status as register_status
from schoolsafe.services.sanitize import contains_image_data
from schoolsafe.vocab import N_, AccountEventKind, AccountKind, AccountStatus

# What a pupil ticked, as a hint of what sort of account they named.
_PAGE_CHOICES = {"bait_out_page": AccountKind.BAIT_OUT_PAGE,
                 "fake_profile": AccountKind.FAKE_PROFILE}
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
    """Record a sighting of each place and return the register entries, created or matched.

    Every place of a report is handled in the same few statements - one lookup, one insert
    of the new entries, one update of the known ones, one lookalike lookup - because this
    runs while a pupil waits, and round trips, not rows, are what cost.
    """
    now = now or utcnow()
    read = [(place, canonicalise(place.text, place.platform or None)) for place in places]
    _keep_unrecognised(session, report_id, [place for place, ref in read
                                            if ref is None and place.text.strip()])
    typed = _known_handles(session, school_id,
                           [(place, ref) for place, ref in read if ref is not None])
    if not typed:
        return []
    refs = {ref.canonical_key: ref for _place, ref in typed}  # each entry once per report
    suggested = suggested_kind(_choices(session, report_id))
    with session.no_autoflush:
        entries = _find_all(session, school_id, list(refs.values()))
        new = [ref for key, ref in refs.items() if key not in entries]
        created = _insert_all(session, school_id, new, suggested, now, report_id is not None)
        lost = [ref for ref in new if ref.canonical_key not in created]  # another report won
        entries.update(created)
        entries.update(_find_all(session, school_id, lost))
        known = [entries[key] for key in refs if key not in created]
        _seen_again(session, known, refs, suggested, actor_id, now, report_id is not None)
        _first_seen(session, list(created.values()), refs, actor_id, now)
    session.execute(insert(Sighting), [
        {"school_id": school_id, "account_id": entries[ref.canonical_key].id,
         "report_id": report_id, "case_id": case_id, "platform_chosen": place.platform[:20],
         "raw_text": place.text[:500], "seen_at": now} for place, ref in typed])
    session.flush()
    return [entries[ref.canonical_key] for _place, ref in typed]


def _keep_unrecognised(session: Session, report_id: int | None, places: list[Place]) -> None:
    """Places that name no account stay on the report as typed, and make no entry."""
    if places and report_id is not None:
        session.execute(update(Report).where(Report.id == report_id).values(
            places_unrecognised=[{"platform": p.platform, "text": p.text[:500]} for p in places]))


def _known_handles(session: Session, school_id: int, typed: list[tuple[Place, AccountRef]],
                   ) -> list[tuple[Place, AccountRef]]:
    """A handle typed with no app ("@owen.exposed") joins the one entry with that handle on
    an app, when the school has exactly one; otherwise it keeps its own entry."""
    bare = {ref.canonical_key: candidates for _place, ref in typed
            if (candidates := handle_keys(ref))}
    if not bare:
        return typed
    wanted = {key for candidates in bare.values() for key in candidates}
    found = session.scalars(_FIND, {"school_id": school_id,
                                    "platforms": sorted({k.partition(":")[0] for k in wanted}),
                                    "keys": sorted(wanted)})
    by_key = {account.canonical_key: account for account in found}
    joined = {}
    for key, candidates in bare.items():
        matches = [by_key[c] for c in candidates if c in by_key]
        if len(matches) == 1:
            joined[key] = _ref_of(matches[0])
    return [(place, joined.get(ref.canonical_key, ref)) for place, ref in typed]


def _ref_of(account: OnlineAccount) -> AccountRef:
    """A reference to an existing entry."""
    return AccountRef(platform=account.platform, canonical_key=account.canonical_key,
                      display=account.display, url=account.url, kind_hint=None,
                      unresolved_short_link=False)


def suggested_kind(choices: list[str]) -> str | None:
    """The kind a report's ticked choices point to, when they point to just one."""
    pages = {_PAGE_CHOICES[c] for c in choices if c in _PAGE_CHOICES}
    if len(pages) == 1:
        return pages.pop()
    if not pages and _SENDER_CHOICES.intersection(choices):
        return AccountKind.SENDER
    return None


def _choices(session: Session, report_id: int | None) -> list[str]:
    """The report's ticked choices (the report is already in the session: no query)."""
    report = session.get(Report, report_id) if report_id is not None else None
    return list(report.choices or []) if report is not None else []


# Statements built once: building them per report cost more than running them.
_FIND = select(OnlineAccount).where(
    OnlineAccount.school_id == bindparam("school_id"),
    OnlineAccount.platform.in_(bindparam("platforms", expanding=True)),
    OnlineAccount.canonical_key.in_(bindparam("keys", expanding=True)))
_INSERT = {
    dialect.__name__.rpartition(".")[2]: dialect.insert(OnlineAccount)
    .on_conflict_do_nothing(index_elements=["school_id", "platform", "canonical_key"])
    .returning(OnlineAccount)
    for dialect in (postgresql, sqlite)
}


def _find_all(session: Session, school_id: int, refs: list[AccountRef],
              ) -> dict[str, OnlineAccount]:
    """The school's entries for these references, by key, in one indexed lookup."""
    if not refs:
        return {}
    found = session.scalars(_FIND, {"school_id": school_id,
                                    "platforms": sorted({r.platform for r in refs}),
                                    "keys": [r.canonical_key for r in refs]})
    return {account.canonical_key: account for account in found}


def _insert_all(session: Session, school_id: int, refs: list[AccountRef],
                suggested: str | None, now: datetime, counted: bool,
                ) -> dict[str, OnlineAccount]:
    """Insert new entries, skipping any another report inserted first; the ones we made.

    Two pupils naming a new page at the same moment must both have their reports saved, so
    the insert skips a duplicate key instead of failing the second pupil's transaction.
    """
    if not refs:
        return {}
    made = session.scalars(_INSERT[session.get_bind().dialect.name], [
        {"public_id": new_public_id(), "school_id": school_id, "platform": ref.platform,
         "canonical_key": ref.canonical_key, "display": ref.display[:300], "url": ref.url,
         "kind": ref.kind_hint or suggested or AccountKind.OTHER, "status": AccountStatus.ACTIVE,
         "report_count": int(counted), "first_seen": now, "last_seen": now}
        for ref in refs])
    return {account.canonical_key: account for account in made}


def _first_seen(session: Session, accounts: list[OnlineAccount], refs: dict[str, AccountRef],
                actor_id: int | None, now: datetime) -> None:
    """Start each new entry's history and check it against the known ones."""
    for account in accounts:
        note = refs[account.canonical_key].note
        words = register_history.school_words(session, account)
        text = (words.gettext(N_("Added to the register. %(note)s"), note=note) if note
                else words.gettext(N_("Added to the register.")))
        register_history.record(session, account, AccountEventKind.ACCOUNT_CREATED, text,
                                actor_id=actor_id, at=now, to_cases=False)
    register_lookalikes.check_new(session, accounts, now)


def _seen_again(session: Session, accounts: list[OnlineAccount], refs: dict[str, AccountRef],
                suggested: str | None, actor_id: int | None, now: datetime,
                counted: bool) -> None:
    """Known entries named again: counted in one update, then kind and comeback checked."""
    if not accounts:
        return
    values: dict[str, object] = {"last_seen": now}
    if counted:
        # Added in SQL, so two pupils naming the page at once both count.
        values["report_count"] = OnlineAccount.report_count + 1
    session.execute(update(OnlineAccount)
                    .where(OnlineAccount.id.in_([a.id for a in accounts])).values(values))
    for account in accounts:
        _adopt_kind(session, account, refs[account.canonical_key].kind_hint or suggested)
        _catch_comeback(session, account, actor_id, now)


def _adopt_kind(session: Session, account: OnlineAccount, suggested: str | None) -> None:
    """An entry nobody has sorted takes the first kind a report suggests."""
    if account.kind == AccountKind.OTHER and suggested and suggested != AccountKind.OTHER \
            and not register_status.kind_was_set(session, account):
        account.kind = suggested


def _catch_comeback(session: Session, account: OnlineAccount, actor_id: int | None,
                    now: datetime) -> None:
    """A taken-down entry, or the twin of one, named again is back."""
    if account.status == AccountStatus.REMOVED:
        register_status.resurface(session, account, N_("It was named again."),
                                  actor_id=actor_id, now=now)
    elif account.status == AccountStatus.ACTIVE and account.alias_group_id is not None \
            and register_lookalikes.was_removed(session, account):
        register_status.resurface(session, account, N_("It was named again, and an account "
                                                        "confirmed as the same one was taken "
                                                        "down."),
                                  actor_id=actor_id, now=now)


class PlaceError(ValueError):
    """An online place staff typed that can't be added; the message says why."""


def add_to_case(session: Session, case: Case, place: Place, user_id: int,
                now: datetime | None = None) -> OnlineAccount:
    """Name an online place on a case: a sighting, and a line in the case's chronology."""
    if not place.text:
        raise PlaceError(N_("Please type the account name, link or group name."))
    if len(place.text) > LIMITS["place"]:
        raise PlaceError(f"Please keep it under {LIMITS['place']} characters.")
    if contains_image_data(place.text):
        raise PlaceError(N_("That looks like a picture or file pasted in. Type the account name "
                         "or link instead."))
    if platform_code(place.platform) is None and place.platform:
        raise PlaceError(N_("Please choose the app or website from the list."))
    linked = link_places(session, case.school_id, [place], case_id=case.id, actor_id=user_id,
                         now=now)
    if not linked:
        raise PlaceError(N_("That could not be recognised as an account, link, number or group. "
                         "Please type the account name, link or group name."))
    account = linked[0]
    said = register_history.school_words(session, account).gettext(
        N_("Named in case %(reference)s."), reference=case.reference)
    register_history.record(session, account, AccountEventKind.ACCOUNT_CASE, said,
                            actor_id=user_id, at=now)
    return account
