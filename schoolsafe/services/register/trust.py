"""The shared register a trust lead sees: accounts across the trust's schools, as counts.

One row per account (platform and key) however many schools have it. Nothing here returns
a report, a case, a sighting's typed text or anything else about a school's pupils.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from schoolsafe.models import OnlineAccount, School, TrustLead
from schoolsafe.services.register.history import linked_case_ids
from schoolsafe.services.register.queries import PAGE_SIZE, RegisterFilter


@dataclass(frozen=True)
class SharedRow:
    """One account as the trust sees it."""

    public_id: str
    platform: str
    display: str
    schools: int
    reports: int
    last_seen: datetime


@dataclass(frozen=True)
class SchoolHolding:
    """One school's entry for a shared account: its status and counts, and who to contact."""

    school_name: str
    contact_email: str
    kind: str
    status: str
    reports: int
    cases: int
    first_seen: datetime
    last_seen: datetime
    removed_at: datetime | None


def trust_ids_for(session: Session, user_id: int) -> list[int]:
    """The trusts a user leads."""
    return list(session.scalars(select(TrustLead.trust_id).where(TrustLead.user_id == user_id)
                                .order_by(TrustLead.trust_id)))


def school_ids_in(session: Session, trust_ids: list[int]) -> list[int]:
    """The schools of those trusts."""
    return list(session.scalars(select(School.id).where(School.trust_id.in_(trust_ids))
                                .order_by(School.id)))


def shared_register(session: Session, school_ids: list[int], wanted: RegisterFilter,
                    ) -> tuple[list[SharedRow], bool]:
    """One page of accounts across the schools, each once; (rows, whether more follow)."""
    query = select(OnlineAccount.platform, OnlineAccount.canonical_key,
                   func.min(OnlineAccount.public_id), func.min(OnlineAccount.display),
                   func.count(OnlineAccount.school_id.distinct()),
                   func.sum(OnlineAccount.report_count), func.max(OnlineAccount.last_seen))
    query = query.where(OnlineAccount.school_id.in_(
        [wanted.school_id] if wanted.school_id else school_ids))
    for column, value in ((OnlineAccount.platform, wanted.platform),
                          (OnlineAccount.kind, wanted.kind),
                          (OnlineAccount.status, wanted.status)):
        if value:
            query = query.where(column == value)
    query = query.group_by(OnlineAccount.platform, OnlineAccount.canonical_key)
    order = (func.sum(OnlineAccount.report_count).desc() if wanted.sort == "reports"
             else func.max(OnlineAccount.last_seen).desc())
    rows = session.execute(query.order_by(order, OnlineAccount.canonical_key)
                           .limit(PAGE_SIZE + 1).offset((wanted.page - 1) * PAGE_SIZE)).all()
    shared = [SharedRow(public_id, platform, display, schools, reports or 0, last_seen)
              for platform, _key, public_id, display, schools, reports, last_seen in rows]
    return shared[:PAGE_SIZE], len(shared) > PAGE_SIZE


def holdings(session: Session, school_ids: list[int], public_id: str,
             ) -> tuple[OnlineAccount, list[SchoolHolding]] | None:
    """An account by one of its entries' public ids, with every trust school's holding of it."""
    entry = session.scalar(select(OnlineAccount).where(
        OnlineAccount.public_id == public_id, OnlineAccount.school_id.in_(school_ids)))
    if entry is None:
        return None
    rows = session.execute(
        select(OnlineAccount, School).join(School, School.id == OnlineAccount.school_id)
        .where(OnlineAccount.platform == entry.platform,
               OnlineAccount.canonical_key == entry.canonical_key,
               OnlineAccount.school_id.in_(school_ids)).order_by(School.name)).all()
    return entry, [_holding(session, account, school) for account, school in rows]


def _holding(session: Session, account: OnlineAccount, school: School) -> SchoolHolding:
    trust_email = school.trust.contact_email if school.trust else ""
    return SchoolHolding(school.name, school.contact_email or trust_email, account.kind,
                         account.status, account.report_count,
                         len(linked_case_ids(session, [account.id])), account.first_seen,
                         account.last_seen, account.removed_at)
