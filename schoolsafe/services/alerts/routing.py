"""Who is alerted about a report: the school's routing list, then its DSLs, then a fallback.

Tier 1 hears at once about every report it asks for. Higher tiers are the escalation ladder:
they hear only when a report goes unacknowledged (services/escalation.py). Out of school hours
the on-call entries also hear about immediate reports at once, whatever their tier.
"""

from __future__ import annotations

from dataclasses import dataclass

from email_validator import EmailNotValidError, validate_email
from sqlalchemy import select
from sqlalchemy.orm import Session

from schoolsafe.models import AlertRoute, Membership, Report, School, User
from schoolsafe.services.allegations import contacts
from schoolsafe.services.errors import FieldError
from schoolsafe.services.reports.categories import CATEGORY_LABELS
from schoolsafe.services.reports.urgency import rank
from schoolsafe.vocab import N_, Role, Urgency

MAX_TIER = 5


class RoutingError(FieldError):
    """A routing change we can't make; the message is shown to the administrator."""


@dataclass(frozen=True)
class Route:
    """One routing entry as plain values."""

    address: str
    tier: int
    min_urgency: str = Urgency.STANDARD
    categories: tuple[str, ...] = ()
    on_call: bool = False


@dataclass(frozen=True)
class Routing:
    """Everything that decides who one school alerts, as plain values."""

    routes: tuple[Route, ...]
    dsl_addresses: tuple[str, ...] = ()
    fallback: str = ""


@dataclass(frozen=True)
class Problem:
    """Something an administrator should fix (serious) or know (not serious)."""

    serious: bool
    text: str


def wants(route: Route, urgency: str, categories: set[str]) -> bool:
    """Whether this route asks to hear about a report of this urgency and these categories."""
    if rank(urgency) > rank(route.min_urgency):
        return False
    return not route.categories or bool(categories & set(route.categories))


def _unique(addresses: list[str]) -> list[str]:
    return sorted(set(addresses), key=addresses.index)


def recipients(routing: Routing, tier: int, urgency: str, categories: set[str]) -> list[str]:
    """Addresses to alert at a tier; tier 1 falls back to the DSLs, then the fallback inbox."""
    chosen = [r.address for r in routing.routes if r.tier == tier and wants(r, urgency, categories)]
    if tier == 1 and not chosen:
        chosen = _tier_one_fallback(routing)
    return _unique(chosen)


def _tier_one_fallback(routing: Routing) -> list[str]:
    # A DSL the admin placed on the list (a deputy on tier 2, say) is told when the list says,
    # not first. Only if that leaves nobody do we try the inbox, then every DSL after all.
    placed = {r.address for r in routing.routes}
    unplaced = [a for a in routing.dsl_addresses if a not in placed]
    inbox = [routing.fallback] if routing.fallback else []
    return unplaced or inbox or list(routing.dsl_addresses)


def first_alert(routing: Routing, urgency: str, categories: set[str], open_now: bool) -> list[str]:
    """Who hears about a new report at once: tier 1, and on call if it is immediate out of hours."""
    chosen = recipients(routing, 1, urgency, categories)
    if urgency == Urgency.IMMEDIATE and not open_now:
        chosen += [r.address for r in routing.routes if r.on_call and wants(r, urgency, categories)]
    return _unique(chosen)


def next_tier(routing: Routing, after: int, urgency: str, categories: set[str]) -> int | None:
    """The next tier above `after` with someone who wants this report, if there is one."""
    tiers = {r.tier for r in routing.routes if r.tier > after and wants(r, urgency, categories)}
    return min(tiers) if tiers else None


def everyone_up_to(routing: Routing, tier: int, urgency: str, categories: set[str]) -> list[str]:
    """Everyone alerted on tiers 1 to `tier`: who a reminder goes to when the ladder runs out."""
    chosen: list[str] = []
    for level in range(1, tier + 1):
        chosen += recipients(routing, level, urgency, categories)
    return _unique(chosen)


