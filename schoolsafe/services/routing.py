"""Who is alerted about a report: the school's routing list, then its DSLs, then a fallback."""

from __future__ import annotations

from dataclasses import dataclass

from schoolsafe.services.urgency import rank


@dataclass(frozen=True)
class Route:
    """One routing entry as plain values."""

    address: str
    tier: int
    min_urgency: str = "standard"
    categories: tuple[str, ...] = ()
    on_call: bool = False


def wants(route: Route, urgency: str, categories: set[str]) -> bool:
    """Whether this route asks to hear about a report of this urgency and these categories."""
    if rank(urgency) > rank(route.min_urgency):
        return False
    return not route.categories or bool(categories & set(route.categories))


def recipients(routes: list[Route], tier: int, urgency: str, categories: set[str],
               dsl_addresses: list[str], fallback: str) -> list[str]:
    """Addresses to alert at a tier; tier 1 falls back to the DSLs, then the fallback inbox."""
    chosen = [r.address for r in routes if r.tier == tier and wants(r, urgency, categories)]
    if tier == 1 and not chosen:
        chosen = list(dsl_addresses) or ([fallback] if fallback else [])
    return sorted(set(chosen), key=chosen.index)
