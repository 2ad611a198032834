"""Reading the register: the filtered list, and how widely an entry has been named.

Counts across a trust come back per school as numbers and a contact address only; nothing
here returns another school's reports, cases or pupils.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from sqlalchemy import select, union
from sqlalchemy.orm import Session

from schoolsafe.models import Case, OnlineAccount, Report, School, Sighting, Trust
from schoolsafe.services.accounts.canonical import PLATFORMS
from schoolsafe.services.paging import page_number
from schoolsafe.vocab import N_, AccountKind, AccountStatus, Labels

PAGE_SIZE = 25
SORTS = Labels({"reports": N_("Most reports"), "last_seen": N_("Most recently named")})


@dataclass(frozen=True)
class RegisterFilter:
    """What the list is narrowed to; unknown values mean "any"."""

    platform: str = ""
    kind: str = ""
    status: str = ""
    school_id: int | None = None
    sort: str = "last_seen"
    page: int = 1

    @classmethod
    def from_args(cls, args: dict[str, str], school_ids: list[int]) -> RegisterFilter:
        """Parse query-string values, dropping any that aren't allowed."""
        school = args.get("school", "")
        # Only plain digits: int() refuses some that isdigit() accepts, such as "²".
        school_id = int(school) if school.isascii() and school.isdigit() and len(school) < 12 \
            else None
        return cls(
            platform=_known(args.get("platform", ""), PLATFORMS),
            kind=_known(args.get("kind", ""), AccountKind.labels()),
            status=_known(args.get("status", ""), AccountStatus.labels()),
            school_id=school_id if school_id in school_ids else None,
            sort=_known(args.get("sort", ""), SORTS) or "last_seen",
            page=page_number(args.get("page")),
        )


@dataclass(frozen=True)
class Page:
    """One page of entries and whether another follows."""

    entries: list[OnlineAccount]
    page: int
    has_next: bool


def _known(value: str, allowed: dict[str, str]) -> str:
    return value if value in allowed else ""


def list_entries(session: Session, school_ids: list[int], wanted: RegisterFilter) -> Page:
    """One page of the schools' entries, filtered and sorted, newest or most reported first."""
    query = select(OnlineAccount).where(
        OnlineAccount.school_id.in_([wanted.school_id] if wanted.school_id else school_ids))
    for column, value in ((OnlineAccount.platform, wanted.platform),
                          (OnlineAccount.kind, wanted.kind),
                          (OnlineAccount.status, wanted.status)):
        if value:
            query = query.where(column == value)
    order = (OnlineAccount.report_count.desc() if wanted.sort == "reports"
             else OnlineAccount.last_seen.desc())
    rows = list(session.scalars(query.order_by(order, OnlineAccount.id.desc())
                                .limit(PAGE_SIZE + 1).offset((wanted.page - 1) * PAGE_SIZE)))
    return Page(rows[:PAGE_SIZE], wanted.page, len(rows) > PAGE_SIZE)


@dataclass(frozen=True)
class Elsewhere:
    """Another school of the trust that has the same account: counts and who to contact."""

    school_name: str
    contact_email: str
    reports: int
    cases: int


@dataclass
class Reach:
    """How widely an entry (with its confirmed aliases) is named, here and across the trust."""

    account: OnlineAccount
    report_ids: set[int] = field(default_factory=set)
    case_ids: set[int] = field(default_factory=set)
    elsewhere: list[Elsewhere] = field(default_factory=list)
    # The case each naming report belongs to, so "other reports" can leave out a case's own.
    report_cases: dict[int, int | None] = field(default_factory=dict)

    def other_reports(self, report_id: int | None = None, case_id: int | None = None) -> int:
        """Reports naming it besides the given one and outside the given case."""
        return sum(1 for r in self.report_ids - {report_id}
                   if case_id is None or self.report_cases.get(r) != case_id)

    def other_cases(self, case_id: int | None = None) -> int:
        """Cases naming it besides the given one."""
        return len(self.case_ids - {case_id})

    @property
    def other_schools(self) -> int:
        """Other schools of the trust that have it in their register."""
        return len(self.elsewhere)


def reach(session: Session, account: OnlineAccount) -> Reach:
    """Reports and cases naming the entry or its aliases, and other schools that have it."""
    return reaches(session, [account])[account.id]


def reaches(session: Session, accounts: list[OnlineAccount]) -> dict[int, Reach]:
    """reach() of several entries by id, in the same few queries however many there are."""
    if not accounts:
        return {}
    groups = _alias_groups(session, accounts)
    every = sorted({i for ids in groups.values() for i in ids})
    reports = _by_account(session, select(Sighting.account_id, Sighting.report_id).where(
        Sighting.account_id.in_(every), Sighting.report_id.is_not(None)))
    report_cases = dict(session.execute(select(Report.id, Report.case_id).where(
        Report.id.in_({r for ids in reports.values() for r in ids}))).all())
    copies = _trust_copies(session, accounts)
    # The cases of these entries and of their copies at other schools, in one query.
    cases = _case_ids_by_account(session, sorted(
        set(every) | {row.id for rows in copies.values() for row in rows}))
    return {a.id: Reach(a, {r for i in groups[a.id] for r in reports.get(i, ())},
                        {c for i in groups[a.id] for c in cases.get(i, ())},
                        _elsewhere_of(copies.get(a.id, []), cases), report_cases)
            for a in accounts}