def ladder(routing: Routing, urgency: str) -> list[tuple[int, list[str]]]:
    """Each tier a report of this urgency (any kind) reaches, in order, with its addresses."""
    everything = set(CATEGORY_LABELS)
    steps = [(1, recipients(routing, 1, urgency, everything))]
    while (tier := next_tier(routing, steps[-1][0], urgency, everything)) is not None:
        steps.append((tier, recipients(routing, tier, urgency, everything)))
    return steps


def on_call(routing: Routing) -> list[str]:
    """Who is told at once about immediate reports out of school hours, besides tier 1."""
    return _unique([r.address for r in routing.routes if r.on_call])


def entries(session: Session, school_id: int) -> list[tuple[AlertRoute, User | None]]:
    """The school's routing list for the admin page, with each entry's member of staff."""
    return list(session.execute(
        select(AlertRoute, User).outerjoin(User, AlertRoute.user_id == User.id)
        .where(AlertRoute.school_id == school_id).order_by(AlertRoute.tier, AlertRoute.id)
    ).all())


def load(session: Session, school: School) -> Routing:
    """A school's routing list, its active DSLs and its fallback address."""
    rows = session.execute(
        select(AlertRoute, User.email).outerjoin(User, AlertRoute.user_id == User.id)
        .where(AlertRoute.school_id == school.id)
        .where((User.id.is_(None)) | User.active.is_(True))
        .order_by(AlertRoute.tier, AlertRoute.id)
    ).all()
    routes = tuple(Route(address=email or route.email, tier=route.tier,
                         min_urgency=route.min_urgency, categories=tuple(route.categories),
                         on_call=route.on_call)
                   for route, email in rows if (email or route.email))
    dsls = tuple(session.scalars(
        select(User.email).join(Membership)
        .where(Membership.school_id == school.id, Membership.role == Role.DSL,
               User.active.is_(True))
        .order_by(User.id)
    ))
    return Routing(routes, dsls, school.fallback_email)


def for_report(session: Session, school: School, report: Report) -> Routing:
    """Who hears about this report: the school's list, or for a report about a member of
    staff its allegations contacts alone - never the usual tiers, DSLs or fallback inbox,
    where the person named may be. Its escalation reminds the same contacts."""
    if not report.restricted_to:
        return load(session, school)
    told = contacts.addresses(session, school.id, report.restricted_to, report.accused_staff_id)
    return Routing(tuple(Route(address, tier=1) for address in told))


def allegation_problems(session: Session, school_id: int) -> list[Problem]:
    """What an administrator must fix so reports about staff reach someone."""
    found = []
    if not contacts.holders(session, school_id, Role.CASE_MANAGER):
        found.append(Problem(False, "Nobody is set as head teacher (case manager). Reports "
                             "about a member of staff go to the chair of governors until "
                             "someone is."))
    if not contacts.holders(session, school_id, Role.CHAIR):
        found.append(Problem(False, "Nobody is set as chair of governors. A report that may "
                             "be about the head teacher would reach nobody. Give a member "
                             "of staff (or the chair's own account) that role."))
    return found


def problems(routing: Routing) -> list[Problem]:
    """What an administrator needs to fix, most serious first, in plain words."""
    found: list[Problem] = []
    gaps = _gaps(routing)
    if len(gaps) == len(Urgency) * len(CATEGORY_LABELS):
        found.append(Problem(True, "Nobody will be alerted about new reports. Reports are still "
                             "accepted, but nobody is told about them. Add a safeguarding lead, "
                             "a first-tier entry or a fallback address."))
    elif gaps:
        level, category = gaps[0]
        found.append(Problem(True, f"Some reports would alert nobody, for example "
                             f"{level} reports about {CATEGORY_LABELS[category].lower()}. Add a "
                             f"fallback address or a first-tier entry that covers them."))
    if not routing.dsl_addresses:
        found.append(Problem(True, "Nobody has the safeguarding lead role. Reports are still "
                             "accepted, but nobody can open them. Give at least one member of "
                             "staff that role."))
    if not any(r.on_call for r in routing.routes):
        found.append(Problem(False, "Nobody is on call. Out of school hours, immediate reports "
                             "go only to the usual list, who may not see them until the next "
                             "school day."))
    if next_tier(routing, 1, Urgency.IMMEDIATE, set(CATEGORY_LABELS)) is None:
        found.append(Problem(False, "Nobody is on a second tier. If an urgent report is not "
                             "acknowledged in time, the same people are reminded instead of "
                             "someone new being told."))
    return found


