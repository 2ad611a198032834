"""Linking the online places in reports and cases to register entries.

Each place a pupil or member of staff names becomes a sighting of one register entry of the
school, found by its canonical key (an indexed lookup) or created.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import OnlineAccount, Sighting
from schoolsafe.models.base import utcnow
from schoolsafe.services.accounts import canonicalise


@dataclass(frozen=True)
class Place:
    """An online place as typed: the platform picked from the list and the text."""

    platform: str
    text: str


def link_places(session: Session, school_id: int, places: list[Place], *,
                report_id: int | None = None, case_id: int | None = None) -> list[OnlineAccount]:
    """Record a sighting of each place and return the register entries, created or matched."""
    accounts: list[OnlineAccount] = []
    for place in places:
        account = _find_or_create(session, school_id, place)
        if account is None:
            continue
        session.add(Sighting(school_id=school_id, account=account, report_id=report_id,
                             case_id=case_id, platform_chosen=place.platform,
                             raw_text=place.text[:500]))
        if report_id is not None and account not in accounts:
            account.report_count = (account.report_count or 0) + 1
        accounts.append(account)
    return accounts


def _find_or_create(session: Session, school_id: int, place: Place) -> OnlineAccount | None:
    ref = canonicalise(place.text, place.platform or None)
    if ref is None:
        return None
    account = session.scalar(select(OnlineAccount).where(
        OnlineAccount.school_id == school_id,
        OnlineAccount.platform == ref.platform,
        OnlineAccount.canonical_key == ref.canonical_key,
    ))
    now = utcnow()
    if account is None:
        account = OnlineAccount(school_id=school_id, platform=ref.platform,
                                canonical_key=ref.canonical_key, display=ref.display[:300],
                                url=ref.url, kind=ref.kind_hint or "other", report_count=0,
                                first_seen=now, last_seen=now)
        session.add(account)
    else:
        account.last_seen = now
    return account