def _alias_groups(session: Session, accounts: list[OnlineAccount]) -> dict[int, list[int]]:
    """Each entry's id followed by its confirmed aliases' ids (as group_ids() gives them)."""
    wanted = {a.alias_group_id for a in accounts if a.alias_group_id is not None}
    members: dict[int, list[int]] = defaultdict(list)
    if wanted:
        for member, group in session.execute(
                select(OnlineAccount.id, OnlineAccount.alias_group_id)
                .where(OnlineAccount.alias_group_id.in_(wanted))
                .order_by(OnlineAccount.first_seen)):
            members[group].append(member)
    return {a.id: [a.id, *(m for m in members.get(a.alias_group_id, ()) if m != a.id)]
            for a in accounts}


def _by_account(session: Session, pairs) -> dict[int, set[int]]:
    found: dict[int, set[int]] = defaultdict(set)
    for account_id, other_id in session.execute(pairs):
        found[account_id].add(other_id)
    return found


def _case_ids_by_account(session: Session, account_ids: list[int]) -> dict[int, set[int]]:
    """Cases naming each entry directly or through one of their reports (linked_case_ids)."""
    if not account_ids:
        return {}
    direct = select(Sighting.account_id, Sighting.case_id).where(
        Sighting.account_id.in_(account_ids), Sighting.case_id.is_not(None))
    via_report = (select(Sighting.account_id, Report.case_id)
                  .join(Report, Report.id == Sighting.report_id)
                  .where(Sighting.account_id.in_(account_ids), Report.case_id.is_not(None)))
    return _by_account(session, union(direct, via_report))


def elsewhere(session: Session, account: OnlineAccount) -> list[Elsewhere]:
    """Other schools in the same trust with an entry of the same key: counts and contact."""
    return _elsewhere(session, [account]).get(account.id, [])


def _elsewhere(session: Session, accounts: list[OnlineAccount]) -> dict[int, list[Elsewhere]]:
    copies = _trust_copies(session, accounts)
    cases = _case_ids_by_account(session, [row.id for rows in copies.values() for row in rows])
    return {account_id: _elsewhere_of(rows, cases) for account_id, rows in copies.items()}


def _trust_copies(session: Session, accounts: list[OnlineAccount]) -> dict[int, list]:
    """For each entry in a trust, the entries of the same key at the trust's other schools,
    with each school's name and contact, by school name - for all the entries in one query."""
    trusts = select(School.trust_id).where(School.id.in_({a.school_id for a in accounts}))
    # One indexed lookup for every key; each row is then matched to its entry here. The
    # entries themselves come back too (their schools are in the trust), naming the trust.
    rows = session.execute(
        select(OnlineAccount.id, OnlineAccount.platform, OnlineAccount.canonical_key,
               OnlineAccount.school_id, OnlineAccount.report_count, School.name,
               School.contact_email, School.trust_id, Trust.contact_email.label("trust_email"))
        .join(School, School.id == OnlineAccount.school_id)
        .join(Trust, Trust.id == School.trust_id)
        .where(OnlineAccount.platform.in_({a.platform for a in accounts}),
               OnlineAccount.canonical_key.in_({a.canonical_key for a in accounts}),
               School.trust_id.in_(trusts.scalar_subquery()))
        .order_by(School.name)).all()
    trust_of = {row.id: row.trust_id for row in rows}
    return {account.id: [
        row for row in rows
        if (row.platform, row.canonical_key) == (account.platform, account.canonical_key)
        and row.school_id != account.school_id and row.trust_id == trust_of[account.id]]
        for account in accounts if account.id in trust_of}


def _elsewhere_of(copies: list, cases: dict[int, set[int]]) -> list[Elsewhere]:
    return [Elsewhere(row.name, row.contact_email or row.trust_email, row.report_count,
                      len(cases.get(row.id, ()))) for row in copies]


def accounts_in_report(session: Session, report_id: int) -> list[OnlineAccount]:
    """The register entries a report names, in the order it named them."""
    return _distinct(session.scalars(select(OnlineAccount).join(Sighting)
                                     .where(Sighting.report_id == report_id)
                                     .order_by(Sighting.id)))


def accounts_in_case(session: Session, case: Case) -> list[OnlineAccount]:
    """Entries named in the case directly or in any of its reports."""
    direct = select(Sighting.id).where(Sighting.case_id == case.id)
    via_report = (select(Sighting.id).join(Report, Report.id == Sighting.report_id)
                  .where(Report.case_id == case.id))
    return _distinct(session.scalars(
        select(OnlineAccount).join(Sighting)
        .where(Sighting.id.in_(union(direct, via_report))).order_by(Sighting.id)))


def _distinct(accounts) -> list[OnlineAccount]:
    seen: dict[int, OnlineAccount] = {}
    for account in accounts:
        seen.setdefault(account.id, account)
    return list(seen.values())


def school_names(session: Session, school_ids: list[int]) -> dict[int, str]:
    """Names of the given schools, for filters and labels."""
    return dict(session.execute(select(School.id, School.name).where(School.id.in_(school_ids))
                                .order_by(School.name)).all())