def _gaps(routing: Routing) -> list[tuple[str, str]]:
    # Pupils may tick one category only, so each one on its own must reach somebody.
    return [(level, category) for level in Urgency for category in CATEGORY_LABELS
            if not recipients(routing, 1, level, {category})]


@dataclass(frozen=True)
class RouteInput:
    """A new routing entry as typed: a member of staff, or an email address."""

    user_id: int | None = None
    email: str = ""
    tier: int = 1
    min_urgency: str = Urgency.STANDARD
    categories: tuple[str, ...] = ()
    on_call: bool = False


def add_route(session: Session, school_id: int, data: RouteInput) -> AlertRoute:
    """Add one entry to the school's routing list after checking it."""
    _check_route(data)
    email = "" if data.user_id else check_address(data.email, "email")
    if data.user_id and not _is_staff(session, school_id, data.user_id):
        raise RoutingError("user", N_("Choose a member of staff at this school."))
    if _duplicate(session, school_id, data.user_id, email, data.tier):
        raise RoutingError("tier", N_("That person is already on this tier."))
    route = AlertRoute(school_id=school_id, user_id=data.user_id, email=email, tier=data.tier,
                       min_urgency=data.min_urgency, categories=sorted(data.categories),
                       on_call=data.on_call)
    session.add(route)
    session.flush()
    return route


def _check_route(data: RouteInput) -> None:
    if bool(data.user_id) == bool(data.email.strip()):
        raise RoutingError("user", N_("Choose a member of staff or type an email address (one, "
                           "not both)."))
    if not 1 <= data.tier <= MAX_TIER:
        raise RoutingError("tier", N_("Choose a tier from 1 to %(most)s."), most=MAX_TIER)
    if data.min_urgency not in Urgency.values():
        raise RoutingError("min_urgency", N_("Choose which reports this person hears about."))
    if not set(data.categories) <= set(CATEGORY_LABELS):
        raise RoutingError("categories", N_("One of the kinds of report wasn't recognised."))


def _is_staff(session: Session, school_id: int, user_id: int) -> bool:
    return session.scalar(select(Membership.id).where(
        Membership.school_id == school_id, Membership.user_id == user_id).limit(1)) is not None


def _duplicate(session: Session, school_id: int, user_id: int | None, email: str,
               tier: int) -> bool:
    query = select(AlertRoute.id).where(AlertRoute.school_id == school_id, AlertRoute.tier == tier)
    query = query.where(AlertRoute.user_id == user_id if user_id else AlertRoute.email == email)
    return session.scalar(query.limit(1)) is not None


def remove_route(session: Session, school_id: int, route_id: int) -> AlertRoute:
    """Take one entry off the school's routing list."""
    route = session.get(AlertRoute, route_id)
    if route is None or route.school_id != school_id:
        raise RoutingError("route", N_("That entry is no longer on the list."))
    session.delete(route)
    return route


def set_fallback(school: School, address: str) -> None:
    """Set (or clear, with an empty address) the inbox told when nobody else is."""
    school.fallback_email = check_address(address, "fallback") if address.strip() else ""


def check_address(address: str, field_name: str) -> str:
    """A normalised email address, or a RoutingError saying what is wrong with it."""
    try:
        return validate_email(address.strip(), check_deliverability=False).normalized
    except EmailNotValidError as error:
        raise RoutingError(field_name, N_("That doesn't look like an email address. Check it "
                           "and try again.")) from error
