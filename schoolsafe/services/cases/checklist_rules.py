"""Which containment steps a case needs, from its facts and its jurisdiction's checklist rules.

The steps themselves are data in config/jurisdictions/*.toml; this module only decides which
apply. A case's checklist only ever grows: items a DSL has worked on are never taken away,
even when the facts that brought them in change.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

from schoolsafe.services.jurisdictions.packs import ChecklistRule, Jurisdiction
from schoolsafe.services.reports.urgency import immediate_referral_triggers, rank


@dataclass(frozen=True)
class CaseFacts:
    """What is known about a case that checklist rules can depend on."""

    categories: frozenset[str]
    factors: frozenset[str]
    urgency: str
    choices: frozenset[str]
    posted_by_known: bool | None  # None: not known yet whether we know who posted it
    platform_statuses: frozenset[str]  # register statuses of the case's online accounts

    def __post_init__(self) -> None:
        rank(self.urgency)  # refuse an unknown level now rather than mis-rank later


def rules_for(jurisdiction: Jurisdiction, facts: CaseFacts) -> list[ChecklistRule]:
    """Applicable rules in pack order, with the refer-now rule first when it applies.

    The refer-now rule applies by its own condition, and always when any UKCIS
    immediate-referral trigger is among the case's factors.
    """
    forced = bool(immediate_referral_triggers(facts.factors))
    applicable = [
        rule for rule in jurisdiction.checklist
        if (rule.refer_now and forced) or _holds(rule.when, facts)
    ]
    return sorted(applicable, key=lambda rule: not rule.refer_now)  # stable: pack order kept


def rules_to_add(
    jurisdiction: Jurisdiction, facts: CaseFacts, existing_rule_ids: set[str]
) -> list[ChecklistRule]:
    """Rules the case now needs that it does not have yet; existing items are left alone."""
    return [rule for rule in rules_for(jurisdiction, facts) if rule.id not in existing_rule_ids]


def _any_of(wanted: object, present: frozenset[str]) -> bool:
    return bool(present & set(wanted))


_CONDITIONS: dict[str, Callable[[object, CaseFacts], bool]] = {
    "always": lambda value, facts: value is True,
    "categories_any": lambda value, facts: _any_of(value, facts.categories),
    "factors_any": lambda value, facts: _any_of(value, facts.factors),
    "choices_any": lambda value, facts: _any_of(value, facts.choices),
    "platform_status_any": lambda value, facts: _any_of(value, facts.platform_statuses),
    "urgency_at_least": lambda value, facts: rank(facts.urgency) <= rank(str(value)),
    # Unknown (None) matches neither true nor false: the DSL has not found out yet.
    "posted_by_known": lambda value, facts: facts.posted_by_known is value,
    "any": lambda value, facts: any(_holds(part, facts) for part in value),
}


def _holds(when: Mapping[str, object], facts: CaseFacts) -> bool:
    # Every key in a condition table must hold; the loader has already refused unknown keys.
    return all(_CONDITIONS[key](value, facts) for key, value in when.items())
