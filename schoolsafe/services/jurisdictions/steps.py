"""A pack's containment checklist: each step, and the case facts that make it apply."""

import dataclasses
import re
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from schoolsafe.services.jurisdictions import fields as field
from schoolsafe.services.reports.categories import CATEGORY_LABELS, CHOICES_BY_CODE
from schoolsafe.services.reports.urgency import FACTORS
from schoolsafe.vocab import AccountStatus, ChecklistDoneWhen, Urgency


@dataclass(frozen=True)
class ChecklistRule:
    """A containment step and the case facts that make it apply."""

    id: str
    text: str
    # Left out of the hash (read-only mappings have none) so rules can still go in sets.
    when: Mapping[str, object] = dataclasses.field(hash=False)
    refer_now: bool
    done_when: str = ""  # a ChecklistDoneWhen: what ticks the step by itself; "" for nothing


def checklist_rules(items: object) -> tuple[ChecklistRule, ...]:
    """Read the pack's [[checklist]] rules, checking ids and conditions."""
    if not isinstance(items, list) or not items:
        raise field.Invalid("checklist", "needs at least one [[checklist]] rule")
    rules = tuple(_rule(item, f"checklist[{index}]") for index, item in enumerate(items))
    ids = [rule.id for rule in rules]
    for index, rule_id in enumerate(ids):
        if rule_id in ids[:index]:
            raise field.Invalid(f"checklist[{index}].id", f"{rule_id!r} is used twice")
    # Exactly one: the immediate-referral triggers need a single item to put at the top.
    if sum(rule.refer_now for rule in rules) != 1:
        raise field.Invalid("checklist", "needs exactly one rule with refer_now = true")
    return rules


def _rule(data: object, where: str) -> ChecklistRule:
    if not isinstance(data, dict):
        raise field.Invalid(where, "must be a table")
    field.only(data, {"id", "text", "when", "refer_now", "done_when"}, where)
    rule_id = field.text(data, "id", where)
    if not re.fullmatch(r"[a-z0-9][a-z0-9-]{0,59}", rule_id):
        raise field.Invalid(f"{where}.id", "use 1-60 lower-case letters, digits and dashes")
    return ChecklistRule(rule_id, field.text(data, "text", where),
                         _condition(data.get("when"), f"{where}.when"),
                         field.flag(data, "refer_now", where, default=False),
                         field.choice(data, "done_when", where, ChecklistDoneWhen.values())
                         if "done_when" in data else "")


_CODE_LISTS: dict[str, tuple[str, ...]] = {
    "categories_any": tuple(CATEGORY_LABELS),
    "factors_any": tuple(FACTORS),
    "choices_any": tuple(CHOICES_BY_CODE),
    "platform_status_any": AccountStatus.values(),
}
_FLAGS = ("always", "posted_by_known")


def _condition(when: object, where: str) -> Mapping[str, object]:
    if not isinstance(when, dict) or not when:
        raise field.Invalid(where, "must be a table with at least one condition")
    field.only(when, {*_CODE_LISTS, *_FLAGS, "urgency_at_least", "any"}, where)
    return MappingProxyType({key: _condition_value(key, value, f"{where}.{key}")
                             for key, value in when.items()})


def _condition_value(key: str, value: object, where: str) -> object:
    if key in _CODE_LISTS:
        known = _CODE_LISTS[key]
        if not isinstance(value, list) or not value or any(code not in known for code in value):
            raise field.Invalid(where, f"must be a non-empty list drawn from {', '.join(known)}")
        return tuple(value)
    if key == "urgency_at_least" and value not in Urgency.values():
        raise field.Invalid(where, f"must be one of {', '.join(Urgency.values())}")
    if key == "any":
        if not isinstance(value, list) or not value:
            raise field.Invalid(where, "must be a non-empty list of condition tables")
        return tuple(_condition(item, f"{where}[{index}]") for index, item in enumerate(value))
    if key in _FLAGS and not isinstance(value, bool):
        raise field.Invalid(where, "must be true or false")
    if key == "always" and value is not True:
        raise field.Invalid(where, "must be true (leave it out otherwise)")
    return value
