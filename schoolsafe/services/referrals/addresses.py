"""A school's own addresses for referral recipients, in place of the pack's defaults.

The jurisdiction pack names the bodies and gives each a default address; a school's police
team or MASH inbox is often local, so the school's administrator may set its own. A blank
address goes back to the pack's.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from schoolsafe.models import RecipientAddress
from schoolsafe.models.base import utcnow
from schoolsafe.services.jurisdictions.recipients import Recipient
from schoolsafe.services.referrals.rules import InvalidAddressError, validate_addresses

# The stored column's width; a list longer than this is refused, not cut.
MAX_LENGTH = 1000


class AddressError(ValueError):
    """Addresses a school can't use: a plain message for each recipient kind that has one."""

    def __init__(self, problems: dict[str, str]) -> None:
        super().__init__("; ".join(problems.values()))
        self.problems = problems


def school_addresses(session: Session, school_id: int) -> dict[str, str]:
    """The addresses this school has set, by recipient kind."""
    return dict(session.execute(select(RecipientAddress.recipient_kind, RecipientAddress.addresses)
                                .where(RecipientAddress.school_id == school_id)).all())


def for_school(session: Session, school_id: int,
               recipients: Mapping[str, Recipient]) -> dict[str, Recipient]:
    """The pack's recipients, each with the school's address where it has set one."""
    own = school_addresses(session, school_id)
    return {kind: replace(r, email=own[kind]) if kind in own else r
            for kind, r in recipients.items()}


def checked(recipients: Mapping[str, Recipient], typed: Mapping[str, str]) -> dict[str, str]:
    """Each typed address list tidied ("" for none); AddressError naming every bad one."""
    tidy, problems = {}, {}
    for kind, recipient in recipients.items():
        text = (typed.get(kind) or "").strip()
        try:
            tidy[kind] = ", ".join(validate_addresses(text)) if text else ""
        except InvalidAddressError as error:
            problems[kind] = f"{recipient.name}: {error}"
            continue
        if len(tidy[kind]) > MAX_LENGTH:
            problems[kind] = (f"{recipient.name}: please keep the addresses under {MAX_LENGTH} "
                              "characters.")
    if problems:
        raise AddressError(problems)
    return tidy


def save(session: Session, school_id: int, addresses: Mapping[str, str], user_id: int) -> bool:
    """Store the school's addresses (blank ones fall back to the pack); False if none changed."""
    before = school_addresses(session, school_id)
    after = {kind: text for kind, text in addresses.items() if text}
    if before == after:
        return False
    session.execute(delete(RecipientAddress).where(RecipientAddress.school_id == school_id,
                                                   RecipientAddress.recipient_kind.not_in(after)))
    rows = {row.recipient_kind: row for row in session.scalars(
        select(RecipientAddress).where(RecipientAddress.school_id == school_id))}
    for kind, text in after.items():
        row = rows.get(kind) or RecipientAddress(school_id=school_id, recipient_kind=kind)
        if row.addresses != text:
            row.addresses, row.changed_by_id, row.changed_at = text, user_id, utcnow()
            session.add(row)
    session.flush()
    return True
